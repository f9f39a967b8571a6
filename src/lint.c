/* lint.c: references to tables and columns, found in the token stream.
 *
 * The file is parsed with pyfile_parse first, only to reject what is not valid Python
 * (not UTF-8, unterminated strings, bad indentation) with CPython's line and column; the
 * checks themselves work on tokens, because the references live in function bodies and
 * module code, which the schema parser deliberately keeps opaque.
 *
 * Scopes follow Python's rule closely enough for annotations: a name annotated in a
 * function is visible in that function (and nested ones), a module-level one everywhere,
 * and a class body's own names only in that body (methods do not see them). */
#include "config.h"
#include "lint.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "naming.h"
#include "pylex.h"
#include "pyparse.h"
#include "pytype.h"
#include "strbuf.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ results */

void lint_result_done(lint_result *res)
{
    for (size_t i = 0; i < res->n; i++) {
        free(res->items[i].path);
        free(res->items[i].message);
    }
    free(res->items);
    res->items = NULL;
    res->n = res->cap = 0;
}

size_t lint_edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t *row = xcalloc(lb + 1, sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > limit) { /* every path already costs more */
            free(row);
            return limit + 1;
        }
    }
    size_t d = row[lb];
    free(row);
    return d > limit ? limit + 1 : d;
}

/* The closest of names to word within distance 2 (and closer than the word is long, so
 * "id" never suggests "x"); the first one wins a tie. NULL when none. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3, wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t d = lint_edit_distance(word, names[i], 2);
        if (d < best_d && d < wl) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

/* ------------------------------------------------------------------ scopes */

typedef struct binding {
    char *name;
    const sm_table *table;
    char *class_name;
} binding;

typedef struct scope {
    int body_depth;      /* indentation depth of the body; the module is 0 */
    bool is_class;
    bool awaiting_body;  /* opened by a def/class line whose body has not started */
    binding *vars;
    size_t nvars, cap;
} scope;

typedef struct linter {
    lint_result *res;
    const char *path;
    const char *text;
    const sm_catalog *db;
    const sm_changeset *cs;
    lx_token *toks;
    size_t ntoks, cap_toks;
    scope *scopes;
    size_t nscopes, cap_scopes;
} linter;

static void scope_free_vars(scope *s)
{
    for (size_t i = 0; i < s->nvars; i++) {
        free(s->vars[i].name);
        free(s->vars[i].class_name);
    }
    free(s->vars);
}

static scope *push_scope(linter *L, int body_depth, bool is_class)
{
    scope *s = XPUSH(L->scopes, L->nscopes, L->cap_scopes);
    memset(s, 0, sizeof *s);
    s->body_depth = body_depth;
    s->is_class = is_class;
    return s;
}

static void pop_scope(linter *L)
{
    scope_free_vars(&L->scopes[--L->nscopes]);
}

static void bind(scope *s, const char *name, const sm_table *t, const char *class_name)
{
    for (size_t i = 0; i < s->nvars; i++) {
        if (strcmp(s->vars[i].name, name) == 0) { /* a later annotation wins */
            s->vars[i].table = t;
            free(s->vars[i].class_name);
            s->vars[i].class_name = xstrdup(class_name);
            return;
        }
    }
    binding *b = XPUSH(s->vars, s->nvars, s->cap);
    b->name = xstrdup(name);
    b->table = t;
    b->class_name = xstrdup(class_name);
}

static const binding *lookup(const linter *L, const char *name)
{
    for (size_t k = L->nscopes; k-- > 0;) {
        const scope *s = &L->scopes[k];
        /* a class body's names are visible in that body only, the module's everywhere */
        if (s->is_class && k != L->nscopes - 1)
            continue;
        for (size_t i = 0; i < s->nvars; i++)
            if (strcmp(s->vars[i].name, name) == 0)
                return &s->vars[i];
    }
    return NULL;
}

/* ------------------------------------------------------------------ tokens */

static bool is_op(const linter *L, size_t i, const char *op)
{
    if (i >= L->ntoks || L->toks[i].type != LX_OP)
        return false;
    size_t n = strlen(op);
    return L->toks[i].end - L->toks[i].start == n && memcmp(L->text + L->toks[i].start, op, n) == 0;
}

static bool is_name(const linter *L, size_t i, const char *name)
{
    if (i >= L->ntoks || L->toks[i].type != LX_NAME)
        return false;
    size_t n = strlen(name);
    return L->toks[i].end - L->toks[i].start == n &&
           memcmp(L->text + L->toks[i].start, name, n) == 0;
}

static char *tok_text(const linter *L, size_t i)
{
    return xstrndup(L->text + L->toks[i].start, L->toks[i].end - L->toks[i].start);
}

/* A plain string literal (not bytes, not an f-string), decoded; else NULL. */
static char *tok_string(const linter *L, size_t i)
{
    if (i >= L->ntoks || L->toks[i].type != LX_STRING || L->toks[i].str_bytes || L->toks[i].str_f)
        return NULL;
    return py_string_decode(L->text + L->toks[i].start, L->toks[i].end - L->toks[i].start);
}

static bool opens(const linter *L, size_t i)
{
    return is_op(L, i, "(") || is_op(L, i, "[") || is_op(L, i, "{");
}

static bool closes(const linter *L, size_t i)
{
    return is_op(L, i, ")") || is_op(L, i, "]") || is_op(L, i, "}");
}

/* ------------------------------------------------------------------ findings */

static void report(linter *L, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(linter *L, size_t i, const char *fmt, ...)
{
    strbuf msg = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    lint_finding *f = XPUSH(L->res->items, L->res->n, L->res->cap);
    f->path = xstrdup(L->path);
    f->line = L->toks[i].line;
    f->col = lx_column(L->text, L->toks[i].line_start, L->toks[i].start);
    f->message = strbuf_detach(&msg, NULL);
}

static const char *table_label(const linter *L, const sm_table *t, char **owned)
{
    if (L->db->nschemas <= 1)
        return t->name;
    *owned = xasprintf("%s.%s", t->schema, t->name);
    return *owned;
}

static void check_column(linter *L, size_t at, const sm_table *t, const char *class_name,
                         const char *key)
{
    if (table_find_column(t, key))
        return;
    const char **names = xcalloc(t->ncolumns + 1, sizeof *names);
    for (size_t i = 0; i < t->ncolumns; i++)
        names[i] = t->columns[i].name;
    const char *hint = closest(key, names, t->ncolumns);
    char *owned = NULL;
    const char *label = table_label(L, t, &owned);
    if (hint)
        report(L, at, "unknown column \"%s\" of table %s (%s); did you mean \"%s\"?", key, label,
               class_name, hint);
    else
        report(L, at, "unknown column \"%s\" of table %s (%s)", key, label, class_name);
    free(owned);
    free(names);
}

static void check_table(linter *L, size_t at, const char *name)
{
    if (catalog_find_table(L->db, NULL, name))
        return;
    const char **names = xcalloc(L->db->ntables + 1, sizeof *names);
    for (size_t i = 0; i < L->db->ntables; i++)
        names[i] = L->db->tables[i].name;
    const char *hint = closest(name, names, L->db->ntables);
    if (hint)
        report(L, at, "unknown table \"%s\"; did you mean \"%s\"?", name, hint);
    else
        report(L, at, "unknown table \"%s\"", name);
    free(names);
}

/* ------------------------------------------------------------------ annotations */

/* The row class an annotation (tokens [from, to)) names: X, Optional[X], X | None, "X",
 * module.X. Sets *table and returns the class name (new string), or NULL. */
static char *annotation_row_class(const linter *L, size_t from, size_t to, const sm_table **table)
{
    if (from >= to)
        return NULL;
    char *src;
    if (to - from == 1 && L->toks[from].type == LX_STRING)
        src = tok_string(L, from);
    else
        src = xstrndup(L->text + L->toks[from].start, L->toks[to - 1].end - L->toks[from].start);
    if (!src)
        return NULL;
    pytype *t = NULL;
    sm_error ignored = SM_ERROR_INIT;
    char *result = NULL;
    if (pytype_parse(&t, src, &ignored) == 0) {
        pytype *bare = pytype_strip_none(t);
        if (bare->kind == PYTYPE_NAME) {
            const char *dot = strrchr(bare->name, '.');
            const char *name = dot ? dot + 1 : bare->name;
            const sm_table *found = drift_class_table(L->cs, name);
            if (found) {
                *table = found;
                result = xstrdup(name);
            }
        }
        pytype_free(bare);
        pytype_free(t);
    }
    free(src);
    return result;
}

/* The end of an annotation starting at i: the first ',', ')', '=' (parameters) or '='
 * (assignments) at bracket depth 0, or the end of the logical line. */
static size_t annotation_end(const linter *L, size_t i, bool in_params)
{
    int depth = 0;
    for (; i < L->ntoks && L->toks[i].type != LX_NEWLINE && L->toks[i].type != LX_END; i++) {
        if (opens(L, i)) {
            depth++;
        } else if (closes(L, i)) {
            if (depth == 0)
                break;
            depth--;
        } else if (depth == 0 && (is_op(L, i, "=") || (in_params && is_op(L, i, ",")))) {
            break;
        }
    }
    return i;
}

/* `def NAME(` at i: bind the annotated parameters in scope s. */
static void bind_parameters(linter *L, size_t i, scope *s)
{
    size_t open = i + 2;
    if (!is_op(L, open, "("))
        return;
    int depth = 0;
    for (size_t k = open; k < L->ntoks && L->toks[k].type != LX_NEWLINE; k++) {
        if (opens(L, k)) {
            depth++;
        } else if (closes(L, k)) {
            if (--depth == 0)
                return;
        } else if (depth == 1 && L->toks[k].type == LX_NAME && is_op(L, k + 1, ":")) {
            size_t end = annotation_end(L, k + 2, true);
            const sm_table *t = NULL;
            char *cls = annotation_row_class(L, k + 2, end, &t);
            if (cls) {
                char *name = tok_text(L, k);
                bind(s, name, t, cls);
                free(name);
                free(cls);
            }
            k = end - 1;
        }
    }
}

/* ------------------------------------------------------------------ the walk */

/* `XRow(` at i: check every keyword argument. */
static void check_constructor(linter *L, size_t i, const sm_table *t, const char *cls)
{
    int depth = 0;
    for (size_t k = i + 1; k < L->ntoks && L->toks[k].type != LX_NEWLINE; k++) {
        if (opens(L, k)) {
            depth++;
        } else if (closes(L, k)) {
            if (--depth == 0)
                return;
        } else if (depth == 1 && L->toks[k].type == LX_NAME && is_op(L, k + 1, "=") &&
                   (is_op(L, k - 1, "(") || is_op(L, k - 1, ","))) {
            char *key = tok_text(L, k);
            check_column(L, k, t, cls, key);
            free(key);
        }
    }
}

static void check_token(linter *L, size_t i)
{
    const lx_token *tk = &L->toks[i];
    /* .table("name") / .from_("name") */
    if (is_op(L, i, ".") && (is_name(L, i + 1, "table") || is_name(L, i + 1, "from_")) &&
        is_op(L, i + 2, "(") && (is_op(L, i + 4, ")") || is_op(L, i + 4, ","))) {
        char *name = tok_string(L, i + 3);
        if (name)
            check_table(L, i + 3, name);
        free(name);
        return;
    }
    if (tk->type != LX_NAME || (i > 0 && is_op(L, i - 1, ".")))
        return;
    char *name = tok_text(L, i);
    const binding *b = lookup(L, name);
    if (b && is_op(L, i + 1, "[") && is_op(L, i + 3, "]")) {
        char *key = tok_string(L, i + 2);
        if (key)
            check_column(L, i + 2, b->table, b->class_name, key);
        free(key);
    } else if (b && is_op(L, i + 1, ".") && is_name(L, i + 2, "get") && is_op(L, i + 3, "(") &&
               (is_op(L, i + 5, ")") || is_op(L, i + 5, ","))) {
        char *key = tok_string(L, i + 4);
        if (key)
            check_column(L, i + 4, b->table, b->class_name, key);
        free(key);
    } else if (is_op(L, i + 1, "(") && !(i > 0 && (is_name(L, i - 1, "def") ||
                                                   is_name(L, i - 1, "class")))) {
        const sm_table *t = drift_class_table(L->cs, name);
        if (t)
            check_constructor(L, i, t, name);
    }
    free(name);
}

static void walk(linter *L)
{
    push_scope(L, 0, false);
    int depth = 0;
    bool line_start = true;
    for (size_t i = 0; i < L->ntoks; i++) {
        const lx_token *tk = &L->toks[i];
        switch (tk->type) {
        case LX_INDENT:
            depth++;
            for (size_t k = 0; k < L->nscopes; k++)
                L->scopes[k].awaiting_body = false;
            continue;
        case LX_DEDENT:
            depth--;
            while (L->nscopes > 1 && L->scopes[L->nscopes - 1].body_depth > depth)
                pop_scope(L);
            continue;
        case LX_NEWLINE: {
            /* a def or class whose body was on its own line: the scope ends here */
            if (L->nscopes > 1 && L->scopes[L->nscopes - 1].awaiting_body &&
                !(i + 1 < L->ntoks && L->toks[i + 1].type == LX_INDENT))
                pop_scope(L);
            line_start = true;
            continue;
        }
        case LX_END:
            return;
        default:
            break;
        }
        if (line_start) {
            line_start = false;
            size_t k = i;
            if (is_name(L, k, "async"))
                k++;
            if (is_name(L, k, "def") || is_name(L, k, "class")) {
                bool is_class = is_name(L, k, "class");
                scope *s = push_scope(L, depth + 1, is_class);
                s->awaiting_body = true;
                if (!is_class)
                    bind_parameters(L, k, s);
            } else if (tk->type == LX_NAME && is_op(L, i + 1, ":") && !is_op(L, i + 2, "=")) {
                char *name = tok_text(L, i);
                if (!naming_is_keyword(name)) {
                    size_t end = annotation_end(L, i + 2, false);
                    const sm_table *t = NULL;
                    char *cls = annotation_row_class(L, i + 2, end, &t);
                    if (cls)
                        bind(&L->scopes[L->nscopes - 1], name, t, cls);
                    free(cls);
                }
                free(name);
            }
        }
        check_token(L, i);
    }
}

int lint_source(lint_result *res, const char *path, const char *text, size_t len,
                const sm_catalog *db, const sm_changeset *cs, sm_error *err)
{
    py_file *f = NULL;
    int error = pyfile_parse(&f, path, text, len, err);
    if (error < 0)
        return error;
    linter L = { .res = res, .path = path, .text = f->text, .db = db, .cs = cs };
    lexer lx;
    lexer_init(&lx, path, f->text, f->len);
    for (;;) {
        lx_token t;
        if ((error = lexer_next(&lx, &t, err)) < 0)
            break;
        *XPUSH(L.toks, L.ntoks, L.cap_toks) = t;
        if (t.type == LX_END)
            break;
    }
    lexer_done(&lx);
    if (error >= 0)
        walk(&L);
    while (L.nscopes)
        pop_scope(&L);
    free(L.scopes);
    free(L.toks);
    pyfile_free(f);
    return error < 0 ? error : 0;
}

/* ------------------------------------------------------------------ finding files */

typedef struct file_list {
    char **items;
    size_t n, cap;
} file_list;

static bool skipped_dir(const char *name, const char *abs)
{
    if (name[0] == '.' || strcmp(name, "__pycache__") == 0 || strcmp(name, "node_modules") == 0 ||
        strcmp(name, "site-packages") == 0)
        return true;
    char *cfg = xasprintf("%s/pyvenv.cfg", abs);
    struct stat st;
    bool venv = stat(cfg, &st) == 0;
    free(cfg);
    return venv;
}

static bool excluded(const char *rel, const char *const *exclude, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (exclude[i] && strcmp(rel, exclude[i]) == 0)
            return true;
    return false;
}

static int scan(file_list *fl, const char *root, const char *rel, const char *const *exclude,
                size_t nexclude, sm_error *err)
{
    char *abs = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
    DIR *d = opendir(abs);
    if (!d) {
        int e = errno;
        free(abs);
        return sm_error_set(err, ERR_IO, NULL, "cannot read directory %s: %s", rel[0] ? rel : root,
                            strerror(e));
    }
    int error = 0;
    struct dirent *de;
    while (error == 0 && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child_rel = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        char *child_abs = xasprintf("%s/%s", abs, de->d_name);
        struct stat st;
        /* lstat: symbolic links are not followed, so a link cannot make a loop */
        if (lstat(child_abs, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                if (!skipped_dir(de->d_name, child_abs))
                    error = scan(fl, root, child_rel, exclude, nexclude, err);
            } else if (S_ISREG(st.st_mode)) {
                size_t nl = strlen(de->d_name);
                if (nl > 3 && strcmp(de->d_name + nl - 3, ".py") == 0 &&
                    !excluded(child_rel, exclude, nexclude)) {
                    *XPUSH(fl->items, fl->n, fl->cap) = child_rel;
                    child_rel = NULL;
                }
            }
        }
        free(child_rel);
        free(child_abs);
    }
    closedir(d);
    free(abs);
    return error;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int lint_find_files(char ***out, size_t *n, const char *root, const char *const *exclude,
                    size_t nexclude, sm_error *err)
{
    file_list fl = { 0 };
    int error = scan(&fl, root, "", exclude, nexclude, err);
    if (error < 0) {
        for (size_t i = 0; i < fl.n; i++)
            free(fl.items[i]);
        free(fl.items);
        return error;
    }
    if (fl.n)
        qsort(fl.items, fl.n, sizeof *fl.items, cmp_str);
    *out = fl.items;
    *n = fl.n;
    return 0;
}
