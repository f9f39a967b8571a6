/* strbuf.h: the one growable string type.
 *
 * A strbuf is always NUL-terminated (buf is never NULL after strbuf_init), may hold NUL
 * bytes in the middle, and owns its memory until strbuf_detach or strbuf_release. */
#ifndef SCHEMERGE_STRBUF_H
#define SCHEMERGE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(strbuf *sb);
void strbuf_release(strbuf *sb);            /* frees; sb is empty and reusable afterwards */
char *strbuf_detach(strbuf *sb, size_t *len_out); /* caller owns the result (free()) */
void strbuf_reset(strbuf *sb);              /* length 0, keeps the memory */
void strbuf_grow(strbuf *sb, size_t extra);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void strbuf_addrepeat(strbuf *sb, char c, size_t n);
void strbuf_truncate(strbuf *sb, size_t len);
/* Borrowed, NUL-terminated view; "" for a never-used buffer. */
const char *strbuf_str(const strbuf *sb);

/* The appends are inline: the hot loops (a catalog's digest, a table's fingerprint) make
 * millions of them, most a few bytes into room already there. */
static inline void strbuf_add(strbuf *sb, const void *data, size_t len)
{
    if (sb->cap - sb->len <= len) /* also a buffer never used: cap 0 */
        strbuf_grow(sb, len);
    if (len)
        memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

static inline void strbuf_addch(strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

#endif
