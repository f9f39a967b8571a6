#!/usr/bin/env bash
# ui_mono.sh: colour and its absence. With NO_COLOR=1, with --color=never, and on a
# terminal without colours (TERM=vt100), the screen carries no colour at all and the
# severities are told apart by attributes (critical bold+underline, high bold, medium
# underline, low dim where the terminal has dim (not vt100); the status bar's counts in
# reverse) and by the text markers ([CRITICAL] ... [LOW], the panes' +/-/~ gutter). On an 8-colour terminal (TERM=xterm) and the
# default xterm-256color, the same rows are red, magenta, yellow and cyan.
# Attributes are read from capture-pane -e (tests/lib/tmux.sh: attrs_at).
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"
command -v infocmp >/dev/null 2>&1 && { infocmp vt100 >/dev/null 2>&1 || skip "no terminfo entry for vt100 (apt-get install ncurses-base)"; }

DB=$(pg_new_db sm_e2e_mono "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"

CRIT_ROW="[CRITICAL] enum_removed"
HIGH_ROW="[HIGH]     enum_value_added           Add MemberRole value member"
MED_ROW="[MEDIUM]   column_added               Add OrganizationRow.updated_at"
LOW_ROW="[LOW]      enum_added                 Add enum DocumentKind"

# has WORDS EXPECTED LABEL: every word of EXPECTED is in WORDS
has() {
    local w
    for w in $2; do
        case " $1 " in *" $w "*) ;; *) fail "$3: drawn with [$1], expected [$2]"; return ;; esac
    done
}
# lacks WORDS UNWANTED LABEL: no word of UNWANTED is in WORDS
lacks() {
    local w
    for w in $2; do
        case " $1 " in *" $w "*) fail "$3: drawn with [$1], which has $w"; return ;; esac
    done
}

# check_screens MODE LABEL [nodim]: open, look at the enums (cursor on member_role's
# admin), then at the organizations columns (medium); with MODE mono or colour; nodim
# for a terminal without the dim attribute
check_screens() {
    local mode=$1 label=$2 dim=${3:-dim}
    wait_for "0 accepted" 15
    keys / ; keys -l "MemberRole value admin" ; keys Enter
    wait_for "database: enum member_role"
    # the text markers are there whatever the colours
    local m
    for m in "[CRITICAL]" "[HIGH]" "[LOW]" " CRITICAL 1" " HIGH 5" " MEDIUM 5" " LOW 9"; do
        screen | grep -qF -- "$m" || fail "$label: no [$m] on the screen"
    done
    # the pane's gutter marks the added lines without colour
    screen | grep -qF '+    MEMBER = "member"' || fail "$label: the added line has no + in the gutter"
    local crit high low pane sel scrit shigh smed slow
    crit=$(attrs_at "$CRIT_ROW"); high=$(attrs_at "$HIGH_ROW"); low=$(attrs_at "$LOW_ROW")
    pane=$(attrs_at '+    MEMBER = "member"'); sel=$(attrs_at "Add MemberRole value admin")
    scrit=$(attrs_at " CRITICAL 1"); shigh=$(attrs_at " HIGH 5"); smed=$(attrs_at " MEDIUM 5"); slow=$(attrs_at " LOW 9")
    if [ "$mode" = mono ]; then
        local colours
        colours=$(screen_colours | tr '\n' ' ')
        assert_eq "$colours" "" "$label: colour codes on the screen"
        has "$crit" "bold underline" "$label: a critical row"
        has "$high" "bold" "$label: a high row"
        lacks "$high" "underline reverse" "$label: a high row"
        lacks "$low" "bold underline reverse" "$label: a low row"
        if [ "$dim" = dim ]; then
            has "$low" "dim" "$label: a low row"
            has "$slow" "dim reverse" "$label: the status bar's low count"
        else
            lacks "$low" "dim" "$label: a low row on a terminal without dim"
        fi
        lacks "$high" "dim" "$label: a high row"
        lacks "$crit" "dim" "$label: a critical row"
        has "$pane" "bold" "$label: the high change's line in the pane"
        has "$sel" "reverse" "$label: the selected row"
        has "$scrit" "bold underline reverse" "$label: the status bar's critical count"
        has "$shigh" "bold reverse" "$label: the status bar's high count"
        has "$smed" "underline reverse" "$label: the status bar's medium count"
        # four severities, four different looks
        [ "$scrit" != "$shigh" ] && [ "$shigh" != "$smed" ] && [ "$smed" != "$slow" ] && [ "$scrit" != "$smed" ] ||
            fail "$label: the status bar's counts look alike: [$scrit] [$shigh] [$smed] [$slow]"
    else
        has "$crit" "fg=31" "$label: a critical row"
        has "$high" "fg=35" "$label: a high row"
        has "$low" "fg=36" "$label: a low row"
        has "$pane" "fg=35" "$label: the high change's line in the pane"
        has "$smed" "fg=33 reverse" "$label: the status bar's medium count"
    fi
    # medium: the organizations columns
    keys / ; keys -l "updated_at" ; keys Enter
    wait_for "database: table organizations"
    local med
    med=$(attrs_at "$MED_ROW")
    screen | grep -qF -- "[MEDIUM]" || fail "$label: no [MEDIUM] on the screen"
    if [ "$mode" = mono ]; then
        has "$(attrs_at "[MEDIUM]   column_added               Add OrganizationRow.slug")" "underline" "$label: a medium row"
        lacks "$(attrs_at "[MEDIUM]   column_added               Add OrganizationRow.slug")" "bold reverse" "$label: a medium row"
        has "$med" "reverse" "$label: the selected medium row"
        assert_eq "$(screen_colours | tr '\n' ' ')" "" "$label: colour codes on the screen"
    else
        has "$(attrs_at "[MEDIUM]   column_added               Add OrganizationRow.slug")" "fg=33" "$label: a medium row"
    fi
    keys q
    ui_wait_exit && assert_eq "$UI_RC" 0 "$label: exit status"
}

ui_start 100 30 "$R" NO_COLOR=1 -- --db "$DB"
check_screens mono "NO_COLOR=1"

ui_start 100 30 "$R" -- --color=never --db "$DB"
check_screens mono "--color=never"

ui_start 100 30 "$R" TERM=vt100 -- --db "$DB"
check_screens mono "TERM=vt100" nodim

ui_start 100 30 "$R" TERM=xterm -- --db "$DB"
check_screens colour "TERM=xterm"

# NO_COLOR set but empty means colour, as https://no-color.org says
ui_start 100 30 "$R" NO_COLOR= -- --db "$DB"
check_screens colour "NO_COLOR empty"
finish
