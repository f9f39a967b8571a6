#!/bin/sh
# status.sh: `schemerge status` against a real PostgreSQL and a real git repository: a
# fresh project (never synced), after update (unchanged, a backup, uncommitted files),
# after a commit (clean), after a database change (changed, the drift counted), the seed
# tool's bare-hex DB_HASH, outside git, --json's shape (checked with Python's json), and an
# unreachable database (one error, exit 2).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo sm_status "
CREATE TYPE project_status AS ENUM ('active', 'done');
CREATE TABLE organizations (id uuid PRIMARY KEY, name text NOT NULL);
"

# 1. fresh: never synced, the drift counted, no backups, nothing to commit yet
run sm status
expect_rc 0 "status (fresh)"
assert_contains "$T/out" "last sync:     never (run 'schemerge update' to record one)"
assert_contains "$T/out" "recorded hash: none"
assert_contains "$T/out" "database:      never synced (now sha256:"
assert_contains "$T/out" "changes:       2 (2 low)"
assert_contains "$T/out" "backups:       none"
assert_contains "$T/out" "schema files:  no uncommitted edits"
run sm status --json
expect_rc 0 "status --json (fresh)"
python3 - "$T/out" <<'PY' || fail "status --json (fresh) has the wrong shape"
import json, sys
j = json.load(open(sys.argv[1]))
h = j.pop("db_hash")
assert h.startswith("sha256:") and len(h) == 71, h
assert j == {"format": 1, "schema_version": None, "last_sync": None, "recorded_hash": None,
    "database": "never synced",
    "changes": {"total": 2, "critical": 0, "high": 0, "medium": 0, "low": 2},
    "backups": {"count": 0, "newest": None}, "files": {"state": "clean", "dirty": []}}, j
PY

# 2. after update: unchanged, in sync, one backup, the written files uncommitted
run sm update
expect_rc 0 "update"
run sm status
expect_rc 0 "status (after update)"
assert_contains "$T/out" "database:      unchanged since the last sync"
assert_contains "$T/out" "changes:       none (in sync)"
assert_contains "$T/out" "backups:       1, newest "
assert_contains "$T/out" "schema files:  uncommitted edits: schemas/enums.py, schemas/database/entities.py, schemas/schema_version.py"
dr_ast schemas/schema_version.py
run sm status --json
cp "$T/out" "$T/synced.json"
python3 - "$T/synced.json" schemas/schema_version.py <<'PY' || fail "status --json does not match schema_version.py"
import ast, json, sys
j = json.load(open(sys.argv[1]))
mod = {t.targets[0].id: t.value.value for t in ast.parse(open(sys.argv[2]).read()).body
       if isinstance(t, ast.Assign)}
assert j["schema_version"] == mod["SCHEMA_VERSION"], j
assert j["last_sync"] == mod["LAST_SYNC"], j
assert j["recorded_hash"] == mod["DB_HASH"] == j["db_hash"], j
assert j["database"] == "unchanged"
assert j["backups"]["count"] == 1 and j["backups"]["newest"]["reason"], j
assert j["backups"]["newest"]["id"] and j["backups"]["newest"]["time"].endswith("Z"), j
assert j["files"] == {"state": "dirty", "dirty": ["schemas/enums.py",
    "schemas/database/entities.py", "schemas/schema_version.py"]}, j
PY

# 3. committed: clean
git add -A && git commit -qm sync || fail "git commit"
run sm status
assert_contains "$T/out" "schema files:  no uncommitted edits"

# 4. the database changes: changed, with the new drift counted
dr_sql "ALTER TABLE organizations ADD COLUMN slug text"
dr_sql "ALTER TYPE project_status ADD VALUE 'paused'"
run sm status
expect_rc 0 "status (database changed)"
assert_contains "$T/out" "database:      changed since the last sync (now sha256:"
assert_contains "$T/out" "changes:       2 (1 high, 1 medium)"
run sm status --json
python3 - "$T/out" "$T/synced.json" <<'PY' || fail "status --json after a database change"
import json, sys
j, old = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert j["database"] == "changed" and j["db_hash"] != j["recorded_hash"] == old["db_hash"], j
assert j["changes"] == {"total": 2, "critical": 0, "high": 1, "medium": 1, "low": 0}, j
PY

# 5. a local edit to a schema file shows as uncommitted
echo "# note" >> schemas/database/entities.py
run sm status
assert_contains "$T/out" "schema files:  uncommitted edits: schemas/database/entities.py"

# 6. the seed tool's schema_version.py: a bare hex DB_HASH, annotated assignments
hex=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["db_hash"][7:])' "$T/synced.json")
cat > schemas/schema_version.py <<PY
"""Schema version tracking (written by sync_schema.py)."""
SCHEMA_VERSION: str = "2024-01-15"
LAST_SYNC: str = "2024-01-15T10:30:00"
DB_HASH: str = "$hex"
PY
run sm status --json
python3 - "$T/out" "$hex" <<'PY' || fail "the seed tool's schema_version.py"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema_version"] == "2024-01-15" and j["last_sync"] == "2024-01-15T10:30:00", j
assert j["recorded_hash"] == "sha256:" + sys.argv[2] and j["database"] == "changed", j
PY
git checkout -q -- schemas

# 7. outside git
rm -rf .git
run sm status
expect_rc 0 "status outside git"
assert_contains "$T/out" "schema files:  not a git repository"
run sm status --json
python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"]; assert f == {"state": "not a git repository", "dirty": []}, f' "$T/out" || fail "files outside git"

# 8. an unreachable database: one clear error, exit 2, nothing on stdout
run "$SCHEMERGE" --db "host=$T/nosocket dbname=x connect_timeout=2" status
expect_rc 2 "status without a database"
assert_eq "$(cat "$T/out")" "" "stdout without a database"
assert_eq "$(wc -l < "$T/err" | tr -d ' ')" 1 "one error line"

finish
