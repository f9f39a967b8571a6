/* model.c: construction, ordering, lookup and release of the catalog model. It knows
 * nothing of where a catalog came from (database or snapshot). */
#include "config.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "parallel.h"
#include "strbuf.h"
#include "strpool.h"
#include "xalloc.h"

sm_catalog *catalog_new(void)
{
    return xcalloc(1, sizeof(sm_catalog));
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void constraint_done(sm_constraint *k, bool pooled)
{
    if (pooled) { /* the strings are the catalog's pool's; the arrays are the constraint's */
        free(k->columns);
        free(k->ref_columns);
        return;
    }
    free(k->name);
    free_strings(k->columns, k->ncolumns);
    free(k->ref_schema);
    free(k->ref_table);
    free_strings(k->ref_columns, k->nref_columns);
    free(k->definition);
}

static void column_done(sm_column *c, bool pooled)
{
    sm_type_free(c->type);
    if (pooled)
        return;
    free(c->name);
    free(c->type_display);
    free(c->default_expr);
    free(c->comment);
}

static void table_done(sm_table *t)
{
    if (t->borrowed)
        return;
    free(t->schema);
    free(t->name);
    free(t->comment);
    for (size_t i = 0; i < t->ncolumns; i++)
        column_done(&t->columns[i], t->pooled);
    free(t->columns);
    for (size_t i = 0; i < t->nconstraints; i++)
        constraint_done(&t->constraints[i], t->pooled);
    free(t->constraints);
}

static bool str_equal(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool strings_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!str_equal(a[i], b[i]))
            return false;
    return true;
}

static bool type_equal(const sm_type *a, const sm_type *b)
{
    for (; a && b; a = a->elem, b = b->elem)
        if (a->kind != b->kind || a->not_null != b->not_null || !str_equal(a->schema, b->schema) ||
            !str_equal(a->name, b->name) || !str_equal(a->sql, b->sql))
            return false;
    return !a && !b;
}

bool table_equal(const sm_table *a, const sm_table *b)
{
    if (a->oid != b->oid || a->kind != b->kind || a->ncolumns != b->ncolumns ||
        a->nconstraints != b->nconstraints || !str_equal(a->schema, b->schema) ||
        !str_equal(a->name, b->name) || !str_equal(a->comment, b->comment))
        return false;
    for (size_t i = 0; i < a->ncolumns; i++) {
        const sm_column *x = &a->columns[i], *y = &b->columns[i];
        if (x->attnum != y->attnum || x->ndims != y->ndims || x->not_null != y->not_null ||
            x->identity != y->identity || x->generated != y->generated || !str_equal(x->name, y->name) ||
            !str_equal(x->type_display, y->type_display) || !str_equal(x->default_expr, y->default_expr) ||
            !str_equal(x->comment, y->comment) || !type_equal(x->type, y->type))
            return false;
    }
    for (size_t i = 0; i < a->nconstraints; i++) {
        const sm_constraint *x = &a->constraints[i], *y = &b->constraints[i];
        if (x->kind != y->kind || !str_equal(x->name, y->name) || !str_equal(x->ref_schema, y->ref_schema) ||
            !str_equal(x->ref_table, y->ref_table) || !str_equal(x->definition, y->definition) ||
            !strings_equal(x->columns, x->ncolumns, y->columns, y->ncolumns) ||
            !strings_equal(x->ref_columns, x->nref_columns, y->ref_columns, y->nref_columns))
            return false;
    }
    return true;
}

/* The fields below are table_equal's, each string with its length (or a mark for NULL). */
static void fp_int(strbuf *b, long long value)
{
    /* in this machine's byte order: an index moved to a machine of the other order matches
     * nothing, and its tables are read (slower, never wrong) */
    strbuf_add(b, &value, sizeof value);
}

static void fp_str(strbuf *b, const char *str)
{
    if (!str) {
        fp_int(b, -1);
        return;
    }
    size_t n = strlen(str);
    fp_int(b, (long long)n);
    strbuf_add(b, str, n);
}

static void fp_strings(strbuf *b, char *const *v, size_t n)
{
    fp_int(b, (long long)n);
    for (size_t i = 0; i < n; i++)
        fp_str(b, v[i]);
}

void table_fingerprint(const sm_table *t, strbuf *scratch, char out[SM_FINGERPRINT_HEX + 1])
{
    strbuf_reset(scratch);
    fp_int(scratch, t->oid);
    fp_int(scratch, t->kind);
    fp_str(scratch, t->schema);
    fp_str(scratch, t->name);
    fp_str(scratch, t->comment);
    fp_int(scratch, (long long)t->ncolumns);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sm_column *c = &t->columns[i];
        fp_str(scratch, c->name);
        fp_int(scratch, c->attnum);
        fp_int(scratch, c->ndims);
        fp_int(scratch, c->not_null);
        fp_int(scratch, c->identity);
        fp_int(scratch, c->generated);
        fp_str(scratch, c->type_display);
        fp_str(scratch, c->default_expr);
        fp_str(scratch, c->comment);
        for (const sm_type *ty = c->type; ty; ty = ty->elem) {
            fp_int(scratch, ty->kind);
            fp_int(scratch, ty->not_null);
            fp_str(scratch, ty->schema);
            fp_str(scratch, ty->name);
            fp_str(scratch, ty->sql);
        }
        fp_int(scratch, -1); /* the end of the type chain */
    }
    fp_int(scratch, (long long)t->nconstraints);
    for (size_t i = 0; i < t->nconstraints; i++) {
        const sm_constraint *k = &t->constraints[i];
        fp_int(scratch, k->kind);
        fp_str(scratch, k->name);
        fp_str(scratch, k->ref_schema);
        fp_str(scratch, k->ref_table);
        fp_str(scratch, k->definition);
        fp_strings(scratch, k->columns, k->ncolumns);
        fp_strings(scratch, k->ref_columns, k->nref_columns);
    }
    char hex[SM_SHA256_HEX_LEN + 1];
    sha256_hex(hex, scratch->buf, scratch->len);
    memcpy(out, hex, SM_FINGERPRINT_HEX);
    out[SM_FINGERPRINT_HEX] = '\0';
}

typedef struct fingerprint_share {
    const sm_table *const *tables;
    char (*out)[SM_FINGERPRINT_HEX + 1];
    size_t from, to;
} fingerprint_share;

static void *fingerprint_run(void *arg)
{
    const fingerprint_share *w = arg;
    strbuf scratch = STRBUF_INIT;
    for (size_t i = w->from; i < w->to; i++) {
        if (w->tables[i])
            table_fingerprint(w->tables[i], &scratch, w->out[i]);
        else
            w->out[i][0] = '\0';
    }
    strbuf_release(&scratch);
    return NULL;
}

/* Below this many tables a second thread costs more than it saves. */
#define FINGERPRINT_THREAD_MIN_TABLES 256

void tables_fingerprint(const sm_table *const *tables, size_t n, char (*out)[SM_FINGERPRINT_HEX + 1])
{
    fingerprint_share first = { tables, out, 0, n / 2 }, second = { tables, out, n / 2, n };
    parallel_pair(fingerprint_run, &first, &second, n >= FINGERPRINT_THREAD_MIN_TABLES);
}

void table_borrow(sm_catalog *cat, sm_table *t, const sm_catalog *owner, const sm_table *from)
{
    table_done(t);
    *t = *from;
    t->borrowed = true;
    cat->borrows_from = owner;
}

bool table_is_borrowed_copy(const sm_table *copy, const sm_table *of)
{
    /* oids are unique in a catalog: a copy with of's oid and arrays was borrowed from of */
    return copy->borrowed && copy->oid == of->oid && copy->columns == of->columns &&
           copy->constraints == of->constraints;
}

static void enum_done(sm_enum *e)
{
    free(e->schema);
    free(e->name);
    free(e->comment);
    for (size_t i = 0; i < e->nlabels; i++)
        free(e->labels[i].name);
    free(e->labels);
}

void catalog_free(sm_catalog *cat)
{
    if (!cat)
        return;
    free_strings(cat->schemas, cat->nschemas);
    for (size_t i = 0; i < cat->nenums; i++)
        enum_done(&cat->enums[i]);
    free(cat->enums);
    for (size_t i = 0; i < cat->ntables; i++)
        table_done(&cat->tables[i]);
    free(cat->tables);
    free(cat->server_version);
    free(cat->read_digest);
    free(cat->tables_by_oid);
    free(cat->enums_by_oid);
    strpool_free(cat->strings);
    free(cat);
}

/* Adding objects moves them: the indexes no longer hold. */
static void drop_indexes(sm_catalog *cat)
{
    cat->sorted = false;
    free(cat->tables_by_oid);
    free(cat->enums_by_oid);
    cat->tables_by_oid = cat->enums_by_oid = NULL;
}

void catalog_add_schema(sm_catalog *cat, const char *schema)
{
    *XPUSH(cat->schemas, cat->nschemas, cat->cap_schemas) = xstrdup(schema);
}

sm_enum *catalog_add_enum(sm_catalog *cat)
{
    drop_indexes(cat);
    sm_enum *e = XPUSH(cat->enums, cat->nenums, cat->cap_enums);
    memset(e, 0, sizeof *e);
    return e;
}

sm_table *catalog_add_table(sm_catalog *cat)
{
    drop_indexes(cat);
    sm_table *t = XPUSH(cat->tables, cat->ntables, cat->cap_tables);
    memset(t, 0, sizeof *t);
    return t;
}

sm_enum_label *enum_add_label(sm_enum *e)
{
    sm_enum_label *l = XPUSH(e->labels, e->nlabels, e->cap_labels);
    memset(l, 0, sizeof *l);
    return l;
}

void table_reserve(sm_table *t, size_t more_columns, size_t more_constraints)
{
    if (t->ncolumns + more_columns > t->cap_columns) {
        t->cap_columns = t->ncolumns + more_columns;
        t->columns = xrealloc(t->columns, t->cap_columns * sizeof *t->columns);
    }
    if (t->nconstraints + more_constraints > t->cap_constraints) {
        t->cap_constraints = t->nconstraints + more_constraints;
        t->constraints = xrealloc(t->constraints, t->cap_constraints * sizeof *t->constraints);
    }
}

sm_column *table_add_column(sm_table *t)
{
    sm_column *c = XPUSH(t->columns, t->ncolumns, t->cap_columns);
    memset(c, 0, sizeof *c);
    return c;
}

sm_constraint *table_add_constraint(sm_table *t)
{
    sm_constraint *k = XPUSH(t->constraints, t->nconstraints, t->cap_constraints);
    memset(k, 0, sizeof *k);
    return k;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_table(const void *a, const void *b)
{
    const sm_table *x = a, *y = b;
    int r = cmp_str(x->schema, y->schema);
    return r ? r : cmp_str(x->name, y->name);
}

static int cmp_enum(const void *a, const void *b)
{
    const sm_enum *x = a, *y = b;
    int r = cmp_str(x->schema, y->schema);
    return r ? r : cmp_str(x->name, y->name);
}

static int cmp_constraint(const void *a, const void *b)
{
    const sm_constraint *x = a, *y = b;
    return cmp_str(x->name, y->name);
}

static int cmp_column(const void *a, const void *b)
{
    const sm_column *x = a, *y = b;
    return (x->attnum > y->attnum) - (x->attnum < y->attnum);
}

/* qsort_r (glibc): the array being indexed is the context, so that two threads may sort
 * two catalogs at once (the UI reads the database in a worker thread). */
static int cmp_table_oid(const void *a, const void *b, void *ctx)
{
    const sm_table *v = ctx;
    uint32_t x = v[*(const size_t *)a].oid, y = v[*(const size_t *)b].oid;
    return (x > y) - (x < y);
}

static int cmp_enum_oid(const void *a, const void *b, void *ctx)
{
    const sm_enum *v = ctx;
    uint32_t x = v[*(const size_t *)a].oid, y = v[*(const size_t *)b].oid;
    return (x > y) - (x < y);
}

static void build_oid_indexes(sm_catalog *cat)
{
    cat->tables_by_oid = xcalloc(cat->ntables + 1, sizeof *cat->tables_by_oid);
    for (size_t i = 0; i < cat->ntables; i++)
        cat->tables_by_oid[i] = i;
    qsort_r(cat->tables_by_oid, cat->ntables, sizeof *cat->tables_by_oid, cmp_table_oid, cat->tables);
    cat->enums_by_oid = xcalloc(cat->nenums + 1, sizeof *cat->enums_by_oid);
    for (size_t i = 0; i < cat->nenums; i++)
        cat->enums_by_oid[i] = i;
    qsort_r(cat->enums_by_oid, cat->nenums, sizeof *cat->enums_by_oid, cmp_enum_oid, cat->enums);
}

void catalog_sort(sm_catalog *cat)
{
    drop_indexes(cat);
    if (cat->nenums > 1)
        qsort(cat->enums, cat->nenums, sizeof *cat->enums, cmp_enum);
    if (cat->ntables > 1)
        qsort(cat->tables, cat->ntables, sizeof *cat->tables, cmp_table);
    for (size_t i = 0; i < cat->ntables; i++) {
        sm_table *t = &cat->tables[i];
        if (t->borrowed) /* its arrays are its owner's, sorted there (and maybe being read) */
            continue;
        if (t->nconstraints > 1)
            qsort(t->constraints, t->nconstraints, sizeof *t->constraints, cmp_constraint);
        if (t->ncolumns > 1)
            qsort(t->columns, t->ncolumns, sizeof *t->columns, cmp_column);
    }
    build_oid_indexes(cat);
    cat->sorted = true;
}

/* Binary search over an array sorted by (schema, name). */
#define FIND_SORTED(arr, n, schema, name)                                             \
    do {                                                                              \
        size_t lo = 0, hi = (n);                                                      \
        while (lo < hi) {                                                             \
            size_t mid = lo + (hi - lo) / 2;                                          \
            int r = cmp_str((arr)[mid].schema, (schema));                             \
            if (!r)                                                                   \
                r = cmp_str((arr)[mid].name, (name));                                 \
            if (!r)                                                                   \
                return &(arr)[mid];                                                   \
            if (r < 0)                                                                \
                lo = mid + 1;                                                         \
            else                                                                      \
                hi = mid;                                                             \
        }                                                                             \
        return NULL;                                                                  \
    } while (0)

const sm_table *catalog_find_table(const sm_catalog *cat, const char *schema, const char *name)
{
    if (cat->sorted && schema)
        FIND_SORTED(cat->tables, cat->ntables, schema, name);
    for (size_t i = 0; i < cat->ntables; i++) {
        const sm_table *t = &cat->tables[i];
        if (strcmp(t->name, name) == 0 && (!schema || cmp_str(t->schema, schema) == 0))
            return t;
    }
    return NULL;
}

const sm_enum *catalog_find_enum(const sm_catalog *cat, const char *schema, const char *name)
{
    if (cat->sorted && schema)
        FIND_SORTED(cat->enums, cat->nenums, schema, name);
    for (size_t i = 0; i < cat->nenums; i++) {
        const sm_enum *e = &cat->enums[i];
        if (strcmp(e->name, name) == 0 && (!schema || cmp_str(e->schema, schema) == 0))
            return e;
    }
    return NULL;
}

/* Binary search of an OID through an index of positions sorted by OID. */
#define FIND_OID(arr, index, n, oid)                                                  \
    do {                                                                              \
        size_t lo = 0, hi = (n);                                                      \
        while (lo < hi) {                                                             \
            size_t mid = lo + (hi - lo) / 2;                                          \
            uint32_t o = (arr)[(index)[mid]].oid;                                     \
            if (o == (oid))                                                           \
                return &(arr)[(index)[mid]];                                          \
            if (o < (oid))                                                            \
                lo = mid + 1;                                                         \
            else                                                                      \
                hi = mid;                                                             \
        }                                                                             \
        return NULL;                                                                  \
    } while (0)

const sm_table *catalog_find_table_oid(const sm_catalog *cat, uint32_t oid)
{
    if (!oid)
        return NULL;
    if (cat->tables_by_oid)
        FIND_OID(cat->tables, cat->tables_by_oid, cat->ntables, oid);
    for (size_t i = 0; i < cat->ntables; i++)
        if (cat->tables[i].oid == oid)
            return &cat->tables[i];
    return NULL;
}

const sm_enum *catalog_find_enum_oid(const sm_catalog *cat, uint32_t oid)
{
    if (!oid)
        return NULL;
    if (cat->enums_by_oid)
        FIND_OID(cat->enums, cat->enums_by_oid, cat->nenums, oid);
    for (size_t i = 0; i < cat->nenums; i++)
        if (cat->enums[i].oid == oid)
            return &cat->enums[i];
    return NULL;
}

const sm_column *table_find_column(const sm_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return &t->columns[i];
    return NULL;
}

const sm_column *table_find_column_attnum(const sm_table *t, int attnum)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].attnum == attnum)
            return &t->columns[i];
    return NULL;
}

bool catalog_has_schema(const sm_catalog *cat, const char *schema)
{
    for (size_t i = 0; i < cat->nschemas; i++)
        if (strcmp(cat->schemas[i], schema) == 0)
            return true;
    return false;
}

sm_type *sm_type_new(sm_type_kind kind, const char *schema, const char *name, const char *sql)
{
    sm_type *t = xcalloc(1, sizeof *t);
    t->kind = kind;
    t->schema = xstrdup(schema);
    t->name = xstrdup(name);
    t->sql = xstrdup(sql);
    return t;
}

sm_type *sm_type_dup(const sm_type *t)
{
    if (!t)
        return NULL;
    sm_type *d = sm_type_new(t->kind, t->schema, t->name, t->sql);
    d->not_null = t->not_null;
    d->elem = sm_type_dup(t->elem);
    return d;
}

sm_type *sm_type_share(sm_type *t)
{
    t->shares++;
    return t;
}

void sm_type_free(sm_type *t)
{
    while (t) {
        if (t->shares) { /* another owner still has it, and with it its elem */
            t->shares--;
            return;
        }
        sm_type *next = t->elem;
        free(t->schema);
        free(t->name);
        free(t->sql);
        free(t);
        t = next;
    }
}

static const char *const type_kind_names[] = {
    [SM_TYPE_BASE] = "base",       [SM_TYPE_ARRAY] = "array", [SM_TYPE_ENUM] = "enum",
    [SM_TYPE_DOMAIN] = "domain",   [SM_TYPE_COMPOSITE] = "composite",
    [SM_TYPE_RANGE] = "range",     [SM_TYPE_PSEUDO] = "pseudo",
};

const char *sm_type_kind_name(sm_type_kind kind)
{
    return type_kind_names[kind];
}

int sm_type_kind_parse(const char *name)
{
    for (size_t i = 0; i < sizeof type_kind_names / sizeof *type_kind_names; i++)
        if (strcmp(type_kind_names[i], name) == 0)
            return (int)i;
    return -1;
}

static const char *const constraint_kind_names[] = {
    [SM_CONSTRAINT_PRIMARY] = "primary", [SM_CONSTRAINT_FOREIGN] = "foreign",
    [SM_CONSTRAINT_UNIQUE] = "unique",   [SM_CONSTRAINT_CHECK] = "check",
};

const char *sm_constraint_kind_name(sm_constraint_kind kind)
{
    return constraint_kind_names[kind];
}

int sm_constraint_kind_parse(const char *name)
{
    for (size_t i = 0; i < sizeof constraint_kind_names / sizeof *constraint_kind_names; i++)
        if (strcmp(constraint_kind_names[i], name) == 0)
            return (int)i;
    return -1;
}

bool column_is_nullable(const sm_column *c)
{
    if (c->not_null)
        return false;
    for (const sm_type *t = c->type; t && t->kind == SM_TYPE_DOMAIN; t = t->elem)
        if (t->not_null)
            return false;
    return true;
}
