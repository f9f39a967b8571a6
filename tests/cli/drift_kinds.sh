#!/usr/bin/env bash
# drift_kinds.sh: every change kind without a last sync (issue 3), end to end against a
# real PostgreSQL: check (exit status and summary), diff (exact text), diff --json (compared
# as JSON), report (key lines); then update --prune applies all of them and a second check
# is clean.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo drift_kinds "
CREATE TYPE project_status AS ENUM ('active', 'pending', 'done');
CREATE TYPE priority AS ENUM ('low', 'high', 'medium');
CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE projects (id uuid PRIMARY KEY, name text NOT NULL, status project_status NOT NULL,
                       budget numeric, owner text);
CREATE TABLE tags (id integer PRIMARY KEY, label text);"

cat > schemas/enums.py <<'PY'
from enum import Enum


class ProjectStatus(str, Enum):
    ACTIVE = "active"
    DONE = "done"
    ARCHIVED = "archived"


class Priority(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Mood(str, Enum):
    HAPPY = "happy"
PY
cat > schemas/database/entities.py <<'PY'
from typing import Optional, TypedDict


class ProjectRow(TypedDict):
    id: str
    name: Optional[str]
    status: str
    budget: int
    legacy: str


class WidgetRow(TypedDict):
    id: str
PY
cp schemas/enums.py "$T/enums.before"; cp schemas/database/entities.py "$T/entities.before"

# ---- check: exit 1 at the default threshold, the summary
run sm check
expect_rc 1 "check with drift"
assert_eq "$(cat "$T/out")" "11 changes: 2 critical, 4 high, 2 medium, 3 low
drift at or above low: run 'schemerge diff' to review, 'schemerge update' to apply" "check output"

# ---- diff: the exact text
run sm diff
expect_rc 0 "diff"
cat > "$T/want" <<'TXT'
schemas/enums.py
  Color (enum color)
    [LOW]      + enum color (new Color)                 98e7640b enum_added
  Mood
    [CRITICAL] - class Mood (no enum of that name in the database)  35128d5e enum_removed
  Priority (enum priority)
    [LOW]      ~ order: database low, high, medium; local low, medium, high  ca00e3c6 enum_values_reordered
  ProjectStatus (enum project_status)
    [HIGH]     + value 'pending'                        a54633e0 enum_value_added
    [HIGH]     - value 'archived'                       468cf1d5 enum_value_removed
schemas/database/entities.py
  ProjectRow (table projects)
    [MEDIUM]   ~ name: Optional[str] -> str             e8a18c1c column_nullability_changed
    [HIGH]     ~ budget: int -> Optional[float]         48074a80 column_type_changed
    [MEDIUM]   + owner: Optional[str]                   60e02ebe column_added
    [HIGH]     - legacy: str                            5ee37aa0 column_removed
  TagRow (table tags)
    [LOW]      + table tags (new TagRow)                5051a791 table_added
  WidgetRow
    [CRITICAL] - class WidgetRow (no table of that name in the database)  d8aa665a table_removed

11 changes: 2 critical, 4 high, 2 medium, 3 low
TXT
assert_same_file "$T/out" "$T/want"
run sm diff --exit-code
expect_rc 1 "diff --exit-code with drift"

# ---- diff --json: SPEC section 7's shape, compared as JSON
run sm diff --json
expect_rc 0 "diff --json"
HASH=$(diff_json_hash "$T/out")
case $HASH in sha256:????????????????????????????????????????????????????????????????) ;;
    *) fail "db_hash is not sha256:<64 hex>: $HASH" ;; esac
python3 - "$T/out" > "$T/json.norm" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["changes"]:
    c.pop("line", None)  # a convenience for editors, not part of the contract
d["db_hash"] = "H"
print(json.dumps(d, sort_keys=True))
PY
E='"file": "schemas/enums.py"'
N='"file": "schemas/database/entities.py"'
dr_json_eq "$T/json.norm" "{'format': 1, 'db_hash': 'H', 'changes': [
 {'id': '98e7640b', 'kind': 'enum_added', 'severity': 'low', $E, 'object': 'color', 'class': 'Color', 'database': null, 'local': null, 'moved': 'unknown'},
 {'id': '35128d5e', 'kind': 'enum_removed', 'severity': 'critical', $E, 'object': null, 'class': 'Mood', 'database': null, 'local': null, 'moved': 'unknown'},
 {'id': 'ca00e3c6', 'kind': 'enum_values_reordered', 'severity': 'low', $E, 'object': 'priority', 'class': 'Priority', 'database': ['low', 'high', 'medium'], 'local': ['low', 'medium', 'high'], 'moved': 'unknown'},
 {'id': 'a54633e0', 'kind': 'enum_value_added', 'severity': 'high', $E, 'object': 'project_status', 'class': 'ProjectStatus', 'member': 'pending', 'database': 'pending', 'local': null, 'moved': 'unknown'},
 {'id': '468cf1d5', 'kind': 'enum_value_removed', 'severity': 'high', $E, 'object': 'project_status', 'class': 'ProjectStatus', 'member': 'archived', 'database': null, 'local': 'archived', 'moved': 'unknown'},
 {'id': 'e8a18c1c', 'kind': 'column_nullability_changed', 'severity': 'medium', $N, 'object': 'projects', 'class': 'ProjectRow', 'member': 'name', 'database': 'str', 'local': 'Optional[str]', 'moved': 'unknown'},
 {'id': '48074a80', 'kind': 'column_type_changed', 'severity': 'high', $N, 'object': 'projects', 'class': 'ProjectRow', 'member': 'budget', 'database': 'Optional[float]', 'local': 'int', 'moved': 'unknown'},
 {'id': '60e02ebe', 'kind': 'column_added', 'severity': 'medium', $N, 'object': 'projects', 'class': 'ProjectRow', 'member': 'owner', 'database': 'Optional[str]', 'local': null, 'moved': 'unknown'},
 {'id': '5ee37aa0', 'kind': 'column_removed', 'severity': 'high', $N, 'object': 'projects', 'class': 'ProjectRow', 'member': 'legacy', 'database': null, 'local': 'str', 'moved': 'unknown'},
 {'id': '5051a791', 'kind': 'table_added', 'severity': 'low', $N, 'object': 'tags', 'class': 'TagRow', 'database': null, 'local': null, 'moved': 'unknown'},
 {'id': 'd8aa665a', 'kind': 'table_removed', 'severity': 'critical', $N, 'object': null, 'class': 'WidgetRow', 'database': null, 'local': null, 'moved': 'unknown'}]}"

# ---- report: the key lines
run sm report -o "$T/report.md"
expect_rc 0 "report"
assert_eq "$(cat "$T/out")" "wrote $T/report.md (11 changes)" "report stdout"
assert_contains "$T/report.md" "# Schema drift report"
assert_contains "$T/report.md" "- Database hash: \`$HASH\`"
assert_contains "$T/report.md" "| CRITICAL | 2 |"
assert_contains "$T/report.md" "| HIGH | 4 |"
assert_contains "$T/report.md" "| MEDIUM | 2 |"
assert_contains "$T/report.md" "| LOW | 3 |"
assert_contains "$T/report.md" "| **Total** | **11** |"
assert_contains "$T/report.md" "## Enums (5)"
assert_contains "$T/report.md" "## Tables (6)"
for id in 98e7640b 35128d5e ca00e3c6 a54633e0 468cf1d5 e8a18c1c 48074a80 60e02ebe 5ee37aa0 5051a791 d8aa665a; do
    assert_contains "$T/report.md" "\`$id\`"
done
assert_contains "$T/report.md" "| CRITICAL | Remove WidgetRow"
# the recommended action is Markdown code, not escaped backticks
assert_not_contains "$T/report.md" '\`schemerge update\`'
assert_contains "$T/report.md" '| `schemerge update` |'
# the default name
(cd "$T" && run "$SCHEMERGE" -C "$R" --db "$DB" report)
expect_rc 0 "report with the default name"
grep -qE '^wrote schema_drift_report_[0-9]{8}_[0-9]{6}\.md \(11 changes\)$' "$T/out" || fail "default report name: $(cat "$T/out")"

# ---- nothing was written by the read-only commands
assert_same_file schemas/enums.py "$T/enums.before"
assert_same_file schemas/database/entities.py "$T/entities.before"
[ ! -e .schemerge ] || fail "a read-only command created .schemerge"

# ---- update --prune applies every kind (regression: a new class sorted before a class
# removed at the end of the file was refused as overlapping)
run sm update --prune
expect_rc 0 "update --prune"
assert_not_contains "$T/err" "cannot apply"
dr_ast schemas/enums.py schemas/database/entities.py schemas/schema_version.py
dr_hunks "$T/enums.before" schemas/enums.py \
    '+    PENDING = "pending"' '-    ARCHIVED = "archived"' \
    '-    HIGH = "high"' '+    HIGH = "high"' \
    '-class Mood(str, Enum):' '-    HAPPY = "happy"' \
    '+class Color(str, Enum):' '+    RED = "red"' '+    GREEN = "green"'
dr_hunks "$T/entities.before" schemas/database/entities.py \
    '-    name: Optional[str]' '+    name: str' '-    budget: int' '+    budget: Optional[float]' \
    '+    owner: Optional[str]' '-    legacy: str' \
    '-class WidgetRow(TypedDict):' '-    id: str' \
    '+class TagRow(TypedDict):' '+    id: int' '+    label: Optional[str]'
dr_mypy
run sm check
expect_rc 0 "check after update"
assert_contains "$T/out" "in sync: 2 tables, 3 enums ($HASH)"
finish
