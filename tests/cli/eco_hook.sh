#!/bin/sh
# `schemerge hook install` into a real repository, then real `git commit`s: the hook lets
# a commit through when the files are in sync, blocks it on drift (and after
# `schemerge update` lets it through again), skips with a note when no database is
# configured, honours --fail-on, core.hooksPath, and never replaces another program's
# hook without --force (which keeps it, and uninstall puts it back).
. "$TESTLIB"
need git
need_db

DB=$(pg_new_db sm_eco_hook) || fail "cannot create the test database"
sql "$DB" -c "CREATE TYPE project_status AS ENUM ('active', 'archived')" \
    -c "CREATE TABLE projects (id integer PRIMARY KEY, name text NOT NULL, status project_status NOT NULL)"

R="$T/repo"
git init -q -b main "$R"
git -C "$R" config user.name "Test User"
git -C "$R" config user.email "test@example.com"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/enums.py" <<'PY'
from enum import Enum


class ProjectStatus(str, Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"
PY
cat >"$R/schemas/database/entities.py" <<'PY'
from typing import TypedDict


class ProjectRow(TypedDict):
    id: int
    name: str
    status: str
PY
echo one >"$R/notes.txt"
git -C "$R" add . && git -C "$R" commit -q -m initial || fail "cannot make the repository"

# the files are in sync with the database
DATABASE_URL=$DB run "$SCHEMERGE" -C "$R" check
expect_rc 0 "check before the hook"

# ---- install
run "$SCHEMERGE" -C "$R" hook install
expect_rc 0 "hook install"
HOOK="$R/.git/hooks/pre-commit"
[ -x "$HOOK" ] || fail "no executable $HOOK"
assert_contains "$T/out" "installed"
assert_contains "$HOOK" "check"
sh -n "$HOOK" || fail "the hook is not valid sh"

# try_commit NAME [ENV...]: change notes.txt and `git commit` it; $RC is git's status
try_commit() {
    name=$1; shift
    echo "$name" >>"$R/notes.txt"
    git -C "$R" add notes.txt
    env "$@" git -C "$R" commit -q -m "$name" >"$T/out" 2>"$T/err"
    RC=$?
}
head_subject() { git -C "$R" log -1 --format=%s; }

# ---- no database configured: skipped with a note, the commit goes through
try_commit "no database"
expect_rc 0 "git commit without a database"
assert_contains "$T/err" "no database configured"
assert_eq "$(head_subject)" "no database" "HEAD after a commit without a database"

# ---- in sync: through
try_commit "in sync" DATABASE_URL="$DB"
expect_rc 0 "git commit in sync"
assert_eq "$(head_subject)" "in sync" "HEAD after an in-sync commit"

# ---- drift (a column added in the database, medium): blocked, nothing committed
sql "$DB" -c "ALTER TABLE projects ADD COLUMN slug text"
try_commit "with drift" DATABASE_URL="$DB"
[ "$RC" != 0 ] || fail "git commit went through despite drift"
assert_contains "$T/err" "commit blocked by schema drift"
assert_contains "$T/err" "medium"  # git sends a hook's stdout to stderr
assert_eq "$(head_subject)" "in sync" "HEAD after a blocked commit"

# SUPABASE_DB_URL counts as a configured database too
try_commit "supabase url" SUPABASE_DB_URL="$DB"
[ "$RC" != 0 ] || fail "git commit went through with SUPABASE_DB_URL and drift"

# ---- --fail-on high: a medium drift no longer blocks
run "$SCHEMERGE" -C "$R" hook install --fail-on high
expect_rc 0 "hook install --fail-on high (reinstall over our own hook)"
assert_contains "$T/out" "updated"
try_commit "medium passes" DATABASE_URL="$DB"
expect_rc 0 "git commit with medium drift and --fail-on high"
assert_eq "$(head_subject)" "medium passes" "HEAD with --fail-on high"
run "$SCHEMERGE" -C "$R" hook install --fail-on urgent
expect_rc 2 "hook install --fail-on urgent"
run "$SCHEMERGE" -C "$R" hook install
expect_rc 0 "hook install again"

# ---- update the files: in sync again, the commit goes through
DATABASE_URL=$DB run "$SCHEMERGE" -C "$R" update
expect_rc 0 "schemerge update"
assert_contains "$R/schemas/database/entities.py" "slug: Optional[str]"
git -C "$R" add schemas
try_commit "after update" DATABASE_URL="$DB"
expect_rc 0 "git commit after update"
assert_eq "$(head_subject)" "after update" "HEAD after update"

# an unreachable database blocks too (exit 2), with the reason on stderr
try_commit "unreachable" DATABASE_URL="host=$T/nosock port=1 user=nobody dbname=x"
[ "$RC" != 0 ] || fail "git commit went through with an unreachable database"
assert_contains "$T/err" "cannot connect"

# ---- another program's hook: refused without --force, kept with it, restored by uninstall
run "$SCHEMERGE" -C "$R" hook uninstall
expect_rc 0 "hook uninstall"
[ ! -e "$HOOK" ] || fail "hook uninstall left $HOOK"
printf '#!/bin/sh\necho other-hook-ran >&2\nexit 0\n' >"$HOOK"
chmod +x "$HOOK"
run "$SCHEMERGE" -C "$R" hook install
expect_rc 2 "hook install over another hook"
assert_contains "$T/err" "--force"
assert_contains "$HOOK" "other-hook-ran"
run "$SCHEMERGE" -C "$R" hook uninstall
expect_rc 2 "hook uninstall of another hook"
assert_contains "$HOOK" "other-hook-ran"
run "$SCHEMERGE" -C "$R" hook install --force
expect_rc 0 "hook install --force"
assert_contains "$HOOK.before-schemerge" "other-hook-ran"
assert_contains "$HOOK" "schemerge"
run "$SCHEMERGE" -C "$R" hook uninstall
expect_rc 0 "hook uninstall after --force"
assert_contains "$HOOK" "other-hook-ran"
[ ! -e "$HOOK.before-schemerge" ] || fail "uninstall left the kept hook beside the restored one"
run "$SCHEMERGE" -C "$R" hook uninstall
expect_rc 2 "hook uninstall of the restored foreign hook"
rm -f "$HOOK"
run "$SCHEMERGE" -C "$R" hook uninstall
expect_rc 0 "hook uninstall with no hook"

# ---- core.hooksPath is where git looks, so that is where the hook goes
git -C "$R" config core.hooksPath .githooks
run "$SCHEMERGE" -C "$R/schemas" hook install
expect_rc 0 "hook install with core.hooksPath (from a subdirectory)"
[ -x "$R/.githooks/pre-commit" ] || fail "no hook in core.hooksPath"
sql "$DB" -c "ALTER TABLE projects DROP COLUMN name"
try_commit "hooksPath drift" DATABASE_URL="$DB"
[ "$RC" != 0 ] || fail "git commit went through despite drift (core.hooksPath)"

# ---- usage errors
run "$SCHEMERGE" -C "$R" hook
expect_rc 2 "hook without a subcommand"
run "$SCHEMERGE" -C "$R" hook frobnicate
expect_rc 2 "hook frobnicate"
run "$SCHEMERGE" -C "$R" --db "$DB" hook install
expect_rc 2 "hook install --db CONNINFO (a secret in the hook)"
assert_not_contains "$R/.githooks/pre-commit" "$DB"
mkdir "$T/plain"
run "$SCHEMERGE" -C "$T/plain" hook install
expect_rc 2 "hook install outside a repository"
assert_contains "$T/err" "not inside a git repository"
finish
