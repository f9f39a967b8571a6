#!/usr/bin/env bash
# drift_badinput.sh: bad local input (issue 3). A file that is not valid Python is one
# line `path:line:col: message` (as Python counts) and exit 2; empty and missing files
# are not errors (every object is then added); a 50 MB file works; binary data, NUL
# bytes and invalid UTF-8 are syntax errors, never a crash; an unreadable file is an
# error that names it; an invalid config names the key or the JSON position.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"

dr_repo drift_badinput "CREATE TYPE color AS ENUM ('red');
CREATE TABLE projects (id integer PRIMARY KEY);"
E=schemas/enums.py
N=schemas/database/entities.py
printf 'class ProjectRow(TypedDict):\n    id: int\n' > $N

# one_error_line WANT: stderr is exactly one line, and it contains WANT
one_error_line() {
    [ "$(wc -l < "$T/err")" = 1 ] || fail "expected one line on stderr: $(cat "$T/err")"
    assert_contains "$T/err" "$1"
    [ -s "$T/out" ] && fail "stdout not empty on error: $(head -3 "$T/out")"
}
# python_pos FILE: "line:col" of Python's own SyntaxError for the file
python_pos() {
    python3 -c 'import ast,sys
try: ast.parse(open(sys.argv[1],"rb").read())
except SyntaxError as e: print(f"{e.lineno}:{e.offset}")
except ValueError: print("1:1")' "$1"
}

# ---- a syntax error: the position Python gives
printf 'from enum import Enum\n\nclass Color(str, Enum):\n    RED = "red\n' > $E
run sm check
expect_rc 2 "syntax error"
one_error_line "$E:$(python_pos $E): unterminated string literal"
printf 'class Color(str, Enum:\n    RED = "red"\n' > $E
for cmd in check diff report update; do
    run sm $cmd
    expect_rc 2 "$cmd on a syntax error"
    one_error_line "$E:1:"
done
printf 'class Color(str, Enum):\n\tRED = "red"\n        BLUE = "blue"\n' > $E
run sm diff
expect_rc 2 "inconsistent indentation"
one_error_line "$E:"

# ---- an empty file and a missing file: everything is added, not an error
: > $E
run sm diff --json
expect_rc 0 "empty file"
assert_contains "$T/out" '"kind":	"enum_added"'
rm -f $E
run sm check
expect_rc 1 "missing file: drift, not an error"
assert_contains "$T/out" "1 change: 1 low"
run sm diff
assert_contains "$T/out" "+ enum color (new Color)"

# ---- binary data, NUL bytes, invalid UTF-8: syntax errors, exit 2
head -c 4096 /dev/urandom > $E
printf '\0' >> $E
run sm check
expect_rc 2 "binary file"
one_error_line "$E:"
printf 'class Color(str, Enum):\n    RED = "red"\0\n' > $E
run sm check
expect_rc 2 "NUL byte"
one_error_line "$E:2:"
printf 'class Color(str, Enum):\n    RED = "r\xffd"\n' > $E
run sm check
expect_rc 2 "invalid UTF-8"
one_error_line "$E:"
rm -f $E

# ---- a 50 MB entities.py: works, and finds the one class that matches
python3 - $N <<'PY'
import sys
parts = ["from typing import Optional, TypedDict\n"]
size, n = len(parts[0]), 0
body = "".join(f"    col_{k}: Optional[str]  # comment {k}\n" for k in range(30))
while size < 50 * 1024 * 1024:
    block = f"\n\nclass Big{n}(TypedDict):\n    \"\"\"Database row for big_{n}\"\"\"\n{body}"
    parts.append(block); size += len(block); n += 1
parts.append("\n\nclass ProjectRow(TypedDict):\n    id: int\n")
open(sys.argv[1], "w").write("".join(parts))
PY
[ "$(stat -c %s $N)" -ge 52428800 ] || fail "the big file is not 50 MB"
run sm check --fail-on critical
expect_rc 1 "check on a 50 MB file"
grep -qE '^[0-9]+ changes: [0-9]+ critical, 1 low$' "$T/out" || fail "50 MB summary: $(head -2 "$T/out")"
run sm diff --json
expect_rc 0 "diff --json on a 50 MB file"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not [c for c in d["changes"] if c["class"]=="ProjectRow"]' "$T/out" ||
    fail "ProjectRow not matched in the big file"
printf 'class ProjectRow(TypedDict):\n    id: int\n' > $N

# ---- an unreadable file (root reads anything: drop to nobody; --db a snapshot, since
# the test server's socket is private to its owner)
run sm snapshot -o "$T/snap.json"
expect_rc 0 "snapshot"
chmod 000 $N
chmod 755 "$T"; chmod -R a+rX "$R" "$T/snap.json"; chmod 000 $N
as_nobody() {
    if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
    echo "note: cannot drop root privileges (no setpriv): the unreadable-file case is not run" >&2
else
    run as_nobody "$SCHEMERGE" --db "$T/snap.json" check
    expect_rc 2 "unreadable file"
    one_error_line "$N"
    grep -qi "permission denied" "$T/err" || fail "the reason is not given: $(cat "$T/err")"
fi
chmod 644 $N

# ---- an invalid config: the key, or the JSON position
echo '{"bogus": 1}' > .schemerge.json
run sm check
expect_rc 2 "unknown config key"
one_error_line ".schemerge.json: bogus: unknown key"
echo '{"fail_on": "severe"}' > .schemerge.json
run sm check
expect_rc 2 "bad config value"
one_error_line ".schemerge.json"
assert_contains "$T/err" "fail_on"
echo '{"fail_on": "high"' > .schemerge.json
run sm check
expect_rc 2 "invalid JSON config"
one_error_line ".schemerge.json:1:"
rm -f .schemerge.json
run sm check
expect_rc 1 "valid again"
# a class defined twice in a file (issue 14 item 10): never edited at one copy silently;
# every change to it is refused naming both lines, the file stays as it is
printf 'from enum import Enum\n\n\nclass Color(str, Enum):\n    RED = "red"\n\n\nclass Color(str, Enum):\n    BLUE = "blue"\n' > $E
cp $E "$T/twice"
dr_sql "ALTER TYPE color ADD VALUE 'green'"
run sm update
expect_rc 1 "update with a class defined twice"
assert_contains "$T/err" "class Color is defined twice in schemas/enums.py (lines 4 and 8"
assert_same_file $E "$T/twice"
run sm diff
assert_contains "$T/out" "lines 4 and 8"
finish
