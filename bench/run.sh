#!/usr/bin/env bash
# bench/run.sh [N...]: time `schemerge snapshot` against the floor, psql running the
# same catalog queries (bench/out/catalog_queries.sql, generated from src/catalog.c by
# bench/print_queries.c) with its output thrown away. For each size N (default 50 500
# 5000 tables, from bench/gen_schema.py) it loads a fresh database into a throwaway
# PostgreSQL (tests/lib/pg.sh), then runs each side RUNS times (default 7) and reports
# the median wall time and the peak RSS (/usr/bin/time -f %M). Not a test: it prints a
# Markdown table for bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
SIZES=${*:-50 500 5000}
OUT=bench/out
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -x ./schemerge ] || make -j"$(nproc)" >/dev/null

# the floor's queries come from the C strings themselves
cc -I. -Isrc $(pkg-config --cflags libpq libcjson) bench/print_queries.c src/libschemerge.a \
    $(pkg-config --libs libgit2 libpq libcjson libutf8proc libcrypto) -lpthread -o "$OUT/print_queries"
"$OUT/print_queries" public > "$OUT/catalog_queries.sql"

. tests/lib/pg.sh
PG_PORT=${PG_PORT:-55439}
pg_start
trap pg_stop EXIT

now_ns() { date +%s%N; }
# measure LABEL CMD...: RUNS runs; appends "ms rss_kb" lines to $OUT/LABEL.txt
measure() {
    local label=$1; shift
    : > "$OUT/$label.txt"
    "$@" >/dev/null 2>&1 # warm-up: caches, catalog pages
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(now_ns)
        /usr/bin/time -f %M -o "$OUT/rss" "$@" >/dev/null
        t1=$(now_ns)
        echo "$(( (t1 - t0) / 1000 )) $(cat "$OUT/rss")" >> "$OUT/$label.txt"
    done
}
median() { # FILE COLUMN
    awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

echo "| tables | columns | schemerge snapshot (median ms) | psql floor (median ms) | ratio | schemerge peak RSS (MB) | psql peak RSS (MB) | snapshot size (MB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    db="$SCHEMERGE_TEST_DB dbname=bench_$n"
    psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "CREATE DATABASE bench_$n"
    python3 bench/gen_schema.py "$n" | psql -X -q -v ON_ERROR_STOP=1 "$db" >/dev/null
    psql -X -q "$db" -c "VACUUM ANALYZE" >/dev/null
    cols=$(psql -X -qtA "$db" -c "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0")
    measure "schemerge_$n" ./schemerge --db "$db" snapshot -o /dev/null
    measure "psql_$n" psql -X -q "$db" -f "$OUT/catalog_queries.sql" -o /dev/null
    ./schemerge --db "$db" snapshot -o "$OUT/snapshot_$n.json"
    s=$(median "$OUT/schemerge_$n.txt" 1); p=$(median "$OUT/psql_$n.txt" 1)
    sr=$(median "$OUT/schemerge_$n.txt" 2); pr=$(median "$OUT/psql_$n.txt" 2)
    size=$(stat -c %s "$OUT/snapshot_$n.json")
    awk -v n="$n" -v cols="$cols" -v s="$s" -v p="$p" -v sr="$sr" -v pr="$pr" -v size="$size" 'BEGIN {
        printf "| %d | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f |\n", n, cols, s/1000, p/1000, s/p, sr/1024, pr/1024, size/1048576 }'
done
