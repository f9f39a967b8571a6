/* loader.h: reading the database catalog off the drawing loop.
 *
 * loader_start runs catalog_open in a worker thread, which then computes the catalog's DB
 * hash. It reports each of the two through a pipe whose read end (loader_fd) the UI loop
 * polls with its other sources: LOADER_CATALOG when the catalog is read (or failed), then
 * LOADER_HASH. The drift can be on screen while the hash is still being computed, since
 * only writing (apply) needs it. Reading and hashing are load.h's (load_read,
 * load_known_hash) and snapshot.h's (snapshot_hash);
 * the worker touches nothing but its own copy of the request and the new catalog, and never curses; after LOADER_CATALOG it only reads the
 * catalog, which the main thread may then read too but must not change or free until
 * loader_finish. */
#ifndef SCHEMERGE_LOADER_H
#define SCHEMERGE_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "model.h"
#include "project.h"
#include "snapshot.h"

typedef struct ui_loader ui_loader;

/* Start reading p's catalog in a worker thread, with a copy of what the read needs
 * (load_request_init: the database, the schemas, the options, the last sync's known hash),
 * so that p may change meanwhile. Returns 0, or ERR_GENERIC when no thread or pipe could
 * be made (err says why). *out is owned by the caller. */
int loader_start(ui_loader **out, const sm_project *p, sm_error *err);

/* The descriptor that becomes readable when the worker has something to report. */
int loader_fd(const ui_loader *l);

typedef enum loader_report {
    LOADER_NOTHING, /* nothing new (a spurious wake-up) */
    LOADER_CATALOG, /* loader_take_catalog has the result */
    LOADER_HASH,    /* loader_finish will not wait */
} loader_report;

/* What the worker reported since the last call; call when loader_fd is readable. */
loader_report loader_read(ui_loader *l);

/* After LOADER_CATALOG: 0 with *cat (owned by the caller, but read by the worker until
 * loader_finish) and known_hash its DB hash when the last sync recorded it
 * (load_known_hash; else "", and the worker computes it), or the error code with err
 * filled, after which there is no hash and loader_finish does not wait. */
int loader_take_catalog(ui_loader *l, sm_catalog **cat, char known_hash[SM_DB_HASH_LEN], sm_error *err);

/* Wait for the worker to end (the hash: a moment at most, once the catalog is taken),
 * copy the hash when there is one (hash may be NULL), and free l. */
void loader_finish(ui_loader *l, char hash[SM_DB_HASH_LEN]);

/* Give up on a worker whose catalog has not been taken (the user quits while a slow
 * server does not answer): it is detached and its memory left to the process's end,
 * because the thread still writes into it when it finishes. */
void loader_abandon(ui_loader *l);

#endif
