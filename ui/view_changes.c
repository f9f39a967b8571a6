/* view_changes.c: the drift view. The change list grouped by file and object (a header
 * row for each), and the side-by-side panes for the object under the cursor: the
 * database's rendering of it (codegen, in the file's own style) on the left, the local
 * class's text on the right, aligned line by line, changed lines in their severity's
 * colour. Accepting, filtering, searching and starting an apply are here; what an apply
 * does is apply.c's business. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "draw.h"
#include "fsutil.h"
#include "merge.h"
#include "settings.h"
#include "render.h"
#include "rows.h"
#include "session.h"
#include "utf8.h"
#include "xalloc.h"

#define KEY_ESCAPE 27

/* Columns one press of h or l scrolls the panes sideways. */
#define HSCROLL_STEP 8

/* ---------------------------------------------------------------- rows */

static const sm_change *current(const ui_app *a)
{
    if (!a->nrows || a->rows[a->cur].kind != ROW_CHANGE)
        return NULL;
    return &a->p->changes->items[a->rows[a->cur].change];
}

/* Move the cursor by delta change rows (headers skipped), clamped. */
static void move_cursor(ui_app *a, long delta)
{
    if (!a->nrows)
        return;
    size_t r = a->cur;
    while (delta > 0) {
        size_t k = r + 1;
        while (k < a->nrows && a->rows[k].kind != ROW_CHANGE)
            k++;
        if (k >= a->nrows)
            break;
        r = k;
        delta--;
    }
    while (delta < 0) {
        size_t k = r;
        bool found = false;
        while (k > 0) {
            k--;
            if (a->rows[k].kind == ROW_CHANGE) {
                found = true;
                break;
            }
        }
        if (!found)
            break;
        r = k;
        delta++;
    }
    a->cur = r;
}


/* The panes show the review of the object under the cursor (review.h), built when the
 * cursor comes to another object. */
static void sbs_build(ui_app *a, const sm_change *c)
{
    ui_sbs *s = &a->sbs;
    if (s->view.target == (int)c->target && s->view.class_name && c->class_name &&
        strcmp(s->view.class_name, c->class_name) == 0)
        return;
    sbs_clear(s);
    review_sbs_build(&s->view, a->p, (size_t)(c - a->p->changes->items));
}

static void draw_pane(ui_app *a, WINDOW *w, const ui_rect *rc, bool left_side)
{
    const review_sbs *s = &a->sbs.view;
    size_t top = a->sbs.top;
    int hscroll = a->sbs.hscroll;
    werase(w);
    const char *title = left_side ? s->left_title : s->right_title;
    draw_text(w, 0, 0, rc->w, title ? title : "", theme_attr(a->focus ? ROLE_TITLE_FOCUS : ROLE_TITLE), 1);
    int rows = rc->h - 1;
    for (int i = 0; i < rows; i++) {
        size_t r = top + (size_t)i;
        if (r >= s->nrows)
            break;
        int idx = left_side ? s->rows[r].left : s->rows[r].right;
        const char *text = idx >= 0 ? (left_side ? s->left[idx] : s->right[idx]) : "";
        attr_t at = theme_attr(ROLE_NORMAL);
        if (s->row_sev[r] >= 0 && idx >= 0)
            at = theme_attr(theme_severity_role((sm_severity)s->row_sev[r]));
        /* a one-column gutter: "+"/"-"/"~" for a changed line, so the change shows
         * without colour too */
        const char *mark = " ";
        if (!s->rows[r].same && idx >= 0) {
            bool other = (left_side ? s->rows[r].right : s->rows[r].left) >= 0;
            mark = other ? "~" : (left_side ? "+" : "-");
        }
        draw_text(w, 1 + i, 0, 1, mark, at, 0);
        draw_text(w, 1 + i, 1, rc->w - 1, draw_skip_cols(text, hscroll), at, 0);
    }
    wnoutrefresh(w);
}

static void format_row(strbuf *sb, const ui_app *a, const ui_row *row)
{
    const sm_change *c = &a->p->changes->items[row->change];
    switch (row->kind) {
    case ROW_FILE:
        strbuf_adds(sb, c->file ? c->file : "?");
        break;
    case ROW_OBJECT:
        strbuf_addf(sb, "  %s", c->class_name ? c->class_name : "?");
        if (c->object) {
            bool is_enum = c->enm || c->kind == CHANGE_ENUM_ADDED || c->kind == CHANGE_ENUM_REMOVED ||
                           c->target == TARGET_ENUMS;
            strbuf_addf(sb, " (%s %s)", is_enum ? "enum" : "table", c->object);
        }
        break;
    case ROW_CHANGE: {
        char badge[16];
        snprintf(badge, sizeof badge, "[%s]", severity_tag(c->severity));
        /* the box where a click toggles it: layout.h's LAYOUT_BOX_X */
        strbuf_addf(sb, "%*s%s %-10s %-26s ", LAYOUT_BOX_X, "", a->marks.accepted[row->change] ? "[x]" : "[ ]",
                    badge, change_kind_name(c->kind));
        render_change_title(sb, c);
        if (c->reason)
            strbuf_addf(sb, "  (cannot apply: %s)", c->reason);
        else if (c->note)
            strbuf_addf(sb, "  (%s)", c->note);
        break;
    }
    }
}

static const char *find_ci(const char *hay, const char *needle);

/* A row of the list, the first match of the search in it underlined and bold. */
static void draw_match(WINDOW *w, int y, int width, const char *text, attr_t at, int pad, const char *search)
{
    const char *m = search && *search ? find_ci(text, search) : NULL;
    if (!m) {
        draw_text(w, y, 0, width, text, at, pad);
        return;
    }
    size_t before = (size_t)(m - text), len = strlen(search);
    int x = draw_textn(w, y, 0, width, text, before, at, 0);
    x += draw_textn(w, y, x, width - x, m, len, at | A_BOLD | A_UNDERLINE, 0);
    draw_text(w, y, x, width - x, m + len, at, pad);
}

static void list_draw(ui_app *a)
{
    const sm_changeset *cs = a->p->changes;
    WINDOW *w = a->w_list;
    werase(w);
    int h = a->lay.list.h, width = a->lay.list.w;
    if (!cs || cs->n == 0 || a->nrows == 0) {
        const char *text = !cs || cs->n == 0 ? "In sync: the local files match the database."
                                             : "No change at this severity (0 shows them all).";
        draw_text(w, 1, 2, width - 2, text, theme_attr(ROLE_MESSAGE), 0);
        wnoutrefresh(w);
        WINDOW *panes[] = { a->w_left, a->w_right, a->w_sep };
        for (int i = 0; i < 3; i++) {
            werase(panes[i]);
            wnoutrefresh(panes[i]);
        }
        return;
    }
    /* keep the cursor in view, with its group header when there is room */
    if (a->cur < a->top)
        a->top = a->cur >= 2 && a->rows[a->cur - 1].kind != ROW_CHANGE
                     ? (a->rows[a->cur - 2].kind == ROW_FILE ? a->cur - 2 : a->cur - 1)
                     : a->cur;
    if (a->cur >= a->top + (size_t)h)
        a->top = a->cur - (size_t)h + 1;
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < h; i++) {
        size_t r = a->top + (size_t)i;
        if (r >= a->nrows)
            break;
        const ui_row *row = &a->rows[r];
        strbuf_reset(&sb);
        format_row(&sb, a, row);
        attr_t at;
        if (row->kind == ROW_FILE)
            at = theme_attr(ROLE_TITLE);
        else if (row->kind == ROW_OBJECT)
            at = theme_attr(ROLE_GROUP);
        else
            at = theme_attr(theme_severity_role(cs->items[row->change].severity));
        if (r == a->cur)
            at = theme_attr(a->focus == 0 ? ROLE_SELECTED : ROLE_GROUP) |
                 (a->focus == 0 ? 0 : A_UNDERLINE);
        draw_match(w, i, width, sb.buf, at, r == a->cur, row->kind == ROW_CHANGE ? a->search : NULL);
    }
    strbuf_release(&sb);
    wnoutrefresh(w);

    const sm_change *c = current(a);
    if (c)
        sbs_build(a, c);
    draw_pane(a, a->w_left, &a->lay.left, true);
    draw_pane(a, a->w_right, &a->lay.right, false);
    werase(a->w_sep);
    for (int i = 0; i < a->lay.left.h; i++)
        draw_text(a->w_sep, i, 0, 1, "\xe2\x94\x82", theme_attr(ROLE_DIM), 0);
    wnoutrefresh(a->w_sep);
}

/* ---------------------------------------------------------------- search */

/* The first place needle is in hay, ASCII case ignored; NULL when nowhere. */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; hay && *h; h++)
        if (strncasecmp(h, needle, n) == 0)
            return h;
    return NULL;
}

static bool contains_ci(const char *hay, const char *needle)
{
    return find_ci(hay, needle) != NULL;
}

static bool change_matches(const sm_change *c, const char *q)
{
    if (contains_ci(c->object, q) || contains_ci(c->class_name, q) || contains_ci(c->member, q) ||
        contains_ci(change_kind_name(c->kind), q) || contains_ci(c->id, q))
        return true;
    strbuf t = STRBUF_INIT;
    render_change_title(&t, c);
    bool m = contains_ci(t.buf, q);
    strbuf_release(&t);
    return m;
}

static void search_step(ui_app *a, bool forward)
{
    if (!a->search || !*a->search) {
        app_message(a, false, "no search yet (/ searches)");
        return;
    }
    if (!a->nrows)
        return;
    size_t n = a->nrows;
    for (size_t k = 1; k <= n; k++) {
        size_t r = forward ? (a->cur + k) % n : (a->cur + n - (k % n)) % n;
        if (a->rows[r].kind == ROW_CHANGE && change_matches(&a->p->changes->items[a->rows[r].change], a->search)) {
            if ((forward && r <= a->cur) || (!forward && r >= a->cur))
                app_message(a, false, "search wrapped");
            a->cur = r;
            return;
        }
    }
    app_message(a, true, "no change matches '%s'", a->search);
}

/* As the search is typed: the first change from where / was pressed (that one included)
 * that matches, else the cursor stays where it was. */
static void search_incremental(ui_app *a)
{
    a->cur = a->search_origin < a->nrows ? a->search_origin : 0;
    if (!a->search || !*a->search || !a->nrows)
        return;
    for (size_t k = 0; k < a->nrows; k++) {
        size_t r = (a->search_origin + k) % a->nrows;
        if (a->rows[r].kind == ROW_CHANGE && change_matches(&a->p->changes->items[a->rows[r].change], a->search)) {
            a->cur = r;
            return;
        }
    }
}

static void search_start(ui_app *a)
{
    a->searching = true;
    strbuf_reset(&a->search_input);
    a->search_origin = a->cur;
    free(a->search_before);
    a->search_before = a->search ? xstrdup(a->search) : NULL;
}

/* A key typed at the / prompt: text moves to the first match as it is typed, enter keeps
 * the search (n and N go on from there), Esc goes back to where / was pressed. */
static void search_key(ui_app *a, int key, bool is_char)
{
    if (!is_char && key == KEY_BACKSPACE) {
        key = 127;
        is_char = true;
    }
    if (is_char && key == KEY_ESCAPE) {
        a->searching = false;
        free(a->search);
        a->search = a->search_before;
        a->search_before = NULL;
        a->cur = a->search_origin < a->nrows ? a->search_origin : a->cur;
        return;
    }
    if ((is_char && (key == '\n' || key == '\r')) || (!is_char && key == KEY_ENTER)) {
        a->searching = false;
        if (a->search && *a->search && a->nrows &&
            !change_matches(&a->p->changes->items[a->rows[a->cur].change], a->search))
            app_message(a, true, "no change matches '%s'", a->search);
        return;
    }
    strbuf *sb = &a->search_input;
    if (is_char && (key == 127 || key == 8)) {
        strbuf_truncate(sb, utf8_prev(sb->buf, sb->len)); /* the last character, not byte */
    } else if (is_char && key >= 0x20) {
        utf8_put(sb, (uint32_t)key);
    } else {
        return;
    }
    free(a->search);
    a->search = xstrdup(strbuf_str(sb));
    search_incremental(a);
}

/* ---------------------------------------------------------------- apply */

/* The accepted changes an apply takes: those the filter shows. */
static size_t accepted_count(const ui_app *a)
{
    size_t n = 0;
    for (size_t i = 0; a->marks.accepted && i < a->p->changes->n; i++)
        n += rows_in_play(a, i);
    return n;
}

static void do_preview(ui_app *a)
{
    size_t count = accepted_count(a);
    if (!count) {
        app_message(a, false, "nothing accepted: space accepts the change under the cursor");
        return;
    }
    app_working(a, "working...");
    apply_plan *plan = NULL;
    sm_error err = SM_ERROR_INIT;
    strbuf diff = STRBUF_INIT;
    if (app_plan_build(a, &plan, &count, &err) < 0 || apply_plan_diff(&diff, plan, &err) < 0) {
        app_message(a, true, "%s", err.what);
    } else {
        strbuf text = STRBUF_INIT;
        const char **paths = NULL;
        size_t npaths = 0;
        if (apply_plan_paths(&paths, &npaths, plan, a->p, &err) >= 0 && npaths) {
            strbuf_adds(&text, "writes:");
            for (size_t i = 0; i < npaths; i++)
                strbuf_addf(&text, " %s", paths[i]);
            strbuf_addch(&text, '\n');
        }
        free(paths);
        if (apply_plan_conflicted(plan))
            strbuf_adds(&text, "(the files changed on disk in the same places: applying opens the conflicts)\n");
        for (size_t i = 0; i < a->p->changes->n; i++) {
            const sm_change *c = &a->p->changes->items[i];
            if (rows_in_play(a, i) && c->note && !c->reason) {
                char *shown = utf8_escaped(c->note);
                strbuf_addf(&text, "note: %s\n", shown);
                free(shown);
            }
        }
        for (size_t i = 0; i < plan->nfailed; i++) {
            strbuf_adds(&text, "cannot apply: ");
            if (plan->failed[i].change) {
                render_change_title(&text, plan->failed[i].change);
                strbuf_adds(&text, ": ");
            }
            strbuf_addf(&text, "%s\n", plan->failed[i].reason);
        }
        if (!diff.len)
            strbuf_adds(&text, "(applying would change no file)\n");
        strbuf_add(&text, diff.buf, diff.len);
        char title[128];
        snprintf(title, sizeof title, "Preview: %zu accepted change%s", count, count == 1 ? "" : "s");
        app_open_view(a, MODE_PAGER, &(view_args){ .title = title, .text = text.buf, .diff = true });
        a->message[0] = '\0'; /* "working..." is over */
        strbuf_release(&text);
    }
    strbuf_release(&diff);
    apply_plan_free(plan);
}

static void do_apply(ui_app *a)
{
    size_t count = accepted_count(a);
    if (!count) {
        app_message(a, false, "nothing accepted: space accepts the change under the cursor");
        return;
    }
    app_working(a, "working...");
    session_wait_hash(a); /* the state written with the files records it */
    apply_plan *plan = NULL;
    sm_error err = SM_ERROR_INIT;
    if (app_plan_build(a, &plan, &count, &err) < 0) {
        app_message(a, true, "%s", err.what);
    } else if (apply_plan_conflicted(plan)) {
        app_open_view(a, MODE_CONFLICT, &(view_args){ .plan = plan });
        plan = NULL;
    } else {
        session_apply(a, plan);
        plan = NULL;
    }
    apply_plan_free(plan);
}

/* w (and enter): ask once before writing, as the command line does with --prune: how
 * many changes, the files it writes and the classes it removes whole. y applies. */
static void ask_apply(ui_app *a)
{
    size_t count = accepted_count(a);
    if (!count) {
        app_message(a, false, "nothing accepted%s: space accepts the change under the cursor",
                    a->filter >= 0 ? " among the changes shown" : "");
        return;
    }
    app_working(a, "working...");
    session_wait_hash(a); /* which files: the version file's turn depends on the hash */
    apply_plan *plan = NULL;
    sm_error err = SM_ERROR_INIT;
    const char **paths = NULL;
    size_t npaths = 0;
    if (app_plan_build(a, &plan, &count, &err) < 0 || apply_plan_paths(&paths, &npaths, plan, a->p, &err) < 0) {
        app_message(a, true, "%s", err.what);
        apply_plan_free(plan);
        return;
    }
    strbuf q = STRBUF_INIT;
    strbuf_addf(&q, "apply %zu change%s", count, count == 1 ? "" : "s");
    if (apply_plan_conflicted(plan))
        strbuf_adds(&q, " (conflicts with edits on disk: resolved before writing)");
    else if (npaths)
        strbuf_adds(&q, ", writing");
    for (size_t i = 0; i < npaths && !apply_plan_conflicted(plan); i++)
        strbuf_addf(&q, "%s %s", i ? "," : "", paths[i]);
    const sm_changeset *cs = a->p->changes;
    size_t nremoved = 0;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        if (!rows_in_play(a, i) || (c->kind != CHANGE_TABLE_REMOVED && c->kind != CHANGE_ENUM_REMOVED))
            continue;
        strbuf_addf(&q, "%s %s", nremoved++ ? "," : "; removing class", c->class_name ? c->class_name : "?");
    }
    strbuf_adds(&q, "? (y/n)");
    char *shown = utf8_escaped(q.buf);
    app_ask(a, CONFIRM_APPLY, shown);
    free(shown);
    strbuf_release(&q);
    free(paths);
    apply_plan_free(plan);
}

/* i: stop tracking the object of the change under the cursor from now on. A class only in
 * the files is ignored ("ignore"), an object only in the database excluded ("exclude"),
 * one in both both. The config's diff is shown, and a question: y saves it. */
static void ask_ignore(ui_app *a)
{
    const sm_change *c = current(a);
    if (!c)
        return;
    const sm_project *p = a->p;
    const char *db_name = c->table ? c->table->name : c->enm ? c->enm->name : NULL;
    const char *db_schema = c->table ? c->table->schema : c->enm ? c->enm->schema : NULL;
    const char *cls = c->cls ? c->cls->name : NULL;
    const char *rel = p->config->path ? p->config->path : ".schemerge.json";
    char *path = project_path(p, rel), *old = NULL;
    size_t old_len = 0;
    sm_error err = SM_ERROR_INIT;
    int rc = fs_read_file(&old, &old_len, path, &err);
    if (rc < 0 && rc != ERR_NOT_FOUND) {
        app_message(a, true, "%s", err.what);
        free(path);
        return;
    }
    sm_error_clear(&err);
    strbuf cur = STRBUF_INIT, what = STRBUF_INIT;
    bool any = false;
    int error = settings_edit_untrack(&cur, &any, old ? old : "", old_len, cls, db_schema, db_name, rel, &err);
    if (cls)
        strbuf_addf(&what, "class %s ignored", cls);
    if (db_name)
        strbuf_addf(&what, "%s%s %s.%s excluded", what.len ? ", " : "", c->enm ? "enum" : "table",
                    db_schema ? db_schema : "?", db_name);
    if (error < 0) {
        app_message(a, true, "%s: %s", rel, err.what);
    } else if (!any) {
        app_message(a, false, "%s says so already", rel);
    } else {
        strbuf diff = STRBUF_INIT;
        char *a_path = xasprintf("a/%s", rel), *b_path = xasprintf("b/%s", rel);
        if (diff_unified(&diff, old ? a_path : "/dev/null", old ? old : "", old_len, b_path, cur.buf, cur.len, &err) < 0) {
            app_message(a, true, "%s", err.what);
        } else {
            session_forget_config(a);
            a->pending_config_len = cur.len;
            a->pending_config = strbuf_detach(&cur, NULL);
            a->pending_config_path = xstrdup(path);
            a->pending_what = strbuf_detach(&what, NULL);
            char title[300];
            snprintf(title, sizeof title, "Stop tracking: %s", a->pending_what);
            app_open_view(a, MODE_PAGER, &(view_args){ .title = title, .text = diff.buf, .diff = true });
            char q[400];
            snprintf(q, sizeof q, "save %s as shown: %s from now on? (y/n)", rel, a->pending_what);
            char *shown = utf8_escaped(q);
            app_ask(a, CONFIRM_IGNORE, shown);
            free(shown);
        }
        free(a_path);
        free(b_path);
        strbuf_release(&diff);
    }
    strbuf_release(&cur);
    strbuf_release(&what);
    free(old);
    free(path);
}

/* ---------------------------------------------------------------- keys */

/* The panes show the object under the cursor: drop them when the cursor left it. */
static void sbs_follow(ui_app *a)
{
    if (a->sbs.view.target >= 0) {
        const sm_change *c = current(a);
        if (c && (a->sbs.view.target != (int)c->target || strcmp(a->sbs.view.class_name, c->class_name ? c->class_name : "")))
            sbs_clear(&a->sbs);
    }
}

static void changes_click(ui_app *a, size_t row, bool box)
{
    if (row >= a->nrows)
        return;
    /* a header selects the first change under it */
    while (row < a->nrows && a->rows[row].kind != ROW_CHANGE)
        row++;
    if (row >= a->nrows)
        return;
    a->cur = row;
    a->focus = 0;
    if (box && a->rows[row].kind == ROW_CHANGE && a->marks.accepted) {
        a->marks.accepted[a->rows[row].change] = !a->marks.accepted[a->rows[row].change];
        app_review_sync(a);
    }
    sbs_follow(a);
}

static void changes_scroll(ui_app *a, long delta)
{
    size_t h = a->lay.list.h > 0 ? (size_t)a->lay.list.h : 1;
    if (!a->nrows)
        return;
    size_t maxtop = a->nrows > h ? a->nrows - h : 0;
    long top = (long)a->top + delta;
    a->top = top < 0 ? 0 : (size_t)top > maxtop ? maxtop : (size_t)top;
    /* the cursor stays on screen: it moves to the nearest change still shown, so that
     * the view does not jump back to it on the next draw */
    size_t end = a->top + h < a->nrows ? a->top + h : a->nrows;
    if (a->cur < a->top) {
        for (size_t r = a->top; r < end; r++)
            if (a->rows[r].kind == ROW_CHANGE) {
                a->cur = r;
                break;
            }
    } else if (a->cur >= end) {
        for (size_t r = end; r > a->top; r--)
            if (a->rows[r - 1].kind == ROW_CHANGE) {
                a->cur = r - 1;
                break;
            }
    }
    sbs_follow(a);
}

static void sbs_scroll(ui_app *a, long delta)
{
    ui_sbs *s = &a->sbs;
    size_t max = s->view.nrows > 0 ? s->view.nrows - 1 : 0;
    long top = (long)s->top + delta;
    s->top = top < 0 ? 0 : (size_t)top > max ? max : (size_t)top;
}

static void list_key(ui_app *a, ui_action act)
{
    const sm_changeset *cs = a->p->changes;
    if (!cs)
        return;
    int page = a->lay.list.h > 2 ? a->lay.list.h - 2 : 1;
    int pane_page = a->lay.left.h > 3 ? a->lay.left.h - 2 : 1;
    if (a->focus == 1) {
        /* the panes scroll together: they are aligned */
        ui_sbs *s = &a->sbs;
        size_t max = s->view.nrows > 0 ? s->view.nrows - 1 : 0;
        switch (act) {
        case ACT_UP: s->top = s->top ? s->top - 1 : 0; return;
        case ACT_DOWN: s->top = s->top < max ? s->top + 1 : max; return;
        case ACT_PAGE_UP: s->top = s->top > (size_t)pane_page ? s->top - (size_t)pane_page : 0; return;
        case ACT_PAGE_DOWN:
        case ACT_TOGGLE: /* space pages in the panes, as in less: there is nothing to accept */
            s->top = s->top + (size_t)pane_page < max ? s->top + (size_t)pane_page : max;
            return;
        case ACT_TOP: s->top = 0; return;
        case ACT_BOTTOM: s->top = max; return;
        default: break;
        }
    }
    switch (act) {
    case ACT_UP: move_cursor(a, -1); break;
    case ACT_DOWN: move_cursor(a, 1); break;
    case ACT_PAGE_UP: move_cursor(a, -page); break;
    case ACT_PAGE_DOWN: move_cursor(a, page); break;
    case ACT_TOP: a->cur = 0; move_cursor(a, 1); move_cursor(a, -1); break;
    case ACT_BOTTOM: move_cursor(a, (long)a->nrows); break;
    case ACT_FOCUS: a->focus = !a->focus; break;
    /* long lines: the panes scroll sideways together, from either focus */
    case ACT_LEFT: a->sbs.hscroll = a->sbs.hscroll > HSCROLL_STEP ? a->sbs.hscroll - HSCROLL_STEP : 0; break;
    case ACT_RIGHT: a->sbs.hscroll += HSCROLL_STEP; break;
    case ACT_TOGGLE: {
        const sm_change *c = current(a);
        if (c) {
            a->marks.accepted[a->rows[a->cur].change] = !a->marks.accepted[a->rows[a->cur].change];
            app_review_sync(a);
            move_cursor(a, 1);
        }
        break;
    }
    case ACT_ACCEPT_ALL: {
        size_t n = 0;
        for (size_t r = 0; r < a->nrows; r++)
            if (a->rows[r].kind == ROW_CHANGE && !a->marks.accepted[a->rows[r].change])
                a->marks.accepted[a->rows[r].change] = true, n++;
        app_review_sync(a);
        app_message(a, false, "accepted %zu more change%s", n, n == 1 ? "" : "s");
        break;
    }
    case ACT_CLEAR:
        memset(a->marks.accepted, 0, cs->n * sizeof *a->marks.accepted);
        app_review_sync(a);
        app_message(a, false, "no change accepted");
        break;
    case ACT_FILTER_CRITICAL: case ACT_FILTER_HIGH: case ACT_FILTER_MEDIUM: case ACT_FILTER_LOW:
    case ACT_FILTER_NONE: {
        int want = act == ACT_FILTER_CRITICAL ? SEV_CRITICAL : act == ACT_FILTER_HIGH ? SEV_HIGH
                 : act == ACT_FILTER_MEDIUM   ? SEV_MEDIUM   : act == ACT_FILTER_LOW  ? SEV_LOW : -1;
        a->filter = want == a->filter ? -1 : want;
        a->cur = 0;
        a->top = 0;
        rows_rebuild(a);
        break;
    }
    case ACT_SEARCH_NEXT: search_step(a, true); break;
    case ACT_SEARCH_PREV: search_step(a, false); break;
    case ACT_PREVIEW: do_preview(a); break;
    case ACT_APPLY: ask_apply(a); break;
    case ACT_IGNORE: ask_ignore(a); break;
    case ACT_UNDO:
        if (!a->undo_backup) {
            app_message(a, false, "nothing to undo: z undoes the last apply made here");
        } else {
            char q[200];
            snprintf(q, sizeof q, "undo the last apply: restore backup %s, the files as they were before it? (y/n)",
                     a->undo_backup);
            app_ask(a, CONFIRM_UNDO, q);
        }
        break;
    case ACT_BACKUPS: app_open_view(a, MODE_BACKUPS, &(view_args){ 0 }); break;
    case ACT_COMMIT: app_open_view(a, MODE_COMMIT, &(view_args){ 0 }); break;
    case ACT_RELOAD: session_reload_all(a); break;
    default: break;
    }
    sbs_follow(a);
}

/* ---------------------------------------------------------------- the view */

/* Until the drift is there, the view is a panel: loading, or the error and what to do. */
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

static ui_scope changes_scope(const ui_app *a)
{
    return a->load == LOAD_RUNNING ? SCOPE_LOADING : a->load == LOAD_FAILED ? SCOPE_DB_ERROR : SCOPE_CHANGES;
}

static int changes_open(ui_app *a, const view_args *args)
{
    (void)a;
    (void)args;
    return 0;
}

static void changes_close(ui_app *a)
{
    sbs_clear(&a->sbs);
}

static void changes_draw(ui_app *a)
{
    if (a->load == LOAD_RUNNING) {
        draw_panel(a, "Loading the database catalog...", "reading tables, columns and enums", NULL,
                   "q quits", ROLE_TITLE);
    } else if (a->load == LOAD_FAILED) {
        draw_panel(a, "Error", a->load_err.what, a->load_err.hint[0] ? a->load_err.hint : NULL,
                   "r retries, b opens the backups, q quits", ROLE_ERROR);
    } else {
        list_draw(a);
    }
}

static void changes_key(ui_app *a, ui_action act, int key, bool is_char)
{
    if (a->searching) {
        search_key(a, key, is_char);
        sbs_follow(a);
        return;
    }
    if (act == ACT_HELP) {
        app_open_view(a, MODE_PAGER, &(view_args){ .help = true });
    } else if (a->load != LOAD_READY) {
        /* the loading screen and the error panel: only their own few keys */
        if (act == ACT_QUIT)
            a->quit = true;
        else if (act == ACT_RELOAD)
            session_reload_all(a);
        else if (act == ACT_BACKUPS) /* a file that does not parse: restore a good one */
            app_open_view(a, MODE_BACKUPS, &(view_args){ 0 });
    } else if (act == ACT_QUIT) {
        session_want_quit(a);
    } else if (act == ACT_SEARCH) {
        search_start(a);
    } else if (act == ACT_NONE) {
        app_message(a, false, "no action on that key (? shows the keys)");
    } else {
        list_key(a, act);
    }
}

static void changes_mouse(ui_app *a, int y, int x, long wheel)
{
    if (a->load != LOAD_READY)
        return;
    a->message[0] = '\0';
    ui_area area = layout_area(&a->lay, false, y, x);
    if (area == AREA_LIST) {
        if (wheel) {
            changes_scroll(a, wheel);
        } else {
            long r = layout_item_at(&a->lay.list, 0, a->top, a->nrows, y);
            if (r >= 0)
                changes_click(a, (size_t)r, layout_on_box(&a->lay, x));
        }
    } else if (area == AREA_LEFT || area == AREA_RIGHT || area == AREA_SEP) {
        if (wheel)
            sbs_scroll(a, wheel);
        else
            a->focus = 1;
    }
}

static void changes_confirmed(ui_app *a, ui_confirm_action what)
{
    if (what == CONFIRM_APPLY) {
        do_apply(a);
    } else if (what == CONFIRM_IGNORE) {
        session_save_config(a);
    } else if (what == CONFIRM_UNDO && a->undo_backup) {
        char *id = xstrdup(a->undo_backup);
        session_restore(a, id, "undone: restored");
        free(id);
    }
}

const view_ops view_changes_ops = {
    .name = "changes",
    .scope = changes_scope,
    .open = changes_open,
    .close = changes_close,
    .draw = changes_draw,
    .key = changes_key,
    .mouse = changes_mouse,
    .confirmed = changes_confirmed,
};
