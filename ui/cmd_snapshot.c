/* cmd_snapshot.c: placeholder until its issue lands. */
#include <config.h> /* <>: the autoconf header, never src/config.h */

#include <stdio.h>

#include "cli.h"

int cmd_snapshot(const cli_options *opts)
{
    (void)opts;
    fputs("schemerge: 'snapshot' is not built yet\n", stderr);
    return 2;
}
