# tmux.sh: drive the interactive UI in a real terminal, for tests/e2e/*.sh. Sourced after
# common.sh. A private tmux server (tmux -L) per test, killed on exit; the UI runs with a
# pinned environment; wait_for polls the screen with a deadline (never a bare sleep).
#
#   ui_start COLS ROWS DIR [ENV=VALUE...] -- [schemerge arguments]
#   wait_for TEXT [SECONDS]     poll until TEXT is on the screen (fails the test if not)
#   wait_for_quiet TEXT [SECS]  the same, returning 1 on time-out instead of failing
#   wait_gone TEXT [SECONDS]    poll until TEXT is no longer on the screen
#   keys KEY...                 tmux send-keys (literal text with keys -l "text")
#   screen [-e]                 print the screen (-e: with colour escapes)
#   expect_screen NAME          compare the masked screen with $E2E_EXPECTED/NAME.screen
#                               (UPDATE_SCREENS=1 writes it instead)
#   ui_resize COLS ROWS
#   ui_wait_exit [SECONDS]      wait for the program to end; its status in $UI_RC
#   ui_pid                      the process id of the program in the pane
#   demo_repo DIR               a git repository whose schema files lag behind the demo
#                               database (data/demo/schema.sql): 20 changes
#   sep_columns TEXT            the display columns at which TEXT occurs on each screen
#                               line that has it (wide characters count 2), one per line
#   attrs_at TEXT               the attributes the first character of TEXT (its first
#                               occurrence on the screen) is drawn with, from
#                               capture-pane -e: words among bold dim italic underline
#                               blink reverse, then fg=N / bg=N when not the default
#   screen_colours              every colour SGR code in the screen, one per line
#                               (empty: the screen uses no colour)

if ! command -v tmux >/dev/null 2>&1; then
    skip "tmux is not installed (apt-get install tmux)"
fi

TM_BASE="sm-e2e-$$-${RANDOM}"
TM_SOCK="$TM_BASE-0"
tm() { tmux -L "$TM_SOCK" -f /dev/null "$@"; }
tm_cleanup() { tmux -L "$TM_SOCK" kill-server >/dev/null 2>&1; t_cleanup; }
trap tm_cleanup EXIT

UI_N=0
ui_start() {
    local cols=$1 rows=$2 dir=$3
    shift 3
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    UI_N=$((UI_N + 1))
    UI_RCFILE="$T/ui.$UI_N.rc"
    rm -f "$UI_RCFILE"
    # the command line tmux runs: quoted once here, so that arguments with spaces survive
    local cmd
    cmd=$(printf '%q ' env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC \
        TERM=xterm-256color GIT_CONFIG_NOSYSTEM=1 "${envs[@]}" "$SCHEMERGE" "$@")
    # a new server per start: one still shutting down would take new-session with it
    tm kill-server >/dev/null 2>&1
    TM_SOCK="$TM_BASE-$UI_N"
    tm new-session -d -s ui -x "$cols" -y "$rows" \
        "cd $(printf %q "$dir") && $cmd; echo \$? > $(printf %q "$UI_RCFILE"); sleep 3600" || fail "cannot start tmux"
    tm set-option -t ui window-size manual >/dev/null 2>&1
}

screen() {
    if [ "${1:-}" = -e ]; then tm capture-pane -p -e -t ui; else tm capture-pane -p -t ui; fi
}

# now in milliseconds, for deadlines
_ms() { date +%s%3N; }

wait_for() {
    local text=$1 secs=${2:-10}
    local deadline=$(( $(_ms) + secs * 1000 ))
    while [ "$(_ms)" -lt "$deadline" ]; do
        screen | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    fail "screen never showed [$text]; it shows:"
    screen | sed 's/^/    | /' >&2
    # every later step depends on this one: stop here
    finish
}

# wait_for_quiet TEXT [SECONDS]: as wait_for, but returns 1 instead of failing the test
wait_for_quiet() {
    local text=$1 secs=${2:-10}
    local deadline=$(( $(_ms) + secs * 1000 ))
    while [ "$(_ms)" -lt "$deadline" ]; do
        screen | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    return 1
}

wait_gone() {
    local text=$1 secs=${2:-10}
    local deadline=$(( $(_ms) + secs * 1000 ))
    while [ "$(_ms)" -lt "$deadline" ]; do
        screen | grep -qF -- "$text" || return 0
        sleep 0.05
    done
    fail "screen still shows [$text]"
    finish
}

keys() { tm send-keys -t ui "$@"; }
# apply_yes: w in the change list, then y to the question it asks first
apply_yes() { keys w; wait_for "? (y/n)" 5; keys y; }

ui_resize() { tm resize-window -t ui -x "$1" -y "$2"; }

# Mask what changes from run to run: backup ids and times, commit ids, hashes.
mask_screen() {
    sed -E -e 's/[0-9]{8}T[0-9]{6}Z(-[0-9]+)?:/<backup-id>:/g' \
           -e 's/[0-9]{8}T[0-9]{6}Z(-[0-9]+)?( +|$)/<backup-id> /g' \
           -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z( +|$)/<time> /g' \
           -e 's/ +$//' \
           -e 's/sha256:[0-9a-f]+/sha256:<hash>/g' \
           -e 's/committed [0-9a-f]{7}/committed <oid>/g'
}

expect_screen() {
    local name=$1 file="$E2E_EXPECTED/$1.screen"
    screen | mask_screen > "$T/$name.screen"
    if [ "${UPDATE_SCREENS:-}" = 1 ]; then
        mkdir -p "$E2E_EXPECTED"
        cp "$T/$name.screen" "$file"
        return 0
    fi
    [ -f "$file" ] || { fail "no expected screen $file (UPDATE_SCREENS=1 makes it)"; return 1; }
    diff -u "$file" "$T/$name.screen" >"$T/$name.diff" ||
        fail "screen $name differs from $file:
$(cat "$T/$name.diff")"
}

ui_wait_exit() {
    local secs=${1:-10}
    local deadline=$(( $(_ms) + secs * 1000 ))
    while [ "$(_ms)" -lt "$deadline" ]; do
        [ -s "$UI_RCFILE" ] && { UI_RC=$(cat "$UI_RCFILE"); return 0; }
        sleep 0.05
    done
    fail "the UI did not exit"
    finish
}

# The program is the pane's first child: the pane's shell runs "cd DIR && env ... schemerge".
ui_pid() {
    local shell_pid
    shell_pid=$(tm display -p -t ui '#{pane_pid}') || return 1
    pgrep -P "$shell_pid" | head -1
}

demo_repo() {
    local r=$1
    mkdir -p "$r/schemas/database"
    cat > "$r/schemas/enums.py" <<'PY'
from enum import Enum


class ProjectStatus(str, Enum):
    ACTIVE = "active"
    PENDING = "pending"
    COMPLETED = "completed"


class MemberRole(str, Enum):
    OWNER = "owner"


class Legacy(str, Enum):
    """legacy_kind enumeration"""

    OLD = "old"
PY
    cat > "$r/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class OrganizationRow(TypedDict):
    id: str
    name: str
    website: Optional[str]
PY
    git init -q -b main "$r"
    git -C "$r" config user.name "Test User"
    git -C "$r" config user.email "test@example.com"
    git -C "$r" add . && git -C "$r" commit -q -m "initial"
}

# Display columns (0-based) of TEXT on each line of the screen that has it, as
# "LINE COLUMN". Python's east_asian_width decides what is wide (W and F: 2 columns),
# as terminals do; capture-pane prints a wide character once.
sep_columns() {
    screen | python3 -c '
import sys, unicodedata
sep = sys.argv[1]
for n, line in enumerate(sys.stdin.read().split("\n")):
    col = 0
    for ch in line:
        if ch == sep:
            print(n, col)
        col += 2 if unicodedata.east_asian_width(ch) in "WF" else (0 if unicodedata.combining(ch) else 1)
' "$1"
}

# capture-pane -e writes SGR sequences relative to the cell before, across line ends,
# so the state is carried through the whole screen. Prints, for each screen line, the
# line's text and a parallel list of attribute sets (as JSON) to sgr_screen's caller.
_SGR_PY='
import json, re, sys
state = {"bold": 0, "dim": 0, "italic": 0, "underline": 0, "blink": 0, "reverse": 0, "fg": None, "bg": None}
def sgr(params):
    p = [int(x) if x.isdigit() else 0 for x in re.split("[;:]", params)] if params else [0]
    i = 0
    while i < len(p):
        c = p[i]
        if c == 0:
            for k in state: state[k] = 0 if k not in ("fg", "bg") else None
        elif c == 1: state["bold"] = 1
        elif c == 2: state["dim"] = 1
        elif c == 3: state["italic"] = 1
        elif c == 4: state["underline"] = 1
        elif c == 5: state["blink"] = 1
        elif c == 7: state["reverse"] = 1
        elif c == 22: state["bold"] = state["dim"] = 0
        elif c == 23: state["italic"] = 0
        elif c == 24: state["underline"] = 0
        elif c == 25: state["blink"] = 0
        elif c == 27: state["reverse"] = 0
        elif 30 <= c <= 37 or 90 <= c <= 97: state["fg"] = str(c)
        elif c == 39: state["fg"] = None
        elif 40 <= c <= 47 or 100 <= c <= 107: state["bg"] = str(c)
        elif c == 49: state["bg"] = None
        elif c in (38, 48):
            key = "fg" if c == 38 else "bg"
            if i + 1 < len(p) and p[i + 1] == 5:
                state[key] = "%d;5;%d" % (c, p[i + 2]); i += 2
            elif i + 1 < len(p) and p[i + 1] == 2:
                state[key] = "%d;2;%s" % (c, ";".join(map(str, p[i + 2:i + 5]))); i += 4
        i += 1
def words():
    w = [k for k in ("bold", "dim", "italic", "underline", "blink", "reverse") if state[k]]
    if state["fg"]: w.append("fg=" + state["fg"])
    if state["bg"]: w.append("bg=" + state["bg"])
    return " ".join(w)
text = sys.stdin.read()
lines = []
for raw in text.split("\n"):
    chars, attrs = [], []
    i = 0
    while i < len(raw):
        m = re.match(r"\x1b\[([0-9;:]*)m", raw[i:])
        if m:
            sgr(m.group(1)); i += m.end(); continue
        m = re.match(r"\x1b[^a-zA-Z]*[a-zA-Z]", raw[i:])
        if m:
            i += m.end(); continue
        chars.append(raw[i]); attrs.append(words()); i += 1
    lines.append(("".join(chars), attrs))
mode, arg = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
if mode == "at":
    for line, attrs in lines:
        k = line.find(arg)
        if k >= 0:
            print(attrs[k]); sys.exit(0)
    print("(not on the screen)"); sys.exit(1)
'

attrs_at() { screen -e | python3 -c "$_SGR_PY" at "$1"; }

screen_colours() {
    screen -e | grep -oE $'\033\[[0-9;:]*m' | tr -d '\033[m' | tr ';' '\n' |
        grep -xE '3[0-8]|4[0-8]|9[0-7]|10[0-7]' | sort -u
}
