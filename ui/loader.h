/* loader.h: reading the database catalog off the drawing loop.
 *
 * loader_start runs catalog_open in a worker thread; when it is done the thread writes
 * one byte to a pipe whose read end (loader_fd) the UI loop polls with its other
 * sources. loader_finish then hands the result to the main thread. The worker touches
 * nothing but its own copies of the options and the new catalog, and never curses. */
#ifndef SCHEMERGE_LOADER_H
#define SCHEMERGE_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "model.h"
#include "snapshot.h"

typedef struct ui_loader ui_loader;

/* Start reading the catalog named by db_arg (NULL: the environment) for schemas.
 * Copies everything it is given. Returns 0, or ERR_GENERIC when no thread or pipe
 * could be made (err says why). *out is owned by the caller. */
int loader_start(ui_loader **out, const char *db_arg, const char *const *schemas, size_t nschemas,
                 bool views, int statement_timeout_ms, sm_error *err);

/* The descriptor that becomes readable when the worker is done. */
int loader_fd(const ui_loader *l);

/* Wait for the worker (it is done when loader_fd is readable) and take its result:
 * 0 with *cat (owned by the caller) and its DB hash (computed by the worker), or the error
 * code with err filled. Frees l. */
int loader_finish(ui_loader *l, sm_catalog **cat, char hash[SM_DB_HASH_LEN], sm_error *err);

/* Give up on a worker still running (the user quits while a slow server does not
 * answer): it is detached and its memory left to the process's end, because the
 * thread still writes into it when it finishes. */
void loader_abandon(ui_loader *l);

#endif
