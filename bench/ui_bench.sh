#!/usr/bin/env bash
# bench/ui_bench.sh [N]: the UI at N tables (default 5000, from bench/gen_schema.py):
#   - time from start to the first full screen (the drift drawn, not the loading panel);
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
trap 'cleanup_ui; [ -n "${PG_TMP:-}" ] && pg_stop; true' EXIT
mkdir -p "$W/repo/schemas/database" "$W/home"
git init -q "$W/repo"
TRACE="$W/trace"

start_ui() { # COLS ROWS
    rm -f "$TRACE"
    # a new server per run: one that is still shutting down would take the next
    # new-session down with it
    [ -z "$SOCK" ] || tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
    RUN=$((RUN + 1))
    SOCK="sm-uibench-$$-$RUN"
    T0=$(date +%s%N)
    tmux -L "$SOCK" -f /dev/null new-session -d -s b -x "$1" -y "$2" \
        "cd $W/repo && env HOME=$W/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color SCHEMERGE_UI_TRACE=$TRACE $BIN --db '$db'; sleep 600"
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

: > "$OUT/ui_first_$N.txt"
: > "$OUT/ui_loading_$N.txt"
for _ in $(seq "$RUNS"); do
    start_ui 120 40
    deadline=$(( $(date +%s) + 60 ))
    until grep -q ' ready$' "$TRACE" 2>/dev/null; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "ui_bench: the UI never got ready" >&2; exit 1; }
        sleep 0.005
    done
    t=$(grep -m1 ' ready$' "$TRACE" | cut -d' ' -f1)
    echo $(( (t - T0) / 1000 )) >> "$OUT/ui_first_$N.txt"
    t=$(head -1 "$TRACE" | cut -d' ' -f1)
    echo $(( (t - T0) / 1000 )) >> "$OUT/ui_loading_$N.txt"
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

first=$(median < "$OUT/ui_first_$N.txt")
loading=$(median < "$OUT/ui_loading_$N.txt")
key_med=$(median < "$OUT/ui_keys_$N.txt")
key_p90=$(p90 < "$OUT/ui_keys_$N.txt")
src=live; [ -n "${UI_DB:-}" ] && src=snapshot
echo "| tables | catalog from | changes listed | first screen: loading panel (ms) | first full screen (median of $RUNS, ms) | key to redraw (median of $KEYS, ms) | key to redraw (p90, ms) |"
echo "|---:|---|---:|---:|---:|---:|---:|"
awk -v n="$N" -v s="$src" -v c="$nchanges" -v l="$loading" -v f="$first" -v m="$key_med" -v p="$key_p90" \
    'BEGIN { printf "| %d | %s | %s | %.0f | %.0f | %.2f | %.2f |\n", n, s, c, l / 1000, f / 1000, m / 1000, p / 1000 }'
