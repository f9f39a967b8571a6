/* test_jsonget.c: the JSON member readers every file reader shares (src/jsonget.c):
 * what a value is called in messages, whole numbers in a range, arrays of strings, keys
 * given twice. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonget.h"

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    return j;
}

static void test_type_names(void **state)
{
    (void)state;
    static const struct { const char *json, *name; } rows[] = {
        { "\"x\"", "a string" }, { "1.5", "a number" }, { "true", "a boolean" },
        { "false", "a boolean" }, { "null", "null" }, { "[]", "an array" }, { "{}", "an object" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        cJSON *j = parse(rows[i].json);
        assert_string_equal(json_type_name(j), rows[i].name);
        cJSON_Delete(j);
    }
    assert_string_equal(json_type_name(NULL), "nothing");
}

static void test_whole(void **state)
{
    (void)state;
    static const struct { const char *json; double min, max; bool ok; double want; } rows[] = {
        { "0", 0, 10, true, 0 },          { "10", 0, 10, true, 10 },     { "11", 0, 10, false, 0 },
        { "-1", 0, 10, false, 0 },        { "2.5", 0, 10, false, 0 },    { "\"3\"", 0, 10, false, 0 },
        { "1e300", -1e18, 1e18, false, 0 }, { "-1e300", -1e18, 1e18, false, 0 },
        { "4294967295", 0, 4294967295.0, true, 4294967295.0 },
        { "-2147483648", -2147483648.0, 2147483647.0, true, -2147483648.0 },
        { "null", 0, 10, false, 0 },      { "true", 0, 10, false, 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        cJSON *j = parse(rows[i].json);
        double got = -7;
        assert_int_equal(json_get_whole(j, rows[i].min, rows[i].max, &got), rows[i].ok);
        if (rows[i].ok)
            assert_true(got == rows[i].want);
        else
            assert_true(got == -7); /* untouched */
        cJSON_Delete(j);
    }
    assert_false(json_get_whole(NULL, 0, 1, &(double){ 0 }));
}

static void test_strings(void **state)
{
    (void)state;
    char **v = NULL;
    size_t n = 99, at = 99;
    cJSON *j = parse("[\"a\", \"\", \"c\\u00e9\"]");
    assert_int_equal(json_get_strings(j, false, &v, &n, &at), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "a");
    assert_string_equal(v[1], "");
    assert_string_equal(v[2], "c\xc3\xa9");
    assert_null(v[3]);
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    /* empty strings refused when asked: the index of the first */
    v = NULL;
    assert_int_equal(json_get_strings(j, true, &v, &n, &at), -2);
    assert_int_equal(at, 1);
    assert_null(v);
    cJSON_Delete(j);
    j = parse("[\"a\", 1]");
    assert_int_equal(json_get_strings(j, false, &v, &n, &at), -2);
    assert_int_equal(at, 1);
    cJSON_Delete(j);
    j = parse("{\"a\": \"b\"}");
    assert_int_equal(json_get_strings(j, false, &v, &n, &at), -1);
    cJSON_Delete(j);
    assert_int_equal(json_get_strings(NULL, false, &v, &n, &at), -1);
    j = parse("[]");
    assert_int_equal(json_get_strings(j, true, &v, &n, &at), 0);
    assert_int_equal(n, 0);
    assert_null(v[0]);
    free(v);
    cJSON_Delete(j);
}

static void test_duplicates(void **state)
{
    (void)state;
    cJSON *j = parse("{\"a\": 1, \"b\": 2, \"c\": 3, \"b\": 4}");
    assert_string_equal(json_duplicate_key(j), "b");
    cJSON_Delete(j);
    j = parse("{\"a\": 1, \"A\": 2, \"a \": 3}");
    assert_null(json_duplicate_key(j));
    cJSON_Delete(j);
    j = parse("{}");
    assert_null(json_duplicate_key(j));
    cJSON_Delete(j);
    assert_null(json_duplicate_key(NULL));
    /* the string member: a string, or NULL for any other type */
    j = parse("{\"s\": \"x\", \"n\": 1, \"z\": null}");
    assert_string_equal(json_get_string(j, "s"), "x");
    assert_null(json_get_string(j, "n"));
    assert_null(json_get_string(j, "z"));
    assert_null(json_get_string(j, "missing"));
    assert_null(json_get_string(NULL, "s"));
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
