/* catalog.c: the live catalog reader (libpq) and the --db dispatcher.
 *
 * Five queries read the whole selected part of the database: enums with their labels,
 * relations, columns, the types those columns use (closed over array elements and domain
 * bases by a recursive CTE), and constraints. Results are joined in C through oid-sorted
 * index arrays (bsearch), so the work is O(n log n) in the catalog's size. Text results
 * only: every value is read with PQgetisnull/PQgetvalue, never guessed from "". */
#include "config.h"
#include "catalog.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "conninfo.h"
#include "snapshot.h"
#include "xalloc.h"

/* The relations we read: $1 the schemas (text[]), $2 the relkinds ("char"[]).
 * Partitions are not tables of their own (SPEC 4): their parent is. */
#define REL_FILTER                                                                          \
    "n.nspname = ANY ($1::pg_catalog.text[]) AND c.relkind = ANY ($2::pg_catalog.\"char\"[])" \
    " AND NOT c.relispartition"

#define REL_FROM                                                        \
    "pg_catalog.pg_class c"                                             \
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"

/* NOTE: bench/catalog_queries.sql is generated from these strings (catalog_queries_script),
 * so the benchmark's floor always runs exactly these queries. */
static const char Q_ENUMS[] =
    "SELECT t.oid, n.nspname, t.typname, d.description, e.oid, e.enumlabel"
    " FROM pg_catalog.pg_type t"
    " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
    " LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid"
    " LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid"
    "  AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0"
    " WHERE t.typtype = 'e' AND n.nspname = ANY ($1::pg_catalog.text[])"
    " ORDER BY t.oid, e.enumsortorder";

static const char Q_TABLES[] =
    "SELECT c.oid, n.nspname, c.relname, c.relkind, d.description"
    " FROM " REL_FROM
    " LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0"
    " WHERE " REL_FILTER;

static const char Q_COLUMNS[] =
    "SELECT a.attrelid, a.attnum, a.attname, a.atttypid,"
    " pg_catalog.format_type(a.atttypid, a.atttypmod), a.attndims, a.attnotnull,"
    " a.attidentity, a.attgenerated, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), d.description"
    " FROM " REL_FROM
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
    " LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
    " LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = a.attnum"
    " WHERE " REL_FILTER " AND a.attnum > 0 AND NOT a.attisdropped"
    " ORDER BY a.attrelid, a.attnum";

/* Every type a selected column uses, plus what arrays and domains are made of. Arrays
 * are told by typcategory 'A' (not by typelem alone: "name" and "point" have one too). */
static const char Q_TYPES[] =
    "WITH RECURSIVE needed(oid) AS ("
    " SELECT DISTINCT a.atttypid FROM " REL_FROM
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
    " WHERE " REL_FILTER " AND a.attnum > 0 AND NOT a.attisdropped"
    " UNION"
    " SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END"
    " FROM needed JOIN pg_catalog.pg_type t ON t.oid = needed.oid"
    " WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0))"
    " SELECT t.oid, n.nspname, t.typname, t.typtype, t.typcategory, t.typelem, t.typbasetype,"
    " t.typnotnull, pg_catalog.format_type(t.oid, NULL)"
    " FROM needed JOIN pg_catalog.pg_type t ON t.oid = needed.oid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace";

/* conparentid = 0: a foreign key that references a partitioned table also has one clone
 * per referenced partition; only the original is the user's constraint.
 * Column numbers, not names: the names are resolved in C from the columns just read,
 * which costs the server nothing (two ARRAY subselects per constraint were half this
 * query's time at 5,000 tables). Only a foreign key to a table this read does not load
 * (another schema, a partition) gets its referenced names from the server. */
static const char Q_CONSTRAINTS[] =
    "SELECT k.conrelid, k.conname, k.contype, k.conkey, rn.nspname, rc.relname,"
    " CASE WHEN k.contype = 'f' AND NOT (rn.nspname = ANY ($1::pg_catalog.text[])"
    "  AND rc.relkind = ANY ($2::pg_catalog.\"char\"[]) AND NOT rc.relispartition) THEN"
    "  ARRAY(SELECT a.attname FROM pg_catalog.unnest(k.confkey) WITH ORDINALITY u(attnum, i)"
    "   JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum"
    "   ORDER BY u.i) END,"
    " pg_catalog.pg_get_constraintdef(k.oid), k.confrelid, k.confkey"
    " FROM " REL_FROM
    " JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid"
    " LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid"
    " LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
" WHERE " REL_FILTER " AND k.contype IN ('p', 'f', 'u', 'c') AND k.conparentid = 0";

typedef struct query {
    const char *name;
    const char *sql;
    int nparams; /* 1: schemas; 2: schemas and relkinds */
} query;

enum { QI_ENUMS, QI_TABLES, QI_COLUMNS, QI_TYPES, QI_CONSTRAINTS, NQUERIES };

static const query queries[NQUERIES] = {
    [QI_ENUMS] = { "enums", Q_ENUMS, 1 },
    [QI_TABLES] = { "tables", Q_TABLES, 2 },
    [QI_COLUMNS] = { "columns", Q_COLUMNS, 2 },
    [QI_TYPES] = { "types", Q_TYPES, 2 },
    [QI_CONSTRAINTS] = { "constraints", Q_CONSTRAINTS, 2 },
};

/* format_type and pg_get_expr qualify names that are not on the search_path, so the path
 * is pinned: the same schema then reads the same whatever the role's own settings. */
#define SEARCH_PATH "pg_catalog, public"

bool catalog_arg_is_snapshot(const char *db_arg)
{
    size_t n = db_arg ? strlen(db_arg) : 0;
    return n > 5 && strcmp(db_arg + n - 5, ".json") == 0;
}

/* ------------------------------------------------------------------ parameters */

static const char *const default_schemas[] = { "public" };

static void schemas_of(const catalog_options *opts, const char *const **v, size_t *n)
{
    if (opts && opts->nschemas) {
        *v = opts->schemas;
        *n = opts->nschemas;
    } else {
        *v = default_schemas;
        *n = 1;
    }
}

/* A text[] literal: {"a","b"} with " and \ escaped, so any schema name is safe. */
static char *text_array_literal(const char *const *v, size_t n)
{
    strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    for (size_t i = 0; i < n; i++) {
        strbuf_adds(&sb, i ? ",\"" : "\"");
        for (const char *p = v[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_addch(&sb, '\\');
            strbuf_addch(&sb, *p);
        }
        strbuf_addch(&sb, '"');
    }
    strbuf_addch(&sb, '}');
    return strbuf_detach(&sb, NULL);
}

static const char *relkinds_literal(const catalog_options *opts)
{
    return opts && opts->views ? "{r,p,v,m}" : "{r,p}";
}

void catalog_queries_script(strbuf *out, const catalog_options *opts)
{
    const char *const *schemas;
    size_t nschemas;
    schemas_of(opts, &schemas, &nschemas);
    char *arr = text_array_literal(schemas, nschemas);
    strbuf_adds(out, "-- generated by catalog_queries_script (src/catalog.c): do not edit\n");
    strbuf_adds(out, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n");
    strbuf_addf(out, "SET LOCAL statement_timeout = %d;\n",
                opts && opts->statement_timeout_ms > 0 ? opts->statement_timeout_ms : 30000);
    strbuf_adds(out, "SET LOCAL work_mem = '64MB';\n");
    strbuf_adds(out, "SET LOCAL search_path = " SEARCH_PATH ";\n");
    /* $n -> a quoted literal; the literals hold no '$' that could be rewritten again */
    strbuf lit1 = STRBUF_INIT;
    strbuf_addch(&lit1, '\'');
    for (const char *p = arr; *p; p++) {
        if (*p == '\'')
            strbuf_addch(&lit1, '\'');
        strbuf_addch(&lit1, *p);
    }
    strbuf_addch(&lit1, '\'');
    for (int q = 0; q < NQUERIES; q++) {
        strbuf_addf(out, "-- %s\n", queries[q].name);
        for (const char *p = queries[q].sql; *p; p++) {
            if (p[0] == '$' && (p[1] == '1' || p[1] == '2')) {
                if (p[1] == '1')
                    strbuf_adds(out, strbuf_str(&lit1));
                else
                    strbuf_addf(out, "'%s'", relkinds_literal(opts));
                p++;
            } else {
                strbuf_addch(out, *p);
            }
        }
        strbuf_adds(out, ";\n");
    }
    strbuf_adds(out, "ROLLBACK;\n");
    strbuf_release(&lit1);
    free(arr);
}

/* ------------------------------------------------------------------ errors */

/* libpq messages span lines ("...failed: FATAL:  x\n\tIs the server running...?\n"):
 * fold every run of white space into one space, and mask the password should it ever
 * appear in the text. */
static void one_line(char *dst, size_t size, const char *msg, const char *password)
{
    strbuf sb = STRBUF_INIT;
    bool space = false;
    for (const char *p = msg ? msg : ""; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = sb.len > 0;
            continue;
        }
        if (space)
            strbuf_addch(&sb, ' ');
        space = false;
        /* a password of a few characters would match ordinary words ("x" in "/tmp/x"):
         * libpq never echoes passwords, so this is a second line of defence for real ones */
        if (password && strlen(password) >= 4 && strncmp(p, password, strlen(password)) == 0) {
            strbuf_adds(&sb, "***");
            p += strlen(password) - 1;
            continue;
        }
        strbuf_addch(&sb, *p);
    }
    snprintf(dst, size, "%s", strbuf_str(&sb));
    strbuf_release(&sb);
}

/* The password libpq would use for conninfo, to scrub it from server messages. */
static char *password_of(const char *conninfo)
{
    char *pw = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            pw = xstrdup(o->val);
    PQconninfoFree(opts);
    return pw;
}

static int connect_error(sm_error *err, const char *conninfo, PGconn *conn)
{
    char msg[400];
    char *pw = password_of(conninfo);
    char *shown = conninfo_redact(conninfo);
    one_line(msg, sizeof msg, conn ? PQerrorMessage(conn) : "out of memory", pw);
    /* libpq has no SQLSTATE for a failed connection: classify by the server's text,
     * which is English here because it comes before any lc_messages of ours */
    const char *hint = "check that the server is running and --db or DATABASE_URL is right";
    if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied") ||
        strstr(msg, "authentication failed") || strstr(msg, "fe_sendauth"))
        hint = "check the user name and password in --db or DATABASE_URL, or ~/.pgpass";
    else if (strstr(msg, "does not exist") && strstr(msg, "database \""))
        hint = "check the database name in --db or DATABASE_URL, or create the database";
    else if (strstr(msg, "does not exist") && strstr(msg, "role \""))
        hint = "check the user name in --db or DATABASE_URL";
    else if (strstr(msg, "connection info string") || strstr(msg, "invalid URI") ||
             strstr(msg, "invalid connection option") || strstr(msg, "invalid integer value") ||
             strstr(msg, "invalid percent-encoded"))
        hint = "fix the connection string in --db or DATABASE_URL (a postgresql:// URI or key=value pairs)";
    else if (strstr(msg, "timeout expired"))
        hint = "the server did not answer in time; check the host and port, or the network";
    int rc = sm_error_set(err, ERR_DB_CONNECT, hint, "cannot connect to the database (%s): %s",
                          *shown ? shown : "libpq defaults", msg);
    free(shown);
    free(pw);
    return rc;
}

static int query_error(sm_error *err, const char *what, PGresult *res, PGconn *conn, const char *pw)
{
    char msg[400];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    one_line(msg, sizeof msg, primary ? primary : PQerrorMessage(conn), pw);
    const char *hint = NULL;
    if (state && strcmp(state, "57014") == 0)
        hint = "the catalog is large or the server busy: raise statement_timeout_ms in the config";
    else if (state && strncmp(state, "42", 2) == 0)
        hint = "the server may be older than PostgreSQL 12, which schemerge needs";
    else if (PQstatus(conn) == CONNECTION_BAD)
        hint = "the connection was lost; check the server and try again";
    return sm_error_set(err, ERR_DB_QUERY, hint, "cannot read the database catalog (%s): %s", what,
                        msg[0] ? msg : "unknown error");
}

/* ------------------------------------------------------------------ reading results */

static char *val(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : xstrdup(PQgetvalue(r, row, col));
}

static uint32_t oidval(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : (uint32_t)strtoul(PQgetvalue(r, row, col), NULL, 10);
}

static bool boolval(const PGresult *r, int row, int col)
{
    return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

static char charval(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : PQgetvalue(r, row, col)[0];
}

/* Split a one-dimensional array literal of names ({a,"b c","d\"e"}) into strings.
 * Names are never NULL, so the NULL element form does not occur. */
static void parse_name_array(const char *s, char ***out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!s || *s != '{')
        return;
    s++;
    strbuf item = STRBUF_INIT;
    while (*s && *s != '}') {
        strbuf_reset(&item);
        if (*s == '"') {
            for (s++; *s && *s != '"'; s++) {
                if (*s == '\\' && s[1])
                    s++;
                strbuf_addch(&item, *s);
            }
            if (*s == '"')
                s++;
        } else {
            for (; *s && *s != ',' && *s != '}'; s++)
                strbuf_addch(&item, *s);
        }
        *XPUSH(*out, *n, cap) = xstrdup(strbuf_str(&item));
        if (*s == ',')
            s++;
    }
    strbuf_release(&item);
}

typedef struct oid_index {
    uint32_t oid;
    size_t idx;
} oid_index;

static int cmp_oid_index(const void *a, const void *b)
{
    const oid_index *x = a, *y = b;
    return (x->oid > y->oid) - (x->oid < y->oid);
}

static const oid_index *oid_find(const oid_index *v, size_t n, uint32_t oid)
{
    oid_index key = { oid, 0 };
    return n ? bsearch(&key, v, n, sizeof *v, cmp_oid_index) : NULL;
}

/* The types result, indexed by oid; build_type makes a column's resolved sm_type. */
typedef struct type_rows {
    const PGresult *res;
    oid_index *index;
    size_t n;
} type_rows;

enum { TY_OID, TY_SCHEMA, TY_NAME, TY_TYPTYPE, TY_CATEGORY, TY_ELEM, TY_BASE, TY_NOTNULL, TY_SQL };

static sm_type *build_type(const type_rows *tr, uint32_t oid, int depth)
{
    const oid_index *hit = oid_find(tr->index, tr->n, oid);
    if (!hit || depth > 16)
        return sm_type_new(SM_TYPE_PSEUDO, NULL, "unknown", "unknown");
    const PGresult *r = tr->res;
    int row = (int)hit->idx;
    char typtype = charval(r, row, TY_TYPTYPE);
    sm_type_kind kind;
    uint32_t inner = 0;
    switch (typtype) {
    case 'b':
        if (charval(r, row, TY_CATEGORY) == 'A' && oidval(r, row, TY_ELEM)) {
            kind = SM_TYPE_ARRAY;
            inner = oidval(r, row, TY_ELEM);
        } else {
            kind = SM_TYPE_BASE;
        }
        break;
    case 'd':
        kind = SM_TYPE_DOMAIN;
        inner = oidval(r, row, TY_BASE);
        break;
    case 'e': kind = SM_TYPE_ENUM; break;
    case 'c': kind = SM_TYPE_COMPOSITE; break;
    case 'r':
    case 'm': kind = SM_TYPE_RANGE; break;
    default: kind = SM_TYPE_PSEUDO; break;
    }
    sm_type *t = sm_type_new(kind, PQgetvalue(r, row, TY_SCHEMA), PQgetvalue(r, row, TY_NAME),
                             PQgetvalue(r, row, TY_SQL));
    if (kind == SM_TYPE_DOMAIN)
        t->not_null = boolval(r, row, TY_NOTNULL);
    if (inner)
        t->elem = build_type(tr, inner, depth + 1);
    return t;
}

static void load_enums(sm_catalog *cat, const PGresult *r)
{
    uint32_t last = 0;
    sm_enum *e = NULL;
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        uint32_t oid = oidval(r, i, 0);
        if (!e || oid != last) {
            e = catalog_add_enum(cat);
            e->oid = oid;
            e->schema = val(r, i, 1);
            e->name = val(r, i, 2);
            e->comment = val(r, i, 3);
            last = oid;
        }
        if (!PQgetisnull(r, i, 4)) { /* an enum may have no labels at all */
            sm_enum_label *l = enum_add_label(e);
            l->oid = oidval(r, i, 4);
            l->name = val(r, i, 5);
        }
    }
}

static oid_index *load_tables(sm_catalog *cat, const PGresult *r)
{
    int n = PQntuples(r);
    oid_index *index = xmalloc(((size_t)n + 1) * sizeof *index);
    for (int i = 0; i < n; i++) {
        sm_table *t = catalog_add_table(cat);
        t->oid = oidval(r, i, 0);
        t->schema = val(r, i, 1);
        t->name = val(r, i, 2);
        t->kind = charval(r, i, 3);
        t->comment = val(r, i, 4);
        index[i] = (oid_index){ t->oid, cat->ntables - 1 };
    }
    qsort(index, (size_t)n, sizeof *index, cmp_oid_index);
    return index;
}

static void load_columns(sm_catalog *cat, const PGresult *r, const oid_index *tables, size_t ntables,
                         const type_rows *types)
{
    sm_table *t = NULL;
    uint32_t last = 0;
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        uint32_t rel = oidval(r, i, 0);
        if (!t || rel != last) { /* rows come grouped by table: one lookup per table */
            const oid_index *hit = oid_find(tables, ntables, rel);
            t = hit ? &cat->tables[hit->idx] : NULL;
            last = rel;
        }
        if (!t)
            continue;
        sm_column *c = table_add_column(t);
        c->attnum = atoi(PQgetvalue(r, i, 1));
        c->name = val(r, i, 2);
        c->type = build_type(types, oidval(r, i, 3), 0);
        c->type_display = val(r, i, 4);
        c->ndims = atoi(PQgetvalue(r, i, 5));
        c->not_null = boolval(r, i, 6);
        c->identity = charval(r, i, 7);
        c->generated = charval(r, i, 8);
        c->default_expr = val(r, i, 9);
        c->comment = val(r, i, 10);
    }
}

/* "{1,3}" (an int2[] as text) -> the names of those columns of t, in that order; false
 * when one is not a column of t. */
static bool names_of_attnums(const char *s, const sm_table *t, char ***out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!s || *s != '{')
        return false;
    for (s++; *s && *s != '}';) {
        char *end;
        long attnum = strtol(s, &end, 10);
        const sm_column *c = end != s ? table_find_column_attnum(t, (int)attnum) : NULL;
        if (!c) {
            for (size_t i = 0; i < *n; i++)
                free((*out)[i]);
            free(*out);
            *out = NULL;
            *n = 0;
            return false;
        }
        *XPUSH(*out, *n, cap) = xstrdup(c->name);
        s = *end == ',' ? end + 1 : end;
    }
    return true;
}

static void load_constraints(sm_catalog *cat, const PGresult *r, const oid_index *tables, size_t ntables)
{
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        const oid_index *hit = oid_find(tables, ntables, oidval(r, i, 0));
        if (!hit)
            continue;
        sm_table *t = &cat->tables[hit->idx];
        sm_constraint *k = table_add_constraint(t);
        k->name = val(r, i, 1);
        switch (charval(r, i, 2)) {
        case 'p': k->kind = SM_CONSTRAINT_PRIMARY; break;
        case 'f': k->kind = SM_CONSTRAINT_FOREIGN; break;
        case 'u': k->kind = SM_CONSTRAINT_UNIQUE; break;
        default: k->kind = SM_CONSTRAINT_CHECK; break;
        }
        names_of_attnums(PQgetvalue(r, i, 3), t, &k->columns, &k->ncolumns);
        if (k->kind == SM_CONSTRAINT_FOREIGN) {
            k->ref_schema = val(r, i, 4);
            k->ref_table = val(r, i, 5);
            const oid_index *ref = oid_find(tables, ntables, oidval(r, i, 8));
            if (!ref || !names_of_attnums(PQgetvalue(r, i, 9), &cat->tables[ref->idx], &k->ref_columns,
                                          &k->nref_columns))
                parse_name_array(PQgetvalue(r, i, 6), &k->ref_columns, &k->nref_columns);
        }
        k->definition = val(r, i, 7);
    }
}

/* ------------------------------------------------------------------ the reader */

/* libpq's default notice processor prints to stderr: a server going down sends
 * "WARNING: terminating connection ..." before the error we report ourselves. */
static void notice_ignore(void *payload, const char *message)
{
    (void)payload;
    (void)message;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* PQconnectdbParams, with notices swallowed from the first byte: a server going down
 * during the handshake sends its WARNING before any processor of ours could be set on a
 * blocking connection. libpq applies connect_timeout only when it blocks, so the wait is
 * bounded here: timeout_s seconds, or the conninfo's own connect_timeout. On a timeout
 * *waited is the number of seconds and the connection is not OK; else *waited is 0. */
static PGconn *connect_quietly(const char *const *keys, const char *const *values, int timeout_s, int *waited)
{
    *waited = 0;
    PGconn *conn = PQconnectStartParams(keys, values, 1);
    if (!conn || PQstatus(conn) == CONNECTION_BAD)
        return conn;
    PQsetNoticeProcessor(conn, notice_ignore, NULL);
    PQconninfoOption *given = PQconninfo(conn);
    for (PQconninfoOption *o = given; o && o->keyword; o++)
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val && atoi(o->val) > 0)
            timeout_s = atoi(o->val);
    PQconninfoFree(given);
    int64_t deadline = now_ms() + 1000 * (int64_t)(timeout_s > 0 ? timeout_s : 10);
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
        struct pollfd pfd = { .fd = PQsocket(conn), .events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT };
        int64_t left = deadline - now_ms();
        if (pfd.fd < 0)
            break;
        if (left <= 0) {
            *waited = timeout_s > 0 ? timeout_s : 10;
            break;
        }
        int r = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
        if ((r < 0 && errno == EINTR) || (r == 0 && now_ms() < deadline))
            continue;
        if (r <= 0) {
            *waited = timeout_s > 0 ? timeout_s : 10;
            break;
        }
        st = PQconnectPoll(conn);
    }
    return conn;
}

/* PQexecParams with a deadline kept on this side. statement_timeout is enforced by the
 * server, so a server that stops answering (a frozen backend, a network gone quiet) would
 * block a plain PQexec forever; here the wait ends at limit_ms, the connection is given
 * up (*late set) and the caller reports it. The result is the first that is not a
 * success, else the last; NULL when sending failed or time ran out. */
static PGresult *exec_within(PGconn *conn, const char *sql, int nparams, const char *const *params,
                             int limit_ms, bool *late)
{
    *late = false;
    int sent = nparams ? PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0)
                       : PQsendQuery(conn, sql);
    if (!sent)
        return NULL;
    int64_t deadline = now_ms() + limit_ms;
    PGresult *kept = NULL;
    for (;;) {
        while (PQisBusy(conn)) {
            int64_t left = deadline - now_ms();
            struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };
            int ready = left > 0 ? poll(&pfd, 1, (int)(left > 60000 ? 60000 : left)) : 0;
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready == 0 && now_ms() >= deadline) {
                *late = true;
                PQclear(kept);
                return NULL;
            }
            if (!PQconsumeInput(conn)) {
                /* the connection is gone: what came before is no success */
                PQclear(kept);
                return NULL;
            }
        }
        PGresult *r = PQgetResult(conn);
        if (!r)
            break;
        ExecStatusType st = PQresultStatus(r);
        bool failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
        bool kept_failed = kept && PQresultStatus(kept) != PGRES_COMMAND_OK &&
                           PQresultStatus(kept) != PGRES_TUPLES_OK;
        if (kept_failed && !failed) {
            PQclear(r);
        } else {
            PQclear(kept);
            kept = r;
        }
    }
    return kept;
}

/* How long one statement may take before this side stops waiting: the server's own
 * statement_timeout plus a margin for the server to say so. */
static int client_limit_ms(const catalog_options *opts)
{
    int server = opts && opts->statement_timeout_ms > 0 ? opts->statement_timeout_ms : 30000;
    return server + 5000;
}

static int late_error(sm_error *err, const char *what, int limit_ms)
{
    return sm_error_set(err, ERR_DB_QUERY, "the server stopped answering: check it, then try again",
                        "cannot read the database catalog (%s): no answer within %d ms", what, limit_ms);
}

static PGresult *exec_simple(PGconn *conn, const char *sql, const char *what, const char *pw,
                             const catalog_options *opts, sm_error *err)
{
    bool late;
    int limit = client_limit_ms(opts);
    PGresult *res = exec_within(conn, sql, 0, NULL, limit, &late);
    if (late) {
        late_error(err, what, limit);
        return NULL;
    }
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        query_error(err, what, res, conn, pw);
        PQclear(res);
        return NULL;
    }
    return res;
}

int catalog_load_db(sm_catalog **out, const char *conninfo, const catalog_options *opts, sm_error *err)
{
    int rc = 0;
    sm_catalog *cat = NULL;
    PGresult *res[NQUERIES] = { 0 };
    oid_index *tindex = NULL, *tyindex = NULL;
    char *pw = NULL, *schema_arr = NULL;
    const char *const *schemas;
    size_t nschemas;
    *out = NULL;
    schemas_of(opts, &schemas, &nschemas);

    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", opts && opts->connect_timeout_s > 0 ? opts->connect_timeout_s : 10);
    /* Our settings come first: libpq lets the expanded dbname (the user's string)
     * override earlier entries, so a connect_timeout given by the user still wins. */
    const char *const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
    const char *const values[] = { timeout, "schemerge", conninfo ? conninfo : "", NULL };
    int waited = 0;
    PGconn *conn = connect_quietly(keys, values, atoi(timeout), &waited);
    if (waited) {
        char *shown = conninfo_redact(conninfo ? conninfo : "");
        rc = sm_error_set(err, ERR_DB_CONNECT, "check that the server is running and --db or DATABASE_URL is right",
                          "cannot connect to the database (%s): no answer within %d s",
                          *shown ? shown : "libpq defaults", waited);
        free(shown);
        PQfinish(conn);
        conn = NULL;
        goto done;
    }
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        rc = connect_error(err, conninfo ? conninfo : "", conn);
        goto done;
    }
    pw = password_of(conninfo ? conninfo : "");

    PGresult *r = exec_simple(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin", pw, opts, err);
    if (!r) {
        rc = ERR_DB_QUERY;
        goto done;
    }
    PQclear(r);
    char set[256];
    /* work_mem: the column query's sort spills to disk at 5,000 tables with the default */
    snprintf(set, sizeof set, "SET LOCAL statement_timeout = %d; SET LOCAL work_mem = '64MB';"
                              " SET LOCAL search_path = " SEARCH_PATH,
             opts && opts->statement_timeout_ms > 0 ? opts->statement_timeout_ms : 30000);
    if (!(r = exec_simple(conn, set, "settings", pw, opts, err))) {
        rc = ERR_DB_QUERY;
        goto done;
    }
    PQclear(r);

    schema_arr = text_array_literal(schemas, nschemas);
    const char *params[2] = { schema_arr, relkinds_literal(opts) };
    for (int q = 0; q < NQUERIES; q++) {
        bool late;
        int limit = client_limit_ms(opts);
        res[q] = exec_within(conn, queries[q].sql, queries[q].nparams, params, limit, &late);
        if (late) {
            rc = late_error(err, queries[q].name, limit);
            goto done;
        }
        if (PQresultStatus(res[q]) != PGRES_TUPLES_OK) {
            rc = query_error(err, queries[q].name, res[q], conn, pw);
            goto done;
        }
    }
    /* read-only, so nothing to keep: end the transaction before the (slower) building */
    bool late_rollback;
    PQclear(exec_within(conn, "ROLLBACK", 0, NULL, client_limit_ms(opts), &late_rollback));

    cat = catalog_new();
    for (size_t i = 0; i < nschemas; i++)
        catalog_add_schema(cat, schemas[i]);
    const char *version = PQparameterStatus(conn, "server_version");
    if (version)
        cat->server_version = xstrndup(version, strcspn(version, " "));

    load_enums(cat, res[QI_ENUMS]);
    PQclear(res[QI_ENUMS]);
    res[QI_ENUMS] = NULL;
    size_t ntables = (size_t)PQntuples(res[QI_TABLES]);
    tindex = load_tables(cat, res[QI_TABLES]);
    PQclear(res[QI_TABLES]);
    res[QI_TABLES] = NULL;

    type_rows types = { res[QI_TYPES], NULL, (size_t)PQntuples(res[QI_TYPES]) };
    tyindex = xmalloc((types.n + 1) * sizeof *tyindex);
    for (size_t i = 0; i < types.n; i++)
        tyindex[i] = (oid_index){ oidval(types.res, (int)i, TY_OID), i };
    qsort(tyindex, types.n, sizeof *tyindex, cmp_oid_index);
    types.index = tyindex;
    load_columns(cat, res[QI_COLUMNS], tindex, ntables, &types);
    load_constraints(cat, res[QI_CONSTRAINTS], tindex, ntables);
    catalog_sort(cat);
    *out = cat;
    cat = NULL;
done:
    for (int q = 0; q < NQUERIES; q++)
        PQclear(res[q]);
    PQfinish(conn);
    catalog_free(cat);
    free(tindex);
    free(tyindex);
    free(schema_arr);
    free(pw);
    return rc;
}

/* ------------------------------------------------------------------ --db dispatch */

/* Keep only the objects of the wanted schemas. The model has no per-object free, so the
 * unwanted objects are moved (shallow copies) into a scratch catalog that is then freed. */
static int filter_schemas(sm_catalog *cat, const char *const *schemas, size_t n, const char *path,
                          sm_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!catalog_has_schema(cat, schemas[i])) {
            strbuf have = STRBUF_INIT;
            for (size_t j = 0; j < cat->nschemas; j++)
                strbuf_addf(&have, "%s%s", j ? ", " : "", cat->schemas[j]);
            int rc = sm_error_set(err, ERR_SNAPSHOT, "take a new snapshot with that --schema, or drop the option",
                                  "snapshot %s does not contain schema %s (it has: %s)", path, schemas[i],
                                  have.len ? strbuf_str(&have) : "none");
            strbuf_release(&have);
            return rc;
        }
    sm_catalog *scratch = catalog_new();
    size_t keep = 0;
    for (size_t i = 0; i < cat->nenums; i++) {
        bool want = false;
        for (size_t j = 0; j < n && !want; j++)
            want = strcmp(cat->enums[i].schema, schemas[j]) == 0;
        if (want)
            cat->enums[keep++] = cat->enums[i];
        else
            *catalog_add_enum(scratch) = cat->enums[i];
    }
    cat->nenums = keep;
    keep = 0;
    for (size_t i = 0; i < cat->ntables; i++) {
        bool want = false;
        for (size_t j = 0; j < n && !want; j++)
            want = strcmp(cat->tables[i].schema, schemas[j]) == 0;
        if (want)
            cat->tables[keep++] = cat->tables[i];
        else
            *catalog_add_table(scratch) = cat->tables[i];
    }
    cat->ntables = keep;
    for (size_t i = 0; i < cat->nschemas; i++)
        free(cat->schemas[i]);
    cat->nschemas = 0;
    for (size_t i = 0; i < n; i++)
        catalog_add_schema(cat, schemas[i]);
    catalog_free(scratch);
    return 0;
}

int catalog_open(sm_catalog **out, const char *db_arg, const catalog_options *opts, sm_error *err)
{
    *out = NULL;
    if (!catalog_arg_is_snapshot(db_arg))
        return catalog_load_db(out, conninfo_resolve(db_arg), opts, err);
    sm_catalog *cat = NULL;
    int rc = snapshot_read_file(&cat, db_arg, err);
    if (rc == 0 && opts && opts->nschemas)
        rc = filter_schemas(cat, opts->schemas, opts->nschemas, db_arg, err);
    if (rc) {
        catalog_free(cat);
        return rc;
    }
    *out = cat;
    return 0;
}
