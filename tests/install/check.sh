#!/usr/bin/env bash
# tests/install/check.sh SRCDIR PREFIX: configure SRCDIR with --prefix=PREFIX, `make
# install`, and check what a user gets: the program reports configure.ac's version, the
# man page reads through man(1), the bash completion is where bash-completion looks
# (relative to PREFIX) and loads, the CI recipe is in the data directory; then `make
# uninstall` leaves no file behind. Prints PASS/FAIL lines and "N passed, N failed".
set -u
src=$1 prefix=$2
pass=0 failed=0
ok() { echo "PASS: install: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: install: $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else ko "$what"; fi; }

rm -rf "$prefix"
log=$(mktemp)
if (cd "$src" && ./configure --prefix="$prefix" && make -j"$(nproc)" && make install) >"$log" 2>&1; then
    ok "configure --prefix=$prefix && make install"
    version=$(sed -n 's/^AC_INIT(\[schemerge\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")
    check "schemerge --version prints $version" \
        test "$("$prefix/bin/schemerge" --version)" = "schemerge $version"
    check "man page in $prefix/share/man/man1" test -s "$prefix/share/man/man1/schemerge.1"
    check "man -l reads the installed page" \
        sh -c "MANWIDTH=80 man -l '$prefix/share/man/man1/schemerge.1' | grep -q 'hook install'"
    comp="$prefix/share/bash-completion/completions/schemerge"
    check "bash completion in $prefix/share/bash-completion/completions" test -s "$comp"
    check "the completion loads in bash" bash -c "source '$comp' && complete -p schemerge"
    check "CI recipe in $prefix/share/schemerge/ci" test -s "$prefix/share/schemerge/ci/schema-check.yml"
    check "nothing installed outside $prefix" sh -c "! grep -E '/usr/(local/)?share/bash-completion' '$log'"
    (cd "$src" && make uninstall) >>"$log" 2>&1 || ko "make uninstall"
    left=$(find "$prefix" -type f 2>/dev/null)
    if [ -z "$left" ]; then ok "make uninstall removes every file"; else ko "make uninstall left: $left"; fi
else
    tail -30 "$log"
    ko "configure --prefix=$prefix && make install"
fi
rm -f "$log"
echo "$pass passed, $failed failed"
[ "$failed" = 0 ]
