/* layout.h: where each part of the screen goes, as a pure function of the terminal
 * size, so that it can be tested without a terminal.
 *
 * From the top: the status bar (one row), the change list, the side-by-side panes
 * (database left, local right, one separator column between them, each with a title
 * row of its own), a message row, the footer of keys (as many rows as the view's keys
 * take at this width: it names every key of the view). Dialogs and full-screen views
 * (preview, help, conflicts, backups, commit) use `body`: everything between the status
 * bar and the message row.
 *
 * Mouse hit-testing is here too, as pure functions of the same rectangles: which part
 * of the screen a cell is in, which item of a scrolled list a row shows, which footer
 * label a column is on. */
#ifndef SCHEMERGE_LAYOUT_H
#define SCHEMERGE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MIN_COLS 60
#define LAYOUT_MIN_LINES 16

typedef struct ui_rect {
    int y, x, h, w;
} ui_rect;

typedef struct ui_layout {
    bool too_small;      /* below LAYOUT_MIN_COLS x LAYOUT_MIN_LINES: nothing else is set */
    ui_rect status;
    ui_rect list;
    ui_rect left, right; /* side-by-side panes, each including its title row */
    int sep_x;           /* the separator column between left and right */
    ui_rect body;        /* list + panes: full-screen views */
    ui_rect message;
    ui_rect footer;
} ui_layout;

/* The list's least height, and the panes' (each with its title row). */
#define LAYOUT_LIST_MIN 3
#define LAYOUT_PANE_MIN 6

/* The most rows the footer takes: at the narrowest screen (LAYOUT_MIN_COLS) the change
 * list's keys take three. */
#define LAYOUT_FOOTER_MAX 4

/* Fill out for a terminal of lines x cols whose change list has list_rows rows and whose
 * footer takes footer_rows (1..LAYOUT_FOOTER_MAX). */
void layout_compute(ui_layout *out, int lines, int cols, size_t list_rows, int footer_rows);
/* The height layout_compute gives the list (lines at least LAYOUT_MIN_LINES): the view
 * asks for a new layout when its row count changes this. */
int layout_list_height(int lines, size_t list_rows, int footer_rows);

/* Where a change row of the list draws its accept box "[ ]": columns from the list's
 * left edge (view_changes.c draws the row so; a click there toggles the change). */
#define LAYOUT_BOX_X 4
#define LAYOUT_BOX_W 3

/* The parts of the screen a mouse event can land on. */
typedef enum ui_area {
    AREA_NONE,       /* outside the screen, or the terminal is too small */
    AREA_STATUS,
    AREA_LIST,
    AREA_LEFT,
    AREA_SEP,
    AREA_RIGHT,
    AREA_BODY,       /* a full-screen view: preview, help, conflicts, backups, commit */
    AREA_MESSAGE,
    AREA_FOOTER,
} ui_area;

/* The part of the screen that cell (y, x) of l is in. With full_body, a full-screen
 * view covers the list and the panes, and the whole of l->body is AREA_BODY. */
ui_area layout_area(const ui_layout *l, bool full_body, int y, int x);

/* The index of the item that screen row y shows in r, where r's first skip rows are
 * titles and its next row shows item top of n: -1 for a title row, a row outside r, or
 * a row past the last item. */
long layout_item_at(const ui_rect *r, int skip, size_t top, size_t n, int y);

/* Whether screen column x is on the accept box of a row of the list l->list. */
bool layout_on_box(const ui_layout *l, int x);

/* A run of columns on one row: a footer label (y is the row within the footer, or on
 * the screen once placed). */
typedef struct ui_span {
    int y, x, w;
} ui_span;

/* Place n labels of the given widths in rows of width columns, gap columns apart, in
 * order, a label never split: out[i] gets its row and column. Returns the rows used
 * (1 for no label); a label wider than a row gets a row of its own, cut to it. */
int layout_pack(const int *widths, size_t n, int width, int gap, ui_span *out);

/* The index of the span of the n spans that holds cell (y, x), or -1. */
long layout_span_at(const ui_span *spans, size_t n, int y, int x);

#endif
