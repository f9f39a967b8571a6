/* fleet.h: one project checked against many databases at once (tenants, shards, staging
 * and production): `schemerge check --db A --db B ...` or `--db-list FILE`.
 *
 * Up to `jobs` catalogs are read at the same time, each on a thread of its own with
 * pgread's asynchronous connections (so a fleet of 50 takes about the time of its
 * slowest few, not the sum); the drift of each is computed here, on the calling thread,
 * as its catalog comes in, against the one parsed copy of the files, and the catalog is
 * then freed: memory holds a few catalogs, not the fleet. A database that cannot be
 * read is reported and the others go on. No printing here. */
#ifndef SCHEMERGE_FLEET_H
#define SCHEMERGE_FLEET_H

#include <stddef.h>

#include "error.h"
#include "hash.h"
#include "model.h"
#include "project.h"

typedef struct fleet_db {
    const char *db_arg;           /* as given: a conninfo, URL, service=NAME or FILE.json */
    int status;                   /* 0 nothing at or above fail_on, 1 drift, 2 error */
    size_t nchanges, counts[SEV_COUNT], failing;
    size_t ntables, nenums;
    char db_hash[SM_DB_HASH_LEN];
    sm_error err;                 /* status 2: why */
} fleet_db;

/* Check p (opened, its files loaded: project_load_files) against each of dbs[0..n)
 * (db_arg set; the rest is filled). Returns the worst status. p's catalog and change
 * list are those of the last database read when it returns. */
int fleet_check(sm_project *p, fleet_db *dbs, size_t n, int jobs, sm_severity fail_on);

/* The databases listed in the file at path, one a line: a postgresql:// URL, a key=value
 * connection string, or a bare service name (read as service=NAME); blank lines and
 * lines starting with # are skipped. *out is a NULL-terminated vector, owned. */
int fleet_read_list(const char *path, char ***out, size_t *n, sm_error *err);

#endif
