/* cmd_sql.c: `schemerge sql [--destructive] [--all]`: print the SQL that would bring the
 * database in line with edits made first in the Python files. Printed for review only:
 * schemerge never runs it. */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "project.h"
#include "sqlgen.h"
#include "strbuf.h"

int cmd_sql(const cli_options *opts)
{
    if (opts->nargs) {
        fprintf(stderr, "schemerge: sql takes no arguments (see 'schemerge sql --help')\n");
        return 2;
    }
    sm_project *p = NULL;
    int status = cli_load_project(opts, &p);
    if (status)
        return status;
    sqlgen_options so = { .destructive = opts->destructive, .all = opts->all };
    strbuf out = STRBUF_INIT;
    sm_error err = SM_ERROR_INIT;
    if (sqlgen_build(&out, NULL, p, &so, &err) < 0) {
        cli_print_error(&err);
        status = 2;
    } else {
        status = cli_emit(opts->output, out.buf, out.len);
    }
    strbuf_release(&out);
    project_free(p);
    return status;
}
