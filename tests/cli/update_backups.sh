#!/usr/bin/env bash
# update_backups.sh: backups through the command line. Each update that writes makes one
# backup; rotation keeps exactly max_backups (.schemerge.json) for update, restore and
# prune; restore is a byte-identical round trip (and backs up the current files first);
# a backup whose file is missing or corrupted (hash mismatch) is refused with a clear
# message and nothing is written.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo update_backups "CREATE TYPE project_status AS ENUM ('active');"
echo '{"max_backups": 3}' > .schemerge.json
printf 'from enum import Enum\n\n\nclass ProjectStatus(str, Enum):\r\n    ACTIVE = "active"\r\n' > schemas/enums.py
cp schemas/enums.py "$T/v0"
nbackups() { find .schemerge/backups -mindepth 1 -maxdepth 1 -type d | wc -l; }

# five updates, each adding a label: five backups made, three kept
for k in 1 2 3 4 5; do
    dr_sql "ALTER TYPE project_status ADD VALUE 'l$k'"
    run sm update
    expect_rc 0 "update $k"
    assert_contains "$T/out" "2 files written, backup "
    cp schemas/enums.py "$T/v$k"
done
assert_eq "$(nbackups)" 3 "rotation keeps max_backups"
run sm backup list
expect_rc 0 "backup list"
assert_eq "$(wc -l < "$T/out")" 3 "three listed"
# the newest backup holds v4 (the file before the fifth update)
NEWEST=$(head -1 "$T/out" | cut -d' ' -f1)
OLDEST=$(tail -1 "$T/out" | cut -d' ' -f1)
assert_same_file ".schemerge/backups/$NEWEST/files/schemas/enums.py" "$T/v4"
assert_same_file ".schemerge/backups/$OLDEST/files/schemas/enums.py" "$T/v2"

# ---- restore: byte-identical, and the files before it are backed up first (rotation
# keeps the newest 3 from the config, plus the backup being restored, which is older)
run sm backup restore "$OLDEST"
expect_rc 0 "restore"
assert_same_file schemas/enums.py "$T/v2"
assert_eq "$(nbackups)" 4 "restore rotates to max_backups, keeping the restored one"
[ -d ".schemerge/backups/$OLDEST" ] || fail "the restored backup was rotated away"
PRE=$(sed -n 's/.*the files before the restore are in backup \([^ ]*\)$/\1/p' "$T/out")
[ -n "$PRE" ] || fail "restore does not name its own backup: $(cat "$T/out")"
assert_same_file ".schemerge/backups/$PRE/files/schemas/enums.py" "$T/v5"
run sm backup restore "$PRE"
expect_rc 0 "restore the restore's backup"
assert_same_file schemas/enums.py "$T/v5"

# ---- prune with the config's max_backups
echo '{"max_backups": 1}' > .schemerge.json
run sm backup prune
expect_rc 0 "prune"
assert_eq "$(cat "$T/out")" "kept the newest 1 backups" "prune message"
assert_eq "$(nbackups)" 1 "prune keeps max_backups"
echo '{"max_backups": 5}' > .schemerge.json

# ---- a damaged backup is refused, nothing written
ID=$(ls .schemerge/backups | tail -1)
cp schemas/enums.py "$T/now"
printf 'tampered\n' >> ".schemerge/backups/$ID/files/schemas/enums.py"
run sm backup restore "$ID"
expect_rc 2 "restore of a corrupted backup"
grep -qiE "hash|sha-?256|does not match|corrupt|damaged" "$T/err" || fail "unclear message: $(cat "$T/err")"
assert_contains "$T/err" "schemas/enums.py"
assert_same_file schemas/enums.py "$T/now"
rm ".schemerge/backups/$ID/files/schemas/enums.py"
run sm backup restore "$ID"
expect_rc 2 "restore of a backup with a missing file"
grep -qiE "missing|not found|no such" "$T/err" || fail "unclear message: $(cat "$T/err")"
assert_same_file schemas/enums.py "$T/now"
run sm backup restore nosuchbackup
expect_rc 2 "restore of an unknown id"
# ---- an invalid config is an error for backup too
echo '{"max_backups": 0}' > .schemerge.json
run sm backup list
expect_rc 2 "invalid max_backups"
assert_contains "$T/err" "max_backups"
finish
