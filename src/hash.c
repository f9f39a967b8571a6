/* hash.c: SHA-256 digests; libcrypto does the hashing, this file only formats. */
#include "config.h"
#include "hash.h"

#include <openssl/evp.h>

#include "xalloc.h"

void sha256_hex(char out[SM_SHA256_HEX_LEN + 1], const void *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        sm_fatal("SHA-256 is not available from libcrypto");
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[SM_SHA256_HEX_LEN] = '\0';
}
