#!/usr/bin/env bash
# pydantic_rows.sh: issue 9 item 1 for Pydantic row models (tests/fixtures/pydantic/
# entities_pydantic.py). Against a real PostgreSQL: the classes count as row classes,
# Field(alias="displayName") matches the column "displayName", every change kind is found
# (column added/removed, type and nullability changes, table added/removed) and `update
# --prune` writes each in the Pydantic form (`x: Optional[T] = None`, no default for NOT
# NULL, a new table as `class XRow(BaseModel)`), keeping model_config and the nested
# class Config byte for byte. The result parses (ast), mypy accepts it, pydantic builds
# the models and validates by alias, and a second check exits 0.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
. "$FIXTURES/pydantic/pyd.sh"
need mypy

dr_repo pydantic_rows "
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE organizations (id uuid PRIMARY KEY, name varchar(80) NOT NULL,
    \"displayName\" text NOT NULL, note text, score integer NOT NULL, flag boolean NOT NULL,
    tags text[], meta jsonb, mood mood, created_at timestamptz NOT NULL, price numeric);
CREATE TABLE teams (id integer PRIMARY KEY, title text NOT NULL);
CREATE TABLE members (id integer PRIMARY KEY, team_id integer REFERENCES teams, nick text);"
N=schemas/database/entities.py
cp "$FIXTURES/pydantic/entities_pydantic.py" $N
git add -A && git commit -qm pydantic
cp $N "$T/before.py"

# ---- drift: every kind, and the alias matches its column
run sm diff --json
expect_rc 0 "diff --json"
python3 - "$T/out" <<'PY' || fail "diff --json on the Pydantic file is not what was expected"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((c["kind"], c["class"], c.get("member")) for c in d["changes"] if c["file"].endswith("entities.py"))
want = sorted([
    ("column_nullability_changed", "OrganizationRow", "note"),
    ("column_type_changed", "OrganizationRow", "score"),
    ("column_removed", "OrganizationRow", "legacy"),
    ("column_added", "OrganizationRow", "tags"),
    ("column_added", "OrganizationRow", "meta"),
    ("column_added", "OrganizationRow", "mood"),
    ("column_added", "OrganizationRow", "created_at"),
    ("column_added", "OrganizationRow", "price"),
    ("column_added", "TeamRow", "title"),
    ("table_added", "MemberRow", None),
    ("table_removed", "OldThingRow", None),
])
if got != want:
    print("got: ", got, "\nwant:", want, file=sys.stderr)
    sys.exit(1)
PY
run sm check
expect_rc 1 "check with drift"

# ---- update writes each change in the Pydantic form
run sm update --prune
expect_rc 0 "update --prune"
assert_not_contains "$T/err" "cannot apply"
dr_ast $N
dr_hunks "$T/before.py" $N \
    "-    note: str" "+    note: Optional[str] = None" \
    "-    score: str  # was text once" "+    score: int  # was text once" \
    "-    legacy: Optional[int] = None" \
    "+    tags: Optional[list[str]] = None" "+    meta: Optional[dict] = None" \
    "+    mood: Optional[str] = None" "+    created_at: str" "+    price: Optional[float] = None" \
    "+    title: str" \
    "-class OldThingRow(BaseModel):" '-    """Database row for old_things"""' "-    id: int" \
    "+class MemberRow(BaseModel):" '+    """Database row for members"""' "+    id: int" \
    "+    team_id: Optional[int] = None" "+    nick: Optional[str] = None"
# model_config and class Config: byte-identical
python3 - "$T/before.py" $N <<'PY' || fail "model_config or class Config changed"
import sys
def block(text, start, end):
    i = text.index(start); return text[i:text.index(end, i)]
a, b = (open(p).read() for p in sys.argv[1:])
for s, e in (("    model_config = ConfigDict(", "    )\n"), ("    class Config:", "\n\n")):
    assert block(a, s, e) == block(b, s, e), s
assert 'display_name: str = Field(alias="displayName", min_length=1)' in b
PY
touch schemas/__init__.py schemas/database/__init__.py
pyd_mypy -p schemas
pyd_run '
from schemas.database.entities import OrganizationRow, TeamRow, MemberRow
o = OrganizationRow(id="1", name="n", displayName="Shown", score=3, flag=True, created_at="2024-01-01")
assert o.display_name == "Shown" and o.note is None and o.tags is None, o
assert set(OrganizationRow.model_fields) >= {"note", "score", "tags", "meta", "mood", "created_at", "price"}
assert "legacy" not in OrganizationRow.model_fields
assert OrganizationRow.model_config.get("frozen") is True
MemberRow(id=1)
TeamRow(id=1, title="t")
'
run sm check
expect_rc 0 "second check after update"
finish
