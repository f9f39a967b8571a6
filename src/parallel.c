/* parallel.c: two halves of a piece of work at once (parallel.h). */
#include "config.h"
#include "parallel.h"

#include <pthread.h>

void parallel_pair(void *(*fn)(void *), void *first, void *second, bool two_threads)
{
    pthread_t helper;
    if (!two_threads || pthread_create(&helper, NULL, fn, second) != 0) {
        fn(first);
        fn(second);
        return;
    }
    fn(first);
    pthread_join(helper, NULL);
}
