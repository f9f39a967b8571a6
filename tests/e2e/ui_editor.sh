#!/usr/bin/env bash
# ui_editor.sh: $EDITOR on a conflict region. Two regions conflict (the lines two new
# labels go after were changed on disk meanwhile). EDITOR is a small script that
# records what it was given and rewrites the region's temporary file. An editor that
# fails leaves the region unresolved; one that succeeds resolves it with its text; the
# file is written only after every region is resolved, with the edited text in it, and
# the temporary file is gone. The screen comes back whole after the editor.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_editor "$SRCDIR/data/demo/schema.sql") || { fail "cannot make the demo database"; finish; }
R="$T/repo"
demo_repo "$R"
ENUMS="$R/schemas/enums.py"

cat > "$T/editor.sh" <<EOF
#!/bin/sh
# a fake editor: fails when told to; else keeps what it was given and writes its own text
echo "\$1" >> "$T/editor.log"
[ -e "$T/editor-fail" ] && exit 1
cp "\$1" "$T/editor-saw"
printf '    COMPLETED = "done"\n    ARCHIVED = "archived"  # edited by hand\n' > "\$1"
EOF
chmod +x "$T/editor.sh"

# the UI keeps its own parse while the file changes underneath: no watch here
ui_start 100 30 "$R" SCHEMERGE_UI_WATCH=0 EDITOR="$T/editor.sh" -- --db "$DB"
wait_for "0 accepted" 15
keys / ; keys -l "ProjectStatus value archived" ; keys Enter
wait_for "Add ProjectStatus value archived"
keys Space
keys / ; keys -l "MemberRole value admin" ; keys Enter
wait_for "database: enum member_role"
keys Space
wait_for "2 accepted"
sed -i -e 's/^    COMPLETED = "completed"$/    COMPLETED = "done"/' \
       -e 's/^    OWNER = "owner"$/    OWNER = "proprietor"/' "$ENUMS"
cp "$ENUMS" "$T/before.py"
apply_yes
wait_for "Conflicts: 0 of 2 resolved"
# below the current region, what b (both) would write: ours, then theirs
wait_for "b (both) would write:"

# ---- the editor fails: the region stays unresolved, nothing written
touch "$T/editor-fail"
keys e
wait_for "the editor ($T/editor.sh) failed: the region is unchanged"
wait_for "Conflicts: 0 of 2 resolved"
assert_same_file "$ENUMS" "$T/before.py"
rm "$T/editor-fail"

# ---- the editor rewrites region 1 (ProjectStatus)
keys e
wait_for "region 1: your edit"
wait_for "Conflicts: 1 of 2 resolved"
# the screen is whole again after the editor: title, regions, footer
screen | grep -qF "region 1 of 2  [edited]" || fail "region 1 is not shown as edited: $(screen | head -8)"
screen | grep -qF "region 2 of 2  [unresolved]" || fail "region 2 is not shown unresolved"
# what the edit writes is shown below the region before anything is written
screen | grep -qF "your edit writes:" || fail "the edit's text is not shown: $(screen | head -20)"
screen | grep -qF "# edited by hand" || fail "the edit's text is not what the editor saved"
screen | grep -qF "q/esc cancel" || fail "the footer is not redrawn after the editor"
# endwin turned the terminal's mouse reports off for the editor: they are back on
assert_eq "$(tm display -p -t ui '#{mouse_standard_flag}')" 1 "mouse reporting after the editor"
assert_same_file "$ENUMS" "$T/before.py"
# the editor was given both sides of the unresolved region, in a .py file that is gone now
tmpf=$(tail -1 "$T/editor.log")
case "$tmpf" in *.py) ;; *) fail "the region's file [$tmpf] does not end in .py" ;; esac
[ -e "$tmpf" ] && fail "the region's temporary file $tmpf was left behind"
assert_contains "$T/editor-saw" 'COMPLETED = "done"'
assert_contains "$T/editor-saw" 'ARCHIVED = "archived"'

# ---- w with region 2 still open writes nothing
keys w
wait_for "1 region still unresolved"
assert_same_file "$ENUMS" "$T/before.py"

# ---- theirs for region 2, then write
keys j t
wait_for "Conflicts: 2 of 2 resolved"
assert_same_file "$ENUMS" "$T/before.py"
keys w
wait_for "applied 2 changes"
assert_contains "$ENUMS" '    ARCHIVED = "archived"  # edited by hand'
assert_contains "$ENUMS" '    COMPLETED = "done"'
assert_contains "$ENUMS" '    ADMIN = "admin"'
python3 - "$ENUMS" <<'PY' || fail "the written file is not what the choices make: $(cat "$ENUMS")"
import ast, sys
src = open(sys.argv[1]).read()
tree = ast.parse(src)
classes = {c.name: [t.targets[0].id for t in c.body if isinstance(t, ast.Assign)]
           for c in tree.body if isinstance(c, ast.ClassDef)}
assert classes["ProjectStatus"] == ["ACTIVE", "PENDING", "COMPLETED", "ARCHIVED"], classes
assert "ADMIN" in classes["MemberRole"], classes
assert src.count("ARCHIVED") == 1, "the edited line is doubled"
PY
nb=$(ls -d "$R"/.schemerge/backups/*/metadata.json 2>/dev/null | wc -l)
assert_eq "$nb" 1 "backups after the apply"
assert_eq "$(wc -l < "$T/editor.log")" 2 "editor runs"

keys q
wait_for "applied changes are not committed"
keys y
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
finish
