/* draw.c: column-exact text drawing. Characters are handed to curses as wchar_t one
 * cell group at a time, after textwidth.c decided what fits. Control characters, C1
 * controls and bidi controls are drawn escaped ("\x1b", "\u202e"), so that nothing the
 * database or the files contain can move the cursor or reorder the screen. */
#include "config.h"
#include "draw.h"

#include <string.h>
#include <wchar.h>

#include "strbuf.h"
#include "textwidth.h"
#include "utf8.h"

void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
    wattrset(w, attr);
    for (int i = 0; i < width; i++)
        mvwaddch(w, y, x + i, ' ');
    wattrset(w, A_NORMAL);
}

int draw_textn(WINDOW *w, int y, int x, int width, const char *text, size_t text_len, attr_t attr, int pad)
{
    if (width <= 0)
        return 0;
    /* names from the database and texts from the files: escaped, never sent raw (utf8.h) */
    strbuf safe = STRBUF_INIT;
    const char *s = text;
    size_t len = text_len;
    for (size_t k = 0; k < text_len; k++) {
        unsigned char b = (unsigned char)text[k];
        if (b < 0x20 || b >= 0x7F) { /* only then can anything need escaping */
            utf8_escape_unsafe(&safe, text, text_len);
            s = safe.buf;
            len = safe.len;
            break;
        }
    }
    int cols = 0;
    bool truncated = false;
    size_t fit = text_fit(s, len, width, &cols, &truncated);
    wattrset(w, attr);
    wmove(w, y, x);
    wchar_t buf[256];
    int nb = 0;
    size_t i = 0;
    while (i < fit) {
        wchar_t wc;
        i += text_decode(&wc, s + i, fit - i);
        if (wc < 0x20 || wc == 0x7F)
            wc = 0xFFFD;
        buf[nb++] = wc;
        if (nb == (int)(sizeof buf / sizeof *buf)) {
            waddnwstr(w, buf, nb);
            nb = 0;
        }
    }
    if (nb)
        waddnwstr(w, buf, nb);
    if (truncated) {
        waddnwstr(w, L"\x2026", 1);
        cols++;
    }
    if (pad) {
        for (int k = cols; k < width; k++)
            waddch(w, ' ');
    }
    wattrset(w, A_NORMAL);
    strbuf_release(&safe);
    return pad ? width : cols;
}

int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr, int pad)
{
    return draw_textn(w, y, x, width, s ? s : "", s ? strlen(s) : 0, attr, pad);
}

/* Draw s from row y over at most maxlines rows of width columns, broken at spaces (a
 * word longer than a row is cut); the last row ends in an ellipsis when text is left.
 * Returns the rows used. An error's cause comes at the end of its message, after the
 * conninfo: a single truncated row would cut exactly that off. */
int draw_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s, attr_t at)
{
    size_t len = strlen(s);
    int rows = 0;
    while (len && rows < maxlines) {
        int cols;
        bool truncated;
        size_t fit = text_fit(s, len, width, &cols, &truncated);
        if (!truncated || rows == maxlines - 1 || fit == 0) {
            draw_textn(w, y + rows++, x, width, s, len, at, 0);
            break;
        }
        size_t cut = fit;
        while (cut > 0 && s[cut] != ' ')
            cut--;
        if (cut == 0)
            cut = fit;
        draw_textn(w, y + rows++, x, width, s, cut, at, 0);
        while (cut < len && s[cut] == ' ')
            cut++;
        s += cut;
        len -= cut;
    }
    return rows;
}

const char *draw_skip_cols(const char *s, int cols)
{
    size_t len = strlen(s), i = 0;
    int w = 0;
    while (i < len && w < cols) {
        wchar_t wc;
        i += text_decode(&wc, s + i, len - i);
        w += text_char_width(wc);
    }
    return s + i;
}
