/* align.h: line-by-line alignment of two texts for the side-by-side panes. A pure
 * function (no curses): lines equal on both sides (ignoring trailing white space) are
 * anchors from a longest common subsequence; between anchors the remaining lines are
 * paired up in order, and the longer side gets blanks opposite. */
#ifndef SCHEMERGE_ALIGN_H
#define SCHEMERGE_ALIGN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct align_row {
    int left;     /* index into the left lines, -1 for a blank */
    int right;    /* index into the right lines, -1 for a blank */
    bool same;    /* both present and equal */
} align_row;

/* Split text into lines (without their newlines; a final newline adds no empty line).
 * *out is a new array of new strings (align_lines_free). Tabs are expanded to 4
 * columns and carriage returns dropped, so that drawing never meets them. */
size_t align_split_lines(char ***out, const char *text, size_t len);
void align_lines_free(char **lines, size_t n);

/* Align left (nl lines) with right (nr lines). *out is a new array (free()) of the
 * returned number of rows. */
size_t align_lines(align_row **out, char *const *left, size_t nl, char *const *right, size_t nr);

#endif
