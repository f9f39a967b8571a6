#!/usr/bin/env python3
"""modgraph.py BUILDDIR [MODULE...]: the modules of src/ and ui/ that call each other.

A module is one .c file. Its edges are read from the compiled objects with nm: module A
calls module B when A's object uses a symbol B's object defines.
With no MODULE: prints one line per cycle ("cycle: a b c") with the calls inside it, and
exits 1 when there is any. With MODULEs (ui/cli): prints every module they call, directly
or not, one per line. Exits 2 when the objects are missing (build first). Used by
tests/cli/layering.sh."""
import collections
import glob
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCVW":
            defined.add(parts[2])
    return defined, used


def modules(builddir):
    # the objects automake names after their target: ui/schemerge-X.o, src/libschemerge_a-X.o
    found = {}
    for pattern, prefix, dirname in (("ui/schemerge-*.o", "schemerge-", "ui"),
                                     ("src/libschemerge_a-*.o", "libschemerge_a-", "src")):
        for obj in glob.glob(os.path.join(builddir, pattern)):
            name = os.path.basename(obj)[len(prefix):-2]
            found[dirname + "/" + name] = symbols(obj)
    return found


def cycles(graph, nodes):
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    mods = modules(sys.argv[1])
    if not mods:
        print("modgraph: no objects under %s (build first)" % sys.argv[1], file=sys.stderr)
        return 2
    owner = {s: m for m, (defined, _) in mods.items() for s in defined}
    graph = collections.defaultdict(set)
    for m, (_, used) in mods.items():
        graph[m] |= {owner[s] for s in used if s in owner and owner[s] != m}
    if len(sys.argv) > 2:
        seen, todo = set(), list(sys.argv[2:])
        while todo:
            m = todo.pop()
            for n in graph[m]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        for m in sorted(seen):
            print(m)
        return 0
    found = cycles(graph, mods)
    for comp in found:
        print("cycle: " + " ".join(comp))
        for m in comp:
            print("    %s calls %s" % (m, " ".join(sorted(graph[m] & set(comp)))))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
