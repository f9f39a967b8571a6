/* cmd_update.c: `schemerge update`: merge the database's changes into the local files. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cli.h"
#include "project.h"
#include "render.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

static void print_change(FILE *out, const char *prefix, const sm_change *c, const char *why)
{
    strbuf title = STRBUF_INIT;
    render_change_title(&title, c);
    cli_print_line(out, "%s%s (%s %s)%s%s", prefix, title.buf, change_kind_name(c->kind), c->id,
                   why ? ": " : "", why ? why : "");
    strbuf_release(&title);
}

int cmd_update(const cli_options *opts)
{
    int min = SEV_LOW;
    if (opts->min_severity && (min = severity_parse(opts->min_severity)) < 0) {
        fprintf(stderr, "schemerge: --min-severity takes low, medium, high or critical, not '%s'\n",
                opts->min_severity);
        return 2;
    }
    sm_project *p = NULL;
    /* dry runs only read; a real update holds the lock from before it reads the files */
    int status = cli_load_project_as(opts, !opts->dry_run, &p);
    if (status)
        return status;
    const sm_changeset *cs = p->changes;
    apply_selection sel = APPLY_SELECTION_INIT;
    sel.only = opts->only;
    sel.nonly = opts->nonly;
    sel.prune = opts->prune;
    sel.min_severity = (sm_severity)min;
    bool *selected = xcalloc(cs->n + 1, sizeof *selected);
    apply_plan *plan = NULL;
    sm_error err = SM_ERROR_INIT;
    if (apply_select(selected, cs, &sel, &err) < 0) {
        cli_print_error(&err);
        status = 2;
        goto done;
    }

#ifdef SCHEMERGE_TEST_HOOKS
    /* Only in tests/schemerge-hooks, the test build (never installed):
     * SCHEMERGE_TEST_HOOK_AFTER_LOAD is a shell command run between reading the files (the
     * merge base) and building the plan (which reads "ours"), so that tests can edit a
     * file "in an editor" at that moment and prove the three-way merge. */
    const char *hook = getenv("SCHEMERGE_TEST_HOOK_AFTER_LOAD");
    if (hook && *hook && system(hook) != 0)
        fprintf(stderr, "schemerge: SCHEMERGE_TEST_HOOK_AFTER_LOAD failed (continuing)\n");
#endif

    if (apply_plan_build(&plan, p, selected, &err) < 0) {
        cli_print_error(&err);
        status = 2;
        goto done;
    }
    if (apply_plan_conflicted(plan)) {
        for (int t = 0; t < TARGET_COUNT; t++) {
            size_t n = apply_plan_conflicts(plan, (sm_target)t);
            if (n)
                fprintf(stderr, "schemerge: %s: %zu conflict%s between the file's edits and the "
                                "database's changes; nothing was written (resolve them in the UI: "
                                "run 'schemerge')\n",
                        p->paths[t], n, n == 1 ? "" : "s");
        }
        status = 2;
        goto done;
    }
    for (size_t i = 0; i < plan->nfailed; i++) {
        if (!plan->failed[i].change) {
            char *shown = utf8_escaped(plan->failed[i].reason);
            fprintf(stderr, "schemerge: %s\n", shown);
            free(shown);
            continue;
        }
        print_change(stderr, "schemerge: cannot apply ", plan->failed[i].change, plan->failed[i].reason);
    }
    if (opts->dry_run) {
        strbuf diff = STRBUF_INIT;
        if (apply_plan_diff(&diff, plan, &err) < 0) {
            cli_print_error(&err);
            status = 2;
        } else {
            fputs(strbuf_str(&diff), stdout);
            printf("dry run: %zu change%s would be applied, nothing written\n", plan->napplied,
                   plan->napplied == 1 ? "" : "s");
            status = plan->nfailed ? 1 : 0;
        }
        strbuf_release(&diff);
        goto done;
    }
    apply_outcome outcome;
    if (apply_plan_write(&outcome, plan, p, "update", &err) < 0) {
        cli_print_error(&err);
        status = 2;
        goto done;
    }
    for (size_t i = 0; i < plan->napplied; i++)
        print_change(stdout, "applied: ", plan->applied[i], NULL);
    for (size_t i = 0; i < cs->n; i++) {
        const char *why = apply_left_reason(&cs->items[i], &sel);
        if (why)
            print_change(stdout, "left: ", &cs->items[i], why);
    }
    if (outcome.nfiles_written)
        printf("%zu file%s written, backup %s\n", outcome.nfiles_written,
               outcome.nfiles_written == 1 ? "" : "s", outcome.backup_id);
    else if (cs->n == 0)
        printf("in sync%s\n", outcome.state_written ? " (schema_version.py updated)" : "");
    else if (!plan->napplied)
        printf("nothing applied\n");
    status = plan->nfailed ? 1 : 0;
    apply_outcome_done(&outcome);
done:
    apply_plan_free(plan);
    free(selected);
    project_free(p);
    return status;
}
