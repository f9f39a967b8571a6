/* cmd_commit.c: `schemerge commit`: commit the schema files with libgit2. */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "commit.h"
#include "project.h"

int cmd_commit(const cli_options *opts)
{
    project_options po = PROJECT_OPTIONS_INIT;
    po.config_path = opts->config;
    sm_project *p = NULL;
    sm_error err = SM_ERROR_INIT;
    if (project_open(&p, &po, &err) < 0) {
        cli_print_error(&err);
        return 2;
    }
    vcs_commit_result r = { 0 };
    int status = 0;
    if (commit_sync(&r, p, opts->message, &err) < 0) {
        cli_print_error(&err);
        status = 2;
    } else if (r.nothing) {
        printf("nothing to commit: the schema files match HEAD\n");
    } else {
        if (r.detached)
            printf("committed %.7s on a detached HEAD (git switch -c NAME keeps it on a branch)\n", r.oid);
        else
            printf("committed %.7s on %s\n", r.oid, r.branch ? r.branch : "HEAD");
        if (r.hooks_skipped)
            printf("note: .git/hooks/pre-commit was not run (libgit2 runs no git hooks)\n");
    }
    vcs_commit_result_done(&r);
    project_free(p);
    return status;
}
