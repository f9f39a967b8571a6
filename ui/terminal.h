/* terminal.h: the terminal while the UI runs (terminal.c). */
#ifndef SCHEMERGE_TERMINAL_H
#define SCHEMERGE_TERMINAL_H

#include "app.h"

/* Curses on: the screen, the keys (a->input), the colours, the windows (a->w_*). */
void terminal_start(ui_app *a);
/* Curses off and the terminal as it was; safe to call twice. */
void terminal_restore(void);
/* Lay the windows out for the terminal's size (a->lay, a->too_small). */
void terminal_relayout(ui_app *a);
/* Lay out again when the change list's row count (a filter, a new change set) or the
 * rows the view's footer takes (footer_rows) call for other heights. */
void terminal_fit(ui_app *a, int footer_rows);
/* Free the windows. */
void terminal_windows_free(ui_app *a);
/* Leave curses for an external program and come back (for $EDITOR). */
void terminal_suspend(ui_app *a);
void terminal_resume(ui_app *a);
/* The terminal's stderr while curses owns the screen (stderr goes to /dev/null then). */
int terminal_saved_stderr(void);

/* The key ncurses gives for the start of an SGR mouse report (ESC [ <) when the terminal's
 * description has the X10 form and the reports are read here. */
#define TERMINAL_KEY_SGR_MOUSE (KEY_MAX + 1)
/* Read the rest of an SGR mouse report after TERMINAL_KEY_SGR_MOUSE: the 0-based cell,
 * the button (0 left, 64 and 65 the wheel) and whether it is a press. */
bool terminal_read_sgr_mouse(WINDOW *input, int *y, int *x, int *button, bool *press);

/* Before anything starts a thread: an abort restores the terminal first (sm_fatal's hook). */
void terminal_prepare(void);
/* terminal_restore, and the abort hook removed. */
void terminal_done(void);

#endif
