/* vcs_tool.c: a test driver for src/vcs.c, used by tests/cli/git_*.sh until
 * `schemerge commit` is wired. Not installed, not a test itself.
 *
 *   vcs_tool commit ROOT MESSAGE PATH...   prints oid=, branch=, detached=, hooks_skipped=,
 *                                          nothing= lines; exit 0, or 2 with the error
 *   vcs_tool dirty ROOT PATH...            prints dirty=0|1
 *   vcs_tool root DIR                      prints the root
 *   vcs_tool                               (no arguments, as make check runs it) exit 0 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "error.h"
#include "vcs.h"

static int fail(const sm_error *err)
{
    if (err->hint[0])
        fprintf(stderr, "vcs_tool: %s (%s)\n", err->what, err->hint);
    else
        fprintf(stderr, "vcs_tool: %s\n", err->what);
    return 2;
}

int main(int argc, char **argv)
{
    sm_error err = SM_ERROR_INIT;
    if (argc < 2)
        return 0;
    if (strcmp(argv[1], "commit") == 0 && argc >= 4) {
        vcs_commit_result r;
        if (vcs_commit_paths(&r, argv[2], (const char *const *)argv + 4, (size_t)(argc - 4), argv[3], &err) != 0)
            return fail(&err);
        printf("oid=%s\nbranch=%s\ndetached=%d\nhooks_skipped=%d\nnothing=%d\n", r.oid,
               r.branch ? r.branch : "", r.detached, r.hooks_skipped, r.nothing);
        vcs_commit_result_done(&r);
        return 0;
    }
    if (strcmp(argv[1], "dirty") == 0 && argc >= 3) {
        bool dirty = false;
        if (vcs_paths_dirty(&dirty, argv[2], (const char *const *)argv + 3, (size_t)(argc - 3), &err) != 0)
            return fail(&err);
        printf("dirty=%d\n", dirty);
        return 0;
    }
    if (strcmp(argv[1], "root") == 0 && argc == 3) {
        char *root = NULL;
        if (vcs_find_root(&root, argv[2], &err) != 0)
            return fail(&err);
        printf("%s\n", root);
        free(root);
        return 0;
    }
    fprintf(stderr, "usage: vcs_tool commit ROOT MESSAGE PATH... | dirty ROOT PATH... | root DIR\n");
    return 2;
}
