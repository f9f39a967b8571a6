/* project.h: one schemerge project: its root, configuration, database catalog, local
 * files, last-sync state and the drift between them. The command line and the UI both go
 * through this, so that they always see the same thing.
 *
 * Loading is in steps (open, then files here; the state and the database in load.h) so
 * that the UI can run the slow database step off its drawing loop; project_load
 * (load.h) does them all. */
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
    char db_hash[SM_DB_HASH_LEN];     /* "" until known: read it with project_db_hash */
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
void project_set_db_hash(sm_project *p, const char *hash);
/* The catalog's DB hash (snapshot_hash): the one loading found (the last sync's, when the
 * catalog is the one it recorded), else computed here on first use. A check that finds
 * drift never needs it, and it is 150 ms of CPU at 5,000 tables. */
const char *project_db_hash(const sm_project *p);
/* Replace the configuration (takes cfg; the file paths follow it). The files and the
 * drift must be loaded again after (project_load_files, project_compute). */
void project_set_config(sm_project *p, sm_config *cfg);
/* Replace the catalog (takes cat): the change list, which borrows from the old one, and a
 * last sync that was the old catalog itself go; db_hash is "" until project_set_db_hash. */
void project_install_catalog(sm_project *p, sm_catalog *cat);
/* Forget the last-sync catalog. */
void project_drop_last_sync(sm_project *p);
/* (Re)compute the drift from what is loaded. */
int project_compute(sm_project *p, sm_error *err);
void project_free(sm_project *p);

/* ROOT/rel as a new string. */
char *project_path(const sm_project *p, const char *rel);

#endif
