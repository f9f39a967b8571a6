/* strpool.h: strings that live exactly as long as their pool.
 *
 * A catalog of 5,000 tables has 105,000 columns, each with a name, a type's name, often a
 * default and a comment: as separate allocations that is a few hundred thousand small
 * blocks, each with malloc's own header, and the same "text", "now()" and "id" again and
 * again. A pool keeps each distinct string once, in large blocks, and frees them all at
 * once. Not thread-safe: one builder at a time. */
#ifndef SCHEMERGE_STRPOOL_H
#define SCHEMERGE_STRPOOL_H

#include <stddef.h>

typedef struct strpool strpool;

strpool *strpool_new(void);
/* A copy of s[0..n) plus a NUL that lives as long as p: the same pointer for equal
 * strings. s[0..n) holds no NUL. Never NULL. */
char *strpool_intern(strpool *p, const char *s, size_t n);
/* How many bytes p holds (its blocks and its table), for measurements. */
size_t strpool_bytes(const strpool *p);
/* Free p and every string it gave out. NULL is allowed. */
void strpool_free(strpool *p);

#endif
