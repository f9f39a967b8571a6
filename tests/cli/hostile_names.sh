#!/usr/bin/env bash
# hostile_names.sh: the property test of issue 15 item 6. A catalog of more than 500
# hostile names (tests/cli/hostile_names.py: keywords, soft keywords, builtins, the names
# the files import, Pydantic's reserved names, leading digits, spaces, dots, dashes,
# quotes, backslashes, triple quotes, emoji, combining marks, right-to-left text, bidi
# controls, NFKC and case pairs, control characters, 63-byte names; the first 60 in all
# three schemas) as tables, columns, enums and labels in a real PostgreSQL. For the
# TypedDict, Pydantic and dataclass targets, on an empty project and on a half-written one
# (one schema synced, then all three): `update` exits 0; every file parses with Python's
# ast, every class name is an identifier and there is one class per table and per enum;
# the modules import; mypy accepts them; `diff` is then in sync; a second `update`
# changes no byte; and on the half-written project no class synced before is renamed.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
. "$FIXTURES/pydantic/pyd.sh"
need python3 mypy
HN="$SRCDIR/tests/cli/hostile_names.py"

dr_repo hostile_names
python3 "$HN" sql >"$T/catalog.sql" || fail "cannot generate the catalog"
sql "$DB" -f "$T/catalog.sql" || { fail "cannot create the catalog"; finish; }
nnames=$(python3 "$HN" count)
[ "$nnames" -ge 500 ] || fail "the catalog uses only $nnames names"
read -r ntables nenums <<<"$(python3 "$HN" objects)"
read -r ntables1 nenums1 <<<"$(python3 "$HN" objects public)"
ALL='{"schemas": ["public", "auth", "My-Schema"]}'

# A module named pydantic that only defines the names generated code imports: where no
# pydantic 2 is installed (Debian's archive has 1.10), the import check still proves every
# name the files use is bound.
mkdir -p "$T/stub/pydantic"
cat >"$T/stub/pydantic/__init__.py" <<'PY'
class BaseModel:
    pass
def Field(*args, **kwargs):
    return kwargs.get("default")
def ConfigDict(**kwargs):
    return kwargs
PY

seed() { # seed KIND: an ignored class gives the file its row kind
    case $1 in
    pydantic) printf 'from pydantic import BaseModel\n\n\nclass Seed(BaseModel):  # schemerge: ignore\n    """Not a table."""\n\n    x: int\n' ;;
    dataclass) printf 'from dataclasses import dataclass\n\n\n@dataclass\nclass Seed:  # schemerge: ignore\n    """Not a table."""\n\n    x: int\n' ;;
    esac
}

check_project() { # check_project KIND LABEL NTABLES NENUMS
    local kind=$1 label=$2 nt=$3 ne=$4 extra=0
    [ "$kind" = typeddict ] || extra=1 # the seed class
    run sm update
    expect_rc 0 "$kind/$label: update"
    touch schemas/__init__.py schemas/database/__init__.py
    python3 "$HN" judge . "$kind" $((nt + extra)) "$ne" >"$T/judge" 2>&1 ||
        fail "$kind/$label: $(tail -3 "$T/judge")"
    local py=python3 path=""
    if [ "$kind" = pydantic ]; then
        py=$(pyd_python)
        [ -n "$py" ] || { py=python3; path="$T/stub"; }
    fi
    local mods="import schemas.enums, schemas.database.entities"
    [ -f schemas/database/relationships.py ] && mods="$mods, schemas.database.relationships"
    PYTHONPATH="$path" "$py" -c "$mods" >"$T/import" 2>&1 ||
        fail "$kind/$label: the modules do not import: $(tail -3 "$T/import")"
    if [ "$kind" = pydantic ]; then
        pyd_mypy -p schemas
    else
        dr_mypy
    fi
    run sm diff
    expect_rc 0 "$kind/$label: diff after the update"
    assert_contains "$T/out" "in sync"
    rm -rf "$T/before" && cp -r schemas "$T/before"
    run sm update
    expect_rc 0 "$kind/$label: second update"
    diff -r "$T/before" schemas >"$T/second" 2>&1 || fail "$kind/$label: the second update changed bytes: $(head -20 "$T/second")"
}

fresh_repo() { # a repository of its own: the last sync's state lives in it
    R="$T/repo-$1"
    git init -q -b main "$R" && mkdir -p "$R/schemas/database" && cd "$R" || { fail "repo $1"; finish; }
}

# The DB hash of the hostile catalog (quotes, backslashes, control characters, emoji, bidi
# controls in every name) against Python's own reading of data/snapshot-format.md
# (tests/lib/dbhash.py): cJSON's escaping must be json.dumps's, byte for byte.
fresh_repo hash
echo "$ALL" >.schemerge.json
run sm snapshot -o "$T/hostile.json"
expect_rc 0 "snapshot of the hostile catalog"
run sm diff --json
expect_rc 0 "diff --json of the hostile catalog on an empty project"
want=$(python3 "$SRCDIR/tests/lib/dbhash.py" "$T/hostile.json")
got=$(diff_json_hash "$T/out")
[ -n "$want" ] && [ "$got" = "$want" ] || fail "DB hash of the hostile catalog: schemerge $got, Python $want"

for kind in typeddict pydantic dataclass; do
    # an empty project
    fresh_repo "$kind-empty"
    echo "$ALL" >.schemerge.json
    seed $kind >schemas/database/entities.py
    check_project $kind empty "$ntables" "$nenums"

    # a half-written one: public synced first, the other schemas added later
    fresh_repo "$kind-half"
    echo '{"schemas": ["public"]}' >.schemerge.json
    seed $kind >schemas/database/entities.py
    check_project $kind public-only "$ntables1" "$nenums1"
    python3 "$HN" classes . | sort >"$T/classes.before"
    echo "$ALL" >.schemerge.json
    check_project $kind half-written "$ntables" "$nenums"
    python3 "$HN" classes . | sort >"$T/classes.after"
    lost=$(comm -23 "$T/classes.before" "$T/classes.after" | head -5)
    [ -z "$lost" ] || fail "$kind: adding schemas renamed classes synced before: $lost"
done
finish
