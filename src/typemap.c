/* typemap.c: database types -> Python annotations (SPEC section 3), and the comparison of
 * a column with a local annotation by meaning.
 *
 * The mapping is a table keyed by PostgreSQL's internal type names with the format_type
 * spellings next to them, so a snapshot that carries either spelling maps the same.
 * Config overrides are consulted first at every level (the type itself, a domain's own
 * name, array elements, domain bases). Nothing here reads files or the database. */
#include "config.h"
#include "typemap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "xalloc.h"

typedef enum py_base {
    PY_STR,
    PY_INT,
    PY_BOOL,
    PY_FLOAT,
    PY_TEMPORAL,  /* str on the wire (ISO 8601); datetime classes accepted locally */
    PY_JSON,
    PY_ANY,
} py_base;

static const struct {
    const char *name;   /* internal name (pg_type.typname) */
    const char *sql;    /* format_type spelling, or NULL when the same */
    py_base py;
    const char *alt[3]; /* richer local spellings that mean the same value */
} base_types[] = {
    { "uuid", NULL, PY_STR, { "UUID", "uuid.UUID", NULL } },
    { "text", NULL, PY_STR, { NULL } },
    { "varchar", "character varying", PY_STR, { NULL } },
    { "bpchar", "character", PY_STR, { NULL } },
    { "char", "\"char\"", PY_STR, { NULL } },
    { "citext", NULL, PY_STR, { NULL } },
    { "name", NULL, PY_STR, { NULL } },
    { "int2", "smallint", PY_INT, { NULL } },
    { "int4", "integer", PY_INT, { NULL } },
    { "int8", "bigint", PY_INT, { NULL } },
    { "serial", NULL, PY_INT, { NULL } },
    { "serial4", NULL, PY_INT, { NULL } },
    { "bigserial", NULL, PY_INT, { NULL } },
    { "serial8", NULL, PY_INT, { NULL } },
    { "smallserial", NULL, PY_INT, { NULL } },
    { "serial2", NULL, PY_INT, { NULL } },
    { "oid", NULL, PY_INT, { NULL } },
    { "bool", "boolean", PY_BOOL, { NULL } },
    { "float4", "real", PY_FLOAT, { NULL } },
    { "float8", "double precision", PY_FLOAT, { NULL } },
    { "numeric", NULL, PY_FLOAT, { "Decimal", "decimal.Decimal", NULL } },
    { "decimal", NULL, PY_FLOAT, { "Decimal", "decimal.Decimal", NULL } },
    { "money", NULL, PY_FLOAT, { "Decimal", "decimal.Decimal", NULL } },
    { "timestamp", "timestamp without time zone", PY_TEMPORAL, { "datetime", "datetime.datetime", NULL } },
    { "timestamptz", "timestamp with time zone", PY_TEMPORAL, { "datetime", "datetime.datetime", NULL } },
    { "date", NULL, PY_TEMPORAL, { "date", "datetime.date", NULL } },
    { "time", "time without time zone", PY_TEMPORAL, { "time", "datetime.time", NULL } },
    { "timetz", "time with time zone", PY_TEMPORAL, { "time", "datetime.time", NULL } },
    { "interval", NULL, PY_TEMPORAL, { "timedelta", "datetime.timedelta", NULL } },
    { "json", NULL, PY_JSON, { NULL } },
    { "jsonb", NULL, PY_JSON, { NULL } },
    { "bytea", NULL, PY_STR, { "bytes", NULL } },
    { "unknown", NULL, PY_ANY, { NULL } },
};

static int base_lookup(const sm_type *t)
{
    for (size_t i = 0; i < sizeof base_types / sizeof base_types[0]; i++) {
        if ((t->name && strcmp(t->name, base_types[i].name) == 0) ||
            (t->sql && strcmp(t->sql, base_types[i].name) == 0) ||
            (t->sql && base_types[i].sql && strcmp(t->sql, base_types[i].sql) == 0))
            return (int)i;
    }
    return -1;
}

static pytype *py_base_type(py_base b)
{
    switch (b) {
    case PY_STR: return pytype_name("str");
    case PY_INT: return pytype_name("int");
    case PY_BOOL: return pytype_name("bool");
    case PY_FLOAT: return pytype_name("float");
    case PY_TEMPORAL: return pytype_name("str");
    case PY_JSON: return pytype_name("dict");
    case PY_ANY: return pytype_name("Any");
    }
    return pytype_name("Any");
}

/* The config override for this exact type (not its elements or base), parsed; NULL when
 * none or when the override text does not parse (settings_parse already refuses that). */
static pytype *override_for(const typemap_ctx *ctx, const sm_type *t)
{
    const char *text = NULL;

    if (!ctx || !ctx->config || !ctx->config->ntypes)
        return NULL; /* the common case, asked for every column */
    if (t->sql)
        text = settings_type_override(ctx->config, t->sql);
    if (!text && t->name)
        text = settings_type_override(ctx->config, t->name);
    if (!text && t->schema && t->name) {
        char *q = xasprintf("%s.%s", t->schema, t->name);
        text = settings_type_override(ctx->config, q);
        free(q);
    }
    if (!text)
        return NULL;
    pytype *p = NULL;
    sm_error err = SM_ERROR_INIT;
    if (pytype_parse(&p, text, &err) < 0)
        return NULL;
    return p;
}

static bool enum_selected(const typemap_ctx *ctx, const sm_type *t)
{
    return ctx && ctx->catalog && t->schema && catalog_has_schema(ctx->catalog, t->schema);
}

/* The class name an enum column is written with (borrowed), or NULL for str. */
static const char *enum_class_of(const typemap_ctx *ctx, const sm_type *t)
{
    if (!enum_selected(ctx, t) || !ctx->enum_class)
        return NULL;
    return ctx->enum_class(t->schema, t->name, ctx->payload);
}

pytype *typemap_type(const typemap_ctx *ctx, const sm_type *type)
{
    if (!type)
        return pytype_name("Any");
    pytype *o = override_for(ctx, type);
    if (o)
        return o;

    switch (type->kind) {
    case SM_TYPE_BASE: {
        int i = base_lookup(type);
        return py_base_type(i >= 0 ? base_types[i].py : PY_STR);
    }
    case SM_TYPE_RANGE:
        return pytype_name("str");
    case SM_TYPE_ARRAY: {
        pytype *elem = typemap_type(ctx, type->elem);
        return pytype_generic("list", &elem, 1);
    }
    case SM_TYPE_ENUM: {
        const char *cls = ctx && ctx->config && ctx->config->enum_columns_class
                              ? enum_class_of(ctx, type) : NULL;
        return pytype_name(cls ? cls : "str");
    }
    case SM_TYPE_DOMAIN:
        return typemap_type(ctx, type->elem);
    case SM_TYPE_COMPOSITE:
    case SM_TYPE_PSEUDO:
        return pytype_name("Any");
    }
    return pytype_name("Any");
}

static bool is_any(const pytype *t)
{
    return t->kind == PYTYPE_NAME && strcmp(t->name, "Any") == 0;
}

pytype *typemap_column(const typemap_ctx *ctx, const sm_column *col)
{
    pytype *t = typemap_type(ctx, col->type);
    /* Any already admits None: Optional[Any] would only be noise */
    if (column_is_nullable(col) && !pytype_is_nullable(t))
        t = pytype_optional(t);
    return t;
}

static bool name_is(const pytype *t, const char *name)
{
    return t->kind == PYTYPE_NAME && strcmp(t->name, name) == 0;
}

static bool generic_is(const pytype *t, const char *name)
{
    return t->kind == PYTYPE_GENERIC && strcmp(t->name, name) == 0;
}

/* Whether local (with None already stripped at the top) means the database type t. */
static bool type_matches(const typemap_ctx *ctx, const sm_type *t, const pytype *local)
{
    if (!t)
        return is_any(local);

    pytype *o = override_for(ctx, t);
    if (o) {
        pytype *want = pytype_strip_none(o);
        bool ok = pytype_equal(want, local);
        pytype_free(want);
        pytype_free(o);
        return ok;
    }

    switch (t->kind) {
    case SM_TYPE_DOMAIN:
        return type_matches(ctx, t->elem, local);
    case SM_TYPE_ENUM: {
        if (name_is(local, "str"))
            return true;
        if (local->kind != PYTYPE_NAME)
            return false;
        const char *cls = enum_class_of(ctx, t);
        if (cls && strcmp(cls, local->name) == 0)
            return true;
        if (ctx && ctx->config && t->name) {
            cls = settings_enum_class(ctx->config, t->schema, t->name);
            if (cls && strcmp(cls, local->name) == 0)
                return true;
        }
        /* a qualified spelling ("enums.ProjectStatus") names the same class */
        const char *last = strrchr(local->name, '.');
        return t->name && naming_enum_class_matches(t->name, last ? last + 1 : local->name);
    }
    case SM_TYPE_ARRAY: {
        if (name_is(local, "list"))
            return true;
        if (!generic_is(local, "list") || local->nargs != 1)
            return false;
        /* an element may be NULL in any PostgreSQL array: list[X | None] is fine too */
        pytype *elem = pytype_strip_none(local->args[0]);
        bool ok = is_any(elem) || type_matches(ctx, t->elem, elem);
        pytype_free(elem);
        return ok;
    }
    case SM_TYPE_BASE: {
        int i = base_lookup(t);
        py_base b = i >= 0 ? base_types[i].py : PY_STR;
        if (b == PY_JSON)
            return name_is(local, "dict") || name_is(local, "list") || is_any(local) ||
                   generic_is(local, "dict") || generic_is(local, "list");
        if (b == PY_ANY)
            return is_any(local);
        pytype *want = py_base_type(b);
        bool ok = pytype_equal(want, local);
        pytype_free(want);
        for (size_t k = 0; !ok && i >= 0 && k < 3 && base_types[i].alt[k]; k++)
            ok = name_is(local, base_types[i].alt[k]);
        return ok;
    }
    case SM_TYPE_RANGE:
        return name_is(local, "str");
    case SM_TYPE_COMPOSITE:
    case SM_TYPE_PSEUDO:
        return is_any(local);
    }
    return false;
}

typemap_verdict typemap_compare(const typemap_ctx *ctx, const sm_column *col, const pytype *local)
{
    assert(col && local);
    bool db_nullable = column_is_nullable(col);
    bool local_nullable = pytype_is_nullable(local);
    pytype *bare = pytype_strip_none(local);
    typemap_verdict v;

    if (bare->kind == PYTYPE_NONE) {
        v = TYPEMAP_TYPE_CHANGED;  /* a field that can only be None */
    } else if (!type_matches(ctx, col->type, bare)) {
        v = TYPEMAP_TYPE_CHANGED;
    } else if (is_any(bare)) {
        v = TYPEMAP_MATCH;          /* Any includes None: fits either nullability */
    } else {
        v = db_nullable == local_nullable ? TYPEMAP_MATCH : TYPEMAP_NULLABILITY_CHANGED;
    }
    pytype_free(bare);
    return v;
}
