#!/usr/bin/env bash
# drift_matching.sh: SPEC section 2 against a real PostgreSQL. Classes are matched by the
# config's names, by the docstring marker (quotes, backticks, trailing punctuation, text
# after it), and by the convention (singular last word, the seed's XType enum names);
# ignored classes (config, `# schemerge: ignore`) are never reported; a subclass of a row
# class is a helper; junction tables go to relationships.py; views only with "views":
# true; partitions are not compared. Then check's exit status with --fail-on and the
# config's severity rules and fail_on.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo drift_matching "
CREATE TYPE project_status AS ENUM ('active', 'done');
CREATE TYPE sort_dir AS ENUM ('asc', 'desc');
CREATE TYPE weird AS ENUM ('x');
CREATE TABLE \"Account\" (id integer PRIMARY KEY);
CREATE TABLE people (id integer PRIMARY KEY);
CREATE TABLE companies (id integer PRIMARY KEY);
CREATE TABLE boxes (id integer PRIMARY KEY);
CREATE TABLE project_members (project_id integer REFERENCES companies, person_id integer REFERENCES people,
                              PRIMARY KEY (project_id, person_id));
CREATE TABLE analyses (id integer PRIMARY KEY);
CREATE TABLE messages (id integer PRIMARY KEY, body text);
CREATE VIEW active_people AS SELECT id FROM people;
CREATE TABLE events (id integer, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE statuses (id integer PRIMARY KEY);"
cp "$FIXTURES/styles/matching/enums.py" schemas/enums.py
cp "$FIXTURES/styles/matching/entities.py" schemas/database/entities.py
cat > .schemerge.json <<'JSON'
{"names": {"tables": {"Account": "OAuthAccountRow"}, "enums": {"weird": "Strange"}}, "ignore": ["SortOrder"]}
JSON

run sm diff
expect_rc 0 "diff"
cat > "$T/want" <<'TXT'
schemas/database/entities.py
  EventRow (table events)
    [MEDIUM]   ~ id: int -> Optional[int]               d6bbb9d1 column_nullability_changed
  MessageRow (table messages)
    [MEDIUM]   ~ body: str -> Optional[str]             9796af96 column_nullability_changed
schemas/database/relationships.py
  ProjectMemberRow (table project_members)
    [LOW]      + table project_members (new ProjectMemberRow)  af2f09c8 table_added

3 changes: 2 medium, 1 low
TXT
assert_same_file "$T/out" "$T/want"
# what must not be there: partitions, views, ignored classes, the helper subclass
for word in events_2024 active_people SortOrder Helper MessageWithAuthor author; do
    assert_not_contains "$T/out" "$word"
done
run sm check
expect_rc 1 "check: default fail_on low"
run sm check --fail-on medium
expect_rc 1 "check --fail-on medium"
run sm check --fail-on high
expect_rc 0 "check --fail-on high"
assert_eq "$(tail -1 "$T/out")" "nothing at or above high" "check --fail-on high output"
run sm check --fail-on bogus
expect_rc 2 "check --fail-on bogus"
assert_contains "$T/err" "--fail-on takes low, medium, high or critical, not 'bogus'"

# ---- the marker beats the convention; a marker naming another object moves the match
sed 's/Database row for .people.. Anything may follow./Database row for boxes,/' \
    "$FIXTURES/styles/matching/entities.py" > schemas/database/entities.py
run sm diff --json
python3 - "$T/out" >"$T/kinds" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    print(c["kind"], c["class"], c["object"])
PY
assert_contains "$T/kinds" "table_added PersonRow people"
assert_contains "$T/kinds" "table_removed BoxRow None"
assert_not_contains "$T/kinds" "Human"
cp "$FIXTURES/styles/matching/entities.py" schemas/database/entities.py

# ---- views, severity rules and fail_on from the config
cat > .schemerge.json <<'JSON'
{"views": true, "names": {"tables": {"Account": "OAuthAccountRow"}, "enums": {"weird": "Strange"}},
 "ignore": ["SortOrder"], "severity": {"table_added": "high"}, "fail_on": "high"}
JSON
run sm diff
expect_rc 0 "diff with views"
assert_contains "$T/out" "[HIGH]     + table active_people (new ActivePersonRow)  b9424b63 table_added"
assert_contains "$T/out" "[HIGH]     + table project_members (new ProjectMemberRow)  af2f09c8 table_added"
assert_contains "$T/out" "4 changes: 2 high, 2 medium"
assert_not_contains "$T/out" "events_2024"
run sm check
expect_rc 1 "check: fail_on high from the config, table_added raised to high"
run sm check --fail-on critical
expect_rc 0 "check --fail-on critical overrides the config"
assert_eq "$(cat "$T/out")" "4 changes: 2 high, 2 medium
nothing at or above critical" "check output"

# ---- update: the junction table goes to relationships.py, the view to entities.py
run sm update
expect_rc 0 "update"
dr_ast schemas/database/relationships.py schemas/database/entities.py
grep -q '^class ProjectMemberRow(TypedDict' schemas/database/relationships.py || fail "junction table not in relationships.py"
grep -q '^class ActivePersonRow(TypedDict' schemas/database/entities.py || fail "view not in entities.py"
grep -q '^class MessageWithAuthor(MessageRow):' schemas/database/entities.py || fail "helper subclass lost"
grep -q '^class Helper(str, Enum):  # schemerge: ignore' schemas/enums.py || fail "ignored class lost"
dr_mypy
run sm check
expect_rc 0 "check after update"
finish
