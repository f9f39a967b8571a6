/* layout.c: terminal size -> rectangles, and screen cells -> what is drawn there (for
 * the mouse). The list takes the rows it has, up to the body less the panes' share (a
 * third of the body, at least LAYOUT_PANE_MIN rows): a long list of changes is what is
 * navigated, so it gets two thirds of a tall screen; a short one leaves the rest to the
 * panes, which show whole classes. */
#include "config.h"
#include "layout.h"

#include <string.h>

static int footer_clamp(int rows)
{
    return rows < 1 ? 1 : rows > LAYOUT_FOOTER_MAX ? LAYOUT_FOOTER_MAX : rows;
}

int layout_list_height(int lines, size_t list_rows, int footer_rows)
{
    int body_h = lines - 2 - footer_clamp(footer_rows);
    int panes_h = body_h / 3 > LAYOUT_PANE_MIN ? body_h / 3 : LAYOUT_PANE_MIN;
    int most = body_h - panes_h;
    if (list_rows < LAYOUT_LIST_MIN)
        return LAYOUT_LIST_MIN;
    return list_rows < (size_t)most ? (int)list_rows : most;
}

void layout_compute(ui_layout *out, int lines, int cols, size_t list_rows, int footer_rows)
{
    memset(out, 0, sizeof *out);
    if (lines < LAYOUT_MIN_LINES || cols < LAYOUT_MIN_COLS) {
        out->too_small = true;
        return;
    }
    out->status = (ui_rect){ 0, 0, 1, cols };
    footer_rows = footer_clamp(footer_rows);
    out->footer = (ui_rect){ lines - footer_rows, 0, footer_rows, cols };
    out->message = (ui_rect){ lines - footer_rows - 1, 0, 1, cols };
    int body_h = lines - 2 - footer_rows;
    out->body = (ui_rect){ 1, 0, body_h, cols };
    int list_h = layout_list_height(lines, list_rows, footer_rows);
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

int layout_pack(const int *widths, size_t n, int width, int gap, ui_span *out)
{
    int row = 0, x = 0;
    for (size_t i = 0; i < n; i++) {
        int w = widths[i] < width ? widths[i] : width;
        if (x > 0 && x + gap + w > width) {
            row++;
            x = 0;
        }
        if (x > 0)
            x += gap;
        out[i] = (ui_span){ row, x, w };
        x += w;
    }
    return row + 1;
}

long layout_span_at(const ui_span *spans, size_t n, int y, int x)
{
    for (size_t i = 0; i < n; i++)
        if (y == spans[i].y && x >= spans[i].x && x < spans[i].x + spans[i].w)
            return (long)i;
    return -1;
}
