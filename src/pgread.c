/* pgread.c: read-only queries on several connections sharing one snapshot (pgread.h).
 *
 * Each connection (a link) is a small state machine driven by one poll() loop: connecting,
 * then its transaction's first statements (the leader's also export the snapshot; a
 * helper's import it, and wait for it first if the leader is not that far), then one
 * query after another as the caller hands them out. Nothing blocks: connecting and
 * every statement go through libpq's asynchronous calls with a deadline of our own. */
#include "config.h"
#include "pgread.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conninfo.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ errors */

/* libpq messages span lines ("...failed: FATAL:  x\n\tIs the server running...?\n"):
 * fold every run of white space into one space, and mask what could be a password
 * (conninfo_scrub): libpq quotes back the pieces of a connection string it cannot parse. */
static void one_line(char *dst, size_t size, const char *msg, const char *conninfo, const char *password)
{
    strbuf sb = STRBUF_INIT;
    bool space = false;
    for (const char *p = msg ? msg : ""; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = sb.len > 0;
            continue;
        }
        if (space)
            strbuf_addch(&sb, ' ');
        space = false;
        strbuf_addch(&sb, *p);
    }
    char *safe = conninfo_scrub(strbuf_str(&sb), conninfo, password);
    snprintf(dst, size, "%s", safe);
    free(safe);
    strbuf_release(&sb);
}

/* The password libpq would use for conninfo, to scrub it from server messages. */
static char *password_of(const char *conninfo)
{
    char *pw = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            pw = xstrdup(o->val);
    PQconninfoFree(opts);
    return pw;
}

static int connect_error(sm_error *err, const char *conninfo, PGconn *conn)
{
    char msg[400];
    char *pw = password_of(conninfo);
    char *shown = conninfo_redact(conninfo);
    one_line(msg, sizeof msg, conn ? PQerrorMessage(conn) : "out of memory", conninfo, pw);
    /* libpq has no SQLSTATE for a failed connection: classify by the server's text,
     * which is English here because it comes before any lc_messages of ours */
    const char *hint = "check that the server is running and --db or DATABASE_URL is right";
    if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied") ||
        strstr(msg, "authentication failed") || strstr(msg, "fe_sendauth"))
        hint = "check the user name and password in --db or DATABASE_URL, or ~/.pgpass";
    else if (strstr(msg, "does not exist") && strstr(msg, "database \""))
        hint = "check the database name in --db or DATABASE_URL, or create the database";
    else if (strstr(msg, "does not exist") && strstr(msg, "role \""))
        hint = "check the user name in --db or DATABASE_URL";
    else if (strstr(msg, "connection info string") || strstr(msg, "URI") ||
             strstr(msg, "invalid connection option") || strstr(msg, "invalid integer value") ||
             strstr(msg, "invalid percent-encoded") || strstr(msg, "invalid port number") ||
             strstr(msg, "value for connection option") || strstr(msg, " value: \""))
        hint = "fix the connection string in --db or DATABASE_URL (a postgresql:// URI or key=value pairs)";
    else if (strstr(msg, "certificate verify failed"))
        hint = "the server's certificate is not signed by the CA in sslrootcert (default "
               "~/.postgresql/root.crt): point sslrootcert at the CA that signed it";
    else if (strstr(msg, "does not match host name"))
        hint = "connect with a host name that the server's certificate names, or use "
               "sslmode=verify-ca to check only who signed it";
    else if (strstr(msg, "root certificate file"))
        hint = "give sslrootcert the file of the CA that signed the server's certificate, or "
               "use sslmode=require to encrypt without checking the server";
    else if (strstr(msg, "server does not support SSL"))
        hint = "the server does not offer TLS: turn ssl on at the server, or use sslmode=prefer";
    else if (strstr(msg, "no pg_hba.conf entry") && strstr(msg, "no encryption"))
        hint = "the server takes this connection over TLS only: add sslmode=require (or "
               "verify-full with sslrootcert)";
    else if (strstr(msg, "timeout expired"))
        hint = "the server did not answer in time; check the host and port, or the network";
    int rc = sm_error_set(err, ERR_DB_CONNECT, hint, "cannot connect to the database (%s): %s",
                          *shown ? shown : "libpq defaults", msg);
    free(shown);
    free(pw);
    return rc;
}

/* libpq's default notice processor prints to stderr: a server going down sends
 * "WARNING: terminating connection ..." before the error we report ourselves. */
static void notice_ignore(void *payload, const char *message)
{
    (void)payload;
    (void)message;
}

/* After a lock timeout: the relations another session holds ACCESS EXCLUSIVE on (the
 * one lock that blocks a catalog read; a migration's ALTER TABLE takes it), read on a
 * connection of its own with a short limit: "public.orders (process 1234)". Empty when
 * that cannot be found out. */
static void locked_relations(strbuf *out, const char *conninfo, int connect_timeout_s)
{
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", connect_timeout_s > 0 ? connect_timeout_s : 10);
    const char *const keys[] = { "connect_timeout", "application_name", "options", "dbname", NULL };
    const char *const values[] = { timeout, "schemerge", "-c statement_timeout=5000", conninfo, NULL };
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    PGresult *res = NULL;
    if (conn && PQstatus(conn) == CONNECTION_OK) {
        PQsetNoticeProcessor(conn, notice_ignore, NULL);
        res = PQexec(conn,
                     "SELECT n.nspname, c.relname, l.pid FROM pg_catalog.pg_locks l"
                     " JOIN pg_catalog.pg_class c ON c.oid = l.relation"
                     " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                     " WHERE l.locktype = 'relation' AND l.granted AND l.mode = 'AccessExclusiveLock'"
                     " AND l.pid <> pg_catalog.pg_backend_pid() AND l.database = (SELECT oid FROM"
                     " pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
                     " ORDER BY 1, 2 LIMIT 4");
    }
    int n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    for (int i = 0; i < n && i < 3; i++) {
        char *schema = utf8_escaped(PQgetvalue(res, i, 0)), *name = utf8_escaped(PQgetvalue(res, i, 1));
        strbuf_addf(out, "%s%s.%s (process %s)", i ? ", " : "", schema, name, PQgetvalue(res, i, 2));
        free(schema);
        free(name);
    }
    if (n > 3)
        strbuf_adds(out, ", ...");
    PQclear(res);
    PQfinish(conn);
}

static int lock_error(sm_error *err, const char *what, const char *conninfo, const pgread_options *opts)
{
    strbuf held = STRBUF_INIT;
    locked_relations(&held, conninfo, opts->connect_timeout_s);
    int rc = sm_error_set(err, ERR_DB_QUERY,
                          "run again once the migration or transaction that holds it has ended, "
                          "or raise lock_timeout_ms in the config",
                          "cannot read the database catalog (%s): waited %d ms for a lock%s%s", what,
                          opts->lock_timeout_ms, held.len ? ": another session holds ACCESS EXCLUSIVE on " : "",
                          strbuf_str(&held));
    strbuf_release(&held);
    return rc;
}

static int query_error(sm_error *err, const char *what, PGresult *res, PGconn *conn, const char *conninfo,
                       const char *pw, const pgread_options *opts)
{
    char msg[400];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    one_line(msg, sizeof msg, primary ? primary : PQerrorMessage(conn), conninfo, pw);
    const char *hint = NULL;
    if (state && strcmp(state, "55P03") == 0) /* lock_not_available: lock_timeout */
        return lock_error(err, what, conninfo, opts);
    if (state && strcmp(state, "57014") == 0)
        hint = "the catalog is large or the server busy: raise statement_timeout_ms in the config";
    else if (state && strncmp(state, "42", 2) == 0)
        hint = "the server may be older than PostgreSQL 12, which schemerge needs";
    else if (PQstatus(conn) == CONNECTION_BAD)
        hint = "the connection was lost; check the server and try again";
    return sm_error_set(err, ERR_DB_QUERY, hint, "cannot read the database catalog (%s): %s", what,
                        msg[0] ? msg : "unknown error");
}

static int late_error(sm_error *err, const char *what, int limit_ms)
{
    return sm_error_set(err, ERR_DB_QUERY, "the server stopped answering: check it, then try again",
                        "cannot read the database catalog (%s): no answer within %d ms", what, limit_ms);
}

/* ------------------------------------------------------------------ links */

typedef enum link_state {
    LINK_CONNECTING,
    LINK_WAITING, /* a helper, connected, waiting for the snapshot to import */
    LINK_SETUP,   /* the transaction's first statements are on their way */
    LINK_QUERY,   /* running query `query` */
    LINK_GONE,    /* closed: done, or a helper given up */
} link_state;

typedef struct link {
    PGconn *conn;
    link_state state;
    PostgresPollingStatusType polling; /* while connecting */
    int query;                         /* the caller's id while LINK_QUERY */
    const char *name;                  /* ... and its name, for messages */
    int64_t deadline;                  /* for the connection or the statement under way */
    PGresult *kept;                    /* the step's first failed result, else its last */
    PGcancel *cancel;                  /* while connected: for pgread_cancel_all */
} link;

typedef struct run {
    link links[PGREAD_LINKS];
    const char *conninfo;
    const pgread_options *opts;
    const pgread_ops *ops;
    void *ctx;
    char *pw;
    link *leader;             /* the first link up; NULL until then */
    char *server_version;     /* the leader's */
    char *snapshot_id;        /* exported by the leader; NULL until then */
    bool exporting;           /* the leader's setup asks for the snapshot */
    bool alone;               /* no snapshot to share: the leader does everything */
    bool retried;             /* every attempt was refused for too many connections, and
                                 one was tried again on its own */
    sm_error *err;
    int rc;                   /* the first error; 0 while there is none */
} run;


static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long one statement may take before this side stops waiting: the server's own
 * statement_timeout plus a margin for the server to say so. statement_timeout is enforced
 * by the server, so a server that stops answering (a frozen backend, a network gone
 * quiet) would otherwise be waited for forever. */
static int client_limit_ms(const run *r)
{
    return r->opts->statement_timeout_ms + 5000;
}

/* The cancel handles of every connection now up, in any run, for pgread_cancel_all:
 * a signal handler reads them, so a slot is taken and given back atomically and a
 * handle is freed only once its slot no longer names it. */
static _Atomic(PGcancel *) live_cancels[4 * PGREAD_LINKS];

static void cancel_register(link *l)
{
    l->cancel = PQgetCancel(l->conn);
    for (size_t i = 0; l->cancel && i < sizeof live_cancels / sizeof *live_cancels; i++) {
        PGcancel *none = NULL;
        if (atomic_compare_exchange_strong(&live_cancels[i], &none, l->cancel))
            return;
    }
}

static void cancel_unregister(link *l)
{
    for (size_t i = 0; l->cancel && i < sizeof live_cancels / sizeof *live_cancels; i++) {
        PGcancel *mine = l->cancel;
        if (atomic_compare_exchange_strong(&live_cancels[i], &mine, NULL))
            break;
    }
    PQfreeCancel(l->cancel);
    l->cancel = NULL;
}

void pgread_cancel_all(void)
{
    for (size_t i = 0; i < sizeof live_cancels / sizeof *live_cancels; i++) {
        PGcancel *c = atomic_load(&live_cancels[i]);
        char errbuf[256]; /* on this stack: PQcancel is then safe in a signal handler */
        if (c)
            PQcancel(c, errbuf, sizeof errbuf);
    }
}

static void link_close(link *l)
{
    cancel_unregister(l);
    PQclear(l->kept);
    l->kept = NULL;
    PQfinish(l->conn);
    l->conn = NULL;
    l->state = LINK_GONE;
}

static void fail(run *r, int rc)
{
    if (!r->rc)
        r->rc = rc;
}

/* The connect_timeout libpq took for l: ours, or the conninfo's own, which wins. */
static int connect_timeout_of(const run *r, PGconn *conn)
{
    int s = r->opts->connect_timeout_s;
    PQconninfoOption *given = conn ? PQconninfo(conn) : NULL;
    for (PQconninfoOption *o = given; o && o->keyword; o++)
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val && atoi(o->val) > 0)
            s = atoi(o->val);
    PQconninfoFree(given);
    return s;
}

/* PQconnectStartParams, with notices swallowed from the first byte: a server going down
 * during the handshake sends its WARNING before any processor of ours could be set on a
 * blocking connection. libpq applies connect_timeout only when it blocks, so the wait is
 * bounded here. */
static void link_start(run *r, link *l)
{
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", r->opts->connect_timeout_s);
    /* Our settings come first: libpq lets the expanded dbname (the user's string)
     * override earlier entries, so a connect_timeout given by the user still wins. */
    const char *const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
    const char *const values[] = { timeout, "schemerge", r->conninfo, NULL };
    l->conn = PQconnectStartParams(keys, values, 1);
    l->state = LINK_CONNECTING;
    l->polling = PGRES_POLLING_WRITING;
    if (l->conn && PQstatus(l->conn) != CONNECTION_BAD)
        PQsetNoticeProcessor(l->conn, notice_ignore, NULL);
    else
        l->polling = PGRES_POLLING_FAILED;
    l->deadline = now_ms() + 1000 * (int64_t)connect_timeout_of(r, l->conn);
}

static void link_send(run *r, link *l, link_state state, const char *sql, int nparams,
                      const char *const *params)
{
    int sent = nparams ? PQsendQueryParams(l->conn, sql, nparams, NULL, params, NULL, NULL, 0)
                       : PQsendQuery(l->conn, sql);
    l->state = state;
    l->deadline = now_ms() + client_limit_ms(r);
    if (sent)
        return;
    /* libpq could not send (out of memory, a connection gone bad): say why now */
    if (state == LINK_QUERY || l == r->leader)
        fail(r, query_error(r->err, state == LINK_QUERY ? l->name : "begin", NULL, l->conn, r->conninfo,
                            r->pw, r->opts));
    else
        link_close(l);
}

/* Close every link but the leader that is not running a query: nothing is left for it. */
static void close_idle_helpers(run *r)
{
    for (int i = 0; i < PGREAD_LINKS; i++) {
        link *h = &r->links[i];
        if (h != r->leader && h->state != LINK_GONE && h->state != LINK_QUERY)
            link_close(h);
    }
}

/* The leader's transaction: with the snapshot export, unless that already failed. */
static void setup_leader(run *r, link *l, bool again)
{
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, again ? "ROLLBACK; " : "");
    strbuf_addf(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; %s", r->opts->settings);
    r->exporting = !r->alone;
    if (r->exporting)
        strbuf_adds(&sql, "; SELECT pg_catalog.pg_export_snapshot()");
    link_send(r, l, LINK_SETUP, strbuf_str(&sql), 0, NULL);
    strbuf_release(&sql);
}

/* A helper's transaction: SET TRANSACTION SNAPSHOT must come before anything else. */
static void setup_helper(run *r, link *l)
{
    if (r->alone) {
        link_close(l);
        return;
    }
    if (!r->snapshot_id) {
        l->state = LINK_WAITING;
        return;
    }
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '%s'; %s",
                r->snapshot_id, r->opts->settings);
    link_send(r, l, LINK_SETUP, strbuf_str(&sql), 0, NULL);
    strbuf_release(&sql);
}

/* A link in the snapshot with nothing to do takes the caller's next query, or closes. */
static void take_query(run *r, link *l)
{
    pgread_query q = { 0 };
    int id = r->ops->next(r->ctx, &q);
    if (id < 0) {
        /* nothing to start: a helper still on its way in would only idle */
        link_close(l);
        close_idle_helpers(r);
        return;
    }
    l->query = id;
    l->name = q.name;
    link_send(r, l, LINK_QUERY, q.sql, q.nparams, q.params);
}

static void link_connected(run *r, link *l)
{
    cancel_register(l);
    if (r->leader) {
        setup_helper(r, l);
        return;
    }
    r->leader = l;
    const char *version = PQparameterStatus(l->conn, "server_version");
    if (version)
        r->server_version = xstrndup(version, strcspn(version, " "));
    setup_leader(r, l, false);
}

/* A connection attempt failed: an error only when it was the last hope (no leader, no
 * other attempt under way), since a server may let in fewer connections than we try. */
static void connect_failed(run *r, link *l, bool timed_out)
{
    bool last = !r->leader;
    for (int i = 0; i < PGREAD_LINKS && last; i++)
        last = &r->links[i] == l || r->links[i].state != LINK_CONNECTING;
    if (!last) {
        link_close(l);
        return;
    }
    /* A role (or a server) allowing fewer connections than we try at once may refuse them
     * all: each new backend counts the others still starting. One more, on its own. */
    const char *why = l->conn ? PQerrorMessage(l->conn) : "";
    if (!timed_out && !r->retried &&
        (strstr(why, "too many connections") || strstr(why, "remaining connection slots are reserved"))) {
        r->retried = true;
        link_close(l);
        link_start(r, l);
        return;
    }
    if (timed_out) {
        char *shown = conninfo_redact(r->conninfo);
        fail(r, sm_error_set(r->err, ERR_DB_CONNECT,
                             "check that the server is running and --db or DATABASE_URL is right",
                             "cannot connect to the database (%s): no answer within %d s",
                             *shown ? shown : "libpq defaults", connect_timeout_of(r, l->conn)));
        free(shown);
    } else {
        fail(r, connect_error(r->err, r->conninfo, l->conn));
    }
    link_close(l);
}

/* The leader's first statements are done: share the snapshot, or read alone. */
static void leader_setup_done(run *r, link *l, PGresult *res)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (!r->exporting) {
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            fail(r, query_error(r->err, "begin", res, l->conn, r->conninfo, r->pw, r->opts));
            return;
        }
    } else if (st == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        r->snapshot_id = xstrdup(PQgetvalue(res, 0, 0));
        for (int i = 0; i < PGREAD_LINKS; i++)
            if (r->links[i].state == LINK_WAITING)
                setup_helper(r, &r->links[i]);
    } else if (PQstatus(l->conn) == CONNECTION_BAD) {
        fail(r, query_error(r->err, "begin", res, l->conn, r->conninfo, r->pw, r->opts));
        return;
    } else {
        /* no snapshot to share (no EXECUTE on pg_export_snapshot, a pooler): read alone;
         * a failure that is not about the export comes back on the retry */
        r->alone = true;
        close_idle_helpers(r);
        setup_leader(r, l, true);
        return;
    }
    take_query(r, l);
}

/* The step the link was on has all its results (l->kept): go on to the next. */
static void step_done(run *r, link *l)
{
    PGresult *res = l->kept;
    l->kept = NULL;
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (l->state == LINK_SETUP && l == r->leader) {
        leader_setup_done(r, l, res);
        PQclear(res);
    } else if (l->state == LINK_SETUP) {
        PQclear(res);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            take_query(r, l);
        else
            link_close(l); /* a helper that cannot take the snapshot: the others go on */
    } else if (l->state == LINK_QUERY) {
        if (st != PGRES_TUPLES_OK) {
            fail(r, query_error(r->err, l->name, res, l->conn, r->conninfo, r->pw, r->opts));
            PQclear(res);
            return;
        }
        r->ops->result(r->ctx, l->query, res);
        take_query(r, l);
    } else {
        PQclear(res);
    }
}

/* Read what the server sent; complete the step when its last result is in. */
static void link_input(run *r, link *l)
{
    if (!PQconsumeInput(l->conn)) {
        /* the connection is gone: what came before is no success */
        PQclear(l->kept);
        l->kept = NULL;
        step_done(r, l);
        return;
    }
    while (!PQisBusy(l->conn)) {
        PGresult *res = PQgetResult(l->conn);
        if (!res) {
            step_done(r, l);
            return;
        }
        ExecStatusType st = PQresultStatus(res);
        bool failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
        bool kept_failed = l->kept && PQresultStatus(l->kept) != PGRES_COMMAND_OK &&
                           PQresultStatus(l->kept) != PGRES_TUPLES_OK;
        if (kept_failed && !failed) {
            PQclear(res);
        } else {
            PQclear(l->kept);
            l->kept = res;
        }
    }
}

static void link_late(run *r, link *l)
{
    if (l->state == LINK_CONNECTING) {
        connect_failed(r, l, true);
        return;
    }
    if (l->state == LINK_QUERY)
        fail(r, late_error(r->err, l->name, client_limit_ms(r)));
    else if (l == r->leader)
        fail(r, late_error(r->err, "begin", client_limit_ms(r)));
    link_close(l);
}

static void link_connect_step(run *r, link *l)
{
    l->polling = PQconnectPoll(l->conn);
    if (l->polling == PGRES_POLLING_OK)
        link_connected(r, l);
    else if (l->polling == PGRES_POLLING_FAILED)
        connect_failed(r, l, false);
}

/* What a link waits for; -1 when there is nothing to wait for (the link was dealt with
 * at once: a failed connection, a socket already closed). */
static int link_poll_fd(run *r, link *l, short *events)
{
    if (l->state == LINK_GONE || l->state == LINK_WAITING)
        return -1;
    if (l->state == LINK_CONNECTING && l->polling == PGRES_POLLING_FAILED) {
        connect_failed(r, l, false);
        return -1;
    }
    int fd = PQsocket(l->conn);
    if (fd < 0) { /* the connection is gone */
        if (l->state == LINK_CONNECTING)
            connect_failed(r, l, false);
        else
            link_input(r, l); /* which finds it gone and ends the step */
        return -1;
    }
    *events = l->state == LINK_CONNECTING && l->polling == PGRES_POLLING_WRITING ? POLLOUT : POLLIN;
    return fd;
}

/* The caller no longer wants the result (stop_fd): the statements under way are cancelled
 * on the server, where they would otherwise run to their end after the connections close. */
static void abandon(run *r)
{
    for (int i = 0; i < PGREAD_LINKS; i++) {
        link *l = &r->links[i];
        char errbuf[256];
        if (l->state == LINK_QUERY && l->cancel)
            PQcancel(l->cancel, errbuf, sizeof errbuf);
    }
    fail(r, sm_error_set(r->err, ERR_GENERIC, NULL, "the catalog read was abandoned"));
}

static void run_links(run *r)
{
    int links = r->opts->links > 0 && r->opts->links < PGREAD_LINKS ? r->opts->links : PGREAD_LINKS;
    for (int i = 0; i < PGREAD_LINKS; i++) {
        if (i < links)
            link_start(r, &r->links[i]);
        else
            r->links[i].state = LINK_GONE; /* never opened */
    }
    while (!r->rc && !r->ops->done(r->ctx)) {
        struct pollfd pfd[PGREAD_LINKS + 1];
        int64_t now = now_ms(), wake = now + 60000;
        bool any = false;
        for (int i = 0; i < PGREAD_LINKS; i++) {
            short events = 0;
            int fd = r->rc ? -1 : link_poll_fd(r, &r->links[i], &events);
            pfd[i] = (struct pollfd){ .fd = fd, .events = events };
            if (fd >= 0) {
                if (r->links[i].deadline < wake)
                    wake = r->links[i].deadline;
                any = true;
            }
        }
        if (r->rc || r->ops->done(r->ctx))
            break;
        if (!any) { /* cannot happen while a query is missing; end rather than spin */
            fail(r, sm_error_set(r->err, ERR_DB_QUERY, "please report this as a bug",
                                 "cannot read the database catalog: no connection left to read it"));
            break;
        }
        pfd[PGREAD_LINKS] = (struct pollfd){ .fd = r->opts->stop_fd, .events = POLLIN };
        int ready = poll(pfd, PGREAD_LINKS + 1, wake > now ? (int)(wake - now) : 0);
        if (ready < 0 && errno != EINTR) {
            fail(r, sm_error_set(r->err, ERR_DB_QUERY, NULL, "cannot wait for the database: %s", strerror(errno)));
            break;
        }
        if (ready > 0 && pfd[PGREAD_LINKS].revents) {
            abandon(r);
            break;
        }
        now = now_ms();
        for (int i = 0; i < PGREAD_LINKS && !r->rc; i++) {
            link *l = &r->links[i];
            if (pfd[i].fd < 0 || l->state == LINK_GONE)
                continue;
            if (ready > 0 && pfd[i].revents) {
                if (l->state == LINK_CONNECTING)
                    link_connect_step(r, l);
                else
                    link_input(r, l);
            } else if (now >= l->deadline) {
                link_late(r, l);
            }
        }
    }
}

int pgread_run(const char *conninfo, const pgread_options *opts, const pgread_ops *ops, void *ctx,
               char **server_version, sm_error *err)
{
    run r = { .conninfo = conninfo ? conninfo : "", .opts = opts, .ops = ops, .ctx = ctx, .err = err };
    r.pw = password_of(r.conninfo);
    run_links(&r);
    /* read-only, so nothing to keep: closing a connection ends its transaction */
    for (int i = 0; i < PGREAD_LINKS; i++)
        if (r.links[i].state != LINK_GONE)
            link_close(&r.links[i]);
    if (server_version && !r.rc) {
        *server_version = r.server_version;
        r.server_version = NULL;
    }
    free(r.server_version);
    free(r.snapshot_id);
    free(r.pw);
    return r.rc;
}
