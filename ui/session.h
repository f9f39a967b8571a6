/* session.h: the project as the UI holds it (session.c): the catalog read by the loader
 * thread and installed when it arrives, the local files reloaded when they change on
 * disk (inotify, debounced), the accepted marks carried over every reload by change id,
 * and applying a plan. Calls into src/ for all of it; draws nothing but the message.*/
#ifndef SCHEMERGE_SESSION_H
#define SCHEMERGE_SESSION_H

#include "app.h"

/* Reload the local files and the state, recompute, keep accepted changes by id. */
void session_reload_files(ui_app *a);
/* Start reading the catalog again (r). */
void session_reload_all(ui_app *a);
/* Make sure the project has the catalog's DB hash: wait for the loader's worker if it is
 * still computing it (a moment at most). Before anything that writes or records state. */
void session_wait_hash(ui_app *a);
/* The loader's pipe is readable: take the catalog or its hash. */
void session_loader_readable(ui_app *a);
/* Watch the local files' directories (inotify; a->inotify_fd, -1 when not watched). */
void session_watch_start(ui_app *a);
/* inotify is readable: schedule a reload once the writes settle. */
void session_watch_read(ui_app *a);
/* Once per pass of the loop: a reload that is due happens, or waits for a dialog that
 * holds the files to close. */
void session_watch_tick(ui_app *a);
/* Write a plan (no conflicts left), report on the message row, reload; takes the plan. */
void session_apply(ui_app *a, apply_plan *plan);
/* Save a->pending_config (atomically), read the configuration again and recompute. */
void session_save_config(ui_app *a);
/* Drop a->pending_config unsaved. */
void session_forget_config(ui_app *a);
/* Restore backup id (backup.c: the files as they are are backed up first), reload, and
 * say "VERB backup ID (the files before it are in backup PRE)". */
void session_restore(ui_app *a, const char *id, const char *verb);
/* q: quit, or ask first when applied changes are not committed. */
void session_want_quit(ui_app *a);
/* Free what the session holds (the loader, the catalog waiting for its hash, inotify). */
void session_end(ui_app *a);

#endif
