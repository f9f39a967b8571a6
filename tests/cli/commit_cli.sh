#!/usr/bin/env bash
# commit_cli.sh: `schemerge commit` after `update` (seed 001, step 7): the message lists
# the applied changes grouped like the seed ("- Add ProjectStatus values pending,
# on_hold"), only the schema files are committed, an unrelated staged file stays staged,
# an unrelated modified file stays modified, and -m replaces the message.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo commit_cli "CREATE TYPE project_status AS ENUM ('active', 'done');
CREATE TABLE projects (id integer PRIMARY KEY);"
printf 'from enum import Enum\n\n\nclass ProjectStatus(str, Enum):\n    ACTIVE = "active"\n    DONE = "done"\n' > schemas/enums.py
printf 'from typing import TypedDict\n\n\nclass ProjectRow(TypedDict):\n    id: int\n' > schemas/database/entities.py
echo "notes" > README.md
echo "code" > app.py
git add -A && git -c commit.gpgsign=false commit -qm "initial"

dr_sql "ALTER TYPE project_status ADD VALUE 'pending' AFTER 'active';
ALTER TYPE project_status ADD VALUE 'on_hold' AFTER 'pending';
ALTER TABLE projects ADD COLUMN title text NOT NULL DEFAULT ''"
run sm update
expect_rc 0 "update"
# unrelated work in progress: one staged, one only modified
echo "more notes" >> README.md && git add README.md
echo "more code" >> app.py

run sm commit
expect_rc 0 "commit"
grep -qE '^committed [0-9a-f]{7} on main$' "$T/out" || fail "commit output: $(cat "$T/out")"
git log -1 --format=%B > "$T/msg"
assert_contains "$T/msg" "- Add ProjectStatus values pending, on_hold"
assert_contains "$T/msg" "- Add ProjectRow.title"
assert_contains "$T/msg" "sha256:"
[ "$(grep -c 'pending' "$T/msg")" = 1 ] || fail "labels not grouped: $(cat "$T/msg")"
# exactly the schema files
git show --name-only --format= HEAD | sort > "$T/files"
printf '%s\n' schemas/database/entities.py schemas/enums.py schemas/schema_version.py > "$T/want"
assert_same_file "$T/files" "$T/want"
git status --porcelain > "$T/status"
assert_contains "$T/status" "M  README.md"
assert_contains "$T/status" " M app.py"
assert_not_contains "$T/status" "schemas/"
# the commit's tree has the new files byte for byte
git show HEAD:schemas/enums.py | cmp -s - schemas/enums.py || fail "committed enums.py differs from the file"

# ---- nothing left: says so, no empty commit
HEAD1=$(git rev-parse HEAD)
run sm commit
expect_rc 0 "commit with nothing to commit"
assert_contains "$T/out" "nothing to commit"
assert_eq "$(git rev-parse HEAD)" "$HEAD1" "no new commit"

# ---- -m replaces the message
dr_sql "ALTER TYPE project_status ADD VALUE 'archived'"
run sm update
expect_rc 0 "second update"
run sm commit -m "Sync the schema by hand"
expect_rc 0 "commit -m"
assert_eq "$(git log -1 --format=%B | sed '/^$/d')" "Sync the schema by hand" "-m message"
git show --name-only --format= HEAD | sort > "$T/files"
printf '%s\n' schemas/enums.py schemas/schema_version.py > "$T/want"
assert_same_file "$T/files" "$T/want"
git status --porcelain > "$T/status"
assert_contains "$T/status" "M  README.md"
finish
