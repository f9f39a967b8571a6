#!/usr/bin/env bash
# written_files.sh: every list of the files an update wrote names exactly those files
# (issue 16 item 10): the files that changed on disk (git), the backup's files, the apply
# record's files (what `commit` takes) and the count printed agree, for an update of a
# subset (the version file is not rewritten: no sync is recorded) and a full one (it is).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 git

dr_repo written_files "CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE things (id integer)"
cat > schemas/enums.py <<'PY'
from enum import Enum


class Mood(str, Enum):
    """mood enumeration"""
    A = "a"
    B = "b"
PY
git add -A && git -c user.name=t -c user.email=t@e commit -qm init || fail "git"

# check_lists WHAT: the four lists agree for the update just made; DISK gets the files
check_lists() {
    local what=$1
    local disk backup record count
    DISK=
    disk=$(git status --porcelain --untracked-files=all | grep -v ' \.schemerge/' | cut -c4- | sort)
    local id
    id=$(sed -n 's/.*backup \([0-9TZ-]*\)$/\1/p' "$T/out")
    [ -n "$id" ] || { fail "$what: no backup named in: $(cat "$T/out")"; return; }
    backup=$(python3 -c 'import json,sys; print("\n".join(sorted(f["path"] for f in json.load(open(sys.argv[1]))["files"])))' ".schemerge/backups/$id/metadata.json")
    record=$(python3 -c 'import json,sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["files"])))' .schemerge/last-apply.json)
    count=$(sed -n 's/^\([0-9]*\) files\{0,1\} written, backup .*/\1/p' "$T/out")
    assert_eq "$backup" "$disk" "$what: the backup's files against the files written"
    assert_eq "$record" "$disk" "$what: the apply record's files against the files written"
    assert_eq "$count" "$(echo "$disk" | grep -c .)" "$what: the count printed"
    DISK=$disk
}

# a subset: one change of two; no sync is recorded, so the version file is not written
run sm update --only enum_value_added
expect_rc 0 "update --only"
check_lists "a subset"
assert_eq "$DISK" "schemas/enums.py" "the subset wrote the enums only"
run sm commit -m subset
expect_rc 0 "commit the subset"
assert_eq "$(git show --name-only --format= HEAD | sort)" "schemas/enums.py" "the commit took the files written"

# the rest: the sync is complete, the version file is written with the entities
run sm update
expect_rc 0 "update"
check_lists "the rest"
assert_eq "$DISK" "$(printf 'schemas/database/entities.py\nschemas/schema_version.py')" "the rest wrote the entities and the version file"
finish
