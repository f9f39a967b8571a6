/* rows.c: the change list's rows: a header row per file and per object (class), then
 * each change the severity filter shows, in the change set's order; the cursor kept on a
 * change. And the side-by-side cache's lifetime. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "xalloc.h"

bool rows_shown(const ui_app *a, const sm_change *c)
{
    return a->filter < 0 || (int)c->severity == a->filter;
}

void rows_rebuild(ui_app *a)
{
    a->nrows = 0;
    const sm_changeset *cs = a->p->changes;
    if (!cs)
        return;
    const sm_change *prev = NULL;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        if (!rows_shown(a, c))
            continue;
        if (!prev || prev->target != c->target)
            *XPUSH(a->rows, a->nrows, a->cap_rows) = (ui_row){ ROW_FILE, i };
        if (!prev || !review_same_object(prev, c))
            *XPUSH(a->rows, a->nrows, a->cap_rows) = (ui_row){ ROW_OBJECT, i };
        *XPUSH(a->rows, a->nrows, a->cap_rows) = (ui_row){ ROW_CHANGE, i };
        prev = c;
    }
    if (a->cur >= a->nrows)
        a->cur = a->nrows ? a->nrows - 1 : 0;
    /* the cursor rests on changes, never on headers */
    while (a->cur < a->nrows && a->rows[a->cur].kind != ROW_CHANGE)
        a->cur++;
    if (a->cur >= a->nrows) {
        a->cur = a->nrows;
        while (a->cur > 0 && a->rows[a->cur - 1].kind != ROW_CHANGE)
            a->cur--;
        a->cur = a->cur ? a->cur - 1 : 0;
    }
}

void sbs_clear(ui_sbs *s)
{
    review_sbs_clear(&s->view);
    s->top = 0;
    s->hscroll = 0;
}

bool rows_in_play(const ui_app *a, size_t i)
{
    return a->marks.accepted && a->marks.accepted[i] && rows_shown(a, &a->p->changes->items[i]);
}
