#!/bin/sh
# parser_vs_ast.sh: schemerge's Python parser must extract from every file of the corpus
# (tests/py/corpus: every schema style of SPEC section 1) exactly what Python's own ast
# extracts: classes, bases, keywords, decorators, docstrings, members and their values,
# fields and their annotations, lines and columns, imports. For the files Python rejects
# (tests/py/bad) the error must be the same: line, column and message.
. "$TESTLIB"
need python3

DUMP="$(dirname "$SCHEMERGE")/tests/unit/pyparse_dump"
PYDIR="${SRCDIR:-$(dirname "$TESTLIB")/../..}/tests/py"
[ -x "$DUMP" ] || fail "$DUMP is not built (make check builds it)"
[ -d "$PYDIR/corpus" ] || fail "no corpus at $PYDIR/corpus"

norm() { python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True, indent=1, ensure_ascii=False))'; }

n=0
for f in "$PYDIR"/corpus/*.py "$PYDIR"/bad/*.py; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    name=$(basename "$(dirname "$f")")/$(basename "$f")
    if ! python3 "$PYDIR/ast_extract.py" "$f" | norm >"$T/ast.json"; then
        fail "$name: ast_extract.py failed"; continue
    fi
    if ! "$DUMP" "$f" | norm >"$T/ours.json"; then
        fail "$name: pyparse_dump failed"; continue
    fi
    case $name in
        corpus/*) grep -q '"error"' "$T/ast.json" && fail "$name: Python rejects a corpus file: $(cat "$T/ast.json")" ;;
        bad/*) grep -q '"error"' "$T/ast.json" || fail "$name: Python accepts a file meant to be bad" ;;
    esac
    cmp -s "$T/ast.json" "$T/ours.json" ||
        fail "$name: parser and ast differ: $(diff -u "$T/ast.json" "$T/ours.json" | head -30)"
done
[ "$n" -ge 40 ] || fail "only $n corpus files found in $PYDIR"
finish
