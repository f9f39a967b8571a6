/* load.h: loading a project, the one way the commands and the UI both use. A project is
 * loaded in steps (project.h: open, files; here: state, catalog, and all of them at
 * once), so that the UI can read the catalog off its drawing loop: load_request copies
 * what a read needs out of the project for another thread, which reads and hashes with
 * it (load_read, load_hash); project_set_catalog installs the result, or
 * project_set_catalog_unhashed when the hash is to come (or never needed).
 *
 * The known-hash shortcut lives here only: the last sync records the DB hash of the
 * catalog it wrote and the digest of the rows it was read from (state.h); a catalog
 * read with the same digest has the same hash, and the 40 MB last-sync snapshot of a
 * large schema need not be parsed at all (it is the catalog itself). */
#ifndef SCHEMERGE_LOAD_H
#define SCHEMERGE_LOAD_H

#include <stdbool.h>

#include "catalog.h"
#include "error.h"
#include "hash.h"
#include "project.h"

/* What reading a project's catalog needs, owned (load_request_done). */
typedef struct load_request {
    char *db_arg;                     /* NULL: the environment */
    char **schemas;
    catalog_options opts;             /* borrows schemas */
    char known_digest[SM_SHA256_HEX_LEN + 1]; /* the last sync's read digest and DB hash, */
    char known_hash[SM_DB_HASH_LEN];          /* "" when it recorded none */
} load_request;

/* Copy what reading p's catalog needs (the database, the schemas, the options from the
 * config, the last sync's digest and hash) into req. */
void load_request_init(load_request *req, const sm_project *p);
void load_request_done(load_request *req);
/* Read the catalog req names (catalog_open). Any thread. */
int load_read(sm_catalog **out, const load_request *req, sm_error *err);
/* cat's DB hash: the one the last sync recorded when cat was read from the same rows,
 * else computed (a noticeable moment for a large catalog). Any thread. */
void load_hash(char hash[SM_DB_HASH_LEN], const load_request *req, const sm_catalog *cat);
/* The first half of load_hash: true with the recorded hash in hash when cat was read from
 * the same rows as the last sync; false when it must be computed (snapshot_hash). */
bool load_known_hash(char hash[SM_DB_HASH_LEN], const load_request *req, const sm_catalog *cat);

/* (Re)read the database catalog, with its hash when the last sync recorded it (else
 * project_db_hash computes it when asked), then the state, when it was waiting. */
int project_load_db(sm_project *p, sm_error *err);
/* Install a catalog with its DB hash (load_hash); takes cat. Drops the change list (it
 * borrows from the old catalog) and loads the state when it was waiting. */
int project_set_catalog(sm_project *p, sm_catalog *cat, const char *hash, sm_error *err);
/* The same without the hash, which a check that finds drift never needs: db_hash is ""
 * until project_set_db_hash, or until project_db_hash computes it. The state is read
 * through its index (only the tables that changed since the last sync are parsed). Only
 * when that shows the last sync's schema (the rows differed, the schema did not: new
 * oids, another schemerge's queries) can the hash be the recorded one: it is computed
 * then, and when it is, the state is loaded again as project_set_catalog would have with
 * that hash in hand: it is the catalog. */
int project_set_catalog_unhashed(sm_project *p, sm_catalog *cat, sm_error *err);
/* Read the last-sync snapshot if there is one (a damaged one is an error). Before the
 * catalog is loaded this only marks the state as wanted: project_set_catalog loads it,
 * since with the catalog in hand an unchanged database needs no parse. */
int project_load_state(sm_project *p, sm_error *err);
/* open + files + state + db + compute, the files parsed while another thread reads the
 * catalog (a file that cannot be parsed stops the read: its error comes at once); a hash
 * that must be computed is left to project_db_hash (project_set_catalog_unhashed). */
int project_load(sm_project **out, const project_options *opts, sm_error *err);

#endif
