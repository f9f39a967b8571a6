#!/bin/sh
# sql.sh: `schemerge sql` against a real PostgreSQL. Local edits made after a sync (labels
# in the middle and at the end, fields of every mapped type, a new enum class, a new row
# class, a quoted type name from the config) give a migration that runs with
# psql -v ON_ERROR_STOP=1 in the test's scratch database, after which `check` reports no
# drift; destructive statements only with --destructive; changes of unknown direction only
# with --all. The Python files are checked with ast and mypy.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo sm_sql "
CREATE TYPE project_status AS ENUM ('active', 'done');
CREATE TABLE organizations (id uuid PRIMARY KEY, name text NOT NULL, status project_status);
"
cat > .schemerge.json <<'JSON'
{"names": {"enums": {"odd \"kind\"": "OddKind"}}}
JSON
run sm update
expect_rc 0 "first update"
[ -f .schemerge/last-sync.json ] || fail "update recorded no last-sync snapshot"
git add -A && git commit -qm "synced" || fail "git commit"

# ---- local additions
python3 - <<'PY'
p = "schemas/enums.py"
s = open(p).read()
s = s.replace('    ACTIVE = "active"\n',
              '    DRAFT = "draft"\n    ACTIVE = "active"\n    ON_HOLD = "on hold\'s"\n')
s = s.replace('    DONE = "done"\n', '    DONE = "done"\n    ARCHIVED = "archived"\n')
s += '''

class Priority(str, Enum):
    LOW = "low"
    HIGH = "high"


class OddKind(str, Enum):
    PLAIN = "plain"
    QUOTED = "it's"
'''
open(p, "w").write(s)
p = "schemas/database/entities.py"
s = open(p).read()
s = s.replace("from typing import", "from typing import Any, Dict, List,")
s = "from schemas.enums import OddKind, Priority, ProjectStatus\n" + s
s = s.replace("    status: Optional[ProjectStatus]\n", "    status: Optional[ProjectStatus]\n"
              "    slug: Optional[str]\n    seats: int\n    ratio: Optional[float]\n"
              "    active: Optional[bool]\n    tags: Optional[List[str]]\n"
              "    settings: Optional[Dict[str, Any]]\n    extra: Any\n"
              "    priority: Optional[Priority]\n")
s = s.replace("    status: Optional[str]\n", "    status: Optional[str]\n"
              "    slug: Optional[str]\n    seats: int\n    ratio: Optional[float]\n"
              "    active: Optional[bool]\n    tags: Optional[List[str]]\n"
              "    settings: Optional[Dict[str, Any]]\n    extra: Any\n"
              "    priority: Optional[Priority]\n")
s += '''

class CompanyRow(TypedDict):
    id: str
    name: str
    kind: OddKind
    levels: List[int]
    priorities: Optional[List[Priority]]
'''
open(p, "w").write(s)
PY
dr_ast schemas/enums.py schemas/database/entities.py
dr_mypy

run sm sql
expect_rc 0 "sql"
cp "$T/out" "$T/add.sql"
for want in \
    "-- Review it before running it: schemerge never runs it." \
    "-- Database: sha256:" \
    "ALTER TYPE \"public\".\"project_status\" ADD VALUE IF NOT EXISTS 'draft' BEFORE 'active';" \
    "ALTER TYPE \"public\".\"project_status\" ADD VALUE IF NOT EXISTS 'on hold''s' AFTER 'active';" \
    "ALTER TYPE \"public\".\"project_status\" ADD VALUE IF NOT EXISTS 'archived' AFTER 'done';" \
    "CREATE TYPE \"public\".\"priority\" AS ENUM ('low', 'high');" \
    "CREATE TYPE \"public\".\"odd \"\"kind\"\"\" AS ENUM ('plain', 'it''s');" \
    "CREATE TABLE IF NOT EXISTS \"public\".\"companies\" (" \
    "    \"kind\" \"public\".\"odd \"\"kind\"\"\" NOT NULL," \
    "    \"levels\" integer[] NOT NULL," \
    "    \"priorities\" \"public\".\"priority\"[]" \
    "ADD COLUMN IF NOT EXISTS \"slug\" text;" \
    "ADD COLUMN IF NOT EXISTS \"seats\" integer NOT NULL;" \
    "ADD COLUMN IF NOT EXISTS \"ratio\" double precision;" \
    "ADD COLUMN IF NOT EXISTS \"active\" boolean;" \
    "ADD COLUMN IF NOT EXISTS \"tags\" text[];" \
    "ADD COLUMN IF NOT EXISTS \"settings\" jsonb;" \
    "ADD COLUMN IF NOT EXISTS \"extra\" jsonb;" \
    "ADD COLUMN IF NOT EXISTS \"priority\" \"public\".\"priority\";"; do
    assert_contains "$T/add.sql" "$want"
done
assert_not_contains "$T/add.sql" "DROP"
assert_not_contains "$T/add.sql" "-- destructive:"
# enum labels first, in their own transaction, before the one that creates and alters
python3 - "$T/add.sql" <<'PY' || fail "statement order or transactions are wrong"
import sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l and not l.startswith("--")]
assert lines.count("BEGIN;") == 2 and lines.count("COMMIT;") == 2, lines
first_commit = lines.index("COMMIT;")
assert all("ADD VALUE" in l for l in lines[1:first_commit]), lines[:first_commit]
assert not any("ADD VALUE" in l for l in lines[first_commit:])
create_type = max(i for i, l in enumerate(lines) if l.startswith("CREATE TYPE"))
create_table = lines.index('CREATE TABLE IF NOT EXISTS "public"."companies" (')
add_priority = next(i for i, l in enumerate(lines) if '"priority" "public"."priority";' in l)
assert create_type < create_table < add_priority
PY
# schemerge never runs it: the database is untouched so far
run sm check
expect_rc 1 "check before the SQL ran"

# the table is empty, so NOT NULL columns can be added: run it for real
psql -X -q -v ON_ERROR_STOP=1 "$DB" -f "$T/add.sql" >"$T/psql.out" 2>&1 || fail "psql rejected the SQL: $(cat "$T/psql.out")"
run sm check
expect_rc 0 "check after the SQL ran"
assert_contains "$T/out" "in sync"
dr_sql "SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'project_status'
        ORDER BY e.enumsortorder" || fail "enum query"
got=$(psql -X -At "$DB" -c "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'project_status'")
assert_eq "$got" "draft,active,on hold's,done,archived" "labels in the file's order"
run sm sql
expect_rc 0 "sql when in line"
assert_contains "$T/out" "-- Nothing to run"
assert_not_contains "$T/out" "BEGIN;"

# ---- destructive: local removals and changes after a new sync
run sm update
expect_rc 0 "update after the SQL ran (records a sync)"
python3 - <<'PY'
p = "schemas/database/entities.py"
s = open(p).read()
s = s.replace("    seats: int\n", "    seats: Optional[str]\n")
s = s.replace("    ratio: Optional[float]\n", "    ratio: float\n")
s = s.replace("    extra: Any\n", "")
s = s.replace("import OddKind, ", "import ")
i = s.index("\n\nclass CompanyRow")
j = s.find("\n\nclass ", i + 2)
s = s[:i] + (s[j:] if j >= 0 else "\n")
open(p, "w").write(s)
p = "schemas/enums.py"
s = open(p).read()
i = s.index("\n\nclass OddKind")
j = s.find("\n\nclass ", i + 2)
s = s[:i] + (s[j:] if j >= 0 else "\n")
open(p, "w").write(s)
PY
dr_ast schemas/enums.py schemas/database/entities.py
dr_mypy
run sm sql
expect_rc 0 "sql without --destructive"
assert_not_contains "$T/out" "DROP"
assert_not_contains "$T/out" "ALTER COLUMN"
assert_contains "$T/out" "-- Left out: destructive (run 'schemerge sql --destructive' to include them):"
assert_contains "$T/out" "--   OrganizationRow.extra (column_added"
assert_contains "$T/out" "--   CompanyRow (table_added"
run sm sql --destructive
expect_rc 0 "sql --destructive"
cp "$T/out" "$T/drop.sql"
for want in \
    'ALTER TABLE "public"."organizations" DROP COLUMN "extra";' \
    'ALTER TABLE "public"."organizations" ALTER COLUMN "seats" TYPE text USING "seats"::text;' \
    'ALTER TABLE "public"."organizations" ALTER COLUMN "seats" DROP NOT NULL;' \
    'ALTER TABLE "public"."organizations" ALTER COLUMN "ratio" SET NOT NULL;' \
    'DROP TABLE "public"."companies";' \
    'DROP TYPE "public"."odd ""kind""";'; do
    assert_contains "$T/drop.sql" "$want"
done
# every destructive statement is announced by the line right before it
python3 - "$T/drop.sql" <<'PY' || fail "a destructive statement lacks its -- destructive: comment"
import sys
lines = open(sys.argv[1]).read().splitlines()
for i, l in enumerate(lines):
    if l.startswith(("DROP", "ALTER TABLE")) and ("DROP" in l or "ALTER COLUMN" in l):
        assert lines[i - 1].startswith("-- destructive:"), (lines[i - 1], l)
PY
psql -X -q -v ON_ERROR_STOP=1 "$DB" -f "$T/drop.sql" >"$T/psql.out" 2>&1 || fail "psql rejected the destructive SQL: $(cat "$T/psql.out")"
run sm check
expect_rc 0 "check after the destructive SQL"

# ---- direction unknown (no last-sync snapshot): listed, taken only with --all
rm -rf .schemerge
python3 - <<'PY'
p = "schemas/database/entities.py"
s = open(p).read()
s = s.replace("    slug: Optional[str]\n", "    slug: Optional[str]\n    motto: Optional[str]\n")
open(p, "w").write(s)
PY
run sm sql
expect_rc 0 "sql without a last sync"
assert_contains "$T/out" "whose direction is unknown"
assert_contains "$T/out" "Run 'schemerge update' once to record a sync"
assert_contains "$T/out" "--   OrganizationRow.motto (column_removed"
assert_not_contains "$T/out" "ADD COLUMN"
run sm sql --all
expect_rc 0 "sql --all"
assert_contains "$T/out" 'ALTER TABLE "public"."organizations" ADD COLUMN IF NOT EXISTS "motto" text;'
psql -X -q -v ON_ERROR_STOP=1 "$DB" -f "$T/out" >"$T/psql.out" 2>&1 || fail "psql rejected the --all SQL: $(cat "$T/psql.out")"
run sm check
expect_rc 0 "check after the --all SQL"

# ---- errors: arguments, and an unreachable database
run sm sql extra
expect_rc 2 "sql with an argument"
run "$SCHEMERGE" --db "host=$T/nosocket dbname=x connect_timeout=2" sql
expect_rc 2 "sql without a database"

finish
