#!/usr/bin/env bash
# ui_files.sh: the UI names exactly the files an apply writes (issue 16 item 10): the
# preview, the apply's message and the commit dialog, for a subset of the changes (no
# sync recorded: schema_version.py is not written) and for the rest (it is).
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_files) || { fail "cannot make the database"; finish; }
sql "$DB" -c "CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE things (id integer)"
R="$T/repo"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/enums.py" <<'PY'
from enum import Enum


class Mood(str, Enum):
    """mood enumeration"""
    A = "a"
    B = "b"
PY
(cd "$R" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm init) || fail "git"

ui_start 120 30 "$R" -- --db "$DB"
wait_for "2 changes" 15
# ---- the enum's change alone
keys Space p
wait_for "Preview: 1 accepted change" 5
wait_for "writes: schemas/enums.py" 5
screen | grep -F "writes:" | grep -qF "schema_version.py" && fail "the preview names schema_version.py for a subset"
keys q
apply_yes
wait_for "applied 1 change to 1 file, backup " 10
screen | grep -qE "applied 1 change to 1 file, backup [0-9TZ-]+: schemas/enums\.py *$" ||
    fail "the apply's message does not name the file written: $(screen | tail -2 | head -1)"
keys c
wait_for "Commit the schema files" 5
wait_for "Files: schemas/enums.py" 5
screen | grep -F "Files:" | grep -qF "schema_version.py" && fail "the commit dialog lists schema_version.py, which was not written"
keys Escape
wait_for "commit cancelled" 5

# ---- the rest: the sync is complete, the version file is written too
keys a p
wait_for "writes: schemas/database/entities.py schemas/schema_version.py" 5
keys q
apply_yes
wait_for "applied 1 change to 2 files, backup " 10
screen | grep -qE "backup [0-9TZ-]+: schemas/database/entities\.py, schemas/schema_version\.py" ||
    fail "the apply's message does not name both files: $(screen | tail -2 | head -1)"
keys c
wait_for "Files: schemas/enums.py, schemas/database/entities.py, schemas/schema_version.py" 5
keys Escape
wait_for "commit cancelled" 5
keys q
wait_for "quit anyway? (y/n)" 5
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
finish
