#!/usr/bin/env bash
# ui_signals.sh: the terminal is restored when the UI is ended by SIGTERM (kill) and by
# SIGINT (ctrl-c typed in the terminal), in the change list, in a sub-view and while
# the catalog is still loading; and ctrl-z gives the shell a usable terminal, fg brings
# the UI back. The UI runs from an interactive shell in a tmux pane, as a user runs it;
# afterwards the shell's own output from before is back on the screen (the alternate
# screen was left), the cursor is visible, keypad mode is off, and `stty -g` in that
# shell is what it was before the UI started (so icanon and echo are on).
# tests/reliability/terminal_faults.sh covers SIGHUP, TERM=dumb and tiny terminals.
. "$TESTLIB"
need git psql python3 stty
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_signals "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"

# a silent listener: a database that never answers keeps the UI loading
python3 - "$T/port" <<'PY' &
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    held.append(s.accept()[0])
PY
LPID=$!
trap 'kill "$LPID" 2>/dev/null; tm_cleanup' EXIT
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
SILENT="host=127.0.0.1 port=$(cat "$T/port") user=nobody dbname=silent sslmode=disable connect_timeout=60"

N=0
# The typed command lines echo on the screen too: markers are typed with "" inside them
# (before-the""-ui-1) so that only the output matches the text waited for.
# shell_start: an interactive sh (dash: no line editing of its own that would touch the
# terminal's modes) in a fresh tmux server, in the repository
shell_start() {
    tm kill-server >/dev/null 2>&1
    N=$((N + 1))
    TM_SOCK="$TM_BASE-sh$N"
    tm new-session -d -s ui -x 100 -y 30 \
        "$(printf '%q ' env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC \
            TERM=xterm-256color GIT_CONFIG_NOSYSTEM=1 PS1='$ ' sh -i)" || fail "cannot start tmux"
    tm set-option -t ui window-size manual >/dev/null 2>&1
    keys -l "cd $(printf %q "$R") && stty -g > $T/stty.before && echo before-the\"\"-ui-$N"
    keys Enter
    wait_for "before-the-ui-$N"
}
flag() { tm display -p -t ui "#{$1}"; }
# run_ui ARGS...: type the command line in the shell and wait for the UI's screen
run_ui() {
    keys -l "$(printf '%q ' "$SCHEMERGE" "$@")"
    keys Enter
}
# after_ui LABEL STATUS: the shell has the terminal back in the state it was in before
after_ui() {
    local label=$1 want=$2
    local deadline=$(( $(_ms) + 5000 ))
    while [ "$(flag alternate_on)" != 0 ] && [ "$(_ms)" -lt "$deadline" ]; do sleep 0.05; done
    assert_eq "$(flag alternate_on)" 0 "$label: the alternate screen after the UI ended"
    keys -l "echo status=\$? && stty -g > $T/stty.after && stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo|isig|icrnl|ixon)' | tr '\n' ' ' && echo :mo\"\"des-$N"
    keys Enter
    wait_for ":modes-$N" 5
    screen | grep -qF "before-the-ui-$N" || fail "$label: the shell's output from before the UI is not back on the screen"
    screen | grep -qF "status=$want" || fail "$label: the UI did not end with status $want: $(screen | grep -F status=)"
    local modes
    modes=$(screen | grep -F ":modes-$N")
    case "$modes" in *"icanon echo "*) ;; *) fail "$label: icanon and echo are not both on: [$modes]" ;; esac
    assert_same_file "$T/stty.after" "$T/stty.before"
    assert_eq "$(flag cursor_flag)" 1 "$label: the cursor is visible"
    assert_eq "$(flag keypad_cursor_flag)" 0 "$label: cursor keys are back in normal mode"
    pgrep -f -- "$SCHEMERGE" >/dev/null 2>&1 && pgrep -P "$(flag pane_pid)" >/dev/null && fail "$label: the UI is still running"
    return 0
}

# ---- SIGTERM in the change list
shell_start
run_ui --db "$DB"
wait_for "0 accepted" 15
assert_eq "$(flag alternate_on)" 1 "the UI uses the alternate screen"
kill -TERM "$(ui_pid)"
after_ui "SIGTERM" 143

# ---- ctrl-c in the change list: the terminal sends SIGINT
shell_start
run_ui --db "$DB"
wait_for "0 accepted" 15
keys C-c
after_ui "SIGINT" 130

# ---- SIGTERM in a sub-view (help), with a search prompt half typed under it
shell_start
run_ui --db "$DB"
wait_for "0 accepted" 15
keys '?'
wait_for "close"
kill -TERM "$(ui_pid)"
after_ui "SIGTERM in help" 143

# ---- ctrl-c in the middle of typing a search
shell_start
run_ui --db "$DB"
wait_for "0 accepted" 15
keys / ; keys -l "half a sea"
wait_for "/half a sea"
keys C-c
after_ui "SIGINT while searching" 130

# ---- SIGTERM and ctrl-c while the catalog is loading (the worker thread is waiting)
shell_start
run_ui --db "$SILENT"
wait_for "Loading the database catalog" 5
kill -TERM "$(ui_pid)"
after_ui "SIGTERM while loading" 143
shell_start
run_ui --db "$SILENT"
wait_for "Loading the database catalog" 5
keys C-c
after_ui "SIGINT while loading" 130

# ---- ctrl-z: the shell gets a normal terminal; fg brings the UI back, whole
shell_start
run_ui --db "$DB"
wait_for "0 accepted" 15
keys C-z
deadline=$(( $(_ms) + 5000 ))
while [ "$(flag alternate_on)" != 0 ] && [ "$(_ms)" -lt "$deadline" ]; do sleep 0.05; done
assert_eq "$(flag alternate_on)" 0 "ctrl-z: the alternate screen while stopped"
keys -l "stty -g > $T/stty.stopped && echo :sto\"\"pped"
keys Enter
wait_for ":stopped" 5
assert_same_file "$T/stty.stopped" "$T/stty.before"
keys -l "fg"
keys Enter
wait_for "0 accepted" 5
assert_eq "$(flag alternate_on)" 1 "fg: the UI is back on the alternate screen"
screen | grep -qF "q quit" || fail "fg: the footer is not redrawn"
keys j
wait_for "0 accepted"
keys q
after_ui "q after ctrl-z and fg" 0
finish
