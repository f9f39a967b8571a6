/* backup.c: create, list, verify, restore, delete and prune backups.
 *
 * All copies and the metadata go through fs_write_atomic, metadata last: a backup is
 * complete exactly when its metadata.json exists. Restoring verifies every hash before
 * writing anything, and first backs up what it is about to overwrite. */
#include "config.h"
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cJSON.h>

#include "fsutil.h"
#include "hash.h"
#include "jsonget.h"
#include "merge.h"
#include "writer.h"
#include "xalloc.h"

#define BACKUP_FORMAT 1
#define HINT_LIST "see the backups with: schemerge backup list"

/* ---------------------------------------------------------------- names and paths */

static char *backups_dir(const char *root)
{
    return fs_join(root, ".schemerge/backups");
}

/* IDs come from the command line: only the characters our own IDs use, so an ID can
 * never name a path outside the backups directory. */
static bool id_valid(const char *id)
{
    if (!id || strlen(id) < 16)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == 'T' || *p == 'Z' || *p == '-'))
            return false;
    return true;
}

static bool path_safe(const char *path)
{
    return fs_repo_path_refusal(path) == NULL;
}

/* Sort key of an ID: the timestamp, then the same-second sequence number (1 for none). */
static int id_compare(const char *a, const char *b)
{
    int c = strncmp(a, b, 16);
    if (c != 0)
        return c;
    long na = a[16] == '-' ? strtol(a + 17, NULL, 10) : 1;
    long nb = b[16] == '-' ? strtol(b + 17, NULL, 10) : 1;
    return (na > nb) - (na < nb);
}

static int id_compare_desc(const void *x, const void *y)
{
    return id_compare(*(char *const *)y, *(char *const *)x);
}

/* Every directory under backups/ whose name is a valid ID, newest first. */
static int scan_ids(char ***out, size_t *n, const char *root, sm_error *err)
{
    *out = NULL;
    *n = 0;
    char *dir = backups_dir(root);
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        free(dir);
        if (e == ENOENT)
            return 0;
        return sm_error_set(err, ERR_IO, NULL, "cannot read the backups in %s: %s", root, strerror(e));
    }
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!id_valid(de->d_name))
            continue;
        *XPUSH(*out, *n, cap) = xstrdup(de->d_name);
    }
    closedir(d);
    free(dir);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, id_compare_desc);
    return 0;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ---------------------------------------------------------------- info */

void backup_info_free(backup_info *b)
{
    if (!b)
        return;
    free(b->id);
    free(b->time);
    free(b->reason);
    free(b->db_hash);
    for (size_t i = 0; i < b->nfiles; i++)
        free(b->files[i].path);
    free(b->files);
    strv_free(b->changes, b->nchanges);
    free(b);
}

void backup_list_free(backup_info **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        backup_info_free(v[i]);
    free(v);
}

static char *metadata_json(const backup_info *b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "format", BACKUP_FORMAT);
    cJSON_AddStringToObject(o, "id", b->id);
    cJSON_AddStringToObject(o, "time", b->time);
    cJSON_AddStringToObject(o, "reason", b->reason);
    if (b->db_hash)
        cJSON_AddStringToObject(o, "db_hash", b->db_hash);
    else
        cJSON_AddNullToObject(o, "db_hash");
    cJSON *changes = cJSON_AddArrayToObject(o, "changes");
    for (size_t i = 0; i < b->nchanges; i++)
        cJSON_AddItemToArray(changes, cJSON_CreateString(b->changes[i]));
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (size_t i = 0; i < b->nfiles; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "path", b->files[i].path);
        cJSON_AddStringToObject(f, "sha256", b->files[i].sha256);
        cJSON_AddBoolToObject(f, "existed", b->files[i].existed);
        cJSON_AddItemToArray(files, f);
    }
    char *printed = cJSON_Print(o);
    cJSON_Delete(o);
    if (!printed)
        sm_fatal("out of memory");
    char *text = xasprintf("%s\n", printed);
    cJSON_free(printed);
    return text;
}

static int metadata_parse(backup_info **out, const char *text, const char *id, sm_error *err)
{
    cJSON *o = cJSON_Parse(text);
    backup_info *b = xcalloc(1, sizeof *b);
    int rc = 0;
    const char *why = NULL;
    if (!cJSON_IsObject(o)) {
        why = "it is not a JSON object";
        goto bad;
    }
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(o, "format");
    if (!cJSON_IsNumber(format) || format->valueint != BACKUP_FORMAT) {
        why = "unknown \"format\" (expected 1)";
        goto bad;
    }
    const char *mid = json_get_string(o, "id"), *time_s = json_get_string(o, "time"),
               *reason = json_get_string(o, "reason"), *hash = json_get_string(o, "db_hash");
    if (!mid || strcmp(mid, id) != 0 || !time_s || !reason) {
        why = "\"id\", \"time\" or \"reason\" is missing or wrong";
        goto bad;
    }
    b->id = xstrdup(id);
    b->time = xstrdup(time_s);
    b->reason = xstrdup(reason);
    b->db_hash = xstrdup(hash);
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(o, "changes");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(o, "files");
    if (!cJSON_IsArray(changes) || !cJSON_IsArray(files)) {
        why = "\"changes\" or \"files\" is not an array";
        goto bad;
    }
    size_t at, cap = 0;
    if (json_get_strings(changes, false, &b->changes, &b->nchanges, &at) < 0) {
        why = "a change id is not a string";
        goto bad;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, files) {
        const char *path = json_get_string(it, "path"), *sha = json_get_string(it, "sha256");
        const cJSON *existed = cJSON_GetObjectItemCaseSensitive(it, "existed");
        if (!path_safe(path) || !sha || !cJSON_IsBool(existed) ||
            strlen(sha) != (cJSON_IsTrue(existed) ? 64u : 0u)) {
            why = "a \"files\" entry is malformed or names an unsafe path";
            goto bad;
        }
        backup_file *f = XPUSH(b->files, b->nfiles, cap);
        f->path = xstrdup(path);
        snprintf(f->sha256, sizeof f->sha256, "%s", sha);
        f->existed = cJSON_IsTrue(existed);
    }
    cJSON_Delete(o);
    *out = b;
    return 0;
bad:
    rc = sm_error_set(err, ERR_BACKUP, "delete it with: schemerge backup delete ID",
                      "backup %s has a damaged metadata.json: %s", id, why);
    cJSON_Delete(o);
    backup_info_free(b);
    return rc;
}

int backup_load(backup_info **out, const char *root, const char *id, sm_error *err)
{
    *out = NULL;
    if (!id_valid(id))
        return sm_error_set(err, ERR_NOT_FOUND, HINT_LIST, "there is no backup %s", id ? id : "(null)");
    char *dir = backups_dir(root);
    char *path = xasprintf("%s/%s/metadata.json", dir, id);
    char *text = NULL;
    int rc = fs_read_file(&text, NULL, path, err);
    if (rc == ERR_NOT_FOUND)
        rc = sm_error_set(err, ERR_NOT_FOUND, HINT_LIST, "there is no backup %s", id);
    else if (rc == 0)
        rc = metadata_parse(out, text, id, err);
    free(text);
    free(path);
    free(dir);
    return rc;
}

int backup_list(backup_info ***out, size_t *n, const char *root, sm_error *err)
{
    *out = NULL;
    *n = 0;
    char **ids = NULL;
    size_t nids = 0;
    int rc = scan_ids(&ids, &nids, root, err);
    if (rc != 0)
        return rc;
    size_t cap = 0;
    for (size_t i = 0; i < nids; i++) {
        backup_info *b = NULL;
        sm_error ignored = SM_ERROR_INIT;
        /* incomplete (no metadata.json) or unreadable backups are not usable: leave
         * them out, backup_verify/backup_load name the problem when asked directly */
        if (backup_load(&b, root, ids[i], &ignored) == 0)
            *XPUSH(*out, *n, cap) = b;
    }
    strv_free(ids, nids);
    return 0;
}

/* ---------------------------------------------------------------- prune */

/* Remove all but the newest max complete backups; keep_a/keep_b (may be NULL) are never
 * removed. Incomplete backups older than the newest complete one are crash leftovers. */
static int prune_keep(const char *root, int max, const char *keep_a, const char *keep_b, sm_error *err)
{
    if (max < 1)
        max = 1;
    char **ids = NULL;
    size_t nids = 0;
    int rc = scan_ids(&ids, &nids, root, err);
    if (rc != 0)
        return rc;
    char *dir = backups_dir(root);
    int complete = 0;
    for (size_t i = 0; i < nids && rc == 0; i++) {
        char *meta = xasprintf("%s/%s/metadata.json", dir, ids[i]);
        bool is_complete = fs_exists(meta);
        free(meta);
        bool keep = (keep_a && strcmp(ids[i], keep_a) == 0) || (keep_b && strcmp(ids[i], keep_b) == 0);
        bool remove;
        if (is_complete)
            remove = ++complete > max;
        else
            remove = complete > 0;
        if (keep || !remove)
            continue;
        char *path = fs_join(dir, ids[i]);
        rc = fs_remove_tree(path, err);
        if (rc == ERR_NOT_FOUND)
            rc = 0; /* removed by someone else meanwhile: fine */
        free(path);
    }
    free(dir);
    strv_free(ids, nids);
    return rc;
}

int backup_prune(const char *root, int max_backups, sm_error *err)
{
    int rc = writer_lock(root, err);
    if (rc != 0)
        return rc;
    rc = prune_keep(root, max_backups, NULL, NULL, err);
    writer_unlock();
    return rc;
}

int backup_delete(const char *root, const char *id, sm_error *err)
{
    if (!id_valid(id))
        return sm_error_set(err, ERR_NOT_FOUND, HINT_LIST, "there is no backup %s", id ? id : "(null)");
    int rc = writer_lock(root, err);
    if (rc != 0)
        return rc;
    char *dir = backups_dir(root);
    char *path = fs_join(dir, id);
    rc = fs_remove_tree(path, err);
    if (rc == ERR_NOT_FOUND)
        sm_error_set(err, ERR_NOT_FOUND, HINT_LIST, "there is no backup %s", id);
    free(path);
    free(dir);
    writer_unlock();
    return rc;
}

/* ---------------------------------------------------------------- create */

/* Make the new backup directory: the first free ID of this second, after any existing
 * one of the same second, so IDs always sort in creation order. */
static int make_backup_dir(char **id_out, char **time_out, const char *root, sm_error *err)
{
    char *dir = backups_dir(root);
    char *state = fs_join(root, ".schemerge");
    int rc = fs_mkdir_p(state, 0700, err);
    if (rc == 0)
        rc = fs_mkdir_p(dir, 0700, err);
    free(state);
    if (rc != 0) {
        free(dir);
        return rc;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char base[32], iso[32];
    strftime(base, sizeof base, "%Y%m%dT%H%M%SZ", &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);

    char **ids = NULL;
    size_t nids = 0;
    long seq = 1;
    if ((rc = scan_ids(&ids, &nids, root, err)) != 0) {
        free(dir);
        return rc;
    }
    for (size_t i = 0; i < nids; i++) {
        if (strncmp(ids[i], base, 16) != 0)
            continue;
        long s = ids[i][16] == '-' ? strtol(ids[i] + 17, NULL, 10) : 1;
        if (s >= seq)
            seq = s + 1;
    }
    strv_free(ids, nids);

    for (int attempt = 0; attempt < 1000; attempt++, seq++) {
        char *id = seq == 1 ? xstrdup(base) : xasprintf("%s-%ld", base, seq);
        char *path = fs_join(dir, id);
        int r = mkdir(path, 0700);
        int e = errno;
        free(path);
        if (r == 0) {
            *id_out = id;
            *time_out = xstrdup(iso);
            free(dir);
            return 0;
        }
        free(id);
        if (e != EEXIST) {
            rc = sm_error_set(err, ERR_IO, NULL, "cannot create a backup in %s: %s", dir, strerror(e));
            free(dir);
            return rc;
        }
    }
    rc = sm_error_set(err, ERR_BACKUP, NULL, "cannot create a backup in %s: too many in one second", dir);
    free(dir);
    return rc;
}

static int create_keep(backup_info **out, const char *root, const char *const *paths, size_t npaths,
                       const char *reason, const char *db_hash, const char *const *change_ids,
                       size_t nchanges, int max_backups, const char *keep_also, sm_error *err)
{
    if (out)
        *out = NULL;
    for (size_t i = 0; i < npaths; i++)
        if (!path_safe(paths[i]))
            return sm_error_set(err, ERR_UNSAFE, "name files relative to the repository root",
                                "refusing to back up %s: not a path inside the repository", paths[i]);

    backup_info *b = xcalloc(1, sizeof *b);
    char *bdir = NULL, *dir = backups_dir(root);
    int rc = make_backup_dir(&b->id, &b->time, root, err);
    if (rc != 0)
        goto done;
    bdir = fs_join(dir, b->id);
    b->reason = xstrdup(reason ? reason : "");
    b->db_hash = xstrdup(db_hash);
    size_t cap = 0;
    for (size_t i = 0; i < nchanges; i++)
        *XPUSH(b->changes, b->nchanges, cap) = xstrdup(change_ids[i]);

    cap = 0;
    for (size_t i = 0; i < npaths && rc == 0; i++) {
        bool dup = false;
        for (size_t j = 0; j < b->nfiles; j++)
            dup |= strcmp(b->files[j].path, paths[i]) == 0;
        if (dup)
            continue;
        backup_file *f = XPUSH(b->files, b->nfiles, cap);
        memset(f, 0, sizeof *f);
        f->path = xstrdup(paths[i]);
        char *src = fs_join(root, paths[i]), *data = NULL;
        size_t len = 0;
        rc = fs_read_file(&data, &len, src, err);
        if (rc == ERR_NOT_FOUND) {
            rc = 0;
            f->existed = false;
        } else if (rc == 0) {
            f->existed = true;
            sha256_hex(f->sha256, data, len);
            char *dest = xasprintf("%s/files/%s", bdir, paths[i]);
            char *slash = strrchr(dest, '/');
            *slash = '\0';
            rc = fs_mkdir_p(dest, 0700, err);
            *slash = '/';
            if (rc == 0)
                rc = fs_write_atomic(dest, data, len, err);
            free(dest);
        }
        free(data);
        free(src);
    }
    if (rc == 0) {
        char *meta = xasprintf("%s/metadata.json", bdir);
        char *json = metadata_json(b);
        rc = fs_write_atomic(meta, json, strlen(json), err);
        free(json);
        free(meta);
    }
    if (rc != 0) {
        sm_error_prefix(err, "cannot create a backup");
        if (bdir)
            fs_remove_tree(bdir, NULL);
        goto done;
    }
    rc = prune_keep(root, max_backups, b->id, keep_also, err);
    if (rc != 0)
        sm_error_prefix(err, "backup %s was made, but rotating old backups failed", b->id);
done:
    free(bdir);
    free(dir);
    if (rc == 0 && out)
        *out = b;
    else
        backup_info_free(b);
    return rc;
}

int backup_create(backup_info **out, const char *root, const char *const *paths, size_t npaths,
                  const char *reason, const char *db_hash, const char *const *change_ids,
                  size_t nchanges, int max_backups, sm_error *err)
{
    return create_keep(out, root, paths, npaths, reason, db_hash, change_ids, nchanges,
                       max_backups, NULL, err);
}

/* ---------------------------------------------------------------- verify, restore, diff */

/* Read and check every saved copy of b; contents[i] is NULL for existed=false. */
static int read_copies(char ***contents_out, size_t **lens_out, const char *root,
                       const backup_info *b, sm_error *err)
{
    char **contents = xcalloc(b->nfiles ? b->nfiles : 1, sizeof *contents);
    size_t *lens = xcalloc(b->nfiles ? b->nfiles : 1, sizeof *lens);
    char *dir = backups_dir(root);
    int rc = 0;
    for (size_t i = 0; i < b->nfiles && rc == 0; i++) {
        const backup_file *f = &b->files[i];
        if (!f->existed)
            continue;
        char *path = xasprintf("%s/%s/files/%s", dir, b->id, f->path);
        sm_error read_err = SM_ERROR_INIT;
        int r = fs_read_file(&contents[i], &lens[i], path, &read_err);
        if (r == ERR_NOT_FOUND) {
            rc = sm_error_set(err, ERR_BACKUP, "restore another backup (schemerge backup list)",
                              "backup %s is damaged: its copy of %s is missing", b->id, f->path);
        } else if (r != 0) {
            rc = sm_error_set(err, ERR_BACKUP, NULL, "backup %s: cannot read its copy of %s: %s",
                              b->id, f->path, read_err.what);
        } else {
            char sha[65];
            sha256_hex(sha, contents[i], lens[i]);
            if (strcmp(sha, f->sha256) != 0)
                rc = sm_error_set(err, ERR_BACKUP, "restore another backup (schemerge backup list)",
                                  "backup %s is damaged: its copy of %s does not match the SHA-256 "
                                  "recorded in metadata.json", b->id, f->path);
        }
        free(path);
    }
    free(dir);
    if (rc != 0 || !contents_out) {
        for (size_t i = 0; i < b->nfiles; i++)
            free(contents[i]);
        free(contents);
        free(lens);
        if (lens_out)
            *lens_out = NULL;
        if (contents_out)
            *contents_out = NULL;
        return rc;
    }
    *contents_out = contents;
    *lens_out = lens;
    return 0;
}

int backup_verify(const char *root, const backup_info *b, sm_error *err)
{
    return read_copies(NULL, NULL, root, b, err);
}

static int restore_locked(backup_info **pre_out, const char *root, const char *id, int max_backups,
                          sm_error *err)
{
    backup_info *b = NULL, *pre = NULL;
    char **contents = NULL;
    size_t *lens = NULL;
    const char **paths = NULL;
    fs_txn *txn = NULL;
    int rc = backup_load(&b, root, id, err);
    if (rc != 0)
        return rc;
    if ((rc = read_copies(&contents, &lens, root, b, err)) != 0)
        goto done;
    /* as on apply: a destination that leads outside the repository is never written */
    for (size_t i = 0; i < b->nfiles && rc == 0; i++) {
        char *dest = fs_join(root, b->files[i].path);
        rc = fs_check_inside(root, dest, err);
        free(dest);
    }
    if (rc != 0)
        goto done;

    paths = xcalloc(b->nfiles ? b->nfiles : 1, sizeof *paths);
    for (size_t i = 0; i < b->nfiles; i++)
        paths[i] = b->files[i].path;
    char *reason = xasprintf("before restore of %s", id);
    rc = create_keep(&pre, root, paths, b->nfiles, reason, NULL, NULL, 0, max_backups, id, err);
    free(reason);
    if (rc != 0)
        goto done;

    /* every file staged first, then all put in place at once (fs_txn) */
    char *journal = writer_journal(root);
    txn = fs_txn_new(journal);
    free(journal);
    for (size_t i = 0; i < b->nfiles && rc == 0; i++) {
        char *dest = fs_join(root, b->files[i].path);
        if (b->files[i].existed) {
            char *slash = strrchr(dest, '/');
            *slash = '\0';
            rc = fs_mkdir_p(dest, 0755, err);
            *slash = '/';
            if (rc == 0)
                rc = fs_txn_write(txn, dest, contents[i], lens[i], err);
        } else {
            rc = fs_txn_remove(txn, dest, err);
        }
        free(dest);
    }
    if (rc == 0)
        rc = fs_txn_commit(txn, err);
    if (rc != 0 && err)
        snprintf(err->hint, sizeof err->hint,
                 "nothing was restored; the files as they are were saved in backup %s", pre->id);
done:
    fs_txn_free(txn);
    if (b)
        for (size_t i = 0; contents && i < b->nfiles; i++)
            free(contents[i]);
    free(contents);
    free(lens);
    free(paths);
    backup_info_free(b);
    if (rc == 0 && pre_out)
        *pre_out = pre;
    else
        backup_info_free(pre);
    return rc;
}

int backup_restore(backup_info **pre_restore_out, const char *root, const char *id,
                   int max_backups, sm_error *err)
{
    if (pre_restore_out)
        *pre_restore_out = NULL;
    int rc = writer_lock(root, err);
    if (rc != 0)
        return rc;
    rc = restore_locked(pre_restore_out, root, id, max_backups, err);
    writer_unlock();
    return rc;
}

int backup_diff(strbuf *out, const char *root, const char *id, sm_error *err)
{
    backup_info *b = NULL;
    char **contents = NULL;
    size_t *lens = NULL;
    int rc = backup_load(&b, root, id, err);
    if (rc != 0)
        return rc;
    if ((rc = read_copies(&contents, &lens, root, b, err)) != 0)
        goto done;
    for (size_t i = 0; i < b->nfiles && rc == 0; i++) {
        char *path = fs_join(root, b->files[i].path), *cur = NULL;
        size_t cur_len = 0;
        rc = fs_read_file(&cur, &cur_len, path, err);
        if (rc == ERR_NOT_FOUND)
            rc = 0;
        if (rc == 0)
            rc = diff_unified(out, b->files[i].path, contents[i], lens[i], b->files[i].path, cur,
                              cur_len, err);
        free(cur);
        free(path);
    }
done:
    for (size_t i = 0; contents && i < b->nfiles; i++)
        free(contents[i]);
    free(contents);
    free(lens);
    backup_info_free(b);
    return rc;
}
