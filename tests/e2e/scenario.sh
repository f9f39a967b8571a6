# scenario.sh: the end-to-end UI scenario, sourced by ui_120x40.sh and ui_80x24.sh with
# COLS and ROWS set. Real binary, real terminal (tmux), real PostgreSQL (the demo
# database), real git. Exact screens are compared with tests/e2e/expected/COLSxROWS/.
. "$TESTLIB"
need git psql
need_db
. "$SRCDIR/tests/lib/tmux.sh"
E2E_EXPECTED="$SRCDIR/tests/e2e/expected/${COLS}x${ROWS}"

DB=$(pg_new_db "sm_e2e_${COLS}x${ROWS}" "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }

# ---- a repository whose files lag behind the demo database
R="$T/repo"
demo_repo "$R"
ENUMS="$R/schemas/enums.py"

# The merge path needs the UI to keep its own parse while the file changes underneath,
# so this session does not watch the files (watching has its own test below).
ui_start "$COLS" "$ROWS" "$R" SCHEMERGE_UI_WATCH=0 -- --db "$DB"

# ---- open
wait_for "0 accepted" 15
expect_screen open

# ---- filter to critical, then clear with the same key
keys 1
wait_for "filter critical"
expect_screen critical
assert_not_contains_screen() { screen | grep -qF -- "$1" && fail "screen shows [$1]"; }
assert_not_contains_screen "Add MemberRole value admin"
keys 1
wait_gone "filter critical"

# ---- search a table
keys / ; keys -l organizations ; keys Enter
wait_for "database: table organizations"

# ---- toggle two of the three added labels of member_role
keys / ; keys -l "MemberRole value admin" ; keys Enter
wait_for "database: enum member_role"
keys Space Space
wait_for "2 accepted"
expect_screen toggled
# the changed lines of the panes carry the severity's colour: high is magenta (35)
screen -e > "$T/colour.screen"
grep -F 'VIEWER = "viewer"' "$T/colour.screen" | grep -qF $'\033[35m' ||
    fail "the added label's line is not magenta: $(grep -F 'VIEWER' "$T/colour.screen" | cat -v)"

# ---- preview
keys p
wait_for "Preview: 2 accepted changes"
expect_screen preview
keys q
wait_for "2 accepted"

# ---- quit asks while applied changes are not committed (after the apply, below)
# ---- apply
apply_yes
wait_for "applied 2 changes"
grep -qF 'ADMIN = "admin"' "$ENUMS" || fail "ADMIN was not written"
grep -qF 'MEMBER = "member"' "$ENUMS" || fail "MEMBER was not written"
grep -qF 'VIEWER' "$ENUMS" && fail "VIEWER was written though not accepted"
nb=$(ls -d "$R"/.schemerge/backups/*/metadata.json 2>/dev/null | wc -l)
assert_eq "$nb" 1 "backups after the first apply"
expect_screen applied

keys q
wait_for "applied changes are not committed"
keys n
wait_for "cancelled"

# ---- concurrent edit: the file changes in the middle while the UI holds its parse;
# the three-way merge keeps the edit
keys / ; keys -l "ProjectStatus value on_hold" ; keys Enter
wait_for "Add ProjectStatus value on_hold"
keys Space
wait_for "1 accepted"
sed -i 's/^class MemberRole(str, Enum):$/class MemberRole(str, Enum):\n    # roles in a project/' "$ENUMS"
apply_yes
wait_for "applied 1 change"
grep -qF '# roles in a project' "$ENUMS" || fail "the concurrent edit was lost"
grep -qF 'ON_HOLD = "on_hold"' "$ENUMS" || fail "ON_HOLD was not written"

# ---- a conflict: the line the new label goes after is changed on disk meanwhile
keys / ; keys -l "ProjectStatus value archived" ; keys Enter
wait_for "Add ProjectStatus value archived"
keys Space
wait_for "1 accepted"
sed -i 's/^    COMPLETED = "completed"$/    COMPLETED = "done"/' "$ENUMS"
apply_yes
wait_for "Conflicts: 0 of 1 resolved"
expect_screen conflict
cp "$ENUMS" "$T/before-conflict.py"
keys t
wait_for "Conflicts: 1 of 1 resolved"
cmp -s "$ENUMS" "$T/before-conflict.py" || fail "a file was written before every region was resolved"
keys w
wait_for "applied 1 change"
grep -qF 'ARCHIVED = "archived"' "$ENUMS" || fail "theirs: ARCHIVED was not written"
grep -qF 'COMPLETED = "completed"' "$ENUMS" || fail "theirs: the database side of the region was not taken"

# ---- commit
keys c
wait_for "Commit the schema files"
expect_screen commit
keys C-s
wait_for "(any key closes)"
oid=$(git -C "$R" rev-parse --short=7 HEAD)
screen | grep -qF "committed $oid on main" || fail "the dialog does not show the new commit $oid"
assert_eq "$(git -C "$R" log -1 --format=%s)" "chore: sync schemas with database" "commit subject"
git -C "$R" show --name-only --format= HEAD | grep -qx schemas/enums.py || fail "enums.py is not in the commit"
assert_eq "$(git -C "$R" status --porcelain -- schemas)" "" "git status after the commit"
keys Escape
wait_for "0 accepted"

# ---- backups: the oldest one holds the files as they were first; restore it
keys b
wait_for "Backups: 3"
expect_screen backups
keys G p
wait_for "against the current files"
screen | grep -qF -- '+    ADMIN = "admin"' || fail "the backup diff does not show ADMIN added since"
keys q
wait_for "Backups: 3"
keys r
wait_for "(y/n)"
keys y
wait_for "restored backup"
cmp -s "$ENUMS" <(git -C "$R" show HEAD~1:schemas/enums.py) || fail "the restore did not bring the first files back"
wait_for "Backups: 4"
keys q
wait_for "20 changes"

# ---- resize below the minimum and back
ui_resize 50 12
wait_for "terminal 50x12; schemerge needs 60x16"
ui_resize "$COLS" "$ROWS"
wait_for "20 changes"
expect_screen resized

# ---- quit: the restore left the files different from the commit, but nothing applied is
# waiting for a commit, so q quits at once
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
