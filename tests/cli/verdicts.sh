#!/bin/sh
# verdicts.sh: the texts CPython's verdict accepted are remembered by digest
# (.schemerge/verdicts, src/verdicts.h), so that reading the same bytes again skips the
# verdict. Checked here, in a real project:
# - a project never synced gets no .schemerge/ from a check;
# - an update records the SHA-256 of each file it wrote (judged in full before writing);
# - after a sync, a check records the SHA-256 of each schema file it read;
# - a file edited into what Python rejects is still rejected, with Python's line, and
#   its digest is not recorded; the file put back is read again without complaint;
# - Python itself accepts every text whose digest the list holds.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 sha256sum

dr_repo sm_verdicts "
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, m mood);
"
LIST="$R/.schemerge/verdicts"
ENT="$R/schemas/database/entities.py"

run sm check
[ -e "$R/.schemerge" ] && fail "a check of a project never synced made .schemerge/"

run sm update
expect_rc 0 "update"
[ -f "$LIST" ] || fail "no verdict list after an update"
for f in "$ENT" "$R/schemas/enums.py"; do
    grep -qx "$(sha256sum "$f" | cut -d' ' -f1)" "$LIST" || fail "update did not record $f: $(cat "$LIST")"
done
rm "$LIST"
run sm check
expect_rc 0 "check in sync"
[ -f "$LIST" ] || fail "no verdict list after a check"
for f in "$ENT" "$R/schemas/enums.py"; do
    d=$(sha256sum "$f" | cut -d' ' -f1)
    grep -qx "$d" "$LIST" || fail "$f's digest is not in the list: $(cat "$LIST")"
done
head -1 "$LIST" | grep -q '^schemerge-verdicts 1 ' || fail "the list names no version: $(head -1 "$LIST")"

# Python judges every text the list holds (the digests name exactly the files read)
python3 - "$LIST" "$ENT" "$R/schemas/enums.py" <<'PY' || fail "a listed text is not one Python accepts"
import ast, hashlib, sys
listed = set(open(sys.argv[1]).read().split("\n")[1:]) - {""}
texts = {hashlib.sha256(open(p, "rb").read()).hexdigest(): p for p in sys.argv[2:]}
assert listed <= set(texts), listed - set(texts)
for d in listed:
    ast.parse(open(texts[d], "rb").read())
PY

# an edit Python rejects: rejected at Python's line, whatever was accepted before
cp "$ENT" "$T/good.py"
printf '\nbroken = 1 +\n' >> "$ENT"
line=$(python3 -c 'import ast,sys
try: ast.parse(open(sys.argv[1]).read())
except SyntaxError as e: print(e.lineno)' "$ENT")
[ -n "$line" ] || fail "python3 accepts the broken file"
run sm check
expect_rc 2 "check of a file Python rejects"
assert_contains "$T/err" "schemas/database/entities.py:$line:"
grep -qx "$(sha256sum "$ENT" | cut -d' ' -f1)" "$LIST" && fail "a rejected text's digest was recorded"

cp "$T/good.py" "$ENT"
run sm check
expect_rc 0 "check with the file put back"
finish
