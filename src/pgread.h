/* pgread.h: read-only queries on several connections that see one database state.
 *
 * pgread_run connects up to PGREAD_LINKS times at once. The first connection to be up
 * (the leader) opens a READ ONLY, REPEATABLE READ transaction and exports its snapshot
 * (pg_export_snapshot); the others open theirs on that snapshot (SET TRANSACTION
 * SNAPSHOT), so every query sees the same state, as if one transaction ran them all. Each
 * connection with nothing to do asks the caller for the next query (ops->next), and hands
 * each result back as soon as it is in (ops->result), so the caller can work on it while
 * the server works on the rest. A connection that cannot get in or cannot take the
 * snapshot (a connection limit, a pooler, no EXECUTE on pg_export_snapshot) is dropped
 * and the others do its share; only the leader's failures are errors (and not getting in
 * at all). Every statement has a deadline on this side too (statement_timeout + 5 s), so
 * a server that stops answering ends in an error, not a hang. Nothing is ever written.
 * Errors are one line and never contain a password. */
#ifndef SCHEMERGE_PGREAD_H
#define SCHEMERGE_PGREAD_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "error.h"

enum { PGREAD_LINKS = 3 };

typedef struct pgread_query {
    const char *name;           /* for messages: "cannot read the database catalog (NAME)" */
    const char *sql;
    int nparams;                /* 0: sent as a simple query */
    const char *const *params;  /* text; needed only during the call to ops->next's caller */
} pgread_query;

typedef struct pgread_ops {
    /* The next query a free connection is to run: an id >= 0 with *q filled, or -1 when
     * there is none to start now (the connection is then closed; a query that depends on
     * a result is taken by the connection that brings that result). */
    int (*next)(void *ctx, pgread_query *q);
    /* The result of query id, owned by the callee. */
    void (*result)(void *ctx, int id, PGresult *res);
    /* Whether every query has its result. */
    bool (*done)(void *ctx);
} pgread_ops;

typedef struct pgread_options {
    int connect_timeout_s;      /* >0; the conninfo's own connect_timeout wins */
    int statement_timeout_ms;   /* >0: the server's limit, and this side's (plus 5 s) */
    int lock_timeout_ms;        /* the lock_timeout in settings, for the message when it fires */
    int links;                  /* connections to open, 1..PGREAD_LINKS; 0: PGREAD_LINKS */
    const char *settings;       /* run at the start of every transaction: "SET LOCAL ...; ..." */
    int stop_fd;                /* >= 0: a descriptor that becomes readable when the caller no
                                   longer wants the result; the run then cancels its statements
                                   on the server and ends with ERR_GENERIC. -1: none */
} pgread_options;

/* Run the queries ops gives on the database at conninfo until ops->done. Returns 0 with
 * *server_version set (the server's "15.4", owned by the caller; may be NULL), or
 * ERR_DB_CONNECT / ERR_DB_QUERY with a one-line err and a hint. */
int pgread_run(const char *conninfo, const pgread_options *opts, const pgread_ops *ops, void *ctx,
               char **server_version, sm_error *err);

/* Ask the server to cancel the statement of every connection of every run now under way
 * (PQcancel). Safe in a signal handler: the command line's SIGINT and SIGTERM call it, so
 * that Ctrl-C stops a catalog read on the server too, not only here. */
void pgread_cancel_all(void);

#endif
