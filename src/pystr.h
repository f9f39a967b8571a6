/* pystr.h: Python string literals: the one decoder of them in schemerge (the parser's
 * member values, annotations' string literals and CPython's verdict all use it), and the
 * Unicode character names \N{...} accepts. */
#ifndef SCHEMERGE_PYSTR_H
#define SCHEMERGE_PYSTR_H

#include <stddef.h>

#include "strbuf.h"

typedef enum pystr_result {
    PYSTR_OK = 0,
    PYSTR_NOT_STR = 1, /* bytes or an f-string, or it decodes to a NUL a C string cannot carry */
    PYSTR_BAD = -1,    /* a malformed literal or escape, which CPython rejects */
} pystr_result;

/* Decode one string literal token tok[0..len) (prefixes, quotes, escapes; line endings
 * inside it read as "\n", as in Python), appending the UTF-8 value to sb. On PYSTR_BAD
 * *why is the unicodeescape codec's reason, and *from and *to the byte positions in the
 * literal's body that CPython's message gives. */
int pystr_decode(strbuf *sb, const char *tok, size_t len, const char **why, size_t *from, size_t *to);

/* The same as a new string (free()), or NULL when it is not a str literal or is malformed.
 * A lone surrogate (\ud800) becomes U+FFFD. */
char *py_string_decode(const char *tok, size_t len);

/* \N{NAME}: the code point CPython 3.11 gives name[0..len) (any case; Unicode 14 names,
 * aliases, CJK unified ideographs and Hangul syllables by rule), or -1 for none. */
long pystr_char_named(const char *name, size_t len);

#endif
