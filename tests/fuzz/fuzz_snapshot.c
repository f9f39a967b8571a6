/* fuzz_snapshot.c: libFuzzer target for snapshot_parse. A snapshot that parses must
 * write back (snapshot_to_json) to text that parses to the same hash. Built only by
 * `make fuzz`. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sm_catalog *cat = NULL;
    sm_error err = { 0 };
    if (snapshot_parse(&cat, (const char *)data, size, "fuzz.json", &err) < 0) {
        assert(err.what[0] != '\0');
        return 0;
    }
    strbuf sb = STRBUF_INIT;
    snapshot_to_json(&sb, cat);
    sm_catalog *again = NULL;
    int rc = snapshot_parse(&again, sb.buf, sb.len, "again.json", &err);
    assert(rc == 0);
    char h1[SM_DB_HASH_LEN], h2[SM_DB_HASH_LEN];
    snapshot_hash(h1, cat);
    snapshot_hash(h2, again);
    assert(strcmp(h1, h2) == 0);
    catalog_free(again);
    strbuf_release(&sb);
    catalog_free(cat);
    return 0;
}
