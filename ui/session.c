/* session.c: the project as the UI holds it. The catalog is read by the loader thread
 * (loader.c) while the files are parsed here; it is installed when it arrives, and its
 * hash comes after it. The local files are watched (inotify on their directories) and
 * reloaded once the writes settle. Every recompute carries the accepted marks over by
 * change id. Applying a plan writes, reports and reloads. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "fsutil.h"
#include "load.h"
#include "render.h"
#include "rows.h"
#include "session.h"
#include "state.h"
#include "vcs.h"
#include "xalloc.h"

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Recompute the drift and carry the accepted marks (by change id) and the cursor over;
 * a->marks.dropped counts the marks whose change is gone. */
static int recompute(ui_app *a, sm_error *err)
{
    sm_project *p = a->p;
    char cur_id[9] = "";
    if (p->changes && a->nrows && a->rows[a->cur].kind == ROW_CHANGE)
        memcpy(cur_id, p->changes->items[a->rows[a->cur].change].id, sizeof cur_id);
    /* the old change set goes: its marks wait by id */
    review_marks_detach(&a->marks, p->changes);
    int error = 0;
    if (!p->db) {
        error = sm_error_set(err, ERR_GENERIC, NULL, "the database catalog is not loaded");
    } else {
        error = project_compute(p, err);
    }
    a->marks.dropped = 0;
    if (error >= 0)
        review_marks_attach(&a->marks, p->changes, p->files);
    sbs_clear(&a->sbs);
    a->nrows = 0;
    if (error >= 0) {
        rows_rebuild(a);
        for (size_t r = 0; cur_id[0] && r < a->nrows; r++) {
            if (a->rows[r].kind == ROW_CHANGE &&
                strcmp(p->changes->items[a->rows[r].change].id, cur_id) == 0) {
                a->cur = r;
                break;
            }
        }
    }
    a->dirty = true;
    return error;
}

/* ", 2 accepted changes are gone" after a reload that dropped marks, else "". */
static const char *dropped_note(const ui_app *a, char *buf, size_t size)
{
    buf[0] = '\0';
    if (a->marks.dropped)
        snprintf(buf, size, "; %zu accepted change%s no longer there: %s mark dropped", a->marks.dropped,
                 a->marks.dropped == 1 ? " is" : "s are", a->marks.dropped == 1 ? "its" : "their");
    return buf;
}

static void load_failed(ui_app *a, const sm_error *err)
{
    a->load = LOAD_FAILED;
    a->load_err = *err;
    /* the change list may borrow from files that are gone; the marks wait for it */
    review_marks_detach(&a->marks, a->p->changes);
    drift_free(a->p->changes);
    a->p->changes = NULL;
    a->nrows = 0;
    sbs_clear(&a->sbs);
    a->mode = MODE_CHANGES;
    a->dirty = true;
}

void session_reload_files(ui_app *a)
{
    sm_error err = SM_ERROR_INIT;
    if (project_load_files(a->p, &err) < 0 || project_load_state(a->p, &err) < 0) {
        load_failed(a, &err);
        return;
    }
    if (a->load == LOAD_RUNNING)
        return; /* the catalog is still on its way; compute when it arrives */
    if (!a->p->db || a->db_failed) {
        a->load = LOAD_FAILED;
        return;
    }
    if (recompute(a, &err) < 0) {
        load_failed(a, &err);
        return;
    }
    a->load = LOAD_READY;
}

void session_reload_all(ui_app *a)
{
    session_wait_hash(a);
    if (a->loader)
        return; /* already on its way */
    sm_error err = SM_ERROR_INIT;
    sm_project *p = a->p;
    /* the catalog read first, then the files are parsed here while it runs */
    if (loader_start(&a->loader, p, &err) < 0) {
        load_failed(a, &err);
        return;
    }
    a->load = LOAD_RUNNING;
    a->dirty = true;
    /* the files changed under the list: drop it until the catalog arrives (the marks wait) */
    review_marks_detach(&a->marks, p->changes);
    drift_free(p->changes);
    p->changes = NULL;
    a->nrows = 0;
    sbs_clear(&a->sbs);
    if (project_load_files(p, &err) < 0 || project_load_state(p, &err) < 0)
        load_failed(a, &err);
}

/* The files were parsed while the catalog was read (session_reload_all); when that failed,
 * try them again now that the catalog is here: an error that stays stays on screen (the
 * catalog is kept for when the files are fixed), one fixed meanwhile goes. */
static bool files_ok_now(ui_app *a)
{
    if (a->load != LOAD_FAILED)
        return true;
    sm_error err = SM_ERROR_INIT;
    if (project_load_files(a->p, &err) < 0 || project_load_state(a->p, &err) < 0) {
        load_failed(a, &err);
        return false;
    }
    return true;
}

/* Install the catalog (with its hash, or NULL: it comes later) and show its drift. */
static void install(ui_app *a, sm_catalog *cat, const char *hash)
{
    bool files_ok = files_ok_now(a);
    sm_error err = SM_ERROR_INIT;
    /* the change list borrows from the catalog: installing one drops it first */
    int rc = hash ? project_set_catalog(a->p, cat, hash, &err) : project_set_catalog_unhashed(a->p, cat, &err);
    if (rc < 0 || (files_ok && recompute(a, &err) < 0)) {
        load_failed(a, &err);
        return;
    }
    if (files_ok)
        a->load = LOAD_READY;
    char note[128];
    if (a->marks.dropped)
        app_message(a, false, "reloaded%s", dropped_note(a, note, sizeof note));
}

/* The catalog is read: the drift goes on screen now, with its hash when the last sync
 * recorded it, else while the worker computes it (project_set_catalog_unhashed). */
static void catalog_arrived(ui_app *a)
{
    sm_catalog *cat = NULL;
    char known_hash[SM_DB_HASH_LEN];
    sm_error err = SM_ERROR_INIT;
    if (loader_take_catalog(a->loader, &cat, known_hash, &err) < 0) {
        loader_finish(a->loader, NULL);
        a->loader = NULL;
        a->db_failed = true;
        load_failed(a, &err);
        return;
    }
    a->db_failed = false;
    a->loader_hashing = true;
    install(a, cat, known_hash[0] ? known_hash : NULL);
}

/* The hash is there (or waited for): the installed catalog's. Only once the catalog was
 * taken (loader_hashing). */
static void hash_arrived(ui_app *a)
{
    char hash[SM_DB_HASH_LEN];
    loader_finish(a->loader, hash);
    a->loader = NULL;
    a->loader_hashing = false;
    project_set_db_hash(a->p, hash);
}

void session_loader_readable(ui_app *a)
{
    switch (loader_read(a->loader)) {
    case LOADER_CATALOG: catalog_arrived(a); break;
    case LOADER_HASH: hash_arrived(a); break;
    case LOADER_NOTHING: break;
    }
}

void session_wait_hash(ui_app *a)
{
    /* a loader whose catalog is taken is only hashing; one still reading is left alone */
    if (a->loader && a->loader_hashing)
        hash_arrived(a);
}

/* ---------------------------------------------------------------- inotify */

/* Watch the directories of the local files, not the files: an editor (and schemerge
 * itself) replaces a file by renaming a new one over it, which a watch on the old
 * inode would never see. */
void session_watch_start(ui_app *a)
{
    a->inotify_fd = -1;
    const char *env = getenv("SCHEMERGE_UI_WATCH");
    if (env && strcmp(env, "0") == 0)
        return;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return;
    int watches = 0;
    for (int t = 0; t < TARGET_COUNT; t++) {
        char *path = project_path(a->p, a->p->paths[t]);
        char *slash = strrchr(path, '/');
        if (slash)
            *slash = '\0';
        if (inotify_add_watch(fd, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_CREATE) >= 0)
            watches++;
        free(path);
    }
    if (!watches) {
        close(fd);
        return;
    }
    a->inotify_fd = fd;
}

static bool is_watched_name(const ui_app *a, const char *name)
{
    for (int t = 0; t < TARGET_COUNT; t++) {
        const char *base = strrchr(a->p->paths[t], '/');
        base = base ? base + 1 : a->p->paths[t];
        if (strcmp(base, name) == 0)
            return true;
    }
    return false;
}

/* Whether any local file on disk differs from what is loaded: schemerge's own writes
 * (an apply, a restore) are reloaded by whoever wrote them, and must not be announced
 * as a change made elsewhere. */
static bool files_differ_on_disk(const ui_app *a)
{
    for (int t = 0; t < TARGET_COUNT; t++) {
        char *path = project_path(a->p, a->p->paths[t]);
        char *buf = NULL;
        size_t len = 0;
        sm_error err = SM_ERROR_INIT;
        int rc = fs_read_file(&buf, &len, path, &err);
        free(path);
        const py_file *f = a->p->files[t];
        bool differ = rc < 0 ? f != NULL : (!f || f->len != len || memcmp(f->text, buf, len) != 0);
        free(buf);
        if (differ)
            return true;
    }
    return false;
}

void session_watch_read(ui_app *a)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(a->inotify_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *q = buf; q < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)q;
            if (ev->len && is_watched_name(a, ev->name))
                /* an editor's save is several events: settle for 150 ms first */
                a->reload_due_ns = now_ns() + 150000000LL;
            q += sizeof *ev + ev->len;
        }
    }
}

void session_watch_tick(ui_app *a)
{
    if (!a->reload_due_ns || now_ns() < a->reload_due_ns)
        return;
    a->reload_due_ns = 0;
    if (a->load != LOAD_READY && a->load != LOAD_FAILED) {
        /* the catalog is on its way: look again once it is here */
        a->reload_due_ns = now_ns() + 200000000LL;
    } else if (!files_differ_on_disk(a)) {
        /* our own write, already reloaded */
    } else if (!a->views[a->mode]->holds_files) {
        session_reload_files(a);
        char note[128];
        if (a->load == LOAD_READY)
            app_message(a, false, "the local files changed on disk: reloaded%s",
                        dropped_note(a, note, sizeof note));
    } else {
        /* a dialog in the middle of something keeps its own view of the files */
        a->reload_due_ns = now_ns() + 500000000LL;
    }
}

void session_apply(ui_app *a, apply_plan *plan)
{
    sm_error err = SM_ERROR_INIT;
    apply_outcome out;
    memset(&out, 0, sizeof out);
    app_working(a, "working...");
    if (apply_plan_write(&out, plan, a->p, "ui apply", &err) < 0) {
        app_message(a, true, "%s%s%s%s", err.what, err.hint[0] ? " (" : "", err.hint, err.hint[0] ? ")" : "");
        apply_plan_free(plan);
        return;
    }
    size_t napplied = plan->napplied, nfailed = plan->nfailed;
    char failed[256] = "";
    if (nfailed) {
        strbuf t = STRBUF_INIT;
        if (plan->failed[0].change)
            render_change_title(&t, plan->failed[0].change);
        snprintf(failed, sizeof failed, "; %zu could not be applied (%s%s%s)", nfailed, t.buf ? t.buf : "",
                 t.len ? ": " : "", plan->failed[0].reason);
        strbuf_release(&t);
    }
    char msg[1024];
    if (out.nfiles_written) {
        /* the files by name, as the backup holds them: the count alone hides which */
        strbuf files = STRBUF_INIT;
        for (size_t i = 0; i < out.nfiles_written; i++)
            strbuf_addf(&files, "%s%s", i ? ", " : "", out.paths[i]);
        snprintf(msg, sizeof msg, "applied %zu change%s to %zu file%s, backup %s: %s%s", napplied,
                 napplied == 1 ? "" : "s", out.nfiles_written, out.nfiles_written == 1 ? "" : "s",
                 out.backup_id ? out.backup_id : "-", files.buf, failed);
        strbuf_release(&files);
    }
    else
        snprintf(msg, sizeof msg, "nothing written%s", failed);
    /* z undoes this apply: its backup holds the files as they were */
    free(a->undo_backup);
    a->undo_backup = out.backup_id ? xstrdup(out.backup_id) : NULL;
    apply_outcome_done(&out);
    apply_plan_free(plan);
    /* the applied changes are gone from the drift: forget them, and what was reviewed */
    review_marks_reset(&a->marks);
    a->mode = MODE_CHANGES;
    session_reload_files(a);
    app_message(a, nfailed > 0, "%s", msg);
}

void session_save_config(ui_app *a)
{
    sm_error err = SM_ERROR_INIT;
    sm_config *cfg = NULL;
    if (!a->pending_config)
        return;
    if (fs_write_atomic(a->pending_config_path, a->pending_config, a->pending_config_len, &err) < 0 ||
        settings_load(&cfg, a->p->root, a->opts->config, &err) < 0) {
        app_message(a, true, "%s", err.what);
        return;
    }
    project_set_config(a->p, cfg);
    session_reload_files(a);
    app_message(a, false, "%s (saved %s)", a->pending_what, cfg->path ? cfg->path : ".schemerge.json");
    session_forget_config(a);
}

void session_forget_config(ui_app *a)
{
    free(a->pending_config);
    free(a->pending_config_path);
    free(a->pending_what);
    a->pending_config = a->pending_config_path = a->pending_what = NULL;
    a->pending_config_len = 0;
}

void session_restore(ui_app *a, const char *id, const char *verb)
{
    app_working(a, "working...");
    backup_info *pre = NULL;
    sm_error err = SM_ERROR_INIT;
    if (backup_restore(&pre, a->p->root, id, a->p->config->max_backups, &err) < 0) {
        app_message(a, true, "%s", err.what);
        return;
    }
    char *pre_id = pre ? xstrdup(pre->id) : NULL;
    backup_info_free(pre);
    /* the files are not the last apply's any more: there is nothing left to undo */
    free(a->undo_backup);
    a->undo_backup = NULL;
    session_reload_files(a);
    app_message(a, false, "%s backup %s (the files before it are in backup %s)", verb, id, pre_id ? pre_id : "-");
    free(pre_id);
}

void session_want_quit(ui_app *a)
{
    size_t naccepted = 0;
    for (size_t i = 0; a->load == LOAD_READY && a->marks.accepted && i < a->p->changes->n; i++)
        naccepted += a->marks.accepted[i];
    if (naccepted) {
        char q[160];
        snprintf(q, sizeof q, "%zu accepted change%s not applied (w applies): quit anyway? (y/n)", naccepted,
                 naccepted == 1 ? " is" : "s are");
        app_ask(a, CONFIRM_QUIT, q);
        return;
    }
    if (a->load == LOAD_READY) {
        apply_record *rec = NULL;
        sm_error err = SM_ERROR_INIT;
        state_read_apply(&rec, a->p, &err);
        if (rec) {
            const char **paths = NULL;
            size_t n = app_schema_paths(a, &paths);
            bool dirty = false;
            vcs_paths_dirty(&dirty, a->p->root, paths, n, &err);
            free(paths);
            apply_record_free(rec);
            if (dirty) {
                app_ask(a, CONFIRM_QUIT, "applied changes are not committed (c commits): quit anyway? (y/n)");
                return;
            }
        }
    }
    a->quit = true;
}

void session_end(ui_app *a)
{
    /* a worker still reading is left behind; one hashing reads the catalog freed below,
     * so it is waited for (its hash is not needed any more) */
    if (a->loader && a->loader_hashing)
        loader_finish(a->loader, NULL);
    else if (a->loader)
        loader_abandon(a->loader);
    a->loader = NULL;
    if (a->inotify_fd >= 0)
        close(a->inotify_fd);
    a->inotify_fd = -1;
}
