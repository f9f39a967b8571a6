/* app.h: the state of the interactive UI, shared by the loop (tui.c) and the views
 * (view_*.c, each behind a view_ops table: view.h), and what app.c gives them all: the
 * message row, the footer, prompts, the reviewed texts, opening views. Its neighbours:
 * session.h (the project as the UI holds it), rows.h (the change list's rows),
 * terminal.h (curses on and off). Private to ui/: nothing outside the UI includes it. Handlers set a->dirty and never
 * call doupdate themselves, except app_working (which shows "working..." before a slow
 * step). */
#ifndef SCHEMERGE_APP_H
#define SCHEMERGE_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "align.h"
#include "review.h"
#include "apply.h"
#include "backup.h"
#include "cli.h"
#include "curses_wrap.h"
#include "error.h"
#include "keymap.h"
#include "layout.h"
#include "loader.h"
#include "project.h"
#include "strbuf.h"
#include "theme.h"
#include "view.h"

typedef enum ui_mode {
    MODE_CHANGES,
    MODE_PAGER,
    MODE_CONFLICT,
    MODE_BACKUPS,
    MODE_COMMIT,
    MODE_COUNT
} ui_mode;

typedef enum ui_load {
    LOAD_RUNNING,   /* the worker is reading the catalog */
    LOAD_FAILED,    /* error panel: r retries */
    LOAD_READY,
} ui_load;

typedef enum row_kind { ROW_FILE, ROW_OBJECT, ROW_CHANGE } row_kind;

typedef struct ui_row {
    row_kind kind;
    size_t change;          /* index into p->changes->items (the first of the group for
                               headers) */
} ui_row;

/* The side-by-side panes: the review of one object (review.h), cached while the cursor
 * stays on it, and how it is scrolled. */
typedef struct ui_sbs {
    review_sbs view;
    size_t top;             /* first row shown */
    int hscroll;            /* columns scrolled off to the left (both panes) */
} ui_sbs;

typedef struct ui_pager {
    char *title;
    char **lines;
    size_t nlines;
    size_t top;
    int hscroll;            /* columns scrolled off to the left */
    bool diff;              /* colour +/-/@@ lines */
    ui_mode back;           /* the view to return to */
} ui_pager;

typedef struct ui_conflict_item {
    int target;
    size_t segment;         /* index into plan->files[target].merge->segments */
    int choice;             /* -1 unresolved, else a merge_choice */
    char *custom;           /* MERGE_CUSTOM text, owned */
} ui_conflict_item;

typedef struct ui_conflicts {
    apply_plan *plan;       /* owned */
    ui_conflict_item *items;
    size_t n;
    size_t cur;
    size_t top_line;
} ui_conflicts;

typedef struct ui_backups {
    backup_info **list;
    size_t n;
    size_t cur, top;
} ui_backups;

typedef struct ui_commit {
    char **lines;           /* the message, one string per line */
    size_t nlines, cap;
    size_t row, col;        /* cursor: line, byte offset at a character boundary */
    size_t top;
    int focus;              /* 0 the message, 1 [Commit], 2 [Cancel] */
    char **files;
    size_t nfiles;
    char *result;           /* after a commit: what happened; any key closes */
} ui_commit;

typedef struct ui_app {
    const cli_options *opts;
    const view_ops *const *views; /* indexed by ui_mode (views.c), set by the loop */
    sm_project *p;
    ui_load load;
    sm_error load_err;
    bool db_failed;              /* the last catalog read failed: only r (a new read) clears it,
                                    a reload of the files must not hide it behind the old one */
    ui_loader *loader;           /* reading the catalog, or, once it is taken
                                    (loader_hashing), still hashing it: see session_wait_hash */
    bool loader_hashing;

    ui_layout lay;
    bool too_small;
    WINDOW *input;          /* a 1x1 pad that reads keys (wgetch on a pad never refreshes) */
    WINDOW *w_status, *w_list, *w_left, *w_right, *w_sep, *w_body, *w_msg, *w_footer;
    bool dirty;             /* redraw everything on the next pass */

    ui_mode mode;
    ui_mode mode_before_help;
    bool quit;
    int exit_status;

    /* the change list */
    review_marks marks;     /* the accepted changes and the reviewed texts (review.h) */
    ui_row *rows;
    size_t nrows, cap_rows;
    size_t cur;             /* index into rows, always a ROW_CHANGE when there is one */
    size_t top;
    int filter;             /* -1: every severity, else one sm_severity */
    char *search;
    int focus;              /* 0 the list, 1 the panes */
    ui_sbs sbs;

    char *undo_backup;      /* the backup the last apply made, while z can undo it */
    /* i: the config as it would be saved (shown as a diff first), where, and what for */
    char *pending_config;
    size_t pending_config_len;
    char *pending_config_path;
    char *pending_what;

    /* the message row: a one-line note that the next key clears */
    char message[512];
    bool message_error;

    /* prompts on the message row */
    bool searching;         /* the / prompt: each key moves to the first match (incremental) */
    strbuf search_input;
    size_t search_origin;   /* where the cursor was when / was pressed: Esc goes back */
    char *search_before;    /* the search before /, which Esc restores */
    ui_confirm_action confirm;
    char confirm_text[256];

    ui_pager pager;
    ui_conflicts conflicts;
    ui_backups backups;
    ui_commit commit;

    int inotify_fd;         /* -1 when the files are not watched */
    long long reload_due_ns;/* a debounced reload of the local files, 0 when none */

    FILE *trace;            /* SCHEMERGE_UI_TRACE: a timestamp per screen update */

    int footer_rows;        /* the rows the footer was laid out with (layout_compute) */
    /* the footer's labels as last drawn, for clicks: where each is and its first key */
    ui_span footer_spans[64];
    int footer_keys[64];
    size_t nfooter;
} ui_app;

/* Set the message row (printf-style). */
void app_message(ui_app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Show "working..." (or text) on the message row and update the screen now, before a
 * slow step. */
void app_working(ui_app *a, const char *text);
/* Draw the message row: the prompt being typed, the question asked, or the message. */
void app_draw_message(ui_app *a);
/* Ask a y/n question on the message row; y goes to the view's confirmed op. */
void app_ask(ui_app *a, ui_confirm_action what, const char *text);
/* Open view mode with args on top (it remembers what to go back to itself). */
void app_open_view(ui_app *a, ui_mode mode, const view_args *args);
/* Draw a footer for scope from the keymap table. */
void app_draw_footer(ui_app *a, ui_scope scope);
/* The rows the footer of scope takes at width (the layout's footer_rows). */
int app_footer_rows(const ui_app *a, ui_scope scope, int width);
/* Draw a box with a title around the body. */
void app_body_frame(ui_app *a, const char *title);
/* After the accepted marks changed: review_marks_sync on the project's files. */
void app_review_sync(ui_app *a);
/* The plan for the accepted changes the filter shows (review_plan_build). */
int app_plan_build(ui_app *a, apply_plan **out, size_t *count, sm_error *err);
/* The paths schemerge writes, for vcs_paths_dirty (borrowed from p; free the array). */
size_t app_schema_paths(const ui_app *a, const char ***out);

#endif
