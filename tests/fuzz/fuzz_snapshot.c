/* fuzz_snapshot.c: libFuzzer target for snapshot_parse. A snapshot that parses must be
 * one valid JSON document as cJSON reads the whole text (snapshot_parse walks the top
 * level itself and hands cJSON one value at a time), and must write back
 * (snapshot_to_json) to text that parses to the same hash. Built only by `make fuzz`. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "snapshot.h"

/* Whether data is exactly one JSON value (white space around it allowed), by cJSON. */
static int whole_json(const char *data, size_t size)
{
    if (memchr(data, '\0', size))
        return 0;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, size, &end, 0);
    if (!root)
        return 0;
    cJSON_Delete(root);
    while (end < data + size && strchr(" \t\r\n", *end))
        end++;
    return end == data + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sm_catalog *cat = NULL;
    sm_error err = { 0 };
    if (snapshot_parse(&cat, (const char *)data, size, "fuzz.json", &err) < 0) {
        assert(err.what[0] != '\0');
        return 0;
    }
    assert(whole_json((const char *)data, size));
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
