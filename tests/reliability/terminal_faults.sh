#!/usr/bin/env bash
# terminal_faults.sh: the UI under hostile terminals, driven in a private tmux server.
# No terminal at all (stdout a file), TERM=dumb, a terminal that disappears (the tmux
# session killed: SIGHUP), tiny sizes, 40 rapid resizes right from the start (while
# loading). Each: no crash, no sanitizer report, and after a normal quit the terminal is
# restored (tmux reports the alternate screen off again).
. "$TESTLIB"
need tmux git
S=$SCHEMERGE
SNAP=$FIXTURES/snapshots/small.json
K=0
TM="tmux -L sm-term-$$-$K -f /dev/null"
trap 'for k in $(seq 0 $K); do tmux -L sm-term-$$-$k kill-server 2>/dev/null; done; t_cleanup' EXIT
mkdir -p "$T/r/schemas/database" && git -C "$T/r" init -q
printf 'from typing import TypedDict\n\n\nclass T1Row(TypedDict):\n    id: int\n' > "$T/r/schemas/database/entities.py"

# wait_for TEXT [SECONDS]: poll the pane until TEXT shows
wait_for() {
    local i
    for i in $(seq 1 $((${2:-10} * 10))); do
        $TM capture-pane -p -t t 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    fail "'$1' never appeared; the screen: $($TM capture-pane -p -t t 2>/dev/null | head -30)"
    return 1
}
# start W H ENV...: schemerge in a fresh session; its pid in $T/pid, stderr in $T/tui.err,
# exit status in $T/rc; the pane stays open afterwards so that its state can be read
start() {
    local w=$1 h=$2; shift 2
    rm -f "$T/pid" "$T/rc"
    $TM kill-server 2>/dev/null
    K=$((K + 1)) # a new server each time: reusing a socket races with the old server's exit
    TM="tmux -L sm-term-$$-$K -f /dev/null"
    $TM new-session -d -s t -x "$w" -y "$h" \
        "cd '$T/r' && env $* sh -c 'echo \$\$ > $T/pid; exec \"$S\" --db \"$SNAP\" 2>$T/tui.err'; echo \$? > $T/rc; sleep 60"
    for _ in $(seq 50); do [ -s "$T/pid" ] && break; sleep 0.1; done
}
# quit_and_check LABEL: q, then exit 0, no report, alternate screen off
quit_and_check() {
    $TM send-keys -t t q
    for _ in $(seq 100); do [ -s "$T/rc" ] && break; sleep 0.1; done
    assert_eq "$(cat "$T/rc" 2>/dev/null)" 0 "$1: exit status after q"
    assert_eq "$($TM display -p -t t '#{alternate_on}')" 0 "$1: alternate screen after exit"
    grep -qiE 'sanitizer|runtime error|Segmentation' "$T/tui.err" && fail "$1: $(head -c 400 "$T/tui.err")"
    return 0
}

# ---- no terminal: the command line output, no escape sequence, exit 0
run "$S" -C "$T/r" --db "$SNAP"
case "$RC" in 0|1) ;; *) fail "no terminal: exit $RC: $(head -c 300 "$T/err")" ;; esac
grep -q $'\033' "$T/out" && fail "no terminal: escape sequences in the output"
run "$S" -C "$T/r" --db "$SNAP" </dev/null
case "$RC" in 0|1) ;; *) fail "no terminal, stdin /dev/null: exit $RC" ;; esac

# ---- a normal run, then TERM=dumb
start 100 30 TERM=xterm-256color
wait_for 'quit' && quit_and_check "xterm-256color"
start 100 30 TERM=dumb
sleep 1
quit_and_check "TERM=dumb"

# ---- tiny sizes
for size in "20 5" "40 10" "59 15"; do
    set -- $size
    start "$1" "$2" TERM=xterm-256color
    sleep 0.5
    # the message is broken over rows when it is wider than the terminal
    $TM capture-pane -p -t t | tr -s '\n ' '  ' | grep -qF "terminal ${1}x$2; schemerge needs 60x16" ||
        fail "at ${1}x$2 no 'terminal ${1}x$2; schemerge needs 60x16': $($TM capture-pane -p -t t | head -5)"
    quit_and_check "${1}x$2"
done

# ---- rapid resizes from the first moment (during loading), then usable
start 100 30 TERM=xterm-256color
for i in $(seq 40); do
    $TM resize-window -t t -x $((10 + (i * 37) % 150)) -y $((3 + (i * 13) % 50)) 2>/dev/null
done
$TM resize-window -t t -x 100 -y 30
wait_for 'quit' && quit_and_check "40 rapid resizes"

# ---- the terminal disappears: SIGHUP to the pane's process (the session killed)
start 100 30 TERM=xterm-256color
wait_for 'quit'
pid=$(cat "$T/pid")
$TM kill-session -t t
gone=false
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || { gone=true; break; }; sleep 0.1; done
$gone || { fail "schemerge is still running 5 s after SIGHUP"; kill -9 "$pid" 2>/dev/null; }
grep -qiE 'sanitizer|runtime error|Segmentation' "$T/tui.err" && fail "SIGHUP: $(head -c 400 "$T/tui.err")"
finish
