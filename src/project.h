/* project.h: one schemerge project: its root, configuration, database catalog, local
 * files, last-sync state and the drift between them. The command line and the UI both go
 * through this, so that they always see the same thing.
 *
 * Loading is in steps (open, then files, database, compute) so that the UI can run the
 * slow database step off its drawing loop; project_load does them all. */
#ifndef SCHEMERGE_PROJECT_H
#define SCHEMERGE_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"
#include "drift.h"
#include "error.h"
#include "model.h"
#include "pyparse.h"
#include "snapshot.h"

#define SM_STATE_DIR ".schemerge"
#define SM_LAST_SYNC_FILE ".schemerge/last-sync.json"
/* The DB hash of last-sync.json, written after it: when it equals the database's hash,
 * the last-sync catalog IS the database's and the 40 MB JSON of a large schema need not
 * be parsed at all. */
#define SM_LAST_SYNC_HASH_FILE ".schemerge/last-sync.hash"

typedef struct project_options {
    const char *db_arg;             /* --db: conninfo or snapshot file; NULL: environment */
    const char *const *schemas;     /* --schema (override the config's); may be empty */
    size_t nschemas;
    const char *config_path;        /* --config, or NULL */
    const char *start_dir;          /* NULL: the current directory */
    bool writer;                    /* hold the writer lock (writer.h) from project_open to
                                       project_free: for a command that will write, so
                                       that it reads what the previous writer left */
} project_options;

#define PROJECT_OPTIONS_INIT { NULL, NULL, 0, NULL, NULL, false }

typedef struct sm_project {
    char *root;                       /* absolute repository root */
    sm_config *config;
    const char *paths[TARGET_COUNT];  /* repo-relative (borrowed from config) */
    const char *version_path;         /* schema_version.py, repo-relative */
    py_file *files[TARGET_COUNT];     /* NULL when the file does not exist */
    sm_catalog *db;                   /* NULL until project_load_db */
    char db_hash[SM_DB_HASH_LEN];
    sm_catalog *last_sync;            /* NULL when there is none; may be p->db itself */
    bool last_sync_is_db;             /* last_sync aliases db (same hash): not owned */
    bool state_pending;               /* project_load_state waits for the catalog */
    sm_changeset *changes;            /* NULL until project_compute */
    char *db_arg;                     /* copy of the option */
    char **schemas;                   /* effective schema list */
    size_t nschemas;
    bool holds_lock;                  /* opened with project_options.writer */
} sm_project;

/* Find the root, take the writer lock when asked (else only undo an interrupted write,
 * writer_recover), read the config. */
int project_open(sm_project **out, const project_options *opts, sm_error *err);
/* (Re)parse the local files; a missing file is not an error. */
int project_load_files(sm_project *p, sm_error *err);
/* (Re)read the database catalog and its hash (then the state, when it was waiting). */
int project_load_db(sm_project *p, sm_error *err);
/* Install a catalog read elsewhere (the UI's loader thread); takes cat. hash is its DB hash
 * when the caller has it already, NULL to compute it here. Drops the change list (it
 * borrows from the old catalog) and loads the state when it was waiting. */
int project_set_catalog(sm_project *p, sm_catalog *cat, const char *hash, sm_error *err);
/* The same with the hash to come (project_set_db_hash), for a caller that computes it
 * while the drift is shown: db_hash is "" until then. Only when
 * project_state_needs_hash is false, since the last-sync state is matched by hash. */
int project_set_catalog_unhashed(sm_project *p, sm_catalog *cat, sm_error *err);
void project_set_db_hash(sm_project *p, const char *hash);
/* The DB hash of cat without computing it, when the last-sync state records it for a read
 * with cat's read digest (the database has not changed since). */
bool project_known_hash(const sm_project *p, const sm_catalog *cat, char hash[SM_DB_HASH_LEN]);
/* Whether installing a catalog must wait for its hash: there is a last-sync snapshot to
 * compare it with. */
bool project_state_needs_hash(const sm_project *p);
/* Read the last-sync snapshot if there is one (a damaged one is an error). Before the
 * catalog is loaded this only marks the state as wanted: project_set_catalog loads it,
 * since with the catalog in hand an unchanged database needs no parse. */
int project_load_state(sm_project *p, sm_error *err);
/* (Re)compute the drift from what is loaded. */
int project_compute(sm_project *p, sm_error *err);
/* open + files + state + db + compute. */
int project_load(sm_project **out, const project_options *opts, sm_error *err);
void project_free(sm_project *p);

/* ROOT/rel as a new string. */
char *project_path(const sm_project *p, const char *rel);

#endif
