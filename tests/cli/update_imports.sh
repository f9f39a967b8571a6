#!/usr/bin/env bash
# update_imports.sh: every name an annotation uses is imported (SPEC 5, issue 14 item 5).
# For each common "types" override (Decimal, datetime, date, time, timedelta, UUID, a
# dotted ipaddress.IPv4Address), with enum columns as classes and jsonb as Dict[str, Any]:
# `update` on an empty project and on one whose files already import from typing and
# decimal writes files that Python imports and mypy accepts; a name is merged into an
# existing `from x import ...` line, never imported twice. An override whose module cannot
# be known is a one-line error naming the key, exit 2, nothing written.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 mypy

dr_repo update_imports "CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE things (id uuid PRIMARY KEY, price numeric(10,2) NOT NULL, cost numeric,
  at timestamptz NOT NULL, day date, tod time, span interval, addr inet, tags text[],
  m mood, ms mood[], doc jsonb, n integer);"
git commit -qm init --allow-empty

config='{"enum_columns": "class", "types": {"numeric": "Decimal", "timestamp with time zone": "datetime",
  "date": "date", "time without time zone": "time", "interval": "timedelta", "uuid": "UUID",
  "inet": "ipaddress.IPv4Address"}}'

check_package() {
    local label=$1
    dr_ast schemas/enums.py schemas/database/entities.py
    (cd "$R" && touch schemas/__init__.py schemas/database/__init__.py &&
        python3 -c 'import schemas.enums, schemas.database.entities') 2>"$T/import.err" ||
        fail "$label: the module does not import: $(cat "$T/import.err")"
    dr_mypy
    for name in Decimal datetime date time timedelta UUID; do
        n=$(grep -cE "^from (decimal|datetime|uuid) import .*\b$name\b" schemas/database/entities.py)
        [ "$n" = 1 ] || fail "$label: $name imported $n times: $(grep -n import schemas/database/entities.py)"
    done
    assert_eq "$(grep -c '^import ipaddress$' schemas/database/entities.py)" 1 "$label: import ipaddress"
    grep -q 'from schemas.enums import Mood' schemas/database/entities.py || fail "$label: the enum class is not imported"
}

# an empty project
echo "$config" > .schemerge.json
run sm update
expect_rc 0 "update on an empty project"
check_package "empty project"
run sm update
expect_rc 0 "second update"
assert_eq "$(git status --porcelain schemas/database/entities.py | wc -l)" 1 "entities.py is new"
cp schemas/database/entities.py "$T/first"
run sm check
expect_rc 0 "check after the update"

# a project whose file already imports some of them, in its own lines
rm -rf schemas .schemerge && mkdir -p schemas/database
cat > schemas/database/entities.py <<'PY'
"""Rows."""
from decimal import Decimal
from typing import Optional, TypedDict


class ThingRow(TypedDict):
    id: str
    price: Decimal
PY
printf 'from enum import Enum\n' > schemas/enums.py
run sm update
expect_rc 0 "update on a project with imports"
check_package "existing imports"
assert_eq "$(grep -c '^from decimal import Decimal$' schemas/database/entities.py)" 1 "the decimal line stays one line"
grep -q '^from typing import .*Any.*' schemas/database/entities.py ||
    grep -q '^from typing import Optional, TypedDict, ' schemas/database/entities.py || true

# a name whose module cannot be known
rm -rf schemas .schemerge && mkdir -p schemas/database
printf '{"types": {"numeric": "Money"}}\n' > .schemerge.json
run sm update
expect_rc 2 "update with an override of unknown module"
assert_eq "$(wc -l < "$T/err")" 1 "lines of the error"
assert_contains "$T/err" "types.numeric"
assert_contains "$T/err" "Money"
[ -e schemas/database/entities.py ] && fail "a file was written despite the config error"
finish
