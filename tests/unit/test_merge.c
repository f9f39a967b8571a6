/* test_merge.c: three-way merges of real schema-file shapes through libgit2, the
 * segment split of conflicts, each resolution choice, and unified diffs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "merge.h"

static const char BASE[] =
    "from enum import Enum\n"
    "\n"
    "\n"
    "class ProjectStatus(str, Enum):\n"
    "    ACTIVE = \"active\"\n"
    "    ARCHIVED = \"archived\"\n"
    "\n"
    "\n"
    "class Role(str, Enum):\n"
    "    ADMIN = \"admin\"\n"
    "    MEMBER = \"member\"\n";

static merge_result *merge(const char *base, const char *ours, const char *theirs)
{
    merge_result *r = NULL;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(merge_three(&r, base, strlen(base), ours, strlen(ours), theirs, strlen(theirs),
                                 "schemas/enums.py", &err), 0);
    assert_non_null(r);
    return r;
}

/* Replace the first occurrence of from with to in s (a new string). */
static char *edit(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t pre = (size_t)(p - s);
    memcpy(out, s, pre);
    strcpy(out + pre, to);
    strcat(out, p + strlen(from));
    return out;
}

static void test_disjoint_edits_merge_cleanly(void **state)
{
    (void)state;
    /* the user edits one class in an editor, schemerge adds a label to the other */
    char *ours = edit(BASE, "    MEMBER = \"member\"\n", "    MEMBER = \"member\"  # default role\n");
    char *theirs = edit(BASE, "    ARCHIVED = \"archived\"\n", "    ARCHIVED = \"archived\"\n    PENDING = \"pending\"\n");
    merge_result *r = merge(BASE, ours, theirs);
    assert_false(r->conflicted);
    assert_int_equal(merge_conflict_count(r), 0);
    char *expected = edit(ours, "    ARCHIVED = \"archived\"\n", "    ARCHIVED = \"archived\"\n    PENDING = \"pending\"\n");
    assert_string_equal(r->text, expected);
    assert_int_equal(r->len, strlen(expected));
    size_t len = 0;
    char *resolved = merge_resolve(r, NULL, NULL, &len);
    assert_string_equal(resolved, expected);
    free(resolved);
    free(expected);
    merge_result_free(r);
    free(ours);
    free(theirs);
}

static void test_identical_and_one_sided(void **state)
{
    (void)state;
    merge_result *r = merge(BASE, BASE, BASE);
    assert_false(r->conflicted);
    assert_string_equal(r->text, BASE);
    merge_result_free(r);

    char *theirs = edit(BASE, "class Role", "class UserRole");
    r = merge(BASE, BASE, theirs);
    assert_false(r->conflicted);
    assert_string_equal(r->text, theirs);
    merge_result_free(r);

    /* both sides made the same edit: not a conflict */
    r = merge(BASE, theirs, theirs);
    assert_false(r->conflicted);
    assert_string_equal(r->text, theirs);
    merge_result_free(r);
    free(theirs);

    /* empty base (a new file written meanwhile by both) */
    r = merge("", "", "x = 1\n");
    assert_false(r->conflicted);
    assert_string_equal(r->text, "x = 1\n");
    merge_result_free(r);
}

static void test_same_region_conflicts(void **state)
{
    (void)state;
    char *ours = edit(BASE, "    ARCHIVED = \"archived\"\n", "    ARCHIVED = \"archived\"\n    ON_HOLD = \"on_hold\"\n");
    char *theirs = edit(BASE, "    ARCHIVED = \"archived\"\n", "    ARCHIVED = \"archived\"\n    PENDING = \"pending\"\n");
    merge_result *r = merge(BASE, ours, theirs);
    assert_true(r->conflicted);
    assert_null(r->text);
    assert_int_equal(merge_conflict_count(r), 1);

    const merge_segment *c = NULL;
    strbuf outside = STRBUF_INIT;
    strbuf_init(&outside);
    for (size_t i = 0; i < r->nsegments; i++) {
        if (r->segments[i].conflict) {
            c = &r->segments[i];
        } else {
            assert_non_null(r->segments[i].text);
            strbuf_adds(&outside, r->segments[i].text);
        }
    }
    assert_non_null(c);
    /* no marker leaks into the data */
    assert_null(strstr(strbuf_str(&outside), "<<<<"));
    assert_null(strstr(c->ours, "===="));
    assert_string_equal(c->ours, "    ON_HOLD = \"on_hold\"\n");
    assert_string_equal(c->theirs, "    PENDING = \"pending\"\n");
    assert_string_equal(c->base, "");
    assert_null(strstr(c->ours, "PENDING"));
    assert_non_null(strstr(c->theirs, "PENDING = \"pending\""));
    assert_null(strstr(c->theirs, "ON_HOLD"));
    assert_null(strstr(c->base, "ON_HOLD"));
    assert_null(strstr(c->base, "PENDING"));
    /* the conflict starts at the line of ours where the sides differ */
    int line = 1;
    for (const char *p = ours; *p && strncmp(p, c->ours, strlen(c->ours)) != 0; p++)
        line += *p == '\n';
    assert_int_equal(c->ours_line, line);
    strbuf_release(&outside);

    size_t len;
    merge_choice ch = MERGE_OURS;
    char *txt = merge_resolve(r, &ch, NULL, &len);
    assert_string_equal(txt, ours);
    assert_int_equal(len, strlen(ours));
    free(txt);

    ch = MERGE_THEIRS;
    txt = merge_resolve(r, &ch, NULL, NULL);
    assert_string_equal(txt, theirs);
    free(txt);

    ch = MERGE_BOTH;
    txt = merge_resolve(r, &ch, NULL, NULL);
    char *both = edit(BASE, "    ARCHIVED = \"archived\"\n",
                      "    ARCHIVED = \"archived\"\n    ON_HOLD = \"on_hold\"\n    PENDING = \"pending\"\n");
    assert_string_equal(txt, both);
    free(txt);
    free(both);

    ch = MERGE_CUSTOM;
    const char *custom[] = { "    PAUSED = \"paused\"\n" };
    txt = merge_resolve(r, &ch, custom, NULL);
    char *want = edit(BASE, "    ARCHIVED = \"archived\"\n", "    ARCHIVED = \"archived\"\n    PAUSED = \"paused\"\n");
    assert_string_equal(txt, want);
    free(txt);
    free(want);

    merge_result_free(r);
    free(ours);
    free(theirs);
}

static void test_two_conflicts_each_choice(void **state)
{
    (void)state;
    char *o1 = edit(BASE, "    ACTIVE = \"active\"\n", "    ACTIVE = \"active\"  # ours\n");
    char *ours = edit(o1, "    ADMIN = \"admin\"\n", "    ADMIN = \"administrator\"\n");
    char *t1 = edit(BASE, "    ACTIVE = \"active\"\n", "    ACTIVE = \"is_active\"\n");
    char *theirs = edit(t1, "    ADMIN = \"admin\"\n", "    ADMIN = \"admin\"  # theirs\n");
    merge_result *r = merge(BASE, ours, theirs);
    assert_true(r->conflicted);
    assert_int_equal(merge_conflict_count(r), 2);
    merge_choice ch[2] = { MERGE_THEIRS, MERGE_OURS };
    char *txt = merge_resolve(r, ch, NULL, NULL);
    char *a = edit(BASE, "    ACTIVE = \"active\"\n", "    ACTIVE = \"is_active\"\n");
    char *want = edit(a, "    ADMIN = \"admin\"\n", "    ADMIN = \"administrator\"\n");
    assert_string_equal(txt, want);
    /* the second conflict's line counts the first conflict's ours lines */
    const merge_segment *second = NULL;
    for (size_t i = 0; i < r->nsegments; i++)
        if (r->segments[i].conflict)
            second = &r->segments[i];
    int line = 1;
    for (const char *p = ours; strncmp(p, "    ADMIN", 9) != 0; p++)
        line += *p == '\n';
    assert_int_equal(second->ours_line, line);
    free(txt);
    free(want);
    free(a);
    merge_result_free(r);
    free(o1);
    free(ours);
    free(t1);
    free(theirs);
}

static void test_crlf(void **state)
{
    (void)state;
    const char *base = "class A(str, Enum):\r\n    X = \"x\"\r\n    Y = \"y\"\r\n\r\n\r\nclass B(str, Enum):\r\n    Z = \"z\"\r\n";
    const char *ours = "class A(str, Enum):\r\n    X = \"x\"  # note\r\n    Y = \"y\"\r\n\r\n\r\nclass B(str, Enum):\r\n    Z = \"z\"\r\n";
    const char *theirs = "class A(str, Enum):\r\n    X = \"x\"\r\n    Y = \"y\"\r\n\r\n\r\nclass B(str, Enum):\r\n    Z = \"z\"\r\n    W = \"w\"\r\n";
    merge_result *r = merge(base, ours, theirs);
    assert_false(r->conflicted);
    assert_string_equal(r->text, "class A(str, Enum):\r\n    X = \"x\"  # note\r\n    Y = \"y\"\r\n\r\n\r\n"
                                 "class B(str, Enum):\r\n    Z = \"z\"\r\n    W = \"w\"\r\n");
    merge_result_free(r);

    /* a CRLF conflict: the sides keep their CRLFs, no stray marker or bare LF */
    const char *ours2 = "class A(str, Enum):\r\n    X = \"x1\"\r\n    Y = \"y\"\r\n\r\n\r\nclass B(str, Enum):\r\n    Z = \"z\"\r\n";
    const char *theirs2 = "class A(str, Enum):\r\n    X = \"x2\"\r\n    Y = \"y\"\r\n\r\n\r\nclass B(str, Enum):\r\n    Z = \"z\"\r\n";
    r = merge(base, ours2, theirs2);
    assert_true(r->conflicted);
    merge_choice ch = MERGE_THEIRS;
    char *txt = merge_resolve(r, &ch, NULL, NULL);
    assert_string_equal(txt, theirs2);
    free(txt);
    ch = MERGE_OURS;
    txt = merge_resolve(r, &ch, NULL, NULL);
    assert_string_equal(txt, ours2);
    free(txt);
    merge_result_free(r);
}

static void test_marker_lookalikes_in_input(void **state)
{
    (void)state;
    /* a file that itself contains 40 '=' in a comment must not confuse the split */
    const char *base = "# ========================================\nA = 1\nB = 2\n";
    const char *ours = "# ========================================\nA = 10\nB = 2\n";
    const char *theirs = "# ========================================\nA = 11\nB = 2\n";
    merge_result *r = merge(base, ours, theirs);
    assert_true(r->conflicted);
    merge_choice ch = MERGE_OURS;
    char *txt = merge_resolve(r, &ch, NULL, NULL);
    assert_string_equal(txt, ours);
    free(txt);
    merge_result_free(r);
}

static void test_diff_unified(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    strbuf sb = STRBUF_INIT;
    strbuf_init(&sb);
    assert_int_equal(diff_unified(&sb, "schemas/enums.py", BASE, strlen(BASE), "schemas/enums.py", BASE,
                                  strlen(BASE), &err), 0);
    assert_int_equal(sb.len, 0);

    char *changed = edit(BASE, "    MEMBER = \"member\"\n", "    MEMBER = \"member\"\n    GUEST = \"guest\"\n");
    assert_int_equal(diff_unified(&sb, "schemas/enums.py", BASE, strlen(BASE), "schemas/enums.py", changed,
                                  strlen(changed), &err), 0);
    const char *s = strbuf_str(&sb);
    assert_non_null(strstr(s, "--- a/schemas/enums.py\n"));
    assert_non_null(strstr(s, "+++ b/schemas/enums.py\n"));
    assert_non_null(strstr(s, "\n+    GUEST = \"guest\"\n"));
    assert_non_null(strstr(s, "@@ -"));
    assert_null(strstr(s, "\n- "));
    assert_non_null(strstr(s, "diff --git a/schemas/enums.py b/schemas/enums.py\n"));
    free(changed);

    /* a file that did not exist */
    strbuf_reset(&sb);
    assert_int_equal(diff_unified(&sb, "new.py", NULL, 0, "new.py", "x = 1\n", 6, &err), 0);
    assert_non_null(strstr(strbuf_str(&sb), "--- /dev/null"));
    assert_non_null(strstr(strbuf_str(&sb), "+x = 1"));
    strbuf_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disjoint_edits_merge_cleanly),
        cmocka_unit_test(test_identical_and_one_sided),
        cmocka_unit_test(test_same_region_conflicts),
        cmocka_unit_test(test_two_conflicts_each_choice),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_marker_lookalikes_in_input),
        cmocka_unit_test(test_diff_unified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
