#!/usr/bin/env bash
# db_faults.sh: database faults. Each: exit 2, exactly one line "schemerge: ..." on
# stderr, nothing on stdout, no hang beyond the configured timeout.
# - the server stopped (pg_ctl stop -m immediate) while a large catalog is being read
# - a server that accepts connections and never answers (connect_timeout=2)
# - a statement timeout (statement_timeout_ms: 1 on a 1500-table schema)
# - SSL required but not available (sslmode=require on a server without SSL)
# - a role without USAGE on a schema (the catalog still describes it: see below)
# - proof that schemerge never writes: a role with only CONNECT and USAGE, a database with
#   default_transaction_read_only=on, and log_statement=all showing that the statements of
#   application_name=schemerge are only BEGIN ... READ ONLY, SET TRANSACTION SNAPSHOT,
#   SET LOCAL, SELECT, ROLLBACK.
# Server down at start and authentication failures: tests/cli/connect_errors.sh.
# A private server (unix socket only, its own directory) is started here, because this
# test stops it.
. "$TESTLIB"
need_db
need psql python3
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$SRCDIR/tests/lib/pg.sh"
S=$SCHEMERGE
NTABLES=${NTABLES:-1500}

# one line on stderr, exit 2, nothing on stdout
expect_one_line() {
    [ "$RC" = 2 ] || fail "$1: exit $RC, expected 2; stderr: $(head -c 500 "$T/err")"
    [ "$(wc -l < "$T/err")" = 1 ] && grep -q '^schemerge: ' "$T/err" ||
        fail "$1: stderr is not one 'schemerge: ' line: $(head -c 600 "$T/err")"
    [ -s "$T/out" ] && fail "$1: stdout is not empty"
    grep -qiE 'sanitizer|runtime error' "$T/err" && fail "$1: sanitizer report"
}

PG_BIN=$(pg_bindir) || skip "PostgreSQL server binaries not found"
P=$T/pg
priv_start() { # extra server options...
    pg_as "$PG_BIN/pg_ctl" -D "$P/data" -l "$P/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $P/sock -p 5433 -c fsync=off -c log_statement=all -c log_line_prefix='%a|' $*" \
        start >/dev/null || { cat "$P/server.log" >&2; return 1; }
}
priv_stop() { pg_as "$PG_BIN/pg_ctl" -D "$P/data" -m immediate -w stop >/dev/null 2>&1; }
mkdir -p "$P/sock" && chmod 755 "$T"
[ "$(id -u)" = 0 ] && chown -R postgres "$P"
pg_as "$PG_BIN/initdb" -D "$P/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$T/initdb.log" 2>&1 ||
    { cat "$T/initdb.log"; fail "initdb"; finish; }
priv_start || { fail "cannot start the private server"; finish; }
trap 'priv_stop; t_cleanup' EXIT
DB="host=$P/sock port=5433 user=postgres dbname=big"
psql -X -q "host=$P/sock port=5433 user=postgres dbname=postgres" -c "CREATE DATABASE big" >/dev/null
python3 "$SRCDIR/bench/gen_schema.py" "$NTABLES" | psql -X -q -v ON_ERROR_STOP=1 "$DB" >/dev/null ||
    { fail "cannot create the $NTABLES-table schema"; finish; }

# the full read works, and how long it takes
t0=$(date +%s%N)
run "$S" --db "$DB" snapshot -o "$T/big.json"
expect_rc 0 "snapshot of the $NTABLES-table schema"
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "db_faults: a full read of $NTABLES tables takes $full_ms ms"

# ---- a server that accepts the connection and never answers: connect_timeout bounds it
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' > "$T/silent.port" &
silent=$!
for _ in $(seq 50); do [ -s "$T/silent.port" ] && break; sleep 0.1; done
t0=$(date +%s)
run timeout 30 "$S" --db "host=127.0.0.1 port=$(cat "$T/silent.port") user=u dbname=d connect_timeout=2" check
waited=$(( $(date +%s) - t0 ))
kill "$silent" 2>/dev/null
expect_one_line "a server that never answers"
assert_contains "$T/err" "no answer within 2 s"
[ "$waited" -le 5 ] || fail "a server that never answers: gave up after ${waited}s, connect_timeout=2"

# ---- a statement timeout of 1 ms
mkdir -p "$T/repo" && git -C "$T/repo" init -q
echo '{"statement_timeout_ms": 1}' > "$T/repo/.schemerge.json"
run timeout 20 "$S" -C "$T/repo" --db "$DB" check
expect_one_line "statement timeout"
assert_contains "$T/err" "statement_timeout_ms"

# ---- the server stopped in the middle of reading the catalog, after a few delays
mid=0
for delay in 0.005 0.02 0.05 0.1 0.2 0.4; do
    timeout 30 "$S" --db "$DB" snapshot -o "$T/x.json" >"$T/out" 2>"$T/err" &
    pid=$!
    sleep "$delay"
    priv_stop
    t0=$(date +%s)
    wait "$pid"; RC=$?
    waited=$(( $(date +%s) - t0 ))
    [ "$waited" -le 15 ] || fail "stopped after ${delay}s: schemerge took ${waited}s more to give up"
    [ "$RC" = 124 ] && fail "stopped after ${delay}s: schemerge hung"
    if [ "$RC" = 0 ]; then
        echo "db_faults: stop after ${delay}s: the read had already finished"
    else
        expect_one_line "server stopped after ${delay}s"
        grep -q 'cannot connect' "$T/err" || mid=$((mid + 1))
        echo "db_faults: stop after ${delay}s: $(cat "$T/err")"
    fi
    priv_start || { fail "cannot restart the private server"; finish; }
done
[ "$mid" -ge 1 ] || fail "no stop landed in the middle of the catalog read (full read: $full_ms ms)"

# ---- SSL required but not available: this server has ssl=off. libpq never uses SSL on a
# unix socket (sslmode is ignored there), so the server listens on 127.0.0.1 for this.
tcp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
priv_stop
pg_as "$PG_BIN/pg_ctl" -D "$P/data" -l "$P/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $tcp -k $P/sock -c ssl=off" start >/dev/null || fail "tcp server"
run timeout 20 "$S" --db "host=127.0.0.1 port=$tcp user=postgres dbname=big sslmode=require" check
expect_one_line "sslmode=require against a server without SSL"
assert_contains "$T/err" "SSL"
run timeout 20 "$S" --db "postgresql://postgres@127.0.0.1:$tcp/big?sslmode=verify-full" check
expect_one_line "sslmode=verify-full against a server without SSL"
# sslmode=prefer falls back to a plain connection: that works
run timeout 20 "$S" --db "host=127.0.0.1 port=$tcp user=postgres dbname=big sslmode=prefer" snapshot -o "$T/p.json"
expect_rc 0 "sslmode=prefer"
priv_stop
priv_start || { fail "cannot restart the private server"; finish; }

# ---- never writes: a role with only CONNECT and USAGE, a read-only database
psql -X -q -v ON_ERROR_STOP=1 "host=$P/sock port=5433 user=postgres dbname=postgres" >/dev/null <<'SQL' || fail "setup of the reader role"
CREATE ROLE sm_reader LOGIN;
CREATE DATABASE ro;
REVOKE ALL ON DATABASE ro FROM PUBLIC;
GRANT CONNECT ON DATABASE ro TO sm_reader;
SQL
psql -X -q -v ON_ERROR_STOP=1 "host=$P/sock port=5433 user=postgres dbname=ro" >/dev/null <<'SQL' || fail "setup of the ro database"
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sm_reader;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE account (id bigint PRIMARY KEY, name text NOT NULL, m mood);
CREATE SCHEMA hidden;
CREATE TABLE hidden.secret_table (id int);
ALTER DATABASE ro SET default_transaction_read_only = on;
SQL
RO="host=$P/sock port=5433 user=sm_reader dbname=ro"
before=$(psql -X -At "host=$P/sock port=5433 user=postgres dbname=postgres" \
    -c "SELECT xact_commit || ' ' || tup_inserted || ' ' || tup_updated || ' ' || tup_deleted FROM pg_stat_database WHERE datname = 'ro'")
: > "$P/server.log.mark"
logstart=$(wc -c < "$P/server.log")
mkdir -p "$T/ro/schemas/database" && git -C "$T/ro" init -q
for cmd in "check" "diff --json" "snapshot -o $T/ro.json" "update" "report -o $T/r.md"; do
    # shellcheck disable=SC2086
    run "$S" -C "$T/ro" --db "$RO" $cmd
    case "$RC" in 0|1) ;; *) fail "as a CONNECT+USAGE role, $cmd exited $RC: $(head -c 300 "$T/err")" ;; esac
done
assert_contains "$T/ro/schemas/database/entities.py" "class AccountRow"
sleep 1 # let the statistics collector and the log catch up
tail -c +"$((logstart + 1))" "$P/server.log" | grep '^schemerge|' > "$T/statements"
[ -s "$T/statements" ] || fail "no statement of application_name=schemerge in the server log"
grep -cE 'LOG:  *(statement|execute)' "$T/statements" | { read -r n; echo "db_faults: $n statements logged from schemerge, all read-only"; }
# every statement is one of these (a statement's first line is on the "LOG:" line)
sed -n 's/^schemerge|LOG:  *\(statement\|execute [^:]*\): *//p' "$T/statements" > "$T/stmts"
# (a transaction's first statements travel as one string: BEGIN ...; SET ...; SELECT ...)
stmt='(BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY|SET TRANSACTION SNAPSHOT '"'"'[0-9A-F-]+'"'"'|SET LOCAL [a-z_]+ = [^;]*|SELECT pg_catalog\.pg_export_snapshot\(\)|ROLLBACK)'
grep -vxE "($stmt(; $stmt)*|SELECT .*|WITH .*)" "$T/stmts" > "$T/writes"
[ -s "$T/writes" ] && fail "schemerge sent statements that are not reads: $(head -5 "$T/writes")"
grep -q '^BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' "$T/stmts" || fail "no READ ONLY transaction in the log"
after=$(psql -X -At "host=$P/sock port=5433 user=postgres dbname=postgres" \
    -c "SELECT xact_commit || ' ' || tup_inserted || ' ' || tup_updated || ' ' || tup_deleted FROM pg_stat_database WHERE datname = 'ro'")
set -- $before; b_ins=$2 b_upd=$3 b_del=$4
set -- $after
[ "$2 $3 $4" = "$b_ins $b_upd $b_del" ] || fail "rows were written in database ro: before [$before], after [$after]"

# ---- a schema the role has no USAGE on. PostgreSQL's catalog describes every schema to
# every role, so schemerge reads its definitions (it never touches the data); the point is
# that it does so without an error and without writing.
run "$S" --db "$RO" --schema hidden snapshot -o "$T/hidden.json"
case "$RC" in
0) assert_contains "$T/hidden.json" '"secret_table"' ;;
2) expect_one_line "a schema without USAGE" ;;
*) fail "a schema without USAGE: exit $RC: $(head -c 300 "$T/err")" ;;
esac
echo "db_faults: a schema without USAGE: exit $RC"
finish
