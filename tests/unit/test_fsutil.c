/* test_fsutil.c: the atomic write and its failure paths, on a real file system.
 *
 * fsutil.c is compiled into this test with SM_FAULT_INJECTION, whatever configure said,
 * so the injected write/fsync/rename/open failures are always exercised. */
#define SM_FAULT_INJECTION 1
#include "../../src/fsutil.c"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

static char base[64];

static int setup(void **state)
{
    (void)state;
    snprintf(base, sizeof base, "/tmp/sm-fsutil.XXXXXX");
    assert_non_null(mkdtemp(base));
    chmod(base, 0755); /* the unprivileged child of the read-only test must get in */
    umask(022);
    unsetenv("SCHEMERGE_FAULT");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("SCHEMERGE_FAULT");
    fs_remove_tree(base, NULL);
    return 0;
}

static char *P(const char *name)
{
    static char buf[32][256];
    static int k;
    k = (k + 1) % 32;
    snprintf(buf[k], sizeof buf[k], "%s/%s", base, name);
    return buf[k];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void assert_content(const char *path, const char *expected)
{
    char *data = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_read_file(&data, &len, path, &err), 0);
    assert_int_equal(len, strlen(expected));
    assert_string_equal(data, expected);
    free(data);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_read(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    char *data = NULL;
    assert_int_equal(fs_read_file(&data, NULL, P("missing"), &err), ERR_NOT_FOUND);
    assert_null(data);
    assert_non_null(strstr(err.what, "missing"));

    /* NUL bytes in the middle survive, and the copy is NUL-terminated */
    char *path = P("bin");
    FILE *f = fopen(path, "wb");
    fwrite("a\0b", 1, 3, f);
    fclose(f);
    size_t len = 0;
    assert_int_equal(fs_read_file(&data, &len, path, &err), 0);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "a\0b", 4);
    free(data);
}

static void test_write_new_and_replace(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    char *path = P("enums.py");
    assert_int_equal(fs_write_atomic(path, "one\n", 4, &err), 0);
    assert_content(path, "one\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644); /* 0644 & ~022 */

    assert_int_equal(fs_write_atomic(path, "two\r\nlines\r\n", 12, &err), 0);
    assert_content(path, "two\r\nlines\r\n");
    assert_int_equal(fs_write_atomic(path, "", 0, &err), 0);
    assert_content(path, "");
    assert_int_equal(count_entries(base), 1); /* no temporary file left behind */
}

static void test_write_keeps_mode(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    const mode_t modes[] = { 0600, 0755, 0640, 0444 };
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        char *path = P("moded.py");
        put(path, "old\n");
        assert_int_equal(chmod(path, modes[i]), 0);
        assert_int_equal(fs_write_atomic(path, "new\n", 4, &err), 0);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, modes[i]);
        assert_content(path, "new\n");
    }
}

static void test_write_through_symlink(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_mkdir_p(P("real/dir"), 0755, NULL), 0);
    put(P("real/dir/entities.py"), "old\n");
    chmod(P("real/dir/entities.py"), 0600);
    /* a relative link, through a second link */
    assert_int_equal(symlink("real/dir/entities.py", P("link1")), 0);
    assert_int_equal(symlink("link1", P("link2")), 0);
    assert_int_equal(fs_write_atomic(P("link2"), "new\n", 4, &err), 0);

    struct stat st;
    assert_int_equal(lstat(P("link2"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(P("link1"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_content(P("real/dir/entities.py"), "new\n");
    assert_int_equal(stat(P("real/dir/entities.py"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(count_entries(P("real/dir")), 1); /* temp file was in the real dir, and is gone */

    /* a dangling link: the file it names is created, the link stays */
    assert_int_equal(symlink("real/new.py", P("dangling")), 0);
    assert_int_equal(fs_write_atomic(P("dangling"), "x\n", 2, &err), 0);
    assert_int_equal(lstat(P("dangling"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_content(P("real/new.py"), "x\n");

    /* a loop is an error, not a hang */
    assert_int_equal(symlink("loopb", P("loopa")), 0);
    assert_int_equal(symlink("loopa", P("loopb")), 0);
    assert_int_equal(fs_write_atomic(P("loopa"), "x", 1, &err), ERR_IO);
}

static void test_preplanted_temp_names(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    char path[256];
    snprintf(path, sizeof path, "%s", P("schema.py"));
    put(path, "old\n");
    put(P("victim"), "secret\n");
    /* every name a careless implementation might use */
    const char *names[] = { ".schema.py.tmp", "schema.py.tmp", "schema.py~", ".schema.py.swp",
                            ".schema.py.tmp-0000000000000000", "schema.py.new" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        assert_int_equal(symlink(P("victim"), P(names[i])), 0);
    int before = count_entries(base);
    assert_int_equal(fs_write_atomic(path, "new\n", 4, &err), 0);
    assert_content(path, "new\n");
    assert_content(P("victim"), "secret\n");
    assert_int_equal(count_entries(base), before);

    /* names that are taken (EEXIST from O_EXCL) are skipped for fresh random ones */
    setenv("SCHEMERGE_FAULT", "open:1:EEXIST,open:2:EEXIST,open:3:EEXIST", 1);
    assert_int_equal(fs_write_atomic(path, "newer\n", 6, &err), 0);
    unsetenv("SCHEMERGE_FAULT");
    assert_content(path, "newer\n");
    assert_content(P("victim"), "secret\n");
    assert_int_equal(count_entries(base), before);

    /* the random part really varies */
    char *a = temp_name(path, "tmp"), *b = temp_name(path, "tmp");
    assert_string_not_equal(a, b);
    assert_int_equal(strlen(a), strlen(base) + strlen("/.schema.py.tmp-") + 16);
    free(a);
    free(b);
}

/* Each injected failure: ERR_IO, the old content intact, no temporary file left. */
static void test_injected_failures(void **state)
{
    (void)state;
    const char *faults[] = { "write:1:ENOSPC", "fsync:1:EIO", "rename:1:EIO", "open:1:EACCES",
                             "write:1:EDQUOT" };
    char *path = P("target.py");
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
        put(path, "precious\n");
        chmod(path, 0640);
        sm_error err = SM_ERROR_INIT;
        setenv("SCHEMERGE_FAULT", faults[i], 1);
        int rc = fs_write_atomic(path, "replacement\n", 12, &err);
        unsetenv("SCHEMERGE_FAULT");
        assert_int_equal(rc, ERR_IO);
        assert_non_null(strstr(err.what, "target.py"));
        assert_content(path, "precious\n");
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0640);
        assert_int_equal(count_entries(base), 1);
    }
    /* the second write fails, the first succeeded: counters are per op and per spec */
    sm_error err = SM_ERROR_INIT;
    setenv("SCHEMERGE_FAULT", "rename:2:EIO", 1);
    assert_int_equal(fs_write_atomic(path, "first\n", 6, &err), 0);
    assert_int_equal(fs_write_atomic(path, "second\n", 7, &err), ERR_IO);
    unsetenv("SCHEMERGE_FAULT");
    assert_content(path, "first\n");
    assert_non_null(strstr(err.what, strerror(EIO)));
}

/* A transaction of three files (one new, one replaced, one removed): a failure at any
 * step of the commit leaves all three as before, the journal and temporary files gone;
 * without a fault all three change. */
static void test_txn_all_or_nothing(void **state)
{
    (void)state;
    const char *faults[] = { "link:1:EIO", "link:2:ENOSPC", "rename:1:EIO", "rename:2:EIO",
                             "rename:3:EIO", "unlink:1:EACCES", "unlink:2:EIO", "fsync:3:EIO", "fsync:4:EIO", "" };
    const char *a = P("a.py"), *b = P("b.py"), *c = P("c.py"), *journal = P("journal");
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
        unlink(a);
        put(b, "old b\n");
        put(c, "old c\n");
        sm_error err = SM_ERROR_INIT;
        fs_txn *t = fs_txn_new(journal);
        assert_int_equal(fs_txn_write(t, a, "new a\n", 6, &err), 0);
        assert_int_equal(fs_txn_write(t, b, "new b\n", 6, &err), 0);
        assert_int_equal(fs_txn_remove(t, c, &err), 0);
        /* staging touched nothing */
        assert_false(fs_exists(a));
        assert_content(b, "old b\n");
        if (*faults[i])
            setenv("SCHEMERGE_FAULT", faults[i], 1);
        int rc = fs_txn_commit(t, &err);
        unsetenv("SCHEMERGE_FAULT");
        fs_txn_free(t);
        if (*faults[i]) {
            assert_int_equal(rc, ERR_IO);
            assert_false(fs_exists(a));
            assert_content(b, "old b\n");
            assert_content(c, "old c\n");
            assert_int_equal(count_entries(base), 2);
        } else {
            assert_int_equal(rc, 0);
            assert_content(a, "new a\n");
            assert_content(b, "new b\n");
            assert_false(fs_exists(c));
            assert_int_equal(count_entries(base), 2);
        }
        assert_false(fs_exists(journal));
    }
}

/* A commit that died after its journal was written: recovery puts the replaced file
 * back, removes the new one, and drops the journal. */
static void test_txn_recover(void **state)
{
    (void)state;
    const char *a = P("a.py"), *b = P("b.py"), *journal = P("journal");
    put(b, "old b\n");
    sm_error err = SM_ERROR_INIT;
    /* what a commit leaves when killed between its renames: the kept original of b and
     * a journal naming it, a renamed into place, b already replaced */
    assert_int_equal(link(b, P(".b.py.old-0123456789abcdef")), 0);
    put(a, "new a\n");
    unlink(b);
    put(b, "new b\n");
    char rec[1024];
    size_t n = 0;
    n += (size_t)snprintf(rec + n, sizeof rec - n, "%s%c%c%s%c", a, 0, 0, P(".a.py.tmp-0"), 0);
    n += (size_t)snprintf(rec + n, sizeof rec - n, "%s%c%s%c%s%c", b, 0, P(".b.py.old-0123456789abcdef"), 0,
                          P(".b.py.tmp-1"), 0);
    assert_int_equal(fs_write_atomic(journal, rec, n, &err), 0);
    bool recovered = false;
    assert_int_equal(fs_txn_recover(journal, &recovered, &err), 0);
    assert_true(recovered);
    assert_false(fs_exists(a));
    assert_content(b, "old b\n");
    assert_false(fs_exists(journal));
    assert_int_equal(count_entries(base), 1);
    /* no journal: nothing to do */
    assert_int_equal(fs_txn_recover(journal, &recovered, &err), 0);
    assert_false(recovered);
}

/* A read-only directory: the rename cannot happen, so nothing changes. As root the
 * permission check does not apply, so the write runs in a child that gives up root. */
static void test_readonly_directory(void **state)
{
    (void)state;
    assert_int_equal(fs_mkdir_p(P("ro"), 0755, NULL), 0);
    char *path = P("ro/enums.py");
    put(path, "keep me\n");
    chmod(path, 0644);
    assert_int_equal(chmod(P("ro"), 0555), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        sm_error err = SM_ERROR_INIT;
        int rc = fs_write_atomic(path, "lost\n", 5, &err);
        _exit(rc == ERR_IO && strstr(err.what, "enums.py") && strstr(err.what, "ermission") ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    chmod(P("ro"), 0755);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_content(path, "keep me\n");
    assert_int_equal(count_entries(P("ro")), 1);
}

static void test_mkdir_remove(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_mkdir_p(P("a/b/c/"), 0700, &err), 0);
    assert_int_equal(fs_mkdir_p(P("a/b/c"), 0700, &err), 0); /* existing is fine */
    struct stat st;
    assert_int_equal(stat(P("a/b"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    put(P("a/file"), "x");
    assert_int_equal(fs_mkdir_p(P("a/file/sub"), 0700, &err), ERR_IO);
    assert_non_null(strstr(err.what, "a/file"));

    /* remove_tree removes links, never what they point to */
    put(P("outside"), "stay\n");
    assert_int_equal(symlink(P("outside"), P("a/b/c/link")), 0);
    assert_int_equal(symlink(base, P("a/b/dirlink")), 0);
    assert_int_equal(fs_remove_tree(P("a"), &err), 0);
    assert_false(fs_exists(P("a")));
    assert_content(P("outside"), "stay\n");
    assert_int_equal(fs_remove_tree(P("a"), &err), ERR_NOT_FOUND);

    setenv("SCHEMERGE_FAULT", "mkdir:1:EROFS", 1);
    assert_int_equal(fs_mkdir_p(P("z"), 0700, &err), ERR_IO);
    unsetenv("SCHEMERGE_FAULT");
    assert_non_null(strstr(err.what, strerror(EROFS)));

    assert_int_equal(fs_remove_file(P("outside"), &err), 0);
    assert_false(fs_exists(P("outside")));
    assert_int_equal(fs_remove_file(P("outside"), &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_new_and_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_keeps_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_through_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preplanted_temp_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_txn_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_txn_recover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_injected_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_remove, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
