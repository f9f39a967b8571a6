/* test_typemap.c: SPEC section 3, row by row: the annotation written for each database
 * type, overrides at every level, and the comparison verdicts (one row per column type,
 * nullability, local annotation and expected verdict, covering every bullet of SPEC 3). */
#include "config.h"
#include "settings.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "pytype.h"
#include "typemap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef enum {
    T_TEXT, T_VARCHAR, T_BPCHAR, T_UUID, T_CITEXT, T_NAME, T_INT2, T_INT4, T_INT8, T_OID,
    T_BOOL, T_FLOAT4, T_FLOAT8, T_NUMERIC, T_MONEY, T_TS, T_TSTZ, T_DATE, T_TIME, T_TIMETZ,
    T_INTERVAL, T_JSON, T_JSONB, T_BYTEA, T_INET, T_CIDR, T_MACADDR, T_TSVECTOR, T_XML,
    T_GEOMETRY, T_INT4RANGE, T_ENUM, T_ENUM_OTHER, T_DOMAIN, T_DOMAIN_NN, T_DOMAIN_OF_NN,
    T_ARR_INT, T_ARR_TEXT, T_ARR_ENUM, T_ARR_JSONB, T_ARR_DOMAIN, T_COMPOSITE, T_PSEUDO,
    T_UNKNOWN,
} tid;

static sm_type *base(const char *name, const char *sql)
{
    return sm_type_new(SM_TYPE_BASE, "pg_catalog", name, sql);
}

static sm_type *make_type(tid id)
{
    sm_type *t;
    switch (id) {
    case T_TEXT: return base("text", "text");
    case T_VARCHAR: return base("varchar", "character varying");
    case T_BPCHAR: return base("bpchar", "character");
    case T_UUID: return base("uuid", "uuid");
    case T_CITEXT: return sm_type_new(SM_TYPE_BASE, "public", "citext", "citext");
    case T_NAME: return base("name", "name");
    case T_INT2: return base("int2", "smallint");
    case T_INT4: return base("int4", "integer");
    case T_INT8: return base("int8", "bigint");
    case T_OID: return base("oid", "oid");
    case T_BOOL: return base("bool", "boolean");
    case T_FLOAT4: return base("float4", "real");
    case T_FLOAT8: return base("float8", "double precision");
    case T_NUMERIC: return base("numeric", "numeric");
    case T_MONEY: return base("money", "money");
    case T_TS: return base("timestamp", "timestamp without time zone");
    case T_TSTZ: return base("timestamptz", "timestamp with time zone");
    case T_DATE: return base("date", "date");
    case T_TIME: return base("time", "time without time zone");
    case T_TIMETZ: return base("timetz", "time with time zone");
    case T_INTERVAL: return base("interval", "interval");
    case T_JSON: return base("json", "json");
    case T_JSONB: return base("jsonb", "jsonb");
    case T_BYTEA: return base("bytea", "bytea");
    case T_INET: return base("inet", "inet");
    case T_CIDR: return base("cidr", "cidr");
    case T_MACADDR: return base("macaddr", "macaddr");
    case T_TSVECTOR: return base("tsvector", "tsvector");
    case T_XML: return base("xml", "xml");
    case T_GEOMETRY: return sm_type_new(SM_TYPE_BASE, "public", "geometry", "geometry");
    case T_INT4RANGE: return sm_type_new(SM_TYPE_RANGE, "pg_catalog", "int4range", "int4range");
    case T_ENUM: return sm_type_new(SM_TYPE_ENUM, "public", "project_status", "project_status");
    case T_ENUM_OTHER: return sm_type_new(SM_TYPE_ENUM, "other", "mood", "other.mood");
    case T_DOMAIN:
        t = sm_type_new(SM_TYPE_DOMAIN, "public", "posint", "posint");
        t->elem = make_type(T_INT4);
        return t;
    case T_DOMAIN_NN:
        t = sm_type_new(SM_TYPE_DOMAIN, "public", "email", "email");
        t->not_null = true;
        t->elem = make_type(T_TEXT);
        return t;
    case T_DOMAIN_OF_NN:   /* a nullable domain over a NOT NULL domain */
        t = sm_type_new(SM_TYPE_DOMAIN, "public", "work_email", "work_email");
        t->elem = make_type(T_DOMAIN_NN);
        return t;
    case T_ARR_INT:
        t = sm_type_new(SM_TYPE_ARRAY, "pg_catalog", "_int4", "integer[]");
        t->elem = make_type(T_INT4);
        return t;
    case T_ARR_TEXT:
        t = sm_type_new(SM_TYPE_ARRAY, "pg_catalog", "_text", "text[]");
        t->elem = make_type(T_TEXT);
        return t;
    case T_ARR_ENUM:
        t = sm_type_new(SM_TYPE_ARRAY, "public", "_project_status", "project_status[]");
        t->elem = make_type(T_ENUM);
        return t;
    case T_ARR_JSONB:
        t = sm_type_new(SM_TYPE_ARRAY, "pg_catalog", "_jsonb", "jsonb[]");
        t->elem = make_type(T_JSONB);
        return t;
    case T_ARR_DOMAIN:
        t = sm_type_new(SM_TYPE_ARRAY, "public", "_posint", "posint[]");
        t->elem = make_type(T_DOMAIN);
        return t;
    case T_COMPOSITE: return sm_type_new(SM_TYPE_COMPOSITE, "public", "address", "address");
    case T_PSEUDO: return sm_type_new(SM_TYPE_PSEUDO, "pg_catalog", "record", "record");
    case T_UNKNOWN: return base("unknown", "unknown");
    }
    return NULL;
}

static const char *enum_class_cb(const char *schema, const char *name, void *payload)
{
    (void)payload;
    if (strcmp(schema, "public") == 0 && strcmp(name, "project_status") == 0)
        return "ProjectStatus";
    return NULL;
}

typedef struct fixture {
    sm_catalog *cat;
    sm_config *cfg;
    typemap_ctx ctx;
} fixture;

static void fixture_init(fixture *f, const char *config_json)
{
    sm_error err = SM_ERROR_INIT;
    f->cat = catalog_new();
    catalog_add_schema(f->cat, "public");
    f->cfg = NULL;
    if (settings_parse(&f->cfg, config_json, strlen(config_json), ".schemerge.json", &err) < 0)
        fail_msg("config: %s", err.what);
    f->ctx.config = f->cfg;
    f->ctx.catalog = f->cat;
    f->ctx.enum_class = enum_class_cb;
    f->ctx.payload = NULL;
}

static void fixture_done(fixture *f)
{
    catalog_free(f->cat);
    settings_free(f->cfg);
}

static sm_column column(tid id, bool nullable)
{
    sm_column c;
    memset(&c, 0, sizeof c);
    c.name = (char *)"col";
    c.type = make_type(id);
    c.not_null = !nullable;
    return c;
}

static char *written(const typemap_ctx *ctx, tid id, bool nullable, const pytype_style *st)
{
    sm_column c = column(id, nullable);
    pytype *t = typemap_column(ctx, &c);
    char *s = pytype_render(t, st);
    pytype_free(t);
    sm_type_free(c.type);
    return s;
}

/* SPEC 3's table: what is written (plain style: Optional[...], builtin generics). */
static const struct { tid type; bool nullable; const char *out; } map_rows[] = {
    { T_TEXT, false, "str" }, { T_VARCHAR, false, "str" }, { T_BPCHAR, false, "str" },
    { T_UUID, false, "str" }, { T_CITEXT, false, "str" }, { T_NAME, false, "str" },
    { T_INT2, false, "int" }, { T_INT4, false, "int" }, { T_INT8, false, "int" },
    { T_OID, false, "int" }, { T_BOOL, false, "bool" }, { T_FLOAT4, false, "float" },
    { T_FLOAT8, false, "float" }, { T_NUMERIC, false, "float" }, { T_MONEY, false, "float" },
    { T_TS, false, "str" }, { T_TSTZ, false, "str" }, { T_DATE, false, "str" },
    { T_TIME, false, "str" }, { T_TIMETZ, false, "str" }, { T_INTERVAL, false, "str" },
    { T_JSON, false, "dict" }, { T_JSONB, false, "dict" }, { T_BYTEA, false, "str" },
    { T_INET, false, "str" }, { T_CIDR, false, "str" }, { T_MACADDR, false, "str" },
    { T_TSVECTOR, false, "str" }, { T_XML, false, "str" }, { T_GEOMETRY, false, "str" },
    { T_INT4RANGE, false, "str" }, { T_ENUM, false, "str" }, { T_ENUM_OTHER, false, "str" },
    { T_DOMAIN, false, "int" }, { T_DOMAIN_NN, true, "str" }, { T_DOMAIN_OF_NN, true, "str" },
    { T_ARR_INT, false, "list[int]" }, { T_ARR_TEXT, true, "Optional[list[str]]" },
    { T_ARR_ENUM, false, "list[str]" }, { T_ARR_JSONB, false, "list[dict]" },
    { T_ARR_DOMAIN, false, "list[int]" }, { T_COMPOSITE, false, "Any" },
    { T_PSEUDO, false, "Any" }, { T_UNKNOWN, false, "Any" }, { T_COMPOSITE, true, "Any" },
    { T_TEXT, true, "Optional[str]" }, { T_JSONB, true, "Optional[dict]" },
    { T_INT4, true, "Optional[int]" },
};

static void test_mapping(void **state)
{
    fixture f;
    (void)state;
    fixture_init(&f, "{}");
    for (size_t i = 0; i < N(map_rows); i++) {
        char *s = written(&f.ctx, map_rows[i].type, map_rows[i].nullable, NULL);
        if (strcmp(s, map_rows[i].out) != 0)
            fail_msg("row %zu: type %d nullable %d -> %s, expected %s", i, map_rows[i].type,
                     map_rows[i].nullable, s, map_rows[i].out);
        free(s);
    }
    fixture_done(&f);
}

static void test_mapping_styles_and_enum_class(void **state)
{
    static const pytype_style pep604_typing = { true, true };
    static const pytype_style typing = { false, true };
    fixture f;
    char *s;
    (void)state;

    fixture_init(&f, "{}");
    s = written(&f.ctx, T_JSONB, true, &typing);
    assert_string_equal(s, "Optional[Dict[str, Any]]");
    free(s);
    s = written(&f.ctx, T_ARR_INT, true, &pep604_typing);
    assert_string_equal(s, "List[int] | None");
    free(s);
    fixture_done(&f);

    fixture_init(&f, "{\"enum_columns\": \"class\"}");
    s = written(&f.ctx, T_ENUM, true, NULL);
    assert_string_equal(s, "Optional[ProjectStatus]");
    free(s);
    s = written(&f.ctx, T_ARR_ENUM, false, NULL);
    assert_string_equal(s, "list[ProjectStatus]");
    free(s);
    /* an enum of a schema that is not selected stays str */
    s = written(&f.ctx, T_ENUM_OTHER, false, NULL);
    assert_string_equal(s, "str");
    free(s);
    /* no known class (callback gives NULL): str */
    f.ctx.enum_class = NULL;
    s = written(&f.ctx, T_ENUM, false, NULL);
    assert_string_equal(s, "str");
    free(s);
    fixture_done(&f);
}

static void test_overrides(void **state)
{
    static const struct { tid type; const char *out; } rows[] = {
        { T_NUMERIC, "Decimal" },               /* by internal = SQL name */
        { T_TSTZ, "datetime" },                 /* by format_type name */
        { T_TS, "str" },                        /* not overridden */
        { T_INT8, "mytypes.BigInt" },           /* by internal name */
        { T_INT4, "int" },
        { T_DOMAIN_NN, "EmailStr" },            /* a domain's own name */
        { T_DOMAIN_OF_NN, "EmailStr" },         /* ... also as the base of another domain */
        { T_ARR_DOMAIN, "list[PositiveInt]" },  /* array element that is a domain */
        { T_ARR_JSONB, "list[Json]" },          /* array element */
        { T_DOMAIN, "PositiveInt" },
    };
    fixture f;
    (void)state;
    fixture_init(&f, "{\"types\": {\"numeric\": \"Decimal\", \"timestamp with time zone\": "
                     "\"datetime\", \"int8\": \"mytypes.BigInt\", \"email\": \"EmailStr\", "
                     "\"posint\": \"PositiveInt\", \"jsonb\": \"Json\"}}");
    for (size_t i = 0; i < N(rows); i++) {
        char *s = written(&f.ctx, rows[i].type, false, NULL);
        if (strcmp(s, rows[i].out) != 0)
            fail_msg("override row %zu: %s, expected %s", i, s, rows[i].out);
        free(s);
    }
    fixture_done(&f);
}

/* One row per (column type, nullable, local annotation, verdict). */
#define M TYPEMAP_MATCH
#define T TYPEMAP_TYPE_CHANGED
#define NC TYPEMAP_NULLABILITY_CHANGED
static const struct {
    tid type;
    bool nullable;
    const char *local;
    typemap_verdict v;
} cmp_rows[] = {
    /* Optional spellings are one type */
    { T_TEXT, true, "Optional[str]", M },
    { T_TEXT, true, "str | None", M },
    { T_TEXT, true, "Union[str, None]", M },
    { T_TEXT, true, "Union[None, str]", M },
    { T_TEXT, true, "\"Optional[str]\"", M },
    { T_TEXT, true, "typing.Optional[str]", M },
    /* NotRequired / Required are looked through */
    { T_TEXT, true, "NotRequired[Optional[str]]", M },
    { T_TEXT, false, "Required[str]", M },
    { T_TEXT, false, "NotRequired[str]", M },
    /* nullability alone */
    { T_TEXT, true, "str", NC },
    { T_TEXT, false, "Optional[str]", NC },
    { T_INT4, false, "int | None", NC },
    { T_DOMAIN_NN, false, "str", M },          /* NOT NULL domain: not nullable */
    { T_DOMAIN_NN, true, "str", M },
    { T_DOMAIN_NN, true, "Optional[str]", NC },
    { T_DOMAIN_OF_NN, true, "str", M },
    { T_DOMAIN, true, "Optional[int]", M },
    /* type changes (with or without nullability) */
    { T_TEXT, false, "int", T },
    { T_TEXT, true, "int", T },
    { T_INT4, true, "Optional[str]", T },
    { T_INT8, false, "float", T },
    { T_BOOL, false, "int", T },
    { T_FLOAT8, false, "float", M },
    { T_NUMERIC, false, "float", M },
    { T_NUMERIC, false, "Decimal", M },
    { T_TSTZ, false, "str", M },
    { T_TSTZ, false, "datetime", M },
    { T_DATE, false, "date", M },
    { T_DATE, false, "datetime", T },
    { T_UUID, false, "UUID", M },
    { T_UUID, false, "int", T },
    { T_INET, false, "str", M },
    { T_INT4RANGE, false, "str", M },
    { T_TEXT, false, "None", T },
    { T_TEXT, false, "Union[str, int]", T },
    /* enums: str and the class alike */
    { T_ENUM, false, "str", M },
    { T_ENUM, false, "ProjectStatus", M },
    { T_ENUM, false, "ProjectStatusType", M },
    { T_ENUM, true, "Optional[ProjectStatus]", M },
    { T_ENUM, true, "ProjectStatus | None", M },
    { T_ENUM, true, "ProjectStatus", NC },
    { T_ENUM, false, "'ProjectStatus'", M },
    { T_ENUM, false, "enums.ProjectStatus", M },
    { T_ENUM, false, "OtherEnum", T },
    { T_ENUM, false, "int", T },
    { T_ENUM_OTHER, false, "str", M },
    /* json/jsonb: dict, Dict[...], list, List[...], Any; Any includes None */
    { T_JSONB, false, "dict", M },
    { T_JSONB, false, "Dict[str, Any]", M },
    { T_JSONB, false, "dict[str, int]", M },
    { T_JSONB, false, "list", M },
    { T_JSONB, false, "List[Dict[str, Any]]", M },
    { T_JSONB, false, "Any", M },
    { T_JSONB, true, "Any", M },
    { T_JSON, true, "Optional[Any]", M },
    { T_JSONB, true, "Optional[dict]", M },
    { T_JSONB, true, "dict", NC },
    { T_JSONB, false, "Optional[Dict[str, Any]]", NC },
    { T_JSONB, false, "str", T },
    /* arrays: bare list/List and list[Any] match any array; list[X] must match */
    { T_ARR_INT, false, "list", M },
    { T_ARR_INT, false, "List", M },
    { T_ARR_INT, false, "list[Any]", M },
    { T_ARR_INT, false, "List[int]", M },
    { T_ARR_INT, false, "list[Optional[int]]", M },
    { T_ARR_INT, false, "list[str]", T },
    { T_ARR_INT, false, "int", T },
    { T_ARR_INT, false, "dict", T },
    { T_ARR_INT, true, "Optional[list[int]]", M },
    { T_ARR_INT, true, "list[int]", NC },
    { T_ARR_ENUM, false, "list[ProjectStatus]", M },
    { T_ARR_ENUM, false, "list[str]", M },
    { T_ARR_JSONB, false, "list[dict]", M },
    { T_ARR_JSONB, false, "list[Any]", M },
    { T_ARR_DOMAIN, false, "list[int]", M },
    /* Any for a column that is not json/jsonb is a type change */
    { T_TEXT, false, "Any", T },
    { T_TEXT, true, "Any", T },
    { T_ARR_INT, false, "Any", T },
    { T_INT4, true, "Optional[Any]", T },
    /* composite, pseudo, unknown: Any */
    { T_COMPOSITE, false, "Any", M },
    { T_COMPOSITE, true, "Any", M },
    { T_PSEUDO, false, "Any", M },
    { T_UNKNOWN, true, "Any", M },
    { T_COMPOSITE, false, "dict", T },
};

static void test_compare(void **state)
{
    fixture f;
    (void)state;
    fixture_init(&f, "{}");
    for (size_t i = 0; i < N(cmp_rows); i++) {
        sm_column c = column(cmp_rows[i].type, cmp_rows[i].nullable);
        pytype *local = NULL;
        sm_error err = SM_ERROR_INIT;
        if (pytype_parse(&local, cmp_rows[i].local, &err) < 0)
            fail_msg("row %zu: %s", i, err.what);
        typemap_verdict v = typemap_compare(&f.ctx, &c, local);
        if (v != cmp_rows[i].v)
            fail_msg("row %zu: type %d nullable %d local %s: verdict %d, expected %d", i,
                     cmp_rows[i].type, cmp_rows[i].nullable, cmp_rows[i].local, v, cmp_rows[i].v);
        pytype_free(local);
        sm_type_free(c.type);
    }
    fixture_done(&f);
}

/* What typemap writes always compares as a match with the column it came from. */
static void test_written_matches(void **state)
{
    static const char *const configs[] = {
        "{}", "{\"enum_columns\": \"class\"}",
        "{\"types\": {\"numeric\": \"Decimal\", \"posint\": \"PositiveInt\", \"jsonb\": \"Json\"}}",
    };
    static const pytype_style styles[] = {
        { false, false }, { true, false }, { false, true }, { true, true },
    };
    (void)state;
    for (size_t k = 0; k < N(configs); k++) {
        fixture f;
        fixture_init(&f, configs[k]);
        for (size_t i = 0; i < N(map_rows); i++) {
            for (size_t s = 0; s < N(styles); s++) {
                sm_column c = column(map_rows[i].type, map_rows[i].nullable);
                char *text = written(&f.ctx, map_rows[i].type, map_rows[i].nullable, &styles[s]);
                pytype *local = NULL;
                sm_error err = SM_ERROR_INIT;
                assert_int_equal(pytype_parse(&local, text, &err), 0);
                if (typemap_compare(&f.ctx, &c, local) != TYPEMAP_MATCH)
                    fail_msg("config %zu row %zu style %zu: written %s does not match", k, i, s,
                             text);
                pytype_free(local);
                free(text);
                sm_type_free(c.type);
            }
        }
        fixture_done(&f);
    }
}

static void test_compare_with_overrides(void **state)
{
    static const struct { tid type; const char *local; typemap_verdict v; } rows[] = {
        { T_NUMERIC, "Decimal", M },
        { T_NUMERIC, "float", T },
        { T_DOMAIN, "PositiveInt", M },
        { T_DOMAIN, "int", T },
        { T_ARR_DOMAIN, "list[PositiveInt]", M },
        { T_TEXT, "str", M },
    };
    fixture f;
    (void)state;
    fixture_init(&f, "{\"types\": {\"numeric\": \"Decimal\", \"posint\": \"PositiveInt\"}}");
    for (size_t i = 0; i < N(rows); i++) {
        sm_column c = column(rows[i].type, false);
        pytype *local = NULL;
        sm_error err = SM_ERROR_INIT;
        assert_int_equal(pytype_parse(&local, rows[i].local, &err), 0);
        if (typemap_compare(&f.ctx, &c, local) != rows[i].v)
            fail_msg("override compare row %zu (%s)", i, rows[i].local);
        pytype_free(local);
        sm_type_free(c.type);
    }
    fixture_done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_mapping_styles_and_enum_class),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_written_matches),
        cmocka_unit_test(test_compare_with_overrides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
