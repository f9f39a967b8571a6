#!/usr/bin/env bash
# pooler.sh: schemerge through PgBouncer in transaction mode (issue 17 item 2). A real
# pgbouncer (Debian's) in front of the tests' server, with a pool of one server
# connection and then of three: every read is one transaction (no session state, no
# named prepared statement), and the extra connections that share the leader's snapshot
# give way when the pooler cannot give them a server of their own. Through it: `diff
# --json` gives the same DB hash as direct, `snapshot`, `check`, `update` and the UI work.
. "$TESTLIB"
need git psql python3 tmux
need_db
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$PGBOUNCER" ] || skip "pgbouncer is not installed (apt-get install pgbouncer)"
. "$(dirname "$TESTLIB")/tmux.sh"

DB=$(pg_new_db sm_pooler "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
server_host=$(echo "$SCHEMERGE_TEST_DB" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
server_port=$(echo "$SCHEMERGE_TEST_DB" | sed -n 's/.*port=\([^ ]*\).*/\1/p')

# pgbouncer will not run as root: its files belong to the postgres user when we are root
B=$(mktemp -d /tmp/sm-pgbouncer.XXXXXX)
as_pooler() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
BPID=
# stop it by its pid file: $BPID is runuser's, which does not pass the signal on
stop_pooler() {
    local pid
    pid=$(cat "$B/pgbouncer.pid" 2>/dev/null)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$BPID" 2>/dev/null || break; sleep 0.1; done
    rm -f "$B/pgbouncer.pid"
    BPID=
}
trap 'stop_pooler; rm -rf "$B"; tm_cleanup' EXIT

# start_pooler POOL_SIZE: pgbouncer in transaction mode on a unix socket in $B
start_pooler() {
    stop_pooler
    BPORT=$((6400 + RANDOM % 500))
    echo '"postgres" ""' >"$B/users.txt" # trust: the user must still be listed
    cat >"$B/pgbouncer.ini" <<INI
[databases]
* = host=$server_host port=$server_port user=postgres
[pgbouncer]
listen_addr =
unix_socket_dir = $B
listen_port = $BPORT
auth_type = trust
auth_file = $B/users.txt
pool_mode = transaction
default_pool_size = $1
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 50
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $B/pgbouncer.log
pidfile = $B/pgbouncer.pid
INI
    [ "$(id -u)" = 0 ] && chown -R postgres "$B"
    as_pooler "$PGBOUNCER" "$B/pgbouncer.ini" >"$B/out.log" 2>&1 &
    BPID=$!
    for _ in $(seq 100); do [ -S "$B/.s.PGSQL.$BPORT" ] && break; sleep 0.05; done
    [ -S "$B/.s.PGSQL.$BPORT" ] || { fail "pgbouncer did not start: $(cat "$B/out.log"; tail -5 "$B/pgbouncer.log" 2>/dev/null)"; finish; }
    POOLED="host=$B port=$BPORT user=postgres dbname=sm_pooler"
    # it is a pooler in transaction mode: two transactions may land on other servers
    psql -X -tA "$POOLED" -c "SELECT 1" >/dev/null || { fail "no connection through pgbouncer"; finish; }
}


R="$T/repo"
demo_repo "$R"
cd "$R" || finish
run "$SCHEMERGE" --db "$DB" diff --json -o "$T/direct.json"
expect_rc 0 "diff --json, direct"
direct=$(diff_json_hash "$T/direct.json")

for pool in 1 3; do
    start_pooler "$pool"
    run "$SCHEMERGE" --db "$POOLED" diff --json -o "$T/pooled.json"
    expect_rc 0 "diff --json through pgbouncer (pool of $pool)"
    assert_eq "$(diff_json_hash "$T/pooled.json")" "$direct" "the DB hash through pgbouncer (pool of $pool)"
    run "$SCHEMERGE" --db "$POOLED" snapshot -o "$T/pooled-snap.json"
    expect_rc 0 "snapshot through pgbouncer (pool of $pool)"
    run "$SCHEMERGE" --db "$T/pooled-snap.json" diff --json -o "$T/snap.json"
    assert_eq "$(diff_json_hash "$T/snap.json")" "$direct" "the DB hash of the snapshot taken through pgbouncer"
    run "$SCHEMERGE" --db "$POOLED" check
    expect_rc 1 "check through pgbouncer (pool of $pool): the demo files lag"
    assert_not_contains "$T/err" "prepared statement"
    assert_not_contains "$T/err" "snapshot"
done

# the UI through the pooler, then update and a check in sync
ui_start 100 30 "$R" -- --db "$POOLED"
wait_for "0 accepted" 15
wait_for "Add enum DocumentKind" 5
keys q
ui_wait_exit 10
assert_eq "$UI_RC" 0 "the UI's exit status through pgbouncer"
run "$SCHEMERGE" --db "$POOLED" update --prune
expect_rc 0 "update through pgbouncer"
run "$SCHEMERGE" --db "$POOLED" check
expect_rc 0 "check through pgbouncer after the update"
# the pooler served every one of them: its log names our connections
grep -q "login attempt: db=sm_pooler user=postgres" "$B/pgbouncer.log" ||
    fail "pgbouncer's log shows no login to sm_pooler: $(tail -5 "$B/pgbouncer.log")"
finish
