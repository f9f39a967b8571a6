#!/bin/sh
# The man page is clean for mandoc's linter (style messages included) and renders
# through man(1) without a groff warning.
. "$TESTLIB"
need mandoc
MAN="$SRCDIR/man/schemerge.1"
run mandoc -Tlint -Wstyle "$MAN"
[ "$RC" = 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ] ||
    fail "mandoc -Tlint: $(cat "$T/out" "$T/err")"
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    MANWIDTH=80 run man --warnings -l "$MAN"
    expect_rc 0 "man -l"
    [ ! -s "$T/err" ] || fail "man -l warns: $(cat "$T/err")"
    col -bx <"$T/out" | tr -s ' \n' '  ' >"$T/flat"
    assert_contains "$T/flat" "schemerge hook install"
    assert_contains "$T/flat" "libgit2, which runs no git hooks"
fi
finish
