#!/usr/bin/env bash
# git_commit.sh: vcs_commit_paths (through tests/unit/vcs_tool) against real repositories
# made with Debian's git, checked with git log, git show --stat and git status --porcelain.
. "$TESTLIB"
need git
VCS_TOOL="$(dirname "$SCHEMERGE")/tests/unit/vcs_tool"
[ -x "$VCS_TOOL" ] || skip "vcs_tool is not built (make check builds it)"

SUBJECT="chore: sync schemas with database"
MSG="$SUBJECT

- Add ProjectStatus values pending, on_hold
- Add OrganizationRow.billing_cycle

DB hash: sha256:0123"

# mkrepo DIR: a repository on branch main with an identity and one commit of schemas/
mkrepo() {
    git init -q -b main "$1" &&
    git -C "$1" config user.name "Test User" &&
    git -C "$1" config user.email "test@example.com" &&
    mkdir -p "$1/schemas" &&
    printf 'class ProjectStatus(str, Enum):\n    ACTIVE = "active"\n' >"$1/schemas/enums.py" &&
    printf 'class OrgRow(TypedDict):\n    id: int\n' >"$1/schemas/entities.py" &&
    printf 'notes\n' >"$1/notes.txt" &&
    printf 'readme\n' >"$1/README" &&
    git -C "$1" add . &&
    GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
        git -C "$1" commit -q -m "initial" || fail "cannot make a test repository in $1"
}
edit_schemas() {
    printf '    PENDING = "pending"\n' >>"$1/schemas/enums.py"
    printf 'SCHEMA_VERSION = "2026-01-01"\n' >"$1/schemas/schema_version.py"
}
commit() { run "$VCS_TOOL" commit "$@"; }
field() { sed -n "s/^$1=//p" "$T/out"; }
porcelain() { git -C "$1" -c core.quotepath=false status --porcelain; }
stat_files() { git -C "$1" -c core.quotepath=false show --stat --format= --name-only HEAD | sort | tr '\n' ' '; }

# ---- a normal commit: only the named paths, message and author as given, status clean
R="$T/normal"
mkrepo "$R"
before=$(git -C "$R" rev-parse HEAD)
edit_schemas "$R"
GIT_AUTHOR_DATE="2026-02-03T04:05:06+01:00" commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 0 "normal commit"
assert_eq "$(field oid)" "$(git -C "$R" rev-parse HEAD)" "oid printed is HEAD"
assert_eq "$(field branch)" "main" "branch"
assert_eq "$(field detached)" "0" "detached"
assert_eq "$(field nothing)" "0" "nothing"
assert_eq "$(git -C "$R" rev-parse HEAD~1)" "$before" "parent is the previous HEAD"
assert_eq "$(git -C "$R" log -1 --format=%s)" "$SUBJECT" "subject"
assert_eq "$(git -C "$R" log -1 --format=%B)" "$MSG" "whole message"
assert_eq "$(git -C "$R" log -1 --format='%an <%ae>')" "Test User <test@example.com>" "author"
assert_eq "$(git -C "$R" log -1 --format=%aI)" "2026-02-03T04:05:06+01:00" "GIT_AUTHOR_DATE honoured"
assert_eq "$(git -C "$R" log -1 --format=%cn)" "Test User" "committer"
assert_eq "$(stat_files "$R")" "schemas/enums.py schemas/schema_version.py " "files in the commit"
assert_eq "$(porcelain "$R")" "" "git status after the commit"
assert_eq "$(git -C "$R" show HEAD:schemas/enums.py | tail -1)" '    PENDING = "pending"' "committed content"
git -C "$R" fsck --no-progress >/dev/null 2>&1 || fail "git fsck fails after the commit"

# ---- nothing to commit: no new commit, says so
commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 0 "nothing to commit"
assert_eq "$(field nothing)" "1" "nothing"
assert_eq "$(git -C "$R" rev-list --count HEAD)" "2" "no new commit"

# ---- GIT_AUTHOR_*/GIT_COMMITTER_* override the config
printf '    X = "x"\n' >>"$R/schemas/enums.py"
GIT_AUTHOR_NAME="Env Author" GIT_AUTHOR_EMAIL="author@example.org" GIT_COMMITTER_NAME="Env Committer" \
    GIT_COMMITTER_EMAIL="committer@example.org" GIT_COMMITTER_DATE="@1767225600 +0000" \
    commit "$R" "$MSG" schemas/enums.py
expect_rc 0 "commit with identity from the environment"
assert_eq "$(git -C "$R" log -1 --format='%an <%ae>|%cn <%ce>|%ct')" \
    "Env Author <author@example.org>|Env Committer <committer@example.org>|1767225600" "identity from env"

# ---- a deleted schema file is deleted in the commit
git -C "$R" rm -q --cached schemas/entities.py && git -C "$R" commit -q -m "untrack" && git -C "$R" add schemas/entities.py && git -C "$R" commit -q -m "track again"
rm "$R/schemas/entities.py"
commit "$R" "$MSG" schemas/entities.py
expect_rc 0 "commit of a deletion"
git -C "$R" cat-file -e HEAD:schemas/entities.py 2>/dev/null && fail "deleted file is still in HEAD"
assert_eq "$(porcelain "$R")" "" "git status after committing a deletion"

# ---- the first commit of a new repository (unborn branch)
R="$T/fresh"
git init -q -b trunk "$R"
git -C "$R" config user.name "Test User"
git -C "$R" config user.email "test@example.com"
mkdir -p "$R/schemas"
printf 'class A(str, Enum):\n    X = "x"\n' >"$R/schemas/enums.py"
printf 'other\n' >"$R/other.txt"
commit "$R" "$MSG" schemas/enums.py
expect_rc 0 "first commit"
assert_eq "$(field branch)" "trunk" "branch of the first commit"
assert_eq "$(git -C "$R" rev-list --count HEAD)" "1" "one commit"
assert_eq "$(git -C "$R" symbolic-ref HEAD)" "refs/heads/trunk" "HEAD still on trunk"
assert_eq "$(stat_files "$R")" "schemas/enums.py " "files in the first commit"
assert_eq "$(porcelain "$R")" "?? other.txt" "status after the first commit"

# ---- another staged file stays staged and out of the commit; unstaged edits stay
R="$T/staged"
mkrepo "$R"
printf 'readme v2\n' >"$R/README"
git -C "$R" add README
printf 'notes edited\n' >"$R/notes.txt"
printf 'brand new\n' >"$R/staged-new.txt"
git -C "$R" add staged-new.txt
edit_schemas "$R"
commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 0 "commit with other staged files"
assert_eq "$(stat_files "$R")" "schemas/enums.py schemas/schema_version.py " "only the schema files are committed"
assert_eq "$(git -C "$R" show HEAD:README)" "readme" "README in HEAD is the old one"
assert_eq "$(porcelain "$R" | sort | tr '\n' '|')" " M notes.txt|A  staged-new.txt|M  README|" "other changes untouched"
assert_eq "$(git -C "$R" show :README)" "readme v2" "README still staged"
assert_eq "$(cat "$R/notes.txt")" "notes edited" "unstaged edit still in the work tree"

# ---- a schema file staged in an older version is committed as in the work tree
R="$T/partly"
mkrepo "$R"
printf '    A = "a"\n' >>"$R/schemas/enums.py"
git -C "$R" add schemas/enums.py
printf '    B = "b"\n' >>"$R/schemas/enums.py"
commit "$R" "$MSG" schemas/enums.py
expect_rc 0 "commit of a partly staged file"
assert_eq "$(git -C "$R" show HEAD:schemas/enums.py | tail -1)" '    B = "b"' "work-tree content committed"
assert_eq "$(porcelain "$R")" "" "status clean for the partly staged file"

# ---- detached HEAD: commits, says so, moves no branch
R="$T/detached"
mkrepo "$R"
main_before=$(git -C "$R" rev-parse main)
git -C "$R" checkout -q --detach
edit_schemas "$R"
commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 0 "detached commit"
assert_eq "$(field detached)" "1" "detached reported"
assert_eq "$(field branch)" "" "no branch when detached"
git -C "$R" symbolic-ref -q HEAD >/dev/null && fail "HEAD is attached after a detached commit"
assert_eq "$(git -C "$R" rev-parse HEAD)" "$(field oid)" "detached HEAD moved to the commit"
assert_eq "$(git -C "$R" rev-parse HEAD~1)" "$main_before" "detached commit's parent"
assert_eq "$(git -C "$R" rev-parse main)" "$main_before" "main did not move"

# ---- a merge in progress: refused, nothing changed
R="$T/merging"
mkrepo "$R"
git -C "$R" checkout -q -b other
printf 'other side\n' >"$R/notes.txt"
git -C "$R" commit -q -am "other"
git -C "$R" checkout -q main
printf 'main side\n' >"$R/notes.txt"
git -C "$R" commit -q -am "main"
git -C "$R" merge -q other >/dev/null 2>&1 && fail "the test merge did not conflict"
edit_schemas "$R"
head_before=$(git -C "$R" rev-parse HEAD)
index_before=$(sha256sum <"$R/.git/index")
status_before=$(porcelain "$R")
commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 2 "commit during a merge"
assert_contains "$T/err" "a merge is in progress"
assert_contains "$T/err" "git merge --abort"
assert_eq "$(git -C "$R" rev-parse HEAD)" "$head_before" "HEAD unchanged during a merge"
assert_eq "$(sha256sum <"$R/.git/index")" "$index_before" "index unchanged during a merge"
assert_eq "$(porcelain "$R")" "$status_before" "status unchanged during a merge"
[ -f "$R/.git/MERGE_HEAD" ] || fail "MERGE_HEAD disappeared"

# ---- missing author configuration (HOME is empty, no global config)
R="$T/noauthor"
git init -q -b main "$R"
printf 'x\n' >"$R/enums.py"
commit "$R" "$MSG" enums.py
expect_rc 2 "commit without user.name"
assert_contains "$T/err" 'git config --global user.name "Your Name"'
git -C "$R" config user.name "Only Name"
commit "$R" "$MSG" enums.py
expect_rc 2 "commit without user.email"
assert_contains "$T/err" 'git config --global user.email'
git -C "$R" rev-parse -q --verify HEAD >/dev/null && fail "a commit was made without an identity"
[ -z "$(git -C "$R" ls-files)" ] || fail "the index changed although the commit was refused"

# ---- a repository path with spaces and unicode, and a file name with both
R="$T/my repo ünïcødé"
mkrepo "$R"
mkdir -p "$R/schémas dir"
printf 'class Ä(str, Enum):\n    X = "x"\n' >"$R/schémas dir/énums file.py"
commit "$R" "$MSG" "schémas dir/énums file.py"
expect_rc 0 "commit in a path with spaces and unicode"
assert_eq "$(stat_files "$R")" "schémas dir/énums file.py " "unicode path committed"
assert_eq "$(porcelain "$R")" "" "status clean in the unicode repository"

# ---- committing from a subdirectory root: paths are relative to it
R="$T/sub"
mkrepo "$R"
edit_schemas "$R"
commit "$R/schemas" "$MSG" enums.py schema_version.py
expect_rc 0 "commit with a subdirectory as root"
assert_eq "$(stat_files "$R")" "schemas/enums.py schemas/schema_version.py " "subdirectory paths"

# ---- a locked index: an error, and neither index nor HEAD is touched
R="$T/locked"
mkrepo "$R"
edit_schemas "$R"
: >"$R/.git/index.lock"
head_before=$(git -C "$R" rev-parse HEAD)
index_before=$(sha256sum <"$R/.git/index")
commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 2 "commit with a locked index"
assert_contains "$T/err" "the index is locked by another git process (remove .git/index.lock if no git is running)"
assert_eq "$(git -C "$R" rev-parse HEAD)" "$head_before" "HEAD unchanged with a locked index"
assert_eq "$(sha256sum <"$R/.git/index")" "$index_before" "index unchanged with a locked index"
[ -f "$R/.git/index.lock" ] || fail "someone else's index.lock was removed"
rm "$R/.git/index.lock"
git -C "$R" status --porcelain >/dev/null || fail "the index is unreadable after the refused commit"
commit "$R" "$MSG" schemas/enums.py schemas/schema_version.py
expect_rc 0 "commit after the lock is gone"

# ---- a pre-commit hook is not run, and that is reported
R="$T/hook"
mkrepo "$R"
printf '#!/bin/sh\ntouch "%s/hook-ran"\nexit 1\n' "$T" >"$R/.git/hooks/pre-commit"
chmod +x "$R/.git/hooks/pre-commit"
edit_schemas "$R"
commit "$R" "$MSG" schemas/enums.py
expect_rc 0 "commit with a pre-commit hook"
assert_eq "$(field hooks_skipped)" "1" "hooks_skipped"
[ -e "$T/hook-ran" ] && fail "libgit2 ran the hook?"

# ---- dirtiness and the root
R="$T/dirty"
mkrepo "$R"
run "$VCS_TOOL" dirty "$R" schemas/enums.py schemas/schema_version.py
expect_rc 0 "dirty"; assert_eq "$(cat "$T/out")" "dirty=0" "clean files"
printf 'SCHEMA_VERSION = 1\n' >"$R/schemas/schema_version.py"
run "$VCS_TOOL" dirty "$R" schemas/enums.py schemas/schema_version.py
assert_eq "$(cat "$T/out")" "dirty=1" "an untracked schema file is dirty"
rm "$R/schemas/schema_version.py"
printf '# staged\n' >>"$R/schemas/enums.py"; git -C "$R" add schemas/enums.py
run "$VCS_TOOL" dirty "$R" schemas/enums.py
assert_eq "$(cat "$T/out")" "dirty=1" "a staged change is dirty"
run "$VCS_TOOL" root "$R/schemas"
assert_eq "$(cat "$T/out")" "$(cd "$R" && pwd -P)" "root from a subdirectory"
mkdir -p "$T/plain/dir"
run "$VCS_TOOL" root "$T/plain/dir"
assert_eq "$(cat "$T/out")" "$(cd "$T/plain/dir" && pwd -P)" "root outside a repository"
run "$VCS_TOOL" dirty "$T/plain/dir" x.py
assert_eq "$(cat "$T/out")" "dirty=0" "outside a repository nothing is dirty"

finish
