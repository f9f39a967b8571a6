#!/usr/bin/env bash
# drift_rename.sh: with a last-sync snapshot (one `schemerge update`), renames in the
# database (ALTER ... RENAME) are one *_renamed change each, and every change says which
# side moved (database, local, both). update applies the database's side, renaming in
# place, and leaves the local edits (moved: local) alone unless named with --only.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo drift_rename "
CREATE TYPE project_status AS ENUM ('active', 'pending', 'done');
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE projects (id uuid PRIMARY KEY, name text NOT NULL, status project_status NOT NULL, note text);
CREATE TABLE widgets (id integer PRIMARY KEY, size integer);
CREATE TABLE gadgets (id integer PRIMARY KEY);"

# ---- before any sync: moved is unknown
run sm update
expect_rc 0 "first update"
[ -f .schemerge/last-sync.json ] || fail "no last-sync snapshot after update"
run sm check
expect_rc 0 "check after the first update"
git add -A && git commit -qm init

# ---- the database moves
dr_sql "ALTER TABLE widgets RENAME TO gizmos;
ALTER TABLE projects RENAME COLUMN note TO notes;
ALTER TYPE mood RENAME TO feeling;
ALTER TYPE project_status RENAME VALUE 'pending' TO 'waiting';
ALTER TABLE projects ADD COLUMN budget integer;
ALTER TYPE project_status ADD VALUE 'archived';
ALTER TABLE projects ALTER COLUMN name DROP NOT NULL;
ALTER TABLE gadgets ALTER COLUMN id TYPE bigint;"
# ---- the files move
python3 - <<'PY'
p = 'schemas/database/entities.py'; s = open(p).read()
s = s.replace("    note: Optional[str]\n", "    note: Optional[str]\n    local_only: int\n")
s = s.replace("    name: str\n", "    name: int\n")
s = s.replace('"""Database row for gadgets"""\n    id: int\n', '"""Database row for gadgets"""\n    id: str\n')
open(p, 'w').write(s)
p = 'schemas/enums.py'; s = open(p).read()
s = s.replace('    DONE = "done"\n', '    DONE = "done"\n    LOCAL = "local"\n')
open(p, 'w').write(s)
PY
cp schemas/enums.py "$T/enums.before"; cp schemas/database/entities.py "$T/entities.before"

run sm diff --json
expect_rc 0 "diff --json"
python3 - "$T/out" >"$T/kinds" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    print(c["kind"], c["class"], c["object"], c.get("member", "-"), c["database"], c["local"], c["moved"])
PY
cat > "$T/want" <<'TXT'
enum_renamed Mood feeling - feeling mood database
enum_value_renamed ProjectStatus project_status waiting waiting pending database
enum_value_added ProjectStatus project_status archived archived None database
enum_value_removed ProjectStatus project_status local None local local
column_type_changed GadgetRow gadgets id int str local
column_type_changed ProjectRow projects name Optional[str] int both
column_renamed ProjectRow projects notes notes note database
column_added ProjectRow projects budget Optional[int] None database
column_removed ProjectRow projects local_only None int local
table_renamed WidgetRow gizmos - gizmos widgets database
TXT
assert_same_file "$T/kinds" "$T/want"
# no removal + addition pairs for the renamed objects
for k in table_removed table_added enum_removed enum_added; do assert_not_contains "$T/kinds" "$k"; done
grep -q "column_removed ProjectRow projects note " "$T/kinds" && fail "renamed column reported as removed"

run sm diff
expect_rc 0 "diff"
assert_contains "$T/out" "~ widgets -> gizmos (renamed in the database)"
assert_contains "$T/out" "table_renamed, moved: database"
assert_contains "$T/out" "~ note -> notes (renamed in the database)"
assert_contains "$T/out" "~ mood -> feeling (renamed in the database)"
assert_contains "$T/out" "~ pending -> waiting (renamed in the database)"
assert_contains "$T/out" "column_type_changed, moved: both"
assert_contains "$T/out" "column_removed, moved: local"
# renames are high by default: check fails at high
run sm check --fail-on high
expect_rc 1 "check --fail-on high"
run sm report -o "$T/r.md"
expect_rc 0 "report"
assert_contains "$T/r.md" "| table_renamed | schemas/database/entities.py | database |"
assert_contains "$T/r.md" "| column_type_changed | schemas/database/entities.py | both |"

# ---- update applies the database's side and renames in place
run sm update
expect_rc 0 "update"
assert_contains "$T/out" "left: Remove ProjectRow.local_only"
assert_contains "$T/out" "left: Remove ProjectStatus value local"
dr_ast schemas/enums.py schemas/database/entities.py
dr_hunks "$T/enums.before" schemas/enums.py \
    '-class Mood(str, Enum):' '+class Feeling(str, Enum):' \
    '-    """mood enumeration"""' '+    """feeling enumeration"""' \
    '-    PENDING = "pending"' '+    WAITING = "waiting"' '+    ARCHIVED = "archived"'
dr_hunks "$T/entities.before" schemas/database/entities.py \
    '-    note: Optional[str]' '+    notes: Optional[str]' '+    budget: Optional[int]' \
    '-    name: int' '+    name: Optional[str]' \
    '-class WidgetRow(TypedDict, total=False):' '+class GizmoRow(TypedDict, total=False):' \
    '-    """Database row for widgets"""' '+    """Database row for gizmos"""'
grep -q '    local_only: int' schemas/database/entities.py || fail "the local field was lost"
grep -q '    LOCAL = "local"' schemas/enums.py || fail "the local label was lost"
dr_mypy

# ---- what is left is the local side, now against the new last sync
run sm diff --json
python3 - "$T/out" >"$T/kinds" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    print(c["kind"], c["class"], c.get("member", "-"), c["moved"])
PY
cat > "$T/want" <<'TXT'
enum_value_removed ProjectStatus local local
column_type_changed GadgetRow id local
column_removed ProjectRow local_only local
TXT
assert_same_file "$T/kinds" "$T/want"
# named with --only, a local change is applied too
run sm update --only ProjectRow.local_only
expect_rc 0 "update --only OBJECT.MEMBER"
assert_not_contains schemas/database/entities.py "local_only"
run sm check --fail-on critical
expect_rc 0 "check --fail-on critical with only high drift left"
finish
