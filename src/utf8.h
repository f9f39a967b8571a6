/* utf8.h: UTF-8 decoding, and untrusted text made safe for a terminal.
 *
 * Names come from the database, and a hostile one can hold ESC, BEL or a bidi override
 * that rewrites the user's terminal or reorders what they read (SPEC 8). Every text output
 * (diff, report, update, status, error messages, the UI) shows them escaped: "\x1b" for
 * a control character or a byte that is not UTF-8, "\u202e" for a C1 control or a bidi
 * control. JSON and SARIF carry the exact value instead. */
#ifndef SCHEMERGE_UTF8_H
#define SCHEMERGE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define UTF8_INVALID 0xFFFFFFFFu

/* Decode the character at s[0..n) (n >= 1): its code point in *cp and its length in
 * bytes (1..4). A byte that does not start a valid sequence (overlong, surrogate, above
 * U+10FFFF, truncated) gives UTF8_INVALID and length 1, so a loop always advances. */
size_t utf8_decode(uint32_t *cp, const char *s, size_t n);

/* The offset of the character before offset i of s (0 at the start): a cursor moving
 * back over one character, never into the middle of one. */
size_t utf8_prev(const char *s, size_t i);
/* The offset after the character at offset i of s (NUL-terminated; i at the NUL stays). */
size_t utf8_next(const char *s, size_t i);

/* How many characters s[0..n) holds (its continuation bytes not counted). */
size_t utf8_count(const char *s, size_t n);

/* The line and column, both from 1, of byte off of text (the column in characters), for
 * messages that point into a file. */
void utf8_line_col(const char *text, size_t off, size_t *line, size_t *col);

/* Append cp encoded as UTF-8 (a surrogate or a value above U+10FFFF as U+FFFD). */
void utf8_put(strbuf *out, uint32_t cp);

/* Whether cp must not reach a terminal as it is: C0 controls (tab and newline too), DEL,
 * C1 controls, and the bidi controls U+061C, U+200E, U+200F, U+202A-U+202E and
 * U+2066-U+2069. */
bool utf8_is_unsafe(uint32_t cp);

/* Append s[0..n) with every unsafe character and every invalid byte escaped. */
void utf8_escape_unsafe(strbuf *out, const char *s, size_t n);

/* Whether s (NUL-terminated) has anything utf8_escape_unsafe would change. */
bool utf8_needs_escape(const char *s);

/* s escaped as a new string (free()); NULL for NULL. */
char *utf8_escaped(const char *s);

#endif
