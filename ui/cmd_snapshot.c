/* cmd_snapshot.c: `schemerge snapshot [-o FILE]`: write the catalog as snapshot JSON.
 *
 * With -o the file is replaced atomically (FILE.tmp, fsync, rename), so an interrupted run
 * leaves the old snapshot; without it (or with -o -) the JSON goes to stdout. A path that
 * is not a regular file (/dev/null, a FIFO) is written in place: renaming over it would
 * replace the device. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
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
    int rc = snapshot_write_stream(f, cat, path, err);
    if (fclose(f) != 0 && rc == 0) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", path, strerror(e));
    }
    return rc;
}

static int write_atomically(const char *path, const sm_catalog *cat, sm_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_in_place(path, cat, err);
    char *tmp = xasprintf("%s.tmp", path);
    int rc = 0;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, "check that the directory exists and is writable", "cannot write %s: %s",
                          tmp, strerror(e));
        goto done;
    }
    rc = snapshot_write_stream(f, cat, tmp, err);
    if (rc == 0 && fsync(fileno(f)) != 0) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", tmp, strerror(e));
    }
    if (fclose(f) != 0 && rc == 0) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", tmp, strerror(e));
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        int e = errno;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot rename %s to %s: %s", tmp, path, strerror(e));
    }
    if (rc != 0)
        unlink(tmp);
done:
    free(tmp);
    return rc;
}

int cmd_snapshot(const cli_options *opts)
{
    sm_error err = SM_ERROR_INIT;
    sm_catalog *cat = NULL;
    int status = 0;
    if (opts->nargs > 0) {
        fprintf(stderr, "schemerge: snapshot takes no arguments, not '%s' (use -o FILE)\n", opts->args[0]);
        return 2;
    }
    /* TODO(issue 2 follow-up): views and statement_timeout_ms come from the config */
    catalog_options copt = CATALOG_OPTIONS_INIT;
    copt.schemas = opts->schemas;
    copt.nschemas = opts->nschemas;
    if (catalog_open(&cat, opts->db, &copt, &err) != 0) {
        status = 2;
        goto done;
    }
    if (opts->output && strcmp(opts->output, "-") != 0) {
        if (write_atomically(opts->output, cat, &err) != 0)
            status = 2;
    } else if (snapshot_write_stream(stdout, cat, "standard output", &err) != 0) {
        status = 2;
    }
done:
    if (status)
        cli_print_error(&err);
    catalog_free(cat);
    return status;
}
