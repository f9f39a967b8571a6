/* cli.c: what every command-line front end shares: the options (GNU-style long options,
 * which may stand before or after the command), printing errors and lines, loading the
 * project, colour and output. The commands live in ui/cmd_*.c, the table that runs them
 * in ui/commands.c; nothing here calls a command or the interactive UI. */
#include "config.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "load.h"
#include "project.h"
#include "utf8.h"
#include "xalloc.h"

enum {
    OPT_DB = 256, OPT_SCHEMA, OPT_CONFIG, OPT_COLOR, OPT_JSON, OPT_SARIF, OPT_EXIT_CODE,
    OPT_FAIL_ON, OPT_MIN_SEVERITY, OPT_ONLY, OPT_PRUNE, OPT_DRY_RUN, OPT_VERSION, OPT_FORCE,
    OPT_DESTRUCTIVE, OPT_ALL, OPT_DB_LIST,
};

static const struct option long_options[] = {
    { "db", required_argument, NULL, OPT_DB },
    { "db-list", required_argument, NULL, OPT_DB_LIST },
    { "schema", required_argument, NULL, OPT_SCHEMA },
    { "config", required_argument, NULL, OPT_CONFIG },
    { "color", optional_argument, NULL, OPT_COLOR },
    { "colour", optional_argument, NULL, OPT_COLOR },
    { "json", no_argument, NULL, OPT_JSON },
    { "sarif", no_argument, NULL, OPT_SARIF },
    { "exit-code", no_argument, NULL, OPT_EXIT_CODE },
    { "fail-on", required_argument, NULL, OPT_FAIL_ON },
    { "min-severity", required_argument, NULL, OPT_MIN_SEVERITY },
    { "only", required_argument, NULL, OPT_ONLY },
    { "prune", no_argument, NULL, OPT_PRUNE },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "force", no_argument, NULL, OPT_FORCE },
    { "destructive", no_argument, NULL, OPT_DESTRUCTIVE },
    { "all", no_argument, NULL, OPT_ALL },
    { "output", required_argument, NULL, 'o' },
    { "message", required_argument, NULL, 'm' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

static void push_str(const char ***arr, size_t *n, const char *s)
{
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = s;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("schemerge: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see 'schemerge --help')\n", stderr);
    return 2;
}

int cli_parse(cli_options *opts, int argc, char **argv)
{
    memset(opts, 0, sizeof *opts);
    opts->color = CLI_COLOR_AUTO;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":C:o:m:h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            opts->db = optarg;
            push_str(&opts->dbs, &opts->ndbs, optarg);
            break;
        case OPT_DB_LIST: opts->db_list = optarg; break;
        case OPT_SCHEMA: push_str(&opts->schemas, &opts->nschemas, optarg); break;
        case OPT_CONFIG: opts->config = optarg; break;
        case 'C': opts->chdir = optarg; break;
        case OPT_COLOR:
            if (!optarg || strcmp(optarg, "always") == 0)
                opts->color = CLI_COLOR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                opts->color = CLI_COLOR_NEVER;
            else if (strcmp(optarg, "auto") == 0)
                opts->color = CLI_COLOR_AUTO;
            else
                return usage_error("--color takes auto, always or never, not '%s'", optarg);
            break;
        case OPT_JSON: opts->json = true; break;
        case OPT_SARIF: opts->sarif = true; break;
        case OPT_EXIT_CODE: opts->exit_code = true; break;
        case OPT_FAIL_ON: opts->fail_on = optarg; break;
        case OPT_MIN_SEVERITY: opts->min_severity = optarg; break;
        case OPT_ONLY: {
            /* --only a,b,c is --only a --only b --only c */
            char *copy = xstrdup(optarg), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                push_str(&opts->only, &opts->nonly, tok);
            opts->only_copies = xrealloc(opts->only_copies, (opts->nonly_copies + 1) * sizeof(char *));
            opts->only_copies[opts->nonly_copies++] = copy;
            break;
        }
        case OPT_PRUNE: opts->prune = true; break;
        case OPT_DRY_RUN: opts->dry_run = true; break;
        case OPT_FORCE: opts->force = true; break;
        case OPT_DESTRUCTIVE: opts->destructive = true; break;
        case OPT_ALL: opts->all = true; break;
        case 'o': opts->output = optarg; break;
        case 'm': opts->message = optarg; break;
        case 'h': opts->help = true; break;
        case OPT_VERSION:
            printf("schemerge %s\n", PACKAGE_VERSION);
            opts->command = "--version";
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        opts->command = argv[optind++];
        opts->args = argv + optind;
        opts->nargs = (size_t)(argc - optind);
    }
    bool check = opts->command && strcmp(opts->command, "check") == 0;
    if ((opts->ndbs > 1 || opts->db_list) && !check && !opts->help)
        return usage_error("%s: only check reads several databases",
                           opts->db_list ? "--db-list" : "--db given more than once");
    return 0;
}

void cli_options_done(cli_options *opts)
{
    free(opts->schemas);
    free(opts->dbs);
    free(opts->only);
    for (size_t i = 0; i < opts->nonly_copies; i++)
        free(opts->only_copies[i]);
    free(opts->only_copies);
    memset(opts, 0, sizeof *opts);
}

void cli_print_line(FILE *out, const char *fmt, ...)
{
    strbuf text = STRBUF_INIT, safe = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&text, fmt, ap);
    va_end(ap);
    utf8_escape_unsafe(&safe, text.buf, text.len);
    strbuf_addch(&safe, '\n');
    fwrite(safe.buf, 1, safe.len, out);
    strbuf_release(&text);
    strbuf_release(&safe);
}

void cli_print_error(const sm_error *err)
{
    if (err->hint[0])
        cli_print_line(stderr, "schemerge: %s (%s)", err->what, err->hint);
    else
        cli_print_line(stderr, "schemerge: %s", err->what);
}

int cli_load_project(const cli_options *opts, sm_project **out)
{
    return cli_load_project_as(opts, false, out);
}

void cli_project_options(const cli_options *opts, bool writer, project_options *po)
{
    *po = (project_options)PROJECT_OPTIONS_INIT;
    po->writer = writer;
    po->db_arg = opts->db;
    po->schemas = opts->schemas;
    po->nschemas = opts->nschemas;
    po->config_path = opts->config;
}

void cli_print_config_warnings(const sm_project *p)
{
    for (size_t i = 0; i < p->config->nwarnings; i++)
        fprintf(stderr, "schemerge: warning: %s\n", p->config->warnings[i]);
}

int cli_load_project_as(const cli_options *opts, bool writer, sm_project **out)
{
    project_options po;
    cli_project_options(opts, writer, &po);
    sm_error err = SM_ERROR_INIT;
    if (project_load(out, &po, &err) < 0) {
        cli_print_error(&err);
        return 2;
    }
    cli_print_config_warnings(*out);
    return 0;
}

bool cli_use_color(const cli_options *opts)
{
    if (opts->color != CLI_COLOR_AUTO)
        return opts->color == CLI_COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    return isatty(STDOUT_FILENO);
}

int cli_emit(const char *path, const char *text, size_t len)
{
    if (!path || strcmp(path, "-") == 0) {
        fwrite(text, 1, len, stdout);
        return 0;
    }
    sm_error err = SM_ERROR_INIT;
    if (fs_write_atomic(path, text, len, &err) < 0) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
}
