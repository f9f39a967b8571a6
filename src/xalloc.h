/* xalloc.h: allocation that never returns NULL.
 *
 * Out of memory is fatal for an application like this one: the x* functions call
 * sm_fatal(), which runs the hook the front end installed (the UI restores the terminal)
 * and aborts. Nothing else in src/ ends the process. */
#ifndef SCHEMERGE_XALLOC_H
#define SCHEMERGE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow *items (of *cap elements of elem_size bytes) so it holds at least need elements. */
void xgrow(void **items, size_t *cap, size_t need, size_t elem_size);
char *xstrdup(const char *s);           /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once before aborting on a fatal error; the UI sets it to restore the terminal. */
void sm_set_fatal_hook(void (*hook)(const char *message));
_Noreturn void sm_fatal(const char *message);

/* Append one element to a growable array field pair: ARR/N/CAP are lvalues. */
#define XPUSH(arr, n, cap) \
    (xgrow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)), &(arr)[(n)++])

#endif
