/* view_backups.c: the backups browser. A list (time, reason, files, changes) read with
 * backup_list; the diff of a backup against the current files (backup_diff) in the
 * pager; restore and delete after a y/n question (asked by tui.c), through backup.c,
 * which also makes the pre-restore backup. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "xalloc.h"

void backups_clear(ui_backups *b)
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

void backups_open(ui_app *a)
{
    a->backups.cur = 0;
    if (backups_load(a) < 0)
        return;
    a->mode = MODE_BACKUPS;
    a->dirty = true;
}

void backups_draw(ui_app *a)
{
    ui_backups *b = &a->backups;
    char title[80];
    snprintf(title, sizeof title, "Backups: %zu", b->n);
    app_body_frame(a, title);
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

void backups_key(ui_app *a, ui_action act)
{
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
            pager_open(a, title, diff.buf, true);
        }
        strbuf_release(&diff);
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

void backups_confirmed(ui_app *a, ui_confirm_action what)
{
    ui_backups *b = &a->backups;
    if (a->mode != MODE_BACKUPS || !b->n)
        return;
    char *id = xstrdup(b->list[b->cur]->id);
    sm_error err = SM_ERROR_INIT;
    if (what == CONFIRM_RESTORE) {
        app_working(a, "working...");
        backup_info *pre = NULL;
        if (backup_restore(&pre, a->p->root, id, a->p->config->max_backups, &err) < 0) {
            app_message(a, true, "%s", err.what);
        } else {
            char *pre_id = pre ? xstrdup(pre->id) : NULL;
            backup_info_free(pre);
            app_reload_files(a);
            app_message(a, false, "restored backup %s (the files before it are in backup %s)", id,
                        pre_id ? pre_id : "-");
            free(pre_id);
        }
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
