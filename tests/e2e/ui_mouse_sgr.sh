#!/usr/bin/env bash
# ui_mouse_sgr.sh: the mouse past column 223 (issue 16 item 8). Under a terminal whose
# description has the old X10 mouse form (TERM=screen-256color, as in tmux and screen:
# kmous=\E[M, which cannot say a column past 223), schemerge asks for SGR reports (mode
# 1006) and reads them itself: a click at column 240 of a 260-column terminal selects the
# change there, the wheel scrolls, and mode 1006 is off again once the UI ends.
. "$TESTLIB"
need git psql python3 infocmp
need_db
. "$SRCDIR/tests/lib/tmux.sh"
infocmp screen-256color 2>/dev/null | grep -qF 'kmous=\E[M' || skip "screen-256color has no X10 kmous here"

DB=$(pg_new_db sm_e2e_mouse_sgr "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"

# press and release button 1 at COL, ROW (0-based), as an SGR terminal sends them
click() {
    keys -l $'\e'"[<0;$(($1 + 1));$(($2 + 1))M"
    keys -l $'\e'"[<0;$(($1 + 1));$(($2 + 1))m"
}
row_of() { screen | grep -nF -- "$1" | head -1 | cut -d: -f1 | awk '{print $1 - 1}'; }

ui_start 260 40 "$R" TERM=screen-256color -- --db "$DB"
wait_for "0 accepted" 15
assert_eq "$(tm display -p -t ui '#{mouse_sgr_flag}')" 1 "SGR mouse reports asked for"
pos0=$(screen | head -1 | grep -oE '[0-9]+/[0-9]+ *$' | tr -d ' ')
# the third change's row, clicked far right (column 240)
target=$(screen | grep -F "[ ] [" | sed -n 3p | sed -E 's/.*\] +[a-z_]+ +//; s/ +$//')
[ -n "$target" ] || fail "no third change on screen: $(screen | head -12)"
y=$(row_of "$target")
click 240 "$y"
wait_for "| 3/" 5
[ "$pos0" != "3/$(echo "$pos0" | cut -d/ -f2)" ] || fail "the cursor was on the third change already"
# nothing typed by the report's bytes: no filter, no search, nothing accepted
screen | head -1 | grep -qE "filter|/[^0-9]" && fail "the report's bytes were taken as keys: $(screen | head -1)"
screen | grep -qF "0 accepted" || fail "the report's bytes accepted a change"
# the box at its column accepts: the cell of [ ] in that row
click 5 "$y"
wait_for "1 accepted" 5
keys q
wait_for "quit anyway? (y/n)" 5
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
assert_eq "$(tm display -p -t ui '#{mouse_sgr_flag}')" 0 "SGR mouse reports still on after the UI ended"
finish
