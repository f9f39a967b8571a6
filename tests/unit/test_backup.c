/* test_backup.c: backups in a real temporary repository directory: create, list,
 * rotation, byte-identical restore round trips, damaged backups, delete, prune, diff. */
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

#include "backup.h"
#include "fsutil.h"
#include "hash.h"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/sm-backup.XXXXXX");
    assert_non_null(mkdtemp(root));
    umask(022);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fs_remove_tree(root, NULL);
    return 0;
}

static char *P(const char *rel)
{
    static char buf[32][300];
    static int k;
    k = (k + 1) % 32;
    snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
    return buf[k];
}

static void put(const char *rel, const char *data, size_t len)
{
    char *path = P(rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    assert_int_equal(fs_mkdir_p(path, 0755, NULL), 0);
    *slash = '/';
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_write_atomic(path, data, len, &err), 0);
}

static void assert_file(const char *rel, const char *data, size_t len)
{
    char *got = NULL;
    size_t n = 0;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_read_file(&got, &n, P(rel), &err), 0);
    assert_int_equal(n, len);
    assert_memory_equal(got, data, len);
    free(got);
}

static const char *const FILES[] = { "schemas/enums.py", "schemas/entities.py", "schemas/schema_version.py" };

/* binary-ish content: CRLF, a NUL byte, no final newline */
static const char ENUMS[] = "class A(str, Enum):\r\n    X = \"x\"\r\n\0tail";
#define ENUMS_LEN (sizeof ENUMS - 1)

static void test_create_and_load(void **state)
{
    (void)state;
    put("schemas/enums.py", ENUMS, ENUMS_LEN);
    put("schemas/entities.py", "class ARow(TypedDict):\n    id: int\n", 35);
    /* schema_version.py does not exist yet */
    sm_error err = SM_ERROR_INIT;
    const char *changes[] = { "enum_value_added:public.a:y", "column_added:public.a:name" };
    backup_info *b = NULL;
    assert_int_equal(backup_create(&b, root, FILES, 3, "update", "sha256:abc", changes, 2, 10, &err), 0);
    assert_non_null(b);
    assert_int_equal(strlen(b->id), 16);
    assert_int_equal(b->id[8], 'T');
    assert_int_equal(b->id[15], 'Z');
    assert_int_equal(b->nfiles, 3);
    assert_true(b->files[0].existed);
    assert_false(b->files[2].existed);
    assert_string_equal(b->files[2].sha256, "");
    char sha[65];
    sha256_hex(sha, ENUMS, ENUMS_LEN);
    assert_string_equal(b->files[0].sha256, sha);

    /* directories are private */
    struct stat st;
    assert_int_equal(stat(P(".schemerge"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(P(".schemerge/backups"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char rel[200];
    snprintf(rel, sizeof rel, ".schemerge/backups/%s", b->id);
    assert_int_equal(stat(P(rel), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(rel, sizeof rel, ".schemerge/backups/%s/files/schemas/enums.py", b->id);
    assert_file(rel, ENUMS, ENUMS_LEN);

    backup_info *l = NULL;
    assert_int_equal(backup_load(&l, root, b->id, &err), 0);
    assert_string_equal(l->reason, "update");
    assert_string_equal(l->db_hash, "sha256:abc");
    assert_int_equal(l->nchanges, 2);
    assert_string_equal(l->changes[1], "column_added:public.a:name");
    assert_int_equal(l->nfiles, 3);
    assert_string_equal(l->files[1].path, "schemas/entities.py");
    assert_string_equal(l->files[0].sha256, sha);
    assert_false(l->files[2].existed);
    assert_int_equal(strlen(l->time), 20);
    assert_int_equal(backup_verify(root, l, &err), 0);
    backup_info_free(l);
    backup_info_free(b);

    assert_int_equal(backup_load(&l, root, "20000101T000000Z", &err), ERR_NOT_FOUND);
    assert_int_equal(backup_load(&l, root, "../../etc", &err), ERR_NOT_FOUND);

    /* unsafe paths are refused before anything is written */
    const char *bad[] = { "../outside.py" };
    assert_int_equal(backup_create(NULL, root, bad, 1, "x", NULL, NULL, 0, 10, &err), ERR_UNSAFE);
    const char *bad2[] = { "/etc/passwd" };
    assert_int_equal(backup_create(NULL, root, bad2, 1, "x", NULL, NULL, 0, 10, &err), ERR_UNSAFE);
}

static void test_list_and_rotation_keeps_exactly_n(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    put("schemas/enums.py", "v0\n", 3);
    char ids[8][40];
    for (int i = 0; i < 8; i++) {
        char content[16];
        int n = snprintf(content, sizeof content, "v%d\n", i);
        put("schemas/enums.py", content, (size_t)n);
        backup_info *b = NULL;
        char reason[32];
        snprintf(reason, sizeof reason, "run %d", i);
        assert_int_equal(backup_create(&b, root, FILES, 1, reason, NULL, NULL, 0, 3, &err), 0);
        snprintf(ids[i], sizeof ids[i], "%s", b->id);
        backup_info_free(b);
        backup_info **v = NULL;
        size_t nv = 0;
        assert_int_equal(backup_list(&v, &nv, root, &err), 0);
        assert_int_equal(nv, i + 1 < 3 ? (size_t)(i + 1) : 3u);
        /* newest first, and the newest is the one just made */
        assert_string_equal(v[0]->id, ids[i]);
        assert_string_equal(v[0]->reason, reason);
        for (size_t j = 1; j < nv; j++)
            assert_string_equal(v[j]->id, ids[i - (int)j]);
        backup_list_free(v, nv);
    }
    /* the survivors still hold their own content */
    char rel[200];
    snprintf(rel, sizeof rel, ".schemerge/backups/%s/files/schemas/enums.py", ids[5]);
    assert_file(rel, "v5\n", 3);

    /* max_backups 0 still keeps the one just made */
    backup_info *b = NULL;
    assert_int_equal(backup_create(&b, root, FILES, 1, "last", NULL, NULL, 0, 0, &err), 0);
    backup_info **v = NULL;
    size_t nv = 0;
    assert_int_equal(backup_list(&v, &nv, root, &err), 0);
    assert_int_equal(nv, 1);
    assert_string_equal(v[0]->id, b->id);
    backup_list_free(v, nv);
    backup_info_free(b);
}

static void test_restore_round_trip(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    put("schemas/enums.py", ENUMS, ENUMS_LEN);
    put("schemas/entities.py", "old entities\n", 13);
    chmod(P("schemas/entities.py"), 0600);
    backup_info *b = NULL;
    assert_int_equal(backup_create(&b, root, FILES, 3, "update", NULL, NULL, 0, 10, &err), 0);

    /* the apply happens: every file changes, schema_version.py appears */
    put("schemas/enums.py", "new enums\n", 10);
    put("schemas/entities.py", "new entities\n", 13);
    put("schemas/schema_version.py", "DB_HASH = 'x'\n", 14);

    backup_info *pre = NULL;
    assert_int_equal(backup_restore(&pre, root, b->id, 10, &err), 0);
    assert_non_null(pre);
    assert_file("schemas/enums.py", ENUMS, ENUMS_LEN);
    assert_file("schemas/entities.py", "old entities\n", 13);
    assert_false(fs_exists(P("schemas/schema_version.py")));
    struct stat st;
    assert_int_equal(stat(P("schemas/entities.py"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* the pre-restore backup undoes the restore */
    char reason[64];
    snprintf(reason, sizeof reason, "before restore of %s", b->id);
    assert_string_equal(pre->reason, reason);
    backup_info *pre2 = NULL;
    assert_int_equal(backup_restore(&pre2, root, pre->id, 10, &err), 0);
    assert_file("schemas/enums.py", "new enums\n", 10);
    assert_file("schemas/entities.py", "new entities\n", 13);
    assert_file("schemas/schema_version.py", "DB_HASH = 'x'\n", 14);
    backup_info_free(pre2);
    backup_info_free(pre);

    /* with max_backups 1 the restore's own backup must not rotate away its source */
    assert_int_equal(backup_restore(&pre, root, b->id, 1, &err), 0);
    assert_file("schemas/enums.py", ENUMS, ENUMS_LEN);
    backup_info *still = NULL;
    assert_int_equal(backup_load(&still, root, b->id, &err), 0);
    backup_info_free(still);
    backup_info_free(pre);
    backup_info_free(b);
}

static void test_restore_refuses_damaged_backup(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    put("schemas/enums.py", "original enums\n", 15);
    put("schemas/entities.py", "original entities\n", 18);
    backup_info *b = NULL;
    assert_int_equal(backup_create(&b, root, FILES, 2, "update", NULL, NULL, 0, 10, &err), 0);
    put("schemas/enums.py", "current enums\n", 14);
    put("schemas/entities.py", "current entities\n", 17);

    /* corrupted copy: hash mismatch */
    char rel[200];
    snprintf(rel, sizeof rel, ".schemerge/backups/%s/files/schemas/entities.py", b->id);
    put(rel, "tampered\n", 9);
    assert_int_equal(backup_verify(root, b, &err), ERR_BACKUP);
    assert_int_equal(backup_restore(NULL, root, b->id, 10, &err), ERR_BACKUP);
    assert_non_null(strstr(err.what, "schemas/entities.py"));
    assert_non_null(strstr(err.what, "SHA-256"));
    assert_non_null(strstr(err.what, b->id));
    /* nothing was written, and no pre-restore backup was made */
    assert_file("schemas/enums.py", "current enums\n", 14);
    assert_file("schemas/entities.py", "current entities\n", 17);
    backup_info **v = NULL;
    size_t nv = 0;
    assert_int_equal(backup_list(&v, &nv, root, &err), 0);
    assert_int_equal(nv, 1);
    backup_list_free(v, nv);

    /* missing copy */
    assert_int_equal(unlink(P(rel)), 0);
    assert_int_equal(backup_restore(NULL, root, b->id, 10, &err), ERR_BACKUP);
    assert_non_null(strstr(err.what, "schemas/entities.py"));
    assert_non_null(strstr(err.what, "missing"));
    assert_file("schemas/enums.py", "current enums\n", 14);

    /* unreadable metadata */
    snprintf(rel, sizeof rel, ".schemerge/backups/%s/metadata.json", b->id);
    put(rel, "{\"format\": 1, \"id\": \"nope\"}", 27);
    assert_int_equal(backup_restore(NULL, root, b->id, 10, &err), ERR_BACKUP);
    assert_non_null(strstr(err.what, "metadata.json"));
    backup_info_free(b);

    assert_int_equal(backup_restore(NULL, root, "20991231T235959Z", 10, &err), ERR_NOT_FOUND);
    assert_non_null(strstr(err.what, "20991231T235959Z"));
}

static void test_delete_prune_incomplete(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    put("schemas/enums.py", "x\n", 2);
    char ids[5][40];
    for (int i = 0; i < 5; i++) {
        backup_info *b = NULL;
        assert_int_equal(backup_create(&b, root, FILES, 1, "r", NULL, NULL, 0, 10, &err), 0);
        snprintf(ids[i], sizeof ids[i], "%s", b->id);
        backup_info_free(b);
    }
    /* an incomplete backup (crash before metadata.json) older than the newest: not listed */
    char rel[200];
    snprintf(rel, sizeof rel, ".schemerge/backups/%.16s-0/files/x.py", ids[0]);
    put(rel, "partial", 7);
    backup_info **v = NULL;
    size_t nv = 0;
    assert_int_equal(backup_list(&v, &nv, root, &err), 0);
    assert_int_equal(nv, 5);
    backup_list_free(v, nv);

    assert_int_equal(backup_delete(root, ids[2], &err), 0);
    assert_int_equal(backup_delete(root, ids[2], &err), ERR_NOT_FOUND);
    assert_non_null(strstr(err.what, ids[2]));
    assert_int_equal(backup_delete(root, "../../schemas", &err), ERR_NOT_FOUND);
    assert_true(fs_exists(P("schemas/enums.py")));
    assert_int_equal(backup_list(&v, &nv, root, &err), 0);
    assert_int_equal(nv, 4);
    backup_list_free(v, nv);

    assert_int_equal(backup_prune(root, 2, &err), 0);
    assert_int_equal(backup_list(&v, &nv, root, &err), 0);
    assert_int_equal(nv, 2);
    assert_string_equal(v[0]->id, ids[4]);
    assert_string_equal(v[1]->id, ids[3]);
    backup_list_free(v, nv);
    snprintf(rel, sizeof rel, ".schemerge/backups/%.16s-0", ids[0]);
    assert_false(fs_exists(P(rel)));
}

static void test_diff(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    put("schemas/enums.py", "A = 1\nB = 2\n", 12);
    backup_info *b = NULL;
    assert_int_equal(backup_create(&b, root, FILES, 3, "r", NULL, NULL, 0, 10, &err), 0);
    strbuf sb = STRBUF_INIT;
    strbuf_init(&sb);
    assert_int_equal(backup_diff(&sb, root, b->id, &err), 0);
    assert_int_equal(sb.len, 0); /* nothing changed since */
    put("schemas/enums.py", "A = 1\nB = 3\n", 12);
    put("schemas/schema_version.py", "V = 1\n", 6);
    assert_int_equal(backup_diff(&sb, root, b->id, &err), 0);
    const char *s = strbuf_str(&sb);
    assert_non_null(strstr(s, "--- a/schemas/enums.py"));
    assert_non_null(strstr(s, "-B = 2\n+B = 3\n"));
    assert_non_null(strstr(s, "+V = 1"));
    strbuf_release(&sb);
    backup_info_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_and_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_rotation_keeps_exactly_n, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses_damaged_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_prune_incomplete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
