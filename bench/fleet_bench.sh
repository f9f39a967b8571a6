#!/usr/bin/env bash
# bench/fleet_bench.sh [DBS] [TABLES]: one project checked against DBS databases of TABLES
# tables each (defaults 50 and 50, from bench/gen_schema.py; every other database has a
# table more, so half drift): wall time of one `schemerge check --db-list` against the
# same checks run one after another (`schemerge --db X check`, DBS times), median of RUNS
# rounds (default 5), both in each round. Uses $SCHEMERGE_TEST_DB when set, else starts a
# throwaway PostgreSQL (tests/lib/pg.sh). Not a test: it prints a Markdown row for
# bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
DBS=${1:-50}
TABLES=${2:-50}
RUNS=${RUNS:-5}
[ -x ./schemerge ] || make -j"$(nproc)" >/dev/null
BIN=$(pwd)/schemerge
if [ -z "${SCHEMERGE_TEST_DB:-}" ]; then
    . tests/lib/pg.sh
    PG_PORT=${PG_PORT:-55436}
    pg_start
    trap pg_stop EXIT
fi
W=$(mktemp -d /tmp/sm-fleetbench.XXXXXX)
trap 'rm -rf "$W"; [ -n "${PG_TMP:-}" ] && command -v pg_stop >/dev/null && pg_stop; true' EXIT
python3 bench/gen_schema.py "$TABLES" >"$W/schema.sql"
: >"$W/dbs.txt"
for i in $(seq 1 "$DBS"); do
    db="bench_fleet_${TABLES}_$i"
    if ! psql -X -qtA "$SCHEMERGE_TEST_DB dbname=$db" -c "SELECT 1" >/dev/null 2>&1; then
        psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "CREATE DATABASE $db"
        psql -X -q -v ON_ERROR_STOP=1 "$SCHEMERGE_TEST_DB dbname=$db" -f "$W/schema.sql" >/dev/null
        [ $((i % 2)) = 0 ] && psql -X -q "$SCHEMERGE_TEST_DB dbname=$db" -c "CREATE TABLE tenant_extra (id integer)"
    fi
    echo "$SCHEMERGE_TEST_DB dbname=$db" >>"$W/dbs.txt"
done
mkdir -p "$W/repo/schemas/database"
git init -q "$W/repo"
cd "$W/repo"
"$BIN" --db "$(head -1 "$W/dbs.txt")" update >/dev/null
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: >"$W/fleet.ms"
: >"$W/seq.ms"
for _ in $(seq "$RUNS"); do
    t=$(date +%s%N)
    "$BIN" check --db-list "$W/dbs.txt" >"$W/fleet.out" 2>&1 || true
    ms "$t" >>"$W/fleet.ms"
    t=$(date +%s%N)
    while read -r db; do "$BIN" --db "$db" check >/dev/null 2>&1 || true; done <"$W/dbs.txt"
    ms "$t" >>"$W/seq.ms"
done
tail -1 "$W/fleet.out" | grep -q "^$DBS databases: " || { echo "fleet_bench: the fleet check did not finish: $(tail -3 "$W/fleet.out")" >&2; exit 1; }
f=$(median <"$W/fleet.ms") s=$(median <"$W/seq.ms")
echo "| databases | tables each | check --db-list (ms) | $DBS sequential checks (ms) | ratio |"
echo "|---:|---:|---:|---:|---:|"
echo "| $DBS | $TABLES | $f | $s | $(awk -v f="$f" -v s="$s" 'BEGIN { printf "%.2f", f / s }') |"
echo "(medians of $RUNS rounds; $(tail -1 "$W/fleet.out"))"
