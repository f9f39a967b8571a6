#!/bin/sh
# completion/schemerge.bash, driven as bash drives it (COMP_WORDS/COMP_CWORD, then the
# function): its commands and options are those of `schemerge --help` and of each
# `schemerge COMMAND --help`, --only offers every change kind (the rules of diff
# --sarif), --fail-on and --min-severity the severities, and `backup show` the ids that
# `schemerge backup list` prints for a repository with real backups.
. "$TESTLIB"
need bash
need python3
COMP="$SRCDIR/completion/schemerge.bash"

# a repository with two backups, made by two real updates against a snapshot
R="$T/repo"
mkdir -p "$R/schemas/database"
git init -q "$R" 2>/dev/null || true
printf 'from enum import Enum\n' >"$R/schemas/enums.py"
printf 'from typing import TypedDict\n' >"$R/schemas/database/entities.py"
SNAP="$FIXTURES/snapshots/small.json"
run "$SCHEMERGE" -C "$R" --db "$SNAP" update --only table_added
run "$SCHEMERGE" -C "$R" --db "$SNAP" update
run "$SCHEMERGE" -C "$R" backup list
expect_rc 0 "backup list"
awk '{ print $1 }' "$T/out" | sort >"$T/ids"
[ -s "$T/ids" ] || fail "no backups were made for the test: $(cat "$T/err")"
run "$SCHEMERGE" -C "$R" --db "$SNAP" diff --sarif
python3 -c 'import json,sys; print("\n".join(sorted(r["id"] for r in json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"])))' \
    "$T/out" >"$T/kinds" || fail "cannot read the change kinds from diff --sarif"

# complete WORDS...: what bash would offer for the last word
cat >"$T/complete.bash" <<'BASH'
set -u
source "$1"; shift
prog=$1; shift
COMP_WORDS=("$prog" "$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
_schemerge
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
BASH
complete() { bash "$T/complete.bash" "$COMP" "$SCHEMERGE" "$@"; }

# ---- commands
complete "" >"$T/got"
"$SCHEMERGE" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF && !/:$/ { print $1 }' | sort >"$T/want"
assert_same_file "$T/got" "$T/want"

# ---- options: the long options of each command's --help
longopts() { grep -oE -- '(^|[ ,])--[a-z-]+=?' | sed 's/^[ ,]//; s/=$//' | sort -u; }
for cmd in $(cat "$T/want"); do
    "$SCHEMERGE" "$cmd" --help | sed -n '/^Options:/,/^$/p; /^Common options:/,/^$/p' | longopts >"$T/want-$cmd"
    complete "$cmd" "--" | sed 's/=$//' | grep -v -- '^-[A-Za-z]$' | sort -u >"$T/got-$cmd"
    assert_same_file "$T/got-$cmd" "$T/want-$cmd"
done
complete "--" | sed 's/=$//' | grep -v -- '^-[A-Za-z]$' | sort -u >"$T/got-top"
"$SCHEMERGE" --help | sed -n '/^Options:/,/^$/p' | longopts |
    grep -vx -- '--json\|--sarif\|--exit-code\|--fail-on\|--min-severity\|--only\|--prune\|--dry-run\|--force\|--destructive\|--all\|--db-list\|--output\|--message' >"$T/want-top"
assert_same_file "$T/got-top" "$T/want-top"

# ---- values
complete update --only "" >"$T/got"
assert_same_file "$T/got" "$T/kinds"
complete update --only=column_a >"$T/got"
assert_eq "$(cat "$T/got")" "--only=column_added" "--only=column_a"
printf 'critical\nhigh\nlow\nmedium\n' >"$T/sev"
complete check --fail-on "" >"$T/got"
assert_same_file "$T/got" "$T/sev"
complete update --min-severity=h >"$T/got"
assert_eq "$(cat "$T/got")" "--min-severity=high" "--min-severity=h"
complete diff --color "" >"$T/got"
assert_eq "$(tr '\n' ' ' <"$T/got")" "always auto never " "--color values"
complete hook "" >"$T/got"
assert_eq "$(tr '\n' ' ' <"$T/got")" "install uninstall " "hook subcommands"
complete backup "" >"$T/got"
assert_eq "$(tr '\n' ' ' <"$T/got")" "delete list prune restore show " "backup subcommands"

# ---- backup ids, through -C like the user typed it
complete -C "$R" backup show "" >"$T/got"
assert_same_file "$T/got" "$T/ids"
first=$(head -c 6 "$T/ids")
complete -C "$R" backup restore "$first" >"$T/got"
grep -q "^$first" "$T/got" || fail "backup restore $first offers nothing"
complete -C "$R" backup list "" >"$T/got"
[ ! -s "$T/got" ] || fail "backup list takes no id, yet was offered: $(cat "$T/got")"
finish
