/* cmd_snapshot.c: `schemerge snapshot [-o FILE]`: write the catalog as snapshot JSON.
 *
 * With -o the file is replaced atomically (fs_write_atomic_with: temporary file, fsync,
 * rename), so an interrupted run leaves the old snapshot; without it (or with -o -) the JSON goes to stdout. A path that
 * is not a regular file (/dev/null, a FIFO) is written in place: renaming over it would
 * replace the device. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "load.h"
#include "project.h"
#include "cli.h"
#include "error.h"
#include "snapshot.h"
#include "xalloc.h"

static int write_in_place(const char *path, const sm_catalog *cat, sm_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        int e = errno;
        return sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", path, strerror(e));
    }
    int rc = snapshot_write_stream(f, cat, NULL, path, err);
    if (fclose(f) != 0 && rc == 0) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", path, strerror(e));
    }
    return rc;
}

typedef struct snapshot_fill {
    const sm_catalog *cat;
    const char *path;
} snapshot_fill;

/* Stream the JSON into the temporary file of fs_write_atomic_with: a 5,000-table catalog
 * is tens of megabytes that need not be held in memory at once. */
static int fill_snapshot(int fd, void *payload, sm_error *err)
{
    const snapshot_fill *sf = payload;
    return snapshot_write_fd(fd, sf->cat, NULL, sf->path, err);
}

static int write_atomically(const char *path, const sm_catalog *cat, sm_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_in_place(path, cat, err);
    snapshot_fill sf = { cat, path };
    return fs_write_atomic_with(path, fill_snapshot, &sf, err);
}

int cmd_snapshot(const cli_options *opts)
{
    sm_error err = SM_ERROR_INIT;
    sm_project *p = NULL;
    const sm_catalog *cat = NULL;
    int status = 0;
    if (opts->nargs > 0) {
        fprintf(stderr, "schemerge: snapshot takes no arguments, not '%s' (use -o FILE)\n", opts->args[0]);
        return 2;
    }
    /* the project's config decides the schemas (unless --schema), views and timeout */
    project_options po;
    cli_project_options(opts, false, &po);
    if (project_open(&p, &po, &err) < 0 || project_load_db(p, &err) < 0) {
        status = 2;
        goto done;
    }
    cat = p->db;
    if (opts->output && strcmp(opts->output, "-") != 0) {
        if (write_atomically(opts->output, cat, &err) != 0)
            status = 2;
    } else if (snapshot_write_stream(stdout, cat, NULL, "standard output", &err) != 0) {
        status = 2;
    }
done:
    if (status)
        cli_print_error(&err);
    project_free(p);
    return status;
}
