#!/usr/bin/env bash
# bench/mem_bench.sh [N]: peak memory (maximum resident set size, /usr/bin/time's %M) and
# wall time of schemerge at N tables (default 5000, bench/gen_schema.py), each the median
# of RUNS runs (default 5), against psql running the same catalog queries
# (bench/out/catalog_queries.sql, rows thrown away) once before each of those runs, so that
# each row has its own floor measured beside it. Measured:
#   check (new project: empty files, no last-sync state), update, check in sync,
#   check after a migration (a table added since the last sync: the last-sync snapshot is
#   read), the same with the files not judged before (no .schemerge/verdicts), diff --json
#   after it, snapshot, and the UI (started in tmux on the synced project, quit with q once
#   the drift is on screen).
# Uses $SCHEMERGE_TEST_DB when set, else starts a throwaway PostgreSQL. Not a test: it
# prints a Markdown table for bench/RESULTS.md (issue 17 item 5).
set -eu
cd "$(dirname "$0")/.."
N=${1:-5000}
RUNS=${RUNS:-5}
OUT=bench/out
mkdir -p "$OUT"
[ -x ./schemerge ] || make -j"$(nproc)" >/dev/null
BIN=$(pwd)/schemerge
cc -I. -Isrc $(pkg-config --cflags libpq libcjson) bench/print_queries.c src/libschemerge.a \
    $(pkg-config --libs libgit2 libpq libcjson libutf8proc libcrypto) -lpthread -o "$OUT/print_queries"
"$OUT/print_queries" public > "$OUT/catalog_queries.sql"
if [ -z "${SCHEMERGE_TEST_DB:-}" ]; then
    . tests/lib/pg.sh
    PG_PORT=${PG_PORT:-55437}
    pg_start
    trap pg_stop EXIT
fi
db="$SCHEMERGE_TEST_DB dbname=bench_mem_$N"
if ! psql -X -qtA "$db" -c "SELECT 1" >/dev/null 2>&1; then
    psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "CREATE DATABASE bench_mem_$N"
    python3 bench/gen_schema.py "$N" | psql -X -q -v ON_ERROR_STOP=1 "$db" >/dev/null
    psql -X -q "$db" -c "VACUUM ANALYZE" >/dev/null
fi
psql -X -q "$db" -c "DROP TABLE IF EXISTS zz_migration" >/dev/null
W=$(mktemp -d /tmp/sm-membench.XXXXXX)
trap 'tmux -L sm-membench-$$ kill-server >/dev/null 2>&1; rm -rf "$W"; [ -n "${PG_TMP:-}" ] && command -v pg_stop >/dev/null && pg_stop; true' EXIT
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
FLOOR=(psql -X -q "$db" -f "$(pwd)/$OUT/catalog_queries.sql" -o /dev/null)
# floor_run: one run of the floor, its wall time appended to $W/floor_ms (and its peak RSS
# to $W/floor_kib). Every command's runs alternate with the floor's, so that each row's
# ratio is to a floor measured beside it: this machine's load moves within a minute.
floor_run() {
    /usr/bin/time -f "%M %e" -o "$W/ft" "${FLOOR[@]}" >/dev/null 2>&1 || true
    read -r kib secs < <(tail -1 "$W/ft")
    echo "$kib" >>"$W/floor_kib"
    awk -v s="$secs" 'BEGIN { printf "%d\n", s * 1000 }' >>"$W/floor_ms"
}
# measure LABEL DIR CMD...: RUNS runs in DIR, each after a run of the floor; appends
# "LABEL KiB ms floor-ms" medians to $W/rows
measure() {
    local label=$1 dir=$2
    shift 2
    : >"$W/kib"; : >"$W/ms"; : >"$W/floor_ms"
    for _ in $(seq "$RUNS"); do
        floor_run
        (cd "$dir" && /usr/bin/time -f "%M %e" -o "$W/t" "$@" >/dev/null 2>&1) || true
        read -r kib secs < <(tail -1 "$W/t")
        echo "$kib" >>"$W/kib"
        awk -v s="$secs" 'BEGIN { printf "%d\n", s * 1000 }' >>"$W/ms"
    done
    echo "$label|$(median <"$W/kib")|$(median <"$W/ms")|$(median <"$W/floor_ms")" >>"$W/rows"
}
fresh() { rm -rf "$W/new" && mkdir -p "$W/new/schemas/database" && git init -q "$W/new"; }
: >"$W/rows"; : >"$W/floor_kib"
fresh
measure "check, new project" "$W/new" "$BIN" --db "$db" check
rm -rf "$W/sync" && mkdir -p "$W/sync/schemas/database" && git init -q "$W/sync"
: >"$W/floor_ms"
floor_run
(cd "$W/sync" && /usr/bin/time -f "%M %e" -o "$W/t" "$BIN" --db "$db" update >/dev/null 2>&1)
read -r kib secs < <(tail -1 "$W/t")
echo "update, new project|$kib|$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')|$(median <"$W/floor_ms")" >>"$W/rows"
measure "check, in sync" "$W/sync" "$BIN" --db "$db" check
measure "snapshot" "$W/sync" "$BIN" --db "$db" snapshot -o "$W/snap.json"
psql -X -q "$db" -c "CREATE TABLE zz_migration (id integer)" >/dev/null
measure "check, after a migration" "$W/sync" "$BIN" --db "$db" check
# the same with the files' texts not judged before (.schemerge/verdicts gone: a file
# edited since, or a fresh state), so CPython's verdict is asked for every file
measure "check, after a migration, files not judged before" "$W/sync" \
    sh -c 'rm -f .schemerge/verdicts && exec "$0" --db "$1" check' "$BIN" "$db"
measure "diff --json, after a migration" "$W/sync" "$BIN" --db "$db" diff --json
# the UI: started on the synced project after the migration, q once the drift is drawn
: >"$W/kib"; : >"$W/ms"; : >"$W/floor_ms"
for r in $(seq "$RUNS"); do
    floor_run
    rm -f "$W/trace" "$W/t"
    t0=$(date +%s%N)
    tmux -L "sm-membench-$$" -f /dev/null new-session -d -s "m$r" -x 120 -y 40 \
        "cd $W/sync && env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color SCHEMERGE_UI_TRACE=$W/trace /usr/bin/time -f '%M %e' -o $W/t $BIN --db '$db'; sleep 30"
    for _ in $(seq 600); do grep -q " ready" "$W/trace" 2>/dev/null && break; sleep 0.05; done
    t1=$(date +%s%N)
    tmux -L "sm-membench-$$" send-keys -t "m$r" q
    sleep 0.3
    tmux -L "sm-membench-$$" send-keys -t "m$r" y 2>/dev/null || true
    for _ in $(seq 200); do [ -s "$W/t" ] && break; sleep 0.05; done
    tmux -L "sm-membench-$$" kill-session -t "m$r" 2>/dev/null || true
    [ -s "$W/t" ] || { echo "mem_bench: the UI did not exit" >&2; continue; }
    read -r kib secs < <(tail -1 "$W/t")
    echo "$kib" >>"$W/kib"
    echo $(( (t1 - t0) / 1000000 )) >>"$W/ms"
done
[ -s "$W/kib" ] && echo "UI, to the drift on screen|$(median <"$W/kib")|$(median <"$W/ms")|$(median <"$W/floor_ms")" >>"$W/rows"
psql -X -q "$db" -c "DROP TABLE IF EXISTS zz_migration" >/dev/null
pk=$(median <"$W/floor_kib")
echo "| command ($N tables) | peak RSS (MiB) | / psql's | wall (ms) | psql floor beside it (ms) | / floor |"
echo "|---|---:|---:|---:|---:|---:|"
awk -v k="$pk" 'BEGIN { printf "| psql (the floor) | %.1f | 1.00 | | | |\n", k / 1024 }'
while IFS='|' read -r label kib ms fms; do
    awk -v l="$label" -v k="$kib" -v m="$ms" -v pk="$pk" -v pm="$fms" \
        'BEGIN { printf "| %s | %.1f | %.2f | %d | %d | %.2f |\n", l, k / 1024, k / pk, m, pm, m / pm }'
done <"$W/rows"
echo "(medians of $RUNS runs, each after a run of the floor; update once)"
