/* settings.h: the project configuration (.schemerge.json), validated.
 *
 * Every key is optional; an unknown key or a value of the wrong type is an error naming
 * the key and the file. The database URL is never read from a config file (a secret). */
#ifndef SCHEMERGE_SETTINGS_H
#define SCHEMERGE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"
#include "kinds.h"

typedef struct sm_name_pair {
    char *db;      /* database name: "Account" or "auth.account" */
    char *cls;     /* Python class name: "OAuthAccountRow" */
} sm_name_pair;

typedef struct sm_config {
    char *path;                /* the file read, relative to the root; NULL: defaults */
    char **schemas;            /* "schemas": default ["public"] */
    size_t nschemas;
    bool views;                /* "views": default false */
    char *file_enums;          /* "files": repo-relative, validated not to escape the root */
    char *file_entities;
    char *file_relationships;
    char *file_version;
    char **relationships;      /* "relationships": table names that go to relationships.py */
    size_t nrelationships;
    sm_name_pair *table_names; /* "names": {"tables": {...}} */
    size_t ntable_names;
    sm_name_pair *enum_names;  /* "names": {"enums": {...}} */
    size_t nenum_names;
    char **ignore;             /* "ignore": class names */
    size_t nignore;
    char **exclude;            /* "exclude": database objects not to track, by name or
                                  schema.name, globs allowed (fnmatch) */
    size_t nexclude;
    sm_name_pair *types;       /* "types": db type key -> Python annotation text */
    size_t ntypes;
    bool enum_columns_class;   /* "enum_columns": "class" (true) or "str" (false, default) */
    bool functional_never;     /* "functional_form": "never" (true) or "auto" (false, default):
                                  whether a column class syntax cannot hold is refused instead
                                  of writing the class in the functional TypedDict form */
    sm_severity severity[CHANGE_KIND_COUNT]; /* effective: defaults overridden by "severity" */
    sm_severity fail_on;       /* "fail_on": default low */
    int max_backups;           /* "max_backups": default 10, at least 1 */
    char *commit_message;      /* "commit_message": default "chore: sync schemas with database" */
    int statement_timeout_ms;  /* "statement_timeout_ms": default 30000 */
    int lock_timeout_ms;       /* "lock_timeout_ms": default 5000 */
    char *pydantic_target;     /* "pydantic_target": repo-relative path of the generated API
                                  schemas (apigen.h); NULL: none (the default) */
    char **warnings;           /* non-fatal notes (e.g. seed-tool keys that are ignored) */
    size_t nwarnings;
} sm_config;

/* The defaults (SPEC sections 1 and 7). */
sm_config *settings_default(void);

/* Load the configuration for the repository at root.
 * explicit_path (from --config; relative to the current directory) wins; else
 * ROOT/.schemerge.json, else ROOT/schema_sync_config.json, else
 * ROOT/scripts/schema_sync_config.json, else the defaults. A missing explicit file is an
 * error; the others are optional. File paths in "files" that are absolute or escape the
 * root are refused (ERR_UNSAFE). Errors: ERR_CONFIG, what = "PATH: KEY: problem". */
int settings_load(sm_config **out, const char *root, const char *explicit_path, sm_error *err);

/* Parse config text (name is used in messages). */
int settings_parse(sm_config **out, const char *text, size_t len, const char *name, sm_error *err);

void settings_free(sm_config *cfg);

/* The config text (len bytes; empty: no file yet) with value added to the array at the
 * top-level key, everything else byte for byte as it was: the value goes after the
 * array's last element, or a new key goes after the last one, indented like the first.
 * *added is false (and out the same text) when the array holds the value already.
 * ERR_CONFIG when the text is not a JSON object or the key is not an array. */
int settings_edit_add(strbuf *out, bool *added, const char *text, size_t len, const char *key,
                      const char *value, sm_error *err);
/* The config text with an object no longer tracked: the class cls (NULL: none) added to
 * "ignore", the database object schema.name (name NULL: none) to "exclude" as a pattern
 * that names it alone (glob characters escaped). *changed is false when the text says
 * so already. The result is checked to be a config settings_parse reads (file_name
 * names it in messages). */
int settings_edit_untrack(strbuf *out, bool *changed, const char *text, size_t len, const char *cls,
                          const char *schema, const char *name, const char *file_name, sm_error *err);

/* Lookups; NULL/false when not configured. A table may be named plainly or as schema.table. */
const char *settings_table_class(const sm_config *cfg, const char *schema, const char *table);
const char *settings_enum_class(const sm_config *cfg, const char *schema, const char *enum_name);
bool settings_is_ignored(const sm_config *cfg, const char *class_name);
/* Whether "exclude" names the database object schema.name: a pattern with a '.' is matched
 * against "schema.name", one without against the name alone (fnmatch globs). */
bool settings_is_excluded(const sm_config *cfg, const char *schema, const char *name);
bool settings_is_relationship(const sm_config *cfg, const char *schema, const char *table);
/* The override for a type key (SQL name, internal name or domain name), or NULL. */
const char *settings_type_override(const sm_config *cfg, const char *key);

#endif
