/* layout.c: terminal size -> rectangles, and screen cells -> what is drawn there (for
 * the mouse). The list takes about two fifths of the body and the panes the rest: the
 * panes show whole classes, the list only one line per change. */
#include "config.h"
#include "layout.h"

#include <string.h>

void layout_compute(ui_layout *out, int lines, int cols)
{
    memset(out, 0, sizeof *out);
    if (lines < LAYOUT_MIN_LINES || cols < LAYOUT_MIN_COLS) {
        out->too_small = true;
        return;
    }
    out->status = (ui_rect){ 0, 0, 1, cols };
    out->footer = (ui_rect){ lines - 1, 0, 1, cols };
    out->message = (ui_rect){ lines - 2, 0, 1, cols };
    int body_h = lines - 3;
    out->body = (ui_rect){ 1, 0, body_h, cols };
    int list_h = body_h * 2 / 5;
    if (list_h < 6)
        list_h = 6;
    out->list = (ui_rect){ 1, 0, list_h, cols };
    int pane_y = 1 + list_h;
    int pane_h = body_h - list_h;
    int left_w = (cols - 1) / 2;
    out->left = (ui_rect){ pane_y, 0, pane_h, left_w };
    out->sep_x = left_w;
    out->right = (ui_rect){ pane_y, left_w + 1, pane_h, cols - left_w - 1 };
}

static bool rect_has(const ui_rect *r, int y, int x)
{
    return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

ui_area layout_area(const ui_layout *l, bool full_body, int y, int x)
{
    if (l->too_small)
        return AREA_NONE;
    if (rect_has(&l->status, y, x))
        return AREA_STATUS;
    if (rect_has(&l->message, y, x))
        return AREA_MESSAGE;
    if (rect_has(&l->footer, y, x))
        return AREA_FOOTER;
    if (full_body)
        return rect_has(&l->body, y, x) ? AREA_BODY : AREA_NONE;
    if (rect_has(&l->list, y, x))
        return AREA_LIST;
    if (rect_has(&l->left, y, x))
        return AREA_LEFT;
    if (rect_has(&l->right, y, x))
        return AREA_RIGHT;
    ui_rect sep = { l->left.y, l->sep_x, l->left.h, 1 };
    if (rect_has(&sep, y, x))
        return AREA_SEP;
    return AREA_NONE;
}

long layout_item_at(const ui_rect *r, int skip, size_t top, size_t n, int y)
{
    int row = y - r->y;
    if (row < skip || row >= r->h)
        return -1;
    size_t item = top + (size_t)(row - skip);
    if (item >= n)
        return -1;
    return (long)item;
}

bool layout_on_box(const ui_layout *l, int x)
{
    int col = x - l->list.x;
    return col >= LAYOUT_BOX_X && col < LAYOUT_BOX_X + LAYOUT_BOX_W;
}

long layout_span_at(const ui_span *spans, size_t n, int x)
{
    for (size_t i = 0; i < n; i++)
        if (x >= spans[i].x && x < spans[i].x + spans[i].w)
            return (long)i;
    return -1;
}
