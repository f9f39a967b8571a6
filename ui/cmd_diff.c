/* cmd_diff.c: the read-only commands: check, diff and report. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "cli.h"
#include "conninfo.h"
#include "drift.h"
#include "fleet.h"
#include "load.h"
#include "project.h"
#include "render.h"
#include "strbuf.h"
#include "xalloc.h"

static int severity_option(const char *value, const char *option, sm_severity fallback,
                           sm_severity *out)
{
    if (!value) {
        *out = fallback;
        return 0;
    }
    int s = severity_parse(value);
    if (s < 0) {
        fprintf(stderr, "schemerge: %s takes low, medium, high or critical, not '%s'\n", option, value);
        return 2;
    }
    *out = (sm_severity)s;
    return 0;
}

/* Databases read at once by a fleet check (one connection each). */
#define FLEET_JOBS 8

/* The first line check prints of a database: "in sync: 12 tables, 3 enums (sha256:...)" or
 * its change counts (db_hash is read only when in sync). */
static void check_summary(strbuf *out, size_t nchanges, const size_t counts[SEV_COUNT], size_t ntables,
                          size_t nenums, const char *db_hash)
{
    if (nchanges == 0)
        strbuf_addf(out, "in sync: %zu tables, %zu enums (%s)", ntables, nenums, db_hash);
    else
        render_counts(out, nchanges, counts);
}

/* check with several --db, or --db-list: one line a database (its drift counts, or its
 * error), then a summary; the worst status. */
static int check_fleet(const cli_options *opts, sm_severity fail_on, bool fail_on_given)
{
    char **listed = NULL;
    size_t nlisted = 0;
    sm_error err = SM_ERROR_INIT;
    if (opts->db_list && fleet_read_list(opts->db_list, &listed, &nlisted, &err) < 0) {
        cli_print_error(&err);
        return 2;
    }
    size_t n = opts->ndbs + nlisted;
    fleet_db *dbs = xcalloc(n + 1, sizeof *dbs);
    for (size_t i = 0; i < opts->ndbs; i++)
        dbs[i].db_arg = opts->dbs[i];
    for (size_t i = 0; i < nlisted; i++)
        dbs[opts->ndbs + i].db_arg = listed[i];

    project_options po;
    cli_project_options(opts, false, &po);
    po.db_arg = NULL; /* each database is read by fleet_check */
    sm_project *p = NULL;
    int status = 0;
    if (project_open(&p, &po, &err) < 0 || project_load_files(p, &err) < 0 || project_load_state(p, &err) < 0) {
        cli_print_error(&err);
        status = 2;
        goto done;
    }
    cli_print_config_warnings(p);
    if (!fail_on_given)
        fail_on = p->config->fail_on;
    status = fleet_check(p, dbs, n, FLEET_JOBS, fail_on);
    size_t in_sync = 0, drifted = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        const fleet_db *d = &dbs[i];
        char *label = catalog_arg_is_snapshot(d->db_arg) ? xstrdup(d->db_arg) : conninfo_redact(d->db_arg);
        strbuf line = STRBUF_INIT;
        if (d->status == 2) {
            failed++;
            strbuf_addf(&line, "error: %s", d->err.what);
            if (d->err.hint[0])
                strbuf_addf(&line, " (%s)", d->err.hint);
        } else {
            if (d->status)
                drifted++;
            else
                in_sync++;
            check_summary(&line, d->nchanges, d->counts, d->ntables, d->nenums, d->db_hash);
        }
        cli_print_line(stdout, "%s: %s", *label ? label : "libpq defaults", strbuf_str(&line));
        strbuf_release(&line);
        free(label);
    }
    printf("\n%zu database%s: %zu with nothing at or above %s, %zu with drift, %zu failed\n", n,
           n == 1 ? "" : "s", in_sync, severity_name(fail_on), drifted, failed);
done:
    project_free(p);
    free(dbs);
    for (size_t i = 0; i < nlisted; i++)
        free(listed[i]);
    free(listed);
    return status;
}

int cmd_check(const cli_options *opts)
{
    /* a bad --fail-on is a usage error, found before any connection is made */
    sm_severity fail_on = SEV_LOW;
    int status = severity_option(opts->fail_on, "--fail-on", SEV_LOW, &fail_on);
    if (status)
        return status;
    if (opts->ndbs > 1 || opts->db_list)
        return check_fleet(opts, fail_on, opts->fail_on != NULL);
    sm_project *p = NULL;
    if ((status = cli_load_project(opts, &p)))
        return status;
    if (!opts->fail_on)
        fail_on = p->config->fail_on;
    const sm_changeset *cs = p->changes;
    size_t failing = drift_count_at_least(cs, fail_on);
    strbuf out = STRBUF_INIT;
    check_summary(&out, cs->n, cs->counts, p->db->ntables, p->db->nenums, cs->n ? NULL : project_db_hash(p));
    if (cs->n == 0)
        strbuf_addch(&out, '\n');
    else if (failing)
        strbuf_addf(&out, "\ndrift at or above %s: run 'schemerge diff' to review, "
                          "'schemerge update' to apply\n", severity_name(fail_on));
    else
        strbuf_addf(&out, "\nnothing at or above %s\n", severity_name(fail_on));
    fputs(strbuf_str(&out), stdout);
    strbuf_release(&out);
    project_free(p);
    return failing ? 1 : 0;
}

int cmd_diff(const cli_options *opts)
{
    if (opts->json && opts->sarif) {
        fputs("schemerge: --json and --sarif cannot be combined (choose one)\n", stderr);
        return 2;
    }
    sm_project *p = NULL;
    int status = cli_load_project(opts, &p);
    if (status)
        return status;
    strbuf out = STRBUF_INIT;
    if (opts->json)
        render_diff_json(&out, p->changes, project_db_hash(p));
    else if (opts->sarif)
        render_diff_sarif(&out, p);
    else
        render_diff_text(&out, p->changes, cli_use_color(opts));
    status = cli_emit(opts->output, out.buf, out.len);
    if (!status && opts->exit_code && p->changes->n)
        status = 1;
    strbuf_release(&out);
    project_free(p);
    return status;
}

int cmd_report(const cli_options *opts)
{
    sm_project *p = NULL;
    int status = cli_load_project(opts, &p);
    if (status)
        return status;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char iso[32], name[64];
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    strftime(name, sizeof name, "schema_drift_report_%Y%m%d_%H%M%S.md", &tm);
    strbuf out = STRBUF_INIT;
    render_report(&out, p, iso);
    const char *path = opts->output ? opts->output : name;
    status = cli_emit(path, out.buf, out.len);
    if (!status && strcmp(path, "-") != 0)
        printf("wrote %s (%zu change%s)\n", path, p->changes->n, p->changes->n == 1 ? "" : "s");
    strbuf_release(&out);
    project_free(p);
    return status;
}
