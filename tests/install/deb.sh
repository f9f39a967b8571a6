#!/usr/bin/env bash
# tests/install/deb.sh SRCDIR WORKDIR: the Debian package (issue 17 item 7). From a clean
# copy of SRCDIR's sources in WORKDIR: `dpkg-buildpackage -us -uc -b` builds the .deb
# (its unit tests run at build time), lintian reports no error and no warning, and the
# package installs with apt on a clean system: a minimal Debian 12 made with debootstrap
# (from Debian's archive, as apt is set up here), where apt brings the libraries it
# depends on. There the program runs, reads a snapshot, names where bugs go, and its
# man page, completion and README are in place; `apt-get purge` removes it.
# Prints PASS/FAIL lines and "N passed, N failed". Runs as root.
set -u
src=$1 work=$2
pass=0 failed=0
ok() { echo "PASS: deb: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: deb: $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else ko "$what"; fi; }
done_() { echo "$pass passed, $failed failed"; [ "$failed" = 0 ]; exit; }

[ "$(id -u)" = 0 ] || { ko "run as root (debootstrap, chroot)"; done_; }
rm -rf "$work" && mkdir -p "$work/schemerge"
(cd "$src" && git ls-files -co --exclude-standard -z | tar -c --null -T -) | tar -x -C "$work/schemerge"
version=$(sed -n 's/^AC_INIT(\[schemerge\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")
deb="$work/schemerge_${version}_$(dpkg --print-architecture).deb"
if (cd "$work/schemerge" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 && [ -s "$deb" ]; then
    ok "dpkg-buildpackage -us -uc -b"
else
    tail -30 "$work/build.log"; ko "dpkg-buildpackage -us -uc -b"; done_
fi
grep -q "^# PASS: *[1-9]" "$work/build.log" && ! grep -q "^# FAIL: *[1-9]" "$work/build.log" &&
    ok "the unit tests ran and passed at build time" || ko "the unit tests at build time"
# lintian: E: and W: are failures (I: and P: are information)
lintian --allow-root "$work"/schemerge_*.changes >"$work/lintian.log" 2>&1
if grep -qE '^[EW]: ' "$work/lintian.log"; then
    ko "lintian: $(grep -E '^[EW]: ' "$work/lintian.log" | head -10 | tr '\n' ' ')"
else
    ok "lintian reports no error and no warning"
fi
contents=$(dpkg -c "$deb")
for f in usr/bin/schemerge usr/share/man/man1/schemerge.1.gz usr/share/bash-completion/completions/schemerge \
         usr/share/doc/schemerge/README usr/share/doc/schemerge/copyright; do
    echo "$contents" | grep -q " \./$f\$" && ok "the package has /$f" || ko "the package has no /$f"
done

# a clean system: minimal Debian 12 from the archive apt uses here
root="$work/root"
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*\) bookworm main.*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
if debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1; then
    ok "debootstrap a minimal Debian 12"
else
    tail -20 "$work/debootstrap.log"; ko "debootstrap a minimal Debian 12"; done_
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
cp "$deb" "$root/tmp/"
cp "$src/tests/fixtures/snapshots/small.json" "$root/tmp/db.json"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"; }
check "the clean system has no schemerge before" sh -c "! chroot '$root' sh -c 'command -v schemerge'"
if in_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/$(basename "$deb")" \
    >"$work/install.log" 2>&1; then
    ok "apt-get install the .deb on the clean system (its dependencies from the archive)"
else
    tail -20 "$work/install.log"; ko "apt-get install the .deb on the clean system"; done_
fi
check "schemerge --version prints $version" test "$(in_root schemerge --version)" = "schemerge $version"
check "--help names where to report bugs (the README's section, not an address)" \
    sh -c "chroot '$root' schemerge --help | grep -qF 'Report bugs: see REPORTING BUGS in schemerge(1), or \"Reporting bugs\" in the'"
check "the README has that section" grep -q '^Reporting bugs$' "$root/usr/share/doc/schemerge/README"
check "the man page has REPORTING BUGS" sh -c "zcat '$root/usr/share/man/man1/schemerge.1.gz' | grep -q '^\.SH REPORTING BUGS'"
check "the completion loads in bash" in_root bash -c "source /usr/share/bash-completion/completions/schemerge && complete -p schemerge"
in_root sh -c 'mkdir -p /tmp/p && cd /tmp/p && schemerge --db /tmp/db.json diff --color=never' >"$work/diff.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q "enum_added" "$work/diff.out"; then ok "diff from a snapshot on the clean system"; else ko "diff from a snapshot (exit $rc): $(head -3 "$work/diff.out")"; fi
if in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq schemerge" >>"$work/install.log" 2>&1 &&
    [ ! -e "$root/usr/bin/schemerge" ] && [ ! -e "$root/usr/share/man/man1/schemerge.1.gz" ]; then
    ok "apt-get purge removes it"
else
    ko "apt-get purge removes it"
fi
rm -rf "$root"
done_
