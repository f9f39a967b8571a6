/* load.c: loading a project's state and catalog, and the whole project at once
 * (load.h). The known-hash shortcut is here and nowhere else. */
#include "config.h"
#include "load.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "state.h"
#include "xalloc.h"

void load_request_init(load_request *req, const sm_project *p)
{
    memset(req, 0, sizeof *req);
    req->db_arg = p->db_arg ? xstrdup(p->db_arg) : NULL;
    req->schemas = xcalloc(p->nschemas + 1, sizeof *req->schemas);
    for (size_t i = 0; i < p->nschemas; i++)
        req->schemas[i] = xstrdup(p->schemas[i]);
    req->opts = (catalog_options)CATALOG_OPTIONS_INIT;
    req->opts.schemas = (const char *const *)req->schemas;
    req->opts.nschemas = p->nschemas;
    req->opts.views = p->config->views;
    req->opts.statement_timeout_ms = p->config->statement_timeout_ms;
    req->opts.lock_timeout_ms = p->config->lock_timeout_ms;
    state_last_sync_hashes(p, req->known_hash, req->known_digest);
}

void load_request_done(load_request *req)
{
    for (size_t i = 0; i < req->opts.nschemas; i++)
        free(req->schemas[i]);
    free(req->schemas);
    free(req->db_arg);
    memset(req, 0, sizeof *req);
}

int load_read(sm_catalog **out, const load_request *req, sm_error *err)
{
    return catalog_open(out, req->db_arg, &req->opts, err);
}

bool load_known_hash(char hash[SM_DB_HASH_LEN], const load_request *req, const sm_catalog *cat)
{
    /* the hash the last sync recorded, when cat was read from the same rows */
    if (!cat->read_digest || !req->known_digest[0] || !req->known_hash[0] ||
        strcmp(req->known_digest, cat->read_digest) != 0)
        return false;
    snprintf(hash, SM_DB_HASH_LEN, "%s", req->known_hash);
    return true;
}

void load_hash(char hash[SM_DB_HASH_LEN], const load_request *req, const sm_catalog *cat)
{
    if (!load_known_hash(hash, req, cat))
        snapshot_hash(hash, cat);
}

/* A read of a project's catalog, which may run on a thread of its own, with its hash when
 * the last sync recorded it (hashed; else the caller computes it). */
typedef struct db_read {
    load_request req;
    sm_catalog *cat;
    char hash[SM_DB_HASH_LEN];
    bool hashed;
    sm_error err;
    int error;
} db_read;

static void *db_read_run(void *arg)
{
    db_read *d = arg;
    d->error = load_read(&d->cat, &d->req, &d->err);
    if (d->error >= 0)
        d->hashed = load_known_hash(d->hash, &d->req, d->cat);
    return NULL;
}

/* Install what d read into p (when error, the caller's, is not one already), with its
 * hash when the last sync recorded it, else without (project_set_catalog_unhashed), and
 * free d. */
static int db_read_finish(db_read *d, sm_project *p, int error, sm_error *err)
{
    if (error >= 0 && d->error < 0) {
        *err = d->err;
        error = d->error;
    }
    if (error >= 0) {
        error = d->hashed ? project_set_catalog(p, d->cat, d->hash, err)
                          : project_set_catalog_unhashed(p, d->cat, err);
        d->cat = NULL;
    }
    catalog_free(d->cat);
    load_request_done(&d->req);
    return error;
}

int project_load_db(sm_project *p, sm_error *err)
{
    db_read d = { .err = SM_ERROR_INIT };
    load_request_init(&d.req, p);
    db_read_run(&d);
    return db_read_finish(&d, p, 0, err);
}

int project_set_catalog(sm_project *p, sm_catalog *cat, const char *hash, sm_error *err)
{
    project_install_catalog(p, cat);
    project_set_db_hash(p, hash);
    return p->state_pending ? project_load_state(p, err) : 0;
}

int project_set_catalog_unhashed(sm_project *p, sm_catalog *cat, sm_error *err)
{
    project_install_catalog(p, cat);
    if (!p->state_pending)
        return 0;
    int error = project_load_state(p, err);
    if (error >= 0 && p->last_sync && !p->last_sync_is_db && snapshot_same_schema(p->db, p->last_sync)) {
        (void)project_db_hash(p); /* computed now, so that the state may be current */
        if (state_last_sync_current(p))
            error = project_load_state(p, err);
    }
    return error;
}

int project_load_state(sm_project *p, sm_error *err)
{
    project_drop_last_sync(p);
    if (!p->db) {
        p->state_pending = true;
        return 0;
    }
    p->state_pending = false;
    char *path = project_path(p, SM_LAST_SYNC_FILE);
    int error = 0;
    if (fs_exists(path)) {
        if (state_last_sync_current(p)) {
            p->last_sync = p->db;
            p->last_sync_is_db = true;
        } else {
            /* only the tables that changed since are read (the index in last-sync.hash) */
            char *index = state_last_sync_index(p);
            if ((error = snapshot_read_file_sharing(&p->last_sync, path, p->db, index, err)) < 0)
                snprintf(err->hint, sizeof err->hint,
                         "the last-sync state is damaged: delete %s to start afresh", SM_LAST_SYNC_FILE);
            free(index);
        }
    }
    free(path);
    return error;
}

/* The files, parsed on this thread while another reads the catalog (the two take about
 * as long at 5,000 tables), then the state and the drift. A file that cannot be parsed
 * ends the read at once through the stop pipe (pgread.h), so its error is not kept
 * waiting for the database. */
static int load_all(sm_project *p, sm_error *err)
{
    db_read d = { .err = SM_ERROR_INIT };
    load_request_init(&d.req, p);
    int stop[2];
    pthread_t reader;
    bool threaded = pipe2(stop, O_CLOEXEC) == 0;
    if (threaded) {
        d.req.opts.stop_fd = stop[0];
        if (pthread_create(&reader, NULL, db_read_run, &d) != 0) {
            close(stop[0]);
            close(stop[1]);
            d.req.opts.stop_fd = -1;
            threaded = false;
        }
    }
    int error = project_load_files(p, err);
    if (threaded) {
        if (error < 0) {
            ssize_t n = write(stop[1], "", 1);
            (void)n; /* had it failed, the read would run to its end: slower, not wrong */
        }
        pthread_join(reader, NULL);
        close(stop[0]);
        close(stop[1]);
    } else if (error >= 0) {
        db_read_run(&d);
    }
    if (error >= 0)
        error = project_load_state(p, err); /* wanted: loaded with the catalog */
    if ((error = db_read_finish(&d, p, error, err)) < 0)
        return error;
    return project_compute(p, err);
}

int project_load(sm_project **out, const project_options *opts, sm_error *err)
{
    sm_project *p = NULL;
    int error;
    if ((error = project_open(&p, opts, err)) < 0 || (error = load_all(p, err)) < 0) {
        project_free(p);
        return error;
    }
    *out = p;
    return 0;
}
