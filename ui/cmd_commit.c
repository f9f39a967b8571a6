/* cmd_commit.c: placeholder until its issue lands. */
#include <config.h> /* <>: the autoconf header, never src/config.h */

#include <stdio.h>

#include "cli.h"

int cmd_commit(const cli_options *opts)
{
    (void)opts;
    fputs("schemerge: 'commit' is not built yet\n", stderr);
    return 2;
}
