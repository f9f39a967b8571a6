/* cmd_lint.c: `schemerge lint [PATH]...`: references to tables and columns that the
 * database does not have. Findings go to stdout as path:line:col: message (the form
 * editors and CI annotate); errors go to stderr and do not stop the other files. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "fsutil.h"
#include "lint.h"
#include "project.h"
#include "xalloc.h"

/* Lint one file: read from `path`, named `shown` in the output. Returns 0 or 2. */
static int lint_one(lint_result *res, const char *path, const char *shown, const sm_project *p)
{
    char *text = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    if (fs_read_file(&text, &len, path, &err) < 0 ||
        lint_source(res, shown, text, len, p->db, p->changes, &err) < 0) {
        cli_print_error(&err);
        free(text);
        return 2;
    }
    free(text);
    return 0;
}

/* Lint every *.py below dir (nothing excluded: the user named it). */
static int lint_dir(lint_result *res, const char *dir, const sm_project *p)
{
    char **files = NULL;
    size_t n = 0;
    sm_error err = SM_ERROR_INIT;
    if (lint_find_files(&files, &n, dir, NULL, 0, &err) < 0) {
        cli_print_error(&err);
        return 2;
    }
    int status = 0;
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s%s%s", dir, sep, files[i]);
        if (lint_one(res, path, path, p))
            status = 2;
        free(path);
        free(files[i]);
    }
    free(files);
    return status;
}

int cmd_lint(const cli_options *opts)
{
    sm_project *p = NULL;
    int status = cli_load_project(opts, &p);
    if (status)
        return status;
    lint_result res = LINT_RESULT_INIT;
    size_t nfiles = 0;
    if (opts->nargs) {
        for (size_t i = 0; i < opts->nargs; i++) {
            const char *arg = opts->args[i];
            struct stat st;
            if (stat(arg, &st) != 0) {
                fprintf(stderr, "schemerge: cannot read %s: no such file or directory "
                                "(check the path)\n", arg);
                status = 2;
            } else if (S_ISDIR(st.st_mode)) {
                if (lint_dir(&res, arg, p))
                    status = 2;
                nfiles++;
            } else {
                if (lint_one(&res, arg, arg, p))
                    status = 2;
                nfiles++;
            }
        }
    } else {
        /* the schema files themselves are what the database is compared with, not code
         * that uses it */
        const char *exclude[TARGET_COUNT + 1];
        for (int t = 0; t < TARGET_COUNT; t++)
            exclude[t] = p->paths[t];
        exclude[TARGET_COUNT] = p->version_path;
        char **files = NULL;
        sm_error err = SM_ERROR_INIT;
        if (lint_find_files(&files, &nfiles, p->root, exclude, TARGET_COUNT + 1, &err) < 0) {
            cli_print_error(&err);
            status = 2;
        }
        for (size_t i = 0; i < nfiles; i++) {
            char *path = project_path(p, files[i]);
            if (lint_one(&res, path, files[i], p))
                status = 2;
            free(path);
            free(files[i]);
        }
        free(files);
    }
    for (size_t i = 0; i < res.n; i++)
        cli_print_line(stdout, "%s:%d:%d: %s", res.items[i].path, res.items[i].line, res.items[i].col,
                       res.items[i].message);
    if (res.n)
        fprintf(stderr, "schemerge: %zu unknown reference%s (the database has no such table or "
                        "column)\n", res.n, res.n == 1 ? "" : "s");
    if (!status && res.n)
        status = 1;
    lint_result_done(&res);
    project_free(p);
    return status;
}
