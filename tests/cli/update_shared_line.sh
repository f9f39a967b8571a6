#!/usr/bin/env bash
# update_shared_line.sh: statements that share a line (`id: str; tags: int`, valid Python).
# A new field goes on a line of its own after (or before) that line, never into its middle;
# removing one of the statements is refused with a reason, the rest is applied, and the
# file always parses. (Found by the apply fuzzer: tests/fuzz/regress/apply/.)
. "$TESTLIB"
need_db
need python3
db=$(pg_new_db sm_shared_line) || { fail "cannot create the database"; finish; }
sql "$db" -c "CREATE TABLE t1 (id text NOT NULL, a text, x float NOT NULL);
              CREATE TABLE t2 (id text NOT NULL, b int)"
git init -q "$T/repo" && cd "$T/repo" || exit 1
mkdir -p schemas/database
cat > schemas/database/entities.py <<'PY'
from typing import TypedDict


class T1Row(TypedDict):
    id: str; tags: int
    x: float


class T2Row(TypedDict):
    id: str; c: int
PY
run "$SCHEMERGE" --db "$db" update
expect_rc 1 "update with two refused removals"
assert_contains "$T/err" "Remove T1Row.tags (column_removed"
assert_contains "$T/err" "shares its line with another one"
cat > "$T/want" <<'PY'
from typing import TypedDict, Optional


class T1Row(TypedDict):
    id: str; tags: int
    a: Optional[str]
    x: float


class T2Row(TypedDict):
    id: str; c: int
    b: Optional[int]
PY
assert_same_file schemas/database/entities.py "$T/want"
python3 -c "import ast,sys; ast.parse(open(sys.argv[1]).read())" schemas/database/entities.py ||
    fail "the result does not parse"
finish
