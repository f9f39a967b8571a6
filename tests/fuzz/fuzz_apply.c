/* fuzz_apply.c: libFuzzer target for the apply path: edit.c's splices and merge.c's
 * three-way merge, as apply.c combines them.
 *
 * Input: byte 0 picks the target file (enums, entities, relationships), bytes 1-8 are a
 * bit mask picking the accepted subset of the changes, the rest is the Python-ish file.
 * The changes are computed by drift_compute against a fixture snapshot (FUZZ_SNAPSHOT).
 * theirs = edit_build(file, accepted); the merge of (base = file, ours = file, theirs) must
 * be clean, and whenever the file parsed, the result must parse too: schemerge must never
 * turn a valid file into an invalid one. Built only by `make fuzz`. */
#include "config.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "drift.h"
#include "edit.h"
#include "merge.h"
#include "pyparse.h"
#include "snapshot.h"
#include "typemap.h"

#ifndef FUZZ_SNAPSHOT
#define FUZZ_SNAPSHOT "tests/fixtures/snapshots/small.json"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static sm_catalog *fixture;
static sm_config *cfg;
static const char *const paths[TARGET_COUNT] = { "schemas/enums.py", "schemas/database/entities.py",
                                                 "schemas/database/relationships.py" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sm_error err = { 0 };
    const char *snap = getenv("FUZZ_SNAPSHOT");
    if (snapshot_read_file(&fixture, snap ? snap : FUZZ_SNAPSHOT, &err) < 0) {
        fprintf(stderr, "fuzz_apply: %s\n", err.what);
        abort();
    }
    static const char json[] = "{\"schemas\": [\"public\", \"audit\"], \"relationships\": [\"log\"]}";
    if (settings_parse(&cfg, json, sizeof json - 1, "fuzz.json", &err) < 0) {
        fprintf(stderr, "fuzz_apply: %s\n", err.what);
        abort();
    }
    return 0;
}

static const char *enum_class_cb(const char *schema, const char *name, void *payload)
{
    return drift_enum_class(payload, schema, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9 || size > 65536)
        return 0;
    sm_target t = (sm_target)(data[0] % TARGET_COUNT);
    uint64_t mask = 0;
    for (int i = 0; i < 8; i++)
        mask = mask << 8 | data[1 + i];
    const char *text = (const char *)data + 9;
    size_t len = size - 9;

    py_file *f = NULL;
    sm_error err = { 0 };
    if (pyfile_parse(&f, paths[t], text, len, &err) < 0)
        return 0; /* the property is about files that parse */

    drift_input in = { .db = fixture, .config = cfg };
    for (int i = 0; i < TARGET_COUNT; i++)
        in.paths[i] = paths[i];
    in.files[t] = f;
    sm_changeset *cs = NULL;
    if (drift_compute(&cs, &in, &err) < 0) {
        pyfile_free(f);
        return 0;
    }
    const sm_change **mine = calloc(cs->n + 1, sizeof *mine);
    size_t n = 0;
    for (size_t i = 0; i < cs->n; i++)
        if (cs->items[i].target == t && !cs->items[i].reason && (mask >> (i % 64) & 1))
            mine[n++] = &cs->items[i];

    typemap_ctx ctx = { .config = cfg, .catalog = fixture, .enum_class = enum_class_cb, .payload = cs };
    edit_request req = { .base = f, .target = t, .enums_module = "schemas.enums", .changes = mine,
                         .nchanges = n, .types = &ctx };
    char **reasons = calloc(n + 1, sizeof *reasons);
    strbuf theirs = STRBUF_INIT;
    if (edit_build(&theirs, &req, reasons, &err) == 0) {
        merge_result *m = NULL;
        int rc = merge_three(&m, f->text, f->len, f->text, f->len, theirs.buf, theirs.len, paths[t], &err);
        assert(rc == 0);
        assert(!m->conflicted);
        py_file *again = NULL;
        sm_error err2 = { 0 };
        if (pyfile_parse(&again, paths[t], m->text, m->len, &err2) < 0) {
            fprintf(stderr, "fuzz_apply: the result does not parse: %s\n---- result:\n%.*s\n----\n",
                    err2.what, (int)m->len, m->text);
            abort();
        }
        pyfile_free(again);
        merge_result_free(m);
    }
    for (size_t i = 0; i < n; i++)
        free(reasons[i]);
    free(reasons);
    strbuf_release(&theirs);
    free(mine);
    drift_free(cs);
    pyfile_free(f);
    return 0;
}
