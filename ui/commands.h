/* commands.h: run the command the options name (ui/commands.c). */
#ifndef SCHEMERGE_COMMANDS_H
#define SCHEMERGE_COMMANDS_H

#include <stdio.h>

#include "cli.h"

/* Run opts->command (none: the interactive UI on a terminal, else diff); returns the
 * process exit status. */
int commands_run(const cli_options *opts);
/* The program's --help. */
void commands_print_usage(FILE *out);

#endif
