/* view_backups.c: the backups browser. A list (time, reason, files, changes) read with
 * backup_list; the diff of a backup against the current files (backup_diff) in the
 * pager; restore and delete after a y/n question on the message row, through backup.c,
 * which also makes the pre-restore backup. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "session.h"
#include "xalloc.h"

static void backups_clear(ui_backups *b)
{
    backup_list_free(b->list, b->n);
    memset(b, 0, sizeof *b);
}

static int backups_load(ui_app *a)
{
    ui_backups *b = &a->backups;
    size_t keep = b->cur;
    backups_clear(b);
    sm_error err = SM_ERROR_INIT;
    if (backup_list(&b->list, &b->n, a->p->root, &err) < 0) {
        app_message(a, true, "%s", err.what);
        return -1;
    }
    b->cur = b->n ? (keep < b->n ? keep : b->n - 1) : 0;
    return 0;
}

static int backups_open(ui_app *a, const view_args *args)
{
    (void)args;
    a->backups.cur = 0;
    return backups_load(a);
}

static void backups_title(const ui_app *a, strbuf *out)
{
    strbuf_addf(out, "Backups: %zu", a->backups.n);
}

static void backups_draw(ui_app *a)
{
    ui_backups *b = &a->backups;
    WINDOW *w = a->w_body;
    int h = a->lay.body.h - 2, width = a->lay.body.w;
    if (!b->n) {
        draw_text(w, 2, 2, width - 2, "No backups yet: applying changes makes one first.",
                  theme_attr(ROLE_MESSAGE), 0);
        wnoutrefresh(w);
        return;
    }
    char head[200];
    snprintf(head, sizeof head, "  %-19s %-21s %5s %7s  %s", "id", "time", "files", "changes", "reason");
    draw_text(w, 1, 0, width, head, theme_attr(ROLE_GROUP), 1);
    if (b->cur < b->top)
        b->top = b->cur;
    if (b->cur >= b->top + (size_t)h)
        b->top = b->cur - (size_t)h + 1;
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < h; i++) {
        size_t r = b->top + (size_t)i;
        if (r >= b->n)
            break;
        const backup_info *bi = b->list[r];
        strbuf_reset(&sb);
        strbuf_addf(&sb, "  %-19s %-21s %5zu %7zu  %s", bi->id, bi->time ? bi->time : "?", bi->nfiles,
                    bi->nchanges, bi->reason ? bi->reason : "");
        draw_text(w, 2 + i, 0, width, sb.buf, theme_attr(r == b->cur ? ROLE_SELECTED : ROLE_NORMAL),
                  r == b->cur);
    }
    strbuf_release(&sb);
    wnoutrefresh(w);
}

static void backups_key(ui_app *a, ui_action act, int key, bool is_char)
{
    (void)key;
    (void)is_char;
    ui_backups *b = &a->backups;
    size_t page = a->lay.body.h > 4 ? (size_t)a->lay.body.h - 3 : 1;
    switch (act) {
    case ACT_UP: if (b->cur) b->cur--; break;
    case ACT_DOWN: if (b->cur + 1 < b->n) b->cur++; break;
    case ACT_PAGE_UP: b->cur = b->cur > page ? b->cur - page : 0; break;
    case ACT_PAGE_DOWN: b->cur = b->n && b->cur + page < b->n ? b->cur + page : (b->n ? b->n - 1 : 0); break;
    case ACT_TOP: b->cur = 0; break;
    case ACT_BOTTOM: b->cur = b->n ? b->n - 1 : 0; break;
    case ACT_PREVIEW: {
        if (!b->n)
            break;
        strbuf diff = STRBUF_INIT;
        sm_error err = SM_ERROR_INIT;
        if (backup_diff(&diff, a->p->root, b->list[b->cur]->id, &err) < 0) {
            app_message(a, true, "%s", err.what);
        } else {
            char title[200];
            snprintf(title, sizeof title, "Backup %s against the current files", b->list[b->cur]->id);
            if (!diff.len)
                strbuf_adds(&diff, "(the files are the same as in this backup)\n");
            app_open_view(a, MODE_PAGER, &(view_args){ .title = title, .text = diff.buf, .diff = true });
        }
        strbuf_release(&diff);
        break;
    }
    case ACT_RESTORE: case ACT_DELETE: {
        if (!b->n)
            break;
        char text[256];
        snprintf(text, sizeof text, "%s backup %s? (y/n)", act == ACT_RESTORE ? "restore" : "delete",
                 b->list[b->cur]->id);
        app_ask(a, act == ACT_RESTORE ? CONFIRM_RESTORE : CONFIRM_DELETE, text);
        break;
    }
    case ACT_CLOSE:
        backups_clear(b);
        a->mode = MODE_CHANGES;
        break;
    default:
        app_message(a, false, "p diff, r restore, d delete, q closes");
        break;
    }
}

static void backups_confirmed(ui_app *a, ui_confirm_action what)
{
    ui_backups *b = &a->backups;
    if (a->mode != MODE_BACKUPS || !b->n)
        return;
    char *id = xstrdup(b->list[b->cur]->id);
    sm_error err = SM_ERROR_INIT;
    if (what == CONFIRM_RESTORE) {
        session_restore(a, id, "restored");
    } else if (what == CONFIRM_DELETE) {
        if (backup_delete(a->p->root, id, &err) < 0)
            app_message(a, true, "%s", err.what);
        else
            app_message(a, false, "deleted backup %s", id);
    }
    free(id);
    if (a->mode == MODE_BACKUPS || a->load == LOAD_READY) {
        backups_load(a);
        a->mode = MODE_BACKUPS;
    }
}

static ui_scope backups_scope(const ui_app *a)
{
    (void)a;
    return SCOPE_BACKUPS;
}

static void backups_close(ui_app *a)
{
    backups_clear(&a->backups);
}

static void backups_mouse(ui_app *a, int y, int x, long wheel)
{
    if (layout_area(&a->lay, true, y, x) != AREA_BODY)
        return;
    if (wheel) {
        for (long i = 0; i < (wheel < 0 ? -wheel : wheel); i++)
            backups_key(a, wheel < 0 ? ACT_UP : ACT_DOWN, 0, false);
        return;
    }
    /* the frame's title and the column heads take two rows */
    long r = layout_item_at(&a->lay.body, 2, a->backups.top, a->backups.n, y);
    if (r >= 0)
        a->backups.cur = (size_t)r;
}

const view_ops view_backups_ops = {
    .name = "backups",
    .scope = backups_scope,
    .open = backups_open,
    .close = backups_close,
    .title = backups_title,
    .draw = backups_draw,
    .key = backups_key,
    .mouse = backups_mouse,
    .confirmed = backups_confirmed,
    .holds_files = true,
};
