/* drift.h: matching local classes to database objects, and the list of differences.
 *
 * drift_compute compares a catalog with the parsed local files and lists every change
 * (SPEC sections 2 and 4): one per enum label, column or whole object, each with a stable
 * id, a kind, a severity, the target file and, when the last-sync snapshot is known, the
 * side that moved. Renames since the last sync (same OID or column number, new name) are
 * one *_renamed change. The change list borrows from the catalog, files and config it was
 * computed from: free it before them. */
#ifndef SCHEMERGE_DRIFT_H
#define SCHEMERGE_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"
#include "error.h"
#include "kinds.h"
#include "model.h"
#include "pyparse.h"
#include "typemap.h"

typedef enum sm_target {
    TARGET_ENUMS,
    TARGET_ENTITIES,
    TARGET_RELATIONSHIPS,
    TARGET_COUNT
} sm_target;

typedef enum sm_moved {
    MOVED_UNKNOWN,   /* no last-sync snapshot */
    MOVED_DATABASE,
    MOVED_LOCAL,
    MOVED_BOTH,
} sm_moved;

const char *moved_name(sm_moved m); /* "unknown", "database", "local", "both" */

/* One difference between the database and a file.
 *
 * Ownership: the char * fields (schema, object, class_name, member, database, local, the
 * two lists, old_name, reason, note) are the change's own, freed by drift_free. What is
 * const is borrowed, and lives exactly as long as what it was computed from:
 *   file                from the configuration (sm_project.config): until the config is
 *                       replaced (project_set_config);
 *   table, enm, column  from the catalog (sm_project.db): until the catalog is replaced
 *                       (project_install_catalog drops the change list first);
 *   cls, pymember, pyfield  from the parsed files (sm_project.files): until the files are
 *                       parsed again (project_load_files).
 * A change set is therefore recomputed (project_compute) after any of the three changes;
 * the UI keeps accepted changes across that by id, never by pointer. */
typedef struct sm_change {
    char id[9];              /* 8 hex digits: stable for the same kind/object/member */
    sm_change_kind kind;
    sm_severity severity;
    sm_moved moved;
    sm_target target;
    const char *file;        /* repo-relative path of the target file (borrowed config) */
    char *schema;            /* database schema of the object, NULL when unknown */
    char *object;            /* database name (table/enum); local-only: marker/config name or NULL */
    char *class_name;        /* the Python class (existing, or the one to generate) */
    char *member;            /* column or label; NULL for whole-object changes */
    char *database;          /* annotation or label in the database; NULL when absent */
    char *local;             /* annotation or label in the file; NULL when absent */
    char **database_list;    /* enum_values_reordered: the labels in database order */
    size_t ndatabase_list;
    char **local_list;       /* enum_values_reordered: the labels in file order */
    size_t nlocal_list;
    char *old_name;          /* *_renamed: the name in the file (class, field, or label) */
    char *reason;            /* why applying it cannot work (bad field name, ignored class
                                name), NULL when it can be applied */
    char *note;              /* what applying it does beyond the obvious (the class is
                                converted to the functional TypedDict form), or NULL */
    bool qualify_marker;     /* *_ADDED: another selected schema has an object of this name,
                                so the marker names the schema (auth.users) */
    int line;                /* line in the local file (class or member), 0 when none */
    /* Links for applying, all borrowed; NULL where they do not apply. */
    const sm_table *table;
    const sm_enum *enm;
    const sm_column *column;
    const py_class *cls;     /* the local class, when there is one */
    const py_member *pymember;
    const py_field *pyfield;
} sm_change;

typedef struct sm_changeset {
    sm_change *items;        /* ordered by file, then object, then position */
    size_t n, cap;
    size_t counts[SEV_COUNT];
    char **warnings;         /* non-fatal findings (a field annotation that does not parse...) */
    size_t nwarnings, cap_warnings;
    struct drift_match *matches; /* private: which class each database object maps to */
    size_t nmatches, cap_matches;
    size_t nenum_matches;        /* private: matches[0..nenum_matches) are the enums, in the
                                    catalog's (schema, name) order when enums_sorted */
    bool enums_sorted;
} sm_changeset;

typedef struct drift_input {
    const sm_catalog *db;
    const sm_catalog *last_sync;          /* may be NULL */
    const py_file *files[TARGET_COUNT];   /* NULL: the file does not exist */
    const char *paths[TARGET_COUNT];      /* repo-relative */
    const sm_config *config;
    int threads;                          /* at most this many (0: two for a large schema,
                                             the most that helps); the changes are the same */
} drift_input;

/* Compute the changes. Returns 0 and a new changeset in *out (drift_free). */
int drift_compute(sm_changeset **out, const drift_input *in, sm_error *err);
void drift_free(sm_changeset *cs);

/* The highest severity present, or -1 when there is no change. */
int drift_max_severity(const sm_changeset *cs);
/* How many changes are at or above sev. */
size_t drift_count_at_least(const sm_changeset *cs, sm_severity sev);

/* Whether change c is selected by a --only word: a change id (or a unique prefix of at
 * least 4 digits), a kind name, "OBJECT" or "OBJECT.MEMBER" or a class name. */
bool drift_change_matches(const sm_change *c, const char *word);

/* The type-mapping context of this changeset: enum columns name the classes its matching
 * found (or would generate). config and db are those the changes were computed from. */
typemap_ctx drift_typemap_ctx(const sm_changeset *cs, const sm_config *config, const sm_catalog *db);

/* Class name for an enum of the catalog: the local class it matched, else the one that
 * would be generated. Borrowed from the changeset's match table; NULL when unknown. */
const char *drift_enum_class(const sm_changeset *cs, const char *schema, const char *name);

/* The reverse lookups, for lint and sql: the catalog table or enum that a class name
 * stands for (the local class it matched, else the name that would be generated for it).
 * Borrowed from the catalog the changeset was computed from; NULL when none. */
const sm_table *drift_class_table(const sm_changeset *cs, const char *class_name);
/* The class name of a table: its local class's, or the one the whole-catalog rule chose
 * for it (SPEC 2); NULL when the table is not in the changeset's catalog. */
const char *drift_table_class(const sm_changeset *cs, const sm_table *t);
const sm_enum *drift_class_enum(const sm_changeset *cs, const char *class_name);

#endif
