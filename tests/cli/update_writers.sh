#!/usr/bin/env bash
# update_writers.sh: one writer at a time (SPEC 5, issue 14 item 9).
# - Eight `update`s started together on the demo project, max_backups 1: every one exits
#   0 (each waits for the one before and finds less to do), the files are the result of
#   one update, every backup left is complete, and no error mentions a replace or backup.
# - A writer that keeps the lock (an update paused by the test-only hook) makes a second
#   update wait 5 s and exit 2 naming the holder's pid, writing nothing; `diff` (a
#   reader) is not blocked.
# - `backup restore` and `backup prune` wait for the lock as well.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3

dr_repo update_writers
sql "$DB" -f "$SRCDIR/data/demo/schema.sql" || fail "cannot load the demo schema"
cp -a "$SRCDIR/data/demo/project/." "$R/"
echo '{"max_backups": 1}' > .schemerge.json
git add -A && git commit -qm demo
cp -a "$R" "$T/orig"

# the result of one update alone
cp -a "$R" "$T/one"
(cd "$T/one" && "$SCHEMERGE" --db "$DB" update --prune >/dev/null 2>&1) || fail "a single update failed"

pids=()
for i in 1 2 3 4 5 6 7 8; do
    "$SCHEMERGE" --db "$DB" update --prune >"$T/out.$i" 2>"$T/err.$i" &
    pids+=($!)
done
for i in 1 2 3 4 5 6 7 8; do
    wait "${pids[$((i - 1))]}"
    rc=$?
    [ "$rc" = 0 ] || fail "concurrent update $i exited $rc: $(cat "$T/err.$i")"
done
cat "$T"/err.* | grep -iE 'cannot replace|cannot create a backup|rotating' && fail "a concurrent update stumbled on another's files"
for f in schemas/enums.py schemas/database/entities.py schemas/database/relationships.py; do
    [ -e "$T/one/$f" ] || continue
    cmp -s "$f" "$T/one/$f" || fail "after eight concurrent updates $f is not what one update makes: $(diff -u "$T/one/$f" "$f" | head -20)"
done
for b in .schemerge/backups/*/; do
    [ -f "$b/metadata.json" ] || fail "backup $b is incomplete after the concurrent updates"
done
assert_eq "$(ls .schemerge/backups | wc -l)" 1 "backups kept with max_backups 1"
run sm check
expect_rc 0 "check after the concurrent updates"

# a writer holding the lock: the second one waits, then names it
rm -rf "$R" && cp -a "$T/orig" "$R" && cd "$R"
SCHEMERGE_TEST_HOOK_AFTER_LOAD="sleep 14" "${SCHEMERGE_HOOKS:?run through make check}" --db "$DB" update --prune >"$T/holder.out" 2>"$T/holder.err" &
holder=$!
for _ in $(seq 50); do [ -s .schemerge/lock ] && break; sleep 0.1; done
[ -s .schemerge/lock ] || fail "the first update did not take the lock"
cp schemas/enums.py "$T/enums.before"
t0=$(date +%s%N)
run sm update
waited=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 2 "a second update while the first holds the lock"
assert_contains "$T/err" "process $holder"
assert_eq "$(wc -l < "$T/err")" 1 "lines of the lock error"
[ "$waited" -ge 4500 ] || fail "the second update gave up after $waited ms, before the 5 s wait"
assert_same_file schemas/enums.py "$T/enums.before"
run sm diff
expect_rc 0 "diff while an update holds the lock"
run sm backup prune
expect_rc 2 "backup prune while an update holds the lock"
assert_contains "$T/err" "process $holder"
wait "$holder" || fail "the update holding the lock failed: $(cat "$T/holder.err")"
run sm check
expect_rc 0 "check after the held update finished"
id=$(ls .schemerge/backups | tail -1)
run sm backup restore "$id"
expect_rc 0 "backup restore once the lock is free"
assert_same_file schemas/enums.py "$T/enums.before"
finish
