/* draw.h: drawing UTF-8 text into curses windows by columns: wide characters measured
 * with wcwidth (textwidth.h), truncation with an ellipsis, padding with the row's
 * attributes so that a highlighted row is highlighted to its end. */
#ifndef SCHEMERGE_DRAW_H
#define SCHEMERGE_DRAW_H

#include <stddef.h>

#include "curses_wrap.h"

/* Draw s at (y, x) in at most width columns with attr; returns the columns used.
 * When pad is set, the rest of width is filled with spaces in attr. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr, int pad);

/* As draw_text, for the first len bytes of s. */
int draw_textn(WINDOW *w, int y, int x, int width, const char *s, size_t len, attr_t attr, int pad);

/* s without its first cols columns (a wide character cut in two goes whole). */
const char *draw_skip_cols(const char *s, int cols);

/* Fill a row of width columns from x with spaces in attr. */
void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr);

/* Draw s from row y over at most maxlines rows of width columns, broken at spaces (a word
 * longer than a row is cut); the last row ends in an ellipsis when text is left. Returns
 * the rows used. */
int draw_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s, attr_t at);

#endif
