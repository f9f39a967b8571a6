#!/usr/bin/env bash
# ui_wide.sh: UTF-8 and wide characters at 80x24. Enum labels in CJK and emoji (short
# ones, and long ones that must be cut in the middle of wide characters) on both sides
# of the side-by-side panes: the separator stays in one column on every line, no line
# is wider than the terminal, cut text ends in an ellipsis, the list's titles fit.
# Columns are counted from the captured screen with Python's east_asian_width
# (tests/lib/tmux.sh: sep_columns), as the terminal counts them.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_wide) || { fail "cannot make a database"; finish; }
sql "$DB" <<'SQL' || { fail "cannot make the schema"; finish; }
CREATE TYPE mood AS ENUM ('happy', '幸せ', '😀 grin', '悲しい', 'ok',
    '東京都千代田区丸の内一丁目九番二号グラン',
    '🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉', 'mixed 漢字 and ascii 🚀 rocket');
CREATE TABLE diary (id int PRIMARY KEY, feeling mood NOT NULL, note text);
COMMENT ON TABLE diary IS '日記: どう感じたか';
SQL

R="$T/repo"
mkdir -p "$R/schemas/database"
cat > "$R/schemas/enums.py" <<'PY'
from enum import Enum


class Mood(str, Enum):
    """気分 🙂"""

    HAPPY = "happy"
    SHIAWASE = "幸せ"  # 幸せ: happiness
    OK = "ok"
    NERVOUS = "緊張した😬"
PY
cat > "$R/schemas/database/entities.py" <<'PY'
from typing import TypedDict


class DiaryRow(TypedDict):
    """日記: どう感じたか"""

    id: int
    feeling: str  # 気分の列, a long comment to be cut off: 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字
PY
git init -q -b main "$R"

ui_start 80 24 "$R" -- --db "$DB"
wait_for "accepted" 15

# check_columns LABEL: every line at most 80 columns; the panes' separator in column 39
# (layout.c: (80 - 1) / 2) on every line that has one, and on every pane row
check_columns() {
    local label=$1 bad
    bad=$(screen | python3 -c '
import sys, unicodedata
for n, line in enumerate(sys.stdin.read().split("\n")):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w > 80:
        print("line %d is %d columns: %s" % (n, w, line))
')
    [ -z "$bad" ] || fail "$label: $bad"
    local cols nlines
    cols=$(sep_columns "│" | awk '{print $2}' | sort -u | tr '\n' ' ')
    nlines=$(sep_columns "│" | wc -l)
    assert_eq "$cols" "39 " "$label: the columns of the separator"
    # the panes keep a third of the body, rows 15..21 of 24 (layout.c): each has the
    # separator
    [ "$nlines" -ge 7 ] || fail "$label: the separator is on $nlines lines only"
}

# every change of Mood in turn: each draws the panes with other wide text
keys / ; keys -l "Mood value" ; keys Enter
wait_for "database: enum mood"
check_columns "first label"
for i in 1 2 3 4 5 6; do
    keys n
    sleep 0.2
    check_columns "label $i"
done
# the long labels are cut with an ellipsis on the database's side
screen | grep -qF "…" || fail "no ellipsis where the long labels are cut: $(screen)"
screen | grep -qF '幸せ' || fail "the CJK label is not shown"
screen | grep -qF '😀 grin' || fail "the emoji label is not shown"

# the table with CJK in its docstring and comments
keys / ; keys -l "DiaryRow" ; keys Enter
wait_for "database: table diary"
check_columns "table diary"

# the panes scrolled sideways are not a thing: scroll down in them instead
keys Tab j j j
sleep 0.2
check_columns "panes scrolled"
keys Tab

# the preview of all the changes: its lines fit too
keys a p
wait_for "Preview:"
bad=$(screen | python3 -c '
import sys, unicodedata
for n, line in enumerate(sys.stdin.read().split("\n")):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w > 80: print(n, w)
')
[ -z "$bad" ] || fail "preview lines wider than 80 columns: $bad"
keys q
wait_for "accepted"

# search for a CJK word: typed as UTF-8, found
keys u / ; keys -l "悲しい" ; keys Enter
wait_for "/悲しい"
screen | grep -qF "no change matches" && fail "the CJK search found nothing: $(screen | tail -3)"

keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
finish
