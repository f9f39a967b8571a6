/* pyparse.c: the statement-level parser for schema files (contract in pyparse.h).
 *
 * The tokenizer (pylex.c) hands over one token at a time; this file groups them into
 * logical lines, follows INDENT/DEDENT to know which block a line belongs to, and looks
 * closely only at what schemerge edits: top-level classes (header, decorators, docstring,
 * members, annotated fields) and top-level imports. Every other statement is opaque: only
 * its extent is tracked, so that spans stay exact. It is not a full Python parser: a
 * statement it does not look into is not checked beyond tokens, brackets and indentation.
 *
 * Work is linear in the size of the input: tokens are not kept beyond the current logical
 * line, and a logical line keeps at most LINE_MAX_TOKENS of them (a longer one, e.g. a huge
 * literal, is treated as opaque). */
#include "config.h"
#include "pyparse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "hash.h"
#include "naming.h"
#include "pycheck.h"
#include "pystr.h"
#include "pylex.h"
#include "strbuf.h"
#include "strpool.h"
#include "utf8.h"
#include "xalloc.h"

#define LINE_MAX_TOKENS 65536

/* ------------------------------------------------------------------ input checks */

/* Check UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) and NUL bytes, and
 * record where each line starts (\n, \r\n and \r all end a line). */
static int check_text(py_file *f, sm_error *err)
{
    const unsigned char *u = (const unsigned char *)f->text;
    size_t len = f->len, cap = 0, i = 0;
    const char *msg = NULL;
    XPUSH(f->line_starts, f->nlines, cap)[0] = 0;
    while (i < len) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            i += (c == '\r' && i + 1 < len && u[i + 1] == '\n') ? 2 : 1;
            *XPUSH(f->line_starts, f->nlines, cap) = i;
            continue;
        }
        if (c == 0) {
            msg = "file contains a NUL byte";
            break;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(&cp, f->text + i, len - i);
        if (cp == UTF8_INVALID) {
            msg = "file is not UTF-8";
            break;
        }
        i += n;
    }
    if (!msg)
        return 0;
    int line = (int)f->nlines;
    size_t ls = f->line_starts[f->nlines - 1];
    if (line == 1 && f->bom)
        ls = 3;
    return lx_error_at(err, f->path, line, lx_column(f->text, ls, i), "%s", msg);
}

/* ------------------------------------------------------------------ the parser */

typedef struct logical_line {
    lx_token *toks;        /* at most LINE_MAX_TOKENS */
    size_t n, cap;
    size_t ntotal;         /* tokens on the line, kept or not */
    lx_token last;         /* the last token (also when not kept) */
    lx_token nl;           /* the NEWLINE that ends it */
    int ndedent;
    bool indent;
    bool eof;
} logical_line;

typedef struct parser {
    lexer lx;
    py_file *f;
    sm_error *err;
    logical_line L;
    size_t capclasses, capimports;
    /* the class being built (one at a time) */
    size_t capbases, capkw, capdeco, capmembers, capfields;
    /* decorators seen at top level, waiting for their class or def */
    char **decos;
    size_t ndecos, capdecos;
    size_t deco_start;
} parser;

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield",
};

static bool tok_is(const parser *P, const lx_token *t, lx_type type, const char *text)
{
    if (t->type != type || P->f->text[t->start] != text[0])
        return false;
    size_t n = strlen(text);
    return t->type == type && t->end - t->start == n && memcmp(P->f->text + t->start, text, n) == 0;
}

static bool tok_op(const parser *P, const lx_token *t, const char *op)
{
    return tok_is(P, t, LX_OP, op);
}

static bool tok_keyword(const parser *P, const lx_token *t)
{
    if (t->type != LX_NAME)
        return false;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (tok_is(P, t, LX_NAME, keywords[i]))
            return true;
    return false;
}

static char *tok_text(const parser *P, const lx_token *t)
{
    return xstrndup(P->f->text + t->start, t->end - t->start);
}

static char *text_between(const parser *P, size_t start, size_t end)
{
    return xstrndup(P->f->text + start, end - start);
}

/* The same for a field's name or annotation, kept in the file's pool: freed with it. */
static char *pooled_text(const parser *P, size_t start, size_t end)
{
    return strpool_intern(P->f->strings, P->f->text + start, end - start);
}

static int tok_col(const parser *P, const lx_token *t)
{
    return lx_column(P->f->text, t->line_start, t->start);
}

static int syntax_error_at(parser *P, const lx_token *t, const char *msg)
{
    return lx_error_at(P->err, P->f->path, t->line, tok_col(P, t), "%s", msg);
}

/* "expected ':'"-style errors point just after the previous token, as CPython does. */
static int syntax_error_after(parser *P, const lx_token *t, const char *msg)
{
    return lx_error_at(P->err, P->f->path, t->line, lx_column(P->f->text, t->line_start, t->end),
                       "%s", msg);
}

/* Errors found at the end of the input point at the end of the last line, as CPython's
 * do: the final line ending does not start a new line. */
static int syntax_error_eof(parser *P, const char *msg)
{
    const py_file *f = P->f;
    size_t off = f->len;
    if (off > 0 && f->text[off - 1] == '\n')
        off--;
    if (off > 0 && f->text[off - 1] == '\r')
        off--;
    int line = pyfile_line_of(f, off);
    size_t ls = f->line_starts[line - 1];
    if (line == 1 && f->bom)
        ls = 3;
    return lx_error_at(P->err, f->path, line, lx_column(f->text, ls, off), "%s", msg);
}

static bool is_open(const parser *P, const lx_token *t)
{
    char c = P->f->text[t->start];
    return t->type == LX_OP && (c == '(' || c == '[' || c == '{');
}

static bool is_close(const parser *P, const lx_token *t)
{
    char c = P->f->text[t->start];
    return t->type == LX_OP && (c == ')' || c == ']' || c == '}');
}

/* The index of the first token from `from` (up to `end`, exclusive) that is the operator
 * sep outside any brackets, or end: how a comma list or a `;` line splits. */
static size_t next_top_level(const parser *P, const lx_token *toks, size_t from, size_t end,
                             const char *sep)
{
    int depth = 0;
    for (size_t k = from; k < end; k++) {
        if (is_open(P, &toks[k]))
            depth++;
        else if (is_close(P, &toks[k]))
            depth--;
        else if (depth == 0 && tok_op(P, &toks[k], sep))
            return k;
    }
    return end;
}

/* Index of the bracket matching the opener at toks[i], or n when not found. */
static size_t matching(const parser *P, const lx_token *toks, size_t i, size_t n)
{
    int depth = 0;
    for (size_t k = i; k < n; k++) {
        if (is_open(P, &toks[k]))
            depth++;
        else if (is_close(P, &toks[k]) && --depth == 0)
            return k;
    }
    return n;
}

/* Read the next logical line: the INDENT/DEDENTs before it, its tokens, its NEWLINE. */
static int read_line(parser *P)
{
    logical_line *L = &P->L;
    L->n = L->ntotal = 0;
    L->ndedent = 0;
    L->indent = false;
    L->eof = false;
    for (;;) {
        lx_token t;
        int r = lexer_next(&P->lx, &t, P->err);
        if (r < 0)
            return r;
        switch (t.type) {
        case LX_INDENT: L->indent = true; break;
        case LX_DEDENT: L->ndedent++; break;
        case LX_END:
            L->eof = true;
            L->nl = t;
            return 0;
        case LX_NEWLINE:
            L->nl = t;
            return 0;
        default:
            if (L->n < LINE_MAX_TOKENS)
                *XPUSH(L->toks, L->n, L->cap) = t;
            L->ntotal++;
            L->last = t;
            break;
        }
    }
}

static bool line_truncated(const logical_line *L)
{
    return L->ntotal > L->n;
}

static py_class *cur_class(parser *P)
{
    return &P->f->classes[P->f->nclasses - 1];
}

/* The token after toks[0..n) on the current line: the next one, or the NEWLINE. */
static const lx_token *next_tok(const parser *P, const lx_token *toks, size_t n)
{
    const lx_token *t = toks + n;
    return t < P->L.toks + P->L.n ? t : &P->L.nl;
}

/* Decode the string tokens toks[a..b) (implicit concatenation) into *out. Returns 0 with
 * *out NULL when they are not a str (bytes, f-string), or ERR_PARSE for a bad escape,
 * reported as CPython does, at the end of the literals. */
static int decode_strings(parser *P, const lx_token *toks, size_t a, size_t b, char **out)
{
    strbuf sb = STRBUF_INIT;
    *out = NULL;
    for (size_t k = a; k < b; k++)
        if (toks[k].type != LX_STRING || toks[k].str_bytes || toks[k].str_f)
            return 0;
    for (size_t k = a; k < b; k++) {
        const char *why;
        size_t from, to;
        const char *text = P->f->text;
        int r = pystr_decode(&sb, text + toks[k].start, toks[k].end - toks[k].start, &why, &from, &to);
        if (r == PYSTR_BAD) {
            strbuf_release(&sb);
            const lx_token *last = &toks[b - 1];
            return lx_error_at(P->err, P->f->path, last->line,
                               lx_column(text, last->line_start, last->end),
                               "(unicode error) 'unicodeescape' codec can't decode bytes in "
                               "position %zu-%zu: %s", from, to, why);
        }
        if (r != PYSTR_OK) {
            strbuf_release(&sb);
            return 0;
        }
    }
    *out = strbuf_detach(&sb, NULL);
    return 0;
}

/* A statement inside a class body (tokens toks[0..n), whole statement span sp). */
static int body_statement(parser *P, py_class *c, const lx_token *toks, size_t n, py_span sp,
                          bool first, bool truncated)
{
    const char *text = P->f->text;
    if (n == 0)
        return 0;
    /* the value of `NAME = v` or a docstring: strings only, maybe in parentheses */
    size_t a = 0, b = n;
    bool named = n >= 2 && toks[0].type == LX_NAME && !tok_keyword(P, &toks[0]);

    if (named && tok_op(P, &toks[1], "=")) {
        if (n == 2)
            return syntax_error_at(P, next_tok(P, toks, n), "invalid syntax");
        int depth = 0;
        bool in_lambda = false; /* `lambda a=1: a`: that '=' is a default, not a target */
        for (size_t k = 2; k < n; k++) {
            if (is_open(P, &toks[k]))
                depth++;
            else if (is_close(P, &toks[k]))
                depth--;
            else if (depth == 0 && tok_is(P, &toks[k], LX_NAME, "lambda"))
                in_lambda = true;
            else if (depth == 0 && in_lambda && tok_op(P, &toks[k], ":"))
                in_lambda = false;
            else if (depth == 0 && !in_lambda && tok_op(P, &toks[k], "="))
                return 0; /* a = b = "x": chained, not a member */
        }
        py_member *m = XPUSH(c->members, c->nmembers, P->capmembers);
        memset(m, 0, sizeof *m);
        m->name = tok_text(P, &toks[0]);
        m->span = sp;
        m->name_span = (py_span){ toks[0].start, toks[0].end };
        m->value_span = (py_span){ toks[2].start, truncated ? P->L.last.end : toks[n - 1].end };
        m->line = toks[0].line;
        m->col = tok_col(P, &toks[0]);
        c->last_stmt_span = sp;
        a = 2;
        while (!truncated && b - a >= 2 && tok_op(P, &toks[a], "(") &&
               matching(P, toks, a, b) == b - 1)
            a++, b--;
        if (truncated || a >= b) /* `X = ()` is an empty tuple */
            return 0;
        int r = decode_strings(P, toks, a, b, &m->value);
        if (r < 0 || !m->value)
            return r;
        const char *q = text + toks[a].start;
        while (*q != '"' && *q != '\'')
            q++;
        m->quote = *q;
        return 0;
    }

    if (named && tok_op(P, &toks[1], ":")) {
        size_t eq = n;
        int depth = 0;
        for (size_t k = 2; k < n; k++) {
            if (is_open(P, &toks[k]))
                depth++;
            else if (is_close(P, &toks[k]))
                depth--;
            else if (depth == 0 && tok_op(P, &toks[k], "=")) {
                eq = k;
                break;
            }
        }
        if (eq == 2 || n == 2)
            return syntax_error_at(P, next_tok(P, toks, 2), "invalid syntax");
        if (eq == n - 1)
            return syntax_error_at(P, next_tok(P, toks, n), "invalid syntax");
        py_field *fl = XPUSH(c->fields, c->nfields, P->capfields);
        memset(fl, 0, sizeof *fl);
        fl->name = pooled_text(P, toks[0].start, toks[0].end);
        fl->span = sp;
        fl->name_span = (py_span){ toks[0].start, toks[0].end };
        size_t ann_end = eq < n ? toks[eq - 1].end : truncated ? P->L.last.end : toks[n - 1].end;
        fl->annotation_span = (py_span){ toks[2].start, ann_end };
        fl->annotation = pooled_text(P, toks[2].start, ann_end);
        if (eq < n) {
            fl->has_default = true;
            fl->default_span = (py_span){ toks[eq + 1].start,
                                          truncated ? P->L.last.end : toks[n - 1].end };
        }
        fl->line = toks[0].line;
        fl->col = tok_col(P, &toks[0]);
        c->last_stmt_span = sp;
        return 0;
    }

    if (first && !truncated) {
        while (b - a >= 2 && tok_op(P, &toks[a], "(") && matching(P, toks, a, b) == b - 1)
            a++, b--;
        if (a >= b)
            return 0;
        int r = decode_strings(P, toks, a, b, &c->docstring);
        if (r < 0 || !c->docstring)
            return r;
        c->docstring_span = sp;
        c->last_stmt_span = sp;
    }
    return 0;
}

/* A logical line in a class body; it may hold several `;`-separated statements. */
static int body_line(parser *P, py_class *c, const lx_token *toks, size_t n, py_span line_span,
                     bool *first, bool truncated)
{
    size_t s0 = 0;
    int depth = 0;
    bool several = false;
    if (!truncated) {
        for (size_t k = 0; k < n; k++) {
            if (is_open(P, &toks[k]))
                depth++;
            else if (is_close(P, &toks[k]))
                depth--;
            else if (depth == 0 && tok_op(P, &toks[k], ";"))
                several = true;
        }
    }
    depth = 0;
    for (size_t k = 0; k <= n; k++) {
        bool split = k == n;
        if (!split && !truncated) {
            if (is_open(P, &toks[k]))
                depth++;
            else if (is_close(P, &toks[k]))
                depth--;
            else if (depth == 0 && tok_op(P, &toks[k], ";"))
                split = true;
        }
        if (!split)
            continue;
        if (k > s0) {
            /* a statement sharing its line cannot own the whole line */
            py_span sp = several ? (py_span){ toks[s0].start, toks[k - 1].end } : line_span;
            int r = body_statement(P, c, toks + s0, k - s0, sp, *first, truncated);
            if (r < 0)
                return r;
            *first = false;
        }
        s0 = k + 1;
    }
    return 0;
}

static char *join_tokens(const parser *P, const lx_token *toks, size_t a, size_t b)
{
    strbuf sb = STRBUF_INIT;
    for (size_t k = a; k < b; k++)
        strbuf_add(&sb, P->f->text + toks[k].start, toks[k].end - toks[k].start);
    return strbuf_detach(&sb, NULL);
}

static bool ignore_comment(const char *s, size_t len)
{
    /* "# schemerge: ignore", spaces optional, case-insensitive */
    const char *want = "schemerge:ignore";
    size_t w = 0;
    for (size_t i = 1; i < len; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t')
            continue;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (want[w] == '\0' || ch != want[w])
            return false;
        w++;
    }
    return want[w] == '\0';
}

/* A class's field and member arrays grew by doubling while its body was read: once it
 * is whole, they are cut to size (5,000 classes of 21 fields left 2 MB unused). */
static void fit_class(py_class *c)
{
    if (c->nfields)
        c->fields = xrealloc(c->fields, c->nfields * sizeof *c->fields);
    if (c->nmembers)
        c->members = xrealloc(c->members, c->nmembers * sizeof *c->members);
}

/* `class NAME[...](bases, kw=v): [body]` at top level. *block says whether an indented
 * body follows. */
static int class_statement(parser *P, bool *block)
{
    logical_line *L = &P->L;
    const lx_token *toks = L->toks;
    size_t n = L->n;
    py_file *f = P->f;
    if (line_truncated(L))
        return syntax_error_at(P, &toks[0], "class statement too long");
    if (n < 2 || toks[1].type != LX_NAME || tok_keyword(P, &toks[1]))
        return n < 2 ? syntax_error_after(P, &toks[0], "invalid syntax")
                     : syntax_error_at(P, &toks[1], "invalid syntax");
    size_t i = 2;
    if (i < n && tok_op(P, &toks[i], "[")) { /* PEP 695 type parameters */
        size_t m = matching(P, toks, i, n);
        if (m >= n)
            return syntax_error_at(P, &toks[i], "invalid syntax");
        i = m + 1;
    }
    size_t args_open = n, args_close = n;
    if (i < n && tok_op(P, &toks[i], "(")) {
        args_open = i;
        args_close = matching(P, toks, i, n);
        if (args_close >= n)
            return syntax_error_at(P, &toks[i], "invalid syntax");
        i = args_close + 1;
    }
    if (i >= n || !tok_op(P, &toks[i], ":"))
        return syntax_error_after(P, &toks[i - 1], "expected ':'");

    if (f->nclasses)
        fit_class(&f->classes[f->nclasses - 1]);
    py_class *c = XPUSH(f->classes, f->nclasses, P->capclasses);
    memset(c, 0, sizeof *c);
    P->capbases = P->capkw = P->capdeco = P->capmembers = P->capfields = 0;
    c->name = tok_text(P, &toks[1]);
    c->line = toks[0].line;
    c->col = tok_col(P, &toks[0]);
    c->decorators = P->decos;
    c->ndecorators = P->ndecos;
    c->span.start = P->ndecos ? P->deco_start : toks[0].line_start;
    P->decos = NULL;
    P->ndecos = P->capdecos = 0;
    c->header_span = (py_span){ toks[0].line_start, L->nl.end };
    c->ignore_marker = L->nl.has_comment &&
                       ignore_comment(f->text + L->nl.comment_start,
                                      L->nl.comment_end - L->nl.comment_start);

    if (args_open < n) {
        for (size_t a = args_open + 1; a <= args_close;) {
            size_t k = next_top_level(P, toks, a, args_close, ",");
            if (k > a) {
                if (k - a >= 3 && toks[a].type == LX_NAME && tok_op(P, &toks[a + 1], "=")) {
                    py_keyword *kw = XPUSH(c->keywords, c->nkeywords, P->capkw);
                    kw->name = tok_text(P, &toks[a]);
                    kw->value = text_between(P, toks[a + 2].start, toks[k - 1].end);
                } else if (tok_op(P, &toks[a], "=") || (k - a >= 2 && tok_op(P, &toks[a + 1], "="))) {
                    return syntax_error_at(P, &toks[a], "invalid syntax");
                } else if (!tok_op(P, &toks[a], "*") && !tok_op(P, &toks[a], "**")) {
                    *XPUSH(c->bases, c->nbases, P->capbases) = join_tokens(P, toks, a, k);
                }
            }
            a = k + 1;
        }
    }

    *block = i == n - 1;
    if (*block) {
        c->span.end = L->nl.end;
        c->indent = NULL; /* set from the first body line */
        return 0;
    }
    /* one-line body: `class X(Enum): A = "a"`. Only simple statements fit there: a line
     * ending in ':' would open a block that Python rejects (`class X: f():`). */
    if (tok_op(P, &toks[n - 1], ":"))
        return syntax_error_at(P, &toks[n - 1], "invalid syntax");
    c->one_line_body = true;
    c->indent = xstrdup("");
    c->span.end = L->nl.end;
    c->body_span = (py_span){ L->nl.end, L->nl.end };
    bool first = true;
    /* statements of a one-line body share the header's line: spans are the statements */
    for (size_t s0 = i + 1; s0 <= n;) {
        size_t k = next_top_level(P, toks, s0, n, ";");
        if (k > s0) {
            py_span sp = { toks[s0].start, toks[k - 1].end };
            int r = body_statement(P, c, toks + s0, k - s0, sp, first, false);
            if (r < 0)
                return r;
            first = false;
        }
        s0 = k + 1;
    }
    return 0;
}

/* Extend a finished class over indented comment lines that follow its last statement
 * (a commented-out member belongs to the class); blank lines count only when such a
 * comment follows them, and a comment at column 0 ends the class. */
static void finish_class(parser *P, py_class *c, size_t body_end)
{
    const char *s = P->f->text;
    size_t len = P->f->len, p = body_end, end = body_end;
    while (p < len) {
        size_t q = p;
        while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '\f'))
            q++;
        if (q >= len)
            break;
        if (s[q] == '#' && q > p) {
            while (q < len && s[q] != '\n' && s[q] != '\r')
                q++;
            if (q < len)
                q += (s[q] == '\r' && q + 1 < len && s[q + 1] == '\n') ? 2 : 1;
            end = p = q;
            continue;
        }
        if (s[q] == '\n' || s[q] == '\r') {
            p = q + ((s[q] == '\r' && q + 1 < len && s[q + 1] == '\n') ? 2 : 1);
            continue;
        }
        break;
    }
    c->span.end = end;
    c->body_span = (py_span){ c->header_span.end, end };
}

static int import_statement(parser *P)
{
    logical_line *L = &P->L;
    const lx_token *toks = L->toks;
    size_t n = L->n;
    py_file *f = P->f;
    py_span sp = { toks[0].line_start, L->nl.end };
    if (line_truncated(L))
        return syntax_error_at(P, &toks[0], "import statement too long");

    if (tok_is(P, &toks[0], LX_NAME, "import")) {
        size_t k = 1;
        for (;;) {
            size_t a = k;
            while (k < n && toks[k].type == LX_NAME && !tok_keyword(P, &toks[k])) {
                k++;
                if (k >= n || !tok_op(P, &toks[k], "."))
                    break;
                k++;
                if (k >= n || toks[k].type != LX_NAME)
                    return syntax_error_at(P, next_tok(P, toks, k), "invalid syntax");
            }
            if (k == a)
                return k < n ? syntax_error_at(P, &toks[k], "invalid syntax")
                             : syntax_error_after(P, &toks[k - 1], "invalid syntax");
            py_import *im = XPUSH(f->imports, f->nimports, P->capimports);
            memset(im, 0, sizeof *im);
            im->module = join_tokens(P, toks, a, k);
            im->span = sp;
            im->line = toks[0].line;
            if (k + 1 < n && tok_is(P, &toks[k], LX_NAME, "as") && toks[k + 1].type == LX_NAME)
                k += 2;
            if (k >= n)
                return 0;
            if (!tok_op(P, &toks[k], ",") || k + 1 >= n)
                return syntax_error_at(P, &toks[k], "invalid syntax");
            k++;
        }
    }

    /* from [.]*[module] import (names | '(' names ')' | '*') */
    size_t k = 1, a = 1;
    while (k < n && (tok_op(P, &toks[k], ".") || tok_op(P, &toks[k], "...")))
        k++;
    while (k < n && toks[k].type == LX_NAME && !tok_keyword(P, &toks[k])) {
        k++;
        if (k + 1 < n && tok_op(P, &toks[k], ".") && toks[k + 1].type == LX_NAME)
            k++;
        else
            break;
    }
    if (k == a || k >= n || !tok_is(P, &toks[k], LX_NAME, "import"))
        return k < n ? syntax_error_at(P, &toks[k], "invalid syntax")
                     : syntax_error_after(P, &toks[n - 1], "invalid syntax");
    py_import *im = XPUSH(f->imports, f->nimports, P->capimports);
    memset(im, 0, sizeof *im);
    im->module = join_tokens(P, toks, a, k);
    im->is_from = true;
    im->span = sp;
    im->line = toks[0].line;
    k++;
    if (k >= n)
        return syntax_error_after(P, &toks[k - 1], "invalid syntax");
    if (tok_op(P, &toks[k], "*")) {
        im->star = true;
        im->names_span = (py_span){ toks[k].start, toks[k].end };
        if (k + 1 < n)
            return syntax_error_at(P, &toks[k + 1], "invalid syntax");
        return 0;
    }
    size_t end = n;
    if (tok_op(P, &toks[k], "(")) {
        im->parenthesized = true;
        if (!tok_op(P, &toks[n - 1], ")") || matching(P, toks, k, n) != n - 1)
            return syntax_error_at(P, &toks[k], "invalid syntax");
        k++;
        end = n - 1;
    }
    size_t cap = 0;
    bool first = true;
    while (k < end) {
        if (toks[k].type != LX_NAME || tok_keyword(P, &toks[k]))
            return syntax_error_at(P, &toks[k], "invalid syntax");
        if (first)
            im->names_span.start = toks[k].start;
        first = false;
        *XPUSH(im->names, im->nnames, cap) = tok_text(P, &toks[k]);
        im->names_span.end = toks[k].end;
        k++;
        if (k + 1 < end && tok_is(P, &toks[k], LX_NAME, "as") && toks[k + 1].type == LX_NAME) {
            im->names_span.end = toks[k + 1].end;
            k += 2;
        }
        if (k >= end)
            break;
        if (!tok_op(P, &toks[k], ","))
            return syntax_error_at(P, &toks[k], "invalid syntax");
        k++;
        /* a trailing comma is allowed only inside parentheses */
        if (k >= end && !im->parenthesized)
            return syntax_error_after(P, &toks[k - 1], "trailing comma not allowed without "
                                                       "surrounding parentheses");
    }
    if (im->nnames == 0)
        return syntax_error_after(P, &toks[k - 1], "invalid syntax");
    return 0;
}

/* ------------------------------------------------------------------ functional TypedDict */

/* Where a line's text ends after offset p: past spaces, a comment and the line break. Sets
 * *clean when only those follow p on its line. */
static size_t rest_of_line(const char *s, size_t len, size_t p, bool *clean)
{
    while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\f'))
        p++;
    if (p < len && s[p] == '#')
        while (p < len && s[p] != '\n' && s[p] != '\r')
            p++;
    *clean = p >= len || s[p] == '\n' || s[p] == '\r';
    if (p < len && s[p] == '\r')
        p++;
    if (p < len && s[p] == '\n')
        p++;
    return p;
}

static size_t start_of_line(const char *s, size_t p)
{
    while (p > 0 && s[p - 1] != '\n' && s[p - 1] != '\r')
        p--;
    return p;
}

static bool only_blanks(const char *s, size_t from, size_t to)
{
    for (size_t q = from; q < to; q++)
        if (s[q] != ' ' && s[q] != '\t' && s[q] != '\f')
            return false;
    return true;
}

/* The marker comment on the line right above offset line_start (a comment line at column
 * 0): its text after '#' and the spaces that follow, with the line's span. */
static void comment_above(parser *P, py_class *c, size_t line_start)
{
    const char *s = P->f->text;
    if (line_start == 0)
        return;
    size_t prev = start_of_line(s, line_start - 1);
    if (s[prev] != '#')
        return;
    size_t a = prev + 1, b = line_start;
    while (a < b && s[a] == ' ')
        a++;
    while (b > a && (s[b - 1] == '\n' || s[b - 1] == '\r'))
        b--;
    c->docstring = naming_comment_decode(s + a, b - a); /* escapes: naming_comment_text */
    c->docstring_span = (py_span){ prev, line_start };
    c->span.start = prev;
}

/* Removal spans of the items once all are known (see py_field). */
static void functional_item_spans(parser *P, py_class *c)
{
    const char *s = P->f->text;
    size_t len = P->f->len;
    for (size_t k = 0; k < c->nfields; k++) {
        py_field *fl = &c->fields[k];
        size_t after = fl->item_span.end;
        if (fl->trailing_comma) {
            while (s[after] != ',')
                after++;
            after++;
        }
        bool clean;
        size_t line_end = rest_of_line(s, len, after, &clean);
        size_t ls = start_of_line(s, fl->item_span.start);
        bool closes_here = c->dict_close >= after && c->dict_close < line_end;
        if (clean && only_blanks(s, ls, fl->item_span.start) && !closes_here && (fl->trailing_comma || k + 1 == c->nfields) &&
            ls > c->dict_open) {
            fl->span = (py_span){ ls, line_end };
        } else if (k + 1 < c->nfields) {
            fl->span = (py_span){ fl->item_span.start, c->fields[k + 1].item_span.start };
        } else if (k > 0) {
            fl->span = (py_span){ c->fields[k - 1].item_span.end, fl->item_span.end };
        } else {
            fl->span = (py_span){ fl->item_span.start, after };
        }
        c->last_stmt_span = fl->span;
    }
}

/* `NAME = TypedDict("NAME", {"key": annotation, ...}, total=False)` at top level, also as
 * typing.TypedDict or typing_extensions.TypedDict. Anything else (keyword arguments for the
 * fields, a ** item, a key that is not a string) is not this form: the line stays opaque. */
static void functional_statement(parser *P)
{
    logical_line *L = &P->L;
    const lx_token *toks = L->toks;
    size_t n = L->n;
    if (line_truncated(L) || n < 8 || toks[0].type != LX_NAME || tok_keyword(P, &toks[0]) ||
        !tok_op(P, &toks[1], "="))
        return;
    size_t k = 2;
    if (n > 4 && toks[2].type == LX_NAME && tok_op(P, &toks[3], ".") &&
        (tok_is(P, &toks[2], LX_NAME, "typing") || tok_is(P, &toks[2], LX_NAME, "typing_extensions")))
        k = 4;
    if (!tok_is(P, &toks[k], LX_NAME, "TypedDict") || !tok_op(P, &toks[k + 1], "(") ||
        matching(P, toks, k + 1, n) != n - 1)
        return;
    size_t a = k + 2, close = n - 1;
    size_t s0 = a;
    while (a < close && toks[a].type == LX_STRING && !toks[a].str_bytes && !toks[a].str_f)
        a++;
    if (a == s0 || a >= close || !tok_op(P, &toks[a], ",") || !tok_op(P, &toks[a + 1], "{"))
        return;
    size_t dopen = a + 1, dclose = matching(P, toks, dopen, close);
    if (dclose >= close)
        return;
    /* after the dict: nothing, or keywords (total=...) */
    py_keyword kws[4];
    size_t nkw = 0;
    for (size_t q = dclose + 1; q < close;) {
        if (!tok_op(P, &toks[q], ","))
            goto not_this_form;
        q++;
        if (q >= close)
            break;
        size_t e = next_top_level(P, toks, q, close, ",");
        if (e - q < 3 || toks[q].type != LX_NAME || !tok_op(P, &toks[q + 1], "=") || nkw == 4)
            goto not_this_form;
        kws[nkw].name = tok_text(P, &toks[q]);
        kws[nkw++].value = text_between(P, toks[q + 2].start, toks[e - 1].end);
        q = e;
    }
    py_file *f = P->f;
    py_class c;
    memset(&c, 0, sizeof c);
    size_t capfields = 0;
    for (size_t i = dopen + 1; i < dclose;) {
        size_t e = next_top_level(P, toks, i, dclose, ",");
        size_t ks = i;
        while (ks < e && toks[ks].type == LX_STRING && !toks[ks].str_bytes && !toks[ks].str_f)
            ks++;
        if (ks == i || ks + 1 >= e || !tok_op(P, &toks[ks], ":"))
            goto not_items;
        char *key = NULL;
        if (decode_strings(P, toks, i, ks, &key) < 0 || !key) {
            sm_error_clear(P->err);
            goto not_items;
        }
        py_field *fl = XPUSH(c.fields, c.nfields, capfields);
        memset(fl, 0, sizeof *fl);
        fl->name = strpool_intern(P->f->strings, key, strlen(key));
        free(key);
        fl->name_span = (py_span){ toks[i].start, toks[ks - 1].end };
        fl->annotation_span = (py_span){ toks[ks + 1].start, toks[e - 1].end };
        fl->annotation = pooled_text(P, toks[ks + 1].start, toks[e - 1].end);
        fl->item_span = (py_span){ toks[i].start, toks[e - 1].end };
        fl->trailing_comma = e < dclose;
        fl->line = toks[i].line;
        fl->col = tok_col(P, &toks[i]);
        i = e + 1;
    }
    char *typename = NULL;
    if (decode_strings(P, toks, k + 2, a, &typename) < 0)
        sm_error_clear(P->err);
    free(typename);
    py_class *cp = XPUSH(f->classes, f->nclasses, P->capclasses);
    *cp = c;
    cp->functional = true;
    cp->name = tok_text(P, &toks[0]);
    cp->name_span = (py_span){ toks[0].start, toks[0].end };
    cp->typename_span = (py_span){ toks[k + 2].start, toks[a - 1].end };
    cp->dict_open = toks[dopen].start;
    cp->dict_close = toks[dclose].start;
    cp->line = toks[0].line;
    cp->col = tok_col(P, &toks[0]);
    cp->span = (py_span){ toks[0].line_start, L->nl.end };
    cp->header_span = cp->span;
    cp->body_span = (py_span){ toks[dopen].end, toks[dclose].start };
    cp->indent = NULL;
    cp->bases = xcalloc(1, sizeof *cp->bases);
    cp->bases[0] = xstrdup("TypedDict");
    cp->nbases = 1;
    if (nkw) {
        cp->keywords = xcalloc(nkw, sizeof *cp->keywords);
        memcpy(cp->keywords, kws, nkw * sizeof *kws);
        cp->nkeywords = nkw;
    }
    /* the items' indentation: that of the first item on a line of its own */
    for (size_t i = 0; i < cp->nfields && !cp->indent; i++) {
        size_t ls = start_of_line(f->text, cp->fields[i].item_span.start);
        if (ls > cp->dict_open && only_blanks(f->text, ls, cp->fields[i].item_span.start))
            cp->indent = text_between(P, ls, cp->fields[i].item_span.start);
    }
    comment_above(P, cp, toks[0].line_start);
    functional_item_spans(P, cp);
    return;

not_items:
    for (size_t i = 0; i < c.nfields; i++) {
        free(c.fields[i].name);
        free(c.fields[i].annotation);
    }
    free(c.fields);
not_this_form:
    for (size_t i = 0; i < nkw; i++) {
        free(kws[i].name);
        free(kws[i].value);
    }
}

static const char *const compound_stmts[] = { "if", "elif", "else", "for", "while", "try",
                                              "except", "finally", "with", "match", "case" };

/* Does the logical line start a compound statement (whose header ends with ':')? */
static bool is_compound(const parser *P, const lx_token *t)
{
    if (tok_is(P, t, LX_NAME, "class") || tok_is(P, t, LX_NAME, "def") ||
        tok_is(P, t, LX_NAME, "async"))
        return true;
    for (size_t i = 0; i < sizeof compound_stmts / sizeof *compound_stmts; i++)
        if (tok_is(P, t, LX_NAME, compound_stmts[i]))
            return true;
    return false;
}

static const char *block_kind(const parser *P, const lx_token *t, char *buf, size_t size)
{
    const char *const *stmts = compound_stmts;
    if (tok_is(P, t, LX_NAME, "class"))
        return "class definition";
    if (tok_is(P, t, LX_NAME, "def") || tok_is(P, t, LX_NAME, "async"))
        return "function definition";
    for (size_t i = 0; i < sizeof compound_stmts / sizeof *compound_stmts; i++)
        if (tok_is(P, t, LX_NAME, stmts[i])) {
            snprintf(buf, size, "'%s' statement", stmts[i]);
            return buf;
        }
    return NULL;
}

static int parse(parser *P)
{
    py_file *f = P->f;
    logical_line *L = &P->L;
    int depth = 0;
    bool expect_block = false;
    char block_what[64] = "";
    int block_line = 0;
    bool in_class = false, first_in_body = false;
    size_t class_end = 0;

    for (;;) {
        int r = read_line(P);
        if (r < 0)
            return r;
        const lx_token *first_tok = L->n ? &L->toks[0] : &L->nl;
        if (expect_block) {
            if (!L->indent) {
                char msg[160];
                if (block_what[0])
                    snprintf(msg, sizeof msg, "expected an indented block after %s on line %d",
                             block_what, block_line);
                else
                    snprintf(msg, sizeof msg, "expected an indented block");
                return L->eof ? syntax_error_eof(P, msg) : syntax_error_at(P, first_tok, msg);
            }
            depth++;
            expect_block = false;
        } else if (L->indent) {
            return lx_error_at(P->err, f->path, first_tok->line, tok_col(P, first_tok) - 1,
                               "unexpected indent");
        }
        depth -= L->ndedent;
        if (depth < 0)
            depth = 0; /* cannot happen: the lexer balances INDENT and DEDENT */
        if (in_class && depth < 1) {
            finish_class(P, cur_class(P), class_end);
            in_class = false;
        }
        if (L->eof)
            break;
        if (L->n == 0)
            continue; /* cannot happen: NEWLINE follows at least one token */

        const lx_token *t0 = &L->toks[0];
        bool opens_block = tok_op(P, &L->last, ":");
        if (opens_block && !is_compound(P, t0))
            return syntax_error_at(P, &L->nl, "invalid syntax"); /* `x:` without annotation */
        py_span line_span = { t0->line_start, L->nl.end };
        if (depth == 0) {
            bool is_deco = tok_op(P, t0, "@");
            if (P->ndecos > 0 && !is_deco && !tok_is(P, t0, LX_NAME, "class") &&
                !tok_is(P, t0, LX_NAME, "def") && !tok_is(P, t0, LX_NAME, "async"))
                return syntax_error_at(P, t0, "invalid syntax");
            if (is_deco) {
                if (L->n < 2)
                    return syntax_error_after(P, t0, "invalid syntax");
                if (P->ndecos == 0)
                    P->deco_start = t0->line_start;
                *XPUSH(P->decos, P->ndecos, P->capdecos) =
                    text_between(P, L->toks[1].start, L->last.end);
            } else if (tok_is(P, t0, LX_NAME, "class")) {
                bool block = false;
                r = class_statement(P, &block);
                if (r < 0)
                    return r;
                if (block) {
                    in_class = true;
                    first_in_body = true;
                }
            } else {
                /* decorators of a def are part of the opaque def */
                for (size_t k = 0; k < P->ndecos; k++)
                    free(P->decos[k]);
                P->ndecos = 0;
                if (tok_is(P, t0, LX_NAME, "import") || tok_is(P, t0, LX_NAME, "from")) {
                    r = import_statement(P);
                    if (r < 0)
                        return r;
                } else if (t0->type == LX_NAME && !opens_block) {
                    functional_statement(P);
                }
            }
        } else if (in_class && depth == 1) {
            py_class *c = cur_class(P);
            if (!c->indent)
                c->indent = text_between(P, t0->line_start, t0->start);
            if (opens_block) {
                first_in_body = false; /* a def, a nested class, an if: opaque */
            } else {
                r = body_line(P, c, L->toks, L->n, line_span, &first_in_body, line_truncated(L));
                if (r < 0)
                    return r;
            }
        }
        if (in_class)
            class_end = L->nl.end;
        if (opens_block) {
            expect_block = true;
            const char *what = block_kind(P, t0, block_what, sizeof block_what);
            if (what != block_what)
                snprintf(block_what, sizeof block_what, "%s", what ? what : "");
            block_line = t0->line;
        }
    }
    if (P->ndecos > 0)
        return syntax_error_eof(P, "invalid syntax");
    return 0;
}

/* ------------------------------------------------------------------ public API */

static void class_free(py_class *c)
{
    free(c->name);
    for (size_t i = 0; i < c->nbases; i++)
        free(c->bases[i]);
    free(c->bases);
    for (size_t i = 0; i < c->nkeywords; i++) {
        free(c->keywords[i].name);
        free(c->keywords[i].value);
    }
    free(c->keywords);
    for (size_t i = 0; i < c->ndecorators; i++)
        free(c->decorators[i]);
    free(c->decorators);
    free(c->docstring);
    free(c->indent);
    for (size_t i = 0; i < c->nmembers; i++) {
        free(c->members[i].name);
        free(c->members[i].value);
    }
    free(c->members);
    free(c->fields); /* their strings are the file's (strings) */
}

void pyfile_free(py_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nclasses; i++)
        class_free(&f->classes[i]);
    free(f->classes);
    for (size_t i = 0; i < f->nimports; i++) {
        free(f->imports[i].module);
        for (size_t k = 0; k < f->imports[i].nnames; k++)
            free(f->imports[i].names[k]);
        free(f->imports[i].names);
    }
    free(f->imports);
    free(f->line_starts);
    free(f->path);
    free(f->text);
    strpool_free(f->strings);
    free(f);
}

/* pyfile_parse, asking CPython's verdict unless the text is one it accepted before. */
static int parse_file(py_file **out, const char *path, const char *text, size_t len, bool accepted,
                      sm_error *err)
{
    int error = 0;
    parser P;
    memset(&P, 0, sizeof P);
    *out = NULL;
    if (len >= UINT32_MAX) /* spans are 32-bit (py_span) */
        return sm_error_set(err, ERR_PARSE, "split the file, or leave it out with \"files\" in the config",
                            "%s: %zu bytes; schemerge reads Python files of less than 4 GiB",
                            path ? path : "<string>", len);
    py_file *f = xcalloc(1, sizeof *f);
    f->strings = strpool_new();
    f->path = xstrdup(path ? path : "<string>");
    f->text = xmalloc(len + 1);
    if (len)
        memcpy(f->text, text, len);
    f->text[len] = '\0';
    f->len = len;
    f->bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
    f->final_newline = len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r');
    const char *eol = memchr(f->text, '\n', len);
    const char *cr = memchr(f->text, '\r', eol ? (size_t)(eol - f->text) : len);
    f->crlf = cr && cr + 1 < f->text + len && cr[1] == '\n';

    if ((error = check_text(f, err)) < 0)
        goto done;
    /* CPython's verdict first (SPEC 1): a file Python rejects is never read as if valid */
    if (!accepted && (error = pycheck_verdict(f->path, f->text, f->len, err)) < 0)
        goto done;
    P.f = f;
    P.err = err;
    lexer_init(&P.lx, f->path, f->text, f->len);
    error = parse(&P);
    lexer_done(&P.lx);
    if (f->nclasses) {
        fit_class(&f->classes[f->nclasses - 1]);
        f->classes = xrealloc(f->classes, f->nclasses * sizeof *f->classes);
    }

done:
    free(P.L.toks);
    for (size_t k = 0; k < P.ndecos; k++)
        free(P.decos[k]);
    free(P.decos);
    if (error < 0) {
        pyfile_free(f);
        return error;
    }
    *out = f;
    return 0;
}

int pyfile_parse(py_file **out, const char *path, const char *text, size_t len, sm_error *err)
{
    return parse_file(out, path, text, len, false, err);
}

int pyfile_load_known(py_file **out, const char *path, const verdicts *known,
                      char digest[SM_SHA256_HEX_LEN + 1], sm_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int error = fs_read_file(&text, &len, path, err);
    if (error == ERR_NOT_FOUND)
        return sm_error_set(err, ERR_NOT_FOUND, NULL, "%s: no such file", path);
    if (error < 0) {
        snprintf(err->hint, sizeof err->hint, "check the file's permissions");
        return error;
    }
    bool accepted = false;
    if (digest) {
        sha256_hex(digest, text, len);
        accepted = known && verdicts_known(known, digest);
    }
    error = parse_file(out, path, text, len, accepted, err);
    free(text);
    return error;
}

int pyfile_load(py_file **out, const char *path, sm_error *err)
{
    return pyfile_load_known(out, path, NULL, NULL, err);
}

const py_class *pyfile_find_class(const py_file *f, const char *name)
{
    if (!f || !name)
        return NULL;
    for (size_t i = 0; i < f->nclasses; i++)
        if (strcmp(f->classes[i].name, name) == 0)
            return &f->classes[i];
    return NULL;
}

bool pyclass_has_base(const py_class *c, const char *base)
{
    size_t n = strlen(base);
    for (size_t i = 0; i < c->nbases; i++) {
        const char *b = c->bases[i];
        size_t bl = strlen(b);
        if (strcmp(b, base) == 0)
            return true;
        if (bl > n && b[bl - n - 1] == '.' && strcmp(b + bl - n, base) == 0)
            return true;
    }
    return false;
}

const char *pyclass_keyword(const py_class *c, const char *name)
{
    for (size_t i = 0; i < c->nkeywords; i++)
        if (strcmp(c->keywords[i].name, name) == 0)
            return c->keywords[i].value;
    return NULL;
}

int pyfile_line_of(const py_file *f, size_t offset)
{
    if (!f || f->nlines == 0)
        return 1;
    size_t lo = 0, hi = f->nlines; /* last line_starts[i] <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}
