#!/usr/bin/env bash
# ui_watch.sh: the local files are watched (inotify). A schema file edited on disk while
# the UI is open refreshes the view without a key, and the accepted marks survive by
# change id: a change the edit resolves disappears with its mark, the others keep theirs.
# Edits made the ways editors make them: in place (sed -i: a new file renamed over the
# old one), truncate-and-write (>), and a rename from a temporary file; and a file that
# is deleted and comes back.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_watch "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"
ENUMS="$R/schemas/enums.py"

ui_start 120 40 "$R" -- --db "$DB"
wait_for "0 accepted" 15
wait_for "20 changes"

# accept three labels of member_role: admin, member, viewer
keys / ; keys -l "MemberRole value admin" ; keys Enter
wait_for "database: enum member_role"
keys Space Space Space
wait_for "3 accepted"
screen | grep -qF '[x] [HIGH]     enum_value_added           Add MemberRole value admin' ||
    fail "admin is not marked accepted: $(screen | grep -F MemberRole)"

# ---- an edit that resolves one accepted change (admin) and one not accepted (on_hold):
# written in place by sed -i, no key pressed afterwards
sed -i -e 's/^    OWNER = "owner"$/    OWNER = "owner"\n    ADMIN = "admin"/' \
       -e 's/^    PENDING = "pending"$/    PENDING = "pending"\n    ON_HOLD = "on_hold"/' "$ENUMS"
wait_for "the local files changed on disk: reloaded" 5
wait_for "18 changes"
wait_for "2 accepted"
screen | grep -qF "Add MemberRole value admin" && fail "the admin change is still listed after the edit added it"
screen | grep -qF '[x] [HIGH]     enum_value_added           Add MemberRole value member' ||
    fail "member lost its accepted mark: $(screen | grep -F MemberRole)"
screen | grep -qF '[x] [HIGH]     enum_value_added           Add MemberRole value viewer' ||
    fail "viewer lost its accepted mark: $(screen | grep -F MemberRole)"
# the panes show the file as it is now
keys / ; keys -l "MemberRole value viewer" ; keys Enter
wait_for "database: enum member_role"
screen | grep -qF 'ADMIN = "admin"' || fail "the local pane does not show the new ADMIN line"

# ---- an editor that truncates and rewrites (>): a comment only, the drift is the same
keys Escape # clears the message row
wait_gone "the local files changed on disk" 5
python3 - "$ENUMS" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read().replace('class MemberRole(str, Enum):\n', 'class MemberRole(str, Enum):\n    # who can do what\n')
open(p, "w").write(t)
PY
wait_for "the local files changed on disk: reloaded" 5
wait_for "18 changes"
wait_for "2 accepted"
screen | grep -qF '# who can do what' || fail "the local pane does not show the comment"

# ---- an editor that writes a temporary file and renames it over the original (vim's
# backupcopy=no, most IDEs): member added there, so its mark goes too
keys Escape
wait_gone "the local files changed on disk" 5
sed 's/^    ADMIN = "admin"$/    ADMIN = "admin"\n    MEMBER = "member"/' "$ENUMS" > "$R/schemas/.enums.py.swp"
mv "$R/schemas/.enums.py.swp" "$ENUMS"
wait_for "17 changes" 5
wait_for "1 accepted"
screen | grep -qF '[x] [HIGH]     enum_value_added           Add MemberRole value viewer' ||
    fail "viewer lost its accepted mark after the rename: $(screen | grep -F MemberRole)"

# ---- a file of another target: entities.py gains the organizations columns it lacked
keys Escape
wait_gone "the local files changed on disk" 5
sed -i 's/^    website: Optional\[str\]$/    website: Optional[str]\n    slug: str/' "$R/schemas/database/entities.py"
wait_for "16 changes" 5
wait_for "1 accepted"

# ---- many writes in a burst settle into one reload, and the UI stays responsive
keys Escape
for i in $(seq 20); do echo "# burst $i" >> "$ENUMS"; done
wait_for "the local files changed on disk: reloaded" 5
wait_for "16 changes"
wait_for "1 accepted"

# ---- the file is deleted and comes back: the UI does not crash; what it shows is either
# an error or the drift of a missing file; the restored file brings the same drift back
cp "$ENUMS" "$T/enums.keep"
rm "$ENUMS"
sleep 0.5
pid=$(ui_pid)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "the UI died when the file was deleted"
cp "$T/enums.keep" "$ENUMS"
wait_for "16 changes" 5
assert_eq "$(cat "$UI_RCFILE" 2>/dev/null)" "" "the UI is still running"

# ---- quit: nothing was applied, so q quits at once
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"

# ---- a file that does not parse when the UI starts: the files are parsed while the
# catalog is read, and the parse error must stay on screen when the catalog arrives;
# fixing the file brings the drift
cp "$ENUMS" "$T/enums.keep"
printf 'class Broken(str, Enum):\n    A = "a\n' >> "$ENUMS"
ui_start 120 40 "$R" -- --db "$DB"
wait_for "enums.py:" 15
sleep 1 # the catalog has arrived by now
screen | grep -q "changes" && screen | grep -qE '[0-9]+ changes' && fail "the drift hid the parse error: $(screen | head -3)"
screen | grep -qF "unterminated string" || fail "no parse error on screen: $(screen | head -5)"
cp "$T/enums.keep" "$ENUMS"
wait_for "16 changes" 5
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status after the parse error"
finish
