#!/usr/bin/env bash
# update_concurrent.sh: the file is edited between read and apply (through the hook
# SCHEMERGE_TEST_HOOK_AFTER_LOAD of the test build tests/schemerge-hooks, run after the files
# are read and before the plan reads them again; the installed program has no hook). An edit apart from the change: both survive (three-way merge). An
# edit of the same lines: exit 2, the file stays byte-identical to the edited version,
# nothing else is written (no schema_version.py, no state, no temporary file).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
: "${SCHEMERGE_HOOKS:?SCHEMERGE_HOOKS must name tests/schemerge-hooks (run through make check)}"
hooked() { "$SCHEMERGE_HOOKS" --db "$DB" "$@"; }

dr_repo update_concurrent "CREATE TYPE project_status AS ENUM ('active', 'pending', 'done');"
cat > schemas/enums.py <<'PY'
from enum import Enum


class Other(str, Enum):  # schemerge: ignore
    A = "a"


class ProjectStatus(str, Enum):
    """project_status enumeration"""
    ACTIVE = "active"
    DONE = "done"
PY
cp schemas/enums.py "$T/base"

# ---- an edit apart from the change: both survive
cat > "$T/edit_apart.py" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
open(p, "w").write(s.replace('    A = "a"\n', '    A = "a"\n    B = "b"  # added in an editor\n'))
PY
SCHEMERGE_TEST_HOOK_AFTER_LOAD="python3 $T/edit_apart.py schemas/enums.py" run hooked update
expect_rc 0 "update with an edit apart"
grep -q '    B = "b"  # added in an editor' schemas/enums.py || fail "the editor's edit was lost"
grep -q '    PENDING = "pending"' schemas/enums.py || fail "the change was not applied"
dr_hunks "$T/base" schemas/enums.py '+    B = "b"  # added in an editor' '+    PENDING = "pending"'
dr_ast schemas/enums.py
# the backup holds the file as it was on disk when applying (with the editor's edit)
B=$(ls .schemerge/backups | tail -1)
grep -q '    B = "b"' ".schemerge/backups/$B/files/schemas/enums.py" || fail "backup is not the file before the write"

# ---- an edit of the same lines: conflict, exit 2, nothing written
cp "$T/base" schemas/enums.py
rm -rf .schemerge schemas/schema_version.py
cat > "$T/edit_same.py" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
open(p, "w").write(s.replace('    ACTIVE = "active"\n    DONE = "done"\n', '    ACTIVE = "active"\n    PAUSED = "paused"\n    DONE = "done"\n'))
PY
cat "$T/base" | python3 -c 'import sys; s=sys.stdin.read(); sys.stdout.write(s.replace("    DONE", "    PAUSED = \"paused\"\n    DONE"))' > "$T/edited"
SCHEMERGE_TEST_HOOK_AFTER_LOAD="python3 $T/edit_same.py schemas/enums.py" run hooked update
expect_rc 2 "update with a conflicting edit"
assert_contains "$T/err" "schemas/enums.py: 1 conflict"
assert_contains "$T/err" "nothing was written"
assert_same_file schemas/enums.py "$T/edited"
[ -e schemas/schema_version.py ] && fail "schema_version.py written despite the conflict"
[ -e .schemerge/last-sync.json ] && fail "state written despite the conflict"
[ -n "$(ls -A .schemerge/backups 2>/dev/null)" ] && fail "a backup was made despite the conflict"
[ -z "$(find . -name '.*.tmp-*')" ] || fail "temporary files left: $(find . -name '.*.tmp-*')"
# the installed program runs no hook: the same environment, no editor, a clean apply
cp "$T/base" schemas/enums.py
SCHEMERGE_TEST_HOOK_AFTER_LOAD="touch $T/hook-ran" run sm update --dry-run
expect_rc 0 "dry run with the hook set"
[ -e "$T/hook-ran" ] && fail "the installed program ran SCHEMERGE_TEST_HOOK_AFTER_LOAD"
run sm update
expect_rc 0 "update without the editor"
run sm check
expect_rc 0 "in sync"
finish
