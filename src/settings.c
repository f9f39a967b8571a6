/* settings.c: .schemerge.json (and the seed tool's schema_sync_config.json), validated.
 *
 * The JSON is read with cJSON; every key goes through one handler in a table, which
 * checks the value's type and range before it touches the config, so a message can name
 * the file, the key path and the problem ("PATH: KEY: problem"). In .schemerge.json an
 * unknown key is an error (a typo must not be silently ignored). The seed tool's file has
 * a format we only partly know: there, unknown keys become warnings, and
 * "sync_rules.severity_levels" is mapped onto "severity" where its shape allows.
 * This module never reads the database URL: a config file is not the place for secrets. */
#include "config.h"
#include "settings.h"

#include <assert.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "fsutil.h"
#include "jsonget.h"
#include "naming.h"
#include "pytype.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#define CONFIG_MAX_BYTES (16u * 1024u * 1024u)
#define SEED_NAME "schema_sync_config.json"
#define KEYS_DOC "see data/config-keys.md"

/* ------------------------------------------------------------------ defaults and free */

static void free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_pairs(sm_name_pair *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        free(p[i].db);
        free(p[i].cls);
    }
    free(p);
}

void settings_free(sm_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free_strv(cfg->schemas, cfg->nschemas);
    free(cfg->file_enums);
    free(cfg->file_entities);
    free(cfg->file_relationships);
    free(cfg->file_version);
    free_strv(cfg->relationships, cfg->nrelationships);
    free_pairs(cfg->table_names, cfg->ntable_names);
    free_pairs(cfg->enum_names, cfg->nenum_names);
    free_strv(cfg->ignore, cfg->nignore);
    free_strv(cfg->exclude, cfg->nexclude);
    free_pairs(cfg->types, cfg->ntypes);
    free(cfg->commit_message);
    free(cfg->pydantic_target);
    free_strv(cfg->warnings, cfg->nwarnings);
    free(cfg);
}

sm_config *settings_default(void)
{
    sm_config *cfg = xcalloc(1, sizeof *cfg);

    cfg->schemas = xmalloc(sizeof *cfg->schemas);
    cfg->schemas[0] = xstrdup("public");
    cfg->nschemas = 1;
    cfg->views = false;
    cfg->file_enums = xstrdup("schemas/enums.py");
    cfg->file_entities = xstrdup("schemas/database/entities.py");
    cfg->file_relationships = xstrdup("schemas/database/relationships.py");
    cfg->file_version = xstrdup("schemas/schema_version.py");
    for (int k = 0; k < CHANGE_KIND_COUNT; k++)
        cfg->severity[k] = change_kind_default_severity((sm_change_kind)k);
    cfg->fail_on = SEV_LOW;
    cfg->max_backups = 10;
    cfg->commit_message = xstrdup("chore: sync schemas with database");
    cfg->statement_timeout_ms = 30000;
    cfg->lock_timeout_ms = 5000;
    return cfg;
}

static void add_warning(sm_config *cfg, char *msg)
{
    cfg->warnings = xrealloc(cfg->warnings, (cfg->nwarnings + 1) * sizeof *cfg->warnings);
    cfg->warnings[cfg->nwarnings++] = msg;
}

/* ------------------------------------------------------------------ validation helpers */

typedef struct loader {
    sm_config *cfg;
    const char *name;  /* the file, for messages */
    bool seed;         /* the seed tool's schema_sync_config.json */
    sm_error *err;
} loader;

static int bad(loader *ld, const char *key, const char *hint, const char *problem)
{
    return sm_error_set(ld->err, ERR_CONFIG, hint ? hint : KEYS_DOC, "%s: %s: %s", ld->name, key,
                        problem);
}

static int expect(loader *ld, const char *key, const cJSON *v, const char *what)
{
    char problem[160];
    snprintf(problem, sizeof problem, "expected %s, got %s", what, json_type_name(v));
    return bad(ld, key, NULL, problem);
}

/* Refuse an object that names the same key twice (json_duplicate_key). */
static int check_duplicates(loader *ld, const char *path, const cJSON *obj)
{
    const char *twice = json_duplicate_key(obj);
    if (!twice)
        return 0;
    char key[256];
    snprintf(key, sizeof key, "%s%s%s", path, *path ? "." : "", twice);
    return bad(ld, key, "remove one of the two", "key given twice");
}

static int get_string_array(loader *ld, const char *key, const cJSON *v, char ***out, size_t *nout)
{
    size_t at = 0;
    int rc = json_get_strings(v, true, out, nout, &at);
    if (rc == -1)
        return expect(ld, key, v, "an array of strings");
    if (rc == -2) {
        const cJSON *e = cJSON_GetArrayItem(v, (int)at);
        char k[256];
        snprintf(k, sizeof k, "%s[%zu]", key, at);
        return cJSON_IsString(e) ? bad(ld, k, NULL, "empty string") : expect(ld, k, e, "a string");
    }
    return 0;
}

/* {"name": "value", ...} -> pairs; value_is_class checks that values are identifiers. */
static int get_pairs(loader *ld, const char *key, const cJSON *v, bool value_is_class,
                     sm_name_pair **out, size_t *nout)
{
    sm_name_pair *pairs = NULL;
    size_t n = 0;
    int error;

    if (!cJSON_IsObject(v))
        return expect(ld, key, v, "an object of strings");
    if ((error = check_duplicates(ld, key, v)) < 0)
        return error;
    pairs = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *pairs);
    for (const cJSON *e = v->child; e; e = e->next) {
        char k[256];
        snprintf(k, sizeof k, "%s.%s", key, e->string);
        if (!cJSON_IsString(e)) {
            error = expect(ld, k, e, "a string");
            goto done;
        }
        if (value_is_class && !naming_is_field_name(e->valuestring)) {
            char problem[200];
            snprintf(problem, sizeof problem, "\"%.120s\" is not a Python class name",
                     e->valuestring);
            error = bad(ld, k, "use a Python identifier such as OAuthAccountRow", problem);
            goto done;
        }
        pairs[n].db = xstrdup(e->string);
        pairs[n].cls = xstrdup(e->valuestring);
        n++;
    }
    *out = pairs;
    *nout = n;
    pairs = NULL;
done:
    if (pairs)
        free_pairs(pairs, n);
    return error;
}

static int get_int(loader *ld, const char *key, const cJSON *v, int min, int *out)
{
    if (!cJSON_IsNumber(v))
        return expect(ld, key, v, "an integer");
    double d;
    if (!json_get_whole(v, INT_MIN, INT_MAX, &d))
        return bad(ld, key, NULL, "expected an integer");
    if (d < min) {
        char problem[80];
        snprintf(problem, sizeof problem, "must be at least %d", min);
        return bad(ld, key, NULL, problem);
    }
    *out = (int)d;
    return 0;
}

static int get_severity(loader *ld, const char *key, const cJSON *v, sm_severity *out)
{
    if (!cJSON_IsString(v))
        return expect(ld, key, v, "a severity name");
    int s = severity_parse(v->valuestring);
    if (s < 0) {
        char problem[160];
        snprintf(problem, sizeof problem, "unknown severity \"%.80s\"", v->valuestring);
        return bad(ld, key, "valid severities: low, medium, high, critical", problem);
    }
    *out = (sm_severity)s;
    return 0;
}

/* A repository-relative path that stays inside the root, normalised ("a/./b/../c" ->
 * "a/c"). Absolute paths and paths that climb above the root are ERR_UNSAFE: a config
 * from a cloned repository must not make us write outside it. */
static int get_repo_path(loader *ld, const char *key, const cJSON *v, char **out)
{
    strbuf sb = STRBUF_INIT;
    size_t *marks = NULL;
    size_t depth = 0, cap = 0;
    int error = 0;

    if (!cJSON_IsString(v))
        return expect(ld, key, v, "a path (string)");
    const char *p = v->valuestring;
    if (!*p)
        return bad(ld, key, NULL, "empty path");
    if (p[0] == '/' || p[0] == '\\' || p[0] == '~' ||
        (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':'))
        return sm_error_set(ld->err, ERR_UNSAFE, "use a path relative to the repository root",
                            "%s: %s: absolute path \"%.200s\" refused", ld->name, key, p);

    strbuf_init(&sb);
    while (*p) {
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - s);
        if (*p == '/')
            p++;
        if (n == 0 || (n == 1 && s[0] == '.'))
            continue;
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (depth == 0) {
                error = sm_error_set(ld->err, ERR_UNSAFE,
                                     "use a path inside the repository",
                                     "%s: %s: path \"%.200s\" leads outside the repository root",
                                     ld->name, key, v->valuestring);
                goto done;
            }
            strbuf_truncate(&sb, marks[--depth]);
            continue;
        }
        *XPUSH(marks, depth, cap) = sb.len;
        if (sb.len)
            strbuf_addch(&sb, '/');
        strbuf_add(&sb, s, n);
    }
    if (sb.len == 0) {
        error = bad(ld, key, NULL, "path names no file");
        goto done;
    }
    const char *why = fs_repo_path_refusal(sb.buf);
    if (why) {
        error = sm_error_set(ld->err, ERR_UNSAFE, "name a file of the work tree",
                             "%s: %s: path \"%.200s\" refused: %s", ld->name, key, v->valuestring, why);
        goto done;
    }
    *out = strbuf_detach(&sb, NULL);
done:
    strbuf_release(&sb);
    free(marks);
    return error;
}

/* ------------------------------------------------------------------ key handlers */

static int key_schemas(loader *ld, const cJSON *v)
{
    char **items = NULL;
    size_t n = 0;
    int error = get_string_array(ld, "schemas", v, &items, &n);
    if (error < 0)
        return error;
    if (n == 0) {
        free(items);
        return bad(ld, "schemas", "leave the key out for [\"public\"]", "names no schema");
    }
    free_strv(ld->cfg->schemas, ld->cfg->nschemas);
    ld->cfg->schemas = items;
    ld->cfg->nschemas = n;
    return 0;
}

static int key_views(loader *ld, const cJSON *v)
{
    if (!cJSON_IsBool(v))
        return expect(ld, "views", v, "true or false");
    ld->cfg->views = cJSON_IsTrue(v);
    return 0;
}

static int key_files(loader *ld, const cJSON *v)
{
    static const char *const names[] = { "enums", "entities", "relationships", "version" };
    char *paths[4] = { NULL, NULL, NULL, NULL };
    int error;

    if (!cJSON_IsObject(v))
        return expect(ld, "files", v, "an object");
    if ((error = check_duplicates(ld, "files", v)) < 0)
        return error;
    for (const cJSON *e = v->child; e; e = e->next) {
        char k[256];
        size_t i;
        snprintf(k, sizeof k, "files.%s", e->string);
        for (i = 0; i < 4; i++)
            if (strcmp(e->string, names[i]) == 0)
                break;
        if (i == 4) {
            error = bad(ld, k, "valid keys: enums, entities, relationships, version",
                        "unknown key");
            goto done;
        }
        if ((error = get_repo_path(ld, k, e, &paths[i])) < 0)
            goto done;
    }
    char **fields[4] = { &ld->cfg->file_enums, &ld->cfg->file_entities,
                         &ld->cfg->file_relationships, &ld->cfg->file_version };
    for (size_t i = 0; i < 4; i++)
        if (paths[i]) {
            free(*fields[i]);
            *fields[i] = paths[i];
            paths[i] = NULL;
        }
    error = 0;
done:
    for (size_t i = 0; i < 4; i++)
        free(paths[i]);
    return error;
}

static int key_relationships(loader *ld, const cJSON *v)
{
    char **items = NULL;
    size_t n = 0;
    int error = get_string_array(ld, "relationships", v, &items, &n);
    if (error < 0)
        return error;
    free_strv(ld->cfg->relationships, ld->cfg->nrelationships);
    ld->cfg->relationships = items;
    ld->cfg->nrelationships = n;
    return 0;
}

static int key_names(loader *ld, const cJSON *v)
{
    sm_name_pair *tables = NULL, *enums = NULL;
    size_t ntables = 0, nenums = 0;
    int error;

    if (!cJSON_IsObject(v))
        return expect(ld, "names", v, "an object with \"tables\" and \"enums\"");
    if ((error = check_duplicates(ld, "names", v)) < 0)
        return error;
    for (const cJSON *e = v->child; e; e = e->next) {
        if (strcmp(e->string, "tables") == 0) {
            if ((error = get_pairs(ld, "names.tables", e, true, &tables, &ntables)) < 0)
                goto done;
        } else if (strcmp(e->string, "enums") == 0) {
            if ((error = get_pairs(ld, "names.enums", e, true, &enums, &nenums)) < 0)
                goto done;
        } else {
            char k[256];
            snprintf(k, sizeof k, "names.%s", e->string);
            error = bad(ld, k, "valid keys: tables, enums", "unknown key");
            goto done;
        }
    }
    if (tables) {
        free_pairs(ld->cfg->table_names, ld->cfg->ntable_names);
        ld->cfg->table_names = tables;
        ld->cfg->ntable_names = ntables;
        tables = NULL;
    }
    if (enums) {
        free_pairs(ld->cfg->enum_names, ld->cfg->nenum_names);
        ld->cfg->enum_names = enums;
        ld->cfg->nenum_names = nenums;
        enums = NULL;
    }
    error = 0;
done:
    free_pairs(tables, ntables);
    free_pairs(enums, nenums);
    return error;
}

static int key_ignore(loader *ld, const cJSON *v)
{
    char **items = NULL;
    size_t n = 0;
    int error = get_string_array(ld, "ignore", v, &items, &n);
    if (error < 0)
        return error;
    free_strv(ld->cfg->ignore, ld->cfg->nignore);
    ld->cfg->ignore = items;
    ld->cfg->nignore = n;
    return 0;
}

static int key_exclude(loader *ld, const cJSON *v)
{
    char **items = NULL;
    size_t n = 0;
    int error = get_string_array(ld, "exclude", v, &items, &n);
    if (error < 0)
        return error;
    free_strv(ld->cfg->exclude, ld->cfg->nexclude);
    ld->cfg->exclude = items;
    ld->cfg->nexclude = n;
    return 0;
}

static int key_types(loader *ld, const cJSON *v)
{
    sm_name_pair *pairs = NULL;
    size_t n = 0;
    int error = get_pairs(ld, "types", v, false, &pairs, &n);
    if (error < 0)
        return error;
    for (size_t i = 0; i < n; i++) {
        pytype *t = NULL;
        sm_error perr = SM_ERROR_INIT;
        char k[256];
        snprintf(k, sizeof k, "types.%s", pairs[i].db);
        if (pytype_parse(&t, pairs[i].cls, &perr) < 0) {
            error = bad(ld, k, "write a Python annotation such as \"Decimal\" or \"list[str]\"",
                        perr.what);
            free_pairs(pairs, n);
            return error;
        }
        /* every name written must be importable: its module must be known (SPEC 5) */
        const char *unplaced = pytype_unplaced_name(t);
        if (unplaced) {
            strbuf why = STRBUF_INIT;
            strbuf_addf(&why, "cannot tell which module \"%s\" comes from", unplaced);
            error = bad(ld, k, "write the name with its module, such as \"mypackage.types.Money\"", why.buf);
            strbuf_release(&why);
            pytype_free(t);
            free_pairs(pairs, n);
            return error;
        }
        pytype_free(t);
    }
    free_pairs(ld->cfg->types, ld->cfg->ntypes);
    ld->cfg->types = pairs;
    ld->cfg->ntypes = n;
    return 0;
}

static int key_enum_columns(loader *ld, const cJSON *v)
{
    if (!cJSON_IsString(v))
        return expect(ld, "enum_columns", v, "\"str\" or \"class\"");
    if (strcmp(v->valuestring, "str") == 0)
        ld->cfg->enum_columns_class = false;
    else if (strcmp(v->valuestring, "class") == 0)
        ld->cfg->enum_columns_class = true;
    else
        return bad(ld, "enum_columns", "valid values: \"str\", \"class\"", "unknown value");
    return 0;
}

static int key_functional_form(loader *ld, const cJSON *v)
{
    if (!cJSON_IsString(v))
        return expect(ld, "functional_form", v, "\"auto\" or \"never\"");
    if (strcmp(v->valuestring, "auto") == 0)
        ld->cfg->functional_never = false;
    else if (strcmp(v->valuestring, "never") == 0)
        ld->cfg->functional_never = true;
    else
        return bad(ld, "functional_form", "valid values: \"auto\", \"never\"", "unknown value");
    return 0;
}

static int key_severity(loader *ld, const cJSON *v)
{
    sm_severity sev[CHANGE_KIND_COUNT];
    int error;

    if (!cJSON_IsObject(v))
        return expect(ld, "severity", v, "an object of change kind -> severity");
    if ((error = check_duplicates(ld, "severity", v)) < 0)
        return error;
    memcpy(sev, ld->cfg->severity, sizeof sev);
    for (const cJSON *e = v->child; e; e = e->next) {
        char k[256];
        snprintf(k, sizeof k, "severity.%s", e->string);
        int kind = change_kind_parse(e->string);
        if (kind < 0)
            return bad(ld, k, "see data/config-keys.md for the change kinds", "unknown change kind");
        if ((error = get_severity(ld, k, e, &sev[kind])) < 0)
            return error;
    }
    memcpy(ld->cfg->severity, sev, sizeof sev);
    return 0;
}

static int key_fail_on(loader *ld, const cJSON *v)
{
    return get_severity(ld, "fail_on", v, &ld->cfg->fail_on);
}

static int key_max_backups(loader *ld, const cJSON *v)
{
    return get_int(ld, "max_backups", v, 1, &ld->cfg->max_backups);
}

static int key_commit_message(loader *ld, const cJSON *v)
{
    if (!cJSON_IsString(v))
        return expect(ld, "commit_message", v, "a string");
    const char *s = v->valuestring;
    if (!s[strspn(s, " \t\r\n")])
        return bad(ld, "commit_message", "leave the key out for the default message", "empty message");
    free(ld->cfg->commit_message);
    ld->cfg->commit_message = xstrdup(s);
    return 0;
}

/* "pydantic_target": the generated API schemas file (issue 9); validated like "files". */
static int key_pydantic_target(loader *ld, const cJSON *v)
{
    char *path = NULL;
    int error = get_repo_path(ld, "pydantic_target", v, &path);
    if (error < 0)
        return error;
    free(ld->cfg->pydantic_target);
    ld->cfg->pydantic_target = path;
    return 0;
}

static int key_lock_timeout(loader *ld, const cJSON *v)
{
    return get_int(ld, "lock_timeout_ms", v, 1, &ld->cfg->lock_timeout_ms);
}

static int key_statement_timeout(loader *ld, const cJSON *v)
{
    return get_int(ld, "statement_timeout_ms", v, 0, &ld->cfg->statement_timeout_ms);
}

/* ------------------------------------------------------------------ the seed tool's keys */

/* Map one "sync_rules.severity_levels" key onto change kinds: a kind name, the seed's
 * reversed spelling ("removed_enum"), or a category. Returns how many kinds it set. */
static size_t seed_kinds(const char *key, int *kinds)
{
    static const struct {
        const char *name;
        int kinds[4];
        size_t n;
    } categories[] = {
        { "enum_modified", { CHANGE_ENUM_VALUE_ADDED, CHANGE_ENUM_VALUE_REMOVED }, 2 },
        { "modified_enum", { CHANGE_ENUM_VALUE_ADDED, CHANGE_ENUM_VALUE_REMOVED }, 2 },
        { "column_modified", { CHANGE_COLUMN_TYPE_CHANGED, CHANGE_COLUMN_NULLABILITY_CHANGED }, 2 },
        { "modified_column", { CHANGE_COLUMN_TYPE_CHANGED, CHANGE_COLUMN_NULLABILITY_CHANGED }, 2 },
        { "column_changed", { CHANGE_COLUMN_TYPE_CHANGED, CHANGE_COLUMN_NULLABILITY_CHANGED }, 2 },
    };
    int k = change_kind_parse(key);
    if (k >= 0) {
        kinds[0] = k;
        return 1;
    }
    /* "removed_enum" -> "enum_removed" */
    const char *us = strchr(key, '_');
    if (us && !strchr(us + 1, '_')) {
        char *swapped = xasprintf("%s_%.*s", us + 1, (int)(us - key), key);
        k = change_kind_parse(swapped);
        free(swapped);
        if (k >= 0) {
            kinds[0] = k;
            return 1;
        }
    }
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcasecmp(key, categories[i].name) == 0) {
            memcpy(kinds, categories[i].kinds, categories[i].n * sizeof *kinds);
            return categories[i].n;
        }
    return 0;
}

static void seed_severity_levels(loader *ld, const cJSON *v)
{
    const char *path = "sync_rules.severity_levels";
    if (!cJSON_IsObject(v)) {
        add_warning(ld->cfg, xasprintf("%s: %s: expected an object of change kind -> severity, "
                                       "ignored", ld->name, path));
        return;
    }
    for (const cJSON *e = v->child; e; e = e->next) {
        int kinds[CHANGE_KIND_COUNT];
        size_t n;
        int sev;

        if (cJSON_IsString(e) && (sev = severity_parse(e->valuestring)) >= 0 &&
            (n = seed_kinds(e->string, kinds)) > 0) {
            /* {kind_or_category: severity} */
            for (size_t i = 0; i < n; i++)
                ld->cfg->severity[kinds[i]] = (sm_severity)sev;
        } else if (cJSON_IsArray(e) && (sev = severity_parse(e->string)) >= 0) {
            /* the inverted shape {severity: [kinds...]} */
            for (const cJSON *x = e->child; x; x = x->next) {
                if (cJSON_IsString(x) && (n = seed_kinds(x->valuestring, kinds)) > 0) {
                    for (size_t i = 0; i < n; i++)
                        ld->cfg->severity[kinds[i]] = (sm_severity)sev;
                } else {
                    add_warning(ld->cfg, xasprintf("%s: %s.%s: %s%s%s is not a change kind, ignored",
                                                   ld->name, path, e->string,
                                                   cJSON_IsString(x) ? "\"" : "",
                                                   cJSON_IsString(x) ? x->valuestring : "an entry",
                                                   cJSON_IsString(x) ? "\"" : ""));
                }
            }
        } else {
            add_warning(ld->cfg, xasprintf("%s: %s.%s: not a change kind with a severity, ignored",
                                           ld->name, path, e->string));
        }
    }
}

/* Why a key of the seed tool's config has no counterpart here: the warning says so, so
 * that nobody wonders whether it still has an effect. */
static const struct {
    const char *key;
    const char *reason;
} seed_reasons[] = {
    { "notifications", "schemerge sends no notifications (use CI's: check exits 1 on drift)" },
    { "slack", "schemerge sends no notifications (use CI's: check exits 1 on drift)" },
    { "email", "schemerge sends no notifications (use CI's: check exits 1 on drift)" },
    { "templates", "new code follows each file's own style, so no templates are used" },
    { "project_id", "the database comes from --db, DATABASE_URL or SUPABASE_DB_URL" },
    { "supabase_project_id", "the database comes from --db, DATABASE_URL or SUPABASE_DB_URL" },
    { "supabase_url", "the database comes from --db, DATABASE_URL or SUPABASE_DB_URL" },
    { "database", "the database is never read from a config file: use --db or DATABASE_URL" },
    { "auto_apply", "changes are applied only by `schemerge update` or in the interactive view" },
    { "mock_schema", "schemerge never falls back to a mock schema: a database error is an error" },
    { "fallback_to_mock", "schemerge never falls back to a mock schema: a database error is an error" },
};

static void seed_unsupported(loader *ld, const char *path, const char *key)
{
    const char *reason = "no counterpart in schemerge";
    for (size_t i = 0; i < sizeof seed_reasons / sizeof *seed_reasons; i++)
        if (strcmp(seed_reasons[i].key, key) == 0)
            reason = seed_reasons[i].reason;
    add_warning(ld->cfg, xasprintf("%s: %s: not supported by schemerge, ignored: %s", ld->name, path, reason));
}

static void seed_sync_rules(loader *ld, const cJSON *v)
{
    if (!cJSON_IsObject(v)) {
        seed_unsupported(ld, "sync_rules", "sync_rules");
        return;
    }
    for (const cJSON *e = v->child; e; e = e->next) {
        if (strcmp(e->string, "severity_levels") == 0)
            seed_severity_levels(ld, e);
        else {
            char *path = xasprintf("sync_rules.%s", e->string);
            seed_unsupported(ld, path, e->string);
            free(path);
        }
    }
}

/* ------------------------------------------------------------------ parse */

static const struct {
    const char *key;
    int (*handle)(loader *ld, const cJSON *v);
} handlers[] = {
    { "schemas", key_schemas },
    { "views", key_views },
    { "files", key_files },
    { "relationships", key_relationships },
    { "names", key_names },
    { "ignore", key_ignore },
    { "exclude", key_exclude },
    { "types", key_types },
    { "enum_columns", key_enum_columns },
    { "functional_form", key_functional_form },
    { "severity", key_severity },
    { "fail_on", key_fail_on },
    { "max_backups", key_max_backups },
    { "commit_message", key_commit_message },
    { "statement_timeout_ms", key_statement_timeout },
    { "lock_timeout_ms", key_lock_timeout },
    { "pydantic_target", key_pydantic_target },
};

static bool is_secret_key(const char *key)
{
    static const char *const secrets[] = {
        "db", "database", "database_url", "db_url", "dsn", "conninfo", "connection",
        "supabase_db_url", "password", "url",
    };
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        if (strcasecmp(key, secrets[i]) == 0)
            return true;
    return false;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int settings_parse(sm_config **out, const char *text, size_t len, const char *name, sm_error *err)
{
    sm_config *cfg = NULL;
    cJSON *root = NULL;
    const char *end = NULL;
    int error = 0;
    loader ld;

    assert(out && text && name);
    *out = NULL;

    /* a UTF-8 byte order mark is harmless; cJSON would call it invalid */
    const char *body = text;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        body += 3;
        len -= 3;
    }

    root = cJSON_ParseWithLengthOpts(body, len, &end, false);
    if (!root || !end) {
        size_t line, col;
        const char *at = end ? end : body;
        if (at < body || at > body + len)
            at = body + len;
        utf8_line_col(body, (size_t)(at - body), &line, &col);
        error = sm_error_set(err, ERR_CONFIG, "fix the JSON syntax; " KEYS_DOC,
                             "%s:%zu:%zu: invalid JSON", name, line, col);
        goto done;
    }
    for (const char *p = end; p < body + len; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            size_t line, col;
            utf8_line_col(body, (size_t)(p - body), &line, &col);
            error = sm_error_set(err, ERR_CONFIG, "fix the JSON syntax; " KEYS_DOC,
                                 "%s:%zu:%zu: invalid JSON: text after the top-level object",
                                 name, line, col);
            goto done;
        }
    if (!cJSON_IsObject(root)) {
        error = sm_error_set(err, ERR_CONFIG, KEYS_DOC, "%s: expected a JSON object at the top, got %s",
                             name, json_type_name(root));
        goto done;
    }

    cfg = settings_default();
    cfg->path = xstrdup(name);
    ld.cfg = cfg;
    ld.name = name;
    ld.seed = strcmp(base_name(name), SEED_NAME) == 0;
    ld.err = err;

    if ((error = check_duplicates(&ld, "", root)) < 0)
        goto done;
    for (const cJSON *e = root->child; e; e = e->next) {
        size_t i;
        for (i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
            if (strcmp(e->string, handlers[i].key) == 0)
                break;
        if (i < sizeof handlers / sizeof handlers[0]) {
            if ((error = handlers[i].handle(&ld, e)) < 0)
                goto done;
            continue;
        }
        if (ld.seed) {
            if (strcmp(e->string, "sync_rules") == 0)
                seed_sync_rules(&ld, e);
            else
                seed_unsupported(&ld, e->string, e->string);
            continue;
        }
        if (is_secret_key(e->string)) {
            error = bad(&ld, e->string,
                        "pass the URL with --db or DATABASE_URL, never in a file",
                        "the database URL is never read from the config file");
            goto done;
        }
        error = bad(&ld, e->string,
                    "valid keys: schemas, views, files, relationships, names, ignore, types, "
                    "enum_columns, severity, fail_on, max_backups, commit_message, "
                    "statement_timeout_ms, lock_timeout_ms, pydantic_target",
                    "unknown key");
        goto done;
    }
    *out = cfg;
    cfg = NULL;
    error = 0;
done:
    cJSON_Delete(root);
    settings_free(cfg);
    return error;
}

/* ------------------------------------------------------------------ load */

/* Read a whole configuration file (fs_read_file). ENOENT is returned as ERR_NOT_FOUND
 * without filling err, so the caller can try the next candidate. */
static int read_file(char **out, size_t *len, const char *path, const char *name, sm_error *err)
{
    int error = fs_read_file(out, len, path, err);
    if (error == ERR_NOT_FOUND) {
        sm_error_clear(err);
        return ERR_NOT_FOUND;
    }
    if (error < 0) {
        snprintf(err->hint, sizeof err->hint, "check the file's permissions");
        return error;
    }
    if (*len > CONFIG_MAX_BYTES) {
        free(*out);
        *out = NULL;
        return sm_error_set(err, ERR_CONFIG, NULL, "%s: file too large for a configuration", name);
    }
    return 0;
}

int settings_load(sm_config **out, const char *root, const char *explicit_path, sm_error *err)
{
    static const char *const candidates[] = {
        ".schemerge.json", SEED_NAME, "scripts/" SEED_NAME,
    };
    char *text = NULL;
    size_t len = 0;
    int error;

    assert(out);
    *out = NULL;
    if (explicit_path) {
        error = read_file(&text, &len, explicit_path, explicit_path, err);
        if (error == ERR_NOT_FOUND)
            return sm_error_set(err, ERR_CONFIG, "check the --config argument",
                                "%s: config file not found", explicit_path);
        if (error < 0)
            return error;
        error = settings_parse(out, text, len, explicit_path, err);
        free(text);
        return error;
    }
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char *path = xasprintf("%s/%s", root ? root : ".", candidates[i]);
        error = read_file(&text, &len, path, candidates[i], err);
        free(path);
        if (error == ERR_NOT_FOUND)
            continue;
        if (error < 0)
            return error;
        error = settings_parse(out, text, len, candidates[i], err);
        free(text);
        return error;
    }
    *out = settings_default();
    return 0;
}

/* ------------------------------------------------------------------ lookups */

/* db matches name plainly or as "schema.name". */
static bool db_name_matches(const char *db, const char *schema, const char *name)
{
    if (strcmp(db, name) == 0)
        return true;
    if (!schema)
        return false;
    size_t n = strlen(schema);
    return strncmp(db, schema, n) == 0 && db[n] == '.' && strcmp(db + n + 1, name) == 0;
}

static const char *pair_lookup(const sm_name_pair *pairs, size_t n, const char *schema,
                               const char *name)
{
    /* a qualified entry beats a plain one, so "auth.users" and "users" can differ */
    for (size_t i = 0; i < n; i++)
        if (schema && strcmp(pairs[i].db, name) != 0 && db_name_matches(pairs[i].db, schema, name))
            return pairs[i].cls;
    for (size_t i = 0; i < n; i++)
        if (strcmp(pairs[i].db, name) == 0)
            return pairs[i].cls;
    return NULL;
}

const char *settings_table_class(const sm_config *cfg, const char *schema, const char *table)
{
    return cfg ? pair_lookup(cfg->table_names, cfg->ntable_names, schema, table) : NULL;
}

const char *settings_enum_class(const sm_config *cfg, const char *schema, const char *enum_name)
{
    return cfg ? pair_lookup(cfg->enum_names, cfg->nenum_names, schema, enum_name) : NULL;
}

bool settings_is_ignored(const sm_config *cfg, const char *class_name)
{
    if (!cfg)
        return false;
    for (size_t i = 0; i < cfg->nignore; i++)
        if (strcmp(cfg->ignore[i], class_name) == 0)
            return true;
    return false;
}

bool settings_is_excluded(const sm_config *cfg, const char *schema, const char *name)
{
    if (!cfg || !cfg->nexclude)
        return false;
    char *qualified = xasprintf("%s.%s", schema ? schema : "", name);
    bool found = false;
    for (size_t i = 0; i < cfg->nexclude && !found; i++) {
        const char *pat = cfg->exclude[i];
        found = fnmatch(pat, strchr(pat, '.') ? qualified : name, 0) == 0;
    }
    free(qualified);
    return found;
}

bool settings_is_relationship(const sm_config *cfg, const char *schema, const char *table)
{
    if (!cfg)
        return false;
    for (size_t i = 0; i < cfg->nrelationships; i++)
        if (db_name_matches(cfg->relationships[i], schema, table))
            return true;
    return false;
}

const char *settings_type_override(const sm_config *cfg, const char *key)
{
    if (!cfg || !key)
        return NULL;
    for (size_t i = 0; i < cfg->ntypes; i++)
        if (strcmp(cfg->types[i].db, key) == 0)
            return cfg->types[i].cls;
    /* SQL type names are case-insensitive ("TIMESTAMPTZ" in a config means timestamptz) */
    for (size_t i = 0; i < cfg->ntypes; i++)
        if (strcasecmp(cfg->types[i].db, key) == 0)
            return cfg->types[i].cls;
    return NULL;
}

/* ------------------------------------------------------------------ editing */

static size_t json_skip_space(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* The end of the JSON string starting at s[i] (a '"'), or len when it does not end. */
static size_t json_skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

/* The end of the JSON value starting at s[i]: a string, or anything up to the ',' or the
 * bracket that closes its container, nested brackets and strings skipped. */
static size_t json_skip_value(const char *s, size_t len, size_t i)
{
    int depth = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = json_skip_string(s, len, i);
            if (!depth)
                return i;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (!depth)
                return i;
            if (!--depth)
                return i + 1;
        } else if (c == ',' && !depth) {
            return i;
        }
        i++;
    }
    return len;
}

int settings_edit_add(strbuf *out, bool *added, const char *text, size_t len, const char *key,
                      const char *value, sm_error *err)
{
    *added = false;
    /* the value as JSON writes it: quotes and escapes from cJSON */
    cJSON *jv = cJSON_CreateString(value);
    char *quoted = cJSON_PrintUnformatted(jv);
    cJSON_Delete(jv);
    /* the text must be what settings_parse reads: a JSON object */
    cJSON *root = len ? cJSON_ParseWithLength(text, len) : cJSON_CreateObject();
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        free(quoted);
        return sm_error_set(err, ERR_CONFIG, "fix the file, then try again", "the configuration is not a JSON object");
    }
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (arr && !cJSON_IsArray(arr)) {
        cJSON_Delete(root);
        free(quoted);
        return sm_error_set(err, ERR_CONFIG, "make it an array of strings", "%s is not an array", key);
    }
    const cJSON *el;
    cJSON_ArrayForEach(el, arr)
        if (cJSON_IsString(el) && strcmp(el->valuestring, value) == 0) {
            cJSON_Delete(root);
            free(quoted);
            strbuf_add(out, text, len);
            return 0;
        }
    cJSON_Delete(root);
    *added = true;
    if (!len) {
        strbuf_addf(out, "{\n  \"%s\": [%s]\n}\n", key, quoted);
        free(quoted);
        return 0;
    }
    /* walk the top-level members: where the key's array closes, where the last member
     * ends, how the first one is indented */
    size_t i = json_skip_space(text, len, 0);
    size_t open = i, close = len, last_end = 0, arr_close = len, arr_last = 0;
    const char *indent = "  ";
    size_t indent_len = 2;
    bool first = true, arr_empty = true;
    for (i = json_skip_space(text, len, open + 1); i < len && text[i] == '"';) {
        size_t kstart = i, kend = json_skip_string(text, len, i);
        if (first) {
            size_t ls = kstart;
            while (ls > open + 1 && (text[ls - 1] == ' ' || text[ls - 1] == '\t'))
                ls--;
            if (ls > open + 1 && (text[ls - 1] == '\n' || text[ls - 1] == '\r')) {
                indent = text + ls;
                indent_len = kstart - ls;
            }
            first = false;
        }
        bool is_key = kend - kstart - 2 == strlen(key) && memcmp(text + kstart + 1, key, strlen(key)) == 0;
        i = json_skip_space(text, len, kend);
        i = json_skip_space(text, len, i + 1); /* the ':' */
        size_t vstart = i, vend = json_skip_value(text, len, i);
        while (vend > vstart && strchr(" \t\r\n", text[vend - 1])) /* a literal ends at the ',' */
            vend--;
        if (is_key && text[vstart] == '[') {
            arr_close = vend - 1;
            size_t k = arr_close;
            while (k > vstart + 1 && strchr(" \t\r\n", text[k - 1]))
                k--;
            arr_last = k;
            arr_empty = k == vstart + 1;
        }
        last_end = vend;
        i = json_skip_space(text, len, vend);
        if (i < len && text[i] == ',')
            i = json_skip_space(text, len, i + 1);
    }
    close = i;
    if (arr_close < len) {
        size_t at = arr_empty ? arr_close : arr_last;
        strbuf_add(out, text, at);
        strbuf_addf(out, "%s%s", arr_empty ? "" : ", ", quoted);
        strbuf_add(out, text + at, len - at);
    } else if (last_end) {
        strbuf_add(out, text, last_end);
        strbuf_addf(out, ",\n%.*s\"%s\": [%s]", (int)indent_len, indent, key, quoted);
        strbuf_add(out, text + last_end, len - last_end);
    } else {
        strbuf_add(out, text, close);
        strbuf_addf(out, "\n  \"%s\": [%s]\n", key, quoted);
        strbuf_add(out, text + close, len - close);
    }
    free(quoted);
    return 0;
}

/* schema.name as an "exclude" pattern that matches that object alone. */
static char *exclude_pattern(const char *schema, const char *name)
{
    strbuf sb = STRBUF_INIT;
    const char *parts[2] = { schema ? schema : "public", name };
    for (int k = 0; k < 2; k++) {
        if (k)
            strbuf_addch(&sb, '.');
        for (const char *c = parts[k]; *c; c++) {
            if (strchr("*?[]\\", *c))
                strbuf_addch(&sb, '\\');
            strbuf_addch(&sb, *c);
        }
    }
    return strbuf_detach(&sb, NULL);
}

int settings_edit_untrack(strbuf *out, bool *changed, const char *text, size_t len, const char *cls,
                          const char *schema, const char *name, const char *file_name, sm_error *err)
{
    *changed = false;
    strbuf cur = STRBUF_INIT;
    strbuf_add(&cur, text, len);
    char *pattern = name ? exclude_pattern(schema, name) : NULL;
    const char *keys[2] = { "ignore", "exclude" }, *values[2] = { cls, pattern };
    int error = 0;
    for (int k = 0; k < 2 && error >= 0; k++) {
        if (!values[k])
            continue;
        strbuf next = STRBUF_INIT;
        bool added;
        error = settings_edit_add(&next, &added, cur.buf ? cur.buf : "", cur.len, keys[k], values[k], err);
        if (error >= 0) {
            strbuf_release(&cur);
            cur = next;
            *changed |= added;
        } else {
            strbuf_release(&next);
        }
    }
    free(pattern);
    sm_config *check = NULL;
    if (error >= 0 && (error = settings_parse(&check, cur.buf ? cur.buf : "", cur.len, file_name, err)) >= 0)
        settings_free(check);
    if (error >= 0)
        strbuf_add(out, cur.buf ? cur.buf : "", cur.len);
    strbuf_release(&cur);
    return error;
}
