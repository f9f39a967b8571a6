/* test_conninfo.c: connection string redaction (a table of cases) and resolution order. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conninfo.h"

static const struct {
    const char *in;
    const char *out;
} cases[] = {
    { "", "" },
    { "host=h user=u password=secret dbname=d", "host=h user=u password=*** dbname=d" },
    { "password=secret", "password=***" },
    { "password='se cret' host=h", "password=*** host=h" },
    { "password = 'a\\'secret' host=h", "password = *** host=h" },
    { "host=h password=sec\\ ret port=5", "host=h password=*** port=5" },
    { "host=h  sslpassword=secret", "host=h  sslpassword=***" },
    { "host=h password=", "host=h password=***" },
    { "  host=h\tpassword=secret\n", "  host=h\tpassword=***\n" },
    { "postgresql://u:secret@h:5432/db", "postgresql://u:***@h:5432/db" },
    { "postgres://u:secret@h/db", "postgres://u:***@h/db" },
    { "postgresql://u@h/db", "postgresql://u@h/db" },
    { "postgresql://h/db", "postgresql://h/db" },
    { "postgresql://", "postgresql://" },
    { "postgresql://u:p%40secret@h/db", "postgresql://u:***@h/db" },
    { "postgresql://u:pa@secret@h/db", "postgresql://u:***@h/db" },
    { "postgresql://u:pa?secret@h/db", "postgresql://u:***@h/db" },
    { "postgresql://u:secret@h1:1,h2:2/db?sslmode=require", "postgresql://u:***@h1:1,h2:2/db?sslmode=require" },
    { "postgresql://h/db?user=u&password=secret&sslmode=require",
      "postgresql://h/db?user=u&password=***&sslmode=require" },
    { "postgresql://h/db?pass%77ord=secret", "postgresql://h/db?pass%77ord=***" },
    { "postgresql://h/db?sslpassword=secret", "postgresql://h/db?sslpassword=***" },
    { "postgresql:///db?host=/tmp/sock&password=secret", "postgresql:///db?host=/tmp/sock&password=***" },
    { "dbname='postgresql://u:secret@h/d' connect_timeout=3", "dbname='postgresql://u:***@h/d' connect_timeout=3" },
    { "dbname=postgresql://u:secret@h/d", "dbname='postgresql://u:***@h/d'" },
    { "dbname='host=h password=secret'", "dbname='host=h password=***'" },
    { "dbname=app", "dbname=app" },
    { "password='unterminated secret", "<connection string>" },
    { "secret", "<connection string>" },
    { "host=h secret", "<connection string>" },
    { "=secret", "<connection string>" },
};

static void test_redact_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = conninfo_redact(cases[i].in);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("case %zu: redact(\"%s\") = \"%s\", expected \"%s\"", i, cases[i].in, got, cases[i].out);
        /* every secret in the table is spelled "secret": it must never survive */
        assert_null(strstr(got, "secret"));
        free(got);
    }
}

static void test_redact_null(void **state)
{
    (void)state;
    char *got = conninfo_redact(NULL);
    assert_string_equal(got, "");
    free(got);
}

/* libpq's messages quote back what they could not parse: the whole string, a token of
 * it, or a value; what the masked form hides never comes through. */
static void test_scrub(void **state)
{
    (void)state;
    static const struct { const char *msg, *conninfo, *password, *want; } scrubs[] = {
        { "matching \"]\" in URI: \"postgresql://u:sekret@[::1/db\"", "postgresql://u:sekret@[::1/db", NULL,
          "matching \"]\" in URI: \"postgresql://u:***@[::1/db\"" },
        { "invalid percent-encoded token: \"sekret%zz\"", "postgresql://u:sekret%zz@h/db", NULL,
          "invalid percent-encoded token: \"***\"" },
        { "missing \"=\" after \"passwordsekret\" in connection info string", "host=x passwordsekret", NULL,
          "missing \"=\" after \"***\" in connection info string" },
        { "invalid integer value \"abc\" for connection option \"port\"", "host=x port=abc password=sekret", "sekret",
          "invalid integer value \"abc\" for connection option \"port\"" },
        { "role \"bob\" does not exist", "", NULL, "role \"bob\" does not exist" },
        { "FATAL: password sekret1 was printed", "password=sekret1", "sekret1", "FATAL: password *** was printed" },
        { "unterminated \"quote", "password='x", NULL, "unterminated \"quote" },
    };
    for (size_t i = 0; i < sizeof scrubs / sizeof *scrubs; i++) {
        char *got = conninfo_scrub(scrubs[i].msg, scrubs[i].conninfo, scrubs[i].password);
        assert_string_equal(got, scrubs[i].want);
        free(got);
    }
}

static void test_is_uri(void **state)
{
    (void)state;
    assert_true(conninfo_is_uri("postgresql://h"));
    assert_true(conninfo_is_uri("postgres://h"));
    assert_false(conninfo_is_uri("host=h"));
    assert_false(conninfo_is_uri("http://h"));
    assert_false(conninfo_is_uri(NULL));
}

static void test_resolve_order(void **state)
{
    (void)state;
    unsetenv("DATABASE_URL");
    unsetenv("SUPABASE_DB_URL");
    assert_string_equal(conninfo_resolve(NULL), "");
    setenv("SUPABASE_DB_URL", "postgresql://supa/db", 1);
    assert_string_equal(conninfo_resolve(NULL), "postgresql://supa/db");
    setenv("DATABASE_URL", "", 1); /* empty counts as unset */
    assert_string_equal(conninfo_resolve(NULL), "postgresql://supa/db");
    setenv("DATABASE_URL", "postgresql://dburl/db", 1);
    assert_string_equal(conninfo_resolve(NULL), "postgresql://dburl/db");
    assert_string_equal(conninfo_resolve("host=arg"), "host=arg");
    assert_string_equal(conninfo_resolve(""), ""); /* an explicit --db "" is kept */
    unsetenv("DATABASE_URL");
    unsetenv("SUPABASE_DB_URL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_table),
        cmocka_unit_test(test_redact_null),
        cmocka_unit_test(test_is_uri),
        cmocka_unit_test(test_scrub),
        cmocka_unit_test(test_resolve_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
