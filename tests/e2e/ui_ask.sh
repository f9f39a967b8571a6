#!/usr/bin/env bash
# ui_ask.sh: destructive keys ask (issue 16 item 6), as the command line does with --prune.
#   - w and enter ask once, naming the count, the files and the classes removed whole;
#     n writes nothing;
#   - q asks while accepted changes are not applied;
#   - z undoes the last apply (after a question; the footer offers it only then);
#   - after a commit, a second c says there is nothing to commit.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_ask) || { fail "cannot make the database"; finish; }
sql "$DB" -c "CREATE TABLE kept (id integer)"
R="$T/repo"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class KeptRow(TypedDict, total=False):
    """Database row for kept"""
    id: Optional[int]


class GoneRow(TypedDict, total=False):
    """Database row for gone"""
    id: Optional[int]
PY
(cd "$R" && git init -q && git config user.name t && git config user.email t@e && git add -A && git commit -qm init) || fail "git"
cp "$R/schemas/database/entities.py" "$T/before.py"

ui_start 120 30 "$R" -- --db "$DB"
wait_for "1 change" 15
keys a
wait_for "1 accepted" 5
# ---- enter asks: the count, the files, the class removed; n writes nothing
keys Enter
wait_for "apply 1 change, writing schemas/database/entities.py, schemas/schema_version.py; removing class GoneRow? (y/n)" 5
keys n
wait_for "cancelled" 5
assert_same_file "$R/schemas/database/entities.py" "$T/before.py"
[ -e "$R/schemas/schema_version.py" ] && fail "n to the question wrote schema_version.py"

# ---- q asks while an accepted change is not applied
keys q
wait_for "1 accepted change is not applied (w applies): quit anyway? (y/n)" 5
keys n
wait_for "cancelled" 5
[ -s "$UI_RCFILE" ] && fail "n to the question quit"

# ---- nothing to undo yet: z says so, and the footer does not offer it
screen | tail -2 | grep -qF "z undo" && fail "the footer offers undo before any apply"
keys z
wait_for "nothing to undo" 5

# ---- w, y: written; z undoes it (after a question), then it is applied again
apply_yes
wait_for "applied 1 change to 2 files" 10
grep -q "GoneRow" "$R/schemas/database/entities.py" && fail "GoneRow was not removed"
screen | tail -2 | grep -qF "z undo" || fail "the footer does not offer undo after the apply: $(screen | tail -2)"
keys z
wait_for "undo the last apply: restore backup " 5
keys y
wait_for "undone: restored backup " 10
assert_same_file "$R/schemas/database/entities.py" "$T/before.py"
[ -e "$R/schemas/schema_version.py" ] && fail "the undo left schema_version.py, which the apply had created"
screen | tail -2 | grep -qF "z undo" && fail "the footer still offers undo after it"
wait_for "1 change" 5
keys a
wait_for "1 accepted" 5
apply_yes
wait_for "applied 1 change to 2 files" 10

# ---- commit, then c again: nothing to commit
keys c
wait_for "Commit the schema files" 5
keys C-s
wait_for "committed" 10
keys Escape
wait_for "0 changes" 5
keys c
wait_for "nothing to commit: the schema files are as in the last commit" 5
screen | grep -qF "Commit the schema files" && fail "the commit dialog opened with nothing to commit"
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
finish
