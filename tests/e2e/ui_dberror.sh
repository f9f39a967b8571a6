#!/usr/bin/env bash
# ui_dberror.sh: the database error panel. Three ways a database fails the UI, each on
# a real server or socket of the test's own:
#   1. the server is down: one clear error with "r retries"; r while it is still down
#      shows the error again; after the server is started, r loads the drift;
#   2. a server that accepts the TCP connection and never answers (a python3 listener
#      that stays silent): connect_timeout ends the wait, the UI shows the error and
#      never hangs (the default timeout of 10 s, and one given in the conninfo); q
#      during that wait quits at once;
#   3. a server that answers the connection but not the catalog query (a lock held on
#      pg_description): statement_timeout_ms from the config ends it, with its hint.
. "$TESTLIB"
need git psql python3
. "$SRCDIR/tests/lib/pg.sh"
pg_bindir >/dev/null || skip "the PostgreSQL server binaries are not installed (apt-get install postgresql)"
. "$SRCDIR/tests/lib/tmux.sh"

LPID=
trap '[ -z "$LPID" ] || kill "$LPID" 2>/dev/null; pg_stop; tm_cleanup' EXIT

# a server of this test's own (its socket directory is private, so any port will do)
PG_PORT=$((56000 + RANDOM % 2000)) pg_start || { fail "cannot start a PostgreSQL server"; finish; }
pg_restart() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $PG_TMP/sock -p $PG_PORT -c fsync=off -c full_page_writes=off" \
        start >/dev/null
}
DB=$(pg_new_db sm_e2e_dberror "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"

# the error panel: its title, the cause, the retry key; once only
expect_one() {
    local n
    n=$(screen | grep -cF -- "$1")
    assert_eq "$n" 1 "lines with [$1] on the error screen"
}

# ---- 1. the server is down, then comes up
pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null || fail "cannot stop the server"
ui_start 100 30 "$R" -- --db "$DB"
wait_for "r retries, b opens the backups, q quits" 15
expect_one "cannot connect to the database"
expect_one "r retries, b opens the backups, q quits"
screen | grep -qF "Error" || fail "the panel has no title"
screen | sed -n 1p | grep -qF " error" || fail "the status bar does not say error: $(screen | sed -n 1p)"
# still down: r tries again and comes back to the same error, not to a hang
keys r
wait_for "r retries, b opens the backups, q quits" 15
expect_one "cannot connect to the database"
pg_restart || fail "cannot start the server again"
keys r
wait_for "20 changes" 15
wait_for "0 accepted"
screen | grep -qF "r retries" && fail "the error panel is still up after the retry"
# and the server goes away under a running UI: r reloads and shows the error again
pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null || fail "cannot stop the server"
keys r
wait_for "r retries, b opens the backups, q quits" 15
expect_one "cannot connect to the database"
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after q on the error panel"
pg_restart || fail "cannot start the server again"

# ---- 2. a listener that accepts and stays silent
python3 - "$T/port" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)  # never read, never answered, never closed
PY
LPID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port" 2>/dev/null) || { fail "the silent listener did not start"; finish; }

# connect_timeout given in the conninfo: 2 s
t0=$(_ms)
ui_start 100 30 "$R" -- --db "host=127.0.0.1 port=$PORT user=nobody dbname=silent sslmode=disable connect_timeout=2"
wait_for "Loading the database catalog" 5
# the UI answers keys while it waits: j (no action here) is ignored, the screen stays drawn
keys j
wait_for "Loading the database catalog" 1
wait_for "r retries, b opens the backups, q quits" 10
elapsed=$(( $(_ms) - t0 ))
[ "$elapsed" -ge 1500 ] || fail "the error came after $elapsed ms, before the 2 s timeout: not the timeout"
expect_one "cannot connect to the database"
screen | grep -qiE "timeout|timed out" || fail "the error does not say it timed out: $(screen | grep -F 'cannot connect')"
# r waits again and ends again
keys r
wait_for "Loading the database catalog" 5
wait_for "r retries, b opens the backups, q quits" 10
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after the timeout"

# no connect_timeout at all: schemerge's default (10 s) ends it
t0=$(_ms)
ui_start 100 30 "$R" -- --db "host=127.0.0.1 port=$PORT user=nobody dbname=silent sslmode=disable"
wait_for "Loading the database catalog" 5
# while it waits, ? opens the help (with the loading screen's keys) and q closes it
keys '?'
wait_for "While the catalog loads" 2
keys q
wait_for "Loading the database catalog" 2
wait_for "r retries, b opens the backups, q quits" 16
elapsed=$(( $(_ms) - t0 ))
[ "$elapsed" -ge 9000 ] || fail "the default timeout ended after $elapsed ms, expected about 10 s"
expect_one "cannot connect to the database"
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after the default timeout"

# q while the connection hangs quits at once (the worker is abandoned, not waited for)
ui_start 100 30 "$R" -- --db "host=127.0.0.1 port=$PORT user=nobody dbname=silent sslmode=disable"
wait_for "Loading the database catalog" 5
t0=$(_ms)
keys q
ui_wait_exit 3 && assert_eq "$UI_RC" 0 "exit status of q while loading"
elapsed=$(( $(_ms) - t0 ))
[ "$elapsed" -lt 2000 ] || fail "q while loading took $elapsed ms"

# the same with a local file that does not parse: its error is on screen while the
# catalog is still being read, and neither r nor q waits for that read
cp "$R/schemas/enums.py" "$T/enums.keep"
printf 'class Broken(str, Enum):\n    A = "a\n' >> "$R/schemas/enums.py"
ui_start 100 30 "$R" -- --db "host=127.0.0.1 port=$PORT user=nobody dbname=silent sslmode=disable"
wait_for "enums.py:" 5
t0=$(_ms)
keys r
sleep 0.3
keys q
ui_wait_exit 3 && assert_eq "$UI_RC" 0 "exit status of r, q with a broken file while loading"
elapsed=$(( $(_ms) - t0 ))
[ "$elapsed" -lt 2000 ] || fail "r then q with a broken file while loading took $elapsed ms (waited for the read)"
cp "$T/enums.keep" "$R/schemas/enums.py"
kill "$LPID" 2>/dev/null
LPID=

# ---- 3. the connection works, the catalog query does not come back: a session holds
# an exclusive lock on pg_description, which the catalog read joins
cat > "$R/.schemerge.json" <<'JSON'
{ "statement_timeout_ms": 500 }
JSON
psql -X -q "$DB" <<'SQL' >/dev/null 2>&1 &
BEGIN;
LOCK TABLE pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(30);
SQL
LPID=$!
for _ in $(seq 100); do
    [ "$(psql -X -qtA "$DB" -c "SELECT count(*) FROM pg_locks WHERE relation = 'pg_catalog.pg_description'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && break
    sleep 0.05
done
ui_start 100 30 "$R" -- --db "$DB"
wait_for "r retries, b opens the backups, q quits" 10
expect_one "cannot read the database catalog"
screen | grep -qF "raise statement_timeout_ms" || fail "the hint for a statement timeout is missing: $(screen | head -20)"
# the lock goes away: r loads
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null
LPID=
psql -X -q "$DB" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
keys r
wait_for "20 changes" 15
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
finish
