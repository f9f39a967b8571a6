#!/usr/bin/env bash
# apply_atomic.sh: one apply writes all of its files or none (SPEC 5, issue 14 item 3).
# A four-file update (enums.py, entities.py, relationships.py, schema_version.py, and the
# state in .schemerge/) against a snapshot.
# Any build: with schemas/database/ read-only and schemas/enums.py writable, `update`
#   exits 2 and every schema file is byte-identical (it used to write enums.py first).
# Fault-injection builds (.ci/run's asan tree): every open/write/fsync/rename/link/
#   mkdir/unlink of the write path fails in turn (ENOSPC, EIO, EACCES; n = 1, 2, ... until
#   the update succeeds): exit 2, one line, every file byte-identical, no litter. Then the
#   same steps with KILL (the process dies by SIGKILL at that call): after the next
#   schemerge run (a reader, `diff`, which undoes an interrupted write), the files are all
#   old or all new, never a mix; the update run again completes and leaves no litter.
. "$TESTLIB"
need python3
SNAP=$FIXTURES/snapshots/small.json
S=$SCHEMERGE
fi_build=false
grep -q '^#define SM_FAULT_INJECTION 1' "$(dirname "$SCHEMERGE")/config.h" 2>/dev/null && fi_build=true

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
PY
cat > "$tpl/schemas/database/relationships.py" <<'PY'
from typing import TypedDict


class T2Row(TypedDict):
    id: int
PY
echo '{"relationships": ["t2"]}' > "$tpl/.schemerge.json"
(cd "$tpl" && git init -q . && git add -A &&
    git -c user.name=t -c user.email=t@example.com commit -qm init) || fail "git init"
FILES="schemas/enums.py schemas/database/entities.py schemas/database/relationships.py"

cp -a "$tpl" "$T/exp"
run "$S" -C "$T/exp" update --db "$SNAP"
expect_rc 0 "update without faults"
for f in $FILES; do
    cmp -s "$tpl/$f" "$T/exp/$f" && fail "the reference update left $f as it was"
done
new_hash=$(grep '^DB_HASH' "$T/exp/schemas/schema_version.py")
[ -n "$new_hash" ] || fail "the reference update wrote no schema_version.py"

# state DIR: "old" when every file is as in $tpl, "new" when every file is as in $T/exp
# (schema_version.py by its DB_HASH: it also records the time), else "mixed: ..."
state() {
    local d=$1 olds=0 news=0 f which=""
    for f in $FILES; do
        if cmp -s "$d/$f" "$tpl/$f"; then olds=$((olds + 1)); which="$which $f=old"
        elif cmp -s "$d/$f" "$T/exp/$f"; then news=$((news + 1)); which="$which $f=new"
        else which="$which $f=other"; fi
    done
    if [ ! -e "$d/schemas/schema_version.py" ]; then olds=$((olds + 1)); which="$which version=old"
    elif [ "$(grep '^DB_HASH' "$d/schemas/schema_version.py")" = "$new_hash" ]; then
        news=$((news + 1)); which="$which version=new"
    else which="$which version=other"; fi
    if [ "$olds" = 4 ]; then echo old; elif [ "$news" = 4 ]; then echo new; else echo "mixed:$which"; fi
}
litter() { find "$1" \( -name '.*.tmp-*' -o -name '.*.old-*' -o -name journal \) -not -path '*/.git/*' | head -3; }

# Any build: a read-only schemas/database/ with a writable schemas/enums.py.
chmod 755 "$T"
rm -rf "$T/ro" && cp -a "$tpl" "$T/ro"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$T/ro"
chmod a-w "$T/ro/schemas/database"
run as_user "$S" -C "$T/ro" update --db "$(readable_copy "$SNAP")"
[ "$RC" = 2 ] || fail "update with a read-only schemas/database/ exited $RC, expected 2"
assert_eq "$(state "$T/ro")" old "update with a read-only schemas/database/"
grep -q '^schemerge: .*nothing was written' "$T/err" || fail "the error does not say nothing was written: $(cat "$T/err")"
assert_eq "$(litter "$T/ro")" "" "litter after the read-only failure"
chmod u+w "$T/ro/schemas/database"
run as_user "$S" -C "$T/ro" update --db "$(readable_copy "$SNAP")"
expect_rc 0 "update once the directory is writable"
assert_eq "$(state "$T/ro")" new "update once the directory is writable"

tries=0 failures=0 kills=0
if $fi_build; then
    for op in open write fsync rename link mkdir unlink; do
        for e in ENOSPC EIO EACCES KILL; do
            for n in $(seq 1 300); do
                rm -rf "$T/w" && cp -a "$tpl" "$T/w"
                tries=$((tries + 1))
                # (the shell's "Killed" notice goes to /dev/null, the command's stderr to $T/err)
                { SCHEMERGE_FAULT="$op:$n:$e" run "$S" -C "$T/w" update --db "$SNAP"; } 2>/dev/null
                label="$op:$n:$e"
                if [ "$RC" = 0 ]; then
                    assert_eq "$(state "$T/w")" new "$label: succeeded"
                    assert_eq "$(litter "$T/w")" "" "$label: litter after success"
                    break
                fi
                if [ "$e" = KILL ]; then
                    [ "$RC" = 137 ] || fail "$label: exited $RC, expected death by SIGKILL (137)"
                    kills=$((kills + 1))
                    # a reader puts back what the killed writer left half done
                    run "$S" -C "$T/w" diff --db "$SNAP"
                    expect_rc 0 "$label: diff after the kill"
                    st=$(state "$T/w")
                    case $st in old|new) ;; *) fail "$label: after the kill and a diff: $st" ;; esac
                    [ -e "$T/w/.schemerge/journal" ] && fail "$label: the journal is still there after diff"
                else
                    failures=$((failures + 1))
                    [ "$RC" = 2 ] || fail "$label: exit $RC, expected 2; stderr: $(head -c 300 "$T/err")"
                    [ "$(wc -l < "$T/err")" = 1 ] && grep -q '^schemerge: ' "$T/err" ||
                        fail "$label: stderr is not one 'schemerge: ' line: $(head -c 400 "$T/err")"
                    assert_eq "$(state "$T/w")" old "$label: failed"
                    assert_eq "$(litter "$T/w")" "" "$label: litter after the failure"
                fi
                # and the next update completes, leaving no litter
                if [ "$e" = KILL ] || [ "$e" = EIO ]; then
                    run "$S" -C "$T/w" update --db "$SNAP"
                    expect_rc 0 "$label: the update run again"
                    assert_eq "$(state "$T/w")" new "$label: the update run again"
                    assert_eq "$(litter "$T/w")" "" "$label: litter after the update run again"
                fi
                [ "$T_FAILED" = 0 ] || finish
            done
            [ "$n" = 300 ] && fail "$op:$e: still failing at n=300"
        done
    done
    echo "apply_atomic: $tries runs, $failures injected failures, $kills kills: all or nothing"
else
    echo "apply_atomic: not a fault-injection build: the SCHEMERGE_FAULT loops are not run here (.ci/run's asan tree runs them)"
fi
finish
