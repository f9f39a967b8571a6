/* align.c: the alignment behind the side-by-side panes. A class is at most a few
 * hundred lines, so the quadratic LCS table is small; it is capped anyway, and past the
 * cap the lines are paired in order. */
#include "config.h"
#include "align.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

#define ALIGN_MAX_CELLS (4u * 1024 * 1024)

size_t align_split_lines(char ***out, const char *text, size_t len)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        strbuf sb = STRBUF_INIT;
        int col = 0;
        for (size_t k = i; k < e; k++) {
            if (text[k] == '\r')
                continue;
            if (text[k] == '\t') {
                do {
                    strbuf_addch(&sb, ' ');
                } while (++col % 4);
                continue;
            }
            strbuf_addch(&sb, text[k]);
            col++;
        }
        *XPUSH(v, n, cap) = strbuf_detach(&sb, NULL);
        i = e + 1;
    }
    *out = v;
    return n;
}

void align_lines_free(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

static size_t trimmed_len(const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n;
}

static bool lines_equal(const char *a, const char *b)
{
    size_t la = trimmed_len(a), lb = trimmed_len(b);
    return la == lb && memcmp(a, b, la) == 0;
}

size_t align_lines(align_row **out, char *const *left, size_t nl, char *const *right, size_t nr)
{
    align_row *rows = NULL;
    size_t n = 0, cap = 0;
    unsigned *t = NULL;
    if ((nl + 1) * (nr + 1) <= ALIGN_MAX_CELLS)
        t = xcalloc((nl + 1) * (nr + 1), sizeof *t);
    /* t[i][j]: LCS length of left[i..] and right[j..] */
#define T(i, j) t[(i) * (nr + 1) + (j)]
    if (t) {
        for (size_t i = nl; i-- > 0;)
            for (size_t j = nr; j-- > 0;)
                T(i, j) = lines_equal(left[i], right[j]) ? T(i + 1, j + 1) + 1
                          : T(i + 1, j) > T(i, j + 1)    ? T(i + 1, j)
                                                         : T(i, j + 1);
    }
    size_t i = 0, j = 0;
    while (i < nl || j < nr) {
        if (t && i < nl && j < nr && lines_equal(left[i], right[j])) {
            *XPUSH(rows, n, cap) = (align_row){ (int)i, (int)j, true };
            i++, j++;
            continue;
        }
        /* a run of unmatched lines on each side up to the next anchor */
        size_t ei = i, ej = j;
        if (t) {
            while (ei < nl || ej < nr) {
                if (ei < nl && ej < nr && lines_equal(left[ei], right[ej]) &&
                    T(ei, ej) == T(ei + 1, ej + 1) + 1)
                    break;
                if (ej >= nr || (ei < nl && T(ei + 1, ej) >= T(ei, ej + 1)))
                    ei++;
                else
                    ej++;
            }
        } else {
            ei = nl, ej = nr;
        }
        size_t a = ei - i, b = ej - j;
        for (size_t k = 0; k < a || k < b; k++)
            *XPUSH(rows, n, cap) = (align_row){ k < a ? (int)(i + k) : -1, k < b ? (int)(j + k) : -1,
                                                false };
        i = ei, j = ej;
    }
#undef T
    free(t);
    *out = rows;
    return n;
}
