#!/usr/bin/env bash
# ui_handedit.sh: a hand edit is never dropped by the UI (SPEC 6, issue 14 items 1 and 2).
# On the demo: "Remove ProjectStatus value draft" is accepted, then the DRAFT line's
# comment is edited in another program; the watcher reloads the file; `w` must not remove
# the edited line: the text reviewed when accepting is the merge base, so the edit is a
# conflict, shown as one, and the file keeps it. Cancelled and applied again: a conflict
# again. The marks survive `r`, a watcher refresh and a file that does not parse for a
# moment (the user mid-edit); a mark whose change is gone is dropped, and the status says
# how many.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_handedit "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
mkdir -p "$R" && cp -a "$SRCDIR/data/demo/project/." "$R/"
(cd "$R" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm demo) || fail "git"
ENUMS="$R/schemas/enums.py"
grep -q '^    DRAFT = "draft"  # ' "$ENUMS" || { fail "the demo has no DRAFT line"; finish; }

ui_start 120 40 "$R" -- --db "$DB"
wait_for "0 accepted" 15
keys / ; keys -l "ProjectStatus value draft" ; keys Enter
wait_for "database: enum project_status"
keys Space
wait_for "1 accepted"

# ---- edited in another program, saved just before w
sed -i 's/^    DRAFT = "draft"  # .*$/    DRAFT = "draft"  # KEEP: hand edit/' "$ENUMS"
wait_for "the local files changed on disk: reloaded" 5
wait_for "1 accepted"
apply_yes
wait_for "Conflicts: 0 of 1 resolved" 5
grep -qF 'DRAFT = "draft"  # KEEP: hand edit' "$ENUMS" || fail "the hand edit is gone from the file"
# cancelled, then applied again: the same conflict
keys q
wait_for "apply cancelled: nothing was written" 5
grep -qF 'DRAFT = "draft"  # KEEP: hand edit' "$ENUMS" || fail "the hand edit is gone after cancelling"
wait_for "1 accepted"
apply_yes
wait_for "Conflicts: 0 of 1 resolved" 5
keys q
wait_for "apply cancelled" 5
grep -qF 'DRAFT = "draft"  # KEEP: hand edit' "$ENUMS" || fail "the hand edit is gone after the second apply"

# ---- the marks survive r
keys Escape
keys r
wait_for "1 accepted" 15
screen | grep -qF '[x] [HIGH]     enum_value_removed         Remove ProjectStatus value draft' ||
    fail "the mark is gone after r: $(screen | grep -F ProjectStatus)"

# ---- and a file that does not parse for a moment (mid-edit), then does again
cp "$ENUMS" "$T/enums.good"
printf '\nX = (\n' >> "$ENUMS"
wait_for "was never closed" 5
cp "$T/enums.good" "$ENUMS"
wait_for "1 accepted" 5
screen | grep -qF '[x] [HIGH]     enum_value_removed         Remove ProjectStatus value draft' ||
    fail "the mark is gone after a transient syntax error: $(screen | grep -F ProjectStatus)"

# ---- a mark whose change is gone is dropped, and said so
sed -i '/^    DRAFT = "draft"/d' "$ENUMS"
wait_for "accepted change is no longer there: its mark dropped" 5
wait_for "0 accepted"
keys q
ui_wait_exit 5
finish
