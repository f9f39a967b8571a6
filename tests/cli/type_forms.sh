#!/usr/bin/env bash
# type_forms.sh: every type has an annotation that imports (issue 15 item 3, SPEC 3):
# enums of another selected schema and arrays of enums under "enum_columns": "class"
# (the enum class, imported from the enums module), domains over arrays, arrays of
# domains, ranges and multiranges, composites and arrays of them (Any), and the extension
# types citext, hstore and ltree (pgvector's vector and PostGIS's geometry too where the
# server has them). The file parses, imports, passes mypy, and `check` is then in sync.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 mypy

dr_repo type_forms 'CREATE EXTENSION citext; CREATE EXTENSION hstore; CREATE EXTENSION ltree;
CREATE SCHEMA auth; CREATE TYPE auth.role AS ENUM ('"'"'admin'"'"', '"'"'user'"'"');
CREATE TYPE mood AS ENUM ('"'"'ok'"'"', '"'"'sad'"'"');
CREATE DOMAIN tags AS text[]; CREATE DOMAIN email AS text; CREATE DOMAIN posint AS integer NOT NULL CHECK (VALUE > 0);
CREATE TYPE point2 AS (x integer, y integer);
CREATE TABLE things (id integer, r auth.role, rs auth.role[], ms mood[], t tags, es email[], pi posint,
    ir int4range, tr tstzrange, mr int4multirange, c citext, h hstore, l ltree, co point2, cos point2[],
    d date[][]);'
extra=""
for ext in vector postgis; do
    if psql -X -q -At "$DB" -c "SELECT 1 FROM pg_available_extensions WHERE name = '$ext'" | grep -q 1; then
        dr_sql "CREATE EXTENSION $ext"
        case $ext in
        vector) dr_sql 'ALTER TABLE things ADD COLUMN emb vector(3)'; extra="$extra emb" ;;
        postgis) dr_sql 'ALTER TABLE things ADD COLUMN geom geometry'; extra="$extra geom" ;;
        esac
    else
        echo "note: the server has no $ext extension: its column is not part of this run" >&2
    fi
done
printf '{"schemas": ["public", "auth"], "enum_columns": "class"}\n' >.schemerge.json
git commit -qm init --allow-empty
run sm update
expect_rc 0 "update"
E=schemas/database/entities.py
for line in 'from schemas.enums import Mood, Role' '    r: Optional[Role]' '    rs: Optional[list[Role]]' \
    '    ms: Optional[list[Mood]]' '    t: Optional[list[str]]' '    es: Optional[list[str]]' '    pi: int' \
    '    ir: Optional[str]' '    tr: Optional[str]' '    mr: Optional[str]' '    c: Optional[str]' \
    '    h: Optional[str]' '    l: Optional[str]' '    co: Any' '    cos: Optional[list[Any]]' \
    '    d: Optional[list[str]]'; do
    assert_contains $E "$line"
done
for col in $extra; do
    grep -q "^    $col: Optional\[" $E || fail "no annotation for the extension column $col"
done
dr_ast $E schemas/enums.py
dr_mypy
python3 -c 'import sys; sys.path.insert(0, "."); import schemas.database.entities' || fail "the file does not import"
run sm check
expect_rc 0 "check after the update"
finish
