#!/usr/bin/env bash
# exclude.sh: the "exclude" key (issue 16 item 11): database objects named there (by name,
# schema.name or a glob) that have no class get none, and no command reports them; an
# enum excluded so leaves its columns as str; an object that has a class stays tracked;
# a bad value is a one-line config error.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3

dr_repo exclude "CREATE TYPE internal_state AS ENUM ('x', 'y');
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE users (id integer PRIMARY KEY, state internal_state, mood mood);
CREATE TABLE audit_log (id integer); CREATE TABLE audit_trail (id integer);
CREATE SCHEMA auth; CREATE TABLE auth.sessions (id integer); CREATE TABLE auth.users (id integer)"
cat > .schemerge.json <<'JSON'
{
  "schemas": ["public", "auth"],
  "enum_columns": "class",
  "exclude": ["audit_*", "auth.sessions", "internal_state"]
}
JSON

# ---- every command leaves the excluded objects out
run sm diff
expect_rc 0 "diff"
for gone in audit_log audit_trail sessions internal_state; do
    assert_not_contains "$T/out" "$gone"
done
assert_contains "$T/out" "users"
assert_contains "$T/out" "mood"
run sm update
expect_rc 0 "update"
dr_ast schemas/enums.py schemas/database/entities.py
python3 - <<'PY' || fail "the files are not as excluded: $(cat schemas/enums.py schemas/database/entities.py)"
import ast
ents = open("schemas/database/entities.py").read()
enums = open("schemas/enums.py").read()
classes = {n.name for n in ast.walk(ast.parse(ents)) if isinstance(n, ast.ClassDef)}
assert classes == {"UserRow", "AuthUserRow"}, classes
assert "class Mood(" in enums and "InternalState" not in enums, enums
assert "state: Optional[str]" in ents and "mood: Optional[Mood]" in ents, ents
PY
dr_mypy
run sm check
expect_rc 0 "check after the update"
run sm status
expect_rc 0 "status"
assert_not_contains "$T/out" "audit"
run sm sql --all --destructive
expect_rc 0 "sql"
assert_not_contains "$T/out" "audit"
assert_not_contains "$T/out" "sessions"

# ---- an excluded name that has a class stays tracked: its drift is reported
cat >> schemas/database/entities.py <<'PY'


class AuditLogRow(TypedDict, total=False):
    """Database row for audit_log"""
    id: Optional[int]
PY
dr_sql "ALTER TABLE audit_log ADD COLUMN at timestamptz"
run sm diff
expect_rc 0 "diff with a class for an excluded table"
assert_contains "$T/out" "AuditLogRow"
assert_contains "$T/out" "+ at"

# ---- a bad value: one line, exit 2
echo '{"exclude": "audit_*"}' > .schemerge.json
run sm check
expect_rc 2 "check with a bad exclude"
assert_contains "$T/err" "exclude"
assert_eq "$(wc -l < "$T/err")" 1 "one line"
finish
