/* pycheck_tool: CPython's verdict (pycheck_verdict) on many texts, for the differential
 * test against Python's ast (tests/py/syntax_diff.py). Test tool only (check_PROGRAMS).
 *
 * Reads records from stdin, each "LEN\n" then LEN bytes, and prints one line per record:
 * "OK" or "ERR LINE COL MESSAGE". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycheck.h"

int main(void)
{
    char head[64];
    while (fgets(head, sizeof head, stdin)) {
        size_t len = strtoul(head, NULL, 10);
        char *text = malloc(len + 1);
        if (!text || fread(text, 1, len, stdin) != len)
            return 2;
        text[len] = '\0';
        sm_error err = SM_ERROR_INIT;
        if (pycheck_verdict("f.py", text, len, &err) == 0) {
            puts("OK");
        } else {
            int line = 0, col = 0;
            const char *msg = err.what;
            if (sscanf(err.what, "f.py:%d:%d:", &line, &col) == 2) {
                msg = strchr(strchr(strchr(err.what, ':') + 1, ':') + 1, ':') + 1;
                while (*msg == ' ')
                    msg++;
            }
            printf("ERR %d %d %s\n", line, col, msg);
        }
        free(text);
        fflush(stdout);
    }
    return 0;
}
