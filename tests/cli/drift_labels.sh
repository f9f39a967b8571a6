#!/usr/bin/env bash
# drift_labels.sh: awkward enum labels round trip (label -> member name -> label): the
# labels written by update, read back by Python importing the enum, equal the database's
# labels in order. Both paths: a new class (in the file's single quotes), and labels added to an
# existing class written with single quotes whose names collide with existing members.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need mypy

# labels as SQL literals (E'' for the control characters)
LABELS="'with space', 'it''s', 'say \"hi\"', E'back\\\\slash', 'Galpão', 'ß', 'ǅ', '🎉', '',
 'class', 'None', 'a-b', 'a_b', 'A_B', '24_hour', '35+', '_sunder_', '__dunder__', 'VALUE',
 E'tab\\tx', E'new\\nline', '_', 'mro', 'name', 'value', '_missing_', 'İ', '\"''\"''', E'\\\\'"

dr_repo drift_labels "CREATE TYPE awkward AS ENUM ($LABELS);
CREATE TYPE grown AS ENUM ('a_b', 'none');"

db_labels() { # ENUM: the labels in enumsortorder, as Python reprs
    psql -X -qtA "$DB" -c "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
        WHERE t.typname = '$1' ORDER BY e.enumsortorder" -F '' -R $'\x1e' |
        python3 -c 'import sys; d = sys.stdin.read().rstrip("\n"); [print(repr(x)) for x in d.split("\x1e")]'
}

printf "from enum import Enum\n\n\nclass Grown(str, Enum):\n    A_B = 'a_b'\n    NONE_ = 'none'\n" > schemas/enums.py
run sm update
expect_rc 0 "update: the new class"
dr_ast schemas/enums.py
db_labels awkward > "$T/want"
[ "$(wc -l < "$T/want")" -ge 29 ] || fail "expected at least 29 labels from the database: $(cat "$T/want")"
dr_enum_values schemas/enums.py Awkward > "$T/got" || fail "python cannot import the enums: $(cat "$T/got")"
assert_same_file "$T/got" "$T/want"
# member names: SPEC section 2's rule, never a keyword, sunder or dunder
grep -q "^    _24_HOUR = '24_hour'$" schemas/enums.py || fail "leading digit: $(grep 24_hour schemas/enums.py)"
grep -q "^    _35 = '35+'$" schemas/enums.py || fail "35+: $(grep '35+' schemas/enums.py)"
grep -q "^    CLASS = 'class'$" schemas/enums.py || fail "keyword label"
grep -q "^    GALPÃO = 'Galpão'$" schemas/enums.py || fail "unicode upper-casing"
grep -q "^    A_B = 'a-b'$" schemas/enums.py || fail "a-b"
grep -q "^    A_B_2 = 'a_b'$" schemas/enums.py || fail "collision a_b"
grep -q "^    A_B_3 = 'A_B'$" schemas/enums.py || fail "collision A_B"
grep -qE '^    _?_[A-Za-z]+_?_ =' schemas/enums.py && fail "a sunder or dunder member name was written"

# ---- labels added to an existing single-quoted class, colliding with its members
cp schemas/enums.py "$T/before"
dr_sql "ALTER TYPE grown ADD VALUE 'a-b'; ALTER TYPE grown ADD VALUE 'it''s';
ALTER TYPE grown ADD VALUE 'None'; ALTER TYPE grown ADD VALUE E'q\"\\\\';
ALTER TYPE grown ADD VALUE '🎉' BEFORE 'none'"
run sm update
expect_rc 0 "update: labels added to an existing class"
dr_ast schemas/enums.py
db_labels grown > "$T/want"
dr_enum_values schemas/enums.py Grown > "$T/got" || fail "python cannot import the enums"
assert_same_file "$T/got" "$T/want"
# the class's own quote character; a new name never reuses A_B or NONE_
awk '/^class /{on=/^class Grown/} on' schemas/enums.py > "$T/grown"
assert_not_contains "$T/grown" '"a-b"'
grep -q "^    A_B_2 = 'a-b'$" "$T/grown" || fail "collision with an existing member: $(cat "$T/grown")"
[ "$(grep -c '^    A_B = ' "$T/grown")" = 1 ] || fail "duplicate member name A_B"
[ "$(grep -c '^    NONE = ' "$T/grown")" -le 1 ] || fail "duplicate member name NONE"
dr_mypy
run sm check
expect_rc 0 "check after update"
finish
