/* commands.c: the table of commands and the dispatch to them (ui/cmd_*.c, or the
 * interactive UI with no command and a terminal), with the program's and each command's
 * --help. The only module that knows every front end. */
#include "config.h"
#include "commands.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(const cli_options *opts);
    const char *synopsis;
    const char *summary;
} command;

static const command commands[] = {
    { "check", cmd_check, "check [--fail-on SEVERITY] [--db-list FILE]",
      "exit 0 when in sync, 1 on drift at or above SEVERITY, 2 on error" },
    { "diff", cmd_diff, "diff [--color[=WHEN]] [--json|--sarif] [--exit-code] [-o FILE]",
      "show the drift between the database and the local files" },
    { "report", cmd_report, "report [-o FILE.md]", "write a Markdown drift report" },
    { "update", cmd_update, "update [--only KIND|ID]... [--min-severity S] [--prune] [--dry-run]",
      "merge the database's changes into the local files" },
    { "snapshot", cmd_snapshot, "snapshot [-o FILE.json]",
      "write the database catalog as snapshot JSON" },
    { "backup", cmd_backup, "backup list | show ID | restore ID | delete ID | prune",
      "list, inspect, restore or remove backups" },
    { "commit", cmd_commit, "commit [-m MESSAGE]", "commit the schema files with libgit2" },
    { "hook", cmd_hook, "hook install [--force] [--fail-on SEVERITY] | hook uninstall",
      "install or remove a git pre-commit hook that runs 'schemerge check'" },
    { "status", cmd_status, "status [--json]",
      "the last sync, what changed since, backups, uncommitted edits" },
    { "lint", cmd_lint, "lint [PATH]...",
      "report references to unknown tables and columns in Python code" },
    { "sql", cmd_sql, "sql [--destructive] [--all]",
      "print the SQL that brings the database in line with local edits" },
};

/* The options every command takes; printed under each command's own, and first in the
 * program's own help. */
#define WHERE_OPTIONS_HELP                                                                  \
    "      --db=CONNINFO|FILE.json  database URL or key=value string, or a snapshot\n"      \
    "                             (default: $DATABASE_URL, $SUPABASE_DB_URL, then\n"       \
    "                             libpq's PG* variables)\n"                                \
    "      --schema=NAME          database schema to read (repeatable; default\n"          \
    "                             public)\n"                                               \
    "      --config=FILE          configuration file (default .schemerge.json)\n"         \
    "  -C DIR                     run as if started in DIR\n"
#define HELP_OPTION_HELP "  -h, --help                 show this help and exit\n"
static const char common_options_help[] = WHERE_OPTIONS_HELP HELP_OPTION_HELP;

/* Per-command help: what `schemerge COMMAND --help` prints besides the usage line. Kept
 * apart from commands[] so a command without an entry still gets its synopsis. The
 * option lists must match the man page's SYNOPSIS (tests/cli/eco_help_man.sh). */
typedef struct command_help {
    const char *name;
    const char *description; /* one paragraph, lines of at most 80 columns */
    const char *options;     /* GNU-style option lines; NULL: the command has none */
    const char *exit_status;
} command_help;

static const command_help command_helps[] = {
    { "check",
      "Compare the database with the local files and print a one-line summary per\n"
      "severity. Meant for CI and hooks.\n",
      "      --fail-on=SEVERITY     lowest severity that fails: low, medium, high or\n"
      "                             critical (default: the config's fail_on, else low)\n"
      "      --db-list=FILE         check every database FILE lists, one a line (URL,\n"
      "                             key=value or service name); --db may also be\n"
      "                             given several times: one line a database, then a\n"
      "                             summary, read 8 at a time\n",
      "0 in sync or nothing at or above SEVERITY, 1 drift at or above\n"
      "SEVERITY, 2 error (with several databases: the worst of them).\n" },
    { "diff",
      "Show the drift between the database and the local files, grouped by file and\n"
      "class: one line per label, column or class with its severity, id and kind.\n",
      "      --color[=WHEN]         colour the output: auto (default), always or never\n"
      "      --json                 one JSON object {\"format\": 1, \"db_hash\", \"changes\"}\n"
      "      --sarif                SARIF 2.1.0, each change at its line of the file\n"
      "      --exit-code            exit 1 when there is drift\n"
      "  -o, --output=FILE          write to FILE instead of standard output\n",
      "0 (drift or not, like git diff), 1 drift with --exit-code, 2 error.\n" },
    { "report",
      "Write a Markdown drift report: a summary by severity, the changes by category\n"
      "with a recommended action each, and the database hash.\n",
      "  -o, --output=FILE          write to FILE (- for standard output; default\n"
      "                             schema_drift_report_YYYYMMDD_HHMMSS.md)\n",
      "0 written, 2 error.\n" },
    { "update",
      "Merge the database's changes into the local files through a three-way merge,\n"
      "after a backup. Every change is applied except the removal of a whole class\n"
      "(use --prune, or name it with --only).\n",
      "      --only=KIND|ID         apply only these changes: an id (or a prefix of at\n"
      "                             least 4 digits), a kind, a class or table name,\n"
      "                             or TABLE.COLUMN; repeatable, and comma-separated\n"
      "                             values are split\n"
      "      --min-severity=SEVERITY  apply only changes at or above SEVERITY\n"
      "      --prune                also remove classes gone from the database\n"
      "      --dry-run              print the unified diff that would be written, write\n"
      "                             nothing\n",
      "0 every selected change applied, 1 some could not be (each\n"
      "named with its reason; the rest were written), 2 error or conflict (nothing\n"
      "written).\n" },
    { "snapshot",
      "Write the database catalog as snapshot JSON (format 1). A snapshot can stand in\n"
      "for the database: --db FILE.json.\n",
      "  -o, --output=FILE          write to FILE instead of standard output\n",
      "0 written, 2 error.\n" },
    { "backup",
      "list: the backups, newest first. show ID: one backup's metadata and its diff\n"
      "against the current files. restore ID: put its files back (after backing up\n"
      "the current ones). delete ID: remove it. prune: keep the newest max_backups.\n",
      NULL,
      "0 done, 2 error (such as an unknown ID).\n" },
    { "commit",
      "Commit exactly the schema files that the last update wrote, and\n"
      "schema_version.py, with libgit2 (like git commit --only). libgit2 runs no git\n"
      "hooks.\n",
      "  -m, --message=MESSAGE      the commit message (default: the config's\n"
      "                             commit_message and the list of applied changes)\n",
      "0 committed or nothing to commit, 2 error.\n" },
    { "hook",
      "install: write the repository's git pre-commit hook, which runs\n"
      "'schemerge check' and blocks a commit on drift; it skips the check, with a\n"
      "note, when no database is configured (DATABASE_URL, SUPABASE_DB_URL,\n"
      "PGDATABASE and PGSERVICE all unset). uninstall: remove that hook.\n",
      "      --force                replace an existing pre-commit hook that schemerge\n"
      "                             did not write\n"
      "      --fail-on=SEVERITY     the hook's threshold (default: the config's\n"
      "                             fail_on)\n",
      "0 done, 2 error (such as another program's hook, without --force).\n" },
    { "status",
      "Show the last sync (time and database hash from schema_version.py), whether\n"
      "the database changed since, the drift per severity, the backups, and whether\n"
      "the schema files have uncommitted edits.\n",
      "      --json                 print the status as one JSON object\n",
      "0 shown, 2 error (such as an unreachable database).\n" },
    { "lint",
      "Report references in Python code (PATHs, default every .py file of the\n"
      "repository but the schema files) to tables and columns that the database\n"
      "does not have, as path:line:col: messages.\n",
      NULL,
      "0 none found, 1 some found, 2 error.\n" },
    { "sql",
      "Print the SQL that would bring the database in line with the changes made in\n"
      "the Python files since the last sync, in one transaction. Nothing is run.\n",
      "      --destructive          also print drops, type and nullability changes,\n"
      "                             each after a '-- destructive:' comment\n"
      "      --all                  also take changes whose direction is unknown (no\n"
      "                             sync recorded yet)\n",
      "0 printed, 2 error.\n" },
};

/* Print "Usage: schemerge [OPTION]... SYNOPSIS", wrapped at 80 columns between the
 * synopsis's top-level words (never inside [...]). */
static void print_usage_line(FILE *out, const char *synopsis)
{
    static const char lead[] = "Usage: schemerge [OPTION]... ";
    static const char indent[] = "         ";
    size_t col = sizeof lead - 1;
    fputs(lead, out);
    const char *p = synopsis;
    bool first = true;
    while (*p) {
        /* one word: up to a space outside brackets */
        const char *q = p;
        int depth = 0;
        while (*q && !(*q == ' ' && depth == 0)) {
            depth += *q == '[' ? 1 : *q == ']' ? -1 : 0;
            q++;
        }
        size_t n = (size_t)(q - p);
        if (!first && col + 1 + n > 80) {
            fprintf(out, "\n%s", indent);
            col = sizeof indent - 1;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += n;
        first = false;
        p = *q ? q + 1 : q;
    }
    fputc('\n', out);
}

static void print_command_help(FILE *out, const char *name, const char *synopsis,
                               const char *summary)
{
    const command_help *h = NULL;
    for (size_t i = 0; i < sizeof command_helps / sizeof *command_helps; i++)
        if (strcmp(command_helps[i].name, name) == 0)
            h = &command_helps[i];
    print_usage_line(out, synopsis);
    if (!h) {
        fprintf(out, "%c%s.\n\nCommon options:\n%s", toupper((unsigned char)summary[0]), summary + 1,
                common_options_help);
        return;
    }
    fprintf(out, "%s", h->description);
    if (h->options)
        fprintf(out, "\nOptions:\n%s", h->options);
    fprintf(out, "\nCommon options:\n%s", common_options_help);
    fprintf(out, "\nExit status: %s", h->exit_status);
    fprintf(out, "\nFull documentation: man schemerge\n");
}

void commands_print_usage(FILE *out)
{
    fprintf(out, "Usage: schemerge [OPTION]... [COMMAND [ARG]...]\n"
                 "Keep hand-maintained Python schema files in step with a PostgreSQL database.\n"
                 "With no command, open the interactive UI (or print the diff when stdout is not\n"
                 "a terminal).\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nOptions:\n" WHERE_OPTIONS_HELP
            "      --color[=WHEN]         colour output: auto, always or never\n"
            "      --json                 machine-readable output (diff)\n"
            "      --sarif                SARIF 2.1.0 output (diff)\n"
            "      --exit-code            diff: exit 1 when there is drift\n"
            "      --fail-on=SEVERITY     check, hook: lowest severity that fails (default\n"
            "                             low)\n"
            "      --db-list=FILE         check: every database FILE lists, one a line\n"
            "      --min-severity=SEVERITY  update: apply only changes at or above it\n"
            "      --only=KIND|ID         update: apply only these changes (repeatable)\n"
            "      --prune                update: also remove classes gone from the database\n"
            "      --dry-run              update: print the diff, write nothing\n"
            "      --force                hook install: replace another pre-commit hook\n"
            "      --destructive          sql: also drops and type changes\n"
            "      --all                  sql: also changes whose direction is unknown\n"
            "  -o, --output=FILE          write to FILE (diff, report, snapshot)\n"
            "  -m, --message=MESSAGE      commit message (commit)\n"
            HELP_OPTION_HELP
            "      --version              show the version and exit\n"
            "\nRun 'schemerge COMMAND --help' for a command's options.\n"
            "\nExit status: 0 success or in sync, 1 drift (check) or partly applied (update),\n"
            "2 error.\n"
            "\nFull documentation: man schemerge\n"
            "Report bugs: see REPORTING BUGS in schemerge(1), or \"Reporting bugs\" in the\n"
            "README.\n");
}


int commands_run(const cli_options *opts)
{
    if (opts->command && strcmp(opts->command, "--version") == 0)
        return 0;
    if (opts->help && !opts->command) {
        commands_print_usage(stdout);
        return 0;
    }
    if (opts->chdir && chdir(opts->chdir) != 0) {
        fprintf(stderr, "schemerge: cannot change to directory %s: %s (check the -C argument)\n",
                opts->chdir, strerror(errno));
        return 2;
    }
    if (!opts->command)
        return isatty(STDOUT_FILENO) ? cmd_ui(opts) : cmd_diff(opts);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(commands[i].name, opts->command) == 0) {
            if (opts->help) {
                print_command_help(stdout, commands[i].name, commands[i].synopsis,
                                   commands[i].summary);
                return 0;
            }
            return commands[i].run(opts);
        }
    }
    fprintf(stderr, "schemerge: unknown command '%s' (see 'schemerge --help')\n", opts->command);
    return 2;
}
