/* layout.c: terminal size -> rectangles. The list takes about two fifths of the body
 * and the panes the rest: the panes show whole classes, the list only one line per
 * change. */
#include <config.h> /* <>: the autoconf header, never src/config.h */
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
