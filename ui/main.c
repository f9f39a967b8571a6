/* main.c: the program's entry point. It parses the command line, then runs either a
 * command (cli.c) or, with no command and a terminal on stdout, the interactive UI.
 * This is the only file that calls exit(). */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "commands.h"
#include "catalog.h"
#include "xalloc.h"

/* Ctrl-C (or a kill) while the catalog is read: the server is asked to stop the query
 * too, then the signal does what it would have done. The interactive UI puts its own
 * handlers in place when it starts. */
static void on_interrupt(int sig)
{
    catalog_cancel_reads();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* cJSON allocates through xalloc: out of memory is one fatal path, never a NULL that
     * some caller forgot to check */
    cJSON_Hooks hooks = { .malloc_fn = xmalloc, .free_fn = free };
    cJSON_InitHooks(&hooks);
    struct sigaction sa = { .sa_handler = on_interrupt };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    cli_options opts;
    int status = cli_parse(&opts, argc, argv);
    if (status == 0)
        status = commands_run(&opts);
    cli_options_done(&opts);
    fflush(stdout);
    if (ferror(stdout) && status == 0) {
        fputs("schemerge: cannot write to standard output\n", stderr);
        status = 2;
    }
    exit(status);
}
