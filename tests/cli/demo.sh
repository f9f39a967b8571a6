#!/usr/bin/env bash
# demo.sh: the bundled demo (data/demo/run) says where its project is and how to keep it
# (issue 16 item 12): removed at the end by default, kept with DEMO_KEEP=1, and the
# message says which. Without a terminal it prints the drift.
. "$TESTLIB"
need psql git
demo=$SRCDIR/data/demo/run
export TMPDIR=$T PG_PORT=54391

run env SCHEMERGE="$SCHEMERGE" "$demo" diff
expect_rc 0 "data/demo/run diff"
assert_contains "$T/out" "schemas/enums.py"
dir=$(sed -n 's/^demo project: //p' "$T/err")
[ -n "$dir" ] || fail "the demo does not say where its project is: $(cat "$T/err")"
assert_contains "$T/err" "demo project removed (DEMO_KEEP=1 data/demo/run keeps it)"
[ -e "$dir" ] && fail "the demo project $dir is still there"

run env SCHEMERGE="$SCHEMERGE" DEMO_KEEP=1 "$demo" diff
expect_rc 0 "DEMO_KEEP=1 data/demo/run diff"
dir=$(sed -n 's/^demo project: //p' "$T/err")
assert_contains "$T/err" "demo project kept: $dir"
[ -f "$dir/schemas/enums.py" ] || fail "DEMO_KEEP=1: the project $dir is gone"
git -C "$dir" log --oneline -1 >/dev/null 2>&1 || fail "DEMO_KEEP=1: $dir is not the demo's repository"
finish
