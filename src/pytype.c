/* pytype.c: annotation text -> normalised type tree, comparison, rendering.
 *
 * A small recursive-descent parser over the expression subset that annotations use:
 * dotted names, subscripts with comma lists, "|", None, "...", quoted forward references
 * (parsed again, recursively) and constants inside Literal[...]. It does not evaluate
 * anything and knows no imports: "ProjectStatus" is just a name. Nesting is limited to
 * PYTYPE_MAX_DEPTH so hostile input ends in ERR_PARSE, never in a stack overflow. */
#include "config.h"
#include "pytype.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "pyparse.h"
#include "strbuf.h"
#include "xalloc.h"

#define PYTYPE_MAX_DEPTH 64

/* ------------------------------------------------------------------ constructors */

static pytype *node_new(pytype_kind kind, const char *name)
{
    pytype *t = xcalloc(1, sizeof *t);
    t->kind = kind;
    t->name = xstrdup(name);
    return t;
}

pytype *pytype_name(const char *name)
{
    return node_new(PYTYPE_NAME, name);
}

pytype *pytype_none(void)
{
    return node_new(PYTYPE_NONE, NULL);
}

static void add_arg(pytype *t, pytype *arg)
{
    t->args = xrealloc(t->args, (t->nargs + 1) * sizeof *t->args);
    t->args[t->nargs++] = arg;
}

pytype *pytype_generic(const char *name, pytype **args, size_t nargs)
{
    pytype *t = node_new(PYTYPE_GENERIC, name);
    for (size_t i = 0; i < nargs; i++)
        add_arg(t, args[i]);
    return t;
}

void pytype_free(pytype *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nargs; i++)
        pytype_free(t->args[i]);
    free(t->args);
    free(t->name);
    free(t);
}

pytype *pytype_dup(const pytype *t)
{
    if (!t)
        return NULL;
    pytype *c = node_new(t->kind, t->name);
    for (size_t i = 0; i < t->nargs; i++)
        add_arg(c, pytype_dup(t->args[i]));
    return c;
}

/* ------------------------------------------------------------------ order and unions */

static int kind_rank(pytype_kind k)
{
    /* None sorts last so that "str | None" is the natural reading order */
    switch (k) {
    case PYTYPE_NAME: return 0;
    case PYTYPE_GENERIC: return 1;
    case PYTYPE_LITERAL: return 2;
    case PYTYPE_UNION: return 3;
    case PYTYPE_NONE: return 4;
    }
    return 5;
}

static int pytype_cmp(const pytype *a, const pytype *b)
{
    int d = kind_rank(a->kind) - kind_rank(b->kind);
    if (d)
        return d;
    d = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    if (d)
        return d;
    for (size_t i = 0; i < a->nargs && i < b->nargs; i++) {
        d = pytype_cmp(a->args[i], b->args[i]);
        if (d)
            return d;
    }
    return (a->nargs > b->nargs) - (a->nargs < b->nargs);
}

static int cmp_ptr(const void *x, const void *y)
{
    return pytype_cmp(*(pytype *const *)x, *(pytype *const *)y);
}

/* Make a union of members (taking them): flatten nested unions, sort, drop duplicates;
 * one member is returned as itself. */
static pytype *union_make(pytype **members, size_t n)
{
    pytype *u = node_new(PYTYPE_UNION, NULL);

    for (size_t i = 0; i < n; i++) {
        if (members[i]->kind == PYTYPE_UNION) {
            for (size_t j = 0; j < members[i]->nargs; j++)
                add_arg(u, members[i]->args[j]);
            members[i]->nargs = 0;
            pytype_free(members[i]);
        } else {
            add_arg(u, members[i]);
        }
    }
    if (u->nargs > 1)
        qsort(u->args, u->nargs, sizeof *u->args, cmp_ptr);
    size_t k = 0;
    for (size_t i = 0; i < u->nargs; i++) {
        if (k > 0 && pytype_cmp(u->args[k - 1], u->args[i]) == 0)
            pytype_free(u->args[i]);
        else
            u->args[k++] = u->args[i];
    }
    u->nargs = k;
    if (u->nargs == 1) {
        pytype *only = u->args[0];
        u->nargs = 0;
        pytype_free(u);
        return only;
    }
    return u;
}

pytype *pytype_optional(pytype *t)
{
    pytype *m[2] = { t, pytype_none() };
    return union_make(m, 2);
}

bool pytype_equal(const pytype *a, const pytype *b)
{
    if (!a || !b)
        return a == b;
    return pytype_cmp(a, b) == 0;
}

bool pytype_is_nullable(const pytype *t)
{
    if (t->kind == PYTYPE_NONE)
        return true;
    if (t->kind == PYTYPE_NAME && strcmp(t->name, "Any") == 0)
        return true;
    if (t->kind == PYTYPE_UNION)
        for (size_t i = 0; i < t->nargs; i++)
            if (pytype_is_nullable(t->args[i]))
                return true;
    return false;
}

pytype *pytype_strip_none(const pytype *t)
{
    if (t->kind != PYTYPE_UNION)
        return pytype_dup(t);
    pytype **m = xmalloc(t->nargs * sizeof *m);
    size_t n = 0;
    for (size_t i = 0; i < t->nargs; i++)
        if (t->args[i]->kind != PYTYPE_NONE)
            m[n++] = pytype_dup(t->args[i]);
    pytype *r = n ? union_make(m, n) : pytype_none();
    free(m);
    return r;
}

/* ------------------------------------------------------------------ normalisation */

static const struct {
    const char *from, *to;
} builtin_aliases[] = {
    { "List", "list" },   { "Dict", "dict" },           { "Set", "set" },
    { "Tuple", "tuple" }, { "FrozenSet", "frozenset" }, { "Type", "type" },
    { "Text", "str" },
};

static const char *const transparent[] = {
    "NotRequired", "Required", "ReadOnly", "Final", "Annotated",
};

/* "typing.List" -> "list", "t.Optional" -> "Optional". Returns a new string. */
static char *normalise_name(const char *name)
{
    static const char *const qualifiers[] = { "typing.", "typing_extensions.", "t." };
    for (size_t i = 0; i < sizeof qualifiers / sizeof qualifiers[0]; i++) {
        size_t n = strlen(qualifiers[i]);
        if (strncmp(name, qualifiers[i], n) == 0 && name[n] && !strchr(name + n, '.')) {
            name += n;
            break;
        }
    }
    for (size_t i = 0; i < sizeof builtin_aliases / sizeof builtin_aliases[0]; i++)
        if (strcmp(name, builtin_aliases[i].from) == 0)
            return xstrdup(builtin_aliases[i].to);
    return xstrdup(name);
}

static bool is_transparent(const char *name)
{
    for (size_t i = 0; i < sizeof transparent / sizeof transparent[0]; i++)
        if (strcmp(name, transparent[i]) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ the parser */

typedef struct parser {
    const char *src;   /* the whole text (for error columns) */
    const char *p;
    const char *end;
    sm_error *err;
    const char *what;  /* the original annotation, for messages */
} parser;

static int parse_error(parser *ps, const char *problem)
{
    return sm_error_set(ps->err, ERR_PARSE, NULL, "cannot parse annotation \"%.200s\": %s at column %d",
                        ps->what, problem, (int)(ps->p - ps->src) + 1);
}

static void skip_ws(parser *ps)
{
    /* annotations may span lines inside brackets; a backslash continuation is blank too */
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            ps->p++;
        else if (c == '\\' && ps->p + 1 < ps->end && (ps->p[1] == '\n' || ps->p[1] == '\r'))
            ps->p += 2;
        else
            break;
    }
}

static bool at(parser *ps, char c)
{
    skip_ws(ps);
    return ps->p < ps->end && *ps->p == c;
}

static bool is_name_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

/* A Python string literal at ps->p: prefix letters, quotes (single or triple), escapes.
 * *out gets the decoded value, by the one decoder of Python literals (py_string_decode).
 * Bytes and f-string literals are refused. */
static int parse_string_literal(parser *ps, char **out)
{
    const char *start = ps->p, *p = ps->p;
    while (p < ps->end && isalpha((unsigned char)*p)) {
        char c = (char)tolower((unsigned char)*p);
        if (c != 'r' && c != 'u')
            return parse_error(ps, "unsupported string prefix");
        p++;
    }
    if (p >= ps->end || (*p != '"' && *p != '\''))
        return parse_error(ps, "expected a string");
    char q = *p;
    bool triple = p + 2 < ps->end && p[1] == q && p[2] == q;
    p += triple ? 3 : 1;
    for (;;) {
        if (p >= ps->end || (!triple && (*p == '\n' || *p == '\r'))) {
            ps->p = p;
            return parse_error(ps, "unterminated string");
        }
        if (*p == '\\' && p + 1 < ps->end) {
            p += 2;
            continue;
        }
        if (*p == q && (!triple || (p + 2 < ps->end && p[1] == q && p[2] == q))) {
            p += triple ? 3 : 1;
            break;
        }
        p++;
    }
    char *value = py_string_decode(start, (size_t)(p - start));
    if (!value) {
        ps->p = start;
        return parse_error(ps, "bad string literal");
    }
    ps->p = p;
    *out = value;
    return 0;
}

static int parse_expr(parser *ps, pytype **out, int depth, bool in_literal);
static int parse_text(pytype **out, const char *text, size_t len, const char *what, int depth,
                      sm_error *err);

/* Comma-separated expressions up to the closing bracket `close`; a trailing comma is
 * fine. Appends to t. */
static int parse_list(parser *ps, pytype *t, char close, int depth, bool in_literal)
{
    int error;
    if (at(ps, close)) {
        ps->p++;
        return 0;
    }
    for (;;) {
        pytype *arg = NULL;
        if ((error = parse_expr(ps, &arg, depth + 1, in_literal)) < 0)
            return error;
        add_arg(t, arg);
        if (at(ps, ',')) {
            ps->p++;
            if (at(ps, close)) {
                ps->p++;
                return 0;
            }
            continue;
        }
        if (at(ps, close)) {
            ps->p++;
            return 0;
        }
        return parse_error(ps, ps->p < ps->end ? "expected ',' or a closing bracket"
                                               : "missing closing bracket");
    }
}

/* A constant (inside Literal[...]): number, string, True/False/None, dotted name,
 * a negative number. */
static int parse_constant(parser *ps, pytype **out)
{
    const char *start = ps->p;
    if (*ps->p == '-' || *ps->p == '+' || isdigit((unsigned char)*ps->p)) {
        const char *p = ps->p + 1;
        while (p < ps->end && (isalnum((unsigned char)*p) || *p == '.' || *p == '_' ||
                               ((*p == '-' || *p == '+') && (p[-1] == 'e' || p[-1] == 'E'))))
            p++;
        if (p == start + 1 && !isdigit((unsigned char)*start))
            return parse_error(ps, "expected a number");
        ps->p = p;
        char *text = xstrndup(start, (size_t)(p - start));
        *out = node_new(PYTYPE_LITERAL, text);
        free(text);
        return 0;
    }
    if (*ps->p == '"' || *ps->p == '\'' ||
        ((*ps->p == 'r' || *ps->p == 'R' || *ps->p == 'u' || *ps->p == 'U') && ps->p + 1 < ps->end &&
         (ps->p[1] == '"' || ps->p[1] == '\''))) {
        char *value = NULL;
        int error = parse_string_literal(ps, &value);
        if (error < 0)
            return error;
        /* 'a' and "a" are the same literal: keep one canonical spelling */
        char *canon = naming_py_string(value, '\'');
        *out = node_new(PYTYPE_LITERAL, canon);
        free(canon);
        free(value);
        return 0;
    }
    return parse_error(ps, "expected a constant");
}

static int parse_primary(parser *ps, pytype **out, int depth, bool in_literal)
{
    int error;
    pytype *t = NULL;

    if (depth > PYTYPE_MAX_DEPTH)
        return parse_error(ps, "nested too deeply");
    skip_ws(ps);
    if (ps->p >= ps->end)
        return parse_error(ps, "unexpected end");

    unsigned char c = (unsigned char)*ps->p;
    bool string_start = c == '"' || c == '\'' ||
                        ((c == 'r' || c == 'R' || c == 'u' || c == 'U') && ps->p + 1 < ps->end &&
                         (ps->p[1] == '"' || ps->p[1] == '\''));

    if (in_literal && (string_start || isdigit(c) || c == '-' || c == '+'))
        return parse_constant(ps, out);

    if (string_start) {
        /* a forward reference: the string holds an annotation of its own */
        char *inner = NULL;
        const char *at_str = ps->p;
        if ((error = parse_string_literal(ps, &inner)) < 0)
            return error;
        error = parse_text(out, inner, strlen(inner), inner, depth + 1, ps->err);
        free(inner);
        if (error < 0) {
            ps->p = at_str;
            return error;
        }
        return 0;
    }
    if (c == '.' && ps->p + 2 < ps->end && ps->p[1] == '.' && ps->p[2] == '.') {
        ps->p += 3;
        *out = pytype_name("...");
        return 0;
    }
    if (c == '[') {
        /* a bare list of types, as in Callable[[int, str], bool]: a generic named "" */
        ps->p++;
        t = node_new(PYTYPE_GENERIC, "");
        if ((error = parse_list(ps, t, ']', depth, in_literal)) < 0) {
            pytype_free(t);
            return error;
        }
        *out = t;
        return 0;
    }
    if (c == '(') {
        ps->p++;
        if ((error = parse_expr(ps, &t, depth + 1, in_literal)) < 0)
            return error;
        if (!at(ps, ')')) {
            pytype_free(t);
            return parse_error(ps, "expected ')'");
        }
        ps->p++;
        *out = t;
        return 0;
    }
    if (!is_name_start(c) && !(in_literal && isdigit(c)))
        return parse_error(ps, "expected a type");

    /* dotted name */
    const char *start = ps->p;
    for (;;) {
        if (ps->p >= ps->end || !is_name_start((unsigned char)*ps->p))
            return parse_error(ps, "expected a name");
        while (ps->p < ps->end && is_name_char((unsigned char)*ps->p))
            ps->p++;
        if (ps->p < ps->end && *ps->p == '.' && ps->p + 1 < ps->end &&
            is_name_start((unsigned char)ps->p[1])) {
            ps->p++;
            continue;
        }
        break;
    }
    char *raw = xstrndup(start, (size_t)(ps->p - start));
    char *name = normalise_name(raw);
    free(raw);

    if (!at(ps, '[')) {
        if (strcmp(name, "None") == 0)
            t = pytype_none();
        else if (in_literal)
            t = node_new(PYTYPE_LITERAL, name);   /* True, False, Color.RED */
        else
            t = pytype_name(name);
        free(name);
        *out = t;
        return 0;
    }
    ps->p++;

    bool literal = strcmp(name, "Literal") == 0;
    bool annotated = strcmp(name, "Annotated") == 0;
    t = node_new(PYTYPE_GENERIC, name);
    free(name);
    if (annotated) {
        /* Annotated[X, metadata...]: only X matters; the metadata may be any expression
         * (calls, keywords), so skip it by bracket matching instead of parsing it */
        pytype *x = NULL;
        if ((error = parse_expr(ps, &x, depth + 1, false)) < 0)
            goto fail;
        int level = 0;
        char quote = 0;
        while (ps->p < ps->end) {
            char ch = *ps->p;
            if (quote) {
                if (ch == '\\')
                    ps->p++;
                else if (ch == quote)
                    quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '[' || ch == '(' || ch == '{') {
                level++;
            } else if (ch == ']' || ch == ')' || ch == '}') {
                if (level == 0)
                    break;
                level--;
            }
            ps->p++;
        }
        if (ps->p >= ps->end || *ps->p != ']') {
            pytype_free(x);
            error = parse_error(ps, "missing closing bracket");
            goto fail;
        }
        ps->p++;
        pytype_free(t);
        *out = x;
        return 0;
    }
    if ((error = parse_list(ps, t, ']', depth, literal)) < 0)
        goto fail;
    if (t->nargs == 0) {
        error = parse_error(ps, "empty subscript");
        goto fail;
    }

    if (is_transparent(t->name)) {
        if (t->nargs != 1 && strcmp(t->name, "Final") != 0) {
            error = parse_error(ps, "expected one type argument");
            goto fail;
        }
        pytype *x = t->args[0];
        for (size_t i = 1; i < t->nargs; i++)
            pytype_free(t->args[i]);
        t->nargs = 0;
        pytype_free(t);
        *out = x;
        return 0;
    }
    if (strcmp(t->name, "Optional") == 0) {
        if (t->nargs != 1) {
            error = parse_error(ps, "Optional takes one type argument");
            goto fail;
        }
        pytype *x = t->args[0];
        t->nargs = 0;
        pytype_free(t);
        *out = pytype_optional(x);
        return 0;
    }
    if (strcmp(t->name, "Union") == 0) {
        pytype *u = union_make(t->args, t->nargs);
        t->nargs = 0;
        pytype_free(t);
        *out = u;
        return 0;
    }
    *out = t;
    return 0;

fail:
    pytype_free(t);
    return error;
}

static int parse_expr(parser *ps, pytype **out, int depth, bool in_literal)
{
    pytype *first = NULL;
    int error;

    if ((error = parse_primary(ps, &first, depth, in_literal)) < 0)
        return error;
    if (in_literal || !at(ps, '|')) {
        *out = first;
        return 0;
    }
    pytype **members = NULL;
    size_t n = 0, cap = 0;
    *XPUSH(members, n, cap) = first;
    while (at(ps, '|')) {
        ps->p++;
        pytype *next = NULL;
        if ((error = parse_primary(ps, &next, depth, false)) < 0) {
            for (size_t i = 0; i < n; i++)
                pytype_free(members[i]);
            free(members);
            return error;
        }
        *XPUSH(members, n, cap) = next;
    }
    *out = union_make(members, n);
    free(members);
    return 0;
}

static int parse_text(pytype **out, const char *text, size_t len, const char *what, int depth,
                      sm_error *err)
{
    parser ps = { text, text, text + len, err, what };
    pytype *t = NULL;
    int error;

    if (depth > PYTYPE_MAX_DEPTH)
        return parse_error(&ps, "nested too deeply");
    if ((error = parse_expr(&ps, &t, depth, false)) < 0)
        return error;
    skip_ws(&ps);
    if (ps.p < ps.end) {
        pytype_free(t);
        return parse_error(&ps, "unexpected text after the type");
    }
    *out = t;
    return 0;
}

int pytype_parse(pytype **out, const char *annotation, sm_error *err)
{
    assert(out && annotation);
    *out = NULL;
    return parse_text(out, annotation, strlen(annotation), annotation, 0, err);
}

/* ------------------------------------------------------------------ rendering */

static const char *typing_spelling(const char *name)
{
    static const struct {
        const char *builtin, *typing;
    } m[] = {
        { "list", "List" },   { "dict", "Dict" },           { "set", "Set" },
        { "tuple", "Tuple" }, { "frozenset", "FrozenSet" }, { "type", "Type" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(name, m[i].builtin) == 0)
            return m[i].typing;
    return NULL;
}

static void render(strbuf *sb, const pytype *t, const pytype_style *st)
{
    switch (t->kind) {
    case PYTYPE_NONE:
        strbuf_adds(sb, "None");
        return;
    case PYTYPE_LITERAL:
        strbuf_adds(sb, t->name);
        return;
    case PYTYPE_NAME:
        if (st->typing_generics && strcmp(t->name, "dict") == 0)
            strbuf_adds(sb, "Dict[str, Any]");
        else if (st->typing_generics && typing_spelling(t->name))
            strbuf_adds(sb, typing_spelling(t->name));
        else
            strbuf_adds(sb, t->name);
        return;
    case PYTYPE_GENERIC: {
        const char *name = t->name;
        if (st->typing_generics && typing_spelling(name))
            name = typing_spelling(name);
        strbuf_adds(sb, name);
        strbuf_addch(sb, '[');
        /* inside Literal[...] only constants are read back, and `|` is no constant: a
         * union there (meaningless, but parsed) is written Union[...] */
        pytype_style inner = *st;
        if (strcmp(t->name, "Literal") == 0)
            inner.pep604 = false;
        for (size_t i = 0; i < t->nargs; i++) {
            if (i)
                strbuf_adds(sb, ", ");
            render(sb, t->args[i], &inner);
        }
        strbuf_addch(sb, ']');
        return;
    }
    case PYTYPE_UNION: {
        size_t nonnull = 0;
        bool has_none = false;
        for (size_t i = 0; i < t->nargs; i++) {
            if (t->args[i]->kind == PYTYPE_NONE)
                has_none = true;
            else
                nonnull++;
        }
        if (st->pep604) {
            bool first = true;
            for (size_t i = 0; i < t->nargs; i++) {
                if (!first)
                    strbuf_adds(sb, " | ");
                render(sb, t->args[i], st);
                first = false;
            }
            return;
        }
        if (has_none && nonnull == 1) {
            strbuf_adds(sb, "Optional[");
            for (size_t i = 0; i < t->nargs; i++)
                if (t->args[i]->kind != PYTYPE_NONE)
                    render(sb, t->args[i], st);
            strbuf_addch(sb, ']');
            return;
        }
        strbuf_adds(sb, "Union[");
        for (size_t i = 0; i < t->nargs; i++) {
            if (i)
                strbuf_adds(sb, ", ");
            render(sb, t->args[i], st);
        }
        strbuf_addch(sb, ']');
        return;
    }
    }
}

char *pytype_render(const pytype *t, const pytype_style *style)
{
    static const pytype_style plain = { false, false };
    strbuf sb = STRBUF_INIT;
    strbuf_init(&sb);
    render(&sb, t, style ? style : &plain);
    return strbuf_detach(&sb, NULL);
}

static size_t add_name(const char **names, size_t n, size_t cap, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return n;
    if (n < cap)
        names[n++] = name;
    return n;
}

/* The typing module's spelling of name (a static string, so that the names collected
 * outlive the tree they were found in), NULL when typing does not define it. */
static const char *typing_name(const char *name)
{
    static const char *const known[] = {
        "Any", "Literal", "Callable", "Mapping", "Sequence", "Iterable", "ClassVar",
        "TypedDict", "NoReturn", "Never", "Self", "LiteralString",
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i]) == 0)
            return known[i];
    return NULL;
}

size_t pytype_typing_names(const pytype *t, const pytype_style *style, const char **names,
                           size_t n, size_t cap)
{
    static const pytype_style plain = { false, false };
    const pytype_style *st = style ? style : &plain;

    switch (t->kind) {
    case PYTYPE_NONE:
    case PYTYPE_LITERAL:
        break;
    case PYTYPE_NAME:
        if (st->typing_generics && strcmp(t->name, "dict") == 0) {
            n = add_name(names, n, cap, "Dict");
            n = add_name(names, n, cap, "Any");
        } else if (st->typing_generics && typing_spelling(t->name)) {
            n = add_name(names, n, cap, typing_spelling(t->name));
        } else if (typing_name(t->name)) {
            n = add_name(names, n, cap, typing_name(t->name));
        }
        break;
    case PYTYPE_GENERIC:
        if (st->typing_generics && typing_spelling(t->name))
            n = add_name(names, n, cap, typing_spelling(t->name));
        else if (typing_name(t->name))
            n = add_name(names, n, cap, typing_name(t->name));
        break;
    case PYTYPE_UNION:
        if (!st->pep604) {
            size_t nonnull = 0;
            bool has_none = false;
            for (size_t i = 0; i < t->nargs; i++) {
                if (t->args[i]->kind == PYTYPE_NONE)
                    has_none = true;
                else
                    nonnull++;
            }
            n = add_name(names, n, cap, has_none && nonnull == 1 ? "Optional" : "Union");
        }
        break;
    }
    for (size_t i = 0; i < t->nargs; i++)
        n = pytype_typing_names(t->args[i], st, names, n, cap);
    return n;
}

/* ------------------------------------------------------------------ imports */

/* Names that need no import. */
static bool is_builtin_name(const char *name)
{
    static const char *const builtins[] = {
        "str", "int", "float", "bool", "bytes", "bytearray", "complex", "dict", "list", "set",
        "frozenset", "tuple", "object", "type", "memoryview", "range", "None",
    };
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strcmp(name, builtins[i]) == 0)
            return true;
    return false;
}

/* The module of a well-known name (the standard library's, Pydantic's types), NULL when
 * unknown. */
static const char *stdlib_module(const char *name)
{
    static const struct { const char *name, *module; } known[] = {
        { "Decimal", "decimal" }, { "Fraction", "fractions" },
        { "datetime", "datetime" }, { "date", "datetime" }, { "time", "datetime" },
        { "timedelta", "datetime" }, { "timezone", "datetime" }, { "tzinfo", "datetime" },
        { "UUID", "uuid" },
        { "IPv4Address", "ipaddress" }, { "IPv6Address", "ipaddress" }, { "IPv4Network", "ipaddress" },
        { "IPv6Network", "ipaddress" }, { "IPv4Interface", "ipaddress" }, { "IPv6Interface", "ipaddress" },
        { "Path", "pathlib" }, { "PurePath", "pathlib" },
        { "Enum", "enum" }, { "IntEnum", "enum" }, { "StrEnum", "enum" },
        /* Pydantic's constrained and special types, common in overrides of its models */
        { "EmailStr", "pydantic" }, { "PositiveInt", "pydantic" }, { "NonNegativeInt", "pydantic" },
        { "NegativeInt", "pydantic" }, { "PositiveFloat", "pydantic" }, { "NonNegativeFloat", "pydantic" },
        { "HttpUrl", "pydantic" }, { "AnyUrl", "pydantic" }, { "AnyHttpUrl", "pydantic" },
        { "Json", "pydantic" }, { "SecretStr", "pydantic" }, { "UUID4", "pydantic" },
        { "IPvAnyAddress", "pydantic" }, { "IPvAnyNetwork", "pydantic" },
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(name, known[i].name) == 0)
            return known[i].module;
    return NULL;
}

static bool is_typing_or_generic(const char *name)
{
    return typing_name(name) != NULL || typing_spelling(name) != NULL || strcmp(name, "Optional") == 0 ||
           strcmp(name, "Union") == 0 || strcmp(name, "List") == 0 || strcmp(name, "Dict") == 0 ||
           strcmp(name, "Set") == 0 || strcmp(name, "Tuple") == 0 || strcmp(name, "FrozenSet") == 0 ||
           strcmp(name, "Type") == 0 || strcmp(name, "NotRequired") == 0 || strcmp(name, "Required") == 0 ||
           strncmp(name, "typing.", 7) == 0;
}

size_t pytype_imports(const pytype *t, pytype_import *out, size_t n, size_t cap)
{
    if ((t->kind == PYTYPE_NAME || t->kind == PYTYPE_GENERIC) && t->name && !is_builtin_name(t->name) &&
        !is_typing_or_generic(t->name)) {
        pytype_import im = { NULL, NULL, 0 };
        const char *dot = strrchr(t->name, '.');
        if (dot) {
            im.module = t->name;
            im.module_len = (size_t)(dot - t->name);
        } else if ((im.module = stdlib_module(t->name))) {
            im.name = t->name;
            im.module_len = strlen(im.module);
        }
        bool dup = !im.module;
        for (size_t i = 0; i < n && !dup; i++)
            dup = out[i].module_len == im.module_len && strncmp(out[i].module, im.module, im.module_len) == 0 &&
                  ((!out[i].name && !im.name) || (out[i].name && im.name && strcmp(out[i].name, im.name) == 0));
        if (!dup && n < cap)
            out[n++] = im;
    }
    for (size_t i = 0; i < t->nargs; i++)
        n = pytype_imports(t->args[i], out, n, cap);
    return n;
}

const char *pytype_unplaced_name(const pytype *t)
{
    if ((t->kind == PYTYPE_NAME || t->kind == PYTYPE_GENERIC) && t->name && !is_builtin_name(t->name) &&
        !is_typing_or_generic(t->name) && !strchr(t->name, '.') && !stdlib_module(t->name))
        return t->name;
    for (size_t i = 0; i < t->nargs; i++) {
        const char *u = pytype_unplaced_name(t->args[i]);
        if (u)
            return u;
    }
    return NULL;
}
