#!/usr/bin/env bash
# syntax_verdict.sh: schemerge's verdict on Python syntax is CPython's (SPEC 1, issue 14
# item 4). A differential test: tests/py/syntax_diff.py mutates the real schema files of
# the repository (the parser corpus, the demo, the fixtures) 6,000 times from a fixed
# seed (delete, duplicate, swap, insert tokens; delete, insert, replace characters) and
# compares schemerge's accept/reject and error line with Debian's Python 3.11 ast.parse:
# zero disagreements. Then the reproduced defects end to end: `update` on a file Python
# rejects exits 2 with Python's line and leaves the file as it is; conflict markers get
# their own message.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || skip "the reference is CPython 3.11 (Debian 12's python3)"
TOOL="$(dirname "$SCHEMERGE")/tests/unit/pycheck_tool"
[ -x "$TOOL" ] || fail "$TOOL is not built (make check builds it)"
files=$(ls "$SRCDIR"/tests/py/corpus/*.py; find "$SRCDIR/data/demo/project" "$SRCDIR/tests/fixtures" -name '*.py')
# shellcheck disable=SC2086
"$PY" "$SRCDIR/tests/py/syntax_diff.py" "$TOOL" "${SYNTAX_DIFF_RUNS:-6000}" 14 $files >"$T/diff" 2>&1 ||
    fail "schemerge and CPython disagree: $(head -c 3000 "$T/diff")"
tail -1 "$T/diff"
grep -q ', 0 disagreements$' "$T/diff" || fail "no verdict line: $(tail -3 "$T/diff")"

dr_repo syntax_verdict "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
good='from enum import Enum\n\n\nclass Mood(str, Enum):\n    SAD = "sad"\n    OK = "ok"\n'
# each: the text after the class, and the line Python gives
check_rejected() {
    local label=$1 tail=$2
    printf "$good$tail" > schemas/enums.py
    cp schemas/enums.py "$T/before"
    want=$("$PY" -c 'import ast, sys
try:
    ast.parse(open(sys.argv[1], "rb").read())
    print("accepted")
except SyntaxError as e:
    print(e.lineno)' schemas/enums.py)
    [ "$want" != accepted ] || { fail "$label: Python accepts the text"; return; }
    run sm update
    expect_rc 2 "$label: update"
    assert_contains "$T/err" "schemas/enums.py:$want:"
    assert_same_file schemas/enums.py "$T/before"
}
check_rejected "x = 1 +" '\nx = 1 +\n'
check_rejected "print \"a\"" '\nprint "a"\n'
check_rejected "0777" '\nX = 0777\n'
check_rejected "1_" '\nX = 1_\n'
check_rejected "unclosed f-string" '\nX = f"{1 + }"\n'
check_rejected "unclosed bracket" '\nX = (1,\n'
check_rejected "bad escape" '\nX = "\\N{NO SUCH NAME}"\n'
# conflict markers: their own message, at the first marker
printf 'from enum import Enum\n\n\nclass Mood(str, Enum):\n<<<<<<< HEAD\n    SAD = "sad"\n=======\n    SAD = "sad!"\n>>>>>>> theirs\n    OK = "ok"\n' > schemas/enums.py
run sm update
expect_rc 2 "update with conflict markers"
assert_contains "$T/err" "schemas/enums.py:5:1: unresolved merge conflict markers; resolve them first"
# and \N{...} is decoded: the member's value is the character
printf 'from enum import Enum\n\n\nclass Mood(str, Enum):\n    SAD = "sad"\n    OK = "ok"\n    HAPPY = "happy"\n    SNOW = "\\N{SNOWMAN}"\n' > schemas/enums.py
run sm diff --json
expect_rc 0 "diff with \\N{SNOWMAN}"
"$PY" - "$T/out" <<'PYEOF' || fail "\\N{SNOWMAN} is not read as the snowman: $(cat "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(c["kind"] == "enum_value_removed" and c["member"] == "\u2603" for c in d["changes"]), d
PYEOF
finish
