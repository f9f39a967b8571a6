/* verdicts.h: the texts CPython's verdict accepted, remembered by digest.
 *
 * The verdict on a file (pycheck.h) is most of the time of reading a 100,000-line schema
 * file, and it is a function of the file's bytes and of the schemerge that gave it.
 * .schemerge/verdicts keeps the SHA-256 of the texts this schemerge accepted when it last
 * read the project's files, and of those it last wrote, so that reading the same bytes
 * again need not ask again: the way git's index spares a status the files that did not
 * change. A text whose digest is not in the list is judged in full, every time; every
 * text schemerge writes is judged in full before it is written (apply.c), never through
 * this list, and only then added to it.
 *
 * The list names the schemerge version that wrote it, and another version's list is
 * ignored, since a new grammar may judge the same bytes differently. It is local state,
 * like the rest of .schemerge/ (git ignores it), and only ever written into a .schemerge/
 * that exists: a list that cannot be read or written costs time, never an error. */
#ifndef SCHEMERGE_VERDICTS_H
#define SCHEMERGE_VERDICTS_H

#include <stdbool.h>
#include <stddef.h>

#include "hash.h"

#define VERDICTS_FILE ".schemerge/verdicts"
/* a project has three files; a few more keep a file that flips between two texts */
#define VERDICTS_MAX 8

typedef struct verdicts {
    size_t n;
    char digests[VERDICTS_MAX][SM_SHA256_HEX_LEN + 1]; /* most recent first */
} verdicts;

/* The list under root, or an empty one (missing, unreadable, another version's, damaged). */
void verdicts_load(verdicts *v, const char *root);

/* Whether digest (SHA-256 hex of a text) is one CPython's verdict accepted. */
bool verdicts_known(const verdicts *v, const char *digest);

/* Put digests first in v (texts just accepted), and write the list under root when that
 * changed it and root's .schemerge/ exists. A failure to write is ignored (see above). */
void verdicts_remember(verdicts *v, const char *root, char (*digests)[SM_SHA256_HEX_LEN + 1],
                       size_t n);

#endif
