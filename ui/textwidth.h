/* textwidth.h: display width of UTF-8 text in terminal columns, and truncation by
 * columns (never by bytes), for drawing. Pure functions: no curses, no locale state
 * beyond the UTF-8 decoding itself (the text is always UTF-8, whatever the locale). */
#ifndef SCHEMERGE_TEXTWIDTH_H
#define SCHEMERGE_TEXTWIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Decode one UTF-8 character of s (at most n bytes). Stores the code point in *wc and
 * returns its length in bytes (1..4). Invalid or truncated sequences decode as U+FFFD
 * and consume one byte, so a loop always advances. n must be at least 1. */
size_t text_decode(wchar_t *wc, const char *s, size_t n);

/* Columns one code point takes: wcwidth, with control characters and characters
 * wcwidth does not know counted as 1 (they are drawn as a replacement), combining
 * marks as 0, tabs as 1 (callers expand tabs first). */
int text_char_width(wchar_t wc);

/* The width of the first len bytes of s in columns. */
int text_width(const char *s, size_t len);

/* How many bytes of s (len bytes) fit in width columns. When the whole text does not
 * fit, room is kept for a one-column ellipsis and *truncated is set; *cols_out gets the
 * columns the returned bytes take (without the ellipsis). A wide character that would
 * straddle the edge is left out whole. */
size_t text_fit(const char *s, size_t len, int width, int *cols_out, bool *truncated);

#endif
