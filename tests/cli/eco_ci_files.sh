#!/bin/sh
# The CI recipe (data/ci/schema-check.yml) and .pre-commit-hooks.yaml are valid YAML of
# the expected shape, and their commands, run as written against a real database with
# drift, do what they promise: the check fails, the report step writes the artifact the
# upload step names, and the pre-commit entry fails too (and passes once in sync).
. "$TESTLIB"
need python3
need_db
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"

python3 - "$SRCDIR/data/ci/schema-check.yml" "$SRCDIR/.pre-commit-hooks.yaml" >"$T/cmds" 2>"$T/err" <<'PY' || fail "CI files: $(cat "$T/err")"
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
job = wf['jobs']['schema-check']
pg = job['services']['postgres']
assert pg['image'].startswith('postgres:'), pg
assert 'DATABASE_URL' in job['env'], job['env']
steps = {s.get('name', s.get('uses')): s for s in job['steps']}
check = steps['Check the schema files']
assert check['run'].strip() == 'schemerge check --fail-on high', check
report = steps['Write the drift report']
assert report['if'] == 'failure()' and 'schemerge report -o schema-drift.md' in report['run'], report
upload = steps['Upload the drift report']
assert upload['if'] == 'failure()' and upload['uses'].startswith('actions/upload-artifact@'), upload
assert upload['with']['path'] == 'schema-drift.md', upload
assert 'Apply the migrations' in steps
hooks = yaml.safe_load(open(sys.argv[2]))
h = [x for x in hooks if x['id'] == 'schemerge-check'][0]
assert h['language'] == 'system' and h['pass_filenames'] is False, h
assert h['entry'] == 'schemerge check', h
print(check['run']); print(report['run'].strip()); print(h['entry'])
PY

DB=$(pg_new_db sm_eco_ci) || fail "cannot create the test database"
sql "$DB" -c "CREATE TABLE projects (id integer PRIMARY KEY, name text NOT NULL)"
R="$T/repo"
mkdir -p "$R/schemas/database" "$T/bin"
git init -q "$R" 2>/dev/null || true
printf 'from typing import TypedDict\n\n\nclass ProjectRow(TypedDict):\n    id: int\n    name: str\n    legacy_code: str\n' >"$R/schemas/database/entities.py"
ln -s "$SCHEMERGE" "$T/bin/schemerge"

# runstep N: line N of the extracted commands, in the repository, as CI would run it
runstep() { (cd "$R" && PATH="$T/bin:$PATH" DATABASE_URL="$DB" sh -c "$(sed -n "$1p" "$T/cmds")") >"$T/out" 2>"$T/err"; RC=$?; }
runstep 1
expect_rc 1 "the workflow's check step with a column gone from the database (high)"
runstep 2
expect_rc 0 "the workflow's report step"
[ -s "$R/schema-drift.md" ] || fail "the report step wrote no schema-drift.md"
assert_contains "$R/schema-drift.md" "column_removed"
runstep 3
expect_rc 1 "the pre-commit entry with drift"
sed -i '/legacy_code/d' "$R/schemas/database/entities.py"
runstep 1
expect_rc 0 "the workflow's check step in sync"
runstep 3
expect_rc 0 "the pre-commit entry in sync"
finish
