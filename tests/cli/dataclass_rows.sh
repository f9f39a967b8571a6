#!/usr/bin/env bash
# dataclass_rows.sh: issue 9 item 1 for @dataclass row classes (tests/fixtures/pydantic/
# entities_dataclass.py: `@dataclass(frozen=True)`, `@dataclasses.dataclass`, a ClassVar).
# Against a real PostgreSQL: every change kind is found and `update --prune` keeps Python's
# rule that fields without defaults come first: a nullable column gets `= None` after the
# last field, a NOT NULL one goes before the first defaulted field, a field that became
# NOT NULL loses its `= None`; a new table is a dataclass. The result parses (ast), mypy
# accepts it, Python builds the dataclasses (a wrong order raises TypeError at import),
# and a second check exits 0.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need mypy

dr_repo dataclass_rows "
CREATE TABLE organizations (id uuid PRIMARY KEY, name text NOT NULL, \"displayName\" text NOT NULL,
    note text, score integer NOT NULL, tags text[], meta jsonb);
CREATE TABLE teams (id integer PRIMARY KEY, title text NOT NULL);
CREATE TABLE members (id integer PRIMARY KEY, team_id integer REFERENCES teams, nick text NOT NULL);"
N=schemas/database/entities.py
cp "$FIXTURES/pydantic/entities_dataclass.py" $N
git add -A && git commit -qm dataclass
cp $N "$T/before.py"

run sm diff --json
expect_rc 0 "diff --json"
python3 - "$T/out" <<'PY' || fail "diff --json on the dataclass file is not what was expected"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((c["kind"], c["class"], c.get("member")) for c in d["changes"])
want = sorted([
    ("column_added", "OrganizationRow", "displayName"),
    ("column_added", "OrganizationRow", "score"),
    ("column_added", "OrganizationRow", "tags"),
    ("column_added", "OrganizationRow", "meta"),
    ("column_removed", "OrganizationRow", "legacy"),
    ("column_added", "TeamRow", "id"),
    ("column_nullability_changed", "TeamRow", "title"),
    ("table_added", "MemberRow", None),
    ("table_removed", "OldThingRow", None),
])
if got != want:
    print("got: ", got, "\nwant:", want, file=sys.stderr)
    sys.exit(1)
PY

run sm update --prune
expect_rc 0 "update --prune"
assert_not_contains "$T/err" "cannot apply"
dr_ast $N
# the whole class bodies, in order: the required fields first
python3 - $N <<'PY' || fail "dataclass fields are not where Python's rules put them"
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
def fields(name):
    return [(s.target.id, ast.unparse(s.annotation), s.value is not None)
            for s in classes[name].body if isinstance(s, ast.AnnAssign)]
want = {
    "OrganizationRow": [("TABLE", "ClassVar[str]", True), ("id", "str", False), ("name", "str", False),
                        ("displayName", "str", False), ("score", "int", False),
                        ("note", "Optional[str]", True), ("tags", "Optional[list[str]]", True),
                        ("meta", "Optional[dict]", True)],
    "TeamRow": [("id", "int", False), ("title", "str", False)],
    "MemberRow": [("id", "int", False), ("nick", "str", False), ("team_id", "Optional[int]", True)],
}
ok = set(classes) == {"OrganizationRow", "TeamRow", "MemberRow"}
for k, v in want.items():
    if k not in classes or fields(k) != v:
        print(k, fields(k) if k in classes else None, "\n   want", v, file=sys.stderr); ok = False
decos = {k: [ast.unparse(d) for d in c.decorator_list] for k, c in classes.items()}
if decos != {"OrganizationRow": ["dataclass(frozen=True)"], "TeamRow": ["dataclasses.dataclass"],
             "MemberRow": ["dataclass(frozen=True)"]}:
    print("decorators:", decos, file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
PY
grep -q "        return self.name" $N || fail "the method was lost"
dr_mypy
(cd "$R" && python3 -c '
from schemas.database.entities import OrganizationRow, TeamRow, MemberRow
o = OrganizationRow(id="1", name="n", displayName="d", score=1)
assert o.note is None and o.label() == "n"
TeamRow(id=1, title="t"); MemberRow(id=1, nick="x")
') >"$T/py.out" 2>&1 || fail "the dataclasses do not build: $(tail -5 "$T/py.out")"
run sm check
expect_rc 0 "second check after update"
finish
