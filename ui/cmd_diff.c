/* cmd_diff.c: placeholder until its issue lands. */
#include <config.h> /* <>: the autoconf header, never src/config.h */

#include <stdio.h>

#include "cli.h"

int cmd_check(const cli_options *opts)
{
    (void)opts;
    fputs("schemerge: 'check' is not built yet\n", stderr);
    return 2;
}

int cmd_diff(const cli_options *opts)
{
    (void)opts;
    fputs("schemerge: 'diff' is not built yet\n", stderr);
    return 2;
}

int cmd_report(const cli_options *opts)
{
    (void)opts;
    fputs("schemerge: 'report' is not built yet\n", stderr);
    return 2;
}
