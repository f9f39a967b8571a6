# drift.sh: helpers for the drift and apply tests (tests/cli/drift_*.sh, update_*.sh,
# report_*.sh, commit_cli.sh). Source it after "$TESTLIB":
#     . "$TESTLIB"; . "$(dirname "$TESTLIB")/drift.sh"
# dr_repo NAME [SQL]   a fresh database NAME (SQL run in it) and a fresh git repository
#                      $R (with schemas/ and schemas/database/), cwd = $R; sets $DB
# sm ARGS...           the built schemerge against $DB, in $R
# dr_sql SQL...        statements in $DB (stop at the first error)
# dr_ast FILE...       every file parses with Python's ast (else a failure)
# dr_mypy              mypy accepts the schemas package (else a failure)
# dr_hunks BEFORE AFTER EDIT...  every difference between BEFORE and AFTER is one of the
#                      expected EDITs ("+line" inserted, "-line" removed, text without
#                      the line end), each expected edit happens, and a CRLF file stays CRLF;
#                      a line both removed and inserted (moved) is checked by the caller
# dr_json_eq FILE PYEXPR  the JSON in FILE equals the Python expression (json.load'ed)
# dr_enum_values FILE CLASS  the values of an enum, one a line, by importing the module

dr_repo() {
    need_db
    need git python3 psql
    DB=$(pg_new_db "$1") || { fail "cannot create database $1"; finish; }
    if [ $# -ge 2 ]; then dr_sql "$2" || { fail "setup SQL failed"; finish; }; fi
    R="$T/repo"
    rm -rf "$R"
    git init -q -b main "$R"
    git -C "$R" config user.name "Test User"
    git -C "$R" config user.email "test@example.com"
    mkdir -p "$R/schemas/database"
    cd "$R" || { fail "cd $R"; finish; }
}

sm() { "$SCHEMERGE" --db "$DB" "$@"; }

dr_sql() { sql "$DB" -c "$*"; }

dr_ast() {
    python3 - "$@" <<'PY' || fail "not valid Python: $*"
import ast, sys
bad = 0
for p in sys.argv[1:]:
    try:
        ast.parse(open(p, "rb").read(), p)
    except SyntaxError as e:
        print(f"{p}:{e.lineno}:{e.offset}: {e.msg}", file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
}

dr_mypy() {
    need mypy
    touch "$R/schemas/__init__.py" "$R/schemas/database/__init__.py"
    (cd "$R" && mypy --no-error-summary --cache-dir "$T/mypy-cache" --python-version 3.11 \
        -p schemas >"$T/mypy.out" 2>&1) || fail "mypy rejects the schemas package: $(head -20 "$T/mypy.out")"
}

dr_hunks() {
    python3 - "$@" <<'PY' || fail "unexpected edits in $2 (see above)"
import difflib, sys
before_path, after_path, *edits = sys.argv[1:]
before = open(before_path, "rb").read().decode("utf-8")
after = open(after_path, "rb").read().decode("utf-8")
def lines(t):
    return [l[:-2] if l.endswith("\r\n") else l[:-1] if l.endswith("\n") else l for l in t.splitlines(True)]
a, b = lines(before), lines(after)
want_add = [e[1:] for e in edits if e.startswith("+")]
want_del = [e[1:] for e in edits if e.startswith("-")]
ok = True
got_add, got_del = [], []
for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
    if op == "equal":
        continue
    got_del += a[i1:i2]
    got_add += b[j1:j2]
def cancel(adds, dels):
    # a moved line (a reorder) is one removal plus one insertion; difflib may pick either
    # of two equivalent lines to move, so moves are compared as sets of lines
    for l in list(adds):
        if l in dels:
            adds.remove(l); dels.remove(l)
cancel(got_add, got_del)
cancel(want_add, want_del)
def check(kind, got, want):
    global ok
    rest = list(want)
    for l in got:
        if l in rest:
            rest.remove(l)
        elif l.strip() == "":
            continue  # a blank line moved with an inserted or removed block
        else:
            print(f"unexpected {kind} line: {l!r}", file=sys.stderr); ok = False
    for l in rest:
        print(f"expected {kind} line missing: {l!r}", file=sys.stderr); ok = False
check("added", got_add, want_add)
check("removed", got_del, want_del)
if before and "\r\n" in before and before.count("\n") == before.count("\r\n"):
    if after.count("\n") != after.count("\r\n"):
        print("a CRLF file got LF line ends", file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
PY
}

dr_json_eq() {
    python3 - "$1" "$2" <<'PY' || fail "JSON in $1 differs (see above)"
import json, sys
got = json.load(open(sys.argv[1]))
want = eval(sys.argv[2], {"null": None, "true": True, "false": False})
if got != want:
    print("got:  " + json.dumps(got, sort_keys=True), file=sys.stderr)
    print("want: " + json.dumps(want, sort_keys=True), file=sys.stderr)
    sys.exit(1)
PY
}

dr_enum_values() {
    python3 - "$1" "$2" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("m", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
for v in getattr(m, sys.argv[2]):
    sys.stdout.write(repr(v.value) + "\n")
PY
}
