#!/bin/sh
# state_digest.sh: the read digest. A live catalog read is summed up by a digest of
# everything the queries returned; .schemerge/last-sync.hash records it next to the DB
# hash, and a later read with the same digest takes that hash instead of computing it
# (the same rows make the same catalog). Checked here:
# - the digest is recorded by update, and is the same on every read of an unchanged
#   database (so the shortcut is taken: a planted hash next to the right digest is what
#   check then reports);
# - any change to the database changes the digest (the planted hash is not trusted);
# - a state from before digests (one line) gets its digest added without a new snapshot;
# - a catalog from a snapshot file has no digest and never takes the shortcut;
# - a crash between the snapshot and the hash file leaves "none", which matches nothing.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3

dr_repo sm_digest "
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, m mood);
CREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id), body text DEFAULT '');
"
HASHFILE="$R/.schemerge/last-sync.hash"
digest_of() { sed -n 's/^read \([0-9a-f]\{64\}\)$/\1/p' "$HASHFILE"; }

run sm update
expect_rc 0 "update"
# the hash, the digest, and the index of last-sync.json: its size, the tables array, two
# tables (snapshot.h)
[ "$(wc -l < "$HASHFILE")" = 5 ] || fail "last-sync.hash is not five lines: $(cat "$HASHFILE")"
set -- $(sed -n 3p "$HASHFILE")
[ "$1 $2 $3 $6" = "index 1 $(stat -c %s "$R/.schemerge/last-sync.json") 2" ] ||
    fail "the index line does not fit last-sync.json: $*"
real_hash=$(head -1 "$HASHFILE")
digest=$(digest_of)
[ -n "$digest" ] || fail "no read digest recorded: $(cat "$HASHFILE")"
case "$real_hash" in sha256:????????????????????????????????????????????????????????????????) ;;
*) fail "the first line is not a DB hash: $real_hash" ;; esac

# the same database read again: the same digest (update has nothing to write)
run sm update
expect_rc 0 "update again"
assert_eq "$(digest_of)" "$digest" "digest of a second read"

# a planted hash next to the right digest is taken as the database's: the shortcut is used
fake=sha256:$(printf '%064d' 7)
printf '%s\nread %s\n' "$fake" "$digest" > "$HASHFILE"
run sm diff --json
expect_rc 0 "diff --json with a planted hash"
python3 - "$T/out" "$fake" <<'PY' || fail "the recorded hash was not taken for an unchanged read: $(head -c 300 "$T/out")"
import json, sys
assert json.load(open(sys.argv[1]))["db_hash"] == sys.argv[2]
PY
printf '%s\nread %s\n' "$real_hash" "$digest" > "$HASHFILE"

# a change the Python files do not see (a comment, a default) still changes the digest,
# and the hash is computed, not taken
sql "$DB" -c "COMMENT ON COLUMN notes.body IS 'the text'"
printf '%s\nread %s\n' "$fake" "$digest" > "$HASHFILE"
run sm diff --json
expect_rc 0 "diff --json after a comment"
python3 - "$T/out" "$fake" "$real_hash" <<'PY' || fail "a changed database took the recorded hash: $(head -c 300 "$T/out")"
import json, sys
h = json.load(open(sys.argv[1]))["db_hash"]
assert h not in (sys.argv[2], sys.argv[3]), h
PY
sql "$DB" -c "ALTER TABLE notes ALTER COLUMN body SET DEFAULT 'x'"
run sm update
expect_rc 0 "update after the changes"
[ "$(digest_of)" != "$digest" ] || fail "the digest did not change with the database"
new_hash=$(head -1 "$HASHFILE")
[ "$new_hash" != "$real_hash" ] || fail "the hash did not change with the database"

# The index: after a migration the last-sync snapshot is read, but only the tables that
# changed. An unchanged table's text spoilt in last-sync.json (same length) is not even
# read; without the index the same file is a damaged state.
sql "$DB" -c "ALTER TABLE notes ADD COLUMN extra integer"
run sm diff --json
expect_rc 0 "diff --json after a migration"
cp "$T/out" "$T/diff_before"
cp "$R/.schemerge/last-sync.json" "$T/last-sync.json.good"
cp "$HASHFILE" "$T/hash.good"
python3 - "$R/.schemerge/last-sync.json" "$HASHFILE" <<'PY' || fail "cannot spoil the accounts table"
import sys
text = open(sys.argv[1], "rb").read()
index = open(sys.argv[2]).read().splitlines()[3:]
snap = __import__("json").loads(text)
names = [t["name"] for t in snap["tables"]]
oid, off, length, _ = index[names.index("accounts")].split()
off, length = int(off), int(length)
assert text[off:off + 1] == b"{" and text[off + length - 1:off + length] == b"}"
spoilt = text[:off + 1] + b"x" * (length - 2) + text[off + length - 1:]
open(sys.argv[1], "wb").write(spoilt)
PY
run sm diff --json
expect_rc 0 "diff --json with an unchanged table spoilt"
assert_same_file "$T/out" "$T/diff_before"
head -2 "$T/hash.good" > "$HASHFILE"
run sm diff --json
expect_rc 2 "diff --json with the same file and no index"
assert_contains "$T/err" "the last-sync state is damaged"
cp "$T/last-sync.json.good" "$R/.schemerge/last-sync.json"
cp "$T/hash.good" "$HASHFILE"
sql "$DB" -c "ALTER TABLE notes DROP COLUMN extra"
# a digest that no longer matches (another schemerge's queries) is replaced; the snapshot
# stays, and so does its index
{ head -1 "$T/hash.good"; printf 'read %064d\n' 0; tail -n +3 "$T/hash.good"; } > "$HASHFILE"
run sm update
expect_rc 0 "update with a stale digest"
assert_same_file "$HASHFILE" "$T/hash.good"

# a state written before digests existed: one line; update adds the digest, and leaves
# the 40 MB-at-scale snapshot alone
head -1 "$HASHFILE" > "$T/one" && cp "$T/one" "$HASHFILE"
before=$(stat -c %Y.%i "$R/.schemerge/last-sync.json")
sleep 1
run sm update
expect_rc 0 "update of a one-line state"
[ -n "$(digest_of)" ] || fail "the digest was not added: $(cat "$HASHFILE")"
assert_eq "$(head -1 "$HASHFILE")" "$new_hash" "hash line kept"
assert_eq "$(stat -c %Y.%i "$R/.schemerge/last-sync.json")" "$before" "last-sync.json rewritten to add a digest"

# a catalog from a snapshot file has no read digest: its hash is computed even next to a
# planted one, and an update from it records no digest
run sm snapshot -o "$T/db.json"
expect_rc 0 "snapshot"
printf '%s\nread %s\n' "$fake" "$(digest_of)" > "$HASHFILE"
run "$SCHEMERGE" --db "$T/db.json" diff --json
expect_rc 0 "diff --json from a snapshot file"
python3 - "$T/out" "$new_hash" <<'PY' || fail "a snapshot file's catalog took a recorded hash: $(head -c 300 "$T/out")"
import json, sys
assert json.load(open(sys.argv[1]))["db_hash"] == sys.argv[2]
PY

# "none" (what a crash between the snapshot and the hash leaves) matches no read
printf 'none\n' > "$HASHFILE"
run sm diff --json
expect_rc 0 "diff --json with a none state"
python3 - "$T/out" "$new_hash" <<'PY' || fail "a 'none' state changed the hash: $(head -c 300 "$T/out")"
import json, sys
assert json.load(open(sys.argv[1]))["db_hash"] == sys.argv[2]
PY

# The same schema under new oids (a table dropped and created again): the rows differ, so
# the hash is computed (while the last-sync state and the drift are), and it is the one
# the last sync recorded: the last sync is then the catalog itself, as with the hash in
# hand. In sync, and the update after it writes no snapshot.
sql "$DB" -c "CREATE TABLE tags (id integer)"
run sm update
expect_rc 0 "update with tags"
synced=$(stat -c %Y.%i "$R/.schemerge/last-sync.json")
sql "$DB" -c "DROP TABLE tags" -c "CREATE TABLE tags (id integer)"
run sm check
expect_rc 0 "check after tags came back under a new oid"
assert_contains "$T/out" "in sync"
sleep 1
run sm update
expect_rc 0 "update after tags came back"
assert_eq "$(stat -c %Y.%i "$R/.schemerge/last-sync.json")" "$synced" "last-sync.json rewritten for new oids alone"
finish
