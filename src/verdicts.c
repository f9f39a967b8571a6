/* verdicts.c: the texts CPython's verdict accepted, remembered by digest (verdicts.h).
 *
 * The file: a first line "schemerge-verdicts 1 VERSION", then one 64-digit lowercase hex
 * SHA-256 a line, the most recent first. */
#include "config.h"
#include "verdicts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

#define VERDICTS_HEAD "schemerge-verdicts 1 " PACKAGE_VERSION "\n"

static bool is_digest(const char *s, size_t n)
{
    if (n != SM_SHA256_HEX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

void verdicts_load(verdicts *v, const char *root)
{
    v->n = 0;
    char *path = fs_join(root, VERDICTS_FILE), *text = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    int error = fs_read_file(&text, &len, path, &err);
    free(path);
    size_t head = sizeof VERDICTS_HEAD - 1;
    if (error < 0 || len < head || memcmp(text, VERDICTS_HEAD, head) != 0) {
        free(text);
        return;
    }
    for (const char *line = text + head; line < text + len && v->n < VERDICTS_MAX;) {
        const char *eol = memchr(line, '\n', (size_t)(text + len - line));
        if (!eol)
            break; /* a last line without its newline was cut short */
        if (is_digest(line, (size_t)(eol - line))) {
            memcpy(v->digests[v->n], line, SM_SHA256_HEX_LEN);
            v->digests[v->n++][SM_SHA256_HEX_LEN] = '\0';
        }
        line = eol + 1;
    }
    free(text);
}

bool verdicts_known(const verdicts *v, const char *digest)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->digests[i], digest) == 0)
            return true;
    return false;
}

void verdicts_remember(verdicts *v, const char *root, char (*digests)[SM_SHA256_HEX_LEN + 1],
                       size_t n)
{
    verdicts next = { 0 };
    for (size_t i = 0; i < n && next.n < VERDICTS_MAX; i++)
        if (!verdicts_known(&next, digests[i]))
            memcpy(next.digests[next.n++], digests[i], SM_SHA256_HEX_LEN + 1);
    for (size_t i = 0; i < v->n && next.n < VERDICTS_MAX; i++)
        if (!verdicts_known(&next, v->digests[i]))
            memcpy(next.digests[next.n++], v->digests[i], SM_SHA256_HEX_LEN + 1);
    bool same = next.n == v->n;
    for (size_t i = 0; same && i < next.n; i++)
        same = strcmp(next.digests[i], v->digests[i]) == 0;
    *v = next;
    if (same)
        return;
    char *dir = fs_join(root, ".schemerge");
    bool have_dir = fs_exists(dir);
    free(dir);
    if (!have_dir)
        return; /* a project never synced: reading it leaves no trace */
    strbuf text = STRBUF_INIT;
    strbuf_adds(&text, VERDICTS_HEAD);
    for (size_t i = 0; i < v->n; i++)
        strbuf_addf(&text, "%s\n", v->digests[i]);
    char *path = fs_join(root, VERDICTS_FILE);
    sm_error err = SM_ERROR_INIT;
    (void)fs_write_atomic(path, text.buf, text.len, &err); /* see verdicts.h: time, not truth */
    free(path);
    strbuf_release(&text);
}
