/* utf8.c: UTF-8 decoding and the terminal-safe form of untrusted text (utf8.h). */
#include "config.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

size_t utf8_decode(uint32_t *cp, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    *cp = UTF8_INVALID;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 1;
    }
    if (n < len || u[1] < lo || u[1] > hi)
        return 1;
    for (size_t k = 1; k < len; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 1;
        v = (v << 6) | (u[k] & 0x3F);
    }
    *cp = v;
    return len;
}

size_t utf8_prev(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80) {
    }
    return i;
}

size_t utf8_next(const char *s, size_t i)
{
    if (!s[i])
        return i;
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

size_t utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

void utf8_line_col(const char *text, size_t off, size_t *line, size_t *col)
{
    size_t start = 0;
    *line = 1;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *col = 1 + utf8_count(text + start, off - start);
}

void utf8_put(strbuf *out, uint32_t cp)
{
    char b[4];
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        strbuf_addch(out, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        strbuf_add(out, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        strbuf_add(out, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        strbuf_add(out, b, 4);
    }
}

bool utf8_is_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void utf8_escape_unsafe(strbuf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* printable ASCII runs are copied whole: the common case */
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F)
            run++;
        if (run > i) {
            strbuf_add(out, s + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(&cp, s + i, n - i);
        if (cp == UTF8_INVALID || cp < 0x80)
            strbuf_addf(out, "\\x%02x", (unsigned char)s[i]);
        else if (utf8_is_unsafe(cp))
            strbuf_addf(out, "\\u%04x", (unsigned)cp);
        else
            strbuf_add(out, s + i, len);
        i += len;
    }
}

bool utf8_needs_escape(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp;
        i += utf8_decode(&cp, s + i, n - i);
        if (cp == UTF8_INVALID || utf8_is_unsafe(cp))
            return true;
    }
    return false;
}

char *utf8_escaped(const char *s)
{
    if (!s)
        return NULL;
    strbuf sb = STRBUF_INIT;
    utf8_escape_unsafe(&sb, s, strlen(s));
    return strbuf_detach(&sb, NULL);
}
