#!/usr/bin/env bash
# ui_migrated.sh: the UI on a project whose database moved since the last sync. The
# catalog is installed as soon as it is read, without waiting for its hash, and the
# last-sync state is read through its index (load.h, project_set_catalog_unhashed).
# Checked here:
#   1. the drift on screen is the command line's (diff --json), including what only the
#      last sync can tell: a column renamed rather than one removed and one added;
#   2. applying it all records the database's hash in the version file, the same one
#      diff --json gives; after it the project is in sync.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_migrated) || { fail "cannot make the database"; finish; }
sql "$DB" -c "CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE people (id integer PRIMARY KEY, name text, m mood);
CREATE TABLE pets (id integer PRIMARY KEY, owner integer REFERENCES people (id))"
R="$T/repo"
mkdir -p "$R/schemas/database"
(cd "$R" && git init -q) || fail "git init"
(cd "$R" && "$SCHEMERGE" --db "$DB" update >/dev/null 2>&1) || fail "the first sync"
(cd "$R" && git add -A && git -c user.name=t -c user.email=t@e commit -qm sync) || fail "git commit"

# the migration: a column renamed, one added, an enum label added
sql "$DB" -c "ALTER TABLE people RENAME COLUMN name TO full_name;
ALTER TABLE people ADD COLUMN age integer;
ALTER TYPE mood ADD VALUE 'calm'"

# ---- 1. the command line's drift, then the UI's
(cd "$R" && "$SCHEMERGE" --db "$DB" diff --json) >"$T/diff.json" || fail "diff --json"
python3 - "$T/diff.json" >"$T/expected" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    print(c["kind"])
PY
sort -o "$T/expected" "$T/expected"
[ "$(cat "$T/expected")" = "$(printf 'column_added\ncolumn_renamed\nenum_value_added')" ] ||
    fail "the command line's drift is not the migration's: $(cat "$T/expected")"
ui_start 120 40 "$R" -- --db "$DB"
wait_for "3 changes:" 15
screen >"$T/screen"
grep -oE "(column|enum|table)_[a-z_]+" "$T/screen" | sort >"$T/shown"
assert_same_file "$T/shown" "$T/expected"
grep -qF "Rename PersonRow.name to full_name" "$T/screen" ||
    fail "the rename is not shown as one: $(cat "$T/screen")"

# ---- 2. apply it all: the version file records the database's hash
keys a
wait_for "3 accepted" 5
apply_yes
wait_for "applied 3 changes" 15
keys q
wait_for "applied changes are not committed" 5
keys y
ui_wait_exit
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["db_hash"])' "$T/diff.json")
grep -q "^DB_HASH = \"$want\"" "$R/schemas/schema_version.py" ||
    fail "the version file does not record the database's hash $want: $(grep DB_HASH "$R/schemas/schema_version.py")"
(cd "$R" && "$SCHEMERGE" --db "$DB" check) >"$T/check" 2>&1 || fail "not in sync after the apply: $(cat "$T/check")"
assert_contains "$T/check" "in sync: 2 tables, 1 enums ($want)"
finish
