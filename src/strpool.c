/* strpool.c: interned strings in large blocks (strpool.h). Open addressing on a power
 * of two table of pointers into the blocks (hash_fnv1a). */
#include "config.h"
#include "strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

/* Strings are copied into blocks of this size; a longer one gets a block of its own. */
#define BLOCK_BYTES ((size_t)64 << 10)

typedef struct block {
    struct block *next;
    size_t used, size;
    char data[];
} block;

struct strpool {
    block *blocks;   /* the newest first */
    char **slots;    /* the table: NULL or a string in a block */
    size_t nslots;   /* a power of two */
    size_t count;
    size_t bytes;
};

strpool *strpool_new(void)
{
    strpool *p = xcalloc(1, sizeof *p);
    p->nslots = 1024;
    p->slots = xcalloc(p->nslots, sizeof *p->slots);
    return p;
}

static char *copy_in(strpool *p, const char *s, size_t n)
{
    block *b = p->blocks;
    if (!b || b->size - b->used < n + 1) {
        size_t size = n + 1 > BLOCK_BYTES ? n + 1 : BLOCK_BYTES;
        b = xmalloc(sizeof *b + size);
        b->used = 0;
        b->size = size;
        b->next = p->blocks;
        p->blocks = b;
        p->bytes += sizeof *b + size;
    }
    char *out = b->data + b->used;
    memcpy(out, s, n);
    out[n] = '\0';
    b->used += n + 1;
    return out;
}

static void grow(strpool *p)
{
    size_t n = p->nslots * 2;
    char **slots = xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < p->nslots; i++) {
        char *s = p->slots[i];
        if (!s)
            continue;
        size_t k = hash_fnv1a(s, strlen(s)) & (n - 1);
        while (slots[k])
            k = (k + 1) & (n - 1);
        slots[k] = s;
    }
    free(p->slots);
    p->slots = slots;
    p->nslots = n;
}

char *strpool_intern(strpool *p, const char *s, size_t n)
{
    if ((p->count + 1) * 2 > p->nslots)
        grow(p);
    size_t k = hash_fnv1a(s, n) & (p->nslots - 1);
    for (char *have; (have = p->slots[k]) != NULL; k = (k + 1) & (p->nslots - 1))
        if (strncmp(have, s, n) == 0 && have[n] == '\0')
            return have;
    p->count++;
    return p->slots[k] = copy_in(p, s, n);
}

size_t strpool_bytes(const strpool *p)
{
    return p->bytes + p->nslots * sizeof *p->slots;
}

void strpool_free(strpool *p)
{
    if (!p)
        return;
    for (block *b = p->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p->slots);
    free(p);
}
