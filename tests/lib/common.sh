# common.sh: sourced by every shell test. Pins the environment, gives each test a
# private temporary directory (removed on exit), and small assertion helpers.
# Tests exit 0 (pass), 1 (fail) or 77 (skip: only outside CI; under CI=true a missing
# server or tool is a failure, because a skipped test proves nothing).
set -u

export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC TERM=xterm-256color
unset NO_COLOR DATABASE_URL SUPABASE_DB_URL PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE EDITOR VISUAL
for v in $(env | sed -n 's/^\(GIT_[A-Z_]*\)=.*/\1/p; s/^\(XDG_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

T=$(mktemp -d "${TMPDIR:-/tmp}/sm-test.XXXXXX")
export HOME="$T/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
T_FAILED=0
t_cleanup() { [ -n "${T_KEEP:-}" ] || rm -rf "$T"; }
trap t_cleanup EXIT

: "${SCHEMERGE:?SCHEMERGE must name the built binary (run through make check)}"

# skip REASON: 77 outside CI, a failure under CI
skip() {
    if [ "${CI:-}" = true ]; then echo "FAIL (required under CI): $*" >&2; exit 1; fi
    echo "SKIP: $*" >&2; exit 77
}
fail() { echo "FAIL: $*" >&2; T_FAILED=1; }
# finish: the last line of every test
finish() { if [ "$T_FAILED" = 0 ]; then exit 0; else exit 1; fi; }

need() { for tool; do command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"; done; }
need_db() { [ -n "${SCHEMERGE_TEST_DB:-}" ] || skip "no test database (run the tests through tests/run)"; }

# pg_new_db NAME [SQLFILE]: a fresh database; prints its conninfo
pg_new_db() {
    local name=$1
    psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\"" >/dev/null || return 1
    if [ $# -ge 2 ]; then
        psql -X -q -v ON_ERROR_STOP=1 "$SCHEMERGE_TEST_DB dbname=$name" -f "$2" >/dev/null || return 1
    fi
    echo "$SCHEMERGE_TEST_DB dbname=$name"
}
# sql CONNINFO SQL...: run statements, stop at the first error
sql() { local c=$1; shift; psql -X -q -v ON_ERROR_STOP=1 "$c" "$@" >/dev/null; }

# run CMD...: run, capturing stdout to $T/out, stderr to $T/err, status to $RC
run() { "$@" >"$T/out" 2>"$T/err"; RC=$?; }
expect_rc() { [ "$RC" = "$1" ] || fail "${2:-command} exited $RC, expected $1; stderr: $(head -c 600 "$T/err")"; }
assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected [$2], got [$1]"; }
assert_contains() { grep -qF -- "$2" "$1" || fail "$1 does not contain [$2]: $(head -c 800 "$1")"; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || fail "$1 contains [$2]"; }
# as_user CMD...: CMD as nobody when the tests run as root (root ignores the permissions
# a test of EACCES sets up), else CMD itself. $SCHEMERGE is run from a copy in $T, and
# readable_copy gives files to read: the build tree may lie under a directory only root
# can enter (a clone in a new `mktemp -d`).
as_user() {
    [ "$(id -u)" = 0 ] || { "$@"; return; }
    command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
    local prog=$1
    shift
    [ "$prog" = "$SCHEMERGE" ] && prog=$(readable_copy "$SCHEMERGE")
    setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent "$prog" "$@"
}
# readable_copy FILE: a copy of FILE in $T/pub that every user can read (and run), once
readable_copy() {
    local copy="$T/pub/$(basename "$1")"
    if [ ! -e "$copy" ]; then
        mkdir -p "$T/pub" && cp "$1" "$copy" && chmod a+rX "$T" "$T/pub" "$copy"
        [ -x "$1" ] && chmod a+x "$copy"
    fi
    echo "$copy"
}
# diff_json_hash FILE: the db_hash of a `schemerge diff --json` output
diff_json_hash() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["db_hash"])' "$1"; }
assert_same_file() { cmp -s "$1" "$2" || fail "$1 and $2 differ: $(diff -u "$2" "$1" | head -40)"; }
