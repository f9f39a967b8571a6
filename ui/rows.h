/* rows.h: the change list's rows (rows.c): a header per file and per object, then the
 * changes the severity filter shows; and the side-by-side cache's lifetime. No drawing. */
#ifndef SCHEMERGE_ROWS_H
#define SCHEMERGE_ROWS_H

#include "app.h"

/* Build the change list's rows (file and object headers, the changes the filter shows)
 * and keep the cursor on a change. */
void rows_rebuild(ui_app *a);
/* Empty the side-by-side cache. */
void sbs_clear(ui_sbs *s);

/* Whether the severity filter shows c. */
bool rows_shown(const ui_app *a, const sm_change *c);
/* Whether change i is one an apply takes: accepted and shown (a filter limits what w
 * and a act on, as it limits what is seen). */
bool rows_in_play(const ui_app *a, size_t i);

#endif
