/* catalog.h: reading a database catalog into the model, from a live PostgreSQL (libpq)
 * or from a snapshot file.
 *
 * The live reader runs a fixed handful of pg_catalog queries for the whole database (never
 * one per table; the schema names travel as a text[] parameter) in READ ONLY, REPEATABLE
 * READ transactions with a statement timeout, on up to three connections that share one
 * exported snapshot, so that all of them see the same catalog. It reads nothing but the
 * catalog and writes nothing. Errors are one line and never contain a
 * password (the connection string is shown through conninfo_redact). */
#ifndef SCHEMERGE_CATALOG_H
#define SCHEMERGE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "model.h"
#include "strbuf.h"

typedef struct catalog_options {
    const char *const *schemas; /* schemas to read; none given: "public" */
    size_t nschemas;
    bool views;                 /* also read views and materialized views */
    int statement_timeout_ms;   /* 0: 30000 */
    int lock_timeout_ms;        /* 0: 5000 (how long a read waits for a table a migration holds) */
    int connect_timeout_s;      /* 0: 10 */
    int connections;            /* at most this many at once; 0: three (pgread.h) */
    int stop_fd;                /* >= 0: readable when the read is no longer wanted: it then
                                   ends at once with ERR_GENERIC (pgread.h); -1: none */
} catalog_options;

/* Ask the server to stop every catalog read now under way (pgread_cancel_all). Safe in a
 * signal handler. */
void catalog_cancel_reads(void);

#define CATALOG_OPTIONS_INIT { NULL, 0, false, 0, 0, 0, 0, -1 }

/* True when db_arg names a snapshot file rather than a connection string: it ends in
 * ".json". */
bool catalog_arg_is_snapshot(const char *db_arg);

/* Read the catalog of the database at conninfo (a URI, a key=value string, or "" for
 * libpq's defaults). opts may be NULL (defaults). On success *out is a new sorted
 * catalog owned by the caller (catalog_free), with cat->schemas as asked.
 * Returns 0, ERR_DB_CONNECT (server down, authentication, no such database) or
 * ERR_DB_QUERY (a query failed or timed out), with a one-line err and a hint. */
int catalog_load_db(sm_catalog **out, const char *conninfo, const catalog_options *opts, sm_error *err);

/* Read the catalog named by a --db argument: a snapshot file (snapshot_read_file; when
 * opts names schemas, only those are kept, and a schema the snapshot lacks is an
 * ERR_SNAPSHOT error), or else conninfo_resolve(db_arg) read with catalog_load_db. */
int catalog_open(sm_catalog **out, const char *db_arg, const catalog_options *opts, sm_error *err);

/* Append the catalog queries as a psql script, with the parameters opts implies written
 * in as literals (psql 15 cannot bind parameters). The text of each query is exactly
 * what catalog_load_db sends; the benchmark (bench/) runs it as the floor to beat. */
void catalog_queries_script(strbuf *out, const catalog_options *opts);

#endif
