#!/usr/bin/env bash
# layering.sh: the shape the code promises, checked on the source and the built objects.
#   - src/ (the core, a library with no terminal) includes no curses and nothing of ui/;
#   - in ui/, only curses_wrap.h includes curses;
#   - no two modules (.c files) of src/ and ui/ call each other in a cycle (nm on the
#     objects: tests/lib/modgraph.py);
#   - the command-line front end (cli.c, cmd_*.c) reaches no module that uses curses;
#   - tui.c keeps only the loop and the dispatch (under 400 lines): the views are behind
#     their ops tables (view.h), the terminal, the session and the rows in modules of
#     their own.
. "$TESTLIB"
need nm python3
src=${SRCDIR:?}
build=$(cd "$(dirname "$SCHEMERGE")" && pwd)

# ---- curses stays in ui/, behind its wrapper
curses_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?cursesw?/)?(n?curses(w)?|term|curses_wrap|panel|menu|form)\.h[>"]'
hits=$(grep -nE "$curses_re" "$src"/src/*.c "$src"/src/*.h 2>/dev/null)
[ -z "$hits" ] || fail "src/ includes curses: $hits"
for h in "$src"/ui/*.h; do
    name=$(basename "$h")
    hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$name\"" "$src"/src/*.c "$src"/src/*.h 2>/dev/null)
    [ -z "$hits" ] || fail "src/ includes ui/$name: $hits"
done
hits=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?cursesw?/)?(n?curses(w)?|term|panel|menu|form)\.h[>"]' \
    "$src"/ui/*.c "$src"/ui/*.h | grep -v '^[^:]*/curses_wrap\.h:')
[ -z "$hits" ] || fail "ui/ includes curses outside curses_wrap.h: $hits"

# the check itself must see an include when there is one
probe=$T/probe.c
printf '#include "config.h"\n#include <curses.h>\n' >"$probe"
grep -qE "$curses_re" "$probe" || fail "the include pattern misses <curses.h>"
printf '#  include "curses_wrap.h"\n' >"$probe"
grep -qE "$curses_re" "$probe" || fail "the include pattern misses curses_wrap.h"

# ---- no cycle of modules calling each other
ls "$build"/ui/schemerge-*.o >/dev/null 2>&1 || fail "no objects under $build/ui (build first)"
if ! python3 "$src/tests/lib/modgraph.py" "$build" >"$T/cycles" 2>&1; then
    fail "modules call each other in a cycle: $(cat "$T/cycles")"
fi
# the graph is read from the objects: tui calls the views (through views.c)
python3 "$src/tests/lib/modgraph.py" "$build" ui/tui >"$T/reach" || fail "modgraph failed"
grep -qx 'ui/view_changes' "$T/reach" || fail "modgraph does not see tui reach view_changes: $(tr '\n' ' ' <"$T/reach")"

# ---- the command line does not reach the curses UI
# the modules whose source includes curses_wrap.h, directly or through a ui/ header
curses_mods=$(python3 - "$src/ui" <<'PY'
import os, re, sys
d = sys.argv[1]
inc = {}
for f in os.listdir(d):
    if f.endswith((".c", ".h")):
        inc[f] = re.findall(r'^\s*#\s*include\s*"([^"]+)"', open(os.path.join(d, f)).read(), re.M)
def uses(f, seen=()):
    if f == "curses_wrap.h":
        return True
    return any(uses(h, seen + (f,)) for h in inc.get(f, []) if h not in seen)
print("\n".join("ui/" + f[:-2] for f in sorted(inc) if f.endswith(".c") and uses(f)))
PY
)
echo "$curses_mods" | grep -qx 'ui/tui' || fail "the curses modules were not found (got: $curses_mods)"
front=$(cd "$src/ui" && ls cli.c cmd_*.c | sed 's/\.c$//; s|^|ui/|')
python3 "$src/tests/lib/modgraph.py" "$build" $front >"$T/front" || fail "modgraph failed"
for m in $front; do
    echo "$curses_mods" | grep -qx "$m" && fail "$m includes curses"
done
for m in $curses_mods; do
    grep -qx "$m" "$T/front" && fail "the command line (cli.c, cmd_*.c) reaches $m, which uses curses"
done

# ---- the loop stays a loop
lines=$(wc -l <"$src/ui/tui.c")
[ "$lines" -lt 400 ] || fail "ui/tui.c has $lines lines: the loop and the dispatch only (under 400)"
# every view is one file exporting one view_ops table, and nothing else
for f in "$src"/ui/view_*.c; do
    # (symbols of the compiler's own, as ASan's __odr_asan.*, are not the file's)
    exported=$(nm -g --defined-only "$build/ui/schemerge-$(basename "$f" .c).o" | awk '{print $3}' | grep -v '^__')
    [ "$exported" = "$(basename "$f" .c)_ops" ] || fail "$(basename "$f") exports [$(echo $exported)], expected only $(basename "$f" .c)_ops"
done
finish
