/* test_vcs.c: the pieces of vcs.c that need no git binary: GIT_*_DATE parsing (table
 * driven), root discovery, and refusals that happen before anything is written. The
 * commit itself is tested against real repositories in tests/cli/git_commit.sh.
 * vcs.c is compiled in to reach its static date parser. */
#include "../../src/vcs.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void test_parse_date(void **state)
{
    (void)state;
    static const struct { const char *in; long long t; int off; } rows[] = {
        { "@1767225600 +0000", 1767225600, 0 },
        { "@1767225600", 1767225600, 0 },
        { "1767225600 +0130", 1767225600, 90 },
        { "1767225600 -0500", 1767225600, -300 },
        { "2026-01-01T00:00:00Z", 1767225600, 0 },
        { "2026-01-01T01:00:00+01:00", 1767225600, 60 },
        { "2026-01-01 01:00:00 +0100", 1767225600, 60 },
        { "Thu, 01 Jan 2026 00:00:00 +0000", 1767225600, 0 },
        { "2005-04-07T22:13:13-07:00", 1112937193, -420 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        git_time_t t = 0;
        int off = 12345;
        if (!parse_date(&t, &off, rows[i].in))
            fail_msg("cannot parse %s", rows[i].in);
        assert_int_equal((long long)t, rows[i].t);
        assert_int_equal(off, rows[i].off);
    }
    static const char *const bad[] = { "yesterday", "2026-13-45", "@12x", "1767225600 +01", "" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        git_time_t t;
        int off;
        if (parse_date(&t, &off, bad[i]))
            fail_msg("accepted %s", bad[i]);
    }
    /* no zone: local time, here UTC */
    setenv("TZ", "UTC", 1);
    tzset();
    git_time_t t;
    int off = 99;
    assert_true(parse_date(&t, &off, "2026-01-01T00:00:00"));
    assert_int_equal((long long)t, 1767225600);
    assert_int_equal(off, 0);
}

static void test_root_and_refusals(void **state)
{
    (void)state;
    char dir[] = "/tmp/sm-vcs.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    assert_int_equal(fs_mkdir_p(sub, 0755, NULL), 0);
    sm_error err = SM_ERROR_INIT;

    /* outside a repository: the directory itself */
    char *root = NULL;
    assert_int_equal(vcs_find_root(&root, sub, &err), 0);
    assert_string_equal(root, sub);
    free(root);
    assert_int_equal(vcs_find_root(&root, "/nonexistent/dir", &err), ERR_NOT_FOUND);

    bool dirty = true;
    const char *paths[] = { "x.py" };
    assert_int_equal(vcs_paths_dirty(&dirty, sub, paths, 1, &err), 0);
    assert_false(dirty);

    vcs_commit_result r;
    assert_int_equal(vcs_commit_paths(&r, sub, paths, 1, "msg", &err), ERR_GIT);
    assert_non_null(strstr(err.what, "not in a git repository"));

    /* inside one (made by libgit2 here; the git binary is for the shell tests) */
    git_ready();
    git_repository *repo = NULL;
    assert_int_equal(git_repository_init(&repo, dir, 0), 0);
    git_repository_free(repo);
    assert_int_equal(vcs_find_root(&root, sub, &err), 0);
    assert_string_equal(root, dir);
    free(root);

    /* an empty message is refused before anything else */
    assert_int_equal(vcs_commit_paths(&r, dir, paths, 1, "  \n\n", &err), ERR_GIT);
    assert_non_null(strstr(err.what, "message is empty"));

    /* a directory is not a path to commit */
    setenv("GIT_AUTHOR_NAME", "T", 1);
    setenv("GIT_AUTHOR_EMAIL", "t@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "T", 1);
    setenv("GIT_COMMITTER_EMAIL", "t@example.com", 1);
    const char *dirpath[] = { "a" };
    assert_int_equal(vcs_commit_paths(&r, dir, dirpath, 1, "msg", &err), ERR_GIT);
    assert_non_null(strstr(err.what, "is a directory"));

    /* the first commit through libgit2 alone, and the HEAD it makes */
    char file[96];
    snprintf(file, sizeof file, "%s/x.py", dir);
    assert_int_equal(fs_write_atomic(file, "X = 1\n", 6, &err), 0);
    assert_int_equal(vcs_paths_dirty(&dirty, dir, paths, 1, &err), 0);
    assert_true(dirty);
    assert_int_equal(vcs_commit_paths(&r, dir, paths, 1, "first", &err), 0);
    assert_false(r.nothing);
    assert_int_equal(strlen(r.oid), 40);
    vcs_commit_result_done(&r);
    assert_int_equal(vcs_paths_dirty(&dirty, dir, paths, 1, &err), 0);
    assert_false(dirty);
    assert_int_equal(vcs_commit_paths(&r, dir, paths, 1, "again", &err), 0);
    assert_true(r.nothing);
    vcs_commit_result_done(&r);

    fs_remove_tree(dir, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_root_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
