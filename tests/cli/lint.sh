#!/bin/sh
# lint.sh: `schemerge lint` on the fixture project (tests/fixtures/lint) against a real
# PostgreSQL: the exact findings and exit codes, every reported position checked against
# Python's ast, default file discovery (hidden and virtualenv directories skipped), explicit
# paths, a file that is not valid Python, and an unreachable database.
. "$TESTLIB"
need_db
need python3 git psql

L="$FIXTURES/lint"
DB=$(pg_new_db sm_lint "$L/schema.sql") || { fail "cannot create the database"; finish; }
R="$T/repo"
cp -R "$L/project" "$R"
git init -q -b main "$R"
cd "$R" || { fail "cd $R"; finish; }
# files lint must not read: a hidden directory, a virtualenv, caches
mkdir -p .hidden env/lib __pycache__
echo 'client.table("hidden_table")' > .hidden/x.py
touch env/pyvenv.cfg
echo 'client.table("venv_table")' > env/lib/y.py
echo 'client.table("cache_table")' > __pycache__/z.py

# 1. default: every *.py below the root, the schema files excluded; exact output, exit 1
run "$SCHEMERGE" --db "$DB" lint
expect_rc 1 "lint (bad references)"
assert_same_file "$T/out" "$L/expected.txt"
assert_contains "$T/err" "7 unknown references"

# 2. every position points at the name it reports, as Python's ast sees it
python3 - "$T/out" <<'PY' || fail "a reported position does not match the ast"
import ast, re, sys
bad = 0
for line in open(sys.argv[1]):
    m = re.match(r'(.+?):(\d+):(\d+): unknown (?:table|column) "([^"]+)"', line)
    if not m:
        print("unparsable finding:", line, file=sys.stderr); bad = 1; continue
    path, row, col, name = m[1], int(m[2]), int(m[3]) - 1, m[4]
    found = False
    for node in ast.walk(ast.parse(open(path).read(), path)):
        if isinstance(node, ast.Constant) and node.value == name:
            found |= (node.lineno, node.col_offset) == (row, col)
        if isinstance(node, ast.keyword) and node.arg == name:
            found |= (node.lineno, node.col_offset) == (row, col)
    if not found:
        print("no string or keyword", name, "at", path, row, col + 1, file=sys.stderr); bad = 1
sys.exit(bad)
PY

# 3. a file with only good references: silent, exit 0
run "$SCHEMERGE" --db "$DB" lint app/good.py
expect_rc 0 "lint app/good.py"
assert_eq "$(cat "$T/out")" "" "output for good.py"

# 4. explicit paths are reported as given; a directory is searched
run "$SCHEMERGE" --db "$DB" lint app/jobs/bad.py
expect_rc 1 "lint app/jobs/bad.py"
assert_same_file "$T/out" "$L/expected.txt"
run "$SCHEMERGE" --db "$DB" lint app/
expect_rc 1 "lint app/"
assert_same_file "$T/out" "$L/expected.txt"
(cd app && "$SCHEMERGE" --db "$DB" lint jobs >"$T/out2" 2>/dev/null)
sed 's|^app/||' "$L/expected.txt" > "$T/want2"
assert_same_file "$T/out2" "$T/want2"

# 5. the database decides: once the table and column exist, they are no longer reported
sql "$DB" -c 'ALTER TABLE organizations ADD COLUMN title text' -c 'CREATE TABLE audit_log (id int)'
run "$SCHEMERGE" --db "$DB" lint app/jobs/bad.py
expect_rc 1 "lint after adding title and audit_log"
assert_not_contains "$T/out" '"title"'
assert_not_contains "$T/out" '"audit_log"'
assert_eq "$(wc -l < "$T/out" | tr -d ' ')" 5 "findings left"

# 6. a file that is not valid Python: path:line:col on stderr, exit 2, the others still linted
printf 'def broken(:\n    pass\n' > app/broken.py
run "$SCHEMERGE" --db "$DB" lint
expect_rc 2 "lint with a syntax error"
assert_contains "$T/err" "app/broken.py:1:"
assert_contains "$T/out" 'app/jobs/bad.py:13:24: unknown column "nmae"'
rm app/broken.py

# 7. a missing path and an unreachable database are errors (exit 2)
run "$SCHEMERGE" --db "$DB" lint no/such/file.py
expect_rc 2 "lint of a missing file"
assert_contains "$T/err" "no/such/file.py"
run "$SCHEMERGE" --db "host=$T/nosocket dbname=x connect_timeout=2" lint
expect_rc 2 "lint without a database"
assert_eq "$(cat "$T/out")" "" "no findings without a database"

finish
