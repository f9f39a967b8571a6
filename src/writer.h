/* writer.h: one writer at a time (SPEC section 5).
 *
 * Everything that writes a repository's schema files or its .schemerge/ state (update, an
 * apply in the UI, backup restore/delete/prune, commit) holds the lock on
 * ROOT/.schemerge/lock, an flock(2) on that file, which holds the holder's pid. A second
 * writer waits up to WRITER_WAIT_MS, then gives up with an error naming that pid. The
 * kernel drops the lock when its holder dies, so a crash never leaves it held.
 *
 * Taking the lock first undoes a write that a crash interrupted (fs_txn_recover on
 * ROOT/.schemerge/journal), so every writer starts from whole files.
 *
 * The lock is per process and counted: a function that takes it may call another that
 * takes it again; it is released when the outermost holder releases it. */
#ifndef SCHEMERGE_WRITER_H
#define SCHEMERGE_WRITER_H

#include <stdbool.h>

#include "error.h"

#define WRITER_WAIT_MS 5000
#define WRITER_LOCK_FILE ".schemerge/lock"
#define WRITER_JOURNAL_FILE ".schemerge/journal"

/* Take the lock of the repository at root (absolute), then undo any interrupted write.
 * Returns 0, or ERR_IO: another process kept the lock for WRITER_WAIT_MS (the message
 * names its pid), .schemerge/ cannot be made, or the interrupted write cannot be undone. */
int writer_lock(const char *root, sm_error *err);
/* Release one hold of the lock taken by writer_lock. */
void writer_unlock(void);

/* For readers: when a write was interrupted (a journal is left), take the lock for as
 * long as it takes to put the files back. Nothing happens otherwise. */
int writer_recover(const char *root, sm_error *err);

/* A new string: ROOT/.schemerge/journal, for fs_txn_new. */
char *writer_journal(const char *root);

#endif
