/* test_pytype.c: annotation parsing, normalisation, rendering; one row per input. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pytype.h"
#include "strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static pytype *parse_ok(const char *text)
{
    pytype *t = NULL;
    sm_error err = SM_ERROR_INIT;
    if (pytype_parse(&t, text, &err) < 0)
        fail_msg("cannot parse %s: %s", text, err.what);
    return t;
}

/* input -> canonical rendering in the plain style (Optional[...], builtin generics) */
static const struct { const char *in, *out; } rows[] = {
    { "str", "str" },
    { "Optional[str]", "Optional[str]" },
    { "str | None", "Optional[str]" },
    { "None | str", "Optional[str]" },
    { "Union[str, None]", "Optional[str]" },
    { "Union[None, str]", "Optional[str]" },
    { "'Optional[str]'", "Optional[str]" },
    { "\"str | None\"", "Optional[str]" },
    { "typing.Optional[typing.List[int]]", "Optional[list[int]]" },
    { "t.Optional[t.Dict[str, t.Any]]", "Optional[dict[str, Any]]" },
    { "typing_extensions.NotRequired[str]", "str" },
    { "NotRequired[Optional[str]]", "Optional[str]" },
    { "Required[int]", "int" },
    { "ReadOnly[int]", "int" },
    { "Final[int]", "int" },
    { "Annotated[int, Field(gt=0), 'doc']", "int" },
    { "Annotated[Optional[str], \"x]\"]", "Optional[str]" },
    { "List[str]", "list[str]" },
    { "Dict[str, Any]", "dict[str, Any]" },
    { "Set[int]", "set[int]" },
    { "FrozenSet[int]", "frozenset[int]" },
    { "Tuple[int, ...]", "tuple[int, ...]" },
    { "Type[Foo]", "type[Foo]" },
    { "Text", "str" },
    { "list", "list" },
    { "dict", "dict" },
    { "Any", "Any" },
    { "None", "None" },
    { "Optional[None]", "None" },
    { "Union[int]", "int" },
    { "Union[int, str, int]", "Union[int, str]" },
    { "int | str | None", "Union[int, str, None]" },
    { "Union[int, Union[str, None]]", "Union[int, str, None]" },
    { "Optional[int | str]", "Union[int, str, None]" },
    { "list[int | None]", "list[Optional[int]]" },
    { "list['ProjectStatus']", "list[ProjectStatus]" },
    { "'list[\"Foo\"]'", "list[Foo]" },
    { "datetime.date", "datetime.date" },
    { "Literal['a', \"b\"]", "Literal['a', 'b']" },
    { "Literal[1, -2, True, None]", "Literal[1, -2, True, None]" },
    { "Literal['it\\'s']", "Literal['it\\'s']" },
    { "Callable[[int, str], bool]", "Callable[[int, str], bool]" },
    { "Callable[..., Any]", "Callable[..., Any]" },
    { "  Optional[\n    str\n]  ", "Optional[str]" },
    { "(int)", "int" },
    { "dict[str, list[int],]", "dict[str, list[int]]" },
    { "ProjectStatus", "ProjectStatus" },
    { "Galpão", "Galpão" },
};

static void test_parse_and_render(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        pytype *t = parse_ok(rows[i].in);
        char *s = pytype_render(t, NULL);
        if (strcmp(s, rows[i].out) != 0)
            fail_msg("render(parse(%s)) = %s, expected %s", rows[i].in, s, rows[i].out);
        free(s);
        pytype_free(t);
    }
}

/* Round trip in every style: parse(render(t)) == t. The one documented exception: a bare
 * dict in the typing style is written Dict[str, Any]. */
static void test_round_trip(void **state)
{
    static const pytype_style styles[] = {
        { false, false }, { true, false }, { false, true }, { true, true },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        pytype *t = parse_ok(rows[i].in);
        for (size_t k = 0; k < N(styles); k++) {
            char *s = pytype_render(t, &styles[k]);
            pytype *back = parse_ok(s);
            bool bare_dict = styles[k].typing_generics && strstr(rows[i].out, "dict") &&
                             !strstr(rows[i].out, "dict[");
            if (!pytype_equal(t, back) && !bare_dict)
                fail_msg("round trip of %s in style %zu: %s", rows[i].in, k, s);
            free(s);
            pytype_free(back);
        }
        pytype_free(t);
    }
}

static void test_styles(void **state)
{
    static const struct {
        const char *in;
        bool pep604, typing;
        const char *out;
    } srows[] = {
        { "Optional[str]", true, false, "str | None" },
        { "Optional[str]", false, true, "Optional[str]" },
        { "Optional[list[int]]", false, true, "Optional[List[int]]" },
        { "Optional[list[int]]", true, false, "list[int] | None" },
        { "dict", false, true, "Dict[str, Any]" },
        { "dict", true, false, "dict" },
        { "Optional[dict]", false, true, "Optional[Dict[str, Any]]" },
        { "list", false, true, "List" },
        { "Union[int, str]", true, true, "int | str" },
        { "Union[int, str, None]", false, false, "Union[int, str, None]" },
        { "dict[str, list[int]]", false, true, "Dict[str, List[int]]" },
    };
    (void)state;
    for (size_t i = 0; i < N(srows); i++) {
        pytype_style st = { srows[i].pep604, srows[i].typing };
        pytype *t = parse_ok(srows[i].in);
        char *s = pytype_render(t, &st);
        if (strcmp(s, srows[i].out) != 0)
            fail_msg("render(%s, pep604=%d typing=%d) = %s, expected %s", srows[i].in,
                     srows[i].pep604, srows[i].typing, s, srows[i].out);
        free(s);
        pytype_free(t);
    }
}

static void test_equal(void **state)
{
    static const struct { const char *a, *b; bool eq; } erows[] = {
        { "Optional[str]", "str | None", true },
        { "Optional[str]", "Union[str, None]", true },
        { "Optional[str]", "'Optional[str]'", true },
        { "Optional[str]", "NotRequired[str | None]", true },
        { "Union[int, str]", "str | int", true },
        { "List[int]", "list[int]", true },
        { "typing.Any", "Any", true },
        { "Optional[str]", "str", false },
        { "list[int]", "list[str]", false },
        { "list", "list[Any]", false },   /* equal only by typemap's rules */
        { "dict", "Dict[str, Any]", false },
        { "Literal['a', 'b']", "Literal[\"a\", \"b\"]", true },
        { "ProjectStatus", "enums.ProjectStatus", false },
    };
    (void)state;
    for (size_t i = 0; i < N(erows); i++) {
        pytype *a = parse_ok(erows[i].a);
        pytype *b = parse_ok(erows[i].b);
        if (pytype_equal(a, b) != erows[i].eq)
            fail_msg("equal(%s, %s) != %d", erows[i].a, erows[i].b, erows[i].eq);
        pytype_free(a);
        pytype_free(b);
    }
}

static void test_nullable_and_strip(void **state)
{
    static const struct { const char *in; bool nullable; const char *stripped; } nrows[] = {
        { "str", false, "str" },
        { "Optional[str]", true, "str" },
        { "Any", true, "Any" },
        { "None", true, "None" },
        { "Union[int, str, None]", true, "Union[int, str]" },
        { "list[Optional[int]]", false, "list[Optional[int]]" },
    };
    (void)state;
    for (size_t i = 0; i < N(nrows); i++) {
        pytype *t = parse_ok(nrows[i].in);
        pytype *s = pytype_strip_none(t);
        char *r = pytype_render(s, NULL);
        if (pytype_is_nullable(t) != nrows[i].nullable || strcmp(r, nrows[i].stripped) != 0)
            fail_msg("%s: nullable %d stripped %s", nrows[i].in, pytype_is_nullable(t), r);
        free(r);
        pytype_free(s);
        pytype_free(t);
    }
}

static void test_errors(void **state)
{
    static const char *const bad[] = {
        "", "   ", "Optional[", "Optional[str", "list[int]]", "str |", "| str", "Optional[]",
        "Optional[int, str]", "'unterminated", "'Optional[str'", "123", "str int", "a..b",
        "list[int,,]", "b'bytes'", "f'x'", "NotRequired[int, str]", "{}", "Literal[",
        "lambda: int",
    };
    (void)state;
    for (size_t i = 0; i < N(bad); i++) {
        pytype *t = NULL;
        sm_error err = SM_ERROR_INIT;
        int rc = pytype_parse(&t, bad[i], &err);
        if (rc != ERR_PARSE || t != NULL || err.code != ERR_PARSE || !err.what[0])
            fail_msg("parse(%s) should fail with ERR_PARSE, got %d", bad[i], rc);
    }
}

/* Deep nesting ends in ERR_PARSE, not a stack overflow; moderate nesting still parses. */
static void test_depth_limit(void **state)
{
    strbuf sb = STRBUF_INIT;
    pytype *t = NULL;
    sm_error err = SM_ERROR_INIT;
    (void)state;

    strbuf_init(&sb);
    for (int i = 0; i < 100000; i++)
        strbuf_adds(&sb, "list[");
    strbuf_adds(&sb, "int");
    strbuf_addrepeat(&sb, ']', 100000);
    assert_int_equal(pytype_parse(&t, sb.buf, &err), ERR_PARSE);
    assert_non_null(strstr(err.what, "nested too deeply"));

    strbuf_reset(&sb);
    for (int i = 0; i < 100000; i++)
        strbuf_addch(&sb, '(');
    assert_int_equal(pytype_parse(&t, sb.buf, &err), ERR_PARSE);

    /* forward references inside forward references */
    strbuf_reset(&sb);
    strbuf_adds(&sb, "'\"\\'int\\'\"'");   /* '"\'int\'"' */
    assert_int_equal(pytype_parse(&t, sb.buf, &err), 0);
    pytype_free(t);

    strbuf_reset(&sb);
    for (int i = 0; i < 20; i++)
        strbuf_adds(&sb, "Optional[");
    strbuf_adds(&sb, "int");
    strbuf_addrepeat(&sb, ']', 20);
    assert_int_equal(pytype_parse(&t, sb.buf, &err), 0);
    char *s = pytype_render(t, NULL);
    assert_string_equal(s, "Optional[int]");
    free(s);
    pytype_free(t);
    strbuf_release(&sb);
}

static void test_typing_names(void **state)
{
    static const struct {
        const char *in;
        bool pep604, typing;
        const char *names;  /* space-separated, in order found */
    } trows[] = {
        { "Optional[str]", false, false, "Optional" },
        { "Optional[str]", true, false, "" },
        { "Optional[dict]", false, true, "Optional Dict Any" },
        { "list[Any]", false, true, "List Any" },
        { "list[Any]", false, false, "Any" },
        { "Union[int, str]", false, false, "Union" },
        { "Union[int, str, None]", false, false, "Union" },
        { "Literal['a']", true, false, "Literal" },
        { "Optional[list[Optional[int]]]", false, true, "Optional List" },
    };
    (void)state;
    for (size_t i = 0; i < N(trows); i++) {
        pytype_style st = { trows[i].pep604, trows[i].typing };
        const char *names[8];
        pytype *t = parse_ok(trows[i].in);
        size_t n = pytype_typing_names(t, &st, names, 0, 8);
        strbuf sb = STRBUF_INIT;
        strbuf_init(&sb);
        for (size_t k = 0; k < n; k++)
            strbuf_addf(&sb, "%s%s", k ? " " : "", names[k]);
        if (strcmp(sb.buf, trows[i].names) != 0)
            fail_msg("typing_names(%s) = '%s', expected '%s'", trows[i].in, sb.buf, trows[i].names);
        strbuf_release(&sb);
        pytype_free(t);
    }
}

static void test_constructors(void **state)
{
    (void)state;
    pytype *args[2] = { pytype_name("str"), pytype_name("Any") };
    pytype *d = pytype_generic("dict", args, 2);
    pytype *o = pytype_optional(d);
    pytype *dup = pytype_dup(o);
    pytype *parsed = parse_ok("Optional[Dict[str, Any]]");
    assert_true(pytype_equal(o, parsed));
    assert_true(pytype_equal(dup, parsed));
    pytype_free(o);
    pytype_free(dup);
    pytype_free(parsed);
    pytype_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_render),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_nullable_and_strip),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_typing_names),
        cmocka_unit_test(test_constructors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
