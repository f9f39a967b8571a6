#!/usr/bin/env bash
# marker_names.sh: markers round-trip for every name, and class names are identifiers
# (SPEC 2, issue 15 items 4-5 in part). Tables and enums named with spaces, capitals,
# quotes, a backslash, an ESC sequence and a bidi override: `update` writes classes whose
# markers name them as SQL writes them ("line items", "Order State" enumeration), inside
# docstrings that hold them exactly; every class name is a Python identifier; the files
# parse; a second `update` changes no byte and `check` is in sync (the marker of "line
# items" was read back as "line", so every update appended another copy of the class).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3

dr_repo marker_names
python3 - "$DB" <<'PY' || fail "cannot create the catalog"
import subprocess, sys
def q(n):
    return '"' + n.replace('"', '""') + '"'
names = ["line items", "Order Items", 'we"ird\\name', "esc\x1b[2Jtable", "rtl\u202eelbat"]
sql = ["CREATE TYPE %s AS ENUM ('a b', 'c');" % q("order state"),
       "CREATE TYPE %s AS ENUM ('x');" % q("Mood Ring")]
for n in names:
    sql.append("CREATE TABLE %s (id integer PRIMARY KEY, note text);" % q(n))
subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", sys.argv[1], "-c", "\n".join(sql)], check=True)
PY
git commit -qm init --allow-empty

run sm update
[ "$RC" = 0 ] || fail "first update exited $RC: $(cat "$T/err")"
dr_ast schemas/enums.py schemas/database/entities.py
python3 - schemas/enums.py schemas/database/entities.py <<'PY' || fail "a class name is not an identifier, or a marker is not exact"
import ast, keyword, sys
want = {"line items", "Order Items", 'we"ird\\name', "esc\x1b[2Jtable", "rtl\u202eelbat", "order state", "Mood Ring"}
seen = set()
for path in sys.argv[1:]:
    for node in ast.parse(open(path, encoding="utf-8").read()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        assert node.name.isidentifier() and not keyword.iskeyword(node.name), node.name
        doc = ast.get_docstring(node, clean=False) or ""
        for n in want:
            quoted = '"' + n.replace('"', '""') + '"'
            if doc in ("Database row for " + quoted, quoted + " enumeration"):
                seen.add(n)
assert seen == want, sorted(want - seen)
PY
git add -A && git commit -qm first
cp schemas/database/entities.py "$T/entities.first"
run sm update
expect_rc 0 "second update"
assert_same_file schemas/database/entities.py "$T/entities.first"
assert_eq "$(git status --porcelain schemas | wc -l)" 0 "files changed by the second update"
run sm check
expect_rc 0 "check after the update"
finish
