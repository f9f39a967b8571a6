#!/usr/bin/env bash
# commit_faults.sh: `schemerge commit` when git cannot write. libgit2 writes the objects
# and the index itself (fsutil's fault injection does not reach it), so the faults are
# real: an index.lock left by another git process, and .git/objects read-only (the
# command then runs as nobody when the test runs as root, since root ignores modes).
# Each: exit 2, one line, HEAD and the index unchanged, the work tree unchanged, the lock
# left alone; once the fault is gone the same command works.
. "$TESTLIB"
need git
S=$SCHEMERGE
SNAP=$FIXTURES/snapshots/small.json
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

one_line_exit2() {
    [ "$RC" = 2 ] || fail "$1: exit $RC, expected 2; stderr: $(head -c 400 "$T/err")"
    [ "$(wc -l < "$T/err")" = 1 ] && grep -q '^schemerge: ' "$T/err" ||
        fail "$1: stderr is not one 'schemerge: ' line: $(head -c 600 "$T/err")"
    grep -qiE 'sanitizer|runtime error' "$T/err" && fail "$1: sanitizer report"
}
prepare() {
    rm -rf "$T/r" && mkdir -p "$T/r/schemas/database" && git -C "$T/r" init -q
    printf 'from typing import TypedDict\n\n\nclass T1Row(TypedDict):\n    id: int\n' > "$T/r/schemas/database/entities.py"
    git -C "$T/r" add -A && git -C "$T/r" commit -qm init
    run "$S" -C "$T/r" --db "$SNAP" update --only column_added
    expect_rc 0 "update before commit"
    head0=$(git -c safe.directory='*' -C "$T/r" rev-parse HEAD)
    git -C "$T/r" status --porcelain > "$T/status0"
    cp "$T/r/.git/index" "$T/index0"
    cp "$T/r/schemas/database/entities.py" "$T/entities0"
}
unchanged() {
    assert_eq "$(git -c safe.directory='*' -C "$T/r" rev-parse HEAD)" "$head0" "$1: HEAD"
    cmp -s "$T/r/.git/index" "$T/index0" || fail "$1: the index changed"
    assert_same_file "$T/r/schemas/database/entities.py" "$T/entities0"
}

# ---- index.lock present
prepare
echo locked > "$T/r/.git/index.lock"
run "$S" -C "$T/r" commit -m "sync"
one_line_exit2 "commit with index.lock present"
unchanged "commit with index.lock present"
assert_eq "$(cat "$T/r/.git/index.lock" 2>/dev/null)" locked "the other process's index.lock"
rm "$T/r/.git/index.lock"
run "$S" -C "$T/r" commit -m "sync"
expect_rc 0 "commit once the lock is gone"
[ "$(git -c safe.directory='*' -C "$T/r" rev-parse HEAD)" != "$head0" ] || fail "no commit once the lock is gone"
git -C "$T/r" fsck --no-progress >/dev/null 2>&1 || fail "git fsck after the commit"

# ---- .git/objects read-only
prepare
chmod 755 "$T"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$T/r" "$T/home"
find "$T/r/.git/objects" -type d -exec chmod a-w {} +
run as_user "$S" -C "$T/r" commit -m "sync"
one_line_exit2 "commit with .git/objects read-only"
unchanged "commit with .git/objects read-only"
[ -e "$T/r/.git/index.lock" ] && fail "a stale index.lock was left behind"
find "$T/r/.git/objects" -type d -exec chmod u+w {} +
run as_user "$S" -C "$T/r" commit -m "sync"
expect_rc 0 "commit once objects are writable"
git -C "$T/r" -c safe.directory='*' fsck --no-progress >/dev/null 2>&1 || fail "git fsck after the commit"
finish
