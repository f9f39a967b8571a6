/* test_sqlgen.c: the pieces of `schemerge sql` that need no database, row by row:
 * identifier and literal quoting, annotation -> SQL type (with nullability), and the
 * database names chosen for classes added locally (which must map back to the class). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "naming.h"
#include "sqlgen.h"
#include "xalloc.h"

static void test_quoting(void **state)
{
    (void)state;
    static const struct { const char *in, *ident, *literal; } rows[] = {
        { "users", "\"users\"", "'users'" },
        { "odd \"kind\"", "\"odd \"\"kind\"\"\"", "'odd \"kind\"'" },
        { "it's", "\"it's\"", "'it''s'" },
        { "''", "\"''\"", "''''''" },
        { "", "\"\"", "''" },
        { "Ação", "\"Ação\"", "'Ação'" },
        { "back\\slash", "\"back\\slash\"", "'back\\slash'" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *id = sqlgen_ident(rows[i].in), *lit = sqlgen_literal(rows[i].in);
        assert_string_equal(id, rows[i].ident);
        assert_string_equal(lit, rows[i].literal);
        free(id);
        free(lit);
    }
    char *q = sqlgen_qualified("my schema", "a\"b");
    assert_string_equal(q, "\"my schema\".\"a\"\"b\"");
    free(q);
}

/* Enum classes known to the test: Status -> "public"."status". */
static char *enum_type(const char *class_name, void *payload)
{
    (void)payload;
    if (strcmp(class_name, "Status") == 0)
        return xstrdup("\"public\".\"status\"");
    return NULL;
}

static void test_column_types(void **state)
{
    (void)state;
    static const struct { const char *annotation, *sql; bool nullable; } rows[] = {
        { "str", "text", false },
        { "Optional[str]", "text", true },
        { "str | None", "text", true },
        { "'Optional[str]'", "text", true },
        { "NotRequired[int]", "integer", false },
        { "int", "integer", false },
        { "float", "double precision", false },
        { "bool", "boolean", false },
        { "Optional[bool]", "boolean", true },
        { "dict", "jsonb", false },
        { "Dict[str, Any]", "jsonb", false },
        { "dict[str, int] | None", "jsonb", true },
        { "Any", "jsonb", true },
        { "list", "jsonb", false },
        { "List[Any]", "jsonb", false },
        { "list[str]", "text[]", false },
        { "List[int]", "integer[]", false },
        { "Optional[List[float]]", "double precision[]", true },
        { "list[Optional[str]]", "text[]", false },
        { "Status", "\"public\".\"status\"", false },
        { "enums.Status", "\"public\".\"status\"", false },
        { "Optional[Status]", "\"public\".\"status\"", true },
        { "list[Status]", "\"public\".\"status\"[]", false },
        /* no faithful SQL type */
        { "Union[str, int]", NULL, false },
        { "list[list[int]]", NULL, false },
        { "datetime", NULL, false },
        { "Unknown", NULL, false },
        { "None", NULL, false },
        { "Literal['a']", NULL, false },
        { "str[", NULL, false },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        bool nullable = false;
        const char *why = NULL;
        char *sql = sqlgen_column_type(rows[i].annotation, &nullable, enum_type, NULL, &why);
        if (!rows[i].sql) {
            if (sql)
                fail_msg("%s: got %s, want no type", rows[i].annotation, sql);
            assert_non_null(why);
            continue;
        }
        if (!sql)
            fail_msg("%s: no type (%s), want %s", rows[i].annotation, why, rows[i].sql);
        assert_string_equal(sql, rows[i].sql);
        if (nullable != rows[i].nullable)
            fail_msg("%s: nullable %d, want %d", rows[i].annotation, nullable, rows[i].nullable);
        free(sql);
    }
}

static void test_object_names(void **state)
{
    (void)state;
    static const struct { const char *cls, *table; } tables[] = {
        { "OrganizationRow", "organizations" },
        { "ProjectMemberRow", "project_members" },
        { "CompanyRow", "companies" },
        { "AddressRow", "addresses" },
        { "BoxRow", "boxes" },
        { "BatchRow", "batches" },
        { "PersonRow", "people" },
        { "StatusRow", "statuses" },
        { "DayRow", "days" },
        { "MetadataRow", "metadata" },
        { "OAuthAccountRow", "o_auth_accounts" },
        { "Organization", NULL },  /* not a row class name */
        { "Row", NULL },
    };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char *t = sqlgen_table_name(tables[i].cls);
        if (!tables[i].table) {
            assert_null(t);
            continue;
        }
        if (!t || strcmp(t, tables[i].table) != 0)
            fail_msg("%s: got %s, want %s", tables[i].cls, t ? t : "NULL", tables[i].table);
        char *back = naming_table_class(t); /* the convention maps it back */
        assert_string_equal(back, tables[i].cls);
        free(back);
        free(t);
    }
    static const struct { const char *cls, *name; } enums[] = {
        { "ProjectStatus", "project_status" },
        { "Priority", "priority" },
        { "ProjectStatusType", "project_status_type" },
        { "HTTPMethod", "http_method" },
        { "Level2Access", "level2_access" },
    };
    for (size_t i = 0; i < sizeof enums / sizeof *enums; i++) {
        char *e = sqlgen_enum_name(enums[i].cls);
        if (!e || strcmp(e, enums[i].name) != 0) {
            /* whatever was chosen must map back to the class */
            if (!e || !naming_enum_class_matches(e, enums[i].cls))
                fail_msg("%s: got %s, want %s", enums[i].cls, e ? e : "NULL", enums[i].name);
        }
        free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_column_types),
        cmocka_unit_test(test_object_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
