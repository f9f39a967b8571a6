#!/usr/bin/env bash
# fleet.sh: one project checked against many databases at once (issue 17 item 6):
#   - `check --db A --db B ...` and `--db-list FILE` (URLs, key=value strings, service
#     names, a snapshot; comments and blank lines skipped) print one line a database in
#     the order given, then a summary; the exit status is the worst;
#   - each line agrees with `check` run on that database alone (the same hash, the same
#     counts): a differential test over tenants that differ;
#   - a database that cannot be read is reported and the others are still checked;
#   - --fail-on and the config's fail_on apply to each; several --db elsewhere is a
#     usage error.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo sm_fleet_a "CREATE TYPE plan AS ENUM ('free', 'pro'); CREATE TABLE tenant (id integer PRIMARY KEY, plan plan NOT NULL)"
A=$DB
run sm update
expect_rc 0 "update from tenant a"
git add -A && git commit -qm sync
base="${A% dbname=*}"
# b: in sync; c: a new table (low); d: an enum value gone (critical); e: a column more
mk() { local name=$1; shift; DB=$(pg_new_db "$name") || fail "cannot create $name"; dr_sql "$@"; echo "$DB"; }
B=$(mk sm_fleet_b "CREATE TYPE plan AS ENUM ('free', 'pro'); CREATE TABLE tenant (id integer PRIMARY KEY, plan plan NOT NULL)")
C=$(mk sm_fleet_c "CREATE TYPE plan AS ENUM ('free', 'pro'); CREATE TABLE tenant (id integer PRIMARY KEY, plan plan NOT NULL); CREATE TABLE audit (at timestamptz)")
D=$(mk sm_fleet_d "CREATE TYPE plan AS ENUM ('free'); CREATE TABLE tenant (id integer PRIMARY KEY, plan plan NOT NULL)")
E=$(mk sm_fleet_e "CREATE TYPE plan AS ENUM ('free', 'pro'); CREATE TABLE tenant (id integer PRIMARY KEY, plan plan NOT NULL, note text)")
GONE="$base dbname=sm_fleet_never_created"
"$SCHEMERGE" --db "$E" snapshot -o "$T/e.json" || fail "snapshot of e"

# ---- --db several times: order, lines, summary, worst status
run "$SCHEMERGE" check --db "$A" --db "$B" --db "$C" --db "$GONE" --db "$D" --db "$T/e.json"
expect_rc 2 "a fleet with a database that cannot be read"
assert_eq "$(sed -n '1,6p' "$T/out" | sed 's/: .*//' | tr '\n' '|')" \
    "$A|$B|$C|$GONE|$D|$T/e.json|" "the databases, in the order given"
sed -n 4p "$T/out" | grep -qF 'error: cannot connect to the database' || fail "the unreadable database's line: $(sed -n 4p "$T/out")"
sed -n 4p "$T/out" | grep -qF 'database "sm_fleet_never_created" does not exist' || fail "the error says why"
assert_contains "$T/out" "6 databases: 2 with nothing at or above low, 3 with drift, 1 failed"

# ---- each line is what check says of that database alone
for db in "$A" "$B" "$C" "$D" "$T/e.json"; do
    run "$SCHEMERGE" --db "$db" check
    alone=$(head -1 "$T/out")
    single_rc=$RC
    run "$SCHEMERGE" check --db "$db" --db "$B"
    fleet=$(head -1 "$T/out" | sed 's/^[^:]*: //')
    [ "$db" = "$T/e.json" ] && fleet=$(head -1 "$T/out" | sed "s|^$T/e.json: ||")
    case "$alone" in
        "in sync"*) assert_eq "$fleet" "$alone" "the fleet's line for $db" ;;
        *) assert_eq "$fleet" "$alone" "the fleet's counts for $db" ;;
    esac
    [ "$single_rc" = 0 ] || [ "$RC" = "$single_rc" ] || fail "fleet exit $RC, alone $single_rc for $db"
done

# ---- --db-list: a URL, key=value, a service name, a snapshot, comments, blank lines
sockdir=$(echo "$A" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
port=$(echo "$A" | sed -n 's/.*port=\([^ ]*\).*/\1/p')
cat >"$T/pg_service.conf" <<EOF2
[tenant_b]
host=$sockdir
port=$port
user=postgres
dbname=sm_fleet_b
EOF2
export PGSERVICEFILE="$T/pg_service.conf"
enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$sockdir")
cat >"$T/dbs.txt" <<EOF2
# tenants
postgresql://postgres@/sm_fleet_a?host=$enc&port=$port

  tenant_b
$C
   # staging
$T/e.json
EOF2
run "$SCHEMERGE" check --db-list "$T/dbs.txt"
expect_rc 1 "--db-list with drift and no failure"
assert_eq "$(grep -c ': ' "$T/out")" 5 "lines of the --db-list run (4 databases and the summary)"
sed -n 2p "$T/out" | grep -q '^service=tenant_b: in sync' || fail "the service name's line: $(sed -n 2p "$T/out")"
sed -n 1p "$T/out" | grep -q 'sm_fleet_a.*: in sync' || fail "the URL's line: $(sed -n 1p "$T/out")"
assert_contains "$T/out" "4 databases: 2 with nothing at or above low, 2 with drift, 0 failed"

# ---- fail-on: d lost an enum value (high), c and e gained a table and a column (low)
run "$SCHEMERGE" check --fail-on critical --db "$B" --db "$C" --db "$D" --db "$E"
expect_rc 0 "nothing critical"
assert_contains "$T/out" "4 databases: 4 with nothing at or above critical, 0 with drift, 0 failed"
run "$SCHEMERGE" check --fail-on high --db "$B" --db "$C" --db "$D"
expect_rc 1 "d's drift is high"
assert_contains "$T/out" "3 databases: 2 with nothing at or above high, 1 with drift, 0 failed"
printf '{"fail_on": "critical"}\n' >.schemerge.json
run "$SCHEMERGE" check --db "$B" --db "$C"
expect_rc 0 "the config's fail_on"
rm .schemerge.json

# ---- usage
run "$SCHEMERGE" diff --db "$A" --db "$B"
expect_rc 2 "diff with two databases"
assert_contains "$T/err" "only check reads several databases"
printf '# nothing\n\n' >"$T/empty.txt"
run "$SCHEMERGE" check --db-list "$T/empty.txt"
expect_rc 2 "an empty --db-list"
assert_contains "$T/err" "names no database"
run "$SCHEMERGE" check --db-list "$T/missing.txt"
expect_rc 2 "a missing --db-list"
assert_eq "$(wc -l <"$T/err")" 1 "lines of the missing list's error"
finish
