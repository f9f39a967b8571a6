/* state.c: schema_version.py, the last-sync snapshot and the apply record. They are
 * staged in the caller's transaction (fs_txn), so that they change together with the
 * schema files or not at all; none is written when its content would not change, so a
 * repeated run leaves `git status` clean. */
#include "config.h"
#include "state.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "jsonget.h"
#include "pylex.h"
#include "pyparse.h"
#include "render.h"
#include "snapshot.h"
#include "strbuf.h"
#include "writer.h"
#include "xalloc.h"

int state_ensure_dir(const sm_project *p, sm_error *err)
{
    char *dir = project_path(p, SM_STATE_DIR);
    char *ignore = project_path(p, SM_STATE_DIR "/.gitignore");
    int error = fs_mkdir_p(dir, 0700, err);
    if (error >= 0 && !fs_exists(ignore)) {
        static const char text[] = "# written by schemerge: backups and sync state stay out of git\n*\n";
        error = fs_write_atomic(ignore, text, sizeof text - 1, err);
    }
    free(ignore);
    free(dir);
    return error < 0 ? error : 0;
}

/* One logical line's tokens are kept as they come: the longest statement of interest is
 * NAME ':' NAME '=' STRING..., and anything longer is simply not an assignment we read. */
#define LINE_TOKENS 64

static bool tok_is(const char *text, const lx_token *t, lx_type type, const char *s)
{
    size_t n = strlen(s);
    return t->type == type && t->end - t->start == n && memcmp(text + t->start, s, n) == 0;
}

/* The decoded value of a line `name [: annotation] = STRING [STRING...]`, else NULL. */
static char *line_value(const char *text, const lx_token *toks, size_t n, const char *name)
{
    if (n < 3 || !tok_is(text, &toks[0], LX_NAME, name))
        return NULL;
    size_t i = 1;
    if (tok_is(text, &toks[i], LX_OP, ":")) {
        while (i < n && !tok_is(text, &toks[i], LX_OP, "="))
            i++;
    }
    if (i >= n || !tok_is(text, &toks[i], LX_OP, "="))
        return NULL;
    i++;
    if (i >= n)
        return NULL;
    strbuf value = STRBUF_INIT;
    for (; i < n; i++) {
        if (toks[i].type != LX_STRING || toks[i].str_bytes || toks[i].str_f) {
            strbuf_release(&value);
            return NULL;
        }
        char *part = py_string_decode(text + toks[i].start, toks[i].end - toks[i].start);
        if (!part) {
            strbuf_release(&value);
            return NULL;
        }
        strbuf_adds(&value, part);
        free(part);
    }
    return strbuf_detach(&value, NULL);
}

int state_read_py_string(char **out, const char *text, size_t len, const char *path,
                         const char *name, sm_error *err)
{
    *out = NULL;
    lexer lx;
    lexer_init(&lx, path, text, len);
    lx_token toks[LINE_TOKENS];
    size_t n = 0;
    bool overflow = false;
    int depth = 0, error = 0;
    for (;;) {
        lx_token t;
        if ((error = lexer_next(&lx, &t, err)) < 0)
            break;
        if (t.type == LX_END)
            break;
        if (t.type == LX_INDENT) {
            depth++;
            continue;
        }
        if (t.type == LX_DEDENT) {
            depth--;
            continue;
        }
        if (t.type == LX_NEWLINE) {
            if (depth == 0 && !overflow && !*out)
                *out = line_value(text, toks, n, name);
            n = 0;
            overflow = false;
            continue;
        }
        if (n < LINE_TOKENS)
            toks[n++] = t;
        else
            overflow = true;
    }
    lexer_done(&lx);
    if (error < 0) {
        free(*out);
        *out = NULL;
        return error;
    }
    return 0;
}

void state_version_done(state_version *v)
{
    free(v->db_hash);
    free(v->schema_version);
    free(v->last_sync);
    memset(v, 0, sizeof *v);
}

int state_read_version(state_version *out, const sm_project *p, sm_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = project_path(p, p->version_path), *text = NULL;
    size_t len = 0;
    int error = fs_read_file(&text, &len, path, err);
    free(path);
    if (error == ERR_NOT_FOUND) {
        sm_error_clear(err);
        return 0;
    }
    if (error < 0)
        return error;
    const char *name = p->version_path;
    if ((error = state_read_py_string(&out->db_hash, text, len, name, "DB_HASH", err)) >= 0 &&
        (error = state_read_py_string(&out->schema_version, text, len, name, "SCHEMA_VERSION", err)) >= 0)
        error = state_read_py_string(&out->last_sync, text, len, name, "LAST_SYNC", err);
    free(text);
    if (error < 0) {
        state_version_done(out);
        return error;
    }
    if (out->db_hash && strncmp(out->db_hash, "sha256:", 7) != 0) {
        /* the seed tool recorded the bare hex digest */
        char *prefixed = xasprintf("sha256:%s", out->db_hash);
        free(out->db_hash);
        out->db_hash = prefixed;
    }
    return 0;
}

int state_recorded_hash(char **out, const sm_project *p, sm_error *err)
{
    state_version v;
    int error = state_read_version(&v, p, err);
    *out = NULL;
    if (error < 0)
        return error;
    *out = v.db_hash;
    v.db_hash = NULL;
    state_version_done(&v);
    return 0;
}

/* The current UTC time: "2026-11-22" (date_only) or "2026-11-22T01:09:45Z". */
static void utc_now(char buf[32], bool date_only)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    if (date_only)
        strftime(buf, 32, "%Y-%m-%d", &tm);
    else
        strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The text of .schemerge/last-sync.hash, NULL when it cannot be read. */
static char *read_hash_file(const sm_project *p)
{
    char *path = project_path(p, SM_LAST_SYNC_HASH_FILE), *text = NULL;
    size_t len = 0;
    if (fs_read_file(&text, &len, path, NULL) != 0)
        text = NULL;
    free(path);
    return text;
}

bool state_last_sync_hashes(const sm_project *p, char hash[SM_DB_HASH_LEN], char read_digest[SM_SHA256_HEX_LEN + 1])
{
    char *text = read_hash_file(p);
    bool found = false;
    hash[0] = read_digest[0] = '\0';
    if (text) {
        char *nl = strchr(text, '\n');
        if (nl)
            *nl = '\0';
        size_t n = strcspn(text, "\r");
        if (n > 0 && n < SM_DB_HASH_LEN) {
            memcpy(hash, text, n);
            hash[n] = '\0';
            found = true;
        }
        const char *second = nl ? nl + 1 : "";
        if (found && strncmp(second, "read ", 5) == 0 && strspn(second + 5, "0123456789abcdef") == SM_SHA256_HEX_LEN) {
            memcpy(read_digest, second + 5, SM_SHA256_HEX_LEN);
            read_digest[SM_SHA256_HEX_LEN] = '\0';
        }
    }
    free(text);
    return found;
}

char *state_last_sync_index(const sm_project *p)
{
    char *text = read_hash_file(p), *index = NULL;
    const char *at = text ? strstr(text, "\nindex ") : NULL;
    if (at)
        index = xstrdup(at + 1);
    free(text);
    return index;
}

bool state_last_sync_current(const sm_project *p)
{
    char hash[SM_DB_HASH_LEN], digest[SM_SHA256_HEX_LEN + 1];
    return state_last_sync_hashes(p, hash, digest) && strcmp(hash, p->db_hash) == 0;
}

/* last-sync.hash: the DB hash of last-sync.json, and what the catalog was read as, so
 * that the next read of the same catalog need not compute its hash
 * (state_last_sync_hashes). It is staged in the same transaction as last-sync.json, so
 * the two always agree. */
static int stage_last_sync_hash(const sm_project *p, const char *index, fs_txn *txn, sm_error *err)
{
    char *path = project_path(p, SM_LAST_SYNC_HASH_FILE);
    strbuf text = STRBUF_INIT;
    strbuf_addf(&text, "%s\n", project_db_hash(p));
    if (p->db->read_digest)
        strbuf_addf(&text, "read %s\n", p->db->read_digest);
    if (index)
        strbuf_adds(&text, index);
    int error = fs_txn_write(txn, path, text.buf, text.len, err);
    strbuf_release(&text);
    free(path);
    return error;
}

typedef struct last_sync_fill {
    const sm_catalog *cat;
    strbuf *index;
    const char *path;
} last_sync_fill;

/* The snapshot streamed into the staged file (42 MB at 5,000 tables, never in memory
 * whole), its index kept for last-sync.hash. */
static int fill_last_sync(int fd, void *payload, sm_error *err)
{
    last_sync_fill *f = payload;
    return snapshot_write_fd(fd, f->cat, f->index, f->path, err);
}

static int stage_last_sync(const sm_project *p, fs_txn *txn, sm_error *err)
{
    int error = state_ensure_dir(p, err);
    char *snap_path = project_path(p, SM_LAST_SYNC_FILE);
    if (error >= 0) {
        strbuf index = STRBUF_INIT;
        last_sync_fill fill = { p->db, &index, SM_LAST_SYNC_FILE };
        error = fs_txn_write_with(txn, snap_path, fill_last_sync, &fill, err);
        if (error >= 0)
            error = stage_last_sync_hash(p, index.buf, txn, err);
        strbuf_release(&index);
    }
    free(snap_path);
    return error;
}

static int stage_version_file(const sm_project *p, size_t differences, fs_txn *txn, sm_error *err)
{
    char date[32], stamp[32];
    utc_now(date, true);
    utc_now(stamp, false);
    strbuf py = STRBUF_INIT;
    strbuf_addf(&py,
                "\"\"\"Schema version tracking, written by schemerge on each sync. Do not edit.\"\"\"\n"
                "\n"
                "SCHEMA_VERSION = \"%s\"\n"
                "LAST_SYNC = \"%s\"\n"
                "DB_HASH = \"%s\"\n"
                "TABLES_COUNT = %zu\n"
                "ENUMS_COUNT = %zu\n"
                "LAST_SYNC_DIFFERENCES = %zu\n",
                date, stamp, project_db_hash(p), p->db->ntables, p->db->nenums, differences);
    char *py_path = project_path(p, p->version_path);
    char *dir = xstrdup(py_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int error = fs_mkdir_p(dir, 0755, err);
    free(dir);
    if (error >= 0)
        error = fs_txn_write(txn, py_path, py.buf, py.len, err);
    strbuf_release(&py);
    free(py_path);
    return error;
}

int state_would_update(bool *yes, const sm_project *p, bool force, sm_error *err)
{
    *yes = true;
    if (force)
        return 0;
    char *recorded = NULL;
    int error = state_recorded_hash(&recorded, p, err);
    if (error < 0)
        return error;
    /* both records must agree with the database: a crash between them is repaired here */
    *yes = !(recorded && strcmp(recorded, project_db_hash(p)) == 0 && state_last_sync_current(p));
    free(recorded);
    return 0;
}

int state_update(bool *written, const sm_project *p, size_t differences, bool force, fs_txn *txn,
                 sm_error *err)
{
    *written = false;
    bool update;
    int error = state_would_update(&update, p, force, err);
    if (error < 0)
        return error;
    fs_txn *own = NULL;
    if (!txn) {
        char *journal = writer_journal(p->root);
        txn = own = fs_txn_new(journal);
        free(journal);
    }
    if (!update) {
        /* in sync; a read digest not recorded yet (a state from before digests) is added,
         * which needs no new snapshot: the snapshot is this catalog */
        char hash[SM_DB_HASH_LEN], digest[SM_SHA256_HEX_LEN + 1];
        if (p->db->read_digest && state_last_sync_hashes(p, hash, digest) &&
            strcmp(digest, p->db->read_digest) != 0) {
            char *index = state_last_sync_index(p); /* the snapshot stays: so does its index */
            error = stage_last_sync_hash(p, index, txn, err);
            free(index);
        }
    } else {
        error = stage_last_sync(p, txn, err);
        if (error >= 0)
            error = stage_version_file(p, differences, txn, err);
        if (error >= 0)
            *written = true;
    }
    if (error >= 0 && own)
        error = fs_txn_commit(own, err);
    fs_txn_free(own);
    if (error < 0)
        *written = false;
    return error < 0 ? error : 0;
}

/* ------------------------------------------------------------------ apply record */

void apply_record_free(apply_record *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nentries; i++) {
        apply_entry *e = &r->entries[i];
        free(e->id);
        free(e->kind);
        free(e->class_name);
        free(e->member);
        free(e->title);
    }
    free(r->entries);
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
    free(r->db_hash);
    free(r->time);
    free(r->backup_id);
    free(r);
}

int state_read_apply(apply_record **out, const sm_project *p, sm_error *err)
{
    *out = NULL;
    char *path = project_path(p, SM_LAST_APPLY_FILE), *text = NULL;
    size_t len = 0;
    int error = fs_read_file(&text, &len, path, err);
    if (error == ERR_NOT_FOUND) {
        sm_error_clear(err);
        free(path);
        return 0;
    }
    if (error < 0) {
        free(path);
        return error;
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        error = sm_error_set(err, ERR_IO, "delete it; the next apply writes a new one",
                             "%s is damaged", SM_LAST_APPLY_FILE);
        free(path);
        return error;
    }
    free(path);
    apply_record *r = xcalloc(1, sizeof *r);
    r->db_hash = xstrdup(json_get_string(root, "db_hash"));
    r->time = xstrdup(json_get_string(root, "time"));
    r->backup_id = xstrdup(json_get_string(root, "backup"));
    const cJSON *item;
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(root, "changes");
    size_t n = (size_t)cJSON_GetArraySize(changes);
    r->entries = xcalloc(n + 1, sizeof *r->entries);
    cJSON_ArrayForEach(item, changes)
    {
        apply_entry *e = &r->entries[r->nentries++];
        e->id = xstrdup(json_get_string(item, "id"));
        e->kind = xstrdup(json_get_string(item, "kind"));
        e->class_name = xstrdup(json_get_string(item, "class"));
        e->member = xstrdup(json_get_string(item, "member"));
        e->title = xstrdup(json_get_string(item, "title"));
        if (!e->kind || !e->class_name || !e->title) {
            cJSON_Delete(root);
            apply_record_free(r);
            return sm_error_set(err, ERR_IO, "delete it; the next apply writes a new one",
                                "%s is damaged", SM_LAST_APPLY_FILE);
        }
    }
    size_t at;
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
    if (files && json_get_strings(files, true, &r->files, &r->nfiles, &at) < 0) {
        cJSON_Delete(root);
        apply_record_free(r);
        return sm_error_set(err, ERR_IO, "delete it; the next apply writes a new one",
                            "%s is damaged: \"files\" is not a list of paths", SM_LAST_APPLY_FILE);
    }
    cJSON_Delete(root);
    *out = r;
    return 0;
}

static bool has_string(const cJSON *array, const char *s)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, array)
    {
        if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
            return true;
    }
    return false;
}

int state_record_apply(const sm_project *p, const sm_change *const *changes, size_t n,
                       const char *const *files, size_t nfiles, const char *backup_id, fs_txn *txn,
                       sm_error *err)
{
    char *path = project_path(p, SM_LAST_APPLY_FILE), *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    if (fs_read_file(&text, &len, path, NULL) == 0) {
        root = cJSON_ParseWithLength(text, len);
        free(text);
        if (!cJSON_IsObject(root)) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    if (!root)
        root = cJSON_CreateObject();
    char stamp[32];
    utc_now(stamp, false);
    cJSON_DeleteItemFromObjectCaseSensitive(root, "db_hash");
    cJSON_AddStringToObject(root, "db_hash", project_db_hash(p));
    cJSON_DeleteItemFromObjectCaseSensitive(root, "time");
    cJSON_AddStringToObject(root, "time", stamp);
    if (backup_id) {
        cJSON_DeleteItemFromObjectCaseSensitive(root, "backup");
        cJSON_AddStringToObject(root, "backup", backup_id);
    }
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "changes");
    if (!cJSON_IsArray(arr)) {
        cJSON_DeleteItemFromObjectCaseSensitive(root, "changes");
        arr = cJSON_AddArrayToObject(root, "changes");
    }
    for (size_t i = 0; i < n; i++) {
        const sm_change *c = changes[i];
        cJSON *o = cJSON_CreateObject();
        strbuf title = STRBUF_INIT;
        render_change_title(&title, c);
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "kind", change_kind_name(c->kind));
        cJSON_AddStringToObject(o, "class", c->class_name);
        if (c->member)
            cJSON_AddStringToObject(o, "member", c->member);
        cJSON_AddStringToObject(o, "title", title.buf);
        strbuf_release(&title);
        cJSON_AddItemToArray(arr, o);
    }
    cJSON *farr = cJSON_GetObjectItemCaseSensitive(root, "files");
    if (!cJSON_IsArray(farr)) {
        cJSON_DeleteItemFromObjectCaseSensitive(root, "files");
        farr = cJSON_AddArrayToObject(root, "files");
    }
    for (size_t i = 0; i < nfiles; i++)
        if (!has_string(farr, files[i]))
            cJSON_AddItemToArray(farr, cJSON_CreateString(files[i]));
    char *json = cJSON_Print(root);
    cJSON_Delete(root);
    int error = state_ensure_dir(p, err);
    if (error >= 0)
        error = fs_txn_write(txn, path, json, strlen(json), err);
    cJSON_free(json);
    free(path);
    return error < 0 ? error : 0;
}

int state_clear_apply(const sm_project *p, sm_error *err)
{
    char *path = project_path(p, SM_LAST_APPLY_FILE);
    int error = fs_exists(path) ? fs_remove_file(path, err) : 0;
    free(path);
    return error;
}
