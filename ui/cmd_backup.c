/* cmd_backup.c: placeholder until its issue lands. */
#include <config.h> /* <>: the autoconf header, never src/config.h */

#include <stdio.h>

#include "cli.h"

int cmd_backup(const cli_options *opts)
{
    (void)opts;
    fputs("schemerge: 'backup' is not built yet\n", stderr);
    return 2;
}
