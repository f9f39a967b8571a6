/* test_lint.c: lint_source against the lint fixture's catalog (a snapshot, no database):
 * one row per snippet and the findings it must give, the fixture files themselves, the
 * edit distance behind "did you mean", and default file discovery. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "settings.h"
#include "drift.h"
#include "fsutil.h"
#include "lint.h"
#include "pyparse.h"
#include "snapshot.h"
#include "strbuf.h"
#include "xalloc.h"

#define LINT FIXTURES "/lint"

typedef struct world {
    sm_catalog *db;
    sm_config *config;
    py_file *files[TARGET_COUNT];
    sm_changeset *cs;
} world;

static int setup(void **state)
{
    world *w = xcalloc(1, sizeof *w);
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(snapshot_read_file(&w->db, LINT "/catalog.json", &err), 0);
    w->config = settings_default();
    static const char *const paths[TARGET_COUNT] = {
        "schemas/enums.py", "schemas/database/entities.py", "schemas/database/relationships.py",
    };
    drift_input in = { .db = w->db, .config = w->config };
    for (int t = 0; t < TARGET_COUNT; t++) {
        char *p = xasprintf("%s/project/%s", LINT, paths[t]);
        assert_int_equal(pyfile_load(&w->files[t], p, &err), 0);
        free(p);
        in.files[t] = w->files[t];
        in.paths[t] = paths[t];
    }
    assert_int_equal(drift_compute(&w->cs, &in, &err), 0);
    assert_int_equal(w->cs->n, 0); /* the fixture is in sync with its database */
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    drift_free(w->cs);
    for (int t = 0; t < TARGET_COUNT; t++)
        pyfile_free(w->files[t]);
    settings_free(w->config);
    catalog_free(w->db);
    free(w);
    return 0;
}

/* The findings for text as "line:col: message" lines. */
static char *lint_text(const world *w, const char *text, int *rc)
{
    lint_result res = LINT_RESULT_INIT;
    sm_error err = SM_ERROR_INIT;
    *rc = lint_source(&res, "t.py", text, strlen(text), w->db, w->cs, &err);
    strbuf out = STRBUF_INIT;
    if (*rc < 0)
        strbuf_addf(&out, "error: %s\n", err.what);
    for (size_t i = 0; i < res.n; i++)
        strbuf_addf(&out, "%d:%d: %s\n", res.items[i].line, res.items[i].col, res.items[i].message);
    lint_result_done(&res);
    return strbuf_detach(&out, NULL);
}

static const struct {
    const char *code;
    const char *want;
} cases[] = {
    /* tables */
    { "client.table('organizations')\n", "" },
    { "client.table('organization')\n",
      "1:14: unknown table \"organization\"; did you mean \"organizations\"?\n" },
    { "x = db.from_(\"nope\").select('*')\n", "1:14: unknown table \"nope\"\n" },
    { "client.table(name)\nclient.table(f'{x}')\nclient.table(b'users')\n", "" },
    { "client.tables('nope')\nclient.table('users', 'x')\n", "" },
    /* subscripts on annotated parameters, in every annotation form */
    { "def f(o: OrganizationRow):\n    return o['nam']\n",
      "2:14: unknown column \"nam\" of table organizations (OrganizationRow); did you mean \"name\"?\n" },
    { "def f(o: Optional[OrganizationRow]):\n    return o['zzz']\n",
      "2:14: unknown column \"zzz\" of table organizations (OrganizationRow)\n" },
    { "def f(o: 'OrganizationRow | None' = None):\n    return o['zzz']\n",
      "2:14: unknown column \"zzz\" of table organizations (OrganizationRow)\n" },
    { "def f(o: entities.AccountRow):\n    return o['id'], o['x']\n",
      "2:23: unknown column \"x\" of table users (AccountRow)\n" },
    { "def f(o: list[OrganizationRow]):\n    return o['zzz']\n", "" },
    /* scopes: a parameter is local to its function, module annotations are global */
    { "def f(o: OrganizationRow):\n    pass\n\ndef g(o):\n    return o['zzz']\n", "" },
    { "o: OrganizationRow\n\ndef g():\n    return o['zzz']\n",
      "4:14: unknown column \"zzz\" of table organizations (OrganizationRow)\n" },
    { "class C:\n    o: OrganizationRow\n    def m(self, o):\n        return o['zzz']\n", "" },
    { "def f(o: OrganizationRow): return o['zzz']\nprint(o['zzz'])\n",
      "1:37: unknown column \"zzz\" of table organizations (OrganizationRow)\n" },
    { "async def f(o: OrganizationRow):\n    return o.get('slug'), o.get('slg', 1)\n",
      "2:33: unknown column \"slg\" of table organizations (OrganizationRow); did you mean \"slug\"?\n" },
    /* not a variable subscript: attributes, non-literal keys, two-part subscripts */
    { "def f(o: OrganizationRow):\n    return self.o['zzz'], o[k], o['a' 'b'], o[f'x']\n", "" },
    /* constructors */
    { "r = ProjectMemberRow(org_id=1, user_id=2, role='x')\n", "" },
    { "r = ProjectMemberRow(org_id=1, rle='x', **extra)\n",
      "1:32: unknown column \"rle\" of table project_members (ProjectMemberRow); did you mean \"role\"?\n" },
    { "r = AccountRow(id=f(x=1), mail=g(y=2))\n",
      "1:27: unknown column \"mail\" of table users (AccountRow); did you mean \"email\"?\n" },
    { "class X(AccountRow, total=False):\n    pass\ndef AccountRow(k=1): pass\n", "" },
    /* a class with no table is not checked */
    { "def f(o: UnknownRow):\n    return o['zzz']\nUnknownRow(a=1)\n", "" },
    /* columns count code points, as Python does */
    { "s = 'é'; client.table('ü')\n", "1:23: unknown table \"ü\"\n" },
};

static void test_cases(void **state)
{
    const world *w = *state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = 0;
        char *got = lint_text(w, cases[i].code, &rc);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu:\n%s\nwant:\n%s\ngot:\n%s", i, cases[i].code, cases[i].want, got);
        assert_int_equal(rc, 0);
        free(got);
    }
}

static void test_not_python(void **state)
{
    const world *w = *state;
    int rc = 0;
    char *got = lint_text(w, "def f(:\n", &rc);
    assert_int_equal(rc, ERR_PARSE);
    assert_non_null(strstr(got, "error: t.py:1:"));
    free(got);
    got = lint_text(w, "x = '\xff'\n", &rc);
    assert_int_equal(rc, ERR_PARSE);
    free(got);
}

/* The fixture files: good.py is silent, bad.py gives exactly expected.txt. */
static void test_fixture_files(void **state)
{
    const world *w = *state;
    static const char *const files[] = { "app/good.py", "app/jobs/bad.py" };
    lint_result res = LINT_RESULT_INIT;
    sm_error err = SM_ERROR_INIT;
    for (size_t i = 0; i < 2; i++) {
        char *path = xasprintf("%s/project/%s", LINT, files[i]), *text = NULL;
        size_t len = 0;
        assert_int_equal(fs_read_file(&text, &len, path, &err), 0);
        assert_int_equal(lint_source(&res, files[i], text, len, w->db, w->cs, &err), 0);
        free(text);
        free(path);
    }
    strbuf got = STRBUF_INIT;
    for (size_t i = 0; i < res.n; i++)
        strbuf_addf(&got, "%s:%d:%d: %s\n", res.items[i].path, res.items[i].line, res.items[i].col,
                    res.items[i].message);
    char *want = NULL;
    size_t wl = 0;
    assert_int_equal(fs_read_file(&want, &wl, LINT "/expected.txt", &err), 0);
    assert_string_equal(strbuf_str(&got), want);
    free(want);
    strbuf_release(&got);
    lint_result_done(&res);
}

static void test_edit_distance(void **state)
{
    (void)state;
    static const struct { const char *a, *b; size_t limit, want; } rows[] = {
        { "name", "name", 2, 0 }, { "nmae", "name", 2, 2 }, { "nam", "name", 2, 1 },
        { "slg", "slug", 2, 1 }, { "email", "emial", 2, 2 }, { "", "abc", 2, 3 },
        { "abc", "", 5, 3 }, { "kitten", "sitting", 3, 3 }, { "kitten", "sitting", 2, 3 },
        { "organizations", "x", 2, 3 }, { "abcdef", "uvwxyz", 2, 3 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (lint_edit_distance(rows[i].a, rows[i].b, rows[i].limit) != rows[i].want)
            fail_msg("distance(%s, %s, %zu) = %zu, want %zu", rows[i].a, rows[i].b, rows[i].limit,
                     lint_edit_distance(rows[i].a, rows[i].b, rows[i].limit), rows[i].want);
}

static void put(const char *root, const char *rel)
{
    char *p = xasprintf("%s/%s", root, rel), *dir = xstrdup(p);
    *strrchr(dir, '/') = '\0';
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_mkdir_p(dir, 0755, &err), 0);
    assert_int_equal(fs_write_atomic(p, "x = 1\n", 6, &err), 0);
    free(dir);
    free(p);
}

static void test_find_files(void **state)
{
    (void)state;
    char root[] = "/tmp/test_lint.XXXXXX";
    assert_non_null(mkdtemp(root));
    static const char *const all[] = {
        "b.py", "a/z.py", "a/b/c.py", "schemas/enums.py", "schemas/other.py", "notes.txt",
        ".git/hook.py", ".venv/lib/x.py", "venv2/pyvenv.cfg", "venv2/lib/y.py",
        "__pycache__/m.py", "node_modules/p/q.py", "lib/site-packages/s.py", "x.pyc",
    };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        put(root, all[i]);
    const char *exclude[] = { "schemas/enums.py", NULL };
    char **files = NULL;
    size_t n = 0;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(lint_find_files(&files, &n, root, exclude, 2, &err), 0);
    strbuf got = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(&got, "%s\n", files[i]);
        free(files[i]);
    }
    free(files);
    assert_string_equal(strbuf_str(&got), "a/b/c.py\na/z.py\nb.py\nschemas/other.py\n");
    strbuf_release(&got);
    assert_int_equal(fs_remove_tree(root, &err), 0);
    assert_int_equal(lint_find_files(&files, &n, "/nonexistent/dir", NULL, 0, &err), ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_not_python),
        cmocka_unit_test(test_fixture_files),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_find_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
