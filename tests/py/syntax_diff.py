#!/usr/bin/env python3
"""Differential test of schemerge's syntax verdict against CPython's ast.parse.

    /usr/bin/python3 syntax_diff.py TOOL N SEED FILE...

Run it with the CPython whose verdict is the reference: Debian 12's Python 3.11.2, whose
Grammar/python.gram (libpython3.11-dev) src/pycheck_rules.inc is generated from. (Patch
releases differ: 3.11.7 reports some errors at other lines.)

Mutates the given real schema files N times in all (each mutant: one to three edits:
delete, duplicate, swap or insert a token; delete, insert or replace a character), asks
CPython (ast.parse on the bytes, as a file is compiled) and TOOL (tests/unit/pycheck_tool)
for their verdict, and compares accept/reject and the line of the error. Prints the
disagreements (at most 20, each with its text) and a last line
"syntax_diff: N inputs (R rejected by Python), D disagreements"; exits 1 on any
disagreement. Deterministic for a seed."""
import ast
import io
import random
import subprocess
import sys
import tokenize
import warnings

warnings.simplefilter("ignore")

SPECIALS = list("\"'()[]{}:=,.\\#\n\t @*-+<>!$?_0123456789abcxjJ;`|&^%~") + ["\r\n", "\r", "\f", "é", "€", "\u00a0"]


def tokens_of(text):
    out = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(text).readline):
            if t.string and t.type not in (tokenize.ENDMARKER,):
                out.append(t.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def positions(text, tok):
    """Start offsets of tok in text (a few)."""
    res, i = [], text.find(tok)
    while i >= 0 and len(res) < 50:
        res.append(i)
        i = text.find(tok, i + 1)
    return res


def mutate(rng, text, toks, chars):
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        op = rng.randrange(7)
        if op < 4 and toks:
            tok = rng.choice(toks)
            where = positions(text, tok)
            if not where:
                continue
            i = rng.choice(where)
            j = i + len(tok)
            if op == 0:      # delete a token
                text = text[:i] + text[j:]
            elif op == 1:    # duplicate it
                text = text[:j] + tok + text[j:]
            elif op == 2:    # swap it with the next token
                k = j
                while k < len(text) and text[k] == " ":
                    k += 1
                m = k
                while m < len(text) and not text[m].isspace():
                    m += 1
                text = text[:i] + text[k:m] + text[j:k] + tok + text[m:]
            else:            # insert a token from elsewhere
                other = rng.choice(toks)
                text = text[:i] + other + rng.choice(("", " ")) + text[i:]
        elif op == 4 and text:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1:]
        elif op == 5:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(chars) + text[i:]
        elif text:
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice(chars) + text[i + 1:]
    return text


def python_verdict(data):
    try:
        ast.parse(data)
        return None
    except SyntaxError as e:
        return (e.lineno or 0, e.msg)
    except (ValueError, MemoryError, RecursionError) as e:
        return (-1, str(e))


def main():
    tool, n, seed, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    sources = []
    for f in files:
        text = open(f, encoding="utf-8").read()
        sources.append((f, text, tokens_of(text), sorted(set(text)) + SPECIALS))
    mutants = []
    while len(mutants) < n:
        f, text, toks, chars = rng.choice(sources)
        m = mutate(rng, text, toks, chars)
        if "\x00" in m:
            continue
        mutants.append(m.encode("utf-8", "surrogatepass"))
    proc = subprocess.Popen([tool], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    payload = b"".join(b"%d\n" % len(m) + m for m in mutants)
    out, _ = proc.communicate(payload)
    ours = out.decode("utf-8", "replace").splitlines()
    if len(ours) != len(mutants):
        print("syntax_diff: the tool answered %d of %d inputs" % (len(ours), len(mutants)))
        return 1
    bad = rejected = 0
    for m, o in zip(mutants, ours):
        py = python_verdict(m)
        if py is not None:
            rejected += 1
        if py is None and o == "OK":
            continue
        if py is not None and o.startswith("ERR "):
            parts = o.split(" ", 3)
            if int(parts[1]) == py[0] or py[0] < 0:
                continue
        bad += 1
        if bad <= 20:
            print("---- disagreement %d: python %s, schemerge %s" % (bad, py, o))
            print(m.decode("utf-8", "replace"))
    print("syntax_diff: %d inputs (%d rejected by Python), %d disagreements" % (len(mutants), rejected, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
