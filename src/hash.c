/* hash.c: SHA-256 digests; libcrypto does the hashing, this file only formats. */
#include "config.h"
#include "hash.h"

#include <stdlib.h>

#include <openssl/evp.h>

#include "xalloc.h"

static void to_hex(char out[SM_SHA256_HEX_LEN + 1], const unsigned char *md, unsigned int mdlen)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[SM_SHA256_HEX_LEN] = '\0';
}

void sha256_hex(char out[SM_SHA256_HEX_LEN + 1], const void *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        sm_fatal("SHA-256 is not available from libcrypto");
    to_hex(out, md, mdlen);
}

struct sha256_stream {
    EVP_MD_CTX *ctx;
};

sha256_stream *sha256_stream_new(void)
{
    sha256_stream *s = xmalloc(sizeof *s);
    s->ctx = EVP_MD_CTX_new();
    if (!s->ctx || !EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL))
        sm_fatal("SHA-256 is not available from libcrypto");
    return s;
}

void sha256_stream_add(sha256_stream *s, const void *data, size_t len)
{
    if (len && !EVP_DigestUpdate(s->ctx, data, len))
        sm_fatal("SHA-256 update failed in libcrypto");
}

void sha256_stream_finish(sha256_stream *s, char out[SM_SHA256_HEX_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_DigestFinal_ex(s->ctx, md, &mdlen) || mdlen != 32)
        sm_fatal("SHA-256 is not available from libcrypto");
    EVP_MD_CTX_free(s->ctx);
    free(s);
    to_hex(out, md, mdlen);
}

uint64_t hash_fnv1a(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}
