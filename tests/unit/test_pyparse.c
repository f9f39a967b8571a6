/* test_pyparse.c: the Python parser: spans (the text at each span is exactly what it should
 * be), lines and columns, errors with exact messages and positions, line endings, BOM, tabs,
 * huge inputs, string literal decoding, file loading, and robustness on mangled input.
 * What the parser extracts is also compared with Python's ast over a corpus, in
 * tests/cli/parser_vs_ast.sh. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pyparse.h"
#include "strbuf.h"

static py_file *parse_ok(const char *text)
{
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;
    int rc = pyfile_parse(&f, "t.py", text, strlen(text), &err);
    if (rc != 0)
        fail_msg("unexpected parse error: %s", err.what);
    assert_non_null(f);
    return f;
}

/* The text at a span, for comparing. Owned by a static buffer ring. */
static const char *at(const py_file *f, py_span sp)
{
    static char bufs[4][4096];
    static int k;
    char *b = bufs[k++ % 4];
    assert_true(sp.start <= sp.end && sp.end <= f->len);
    size_t n = sp.end - sp.start;
    assert_true(n < sizeof bufs[0]);
    memcpy(b, f->text + sp.start, n);
    b[n] = '\0';
    return b;
}

static const char enum_src[] =
    "\"\"\"Module.\"\"\"\n"
    "from enum import Enum\n"
    "\n"
    "\n"
    "@unique\n"
    "class Status(str, Enum):  # schemerge: ignore\n"
    "    \"\"\"status enumeration\"\"\"\n"
    "\n"
    "    DRAFT = \"draft\"  # first\n"
    "    # between\n"
    "    ACTIVE = ('act'\n"
    "              \"ive\")\n"
    "\n"
    "    def label(self):\n"
    "        return 1\n"
    "    LAST = auto()\n"
    "        # indented trailing comment\n"
    "\n"
    "# column 0 comment\n"
    "\n"
    "\n"
    "class Row(TypedDict, total=False):\n"
    "    id: str\n"
    "    tags: Optional[\n"
    "        List[str]  # inner\n"
    "    ]  # after\n"
    "    n: int = 0\n"
    "\n";

static void test_spans(void **state)
{
    (void)state;
    py_file *f = parse_ok(enum_src);
    assert_int_equal(f->nclasses, 2);
    assert_int_equal(f->nimports, 1);
    assert_false(f->crlf);
    assert_false(f->bom);
    assert_true(f->final_newline);

    const py_class *c = &f->classes[0];
    assert_string_equal(c->name, "Status");
    assert_int_equal(c->line, 6);
    assert_int_equal(c->col, 1);
    assert_true(c->ignore_marker);
    assert_false(c->one_line_body);
    assert_int_equal(c->ndecorators, 1);
    assert_string_equal(c->decorators[0], "unique");
    assert_int_equal(c->nbases, 2);
    assert_string_equal(c->bases[0], "str");
    assert_string_equal(c->bases[1], "Enum");
    assert_string_equal(c->indent, "    ");
    assert_string_equal(c->docstring, "status enumeration");
    assert_string_equal(at(f, c->docstring_span), "    \"\"\"status enumeration\"\"\"\n");
    assert_string_equal(at(f, c->header_span),
                        "class Status(str, Enum):  # schemerge: ignore\n");
    /* from the decorator through the indented trailing comment, not the blank lines or the
     * column-0 comment after it */
    const char *span = at(f, c->span);
    assert_true(strncmp(span, "@unique\nclass Status", 20) == 0);
    size_t sl = strlen(span);
    assert_true(sl > 30);
    assert_string_equal(span + sl - 36, "        # indented trailing comment\n");
    assert_int_equal(c->body_span.start, c->header_span.end);
    assert_int_equal(c->body_span.end, c->span.end);

    assert_int_equal(c->nmembers, 3);
    const py_member *m = &c->members[0];
    assert_string_equal(m->name, "DRAFT");
    assert_string_equal(m->value, "draft");
    assert_int_equal(m->quote, '"');
    assert_string_equal(at(f, m->span), "    DRAFT = \"draft\"  # first\n");
    assert_string_equal(at(f, m->name_span), "DRAFT");
    assert_string_equal(at(f, m->value_span), "\"draft\"");
    assert_int_equal(m->line, 9);
    assert_int_equal(m->col, 5);

    m = &c->members[1];
    assert_string_equal(m->value, "active");
    assert_int_equal(m->quote, '\'');
    assert_string_equal(at(f, m->span), "    ACTIVE = ('act'\n              \"ive\")\n");
    assert_string_equal(at(f, m->value_span), "('act'\n              \"ive\")");

    m = &c->members[2];
    assert_string_equal(m->name, "LAST");
    assert_null(m->value);
    assert_int_equal(m->quote, 0);
    assert_string_equal(at(f, m->span), "    LAST = auto()\n");
    assert_string_equal(at(f, c->last_stmt_span), "    LAST = auto()\n");

    c = &f->classes[1];
    assert_string_equal(c->name, "Row");
    assert_int_equal(c->nkeywords, 1);
    assert_string_equal(pyclass_keyword(c, "total"), "False");
    assert_null(pyclass_keyword(c, "metaclass"));
    assert_true(pyclass_has_base(c, "TypedDict"));
    assert_false(c->ignore_marker);
    assert_int_equal(c->nfields, 3);
    const py_field *fl = &c->fields[1];
    assert_string_equal(fl->name, "tags");
    assert_string_equal(fl->annotation, "Optional[\n        List[str]  # inner\n    ]");
    assert_string_equal(at(f, fl->annotation_span), fl->annotation);
    assert_string_equal(at(f, fl->span),
                        "    tags: Optional[\n        List[str]  # inner\n    ]  # after\n");
    assert_false(fl->has_default);
    fl = &c->fields[2];
    assert_true(fl->has_default);
    assert_string_equal(at(f, fl->default_span), "0");
    assert_string_equal(at(f, fl->annotation_span), "int");
    assert_string_equal(at(f, c->span) + strlen(at(f, c->span)) - 15, "    n: int = 0\n");
    assert_int_equal(c->span.end, f->len - 1); /* the final blank line is not the class's */

    assert_ptr_equal(pyfile_find_class(f, "Row"), &f->classes[1]);
    assert_null(pyfile_find_class(f, "Nope"));
    assert_int_equal(pyfile_line_of(f, 0), 1);
    assert_int_equal(pyfile_line_of(f, f->classes[0].members[0].span.start), 9);
    assert_int_equal(pyfile_line_of(f, f->len), 29);
    pyfile_free(f);
}

static void test_imports(void **state)
{
    (void)state;
    py_file *f = parse_ok("from typing import (\n    Optional,\n    TypedDict as TD,\n)\n"
                          "import os.path, sys as system\n"
                          "from . import x\n"
                          "from ..pkg.mod import *\n"
                          "if True:\n    from inner import nope\n");
    assert_int_equal(f->nimports, 5);
    const py_import *im = &f->imports[0];
    assert_true(im->is_from);
    assert_true(im->parenthesized);
    assert_string_equal(im->module, "typing");
    assert_int_equal(im->nnames, 2);
    assert_string_equal(im->names[0], "Optional");
    assert_string_equal(im->names[1], "TypedDict");
    assert_string_equal(at(f, im->names_span), "Optional,\n    TypedDict as TD");
    assert_string_equal(at(f, im->span),
                        "from typing import (\n    Optional,\n    TypedDict as TD,\n)\n");
    assert_int_equal(im->line, 1);
    assert_string_equal(f->imports[1].module, "os.path");
    assert_false(f->imports[1].is_from);
    assert_int_equal(f->imports[1].nnames, 0);
    assert_string_equal(f->imports[2].module, "sys");
    assert_string_equal(f->imports[3].module, ".");
    assert_string_equal(f->imports[3].names[0], "x");
    assert_true(f->imports[4].star);
    assert_string_equal(f->imports[4].module, "..pkg.mod");
    pyfile_free(f);
}

static void test_columns_unicode_tabs(void **state)
{
    (void)state;
    py_file *f = parse_ok("class Café(Enum):\n\tÉTÉ = \"été\"; NAÏVE = 'naïve'\n\tx: 日本 = \"é\"\n");
    const py_class *c = &f->classes[0];
    assert_string_equal(c->name, "Café");
    assert_string_equal(c->indent, "\t");
    assert_int_equal(c->nmembers, 2);
    assert_int_equal(c->members[0].col, 2);
    /* columns count characters: "\tÉTÉ = \"été\"; " is 14 of them */
    assert_int_equal(c->members[1].col, 15);
    assert_string_equal(c->members[1].value, "naïve");
    /* statements sharing a line: each span is the statement alone */
    assert_string_equal(at(f, c->members[0].span), "ÉTÉ = \"été\"");
    assert_string_equal(at(f, c->members[1].span), "NAÏVE = 'naïve'");
    assert_string_equal(c->fields[0].annotation, "日本");
    assert_int_equal(c->fields[0].line, 3);
    pyfile_free(f);
}

static void test_one_line_body(void **state)
{
    (void)state;
    py_file *f = parse_ok("class A(Enum): X = \"x\"; Y = 'y'\nclass B: \"doc\"\nclass C: pass\n");
    assert_int_equal(f->nclasses, 3);
    assert_true(f->classes[0].one_line_body);
    assert_int_equal(f->classes[0].nmembers, 2);
    assert_string_equal(f->classes[0].members[1].value, "y");
    assert_string_equal(at(f, f->classes[0].span), "class A(Enum): X = \"x\"; Y = 'y'\n");
    assert_string_equal(f->classes[1].docstring, "doc");
    assert_int_equal(f->classes[2].nmembers, 0);
    pyfile_free(f);
}

static void test_crlf_bom_cr(void **state)
{
    (void)state;
    py_file *f = parse_ok("\xEF\xBB\xBF" "class A(Enum):\r\n    X = \"x\"  # c\r\n"
                          "    T = \"\"\"a\r\nb\"\"\"\r\n    y: Optional[\r\n  str]\r\n");
    assert_true(f->bom);
    assert_true(f->crlf);
    const py_class *c = &f->classes[0];
    assert_int_equal(c->col, 1); /* the BOM is not a column */
    assert_int_equal(c->span.start, 3);
    assert_string_equal(at(f, c->members[0].span), "    X = \"x\"  # c\r\n");
    /* Python reads source with universal newlines: CRLF inside a string is "\n" */
    assert_string_equal(c->members[1].value, "a\nb");
    assert_string_equal(c->fields[0].annotation, "Optional[\r\n  str]");
    assert_int_equal(c->fields[0].line, 5);
    pyfile_free(f);

    f = parse_ok("class A(Enum):\r    X = \"x\"\r    Y = \"y\"\r");
    assert_false(f->crlf);
    assert_int_equal(f->classes[0].nmembers, 2);
    assert_int_equal(f->classes[0].members[1].line, 3);
    assert_string_equal(at(f, f->classes[0].members[1].span), "    Y = \"y\"\r");
    pyfile_free(f);

    /* no final newline */
    f = parse_ok("class A(Enum):\n    X = \"x\"");
    assert_false(f->final_newline);
    assert_string_equal(at(f, f->classes[0].members[0].span), "    X = \"x\"");
    assert_int_equal(f->classes[0].span.end, f->len);
    pyfile_free(f);
}

static void test_empty(void **state)
{
    (void)state;
    /* (a lone backslash-newline is not among them: CPython says "unexpected EOF") */
    static const char *const inputs[] = { "", "\n", "\xEF\xBB\xBF", "# comment\n\n   \n",
                                          "\r\n\r\n", "\\\nx = 1\n" };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        py_file *f = parse_ok(inputs[i]);
        assert_int_equal(f->nclasses, 0);
        assert_int_equal(f->nimports, 0);
        pyfile_free(f);
    }
}

struct bad_case {
    const char *text;
    size_t len; /* 0: strlen */
    const char *what;
};

static void test_errors(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        { "class A(Enum):\n    X = \"abc\n", 0,
          "t.py:2:9: unterminated string literal (detected at line 2)" },
        { "class A(Enum):\n    \"\"\"doc\n    X = 1\n", 0,
          "t.py:2:5: unterminated triple-quoted string literal (detected at line 3)" },
        { "class A(Enum):\n    X = 'a\\\n", 0,
          "t.py:2:9: unterminated string literal (detected at line 2)" },
        { "class A(Enum):\n    a = \"1\"\n  b = \"2\"\n", 0,
          "t.py:3:10: unindent does not match any outer indentation level" },
        { "A = 1\n    B = 2\n", 0, "t.py:2:4: unexpected indent" },
        { "class A(TypedDict):\n    x: Optional[\n        str\n", 0,
          "t.py:2:16: '[' was never closed" },
        { "x = (1,\n     2]\n", 0,
          "t.py:2:7: closing parenthesis ']' does not match opening parenthesis '(' on line 1" },
        { "x = 1)\n", 0, "t.py:1:6: unmatched ')'" },
        { "class A(Enum):\nX = 1\n", 0,
          "t.py:2:1: expected an indented block after class definition on line 1" },
        { "class A(Enum):\n", 0,
          "t.py:1:15: expected an indented block after class definition on line 1" },
        { "if x:\n\tif y:\n        a\n\tb\n", 0,
          "t.py:3:1: inconsistent use of tabs and spaces in indentation" },
        { "x = 1 \\ y\n", 0, "t.py:1:8: unexpected character after line continuation character" },
        { "x = 1 \\", 0, "t.py:1:8: unexpected EOF while parsing" },
        { "class A(Enum)\n    X = 1\n", 0, "t.py:1:14: expected ':'" },
        { "class A(Enum):\n    X = \"x\" \xE2\x82\xAC\n", 0,
          "t.py:2:13: invalid character '\xE2\x82\xAC' (U+20AC)" },
        { "x = $\n", 0, "t.py:1:5: invalid syntax" },
        { "x = \x01\n", 0, "t.py:1:5: invalid non-printable character U+0001" },
        { "class A:\n    X = \n", 0, "t.py:2:9: invalid syntax" },
        { "class A:\n    x:\n", 0, "t.py:2:7: invalid syntax" },
        { "class A:\n    X = \"\\x4\"\n", 0,
          "t.py:2:14: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: "
          "truncated \\xXX escape" },
        { "@dataclass\nx = 1\n", 0, "t.py:2:1: invalid syntax" },
        { "from x import\n", 0, "t.py:1:14: invalid syntax" },
        { "class\n", 0, "t.py:1:6: invalid syntax" },
        /* not Python at all */
        { "class A:\n    X = \"a\0b\"\n", 22, "t.py:2:11: file contains a NUL byte" },
        { "x = 1\n\xff\xfe\n", 0, "t.py:2:1: file is not UTF-8" },
        { "x = '\xc3\xa9\xc3'\n", 0, "t.py:1:7: file is not UTF-8" },
        { "\xed\xa0\x80\n", 0, "t.py:1:1: file is not UTF-8" },         /* a surrogate */
        { "\xc0\xaf\n", 0, "t.py:1:1: file is not UTF-8" },             /* overlong */
        { "\x7f" "ELF\x02\x01\x01\0\0\0", 10, "t.py:1:8: file contains a NUL byte" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        py_file *f = NULL;
        sm_error err = SM_ERROR_INIT;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        int rc = pyfile_parse(&f, "t.py", cases[i].text, len, &err);
        if (rc != ERR_PARSE || strcmp(err.what, cases[i].what) != 0)
            fail_msg("case %zu: rc %d, what [%s], expected [%s]", i, rc, err.what, cases[i].what);
        assert_null(f);
        assert_int_equal(err.code, ERR_PARSE);
    }
}

static void test_string_decode(void **state)
{
    (void)state;
    static const struct {
        const char *tok;
        const char *want; /* NULL: not a str */
    } cases[] = {
        { "\"abc\"", "abc" },
        { "'a\"b'", "a\"b" },
        { "\"\"", "" },
        { "\"\\n\\t\\\\\\'\\\"\"", "\n\t\\'\"" },
        { "\"\\x41\\u00e9\\U0001F600\"", "A\xC3\xA9\xF0\x9F\x98\x80" },
        { "\"\\101\\7\"", "A\a" },
        { "\"a\\\nb\"", "ab" },
        { "\"a\\\r\nb\"", "ab" },
        { "\"\"\"x\r\ny\rz\"\"\"", "x\ny\nz" },
        { "'''it's'''", "it's" },
        { "r\"\\d+\\n\"", "\\d+\\n" },
        { "R'\\''", "\\'" },
        { "u\"x\"", "x" },
        { "U'x'", "x" },
        { "\"\\d\"", "\\d" },          /* unknown escapes keep the backslash */
        { "\"\\N{BULLET}\"", "\xE2\x80\xA2" },
        { "\"\\N{snowman} \\N{LATIN CAPITAL LETTER GHA}\"", "\xE2\x98\x83 \xC6\xA2" },
        { "\"\\ud800\"", "\xEF\xBF\xBD" },    /* lone surrogate: U+FFFD */
        { "\"G\xC3\xA1lp\xC3\xA3o\"", "G\xC3\xA1lp\xC3\xA3o" },
        { "b\"x\"", NULL },
        { "rb'x'", NULL },
        { "Br'x'", NULL },
        { "f\"{x}\"", NULL },
        { "rf'{x}'", NULL },
        { "\"\\x4\"", NULL },           /* malformed escape */
        { "\"\\U00110000\"", NULL },
        { "\"\\0\"", NULL },            /* NUL cannot be a C string */
        { "x", NULL },
        { "\"", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = py_string_decode(cases[i].tok, strlen(cases[i].tok));
        if (!cases[i].want) {
            if (got)
                fail_msg("case %zu (%s): expected NULL, got [%s]", i, cases[i].tok, got);
        } else {
            if (!got || strcmp(got, cases[i].want) != 0)
                fail_msg("case %zu (%s): expected [%s], got [%s]", i, cases[i].tok,
                         cases[i].want, got ? got : "(null)");
        }
        free(got);
    }
    assert_null(py_string_decode(NULL, 0));
}


/* Under valgrind (which preloads its own library) everything is ~50 times slower: the
 * timing bounds mean nothing there and the big input is made smaller. */
static bool under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

/* 50,000 lines of entities.py, then 50 MB in one class: parsed whole. Speed is measured
 * in the benchmark (bench/check_bench.sh), not here: a shared CI machine is no clock. */
static void test_huge(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "from typing import Optional, TypedDict\n\n");
    size_t nclasses = 50000 / 12;
    for (size_t i = 0; i < nclasses; i++) {
        strbuf_addf(&sb, "\n\nclass Table%zuRow(TypedDict):\n    \"\"\"Database row for table_%zu.\"\"\"\n\n",
                    i, i);
        for (int k = 0; k < 6; k++)
            strbuf_addf(&sb, "    column_%d: Optional[str]  # comment %d\n", k, k);
    }
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(pyfile_parse(&f, "big.py", sb.buf, sb.len, &err), 0);
    assert_int_equal(f->nclasses, nclasses);
    assert_int_equal(f->classes[nclasses - 1].nfields, 6);
    assert_string_equal(f->classes[nclasses - 1].fields[5].annotation, "Optional[str]");
    pyfile_free(f);

    /* 50 MB: an enum with a million members, then a megabyte-long single line */
    size_t mb = under_valgrind() ? 5 : 50;
    strbuf_reset(&sb);
    strbuf_adds(&sb, "class Big(str, Enum):\n");
    while (sb.len < (mb - 2) * 1000 * 1000)
        strbuf_addf(&sb, "    MEMBER_%zu = \"value number %zu\"  # c\n", sb.len, sb.len);
    strbuf_adds(&sb, "X = [");
    while (sb.len < mb * 1000 * 1000)
        strbuf_adds(&sb, "1, 'two', (3,), ");
    strbuf_adds(&sb, "]\n");
    assert_int_equal(pyfile_parse(&f, "huge.py", sb.buf, sb.len, &err), 0);
    assert_int_equal(f->nclasses, 1);
    assert_true(f->classes[0].nmembers > mb * 10000);
    pyfile_free(f);
    strbuf_release(&sb);
}

/* Every prefix of a real file, and bytes flipped all over it: a result or ERR_PARSE,
 * never a crash, a hang or a leak (the suite also runs under ASan and valgrind). */
static void test_mangled(void **state)
{
    (void)state;
    size_t len = strlen(enum_src);
    char *buf = malloc(len + 1);
    for (size_t n = 0; n <= len; n++) {
        py_file *f = NULL;
        sm_error err = SM_ERROR_INIT;
        int rc = pyfile_parse(&f, "t.py", enum_src, n, &err);
        assert_true(rc == 0 || rc == ERR_PARSE);
        pyfile_free(f);
    }
    static const char subst[] = "\"'\\\n\r\t (){}[]:=#@;,.xb\xc3\xa9\xff";
    uint32_t seed = 12345;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(buf, enum_src, len + 1);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            buf[pos] = subst[(seed >> 8) % (sizeof subst - 1)];
        }
        py_file *f = NULL;
        sm_error err = SM_ERROR_INIT;
        int rc = pyfile_parse(&f, "t.py", buf, len, &err);
        assert_true(rc == 0 || rc == ERR_PARSE);
        if (rc == ERR_PARSE)
            assert_true(strncmp(err.what, "t.py:", 5) == 0);
        pyfile_free(f);
    }
    free(buf);
    /* deep nesting is refused, not recursed into */
    strbuf sb = STRBUF_INIT;
    strbuf_addrepeat(&sb, '(', 100000);
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(pyfile_parse(&f, "t.py", sb.buf, sb.len, &err), ERR_PARSE);
    assert_string_equal(err.what, "t.py:1:201: too many nested parentheses");
    strbuf_release(&sb);
}

static void test_load(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_pyparse.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;

    snprintf(path, sizeof path, "%s/missing.py", dir);
    assert_int_equal(pyfile_load(&f, path, &err), ERR_NOT_FOUND);
    assert_null(f);

    /* a directory cannot be read as a file */
    assert_int_equal(pyfile_load(&f, dir, &err), ERR_IO);
    assert_non_null(strstr(err.what, dir));

    snprintf(path, sizeof path, "%s/enums.py", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("class A(Enum):\n    X = 'x'\n", fp);
    fclose(fp);
    assert_int_equal(pyfile_load(&f, path, &err), 0);
    assert_string_equal(f->path, path);
    assert_string_equal(f->classes[0].members[0].value, "x");
    pyfile_free(f);

    if (geteuid() != 0) { /* root reads anything */
        chmod(path, 0);
        assert_int_equal(pyfile_load(&f, path, &err), ERR_IO);
        assert_non_null(strstr(err.what, "Permission denied"));
        chmod(path, 0644);
    }

    /* a binary file is a parse error naming the file */
    fp = fopen(path, "wb");
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919) & 0xFF, fp);
    fclose(fp);
    assert_int_equal(pyfile_load(&f, path, &err), ERR_PARSE);
    assert_true(strncmp(err.what, path, strlen(path)) == 0);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_imports),
        cmocka_unit_test(test_columns_unicode_tabs),
        cmocka_unit_test(test_one_line_body),
        cmocka_unit_test(test_crlf_bom_cr),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_string_decode),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_mangled),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
