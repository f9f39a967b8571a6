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
/* Free the windows. */
void terminal_windows_free(ui_app *a);
/* Leave curses for an external program and come back (for $EDITOR). */
void terminal_suspend(ui_app *a);
void terminal_resume(ui_app *a);
/* The terminal's stderr while curses owns the screen (stderr goes to /dev/null then). */
int terminal_saved_stderr(void);

/* Before anything starts a thread: an abort restores the terminal first (sm_fatal's hook). */
void terminal_prepare(void);
/* terminal_restore, and the abort hook removed. */
void terminal_done(void);

#endif
