/* textwidth.c: UTF-8 decoding and column arithmetic for drawing. Decodes by hand rather
 * than through mbrtowc so that the answer does not depend on the process locale: the
 * files are UTF-8 even when LANG says otherwise. */
#include "config.h"
#include "textwidth.h"

#include <wchar.h>

size_t text_decode(wchar_t *wc, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    size_t len;
    unsigned cp, min;
    if (c < 0x80) {
        *wc = (wchar_t)c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        goto bad;
    }
    if (len > n)
        goto bad;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            goto bad;
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    /* overlong forms and surrogates are not characters */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        goto bad;
    *wc = (wchar_t)cp;
    return len;
bad:
    *wc = 0xFFFD;
    return 1;
}

int text_char_width(wchar_t wc)
{
    if (wc < 0x20 || wc == 0x7F)
        return 1;
    int w = wcwidth(wc);
    if (w < 0) {
        /* wcwidth knows nothing outside the locale's charset (a C locale): guess the
         * common wide ranges so that CJK and emoji still line up */
        if ((wc >= 0x1100 && wc <= 0x115F) || (wc >= 0x2E80 && wc <= 0xA4CF) ||
            (wc >= 0xAC00 && wc <= 0xD7A3) || (wc >= 0xF900 && wc <= 0xFAFF) ||
            (wc >= 0xFE30 && wc <= 0xFE4F) || (wc >= 0xFF00 && wc <= 0xFF60) ||
            (wc >= 0xFFE0 && wc <= 0xFFE6) || (wc >= 0x1F300 && wc <= 0x1FAFF) ||
            (wc >= 0x20000 && wc <= 0x3FFFD))
            return 2;
        return 1;
    }
    return w;
}

int text_width(const char *s, size_t len)
{
    int cols = 0;
    size_t i = 0;
    while (i < len) {
        wchar_t wc;
        i += text_decode(&wc, s + i, len - i);
        cols += text_char_width(wc);
    }
    return cols;
}

size_t text_fit(const char *s, size_t len, int width, int *cols_out, bool *truncated)
{
    *truncated = false;
    if (width <= 0) {
        *cols_out = 0;
        *truncated = len > 0;
        return 0;
    }
    if (text_width(s, len) <= width) {
        *cols_out = text_width(s, len);
        return len;
    }
    /* keep one column for the ellipsis */
    int cols = 0;
    size_t i = 0;
    while (i < len) {
        wchar_t wc;
        size_t n = text_decode(&wc, s + i, len - i);
        int w = text_char_width(wc);
        if (cols + w > width - 1)
            break;
        cols += w;
        i += n;
    }
    *cols_out = cols;
    *truncated = true;
    return i;
}
