/* views.h: every view's ops, indexed by ui_mode (views.c). Only the loop (tui.c) uses
 * the table directly; it hands it to the others as ui_app.views. */
#ifndef SCHEMERGE_VIEWS_H
#define SCHEMERGE_VIEWS_H

#include "app.h"

extern const view_ops *const ui_views[MODE_COUNT];

#endif
