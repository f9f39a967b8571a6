/* strbuf.c: growable strings. */
#include "config.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void strbuf_init(strbuf *sb)
{
    sb->len = 0;
    sb->cap = 64;
    sb->buf = xmalloc(sb->cap);
    sb->buf[0] = '\0';
}

void strbuf_release(strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

char *strbuf_detach(strbuf *sb, size_t *len_out)
{
    if (!sb->buf)
        strbuf_init(sb);
    char *s = sb->buf;
    if (len_out)
        *len_out = sb->len;
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void strbuf_reset(strbuf *sb)
{
    strbuf_truncate(sb, 0);
}

void strbuf_grow(strbuf *sb, size_t extra)
{
    if (!sb->buf)
        strbuf_init(sb);
    if (extra >= ((size_t)-1) - sb->len - 1)
        sm_fatal("out of memory");
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap;
    while (cap < need)
        cap = cap < 1024 * 1024 ? cap * 2 : cap + cap / 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void strbuf_adds(strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        sm_fatal("bad format string");
    strbuf_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_addrepeat(strbuf *sb, char c, size_t n)
{
    strbuf_grow(sb, n);
    memset(sb->buf + sb->len, c, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_truncate(strbuf *sb, size_t len)
{
    if (!sb->buf)
        strbuf_init(sb);
    if (len < sb->len) {
        sb->len = len;
        sb->buf[len] = '\0';
    }
}

const char *strbuf_str(const strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}
