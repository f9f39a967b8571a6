/* snapshot.c: the catalog as JSON, read back with full validation, and the DB hash.
 *
 * cJSON does all JSON work (escaping, printing, parsing). To keep memory flat on large
 * catalogs, the tree is never built for the whole catalog at once: each enum and table
 * becomes a small cJSON tree that is printed and freed before the next, and only the
 * outer frame ({"format": ..., "tables": [...]}) is written here. Strings in those trees
 * are references into the catalog (cJSON_CreateStringReference), not copies. */
#include "config.h"
#include "snapshot.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fsutil.h"
#include "hash.h"
#include "jsonget.h"
#include "utf8.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ building trees */

static cJSON *must(cJSON *item)
{
    if (!item)
        sm_fatal("out of memory building JSON");
    return item;
}

static void add(cJSON *obj, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObjectCS(obj, key, must(item)))
        sm_fatal("out of memory building JSON");
}

static void add_item(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, must(item)))
        sm_fatal("out of memory building JSON");
}

static cJSON *jstr(const char *s)
{
    return s ? cJSON_CreateStringReference(s) : cJSON_CreateNull();
}

static cJSON *jstrings(char *const *v, size_t n)
{
    cJSON *arr = must(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++)
        add_item(arr, jstr(v[i]));
    return arr;
}

static const char *identity_name(char c)
{
    return c == 'a' ? "always" : c == 'd' ? "by_default" : NULL;
}

static const char *generated_name(char c)
{
    return c == 's' ? "stored" : c == 'v' ? "virtual" : NULL;
}

static const char *table_kind_name(char kind)
{
    switch (kind) {
    case SM_TABLE_PARTITIONED: return "partitioned";
    case SM_TABLE_VIEW: return "view";
    case SM_TABLE_MATVIEW: return "materialized_view";
    default: return "table";
    }
}

static int table_kind_parse(const char *name)
{
    static const struct { const char *name; char kind; } kinds[] = {
        { "table", SM_TABLE_ORDINARY },
        { "partitioned", SM_TABLE_PARTITIONED },
        { "view", SM_TABLE_VIEW },
        { "materialized_view", SM_TABLE_MATVIEW },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return kinds[i].kind;
    return -1;
}

static cJSON *type_to_json(const sm_type *t)
{
    if (!t)
        return must(cJSON_CreateNull());
    cJSON *o = must(cJSON_CreateObject());
    add(o, "kind", jstr(sm_type_kind_name(t->kind)));
    add(o, "schema", jstr(t->schema));
    add(o, "name", jstr(t->name));
    add(o, "sql", jstr(t->sql));
    add(o, "not_null", cJSON_CreateBool(t->not_null));
    add(o, "elem", type_to_json(t->elem));
    return o;
}

static cJSON *column_to_json(const sm_column *c, bool canonical)
{
    cJSON *o = must(cJSON_CreateObject());
    add(o, "name", jstr(c->name));
    if (!canonical)
        add(o, "attnum", cJSON_CreateNumber(c->attnum));
    add(o, "type", type_to_json(c->type));
    add(o, "type_display", jstr(c->type_display));
    add(o, "ndims", cJSON_CreateNumber(c->ndims));
    add(o, "not_null", cJSON_CreateBool(c->not_null));
    add(o, "default", jstr(c->default_expr));
    add(o, "identity", jstr(identity_name(c->identity)));
    add(o, "generated", jstr(generated_name(c->generated)));
    add(o, "comment", jstr(c->comment));
    return o;
}

static cJSON *constraint_to_json(const sm_constraint *k)
{
    cJSON *o = must(cJSON_CreateObject());
    add(o, "name", jstr(k->name));
    add(o, "kind", jstr(sm_constraint_kind_name(k->kind)));
    add(o, "columns", jstrings(k->columns, k->ncolumns));
    add(o, "ref_schema", jstr(k->ref_schema));
    add(o, "ref_table", jstr(k->ref_table));
    add(o, "ref_columns", jstrings(k->ref_columns, k->nref_columns));
    add(o, "definition", jstr(k->definition));
    return o;
}

static int cmp_constraint_ptr(const void *a, const void *b)
{
    const sm_constraint *x = *(const sm_constraint *const *)a, *y = *(const sm_constraint *const *)b;
    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static cJSON *table_to_json(const sm_table *t, bool canonical)
{
    cJSON *o = must(cJSON_CreateObject());
    add(o, "schema", jstr(t->schema));
    add(o, "name", jstr(t->name));
    if (!canonical)
        add(o, "oid", cJSON_CreateNumber(t->oid));
    add(o, "kind", jstr(table_kind_name(t->kind)));
    add(o, "comment", jstr(t->comment));
    cJSON *cols = must(cJSON_CreateArray());
    for (size_t i = 0; i < t->ncolumns; i++)
        add_item(cols, column_to_json(&t->columns[i], canonical));
    add(o, "columns", cols);
    /* the hash must not depend on whether the caller sorted: order constraints here */
    const sm_constraint **ks = xmalloc((t->nconstraints + 1) * sizeof *ks);
    for (size_t i = 0; i < t->nconstraints; i++)
        ks[i] = &t->constraints[i];
    if (canonical && t->nconstraints > 1)
        qsort(ks, t->nconstraints, sizeof *ks, cmp_constraint_ptr);
    cJSON *cons = must(cJSON_CreateArray());
    for (size_t i = 0; i < t->nconstraints; i++)
        add_item(cons, constraint_to_json(ks[i]));
    free(ks);
    add(o, "constraints", cons);
    return o;
}

static cJSON *enum_to_json(const sm_enum *e, bool canonical)
{
    cJSON *o = must(cJSON_CreateObject());
    add(o, "schema", jstr(e->schema));
    add(o, "name", jstr(e->name));
    if (!canonical)
        add(o, "oid", cJSON_CreateNumber(e->oid));
    add(o, "comment", jstr(e->comment));
    cJSON *labels = must(cJSON_CreateArray());
    for (size_t i = 0; i < e->nlabels; i++) {
        cJSON *l = must(cJSON_CreateObject());
        add(l, "name", jstr(e->labels[i].name));
        if (!canonical)
            add(l, "oid", cJSON_CreateNumber(e->labels[i].oid));
        add_item(labels, l);
    }
    add(o, "labels", labels);
    return o;
}

/* ------------------------------------------------------------------ printing */

/* Append cJSON's formatted print of item, re-indented: cJSON indents with tabs and puts a
 * tab after each ':'. It escapes tabs inside strings, so every raw tab in its output is
 * layout and can be rewritten blindly. */
static void add_pretty(strbuf *out, const cJSON *item, int indent)
{
    char *text = cJSON_PrintBuffered(item, 4096, 1);
    if (!text)
        sm_fatal("out of memory printing JSON");
    bool line_start = false;
    for (const char *p = text; *p; p++) {
        if (*p == '\t') {
            strbuf_adds(out, line_start ? "  " : " ");
            continue;
        }
        line_start = false;
        strbuf_addch(out, *p);
        if (*p == '\n') {
            strbuf_addrepeat(out, ' ', (size_t)indent);
            line_start = true;
        }
    }
    cJSON_free(text);
}

static void add_scalar(strbuf *out, cJSON *item)
{
    must(item);
    char *text = cJSON_PrintUnformatted(item);
    if (!text)
        sm_fatal("out of memory printing JSON");
    strbuf_adds(out, text);
    cJSON_free(text);
    cJSON_Delete(item);
}

/* Where the pretty printer sends its text: a strbuf, or a FILE flushed in chunks so a
 * large catalog never sits in memory twice. */
typedef struct sink {
    strbuf *sb;
    FILE *f;
    strbuf tmp;
    size_t flushed; /* bytes written to f so far */
    int error;      /* errno of the first failed write */
} sink;

static strbuf *sink_buf(sink *s)
{
    return s->f ? &s->tmp : s->sb;
}

/* How many bytes of the document precede what is appended next. */
static size_t sink_offset(const sink *s)
{
    return s->f ? s->flushed + s->tmp.len : s->sb->len;
}

static void sink_flush(sink *s, bool force)
{
    if (!s->f || (!force && s->tmp.len < 1 << 16))
        return;
    if (s->tmp.len && fwrite(s->tmp.buf, 1, s->tmp.len, s->f) != s->tmp.len && !s->error)
        s->error = errno ? errno : EIO;
    s->flushed += s->tmp.len;
    strbuf_reset(&s->tmp);
}

/* With index, the index of the text (snapshot.h) is appended to it. */
static void emit_catalog(sink *s, const sm_catalog *cat, strbuf *index)
{
    strbuf *b = sink_buf(s);
    strbuf_addf(b, "{\n  \"format\": %d,\n  \"generator\": ", SNAPSHOT_FORMAT);
    add_scalar(b, cJSON_CreateString("schemerge " PACKAGE_VERSION));
    strbuf_adds(b, ",\n  \"server_version\": ");
    add_scalar(b, cat->server_version ? cJSON_CreateString(cat->server_version) : cJSON_CreateNull());
    strbuf_adds(b, ",\n  \"schemas\": [");
    for (size_t i = 0; i < cat->nschemas; i++) {
        strbuf_adds(b, i ? ", " : "");
        add_scalar(b, cJSON_CreateString(cat->schemas[i]));
    }
    strbuf_adds(b, "],\n  \"enums\": [");
    for (size_t i = 0; i < cat->nenums; i++) {
        strbuf_adds(b, i ? ",\n    " : "\n    ");
        cJSON *o = enum_to_json(&cat->enums[i], false);
        add_pretty(b, o, 4);
        cJSON_Delete(o);
        sink_flush(s, false);
    }
    strbuf_adds(b, cat->nenums ? "\n  ],\n  \"tables\": [" : "],\n  \"tables\": [");
    size_t tables_at = sink_offset(s) - 1; /* the '[' */
    strbuf entries = STRBUF_INIT, scratch = STRBUF_INIT;
    for (size_t i = 0; i < cat->ntables; i++) {
        strbuf_adds(b, i ? ",\n    " : "\n    ");
        size_t at = sink_offset(s);
        cJSON *o = table_to_json(&cat->tables[i], false);
        add_pretty(b, o, 4);
        cJSON_Delete(o);
        if (index) {
            char fp[SM_FINGERPRINT_HEX + 1];
            table_fingerprint(&cat->tables[i], &scratch, fp);
            strbuf_addf(&entries, "%u %zu %zu %s\n", cat->tables[i].oid, at, sink_offset(s) - at, fp);
        }
        sink_flush(s, false);
    }
    strbuf_adds(b, cat->ntables ? "\n  ]" : "]");
    size_t tables_end = sink_offset(s);
    strbuf_adds(b, "\n}\n");
    if (index) {
        strbuf_addf(index, "index %d %zu %zu %zu %zu\n", SNAPSHOT_INDEX_VERSION, sink_offset(s), tables_at,
                    tables_end, cat->ntables);
        strbuf_add(index, entries.buf, entries.len);
    }
    strbuf_release(&entries);
    strbuf_release(&scratch);
    sink_flush(s, true);
}

void snapshot_to_json(strbuf *out, const sm_catalog *cat)
{
    sink s = { .sb = out };
    emit_catalog(&s, cat, NULL);
}

int snapshot_write_stream(FILE *f, const sm_catalog *cat, strbuf *index, const char *name, sm_error *err)
{
    sink s = { .f = f };
    strbuf_init(&s.tmp);
    errno = 0;
    emit_catalog(&s, cat, index);
    strbuf_release(&s.tmp);
    if (!s.error && fflush(f) != 0)
        s.error = errno ? errno : EIO;
    if (s.error)
        return sm_error_set(err, ERR_IO, "check free space and permissions", "cannot write %s: %s", name,
                            strerror(s.error));
    return 0;
}

int snapshot_write_fd(int fd, const sm_catalog *cat, strbuf *index, const char *name, sm_error *err)
{
    int copy = dup(fd);
    FILE *f = copy >= 0 ? fdopen(copy, "wb") : NULL;
    if (!f) {
        int e = errno;
        if (copy >= 0)
            close(copy);
        return sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", name, strerror(e));
    }
    int rc = snapshot_write_stream(f, cat, index, name, err);
    if (fclose(f) != 0 && rc == 0) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", name, strerror(e));
    }
    return rc;
}

/* ------------------------------------------------------------------ hashing */

/* Reorder an object's members by key, recursively, so the canonical text has sorted keys
 * whatever order the builders used. */
static void sort_keys(cJSON *item)
{
    if (!item || !(cJSON_IsObject(item) || cJSON_IsArray(item)))
        return;
    size_t n = 0;
    for (cJSON *c = item->child; c; c = c->next) {
        sort_keys(c);
        n++;
    }
    if (!cJSON_IsObject(item) || n < 2)
        return;
    cJSON **v = xmalloc(n * sizeof *v);
    n = 0;
    for (cJSON *c = item->child; c; c = c->next)
        v[n++] = c;
    /* insertion sort: objects here have at most a dozen keys */
    for (size_t i = 1; i < n; i++) {
        cJSON *x = v[i];
        size_t j = i;
        while (j > 0 && strcmp(v[j - 1]->string, x->string) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    for (size_t i = 0; i < n; i++) {
        v[i]->prev = i ? v[i - 1] : v[n - 1]; /* cJSON: child->prev is the last item */
        v[i]->next = i + 1 < n ? v[i + 1] : NULL;
    }
    item->child = v[0];
    free(v);
}

/* The canonical text goes straight into the digest, object by object: it is never held
 * whole (40 MB at 5,000 tables), and each object is printed into one buffer kept for the
 * whole hash, since an allocation per print was much of the time on large catalogs.
 * A canon writes either into the digest or, for a helper thread's share, into a strbuf. */
typedef struct canon {
    sha256_stream *sha;
    strbuf *text;
    char *buf;
    int cap;
} canon;

static canon canon_new(sha256_stream *sha, strbuf *text)
{
    return (canon){ sha, text, xmalloc(1 << 16), 1 << 16 };
}

static void canon_add(canon *c, const char *text)
{
    if (c->sha)
        sha256_stream_add(c->sha, text, strlen(text));
    else
        strbuf_adds(c->text, text);
}

static void canon_item(canon *c, cJSON *item)
{
    sort_keys(must(item));
    /* cJSON says how much room a print needs only by failing: grow until it fits */
    while (!cJSON_PrintPreallocated(item, c->buf, c->cap, 0)) {
        if (c->cap > INT_MAX / 2)
            sm_fatal("out of memory printing JSON");
        c->cap *= 2;
        c->buf = xrealloc(c->buf, (size_t)c->cap);
    }
    canon_add(c, c->buf);
    cJSON_Delete(item);
}

/* Below this many columns a second thread costs more than it saves. */
#define HASH_THREAD_MIN_COLUMNS 4096
/* About this many columns a chunk of the relay (canon_tables_relay). */
#define HASH_CHUNK_COLUMNS 2048

/* Tables [from, to) of the sorted list, each preceded by a comma but the very first. */
static void canon_tables(canon *c, const sm_table *const *tables, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        canon_add(c, i ? "," : "");
        canon_item(c, table_to_json(tables[i], true));
    }
}

/* Two threads print the tables' canonical text a chunk each in turn, and each chunk goes
 * into the digest when its turn comes: the digest sees the text in order, and no more
 * than about two chunks of it are ever held (printing the second half of a catalog into
 * memory whole held 20 MB at 5,000 tables). */
typedef struct canon_relay {
    const sm_table *const *tables;
    size_t ntables, nchunks;
    sha256_stream *sha;
    pthread_mutex_t lock;
    pthread_cond_t turn_changed;
    size_t turn; /* the chunk whose text goes into the digest next */
} canon_relay;

typedef struct canon_runner {
    canon_relay *relay;
    size_t first; /* this runner prints chunks first, first + 2, ... */
} canon_runner;

static void *canon_relay_run(void *arg)
{
    const canon_runner *w = arg;
    canon_relay *r = w->relay;
    strbuf text = STRBUF_INIT;
    canon c = canon_new(NULL, &text);
    for (size_t k = w->first; k < r->nchunks; k += 2) {
        strbuf_reset(&text);
        canon_tables(&c, r->tables, k * r->ntables / r->nchunks, (k + 1) * r->ntables / r->nchunks);
        pthread_mutex_lock(&r->lock);
        while (r->turn != k)
            pthread_cond_wait(&r->turn_changed, &r->lock);
        pthread_mutex_unlock(&r->lock);
        sha256_stream_add(r->sha, text.buf, text.len);
        pthread_mutex_lock(&r->lock);
        r->turn++;
        pthread_cond_broadcast(&r->turn_changed);
        pthread_mutex_unlock(&r->lock);
    }
    free(c.buf);
    strbuf_release(&text);
    return NULL;
}

/* Whether the tables went into sha through a relay of two threads (false: no second
 * thread could be had, nothing was added). */
static bool canon_tables_relay(sha256_stream *sha, const sm_table *const *tables, size_t ntables,
                               size_t ncolumns)
{
    canon_relay r = { tables, ntables, ncolumns / HASH_CHUNK_COLUMNS + 2, sha, PTHREAD_MUTEX_INITIALIZER,
                      PTHREAD_COND_INITIALIZER, 0 };
    if (r.nchunks > ntables)
        r.nchunks = ntables;
    canon_runner second = { &r, 1 }, first = { &r, 0 };
    pthread_t helper;
    if (pthread_create(&helper, NULL, canon_relay_run, &second) != 0)
        return false;
    canon_relay_run(&first);
    pthread_join(helper, NULL);
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.turn_changed);
    return true;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_enum_ptr(const void *a, const void *b)
{
    const sm_enum *x = *(const sm_enum *const *)a, *y = *(const sm_enum *const *)b;
    int r = strcmp(x->schema ? x->schema : "", y->schema ? y->schema : "");
    return r ? r : strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static int cmp_table_ptr(const void *a, const void *b)
{
    const sm_table *x = *(const sm_table *const *)a, *y = *(const sm_table *const *)b;
    int r = strcmp(x->schema ? x->schema : "", y->schema ? y->schema : "");
    return r ? r : strcmp(x->name ? x->name : "", y->name ? y->name : "");
}


/* A catalog's objects in the canonical order (snapshot_hash): pointers into it. */
typedef struct canon_order {
    const sm_enum **enums;
    const char **schemas;
    const sm_table **tables;
    size_t ncolumns;
} canon_order;

static void canon_order_init(canon_order *o, const sm_catalog *cat)
{
    o->enums = xmalloc((cat->nenums + 1) * sizeof *o->enums);
    for (size_t i = 0; i < cat->nenums; i++)
        o->enums[i] = &cat->enums[i];
    qsort(o->enums, cat->nenums, sizeof *o->enums, cmp_enum_ptr);
    o->schemas = xmalloc((cat->nschemas + 1) * sizeof *o->schemas);
    for (size_t i = 0; i < cat->nschemas; i++)
        o->schemas[i] = cat->schemas[i];
    qsort(o->schemas, cat->nschemas, sizeof *o->schemas, cmp_str_ptr);
    o->tables = xmalloc((cat->ntables + 1) * sizeof *o->tables);
    o->ncolumns = 0;
    for (size_t i = 0; i < cat->ntables; i++) {
        o->tables[i] = &cat->tables[i];
        o->ncolumns += cat->tables[i].ncolumns;
    }
    qsort(o->tables, cat->ntables, sizeof *o->tables, cmp_table_ptr);
}

static void canon_order_done(canon_order *o)
{
    free(o->enums);
    free(o->schemas);
    free(o->tables);
}

void snapshot_hash(char out[SM_DB_HASH_LEN], const sm_catalog *cat)
{
    /* The canonical text: keys sorted at every level, so the frame is written in order
     * "enums", "format", "schemas", "tables". */
    canon_order o;
    canon_order_init(&o, cat);
    sha256_stream *sha = sha256_stream_new();
    canon c = canon_new(sha, NULL);
    canon_add(&c, "{\"enums\":[");
    for (size_t i = 0; i < cat->nenums; i++) {
        canon_add(&c, i ? "," : "");
        canon_item(&c, enum_to_json(o.enums[i], true));
    }
    char frame[64];
    snprintf(frame, sizeof frame, "],\"format\":%d,\"schemas\":", SNAPSHOT_FORMAT);
    canon_add(&c, frame);
    canon_item(&c, cJSON_CreateStringArray(o.schemas, (int)cat->nschemas));
    canon_add(&c, ",\"tables\":[");
    /* Building and printing the trees is most of the time: a large catalog's tables are
     * printed by two threads (canon_tables_relay). */
    if (o.ncolumns < HASH_THREAD_MIN_COLUMNS || cat->ntables < 2 ||
        !canon_tables_relay(sha, o.tables, cat->ntables, o.ncolumns))
        canon_tables(&c, o.tables, 0, cat->ntables);
    canon_order_done(&o);
    canon_add(&c, "]}");
    free(c.buf);
    char hex[SM_SHA256_HEX_LEN + 1];
    sha256_stream_finish(sha, hex);
    snprintf(out, SM_DB_HASH_LEN, "sha256:%s", hex);
}

/* Whether x and y (freed here) have the same canonical text. */
static bool canon_same(cJSON *x, cJSON *y)
{
    strbuf tx = STRBUF_INIT, ty = STRBUF_INIT;
    canon cx = canon_new(NULL, &tx), cy = canon_new(NULL, &ty);
    canon_item(&cx, x);
    canon_item(&cy, y);
    bool same = tx.len == ty.len && memcmp(strbuf_str(&tx), strbuf_str(&ty), tx.len) == 0;
    free(cx.buf);
    free(cy.buf);
    strbuf_release(&tx);
    strbuf_release(&ty);
    return same;
}

bool snapshot_same_schema(const sm_catalog *a, const sm_catalog *b)
{
    if (a->nenums != b->nenums || a->nschemas != b->nschemas || a->ntables != b->ntables)
        return false;
    canon_order x, y;
    canon_order_init(&x, a);
    canon_order_init(&y, b);
    bool same = true;
    for (size_t i = 0; same && i < a->nschemas; i++)
        same = strcmp(x.schemas[i], y.schemas[i]) == 0;
    for (size_t i = 0; same && i < a->nenums; i++)
        same = canon_same(enum_to_json(x.enums[i], true), enum_to_json(y.enums[i], true));
    for (size_t i = 0; same && i < a->ntables; i++) {
        /* a table one borrowed from the other is equal to it: only the others are printed */
        const sm_table *tx = x.tables[i], *ty = y.tables[i];
        same = table_is_borrowed_copy(ty, tx) || table_is_borrowed_copy(tx, ty) ||
               canon_same(table_to_json(tx, true), table_to_json(ty, true));
    }
    canon_order_done(&x);
    canon_order_done(&y);
    return same;
}

/* ------------------------------------------------------------------ parsing */

/* An index (snapshot_write_stream) read and found to fit the text. */
typedef struct index_entry {
    uint32_t oid;
    size_t off, len;
    char fp[SM_FINGERPRINT_HEX + 1];
} index_entry;

typedef struct snap_index {
    size_t tables_start, tables_end;
    index_entry *entries;
    size_t n;
} snap_index;

static bool index_number(const char **p, size_t *out)
{
    char *end;
    if (!isdigit((unsigned char)**p))
        return false;
    errno = 0;
    unsigned long long v = strtoull(*p, &end, 10);
    if (errno || (*end != ' ' && *end != '\n'))
        return false;
    *out = (size_t)v;
    *p = *end == ' ' ? end + 1 : end;
    return true;
}

/* Read index text made for a document of len bytes; false (nothing kept) when it is not
 * one, or does not fit: another size, the tables array not where it says, tables out of
 * order or outside it. */
static bool index_read(snap_index *ix, const char *index, const char *text, size_t len)
{
    memset(ix, 0, sizeof *ix);
    const char *p = index;
    size_t version, size, count;
    if (strncmp(p, "index ", 6) != 0)
        return false;
    p += 6;
    if (!index_number(&p, &version) || version != SNAPSHOT_INDEX_VERSION || !index_number(&p, &size) ||
        size != len || !index_number(&p, &ix->tables_start) || !index_number(&p, &ix->tables_end) ||
        !index_number(&p, &count) || *p++ != '\n' || ix->tables_start >= ix->tables_end || ix->tables_end > len ||
        text[ix->tables_start] != '[' || text[ix->tables_end - 1] != ']')
        return false;
    /* the tables' own text is not looked at here: that would bring every page of a
     * mapped file in. index_tables checks each table it reads. */
    size_t cap = 0, at = ix->tables_start + 1;
    while (*p) {
        index_entry e;
        size_t oid;
        if (!index_number(&p, &oid) || oid > UINT32_MAX || !index_number(&p, &e.off) ||
            !index_number(&p, &e.len) || strspn(p, "0123456789abcdef") != SM_FINGERPRINT_HEX ||
            p[SM_FINGERPRINT_HEX] != '\n' || e.off < at || e.len < 2 || e.len > ix->tables_end - e.off)
            break;
        e.oid = (uint32_t)oid;
        memcpy(e.fp, p, SM_FINGERPRINT_HEX);
        e.fp[SM_FINGERPRINT_HEX] = '\0';
        p += SM_FINGERPRINT_HEX + 1;
        at = e.off + e.len;
        if (ix->n == cap) {
            cap = cap ? cap * 2 : 64;
            ix->entries = xrealloc(ix->entries, cap * sizeof *ix->entries);
        }
        ix->entries[ix->n++] = e;
    }
    if (*p || ix->n != count) {
        free(ix->entries);
        memset(ix, 0, sizeof *ix);
        return false;
    }
    return true;
}

typedef struct vctx {
    const char *name; /* the file, for messages */
    sm_error *err;
    bool mapped;      /* the text is a file mapping: pages passed can be given back */
    size_t released;  /* bytes from the start given back so far */
    const sm_catalog *share; /* tables equal to one of its own are borrowed (table_borrow) */
    const snap_index *index; /* NULL, or the tables' places and fingerprints */
} vctx;

/* A mapped snapshot's pages that the parser has passed go back to the kernel as it goes
 * (fs_map_give_back: touched again, as an error message's position does, they are read
 * from the file again), so that the text of a 42 MB last-sync snapshot is never all
 * resident. A megabyte at a time. */
static void release_behind(vctx *v, const char *text, size_t off)
{
    if (!v->mapped || off < v->released + ((size_t)1 << 20))
        return;
    fs_map_give_back(text, v->released, off);
    v->released = off;
}
#define SNAPSHOT_HINT "write it again with 'schemerge snapshot -o FILE'"

__attribute__((format(printf, 3, 4))) static int bad(vctx *v, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sm_error_set(v->err, ERR_SNAPSHOT, SNAPSHOT_HINT, "cannot read snapshot %s: %s%s%s", v->name, path,
                        *path ? ": " : "", msg);
}

/* Format a JSON path for messages; a path too long for the buffer is cut, not overflowed. */
__attribute__((format(printf, 3, 4))) static void subpath(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

/* Fetch obj[key] of the wanted JSON type; a JSON null is allowed (and *out is NULL) only
 * when nullable. */
static int member(vctx *v, const char *path, const cJSON *obj, const char *key, int type, bool nullable,
                  const cJSON **out)
{
    static const struct { int type; const char *name; } names[] = {
        { cJSON_String, "a string" }, { cJSON_Number, "a number" }, { cJSON_Array, "an array" },
        { cJSON_Object, "an object" }, { cJSON_True | cJSON_False, "true or false" },
    };
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!item)
        return bad(v, path, "missing key \"%s\"", key);
    if (nullable && cJSON_IsNull(item))
        return 0;
    if (!(item->type & 0xff & type)) {
        const char *want = "a value";
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (names[i].type == type)
                want = names[i].name;
        return bad(v, path, "\"%s\" must be %s%s", key, want, nullable ? " or null" : "");
    }
    *out = item;
    return 0;
}

static int get_str(vctx *v, const char *path, const cJSON *obj, const char *key, bool nullable, char **out)
{
    const cJSON *item;
    int rc = member(v, path, obj, key, cJSON_String, nullable, &item);
    if (rc == 0)
        *out = item ? xstrdup(item->valuestring) : NULL;
    return rc;
}

static int get_int(vctx *v, const char *path, const cJSON *obj, const char *key, double min, double max,
                   double *out)
{
    const cJSON *item;
    int rc = member(v, path, obj, key, cJSON_Number, false, &item);
    if (rc)
        return rc;
    if (!json_get_whole(item, min, max, out))
        return bad(v, path, "\"%s\" must be a whole number from %.0f to %.0f", key, min, max);
    return 0;
}

static int get_bool(vctx *v, const char *path, const cJSON *obj, const char *key, bool *out)
{
    const cJSON *item;
    int rc = member(v, path, obj, key, cJSON_True | cJSON_False, false, &item);
    if (rc == 0)
        *out = cJSON_IsTrue(item);
    return rc;
}

static int get_strings(vctx *v, const char *path, const cJSON *obj, const char *key, char ***out, size_t *n)
{
    const cJSON *arr;
    int rc = member(v, path, obj, key, cJSON_Array, false, &arr);
    if (rc)
        return rc;
    size_t at = 0;
    if (json_get_strings(arr, false, out, n, &at) < 0)
        return bad(v, path, "\"%s\"[%zu] must be a string", key, at);
    return 0;
}

static uint32_t as_oid(double d)
{
    return (uint32_t)d;
}

static int parse_type(vctx *v, const char *path, const cJSON *o, int depth, sm_type **out)
{
    char sub[200];
    sm_type *t = xcalloc(1, sizeof *t);
    char *kind = NULL;
    const cJSON *elem;
    int rc;
    *out = t;
    if (depth > 8) {
        rc = bad(v, path, "types nested too deeply");
        goto done;
    }
    if ((rc = get_str(v, path, o, "kind", false, &kind)) != 0)
        goto done;
    int k = sm_type_kind_parse(kind);
    if (k < 0) {
        rc = bad(v, path, "unknown type kind \"%s\"", kind);
        goto done;
    }
    t->kind = (sm_type_kind)k;
    if ((rc = get_str(v, path, o, "schema", true, &t->schema)) != 0 ||
        (rc = get_str(v, path, o, "name", false, &t->name)) != 0 ||
        (rc = get_str(v, path, o, "sql", false, &t->sql)) != 0 ||
        (rc = get_bool(v, path, o, "not_null", &t->not_null)) != 0 ||
        (rc = member(v, path, o, "elem", cJSON_Object, true, &elem)) != 0)
        goto done;
    bool needs_elem = t->kind == SM_TYPE_ARRAY || t->kind == SM_TYPE_DOMAIN;
    if (needs_elem != (elem != NULL)) {
        rc = bad(v, path, needs_elem ? "an %s type needs \"elem\"" : "\"elem\" must be null for %s types",
                 kind);
        goto done;
    }
    if (elem) {
        subpath(sub, sizeof sub, "%s.elem", path);
        rc = parse_type(v, sub, elem, depth + 1, &t->elem);
    }
done:
    free(kind);
    return rc;
}

static int parse_column(vctx *v, const char *path, const cJSON *o, sm_column *c)
{
    char sub[200];
    const cJSON *type;
    char *identity = NULL, *generated = NULL;
    double attnum, ndims;
    int rc;
    if ((rc = get_str(v, path, o, "name", false, &c->name)) != 0 ||
        (rc = get_int(v, path, o, "attnum", -32768, 32767, &attnum)) != 0 ||
        (rc = member(v, path, o, "type", cJSON_Object, false, &type)) != 0)
        goto done;
    c->attnum = (int)attnum;
    subpath(sub, sizeof sub, "%s.type", path);
    if ((rc = parse_type(v, sub, type, 0, &c->type)) != 0 ||
        (rc = get_str(v, path, o, "type_display", false, &c->type_display)) != 0 ||
        (rc = get_int(v, path, o, "ndims", 0, 1000, &ndims)) != 0 ||
        (rc = get_bool(v, path, o, "not_null", &c->not_null)) != 0 ||
        (rc = get_str(v, path, o, "default", true, &c->default_expr)) != 0 ||
        (rc = get_str(v, path, o, "identity", true, &identity)) != 0 ||
        (rc = get_str(v, path, o, "generated", true, &generated)) != 0 ||
        (rc = get_str(v, path, o, "comment", true, &c->comment)) != 0)
        goto done;
    c->ndims = (int)ndims;
    if (identity) {
        if (strcmp(identity, "always") == 0)
            c->identity = 'a';
        else if (strcmp(identity, "by_default") == 0)
            c->identity = 'd';
        else {
            rc = bad(v, path, "\"identity\" must be \"always\", \"by_default\" or null");
            goto done;
        }
    }
    if (generated) {
        if (strcmp(generated, "stored") == 0)
            c->generated = 's';
        else if (strcmp(generated, "virtual") == 0)
            c->generated = 'v';
        else {
            rc = bad(v, path, "\"generated\" must be \"stored\", \"virtual\" or null");
            goto done;
        }
    }
done:
    free(identity);
    free(generated);
    return rc;
}

static int parse_constraint(vctx *v, const char *path, const cJSON *o, sm_constraint *k)
{
    char *kind = NULL;
    int rc;
    if ((rc = get_str(v, path, o, "name", false, &k->name)) != 0 ||
        (rc = get_str(v, path, o, "kind", false, &kind)) != 0)
        goto done;
    int kk = sm_constraint_kind_parse(kind);
    if (kk < 0) {
        rc = bad(v, path, "unknown constraint kind \"%s\"", kind);
        goto done;
    }
    k->kind = (sm_constraint_kind)kk;
    if ((rc = get_strings(v, path, o, "columns", &k->columns, &k->ncolumns)) != 0 ||
        (rc = get_str(v, path, o, "ref_schema", true, &k->ref_schema)) != 0 ||
        (rc = get_str(v, path, o, "ref_table", true, &k->ref_table)) != 0 ||
        (rc = get_strings(v, path, o, "ref_columns", &k->ref_columns, &k->nref_columns)) != 0 ||
        (rc = get_str(v, path, o, "definition", true, &k->definition)) != 0)
        goto done;
    if (k->kind == SM_CONSTRAINT_FOREIGN && (!k->ref_table || !k->ref_schema))
        rc = bad(v, path, "a foreign key needs \"ref_schema\" and \"ref_table\"");
done:
    free(kind);
    return rc;
}

static int parse_table(vctx *v, const char *path, const cJSON *o, sm_table *t)
{
    char sub[200];
    char *kind = NULL;
    const cJSON *cols, *cons, *it;
    double oid;
    int rc;
    if ((rc = get_str(v, path, o, "schema", false, &t->schema)) != 0 ||
        (rc = get_str(v, path, o, "name", false, &t->name)) != 0 ||
        (rc = get_int(v, path, o, "oid", 0, 4294967295.0, &oid)) != 0 ||
        (rc = get_str(v, path, o, "kind", false, &kind)) != 0)
        goto done;
    t->oid = as_oid(oid);
    int tk = table_kind_parse(kind);
    if (tk < 0) {
        rc = bad(v, path, "unknown table kind \"%s\"", kind);
        goto done;
    }
    t->kind = (char)tk;
    if ((rc = get_str(v, path, o, "comment", true, &t->comment)) != 0 ||
        (rc = member(v, path, o, "columns", cJSON_Array, false, &cols)) != 0 ||
        (rc = member(v, path, o, "constraints", cJSON_Array, false, &cons)) != 0)
        goto done;
    size_t i = 0;
    cJSON_ArrayForEach(it, cols) {
        subpath(sub, sizeof sub, "%s.columns[%zu]", path, i++);
        if (!cJSON_IsObject(it)) {
            rc = bad(v, sub, "must be an object");
            goto done;
        }
        if ((rc = parse_column(v, sub, it, table_add_column(t))) != 0)
            goto done;
    }
    i = 0;
    cJSON_ArrayForEach(it, cons) {
        subpath(sub, sizeof sub, "%s.constraints[%zu]", path, i++);
        if (!cJSON_IsObject(it)) {
            rc = bad(v, sub, "must be an object");
            goto done;
        }
        if ((rc = parse_constraint(v, sub, it, table_add_constraint(t))) != 0)
            goto done;
    }
done:
    free(kind);
    return rc;
}

static int parse_enum(vctx *v, const char *path, const cJSON *o, sm_enum *e)
{
    char sub[200];
    const cJSON *labels, *it;
    double oid;
    int rc;
    if ((rc = get_str(v, path, o, "schema", false, &e->schema)) != 0 ||
        (rc = get_str(v, path, o, "name", false, &e->name)) != 0 ||
        (rc = get_int(v, path, o, "oid", 0, 4294967295.0, &oid)) != 0 ||
        (rc = get_str(v, path, o, "comment", true, &e->comment)) != 0 ||
        (rc = member(v, path, o, "labels", cJSON_Array, false, &labels)) != 0)
        return rc;
    e->oid = as_oid(oid);
    size_t i = 0;
    cJSON_ArrayForEach(it, labels) {
        subpath(sub, sizeof sub, "%s.labels[%zu]", path, i++);
        if (!cJSON_IsObject(it))
            return bad(v, sub, "must be an object");
        sm_enum_label *l = enum_add_label(e);
        if ((rc = get_str(v, sub, it, "name", false, &l->name)) != 0 ||
            (rc = get_int(v, sub, it, "oid", 0, 4294967295.0, &oid)) != 0)
            return rc;
        l->oid = as_oid(oid);
    }
    return 0;
}

/* 1-based line and column (in characters, not bytes) of pos in text. */
static void position(const char *text, size_t len, const char *pos, size_t *line, size_t *col)
{
    size_t off = pos && pos >= text && (size_t)(pos - text) <= len ? (size_t)(pos - text) : len;
    utf8_line_col(text, off, line, col);
}

/* Whether malformed text is merely cut short: it ends inside a string or with an
 * unclosed object or array. Then the useful position is the end, not where cJSON gave up. */
static bool truncated(const char *text, size_t len)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return in_string || depth > 0 || len == 0;
}

/* The text's one-line syntax error: at pos, or at the end when the text is merely cut
 * short (then the useful position is the end, not where cJSON gave up). */
static int syntax_error(vctx *v, const char *text, size_t len, const char *pos, const char *why)
{
    if (!why) {
        why = "malformed JSON";
        if (truncated(text, len)) {
            pos = text + len;
            why = "unexpected end of file (truncated?)";
        }
    }
    size_t line, col;
    position(text, len, pos, &line, &col);
    return sm_error_set(v->err, ERR_SNAPSHOT, SNAPSHOT_HINT, "cannot read snapshot %s: line %zu, column %zu: %s",
                        v->name, line, col, why);
}

static size_t skip_space(const char *text, size_t len, size_t off)
{
    while (off < len && strchr(" \t\r\n", text[off]))
        off++;
    return off;
}

/* Where the JSON text starts: past a UTF-8 byte order mark (cJSON skips one too) and
 * white space. */
static size_t content_start(const char *text, size_t len)
{
    size_t off = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    return skip_space(text, len, off);
}

/* The string token at s[*i] ('"'), decoded into out (escapes resolved; \uXXXX as UTF-8,
 * surrogate pairs joined); *i moves past it. The text is JSON cJSON accepted. Returns
 * the offset of a \u0000 escape in it, or SIZE_MAX when there is none. */
static size_t json_string_decode(strbuf *out, const char *s, size_t n, size_t *i)
{
    size_t nul = SIZE_MAX;
    size_t k = *i + 1;
    while (k < n && s[k] != '"') {
        if (s[k] != '\\') {
            strbuf_addch(out, s[k++]);
            continue;
        }
        if (k + 1 >= n)
            break;
        char e = s[k + 1];
        if (e != 'u') {
            strbuf_addch(out, e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
                                 : e == 'f' ? '\f' : e);
            k += 2;
            continue;
        }
        unsigned cp = 0;
        for (size_t h = k + 2; h < k + 6 && h < n; h++)
            cp = cp * 16 + (unsigned)(s[h] <= '9' ? s[h] - '0' : (s[h] | 0x20) - 'a' + 10);
        if (cp == 0 && nul == SIZE_MAX)
            nul = k;
        k += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && k + 5 < n && s[k] == '\\' && s[k + 1] == 'u') {
            unsigned lo = 0;
            for (size_t h = k + 2; h < k + 6; h++)
                lo = lo * 16 + (unsigned)(s[h] <= '9' ? s[h] - '0' : (s[h] | 0x20) - 'a' + 10);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                k += 6;
            }
        }
        utf8_put(out, cp);
    }
    *i = k + 1;
    return nul;
}

/* What cJSON lets through and a snapshot must not hold (the value at s[0..n), valid JSON):
 * a string with a \u0000 escape (no name can hold NUL, and a C string would end there),
 * and an object with the same key twice (which one counts would be a guess). Returns
 * the offset of the first such place and sets *why, or SIZE_MAX when there is none. */
static size_t strict_check(const char *s, size_t n, const char **why)
{
    typedef struct frame {
        bool object, want_key;
        strbuf keys; /* the keys seen so far, each followed by a NUL */
    } frame;
    frame stack[64];
    size_t depth = 0, bad = SIZE_MAX;
    strbuf key = STRBUF_INIT;
    for (size_t i = 0; i < n && bad == SIZE_MAX;) {
        char c = s[i];
        if (c == '{' || c == '[') {
            if (depth == sizeof stack / sizeof *stack) { /* deeper than any snapshot: not checked */
                i++;
                continue;
            }
            stack[depth].object = c == '{';
            stack[depth].want_key = c == '{';
            strbuf_init(&stack[depth].keys);
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            if (depth)
                strbuf_release(&stack[--depth].keys);
            i++;
        } else if (c == ',') {
            if (depth && stack[depth - 1].object)
                stack[depth - 1].want_key = true;
            i++;
        } else if (c == '"') {
            size_t start = i;
            strbuf_reset(&key);
            size_t nul = json_string_decode(&key, s, n, &i);
            if (nul != SIZE_MAX) {
                bad = nul;
                *why = "a string holds \\u0000 (NUL), which no name can";
            } else if (depth && stack[depth - 1].want_key) {
                frame *f = &stack[depth - 1];
                f->want_key = false;
                for (size_t k = 0; k < f->keys.len; k += strlen(f->keys.buf + k) + 1)
                    if (strcmp(f->keys.buf + k, key.buf) == 0 && strlen(key.buf) == key.len) {
                        bad = start;
                        *why = "duplicate key in an object";
                    }
                strbuf_add(&f->keys, key.buf, key.len + 1);
            }
        } else {
            i++;
        }
    }
    while (depth)
        strbuf_release(&stack[--depth].keys);
    strbuf_release(&key);
    return bad;
}

/* One JSON value at text+*off, parsed by cJSON and held to strict_check; *off moves past
 * it and the white space after it. NULL with *bad_at at the error (and *why for a strict
 * check) on malformed text. */
static cJSON *value_at(const char *text, size_t len, size_t *off, const char **bad_at, const char **why)
{
    /* cJSON skips a byte order mark at the start of what it is given: inside the text
     * one is an error */
    if (len - *off >= 3 && memcmp(text + *off, "\xEF\xBB\xBF", 3) == 0) {
        *bad_at = text + *off;
        return NULL;
    }
    const char *end = NULL;
    cJSON *item = *off < len ? cJSON_ParseWithLengthOpts(text + *off, len - *off, &end, 0) : NULL;
    if (!item) {
        *bad_at = end ? end : text + len;
        return NULL;
    }
    size_t bad = strict_check(text + *off, (size_t)(end - text) - *off, why);
    if (bad != SIZE_MAX) {
        cJSON_Delete(item);
        *bad_at = text + *off + bad;
        return NULL;
    }
    *off = skip_space(text, len, (size_t)(end - text));
    return item;
}

/* The first NUL byte of text[from, to), or NULL; a mapped text is scanned a chunk at a
 * time and each chunk given back, or the scan alone would make the whole file resident. */
static const char *find_nul(const vctx *v, const char *text, size_t from, size_t to)
{
    size_t chunk = v->mapped ? (size_t)4 << 20 : to - from;
    for (size_t off = from; off < to; off += chunk) {
        size_t n = to - off < chunk ? to - off : chunk;
        const char *nul = memchr(text + off, '\0', n);
        if (nul)
            return nul;
        if (v->mapped)
            fs_map_give_back(text, off, off + n);
    }
    return NULL;
}

/* The first NUL byte of text[from, to) as a syntax error, or 0 when there is none. */
static int nul_check(vctx *v, const char *text, size_t len, size_t from, size_t to)
{
    const char *nul = find_nul(v, text, from, to);
    return nul ? syntax_error(v, text, len, nul, "NUL byte in the file") : 0;
}

/* What index_tables says when a table's text is not where the index puts it: the file is
 * then read again without the index (parse_text). Not an error code: those are < 0. */
#define INDEX_MISFIT 1

/* The tables array at text+*off through the index: each table whose oid and fingerprint
 * match one of v->share's is borrowed without a look at its text; the others are parsed
 * from where the index says, with the same checks as the whole file gets. */
static int index_tables(vctx *v, const char *text, size_t len, size_t *off, sm_catalog *cat)
{
    const snap_index *ix = v->index;
    /* share's table of each entry's oid, and its fingerprint: all at once, on two threads */
    const sm_table **same = xcalloc(ix->n + 1, sizeof *same);
    char (*fps)[SM_FINGERPRINT_HEX + 1] = xmalloc((ix->n + 1) * sizeof *fps);
    for (size_t i = 0; v->share && i < ix->n; i++)
        same[i] = ix->entries[i].oid ? catalog_find_table_oid(v->share, ix->entries[i].oid) : NULL;
    tables_fingerprint(same, ix->n, fps);
    char path[64];
    int rc = 0;
    for (size_t i = 0; i < ix->n && !rc; i++) {
        const index_entry *e = &ix->entries[i];
        sm_table *t = catalog_add_table(cat);
        if (same[i] && strcmp(fps[i], e->fp) == 0) {
            table_borrow(cat, t, v->share, same[i]);
            continue;
        }
        const char *bad_at = NULL, *why = NULL;
        size_t at = e->off, end = e->off + e->len;
        if (text[at] != '{' || text[end - 1] != '}') {
            rc = INDEX_MISFIT;
            break;
        }
        if ((rc = nul_check(v, text, len, at, end)) != 0)
            break;
        cJSON *it = value_at(text, end, &at, &bad_at, &why);
        if (!it) {
            rc = syntax_error(v, text, len, bad_at, why);
            break;
        }
        subpath(path, sizeof path, "tables[%zu]", i);
        rc = at != end ? syntax_error(v, text, len, text + at, NULL)
             : !cJSON_IsObject(it) ? bad(v, path, "must be an object")
                                   : parse_table(v, path, it, t);
        cJSON_Delete(it);
        if (!rc && t->oid != e->oid)
            rc = INDEX_MISFIT;
    }
    free(same);
    free(fps);
    *off = ix->tables_end;
    return rc;
}

/* The elements of the array at text+*off ("enums" or "tables"), each parsed by cJSON on
 * its own, read into cat by parse_one and freed: a large snapshot's tree is never whole
 * in memory (about 200 MB for the 41 MB of a 5,000-table catalog). */
static int stream_array(vctx *v, const char *text, size_t len, size_t *off, const char *key, sm_catalog *cat)
{
    const char *bad_at = NULL, *why = NULL;
    char path[64];
    size_t i = 0;
    if (v->index && strcmp(key, "tables") == 0)
        return *off == v->index->tables_start ? index_tables(v, text, len, off, cat) : INDEX_MISFIT;
    *off = skip_space(text, len, *off + 1); /* past '[' */
    if (*off < len && text[*off] == ']') {
        (*off)++;
        return 0;
    }
    for (;;) {
        cJSON *it = value_at(text, len, off, &bad_at, &why);
        if (!it)
            return syntax_error(v, text, len, bad_at, why);
        subpath(path, sizeof path, "%s[%zu]", key, i++);
        int rc = !cJSON_IsObject(it) ? bad(v, path, "must be an object")
                 : strcmp(key, "enums") == 0 ? parse_enum(v, path, it, catalog_add_enum(cat))
                                               : parse_table(v, path, it, catalog_add_table(cat));
        cJSON_Delete(it);
        if (rc)
            return rc;
        if (v->share && strcmp(key, "tables") == 0) {
            sm_table *t = &cat->tables[cat->ntables - 1];
            const sm_table *same = t->oid ? catalog_find_table_oid(v->share, t->oid) : NULL;
            if (same && table_equal(t, same))
                table_borrow(cat, t, v->share, same);
        }
        release_behind(v, text, *off);
        *off = skip_space(text, len, *off);
        if (*off < len && text[*off] == ',') {
            *off = skip_space(text, len, *off + 1);
            continue;
        }
        if (*off < len && text[*off] == ']') {
            (*off)++;
            return 0;
        }
        return syntax_error(v, text, len, text + *off, NULL);
    }
}

/* The top-level object, walked here so that "enums" and "tables" can be streamed
 * (stream_array); every other value, and those two when they come before a valid
 * "format", go into root whole and are read as any object's members. Returns root, or
 * NULL with the error set. Errors come in the order of the file. */
static cJSON *walk_top(vctx *v, const char *text, size_t len, sm_catalog *cat, bool streamed[2], int *rc)
{
    const char *bad_at = NULL, *why = NULL;
    cJSON *root = cJSON_CreateObject();
    size_t off = content_start(text, len) + 1; /* past '{' */
    bool format_ok = false;
    off = skip_space(text, len, off);
    if (off < len && text[off] == '}') {
        off++;
    } else {
        for (;;) {
            if (off >= len || text[off] != '"') {
                *rc = syntax_error(v, text, len, text + off, NULL);
                goto fail;
            }
            size_t key_off = off;
            cJSON *key = value_at(text, len, &off, &bad_at, &why);
            if (!key) {
                *rc = syntax_error(v, text, len, bad_at, why);
                goto fail;
            }
            char *name = xstrdup(key->valuestring);
            cJSON_Delete(key);
            if (off >= len || text[off] != ':') {
                free(name);
                *rc = syntax_error(v, text, len, text + off, NULL);
                goto fail;
            }
            off = skip_space(text, len, off + 1);
            int which = strcmp(name, "enums") == 0 ? 0 : strcmp(name, "tables") == 0 ? 1 : -1;
            bool first = !cJSON_GetObjectItemCaseSensitive(root, name) && !(which >= 0 && streamed[which]);
            if (!first) {
                free(name);
                *rc = syntax_error(v, text, len, text + key_off, "duplicate key in an object");
                goto fail;
            }
            if (which >= 0 && first && format_ok && off < len && text[off] == '[') {
                *rc = stream_array(v, text, len, &off, name, cat);
                free(name);
                if (*rc)
                    goto fail;
                streamed[which] = true;
                off = skip_space(text, len, off);
            } else {
                cJSON *value = value_at(text, len, &off, &bad_at, &why);
                if (!value) {
                    free(name);
                    *rc = syntax_error(v, text, len, bad_at, why);
                    goto fail;
                }
                cJSON_AddItemToObject(root, name, value);
                if (strcmp(name, "format") == 0) {
                    double format;
                    if ((*rc = get_int(v, "", root, "format", 0, 1e9, &format)) != 0) {
                        free(name);
                        goto fail;
                    }
                    if (format != SNAPSHOT_FORMAT) {
                        *rc = bad(v, "", "unknown format %.0f (this schemerge reads format %d)", format,
                                  SNAPSHOT_FORMAT);
                        free(name);
                        goto fail;
                    }
                    format_ok = true;
                }
                free(name);
            }
            if (off < len && text[off] == ',') {
                off = skip_space(text, len, off + 1);
                continue;
            }
            if (off < len && text[off] == '}') {
                off++;
                break;
            }
            *rc = syntax_error(v, text, len, text + off, NULL);
            goto fail;
        }
    }
    off = skip_space(text, len, off);
    if (off < len) {
        *rc = syntax_error(v, text, len, text + off, "unexpected data after the JSON value");
        goto fail;
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

static int parse_text(sm_catalog **out, const char *text, size_t len, const char *name, bool mapped,
                      const sm_catalog *share, const char *index, sm_error *err);

int snapshot_parse(sm_catalog **out, const char *text, size_t len, const char *name, sm_error *err)
{
    return parse_text(out, text, len, name, false, NULL, NULL, err);
}

/* One reading of the text, through ix when it is not NULL. */
static int parse_once(sm_catalog **out, const char *text, size_t len, const char *name, bool mapped,
                      const sm_catalog *share, const snap_index *ix, sm_error *err)
{
    vctx v = { name ? name : "<snapshot>", err, mapped, 0, share, ix };
    sm_catalog *cat = catalog_new();
    cJSON *root = NULL;
    const cJSON *it, *arr;
    char path[64];
    double format;
    int rc = 0;
    bool streamed[2] = { false, false };
    *out = NULL;
    /* Not require_null_terminated: cJSON then wants the NUL inside len. Trailing data is
     * checked after the value instead, and an embedded NUL is an error of its own. With
     * an index, the tables' text is looked at only where a table is parsed (index_tables). */
    const char *nul = find_nul(&v, text, 0, ix ? ix->tables_start : len);
    if (ix && !nul)
        nul = find_nul(&v, text, ix->tables_end, len);
    size_t start = content_start(text, len);
    if (nul) {
        rc = syntax_error(&v, text, len, nul, "NUL byte in the file");
        goto done;
    }
    if (start < len && text[start] == '{') {
        if (!(root = walk_top(&v, text, len, cat, streamed, &rc)))
            goto done;
    } else { /* not an object: valid JSON of another kind, or not JSON at all */
        const char *bad_at = NULL, *why = NULL;
        size_t off = start;
        cJSON *value = value_at(text, len, &off, &bad_at, &why);
        if (!value)
            rc = syntax_error(&v, text, len, bad_at, why);
        else if (skip_space(text, len, off) < len)
            rc = syntax_error(&v, text, len, text + skip_space(text, len, off), "unexpected data after the JSON value");
        else
            rc = bad(&v, "", "the top level must be an object");
        cJSON_Delete(value);
        goto done;
    }
    if ((rc = get_int(&v, "", root, "format", 0, 1e9, &format)) != 0)
        goto done;
    if (format != SNAPSHOT_FORMAT) {
        rc = bad(&v, "", "unknown format %.0f (this schemerge reads format %d)", format, SNAPSHOT_FORMAT);
        goto done;
    }
    char *ignored = NULL;
    if ((rc = get_str(&v, "", root, "generator", true, &ignored)) != 0)
        goto done;
    free(ignored);
    if ((rc = get_str(&v, "", root, "server_version", true, &cat->server_version)) != 0 ||
        (rc = get_strings(&v, "", root, "schemas", &cat->schemas, &cat->nschemas)) != 0)
        goto done;
    cat->cap_schemas = cat->nschemas;
    if (!streamed[0]) {
        if ((rc = member(&v, "", root, "enums", cJSON_Array, false, &arr)) != 0)
            goto done;
        size_t i = 0;
        cJSON_ArrayForEach(it, arr) {
            subpath(path, sizeof path, "enums[%zu]", i++);
            if (!cJSON_IsObject(it)) {
                rc = bad(&v, path, "must be an object");
                goto done;
            }
            if ((rc = parse_enum(&v, path, it, catalog_add_enum(cat))) != 0)
                goto done;
        }
    }
    if (!streamed[1]) {
        if ((rc = member(&v, "", root, "tables", cJSON_Array, false, &arr)) != 0)
            goto done;
        size_t i = 0;
        cJSON_ArrayForEach(it, arr) {
            subpath(path, sizeof path, "tables[%zu]", i++);
            if (!cJSON_IsObject(it)) {
                rc = bad(&v, path, "must be an object");
                goto done;
            }
            if ((rc = parse_table(&v, path, it, catalog_add_table(cat))) != 0)
                goto done;
        }
    }
    catalog_sort(cat);
    for (size_t i = 1; i < cat->nenums; i++)
        if (!strcmp(cat->enums[i].schema, cat->enums[i - 1].schema) &&
            !strcmp(cat->enums[i].name, cat->enums[i - 1].name)) {
            rc = bad(&v, "", "enum %s.%s appears twice", cat->enums[i].schema, cat->enums[i].name);
            goto done;
        }
    for (size_t i = 1; i < cat->ntables; i++)
        if (!strcmp(cat->tables[i].schema, cat->tables[i - 1].schema) &&
            !strcmp(cat->tables[i].name, cat->tables[i - 1].name)) {
            rc = bad(&v, "", "table %s.%s appears twice", cat->tables[i].schema, cat->tables[i].name);
            goto done;
        }
    *out = cat;
    cat = NULL;
    rc = 0;
done:
    cJSON_Delete(root);
    catalog_free(cat);
    return rc;
}

static int parse_text(sm_catalog **out, const char *text, size_t len, const char *name, bool mapped,
                      const sm_catalog *share, const char *index, sm_error *err)
{
    snap_index ix;
    if (index && share && index_read(&ix, index, text, len)) {
        int rc = parse_once(out, text, len, name, mapped, share, &ix, err);
        free(ix.entries);
        if (rc != INDEX_MISFIT)
            return rc;
    }
    return parse_once(out, text, len, name, mapped, share, NULL, err);
}

int snapshot_read_file(sm_catalog **out, const char *path, sm_error *err)
{
    return snapshot_read_file_sharing(out, path, NULL, NULL, err);
}

int snapshot_read_file_sharing(sm_catalog **out, const char *path, const sm_catalog *share, const char *index,
                               sm_error *err)
{
    *out = NULL;
    size_t len = 0;
    const char *map = fs_map_file(path, &len);
    if (map) {
        int rc = parse_text(out, map, len, path, true, share, index, err);
        fs_unmap_file(map, len);
        return rc;
    }
    char *text = NULL;
    int rc = fs_read_file(&text, &len, path, err);
    if (rc < 0) {
        /* fsutil says "cannot read PATH: why"; say that PATH was to be a snapshot */
        char why[sizeof err->what];
        const char *colon = strstr(err->what, ": ");
        snprintf(why, sizeof why, "%s", colon ? colon + 2 : err->what);
        return sm_error_set(err, ERR_IO, "check the path given to --db", "cannot read snapshot %s: %s",
                            path, why);
    }
    rc = parse_text(out, text, len, path, false, share, index, err);
    free(text);
    return rc;
}
