#!/usr/bin/env bash
# write_faults.sh: every write path fails at every step, and nothing is lost.
# With a fault-injection build (configure --enable-fault-injection, as .ci/run's asan tree
# is), SCHEMERGE_FAULT="op:n:errno" makes the n-th open/write/fsync/rename/mkdir/unlink of
# fsutil.c fail with ENOSPC, EIO or EACCES, for n = 1, 2, ... until the command succeeds,
# during `update` (backup, files, state) and `backup restore`. After each failure:
# exit 2, one line "schemerge: ...", every schema file byte-identical to before (all or
# nothing, SPEC 5), every state file whole, no temporary file (.NAME.tmp-*) left, and
# every complete backup verifying against its metadata. Then the same command without
# the fault must succeed. Any build: an unwritable directory (as a non-root user when
# run as root) fails the same way.
. "$TESTLIB"
need python3
SNAP=$FIXTURES/snapshots/small.json
S=$SCHEMERGE
fi_build=false
grep -q '^#define SM_FAULT_INJECTION 1' "$(dirname "$SCHEMERGE")/config.h" 2>/dev/null && fi_build=true
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

# A repository with drift against the snapshot, one earlier backup already there.
tpl=$T/tpl
mkdir -p "$tpl/schemas/database"
cat > "$tpl/schemas/enums.py" <<'PY'
from enum import Enum


class Mood(str, Enum):
    SAD = "sad"
    OK = "ok"
PY
cat > "$tpl/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class T1Row(TypedDict):
    id: int
    x: Optional[float]
PY
(cd "$tpl" && git init -q . && git add -A && git commit -qm init) || fail "git init"
run "$S" -C "$tpl" update --db "$SNAP" --only table_added
expect_rc 0 "first update --only table_added"
# the rest touches two files (after a sync, --only names them: the files lag behind it)
UPDATE_ONLY=(--only enum_value_added --only column_added)
UPDATE=(update --db "$SNAP" "${UPDATE_ONLY[@]}")

# The expected result of the full update.
cp -a "$tpl" "$T/exp"
run "$S" -C "$T/exp" "${UPDATE[@]}"
expect_rc 0 "update without faults"
cmp -s "$tpl/schemas/database/entities.py" "$T/exp/schemas/database/entities.py" && fail "update changed nothing"
cmp -s "$tpl/schemas/enums.py" "$T/exp/schemas/enums.py" && fail "update changed nothing in enums.py"

# check_after DIR OLD NEW LABEL: the invariants after a failed or successful command
check_after() {
    local d=$1 old=$2 new=$3 label=$4 f
    for f in schemas/enums.py schemas/database/entities.py; do
        cmp -s "$d/$f" "$old/$f" || cmp -s "$d/$f" "$new/$f" ||
            fail "$label: $f is neither the old nor the new file: $(diff -u "$old/$f" "$d/$f" | head -20)"
    done
    f=schemas/schema_version.py
    if [ -e "$d/$f" ] && ! cmp -s "$d/$f" "$old/$f"; then
        python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' "$d/$f" 2>/dev/null &&
            grep -q '^DB_HASH' "$d/$f" || fail "$label: $f is not a whole file"
    fi
    local stray
    stray=$(find "$d" -name '.*.tmp-*' | head -3)
    [ -z "$stray" ] || fail "$label: temporary files left: $stray"
    python3 - "$d" "$label" <<'PY' || T_FAILED=1
import hashlib, json, os, sys
root, label = sys.argv[1], sys.argv[2]
for name in ("last-sync.json", "last-apply.json"):
    p = os.path.join(root, ".schemerge", name)
    if os.path.exists(p):
        try:
            json.load(open(p))
        except Exception as e:
            print(f"FAIL: {label}: .schemerge/{name} is not whole JSON: {e}", file=sys.stderr); sys.exit(1)
bdir = os.path.join(root, ".schemerge", "backups")
for b in sorted(os.listdir(bdir)) if os.path.isdir(bdir) else []:
    meta = os.path.join(bdir, b, "metadata.json")
    if not os.path.exists(meta):
        continue  # incomplete: never listed, never restored
    m = json.load(open(meta))
    for f in m["files"]:
        if not f["existed"]:
            continue
        data = open(os.path.join(bdir, b, "files", f["path"]), "rb").read()
        if hashlib.sha256(data).hexdigest() != f["sha256"]:
            print(f"FAIL: {label}: backup {b}: {f['path']} does not match its hash", file=sys.stderr); sys.exit(1)
PY
}

# expect_clean_failure LABEL: exit 2 and one line "schemerge: ..." on stderr, nothing on stdout
expect_clean_failure() {
    [ "$RC" = 2 ] || fail "$1: exit $RC, expected 2; stderr: $(head -c 400 "$T/err")"
    [ "$(wc -l < "$T/err")" = 1 ] && grep -q '^schemerge: ' "$T/err" ||
        fail "$1: stderr is not one 'schemerge: ' line: $(head -c 600 "$T/err")"
    grep -qiE 'sanitizer|runtime error' "$T/err" && fail "$1: sanitizer report"
}

tries=0 failures=0
# fault_loop LABEL PREPARE_DIR_FN CMD...: for every op and errno, n = 1.. until success
fault_loop() {
    local label=$1 old=$2 new=$3; shift 3
    local op e n
    for op in open write fsync rename link mkdir unlink; do
        for e in ENOSPC EIO EACCES; do
            for n in $(seq 1 200); do
                rm -rf "$T/w" && cp -a "$old" "$T/w"
                tries=$((tries + 1))
                SCHEMERGE_FAULT="$op:$n:$e" run "$S" -C "$T/w" "$@"
                if [ "$RC" = 0 ]; then
                    check_after "$T/w" "$old" "$new" "$label $op:$n:$e (succeeded)"
                    for f in schemas/enums.py schemas/database/entities.py; do
                        cmp -s "$T/w/$f" "$new/$f" || fail "$label $op:$n:$e: succeeded but $f is not the new file"
                    done
                    break
                fi
                failures=$((failures + 1))
                expect_clean_failure "$label $op:$n:$e"
                check_after "$T/w" "$old" "$new" "$label $op:$n:$e"
                # all or nothing: a failed command leaves every schema file as it was
                for f in schemas/enums.py schemas/database/entities.py schemas/schema_version.py; do
                    if [ -e "$old/$f" ]; then
                        cmp -s "$T/w/$f" "$old/$f" || fail "$label $op:$n:$e: failed, but $f changed"
                    else
                        [ -e "$T/w/$f" ] && fail "$label $op:$n:$e: failed, but $f was created"
                    fi
                done
                # and it recovers: the same command without a fault (checked for one errno:
                # the code path does not depend on which errno it is)
                [ "$e" = ENOSPC ] || continue
                run "$S" -C "$T/w" "$@"
                [ "$RC" = 0 ] || fail "$label $op:$n:$e: rerun without the fault exited $RC: $(head -c 300 "$T/err")"
                for f in schemas/enums.py schemas/database/entities.py; do
                    cmp -s "$T/w/$f" "$new/$f" || fail "$label $op:$n:$e: rerun did not produce the new $f"
                done
                [ "$T_FAILED" = 0 ] || return
            done
            [ "$n" = 200 ] && fail "$label $op:$e: still failing at n=200"
        done
    done
}

if $fi_build; then
    fault_loop update "$tpl" "$T/exp" "${UPDATE[@]}"
    # restore: back to the backup made by the full update (the files before it)
    id=$(ls "$T/exp/.schemerge/backups" | sort | tail -1)
    cp -a "$T/exp" "$T/restored"
    run "$S" -C "$T/restored" backup restore "$id"
    expect_rc 0 "backup restore without faults"
    assert_same_file "$T/restored/schemas/database/entities.py" "$tpl/schemas/database/entities.py"
    fault_loop restore "$T/exp" "$T/restored" backup restore "$id"
    echo "write_faults: $tries runs, $failures injected failures, all clean"
else
    echo "write_faults: not a fault-injection build: SCHEMERGE_FAULT loops not run (.ci/run's asan tree runs them)"
fi

# Any build: the schema directory cannot be written (EACCES for real, not injected).
# root ignores permissions, so then the command runs as nobody.
rm -rf "$T/ro" && cp -a "$tpl" "$T/ro"
chmod 755 "$T"
UPDATE=(update --db "$(readable_copy "$SNAP")" "${UPDATE_ONLY[@]}") # nobody reads it
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$T/ro"
chmod a-w "$T/ro/schemas/database"
run as_user "$S" -C "$T/ro" "${UPDATE[@]}"
expect_clean_failure "update into a read-only directory"
check_after "$T/ro" "$tpl" "$T/exp" "update into a read-only directory"
assert_same_file "$T/ro/schemas/database/entities.py" "$tpl/schemas/database/entities.py"
chmod u+w "$T/ro/schemas/database"
# a read-only .schemerge/backups: the backup fails first, no schema file is touched
rm -rf "$T/ro" && cp -a "$tpl" "$T/ro" && { [ "$(id -u)" = 0 ] && chown -R 65534:65534 "$T/ro"; true; }
chmod a-w "$T/ro/.schemerge/backups"
run as_user "$S" -C "$T/ro" "${UPDATE[@]}"
expect_clean_failure "update with a read-only backup directory"
assert_same_file "$T/ro/schemas/enums.py" "$tpl/schemas/enums.py"
assert_same_file "$T/ro/schemas/database/entities.py" "$tpl/schemas/database/entities.py"
check_after "$T/ro" "$tpl" "$T/exp" "update with a read-only backup directory"
chmod -R u+w "$T/ro"
finish
