#!/usr/bin/env bash
# ui_ignore.sh: i stops tracking an object from now on (issue 16 item 11): the diff of
# .schemerge.json is shown first with a question; n keeps the file as it is, y saves it
# (an object only in the database under "exclude", a class only in the files under
# "ignore"), the drift is computed again, and the command line agrees.
. "$TESTLIB"
need git psql python3
need_db
. "$SRCDIR/tests/lib/tmux.sh"

DB=$(pg_new_db sm_e2e_ignore) || { fail "cannot make the database"; finish; }
sql "$DB" -c "CREATE TABLE audit_log (id integer); CREATE TABLE users (id integer)"
R="$T/repo"
mkdir -p "$R/schemas/database"
cat >"$R/schemas/database/entities.py" <<'PY'
from typing import Optional, TypedDict


class UserRow(TypedDict, total=False):
    """Database row for users"""
    id: Optional[int]


class OldRow(TypedDict, total=False):
    """Database row for old"""
    id: Optional[int]
PY
printf '{\n    "views": false\n}\n' >"$R/.schemerge.json"
cp "$R/.schemerge.json" "$T/config.before"
(cd "$R" && git init -q && git add -A && git -c user.name=t -c user.email=t@e commit -qm init) || fail "git"

ui_start 120 30 "$R" -- --db "$DB"
wait_for "2 changes" 15
keys / ; keys -l "AuditLogRow" ; keys Enter
# ---- i: the diff and the question; n keeps the file
keys i
wait_for "Stop tracking: table public.audit_log excluded" 5
wait_for '+    "exclude": ["public.audit_log"]' 5
wait_for "save .schemerge.json as shown: table public.audit_log excluded from now on? (y/n)" 5
keys n
wait_for "cancelled" 5
assert_same_file "$R/.schemerge.json" "$T/config.before"
keys q
wait_for "2 changes" 5
# ---- y saves it: the change is gone
keys i
wait_for "(y/n)" 5
keys y
wait_for "table public.audit_log excluded (saved .schemerge.json)" 5
wait_for "1 change" 5
screen | grep -qF "Add AuditLogRow" && fail "the excluded table is still listed"
printf '{\n    "views": false,\n    "exclude": ["public.audit_log"]\n}\n' >"$T/config.want"
assert_same_file "$R/.schemerge.json" "$T/config.want"
# ---- a class only in the files: ignored
keys / ; keys -l "OldRow" ; keys Enter
keys i
wait_for '+    "ignore": ["OldRow"]' 5
keys y
wait_for "class OldRow ignored (saved .schemerge.json)" 5
wait_for "0 changes" 5
keys q
ui_wait_exit && assert_eq "$UI_RC" 0 "exit status"
# the command line reads the same config and agrees: in sync
(cd "$R" && "$SCHEMERGE" --db "$DB" check >/dev/null) || fail "check after i: not in sync"
finish
