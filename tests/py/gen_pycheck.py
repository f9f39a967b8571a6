#!/usr/bin/env python3
"""Generate src/pycheck_rules.inc from CPython's PEG grammar.

    tests/py/gen_pycheck.py [/usr/src/python3.11/Grammar/python.gram] > src/pycheck_rules.inc

The grammar file ships with Debian's libpython3.11-dev. Each rule becomes one C function
over the token buffer of src/pycheck.c, with the semantics of CPython's own generator
(pegen): ordered choice, memoised rules and left-recursive leaders grown from a seed,
cut, lookaheads, forced tokens, the invalid_ rules of the second pass guarded where pegen
guards them, and an action's NULL ending the rule. Actions are not C here: what matters of
them for a verdict and its location is kept (which AST node kind a rule builds, the
errors the RAISE_* actions raise and where, the checks that can fail: strings, '<>',
complex literals, legacy print), everything else becomes a node spanning the
alternative. The output is committed; run this again only for a new grammar."""
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))


# ------------------------------------------------------------------ reading the grammar

def extract(s):
    """The grammar text with each action replaced by @ACTn@, and the actions."""
    out, acts, i, n = [], [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "#":
            j = s.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "'\"":
            if s.startswith("'''", i):
                i = s.index("'''", i + 3) + 3
                out.append(" ")
                continue
            j = i + 1
            while s[j] != c:
                j += 2 if s[j] == "\\" else 1
            out.append(s[i:j + 1])
            i = j + 1
            continue
        if c == "{":
            d, j = 0, i
            while True:
                ch = s[j]
                if ch in "\"'":
                    j += 1
                    while s[j] != ch:
                        j += 2 if s[j] == "\\" else 1
                elif ch == "{":
                    d += 1
                elif ch == "}":
                    d -= 1
                    if d == 0:
                        break
                j += 1
            acts.append(" ".join(s[i + 1:j].split()))
            out.append(" @ACT%d@ " % (len(acts) - 1))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), acts


TOKEN_RE = re.compile(r"""\s*(?:(@ACT\d+@)|('(?:[^'\\]|\\.)*')|("(?:[^"\\]|\\.)*")|(&&|[()\[\]|*+?.&!~=:])|([A-Za-z_]\w*))""")


def lex(text):
    toks, i = [], 0
    while True:
        m = TOKEN_RE.match(text, i)
        if not m:
            if text[i:].strip():
                raise SyntaxError("cannot lex: " + text[i:i + 40])
            return toks
        i = m.end()
        act, sq, dq, op, name = m.groups()
        if act:
            toks.append(("ACT", int(act[4:-1])))
        elif sq:
            toks.append(("SQ", sq[1:-1]))
        elif dq:
            toks.append(("DQ", dq[1:-1]))
        elif op:
            toks.append(("OP", op))
        else:
            toks.append(("NAME", name))


# AST of the grammar: ("alts", [alt]); alt = (items, action or None);
# item = (varname or None, node); node kinds:
#   ("rule", name) ("tok", NAME) ("kw", 'if') ("soft", "match") ("op", '(')
#   ("opt", node) ("loop0", node) ("loop1", node) ("gather", sep, elem)
#   ("group", alts) ("pos", node) ("neg", node) ("forced", node) ("cut",)

class P:
    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else ("EOF", None)

    def take(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def alts(self, stop):
        alts = []
        if self.peek() == ("OP", "|"):
            self.take()
        while True:
            alts.append(self.alt(stop))
            if self.peek() == ("OP", "|"):
                self.take()
                continue
            return alts

    def alt(self, stop):
        items, action = [], None
        while True:
            k = self.peek()
            if k[0] == "EOF" or k in stop or k == ("OP", "|"):
                break
            if k[0] == "ACT":
                action = self.take()[1]
                break
            items.append(self.item())
        return (items, action)

    def item(self):
        var = None
        if self.peek()[0] == "NAME" and self.peek(1) == ("OP", "="):
            var = self.take()[1]
            self.take()
        k = self.peek()
        if k == ("OP", "&&"):
            self.take()
            return (var, ("forced", self.primary()))
        if k == ("OP", "&"):
            self.take()
            return (var, ("pos", self.primary()))
        if k == ("OP", "!"):
            self.take()
            return (var, ("neg", self.primary()))
        if k == ("OP", "~"):
            self.take()
            return (var, ("cut",))
        node = self.primary()
        k = self.peek()
        if k == ("OP", "."):
            self.take()
            elem = self.primary()
            assert self.take() == ("OP", "+")
            return (var, ("gather", node, elem))
        if k == ("OP", "?"):
            self.take()
            node = ("opt", node)
        elif k == ("OP", "*"):
            self.take()
            node = ("loop0", node)
        elif k == ("OP", "+"):
            self.take()
            node = ("loop1", node)
        return (var, node)

    def primary(self):
        k = self.take()
        if k == ("OP", "("):
            a = self.alts({("OP", ")")})
            assert self.take() == ("OP", ")")
            return ("group", a)
        if k == ("OP", "["):
            a = self.alts({("OP", "]")})
            assert self.take() == ("OP", "]")
            return ("opt", ("group", a))
        if k[0] == "NAME":
            if k[1].isupper():
                return ("tok", k[1])
            return ("rule", k[1])
        if k[0] == "SQ":
            return ("kw", k[1]) if re.fullmatch(r"[A-Za-z_]\w*", k[1]) else ("op", k[1])
        if k[0] == "DQ":
            return ("soft", k[1])
        raise SyntaxError("unexpected %r at %d" % (k, self.i))


def read_grammar(path):
    s = open(path).read()
    s = s[s.index("# STARTING RULES"):] if "# STARTING RULES" in s else s
    text, acts = extract(s)
    # drop C types: rule[type]: and var[type]=
    text = re.sub(r"(\w)\[[\w\s*]+\](?=\s*(?:=|:|\())", r"\1", text)
    rules, memo, order = {}, set(), []
    # split into rules: a rule starts at a line beginning with a name followed by ':' or (memo)
    starts = [m for m in re.finditer(r"^([a-z_]\w*)\s*(\(memo\))?\s*:", text, re.M)]
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        body = text[m.end():end]
        name = m.group(1)
        if m.group(2):
            memo.add(name)
        p = P(lex(body))
        rules[name] = p.alts(set())
        assert p.i == len(p.t), (name, p.t[p.i:])
        order.append(name)
    return rules, memo, order, acts


# ------------------------------------------------------------------ analysis

def nullable_item(node, rules, nullable):
    kind = node[0]
    if kind in ("opt", "loop0", "pos", "neg", "cut"):
        return True
    if kind == "rule":
        return nullable.get(node[1], False)
    if kind == "group":
        return any(all(nullable_item(it[1], rules, nullable) for it in alt[0]) for alt in node[1])
    if kind == "loop1":
        return nullable_item(node[1], rules, nullable)
    return False


def compute_nullable(rules):
    nullable = {}
    changed = True
    while changed:
        changed = False
        for name, alts in rules.items():
            v = any(all(nullable_item(it[1], rules, nullable) for it in alt[0]) for alt in alts)
            if v and not nullable.get(name):
                nullable[name] = True
                changed = True
    return nullable


def first_names(node, rules, nullable, out):
    kind = node[0]
    if kind == "rule":
        out.add(node[1])
    elif kind in ("opt", "loop0", "loop1", "forced"):
        first_names(node[1], rules, nullable, out)
    elif kind == "gather":
        first_names(node[2], rules, nullable, out)
    elif kind == "group":
        for alt in node[1]:
            alt_first(alt, rules, nullable, out)


def alt_first(alt, rules, nullable, out):
    for _, node in alt[0]:
        if node[0] in ("pos", "neg"):
            first_names(node[1], rules, nullable, out)
            continue
        if node[0] == "cut":
            continue
        first_names(node, rules, nullable, out)
        if not nullable_item(node, rules, nullable):
            break


def left_recursion(rules):
    nullable = compute_nullable(rules)
    graph = {}
    for name, alts in rules.items():
        s = set()
        for alt in alts:
            alt_first(alt, rules, nullable, s)
        graph[name] = s & set(rules)
    # Tarjan's SCC
    index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def sc(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                sc(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop()
                on.discard(w)
                c.append(w)
                if w == v:
                    break
            sccs.append(c)
    for v in sorted(graph):
        if v not in index:
            sc(v)
    leaders, lr = set(), set()
    for scc in sccs:
        if len(scc) > 1:
            lr |= set(scc)
            # a leader every cycle goes through; pegen takes the least such name
            cands = set(scc)
            for start in scc:
                for cycle in cycles(graph, set(scc), start):
                    cands -= set(scc) - set(cycle)
            leaders.add(min(cands))
        elif scc[0] in graph[scc[0]]:
            lr.add(scc[0])
            leaders.add(scc[0])
    return leaders, lr


def cycles(graph, scc, start):
    """Every simple cycle from start back to it within scc (small SCCs only)."""
    out = []

    def walk(v, path):
        for w in graph[v]:
            if w not in scc:
                continue
            if w == start:
                out.append(path[:])
            elif w not in path:
                path.append(w)
                walk(w, path)
                path.pop()
    walk(start, [start])
    return out


# ------------------------------------------------------------------ actions

def split_top(s, sep):
    """Split s at top-level occurrences of the one-character sep."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(s):
        c = s[i]
        if c == '"':
            j = i + 1
            while s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            cur.append(s[i:j + 1])
            i = j + 1
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def strip_parens(s):
    s = s.strip()
    while s.startswith("(") and s.endswith(")"):
        depth = 0
        for i, c in enumerate(s):
            depth += c == "("
            depth -= c == ")"
            if depth == 0 and i < len(s) - 1:
                return s
        s = s[1:-1].strip()
    return s


def call_parts(s):
    m = re.match(r"(\w+)\s*\((.*)\)$", s, re.S)
    if not m:
        return None, None
    return m.group(1), split_top(m.group(2), ",")


def ternary(s):
    """(cond, a, b) for a top-level 'cond ? a : b', else None."""
    depth, i = 0, 0
    q = -1
    while i < len(s):
        c = s[i]
        if c == '"':
            i += 1
            while s[i] != '"':
                i += 2 if s[i] == "\\" else 1
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "?" and depth == 0 and q < 0:
            q = i
        elif c == ":" and depth == 0 and q >= 0:
            # the matching ':' of the first '?': count nested ternaries
            inner = s[q + 1:i]
            if count_top(inner, "?") == count_top(inner, ":"):
                return s[:q].strip(), s[q + 1:i].strip(), s[i + 1:].strip()
        i += 1
    return None


def count_top(s, ch):
    """Occurrences of ch in s outside strings and brackets."""
    depth = n = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == '"':
            i += 1
            while s[i] != '"':
                i += 2 if s[i] == "\\" else 1
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == ch and depth == 0:
            n += 1
        i += 1
    return n


class Act:
    """Translates one action into C over the variables of its alternative."""

    def __init__(self, names, alt_start="_mark"):
        self.names = names

    def loc(self, e):
        e = strip_parens(e)
        if e in self.names:
            return self.names[e]
        fn, args = call_parts(e)
        if fn == "PyPegen_first_item":
            return "pg_first_kid(%s)" % self.loc(args[0])
        if fn == "PyPegen_last_item":
            return "pg_last_kid(%s)" % self.loc(args[0])
        if fn == "_PyPegen_get_last_comprehension_item":
            return "pg_last_leaf(%s)" % self.loc(args[0])
        raise ValueError("location " + e)

    def msg_arg(self, e):
        e = strip_parens(e)
        m = re.fullmatch(r"(\w+)->lineno", e)
        if m:
            return "PG_ARG_LINE(%s)" % self.names[m.group(1)]
        fn, args = call_parts(e)
        if fn == "_PyPegen_get_expr_name":
            return "PG_ARG_TEXT(pg_expr_name(%s))" % self.loc(args[0])
        if fn == "PyBytes_AS_STRING":
            return "PG_ARG_TEXT(pg_node_text(p, %s))" % self.names[args[0].split("->")[0]]
        m = re.fullmatch(r"(\w+)->v\.Name\.id", e)
        if m:
            return "PG_ARG_TEXT(pg_node_text(p, %s))" % self.names[m.group(1)]
        raise ValueError("message argument " + e)

    def fmt(self, args):
        f = args[0]
        assert f.startswith('"'), args
        f = f.replace("%U", "%s")
        rest = [self.msg_arg(a) for a in args[1:]]
        return f, rest

    def raise_(self, fn, args):
        if fn == "RAISE_SYNTAX_ERROR":
            f, rest = self.fmt(args)
            return "pg_raise(p, PG_SYNTAX, NULL, %s%s)" % (f, "".join(", " + r for r in rest))
        if fn == "RAISE_INDENTATION_ERROR":
            f, rest = self.fmt(args)
            return "pg_raise(p, PG_INDENT, NULL, %s%s)" % (f, "".join(", " + r for r in rest))
        if fn in ("RAISE_SYNTAX_ERROR_KNOWN_LOCATION", "RAISE_SYNTAX_ERROR_STARTING_FROM"):
            f, rest = self.fmt(args[1:])
            return "pg_raise(p, PG_SYNTAX, %s, %s%s)" % (self.loc(args[0]), f, "".join(", " + r for r in rest))
        if fn == "RAISE_SYNTAX_ERROR_KNOWN_RANGE":
            f, rest = self.fmt(args[2:])
            return "pg_raise(p, PG_SYNTAX, %s, %s%s)" % (self.loc(args[0]), f, "".join(", " + r for r in rest))
        if fn == "RAISE_ERROR_KNOWN_LOCATION":
            # (p, PyExc_SyntaxError, a->lineno, col, end_lineno, end_col, msg)
            node = args[2].split("->")[0]
            f, rest = self.fmt(args[6:])
            return "pg_raise(p, PG_SYNTAX, %s, %s%s)" % (self.names[node], f, "".join(", " + r for r in rest))
        if fn == "RAISE_SYNTAX_ERROR_INVALID_TARGET":
            return "pg_raise_invalid_target(p, PG_%s, %s)" % (args[0], self.loc(args[1]))
        raise ValueError(fn)

    def cond(self, c):
        c = strip_parens(c)
        fn, args = call_parts(c)
        if fn == "_PyPegen_check_legacy_stmt":
            return "pg_is_legacy(p, %s)" % self.names[args[1]]
        if fn == "_PyPegen_check_barry_as_flufl":
            return "pg_is_not_noteq(p, %s)" % self.names[args[1]]
        if re.fullmatch(r"p->tokens\[p->mark ?- ?1\]->level == 0", c):
            return "(pg_token_level(p, p->mark - 1) == 0)"
        return None

    def expr(self, e, span):
        e = strip_parens(e)
        t = ternary(e)
        if t:
            c = self.cond(t[0])
            if c is not None:
                return "(%s ? %s : %s)" % (c, self.expr(t[1], span), self.expr(t[2], span))
            return self.build(e, span)
        if e == "NULL":
            return "NULL"
        if e in self.names:
            return self.names[e]
        fn, args = call_parts(e)
        if fn and fn.startswith("RAISE_"):
            return self.raise_(fn, args)
        if fn == "CHECK_VERSION":
            return self.expr(",".join(args[3:]), span)
        if fn in ("_PyPegen_ensure_real", "_PyPegen_ensure_imaginary"):
            return "pg_%s(p, %s)" % (fn[len("_PyPegen_"):], self.names[args[1]])
        if fn == "_PyPegen_concatenate_strings":
            return "pg_strings(p, %s, %s)" % (self.names[args[1]], span)
        if fn == "_PyPegen_arguments_parsing_error":
            return "pg_arguments_error(p, %s)" % self.names[args[1]]
        if fn == "_PyPegen_nonparen_genexp_in_call":
            return "pg_genexp_error(p, %s, %s)" % (self.names[args[1]], self.names[args[2]])
        if fn == "_PyPegen_set_expr_context" and args[1] in self.names:
            return self.names[args[1]]
        return self.build(e, span)

    def build(self, e, span):
        m = re.search(r"_PyAST_(\w+)\(", e)
        kind = m.group(1) if m else None
        m = re.search(r"_PyPegen_cmpop_expr_pair\(p, (\w+),", e)
        if m:
            kind = "cmp_" + m.group(1)
        if kind is None:
            kind = "Seq"
        # the children: every variable the action names, in the order written
        used = []
        for v in re.findall(r"\b([a-z_]\w*)\b", e):
            if v in self.names and self.names[v] not in used:
                used.append(self.names[v])
        kids = ", ".join(used)
        return "pg_build(p, PGK_%s, %s, %d%s)" % (kind, span, len(used), (", " + kids) if kids else "")


# ------------------------------------------------------------------ C generation

class Gen:
    def __init__(self, rules, memo, order, acts):
        self.rules, self.memo, self.order, self.acts = rules, memo, order, acts
        self.leaders, self.lr = left_recursion(rules)
        self.helpers = []       # (name, alts) for groups and loops
        self.out = []
        self.kinds = set(["Seq", "Token", "Name", "Constant", "JoinedStr", "keyword"])
        self.ids = {}
        self.nhelper = 0

    def rule_id(self, name):
        if name not in self.ids:
            self.ids[name] = len(self.ids)
        return self.ids[name]

    def helper(self, prefix, node):
        self.nhelper += 1
        name = "_%s_%d" % (prefix, self.nhelper)
        self.helpers.append((name, node))
        return name

    # an expression (C) that calls/matches node; sets p->mark; NULL = failure
    def call(self, node):
        k = node[0]
        if k == "rule":
            return "r_%s(p)" % node[1]
        if k == "tok":
            return "pg_expect_type(p, PGT_%s)" % node[1]
        if k == "kw":
            return 'pg_expect_keyword(p, "%s")' % node[1]
        if k == "soft":
            return 'pg_expect_soft(p, "%s")' % node[1]
        if k == "op":
            return 'pg_expect_op(p, "%s")' % node[1]
        if k == "group":
            alts = node[1]
            if len(alts) == 1 and len(alts[0][0]) == 1 and alts[0][1] is None and alts[0][0][0][0] is None:
                return self.call(alts[0][0][0][1])
            return "%s(p)" % self.helper("tmp", ("group", alts))
        if k in ("loop0", "loop1", "gather"):
            return "%s(p)" % self.helper(k, node)
        if k == "opt":
            return self.call(node[1])
        raise ValueError(node)

    def emit_alt(self, rulename, alt, guard):
        items, action = alt
        o = self.out
        names = {}
        conds = []
        decls = []
        for idx, (var, node) in enumerate(items):
            cvar = "_v%d" % idx
            k = node[0]
            if k == "cut":
                conds.append("(_cut = 1)")
                continue
            decls.append(cvar)
            if var:
                names[var] = cvar
            if k == "opt":
                conds.append("((%s = %s), !p->error)" % (cvar, self.call(node[1])))
            elif k == "pos":
                conds.append("(%s = pg_lookahead(p, 1, %s))" % (cvar, self.lookahead_fn(node[1])))
            elif k == "neg":
                conds.append("(%s = pg_lookahead(p, 0, %s))" % (cvar, self.lookahead_fn(node[1])))
            elif k == "forced":
                inner = node[1]
                assert inner[0] == "op", inner
                conds.append('(%s = pg_expect_forced(p, "%s"))' % (cvar, inner[1]))
            else:
                conds.append("(%s = %s)" % (cvar, self.call(node)))
        span = "_mark"
        if action is None:
            real = [d for (v, n), d in zip([it for it in items if it[1][0] != "cut"], decls)
                    if n[0] not in ("pos", "neg")]
            if len(items) == 1:
                res = decls[0] if decls else "pg_dummy(p)"
            else:
                res = "pg_build(p, PGK_Seq, _mark, %d%s)" % (len(real), "".join(", " + r for r in real))
        else:
            a = Act(names)
            res = a.expr(self.acts[action], span)
            for kind in re.findall(r"PGK_(\w+)", res):
                self.kinds.add(kind)
        o.append("    %s{" % ("if (p->call_invalid_rules) " if guard else ""))
        o.append("        if (p->error) { p->level--; return NULL; }")
        if decls:
            o.append("        pg_node *%s;" % ", *".join(decls))
            o.append("        (void)%s;" % ", (void)".join(decls))
        o.append("        int _cut = 0; (void)_cut;")
        o.append("        if (%s) {" % ("\n            && ".join(conds) if conds else "1"))
        o.append("            _res = %s;" % res)
        o.append("            if (_res == NULL && p->error) { p->level--; return NULL; }")
        o.append("            goto done;")
        o.append("        }")
        o.append("        p->mark = _mark;")
        o.append("        if (_cut) { p->level--; return NULL; }")
        o.append("    }")

    def lookahead_fn(self, node):
        k = node[0]
        if k == "rule":
            return "r_" + node[1]
        name = self.helper("look", ("group", [([(None, node)], None)]))
        return name

    def emit_rule_body(self, name, alts):
        for alt in alts:
            items = alt[0]
            guard = len(items) == 1 and items[0][1][0] == "rule" and items[0][1][1].startswith("invalid_")
            self.emit_alt(name, alt, guard)

    def emit_rule(self, name, alts, cname=None):
        o = self.out
        rid = self.rule_id(name)
        fn = cname or "r_" + name
        if name in self.leaders:
            o.append("static pg_node *r_%s_raw(pg_parser *p);" % name)
            o.append("static pg_node *r_%s(pg_parser *p)" % name)
            o.append("{")
            o.append("    if (p->error) return NULL;")
            o.append("    pg_node *_res = NULL;")
            o.append("    if (pg_memo_get(p, %d, &_res)) return _res;" % rid)
            o.append("    int _mark = p->mark, _resmark = p->mark;")
            o.append("    for (;;) {")
            o.append("        pg_memo_put(p, _mark, %d, _res);" % rid)
            o.append("        p->mark = _mark;")
            o.append("        pg_node *_raw = r_%s_raw(p);" % name)
            o.append("        if (p->error) return NULL;")
            o.append("        if (_raw == NULL || p->mark <= _resmark) break;")
            o.append("        _resmark = p->mark;")
            o.append("        _res = _raw;")
            o.append("    }")
            o.append("    p->mark = _resmark;")
            o.append("    return _res;")
            o.append("}")
            o.append("static pg_node *r_%s_raw(pg_parser *p)" % name)
            memo = False
        else:
            o.append("static pg_node *%s(pg_parser *p)" % fn)
            memo = name in self.memo
        o.append("{")
        o.append("    if (p->error) return NULL;")
        o.append("    if (++p->level > PG_MAXSTACK) { pg_too_deep(p); p->level--; return NULL; }")
        o.append("    pg_node *_res = NULL;")
        if name.endswith("without_invalid"):
            # as pegen: no invalid_ rule below this one
            o.append("    bool _prev_invalid = p->call_invalid_rules;")
            o.append("    p->call_invalid_rules = false;")
            self.restore_invalid = True
        else:
            self.restore_invalid = False
        if memo:
            o.append("    if (pg_memo_get(p, %d, &_res)) { p->level--; return _res; }" % rid)
        o.append("    int _mark = p->mark;")
        restore = self.restore_invalid
        self.emit_rule_body(name, alts)
        o.append("    _res = NULL;")
        o.append("done:")
        if restore:
            o.append("    p->call_invalid_rules = _prev_invalid;")
        if memo:
            o.append("    pg_memo_put(p, _mark, %d, _res);" % rid)
        o.append("    p->level--;")
        o.append("    return _res;")
        o.append("}")
        o.append("")

    def emit_helper(self, name, node):
        o = self.out
        k = node[0]
        if k == "group":
            self.emit_rule(name, node[1], name)
            return
        o.append("static pg_node *%s(pg_parser *p)" % name)
        o.append("{")
        o.append("    if (p->error) return NULL;")
        o.append("    if (++p->level > PG_MAXSTACK) { pg_too_deep(p); p->level--; return NULL; }")
        o.append("    int _mark = p->mark;")
        o.append("    pg_node *_seq = pg_seq_new(p, _mark);")
        if k in ("loop0", "loop1"):
            o.append("    pg_node *_e;")
            o.append("    while ((_e = %s)) {" % self.call(node[1]))
            o.append("        pg_seq_add(p, _seq, _e);")
            o.append("        _mark = p->mark;")
            o.append("    }")
            o.append("    p->mark = _mark;")
            o.append("    if (p->error) { p->level--; return NULL; }")
            if k == "loop1":
                o.append("    if (_seq->nkids == 0) { p->level--; return NULL; }")
        else:  # gather: elem (sep elem)*
            sep, elem = node[1], node[2]
            o.append("    pg_node *_e = %s;" % self.call(elem))
            o.append("    if (!_e) { p->mark = _mark; p->level--; return NULL; }")
            o.append("    pg_seq_add(p, _seq, _e);")
            o.append("    _mark = p->mark;")
            o.append("    while (%s && (_e = %s)) {" % (self.call(sep), self.call(elem)))
            o.append("        pg_seq_add(p, _seq, _e);")
            o.append("        _mark = p->mark;")
            o.append("    }")
            o.append("    p->mark = _mark;")
            o.append("    if (p->error) { p->level--; return NULL; }")
        o.append("    p->level--;")
        o.append("    return _seq;")
        o.append("}")
        o.append("")

    def reachable(self, roots):
        seen, todo = set(), list(roots)

        def walk(node):
            k = node[0]
            if k == "rule":
                if node[1] not in seen:
                    todo.append(node[1])
            elif k in ("opt", "loop0", "loop1", "pos", "neg", "forced"):
                walk(node[1])
            elif k == "gather":
                walk(node[1])
                walk(node[2])
            elif k == "group":
                for items, _ in node[1]:
                    for _, n in items:
                        walk(n)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            walk(("group", self.rules[name]))
        return seen

    def run(self):
        # what a file and an f-string expression reach (not the interactive, eval and
        # func_type start rules)
        keep = self.reachable(["statement", "fstring"])
        self.order = [n for n in self.order if n in keep]
        for name in self.order:
            self.rule_id(name)
        for name in self.order:
            self.emit_rule(name, self.rules[name])
        i = 0
        while i < len(self.helpers):  # helpers may add helpers
            name, node = self.helpers[i]
            self.emit_helper(name, node)
            i += 1
        head = ["/* pycheck_rules.inc: GENERATED by tests/py/gen_pycheck.py from CPython 3.11's",
                " * Grammar/python.gram; do not edit. Included twice by src/pycheck.c: with",
                " * PG_RULES_HEAD defined for the node kinds, then for the rules. */", "",
                "#ifdef PG_RULES_HEAD"]
        head.append("enum pg_kind {")
        for k in sorted(self.kinds):
            head.append("    PGK_%s," % k)
        head.append("    PGK_COUNT")
        head.append("};")
        head.append("static const char *const pg_kind_names[PGK_COUNT] = {")
        for k in sorted(self.kinds):
            head.append('    [PGK_%s] = "%s",' % (k, k))
        head.append("};")
        head.append("#define PG_NRULES %d" % len(self.ids))
        head.append("#else")
        decls = ["static pg_node *r_%s(pg_parser *p);" % n for n in self.order]
        decls += ["static pg_node *%s(pg_parser *p);" % n for n, _ in self.helpers]
        return "\n".join(head + decls + [""] + self.out + ["#endif"]) + "\n"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/usr/src/python3.11/Grammar/python.gram"
    rules, memo, order, acts = read_grammar(path)
    sys.stdout.write(Gen(rules, memo, order, acts).run())


if __name__ == "__main__":
    main()
