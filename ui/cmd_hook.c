/* cmd_hook.c: `schemerge hook install [--force] [--fail-on S]` and `schemerge hook
 * uninstall`: the git pre-commit hook that runs `schemerge check` (the seed tool's
 * pre-commit step, made an installable command).
 *
 * The hook is a small POSIX shell script. It skips the check, with a note and exit 0,
 * when no database is configured, so that a clone without database access can still
 * commit; when one is, a drift at or above the threshold (exit 1) or an error (exit 2)
 * blocks the commit. A hook that schemerge did not write is never replaced without
 * --force, and then it is kept beside ours as pre-commit.before-schemerge, which
 * uninstall puts back. The hooks directory is git's: core.hooksPath when set, else
 * hooks/ in the common git directory (so worktrees share it, as git does). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "error.h"
#include "fsutil.h"
#include "kinds.h"
#include "strbuf.h"
#include "vcs.h"
#include "xalloc.h"

/* Every hook we write carries this line; it is how install and uninstall recognise
 * their own hook (and only theirs). */
#define HOOK_MARKER "# schemerge-hook: v1"
#define HOOK_SAVED_SUFFIX ".before-schemerge"

/* Append s to sb as one single-quoted shell word. */
static void shell_quote(strbuf *sb, const char *s)
{
    strbuf_addch(sb, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            strbuf_adds(sb, "'\\''");
        else
            strbuf_addch(sb, *s);
    }
    strbuf_addch(sb, '\'');
}

/* The path of the hooks directory of the repository around the current directory.
 * Returns 0, or 2 after printing why. */
static int hooks_dir(char **out)
{
    sm_error err = SM_ERROR_INIT;
    if (vcs_hooks_dir(out, ".", &err) < 0) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
}

/* The absolute path of this program, so the hook runs the same schemerge that installed
 * it even when it is not on PATH (a build tree); NULL when it cannot be known. */
static char *self_path(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return xstrdup(buf);
}

static bool has_marker(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    if (fs_read_file(&text, &len, path, &err) < 0)
        return false;
    bool mine = strstr(text, HOOK_MARKER) != NULL;
    free(text);
    return mine;
}

/* The hook script. check_args: the arguments after `check`, already quoted. */
static void hook_script(strbuf *sb, const char *self, const char *check_args, bool db_embedded)
{
    strbuf_adds(sb, "#!/bin/sh\n" HOOK_MARKER "\n"
                    "# Written by 'schemerge hook install'; 'schemerge hook uninstall' removes it.\n"
                    "# Blocks a commit when the Python schema files have drifted from the database.\n"
                    "# It checks the files in the work tree, not only what is staged.\n"
                    "schemerge=");
    if (self)
        shell_quote(sb, self);
    else
        strbuf_adds(sb, "schemerge");
    strbuf_adds(sb, "\n[ -x \"$schemerge\" ] || schemerge=schemerge\n");
    if (!db_embedded)
        strbuf_adds(sb,
                    "if [ -z \"${DATABASE_URL:-}${SUPABASE_DB_URL:-}${PGDATABASE:-}${PGSERVICE:-}\" ]; then\n"
                    "    echo \"schemerge: no database configured (set DATABASE_URL, SUPABASE_DB_URL, \"\\\n"
                    "\"PGDATABASE or PGSERVICE): schema check skipped\" >&2\n"
                    "    exit 0\n"
                    "fi\n");
    strbuf_adds(sb, "if ! command -v \"$schemerge\" >/dev/null 2>&1; then\n"
                    "    echo \"schemerge: not installed: schema check skipped\" >&2\n"
                    "    exit 0\n"
                    "fi\n"
                    "\"$schemerge\" check");
    strbuf_adds(sb, check_args);
    strbuf_adds(sb, "\nstatus=$?\n"
                    "case $status in\n"
                    "0) ;;\n"
                    "1) echo \"schemerge: commit blocked by schema drift: review it with 'schemerge diff', \"\\\n"
                    "\"apply it with 'schemerge update' (or commit with --no-verify)\" >&2 ;;\n"
                    "*) echo \"schemerge: commit blocked: the schema check failed (see above)\" >&2 ;;\n"
                    "esac\n"
                    "exit $status\n");
}

static int hook_install(const cli_options *opts, const char *dir)
{
    char *path = xasprintf("%s/pre-commit", dir);
    char *saved = xasprintf("%s" HOOK_SAVED_SUFFIX, path);
    char *self = NULL, *db = NULL;
    strbuf args = STRBUF_INIT, script = STRBUF_INIT;
    sm_error err = SM_ERROR_INIT;
    int status = 0;

    if (opts->fail_on) {
        if (severity_parse(opts->fail_on) < 0) {
            fprintf(stderr, "schemerge: --fail-on takes low, medium, high or critical, not '%s'\n",
                    opts->fail_on);
            status = 2;
            goto done;
        }
        strbuf_adds(&args, " --fail-on ");
        shell_quote(&args, opts->fail_on);
    }
    if (opts->db) {
        /* a snapshot file may be named in the hook; a connection string may hold a
         * password, and .git/hooks is no place for one */
        if (!catalog_arg_is_snapshot(opts->db)) {
            fputs("schemerge: the hook reads the database from DATABASE_URL, SUPABASE_DB_URL or "
                  "libpq's PG* variables (a connection string is not written into .git/hooks; "
                  "--db here takes only a snapshot FILE.json)\n", stderr);
            status = 2;
            goto done;
        }
        db = realpath(opts->db, NULL);
        if (!db) {
            fprintf(stderr, "schemerge: cannot use snapshot %s: %s\n", opts->db, strerror(errno));
            status = 2;
            goto done;
        }
        strbuf_adds(&args, " --db ");
        shell_quote(&args, db);
    }

    struct stat st;
    bool exists = lstat(path, &st) == 0;
    bool ours = exists && has_marker(path);
    if (exists && !ours) {
        if (!opts->force) {
            fprintf(stderr, "schemerge: %s exists and was not written by schemerge (add "
                            "'schemerge check' to it, or replace it with 'schemerge hook install "
                            "--force', which keeps it as pre-commit" HOOK_SAVED_SUFFIX ")\n", path);
            status = 2;
            goto done;
        }
        if (rename(path, saved) != 0) {
            fprintf(stderr, "schemerge: cannot keep the old hook as %s: %s\n", saved, strerror(errno));
            status = 2;
            goto done;
        }
        printf("kept the previous hook as %s\n", saved);
    }

    self = self_path();
    hook_script(&script, self, strbuf_str(&args), db != NULL);
    if (fs_mkdir_p(dir, 0755, &err) < 0 ||
        fs_write_atomic(path, script.buf, script.len, &err) < 0) {
        cli_print_error(&err);
        status = 2;
        goto done;
    }
    if (chmod(path, 0755) != 0) {
        fprintf(stderr, "schemerge: cannot make %s executable: %s\n", path, strerror(errno));
        status = 2;
        goto done;
    }
    printf("%s %s: 'schemerge check%s' runs before each commit\n", ours ? "updated" : "installed",
           path, strbuf_str(&args));
done:
    strbuf_release(&args);
    strbuf_release(&script);
    free(self);
    free(db);
    free(saved);
    free(path);
    return status;
}

static int hook_uninstall(const char *dir)
{
    char *path = xasprintf("%s/pre-commit", dir);
    char *saved = xasprintf("%s" HOOK_SAVED_SUFFIX, path);
    struct stat st;
    int status = 0;

    if (lstat(path, &st) != 0) {
        printf("no pre-commit hook in %s: nothing to remove\n", dir);
        goto done;
    }
    if (!has_marker(path)) {
        fprintf(stderr, "schemerge: %s was not written by schemerge: left as it is (remove it "
                        "yourself if you mean to)\n", path);
        status = 2;
        goto done;
    }
    if (unlink(path) != 0) {
        fprintf(stderr, "schemerge: cannot remove %s: %s\n", path, strerror(errno));
        status = 2;
        goto done;
    }
    if (lstat(saved, &st) == 0) {
        if (rename(saved, path) != 0) {
            fprintf(stderr, "schemerge: removed the hook, but cannot put %s back: %s\n", saved,
                    strerror(errno));
            status = 2;
            goto done;
        }
        printf("removed the schemerge hook; restored the previous %s\n", path);
    } else {
        printf("removed %s\n", path);
    }
done:
    free(saved);
    free(path);
    return status;
}

int cmd_hook(const cli_options *opts)
{
    const char *sub = opts->nargs > 0 ? opts->args[0] : NULL;
    bool install = sub && strcmp(sub, "install") == 0;
    bool uninstall = sub && strcmp(sub, "uninstall") == 0;
    if (!install && !uninstall) {
        fprintf(stderr, "schemerge: hook takes install or uninstall%s%s%s (see 'schemerge hook --help')\n",
                sub ? ", not '" : "", sub ? sub : "", sub ? "'" : "");
        return 2;
    }
    if (opts->nargs > 1) {
        fprintf(stderr, "schemerge: hook %s takes no argument, not '%s' (see 'schemerge hook --help')\n",
                sub, opts->args[1]);
        return 2;
    }
    char *dir = NULL;
    int status = hooks_dir(&dir);
    if (status == 0)
        status = install ? hook_install(opts, dir) : hook_uninstall(dir);
    free(dir);
    return status;
}
