/* loader.c: one worker thread per catalog read, handing back through a pipe (not a
 * condition variable) so that the UI loop can wait on it with poll() next to the
 * keyboard and inotify. */
#include "config.h"
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "snapshot.h"
#include "xalloc.h"

struct ui_loader {
    pthread_t thread;
    int pipe_fd[2];
    char *db_arg;
    char **schemas;
    size_t nschemas;
    catalog_options opts;
    /* written by the worker before it writes to the pipe; read after */
    int status;
    sm_catalog *cat;
    char hash[SM_DB_HASH_LEN];
    sm_error err;
};

static void *worker(void *arg)
{
    ui_loader *l = arg;
    l->status = catalog_open(&l->cat, l->db_arg, &l->opts, &l->err);
    /* hashing a large catalog takes a noticeable moment: here, not on the drawing thread */
    if (l->status >= 0)
        snapshot_hash(l->hash, l->cat);
    char done = 1;
    ssize_t n;
    do {
        n = write(l->pipe_fd[1], &done, 1);
    } while (n < 0 && errno == EINTR);
    return NULL;
}

static void loader_destroy(ui_loader *l)
{
    close(l->pipe_fd[0]);
    close(l->pipe_fd[1]);
    for (size_t i = 0; i < l->nschemas; i++)
        free(l->schemas[i]);
    free(l->schemas);
    free(l->db_arg);
    free(l);
}

int loader_start(ui_loader **out, const char *db_arg, const char *const *schemas, size_t nschemas,
                 bool views, int statement_timeout_ms, sm_error *err)
{
    ui_loader *l = xcalloc(1, sizeof *l);
    if (pipe(l->pipe_fd) < 0) {
        int e = errno;
        free(l);
        return sm_error_set(err, ERR_GENERIC, NULL, "cannot make a pipe for the database loader: %s",
                            strerror(e));
    }
    fcntl(l->pipe_fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(l->pipe_fd[1], F_SETFD, FD_CLOEXEC);
    l->db_arg = xstrdup(db_arg);
    l->schemas = xcalloc(nschemas + 1, sizeof *l->schemas);
    for (size_t i = 0; i < nschemas; i++)
        l->schemas[i] = xstrdup(schemas[i]);
    l->nschemas = nschemas;
    l->opts = (catalog_options)CATALOG_OPTIONS_INIT;
    l->opts.schemas = (const char *const *)l->schemas;
    l->opts.nschemas = nschemas;
    l->opts.views = views;
    l->opts.statement_timeout_ms = statement_timeout_ms;
    sm_error_clear(&l->err);
    int rc = pthread_create(&l->thread, NULL, worker, l);
    if (rc != 0) {
        loader_destroy(l);
        return sm_error_set(err, ERR_GENERIC, NULL, "cannot start the database loader: %s", strerror(rc));
    }
    *out = l;
    return 0;
}

int loader_fd(const ui_loader *l)
{
    return l->pipe_fd[0];
}

int loader_finish(ui_loader *l, sm_catalog **cat, char hash[SM_DB_HASH_LEN], sm_error *err)
{
    pthread_join(l->thread, NULL);
    int status = l->status;
    if (status < 0) {
        *err = l->err;
    } else {
        *cat = l->cat;
        memcpy(hash, l->hash, SM_DB_HASH_LEN);
    }
    loader_destroy(l);
    return status;
}

void loader_abandon(ui_loader *l)
{
    if (l)
        pthread_detach(l->thread);
}
