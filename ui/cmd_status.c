/* cmd_status.c: `schemerge status [--json]`: the last sync, whether the database changed
 * since, the drift per severity, the backups and the git state of the schema files. An
 * unreachable database is one error and exit 2: a status without the database's side
 * would say "unchanged" about something it never looked at. */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "project.h"
#include "status.h"
#include "strbuf.h"

int cmd_status(const cli_options *opts)
{
    if (opts->nargs) {
        fprintf(stderr, "schemerge: status takes no arguments (see 'schemerge status --help')\n");
        return 2;
    }
    sm_project *p = NULL;
    int status = cli_load_project(opts, &p);
    if (status)
        return status;
    sm_status *s = NULL;
    sm_error err = SM_ERROR_INIT;
    if (status_collect(&s, p, &err) < 0) {
        cli_print_error(&err);
        project_free(p);
        return 2;
    }
    strbuf out = STRBUF_INIT;
    if (opts->json)
        status_render_json(&out, s);
    else
        status_render_text(&out, s);
    status = cli_emit(opts->output, out.buf, out.len);
    strbuf_release(&out);
    status_free(s);
    project_free(p);
    return status;
}
