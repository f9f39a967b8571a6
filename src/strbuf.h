/* strbuf.h: the one growable string type.
 *
 * A strbuf is always NUL-terminated (buf is never NULL after strbuf_init), may hold NUL
 * bytes in the middle, and owns its memory until strbuf_detach or strbuf_release. */
#ifndef SCHEMERGE_STRBUF_H
#define SCHEMERGE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

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
void strbuf_add(strbuf *sb, const void *data, size_t len);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addch(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void strbuf_addrepeat(strbuf *sb, char c, size_t n);
void strbuf_truncate(strbuf *sb, size_t len);
/* Borrowed, NUL-terminated view; "" for a never-used buffer. */
const char *strbuf_str(const strbuf *sb);

#endif
