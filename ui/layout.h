/* layout.h: where each part of the screen goes, as a pure function of the terminal
 * size, so that it can be tested without a terminal.
 *
 * From the top: the status bar (one row), the change list, the side-by-side panes
 * (database left, local right, one separator column between them, each with a title
 * row of its own), a message row, the footer of keys. Dialogs and full-screen views
 * (preview, help, conflicts, backups, commit) use `body`: everything between the status
 * bar and the message row. */
#ifndef SCHEMERGE_LAYOUT_H
#define SCHEMERGE_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_LINES 24

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

/* Fill out for a terminal of lines x cols. */
void layout_compute(ui_layout *out, int lines, int cols);

#endif
