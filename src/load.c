/* load.c: loading a project's state and catalog, and the whole project at once
 * (load.h). The known-hash shortcut is here and nowhere else. */
#include "config.h"
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void load_hash(char hash[SM_DB_HASH_LEN], const load_request *req, const sm_catalog *cat)
{
    /* the hash the last sync recorded, when cat was read from the same rows */
    if (cat->read_digest && req->known_digest[0] && req->known_hash[0] &&
        strcmp(req->known_digest, cat->read_digest) == 0)
        snprintf(hash, SM_DB_HASH_LEN, "%s", req->known_hash);
    else
        snapshot_hash(hash, cat);
}

int project_load_db(sm_project *p, sm_error *err)
{
    load_request req;
    load_request_init(&req, p);
    sm_catalog *cat = NULL;
    int error = load_read(&cat, &req, err);
    if (error >= 0) {
        char hash[SM_DB_HASH_LEN];
        load_hash(hash, &req, cat);
        error = project_set_catalog(p, cat, hash, err);
    }
    load_request_done(&req);
    return error;
}

int project_set_catalog(sm_project *p, sm_catalog *cat, const char *hash, sm_error *err)
{
    project_install_catalog(p, cat);
    project_set_db_hash(p, hash);
    return p->state_pending ? project_load_state(p, err) : 0;
}

bool project_state_needs_hash(const sm_project *p)
{
    if (!p->state_pending && !p->last_sync_is_db)
        return false; /* loaded already, from the file */
    char *path = project_path(p, SM_LAST_SYNC_FILE);
    bool exists = fs_exists(path);
    free(path);
    return exists;
}

int project_set_catalog_unhashed(sm_project *p, sm_catalog *cat, sm_error *err)
{
    if (project_state_needs_hash(p))
        return sm_error_set(err, ERR_GENERIC, NULL, "internal error: the last-sync state needs the catalog's hash");
    project_install_catalog(p, cat);
    return p->state_pending ? project_load_state(p, err) : 0;
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

int project_load(sm_project **out, const project_options *opts, sm_error *err)
{
    sm_project *p = NULL;
    int error;
    if ((error = project_open(&p, opts, err)) < 0 || (error = project_load_files(p, err)) < 0 ||
        (error = project_load_state(p, err)) < 0 || (error = project_load_db(p, err)) < 0 ||
        (error = project_compute(p, err)) < 0) {
        project_free(p);
        return error;
    }
    *out = p;
    return 0;
}
