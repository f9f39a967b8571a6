#!/usr/bin/env bash
# update_crash.sh: crash safety. `schemerge update` on a large file is killed with SIGKILL
# at random moments, 200 times (or $CRASH_RUNS). After each kill: every schema file is
# exactly the old or exactly the new content (never a mix, never empty), and every
# complete backup (one with metadata.json) is valid: its files' SHA-256 match the
# metadata, and they are the old contents. A temporary file (.NAME.tmp-*) can remain only
# from a kill between its creation and its rename (a named temporary file cannot be
# avoided with rename(2)); the next update removes such litter next to every file it
# writes, and completes with the new contents. The loop runs against a snapshot file.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 sha256sum

RUNS=${CRASH_RUNS:-200}
dr_repo update_crash "CREATE TYPE project_status AS ENUM ('active', 'pending', 'done');
CREATE TABLE projects (id integer PRIMARY KEY, note text, owner text);"
run sm snapshot -o "$T/snap.json"
expect_rc 0 "snapshot"
# a large entities.py (about 1.5 MB) so that reading, merging and writing take a while
python3 - schemas/database/entities.py <<'PY'
import sys
body = "".join(f"    col_{k}: str  # {k}\n" for k in range(40))
parts = ["from typing import TypedDict\n"]
for n in range(1500):
    parts.append(f"\n\nclass Keep{n}(TypedDict):  # schemerge: ignore\n{body}")
parts.append("\n\nclass ProjectRow(TypedDict):\n    id: int\n")
open(sys.argv[1], "w").write("".join(parts))
PY
printf 'from enum import Enum\n\n\nclass ProjectStatus(str, Enum):\n    ACTIVE = "active"\n    DONE = "done"\n' > schemas/enums.py
cp schemas/enums.py "$T/enums.old"; cp schemas/database/entities.py "$T/entities.old"

# the new contents, from one complete run
"$SCHEMERGE" --db "$T/snap.json" update >/dev/null 2>&1 || fail "the reference update failed"
cp schemas/enums.py "$T/enums.new"; cp schemas/database/entities.py "$T/entities.new"
cmp -s "$T/enums.old" "$T/enums.new" && fail "the reference update changed nothing"
# how long a whole run takes, to spread the kills over it
# (the shortest of three runs: under a parallel `make check` a run may be slowed once)
span_us=0
for _ in 1 2 3; do
    cp "$T/enums.old" schemas/enums.py; cp "$T/entities.old" schemas/database/entities.py
    rm -rf .schemerge schemas/schema_version.py
    t0=$(date +%s%N)
    "$SCHEMERGE" --db "$T/snap.json" update >/dev/null 2>&1
    us=$(( ($(date +%s%N) - t0) / 1000 ))
    if [ "$span_us" = 0 ] || [ "$us" -lt "$span_us" ]; then span_us=$us; fi
done
[ "$span_us" -gt 0 ] || span_us=100000

same_as() { cmp -s "$1" "$2"; }
killed_mid=0 finished=0 temps=0
for i in $(seq "$RUNS"); do
    cp "$T/enums.old" schemas/enums.py; cp "$T/entities.old" schemas/database/entities.py
    rm -rf .schemerge/backups .schemerge/last-sync.json schemas/schema_version.py
    "$SCHEMERGE" --db "$T/snap.json" update >/dev/null 2>&1 &
    pid=$!
    delay=$(( RANDOM * 32768 + RANDOM ))
    delay=$(( delay % (span_us + span_us / 5) ))
    sleep "$(printf '0.%06d' "$delay")"
    if kill -9 "$pid" 2>/dev/null; then killed_mid=$((killed_mid + 1)); else finished=$((finished + 1)); fi
    wait "$pid" 2>/dev/null
    for f in enums entities; do
        p=schemas/enums.py; [ $f = entities ] && p=schemas/database/entities.py
        same_as $p "$T/$f.old" || same_as $p "$T/$f.new" ||
            { fail "run $i: $p is neither the old nor the new content ($(stat -c %s $p) bytes)"; break 2; }
    done
    # every complete backup is valid and holds the old contents
    for meta in .schemerge/backups/*/metadata.json; do
        [ -e "$meta" ] || continue
        python3 - "$meta" "$T" <<'PY' || { fail "run $i: invalid backup $meta"; break 2; }
import hashlib, json, os, sys
meta = sys.argv[1]; d = os.path.dirname(meta); t = sys.argv[2]
m = json.load(open(meta))
old = {"schemas/enums.py": t + "/enums.old", "schemas/database/entities.py": t + "/entities.old"}
for f in m["files"]:
    if not f["existed"]:
        continue
    data = open(os.path.join(d, "files", f["path"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"] + ": hash mismatch"
    if f["path"] in old:
        assert data == open(old[f["path"]], "rb").read(), f["path"] + ": not the old content"
PY
    done
    n=$(find schemas .schemerge -maxdepth 2 -name '.*.tmp-*' 2>/dev/null | wc -l)
    temps=$((temps + n))
    # every tenth run: the next update (from the old files) completes after the kill and
    # removes the litter next to the files it writes
    if [ $((i % 10)) = 0 ]; then
        cp "$T/enums.old" schemas/enums.py; cp "$T/entities.old" schemas/database/entities.py
        rm -f .schemerge/last-sync.json schemas/schema_version.py
        "$SCHEMERGE" --db "$T/snap.json" update >/dev/null 2>&1 || fail "run $i: the update after a kill failed"
        same_as schemas/enums.py "$T/enums.new" && same_as schemas/database/entities.py "$T/entities.new" ||
            fail "run $i: the update after a kill did not give the new contents"
        left=$(find schemas .schemerge -maxdepth 2 -name '.*.tmp-*' 2>/dev/null)
        [ -z "$left" ] || { fail "run $i: temporary files left after a complete update: $left"; break; }
    fi
done
echo "crash loop: $RUNS runs, $killed_mid killed mid-run, $finished finished first, $temps temporary files left by kills" >&2
# the kills must land inside runs often enough to prove something (load can shift them)
[ "$killed_mid" -ge $((RUNS / 5)) ] || fail "too few kills landed inside the run ($killed_mid of $RUNS)"
finish
