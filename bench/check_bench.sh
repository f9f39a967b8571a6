#!/usr/bin/env bash
# bench/check_bench.sh [N]: `schemerge check` end to end on an N-table database (default
# 5000, from bench/gen_schema.py) against local files that match it except for 1% drift:
# the files are generated with `schemerge update` from empty files, then 1% of the row
# classes are perturbed (a field retyped, a field dropped, a field added). Reports the
# median wall time and peak RSS (/usr/bin/time -f %M) of RUNS runs (default 7) next to the
# psql floor of bench/run.sh (the same catalog queries, rows thrown away). Then parsing a
# 50,000-line entities.py: `schemerge diff --db SNAPSHOT.json` against a file of that
# size, minus the same command against a tiny file (the cost of everything else).
# Not a test: prints Markdown lines for bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
N=${1:-5000}
OUT=$PWD/bench/out
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -x ./schemerge ] || make -j"$(nproc)" >/dev/null
SM=$PWD/schemerge

cc -I. -Isrc $(pkg-config --cflags libpq libcjson) bench/print_queries.c src/libschemerge.a \
    $(pkg-config --libs libgit2 libpq libcjson libutf8proc libcrypto) -lpthread -o "$OUT/print_queries"
"$OUT/print_queries" public > "$OUT/catalog_queries.sql"

. tests/lib/pg.sh
PG_PORT=${PG_PORT:-55436}
pg_start
W=$(mktemp -d /tmp/sm-check-bench.XXXXXX)
trap 'pg_stop; rm -rf "$W"' EXIT

now_ns() { date +%s%N; }
measure() { # LABEL CMD...: RUNS runs after a warm-up; "us rss_kb" lines in $OUT/LABEL.txt
    local label=$1; shift
    : > "$OUT/$label.txt"
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(now_ns)
        /usr/bin/time -f %M -o "$OUT/rss" "$@" >/dev/null 2>&1 || true
        t1=$(now_ns)
        echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$OUT/rss")" >> "$OUT/$label.txt"
    done
}
median() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

db="$SCHEMERGE_TEST_DB dbname=check_bench_$N"
psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "CREATE DATABASE check_bench_$N"
python3 bench/gen_schema.py "$N" | psql -X -q -v ON_ERROR_STOP=1 "$db" >/dev/null
psql -X -q "$db" -c "VACUUM ANALYZE" >/dev/null

# the local files: generated, then 1% of the row classes perturbed
git init -q "$W/repo"
mkdir -p "$W/repo/schemas/database"
(cd "$W/repo" && "$SM" --db "$db" update >/dev/null)
python3 - "$W/repo/schemas/database/entities.py" <<'PY'
import re, sys
p = sys.argv[1]
lines = open(p).read().split("\n")
out, cls, k = [], -1, 0
for l in lines:
    if l.startswith("class "):
        cls += 1
    if cls % 100 == 7 and l.startswith("    name: "):
        k += 1
        out.append(["    name: int", "    added_locally: str", None][k % 3] or l)
        if k % 3 == 2:
            continue
        if k % 3 == 1:
            out.append(l)
        continue
    out.append(l)
open(p, "w").write("\n".join(out))
PY
(cd "$W/repo" && "$SM" --db "$db" check >"$W/check.out" 2>&1) && { echo "bench: no drift after perturbing" >&2; exit 1; } || true
drift=$(head -1 "$W/check.out")
(cd "$W/repo" && "$SM" --db "$db" snapshot -o "$W/snap.json")

cd "$W/repo"
measure "check_$N" "$SM" --db "$db" check
measure "check_psql_$N" psql -X -q "$db" -f "$OUT/catalog_queries.sql" -o /dev/null
cd "$OLDPWD"
s=$(median "$OUT/check_$N.txt" 1); p=$(median "$OUT/check_psql_$N.txt" 1)
sr=$(median "$OUT/check_$N.txt" 2); pr=$(median "$OUT/check_psql_$N.txt" 2)
lines=$(cat "$W"/repo/schemas/enums.py "$W"/repo/schemas/database/*.py | wc -l)
echo "| tables | local lines | drift | schemerge check (median ms) | psql floor (median ms) | ratio | check peak RSS (MB) | psql peak RSS (MB) |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|"
awk -v n="$N" -v l="$lines" -v d="$drift" -v s="$s" -v p="$p" -v sr="$sr" -v pr="$pr" 'BEGIN {
    printf "| %d | %d | %s | %.1f | %.1f | %.2f | %.1f | %.1f |\n", n, l, d, s/1000, p/1000, s/p, sr/1024, pr/1024 }'

# ---- the first check after a migration: the database changed since the sync, so the
# last-sync snapshot (41 MB at 5,000 tables) is read to tell renames and which side moved
psql -X -q "$db" -c "ALTER TABLE table_1 ADD COLUMN added_by_migration text" >/dev/null
(cd "$W/repo" && "$SM" --db "$db" check >"$W/check2.out" 2>&1) || true
drift2=$(head -1 "$W/check2.out")
cd "$W/repo"
measure "check_changed_$N" "$SM" --db "$db" check
cd "$OLDPWD"
s=$(median "$OUT/check_changed_$N.txt" 1); sr=$(median "$OUT/check_changed_$N.txt" 2)
awk -v n="$N" -v l="$lines" -v d="$drift2" -v s="$s" -v p="$p" -v sr="$sr" -v pr="$pr" 'BEGIN {
    printf "| %d (database changed since the sync) | %d | %s | %.1f | %.1f | %.2f | %.1f | %.1f |\n", n, l, d, s/1000, p/1000, s/p, sr/1024, pr/1024 }'

# ---- parsing a 50,000-line entities.py (against the snapshot taken before the migration)
mkdir -p "$W/parse/schemas/database" "$W/tiny/schemas/database"
python3 - "$W/parse/schemas/database/entities.py" <<'PY'
import sys
out = ["from typing import Optional, TypedDict\n"]
n = 0
while sum(s.count("\n") for s in out) < 50000:
    out.append(f"\n\nclass Local{n}Row(TypedDict):\n    \"\"\"Database row for local_{n}\"\"\"\n")
    out += [f"    col_{k}: Optional[str]  # note {k}\n" for k in range(20)]
    n += 1
open(sys.argv[1], "w").write("".join(out))
PY
printf 'from typing import TypedDict\n' > "$W/tiny/schemas/database/entities.py"
plines=$(wc -l < "$W/parse/schemas/database/entities.py")
(cd "$W/parse" && measure "parse50k" "$SM" --db "$W/snap.json" check)
(cd "$W/tiny" && measure "parse_tiny" "$SM" --db "$W/snap.json" check)
a=$(median "$OUT/parse50k.txt" 1); b=$(median "$OUT/parse_tiny.txt" 1)
echo
echo "| entities.py lines | check --db snapshot (median ms) | same with a 1-line file (median ms) | difference: parsing + matching (ms) |"
echo "|---:|---:|---:|---:|"
awk -v l="$plines" -v a="$a" -v b="$b" 'BEGIN { printf "| %d | %.1f | %.1f | %.1f |\n", l, a/1000, b/1000, (a-b)/1000 }'
