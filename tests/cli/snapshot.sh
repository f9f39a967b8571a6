#!/bin/sh
# snapshot.sh: `schemerge snapshot` round trip (database -> JSON -> --db JSON -> the same
# bytes), atomic -o, creation order not mattering to the canonical content, and bad
# snapshot files given to --db (exit 2, one line naming the file and the position).
. "$TESTLIB"
need_db
need python3 psql

# the same schema, created in two different orders (enums, tables, constraints, labels
# added by ALTER TYPE in the second) so that oids and row order differ
cat > "$T/a.sql" <<'SQL'
CREATE TYPE color AS ENUM ('red', 'green', 'blue');
CREATE TYPE size AS ENUM ('s', 'm', 'l');
CREATE TABLE shops (id uuid PRIMARY KEY, name text NOT NULL UNIQUE, size size);
CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id uuid NOT NULL REFERENCES shops (id), color color, price numeric(8,2) CHECK (price >= 0));
COMMENT ON TABLE items IS 'things for sale';
SQL
cat > "$T/b.sql" <<'SQL'
CREATE TYPE size AS ENUM ('s', 'l');
ALTER TYPE size ADD VALUE 'm' BEFORE 'l';
CREATE TYPE color AS ENUM ('red', 'blue');
ALTER TYPE color ADD VALUE 'green' AFTER 'red';
CREATE TABLE unrelated_first (x int);
DROP TABLE unrelated_first;
CREATE TABLE shops (id uuid, name text NOT NULL, size size);
CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY,
  shop_id uuid NOT NULL, color color, price numeric(8,2));
COMMENT ON TABLE items IS 'things for sale';
ALTER TABLE items ADD CONSTRAINT items_price_check CHECK (price >= 0);
ALTER TABLE shops ADD CONSTRAINT shops_name_key UNIQUE (name);
ALTER TABLE shops ADD CONSTRAINT shops_pkey PRIMARY KEY (id);
ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY (id);
ALTER TABLE items ADD CONSTRAINT items_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES shops (id);
SQL
A=$(pg_new_db sm_snap_a "$T/a.sql") || { fail "cannot load a.sql"; finish; }
B=$(pg_new_db sm_snap_b "$T/b.sql") || { fail "cannot load b.sql"; finish; }

# round trip: the bytes survive database -> file -> --db file -> file
run "$SCHEMERGE" --db "$A" snapshot -o "$T/a.json"
expect_rc 0 "snapshot -o a.json"
[ -e "$T/a.json.tmp" ] && fail "a.json.tmp left behind"
run "$SCHEMERGE" --db "$T/a.json" snapshot -o "$T/a2.json"
expect_rc 0 "snapshot from a.json"
assert_same_file "$T/a2.json" "$T/a.json"
# stdout and -o write the same text
run "$SCHEMERGE" --db "$A" snapshot
expect_rc 0 "snapshot to stdout"
assert_same_file "$T/out" "$T/a.json"

# The catalog is read on up to three connections sharing one exported snapshot. When the
# server refuses the extra connections (a role allowed one), or the snapshot cannot be
# exported (no EXECUTE on pg_export_snapshot), one connection reads it all: the same
# bytes, and nothing said about it.
sql "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP ROLE IF EXISTS sm_single" -c "DROP ROLE IF EXISTS sm_noexport" \
    -c "CREATE ROLE sm_single LOGIN CONNECTION LIMIT 1" -c "CREATE ROLE sm_noexport LOGIN"
sql "$A" -c "REVOKE EXECUTE ON FUNCTION pg_catalog.pg_export_snapshot() FROM PUBLIC"
for role in sm_single sm_noexport; do
    run "$SCHEMERGE" --db "$A user=$role" snapshot -o "$T/$role.json"
    expect_rc 0 "snapshot as $role"
    assert_same_file "$T/$role.json" "$T/a.json"
    [ -s "$T/err" ] && fail "snapshot as $role said something: $(cat "$T/err")"
done
# with a limit of one, the server may refuse every attempt made at once (each new backend
# counts the others still starting): one more on its own must get in, every time
for i in $(seq 15); do
    run "$SCHEMERGE" --db "$A user=sm_single" snapshot -o "$T/single.$i.json"
    [ "$RC" = 0 ] || { fail "snapshot $i as sm_single exited $RC: $(cat "$T/err")"; break; }
done
sql "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP ROLE sm_single" -c "DROP ROLE sm_noexport"

# creation order: identities differ, the canonical content (what DB_HASH covers) does not
run "$SCHEMERGE" --db "$B" snapshot -o "$T/b.json"
expect_rc 0 "snapshot -o b.json"
python3 - "$T/a.json" "$T/b.json" <<'PY' || fail "canonical contents differ between creation orders"
import json, sys
VOLATILE = {"oid", "attnum", "generator", "server_version"}
def canon(x):
    if isinstance(x, dict):
        return {k: canon(v) for k, v in sorted(x.items()) if k not in VOLATILE}
    if isinstance(x, list):
        return [canon(v) for v in x]
    return x
a, b = (json.load(open(p)) for p in sys.argv[1:3])
oids = lambda d: [t["oid"] for t in d["tables"]] + [l["oid"] for e in d["enums"] for l in e["labels"]]
if oids(a) == oids(b):
    sys.exit("the two databases have the same oids: the test proves nothing")
ca, cb = (json.dumps(canon(d), sort_keys=True, separators=(",", ":")) for d in (a, b))
if ca != cb:
    import difflib
    print("\n".join(difflib.unified_diff(json.dumps(canon(a), indent=1).splitlines(),
                                         json.dumps(canon(b), indent=1).splitlines(), lineterm="")), file=sys.stderr)
    sys.exit(1)
PY

# --schema on a snapshot keeps only that schema; a schema it lacks is an error
run "$SCHEMERGE" --db "$T/a.json" --schema sales snapshot
expect_rc 2 "snapshot with a schema the file lacks"
assert_contains "$T/err" "does not contain schema sales"

# bad files: exit 2, exactly one line on stderr, naming the file and the position
bad_file() { # NAME EXPECTED-TEXT (the file is $T/NAME, already written)
    run "$SCHEMERGE" --db "$T/$1" snapshot
    expect_rc 2 "snapshot --db $1"
    [ "$(wc -l < "$T/err")" = 1 ] || fail "$1: expected one line on stderr, got: $(cat "$T/err")"
    assert_contains "$T/err" "schemerge: cannot read snapshot $T/$1: $2"
    [ -s "$T/out" ] && fail "$1: something was printed on stdout"
}
head -c 700 "$T/a.json" > "$T/truncated.json"
lines=$(wc -l < "$T/truncated.json")
bad_file truncated.json "line $((lines + 1)), column "
assert_contains "$T/err" "unexpected end of file"
printf '{\n  "format": 1,\n  "schemas": [,]\n}\n' > "$T/malformed.json"
bad_file malformed.json "line 3, column 15: malformed JSON"
: > "$T/empty.json"
bad_file empty.json "line 1, column 1: unexpected end of file"
sed 's/"format": 1/"format": 7/' "$T/a.json" > "$T/future.json"
bad_file future.json "unknown format 7"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["tables"][1]["columns"][0]["not_null"]="yes"; json.dump(d,open(sys.argv[2],"w"))' \
    "$T/a.json" "$T/wrongtype.json"
bad_file wrongtype.json 'tables[1].columns[0]: "not_null" must be true or false'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["enums"][0]["labels"][1]["name"]; json.dump(d,open(sys.argv[2],"w"))' \
    "$T/a.json" "$T/missing.json"
bad_file missing.json 'enums[0].labels[1]: missing key "name"'
run "$SCHEMERGE" --db "$T/nonexistent.json" snapshot
expect_rc 2 "snapshot --db nonexistent.json"
assert_contains "$T/err" "cannot read snapshot $T/nonexistent.json: No such file or directory"

# -o into a directory that does not exist: exit 2, nothing left behind
run "$SCHEMERGE" --db "$T/a.json" snapshot -o "$T/no/such/dir/x.json"
expect_rc 2 "snapshot -o into a missing directory"
assert_contains "$T/err" "cannot write $T/no/such/dir/x.json: cannot create a temporary file"

# -o /dev/null writes through the device, never renames over it
if [ "$(id -u)" = 0 ] || [ -w /dev/null ]; then
    run "$SCHEMERGE" --db "$T/a.json" snapshot -o /dev/null
    expect_rc 0 "snapshot -o /dev/null"
    [ -c /dev/null ] || fail "/dev/null is no longer a character device"
fi

# the demo database (data/demo/schema.sql) loads and reads as documented
DEMO=$(pg_new_db sm_snap_demo "$SRCDIR/data/demo/schema.sql") || { fail "cannot load data/demo/schema.sql"; finish; }
run "$SCHEMERGE" --db "$DEMO" snapshot -o "$T/demo.json"
expect_rc 0 "snapshot of the demo"
python3 - "$T/demo.json" <<'PY' || fail "demo snapshot content"
import json, sys
d = json.load(open(sys.argv[1]))
tables = [t["name"] for t in d["tables"]]
want = ["audit_log", "documents", "organizations", "people", "project_members", "projects", "requirements"]
assert tables == want, tables
assert [e["name"] for e in d["enums"]] == ["document_kind", "member_role", "organization_type",
                                           "project_status", "requirement_priority"], d["enums"]
t = {x["name"]: x for x in d["tables"]}
assert t["audit_log"]["kind"] == "partitioned"
email = [c for c in t["people"]["columns"] if c["name"] == "email"][0]
assert email["type"]["kind"] == "domain" and email["type"]["elem"]["name"] == "text", email
PY

# The DB hash against Python's own reading of the canonical form (data/snapshot-format.md),
# on a catalog large enough (400 tables, over 4,096 columns) that two threads print it in
# turns (snapshot.c, canon_tables_relay): the digest must see the text in order.
BIG=$(pg_new_db sm_snap_big) || { fail "cannot create sm_snap_big"; finish; }
python3 "$SRCDIR/bench/gen_schema.py" 400 | sql "$BIG" || fail "cannot load 400 tables"
run "$SCHEMERGE" --db "$BIG" snapshot -o "$T/big.json"
expect_rc 0 "snapshot of 400 tables"
mkdir -p "$T/bigproj/schemas/database" && git init -q "$T/bigproj"
(cd "$T/bigproj" && "$SCHEMERGE" --db "$BIG" diff --json > "$T/big.diff" 2>"$T/err")
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert sum(len(t["columns"]) for t in d["tables"]) > 4096, "too few columns to need two threads"' "$T/big.json" ||
    fail "the catalog is too small for the test"
want=$(python3 "$SRCDIR/tests/lib/dbhash.py" "$T/big.json")
got=$(diff_json_hash "$T/big.diff")
[ -n "$want" ] && [ "$got" = "$want" ] || fail "DB hash of 400 tables: schemerge $got, Python $want"

finish
