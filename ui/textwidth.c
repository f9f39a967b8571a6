/* textwidth.c: column arithmetic for drawing. Decodes with utf8.h rather than through
 * mbrtowc so that the answer does not depend on the process locale: the files are UTF-8
 * even when LANG says otherwise. */
#include "config.h"
#include "textwidth.h"

#include <stdint.h>
#include <wchar.h>

#include "utf8.h"

size_t text_decode(wchar_t *wc, const char *s, size_t n)
{
    uint32_t cp;
    size_t len = utf8_decode(&cp, s, n);
    *wc = cp == UTF8_INVALID ? (wchar_t)0xFFFD : (wchar_t)cp;
    return len;
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
