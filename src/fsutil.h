/* fsutil.h: the file-system layer: whole-file reads, the crash-safe atomic write, and
 * small directory helpers. Every write schemerge makes to a user's file goes through
 * fs_write_atomic, so a crash at any moment leaves either the old or the new content.
 *
 * Test builds (configure --enable-fault-injection, which defines SM_FAULT_INJECTION) can
 * make the Nth write/fsync/rename/mkdir/open/unlink call of this module fail with a given
 * errno, chosen by the environment: SCHEMERGE_FAULT="op:n:errno", e.g. "rename:1:EIO" or
 * "write:2:ENOSPC" (n counts from 1; errno is a name or a number). Several faults may be
 * given separated by commas. Counters restart whenever the variable's value changes. */
#ifndef SCHEMERGE_FSUTIL_H
#define SCHEMERGE_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Read the whole file at path. On success *out is a NUL-terminated copy owned by the
 * caller (free()), and *len_out (when non-NULL) its length without the NUL.
 * Returns 0, ERR_NOT_FOUND when the file does not exist, or ERR_IO. */
int fs_read_file(char **out, size_t *len_out, const char *path, sm_error *err);

/* The file at path mapped read-only, for a large file read once from start to end: NULL
 * when it cannot be (not a regular file, empty, or a whole number of pages long, since
 * then no byte would follow the text), and the caller reads it with fs_read_file. Undo
 * with fs_unmap_file. */
const char *fs_map_file(const char *path, size_t *len);
void fs_unmap_file(const char *map, size_t len);
/* Give the pages of map[from, to) (whole pages only) back to the kernel: a mapping never
 * written reads them from the file again if they are touched. */
void fs_map_give_back(const char *map, size_t from, size_t to);

/* Replace the content of path with data, crash-safely.
 * - A symlink is resolved (also when dangling) and its real file is written; the link
 *   itself is never replaced by a regular file.
 * - The temporary file lives in the same directory as the real file, has a random name
 *   and is opened with O_CREAT|O_EXCL|O_NOFOLLOW, so a name planted in advance is never
 *   followed or reused.
 * - The result keeps the original file's permission bits; a new file gets 0644 & ~umask.
 * - Order: write all, fchmod, fsync, rename over the target, fsync the directory.
 * On any failure the temporary file is removed and the target is as it was (a failed
 * fsync of the directory puts the old file back too).
 * It is a transaction of one file (fs_txn below), without a journal.
 * Returns 0, or ERR_IO with err naming the file and the cause. */
int fs_write_atomic(const char *path, const void *data, size_t len, sm_error *err);

/* The same protocol with the content written by fill(fd, payload, err), which returns 0 or
 * an ERR_* code (then nothing is replaced): for content too large to build in memory. */
int fs_write_atomic_with(const char *path, int (*fill)(int fd, void *payload, sm_error *err),
                         void *payload, sm_error *err);

/* A transaction: several files replaced (or removed) all together or not at all.
 * Each fs_txn_write stages one file as fs_write_atomic would (temporary file next to it,
 * written, synced), touching nothing else. fs_txn_commit then gives every replaced file a
 * second name (a hard link, ".NAME.old-<hex>"), writes the journal (when the transaction
 * has one), renames each staged file into place, syncs the directories and removes the
 * journal: that removal is the commit point. A failure at any step puts back every file
 * already replaced, so that an error means every file is byte-identical to before. When
 * the process dies during a commit, the journal is left; fs_txn_recover reads it and puts
 * every file back (the next writer calls it before anything else).
 * A path staged twice keeps its last content. fs_txn_free drops what was not committed. */
typedef struct fs_txn fs_txn;

/* journal_path: where the commit records its intent (NULL for none: a crash during the
 * commit can then leave some files new and some old). */
fs_txn *fs_txn_new(const char *journal_path);
int fs_txn_write(fs_txn *t, const char *path, const void *data, size_t len, sm_error *err);
int fs_txn_write_with(fs_txn *t, const char *path, int (*fill)(int fd, void *payload, sm_error *err),
                      void *payload, sm_error *err);
/* Stage the removal of path (nothing happens when it does not exist at the commit). */
int fs_txn_remove(fs_txn *t, const char *path, sm_error *err);
/* Returns 0, or ERR_IO with every file as before the commit. */
int fs_txn_commit(fs_txn *t, sm_error *err);
void fs_txn_free(fs_txn *t);
/* Undo an interrupted commit whose journal is at journal_path; nothing to do when there is
 * no journal. *recovered says whether there was one. Returns 0 or ERR_IO. */
int fs_txn_recover(const char *journal_path, bool *recovered, sm_error *err);

/* Write all of data to fd through this module's (fault-injectable) write; path names the
 * file in messages. Returns 0 or ERR_IO. */
int fs_write_all(int fd, const void *data, size_t len, const char *path, sm_error *err);

/* Create path and its missing parents; directories created get mode (subject to the
 * umask). An existing directory is fine; an existing non-directory is ERR_IO. */
int fs_mkdir_p(const char *path, mode_t mode, sm_error *err);

/* Remove path and everything below it, never following symlinks (a link is removed, not
 * its target). Returns 0, ERR_NOT_FOUND when path does not exist, or ERR_IO. */
int fs_remove_tree(const char *path, sm_error *err);

/* Remove one file (or symlink) and fsync its directory so the removal is durable.
 * A file that is already absent is success. Returns 0 or ERR_IO. */
int fs_remove_file(const char *path, sm_error *err);

/* True when something (file, directory, even a dangling symlink) exists at path. */
bool fs_exists(const char *path);

/* Whether writing path (which need not exist) would land inside the directory root, once
 * every symlink on the way is followed: the target itself when it is a link (dangling
 * too), and any directory above it. A repository must not make us write outside it.
 * A target inside a .git directory of the repository is refused the same way.
 * Returns 0 when inside, ERR_UNSAFE naming the path and where it leads when outside, or
 * ERR_IO when root cannot be resolved. */
int fs_check_inside(const char *root, const char *path, sm_error *err);

/* Why a repository-relative path ('/'-separated) must not be written, or NULL when it
 * may: it is empty or absolute, has an empty, "." or ".." component, or lies in a .git
 * directory (any case) or in .schemerge/. Returns a phrase ("inside .git/, which only git
 * writes") for messages. */
const char *fs_repo_path_refusal(const char *rel);

/* Join a directory and a relative path with one '/'. Caller frees the result. */
char *fs_join(const char *dir, const char *rel);

#endif
