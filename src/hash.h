/* hash.h: SHA-256 through OpenSSL's libcrypto, as lowercase hex. */
#ifndef SCHEMERGE_HASH_H
#define SCHEMERGE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SM_SHA256_HEX_LEN 64

/* Write the SHA-256 of data as 64 lowercase hex digits plus NUL into out. */
void sha256_hex(char out[SM_SHA256_HEX_LEN + 1], const void *data, size_t len);

/* The same digest over data given in pieces, so a large text need not sit in memory
 * whole: sha256_stream_new, any number of sha256_stream_add, then sha256_stream_finish,
 * which writes the hex as sha256_hex does and frees the stream. */
typedef struct sha256_stream sha256_stream;
sha256_stream *sha256_stream_new(void);
void sha256_stream_add(sha256_stream *s, const void *data, size_t len);
void sha256_stream_finish(sha256_stream *s, char out[SM_SHA256_HEX_LEN + 1]);

/* FNV-1a (64-bit) of data: a fast hash for hash tables and generated lookup tables, never
 * for anything that must resist collisions (that is SHA-256's job). */
uint64_t hash_fnv1a(const void *data, size_t len);

#endif
