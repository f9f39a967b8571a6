/* status.c: gathering and rendering `schemerge status`.
 *
 * JSON keys (format 1):
 *   format, schema_version, last_sync, recorded_hash, db_hash,
 *   database ("never synced" | "unchanged" | "changed"),
 *   changes {total, critical, high, medium, low},
 *   backups {count, newest: {id, time, reason} | null},
 *   files {state ("clean" | "dirty" | "not a git repository"), dirty: [paths]}
 * Absent values are null, never "" (a script can tell "never synced" from an empty
 * string). */
#include "config.h"
#include "status.h"

#include <cjson/cJSON.h>
#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "fsutil.h"
#include "pyparse.h"
#include "state.h"
#include "vcs.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const db_state_names[] = { "never synced", "unchanged", "changed" };
static const char *const files_state_names[] = { "clean", "dirty", "not a git repository" };

const char *status_db_state_name(status_db_state s)
{
    return s <= STATUS_DB_CHANGED ? db_state_names[s] : "unknown";
}

const char *status_files_state_name(status_files_state s)
{
    return s <= STATUS_FILES_NO_GIT ? files_state_names[s] : "unknown";
}

/* ------------------------------------------------------------------ collecting */


/* Whether root lies in a git work tree; libgit2 answers without running git. */
static bool in_git_repository(const char *root)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    int r = git_repository_open_ext(&repo, root, 0, NULL);
    bool yes = r == 0 && !git_repository_is_bare(repo);
    git_repository_free(repo);
    git_error_clear();
    git_libgit2_shutdown();
    return yes;
}

static int check_files(sm_status *s, const sm_project *p, sm_error *err)
{
    if (!in_git_repository(p->root)) {
        s->files_state = STATUS_FILES_NO_GIT;
        return 0;
    }
    const char *paths[TARGET_COUNT + 1];
    size_t n = 0;
    for (int t = 0; t < TARGET_COUNT; t++) {
        bool seen = false; /* one file may serve two roles */
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(paths[k], p->paths[t]) == 0;
        if (!seen)
            paths[n++] = p->paths[t];
    }
    paths[n++] = p->version_path;
    s->dirty = xcalloc(n, sizeof *s->dirty);
    for (size_t i = 0; i < n; i++) {
        bool dirty = false;
        int error = vcs_paths_dirty(&dirty, p->root, &paths[i], 1, err);
        if (error < 0)
            return error;
        if (dirty)
            s->dirty[s->ndirty++] = xstrdup(paths[i]);
    }
    s->files_state = s->ndirty ? STATUS_FILES_DIRTY : STATUS_FILES_CLEAN;
    return 0;
}

int status_collect(sm_status **out, const sm_project *p, sm_error *err)
{
    sm_status *s = xcalloc(1, sizeof *s);
    backup_info **backups = NULL;
    size_t nbackups = 0;
    int error;
    state_version v;
    if ((error = state_read_version(&v, p, err)) < 0)
        goto done;
    s->schema_version = v.schema_version;
    s->last_sync = v.last_sync;
    s->recorded_hash = v.db_hash;
    s->db_hash = xstrdup(project_db_hash(p));
    if (!s->recorded_hash)
        s->db_state = STATUS_DB_NEVER_SYNCED;
    else
        s->db_state = strcmp(s->recorded_hash, s->db_hash) == 0 ? STATUS_DB_UNCHANGED
                                                                 : STATUS_DB_CHANGED;
    if (p->changes) {
        s->nchanges = p->changes->n;
        memcpy(s->counts, p->changes->counts, sizeof s->counts);
    }
    if ((error = backup_list(&backups, &nbackups, p->root, err)) < 0)
        goto done;
    s->nbackups = nbackups;
    if (nbackups) { /* the list is newest first */
        s->newest_id = xstrdup(backups[0]->id);
        s->newest_time = xstrdup(backups[0]->time);
        s->newest_reason = xstrdup(backups[0]->reason);
    }
    error = check_files(s, p, err);
done:
    backup_list_free(backups, nbackups);
    if (error < 0) {
        status_free(s);
        return error;
    }
    *out = s;
    return 0;
}

void status_free(sm_status *s)
{
    if (!s)
        return;
    free(s->schema_version);
    free(s->last_sync);
    free(s->recorded_hash);
    free(s->db_hash);
    free(s->newest_id);
    free(s->newest_time);
    free(s->newest_reason);
    for (size_t i = 0; i < s->ndirty; i++)
        free(s->dirty[i]);
    free(s->dirty);
    free(s);
}

/* ------------------------------------------------------------------ rendering */

static void line(strbuf *out, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One "label: value" line; the value (texts from files and backups) escaped (utf8.h). */
static void line(strbuf *out, const char *label, const char *fmt, ...)
{
    strbuf_addf(out, "%-14s ", label);
    strbuf value = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&value, fmt, ap);
    va_end(ap);
    utf8_escape_unsafe(out, value.buf, value.len);
    strbuf_release(&value);
    strbuf_addch(out, '\n');
}

void status_render_text(strbuf *out, const sm_status *s)
{
    if (s->last_sync && s->schema_version)
        line(out, "last sync:", "%s (schema version %s)", s->last_sync, s->schema_version);
    else if (s->last_sync)
        line(out, "last sync:", "%s", s->last_sync);
    else
        line(out, "last sync:", "never (run 'schemerge update' to record one)");
    line(out, "recorded hash:", "%s", s->recorded_hash ? s->recorded_hash : "none");
    switch (s->db_state) {
    case STATUS_DB_NEVER_SYNCED:
        line(out, "database:", "never synced (now %s)", s->db_hash);
        break;
    case STATUS_DB_UNCHANGED:
        line(out, "database:", "unchanged since the last sync");
        break;
    case STATUS_DB_CHANGED:
        line(out, "database:", "changed since the last sync (now %s)", s->db_hash);
        break;
    }
    if (s->nchanges == 0) {
        line(out, "changes:", "none (in sync)");
    } else {
        strbuf parts = STRBUF_INIT;
        for (int sev = SEV_COUNT - 1; sev >= 0; sev--) {
            if (!s->counts[sev])
                continue;
            strbuf_addf(&parts, "%s%zu %s", parts.len ? ", " : "", s->counts[sev],
                        severity_name((sm_severity)sev));
        }
        line(out, "changes:", "%zu (%s)", s->nchanges, strbuf_str(&parts));
        strbuf_release(&parts);
    }
    if (s->nbackups)
        line(out, "backups:", "%zu, newest %s at %s (%s)", s->nbackups, s->newest_id,
             s->newest_time ? s->newest_time : "?", s->newest_reason ? s->newest_reason : "");
    else
        line(out, "backups:", "none");
    switch (s->files_state) {
    case STATUS_FILES_CLEAN:
        line(out, "schema files:", "no uncommitted edits");
        break;
    case STATUS_FILES_NO_GIT:
        line(out, "schema files:", "not a git repository");
        break;
    case STATUS_FILES_DIRTY: {
        strbuf list = STRBUF_INIT;
        for (size_t i = 0; i < s->ndirty; i++)
            strbuf_addf(&list, "%s%s", i ? ", " : "", s->dirty[i]);
        line(out, "schema files:", "uncommitted edits: %s", strbuf_str(&list));
        strbuf_release(&list);
        break;
    }
    }
}

static cJSON *string_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

void status_render_json(strbuf *out, const sm_status *s)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "format", 1);
    cJSON_AddItemToObject(root, "schema_version", string_or_null(s->schema_version));
    cJSON_AddItemToObject(root, "last_sync", string_or_null(s->last_sync));
    cJSON_AddItemToObject(root, "recorded_hash", string_or_null(s->recorded_hash));
    cJSON_AddItemToObject(root, "db_hash", string_or_null(s->db_hash));
    cJSON_AddStringToObject(root, "database", status_db_state_name(s->db_state));
    cJSON *changes = cJSON_AddObjectToObject(root, "changes");
    cJSON_AddNumberToObject(changes, "total", (double)s->nchanges);
    for (int sev = SEV_COUNT - 1; sev >= 0; sev--)
        cJSON_AddNumberToObject(changes, severity_name((sm_severity)sev), (double)s->counts[sev]);
    cJSON *backups = cJSON_AddObjectToObject(root, "backups");
    cJSON_AddNumberToObject(backups, "count", (double)s->nbackups);
    if (s->newest_id) {
        cJSON *newest = cJSON_AddObjectToObject(backups, "newest");
        cJSON_AddStringToObject(newest, "id", s->newest_id);
        cJSON_AddItemToObject(newest, "time", string_or_null(s->newest_time));
        cJSON_AddItemToObject(newest, "reason", string_or_null(s->newest_reason));
    } else {
        cJSON_AddNullToObject(backups, "newest");
    }
    cJSON *files = cJSON_AddObjectToObject(root, "files");
    cJSON_AddStringToObject(files, "state", status_files_state_name(s->files_state));
    cJSON *dirty = cJSON_AddArrayToObject(files, "dirty");
    for (size_t i = 0; i < s->ndirty; i++)
        cJSON_AddItemToArray(dirty, cJSON_CreateString(s->dirty[i]));
    char *text = cJSON_Print(root);
    strbuf_adds(out, text);
    strbuf_addch(out, '\n');
    cJSON_free(text);
    cJSON_Delete(root);
}
