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

/* The footer's word for e: under a severity filter, apply says that it acts on the
 * changes shown only. */
static const char *footer_word(const ui_app *a, const keymap_entry *e)
{
    if (e->scope == SCOPE_CHANGES && a->filter >= 0 && e->action == ACT_APPLY)
        return "apply shown";
    return e->footer;
}

/* One label of the footer: the keys of one or more table rows in a run that share a
 * footer word ("n/N match", "1/2/3/4/0 filter"), each key a click target of its own; the
 * word runs the first key. */
#define FOOTER_PARTS 8
typedef struct footer_label {
    char keys[64];
    size_t nparts;
    size_t part_start[FOOTER_PARTS], part_len[FOOTER_PARTS]; /* bytes of keys */
    int part_key[FOOTER_PARTS];
    const char *word;
} footer_label;

#define FOOTER_GAP 2
#define FOOTER_CAP 24

static void label_add_part(footer_label *l, const keymap_entry *e)
{
    size_t len = strlen(l->keys);
    if (l->nparts == FOOTER_PARTS || len + 1 + strlen(e->label) >= sizeof l->keys)
        return;
    if (l->nparts)
        l->keys[len++] = '/';
    strcpy(l->keys + len, e->label);
    l->part_start[l->nparts] = len;
    l->part_len[l->nparts] = strlen(e->label);
    l->part_key[l->nparts++] = e->keys[0];
}

/* The footer's labels for scope, in table order: every row of the scope with a footer
 * word (undo only while there is an apply to undo). */
static size_t footer_labels(const ui_app *a, ui_scope scope, footer_label *out, size_t cap)
{
    size_t n, count = 0;
    const keymap_entry *e = keymap_entries(&n);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (e[i].scope != scope || !e[i].footer || (e[i].action == ACT_UNDO && !a->undo_backup)) {
            prev = NULL;
            continue;
        }
        const char *word = footer_word(a, &e[i]);
        if (!prev || strcmp(prev, word) != 0) {
            if (count == cap)
                break;
            memset(&out[count], 0, sizeof out[count]);
            out[count++].word = word;
        }
        label_add_part(&out[count - 1], &e[i]);
        prev = word;
    }
    return count;
}

static int footer_label_width(const footer_label *l)
{
    return text_width(l->keys, strlen(l->keys)) + 1 + text_width(l->word, strlen(l->word));
}

/* Lay out scope's labels at width: their places in out, the rows they take. */
static int footer_pack(const ui_app *a, ui_scope scope, int width, footer_label *labels,
                       size_t *nlabels, ui_span *out)
{
    *nlabels = footer_labels(a, scope, labels, FOOTER_CAP);
    int widths[FOOTER_CAP];
    for (size_t i = 0; i < *nlabels; i++)
        widths[i] = footer_label_width(&labels[i]);
    return layout_pack(widths, *nlabels, width, FOOTER_GAP, out);
}

int app_footer_rows(const ui_app *a, ui_scope scope, int width)
{
    footer_label labels[FOOTER_CAP];
    ui_span spans[FOOTER_CAP];
    size_t n;
    return footer_pack(a, scope, width, labels, &n, spans);
}

/* Remember a click target of the footer, in screen cells. */
static void footer_target(ui_app *a, int y, int x, int w, int key)
{
    if (a->nfooter == sizeof a->footer_spans / sizeof *a->footer_spans || w <= 0)
        return;
    a->footer_spans[a->nfooter] = (ui_span){ a->lay.footer.y + y, a->lay.footer.x + x, w };
    a->footer_keys[a->nfooter++] = key;
}

/* The footer names every key of the view's scope with its word, in table order, over as
 * many rows as the width needs (the layout gives it them: app_footer_rows); a label is
 * never cut in the middle. The moving keys shared by every list are in the help. */
void app_draw_footer(ui_app *a, ui_scope scope)
{
    WINDOW *w = a->w_footer;
    werase(w);
    footer_label labels[FOOTER_CAP];
    ui_span place[FOOTER_CAP];
    size_t n;
    footer_pack(a, scope, a->lay.footer.w, labels, &n, place);
    a->nfooter = 0;
    for (size_t i = 0; i < n && place[i].y < a->lay.footer.h; i++) {
        const footer_label *l = &labels[i];
        int y = place[i].y, x = place[i].x, end = place[i].x + place[i].w;
        int keys_w = draw_text(w, y, x, end - x, l->keys, theme_attr(ROLE_KEY), 0);
        int word_w = draw_text(w, y, x + keys_w, end - x - keys_w, " ", theme_attr(ROLE_FOOTER), 0);
        word_w += draw_text(w, y, x + keys_w + word_w, end - x - keys_w - word_w, l->word,
                            theme_attr(ROLE_FOOTER), 0);
        if (l->nparts == 1) {
            footer_target(a, y, x, keys_w + word_w, l->part_key[0]);
            continue;
        }
        for (size_t p = 0; p < l->nparts; p++)
            footer_target(a, y, x + text_width(l->keys, l->part_start[p]),
                          text_width(l->keys + l->part_start[p], l->part_len[p]), l->part_key[p]);
        footer_target(a, y, x + keys_w, word_w, l->part_key[0]);
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
