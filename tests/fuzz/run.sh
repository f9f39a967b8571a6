#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS [TARGET...]]: replay every seed and regression input, then fuzz
# each target for SECONDS (default 30; 0 = replay only). Needs `make fuzz` first
# (BUILDDIR/tests/fuzz/fuzz_*; BUILDDIR defaults to the source tree).
# New inputs go to tests/fuzz/work/TARGET/ (not committed); a crash is saved there as
# crash-* and fails the run: turn it into a file under tests/fuzz/regress/TARGET/ and fix.
# Prints one line per target ("fuzz_X: N execs in S s, 0 crashes") and last
# "N passed, N failed" (one per target).
# A longer campaign: tests/fuzz/run.sh 3600 apply   (or -jobs/-workers by hand).
# FUZZ_RUNS=N makes each target run exactly N inputs from a fixed seed (FUZZ_SEED, default
# 1) instead of SECONDS: the same run every time, which is what CI wants (a time-bounded
# run explores differently on every machine and may find a new bug in any CI run; finding
# new bugs is the longer campaigns' job). SECONDS then only caps the time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
builddir=${BUILDDIR:-$here/../..}
secs=${1:-30}
shift || true
targets=${*:-pyparse pytype snapshot config apply}
work=${FUZZ_WORK:-$here/work}
passed=0 failed=0
for t in $targets; do
    bin=$builddir/tests/fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "fuzz_$t: not built (run make fuzz)"; failed=$((failed + 1)); continue; }
    mkdir -p "$work/$t" "$here/regress/$t"
    log=$work/$t.log
    # the parser's seeds include the corpus the parser is checked against Python with
    seeds=("$here/corpus/$t")
    [ "$t" = pyparse ] && seeds+=("$here/../py/corpus")
    # replay: the seeds and every past crash, each once
    if ! "$bin" -runs=0 "${seeds[@]}" "$here/regress/$t" >"$log" 2>&1 ||
       ! find "$here/regress/$t" -type f -exec "$bin" {} + >>"$log" 2>&1; then
        echo "fuzz_$t: replay of the seeds or regressions FAILED:"; grep -E 'ERROR|runtime error|SUMMARY|abort|Assertion' "$log" | head -5
        failed=$((failed + 1)); continue
    fi
    if [ "$secs" -gt 0 ]; then
        bound=(-max_total_time="$secs")
        [ -n "${FUZZ_RUNS:-}" ] && bound=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs")
        "$bin" "${bound[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
            -print_final_stats=1 -artifact_prefix="$work/$t/" \
            "$work/$t" "${seeds[@]}" >"$log" 2>&1
        rc=$?
        runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
        if [ "$rc" != 0 ]; then
            echo "fuzz_$t: ${runs:-?} execs, CRASH (exit $rc):"
            grep -E 'ERROR|runtime error|SUMMARY|Assertion|does not parse|artifact' "$log" | head -8
            failed=$((failed + 1)); continue
        fi
        how="in ${secs} s"
        [ -n "${FUZZ_RUNS:-}" ] && how="from seed ${FUZZ_SEED:-1}"
        echo "fuzz_$t: ${runs:-?} execs $how, 0 crashes, corpus $(ls "$work/$t" | wc -l) inputs"
    else
        echo "fuzz_$t: seeds and regressions replayed, 0 crashes"
    fi
    passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
