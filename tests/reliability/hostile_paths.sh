#!/usr/bin/env bash
# hostile_paths.sh: a repository (say, a fresh clone) must not make schemerge write
# outside it. Config "files" paths that escape the root (../../etc/passwd, absolute) are
# refused; a target file, or a directory on its way, that is a symlink leading outside the
# repository is refused while one leading inside is written through; the temporary file
# is opened O_CREAT|O_EXCL|O_NOFOLLOW (strace), so a planted symlink is never followed;
# .schemerge/ and its backups are 0700; edited files keep their mode. No config key, no
# symlink and no backup's metadata makes it write into .git/ (or .schemerge/).
. "$TESTLIB"
need git
S=$SCHEMERGE
SNAP=$FIXTURES/snapshots/small.json
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

one_line_exit2() {
    [ "$RC" = 2 ] || fail "$1: exit $RC, expected 2; stderr: $(head -c 400 "$T/err")"
    [ "$(wc -l < "$T/err")" = 1 ] && grep -q '^schemerge: ' "$T/err" ||
        fail "$1: stderr is not one 'schemerge: ' line: $(head -c 600 "$T/err")"
}
new_repo() {
    rm -rf "$T/r" && mkdir -p "$T/r/schemas/database" && git -C "$T/r" init -q
    printf 'from enum import Enum\n\n\nclass Mood(str, Enum):\n    SAD = "sad"\n' > "$T/r/schemas/enums.py"
    printf 'from typing import TypedDict\n\n\nclass T1Row(TypedDict):\n    id: int\n' > "$T/r/schemas/database/entities.py"
}

# ---- config paths that escape the repository
mkdir -p "$T/outside"
echo 'do not touch' > "$T/outside/passwd"
for p in ../../etc/passwd ../outside/passwd /etc/passwd "$T/outside/passwd" schemas/../../outside/passwd '~/x.py'; do
    for key in enums entities relationships version; do
        new_repo
        printf '{"files": {"%s": "%s"}}\n' "$key" "$p" > "$T/r/.schemerge.json"
        run "$S" -C "$T/r" --db "$SNAP" update
        one_line_exit2 "files.$key = $p"
        assert_contains "$T/err" "$key"
    done
done
assert_eq "$(cat "$T/outside/passwd")" "do not touch" "the file outside"
# a path that climbs and comes back stays inside: fine
new_repo
echo '{"files": {"entities": "schemas/x/../database/entities.py"}}' > "$T/r/.schemerge.json"
run "$S" -C "$T/r" --db "$SNAP" update --only column_added
expect_rc 0 "a normalised path inside the repository"

# ---- a target that is a symlink leading outside the repository: refused, nothing written
new_repo
cp "$T/r/schemas/database/entities.py" "$T/outside/entities.py"
cp "$T/outside/entities.py" "$T/outside/entities.orig"
rm "$T/r/schemas/database/entities.py"
ln -s "$T/outside/entities.py" "$T/r/schemas/database/entities.py"
run "$S" -C "$T/r" --db "$SNAP" update --only column_added
one_line_exit2 "a target symlinked outside the repository"
assert_contains "$T/err" "outside the repository"
assert_same_file "$T/outside/entities.py" "$T/outside/entities.orig"
[ -L "$T/r/schemas/database/entities.py" ] || fail "the symlink was replaced"
# relative link, and a dangling one
rm "$T/r/schemas/database/entities.py"
ln -s ../../../outside/entities.py "$T/r/schemas/database/entities.py"
run "$S" -C "$T/r" --db "$SNAP" update --only column_added
one_line_exit2 "a relative target symlink leading outside"
assert_same_file "$T/outside/entities.py" "$T/outside/entities.orig"
new_repo
rm "$T/r/schemas/enums.py"
ln -s "$T/outside/new_enums.py" "$T/r/schemas/enums.py"
run "$S" -C "$T/r" --db "$SNAP" update --only enum_added
one_line_exit2 "a dangling symlink leading outside"
[ -e "$T/outside/new_enums.py" ] && fail "a file was created outside the repository through a dangling symlink"
# a directory on the way that is a symlink leading outside
new_repo
mkdir -p "$T/outside/db"
mv "$T/r/schemas/database/entities.py" "$T/outside/db/" && rmdir "$T/r/schemas/database"
cp "$T/outside/db/entities.py" "$T/outside/db/entities.orig"
ln -s "$T/outside/db" "$T/r/schemas/database"
run "$S" -C "$T/r" --db "$SNAP" update --only column_added
one_line_exit2 "a directory symlinked outside the repository"
assert_same_file "$T/outside/db/entities.py" "$T/outside/db/entities.orig"
# a symlink inside the repository is written through, and stays a symlink
new_repo
mkdir -p "$T/r/real"
mv "$T/r/schemas/database/entities.py" "$T/r/real/entities.py"
ln -s ../../real/entities.py "$T/r/schemas/database/entities.py"
run "$S" -C "$T/r" --db "$SNAP" update --only column_added
expect_rc 0 "a symlink inside the repository"
[ -L "$T/r/schemas/database/entities.py" ] || fail "the inside symlink was replaced by a file"
assert_contains "$T/r/real/entities.py" "m: str"

# ---- the temporary file: O_CREAT|O_EXCL|O_NOFOLLOW, next to the target
if command -v strace >/dev/null 2>&1; then
    new_repo
    # LeakSanitizer cannot run under ptrace: leaks are checked by every other run
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        run strace -f -e trace=openat,open -o "$T/strace" "$S" -C "$T/r" --db "$SNAP" update --only column_added
    expect_rc 0 "update under strace"
    grep '\.tmp-' "$T/strace" > "$T/tmpopens"
    [ -s "$T/tmpopens" ] || fail "no temporary file was opened (strace)"
    grep -v 'O_EXCL' "$T/tmpopens" | grep -q . && fail "a temporary file opened without O_EXCL: $(grep -v O_EXCL "$T/tmpopens" | head -2)"
    grep -v 'O_NOFOLLOW' "$T/tmpopens" | grep -q . && fail "a temporary file opened without O_NOFOLLOW: $(grep -v O_NOFOLLOW "$T/tmpopens" | head -2)"
    echo "hostile_paths: $(wc -l < "$T/tmpopens") temporary files, each O_EXCL|O_NOFOLLOW"
elif [ "${CI:-}" = true ]; then
    fail "strace is not installed"
fi

# ---- modes: .schemerge/ and backups 0700, edited files keep theirs
new_repo
chmod 600 "$T/r/schemas/database/entities.py"
chmod 755 "$T/r/schemas/enums.py"
run "$S" -C "$T/r" --db "$SNAP" update --only column_added --only enum_value_added
expect_rc 0 "update for the modes"
assert_eq "$(stat -c %a "$T/r/schemas/database/entities.py")" 600 "mode of the edited entities.py"
assert_eq "$(stat -c %a "$T/r/schemas/enums.py")" 755 "mode of the edited enums.py"
assert_contains "$T/r/schemas/database/entities.py" "m: str"
assert_eq "$(stat -c %a "$T/r/.schemerge")" 700 "mode of .schemerge/"
for d in "$T/r/.schemerge/backups" "$T/r"/.schemerge/backups/*; do
    assert_eq "$(stat -c %a "$d")" 700 "mode of $d"
done
# even with a permissive umask
new_repo
(umask 000 && "$S" -C "$T/r" --db "$SNAP" update --only column_added >/dev/null 2>&1) || fail "update with umask 000"
assert_eq "$(stat -c %a "$T/r/.schemerge")" 700 "mode of .schemerge/ under umask 000"
for d in "$T/r/.schemerge/backups" "$T/r"/.schemerge/backups/*; do
    assert_eq "$(stat -c %a "$d")" 700 "mode of $d under umask 000"
done
# ---- paths into .git/ (issue 14 item 7): every config key and every restore target
for p in .git/config .GIT/config .git/hooks/pre-commit sub/.git/x schemas/../.git/config .schemerge/last-sync.json; do
    for key in enums entities relationships version; do
        new_repo
        git -C "$T/r" config core.note keep >/dev/null
        cp "$T/r/.git/config" "$T/gitconfig.before"
        printf '{"files": {"%s": "%s"}}' "$key" "$p" > "$T/r/.schemerge.json"
        run "$S" -C "$T/r" --db "$SNAP" update
        one_line_exit2 "files.$key = $p"
        assert_contains "$T/err" "files.$key"
        assert_same_file "$T/r/.git/config" "$T/gitconfig.before"
        [ -e "$T/r/sub/.git/x" ] && fail "files.$key = $p: wrote sub/.git/x"
    done
done
new_repo
printf '{"pydantic_target": ".git/info/exclude"}' > "$T/r/.schemerge.json"
run "$S" -C "$T/r" --db "$SNAP" update
one_line_exit2 "pydantic_target into .git"
assert_contains "$T/err" "pydantic_target"
# a schemas directory that is a symlink into .git
new_repo
rm -rf "$T/r/schemas/database" && mkdir -p "$T/r/.git/evil" && ln -s ../.git/evil "$T/r/schemas/database"
run "$S" -C "$T/r" --db "$SNAP" update
one_line_exit2 "schemas/database -> .git/evil"
assert_contains "$T/err" ".git"
[ -z "$(ls -A "$T/r/.git/evil")" ] || fail "wrote into .git/evil through a symlink"
# a backup whose metadata names .git/config: refused as damaged, nothing restored
new_repo
run "$S" -C "$T/r" --db "$SNAP" update --only column_added
expect_rc 0 "update that makes a backup"
id=$(ls "$T/r/.schemerge/backups" | tail -1)
meta="$T/r/.schemerge/backups/$id/metadata.json"
python3 - "$meta" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["files"][0]["path"] = ".git/config"
json.dump(m, open(sys.argv[1], "w"))
PY
cp "$T/r/.git/config" "$T/gitconfig.before"
run "$S" -C "$T/r" backup restore "$id"
one_line_exit2 "restore of a backup naming .git/config"
assert_same_file "$T/r/.git/config" "$T/gitconfig.before"
finish
