#!/usr/bin/env bash
# locks.sh: a migration holding ACCESS EXCLUSIVE on a table does not hang the read
# (issue 17 item 4):
#   - the read gives up after lock_timeout_ms with one line that names the table and the
#     process holding it, and says what to do; exit 2;
#   - Ctrl-C (SIGINT) while the read waits stops the query on the server too: no
#     schemerge backend is left waiting behind the lock; the exit is the signal's (130);
#   - a file that cannot be parsed ends the read at once: its error, not the lock's;
#   - once the lock is gone, the same check reads the catalog.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need timeout

dr_repo sm_locks "CREATE TABLE orders (id integer PRIMARY KEY, note text, CHECK (id > 0))"
# hold_lock SECONDS: a migration's transaction, holding the lock that long
hold_lock() {
    psql -X -q "$DB" -c "BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($1); COMMIT" >/dev/null 2>&1 &
    HOLDER=$!
    for _ in $(seq 100); do
        [ "$(psql -X -tA "$DB" -c "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'orders'::regclass")" = 1 ] && return 0
        sleep 0.05
    done
    fail "the lock was not taken"
}
backends() { psql -X -tA "$DB" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemerge'"; }

# ---- the lock timeout
printf '{"lock_timeout_ms": 700}\n' >.schemerge.json
hold_lock 30
holder_pid=$(psql -X -tA "$DB" -c "SELECT pid FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'orders'::regclass")
run timeout 20 "$SCHEMERGE" --db "$DB" check
expect_rc 2 "check while a migration holds the table"
assert_eq "$(wc -l <"$T/err")" 1 "lines of the error"
assert_contains "$T/err" "waited 700 ms for a lock: another session holds ACCESS EXCLUSIVE on public.orders (process $holder_pid)"
assert_contains "$T/err" "raise lock_timeout_ms in the config"
assert_eq "$(backends)" 0 "schemerge backends left after the lock timeout"

# ---- Ctrl-C while waiting (the lock timeout far away)
printf '{"lock_timeout_ms": 60000}\n' >.schemerge.json
"$SCHEMERGE" --db "$DB" check >"$T/out" 2>"$T/err" &
SM=$!
for _ in $(seq 100); do
    [ "$(psql -X -tA "$DB" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemerge' AND wait_event_type = 'Lock'")" -ge 1 ] && break
    sleep 0.05
done
[ "$(backends)" -ge 1 ] || fail "no schemerge backend waits for the lock"
kill -INT "$SM"
wait "$SM"
assert_eq "$?" 130 "exit status after SIGINT"
left=1
for _ in $(seq 40); do
    left=$(backends)
    [ "$left" = 0 ] && break
    sleep 0.05
done
assert_eq "$left" 0 "schemerge backends still waiting on the server after Ctrl-C (the lock is still held)"
kill -0 "$HOLDER" 2>/dev/null || fail "the lock was released early: the test proves nothing"

# ---- a file that cannot be parsed while the read waits for the lock: the files are
# parsed while the catalog is read; the read is abandoned (its statements cancelled on
# the server) and the file's error comes at once, not after the lock
mkdir -p schemas/database
printf 'class Broken(TypedDict:\n    id: int\n' >schemas/database/entities.py
run timeout 20 "$SCHEMERGE" --db "$DB" check
expect_rc 2 "check with a syntax error while the catalog waits for a lock"
assert_eq "$(wc -l <"$T/err")" 1 "lines of the error"
assert_contains "$T/err" "schemas/database/entities.py"
kill -0 "$HOLDER" 2>/dev/null || fail "the lock was released before the check ended: the test proves nothing"
left=1
for _ in $(seq 40); do
    left=$(backends)
    [ "$left" = 0 ] && break
    sleep 0.05
done
assert_eq "$left" 0 "schemerge backends still waiting on the server after a file error"
rm schemas/database/entities.py

# ---- the lock gone: the read goes through
psql -X -q "$DB" -c "SELECT pg_terminate_backend($holder_pid)" >/dev/null
wait "$HOLDER" 2>/dev/null
run "$SCHEMERGE" --db "$DB" check
expect_rc 1 "check once the lock is gone (the files lag)"
finish
