#!/bin/sh
# `schemerge diff --sarif` against a real database with drift of many kinds: the output
# validates against the SARIF 2.1.0 JSON schema shipped in tests/sarif/ (python3's
# jsonschema, Draft 7, formats checked), has one result per change of `diff --json`,
# each at the line of the Python file that holds the member or class (additions: a line
# of the file, at most its end), its level from the severity, its ruleIndex pointing at
# its rule. The validator itself is shown to reject broken documents.
. "$TESTLIB"
need python3
need_db
python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed"

DB=$(pg_new_db sm_eco_sarif) || fail "cannot create the test database"
sql "$DB" -c "CREATE TYPE project_status AS ENUM ('active', 'on_hold', 'archived')" \
    -c "CREATE TABLE organizations (id integer PRIMARY KEY, name text NOT NULL, slug text)" \
    -c "CREATE TABLE projects (id integer PRIMARY KEY, budget numeric, status project_status NOT NULL)" \
    -c "CREATE TABLE tags (id integer PRIMARY KEY, label text NOT NULL)"

R="$T/repo"
mkdir -p "$R/schemas/database"
git init -q "$R" 2>/dev/null || true
cat >"$R/schemas/enums.py" <<'PY'
from enum import Enum


class ProjectStatus(str, Enum):
    ACTIVE = "active"
    DRAFT = "draft"
    ARCHIVED = "archived"
PY
cat >"$R/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class OrganizationRow(TypedDict):
    id: int
    name: str
    legacy_code: str


class ProjectRow(TypedDict):
    id: int
    budget: Optional[int]
    status: str


class InvoiceRow(TypedDict):
    id: int
    total: float
PY

DATABASE_URL=$DB run "$SCHEMERGE" -C "$R" diff --sarif
expect_rc 0 "diff --sarif"
cp "$T/out" "$T/sarif.json"
DATABASE_URL=$DB run "$SCHEMERGE" -C "$R" diff --json
expect_rc 0 "diff --json"
cp "$T/out" "$T/diff.json"
DATABASE_URL=$DB run "$SCHEMERGE" -C "$R" diff --sarif -o "$T/written.sarif"
expect_rc 0 "diff --sarif -o FILE"
assert_same_file "$T/written.sarif" "$T/sarif.json"

python3 - "$SRCDIR/tests/sarif/sarif-2.1.0-subset.schema.json" "$T/sarif.json" "$T/diff.json" "$R" \
    >"$T/report" 2>&1 <<'EOF'
import copy, json, sys
import jsonschema

schema_path, sarif_path, diff_path, root = sys.argv[1:5]
schema = json.load(open(schema_path))
sarif = json.load(open(sarif_path))
diff = json.load(open(diff_path))
V = jsonschema.Draft7Validator
V.check_schema(schema)
validator = V(schema, format_checker=jsonschema.FormatChecker())
problems = [e.message + ' at ' + '/'.join(map(str, e.absolute_path)) for e in validator.iter_errors(sarif)]

# the validator can fail: broken copies are rejected
def rejected(mutate, what):
    doc = copy.deepcopy(sarif)
    mutate(doc)
    if validator.is_valid(doc):
        problems.append('the schema accepted a document with ' + what)
rejected(lambda d: d.update(version='2.0.0'), 'version 2.0.0')
rejected(lambda d: d['runs'][0]['results'][0].update(level='critical'), 'level critical')
rejected(lambda d: d['runs'][0]['results'][0]['locations'][0]['physicalLocation']['region'].update(startLine=0), 'startLine 0')
rejected(lambda d: d['runs'][0]['results'][0].pop('message'), 'a result without a message')
rejected(lambda d: d['runs'][0]['tool']['driver'].pop('name'), 'a driver without a name')
rejected(lambda d: d['runs'][0]['results'][0].update(colour='red'), 'a property SARIF does not define')

run = sarif['runs'][0]
rules = run['tool']['driver']['rules']
results = run['results']
changes = {c['id']: c for c in diff['changes']}
kinds = {c['kind'] for c in changes.values()}
for k in ('column_added', 'column_removed', 'column_type_changed', 'enum_value_added',
          'enum_value_removed', 'table_added', 'table_removed'):
    if k not in kinds:
        problems.append('the fixture should produce a %s change' % k)
if len(results) != len(changes):
    problems.append('%d results for %d changes' % (len(results), len(changes)))
LEVEL = {'critical': 'error', 'high': 'error', 'medium': 'warning', 'low': 'note'}
for r in results:
    cid = r['properties']['changeId']
    c = changes.get(cid)
    if c is None:
        problems.append('result for unknown change %s' % cid); continue
    if rules[r['ruleIndex']]['id'] != r['ruleId'] or r['ruleId'] != c['kind']:
        problems.append('%s: ruleId %s, rules[%d] is %s, kind %s' % (cid, r['ruleId'], r['ruleIndex'],
                        rules[r['ruleIndex']]['id'], c['kind']))
    if r['level'] != LEVEL[c['severity']]:
        problems.append('%s: level %s for severity %s' % (cid, r['level'], c['severity']))
    loc = r['locations'][0]['physicalLocation']
    uri, line = loc['artifactLocation']['uri'], loc['region']['startLine']
    if uri != c['file']:
        problems.append('%s: uri %s, file %s' % (cid, uri, c['file']))
    lines = open(root + '/' + uri).read().split('\n')
    if line > len(lines):
        problems.append('%s: line %d past the end of %s (%d lines)' % (cid, line, uri, len(lines)))
        continue
    text = lines[line - 1]
    # a member only local (removed, changed, renamed) is marked at its own line; a class
    # only local at its class line
    if c['kind'] in ('column_removed', 'column_type_changed', 'column_nullability_changed'):
        if not text.lstrip().startswith(c['member'] + ':'):
            problems.append('%s (%s): line %d is %r, not field %s' % (cid, c['kind'], line, text, c['member']))
    elif c['kind'] == 'enum_value_removed':
        if repr(c['member']).strip("'") not in text:
            problems.append('%s (%s): line %d is %r, not label %s' % (cid, c['kind'], line, text, c['member']))
    elif c['kind'] == 'table_removed':
        if not text.startswith('class ' + c['class']):
            problems.append('%s (%s): line %d is %r, not class %s' % (cid, c['kind'], line, text, c['class']))
for p in problems:
    print(p)
print('%d results, %d problems' % (len(results), len(problems)))
sys.exit(1 if problems else 0)
EOF
rc=$?
cat "$T/report"
[ "$rc" = 0 ] || fail "diff --sarif is not valid SARIF 2.1.0 or not where the changes are (see above)"

# no drift: a valid log with no results
sql "$DB" -c "DROP TABLE tags" -c "DROP TABLE organizations" -c "DROP TABLE projects" -c "DROP TYPE project_status"
rm -f "$R/schemas/enums.py" "$R/schemas/database/entities.py"
DATABASE_URL=$DB run "$SCHEMERGE" -C "$R" diff --sarif
expect_rc 0 "diff --sarif in sync"
python3 -c '
import json, sys, jsonschema
s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator(s, format_checker=jsonschema.FormatChecker()).validate(d)
assert d["runs"][0]["results"] == [], d["runs"][0]["results"]
' "$SRCDIR/tests/sarif/sarif-2.1.0-subset.schema.json" "$T/out" || fail "the in-sync SARIF log is not valid or not empty"
finish
