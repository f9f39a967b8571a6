/* pycheck.c: CPython's verdict on a Python source text (pycheck.h).
 *
 * The engine the generated rules (pycheck_rules.inc) run on, written after CPython 3.11's
 * Parser/pegen.c, pegen_errors.c and string_parser.c: the same token buffer filled on
 * demand (the furthest token fetched decides where "invalid syntax" is), the same memo,
 * the same two passes and the same order of priority between a parser's error and the
 * tokenizer's. The AST is not built: a node keeps its kind, where it starts and its
 * children, which is all the error messages and their locations need. */
#include "config.h"
#include "pycheck.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pylex.h"
#include "pystr.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#define PG_MAXSTACK 6000

enum pg_ttype {
    PGT_NAME, PGT_NUMBER, PGT_STRING, PGT_OP, PGT_KEYWORD, PGT_NEWLINE, PGT_INDENT, PGT_DEDENT,
    PGT_ENDMARKER, PGT_ASYNC, PGT_AWAIT, PGT_TYPE_COMMENT, PGT_SOFT_KEYWORD,
};

typedef struct pg_token {
    int type;
    size_t start, end;     /* byte offsets in the text */
    int line;              /* 1-based, as CPython numbers it (a string: its first line) */
    size_t line_start;
    int level;             /* brackets open after it */
    bool bytes, fstr;      /* a string's prefix */
    struct pg_node *node;  /* the node every match of it returns (made on first match) */
} pg_token;

#define PG_RULES_HEAD
#include "pycheck_rules.inc"
#undef PG_RULES_HEAD

typedef struct pg_node {
    int kind;              /* PGK_* */
    int tok;               /* absolute index of the token it starts at */
    struct pg_node **kids;
    int nkids, cap;
} pg_node;

typedef struct pg_memo {
    int tok, rule;
    pg_node *node;
    int end;
    unsigned gen;          /* a slot of another generation is empty */
} pg_memo;

typedef enum pg_errtype { PG_SYNTAX, PG_INDENT } pg_errtype;

typedef struct pg_parser {
    lexer lx;
    const char *text;
    size_t len;
    const char *path;
    int line_offset;       /* a sub-parser's (f-string) lines are shifted by this */
    /* tokens [base, fill) are toks[0 .. fill - base) */
    pg_token *toks;
    size_t cap;
    int base, fill, mark;
    bool lexer_done;
    int level;
    bool error;            /* pegen's error_indicator: an error is set */
    bool tok_error;        /* ... and it came from the tokenizer */
    bool lexer_failed;     /* the lexer returned an error: it cannot be used again */
    bool call_invalid_rules;
    /* the error */
    int err_line, err_col;
    char err_msg[320];
    /* memo: open addressing on (tok, rule) */
    pg_memo *memo;
    size_t memo_cap, memo_n;
    unsigned memo_gen;     /* memo_clear makes every slot empty by moving on (from 1) */
    /* nodes, freed all at once */
    void **chunks;
    size_t nchunks, cap_chunks;
    char *chunk;
    size_t chunk_used, chunk_size;
    int fstring_depth;     /* nesting of f-strings inside f-string expressions */
} pg_parser;

static pg_node pg_sentinel; /* what a lookahead that holds returns */

/* ------------------------------------------------------------------ memory */

static void *pg_alloc(pg_parser *p, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!p->chunk || p->chunk_used + n > p->chunk_size) {
        size_t size = n > 65536 ? n : 65536;
        p->chunk = xmalloc(size);
        p->chunk_size = size;
        p->chunk_used = 0;
        *XPUSH(p->chunks, p->nchunks, p->cap_chunks) = p->chunk;
    }
    void *r = p->chunk + p->chunk_used;
    p->chunk_used += n;
    return r;
}

static void pg_free_nodes(pg_parser *p)
{
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    p->nchunks = 0;
    p->chunk = NULL;
    p->chunk_used = p->chunk_size = 0;
}

static pg_node *pg_node_new(pg_parser *p, int kind, int tok)
{
    pg_node *n = pg_alloc(p, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->tok = tok;
    return n;
}

static void pg_kid_add(pg_parser *p, pg_node *n, pg_node *kid)
{
    if (n->nkids == n->cap) {
        int cap = n->cap ? n->cap * 2 : 4;
        pg_node **k = pg_alloc(p, (size_t)cap * sizeof *k);
        if (n->nkids)
            memcpy(k, n->kids, (size_t)n->nkids * sizeof *k);
        n->kids = k;
        n->cap = cap;
    }
    n->kids[n->nkids++] = kid;
}

/* ------------------------------------------------------------------ tokens */

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

/* Whether the token's text is s: the first byte decides most calls, without strlen. */
static bool text_is(const pg_parser *p, const pg_token *t, const char *s)
{
    const char *a = p->text + t->start;
    size_t n = t->end - t->start;
    if (n == 0 || a[0] != s[0])
        return false;
    for (size_t i = 1; i < n; i++)
        if (a[i] != s[i])
            return false;
    return s[n] == '\0';
}
static int name_type(const pg_parser *p, const pg_token *t)
{
    char c = p->text[t->start];
    if (c == 'a' && text_is(p, t, "async"))
        return PGT_ASYNC;
    if (c == 'a' && text_is(p, t, "await"))
        return PGT_AWAIT;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (keywords[i][0] == c && text_is(p, t, keywords[i]))
            return PGT_KEYWORD;
    return PGT_NAME;
}
static pg_token *pg_tok(pg_parser *p, int i)
{
    return &p->toks[i - p->base];
}

/* "PATH:LINE:COL: MESSAGE" (pylex's error) into the parser's error fields. */
static void take_lexer_error(pg_parser *p, const sm_error *e)
{
    const char *w = e->what;
    size_t pl = strlen(p->path);
    if (strncmp(w, p->path, pl) == 0 && w[pl] == ':')
        w += pl + 1;
    char *end;
    long line = strtol(w, &end, 10);
    long col = *end == ':' ? strtol(end + 1, &end, 10) : 0;
    if (*end == ':')
        end++;
    while (*end == ' ')
        end++;
    p->err_line = (int)line + p->line_offset;
    p->err_col = (int)col;
    snprintf(p->err_msg, sizeof p->err_msg, "%s", end);
}

/* Fetch the next token into the buffer. Returns 0, or -1 with the tokenizer's error set:
 * every error of the tokenizer is raised when the parser takes its token. */
static int pg_fill(pg_parser *p)
{
    if (p->lexer_failed) {
        p->error = true;
        return -1;
    }
    lx_token lt;
    sm_error e = SM_ERROR_INIT;
    if (lexer_next(&p->lx, &lt, &e) < 0) {
        p->lexer_failed = true;
        p->error = p->tok_error = true;
        take_lexer_error(p, &e);
        return -1;
    }
    size_t n = (size_t)(p->fill - p->base);
    if (n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->toks = xrealloc(p->toks, p->cap * sizeof *p->toks);
    }
    pg_token *t = &p->toks[n];
    t->start = lt.start;
    t->end = lt.end;
    t->line = lt.line;
    t->line_start = lt.line_start;
    if (lt.start >= p->len && lt.type != LX_NEWLINE && p->len > 0 &&
        (p->text[p->len - 1] == '\n' || p->text[p->len - 1] == '\r')) {
        /* at the end CPython's tokenizer is still on the last line, past its newline */
        t->line = lt.line - 1;
        size_t ls = p->len - 1;
        if (ls > 0 && p->text[ls] == '\n' && p->text[ls - 1] == '\r')
            ls--;
        while (ls > 0 && p->text[ls - 1] != '\n' && p->text[ls - 1] != '\r')
            ls--;
        t->line_start = ls;
    }
    t->level = lt.level;
    t->bytes = lt.str_bytes;
    t->fstr = lt.str_f;
    t->node = NULL;
    switch (lt.type) {
    case LX_NAME: t->type = name_type(p, t); break;
    case LX_NUMBER: t->type = PGT_NUMBER; break;
    case LX_STRING: t->type = PGT_STRING; break;
    case LX_OP: t->type = PGT_OP; break;
    case LX_NEWLINE: t->type = PGT_NEWLINE; break;
    case LX_INDENT: t->type = PGT_INDENT; break;
    case LX_DEDENT: t->type = PGT_DEDENT; break;
    case LX_END: t->type = PGT_ENDMARKER; break;
    }
    p->fill++;
    return 0;
}

static pg_token *pg_peek(pg_parser *p)
{
    if (p->mark == p->fill && pg_fill(p) < 0)
        return NULL;
    return pg_tok(p, p->mark);
}

/* Consume the token at mark. Every match of a token returns the same node: a PEG parser
 * matches the same tokens again and again while it backtracks. */
static pg_node *pg_take(pg_parser *p, int kind)
{
    pg_token *t = pg_tok(p, p->mark);
    if (!t->node || t->node->kind != kind)
        t->node = pg_node_new(p, kind, p->mark);
    p->mark++;
    return t->node;
}

/* ------------------------------------------------------------------ errors */

static int pg_line_of(pg_parser *p, int tok)
{
    if (tok < p->base || tok >= p->fill)
        return 0;
    return pg_tok(p, tok)->line + p->line_offset;
}

static int pg_col_of(pg_parser *p, int tok)
{
    if (tok < p->base || tok >= p->fill)
        return 1;
    const pg_token *t = pg_tok(p, tok);
    int col = lx_column(p->text, t->line_start, t->start);
    /* tokens without text (CPython's col_offset -1): the tokenizer's position, 0-based */
    if (t->type == PGT_INDENT || t->type == PGT_DEDENT || t->type == PGT_ENDMARKER)
        col--;
    return col > 0 ? col : 1;
}

static void pg_set_error(pg_parser *p, int line, int col, const char *fmt, va_list ap)
{
    p->error = true;
    p->tok_error = false;
    p->err_line = line;
    p->err_col = col;
    vsnprintf(p->err_msg, sizeof p->err_msg, fmt, ap);
}

#define PG_ARG_LINE(n) pg_line_of(p, (n)->tok)
#define PG_ARG_TEXT(s) (s)

/* RAISE_*: at loc's first token, or (loc NULL) at the last token fetched, as
 * _PyPegen_raise_error does. Returns NULL. */
static pg_node *pg_raise(pg_parser *p, pg_errtype type, const pg_node *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static pg_node *pg_raise(pg_parser *p, pg_errtype type, const pg_node *loc, const char *fmt, ...)
{
    (void)type;
    if (p->error)
        return NULL;
    int tok = loc ? loc->tok : p->fill - 1;
    va_list ap;
    va_start(ap, fmt);
    pg_set_error(p, pg_line_of(p, tok), pg_col_of(p, tok), fmt, ap);
    va_end(ap);
    return NULL;
}

static void pg_too_deep(pg_parser *p)
{
    pg_raise(p, PG_SYNTAX, NULL, "too many nested parentheses");
}

/* ------------------------------------------------------------------ matching */

static pg_node *pg_expect_type(pg_parser *p, int type)
{
    pg_token *t = pg_peek(p);
    if (!t)
        return NULL;
    if (type == PGT_SOFT_KEYWORD) {
        /* _PyPegen_soft_keyword_token compares only the token's length of each soft
         * keyword: "m", "ca" and every other prefix of one count too */
        static const char *const soft[] = { "_", "case", "match" };
        size_t n = t->end - t->start;
        for (size_t k = 0; t->type == PGT_NAME && k < sizeof soft / sizeof *soft; k++)
            if (n <= strlen(soft[k]) && strncmp(soft[k], p->text + t->start, n) == 0)
                return pg_take(p, PGK_Name);
        return NULL;
    }
    if (t->type != type)
        return NULL;
    return pg_take(p, type == PGT_NAME ? PGK_Name : type == PGT_NUMBER ? PGK_Constant : PGK_Token);
}

static pg_node *pg_expect_keyword(pg_parser *p, const char *kw)
{
    pg_token *t = pg_peek(p);
    if (!t || t->type != PGT_KEYWORD || !text_is(p, t, kw))
        return NULL;
    return pg_take(p, PGK_Token);
}

static pg_node *pg_expect_soft(pg_parser *p, const char *kw)
{
    pg_token *t = pg_peek(p);
    if (!t || t->type != PGT_NAME || !text_is(p, t, kw))
        return NULL;
    return pg_take(p, PGK_Name);
}

static pg_node *pg_expect_op(pg_parser *p, const char *op)
{
    pg_token *t = pg_peek(p);
    if (!t || t->type != PGT_OP)
        return NULL;
    /* '<>' is the tokenizer's NOTEQUAL too; the grammar's action tells them apart */
    if (!text_is(p, t, op) && !(op[0] == '!' && op[1] == '=' && text_is(p, t, "<>")))
        return NULL;
    return pg_take(p, PGK_Token);
}

/* &&'x': the token, or the error "expected 'x'" at the token found instead. */
static pg_node *pg_expect_forced(pg_parser *p, const char *op)
{
    pg_token *t = pg_peek(p);
    if (!t)
        return NULL;
    if (t->type == PGT_OP && text_is(p, t, op))
        return pg_take(p, PGK_Token);
    pg_node at = { .tok = p->mark };
    return pg_raise(p, PG_SYNTAX, &at, "expected '%s'", op);
}

static pg_node *pg_lookahead(pg_parser *p, int positive, pg_node *(*fn)(pg_parser *))
{
    int mark = p->mark;
    pg_node *r = fn(p);
    p->mark = mark;
    return ((r != NULL) == (positive != 0)) ? &pg_sentinel : NULL;
}

static pg_node *pg_seq_new(pg_parser *p, int mark)
{
    return pg_node_new(p, PGK_Seq, mark);
}

static void pg_seq_add(pg_parser *p, pg_node *seq, pg_node *e)
{
    pg_kid_add(p, seq, e);
}

/* A node of kind built by an action, starting at the alternative's first token, its
 * children the action's variables (sequences spliced in). */
static void add_flat(pg_parser *p, pg_node *n, pg_node *kid)
{
    if (!kid || kid == &pg_sentinel)
        return;
    if (kid->kind == PGK_Seq) {
        for (int i = 0; i < kid->nkids; i++)
            add_flat(p, n, kid->kids[i]);
        return;
    }
    pg_kid_add(p, n, kid);
}

static pg_node *pg_build(pg_parser *p, int kind, int mark, int n, ...)
{
    pg_node *node = pg_node_new(p, kind, mark);
    /* children matter only to the messages of the second pass (invalid targets, argument
     * errors): the first pass, which decides accept or reject, keeps none */
    if (!p->call_invalid_rules)
        return node;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        add_flat(p, node, va_arg(ap, pg_node *));
    va_end(ap);
    return node;
}

static pg_node *pg_first_kid(pg_node *n)
{
    return n && n->nkids ? n->kids[0] : n;
}

static int pg_token_level(pg_parser *p, int tok)
{
    return tok >= p->base && tok < p->fill ? pg_tok(p, tok)->level : 0;
}

static const char *pg_node_text(pg_parser *p, const pg_node *n)
{
    static char buf[128];
    if (n->tok < p->base || n->tok >= p->fill)
        return "";
    const pg_token *t = pg_tok(p, n->tok);
    snprintf(buf, sizeof buf, "%.*s", (int)(t->end - t->start), p->text + t->start);
    return buf;
}

/* _PyPegen_check_legacy_stmt: the name print or exec. */
static bool pg_is_legacy(pg_parser *p, const pg_node *n)
{
    if (!n || n->kind != PGK_Name)
        return false;
    const char *s = pg_node_text(p, n);
    return strcmp(s, "print") == 0 || strcmp(s, "exec") == 0;
}

/* _PyPegen_check_barry_as_flufl: nonzero (no match) for '<>' without barry_as_FLUFL. */
static bool pg_is_not_noteq(pg_parser *p, const pg_node *tok)
{
    return strcmp(pg_node_text(p, tok), "<>") == 0;
}

static bool is_imaginary(pg_parser *p, const pg_node *n)
{
    const char *s = pg_node_text(p, n);
    size_t l = strlen(s);
    return l && (s[l - 1] == 'j' || s[l - 1] == 'J');
}

static pg_node *pg_ensure_real(pg_parser *p, pg_node *n)
{
    if (is_imaginary(p, n))
        return pg_raise(p, PG_SYNTAX, n, "real number required in complex literal");
    return n;
}

static pg_node *pg_ensure_imaginary(pg_parser *p, pg_node *n)
{
    if (!is_imaginary(p, n))
        return pg_raise(p, PG_SYNTAX, n, "imaginary number required in complex literal");
    return n;
}

static const char *pg_expr_name(const pg_node *n);
static pg_node *pg_strings(pg_parser *p, pg_node *seq, int mark);
static pg_node *pg_arguments_error(pg_parser *p, pg_node *call);
static pg_node *pg_genexp_error(pg_parser *p, pg_node *args, pg_node *comprehensions);
enum { PG_STAR_TARGETS, PG_DEL_TARGETS, PG_FOR_TARGETS };
static pg_node *pg_raise_invalid_target(pg_parser *p, int type, pg_node *e);

/* ------------------------------------------------------------------ memo */

static size_t memo_slot(const pg_parser *p, int tok, int rule)
{
    uint64_t h = (uint64_t)(uint32_t)tok * 0x9E3779B97F4A7C15u ^ (uint64_t)(uint32_t)rule * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h >> 17) & (p->memo_cap - 1);
}

static bool slot_used(const pg_parser *p, size_t i)
{
    return p->memo[i].gen == p->memo_gen;
}

static void memo_grow(pg_parser *p)
{
    pg_memo *old = p->memo;
    size_t oldcap = p->memo_cap;
    unsigned gen = p->memo_gen;
    p->memo_cap = oldcap ? oldcap * 2 : 1024;
    p->memo = xcalloc(p->memo_cap, sizeof *p->memo);
    p->memo_gen = 1;
    p->memo_n = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].gen != gen)
            continue;
        size_t s = memo_slot(p, old[i].tok, old[i].rule);
        while (slot_used(p, s))
            s = (s + 1) & (p->memo_cap - 1);
        p->memo[s] = old[i];
        p->memo[s].gen = p->memo_gen;
        p->memo_n++;
    }
    free(old);
}

/* Forget every entry: a new generation (the table is wiped only when the counter wraps). */
static void memo_clear(pg_parser *p)
{
    p->memo_n = 0;
    if (++p->memo_gen == 0) {
        memset(p->memo, 0, p->memo_cap * sizeof *p->memo);
        p->memo_gen = 1;
    }
}

static bool pg_memo_get(pg_parser *p, int rule, pg_node **out)
{
    /* as _PyPegen_is_memoized: the token there is fetched first */
    if (p->mark == p->fill && pg_fill(p) < 0) {
        *out = NULL;
        return true;
    }
    if (!p->memo_cap)
        return false;
    size_t s = memo_slot(p, p->mark, rule);
    while (slot_used(p, s)) {
        if (p->memo[s].tok == p->mark && p->memo[s].rule == rule) {
            *out = p->memo[s].node;
            p->mark = p->memo[s].end;
            return true;
        }
        s = (s + 1) & (p->memo_cap - 1);
    }
    return false;
}

static void pg_memo_put(pg_parser *p, int tok, int rule, pg_node *node)
{
    if ((p->memo_n + 1) * 2 > p->memo_cap)
        memo_grow(p);
    size_t s = memo_slot(p, tok, rule);
    while (slot_used(p, s)) {
        if (p->memo[s].tok == tok && p->memo[s].rule == rule)
            break;
        s = (s + 1) & (p->memo_cap - 1);
    }
    if (!slot_used(p, s))
        p->memo_n++;
    p->memo[s].tok = tok;
    p->memo[s].rule = rule;
    p->memo[s].node = node;
    p->memo[s].end = p->mark;
    p->memo[s].gen = p->memo_gen;
}

#include "pycheck_rules.inc"

/* ------------------------------------------------------------------ node helpers */

static const char *pg_expr_name(const pg_node *n)
{
    if (!n)
        return "expression";
    switch (n->kind) {
    case PGK_Attribute: return "attribute";
    case PGK_Subscript: return "subscript";
    case PGK_Starred: return "starred";
    case PGK_Name: return "name";
    case PGK_List: return "list";
    case PGK_Tuple: return "tuple";
    case PGK_Lambda: return "lambda";
    case PGK_Call: return "function call";
    case PGK_BoolOp: case PGK_BinOp: case PGK_UnaryOp: return "expression";
    case PGK_GeneratorExp: return "generator expression";
    case PGK_Yield: case PGK_YieldFrom: return "yield expression";
    case PGK_Await: return "await expression";
    case PGK_ListComp: return "list comprehension";
    case PGK_SetComp: return "set comprehension";
    case PGK_DictComp: return "dict comprehension";
    case PGK_Dict: return "dict literal";
    case PGK_Set: return "set display";
    case PGK_JoinedStr: return "f-string expression";
    case PGK_Constant: return "literal";
    case PGK_Compare: return "comparison";
    case PGK_IfExp: return "conditional expression";
    case PGK_NamedExpr: return "named expression";
    default: return "expression";
    }
}

/* _PyPegen_get_invalid_target */
static pg_node *invalid_target(pg_node *e, int type)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case PGK_List:
    case PGK_Tuple:
        for (int i = 0; i < e->nkids; i++) {
            pg_node *c = invalid_target(e->kids[i], type);
            if (c)
                return c;
        }
        return NULL;
    case PGK_Starred:
        if (type == PG_DEL_TARGETS)
            return e;
        return e->nkids ? invalid_target(e->kids[0], type) : NULL;
    case PGK_Compare:
        if (type == PG_FOR_TARGETS) {
            if (e->nkids > 1 && e->kids[1]->kind == PGK_cmp_In)
                return invalid_target(e->kids[0], type);
            return NULL;
        }
        return e;
    case PGK_Name:
    case PGK_Subscript:
    case PGK_Attribute:
        return NULL;
    default:
        return e;
    }
}

static pg_node *pg_raise_invalid_target(pg_parser *p, int type, pg_node *e)
{
    pg_node *bad = invalid_target(e, type);
    if (bad)
        return pg_raise(p, PG_SYNTAX, bad, type == PG_DEL_TARGETS ? "cannot delete %s" : "cannot assign to %s",
                        pg_expr_name(bad));
    return pg_raise(p, PG_SYNTAX, NULL, "invalid syntax");
}

static pg_node *pg_arguments_error(pg_parser *p, pg_node *call)
{
    bool unpacking = false;
    for (int i = 0; call && i < call->nkids; i++) {
        const pg_node *k = call->kids[i];
        if (k->kind == PGK_keyword && k->tok >= p->base && k->tok < p->fill &&
            text_is(p, pg_tok(p, k->tok), "**"))
            unpacking = true;
    }
    return pg_raise(p, PG_SYNTAX, NULL, unpacking ? "positional argument follows keyword argument unpacking"
                                                  : "positional argument follows keyword argument");
}

static pg_node *pg_genexp_error(pg_parser *p, pg_node *args, pg_node *comprehensions)
{
    (void)comprehensions;
    pg_node *last = NULL;
    int npos = 0;
    for (int i = 0; args && i < args->nkids; i++)
        if (args->kids[i]->kind != PGK_keyword) {
            npos++;
            last = args->kids[i];
        }
    if (npos <= 1)
        return NULL;
    return pg_raise(p, PG_SYNTAX, last, "Generator expression must be parenthesized");
}

/* ------------------------------------------------------------------ strings */

static pg_node *escape_error(pg_parser *p, const char *why, size_t from, size_t to)
{
    if (from == to)
        return pg_raise(p, PG_SYNTAX, NULL, "(unicode error) 'unicodeescape' codec can't decode byte 0x5c in "
                                            "position %zu: %s", from, why);
    return pg_raise(p, PG_SYNTAX, NULL, "(unicode error) 'unicodeescape' codec can't decode bytes in position "
                                        "%zu-%zu: %s", from, to, why);
}

/* Escapes of a bytes (not raw) body: only \x needs two hex digits. */
static bool bytes_escape_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n)
            continue;
        if (s[++i] != 'x')
            continue;
        if (i + 2 >= n + 1 || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))
            return false;
        i += 2;
    }
    return true;
}

/* The escapes of a str literal token, decoded by the one decoder (pystr): -1 with
 * CPython's error when one is malformed. */
static int escape_check(pg_parser *p, const char *tok, size_t len)
{
    strbuf sb = STRBUF_INIT;
    const char *why = NULL;
    size_t from = 0, to = 0;
    int r = pystr_decode(&sb, tok, len, &why, &from, &to);
    strbuf_release(&sb);
    if (r != PYSTR_BAD)
        return 0;
    escape_error(p, why, from, to);
    return -1;
}

/* The same for a piece of an f-string's literal text. */
static int escape_check_part(pg_parser *p, const char *part, size_t n)
{
    char *tok = xmalloc(n + 2);
    tok[0] = '"';
    memcpy(tok + 1, part, n);
    tok[n + 1] = '"';
    int rc = escape_check(p, tok, n + 2);
    free(tok);
    return rc;
}

static int check_fstring(pg_parser *p, const pg_token *t, const char *body, size_t n, bool raw, int depth);

/* _PyPegen_concatenate_strings: each STRING token of seq checked as _PyPegen_parsestr and
 * the f-string parser check it. */
static pg_node *pg_strings(pg_parser *p, pg_node *seq, int mark)
{
    bool bytes = false;
    bool any_f = false;
    for (int i = 0; i < seq->nkids; i++) {
        const pg_token *t = pg_tok(p, seq->kids[i]->tok);
        const char *s = p->text + t->start;
        size_t len = t->end - t->start;
        size_t k = 0;
        bool raw = false, f = false, b = false;
        while (k < len && s[k] != '\'' && s[k] != '"') {
            char c = s[k] | 0x20;
            raw |= c == 'r';
            f |= c == 'f';
            b |= c == 'b';
            k++;
        }
        if (k >= len)
            continue; /* cannot happen: a STRING token has its quotes */
        char q = s[k];
        size_t qn = (len - k >= 6 && s[k + 1] == q && s[k + 2] == q) ? 3 : 1;
        const char *body = s + k + qn;
        size_t blen = len >= k + 2 * qn ? len - k - 2 * qn : 0;
        if (i != 0 && bytes != b)
            return pg_raise(p, PG_SYNTAX, NULL, "cannot mix bytes and nonbytes literals");
        bytes = b;
        if (f) {
            any_f = true;
            if (check_fstring(p, t, body, blen, raw, 0) < 0)
                return NULL;
            continue;
        }
        bool has_backslash = memchr(body, '\\', blen) != NULL;
        if (b) {
            for (size_t c = 0; c < blen + qn; c++)
                if ((unsigned char)body[c] >= 0x80)
                    return pg_raise(p, PG_SYNTAX, seq->kids[i], "bytes can only contain ASCII literal characters");
            if (!raw && has_backslash && !bytes_escape_ok(body, blen))
                return pg_raise(p, PG_SYNTAX, NULL, "(value error) invalid \\x escape at position 0");
        } else if (!raw && has_backslash && escape_check(p, s, len) < 0) {
            return NULL;
        }
    }
    return pg_node_new(p, any_f ? PGK_JoinedStr : PGK_Constant, mark);
}

/* ------------------------------------------------------------------ the passes */

static void parser_init(pg_parser *p, const char *path, const char *text, size_t len, int line_offset)
{
    memset(p, 0, sizeof *p);
    p->text = text;
    p->len = len;
    p->path = path;
    p->line_offset = line_offset;
    lexer_init(&p->lx, path, text, len);
}

static void parser_done(pg_parser *p)
{
    lexer_done(&p->lx);
    free(p->toks);
    free(p->memo);
    pg_free_nodes(p);
    free(p->chunks);
}

/* Forget everything before the token at mark: an accepted statement is never parsed again. */
static void commit(pg_parser *p)
{
    int drop = p->mark - p->base;
    if (drop > 0) {
        memmove(p->toks, p->toks + drop, (size_t)(p->fill - p->mark) * sizeof *p->toks);
        p->base = p->mark;
    }
    memo_clear(p);
    pg_free_nodes(p);
    for (int i = p->base; i < p->fill; i++)
        pg_tok(p, i)->node = NULL;
}

/* The rest of the file through the tokenizer (_PyPegen_tokenize_full_source_to_check_for_
 * errors): an error the tokenizer raises at once replaces the parser's; at the end of the
 * file with a bracket open on a line before err_line, "'(' was never closed" does. */
static void scan_rest(pg_parser *p, int err_line)
{
    if (p->lexer_failed)
        return;
    for (;;) {
        lx_token lt;
        sm_error e = SM_ERROR_INIT;
        if (lexer_next(&p->lx, &lt, &e) < 0) {
            p->lexer_failed = true;
            if (!p->lx.err_deferred) {
                take_lexer_error(p, &e);
                return;
            }
            if (p->lx.nbrackets > 0 && p->lx.brackets[p->lx.nbrackets - 1].line + p->line_offset < err_line) {
                const lx_bracket *b = &p->lx.brackets[p->lx.nbrackets - 1];
                p->err_line = b->line + p->line_offset;
                p->err_col = lx_column(p->text, b->line_start, b->off);
                snprintf(p->err_msg, sizeof p->err_msg, "'%c' was never closed", b->ch);
            }
            return;
        }
        if (lt.type == LX_END)
            return;
    }
}

typedef pg_node *(*pg_start_rule)(pg_parser *);

/* One pass over statements from the token at start: 1 when the input ends there (or, for
 * an f-string expression, the expression is read), 0 when it fails, -1 on an error. */
static int run_pass(pg_parser *p, bool file_input, bool keep_tokens)
{
    if (!file_input) {
        pg_node *r = r_fstring(p);
        return p->error ? -1 : r ? 1 : 0;
    }
    for (;;) {
        pg_token *t = pg_peek(p);
        if (!t)
            return -1;
        if (t->type == PGT_ENDMARKER)
            return 1;
        pg_node *r = r_statement(p);
        if (p->error)
            return -1;
        if (!r)
            return 0;
        if (!keep_tokens)
            commit(p);
    }
}

/* _PyPegen_run_parser with its error reporting; returns 0 or -1 with the error set. */
static int run_parser(pg_parser *p, bool file_input)
{
    int r = run_pass(p, file_input, false);
    if (r == 1)
        return 0;
    if (r < 0) {
        /* an error of the first pass: the tokenizer's stands; a parser's gives way to a
         * tokenizer error later in the file */
        if (!p->tok_error)
            scan_rest(p, pg_line_of(p, p->fill - 1));
        return -1;
    }
    /* the second pass, from the statement that failed, with the invalid_ rules */
    pg_token last = *pg_tok(p, p->fill - 1);
    int last_index = p->fill - 1;
    p->mark = p->base;
    memo_clear(p);
    pg_free_nodes(p);
    for (int i = p->base; i < p->fill; i++)
        pg_tok(p, i)->node = NULL;
    p->call_invalid_rules = true;
    r = run_pass(p, file_input, true);
    if (p->error) {
        if (!p->tok_error)
            scan_rest(p, pg_line_of(p, p->fill - 1));
        return -1;
    }
    if (last.type == PGT_INDENT || last.type == PGT_DEDENT) {
        pg_raise(p, PG_INDENT, NULL, last.type == PGT_INDENT ? "unexpected indent" : "unexpected unindent");
        return -1;
    }
    pg_node at = { .tok = last_index };
    pg_raise(p, PG_SYNTAX, &at, "invalid syntax");
    scan_rest(p, pg_line_of(p, p->fill - 1));
    return -1;
}

/* ------------------------------------------------------------------ f-strings */

/* The expression text[0..n) of an f-string, parsed as CPython's fstring_compile_expr does:
 * "(" text ")" with the fstring start rule; its errors say "f-string: ". */
static int fstring_compile(pg_parser *p, const pg_token *t, const char *expr, size_t n, int lines)
{
    size_t k = 0;
    while (k < n && (expr[k] == ' ' || expr[k] == '\t' || expr[k] == '\n' || expr[k] == '\f' ||
                     expr[k] == '\r'))
        k++;
    if (k == n) {
        if (expr[n] == '!' || expr[n] == ':' || expr[n] == '=') {
            pg_raise(p, PG_SYNTAX, NULL, "f-string: expression required before '%c'", expr[n]);
            return -1;
        }
        pg_raise(p, PG_SYNTAX, NULL, "f-string: empty expression not allowed");
        return -1;
    }
    char *src = xmalloc(n + 3);
    src[0] = '(';
    memcpy(src + 1, expr, n);
    src[n + 1] = ')';
    src[n + 2] = '\0';
    pg_parser sub;
    parser_init(&sub, p->path, src, n + 2, t->line + p->line_offset + lines - 1);
    sub.fstring_depth = p->fstring_depth + 1;
    int rc = 0;
    if (run_parser(&sub, false) < 0) {
        p->error = true;
        p->tok_error = false;
        p->err_line = sub.err_line;
        p->err_col = sub.err_col;
        if (strncmp(sub.err_msg, "f-string", 8) == 0)
            snprintf(p->err_msg, sizeof p->err_msg, "%s", sub.err_msg);
        else
            snprintf(p->err_msg, sizeof p->err_msg, "f-string: %.300s", sub.err_msg);
        rc = -1;
    }
    parser_done(&sub);
    free(src);
    return rc;
}

/* fstring_find_literal and fstring_find_expr over one f-string body. */
static int check_fstring(pg_parser *p, const pg_token *t, const char *s, size_t n, bool raw, int depth)
{
    if (depth >= 2) {
        pg_raise(p, PG_SYNTAX, NULL, "f-string: expressions nested too deeply");
        return -1;
    }
    const char *tok_text = p->text + t->start;
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (!raw && c == '\\' && i + 1 < n) {
            /* a literal part's escapes are decoded as a str's; \N{...} is one escape */
            if (s[i + 1] == 'N' && i + 2 < n && s[i + 2] == '{') {
                const char *close = memchr(s + i + 3, '}', n - (i + 3));
                if (!close) {
                    pg_raise(p, PG_SYNTAX, NULL, "(unicode error) 'unicodeescape' codec can't decode bytes: "
                                                 "malformed \\N character escape");
                    return -1;
                }
                if (escape_check_part(p, s + i, (size_t)(close + 1 - (s + i))) < 0)
                    return -1;
                i = (size_t)(close + 1 - s);
                continue;
            }
            size_t e = i + 2 + (s[i + 1] == 'x' ? 2 : s[i + 1] == 'u' ? 4 : s[i + 1] == 'U' ? 8 : 0);
            if (e > n)
                e = n;
            if (escape_check_part(p, s + i, e - i) < 0)
                return -1;
            i = e;
            continue;
        }
        if (c == '}') {
            if (i + 1 < n && s[i + 1] == '}') {
                i += 2;
                continue;
            }
            pg_raise(p, PG_SYNTAX, NULL, "f-string: single '}' is not allowed");
            return -1;
        }
        if (c != '{') {
            i++;
            continue;
        }
        if (i + 1 < n && s[i + 1] == '{') {
            i += 2;
            continue;
        }
        /* an expression: to the first top-level '!', ':', '=' or '}' outside strings */
        size_t expr_start = ++i;
        char stack[200];
        int nested = 0;
        char quote = 0;
        int qn = 0;
        bool closed = false;
        for (; i < n; i++) {
            char ch = s[i];
            if (ch == '\\') {
                pg_raise(p, PG_SYNTAX, NULL, "f-string expression part cannot include a backslash");
                return -1;
            }
            if (quote) {
                if (ch == quote) {
                    if (qn == 3) {
                        if (i + 2 < n && s[i + 1] == ch && s[i + 2] == ch) {
                            i += 2;
                            quote = 0;
                        }
                    } else {
                        quote = 0;
                    }
                }
                continue;
            }
            if (ch == '\'' || ch == '"') {
                if (i + 2 < n && s[i + 1] == ch && s[i + 2] == ch) {
                    qn = 3;
                    i += 2;
                } else {
                    qn = 1;
                }
                quote = ch;
                continue;
            }
            if (ch == '[' || ch == '(' || ch == '{') {
                if (nested >= 200) {
                    pg_raise(p, PG_SYNTAX, NULL, "f-string: too many nested parenthesis");
                    return -1;
                }
                stack[nested++] = ch;
                continue;
            }
            if (ch == '#') {
                pg_raise(p, PG_SYNTAX, NULL, "f-string expression part cannot include '#'");
                return -1;
            }
            if (nested == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
                if ((ch == '=' || ch == '!' || ch == '<' || ch == '>') && i + 1 < n && s[i + 1] == '=') {
                    i++; /* ==, !=, <=, >= are operators */
                    continue;
                }
                if (ch == '>' || ch == '<')
                    continue;
                closed = true;
                break;
            }
            if (ch == ']' || ch == ')' || ch == '}') {
                if (nested == 0) {
                    pg_raise(p, PG_SYNTAX, NULL, "f-string: unmatched '%c'", ch);
                    return -1;
                }
                char open = stack[--nested];
                if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') || (open == '{' && ch == '}'))) {
                    pg_raise(p, PG_SYNTAX, NULL, "f-string: closing parenthesis '%c' does not match opening "
                                                 "parenthesis '%c'", ch, open);
                    return -1;
                }
            }
        }
        if (quote) {
            pg_raise(p, PG_SYNTAX, NULL, "f-string: unterminated string");
            return -1;
        }
        if (nested) {
            pg_raise(p, PG_SYNTAX, NULL, "f-string: unmatched '%c'", stack[nested - 1]);
            return -1;
        }
        if (!closed) {
            pg_raise(p, PG_SYNTAX, NULL, "f-string: expecting '}'");
            return -1;
        }
        int lines = 0; /* newlines in the token before the '{' */
        for (const char *q = tok_text; q < s + expr_start - 1; q++)
            lines += *q == '\n';
        if (fstring_compile(p, t, s + expr_start, i - expr_start, lines) < 0)
            return -1;
        if (s[i] == '=') {
            i++;
            if (i >= n) {
                pg_raise(p, PG_SYNTAX, NULL, "f-string: expecting '}'");
                return -1;
            }
        }
        if (s[i] == '!') {
            i++;
            if (i >= n) {
                pg_raise(p, PG_SYNTAX, NULL, "f-string: expecting '}'");
                return -1;
            }
            char conv = s[i++];
            if (conv != 's' && conv != 'r' && conv != 'a') {
                pg_raise(p, PG_SYNTAX, NULL, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
                return -1;
            }
        }
        if (i < n && s[i] == ':') {
            /* the format spec: literal text and nested replacement fields up to the '}' */
            size_t spec = ++i;
            int braces = 0;
            while (i < n && (s[i] != '}' || braces > 0)) {
                if (s[i] == '{')
                    braces++;
                else if (s[i] == '}')
                    braces--;
                i++;
            }
            if (i >= n) {
                pg_raise(p, PG_SYNTAX, NULL, "f-string: expecting '}'");
                return -1;
            }
            if (check_fstring(p, t, s + spec, i - spec, raw, depth + 1) < 0)
                return -1;
        }
        if (i >= n || s[i] != '}') {
            pg_raise(p, PG_SYNTAX, NULL, "f-string: expecting '}'");
            return -1;
        }
        i++;
    }
    return 0;
}

/* ------------------------------------------------------------------ encoding cookie */

/* The text encodings Python 3.11's codecs.lookup knows, by encodings.normalize_encoding
 * name in lower case (aliases too): a coding cookie naming another is an error. */
static const char *const known_codecs[] = {
    "037", "1026", "1125", "1140", "1250", "1251", "1252", "1253", "1254", "1255", "1256", "1257",
    "1258", "273", "424", "437", "500", "646", "775", "850", "852", "855", "857", "858", "860",
    "861", "862", "863", "864", "865", "866", "869", "8859", "932", "936", "949", "950",
    "ansi_x3.4_1968", "ansi_x3.4_1986", "ansi_x3_4_1968", "ansi_x3_4_1986", "arabic", "ascii",
    "asmo_708", "big5", "big5_hkscs", "big5_tw", "big5hkscs", "charmap", "chinese", "cp037",
    "cp1006", "cp1026", "cp1051", "cp1125", "cp1140", "cp1250", "cp1251", "cp1252", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp1361", "cp154", "cp273", "cp367", "cp424",
    "cp437", "cp500", "cp65001", "cp720", "cp737", "cp775", "cp819", "cp850", "cp852", "cp855",
    "cp856", "cp857", "cp858", "cp860", "cp861", "cp862", "cp863", "cp864", "cp865", "cp866",
    "cp866u", "cp869", "cp874", "cp875", "cp932", "cp936", "cp949", "cp950", "cp_gr", "cp_is",
    "csascii", "csbig5", "csibm037", "csibm1026", "csibm273", "csibm424", "csibm500", "csibm855",
    "csibm857", "csibm858", "csibm860", "csibm861", "csibm863", "csibm864", "csibm865", "csibm866",
    "csibm869", "csiso2022jp", "csiso2022kr", "csiso58gb231280", "csisolatin1", "csisolatin2",
    "csisolatin3", "csisolatin4", "csisolatin5", "csisolatin6", "csisolatinarabic",
    "csisolatincyrillic", "csisolatingreek", "csisolatinhebrew", "cskoi8r", "cspc775baltic",
    "cspc850multilingual", "cspc862latinhebrew", "cspc8codepage437", "cspcp852", "csptcp154",
    "csshiftjis", "cyrillic", "cyrillic_asian", "ebcdic_cp_be", "ebcdic_cp_ca", "ebcdic_cp_ch",
    "ebcdic_cp_he", "ebcdic_cp_nl", "ebcdic_cp_us", "ebcdic_cp_wt", "ecma_114", "ecma_118",
    "elot_928", "euc_cn", "euc_jis2004", "euc_jis_2004", "euc_jisx0213", "euc_jp", "euc_kr",
    "euccn", "eucgb2312_cn", "eucjis2004", "eucjisx0213", "eucjp", "euckr", "gb18030",
    "gb18030_2000", "gb2312", "gb2312_1980", "gb2312_80", "gbk", "greek", "greek8", "hebrew",
    "hkscs", "hp_roman8", "hz", "hz_gb", "hz_gb_2312", "hzgb", "ibm037", "ibm039", "ibm1026",
    "ibm1051", "ibm1125", "ibm1140", "ibm273", "ibm367", "ibm424", "ibm437", "ibm500", "ibm775",
    "ibm819", "ibm850", "ibm852", "ibm855", "ibm857", "ibm858", "ibm860", "ibm861", "ibm862",
    "ibm863", "ibm864", "ibm865", "ibm866", "ibm869", "idna", "iso2022_jp", "iso2022_jp_1",
    "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3", "iso2022_jp_ext", "iso2022_kr", "iso2022jp",
    "iso2022jp_1", "iso2022jp_2", "iso2022jp_2004", "iso2022jp_3", "iso2022jp_ext", "iso2022kr",
    "iso646_us", "iso8859", "iso8859_1", "iso8859_10", "iso8859_11", "iso8859_13", "iso8859_14",
    "iso8859_15", "iso8859_16", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6",
    "iso8859_7", "iso8859_8", "iso8859_9", "iso_2022_jp", "iso_2022_jp_1", "iso_2022_jp_2",
    "iso_2022_jp_2004", "iso_2022_jp_3", "iso_2022_jp_ext", "iso_2022_kr", "iso_646.irv_1991",
    "iso_646_irv_1991", "iso_8859_1", "iso_8859_10", "iso_8859_10_1992", "iso_8859_11",
    "iso_8859_11_2001", "iso_8859_13", "iso_8859_14", "iso_8859_14_1998", "iso_8859_15",
    "iso_8859_16", "iso_8859_16_2001", "iso_8859_1_1987", "iso_8859_2", "iso_8859_2_1987",
    "iso_8859_3", "iso_8859_3_1988", "iso_8859_4", "iso_8859_4_1988", "iso_8859_5",
    "iso_8859_5_1988", "iso_8859_6", "iso_8859_6_1987", "iso_8859_7", "iso_8859_7_1987",
    "iso_8859_8", "iso_8859_8_1988", "iso_8859_9", "iso_8859_9_1989", "iso_celtic", "iso_ir_100",
    "iso_ir_101", "iso_ir_109", "iso_ir_110", "iso_ir_126", "iso_ir_127", "iso_ir_138",
    "iso_ir_144", "iso_ir_148", "iso_ir_157", "iso_ir_166", "iso_ir_199", "iso_ir_226", "iso_ir_58",
    "iso_ir_6", "jisx0213", "johab", "koi8_r", "koi8_t", "koi8_u", "korean", "ks_c_5601",
    "ks_c_5601_1987", "ks_x_1001", "ksc5601", "ksx1001", "kz1048", "kz_1048", "l1", "l10", "l2",
    "l3", "l4", "l5", "l6", "l7", "l8", "l9", "latin", "latin1", "latin10", "latin2", "latin3",
    "latin4", "latin5", "latin6", "latin7", "latin8", "latin9", "latin_1", "mac_arabic",
    "mac_centeuro", "mac_croatian", "mac_cyrillic", "mac_farsi", "mac_greek", "mac_iceland",
    "mac_latin2", "mac_roman", "mac_romanian", "mac_turkish", "maccentraleurope", "maccyrillic",
    "macgreek", "maciceland", "macintosh", "maclatin2", "macroman", "macturkish", "ms1361", "ms932",
    "ms936", "ms949", "ms950", "ms_kanji", "mskanji", "palmos", "pt154", "ptcp154", "punycode",
    "r8", "raw_unicode_escape", "rk1048", "roman8", "ruscii", "s_jis", "s_jis_2004", "s_jisx0213",
    "shift_jis", "shift_jis_2004", "shift_jisx0213", "shiftjis", "shiftjis2004", "shiftjisx0213",
    "sjis", "sjis_2004", "sjisx0213", "strk1048_2002", "thai", "tis620", "tis_620", "tis_620_0",
    "tis_620_2529_0", "tis_620_2529_1", "u16", "u32", "u7", "u8", "u_jis", "uhc", "ujis",
    "undefined", "unicode_1_1_utf_7", "unicode_escape", "unicodebigunmarked",
    "unicodelittleunmarked", "us", "us_ascii", "utf", "utf16", "utf32", "utf7", "utf8", "utf8_ucs2",
    "utf8_ucs4", "utf_16", "utf_16_be", "utf_16_le", "utf_16be", "utf_16le", "utf_32", "utf_32_be",
    "utf_32_le", "utf_32be", "utf_32le", "utf_7", "utf_8", "utf_8_sig", "windows_1250",
    "windows_1251", "windows_1252", "windows_1253", "windows_1254", "windows_1255", "windows_1256",
    "windows_1257", "windows_1258", "x_mac_japanese", "x_mac_korean", "x_mac_simp_chinese",
    "x_mac_trad_chinese",
};

static int cmp_codec(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The coding spec of one line (tokenizer.c get_coding_spec): *spec set (malloc'd) when
 * the line is a comment holding "coding[:=] NAME"; returns whether the line has anything
 * but a comment (then the second line is not looked at). */
static bool coding_spec(const char *line, size_t size, char **spec)
{
    *spec = NULL;
    size_t i = 0;
    for (; i + 6 < size; i++) {
        if (line[i] == '#')
            break;
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\f')
            return true;
    }
    for (; i + 6 < size; i++) {
        if (memcmp(line + i, "coding", 6) != 0 || (line[i + 6] != ':' && line[i + 6] != '='))
            continue;
        size_t b = i + 7;
        while (b < size && (line[b] == ' ' || line[b] == '\t'))
            b++;
        size_t e = b;
        while (e < size && ((line[e] >= 'a' && line[e] <= 'z') || (line[e] >= 'A' && line[e] <= 'Z') ||
                            (line[e] >= '0' && line[e] <= '9') || line[e] == '-' || line[e] == '_' || line[e] == '.'))
            e++;
        if (e > b) {
            *spec = xstrndup(line + b, e - b);
            return false;
        }
    }
    for (i = 0; i < size; i++) {
        if (line[i] == '#' || line[i] == '\n' || line[i] == '\r')
            return false;
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\f')
            return true;
    }
    return false;
}

/* CPython's get_normal_name: "utf-8" and "iso-8859-1" for their spellings. */
static const char *normal_name(const char *s)
{
    char buf[13];
    size_t i = 0;
    for (; i < 12 && s[i]; i++)
        buf[i] = s[i] == '_' ? '-' : (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    buf[i] = '\0';
    if (strcmp(buf, "utf-8") == 0 || strncmp(buf, "utf-8-", 6) == 0)
        return "utf-8";
    if (strcmp(buf, "latin-1") == 0 || strcmp(buf, "iso-8859-1") == 0 || strcmp(buf, "iso-latin-1") == 0 ||
        strncmp(buf, "latin-1-", 8) == 0 || strncmp(buf, "iso-8859-1-", 11) == 0 ||
        strncmp(buf, "iso-latin-1-", 12) == 0)
        return "iso-8859-1";
    return s;
}

/* A coding cookie in the first two lines (PEP 263), checked as CPython's tokenizer does
 * for a file: 0, or ERR_PARSE at line 0 for an encoding Python does not know. */
static int check_cookie(const char *path, const char *text, size_t len, sm_error *err)
{
    bool bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
    const char *s = text + (bom ? 3 : 0);
    size_t n = len - (bom ? 3 : 0);
    const char *nl1 = memchr(s, '\n', n);
    if (!nl1)
        return 0;
    char *spec = NULL;
    bool code = coding_spec(s, (size_t)(nl1 - s) + 1, &spec);
    if (!spec && !code) {
        const char *l2 = nl1 + 1;
        const char *nl2 = memchr(l2, '\n', n - (size_t)(l2 - s));
        if (nl2)
            coding_spec(l2, (size_t)(nl2 - l2) + 1, &spec);
    }
    if (!spec)
        return 0;
    int rc = 0;
    const char *name = normal_name(spec);
    if (bom && strcmp(name, "utf-8") != 0) {
        rc = lx_error_at(err, path, 0, 1, "encoding problem: %s with BOM", name);
    } else if (strcmp(name, "utf-8") != 0 && strcmp(name, "iso-8859-1") != 0) {
        /* encodings.normalize_encoding, lower case */
        strbuf norm = STRBUF_INIT;
        bool punct = false;
        for (const char *c = name; *c; c++) {
            bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
            if (alnum || *c == '.') {
                if (punct && norm.len)
                    strbuf_addch(&norm, '_');
                strbuf_addch(&norm, (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c));
                punct = false;
            } else {
                punct = true;
            }
        }
        const char *key = norm.buf;
        bool known = norm.len && bsearch(&key, known_codecs, sizeof known_codecs / sizeof *known_codecs,
                                         sizeof *known_codecs, cmp_codec);
        for (char *c = norm.buf; !known && norm.len && *c; c++)
            if (*c == '.')
                *c = '_';
        key = norm.buf;
        known = known || (norm.len && bsearch(&key, known_codecs, sizeof known_codecs / sizeof *known_codecs,
                                              sizeof *known_codecs, cmp_codec));
        if (!known)
            rc = lx_error_at(err, path, 0, 1, "unknown encoding: %s", name);
        strbuf_release(&norm);
    }
    free(spec);
    return rc;
}

/* ------------------------------------------------------------------ public */

/* The first line that is a merge conflict marker, or 0. */
static int conflict_marker_line(const char *text, size_t len)
{
    int line = 1;
    for (size_t i = 0; i < len; line++) {
        size_t e = i;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        size_t n = e - i;
        const char *s = text + i;
        if ((n >= 7 && (memcmp(s, "<<<<<<<", 7) == 0 || memcmp(s, ">>>>>>>", 7) == 0) &&
             (n == 7 || s[7] == ' ')) ||
            (n == 7 && memcmp(s, "=======", 7) == 0))
            return line;
        i = e;
        if (i < len && text[i] == '\r')
            i++;
        if (i < len && text[i] == '\n')
            i++;
    }
    return 0;
}

int pycheck_verdict(const char *path, const char *text, size_t len, sm_error *err)
{
    if (!path)
        path = "<string>";
    int rc = check_cookie(path, text, len, err);
    if (rc < 0)
        return rc;
    pg_parser p;
    parser_init(&p, path, text, len, 0);
    rc = run_parser(&p, true);
    if (rc < 0) {
        int marker = conflict_marker_line(text, len);
        if (marker)
            rc = lx_error_at(err, p.path, marker, 1, "unresolved merge conflict markers; resolve them first");
        else
            rc = lx_error_at(err, p.path, p.err_line, p.err_col > 0 ? p.err_col : 1, "%s", p.err_msg);
    }
    parser_done(&p);
    return rc;
}
