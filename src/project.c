/* project.c: loading a project in steps. Knows where things are; the work of reading
 * them belongs to catalog.c, pyparse.c, snapshot.c and settings.c. */
#include "config.h"
#include "project.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "fsutil.h"
#include "state.h"
#include "vcs.h"
#include "writer.h"
#include "xalloc.h"

char *project_path(const sm_project *p, const char *rel)
{
    return xasprintf("%s/%s", p->root, rel);
}

int project_open(sm_project **out, const project_options *opts, sm_error *err)
{
    int error = 0;
    sm_project *p = xcalloc(1, sizeof *p);
    char cwd[PATH_MAX];
    const char *start = opts->start_dir;
    if (!start) {
        if (!getcwd(cwd, sizeof cwd)) {
            error = sm_error_set(err, ERR_IO, NULL, "cannot determine the current directory");
            goto done;
        }
        start = cwd;
    }
    if ((error = vcs_find_root(&p->root, start, err)) < 0)
        goto done;
    if (opts->writer) {
        if ((error = writer_lock(p->root, err)) < 0)
            goto done;
        p->holds_lock = true;
    } else if ((error = writer_recover(p->root, err)) < 0) {
        goto done;
    }
    if ((error = settings_load(&p->config, p->root, opts->config_path, err)) < 0)
        goto done;
    p->paths[TARGET_ENUMS] = p->config->file_enums;
    p->paths[TARGET_ENTITIES] = p->config->file_entities;
    p->paths[TARGET_RELATIONSHIPS] = p->config->file_relationships;
    p->version_path = p->config->file_version;
    p->db_arg = xstrdup(opts->db_arg);
    if (opts->nschemas) {
        p->schemas = xcalloc(opts->nschemas, sizeof *p->schemas);
        for (size_t i = 0; i < opts->nschemas; i++)
            p->schemas[i] = xstrdup(opts->schemas[i]);
        p->nschemas = opts->nschemas;
    } else {
        p->schemas = xcalloc(p->config->nschemas + 1, sizeof *p->schemas);
        for (size_t i = 0; i < p->config->nschemas; i++)
            p->schemas[i] = xstrdup(p->config->schemas[i]);
        p->nschemas = p->config->nschemas;
    }
done:
    if (error < 0) {
        project_free(p);
        return error;
    }
    *out = p;
    return 0;
}

int project_load_files(sm_project *p, sm_error *err)
{
    for (int t = 0; t < TARGET_COUNT; t++) {
        pyfile_free(p->files[t]);
        p->files[t] = NULL;
        /* The same file configured for two roles is parsed once per role, on purpose:
         * each role owns its parse. */
        char *path = project_path(p, p->paths[t]);
        py_file *f = NULL;
        int error = pyfile_load(&f, path, err);
        free(path);
        if (error == ERR_NOT_FOUND) {
            sm_error_clear(err);
            continue;
        }
        if (error < 0) {
            /* report the path relative to the root, as the user knows it */
            size_t rl = strlen(p->root);
            if (strncmp(err->what, p->root, rl) == 0 && err->what[rl] == '/')
                memmove(err->what, err->what + rl + 1, strlen(err->what + rl + 1) + 1);
            return error;
        }
        /* messages name the file relative to the root */
        free(f->path);
        f->path = xstrdup(p->paths[t]);
        p->files[t] = f;
    }
    return 0;
}

int project_load_db(sm_project *p, sm_error *err)
{
    catalog_options co = CATALOG_OPTIONS_INIT;
    co.schemas = (const char *const *)p->schemas;
    co.nschemas = p->nschemas;
    co.views = p->config->views;
    co.statement_timeout_ms = p->config->statement_timeout_ms;
    sm_catalog *cat = NULL;
    int error = catalog_open(&cat, p->db_arg, &co, err);
    if (error < 0)
        return error;
    return project_set_catalog(p, cat, NULL, err);
}

static void drop_last_sync(sm_project *p)
{
    if (!p->last_sync_is_db)
        catalog_free(p->last_sync);
    p->last_sync = NULL;
    p->last_sync_is_db = false;
}

/* Replace the catalog; the hash is set by the caller. */
static void install_catalog(sm_project *p, sm_catalog *cat)
{
    drift_free(p->changes);
    p->changes = NULL;
    if (p->last_sync_is_db) {
        drop_last_sync(p);
        p->state_pending = true;
    }
    catalog_free(p->db);
    p->db = cat;
    p->db_hash[0] = '\0';
}

bool project_known_hash(const sm_project *p, const sm_catalog *cat, char hash[SM_DB_HASH_LEN])
{
    char digest[SM_SHA256_HEX_LEN + 1];
    return cat->read_digest && state_last_sync_hashes(p, hash, digest) && strcmp(digest, cat->read_digest) == 0;
}

int project_set_catalog(sm_project *p, sm_catalog *cat, const char *hash, sm_error *err)
{
    char known[SM_DB_HASH_LEN];
    if (!hash && project_known_hash(p, cat, known))
        hash = known;
    install_catalog(p, cat);
    if (hash)
        project_set_db_hash(p, hash);
    else
        snapshot_hash(p->db_hash, cat);
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
    install_catalog(p, cat);
    return p->state_pending ? project_load_state(p, err) : 0;
}

void project_set_db_hash(sm_project *p, const char *hash)
{
    snprintf(p->db_hash, sizeof p->db_hash, "%s", hash);
}

int project_load_state(sm_project *p, sm_error *err)
{
    drop_last_sync(p);
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
        } else if ((error = snapshot_read_file(&p->last_sync, path, err)) < 0) {
            snprintf(err->hint, sizeof err->hint,
                     "the last-sync state is damaged: delete %s to start afresh", SM_LAST_SYNC_FILE);
        }
    }
    free(path);
    return error;
}

int project_compute(sm_project *p, sm_error *err)
{
    drift_input in = { .db = p->db, .last_sync = p->last_sync, .config = p->config };
    for (int t = 0; t < TARGET_COUNT; t++) {
        in.files[t] = p->files[t];
        in.paths[t] = p->paths[t];
    }
    sm_changeset *cs = NULL;
    int error = drift_compute(&cs, &in, err);
    if (error < 0)
        return error;
    drift_free(p->changes);
    p->changes = cs;
    return 0;
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

void project_free(sm_project *p)
{
    if (!p)
        return;
    drift_free(p->changes);
    for (int t = 0; t < TARGET_COUNT; t++)
        pyfile_free(p->files[t]);
    drop_last_sync(p);
    catalog_free(p->db);
    settings_free(p->config);
    for (size_t i = 0; i < p->nschemas; i++)
        free(p->schemas[i]);
    free(p->schemas);
    free(p->db_arg);
    free(p->root);
    if (p->holds_lock)
        writer_unlock();
    free(p);
}
