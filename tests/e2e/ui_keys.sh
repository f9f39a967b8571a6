#!/usr/bin/env bash
# ui_keys.sh: the keys a less/tig user reaches for (issue 16 item 8).
#   - in the panes, space pages down (as in less) and accepts nothing;
#   - shift-tab moves the focus back (to the list: space accepts again);
#   - End and Home go to the last and the first change;
#   - l and h (right, left) scroll the panes sideways to the end of a long line and back;
#   - the help lists them.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_keys) || { fail "cannot make the database"; finish; }
cols=$(for i in $(seq -w 1 40); do printf 'c%s integer, ' "$i"; done)
long=a_column_name_long_enough_to_run_past_the_edge_of_its_pane_xyz
sql "$DB" -c "CREATE TABLE aaa_wide ($long integer, ${cols}id integer PRIMARY KEY); CREATE TABLE bbb (id integer); CREATE TABLE zzz_last (id integer)"
R="$T/repo"
mkdir -p "$R/schemas/database"
(cd "$R" && git init -q && git -c user.name=t -c user.email=t@e commit -q --allow-empty -m init) || fail "git"

# End and Home as xterm sends them (TERM is xterm-256color; tmux's own End and Home are
# the screen terminal's)
END=$'\eOF' HOME_KEY=$'\eOH'
ui_start 100 30 "$R" -- --db "$DB"
wait_for "3 changes" 15
wait_for "c01: Optional[int]" 5

# ---- long lines: l scrolls the panes right, h back
screen | grep -qF "xyz: Optional[int]" && fail "the long line fits already: the test needs a longer name"
keys l l l l l l
wait_for "xyz: Optional[int]" 5
keys h h h h h h
wait_for "    a_column_name_long" 5
wait_gone "xyz: Optional[int]" 5

# ---- the panes: space pages down, accepts nothing
keys Tab
keys Space
wait_gone "c01: Optional[int]" 5
screen | grep -qF "0 accepted" || fail "space in the panes accepted a change: $(screen | head -1)"
screen | grep -qE "c1[5-9]: Optional\[int\]" || fail "space did not page the panes down: $(screen | sed -n 12,20p)"

# ---- shift-tab: the focus goes back to the list, where space accepts
keys BTab
keys Space
wait_for "1 accepted" 5
screen | grep -F "AaaWideRow" | grep -qF "[x]" || fail "the first change was not the one accepted: $(screen | sed -n 2,9p)"

# ---- End and Home
keys -l "$END"
keys Space
wait_for "2 accepted" 5
screen | grep -F "ZzzLastRow" | grep -qF "[x]" || fail "End did not go to the last change: $(screen | sed -n 2,12p)"
keys -l "$HOME_KEY"
keys u
wait_for "0 accepted" 5
keys -l "$HOME_KEY"
keys Space
wait_for "1 accepted" 5
screen | grep -F "AaaWideRow" | grep -qF "[x]" || fail "Home did not go to the first change: $(screen | sed -n 2,12p)"

# ---- the help names them
keys '?'
wait_for "Help" 5
for k in "g/Home" "G/End" "PgDn/space" "shift-tab"; do
    for _ in 1 2 3 4 5 6; do screen | grep -qF -- "$k" && break; keys PageDown; sleep 0.1; done
    screen | grep -qF -- "$k" || fail "the help does not list $k"
    keys -l "$HOME_KEY"
done
keys q
wait_gone "Help" 5
keys q
wait_for "1 accepted change is not applied (w applies): quit anyway? (y/n)" 5
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
finish
