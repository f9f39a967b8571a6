/* fleet.c: see fleet.h. */
#include "config.h"
#include "fleet.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "drift.h"
#include "fsutil.h"
#include "load.h"
#include "xalloc.h"

/* A catalog read, handed from a reader thread to the caller's. */
typedef struct fleet_item {
    size_t index;
    sm_catalog *cat;              /* NULL when the read failed: err says why */
    char hash[SM_DB_HASH_LEN];
    sm_error err;
} fleet_item;

typedef struct fleet_run {
    load_request *reqs;           /* one a database, made before any thread starts */
    size_t n, next;               /* next: the next database a reader takes */
    fleet_item *done;             /* read and not yet taken by the caller */
    size_t ndone, cap_done;
    size_t unread;                /* databases whose read has not been handed over */
    pthread_mutex_t lock;
    pthread_cond_t ready;
} fleet_run;

static void *reader_main(void *arg)
{
    fleet_run *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t i = r->next < r->n ? r->next++ : r->n;
        pthread_mutex_unlock(&r->lock);
        if (i == r->n)
            return NULL;
        fleet_item item = { .index = i, .err = SM_ERROR_INIT };
        if (load_read(&item.cat, &r->reqs[i], &item.err) >= 0)
            load_hash(item.hash, &r->reqs[i], item.cat);
        else
            item.cat = NULL;
        pthread_mutex_lock(&r->lock);
        *XPUSH(r->done, r->ndone, r->cap_done) = item;
        pthread_cond_signal(&r->ready);
        pthread_mutex_unlock(&r->lock);
    }
}

/* Install the catalog of one database in p and count its drift. */
static void take(sm_project *p, fleet_db *d, fleet_item *item, sm_severity fail_on)
{
    if (!item->cat) {
        d->status = 2;
        d->err = item->err;
        return;
    }
    d->ntables = item->cat->ntables;
    d->nenums = item->cat->nenums;
    snprintf(d->db_hash, sizeof d->db_hash, "%s", item->hash);
    if (project_set_catalog(p, item->cat, item->hash, &d->err) < 0 || project_compute(p, &d->err) < 0) {
        d->status = 2;
        return;
    }
    const sm_changeset *cs = p->changes;
    d->nchanges = cs->n;
    memcpy(d->counts, cs->counts, sizeof d->counts);
    d->failing = drift_count_at_least(cs, fail_on);
    d->status = d->failing ? 1 : 0;
}

int fleet_check(sm_project *p, fleet_db *dbs, size_t n, int jobs, sm_severity fail_on)
{
    fleet_run r = { .n = n, .unread = n };
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.ready, NULL);
    r.reqs = xcalloc(n + 1, sizeof *r.reqs);
    for (size_t i = 0; i < n; i++) {
        load_request_init(&r.reqs[i], p);
        free(r.reqs[i].db_arg);
        r.reqs[i].db_arg = xstrdup(dbs[i].db_arg);
        /* one connection each: jobs reads at once keep the server busy, and a small
         * database is not worth three connections' start */
        r.reqs[i].opts.connections = 1;
        dbs[i].err = (sm_error)SM_ERROR_INIT;
    }
    size_t nthreads = jobs < 1 ? 1 : (size_t)jobs;
    if (nthreads > n)
        nthreads = n;
    pthread_t *threads = xcalloc(nthreads + 1, sizeof *threads);
    size_t started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&threads[started], NULL, reader_main, &r) != 0)
            break;
    if (!started) /* no thread to be had: read here, one after another */
        reader_main(&r);

    int worst = 0;
    pthread_mutex_lock(&r.lock);
    while (r.unread) {
        while (!r.ndone)
            pthread_cond_wait(&r.ready, &r.lock);
        fleet_item item = r.done[--r.ndone];
        r.unread--;
        /* the drift is computed while the readers go on */
        pthread_mutex_unlock(&r.lock);
        fleet_db *d = &dbs[item.index];
        take(p, d, &item, fail_on);
        if (d->status > worst)
            worst = d->status;
        pthread_mutex_lock(&r.lock);
    }
    pthread_mutex_unlock(&r.lock);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    for (size_t i = 0; i < n; i++)
        load_request_done(&r.reqs[i]);
    free(r.reqs);
    free(r.done);
    free(threads);
    pthread_cond_destroy(&r.ready);
    pthread_mutex_destroy(&r.lock);
    return worst;
}

int fleet_read_list(const char *path, char ***out, size_t *n, sm_error *err)
{
    char *text = NULL;
    size_t len = 0, cap = 0;
    int error = fs_read_file(&text, &len, path, err);
    if (error < 0) {
        sm_error_prefix(err, "--db-list: ");
        return error;
    }
    char **v = NULL;
    *n = 0;
    for (char *line = text; line && line < text + len;) {
        char *end = memchr(line, '\n', (size_t)(text + len - line));
        char *next = end ? end + 1 : NULL;
        if (!end)
            end = text + len;
        while (line < end && (*line == ' ' || *line == '\t'))
            line++;
        while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            end--;
        if (end > line && *line != '#') {
            char *entry = xstrndup(line, (size_t)(end - line));
            /* a bare word is a service name (pg_service.conf) */
            if (!strchr(entry, '=') && !strstr(entry, "://") && !catalog_arg_is_snapshot(entry)) {
                char *service = xasprintf("service=%s", entry);
                free(entry);
                entry = service;
            }
            *XPUSH(v, *n, cap) = entry;
        }
        line = next;
    }
    free(text);
    if (!*n) {
        free(v);
        return sm_error_set(err, ERR_USAGE, "put one database URL or service name on each line",
                            "--db-list %s names no database", path);
    }
    v = xrealloc(v, (*n + 1) * sizeof *v);
    v[*n] = NULL;
    *out = v;
    return 0;
}
