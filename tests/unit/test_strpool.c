/* test_strpool.c: interned strings (strpool.h): equal strings are one pointer, different
 * ones never, whatever their length or how many there are; the input need not end in NUL. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strpool.h"
#include "xalloc.h"

static void test_equal_strings_once(void **state)
{
    (void)state;
    strpool *p = strpool_new();
    char *a = strpool_intern(p, "text", 4);
    assert_string_equal(a, "text");
    assert_ptr_equal(strpool_intern(p, "text", 4), a);
    assert_ptr_equal(strpool_intern(p, "texture", 4), a); /* only n bytes are read */
    char *b = strpool_intern(p, "tex", 3);
    assert_ptr_not_equal(b, a);
    assert_string_equal(b, "tex");
    char *empty = strpool_intern(p, "", 0);
    assert_string_equal(empty, "");
    assert_ptr_equal(strpool_intern(p, "x", 0), empty);
    strpool_free(p);
    strpool_free(NULL);
}

/* Many strings (the table grows many times) and long ones (a block of their own): each
 * reads back as given, and asking again gives the same pointer. */
static void test_many_and_long(void **state)
{
    (void)state;
    enum { N = 50000 };
    strpool *p = strpool_new();
    char **got = xcalloc(N, sizeof *got);
    char buf[64];
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "column_%d", i);
        got[i] = strpool_intern(p, buf, (size_t)n);
    }
    size_t long_len = 200000;
    char *big = xmalloc(long_len + 1);
    memset(big, 'y', long_len);
    big[long_len] = '\0';
    char *kept = strpool_intern(p, big, long_len);
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "column_%d", i);
        assert_string_equal(got[i], buf);
        assert_ptr_equal(strpool_intern(p, buf, (size_t)n), got[i]);
    }
    assert_int_equal(strlen(kept), long_len);
    assert_ptr_equal(strpool_intern(p, big, long_len), kept);
    big[long_len - 1] = 'z';
    assert_ptr_not_equal(strpool_intern(p, big, long_len), kept);
    assert_true(strpool_bytes(p) >= N * 8 + 2 * long_len);
    free(big);
    free(got);
    strpool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_strings_once),
        cmocka_unit_test(test_many_and_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
