/* fuzz_config.c: libFuzzer target for settings_parse. Any bytes: an error with a message,
 * or a config whose "files" paths never escape the repository (no absolute path, no ".."
 * component). Built only by `make fuzz`. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *p)
{
    assert(p && p[0] != '/');
    for (const char *s = p; *s; s++) {
        if ((s == p || s[-1] == '/') && s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
            assert(!"a files path escapes the repository");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sm_config *cfg = NULL;
    sm_error err = { 0 };
    if (settings_parse(&cfg, (const char *)data, size, ".schemerge.json", &err) < 0) {
        assert(err.what[0] != '\0');
        return 0;
    }
    check_path(cfg->file_enums);
    check_path(cfg->file_entities);
    check_path(cfg->file_relationships);
    check_path(cfg->file_version);
    assert(cfg->max_backups >= 1);
    for (size_t i = 0; i < cfg->ntable_names; i++)
        (void)settings_table_class(cfg, "public", cfg->table_names[i].db);
    settings_free(cfg);
    return 0;
}
