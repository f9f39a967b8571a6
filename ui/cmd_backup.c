/* cmd_backup.c: `schemerge backup list | show ID | restore ID | delete ID | prune`.
 * The backups themselves are src/backup.c; this file only finds the repository root,
 * calls it and prints. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "cli.h"
#include "error.h"
#include "project.h"
#include "strbuf.h"
#include "vcs.h"

static const char backup_usage[] = "usage: schemerge backup list | show ID | restore ID | delete ID | prune";

static int backup_fail(const sm_error *err)
{
    cli_print_error(err);
    return 2;
}

static int backup_cmd_list(const char *root)
{
    sm_error err = SM_ERROR_INIT;
    backup_info **v = NULL;
    size_t n = 0;
    if (backup_list(&v, &n, root, &err) != 0)
        return backup_fail(&err);
    if (n == 0)
        puts("no backups");
    for (size_t i = 0; i < n; i++)
        cli_print_line(stdout, "%s  %s  %s  %zu file%s  %zu change%s", v[i]->id, v[i]->time, v[i]->reason,
                       v[i]->nfiles, v[i]->nfiles == 1 ? "" : "s", v[i]->nchanges,
                       v[i]->nchanges == 1 ? "" : "s");
    backup_list_free(v, n);
    return 0;
}

static int backup_cmd_show(const char *root, const char *id)
{
    sm_error err = SM_ERROR_INIT;
    backup_info *b = NULL;
    if (backup_load(&b, root, id, &err) != 0)
        return backup_fail(&err);
    cli_print_line(stdout, "backup %s", b->id);
    cli_print_line(stdout, "time: %s", b->time);
    cli_print_line(stdout, "reason: %s", b->reason);
    cli_print_line(stdout, "db hash: %s", b->db_hash ? b->db_hash : "-");
    printf("files:\n");
    for (size_t i = 0; i < b->nfiles; i++)
        cli_print_line(stdout, "  %s  %s", b->files[i].path, b->files[i].existed ? b->files[i].sha256 : "(did not exist)");
    if (b->nchanges) {
        printf("changes:\n");
        for (size_t i = 0; i < b->nchanges; i++)
            cli_print_line(stdout, "  %s", b->changes[i]);
    }
    strbuf diff;
    strbuf_init(&diff);
    int rc = backup_diff(&diff, root, id, &err);
    if (rc == 0) {
        if (diff.len) {
            printf("\ndifferences from the current files:\n");
            fwrite(diff.buf, 1, diff.len, stdout);
        } else {
            printf("\nthe current files are the same as this backup\n");
        }
    }
    strbuf_release(&diff);
    backup_info_free(b);
    return rc == 0 ? 0 : backup_fail(&err);
}

static int backup_cmd_restore(const char *root, const char *id, int max_backups)
{
    sm_error err = SM_ERROR_INIT;
    backup_info *pre = NULL;
    if (backup_restore(&pre, root, id, max_backups, &err) != 0)
        return backup_fail(&err);
    printf("restored backup %s; the files before the restore are in backup %s\n", id, pre->id);
    backup_info_free(pre);
    return 0;
}

int cmd_backup(const cli_options *opts)
{
    const char *sub = opts->nargs > 0 ? opts->args[0] : NULL;
    const char *id = opts->nargs > 1 ? opts->args[1] : NULL;
    bool needs_id = sub && (strcmp(sub, "show") == 0 || strcmp(sub, "restore") == 0 ||
                            strcmp(sub, "delete") == 0);
    bool known = sub && (needs_id || strcmp(sub, "list") == 0 || strcmp(sub, "prune") == 0);
    if (!known || (needs_id && (!id || opts->nargs != 2)) || (!needs_id && opts->nargs != 1)) {
        fprintf(stderr, "%s\n", backup_usage);
        return 2;
    }

    sm_error err = SM_ERROR_INIT;
    char cwd[PATH_MAX];
    char *root = NULL;
    if (!getcwd(cwd, sizeof cwd)) {
        sm_error_set(&err, ERR_IO, NULL, "cannot read the current directory");
        return backup_fail(&err);
    }
    if (vcs_find_root(&root, cwd, &err) != 0)
        return backup_fail(&err);
    /* rotation (restore, prune) keeps the config's max_backups, as update does */
    sm_config *cfg = NULL;
    if (settings_load(&cfg, root, opts->config, &err) != 0) {
        free(root);
        return backup_fail(&err);
    }
    int max_backups = cfg->max_backups;
    settings_free(cfg);

    int rc;
    if (strcmp(sub, "list") == 0) {
        rc = backup_cmd_list(root);
    } else if (strcmp(sub, "show") == 0) {
        rc = backup_cmd_show(root, id);
    } else if (strcmp(sub, "restore") == 0) {
        rc = backup_cmd_restore(root, id, max_backups);
    } else if (strcmp(sub, "delete") == 0) {
        rc = backup_delete(root, id, &err) == 0 ? 0 : backup_fail(&err);
        if (rc == 0)
            printf("deleted backup %s\n", id);
    } else {
        rc = backup_prune(root, max_backups, &err) == 0 ? 0 : backup_fail(&err);
        if (rc == 0)
            printf("kept the newest %d backups\n", max_backups);
    }
    free(root);
    return rc;
}
