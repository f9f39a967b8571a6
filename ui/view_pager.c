/* view_pager.c: a scrollable text: the apply preview (a unified diff, coloured), a
 * backup's diff, and the help screen, which is built from the keymap table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "textwidth.h"
#include "xalloc.h"

static void pager_clear(ui_pager *pg)
{
    free(pg->title);
    align_lines_free(pg->lines, pg->nlines);
    memset(pg, 0, sizeof *pg);
}

static void pager_set(ui_app *a, const char *title, const char *text, bool diff)
{
    ui_mode back = a->mode == MODE_PAGER ? a->pager.back : a->mode;
    pager_clear(&a->pager);
    a->pager.title = xstrdup(title);
    a->pager.nlines = align_split_lines(&a->pager.lines, text, strlen(text));
    a->pager.diff = diff;
    a->pager.back = back;
}

static void pager_set_help(ui_app *a)
{
    strbuf sb = STRBUF_INIT;
    size_t n;
    const keymap_entry *e = keymap_entries(&n);
    /* opened on the loading screen or the error panel, the help starts at the few keys
     * that work there: they come last, below the change list's */
    int here = -1;
    if (a->mode == MODE_CHANGES && a->load != LOAD_READY)
        here = a->load == LOAD_FAILED ? SCOPE_DB_ERROR : SCOPE_LOADING;
    size_t here_line = 0, nl = 0;
    for (int s = 0; s < SCOPE_COUNT; s++) {
        if (s) {
            strbuf_addch(&sb, '\n');
            nl++;
        }
        if (s == here)
            here_line = nl;
        nl++;
        strbuf_addf(&sb, "%s\n", keymap_scope_name((ui_scope)s));
        for (size_t i = 0; i < n; i++) {
            if ((int)e[i].scope != s)
                continue;
            /* pad by columns: the labels hold arrows */
            int pad = 12 - text_width(e[i].label, strlen(e[i].label));
            strbuf_addf(&sb, "  %s%*s%s\n", e[i].label, pad > 1 ? pad : 1, "", e[i].help);
            nl++;
        }
    }
    strbuf_adds(&sb, "\nMouse: a click on a change selects it, a click on its [ ] box accepts it,\n"
                     "the wheel scrolls the list, the panes or the text under the pointer, and a\n"
                     "click on a key in the footer runs it.\n");
    strbuf_adds(&sb, "\nSeverity: [CRITICAL] red, [HIGH] magenta, [MEDIUM] yellow, [LOW] cyan;\n"
                     "without colour bold and underlined, bold, underlined, dim.\n"
                     "In the panes, + marks a line only the database has, - one only the file has,\n"
                     "~ a line that differs.\n");
    pager_set(a, "Help", sb.buf, false);
    strbuf_release(&sb);
    size_t page = a->lay.body.h > 3 ? (size_t)a->lay.body.h - 2 : 1;
    size_t max = a->pager.nlines > page ? a->pager.nlines - page : 0;
    a->pager.top = here_line < max ? here_line : max;
}

static void pager_draw(ui_app *a)
{
    ui_pager *pg = &a->pager;
    WINDOW *w = a->w_body;
    int h = a->lay.body.h - 1, width = a->lay.body.w;
    for (int i = 0; i < h; i++) {
        size_t r = pg->top + (size_t)i;
        if (r >= pg->nlines)
            break;
        const char *l = pg->lines[r];
        attr_t at = theme_attr(ROLE_NORMAL);
        if (pg->diff) {
            if (strncmp(l, "+++", 3) == 0 || strncmp(l, "---", 3) == 0 || strncmp(l, "diff ", 5) == 0)
                at = theme_attr(ROLE_GROUP);
            else if (l[0] == '+')
                at = theme_attr(ROLE_ADDED);
            else if (l[0] == '-')
                at = theme_attr(ROLE_REMOVED);
            else if (strncmp(l, "@@", 2) == 0)
                at = theme_attr(ROLE_HUNK);
        }
        draw_text(w, 1 + i, 0, width, draw_skip_cols(l, pg->hscroll), at, 0);
    }
    wnoutrefresh(w);
}

static void pager_key(ui_app *a, ui_action act, int key, bool is_char)
{
    (void)key;
    (void)is_char;
    ui_pager *pg = &a->pager;
    size_t page = a->lay.body.h > 3 ? (size_t)a->lay.body.h - 2 : 1;
    size_t max = pg->nlines > page ? pg->nlines - page : 0;
    switch (act) {
    case ACT_UP: pg->top = pg->top ? pg->top - 1 : 0; break;
    case ACT_DOWN: pg->top = pg->top < max ? pg->top + 1 : max; break;
    case ACT_PAGE_UP: pg->top = pg->top > page ? pg->top - page : 0; break;
    case ACT_PAGE_DOWN: pg->top = pg->top + page < max ? pg->top + page : max; break;
    case ACT_TOP: pg->top = 0; break;
    case ACT_BOTTOM: pg->top = max; break;
    case ACT_LEFT: pg->hscroll = pg->hscroll > 8 ? pg->hscroll - 8 : 0; break;
    case ACT_RIGHT: pg->hscroll += 8; break;
    case ACT_CLOSE:
        a->mode = pg->back;
        pager_clear(pg);
        break;
    default:
        app_message(a, false, "q closes this view");
        break;
    }
}

static ui_scope pager_scope(const ui_app *a)
{
    (void)a;
    return SCOPE_PAGER;
}

static int pager_open(ui_app *a, const view_args *args)
{
    if (args->help)
        pager_set_help(a);
    else
        pager_set(a, args->title, args->text, args->diff);
    return 0;
}

static void pager_close(ui_app *a)
{
    pager_clear(&a->pager);
}

static void pager_title(const ui_app *a, strbuf *out)
{
    strbuf_adds(out, a->pager.title ? a->pager.title : "");
}

static void pager_mouse(ui_app *a, int y, int x, long wheel)
{
    if (!wheel || layout_area(&a->lay, true, y, x) != AREA_BODY)
        return;
    for (long i = 0; i < (wheel < 0 ? -wheel : wheel); i++)
        pager_key(a, wheel < 0 ? ACT_UP : ACT_DOWN, 0, false);
}

/* A question asked over the pager (i shows the config's diff, then asks) is the view's
 * below: y closes the pager and goes to it. */
static void pager_confirmed(ui_app *a, ui_confirm_action what)
{
    ui_mode back = a->pager.back;
    pager_clear(&a->pager);
    a->mode = back;
    if (a->views[back]->confirmed)
        a->views[back]->confirmed(a, what);
}

const view_ops view_pager_ops = {
    .name = "pager",
    .scope = pager_scope,
    .open = pager_open,
    .close = pager_close,
    .title = pager_title,
    .draw = pager_draw,
    .key = pager_key,
    .mouse = pager_mouse,
    .confirmed = pager_confirmed,
};
