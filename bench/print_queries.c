/* print_queries.c: print the catalog queries of src/catalog.c as a psql script, so that
 * the benchmark's floor (psql running the same queries) can never drift from the C code.
 * Built and run by bench/run.sh. */
#include "config.h"

#include <stdio.h>

#include "catalog.h"
#include "strbuf.h"

int main(int argc, char **argv)
{
    catalog_options opts = CATALOG_OPTIONS_INIT;
    opts.schemas = (const char *const *)(argv + 1);
    opts.nschemas = (size_t)(argc - 1);
    strbuf sb = STRBUF_INIT;
    catalog_queries_script(&sb, &opts);
    fputs(strbuf_str(&sb), stdout);
    strbuf_release(&sb);
    return 0;
}
