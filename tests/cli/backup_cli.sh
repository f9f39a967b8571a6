#!/usr/bin/env bash
# backup_cli.sh: `schemerge backup list|show|restore|delete|prune` end to end in a temp
# git repository. The first backup is written by hand in the documented format
# (src/backup.h), so the test also pins that format; later ones are made by restore.
. "$TESTLIB"
need git sha256sum python3

R="$T/repo with space"
git init -q -b main "$R"
mkdir -p "$R/schemas" "$R/sub/dir"
cd "$R/sub/dir" || fail "cd"

# mkbackup ID REASON FILE...: a backup of the files as they are now (a missing file is
# recorded existed=false), in the format of src/backup.h
mkbackup() {
    local id=$1 reason=$2; shift 2
    local d="$R/.schemerge/backups/$id"
    mkdir -p "$d/files"
    local entries="" sep=""
    for f in "$@"; do
        if [ -e "$R/$f" ]; then
            mkdir -p "$(dirname "$d/files/$f")"
            cp "$R/$f" "$d/files/$f"
            entries="$entries$sep{\"path\": \"$f\", \"sha256\": \"$(sha256sum <"$R/$f" | cut -d' ' -f1)\", \"existed\": true}"
        else
            entries="$entries$sep{\"path\": \"$f\", \"sha256\": \"\", \"existed\": false}"
        fi
        sep=", "
    done
    printf '{"format": 1, "id": "%s", "time": "2026-01-01T00:00:00Z", "reason": "%s", "db_hash": "sha256:abcd", "changes": ["enum_value_added:public.status:pending"], "files": [%s]}\n' \
        "$id" "$reason" "$entries" >"$d/metadata.json"
}

# ---- no backups yet
run "$SCHEMERGE" backup list
expect_rc 0 "backup list without backups"
assert_eq "$(cat "$T/out")" "no backups" "empty list"

# ---- files before an "update": CRLF, no final newline, unicode; version file absent
printf 'class Status(str, Enum):\r\n    ACTIVE = "active"\r\n    CAFÉ = "café"' >"$R/schemas/enums.py"
printf 'class ARow(TypedDict):\n    id: int\n' >"$R/schemas/entities.py"
chmod 0640 "$R/schemas/entities.py"
cp -p "$R/schemas/enums.py" "$T/enums.orig"; cp -p "$R/schemas/entities.py" "$T/entities.orig"
mkbackup 20260101T000000Z update schemas/enums.py schemas/entities.py schemas/schema_version.py
# an incomplete backup (no metadata.json) is not listed
mkdir -p "$R/.schemerge/backups/20250101T000000Z/files"

# ---- the "update" changes everything
printf 'changed\n' >"$R/schemas/enums.py"
printf 'changed too\n' >"$R/schemas/entities.py"
printf 'SCHEMA_VERSION = "x"\n' >"$R/schemas/schema_version.py"

run "$SCHEMERGE" backup list
expect_rc 0 "backup list"
assert_eq "$(cat "$T/out")" "20260101T000000Z  2026-01-01T00:00:00Z  update  3 files  1 change" "list line"

run "$SCHEMERGE" backup show 20260101T000000Z
expect_rc 0 "backup show"
assert_contains "$T/out" "reason: update"
assert_contains "$T/out" "db hash: sha256:abcd"
assert_contains "$T/out" "schemas/schema_version.py  (did not exist)"
assert_contains "$T/out" "enum_value_added:public.status:pending"
assert_contains "$T/out" "--- a/schemas/enums.py"
assert_contains "$T/out" "+++ b/schemas/enums.py"
assert_contains "$T/out" "+changed too"
assert_contains "$T/out" "+SCHEMA_VERSION = \"x\""

# ---- restore: byte-identical, mode kept, the absent file removed, the undo backup named
run "$SCHEMERGE" backup restore 20260101T000000Z
expect_rc 0 "backup restore"
assert_contains "$T/out" "restored backup 20260101T000000Z"
pre=$(sed -n 's/.*are in backup \([0-9TZ-]*\)$/\1/p' "$T/out")
[ -n "$pre" ] || fail "restore did not name the pre-restore backup: $(cat "$T/out")"
assert_same_file "$R/schemas/enums.py" "$T/enums.orig"
assert_same_file "$R/schemas/entities.py" "$T/entities.orig"
assert_eq "$(stat -c %a "$R/schemas/entities.py")" "640" "mode after restore"
[ -e "$R/schemas/schema_version.py" ] && fail "schema_version.py should be removed by the restore"

# the pre-restore backup: listed first, private, valid JSON in the documented shape
run "$SCHEMERGE" backup list
assert_eq "$(head -1 "$T/out")" "$pre  $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['time'])" "$R/.schemerge/backups/$pre/metadata.json")  before restore of 20260101T000000Z  3 files  0 changes" "pre-restore backup listed first"
assert_eq "$(wc -l <"$T/out")" "2" "two backups"
assert_eq "$(stat -c %a "$R/.schemerge/backups/$pre")" "700" "backup dir mode"
python3 - "$R/.schemerge/backups/$pre/metadata.json" <<'EOF' || fail "metadata.json of the pre-restore backup"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["format"] == 1 and m["reason"].startswith("before restore of ")
assert [f["path"] for f in m["files"]] == ["schemas/enums.py", "schemas/entities.py", "schemas/schema_version.py"]
assert all(f["existed"] for f in m["files"]) and all(len(f["sha256"]) == 64 for f in m["files"])
assert m["changes"] == [] and m["db_hash"] is None
EOF

# ---- the restore can be undone
run "$SCHEMERGE" backup restore "$pre"
expect_rc 0 "undo the restore"
assert_eq "$(cat "$R/schemas/enums.py")" "changed" "undo: enums"
assert_eq "$(cat "$R/schemas/schema_version.py")" 'SCHEMA_VERSION = "x"' "undo: version file back"

# ---- a damaged backup is refused, naming the file, and nothing is written
printf 'tampered' >"$R/.schemerge/backups/20260101T000000Z/files/schemas/entities.py"
cp "$R/schemas/enums.py" "$T/enums.now"
run "$SCHEMERGE" backup restore 20260101T000000Z
expect_rc 2 "restore of a corrupted backup"
assert_contains "$T/err" "schemas/entities.py"
assert_contains "$T/err" "SHA-256"
assert_eq "$(wc -l <"$T/err")" "1" "one-line error"
assert_same_file "$R/schemas/enums.py" "$T/enums.now"
rm "$R/.schemerge/backups/20260101T000000Z/files/schemas/entities.py"
run "$SCHEMERGE" backup restore 20260101T000000Z
expect_rc 2 "restore of a backup with a missing file"
assert_contains "$T/err" "its copy of schemas/entities.py is missing"

# ---- delete, unknown ids, prune, usage
run "$SCHEMERGE" backup delete 20260101T000000Z
expect_rc 0 "backup delete"
[ -e "$R/.schemerge/backups/20260101T000000Z" ] && fail "deleted backup still there"
run "$SCHEMERGE" backup delete 20260101T000000Z
expect_rc 2 "delete of a missing backup"
assert_contains "$T/err" "there is no backup 20260101T000000Z"
run "$SCHEMERGE" backup show ../../schemas
expect_rc 2 "show with a path as id"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
    mkbackup "202401${i}T000000Z" "old $i" schemas/enums.py
done
run "$SCHEMERGE" backup prune
expect_rc 0 "backup prune"
run "$SCHEMERGE" backup list
assert_eq "$(wc -l <"$T/out")" "10" "prune keeps 10"
assert_contains "$T/out" "$pre"
assert_not_contains "$T/out" "20240102T000000Z"
[ -e "$R/.schemerge/backups/20250101T000000Z" ] && fail "prune left an old incomplete backup"
run "$SCHEMERGE" backup frobnicate
expect_rc 2 "unknown subcommand"
assert_contains "$T/err" "usage: schemerge backup list"
run "$SCHEMERGE" backup restore
expect_rc 2 "restore without an id"
assert_contains "$T/err" "usage:"

finish
