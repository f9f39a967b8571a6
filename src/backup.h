/* backup.h: backups of the files schemerge writes (SPEC section 5).
 *
 * A backup is the directory ROOT/.schemerge/backups/ID/, where ID is the UTC time of its
 * creation as "YYYYMMDDTHHMMSSZ" ("-2", "-3", ... appended when taken in the same
 * second). It holds:
 *   files/PATH       a copy of each saved file, under its repository-relative path (kept
 *                    below files/ so a repository file called metadata.json cannot clash)
 *   metadata.json    {"format":1,"id","time","reason","db_hash","changes":[ids],
 *                     "files":[{"path","sha256","existed"}]}
 * metadata.json is written last, so a directory without it is an incomplete backup
 * (a crash while copying): lists ignore it and pruning removes it.
 * A file that did not exist when the backup was made is recorded with existed=false;
 * restoring that backup removes the file.
 * .schemerge/ and the backup directories are created with mode 0700. */
#ifndef SCHEMERGE_BACKUP_H
#define SCHEMERGE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

typedef struct backup_file {
    char *path;          /* repository-relative, '/'-separated */
    char sha256[65];     /* of the saved copy; "" when existed is false */
    bool existed;
} backup_file;

typedef struct backup_info {
    char *id;
    char *time;          /* ISO 8601 UTC: 2026-11-22T01:06:14Z */
    char *reason;
    char *db_hash;       /* may be NULL */
    backup_file *files;
    size_t nfiles;
    char **changes;      /* the change ids applied after this backup */
    size_t nchanges;
} backup_info;

/* Save the current content of paths (repository-relative; absolute paths and ".."
 * components are refused with ERR_UNSAFE) in a new backup, then rotate: keep the newest
 * max_backups complete backups (values below 1 count as 1), never deleting the new one.
 * db_hash may be NULL; change_ids may be NULL when nchanges is 0.
 * On success *out (when out is non-NULL) is the new backup's info, owned by the caller.
 * Returns 0, ERR_UNSAFE, ERR_IO or ERR_BACKUP. */
int backup_create(backup_info **out, const char *root, const char *const *paths, size_t npaths,
                  const char *reason, const char *db_hash, const char *const *change_ids,
                  size_t nchanges, int max_backups, sm_error *err);

/* The complete backups under root, newest first. *out is owned by the caller
 * (backup_list_free). No backup directory at all is an empty list. */
int backup_list(backup_info ***out, size_t *n, const char *root, sm_error *err);

/* Read one backup's metadata. ERR_NOT_FOUND when there is no complete backup ID. */
int backup_load(backup_info **out, const char *root, const char *id, sm_error *err);

/* Check that every saved file of b is present and matches its recorded SHA-256.
 * Returns 0, or ERR_BACKUP naming the first damaged file. */
int backup_verify(const char *root, const backup_info *b, sm_error *err);

/* Put the files of backup id back: verify it, back up the current files first (reason
 * "before restore of ID", so the restore can itself be undone; the backup being restored
 * survives that rotation), then write each file with fs_write_atomic and remove those
 * recorded with existed=false. *pre_restore_out (when non-NULL) receives the new backup.
 * Nothing is written when verification fails. */
int backup_restore(backup_info **pre_restore_out, const char *root, const char *id,
                   int max_backups, sm_error *err);

/* Remove backup id (complete or not). ERR_NOT_FOUND when it does not exist. */
int backup_delete(const char *root, const char *id, sm_error *err);

/* Keep the newest max_backups complete backups (at least 1) and remove the others, and
 * any incomplete backup older than the newest complete one. */
int backup_prune(const char *root, int max_backups, sm_error *err);

/* Append a unified diff of each backed-up file (old side, a/PATH) against the current
 * file (new side, b/PATH) to out. Files that are identical add nothing. */
int backup_diff(strbuf *out, const char *root, const char *id, sm_error *err);

void backup_info_free(backup_info *b);
void backup_list_free(backup_info **v, size_t n);

#endif
