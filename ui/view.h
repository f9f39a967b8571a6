/* view.h: a view of the interactive UI as the loop sees it, in the shape of tig's view
 * ops. Each view (view_*.c) exports one const table of functions; the loop (tui.c) draws
 * the top view, hands it keys and mouse events, and frees it, through that table alone.
 * Views open one another through app_open_view (app.c), never by calling each other, so
 * that no two modules of ui/ call each other in a cycle. */
#ifndef SCHEMERGE_VIEW_H
#define SCHEMERGE_VIEW_H

#include <stdbool.h>

#include "apply.h"
#include "keymap.h"
#include "strbuf.h"

struct ui_app;

/* What a view is opened with; each view reads the fields it needs. */
typedef struct view_args {
    const char *title;      /* pager: the title */
    const char *text;       /* pager: the text */
    bool diff;              /* pager: colour +/-/@@ lines */
    bool help;              /* pager: the help screen, built from the keymap table */
    apply_plan *plan;       /* conflicts: the plan with conflicts (taken) */
} view_args;

/* The question a view asked on the message row (app_ask), answered with y. */
typedef enum ui_confirm_action {
    CONFIRM_NONE,
    CONFIRM_QUIT,
    CONFIRM_APPLY,
    CONFIRM_UNDO,
    CONFIRM_IGNORE,
    CONFIRM_RESTORE,
    CONFIRM_DELETE,
} ui_confirm_action;

typedef struct view_ops {
    const char *name;
    /* The keymap scope of the view as it is now: its footer, its help, its keys. */
    ui_scope (*scope)(const struct ui_app *a);
    /* Take args and become the top view; < 0 when it cannot open (the message says why). */
    int (*open)(struct ui_app *a, const view_args *args);
    /* Free what the view holds (when it closes, and on exit). */
    void (*close)(struct ui_app *a);
    /* The title of its frame over the body, or nothing for a view without one. */
    void (*title)(const struct ui_app *a, strbuf *out);
    void (*draw)(struct ui_app *a);
    /* A key: its action in the view's scope, the key, whether it is a character. */
    void (*key)(struct ui_app *a, ui_action act, int key, bool is_char);
    /* A click (wheel 0) or a wheel notch (rows, < 0 up) at screen row y, column x. */
    void (*mouse)(struct ui_app *a, int y, int x, long wheel);
    /* The terminal changed size (the windows are laid out again already); may be NULL. */
    void (*resize)(struct ui_app *a);
    /* y to the question the view asked with app_ask; may be NULL. */
    void (*confirmed)(struct ui_app *a, ui_confirm_action what);
    /* It draws last and shows the cursor: one key per redraw (the commit dialog). */
    bool draws_cursor;
    /* It keeps its own view of the local files: a reload on a change on disk waits until
     * it closes (the conflicts, backups and commit dialogs). */
    bool holds_files;
} view_ops;

extern const view_ops view_changes_ops; /* view_changes.c */
extern const view_ops view_pager_ops;   /* view_pager.c */
extern const view_ops view_conflict_ops;/* view_conflict.c */
extern const view_ops view_backups_ops; /* view_backups.c */
extern const view_ops view_commit_ops;  /* view_commit.c */

#endif
