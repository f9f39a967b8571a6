/* parallel.h: two halves of a piece of work at once, on a machine's second core. */
#ifndef SCHEMERGE_PARALLEL_H
#define SCHEMERGE_PARALLEL_H

#include <stdbool.h>

/* fn(first) on this thread and fn(second) on another, returning when both are done; both
 * here, first then second, when two_threads is false or no thread can be made. fn must
 * not touch what the other half writes. */
void parallel_pair(void *(*fn)(void *), void *first, void *second, bool two_threads);

#endif
