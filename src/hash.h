/* hash.h: SHA-256 through OpenSSL's libcrypto, as lowercase hex. */
#ifndef SCHEMERGE_HASH_H
#define SCHEMERGE_HASH_H

#include <stddef.h>

#define SM_SHA256_HEX_LEN 64

/* Write the SHA-256 of data as 64 lowercase hex digits plus NUL into out. */
void sha256_hex(char out[SM_SHA256_HEX_LEN + 1], const void *data, size_t len);

#endif
