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
[ "$(wc -l < "$HASHFILE")" = 2 ] || fail "last-sync.hash is not two lines: $(cat "$HASHFILE")"
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
finish
