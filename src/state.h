/* state.h: what schemerge remembers between runs: schema_version.py (SPEC section 5, the
 * seed tool's variable names), the last-sync snapshot in .schemerge/, and the record of the
 * last apply (which changes went into which files) that the commit message is made from. */
#ifndef SCHEMERGE_STATE_H
#define SCHEMERGE_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "drift.h"
#include "error.h"
#include "fsutil.h"
#include "hash.h"
#include "project.h"

#define SM_LAST_APPLY_FILE ".schemerge/last-apply.json"

/* Create ROOT/.schemerge (mode 0700) with a .gitignore that ignores it all: backups and
 * state are this clone's own, and a sync must leave `git status` clean. */
int state_ensure_dir(const sm_project *p, sm_error *err);

/* The top-level `NAME = "string"` assignments of a Python module (annotated ones too:
 * `NAME: str = "..."`), found with the real tokenizer; *out is the decoded value of the
 * first assignment to name, NULL when there is none or its value is not a string.
 * path names the file in messages. Returns 0 or ERR_PARSE. */
int state_read_py_string(char **out, const char *text, size_t len, const char *path,
                         const char *name, sm_error *err);

/* What schema_version.py records; fields NULL when absent (or the file is). */
typedef struct state_version {
    char *db_hash;         /* normalised to "sha256:<hex>" (the seed tool wrote bare hex) */
    char *schema_version;
    char *last_sync;
} state_version;

int state_read_version(state_version *out, const sm_project *p, sm_error *err);
void state_version_done(state_version *v);

/* The DB_HASH recorded in ROOT/<version file>, normalised to "sha256:<hex>" (the seed
 * tool wrote the bare hex). *out NULL when the file or the variable is absent. */
int state_recorded_hash(char **out, const sm_project *p, sm_error *err);

/* Whether .schemerge/last-sync.hash records p->db_hash (false while that is not known,
 * project_db_hash): the last-sync snapshot is then the catalog in p->db and need not be
 * read. */
bool state_last_sync_current(const sm_project *p);

/* What .schemerge/last-sync.hash records: the DB hash of last-sync.json, and the read
 * digest of the live catalog it was made from ("" when it came from a snapshot file or
 * an older schemerge). False when there is no such file. A catalog read with the same
 * digest has that DB hash: it need not be computed. */
bool state_last_sync_hashes(const sm_project *p, char hash[SM_DB_HASH_LEN], char read_digest[SM_SHA256_HEX_LEN + 1]);

/* The index of last-sync.json (snapshot_write_stream) that last-sync.hash keeps after
 * its hashes, written in the same transaction as the snapshot; NULL when it has none (a
 * state from an older schemerge). Free it. */
char *state_last_sync_index(const sm_project *p);

/* Rewrite schema_version.py and the last-sync snapshot when force is set or when the hash
 * they record differs from the database's; *written says whether anything was (staged to
 * be) written. differences: how many changes the sync saw (LAST_SYNC_DIFFERENCES).
 * The files are staged in txn, which the caller commits; with txn NULL they are written
 * here, all or none. */
/* Whether state_update(force) would write the version file (and the last sync): force,
 * or the records do not both agree with the database. */
int state_would_update(bool *yes, const sm_project *p, bool force, sm_error *err);
int state_update(bool *written, const sm_project *p, size_t differences, bool force, fs_txn *txn,
                 sm_error *err);

/* One applied change as the commit message needs it. */
typedef struct apply_entry {
    char *id, *kind, *class_name, *member, *title;
} apply_entry;

typedef struct apply_record {
    char *db_hash;
    char *time;
    char *backup_id;
    apply_entry *entries;
    size_t nentries;
    char **files;        /* repo-relative paths written (schema files and version file) */
    size_t nfiles;
} apply_record;

/* Append this apply to the record (an apply not yet committed adds to the previous one),
 * staged in txn. */
int state_record_apply(const sm_project *p, const sm_change *const *changes, size_t n,
                       const char *const *files, size_t nfiles, const char *backup_id, fs_txn *txn,
                       sm_error *err);
/* Read the record; *out NULL when there is none. */
int state_read_apply(apply_record **out, const sm_project *p, sm_error *err);
/* Forget it (after a commit). */
int state_clear_apply(const sm_project *p, sm_error *err);
void apply_record_free(apply_record *r);

#endif
