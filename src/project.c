/* project.c: a project and its first loading steps (the root, the config, the files),
 * the drift between what is loaded. Knows where things are; the work of reading them
 * belongs to catalog.c, pyparse.c, snapshot.c and settings.c; the state and the catalog
 * are loaded by load.c. */
#include "config.h"
#include "project.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "fsutil.h"
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
    sm_config *cfg = NULL;
    if ((error = settings_load(&cfg, p->root, opts->config_path, err)) < 0)
        goto done;
    project_set_config(p, cfg);
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
    verdicts known;
    verdicts_load(&known, p->root);
    char accepted[TARGET_COUNT][SM_SHA256_HEX_LEN + 1];
    size_t naccepted = 0;
    for (int t = 0; t < TARGET_COUNT; t++) {
        pyfile_free(p->files[t]);
        p->files[t] = NULL;
        /* The same file configured for two roles is parsed once per role, on purpose:
         * each role owns its parse. */
        char *path = project_path(p, p->paths[t]);
        py_file *f = NULL;
        int error = pyfile_load_known(&f, path, &known, accepted[naccepted], err);
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
        naccepted++;
    }
    verdicts_remember(&known, p->root, accepted, naccepted);
    return 0;
}

void project_drop_last_sync(sm_project *p)
{
    if (!p->last_sync_is_db)
        catalog_free(p->last_sync);
    p->last_sync = NULL;
    p->last_sync_is_db = false;
}

void project_install_catalog(sm_project *p, sm_catalog *cat)
{
    drift_free(p->changes);
    p->changes = NULL;
    /* the last sync may be this catalog, or borrow its tables: it goes with it */
    if (p->last_sync_is_db || (p->last_sync && p->last_sync->borrows_from == p->db)) {
        project_drop_last_sync(p);
        p->state_pending = true;
    }
    catalog_free(p->db);
    p->db = cat;
    p->db_hash[0] = '\0';
}

void project_set_config(sm_project *p, sm_config *cfg)
{
    settings_free(p->config);
    p->config = cfg;
    p->paths[TARGET_ENUMS] = cfg->file_enums;
    p->paths[TARGET_ENTITIES] = cfg->file_entities;
    p->paths[TARGET_RELATIONSHIPS] = cfg->file_relationships;
    p->version_path = cfg->file_version;
}

const char *project_db_hash(const sm_project *p)
{
    if (!p->db_hash[0] && p->db) /* a cache of what p->db means: p is not changed */
        snapshot_hash(((sm_project *)p)->db_hash, p->db);
    return p->db_hash;
}

void project_set_db_hash(sm_project *p, const char *hash)
{
    snprintf(p->db_hash, sizeof p->db_hash, "%s", hash);
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

void project_free(sm_project *p)
{
    if (!p)
        return;
    drift_free(p->changes);
    for (int t = 0; t < TARGET_COUNT; t++)
        pyfile_free(p->files[t]);
    project_drop_last_sync(p);
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
