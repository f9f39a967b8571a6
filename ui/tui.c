/* tui.c: the interactive UI's entry point (cmd_ui) and its loop: the terminal (setup,
 * restore on every exit path, resize), the sources the loop waits on (keyboard with a
 * 100 ms timeout, the catalog loader's pipe, inotify on the local files), and drawing
 * the top view once per pass with one doupdate.
 *
 * It decides nothing about schemas: loading, drift, apply, backups and commits are
 * calls into src/. Views live in view_*.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "catalog.h"
#include "draw.h"
#include "fsutil.h"
#include "render.h"
#include "snapshot.h"
#include "state.h"
#include "textwidth.h"
#include "vcs.h"
#include "xalloc.h"

#define KEY_ESCAPE 27

/* Set by the signal handler, read by the loop: the handler does nothing else. */
static volatile sig_atomic_t got_signal;
/* The terminal's stderr while curses owns the screen (stderr itself goes to
 * /dev/null then, so that no library message can scribble on the screen). */
static int saved_stderr = -1;
static bool curses_on;
static pthread_t main_thread;

static void on_signal(int sig)
{
    got_signal = sig;
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int app_saved_stderr(void)
{
    return saved_stderr;
}

static void stderr_restore(void)
{
    if (saved_stderr >= 0) {
        dup2(saved_stderr, STDERR_FILENO);
        close(saved_stderr);
        saved_stderr = -1;
    }
}

/* The keyboard is read without blocking, at the file level too. ncurses decodes a mouse
 * report or an escape sequence with reads of its own, and one that waits for bytes that
 * never come would block the whole loop (seen: a click while the catalog loaded kept the
 * UI on "Loading" for good, its result waiting in the pipe). With O_NONBLOCK such a read
 * returns at once and the loop goes on. The flag is the shell's too (one open terminal),
 * so it is set only while curses owns the screen. */
static int stdin_flags = -1;

static void stdin_nonblocking(bool on)
{
    if (on) {
        int fl = fcntl(STDIN_FILENO, F_GETFL);
        if (fl >= 0 && fcntl(STDIN_FILENO, F_SETFL, fl | O_NONBLOCK) == 0)
            stdin_flags = fl;
    } else if (stdin_flags >= 0) {
        fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
        stdin_flags = -1;
    }
}

static void terminal_restore(void)
{
    stdin_nonblocking(false);
    if (curses_on) {
        endwin();
        curses_on = false;
    }
    stderr_restore();
}

/* sm_fatal's hook: the terminal comes back before the process aborts, and the message
 * goes to the real stderr. */
static void fatal_hook(const char *message)
{
    /* curses belongs to the main thread: the loader thread may fail too (out of memory),
     * and then only says so on the terminal's stderr before the process aborts */
    if (pthread_equal(pthread_self(), main_thread)) {
        terminal_restore();
        fprintf(stderr, "schemerge: %s\n", message);
    } else if (saved_stderr >= 0) {
        dprintf(saved_stderr, "schemerge: %s\n", message);
    }
}

/* ---------------------------------------------------------------- messages */

void app_message(ui_app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_error = error;
    a->dirty = true;
}

static void draw_message_row(ui_app *a)
{
    WINDOW *w = a->w_msg;
    werase(w);
    if (a->searching) {
        strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "/%s", strbuf_str(&a->search_input));
        draw_text(w, 0, 0, a->lay.message.w, sb.buf, theme_attr(ROLE_MESSAGE), 1);
        strbuf_release(&sb);
    } else if (a->confirm != CONFIRM_NONE) {
        draw_text(w, 0, 0, a->lay.message.w, a->confirm_text, theme_attr(ROLE_MESSAGE), 1);
    } else if (a->message[0]) {
        draw_text(w, 0, 0, a->lay.message.w, a->message,
                  theme_attr(a->message_error ? ROLE_ERROR : ROLE_MESSAGE), 1);
    }
    wnoutrefresh(w);
}

void app_working(ui_app *a, const char *text)
{
    app_message(a, false, "%s", text ? text : "working...");
    if (!a->too_small && a->w_msg) {
        draw_message_row(a);
        doupdate();
    }
}

static int footer_item_width(const keymap_entry *e)
{
    return text_width(e->label, strlen(e->label)) + 1 + (int)strlen(e->footer);
}

/* Draw one label and remember where it went: a click on it runs its first key. */
static int footer_item(ui_app *a, int x, int width, const keymap_entry *e)
{
    WINDOW *w = a->w_footer;
    if (x)
        x += draw_text(w, 0, x, width - x, "  ", theme_attr(ROLE_FOOTER), 0);
    int start = x;
    x += draw_text(w, 0, x, width - x, e->label, theme_attr(ROLE_KEY), 0);
    x += draw_text(w, 0, x, width - x, " ", theme_attr(ROLE_FOOTER), 0);
    x += draw_text(w, 0, x, width - x, e->footer, theme_attr(ROLE_FOOTER), 0);
    if (a->nfooter < sizeof a->footer_spans / sizeof *a->footer_spans) {
        a->footer_spans[a->nfooter] = (ui_span){ a->lay.footer.x + start, x - start };
        a->footer_keys[a->nfooter++] = e->keys[0];
    }
    return x;
}

/* The footer shows the scope's entries in table order; when they do not all fit, the
 * ones that do not are left out whole (never cut in the middle), but help and quit
 * (or close/cancel) always stay, at the end. */
void app_draw_footer(ui_app *a, ui_scope scope)
{
    WINDOW *w = a->w_footer;
    werase(w);
    size_t n;
    const keymap_entry *e = keymap_entries(&n);
    int width = a->lay.footer.w;
    int tail = 0;
    a->nfooter = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].scope == scope && e[i].footer &&
            (e[i].action == ACT_HELP || e[i].action == ACT_QUIT || e[i].action == ACT_CLOSE))
            tail += footer_item_width(&e[i]) + 2;
    int x = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            if (e[i].scope != scope || !e[i].footer)
                continue;
            bool is_tail = e[i].action == ACT_HELP || e[i].action == ACT_QUIT || e[i].action == ACT_CLOSE;
            if (is_tail != (pass == 1))
                continue;
            int need = footer_item_width(&e[i]) + (x ? 2 : 0);
            if (!is_tail && x + need + tail > width)
                continue;
            x = footer_item(a, x, width, &e[i]);
        }
    }
    wnoutrefresh(w);
}

void app_body_frame(ui_app *a, const char *title)
{
    WINDOW *w = a->w_body;
    werase(w);
    draw_text(w, 0, 0, a->lay.body.w, title, theme_attr(ROLE_TITLE_FOCUS), 1);
}

/* ---------------------------------------------------------------- loading */

/* Keep the ids of the accepted changes before the change list goes (a reload, a file
 * that does not parse): recompute marks them again when it comes back. */
static void remember_marks(ui_app *a)
{
    const sm_changeset *cs = a->p->changes;
    for (size_t i = 0; cs && a->accepted && i < cs->n; i++) {
        if (!a->accepted[i])
            continue;
        bool dup = false;
        for (size_t k = 0; k < a->nkept && !dup; k++)
            dup = strcmp(a->kept_ids[k], cs->items[i].id) == 0;
        if (!dup)
            *XPUSH(a->kept_ids, a->nkept, a->cap_kept) = xstrdup(cs->items[i].id);
    }
}

/* Recompute the drift and carry the accepted marks (by change id) and the cursor over;
 * a->marks_dropped counts the marks whose change is gone. */
static int recompute(ui_app *a, sm_error *err)
{
    sm_project *p = a->p;
    char cur_id[9] = "";
    remember_marks(a);
    if (p->changes && a->nrows && a->rows[a->cur].kind == ROW_CHANGE)
        memcpy(cur_id, p->changes->items[a->rows[a->cur].change].id, sizeof cur_id);
    int error = 0;
    if (!p->db) {
        error = sm_error_set(err, ERR_GENERIC, NULL, "the database catalog is not loaded");
    } else {
        error = project_compute(p, err);
    }
    free(a->accepted);
    a->accepted = NULL;
    a->marks_dropped = 0;
    if (error >= 0) {
        a->accepted = xcalloc(p->changes->n + 1, sizeof *a->accepted);
        for (size_t k = 0; k < a->nkept; k++) {
            bool found = false;
            for (size_t i = 0; i < p->changes->n; i++)
                if (strcmp(p->changes->items[i].id, a->kept_ids[k]) == 0)
                    a->accepted[i] = found = true;
            a->marks_dropped += !found;
        }
        for (size_t k = 0; k < a->nkept; k++)
            free(a->kept_ids[k]);
        a->nkept = 0;
        app_review_sync(a);
    }
    sbs_clear(&a->sbs);
    a->nrows = 0;
    if (error >= 0) {
        changes_rebuild(a);
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
    if (a->marks_dropped)
        snprintf(buf, size, "; %zu accepted change%s no longer there: %s mark dropped", a->marks_dropped,
                 a->marks_dropped == 1 ? " is" : "s are", a->marks_dropped == 1 ? "its" : "their");
    return buf;
}

void app_review_clear(ui_app *a)
{
    for (int t = 0; t < TARGET_COUNT; t++) {
        free(a->reviewed[t]);
        a->reviewed[t] = NULL;
        a->reviewed_len[t] = 0;
    }
}

void app_review_sync(ui_app *a)
{
    const sm_changeset *cs = a->p->changes;
    if (!cs || !a->accepted)
        return;
    for (int t = 0; t < TARGET_COUNT; t++) {
        bool marked = false;
        for (size_t i = 0; i < cs->n && !marked; i++)
            marked = a->accepted[i] && cs->items[i].target == (sm_target)t;
        if (!marked) {
            free(a->reviewed[t]);
            a->reviewed[t] = NULL;
            a->reviewed_len[t] = 0;
        } else if (!a->reviewed[t]) {
            const py_file *f = a->p->files[t];
            a->reviewed[t] = f ? xstrndup(f->text, f->len) : xstrdup("");
            a->reviewed_len[t] = f ? f->len : 0;
        }
    }
}

int app_plan_build(ui_app *a, apply_plan **out, size_t *count, sm_error *err)
{
    const sm_changeset *cs = a->p->changes;
    bool *sel = xcalloc(cs->n + 1, sizeof *sel);
    const char **ids = xcalloc(cs->n + 1, sizeof *ids);
    *count = 0;
    for (size_t i = 0; i < cs->n; i++)
        if ((sel[i] = a->accepted[i]))
            ids[(*count)++] = cs->items[i].id;
    /* a file changed since its changes were accepted: the reviewed text is the base */
    bool changed = false;
    const char *reviewed[TARGET_COUNT] = { 0 };
    for (int t = 0; t < TARGET_COUNT; t++) {
        const py_file *f = a->p->files[t];
        if (!a->reviewed[t])
            continue;
        reviewed[t] = a->reviewed[t];
        changed |= f ? f->len != a->reviewed_len[t] || memcmp(f->text, a->reviewed[t], f->len) != 0
                     : a->reviewed_len[t] != 0;
    }
    int error = changed ? apply_plan_build_reviewed(out, a->p, reviewed, a->reviewed_len, ids, *count, err)
                        : apply_plan_build(out, a->p, sel, err);
    free(ids);
    free(sel);
    return error;
}

static void load_failed(ui_app *a, const sm_error *err)
{
    a->load = LOAD_FAILED;
    a->load_err = *err;
    /* the change list may borrow from files that are gone; the marks wait for it */
    remember_marks(a);
    drift_free(a->p->changes);
    a->p->changes = NULL;
    free(a->accepted);
    a->accepted = NULL;
    a->nrows = 0;
    sbs_clear(&a->sbs);
    a->mode = MODE_CHANGES;
    a->dirty = true;
}

void app_reload_files(ui_app *a)
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

void app_reload_all(ui_app *a)
{
    app_wait_hash(a);
    if (a->loader)
        return; /* already on its way */
    sm_error err = SM_ERROR_INIT;
    sm_project *p = a->p;
    /* the catalog read first, then the files are parsed here while it runs */
    char known_hash[SM_DB_HASH_LEN], known_digest[SM_SHA256_HEX_LEN + 1];
    state_last_sync_hashes(p, known_hash, known_digest);
    if (loader_start(&a->loader, p->db_arg, (const char *const *)p->schemas, p->nschemas, p->config->views,
                     p->config->statement_timeout_ms, known_digest, known_hash, &err) < 0) {
        load_failed(a, &err);
        return;
    }
    a->load = LOAD_RUNNING;
    a->dirty = true;
    /* the files changed under the list: drop it until the catalog arrives (the marks wait) */
    remember_marks(a);
    drift_free(p->changes);
    p->changes = NULL;
    a->nrows = 0;
    sbs_clear(&a->sbs);
    if (project_load_files(p, &err) < 0 || project_load_state(p, &err) < 0)
        load_failed(a, &err);
}

/* The files were parsed while the catalog was read (app_reload_all); when that failed,
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
    if (a->marks_dropped)
        app_message(a, false, "reloaded%s", dropped_note(a, note, sizeof note));
}

/* The catalog is read. Unless a last-sync snapshot must be matched by the catalog's hash,
 * the drift goes on screen now, while the worker computes the hash. */
static void catalog_arrived(ui_app *a)
{
    sm_catalog *cat = NULL;
    sm_error err = SM_ERROR_INIT;
    if (loader_take_catalog(a->loader, &cat, &err) < 0) {
        loader_finish(a->loader, NULL);
        a->loader = NULL;
        a->db_failed = true;
        load_failed(a, &err);
        return;
    }
    a->db_failed = false;
    a->loader_hashing = true;
    if (project_state_needs_hash(a->p))
        a->loaded_cat = cat;
    else
        install(a, cat, NULL);
}

/* The hash is there (or waited for): install the catalog that waited for it, or give the
 * installed one its hash. Only once the catalog was taken (loader_hashing). */
static void hash_arrived(ui_app *a)
{
    char hash[SM_DB_HASH_LEN];
    loader_finish(a->loader, hash);
    a->loader = NULL;
    a->loader_hashing = false;
    sm_catalog *cat = a->loaded_cat;
    a->loaded_cat = NULL;
    if (cat)
        install(a, cat, hash);
    else
        project_set_db_hash(a->p, hash);
}

static void loader_readable(ui_app *a)
{
    switch (loader_read(a->loader)) {
    case LOADER_CATALOG: catalog_arrived(a); break;
    case LOADER_HASH: hash_arrived(a); break;
    case LOADER_NOTHING: break;
    }
}

void app_wait_hash(ui_app *a)
{
    /* a loader whose catalog is taken is only hashing; one still reading is left alone */
    if (a->loader && a->loader_hashing)
        hash_arrived(a);
}

size_t app_schema_paths(const ui_app *a, const char ***out)
{
    const char **v = xcalloc(TARGET_COUNT + 2, sizeof *v);
    size_t n = 0;
    for (int t = 0; t < TARGET_COUNT; t++)
        v[n++] = a->p->paths[t];
    if (a->p->version_path)
        v[n++] = a->p->version_path;
    *out = v;
    return n;
}

/* ---------------------------------------------------------------- inotify */

/* Watch the directories of the local files, not the files: an editor (and schemerge
 * itself) replaces a file by renaming a new one over it, which a watch on the old
 * inode would never see. */
static void watch_start(ui_app *a)
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

static void watch_read(ui_app *a)
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

/* ---------------------------------------------------------------- terminal */

static void windows_free(ui_app *a)
{
    WINDOW **ws[] = { &a->w_status, &a->w_list, &a->w_left, &a->w_right, &a->w_sep,
                      &a->w_body, &a->w_msg, &a->w_footer };
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++) {
        if (*ws[i])
            delwin(*ws[i]);
        *ws[i] = NULL;
    }
}

static WINDOW *win_for(const ui_rect *r)
{
    return newwin(r->h, r->w, r->y, r->x);
}

static void relayout(ui_app *a)
{
    windows_free(a);
    layout_compute(&a->lay, LINES, COLS);
    a->too_small = a->lay.too_small;
    a->dirty = true;
    if (a->too_small)
        return;
    a->w_status = win_for(&a->lay.status);
    a->w_list = win_for(&a->lay.list);
    a->w_left = win_for(&a->lay.left);
    a->w_right = win_for(&a->lay.right);
    ui_rect sep = { a->lay.left.y, a->lay.sep_x, a->lay.left.h, 1 };
    a->w_sep = win_for(&sep);
    a->w_body = win_for(&a->lay.body);
    a->w_msg = win_for(&a->lay.message);
    a->w_footer = win_for(&a->lay.footer);
    clearok(curscr, TRUE);
}

static void draw_status(ui_app *a)
{
    WINDOW *w = a->w_status;
    werase(w);
    int width = a->lay.status.w;
    attr_t st = theme_attr(ROLE_STATUS);
    draw_fill(w, 0, 0, width, st);
    /* the program's name only where there is room: at 80 columns the counts matter more */
    int x = draw_text(w, 0, 0, width, width >= 100 ? " schemerge " : "", st | A_BOLD, 0);
    const sm_changeset *cs = a->p ? a->p->changes : NULL;
    if (a->load == LOAD_RUNNING) {
        draw_text(w, 0, x, width - x, " loading the database catalog...", st, 0);
    } else if (a->load == LOAD_FAILED) {
        draw_text(w, 0, x, width - x, " error", st, 0);
    } else if (cs) {
        strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, " %zu change%s:", cs->n, cs->n == 1 ? "" : "s");
        x += draw_text(w, 0, x, width - x, sb.buf, st, 0);
        for (int s = SEV_CRITICAL; s >= SEV_LOW && x < width; s--) {
            strbuf_reset(&sb);
            strbuf_addf(&sb, " %s %zu", severity_tag((sm_severity)s), cs->counts[s]);
            /* the severity's colour on the status bar's reverse video */
            x += draw_text(w, 0, x, width - x, sb.buf,
                           cs->counts[s] ? (theme_attr(theme_severity_role((sm_severity)s)) | A_REVERSE) : st, 0);
        }
        size_t nacc = 0;
        for (size_t i = 0; i < cs->n; i++)
            nacc += a->accepted[i];
        strbuf_reset(&sb);
        if (a->filter >= 0)
            strbuf_addf(&sb, " | filter %s", severity_name((sm_severity)a->filter));
        strbuf_addf(&sb, " | %zu accepted", nacc);
        if (a->search && *a->search && x + (int)sb.len + 4 + (int)strlen(a->search) <= width)
            strbuf_addf(&sb, " | /%s", a->search);
        if (x < width)
            draw_text(w, 0, x, width - x, sb.buf, st, 0);
        strbuf_release(&sb);
    }
    wnoutrefresh(w);
}

/* Draw s from row y over at most maxlines rows of width columns, broken at spaces (a
 * word longer than a row is cut); the last row ends in an ellipsis when text is left.
 * Returns the rows used. An error's cause comes at the end of its message, after the
 * conninfo: a single truncated row would cut exactly that off. */
static int draw_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s, attr_t at)
{
    size_t len = strlen(s);
    int rows = 0;
    while (len && rows < maxlines) {
        int cols;
        bool truncated;
        size_t fit = text_fit(s, len, width, &cols, &truncated);
        if (!truncated || rows == maxlines - 1 || fit == 0) {
            draw_textn(w, y + rows++, x, width, s, len, at, 0);
            break;
        }
        size_t cut = fit;
        while (cut > 0 && s[cut] != ' ')
            cut--;
        if (cut == 0)
            cut = fit;
        draw_textn(w, y + rows++, x, width, s, cut, at, 0);
        while (cut < len && s[cut] == ' ')
            cut++;
        s += cut;
        len -= cut;
    }
    return rows;
}

static void draw_panel(ui_app *a, const char *title, const char *line1, const char *line2,
                       const char *line3, ui_role role)
{
    WINDOW *w = a->w_body;
    werase(w);
    int width = a->lay.body.w;
    int y = a->lay.body.h / 3;
    /* room below the title for the text, a blank row and line3 */
    int room = a->lay.body.h - y - 4;
    draw_text(w, y, 2, width - 4, title, theme_attr(role), 0);
    y += 2;
    if (line1)
        y += draw_wrapped(w, y, 2, width - 4, room > 2 ? room / 2 : 1, line1, theme_attr(ROLE_NORMAL));
    if (line2)
        y += draw_wrapped(w, y, 2, width - 4, room > 4 ? room / 4 : 1, line2, theme_attr(ROLE_DIM));
    if (line3)
        draw_text(w, y + 1, 2, width - 4, line3, theme_attr(ROLE_MESSAGE), 0);
    wnoutrefresh(w);
}

static void draw_too_small(void)
{
    werase(stdscr);
    const char *msg = "terminal too small (need 80x24)";
    int y = LINES / 2, x = (COLS - (int)strlen(msg)) / 2;
    if (x < 0)
        x = 0;
    draw_text(stdscr, y < 0 ? 0 : y, x, COLS - x, msg, A_BOLD, 0);
    wnoutrefresh(stdscr);
}

static void draw_all(ui_app *a)
{
    if (a->too_small) {
        draw_too_small();
        return;
    }
    draw_status(a);
    ui_scope scope = SCOPE_CHANGES;
    if (a->mode == MODE_CHANGES && a->load == LOAD_RUNNING) {
        draw_panel(a, "Loading the database catalog...", "reading tables, columns and enums",
                   NULL, "q quits", ROLE_TITLE);
        scope = SCOPE_LOADING;
    } else if (a->mode == MODE_CHANGES && a->load == LOAD_FAILED) {
        scope = SCOPE_DB_ERROR;
        char what[600];
        snprintf(what, sizeof what, "%s", a->load_err.what);
        draw_panel(a, "Error", what, a->load_err.hint[0] ? a->load_err.hint : NULL,
                   "r to retry, q to quit", ROLE_ERROR);
    } else {
        switch (a->mode) {
        case MODE_CHANGES: changes_draw(a); scope = SCOPE_CHANGES; break;
        case MODE_PAGER: pager_draw(a); scope = SCOPE_PAGER; break;
        case MODE_CONFLICT: conflict_draw(a); scope = SCOPE_CONFLICT; break;
        case MODE_BACKUPS: backups_draw(a); scope = SCOPE_BACKUPS; break;
        case MODE_COMMIT: scope = SCOPE_COMMIT; break;
        default: break;
        }
    }
    draw_message_row(a);
    app_draw_footer(a, scope);
    /* the commit dialog goes last: its window holds the visible cursor */
    if (a->mode == MODE_COMMIT)
        commit_draw(a);
}

/* Presses only, and no click resolution (mouseinterval 0): a click acts on the press,
 * at once, and the wheel (buttons 4 and 5 in ncurses 6) scrolls. endwin turns the
 * terminal's mouse reporting off (for $EDITOR and on exit); this turns it back on. */
static void mouse_start(void)
{
    mmask_t mask = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON5_PRESSED;
#endif
    mousemask(mask, NULL);
    mouseinterval(0);
}

static void terminal_start(ui_app *a)
{
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, STDERR_FILENO);
        close(devnull);
    }
    if (saved_stderr >= 0)
        fcntl(saved_stderr, F_SETFD, FD_CLOEXEC);
    initscr();
    curses_on = true;
    cbreak();
    noecho();
    nonl();
    curs_set(0);
    set_escdelay(25);
    /* ctrl-s is the commit key: take it back from terminal flow control */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
    def_prog_mode();
    theme_init(theme_want_color(a->opts->color == CLI_COLOR_NEVER));
    a->input = newpad(1, 1);
    keypad(a->input, TRUE);
    /* the loop waits in poll() (keyboard, loader, inotify, 100 ms); keys are then
     * read without waiting */
    wtimeout(a->input, 0);
    stdin_nonblocking(true);
    mouse_start();
    relayout(a);
}

void app_suspend(ui_app *a)
{
    (void)a;
    def_prog_mode();
    endwin();
    stdin_nonblocking(false); /* the editor (or the shell after ctrl-z) reads normally */
}

void app_resume(ui_app *a)
{
    reset_prog_mode();
    stdin_nonblocking(true);
    mouse_start();
    clearok(curscr, TRUE);
    a->dirty = true;
}

/* ---------------------------------------------------------------- keys */

static void ask(ui_app *a, ui_confirm_action what, const char *text)
{
    a->confirm = what;
    snprintf(a->confirm_text, sizeof a->confirm_text, "%s", text);
    a->dirty = true;
}

static void want_quit(ui_app *a)
{
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
                ask(a, CONFIRM_QUIT, "applied changes are not committed (c commits): quit anyway? (y/n)");
                return;
            }
        }
    }
    a->quit = true;
}

static void handle_confirm(ui_app *a, int key)
{
    ui_confirm_action what = a->confirm;
    a->confirm = CONFIRM_NONE;
    a->dirty = true;
    if (key != 'y' && key != 'Y') {
        app_message(a, false, "cancelled");
        return;
    }
    if (what == CONFIRM_QUIT)
        a->quit = true;
    else
        backups_confirmed(a, what);
}

static void handle_search_key(ui_app *a, int key, bool is_char)
{
    a->dirty = true;
    if (!is_char && (key == KEY_BACKSPACE)) {
        key = 127;
        is_char = true;
    }
    if (is_char && key == KEY_ESCAPE) {
        a->searching = false;
        return;
    }
    if ((is_char && (key == '\n' || key == '\r')) || (!is_char && key == KEY_ENTER)) {
        a->searching = false;
        free(a->search);
        a->search = xstrdup(strbuf_str(&a->search_input));
        changes_key(a, ACT_SEARCH_NEXT, 0);
        return;
    }
    if (is_char && (key == 127 || key == 8)) {
        /* drop the last character (not byte) */
        strbuf *sb = &a->search_input;
        size_t len = sb->len;
        while (len > 0 && ((unsigned char)sb->buf[len - 1] & 0xC0) == 0x80)
            len--;
        if (len > 0)
            len--;
        strbuf_truncate(sb, len);
        return;
    }
    if (is_char && key >= 0x20) {
        char mb[8];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t n = wcrtomb(mb, (wchar_t)key, &st);
        if (n != (size_t)-1)
            strbuf_add(&a->search_input, mb, n);
    }
}

static void handle_key(ui_app *a, int key, bool is_char)
{
    if (!is_char && key == KEY_RESIZE) {
        relayout(a);
        return;
    }
    if (a->confirm != CONFIRM_NONE) {
        handle_confirm(a, key);
        return;
    }
    if (a->searching) {
        handle_search_key(a, key, is_char);
        return;
    }
    if (a->mode == MODE_COMMIT) {
        ui_action act = keymap_lookup(SCOPE_COMMIT, key);
        commit_key(a, act, key, is_char);
        a->dirty = true;
        return;
    }
    a->message[0] = '\0';
    a->dirty = true;
    if (a->too_small && key != 'q')
        return;
    if (a->mode == MODE_CHANGES && a->load != LOAD_READY) {
        ui_action act = keymap_lookup(a->load == LOAD_FAILED ? SCOPE_DB_ERROR : SCOPE_LOADING, key);
        if (act == ACT_QUIT)
            a->quit = true;
        else if (act == ACT_RELOAD)
            app_reload_all(a);
        else if (act == ACT_HELP)
            pager_open_help(a);
        return;
    }
    switch (a->mode) {
    case MODE_CHANGES: {
        ui_action act = keymap_lookup(SCOPE_CHANGES, key);
        if (act == ACT_QUIT) {
            want_quit(a);
        } else if (act == ACT_SEARCH) {
            a->searching = true;
            strbuf_reset(&a->search_input);
        } else if (act == ACT_HELP) {
            pager_open_help(a);
        } else if (act == ACT_NONE) {
            app_message(a, false, "no action on that key (? shows the keys)");
        } else {
            changes_key(a, act, key);
        }
        break;
    }
    case MODE_PAGER:
        pager_key(a, keymap_lookup(SCOPE_PAGER, key));
        break;
    case MODE_CONFLICT:
        conflict_key(a, keymap_lookup(SCOPE_CONFLICT, key));
        break;
    case MODE_BACKUPS: {
        ui_action act = keymap_lookup(SCOPE_BACKUPS, key);
        if (act == ACT_RESTORE || act == ACT_DELETE) {
            if (a->backups.n == 0)
                break;
            char text[256];
            snprintf(text, sizeof text, "%s backup %s? (y/n)", act == ACT_RESTORE ? "restore" : "delete",
                     a->backups.list[a->backups.cur]->id);
            ask(a, act == ACT_RESTORE ? CONFIRM_RESTORE : CONFIRM_DELETE, text);
        } else {
            backups_key(a, act);
        }
        break;
    }
    default:
        break;
    }
}

/* ---------------------------------------------------------------- the mouse */

/* Rows one notch of the wheel scrolls. */
#define WHEEL_ROWS 3

static void wheel_key(ui_app *a, long delta, void (*key)(ui_app *, ui_action), int times)
{
    for (int i = 0; i < times; i++)
        key(a, delta < 0 ? ACT_UP : ACT_DOWN);
}

/* A click on a footer label runs its key, as if typed; elsewhere, clicks select and
 * the wheel scrolls the pane under the pointer. Prompts (search, y/n) ignore the mouse:
 * they wait for a typed answer. */
static void handle_mouse(ui_app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || a->too_small || a->confirm != CONFIRM_NONE || a->searching)
        return;
    long wheel = 0;
    if (ev.bstate & BUTTON4_PRESSED)
        wheel = -WHEEL_ROWS;
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED)
        wheel = WHEEL_ROWS;
#endif
    bool click = (ev.bstate & BUTTON1_PRESSED) != 0;
    if (!wheel && !click)
        return;
    bool list_view = a->mode == MODE_CHANGES && a->load == LOAD_READY;
    ui_area area = layout_area(&a->lay, !list_view, ev.y, ev.x);
    if (area == AREA_FOOTER) {
        long i = click ? layout_span_at(a->footer_spans, a->nfooter, ev.x) : -1;
        if (i >= 0) {
            int key = a->footer_keys[i];
            handle_key(a, key, key < KEY_MIN);
        }
        return;
    }
    a->dirty = true;
    switch (a->mode) {
    case MODE_CHANGES:
        if (!list_view)
            break;
        a->message[0] = '\0';
        if (area == AREA_LIST) {
            if (wheel) {
                changes_scroll(a, wheel);
            } else {
                long r = layout_item_at(&a->lay.list, 0, a->top, a->nrows, ev.y);
                if (r >= 0)
                    changes_click(a, (size_t)r, layout_on_box(&a->lay, ev.x));
            }
        } else if (area == AREA_LEFT || area == AREA_RIGHT || area == AREA_SEP) {
            if (wheel)
                sbs_scroll(a, wheel);
            else
                a->focus = 1;
        }
        break;
    case MODE_PAGER:
        if (area == AREA_BODY && wheel)
            wheel_key(a, wheel, pager_key, WHEEL_ROWS);
        break;
    case MODE_CONFLICT:
        /* one region per notch: the view moves by regions */
        if (area == AREA_BODY && wheel)
            wheel_key(a, wheel, conflict_key, 1);
        break;
    case MODE_BACKUPS:
        if (area != AREA_BODY)
            break;
        if (wheel) {
            wheel_key(a, wheel, backups_key, WHEEL_ROWS);
        } else {
            /* the frame's title and the column heads take two rows */
            long r = layout_item_at(&a->lay.body, 2, a->backups.top, a->backups.n, ev.y);
            if (r >= 0)
                a->backups.cur = (size_t)r;
        }
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- the loop */

/* SCHEMERGE_UI_TRACE: one line per screen update, "NANOSECONDS STATE" with the wall
 * clock (CLOCK_REALTIME, so that a driver can compare it with its own `date +%s%N`) and
 * whether the drift is on screen yet ("ready") or not ("loading", "error"). */
static void trace_update(ui_app *a)
{
    if (!a->trace)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(a->trace, "%lld %s\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
            a->load == LOAD_READY ? "ready" : a->load == LOAD_RUNNING ? "loading" : "error");
    fflush(a->trace);
}

static void run_loop(ui_app *a)
{
    while (!a->quit) {
        if (got_signal) {
            a->exit_status = 128 + got_signal;
            break;
        }
        if (a->dirty) {
            a->dirty = false;
            draw_all(a);
            doupdate();
            trace_update(a);
        }
        /* Wait for the first of: a key, the loader, inotify, or 100 ms (debounced
         * reloads and signals are checked on each pass). Keys are then read without
         * waiting until none is left, so a burst of keys costs one redraw. */
        struct pollfd pf[3];
        int npf = 0;
        pf[npf++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
        if (a->loader)
            pf[npf++] = (struct pollfd){ .fd = loader_fd(a->loader), .events = POLLIN };
        if (a->inotify_fd >= 0)
            pf[npf++] = (struct pollfd){ .fd = a->inotify_fd, .events = POLLIN };
        int ready = poll(pf, (nfds_t)npf, 100);
        for (;;) {
            wint_t wch;
            int rc = wget_wch(a->input, &wch);
            if (rc != OK && rc != KEY_CODE_YES)
                break;
            if (rc == KEY_CODE_YES && wch == KEY_MOUSE)
                handle_mouse(a);
            else
                handle_key(a, (int)wch, rc == OK);
            if (a->quit || a->mode == MODE_COMMIT)
                break; /* the commit dialog draws its cursor: one key, one redraw */
        }
        if (ready > 0) {
            for (int i = 1; i < npf; i++) {
                if (!(pf[i].revents & POLLIN))
                    continue;
                if (a->loader && pf[i].fd == loader_fd(a->loader))
                    loader_readable(a);
                else if (pf[i].fd == a->inotify_fd)
                    watch_read(a);
            }
        }
        if (a->reload_due_ns && now_ns() >= a->reload_due_ns) {
            a->reload_due_ns = 0;
            /* a dialog in the middle of something keeps its own view of the files */
            if (a->load != LOAD_READY && a->load != LOAD_FAILED) {
                /* the catalog is on its way: look again once it is here */
                a->reload_due_ns = now_ns() + 200000000LL;
            } else if (!files_differ_on_disk(a)) {
                /* our own write, already reloaded */
            } else if (a->mode == MODE_CHANGES || a->mode == MODE_PAGER) {
                app_reload_files(a);
                char note[128];
                if (a->load == LOAD_READY)
                    app_message(a, false, "the local files changed on disk: reloaded%s",
                                dropped_note(a, note, sizeof note));
            } else {
                a->reload_due_ns = now_ns() + 500000000LL;
            }
        }
    }
}

int cmd_ui(const cli_options *opts)
{
    project_options po = PROJECT_OPTIONS_INIT;
    po.db_arg = opts->db;
    po.schemas = opts->schemas;
    po.nschemas = opts->nschemas;
    po.config_path = opts->config;
    sm_error err = SM_ERROR_INIT;
    ui_app *a = xcalloc(1, sizeof *a);
    a->opts = opts;
    a->filter = -1;
    a->sbs.target = -1;
    a->inotify_fd = -1;
    strbuf_init(&a->search_input);
    if (project_open(&a->p, &po, &err) < 0) {
        cli_print_error(&err);
        free(a);
        return 2;
    }
    const char *trace = getenv("SCHEMERGE_UI_TRACE");
    if (trace && *trace)
        a->trace = fopen(trace, "a");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    main_thread = pthread_self();
    sm_set_fatal_hook(fatal_hook);

    /* the catalog read starts first: it takes the longest, and needs no terminal */
    watch_start(a);
    app_reload_all(a);
    terminal_start(a);
    run_loop(a);

    terminal_restore();
    sm_set_fatal_hook(NULL);
    /* a worker still reading is left behind; one hashing reads the catalog freed below,
     * so it is waited for (its hash is not needed any more) */
    if (a->loader && a->loader_hashing)
        loader_finish(a->loader, NULL);
    else if (a->loader)
        loader_abandon(a->loader);
    catalog_free(a->loaded_cat);
    if (a->inotify_fd >= 0)
        close(a->inotify_fd);
    if (a->trace)
        fclose(a->trace);
    int status = a->exit_status;
    pager_clear(&a->pager);
    conflict_clear(&a->conflicts);
    backups_clear(&a->backups);
    commit_clear(&a->commit);
    sbs_clear(&a->sbs);
    free(a->rows);
    free(a->accepted);
    for (size_t k = 0; k < a->nkept; k++)
        free(a->kept_ids[k]);
    free(a->kept_ids);
    app_review_clear(a);
    free(a->search);
    strbuf_release(&a->search_input);
    windows_free(a);
    if (a->input)
        delwin(a->input);
    project_free(a->p);
    free(a);
    return status;
}
