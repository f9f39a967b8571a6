#!/usr/bin/env bash
# ui_functional.sh: the UI says when applying a change converts a class to the functional
# TypedDict form (issue 15 item 1): the change's row carries the note, the preview (p)
# lists it before the diff, and `w` writes the converted class, which Python accepts.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_functional) || { fail "cannot make the database"; finish; }
sql "$DB" -c 'CREATE TABLE shapes (id integer, name text, "import" integer)'
R="$T/repo"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class ShapeRow(TypedDict, total=False):
    """Database row for shapes"""
    id: Optional[int]  # pk
    name: Optional[str]
PY
(cd "$R" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm init) || fail "git"

ui_start 120 30 "$R" -- --db "$DB"
wait_for "ShapeRow" 15
wait_for "converts ShapeRow to the functional TypedDict form" 5
keys a p
wait_for "Preview:" 5
wait_for "note: converts ShapeRow to the functional TypedDict form" 5
wait_for '+ShapeRow = TypedDict(' 5
keys q
apply_yes
wait_for "applied 1 change" 10
python3 - "$R/schemas/database/entities.py" <<'PY' || fail "the class was not converted: $(cat "$R/schemas/database/entities.py")"
import ast, sys
s = open(sys.argv[1]).read()
ast.parse(s)
assert '# Database row for shapes\nShapeRow = TypedDict(' in s, s
assert '"id": Optional[int],  # pk' in s and '"import": Optional[int],' in s, s
PY
finish
