#!/usr/bin/env bash
# ui_navigate.sh: lists people can navigate (issue 16 item 7).
#   - the status line says where the cursor is among the changes shown (3/42);
#   - / is incremental: each key typed moves to the first match from where / was pressed,
#     the match is underlined in the list, Esc goes back, enter keeps it;
#   - a severity filter limits what w acts on, and the footer says so ("apply shown");
#   - the list uses the screen's height: at 100x30, 18 rows of the 27 of the body (9
#     before), the panes below it.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_navigate) || { fail "cannot make the database"; finish; }
tables=$(for i in $(seq -w 1 40); do printf 'CREATE TABLE t%s (id integer); ' "$i"; done)
sql "$DB" -c "$tables CREATE TYPE mood AS ENUM ('a', 'b', 'c')"
R="$T/repo"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/enums.py" <<'PY'
from enum import Enum


class Mood(str, Enum):
    """mood enumeration"""
    A = "a"
    B = "b"
PY
cat >"$R/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class GoneRow(TypedDict, total=False):
    """Database row for gone"""
    id: Optional[int]
PY
(cd "$R" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm init) || fail "git"

ui_start 100 30 "$R" -- --db "$DB"
wait_for "42 changes" 15
wait_for "| 1/42" 5
keys j j
wait_for "| 3/42" 5
# ---- the list's height: rows 1..18 are the list, the panes' titles on row 19
pane_title=$(screen | grep -nF "database: " | head -1 | cut -d: -f1)
assert_eq "$pane_title" 20 "the line of the panes' titles (1-based) under a list of 42 changes"
assert_eq "$(screen | sed -n 2,19p | grep -cE '^ *(\[[ x]\] |schemas/|[A-Z])')" 18 "list rows shown at 100x30"

# ---- incremental search
keys /
keys -l "t2"
wait_for "/t2" 5
# the first table whose name holds t2, from where / was pressed: t20 (the enum came first)
screen | grep -qF "| 3/42" && fail "typing the search did not move the cursor"
pos=$(screen | head -1 | grep -oE '[0-9]+/42')
row=$(screen | grep -F "Add T20Row")
[ -n "$row" ] || fail "T20Row is not on screen after typing t2: $(screen)"
# the match is underlined in the rows
# (the escape that underlines it splits the name in what tmux captures)
screen -e | grep -F "table_added" | grep -qE $'Add (\e\\[[0-9;]*m)*\e\\[[0-9;]*4[0-9;]*m(\e\\[[0-9;]*m)*T2(\e\\[[0-9;]*m)+0Row' ||
    fail "the match is not underlined: $(screen -e | grep -F table_added | cat -v | head -3)"
keys Escape
wait_for "| 3/42" 5
keys /
keys -l "t3"
keys Enter
wait_gone "| 3/42" 5
screen | grep -qF "/t3" || fail "enter did not keep the search"
keys n
sleep 0.2
keys /
keys -l "nothing-matches"
keys Enter
wait_for "no change matches 'nothing-matches'" 5

# ---- a filter limits what w takes, and the footer says so
keys a
wait_for "42 accepted" 5
keys 1
wait_for "filter critical" 5
screen | tail -2 | grep -qF "w/enter apply shown" || fail "the footer does not say w applies the changes shown: $(screen | tail -2)"
keys w
wait_for "apply 1 change, writing schemas/database/entities.py; removing class GoneRow? (y/n)" 5
keys n
wait_for "cancelled" 5
keys 1
wait_gone "filter critical" 5
screen | tail -2 | grep -qF "apply shown" && fail "the footer still says 'apply shown' without a filter"
keys u q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
[ -n "$pos" ] || fail "no position after the search"
finish
