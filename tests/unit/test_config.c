/* test_config.c: defaults, every key, every error (one row per bad input and its exact
 * message), the search order of settings_load over tests/fixtures/config/, and the seed
 * tool's schema_sync_config.json (unknown keys become warnings). */
#include "config.h"
#include "settings.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DIR FIXTURES "/config"

static sm_config *parse_ok(const char *json, const char *name)
{
    sm_config *cfg = NULL;
    sm_error err = SM_ERROR_INIT;
    if (settings_parse(&cfg, json, strlen(json), name, &err) < 0)
        fail_msg("%s: %s (%s)", json, err.what, err.hint);
    return cfg;
}

static void test_defaults(void **state)
{
    (void)state;
    sm_config *cfg = settings_default();
    assert_null(cfg->path);
    assert_int_equal(cfg->nschemas, 1);
    assert_string_equal(cfg->schemas[0], "public");
    assert_false(cfg->views);
    assert_string_equal(cfg->file_enums, "schemas/enums.py");
    assert_string_equal(cfg->file_entities, "schemas/database/entities.py");
    assert_string_equal(cfg->file_relationships, "schemas/database/relationships.py");
    assert_string_equal(cfg->file_version, "schemas/schema_version.py");
    for (int k = 0; k < CHANGE_KIND_COUNT; k++)
        assert_int_equal(cfg->severity[k], change_kind_default_severity((sm_change_kind)k));
    assert_int_equal(cfg->fail_on, SEV_LOW);
    assert_int_equal(cfg->max_backups, 10);
    assert_string_equal(cfg->commit_message, "chore: sync schemas with database");
    assert_int_equal(cfg->statement_timeout_ms, 30000);
    assert_false(cfg->enum_columns_class);
    assert_int_equal(cfg->nwarnings, 0);
    settings_free(cfg);
    settings_free(NULL);

    cfg = parse_ok("{}", ".schemerge.json");
    assert_string_equal(cfg->path, ".schemerge.json");
    assert_int_equal(cfg->max_backups, 10);
    settings_free(cfg);
}

/* The documented example sets every key; read it as a user would. */
static void test_every_key(void **state)
{
    sm_config *cfg = NULL;
    sm_error err = SM_ERROR_INIT;
    (void)state;

    assert_int_equal(settings_load(&cfg, DIR "/full", NULL, &err), 0);
    assert_string_equal(cfg->path, ".schemerge.json");
    assert_int_equal(cfg->nschemas, 1);
    assert_false(cfg->views);
    assert_int_equal(cfg->nrelationships, 2);
    assert_true(settings_is_relationship(cfg, "public", "project_members"));
    assert_true(settings_is_relationship(cfg, "public", "user_roles"));
    assert_false(settings_is_relationship(cfg, "public", "users"));
    assert_string_equal(settings_table_class(cfg, "public", "Account"), "OAuthAccountRow");
    assert_string_equal(settings_table_class(cfg, "auth", "users"), "AuthUserRow");
    assert_null(settings_table_class(cfg, "public", "users"));
    assert_string_equal(settings_enum_class(cfg, "public", "project_status"), "ProjectStatusType");
    assert_null(settings_enum_class(cfg, "public", "mood"));
    assert_true(settings_is_ignored(cfg, "SortOrder"));
    assert_false(settings_is_ignored(cfg, "UserRow"));
    /* "exclude": globs on the name, schema.name when the pattern has a dot */
    assert_true(settings_is_excluded(cfg, "public", "audit_log"));
    assert_true(settings_is_excluded(cfg, "auth", "audit_trail"));
    assert_false(settings_is_excluded(cfg, "public", "users"));
    assert_true(settings_is_excluded(cfg, "auth", "sessions"));
    assert_false(settings_is_excluded(cfg, "public", "sessions"));
    assert_string_equal(settings_type_override(cfg, "numeric"), "Decimal");
    assert_string_equal(settings_type_override(cfg, "timestamp with time zone"), "datetime");
    assert_string_equal(settings_type_override(cfg, "NUMERIC"), "Decimal");
    assert_null(settings_type_override(cfg, "text"));
    assert_false(cfg->enum_columns_class);
    assert_int_equal(cfg->severity[CHANGE_COLUMN_ADDED], SEV_LOW);
    assert_int_equal(cfg->severity[CHANGE_ENUM_VALUES_REORDERED], SEV_MEDIUM);
    assert_int_equal(cfg->severity[CHANGE_TABLE_REMOVED], SEV_CRITICAL);
    assert_int_equal(cfg->fail_on, SEV_HIGH);
    assert_int_equal(cfg->max_backups, 10);
    assert_int_equal(cfg->statement_timeout_ms, 30000);
    assert_int_equal(cfg->nwarnings, 0);
    settings_free(cfg);

    cfg = parse_ok("{\"schemas\": [\"public\", \"auth\"], \"views\": true, "
                   "\"files\": {\"enums\": \"./py/./enums.py\", \"version\": \"a/../v.py\"}, "
                   "\"enum_columns\": \"class\", \"max_backups\": 1, "
                   "\"statement_timeout_ms\": 0, \"commit_message\": \"sync\", "
                   "\"fail_on\": \"CRITICAL\", \"severity\": {\"Column_Added\": \"High\"}}",
                   "x.json");
    assert_int_equal(cfg->nschemas, 2);
    assert_string_equal(cfg->schemas[1], "auth");
    assert_true(cfg->views);
    assert_string_equal(cfg->file_enums, "py/enums.py");
    assert_string_equal(cfg->file_version, "v.py");
    assert_string_equal(cfg->file_entities, "schemas/database/entities.py");
    assert_true(cfg->enum_columns_class);
    assert_int_equal(cfg->max_backups, 1);
    assert_int_equal(cfg->statement_timeout_ms, 0);
    assert_string_equal(cfg->commit_message, "sync");
    assert_int_equal(cfg->fail_on, SEV_CRITICAL);
    assert_int_equal(cfg->severity[CHANGE_COLUMN_ADDED], SEV_HIGH);
    settings_free(cfg);
}

/* Bad input -> code and the exact message. */
static const struct {
    const char *json;
    int code;
    const char *what;
} error_rows[] = {
    { "{\"schemass\": []}", ERR_CONFIG, ".schemerge.json: schemass: unknown key" },
    { "{\"severity\": {\"column_addd\": \"low\"}}", ERR_CONFIG,
      ".schemerge.json: severity.column_addd: unknown change kind" },
    { "{\"severity\": {\"column_added\": \"urgent\"}}", ERR_CONFIG,
      ".schemerge.json: severity.column_added: unknown severity \"urgent\"" },
    { "{\"severity\": {\"column_added\": 3}}", ERR_CONFIG,
      ".schemerge.json: severity.column_added: expected a severity name, got a number" },
    { "{\"severity\": []}", ERR_CONFIG,
      ".schemerge.json: severity: expected an object of change kind -> severity, got an array" },
    { "{\"fail_on\": \"none\"}", ERR_CONFIG, ".schemerge.json: fail_on: unknown severity \"none\"" },
    { "{\"schemas\": \"public\"}", ERR_CONFIG,
      ".schemerge.json: schemas: expected an array of strings, got a string" },
    { "{\"schemas\": [\"public\", 1]}", ERR_CONFIG,
      ".schemerge.json: schemas[1]: expected a string, got a number" },
    { "{\"schemas\": [\"\"]}", ERR_CONFIG, ".schemerge.json: schemas[0]: empty string" },
    { "{\"schemas\": []}", ERR_CONFIG, ".schemerge.json: schemas: names no schema" },
    { "{\"views\": \"yes\"}", ERR_CONFIG,
      ".schemerge.json: views: expected true or false, got a string" },
    { "{\"files\": []}", ERR_CONFIG, ".schemerge.json: files: expected an object, got an array" },
    { "{\"files\": {\"models\": \"x.py\"}}", ERR_CONFIG, ".schemerge.json: files.models: unknown key" },
    { "{\"files\": {\"enums\": 1}}", ERR_CONFIG,
      ".schemerge.json: files.enums: expected a path (string), got a number" },
    { "{\"files\": {\"enums\": \"\"}}", ERR_CONFIG, ".schemerge.json: files.enums: empty path" },
    { "{\"files\": {\"enums\": \"a/..\"}}", ERR_CONFIG,
      ".schemerge.json: files.enums: path names no file" },
    { "{\"files\": {\"enums\": \"/etc/passwd\"}}", ERR_UNSAFE,
      ".schemerge.json: files.enums: absolute path \"/etc/passwd\" refused" },
    { "{\"files\": {\"enums\": \"../../x.py\"}}", ERR_UNSAFE,
      ".schemerge.json: files.enums: path \"../../x.py\" leads outside the repository root" },
    { "{\"files\": {\"entities\": \"a/../../x.py\"}}", ERR_UNSAFE,
      ".schemerge.json: files.entities: path \"a/../../x.py\" leads outside the repository root" },
    { "{\"files\": {\"version\": \"~/v.py\"}}", ERR_UNSAFE,
      ".schemerge.json: files.version: absolute path \"~/v.py\" refused" },
    { "{\"relationships\": {}}", ERR_CONFIG,
      ".schemerge.json: relationships: expected an array of strings, got an object" },
    { "{\"names\": {\"views\": {}}}", ERR_CONFIG, ".schemerge.json: names.views: unknown key" },
    { "{\"names\": {\"tables\": {\"a\": 1}}}", ERR_CONFIG,
      ".schemerge.json: names.tables.a: expected a string, got a number" },
    { "{\"names\": {\"tables\": {\"a\": \"Not A Class\"}}}", ERR_CONFIG,
      ".schemerge.json: names.tables.a: \"Not A Class\" is not a Python class name" },
    { "{\"names\": {\"enums\": {\"a\": \"class\"}}}", ERR_CONFIG,
      ".schemerge.json: names.enums.a: \"class\" is not a Python class name" },
    { "{\"names\": []}", ERR_CONFIG,
      ".schemerge.json: names: expected an object with \"tables\" and \"enums\", got an array" },
    { "{\"ignore\": [null]}", ERR_CONFIG, ".schemerge.json: ignore[0]: expected a string, got null" },
    { "{\"types\": {\"numeric\": \"Decimal[\"}}", ERR_CONFIG,
      ".schemerge.json: types.numeric: cannot parse annotation \"Decimal[\": unexpected end at column 9" },
    { "{\"types\": {\"numeric\": true}}", ERR_CONFIG,
      ".schemerge.json: types.numeric: expected a string, got a boolean" },
    { "{\"enum_columns\": \"enum\"}", ERR_CONFIG, ".schemerge.json: enum_columns: unknown value" },
    { "{\"enum_columns\": 1}", ERR_CONFIG,
      ".schemerge.json: enum_columns: expected \"str\" or \"class\", got a number" },
    { "{\"max_backups\": 0}", ERR_CONFIG, ".schemerge.json: max_backups: must be at least 1" },
    { "{\"max_backups\": 2.5}", ERR_CONFIG, ".schemerge.json: max_backups: expected an integer" },
    { "{\"max_backups\": 1e12}", ERR_CONFIG, ".schemerge.json: max_backups: expected an integer" },
    { "{\"max_backups\": \"10\"}", ERR_CONFIG,
      ".schemerge.json: max_backups: expected an integer, got a string" },
    { "{\"statement_timeout_ms\": -1}", ERR_CONFIG,
      ".schemerge.json: statement_timeout_ms: must be at least 0" },
    { "{\"commit_message\": \"  \"}", ERR_CONFIG, ".schemerge.json: commit_message: empty message" },
    { "{\"commit_message\": null}", ERR_CONFIG,
      ".schemerge.json: commit_message: expected a string, got null" },
    { "{\"database_url\": \"postgres://u:secret@h/db\"}", ERR_CONFIG,
      ".schemerge.json: database_url: the database URL is never read from the config file" },
    { "{\"views\": true, \"views\": false}", ERR_CONFIG, ".schemerge.json: views: key given twice" },
    { "{\"severity\": {\"column_added\": \"low\", \"column_added\": \"high\"}}", ERR_CONFIG,
      ".schemerge.json: severity.column_added: key given twice" },
    { "[]", ERR_CONFIG, ".schemerge.json: expected a JSON object at the top, got an array" },
    { "", ERR_CONFIG, ".schemerge.json:1:1: invalid JSON" },
    { "{\n  \"views\": tru\n}", ERR_CONFIG, ".schemerge.json:2:12: invalid JSON" },
    { "{\"a\": 1,}", ERR_CONFIG, ".schemerge.json:1:9: invalid JSON" },
    { "{} {}", ERR_CONFIG, ".schemerge.json:1:4: invalid JSON: text after the top-level object" },
    { "{\"é\": \"ü\", \"x\": tru}", ERR_CONFIG, ".schemerge.json:1:17: invalid JSON" },
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(error_rows); i++) {
        sm_config *cfg = NULL;
        sm_error err = SM_ERROR_INIT;
        int rc = settings_parse(&cfg, error_rows[i].json, strlen(error_rows[i].json),
                              ".schemerge.json", &err);
        if (rc != error_rows[i].code || err.code != error_rows[i].code || cfg != NULL ||
            strcmp(err.what, error_rows[i].what) != 0 || !err.hint[0])
            fail_msg("row %zu %s: rc %d what '%s', expected %d '%s'", i, error_rows[i].json, rc,
                     err.what, error_rows[i].code, error_rows[i].what);
        /* a password in a bad config must never be echoed back */
        assert_null(strstr(err.what, "secret"));
        assert_null(strstr(err.hint, "secret"));
    }
}

static void test_hints(void **state)
{
    sm_config *cfg = NULL;
    sm_error err = SM_ERROR_INIT;
    (void)state;
    const char *j = "{\"fail_on\": \"urgent\"}";
    assert_int_equal(settings_parse(&cfg, j, strlen(j), "c.json", &err), ERR_CONFIG);
    assert_string_equal(err.hint, "valid severities: low, medium, high, critical");
    j = "{\"severity\": {\"x\": \"low\"}}";
    assert_int_equal(settings_parse(&cfg, j, strlen(j), "c.json", &err), ERR_CONFIG);
    assert_non_null(strstr(err.hint, "data/config-keys.md"));
    j = "{\"enum_columns\": \"x\"}";
    assert_int_equal(settings_parse(&cfg, j, strlen(j), "c.json", &err), ERR_CONFIG);
    assert_string_equal(err.hint, "valid values: \"str\", \"class\"");
}

static void test_bom_and_nul(void **state)
{
    sm_config *cfg = NULL;
    sm_error err = SM_ERROR_INIT;
    (void)state;
    static const char bom[] = "\xef\xbb\xbf{\"views\": true}";
    assert_int_equal(settings_parse(&cfg, bom, sizeof bom - 1, "c.json", &err), 0);
    assert_true(cfg->views);
    settings_free(cfg);
    cfg = NULL;
    static const char nul[] = "{\"views\": true}\0{";
    assert_int_equal(settings_parse(&cfg, nul, sizeof nul - 1, "c.json", &err), ERR_CONFIG);
    assert_null(cfg);
}

static void test_load_order(void **state)
{
    sm_config *cfg = NULL;
    sm_error err = SM_ERROR_INIT;
    (void)state;

    /* .schemerge.json wins over schema_sync_config.json */
    assert_int_equal(settings_load(&cfg, DIR "/both", NULL, &err), 0);
    assert_int_equal(cfg->max_backups, 3);
    settings_free(cfg);

    /* no file at all: the defaults */
    assert_int_equal(settings_load(&cfg, DIR "/none", NULL, &err), 0);
    assert_null(cfg->path);
    assert_int_equal(cfg->max_backups, 10);
    settings_free(cfg);

    /* an explicit file wins, whatever its name */
    assert_int_equal(settings_load(&cfg, DIR "/both", DIR "/both/schema_sync_config.json", &err), 0);
    assert_int_equal(cfg->max_backups, 7);
    settings_free(cfg);

    /* a missing explicit file is an error */
    assert_int_equal(settings_load(&cfg, DIR "/both", DIR "/nope.json", &err), ERR_CONFIG);
    assert_null(cfg);
    assert_string_equal(err.what, DIR "/nope.json: config file not found");

    /* a bad file found by the search is reported with its root-relative name */
    assert_int_equal(settings_load(&cfg, DIR "/bad", NULL, &err), ERR_CONFIG);
    assert_string_equal(err.what, ".schemerge.json:3:12: invalid JSON");

    /* a directory is not a config file */
    assert_int_equal(settings_load(&cfg, DIR "/none", DIR "/none", &err), ERR_IO);
}

/* The seed tool's file: unknown keys are warnings, severity_levels maps onto severity. */
static void test_seed_file(void **state)
{
    sm_config *cfg = NULL;
    sm_error err = SM_ERROR_INIT;
    (void)state;

    assert_int_equal(settings_load(&cfg, DIR "/seed", NULL, &err), 0);
    assert_string_equal(cfg->path, "scripts/schema_sync_config.json");
    assert_int_equal(cfg->fail_on, SEV_HIGH);
    assert_int_equal(cfg->severity[CHANGE_ENUM_REMOVED], SEV_CRITICAL);
    assert_int_equal(cfg->severity[CHANGE_COLUMN_ADDED], SEV_LOW);
    assert_int_equal(cfg->severity[CHANGE_ENUM_VALUE_ADDED], SEV_MEDIUM);
    assert_int_equal(cfg->severity[CHANGE_ENUM_VALUE_REMOVED], SEV_MEDIUM);
    static const char *const expected[] = {
        "scripts/schema_sync_config.json: database: not supported by schemerge, ignored: "
        "the database is never read from a config file: use --db or DATABASE_URL",
        "scripts/schema_sync_config.json: sync_rules.severity_levels.something_else: "
        "not a change kind with a severity, ignored",
        "scripts/schema_sync_config.json: sync_rules.auto_apply: not supported by schemerge, ignored: "
        "changes are applied only by `schemerge update` or in the interactive view",
        "scripts/schema_sync_config.json: notifications: not supported by schemerge, ignored: "
        "schemerge sends no notifications (use CI's: check exits 1 on drift)",
        "scripts/schema_sync_config.json: templates: not supported by schemerge, ignored: "
        "new code follows each file's own style, so no templates are used",
    };
    assert_int_equal(cfg->nwarnings, N(expected));
    for (size_t i = 0; i < N(expected); i++)
        assert_string_equal(cfg->warnings[i], expected[i]);
    settings_free(cfg);

    /* at the root, and the inverted shape {severity: [kinds]} */
    assert_int_equal(settings_load(&cfg, DIR "/seed_root", NULL, &err), 0);
    assert_string_equal(cfg->path, "schema_sync_config.json");
    assert_int_equal(cfg->severity[CHANGE_COLUMN_ADDED], SEV_HIGH);
    assert_int_equal(cfg->severity[CHANGE_TABLE_REMOVED], SEV_HIGH);
    assert_int_equal(cfg->nwarnings, 0);
    settings_free(cfg);

    /* a severity_levels of another shape is a warning, not an error */
    cfg = parse_ok("{\"sync_rules\": {\"severity_levels\": [1, 2]}}", "schema_sync_config.json");
    assert_int_equal(cfg->nwarnings, 1);
    assert_string_equal(cfg->warnings[0],
                        "schema_sync_config.json: sync_rules.severity_levels: expected an object "
                        "of change kind -> severity, ignored");
    settings_free(cfg);

    /* the same unknown key in .schemerge.json is an error */
    const char *j = "{\"notifications\": {}}";
    assert_int_equal(settings_parse(&cfg, j, strlen(j), ".schemerge.json", &err), ERR_CONFIG);
    assert_string_equal(err.what, ".schemerge.json: notifications: unknown key");
}

static void test_lookups_qualified(void **state)
{
    (void)state;
    sm_config *cfg = parse_ok("{\"names\": {\"tables\": {\"users\": \"UserRow\", "
                              "\"auth.users\": \"AuthUserRow\"}}, "
                              "\"relationships\": [\"auth.memberships\"]}", "c.json");
    assert_string_equal(settings_table_class(cfg, "public", "users"), "UserRow");
    assert_string_equal(settings_table_class(cfg, "auth", "users"), "AuthUserRow");
    assert_string_equal(settings_table_class(cfg, NULL, "users"), "UserRow");
    assert_true(settings_is_relationship(cfg, "auth", "memberships"));
    assert_false(settings_is_relationship(cfg, "public", "memberships"));
    assert_null(settings_table_class(NULL, "public", "users"));
    assert_false(settings_is_ignored(NULL, "X"));
    assert_null(settings_type_override(NULL, "numeric"));
    settings_free(cfg);
}

/* settings_edit_add on configs written every way people write JSON: the result is valid,
 * its array holds the value once, every other member is unchanged, the text before the
 * insertion point is kept byte for byte, and adding again changes nothing. */
static void test_edit_add(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",
        "{}",
        "{ }\n",
        "{\"views\": true}",
        "{\n  \"views\": true\n}\n",
        "{\r\n\t\"views\": true,\r\n\t\"ignore\": [\"A\"]\r\n}\r\n",
        "{\n    \"exclude\": [],\n    \"views\": false\n}\n",
        "{\n  \"exclude\": [ \"a\" , \"b\" ]\n}\n",
        "{\n  \"names\": {\"tables\": {\"x]\": \"Y\"}},\n  \"schemas\": [\"public\", \"a,b\"]\n}\n",
        "{\"types\": {\"numeric\": \"Decimal\"}, \"exclude\": [\"q\\\"x\"]}",
    };
    static const char *const values[] = { "audit_log", "auth.sessions", "we\"ird\\name", "caf\xc3\xa9 *" };
    static const char *const keys[] = { "exclude", "ignore" };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
            for (size_t k = 0; k < 2; k++) {
                const char *text = texts[t];
                size_t len = strlen(text);
                strbuf out = STRBUF_INIT, again = STRBUF_INIT;
                bool added = false, added2 = true;
                sm_error err = SM_ERROR_INIT;
                assert_int_equal(settings_edit_add(&out, &added, text, len, keys[k], values[v], &err), 0);
                assert_true(added);
                cJSON *before = len ? cJSON_Parse(text) : cJSON_CreateObject();
                cJSON *after = cJSON_ParseWithLength(out.buf, out.len);
                if (!after)
                    fail_msg("not JSON after adding %s to %s of [%s]: [%s]", values[v], keys[k], text, out.buf);
                /* the array holds the value, once, after what it held */
                cJSON *arr = cJSON_GetObjectItemCaseSensitive(after, keys[k]);
                assert_true(cJSON_IsArray(arr));
                cJSON *old = cJSON_GetObjectItemCaseSensitive(before, keys[k]);
                int n = cJSON_GetArraySize(arr), n0 = old ? cJSON_GetArraySize(old) : 0;
                assert_int_equal(n, n0 + 1);
                assert_string_equal(cJSON_GetArrayItem(arr, n - 1)->valuestring, values[v]);
                /* every other member as it was */
                cJSON_DeleteItemFromObjectCaseSensitive(after, keys[k]);
                cJSON_DeleteItemFromObjectCaseSensitive(before, keys[k]);
                assert_true(cJSON_Compare(before, after, true));
                /* the config reader takes it */
                sm_config *cfg = NULL;
                if (settings_parse(&cfg, out.buf, out.len, ".schemerge.json", &err) < 0 && strcmp(keys[k], "exclude") == 0)
                    fail_msg("settings_parse refused [%s]: %s", out.buf, err.what);
                settings_free(cfg);
                /* the text up to the first difference is the old text: nothing reformatted */
                size_t same = 0;
                while (same < len && same < out.len && text[same] == out.buf[same])
                    same++;
                assert_true(out.len > len);
                assert_memory_equal(out.buf + out.len - (len - same), text + same, len - same);
                /* again: nothing to add */
                assert_int_equal(settings_edit_add(&again, &added2, out.buf, out.len, keys[k], values[v], &err), 0);
                assert_false(added2);
                assert_int_equal(again.len, out.len);
                assert_memory_equal(again.buf, out.buf, out.len);
                cJSON_Delete(before);
                cJSON_Delete(after);
                strbuf_release(&out);
                strbuf_release(&again);
            }
        }
    }
    /* exact forms: a new key indented like the first, a value after the last element */
    strbuf out = STRBUF_INIT;
    bool added;
    sm_error err = SM_ERROR_INIT;
    const char *pretty = "{\n    \"views\": true\n}\n", *compact = "{\"exclude\": [\"a\"]}";
    assert_int_equal(settings_edit_add(&out, &added, pretty, strlen(pretty), "exclude", "x", &err), 0);
    assert_string_equal(out.buf, "{\n    \"views\": true,\n    \"exclude\": [\"x\"]\n}\n");
    strbuf_reset(&out);
    assert_int_equal(settings_edit_add(&out, &added, compact, strlen(compact), "exclude", "b", &err), 0);
    assert_string_equal(out.buf, "{\"exclude\": [\"a\", \"b\"]}");
    strbuf_reset(&out);
    /* not an object, not an array: refused */
    assert_int_equal(settings_edit_add(&out, &added, "[1]", 3, "exclude", "b", &err), ERR_CONFIG);
    const char *scalar = "{\"exclude\": \"a\"}";
    assert_int_equal(settings_edit_add(&out, &added, scalar, strlen(scalar), "exclude", "b", &err), ERR_CONFIG);
    strbuf_release(&out);

    /* untracking: the class ignored, the object excluded by a pattern that names it alone */
    bool changed;
    assert_int_equal(settings_edit_untrack(&out, &changed, "", 0, "OldRow", "public", "a*b", ".schemerge.json", &err), 0);
    assert_true(changed);
    sm_config *cfg = NULL;
    assert_int_equal(settings_parse(&cfg, out.buf, out.len, ".schemerge.json", &err), 0);
    assert_true(settings_is_ignored(cfg, "OldRow"));
    assert_true(settings_is_excluded(cfg, "public", "a*b"));
    assert_false(settings_is_excluded(cfg, "public", "aXb"));
    settings_free(cfg);
    strbuf again = STRBUF_INIT;
    assert_int_equal(settings_edit_untrack(&again, &changed, out.buf, out.len, "OldRow", "public", "a*b", ".schemerge.json", &err), 0);
    assert_false(changed);
    strbuf_release(&again);
    strbuf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_bom_and_nul),
        cmocka_unit_test(test_load_order),
        cmocka_unit_test(test_seed_file),
        cmocka_unit_test(test_lookups_qualified),
        cmocka_unit_test(test_edit_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
