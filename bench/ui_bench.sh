#!/usr/bin/env bash
# bench/ui_bench.sh [N]: the UI at N tables (default 5000, from bench/gen_schema.py):
#   - time from start to the first full screen (the drift drawn, not the loading panel),
#     in two projects: a new one (empty files, no last-sync state) and a synced one (after
#     `schemerge update`: in sync, with the last-sync snapshot that must be matched by the
#     catalog's hash before the drift can be shown);
#   - the floor, in the same run: psql running the catalog queries one after another
#     (bench/out/catalog_queries.sql, from src/catalog.c), rows thrown away;
#   - key-press-to-redraw latency, median (and p90) over KEYS presses (default 200).
# The UI runs in tmux with SCHEMERGE_UI_TRACE=FILE: after each doupdate it appends
# "WALL_NS STATE". The driver notes `date +%s%N` before starting the program (or
# sending a key with tmux send-keys) and waits for the next trace line; the difference
# includes tmux's own delivery, so the figures are upper bounds. The local files are
# empty, so every table and enum is a change (N + N/5 rows in the list).
# Uses $SCHEMERGE_TEST_DB when set, else starts a throwaway PostgreSQL (tests/lib/pg.sh).
# UI_DB=FILE.json reads a snapshot instead of the live database, which separates the
# UI's own cost from the catalog read (bench/run.sh measures that one).
# Not a test: it prints a Markdown table for bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
N=${1:-5000}
KEYS=${KEYS:-200}
RUNS=${RUNS:-5}
OUT=bench/out
mkdir -p "$OUT"
command -v tmux >/dev/null || { echo "ui_bench: tmux is missing (apt-get install tmux)" >&2; exit 1; }
[ -x ./schemerge ] || make -j"$(nproc)" >/dev/null
BIN=$(pwd)/schemerge

cc -I. -Isrc $(pkg-config --cflags libpq libcjson) bench/print_queries.c src/libschemerge.a \
    $(pkg-config --libs libgit2 libpq libcjson libutf8proc libcrypto) -lpthread -o "$OUT/print_queries"
"$OUT/print_queries" public > "$OUT/catalog_queries.sql"

if [ -z "${SCHEMERGE_TEST_DB:-}" ]; then
    . tests/lib/pg.sh
    PG_PORT=${PG_PORT:-55435}
    pg_start
    trap pg_stop EXIT
fi
db="$SCHEMERGE_TEST_DB dbname=bench_ui_$N"
if ! psql -X -qtA "$db" -c "SELECT 1" >/dev/null 2>&1; then
    psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "CREATE DATABASE bench_ui_$N"
    python3 bench/gen_schema.py "$N" | psql -X -q -v ON_ERROR_STOP=1 "$db" >/dev/null
    psql -X -q "$db" -c "VACUUM ANALYZE" >/dev/null
fi

if [ -n "${UI_DB:-}" ]; then db=$(realpath "$UI_DB"); fi
W=$(mktemp -d /tmp/sm-uibench.XXXXXX)
SOCK=
RUN=0
cleanup_ui() { [ -z "$SOCK" ] || tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true; rm -rf "$W"; }
trap 'cleanup_ui; [ -n "${PG_TMP:-}" ] && command -v pg_stop >/dev/null && pg_stop; true' EXIT
mkdir -p "$W/repo/schemas/database" "$W/home"
git init -q "$W/repo"
TRACE="$W/trace"
REPO=$W/repo

start_ui() { # COLS ROWS
    rm -f "$TRACE"
    # a new server per run: one that is still shutting down would take the next
    # new-session down with it
    [ -z "$SOCK" ] || tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
    RUN=$((RUN + 1))
    SOCK="sm-uibench-$$-$RUN"
    T0=$(date +%s%N)
    tmux -L "$SOCK" -f /dev/null new-session -d -s b -x "$1" -y "$2" \
        "cd $REPO && env HOME=$W/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color SCHEMERGE_UI_TRACE=$TRACE $BIN --db '$db'; sleep 600"
}
lines() { [ -f "$TRACE" ] && wc -l < "$TRACE" || echo 0; }
wait_line() { # COUNT: wait until the trace has at least COUNT lines (deadline 30 s)
    local deadline=$(( $(date +%s) + 30 ))
    while [ "$(lines)" -lt "$1" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "ui_bench: no redraw" >&2; exit 1; }
        sleep 0.002
    done
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
p90() { sort -n | awk '{v[NR]=$1} END {i=int(NR*0.9); if (i<1) i=1; print v[i]}'; }

first_screens() { # LABEL: RUNS starts, the first full screen and the loading panel
    : > "$OUT/ui_first_$1_$N.txt"
    : > "$OUT/ui_loading_$1_$N.txt"
    for _ in $(seq "$RUNS"); do
        start_ui 120 40
        local deadline=$(( $(date +%s) + 60 ))
        until grep -q ' ready$' "$TRACE" 2>/dev/null; do
            [ "$(date +%s)" -lt "$deadline" ] || { echo "ui_bench: the UI never got ready" >&2; exit 1; }
            sleep 0.005
        done
        local t
        t=$(grep -m1 ' ready$' "$TRACE" | cut -d' ' -f1)
        echo $(( (t - T0) / 1000 )) >> "$OUT/ui_first_$1_$N.txt"
        t=$(head -1 "$TRACE" | cut -d' ' -f1)
        echo $(( (t - T0) / 1000 )) >> "$OUT/ui_loading_$1_$N.txt"
    done
}
floor() { # RUNS runs of psql with the same catalog queries
    : > "$OUT/ui_floor_$N.txt"
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(date +%s%N)
        psql -X -q "$db" -f "$OUT/catalog_queries.sql" -o /dev/null
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000 )) >> "$OUT/ui_floor_$N.txt"
    done
}

# the two kinds of start and the floor take turns, so that a busy moment of this shared
# machine does not fall on one of them only
: > "$OUT/ui_first_new_$N.txt.all"; : > "$OUT/ui_first_synced_$N.txt.all"; : > "$OUT/ui_floor_$N.txt.all"
: > "$OUT/ui_loading_new_$N.txt.all"
SYNCED=$W/synced
mkdir -p "$SYNCED/schemas/database"
git init -q "$SYNCED"
(cd "$SYNCED" && "$BIN" --db "$db" update >/dev/null) || { echo "ui_bench: schemerge update failed" >&2; exit 1; }
[ -f "$SYNCED/.schemerge/last-sync.json" ] || { echo "ui_bench: no last-sync state after update" >&2; exit 1; }
ROUNDS=$RUNS
RUNS=1
for _ in $(seq "$ROUNDS"); do
    REPO=$W/repo; first_screens new
    cat "$OUT/ui_first_new_$N.txt" >> "$OUT/ui_first_new_$N.txt.all"
    cat "$OUT/ui_loading_new_$N.txt" >> "$OUT/ui_loading_new_$N.txt.all"
    REPO=$SYNCED; first_screens synced
    cat "$OUT/ui_first_synced_$N.txt" >> "$OUT/ui_first_synced_$N.txt.all"
    floor
    cat "$OUT/ui_floor_$N.txt" >> "$OUT/ui_floor_$N.txt.all"
done
RUNS=$ROUNDS
for f in ui_first_new ui_first_synced ui_floor ui_loading_new; do mv "$OUT/${f}_$N.txt.all" "$OUT/${f}_$N.txt"; done
rm -f "$OUT/ui_loading_synced_$N.txt"
# the key presses below run in the new project
REPO=$W/repo
start_ui 120 40
deadline=$(( $(date +%s) + 60 ))
until grep -q ' ready$' "$TRACE" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "ui_bench: the UI never got ready" >&2; exit 1; }
    sleep 0.005
done
nchanges=$(tmux -L "$SOCK" capture-pane -p -t b | sed -n '1s/.* \([0-9]*\) changes.*/\1/p')

# key presses: j and k alternately (each moves the cursor, rebuilds the panes for a new
# table and redraws), then page down / up
: > "$OUT/ui_keys_$N.txt"
for i in $(seq "$KEYS"); do
    case $((i % 4)) in 0|1) k=j ;; 2) k=k ;; 3) k=NPage ;; esac
    [ $((i % 8)) = 7 ] && k=PPage
    n=$(lines)
    t0=$(date +%s%N)
    tmux -L "$SOCK" send-keys -t b "$k"
    wait_line $((n + 1))
    t1=$(sed -n "$((n + 1))p" "$TRACE" | cut -d' ' -f1)
    echo $(( (t1 - t0) / 1000 )) >> "$OUT/ui_keys_$N.txt"
done
tmux -L "$SOCK" send-keys -t b q

first=$(median < "$OUT/ui_first_new_$N.txt")
synced=$(median < "$OUT/ui_first_synced_$N.txt")
floor_ms=$(median < "$OUT/ui_floor_$N.txt")
loading=$(median < "$OUT/ui_loading_new_$N.txt")
key_med=$(median < "$OUT/ui_keys_$N.txt")
key_p90=$(p90 < "$OUT/ui_keys_$N.txt")
src=live; [ -n "${UI_DB:-}" ] && src=snapshot
echo "| tables | catalog from | loading panel (ms) | first full screen, new project (ms) | first full screen, synced project (ms) | psql floor (ms) | new / floor | synced / floor | key to redraw, median of $KEYS (ms) | key to redraw, p90 (ms) |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -v n="$N" -v s="$src" -v l="$loading" -v f="$first" -v y="$synced" -v fl="$floor_ms" -v m="$key_med" -v p="$key_p90" \
    'BEGIN { printf "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |\n", n, s, l / 1000, f / 1000, y / 1000, fl / 1000, f / fl, y / fl, m / 1000, p / 1000 }'
echo "(medians of $RUNS rounds; each round: one start of each project and one psql run; $nchanges changes listed in the new project)"
