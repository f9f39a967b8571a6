/* app.c: what the views and the loop share: the message row (and the prompts on it),
 * the footer built from the keymap table (and where each label went, for clicks), the
 * body's frame, opening a view through the ops table, and the reviewed texts: what each
 * file was when the user accepted its changes, the base of the merge (SPEC 6). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "rows.h"
#include "textwidth.h"
#include "xalloc.h"

void app_message(ui_app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_error = error;
    a->dirty = true;
}

void app_draw_message(ui_app *a)
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
        app_draw_message(a);
        doupdate();
    }
}

void app_ask(ui_app *a, ui_confirm_action what, const char *text)
{
    a->confirm = what;
    snprintf(a->confirm_text, sizeof a->confirm_text, "%s", text);
    a->dirty = true;
}

void app_open_view(ui_app *a, ui_mode mode, const view_args *args)
{
    const view_ops *v = a->views[mode];
    if (v->open(a, args) < 0)
        return;
    a->mode = mode;
    a->dirty = true;
}

static const char *footer_word(const ui_app *a, const keymap_entry *e);

static int footer_item_width(const ui_app *a, const keymap_entry *e)
{
    return text_width(e->label, strlen(e->label)) + 1 + (int)strlen(footer_word(a, e));
}

/* The footer's word for e: under a severity filter, apply and accept-all say that they
 * act on the changes shown only. */
static const char *footer_word(const ui_app *a, const keymap_entry *e)
{
    if (e->scope == SCOPE_CHANGES && a->filter >= 0 && e->action == ACT_APPLY)
        return "apply shown";
    return e->footer;
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
    x += draw_text(w, 0, x, width - x, footer_word(a, e), theme_attr(ROLE_FOOTER), 0);
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
            tail += footer_item_width(a, &e[i]) + 2;
    int x = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            if (e[i].scope != scope || !e[i].footer)
                continue;
            /* undo is offered while there is an apply to undo */
            if (e[i].action == ACT_UNDO && !a->undo_backup)
                continue;
            bool is_tail = e[i].action == ACT_HELP || e[i].action == ACT_QUIT || e[i].action == ACT_CLOSE;
            if (is_tail != (pass == 1))
                continue;
            int need = footer_item_width(a, &e[i]) + (x ? 2 : 0);
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

void app_review_sync(ui_app *a)
{
    review_marks_sync(&a->marks, a->p->changes, a->p->files);
}

int app_plan_build(ui_app *a, apply_plan **out, size_t *count, sm_error *err)
{
    /* a filter limits what an apply takes (rows_in_play) */
    const sm_changeset *cs = a->p->changes;
    bool *take = xcalloc(cs->n + 1, sizeof *take);
    for (size_t i = 0; i < cs->n; i++)
        take[i] = rows_in_play(a, i);
    int error = review_plan_build(out, a->p, &a->marks, take, count, err);
    free(take);
    return error;
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
