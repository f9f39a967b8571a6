#!/usr/bin/env bash
# ui_mouse.sh: the mouse (issue 6) and the footers of each screen. Mouse events reach
# the program as the xterm SGR sequences a terminal sends (ESC [ < button ; column ; row
# M for a press, m for a release; the wheel is buttons 64 and 65), typed into the pane
# with tmux send-keys -l; ncurses decodes them under TERM=xterm-256color.
#   - a click on a change row selects it and the side-by-side follows; a click on a
#     header selects the first change under it; a click on the [ ] box accepts the
#     change (and a second one takes it back), the cursor staying on it;
#   - the wheel scrolls the list (the cursor kept on screen), the panes under the
#     pointer, and the help text;
#   - a click on a footer label runs its key (help, close, filter);
#   - the footers: the loading screen offers only ? help and q quit, the database error
#     panel only r retry, b backups, ? help and q quit, and each view only its own keys.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

LPID=
trap '[ -z "$LPID" ] || kill "$LPID" 2>/dev/null; tm_cleanup' EXIT

DB=$(pg_new_db sm_e2e_mouse "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"

# press and release button 1 at screen column COL, row ROW (0-based, as curses counts)
click() {
    case "$1$2" in *[!0-9]*|'') fail "click at [$1] [$2]: not a cell"; finish ;; esac
    keys -l $'\e'"[<0;$(($1 + 1));$(($2 + 1))M"
    keys -l $'\e'"[<0;$(($1 + 1));$(($2 + 1))m"
}
# one notch of the wheel, up or down, with the pointer at COL, ROW
wheel() {
    local b=64
    [ "$1" = down ] && b=65
    keys -l $'\e'"[<$b;$(($2 + 1));$(($3 + 1))M"
}
# the 0-based screen row of the first line with TEXT (polled: a capture taken while
# the program redraws may miss a line)
row_of() {
    local n deadline=$(( $(_ms) + 5000 ))
    while [ "$(_ms)" -lt "$deadline" ]; do
        n=$(screen | grep -nF -- "$1" | head -1 | cut -d: -f1)
        [ -n "$n" ] && { echo $((n - 1)); return 0; }
        sleep 0.05
    done
    fail "no line with [$1] to click on"
    echo 0
}
# screen line N (0-based)
line() { screen | sed -n "$(($1 + 1))p"; }
# click where TEXT starts on the footer (the last FOOTER_ROWS lines, 2 at 100x30 for the
# change list)
footer_click() {
    local at
    at=$(screen | tail -n "${FOOTER_ROWS:-1}" | python3 -c '
import sys
lines = sys.stdin.read().split("\n")
for i, l in enumerate(lines):
    if sys.argv[1] in l:
        print(l.find(sys.argv[1]), 30 - int(sys.argv[2]) + i)
        break' "$1" "${FOOTER_ROWS:-1}")
    [ -n "$at" ] || { fail "no [$1] on the footer: $(screen | tail -3)"; finish; }
    click $at
}
# wait until screen line N (0-based) has TEXT
wait_line() {
    local n=$1 text=$2 deadline=$(( $(_ms) + 5000 ))
    while [ "$(_ms)" -lt "$deadline" ]; do
        line "$n" | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    fail "line $n never showed [$text]; it is [$(line "$n")]"
}
selected() { has_reverse "$(attrs_at "$1")"; }
has_reverse() { case " $1 " in *" reverse "*) return 0 ;; esac; return 1; }

ui_start 100 30 "$R" -- --db "$DB"
wait_for "0 accepted" 15
# the program asked the terminal for mouse reports (tmux keeps the pane's modes)
assert_eq "$(tm display -p -t ui '#{mouse_standard_flag}')" 1 "mouse reporting on while the UI runs"
# the footer names every key of the change list (two rows at 100 columns)
FOOTER=$(screen | tail -2 | sed 's/ *$//')
assert_eq "$FOOTER" "space accept  w/enter apply  p preview  / search  n/N match  1/2/3/4/0 filter  a all  i ignore
u clear  tab pane  b backups  c commit  r reload  ? help  q quit" "the change list's footer"
# every key of the change list's rows in ui/keymap.c is named there
python3 - "$SRCDIR/ui/keymap.c" "$FOOTER" <<'PY' || fail "a key of the change list is not on its footer"
import re, sys
src, footer = open(sys.argv[1]).read(), sys.argv[2]
labels = re.findall(r'\{ SCOPE_CHANGES, (ACT_\w+), \{[^}]*\}, "([^"]*)"', src)
assert len(labels) > 15, labels
def named(key):
    return re.search(r"(^|[\s/])" + re.escape(key) + r"($|[\s/])", footer, re.M)
missing = [l for a, l in labels if a != "ACT_UNDO"
           and not all(named(k) for k in (l.split("/") if l != "/" else ["/"]))]
if missing:
    print("not on the footer:", missing)
    sys.exit(1)
PY

# ---- a click on a row selects it; the panes follow
wait_for "database: enum document_kind"
y=$(row_of "Add MemberRole value member")
click 40 "$y"
wait_for "database: enum member_role"
selected "Add MemberRole value member" || fail "the clicked row is not selected: [$(attrs_at "Add MemberRole value member")]"
selected "Add enum DocumentKind" && fail "the first row is still selected after the click"
# a click on a header selects the first change under it
y=$(row_of "Legacy (enum legacy_kind)")
click 10 "$y"
wait_for "database: (not in the database)"
selected "Remove Legacy" || fail "a click on the Legacy header did not select its change"

# ---- a click on the box accepts; the cursor stays on the row
y=$(row_of "Add MemberRole value viewer")
click 5 "$y"
wait_for "1 accepted"
line "$y" | grep -qF "[x] [HIGH]     enum_value_added           Add MemberRole value viewer" ||
    fail "the clicked box is not ticked: [$(line "$y")]"
selected "Add MemberRole value viewer" || fail "the row whose box was clicked is not selected"
assert_eq "$(screen | grep -cF '[x]')" 1 "ticked boxes after one click"
# each end of the box: its brackets count
click 6 "$y"
wait_for "0 accepted"
click 4 "$y"
wait_for "1 accepted"
# a click left of the box (on the indent) selects without toggling
y2=$(row_of "Add MemberRole value admin")
click 1 "$y2"
wait_for "database: enum member_role"
selected "Add MemberRole value admin" || fail "a click on the indent did not select the row"
screen | grep -qF "1 accepted" || fail "a click beside the box toggled it"

# ---- the wheel scrolls the list, the cursor stays on screen
click 40 "$(row_of "Add enum DocumentKind")"
wait_for "database: enum document_kind"
wait_line 1 "schemas/enums.py"
wheel down 40 4
wait_line 1 "  Legacy (enum legacy_kind)"
# the selected row (DocumentKind, scrolled off) gave way to the first change shown
selected "Remove Legacy" || fail "after the wheel the cursor is not on the first change shown"
wait_for "database: (not in the database)"
wheel down 40 4
wait_line 1 "Add MemberRole value admin"
wheel up 40 4
wheel up 40 4
wait_line 1 "schemas/enums.py"
# the wheel past the top stays at the top
wheel up 40 4
sleep 0.2
wait_line 1 "schemas/enums.py"

# ---- the wheel over a pane scrolls the panes, not the list
click 40 "$(row_of "Add enum DocumentKind")"
wait_for "database: enum document_kind"
PANE_TOP=$(row_of "database: enum document_kind")
wait_line $((PANE_TOP + 1)) '+class DocumentKind(str, Enum):'
wheel down 70 $((PANE_TOP + 3))
wait_line $((PANE_TOP + 1)) '+    REPORT = "report"'
wait_line 1 "schemas/enums.py"
selected "Add enum DocumentKind" || fail "the wheel over the panes moved the list's cursor"
wheel up 20 $((PANE_TOP + 3))
wait_line $((PANE_TOP + 1)) '+class DocumentKind(str, Enum):'

# ---- footer clicks: 4 filter, then help, whose text the wheel scrolls, and close
# each key of a shared label is a click of its own; its word runs the first key
FOOTER_ROWS=2
footer_click "4/0 filter"
wait_for "filter low"
footer_click "filter"
wait_for "filter critical"
wait_gone "filter low"
footer_click "0 filter"
wait_gone "filter critical"
footer_click "? help"
FOOTER_ROWS=1
wait_for "Moving (every list and text)"
FOOTER=$(screen | tail -1 | sed 's/ *$//')
assert_eq "$FOOTER" "q/esc close" "the help screen's footer"
wheel down 40 10
wait_gone "Moving (every list and text)"
wheel up 40 10
wait_for "Moving (every list and text)"
keys G
wait_for "Mouse: a click on a change selects it"
footer_click "close"
wait_for "1 accepted"
wait_gone "Moving (every list and text)"
FOOTER_ROWS=2 footer_click "q quit"
# one change is accepted and not applied: q asks first (a click answers nothing)
wait_for "1 accepted change is not applied (w applies): quit anyway? (y/n)" 5
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after a click on q quit"
# and gave the terminal back without them: the shell must not get mouse escapes
assert_eq "$(tm display -p -t ui '#{mouse_any_flag}')" 0 "mouse reporting off after the UI exits"

# ---- the database error panel: r retry, b backups, ? help, q quit, and nothing else
ui_start 100 30 "$R" -- --db "host=$T/no-server port=5 user=nobody dbname=x"
wait_for "r retries, b opens the backups, q quits" 15
FOOTER=$(screen | tail -1 | sed 's/ *$//')
assert_eq "$FOOTER" "r retry  b backups  ? help  q quit" "the error panel's footer"
# the footer's keys work there: help and back, retry (the same error), quit by a click
footer_click "? help"
# the help opens at the keys that work here, without scrolling
wait_for "Error (the database or a file)"
wait_for "read the database catalog and the files again"
keys q
wait_for "r retries, b opens the backups, q quits"
footer_click "r retry"
wait_for "r retries, b opens the backups, q quits"
keys j
wait_for "r retries, b opens the backups, q quits"
footer_click "q quit"
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after a click on q on the error panel"

# ---- the loading screen: ? help and q quit only (a listener that never answers)
python3 - "$T/port" <<'PY' &
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)  # never read, never answered
PY
LPID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port" 2>/dev/null) || { fail "the silent listener did not start"; finish; }
ui_start 100 30 "$R" -- --db "host=127.0.0.1 port=$PORT user=nobody dbname=silent sslmode=disable connect_timeout=30"
wait_for "Loading the database catalog" 5
FOOTER=$(screen | tail -1 | sed 's/ *$//')
assert_eq "$FOOTER" "? help  q quit" "the loading screen's footer"
# clicks and the wheel on the loading screen do nothing but leave it drawn
click 40 10
wheel down 40 10
wait_for "Loading the database catalog" 1
footer_click "q quit"
ui_wait_exit 3 && assert_eq "$UI_RC" 0 "exit status after a click on q while loading"
kill "$LPID" 2>/dev/null
LPID=
finish
