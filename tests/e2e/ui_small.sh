#!/usr/bin/env bash
# ui_small.sh: errors never trap (issue 16 item 9).
#   1. Below the minimum size the screen says exactly what it is and what is needed, and
#      only q and a resize act: j, ?, b, w, enter open and change nothing.
#   2. q while too small, with applied changes not committed: the question is on the
#      small screen (it used to be asked out of sight), n keeps the UI, y quits.
#   3. A file with a syntax error: the error panel offers b, the backups open, r restores
#      the good version, and the change list comes back.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_small) || { fail "cannot make the database"; finish; }
sql "$DB" -c "CREATE TYPE mood AS ENUM ('happy', 'sad', 'calm'); CREATE TABLE people (id integer PRIMARY KEY, name text)"
R="$T/repo"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/enums.py" <<'PY'
from enum import Enum


class Mood(str, Enum):
    """mood enumeration"""
    HAPPY = "happy"
    SAD = "sad"
PY
(cd "$R" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm init) || fail "git"

# ---- 1. too small: the size, the need, and nothing else acts
ui_start 40 10 "$R" -- --db "$DB"
wait_for "terminal 40x10; schemerge needs 60x16" 15
screen >"$T/small.1"
[ "$(grep -c . "$T/small.1")" = 1 ] || fail "the small screen shows more than its one line: $(cat "$T/small.1")"
keys j '?' b w Enter Space
sleep 0.5
screen >"$T/small.2"
cmp -s "$T/small.1" "$T/small.2" || fail "a key acted on the small screen: $(diff "$T/small.1" "$T/small.2")"
ui_resize 100 30
wait_for "changes:" 10
# none of those keys did anything meanwhile: no view opened, nothing accepted, nothing written
screen | grep -qF "0 accepted" || fail "a key typed on the small screen accepted a change: $(screen | head -3)"
screen | grep -qE "Help|Backups:|Preview:" && fail "a key typed on the small screen opened a view"
git -C "$R" diff --quiet || fail "a key typed on the small screen wrote a file"
ui_resize 59 15
wait_for "terminal 59x15; schemerge needs 60x16" 5
ui_resize 60 16
wait_for "changes:" 5
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after q"

# ---- 2. q while too small, with an apply not committed: the question is visible
(cd "$R" && "$SCHEMERGE" --db "$DB" update >/dev/null 2>&1) || fail "update"
ui_start 100 30 "$R" -- --db "$DB"
wait_for "changes:" 15
ui_resize 40 10
wait_for "schemerge needs 60x16" 5
keys q
wait_for "quit anyway? (y/n)" 5
keys n
sleep 0.3
[ -s "$UI_RCFILE" ] && fail "n to the question quit"
wait_gone "quit anyway?" 5
keys q
wait_for "quit anyway? (y/n)" 5
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after q, y"
(cd "$R" && git add -A && git -c user.name=t -c user.email=t@e commit -qm synced) || fail "git"

# ---- 3. a file that does not parse: backups from the error panel, restore, back to work
good=$(cat "$R/schemas/enums.py")
printf 'class Mood(str, Enum:\n    HAPPY = "happy"\n' >"$R/schemas/enums.py"
ui_start 100 30 "$R" -- --db "$DB"
wait_for "r retries, b opens the backups, q quits" 15
screen | grep -qF "schemas/enums.py" || fail "the error does not name the file: $(screen)"
screen | tail -1 | grep -qF "b backups" || fail "the error panel's footer does not offer b: $(screen | tail -1)"
# (a reload of the files just after the start shows the loading panel for a moment, where b
# does nothing: b again, at most twice more, until the backups open)
for _ in 1 2 3; do
    keys b
    wait_for_quiet "Backups: 1" 3 && break
done
wait_for "Backups: 1" 5
keys r
wait_for "restore backup" 5
keys y
wait_for "restored backup" 10
[ "$(cat "$R/schemas/enums.py")" = "$(git -C "$R" show HEAD~1:schemas/enums.py)" ] ||
    fail "the restore did not bring back the file as it was before the update"
keys q
wait_for "changes:" 10
screen | grep -qF "r retries" && fail "the error panel is still up after the restore"
# the files now differ from the last commit and the update's record is there: q asks
keys q
wait_for "quit anyway? (y/n)" 5
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status at the end"
[ -n "$good" ] || fail "no good version"
finish
