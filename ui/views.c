/* views.c: the table of views: which ops draw and key each ui_mode. */
#include "config.h"

#include "views.h"

const view_ops *const ui_views[MODE_COUNT] = {
    [MODE_CHANGES] = &view_changes_ops,
    [MODE_PAGER] = &view_pager_ops,
    [MODE_CONFLICT] = &view_conflict_ops,
    [MODE_BACKUPS] = &view_backups_ops,
    [MODE_COMMIT] = &view_commit_ops,
};
