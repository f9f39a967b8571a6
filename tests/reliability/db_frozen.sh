#!/usr/bin/env bash
# db_frozen.sh: a server that stops answering in the middle of the catalog read.
# statement_timeout is enforced by the server, so a frozen backend (here: every backend of
# schemerge, SIGSTOP'd while it waits for a lock) never says "timeout"; schemerge's own deadline (the configured
# statement_timeout_ms plus 5 s) must end the wait: exit 2, one line, no hang.
. "$TESTLIB"
need_db
need psql python3
[ "$(id -u)" = 0 ] || skip "stopping a server process needs root (or the server's user)"
db=$(pg_new_db sm_frozen) || { fail "cannot create the database"; finish; }
git init -q "$T/repo"
printf '{"statement_timeout_ms": 2000}\n' > "$T/repo/.schemerge.json"

# hold a lock that the catalog read waits for (pg_description is read by every query)
psql -X -q "$db" -c "BEGIN; LOCK TABLE pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60)" \
    >/dev/null 2>&1 &
locker=$!
held=
for _ in $(seq 200); do
    held=$(psql -X -At "$db" -c "SELECT 1 FROM pg_locks WHERE relation = 'pg_catalog.pg_description'::regclass AND mode = 'AccessExclusiveLock' AND granted" 2>/dev/null)
    [ -n "$held" ] && break
    sleep 0.02
done
[ -n "$held" ] || fail "the lock on pg_description was never taken"
# schemerge reads on up to three connections: each of its backends, found by their
# application_name, is stopped once it waits. Each of them comes to a query that reads
# pg_description; the search goes on for 1.5 s, well before the server's own 2 s timeout
# would end a backend left running.
start=$(date +%s)
start_ms=$(( $(date +%s%N) / 1000000 ))
(cd "$T/repo" && "$SCHEMERGE" --db "$db" check >"$T/out" 2>"$T/err"; echo $? > "$T/rc") &
sm=$!
pids=
while :; do
    for pid in $(psql -X -At "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'schemerge' AND wait_event_type = 'Lock'" 2>/dev/null); do
        case " $pids " in *" $pid "*) ;; *) kill -STOP "$pid" && pids="$pids $pid" ;; esac
    done
    [ "$(echo $pids | wc -w)" -ge 3 ] && break
    [ $(( $(date +%s%N) / 1000000 - start_ms )) -lt 1500 ] || break
    sleep 0.02
done
[ -n "$pids" ] || fail "schemerge's backend never waited for the lock"
for _ in $(seq 300); do kill -0 "$sm" 2>/dev/null || break; sleep 0.1; done
elapsed=$(( $(date +%s) - start ))
if kill -0 "$sm" 2>/dev/null; then
    fail "schemerge still waits after ${elapsed} s (its deadline is 7 s)"
    kill "$sm" 2>/dev/null
fi
wait "$sm" 2>/dev/null
for pid in $pids; do kill -CONT "$pid" 2>/dev/null; done
kill "$locker" 2>/dev/null
psql -X -q "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'sm_frozen' AND pid <> pg_backend_pid()" >/dev/null 2>&1

assert_eq "$(cat "$T/rc" 2>/dev/null)" 2 "exit status"
assert_eq "$(wc -l < "$T/err")" 1 "lines on stderr"
assert_contains "$T/err" "no answer within 7000 ms"
[ "$elapsed" -le 12 ] || fail "took ${elapsed} s, more than the 7 s deadline allows"
finish
