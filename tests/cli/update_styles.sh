#!/usr/bin/env bash
# update_styles.sh: issue 4's proof for every change kind in files of each style
# (tests/fixtures/styles/: Optional + 4 spaces + double quotes; PEP 604 + 2 spaces + single
# quotes; tabs; CRLF). After `update`, every file parses with Python's ast, mypy accepts
# the schemas package, every difference from the file before is one of the expected edits
# (in the file's indentation, quotes, annotation style and line ends), and a second check
# exits 0. Phase 1: the kinds without a last sync (update --prune). Phase 2: the renames
# after ALTER ... RENAME.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need mypy

for style in optional_4sp_dq pep604_2sp_sq tabs crlf; do
    case $style in
        optional_4sp_dq) I='    ' Q='"' PEP604=0 ;;
        pep604_2sp_sq) I='  ' Q="'" PEP604=1 ;;
        tabs) I=$'\t' Q='"' PEP604=0 ;;
        crlf) I='    ' Q='"' PEP604=0 ;;
    esac
    opt() { if [ $PEP604 = 1 ]; then echo "$1 | None"; else echo "Optional[$1]"; fi; }
    dr_repo "update_styles_$style" "
CREATE TYPE project_status AS ENUM ('active', 'pending', 'done');
CREATE TYPE priority AS ENUM ('low', 'high', 'medium');
CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE projects (id uuid PRIMARY KEY, name text NOT NULL, status project_status NOT NULL,
                       budget numeric, owner text, tags text[], meta jsonb);
CREATE TABLE tags (id integer PRIMARY KEY, label text, extra jsonb);"
    E=schemas/enums.py N=schemas/database/entities.py
    cp "$FIXTURES/styles/$style/enums.py" $E
    cp "$FIXTURES/styles/$style/entities.py" $N
    git add -A && git commit -qm "$style"
    cp $E "$T/enums.before"; cp $N "$T/entities.before"

    # ---- phase 1: every kind without a last sync
    run sm update --prune
    expect_rc 0 "$style: update --prune"
    assert_not_contains "$T/err" "cannot apply"
    dr_ast $E $N schemas/schema_version.py
    dr_hunks "$T/enums.before" $E \
        "+${I}PENDING = ${Q}pending${Q}" "-${I}ARCHIVED = ${Q}archived${Q}" \
        "-${I}MEDIUM = ${Q}medium${Q}" "+${I}MEDIUM = ${Q}medium${Q}" \
        "-class Mood(str, Enum):" "-${I}HAPPY = ${Q}happy${Q}" \
        "+class Color(str, Enum):" "+${I}RED = ${Q}red${Q}" "+${I}GREEN = ${Q}green${Q}"
    dr_hunks "$T/entities.before" $N \
        "-${I}name: $(opt str)  # nullable in the old schema" "+${I}name: str  # nullable in the old schema" \
        "-${I}budget: int" "+${I}budget: $(opt float)" "-${I}legacy: str" \
        "+${I}owner: $(opt str)" "+${I}tags: $(opt 'list[str]')" "+${I}meta: $(opt dict)" \
        "-class WidgetRow(TypedDict):" "-${I}id: str" \
        "+class TagRow(TypedDict):" "+${I}id: int" "+${I}label: $(opt str)" "+${I}extra: $(opt dict)"
    dr_mypy
    run sm check
    expect_rc 0 "$style: second check after phase 1"
    # the class with the method keeps it; the helper subclass is untouched
    grep -q "return self.value.title()" $E || fail "$style: the method was lost"
    grep -q "^class ProjectWithOwner(ProjectRow):" $N || fail "$style: the helper subclass was lost"

    # ---- phase 2: renames since the last sync
    cp $E "$T/enums.before"; cp $N "$T/entities.before"
    dr_sql "ALTER TABLE projects RENAME COLUMN owner TO owner_name;
ALTER TABLE tags RENAME TO labels;
ALTER TYPE priority RENAME VALUE 'high' TO 'urgent';
ALTER TYPE color RENAME TO colour;"
    run sm diff --json
    python3 -c 'import json,sys; print(" ".join(sorted(c["kind"] for c in json.load(open(sys.argv[1]))["changes"])))' "$T/out" > "$T/kinds"
    assert_eq "$(cat "$T/kinds")" "column_renamed enum_renamed enum_value_renamed table_renamed" "$style: rename kinds"
    run sm update
    expect_rc 0 "$style: update (renames)"
    dr_ast $E $N
    dr_hunks "$T/enums.before" $E \
        "-${I}HIGH = ${Q}high${Q}" "+${I}URGENT = ${Q}urgent${Q}" \
        "-class Color(str, Enum):" "+class Colour(str, Enum):"
    dr_hunks "$T/entities.before" $N \
        "-${I}owner: $(opt str)" "+${I}owner_name: $(opt str)" \
        "-class TagRow(TypedDict):" "+class LabelRow(TypedDict):"
    dr_mypy
    run sm check
    expect_rc 0 "$style: second check after phase 2"
    cd "$T" || fail "cd"
done
finish
