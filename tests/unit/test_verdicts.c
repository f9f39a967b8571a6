/* test_verdicts.c: the texts CPython's verdict accepted (verdicts.h): a text whose digest
 * the list holds is read without the verdict, any other is judged; the list is written
 * only into a .schemerge/ that exists, keeps the most recent digests, and another
 * version's list (or a damaged one) is ignored. */
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

#include "fsutil.h"
#include "hash.h"
#include "pyparse.h"
#include "verdicts.h"
#include "xalloc.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    return fs_read_file(&text, &len, path, &err) < 0 ? NULL : text;
}

/* A file CPython rejects is rejected whatever the list holds but its own digest: the list
 * is what spares the verdict, and nothing else does. */
static void test_known_digest_skips_the_verdict(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_verdicts.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = fs_join(dir, "entities.py");
    static const char bad[] = "class ARow(TypedDict):\n    id: int\n\nx = 1 +\n";
    write_text(path, bad);
    char digest[SM_SHA256_HEX_LEN + 1], expect[SM_SHA256_HEX_LEN + 1];
    sha256_hex(expect, bad, strlen(bad));

    verdicts known = { 0 };
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(pyfile_load_known(&f, path, &known, digest, &err), ERR_PARSE);
    assert_non_null(strstr(err.what, "entities.py:4:"));

    /* a list of other texts changes nothing */
    known.n = 1;
    memset(known.digests[0], 'a', SM_SHA256_HEX_LEN);
    known.digests[0][SM_SHA256_HEX_LEN] = '\0';
    assert_int_equal(pyfile_load_known(&f, path, &known, digest, &err), ERR_PARSE);

    /* its own digest (which only an accepted text gets in practice) spares the verdict */
    memcpy(known.digests[0], expect, sizeof expect);
    sm_error_clear(&err);
    assert_int_equal(pyfile_load_known(&f, path, &known, digest, &err), 0);
    assert_string_equal(digest, expect);
    assert_int_equal(f->nclasses, 1);
    pyfile_free(f);
    unlink(path);
    free(path);
    rmdir(dir);
}

static void test_list_on_disk(void **state)
{
    (void)state;
    char root[] = "/tmp/test_verdicts.XXXXXX";
    assert_non_null(mkdtemp(root));
    char *state_dir = fs_join(root, ".schemerge"), *list = fs_join(root, VERDICTS_FILE);
    char d[VERDICTS_MAX + 3][SM_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < VERDICTS_MAX + 3; i++) {
        char text[32];
        snprintf(text, sizeof text, "text %zu", i);
        sha256_hex(d[i], text, strlen(text));
    }

    /* a project never synced: nothing is written, and nothing is known */
    verdicts v;
    verdicts_load(&v, root);
    assert_int_equal(v.n, 0);
    verdicts_remember(&v, root, d, 2);
    assert_false(fs_exists(state_dir));
    assert_int_equal(v.n, 2);

    /* written into a .schemerge/ that exists, and read back */
    assert_int_equal(mkdir(state_dir, 0700), 0);
    verdicts_load(&v, root);
    verdicts_remember(&v, root, d, 2);
    verdicts back;
    verdicts_load(&back, root);
    assert_int_equal(back.n, 2);
    assert_true(verdicts_known(&back, d[0]) && verdicts_known(&back, d[1]));
    assert_false(verdicts_known(&back, d[2]));

    /* the most recent first, at most VERDICTS_MAX, no digest twice */
    for (size_t i = 2; i < VERDICTS_MAX + 3; i++)
        verdicts_remember(&back, root, &d[i], 1);
    verdicts_remember(&back, root, &d[VERDICTS_MAX + 2], 1);
    verdicts_load(&v, root);
    assert_int_equal(v.n, VERDICTS_MAX);
    assert_string_equal(v.digests[0], d[VERDICTS_MAX + 2]);
    assert_false(verdicts_known(&v, d[0]));
    for (size_t i = 1; i < v.n; i++)
        assert_string_not_equal(v.digests[i], v.digests[0]);

    /* another version's list, a damaged one, a line cut short: ignored, never an error */
    char *text = read_text(list);
    assert_non_null(text);
    assert_true(strncmp(text, "schemerge-verdicts 1 " PACKAGE_VERSION "\n", 22 + strlen(PACKAGE_VERSION)) == 0);
    char *other = xasprintf("schemerge-verdicts 1 0.0.0-other\n%s\n", d[0]);
    write_text(list, other);
    verdicts_load(&v, root);
    assert_int_equal(v.n, 0);
    char *damaged = xasprintf("schemerge-verdicts 1 %s\nnot a digest\n%.*s", PACKAGE_VERSION, 20, d[0]);
    write_text(list, damaged);
    verdicts_load(&v, root);
    assert_int_equal(v.n, 0);
    write_text(list, "");
    verdicts_load(&v, root);
    assert_int_equal(v.n, 0);

    /* a list that cannot be written costs nothing but time */
    if (geteuid() != 0) {
        chmod(state_dir, 0500);
        verdicts_remember(&v, root, d, 1);
        chmod(state_dir, 0700);
    }
    free(other);
    free(damaged);
    free(text);
    unlink(list);
    rmdir(state_dir);
    rmdir(root);
    free(state_dir);
    free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_digest_skips_the_verdict),
        cmocka_unit_test(test_list_on_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
