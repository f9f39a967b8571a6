/* loader.c: one worker thread per catalog read, reporting through a pipe (not a
 * condition variable) so that the UI loop can wait on it with poll() next to the
 * keyboard and inotify: one byte when the catalog is read, another when it is hashed. */
#include "config.h"
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "xalloc.h"

struct ui_loader {
    pthread_t thread;
    int pipe_fd[2];
    load_request req;               /* the worker's own copy of what to read */
    /* written by the worker before the byte that reports them; read after it */
    int status;
    sm_catalog *cat;
    char hash[SM_DB_HASH_LEN];
    bool hashed;                    /* hash was known with the catalog (load_known_hash) */
    sm_error err;
};

static void report(ui_loader *l, char what)
{
    ssize_t n;
    do {
        n = write(l->pipe_fd[1], &what, 1);
    } while (n < 0 && errno == EINTR);
}

static void *worker(void *arg)
{
    ui_loader *l = arg;
    l->status = load_read(&l->cat, &l->req, &l->err);
    if (l->status >= 0)
        l->hashed = load_known_hash(l->hash, &l->req, l->cat);
    report(l, 'c');
    /* hashing a large catalog takes a noticeable moment: here, not on the drawing
     * thread, and after the report, so the drift can be drawn meanwhile */
    if (l->status >= 0) {
        if (!l->hashed)
            snapshot_hash(l->hash, l->cat);
        report(l, 'h');
    }
    return NULL;
}

static void loader_destroy(ui_loader *l)
{
    close(l->pipe_fd[0]);
    close(l->pipe_fd[1]);
    load_request_done(&l->req);
    free(l);
}

int loader_start(ui_loader **out, const sm_project *p, sm_error *err)
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
    load_request_init(&l->req, p);
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

loader_report loader_read(ui_loader *l)
{
    char what;
    ssize_t n;
    do {
        n = read(l->pipe_fd[0], &what, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1)
        return LOADER_NOTHING;
    return what == 'c' ? LOADER_CATALOG : LOADER_HASH;
}

int loader_take_catalog(ui_loader *l, sm_catalog **cat, char known_hash[SM_DB_HASH_LEN], sm_error *err)
{
    *cat = NULL;
    known_hash[0] = '\0';
    if (l->status < 0) {
        *err = l->err;
    } else {
        *cat = l->cat;
        if (l->hashed)
            memcpy(known_hash, l->hash, SM_DB_HASH_LEN);
    }
    return l->status;
}

void loader_finish(ui_loader *l, char hash[SM_DB_HASH_LEN])
{
    pthread_join(l->thread, NULL);
    if (hash && l->status >= 0)
        memcpy(hash, l->hash, SM_DB_HASH_LEN);
    loader_destroy(l);
}

void loader_abandon(ui_loader *l)
{
    if (l)
        pthread_detach(l->thread);
}
