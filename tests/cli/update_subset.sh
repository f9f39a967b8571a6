#!/usr/bin/env bash
# update_subset.sh: accepting one of three added labels (`update --only ID`) changes only
# that label: one line inserted at its database position, nothing else in the file, the
# other two still reported, and still the database's move (regression: the last sync
# advanced past them, so they read as edits made in the file and update skipped them).
# Also --only KIND, --min-severity, --dry-run, a removal left for --prune, an unknown word.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo update_subset "CREATE TYPE project_status AS ENUM ('active', 'pending', 'on_hold', 'done', 'archived');
CREATE TABLE projects (id integer PRIMARY KEY, note text);"
cat > schemas/enums.py <<'PY'
from enum import Enum


class ProjectStatus(str, Enum):
    """project_status enumeration"""
    ACTIVE = "active"  # first
    DONE = "done"
PY
printf 'from typing import TypedDict\n\n\nclass ProjectRow(TypedDict):\n    id: int\n' > schemas/database/entities.py
cp schemas/enums.py "$T/enums.before"; cp schemas/database/entities.py "$T/entities.before"

run sm diff --json
ids() { python3 -c 'import json,sys; [print(c["id"], c["kind"], c.get("member", "-")) for c in json.load(open(sys.argv[1]))["changes"]]' "$1"; }
ids "$T/out" > "$T/ids"
ID=$(awk '$2 == "enum_value_added" && $3 == "on_hold" {print $1}' "$T/ids")
[ -n "$ID" ] || fail "no id for on_hold: $(cat "$T/ids")"
[ "$(grep -c enum_value_added "$T/ids")" = 3 ] || fail "expected three added labels: $(cat "$T/ids")"

# ---- --dry-run prints the diff and writes nothing
run sm update --dry-run --only "$ID"
expect_rc 0 "dry run"
assert_contains "$T/out" '+    ON_HOLD = "on_hold"'
assert_contains "$T/out" "dry run: 1 change would be applied, nothing written"
assert_same_file schemas/enums.py "$T/enums.before"
[ ! -e .schemerge ] && [ ! -e schemas/schema_version.py ] || fail "dry run wrote state"

# ---- --only ID (a unique prefix works too)
run sm update --only "${ID:0:6}"
expect_rc 0 "update --only ID"
assert_eq "$(grep -c '^applied: ' "$T/out")" 1 "one change applied"
dr_hunks "$T/enums.before" schemas/enums.py '+    ON_HOLD = "on_hold"'
# at its database position: after active, before done
assert_eq "$(sed -n 6,8p schemas/enums.py)" '    ACTIVE = "active"  # first
    ON_HOLD = "on_hold"
    DONE = "done"' "label position"
assert_same_file schemas/database/entities.py "$T/entities.before"
run sm diff --json
ids "$T/out" > "$T/ids2"
assert_eq "$(awk '{print $2, $3}' "$T/ids2" | sort | tr '\n' ' ')" "column_added note enum_value_added archived enum_value_added pending " "still reported"
# the ids of the others did not change
for m in pending archived; do
    assert_eq "$(awk -v m=$m '$3 == m {print $1}' "$T/ids2")" "$(awk -v m=$m '$3 == m {print $1}' "$T/ids")" "stable id of $m"
done

# ---- --min-severity: the high labels, not the medium column
run sm update --min-severity high
expect_rc 0 "update --min-severity high"
assert_same_file schemas/database/entities.py "$T/entities.before"
dr_enum_values schemas/enums.py ProjectStatus > "$T/vals"
assert_eq "$(tr '\n' ' ' < "$T/vals")" "'active' 'pending' 'on_hold' 'done' 'archived' " "labels in database order"
# ---- --only KIND
run sm update --only column_added
expect_rc 0 "update --only column_added"
grep -q '^    note: Optional\[str\]$' schemas/database/entities.py || fail "column not added: $(cat schemas/database/entities.py)"
dr_ast schemas/enums.py schemas/database/entities.py
run sm check
expect_rc 0 "in sync"
# ---- a removal left by update (no --prune) stays the database's move: the last sync does
# not advance past a change that was not applied (regression: it then read as a local edit)
dr_sql "CREATE TABLE extra (id integer PRIMARY KEY)"
run sm update
expect_rc 0 "update: add extra"
dr_sql "DROP TABLE extra"
run sm update
expect_rc 0 "update with a removal left"
assert_contains "$T/out" "left: Remove ExtraRow"
for round in 1 2; do
    run sm diff --json
    python3 -c 'import json,sys; print(" ".join(c["kind"] + ":" + c["moved"] for c in json.load(open(sys.argv[1]))["changes"]))' "$T/out" > "$T/moved"
    assert_eq "$(cat "$T/moved")" "table_removed:database" "round $round: the removal's side"
    run sm update
done
run sm update --prune
expect_rc 0 "update --prune"
run sm check
expect_rc 0 "in sync after --prune"
# ---- an unknown word writes nothing
run sm update --only nosuchthing
expect_rc 2 "unknown --only word"
assert_contains "$T/err" "no change matches 'nosuchthing'"
finish
