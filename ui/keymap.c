/* keymap.c: the action table. Order matters: the footer shows a scope's entries in this
 * order (a run of rows with the same footer word is one label: "1/2/3/4/0 filter"), and
 * the help screen lists them so. */
#include "config.h"
#include "keymap.h"

#include "curses_wrap.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESCAPE 27

static const keymap_entry table[] = {
    { SCOPE_MOVE, ACT_UP, { 'k', KEY_UP }, "k/\xe2\x86\x91", NULL, "move up" },
    { SCOPE_MOVE, ACT_DOWN, { 'j', KEY_DOWN }, "j/\xe2\x86\x93", NULL, "move down" },
    { SCOPE_MOVE, ACT_PAGE_UP, { KEY_PPAGE }, "PgUp", NULL, "one page up" },
    { SCOPE_MOVE, ACT_PAGE_DOWN, { KEY_NPAGE, ' ' }, "PgDn/space", NULL,
      "one page down (space in the change list accepts; in the panes it pages)" },
    { SCOPE_MOVE, ACT_TOP, { 'g', KEY_HOME }, "g/Home", NULL, "go to the top" },
    { SCOPE_MOVE, ACT_BOTTOM, { 'G', KEY_END }, "G/End", NULL, "go to the bottom" },
    { SCOPE_MOVE, ACT_LEFT, { 'h', KEY_LEFT }, "h/\xe2\x86\x90", NULL, "scroll the panes or the text left" },
    { SCOPE_MOVE, ACT_RIGHT, { 'l', KEY_RIGHT }, "l/\xe2\x86\x92", NULL, "scroll the panes or the text right" },

    { SCOPE_CHANGES, ACT_TOGGLE, { ' ' }, "space", "accept", "accept or unaccept the change" },
    { SCOPE_CHANGES, ACT_APPLY, { 'w', '\n', KEY_ENTER, '\r' }, "w/enter", "apply",
      "apply the accepted changes, after asking (backup, three-way merge, write)" },
    { SCOPE_CHANGES, ACT_PREVIEW, { 'p' }, "p", "preview", "preview the diff the apply would write" },
    { SCOPE_CHANGES, ACT_UNDO, { 'z' }, "z", "undo", "undo the last apply: restore the backup it made (asks first)" },
    { SCOPE_CHANGES, ACT_SEARCH, { '/' }, "/", "search", "search changes" },
    { SCOPE_CHANGES, ACT_SEARCH_NEXT, { 'n' }, "n", "match", "next search match" },
    { SCOPE_CHANGES, ACT_SEARCH_PREV, { 'N' }, "N", "match", "previous search match" },
    { SCOPE_CHANGES, ACT_FILTER_CRITICAL, { '1' }, "1", "filter", "show only critical changes" },
    { SCOPE_CHANGES, ACT_FILTER_HIGH, { '2' }, "2", "filter", "show only high changes" },
    { SCOPE_CHANGES, ACT_FILTER_MEDIUM, { '3' }, "3", "filter", "show only medium changes" },
    { SCOPE_CHANGES, ACT_FILTER_LOW, { '4' }, "4", "filter", "show only low changes" },
    { SCOPE_CHANGES, ACT_FILTER_NONE, { '0' }, "0", "filter", "show every severity" },
    { SCOPE_CHANGES, ACT_ACCEPT_ALL, { 'a' }, "a", "all", "accept every change shown" },
    { SCOPE_CHANGES, ACT_IGNORE, { 'i' }, "i", "ignore",
      "stop tracking the change's object: ignore its class, exclude its table or enum (shows the config's diff, asks)" },
    { SCOPE_CHANGES, ACT_CLEAR, { 'u' }, "u", "clear", "unaccept every change" },
    { SCOPE_CHANGES, ACT_FOCUS, { '\t', KEY_BTAB }, "tab", "pane",
      "switch focus between the list and the panes (shift-tab back)" },
    { SCOPE_CHANGES, ACT_BACKUPS, { 'b' }, "b", "backups", "browse backups" },
    { SCOPE_CHANGES, ACT_COMMIT, { 'c' }, "c", "commit", "commit the files the applies wrote" },
    { SCOPE_CHANGES, ACT_RELOAD, { 'r' }, "r", "reload", "reload the database and the files" },
    { SCOPE_CHANGES, ACT_HELP, { '?' }, "?", "help", "this help" },
    { SCOPE_CHANGES, ACT_QUIT, { 'q' }, "q", "quit", "quit (asks while accepted changes are not applied or applied ones not committed)" },

    { SCOPE_PAGER, ACT_CLOSE, { 'q', KEY_ESCAPE }, "q/esc", "close", "close this view" },

    { SCOPE_CONFLICT, ACT_OURS, { 'o' }, "o", "ours", "keep the file's side of this region" },
    { SCOPE_CONFLICT, ACT_THEIRS, { 't' }, "t", "theirs", "take the database's side of this region" },
    { SCOPE_CONFLICT, ACT_BOTH, { 'b' }, "b", "both", "keep both: ours, then theirs" },
    { SCOPE_CONFLICT, ACT_EDIT, { 'e' }, "e", "edit", "edit this region in $EDITOR" },
    { SCOPE_CONFLICT, ACT_WRITE, { 'w', '\n', KEY_ENTER, '\r' }, "w/enter", "write",
      "write the files once every region is resolved" },
    { SCOPE_CONFLICT, ACT_CLOSE, { 'q', KEY_ESCAPE }, "q/esc", "cancel", "cancel: write nothing" },

    { SCOPE_BACKUPS, ACT_PREVIEW, { 'p', '\n', KEY_ENTER, '\r' }, "p/enter", "diff",
      "show the backup's diff against the current files" },
    { SCOPE_BACKUPS, ACT_RESTORE, { 'r' }, "r", "restore", "restore the backup (asks first)" },
    { SCOPE_BACKUPS, ACT_DELETE, { 'd' }, "d", "delete", "delete the backup (asks first)" },
    { SCOPE_BACKUPS, ACT_CLOSE, { 'q', KEY_ESCAPE }, "q/esc", "close", "back to the changes" },

    { SCOPE_COMMIT, ACT_DO_COMMIT, { CTRL('s') }, "ctrl-s", "commit", "commit with this message" },
    { SCOPE_COMMIT, ACT_NEXT_FIELD, { '\t' }, "tab", "next", "move between the message and the buttons" },
    { SCOPE_COMMIT, ACT_PREV_FIELD, { KEY_BTAB }, "shift-tab", "back", "move back between the buttons and the message" },
    { SCOPE_COMMIT, ACT_CLOSE, { KEY_ESCAPE }, "esc", "cancel", "close without committing" },

    { SCOPE_LOADING, ACT_HELP, { '?' }, "?", "help", "this help" },
    { SCOPE_LOADING, ACT_QUIT, { 'q' }, "q", "quit", "quit without waiting for the catalog" },

    { SCOPE_DB_ERROR, ACT_RELOAD, { 'r' }, "r", "retry", "read the database catalog and the files again" },
    { SCOPE_DB_ERROR, ACT_BACKUPS, { 'b' }, "b", "backups", "browse backups: restore the files as they were" },
    { SCOPE_DB_ERROR, ACT_HELP, { '?' }, "?", "help", "this help" },
    { SCOPE_DB_ERROR, ACT_QUIT, { 'q' }, "q", "quit", "quit" },
};

/* The scopes whose views move in a list or a text: only they take the moving keys. */
static bool scope_moves(ui_scope scope)
{
    return scope == SCOPE_CHANGES || scope == SCOPE_PAGER || scope == SCOPE_CONFLICT ||
           scope == SCOPE_BACKUPS;
}

ui_action keymap_lookup(ui_scope scope, int key)
{
    for (int pass = 0; pass < 2; pass++) {
        ui_scope want = pass == 0 ? scope : SCOPE_MOVE;
        if (pass == 1 && !scope_moves(scope))
            break;
        for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
            if (table[i].scope != want)
                continue;
            for (int k = 0; k < 4 && table[i].keys[k]; k++)
                if (table[i].keys[k] == key)
                    return table[i].action;
        }
    }
    return ACT_NONE;
}

const keymap_entry *keymap_entries(size_t *n)
{
    *n = sizeof table / sizeof *table;
    return table;
}

const char *keymap_scope_name(ui_scope scope)
{
    switch (scope) {
    case SCOPE_MOVE: return "Moving (every list and text)";
    case SCOPE_CHANGES: return "Change list";
    case SCOPE_PAGER: return "Preview, help and backup diffs";
    case SCOPE_CONFLICT: return "Conflicts";
    case SCOPE_BACKUPS: return "Backups";
    case SCOPE_COMMIT: return "Commit dialog";
    case SCOPE_LOADING: return "While the catalog loads";
    case SCOPE_DB_ERROR: return "Error (the database or a file)";
    default: return "";
    }
}
