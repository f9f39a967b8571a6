/* view_commit.c: the commit dialog. The message commit_message() makes from the record
 * of what was applied, in an editable multi-line field; the files commit_paths() would
 * take; [Commit] and [Cancel] buttons. ctrl-s, or enter on [Commit], commits through
 * commit_sync (libgit2); the new commit's id is shown after. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app.h"
#include "commit.h"
#include "draw.h"
#include "session.h"
#include "state.h"
#include "textwidth.h"
#include "utf8.h"
#include "vcs.h"
#include "xalloc.h"

#define KEY_ESCAPE 27

static void commit_clear(ui_commit *c)
{
    for (size_t i = 0; i < c->nlines; i++)
        free(c->lines[i]);
    free(c->lines);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c->result);
    memset(c, 0, sizeof *c);
}

static int commit_open(ui_app *a, const view_args *args)
{
    (void)args;
    ui_commit *c = &a->commit;
    commit_clear(c);
    session_wait_hash(a);
    apply_record *rec = NULL;
    sm_error err = SM_ERROR_INIT;
    if (state_read_apply(&rec, a->p, &err) < 0) {
        app_message(a, true, "%s", err.what);
        return -1;
    }
    if (!rec) {
        /* nothing applied since the last commit: say so unless the files differ anyway */
        const char **paths = NULL;
        size_t n = app_schema_paths(a, &paths);
        bool dirty = true;
        vcs_paths_dirty(&dirty, a->p->root, paths, n, &err);
        free(paths);
        if (!dirty) {
            app_message(a, false, "nothing to commit: the schema files are as in the last commit");
            return -1;
        }
    }
    strbuf msg = STRBUF_INIT;
    commit_message(&msg, a->p, rec);
    const char **paths = NULL;
    size_t np = commit_paths(&paths, a->p, rec);
    c->files = xcalloc(np + 1, sizeof *c->files);
    for (size_t i = 0; i < np; i++)
        c->files[i] = xstrdup(paths[i]);
    c->nfiles = np;
    free(paths);
    apply_record_free(rec);
    /* one string per line; the final newline adds no empty line */
    const char *s = msg.buf;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        *XPUSH(c->lines, c->nlines, c->cap) = xstrndup(s, n);
        s += n + (e ? 1 : 0);
    }
    if (!c->nlines)
        *XPUSH(c->lines, c->nlines, c->cap) = xstrdup("");
    strbuf_release(&msg);
    c->row = 0;
    c->col = strlen(c->lines[0]);
    c->focus = 0;
    return 0;
}

/* The dialog: a frame over the body with the message field, the files, the buttons. */
static void commit_draw(ui_app *a)
{
    ui_commit *c = &a->commit;
    WINDOW *w = a->w_body;
    int h = a->lay.body.h, width = a->lay.body.w;
    int nfile_rows = (int)c->nfiles < 6 ? (int)c->nfiles : 6;
    int field_h = h - 1 - 1 - 1 - nfile_rows - 2;
    if (field_h < 3)
        field_h = 3;
    draw_text(w, 1, 0, width, "Message (enter: new line, tab: buttons, ctrl-s: commit, esc: cancel)",
              theme_attr(ROLE_GROUP), 0);
    if (c->row < c->top)
        c->top = c->row;
    if (c->row >= c->top + (size_t)field_h)
        c->top = c->row - (size_t)field_h + 1;
    for (int i = 0; i < field_h; i++) {
        size_t r = c->top + (size_t)i;
        attr_t at = theme_attr(c->focus == 0 ? ROLE_NORMAL : ROLE_DIM) | A_UNDERLINE;
        draw_text(w, 2 + i, 0, width, r < c->nlines ? c->lines[r] : "", at, 1);
    }
    int y = 2 + field_h;
    strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "Files: ");
    for (size_t i = 0; i < c->nfiles; i++)
        strbuf_addf(&sb, "%s%s", i ? ", " : "", c->files[i]);
    draw_text(w, y, 0, width, sb.buf, theme_attr(ROLE_NORMAL), 0);
    strbuf_release(&sb);
    y += 2;
    draw_text(w, y, 2, 10, "[Commit]", theme_attr(c->focus == 1 ? ROLE_SELECTED : ROLE_KEY), 0);
    draw_text(w, y, 14, 10, "[Cancel]", theme_attr(c->focus == 2 ? ROLE_SELECTED : ROLE_KEY), 0);
    if (c->result)
        draw_text(w, y, 26, width - 26, c->result, theme_attr(ROLE_MESSAGE), 0);
    if (c->focus == 0 && !c->result) {
        int cx = text_width(c->lines[c->row], c->col);
        wmove(w, 2 + (int)(c->row - c->top), cx < width ? cx : width - 1);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(w);
}

static void do_commit(ui_app *a)
{
    ui_commit *c = &a->commit;
    strbuf msg = STRBUF_INIT;
    for (size_t i = 0; i < c->nlines; i++)
        strbuf_addf(&msg, "%s\n", c->lines[i]);
    app_working(a, "working...");
    vcs_commit_result r;
    memset(&r, 0, sizeof r);
    sm_error err = SM_ERROR_INIT;
    if (commit_sync(&r, a->p, msg.buf, &err) < 0) {
        app_message(a, true, "%s%s%s%s", err.what, err.hint[0] ? " (" : "", err.hint, err.hint[0] ? ")" : "");
    } else if (r.nothing) {
        c->result = xstrdup("nothing to commit: the schema files match HEAD (any key closes)");
        app_message(a, false, "nothing to commit");
    } else {
        c->result = xasprintf("committed %.7s on %s (any key closes)", r.oid,
                              r.detached ? "a detached HEAD" : (r.branch ? r.branch : "HEAD"));
        app_message(a, false, "committed %.7s", r.oid);
    }
    vcs_commit_result_done(&r);
    strbuf_release(&msg);
}

static void close_dialog(ui_app *a)
{
    commit_clear(&a->commit);
    curs_set(0);
    a->mode = MODE_CHANGES;
}

static void insert_text(ui_commit *c, const char *s, size_t n)
{
    char *line = c->lines[c->row];
    size_t len = strlen(line);
    char *nl = xmalloc(len + n + 1);
    memcpy(nl, line, c->col);
    memcpy(nl + c->col, s, n);
    memcpy(nl + c->col + n, line + c->col, len - c->col + 1);
    free(line);
    c->lines[c->row] = nl;
    c->col += n;
}

static void split_line(ui_commit *c)
{
    char *line = c->lines[c->row];
    char *rest = xstrdup(line + c->col);
    line[c->col] = '\0';
    XPUSH(c->lines, c->nlines, c->cap);
    memmove(&c->lines[c->row + 2], &c->lines[c->row + 1], (c->nlines - c->row - 2) * sizeof *c->lines);
    c->lines[c->row + 1] = rest;
    c->row++;
    c->col = 0;
}

static void backspace(ui_commit *c)
{
    if (c->col > 0) {
        char *line = c->lines[c->row];
        size_t p = utf8_prev(line, c->col);
        memmove(line + p, line + c->col, strlen(line + c->col) + 1);
        c->col = p;
    } else if (c->row > 0) {
        char *prev = c->lines[c->row - 1];
        char *joined = xasprintf("%s%s", prev, c->lines[c->row]);
        c->col = strlen(prev);
        free(prev);
        free(c->lines[c->row]);
        c->lines[c->row - 1] = joined;
        memmove(&c->lines[c->row], &c->lines[c->row + 1], (c->nlines - c->row - 1) * sizeof *c->lines);
        c->nlines--;
        c->row--;
    }
}

static size_t clamp_col(const char *s, size_t col)
{
    size_t len = strlen(s);
    if (col >= len)
        return len;
    while (col > 0 && ((unsigned char)s[col] & 0xC0) == 0x80)
        col--;
    return col;
}

static void commit_key(ui_app *a, ui_action act, int key, bool is_char)
{
    ui_commit *c = &a->commit;
    if (c->result) {
        close_dialog(a);
        return;
    }
    if (act == ACT_DO_COMMIT) {
        do_commit(a);
        return;
    }
    if (act == ACT_CLOSE) {
        close_dialog(a);
        app_message(a, false, "commit cancelled");
        return;
    }
    if (act == ACT_NEXT_FIELD || act == ACT_PREV_FIELD) {
        c->focus = (c->focus + (act == ACT_NEXT_FIELD ? 1 : 2)) % 3;
        return;
    }
    bool enter = (is_char && (key == '\n' || key == '\r')) || (!is_char && key == KEY_ENTER);
    if (c->focus != 0) {
        if (enter) {
            if (c->focus == 1)
                do_commit(a);
            else
                close_dialog(a);
        } else if (!is_char && (key == KEY_LEFT || key == KEY_RIGHT)) {
            c->focus = c->focus == 1 ? 2 : 1;
        }
        return;
    }
    if (enter) {
        split_line(c);
    } else if ((is_char && (key == 127 || key == 8)) || (!is_char && key == KEY_BACKSPACE)) {
        backspace(c);
    } else if (!is_char && key == KEY_DC) {
        char *line = c->lines[c->row];
        size_t n = utf8_next(line, c->col);
        memmove(line + c->col, line + n, strlen(line + n) + 1);
    } else if (!is_char && key == KEY_LEFT) {
        c->col = utf8_prev(c->lines[c->row], c->col);
    } else if (!is_char && key == KEY_RIGHT) {
        c->col = utf8_next(c->lines[c->row], c->col);
    } else if (!is_char && key == KEY_UP) {
        if (c->row > 0) {
            c->row--;
            c->col = clamp_col(c->lines[c->row], c->col);
        }
    } else if (!is_char && key == KEY_DOWN) {
        if (c->row + 1 < c->nlines) {
            c->row++;
            c->col = clamp_col(c->lines[c->row], c->col);
        }
    } else if (!is_char && key == KEY_HOME) {
        c->col = 0;
    } else if (!is_char && key == KEY_END) {
        c->col = strlen(c->lines[c->row]);
    } else if (is_char && key >= 0x20 && key != 127) {
        char mb[8];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t n = wcrtomb(mb, (wchar_t)key, &st);
        if (n != (size_t)-1)
            insert_text(c, mb, n);
    }
}

static ui_scope commit_scope(const ui_app *a)
{
    (void)a;
    return SCOPE_COMMIT;
}

static void commit_close(ui_app *a)
{
    commit_clear(&a->commit);
}

static void commit_title(const ui_app *a, strbuf *out)
{
    (void)a;
    strbuf_adds(out, "Commit the schema files");
}

const view_ops view_commit_ops = {
    .name = "commit",
    .scope = commit_scope,
    .open = commit_open,
    .close = commit_close,
    .title = commit_title,
    .draw = commit_draw,
    .key = commit_key,
    .draws_cursor = true,
    .holds_files = true,
};
