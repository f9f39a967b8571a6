/* cli.h: the command line: options, what the commands share, and the commands that run
 * without a terminal (check, diff, report, update, snapshot, backup, commit). Each
 * command calls the core in src/ and prints; the core itself never prints. */
#ifndef SCHEMERGE_CLI_H
#define SCHEMERGE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_NEVER, CLI_COLOR_ALWAYS } cli_color;

typedef struct cli_options {
    const char *command;        /* NULL: no command given */
    char **args;                /* positional arguments after the command (borrowed argv) */
    size_t nargs;
    const char *db;             /* --db (the last one given) */
    const char **dbs;           /* every --db, in order: several only for check */
    size_t ndbs;
    const char *db_list;        /* --db-list FILE (check) */
    const char **schemas;       /* --schema, repeatable */
    size_t nschemas;
    const char *config;         /* --config */
    const char *chdir;          /* -C */
    cli_color color;            /* --color */
    bool json, sarif, exit_code, prune, dry_run, help;
    bool force;                 /* --force (hook install) */
    bool destructive, all;      /* --destructive, --all (sql) */
    const char *fail_on;        /* --fail-on */
    const char *min_severity;   /* --min-severity */
    const char *output;         /* -o */
    const char *message;        /* -m */
    const char **only;          /* --only, repeatable; comma-separated values are split */
    size_t nonly;
    char **only_copies;         /* owned storage behind only[] */
    size_t nonly_copies;
} cli_options;

/* Parse argv into opts (allocations freed by cli_options_done). Returns 0, or 2 after
 * printing a one-line usage error. */
int cli_parse(cli_options *opts, int argc, char **argv);
void cli_options_done(cli_options *opts);

/* Print "schemerge: WHAT (HINT)" to stderr. */
struct sm_error;
/* Print one line: the formatted text with what a terminal must not see raw escaped
 * (utf8.h: names from the database, texts from the files), then a newline. */
void cli_print_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_print_error(const struct sm_error *err);

/* Load the project named by the options (root, config, files, state, database, drift).
 * Returns 0, or 2 after printing the error. */
struct sm_project;
int cli_load_project(const cli_options *opts, struct sm_project **out);
/* The same for a command that writes: it holds the writer lock until project_free. */
int cli_load_project_as(const cli_options *opts, bool writer, struct sm_project **out);
/* The project options the command line gives (the database, schemas, config). */
struct project_options;
void cli_project_options(const cli_options *opts, bool writer, struct project_options *po);
/* Print the config's warnings (unknown keys, ...) to stderr, one line each. */
void cli_print_config_warnings(const struct sm_project *p);

/* Whether to colour stdout: --color, else NO_COLOR, else whether stdout is a terminal. */
bool cli_use_color(const cli_options *opts);

/* Write text to stdout, or atomically to path when path is not NULL and not "-".
 * Returns 0, or 2 after printing the error. */
int cli_emit(const char *path, const char *text, size_t len);

/* The commands, one file each (ui/cmd_NAME.c). Each returns the process exit status. */
int cmd_check(const cli_options *opts);    /* cmd_diff.c */
int cmd_diff(const cli_options *opts);     /* cmd_diff.c */
int cmd_report(const cli_options *opts);   /* cmd_diff.c */
int cmd_update(const cli_options *opts);   /* cmd_update.c */
int cmd_snapshot(const cli_options *opts); /* cmd_snapshot.c */
int cmd_backup(const cli_options *opts);   /* cmd_backup.c */
int cmd_commit(const cli_options *opts);   /* cmd_commit.c */
int cmd_status(const cli_options *opts);   /* cmd_status.c */
int cmd_lint(const cli_options *opts);     /* cmd_lint.c */
int cmd_sql(const cli_options *opts);      /* cmd_sql.c */
int cmd_hook(const cli_options *opts);     /* cmd_hook.c */
int cmd_ui(const cli_options *opts);       /* tui.c: the interactive UI */

#endif
