#!/usr/bin/env bash
# class_names.sh: class names chosen for the whole catalog (SPEC 2, issue 15 item 4):
# when the config gives two objects one class name, no valid name can be made and the
# command exits 2 before writing; a name the config gives is kept and the table whose
# convention gives the same name is numbered instead (BRow / B2Row); tables named "_" and
# "__" become Row and Row2, an enum named "decimal" DecimalEnum (it would shadow the
# import), "2fa" _2fa; the result parses and is in sync.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 mypy

dr_repo class_names "CREATE TABLE a (id integer); CREATE TABLE b (id integer); CREATE TABLE \"_\" (x integer);
CREATE TABLE \"__\" (y integer); CREATE TYPE \"decimal\" AS ENUM ('x'); CREATE TYPE \"2fa\" AS ENUM ('sms');
CREATE TABLE pay (amount numeric, d \"decimal\", f \"2fa\")"
git commit -qm init --allow-empty
printf '{"names": {"tables": {"a": "XRow", "b": "XRow"}}}\n' >.schemerge.json
run sm update
expect_rc 2 "update with two tables configured to one class"
assert_contains "$T/err" 'the config names the class XRow for both table public.a and table public.b'
[ -e schemas/database/entities.py ] && fail "a file was written"
printf '{"names": {"tables": {"a": "BRow"}}, "enum_columns": "class", "types": {"numeric": "Decimal"}}\n' >.schemerge.json
run sm update
expect_rc 0 "update"
E=schemas/database/entities.py
assert_contains $E $'class BRow(TypedDict, total=False):\n    """Database row for a"""'
python3 - <<'PY' || fail "class names: $(grep -h '^class' schemas/*.py schemas/database/*.py)"
import ast
names = {}
for p in ["schemas/enums.py", "schemas/database/entities.py"]:
    for n in ast.parse(open(p).read()).body:
        if isinstance(n, ast.ClassDef):
            names[ast.get_docstring(n)] = n.name
assert names["Database row for a"] == "BRow", names
assert names["Database row for b"] == "B2Row", names
assert names['Database row for _'] == "Row", names
assert names['Database row for __'] == "Row2", names
assert names['decimal enumeration'] == "DecimalEnum", names
assert names['"2fa" enumeration'] == "_2fa", names
PY
assert_contains $E 'from decimal import Decimal'
assert_contains $E '    d: Optional[DecimalEnum]'
dr_ast $E schemas/enums.py
dr_mypy
run sm check
expect_rc 0 "check"
finish
