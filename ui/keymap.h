/* keymap.h: the one table of UI actions. Each row is a scope (the view it works in), an
 * action, its keys, the label shown for them, a short footer word and the help text.
 * The footer of each view and the `?` help screen are built from this table, so a key
 * cannot be documented in one place and bound differently in another. A view's footer
 * shows its own scope's rows only: the loading screen and the database error panel are
 * scopes of their own, so that they offer only the few keys that work there. */
#ifndef SCHEMERGE_KEYMAP_H
#define SCHEMERGE_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ui_scope {
    SCOPE_MOVE,      /* moving in any list or text: every view but the commit dialog */
    SCOPE_CHANGES,
    SCOPE_PAGER,
    SCOPE_CONFLICT,
    SCOPE_BACKUPS,
    SCOPE_COMMIT,
    SCOPE_LOADING,   /* the screen shown while the catalog is read */
    SCOPE_DB_ERROR,  /* the panel shown when reading the catalog or a file failed */
    SCOPE_COUNT
} ui_scope;

typedef enum ui_action {
    ACT_NONE,
    ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP, ACT_BOTTOM, ACT_LEFT, ACT_RIGHT,
    ACT_FOCUS, ACT_TOGGLE, ACT_ACCEPT_ALL, ACT_CLEAR,
    ACT_FILTER_CRITICAL, ACT_FILTER_HIGH, ACT_FILTER_MEDIUM, ACT_FILTER_LOW, ACT_FILTER_NONE,
    ACT_SEARCH, ACT_SEARCH_NEXT, ACT_SEARCH_PREV,
    ACT_PREVIEW, ACT_APPLY, ACT_UNDO, ACT_IGNORE, ACT_BACKUPS, ACT_COMMIT, ACT_RELOAD, ACT_HELP, ACT_QUIT,
    ACT_CLOSE,
    ACT_OURS, ACT_THEIRS, ACT_BOTH, ACT_EDIT, ACT_WRITE,
    ACT_RESTORE, ACT_DELETE,
    ACT_DO_COMMIT, ACT_NEXT_FIELD, ACT_PREV_FIELD,
} ui_action;

typedef struct keymap_entry {
    ui_scope scope;
    ui_action action;
    int keys[4];          /* curses key codes; 0 ends the list */
    const char *label;    /* how the keys are shown: "j/↓" */
    const char *footer;   /* the footer's word, NULL when not in the footer */
    const char *help;     /* one line for the help screen */
} keymap_entry;

/* The action bound to key in scope, or ACT_NONE. SCOPE_MOVE is also searched for the
 * scopes that show a list or a text (changes, pager, conflicts, backups). */
ui_action keymap_lookup(ui_scope scope, int key);

/* The whole table, for the help screen and the footer. */
const keymap_entry *keymap_entries(size_t *n);

/* A scope's title for the help screen ("Change list"). */
const char *keymap_scope_name(ui_scope scope);

#endif
