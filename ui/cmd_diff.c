/* cmd_diff.c: the read-only commands: check, diff and report. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "drift.h"
#include "project.h"
#include "render.h"
#include "strbuf.h"

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

int cmd_check(const cli_options *opts)
{
    /* a bad --fail-on is a usage error, found before any connection is made */
    sm_severity fail_on = SEV_LOW;
    int status = severity_option(opts->fail_on, "--fail-on", SEV_LOW, &fail_on);
    if (status)
        return status;
    sm_project *p = NULL;
    if ((status = cli_load_project(opts, &p)))
        return status;
    if (!opts->fail_on)
        fail_on = p->config->fail_on;
    const sm_changeset *cs = p->changes;
    size_t failing = drift_count_at_least(cs, fail_on);
    strbuf out = STRBUF_INIT;
    if (cs->n == 0) {
        strbuf_addf(&out, "in sync: %zu tables, %zu enums (%s)\n", p->db->ntables, p->db->nenums,
                    p->db_hash);
    } else {
        render_summary(&out, cs);
        if (failing)
            strbuf_addf(&out, "\ndrift at or above %s: run 'schemerge diff' to review, "
                              "'schemerge update' to apply\n", severity_name(fail_on));
        else
            strbuf_addf(&out, "\nnothing at or above %s\n", severity_name(fail_on));
    }
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
        render_diff_json(&out, p->changes, p->db_hash);
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
