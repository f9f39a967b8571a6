/* view_conflict.c: the merge's conflicts, one region after another, each with ours (the
 * file on disk) on the left and theirs (the database's change) on the right. o, t, b
 * or $EDITOR resolve a region; nothing is written until every region is resolved. The
 * plan and the merge are apply.c's and merge.c's; this view only collects choices. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "fsutil.h"
#include "render.h"
#include "session.h"
#include "terminal.h"
#include "xalloc.h"

static void conflict_clear(ui_conflicts *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].custom);
    free(c->items);
    apply_plan_free(c->plan);
    memset(c, 0, sizeof *c);
}

static int conflict_open(ui_app *a, const view_args *args)
{
    apply_plan *plan = args->plan;
    conflict_clear(&a->conflicts);
    ui_conflicts *c = &a->conflicts;
    c->plan = plan;
    size_t cap = 0;
    for (int t = 0; t < TARGET_COUNT; t++) {
        merge_result *m = plan->files[t].merge;
        if (!m || !m->conflicted)
            continue;
        for (size_t s = 0; s < m->nsegments; s++)
            if (m->segments[s].conflict)
                *XPUSH(c->items, c->n, cap) = (ui_conflict_item){ t, s, -1, NULL };
    }
    app_message(a, true, "%zu conflict%s: the file changed on disk where the changes go", c->n,
                c->n == 1 ? "" : "s");
    return 0;
}

static const char *choice_name(int choice)
{
    switch (choice) {
    case MERGE_OURS: return "ours";
    case MERGE_THEIRS: return "theirs";
    case MERGE_BOTH: return "both";
    case MERGE_CUSTOM: return "edited";
    default: return "unresolved";
    }
}

/* What the region would write: its choice's text, or for one not chosen yet what b (both)
 * would give, so that both and an edit can be judged before they are taken. */
static void region_result(strbuf *out, const ui_conflict_item *it, const merge_segment *seg, const char **label)
{
    switch (it->choice) {
    case MERGE_OURS: *label = "o (ours) writes:"; strbuf_adds(out, seg->ours); break;
    case MERGE_THEIRS: *label = "t (theirs) writes:"; strbuf_adds(out, seg->theirs); break;
    case MERGE_CUSTOM: *label = "your edit writes:"; strbuf_adds(out, it->custom ? it->custom : ""); break;
    default:
        *label = it->choice == MERGE_BOTH ? "b (both) writes:" : "b (both) would write:";
        strbuf_adds(out, seg->ours);
        strbuf_adds(out, seg->theirs);
        break;
    }
}

static void conflict_title(const ui_app *a, strbuf *out)
{
    const ui_conflicts *c = &a->conflicts;
    size_t resolved = 0;
    for (size_t i = 0; i < c->n; i++)
        resolved += c->items[i].choice >= 0;
    strbuf_addf(out, "Conflicts: %zu of %zu resolved", resolved, c->n);
}

static void conflict_draw(ui_app *a)
{
    ui_conflicts *c = &a->conflicts;
    WINDOW *w = a->w_body;
    int h = a->lay.body.h, width = a->lay.body.w;
    int half = (width - 1) / 2;
    /* lay out every region; scroll so that the current one is in view */
    int y = 1 - (int)c->top_line;
    for (int pass = 0; pass < 2; pass++) {
        int yy = 0, cur_start = 0, cur_end = 0;
        for (size_t i = 0; i < c->n; i++) {
            const merge_segment *seg =
                &c->plan->files[c->items[i].target].merge->segments[c->items[i].segment];
            int lo = merge_count_lines(seg->ours, strlen(seg->ours));
            int lt = merge_count_lines(seg->theirs, strlen(seg->theirs));
            int rows = 2 + (lo > lt ? lo : lt) + 1;
            if (i == c->cur) {
                strbuf r = STRBUF_INIT;
                const char *label;
                region_result(&r, &c->items[i], seg, &label);
                rows += 1 + merge_count_lines(r.buf ? r.buf : "", r.len);
                strbuf_release(&r);
                cur_start = yy, cur_end = yy + rows;
            }
            yy += rows;
        }
        if (pass == 0) {
            int view = h - 1;
            if (cur_start < (int)c->top_line)
                c->top_line = (size_t)cur_start;
            else if (cur_end > (int)c->top_line + view)
                c->top_line = (size_t)(cur_end - view > 0 ? cur_end - view : 0);
            y = 1 - (int)c->top_line;
        }
    }
    for (size_t i = 0; i < c->n; i++) {
        ui_conflict_item *it = &c->items[i];
        const apply_file *af = &c->plan->files[it->target];
        const merge_segment *seg = &af->merge->segments[it->segment];
        char **lo = NULL, **lt = NULL;
        size_t nlo = align_split_lines(&lo, seg->ours, strlen(seg->ours));
        size_t nlt = align_split_lines(&lt, seg->theirs, strlen(seg->theirs));
        char head[300];
        snprintf(head, sizeof head, "%s %s:%d  region %zu of %zu  [%s]", i == c->cur ? ">" : " ", af->path,
                 seg->ours_line, i + 1, c->n, choice_name(it->choice));
        if (y >= 1 && y < h)
            draw_text(w, y, 0, width, head,
                      theme_attr(i == c->cur ? ROLE_SELECTED : (it->choice < 0 ? ROLE_CONFLICT : ROLE_GROUP)), 1);
        y++;
        if (y >= 1 && y < h) {
            draw_text(w, y, 0, half, "ours (the file on disk)", theme_attr(ROLE_TITLE), 1);
            draw_text(w, y, half + 1, width - half - 1, "theirs (from the database)", theme_attr(ROLE_TITLE), 1);
        }
        y++;
        for (size_t k = 0; k < nlo || k < nlt; k++, y++) {
            if (y < 1 || y >= h)
                continue;
            if (k < nlo)
                draw_text(w, y, 0, half, lo[k], theme_attr(ROLE_REMOVED), 0);
            draw_text(w, y, half, 1, "\xe2\x94\x82", theme_attr(ROLE_DIM), 0);
            if (k < nlt)
                draw_text(w, y, half + 1, width - half - 1, lt[k], theme_attr(ROLE_ADDED), 0);
        }
        if (i == c->cur) {
            /* below the current region, what it would write */
            strbuf r = STRBUF_INIT;
            const char *label;
            region_result(&r, it, seg, &label);
            char **lr = NULL;
            size_t nlr = align_split_lines(&lr, r.buf ? r.buf : "", r.len);
            if (y >= 1 && y < h)
                draw_text(w, y, 0, width, label, theme_attr(ROLE_GROUP), 0);
            y++;
            for (size_t k = 0; k < nlr; k++, y++)
                if (y >= 1 && y < h)
                    draw_text(w, y, 2, width - 2, lr[k], theme_attr(ROLE_NORMAL), 0);
            align_lines_free(lr, nlr);
            strbuf_release(&r);
        }
        y++;
        align_lines_free(lo, nlo);
        align_lines_free(lt, nlt);
    }
    wnoutrefresh(w);
}

/* $EDITOR on one region: the file holds the current choice's text (both sides while
 * unresolved); what the user saves becomes the region's text. */
static void edit_region(ui_app *a)
{
    ui_conflicts *c = &a->conflicts;
    ui_conflict_item *it = &c->items[c->cur];
    const merge_segment *seg = &c->plan->files[it->target].merge->segments[it->segment];
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    const char *tmpdir = getenv("TMPDIR");
    char *path = xasprintf("%s/schemerge-region-XXXXXX.py", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(path, 3);
    if (fd < 0) {
        app_message(a, true, "cannot make a temporary file for the editor: %s", strerror(errno));
        free(path);
        return;
    }
    strbuf text = STRBUF_INIT;
    if (it->choice == MERGE_CUSTOM)
        strbuf_adds(&text, it->custom);
    else if (it->choice == MERGE_OURS)
        strbuf_adds(&text, seg->ours);
    else if (it->choice == MERGE_THEIRS)
        strbuf_adds(&text, seg->theirs);
    else
        strbuf_addf(&text, "%s%s", seg->ours, seg->theirs);
    sm_error werr = SM_ERROR_INIT;
    int wrc = fs_write_all(fd, strbuf_str(&text), text.len, path, &werr);
    close(fd);
    strbuf_release(&text);
    if (wrc < 0) {
        unlink(path);
        free(path);
        app_message(a, true, "%s", werr.what);
        return;
    }
    setenv("SM_EDITOR", editor, 1);
    terminal_suspend(a);
    /* ctrl-c in the editor is the editor's: like system(), the UI ignores SIGINT and
     * SIGQUIT while it waits, and the editor gets the default handling back */
    struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        int e = terminal_saved_stderr();
        if (e >= 0)
            dup2(e, STDERR_FILENO);
        execl("/bin/sh", "sh", "-c", "exec $SM_EDITOR \"$1\"", "sh", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid > 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    terminal_resume(a);
    char *buf = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        app_message(a, true, "the editor (%s) failed: the region is unchanged", editor);
    } else if (fs_read_file(&buf, &len, path, &err) < 0) {
        app_message(a, true, "%s", err.what);
    } else {
        free(it->custom);
        it->custom = buf;
        it->choice = MERGE_CUSTOM;
        app_message(a, false, "region %zu: your edit", c->cur + 1);
    }
    unlink(path);
    free(path);
}

static void write_resolved(ui_app *a)
{
    ui_conflicts *c = &a->conflicts;
    size_t open = 0;
    for (size_t i = 0; i < c->n; i++)
        open += c->items[i].choice < 0;
    if (open) {
        app_message(a, true, "%zu region%s still unresolved: o, t, b or e resolves one; nothing is written until all are",
                    open, open == 1 ? "" : "s");
        return;
    }
    sm_error err = SM_ERROR_INIT;
    for (int t = 0; t < TARGET_COUNT; t++) {
        size_t n = 0;
        for (size_t i = 0; i < c->n; i++)
            n += c->items[i].target == t;
        if (!n)
            continue;
        merge_choice *choices = xcalloc(n, sizeof *choices);
        const char **custom = xcalloc(n, sizeof *custom);
        size_t k = 0;
        for (size_t i = 0; i < c->n; i++) {
            if (c->items[i].target != t)
                continue;
            choices[k] = (merge_choice)c->items[i].choice;
            custom[k] = c->items[i].custom;
            k++;
        }
        int error = apply_plan_resolve(c->plan, (sm_target)t, choices, custom, &err);
        free(choices);
        free(custom);
        if (error < 0) {
            app_message(a, true, "%s", err.what);
            return;
        }
    }
    apply_plan *plan = c->plan;
    c->plan = NULL;
    conflict_clear(c);
    session_apply(a, plan);
}

static void conflict_key(ui_app *a, ui_action act, int key, bool is_char)
{
    (void)key;
    (void)is_char;
    ui_conflicts *c = &a->conflicts;
    if (!c->n) {
        a->mode = MODE_CHANGES;
        return;
    }
    ui_conflict_item *it = &c->items[c->cur];
    switch (act) {
    case ACT_UP: case ACT_PAGE_UP: if (c->cur) c->cur--; break;
    case ACT_DOWN: case ACT_PAGE_DOWN: if (c->cur + 1 < c->n) c->cur++; break;
    case ACT_TOP: c->cur = 0; break;
    case ACT_BOTTOM: c->cur = c->n - 1; break;
    case ACT_OURS: case ACT_THEIRS: case ACT_BOTH:
        it->choice = act == ACT_OURS ? MERGE_OURS : act == ACT_THEIRS ? MERGE_THEIRS : MERGE_BOTH;
        if (c->cur + 1 < c->n)
            c->cur++;
        else {
            size_t open = 0;
            for (size_t i = 0; i < c->n; i++)
                open += c->items[i].choice < 0;
            if (!open)
                app_message(a, false, "every region is resolved: w or enter writes, q cancels");
        }
        break;
    case ACT_EDIT: edit_region(a); break;
    case ACT_WRITE: write_resolved(a); break;
    case ACT_CLOSE:
        conflict_clear(c);
        a->mode = MODE_CHANGES;
        app_message(a, false, "apply cancelled: nothing was written");
        break;
    default:
        app_message(a, false, "o ours, t theirs, b both, e edit, w writes, q cancels");
        break;
    }
}

static ui_scope conflict_scope(const ui_app *a)
{
    (void)a;
    return SCOPE_CONFLICT;
}

static void conflict_close(ui_app *a)
{
    conflict_clear(&a->conflicts);
}

/* One region per notch of the wheel: the view moves by regions. */
static void conflict_mouse(ui_app *a, int y, int x, long wheel)
{
    if (wheel && layout_area(&a->lay, true, y, x) == AREA_BODY)
        conflict_key(a, wheel < 0 ? ACT_UP : ACT_DOWN, 0, false);
}

const view_ops view_conflict_ops = {
    .name = "conflicts",
    .scope = conflict_scope,
    .open = conflict_open,
    .close = conflict_close,
    .title = conflict_title,
    .draw = conflict_draw,
    .key = conflict_key,
    .mouse = conflict_mouse,
    .holds_files = true,
};
