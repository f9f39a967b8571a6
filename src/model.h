/* model.h: the in-memory model of a database catalog (enums, tables, columns, constraints).
 *
 * One sm_catalog owns everything reachable from it; catalog_free releases it all. The
 * catalog reader (catalog.c) and the snapshot reader (snapshot.c) both build this model,
 * and everything downstream (drift, codegen, snapshots, hashing) reads only this model.
 *
 * Arrays are plain C arrays with a count. Pointers into them (from catalog_add_* or
 * catalog_find_*) stay valid until the next catalog_add_* on the same array, or until
 * catalog_free. After catalog_sort, enums and tables are ordered by (schema, name),
 * constraints by name; columns keep attnum order and labels keep enumsortorder order. */
#ifndef SCHEMERGE_MODEL_H
#define SCHEMERGE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sm_type_kind {
    SM_TYPE_BASE,      /* a base type: int4, text, uuid, citext, inet, ...          */
    SM_TYPE_ARRAY,     /* elem is the element type (never itself an array)          */
    SM_TYPE_ENUM,      /* schema/name name the enum type                           */
    SM_TYPE_DOMAIN,    /* elem is the base type, not_null the domain's NOT NULL      */
    SM_TYPE_COMPOSITE, /* a composite (row) type                                    */
    SM_TYPE_RANGE,     /* a range or multirange type                                */
    SM_TYPE_PSEUDO,    /* a pseudo-type, or anything the reader could not classify  */
} sm_type_kind;

/* A column's type, resolved: arrays and domains point at what they are made of. */
typedef struct sm_type {
    sm_type_kind kind;
    char *schema;   /* the type's namespace: "pg_catalog", "public", ...              */
    char *name;     /* internal name (pg_type.typname): "int4", "varchar", "mood"    */
    char *sql;      /* format_type(oid, NULL): "integer", "character varying", "mood";
                       for an array, the element's sql followed by "[]"              */
    bool not_null;  /* SM_TYPE_DOMAIN only: the domain is declared NOT NULL          */
    struct sm_type *elem; /* SM_TYPE_ARRAY: element; SM_TYPE_DOMAIN: base type; else NULL */
    unsigned shares;      /* owners besides the first (sm_type_share); a type is never
                             changed once shared */
} sm_type;

/* (Pointers first, then the small members: no padding between them; 100,000 columns.) */
typedef struct sm_column {
    char *name;
    sm_type *type;        /* owned */
    char *type_display;   /* format_type(atttypid, atttypmod): "character varying(255)" */
    char *default_expr;   /* pg_get_expr(adbin), NULL when none                          */
    char *comment;        /* NULL when none */
    int attnum;           /* pg_attribute.attnum: identity of the column across renames */
    int ndims;            /* declared array dimensions (attndims), 0 when not an array   */
    bool not_null;        /* attnotnull (a NOT NULL domain is in type->not_null)         */
    char identity;        /* 0, 'a' (GENERATED ALWAYS AS IDENTITY) or 'd' (BY DEFAULT)   */
    char generated;       /* 0 or 's' (GENERATED ALWAYS AS (...) STORED)                 */
} sm_column;

typedef enum sm_constraint_kind {
    SM_CONSTRAINT_PRIMARY,
    SM_CONSTRAINT_FOREIGN,
    SM_CONSTRAINT_UNIQUE,
    SM_CONSTRAINT_CHECK,
} sm_constraint_kind;

typedef struct sm_constraint {
    char *name;
    sm_constraint_kind kind;
    char **columns;        /* column names in key order (a CHECK: the columns it uses) */
    size_t ncolumns;
    char *ref_schema;      /* FOREIGN only, else NULL */
    char *ref_table;
    char **ref_columns;
    size_t nref_columns;
    char *definition;      /* pg_get_constraintdef: "CHECK ((price >= 0))" */
} sm_constraint;

typedef enum sm_table_kind {
    SM_TABLE_ORDINARY = 'r',
    SM_TABLE_PARTITIONED = 'p',
    SM_TABLE_VIEW = 'v',
    SM_TABLE_MATVIEW = 'm',
} sm_table_kind;

typedef struct sm_table {
    char *schema;
    char *name;
    uint32_t oid;          /* identity across renames; 0 when unknown */
    char kind;             /* an sm_table_kind */
    char *comment;
    sm_column *columns;    /* attnum order, dropped columns never present */
    size_t ncolumns, cap_columns;
    sm_constraint *constraints;
    size_t nconstraints, cap_constraints;
    bool borrowed;         /* its members are an equal table's of another catalog
                              (table_borrow): that catalog frees them */
    bool pooled;           /* the strings of its columns and constraints are in its
                              catalog's pool (strings): freed with it, never one by one */
} sm_table;

typedef struct sm_enum_label {
    char *name;            /* the label, exactly */
    uint32_t oid;          /* pg_enum.oid: identity across renames; 0 when unknown */
} sm_enum_label;

typedef struct sm_enum {
    char *schema;
    char *name;
    uint32_t oid;
    char *comment;
    sm_enum_label *labels; /* enumsortorder order */
    size_t nlabels, cap_labels;
} sm_enum;

typedef struct sm_catalog {
    char **schemas;        /* the schemas that were read, in the order asked */
    size_t nschemas, cap_schemas;
    sm_enum *enums;
    size_t nenums, cap_enums;
    sm_table *tables;
    size_t ntables, cap_tables;
    char *server_version;  /* "15.4", NULL for a snapshot without it; not hashed */
    /* catalog_load_db: the SHA-256 (hex) of everything the queries returned, with the
     * reader's version and options. The catalog is a function of those alone, so two reads
     * with the same digest have the same DB hash: see state_recorded_hash. NULL when the
     * catalog came from elsewhere (a snapshot file). Not part of any snapshot. */
    char *read_digest;
    /* The catalog some of whose tables this one borrows (table_borrow), which must
     * outlive it; NULL when none. */
    const struct sm_catalog *borrows_from;
    /* Where the columns of its pooled tables keep their strings (catalog_load_db); NULL
     * when none. */
    struct strpool *strings;
    /* Lookup indexes, built by catalog_sort and dropped by any catalog_add_*: while they
     * exist, finding an object by name or OID is a binary search instead of a scan. */
    bool sorted;
    size_t *tables_by_oid;
    size_t *enums_by_oid;
} sm_catalog;

/* A new empty catalog, owned by the caller. */
sm_catalog *catalog_new(void);
void catalog_free(sm_catalog *cat);

/* Append a zeroed object and return it (borrowed; see the validity rule above).
 * Strings handed to the model afterwards must be malloc'd: the model frees them. */
void catalog_add_schema(sm_catalog *cat, const char *schema);
sm_enum *catalog_add_enum(sm_catalog *cat);
sm_table *catalog_add_table(sm_catalog *cat);
sm_enum_label *enum_add_label(sm_enum *e);
/* Room for that many more columns and constraints, exactly: a reader that knows how
 * many are coming leaves no doubling slack (a third of the columns' memory). */
void table_reserve(sm_table *t, size_t more_columns, size_t more_constraints);
sm_column *table_add_column(sm_table *t);
sm_constraint *table_add_constraint(sm_table *t);

/* Whether two tables are the same in every field the model holds (their constraints
 * compared in order). */
bool table_equal(const sm_table *a, const sm_table *b);
/* A table's fingerprint: the first 128 bits (32 hex digits) of a SHA-256 over every field
 * table_equal compares, so that two tables have the same fingerprint exactly when
 * table_equal holds (short of a collision). Keep the two in step. scratch is a buffer
 * the caller reuses from table to table. */
#define SM_FINGERPRINT_HEX 32
struct strbuf;
void table_fingerprint(const sm_table *t, struct strbuf *scratch, char out[SM_FINGERPRINT_HEX + 1]);
/* out[i] = the fingerprint of tables[i] ("" for NULL), on two threads when there are many
 * (5,000 tables take 20 ms on one). */
void tables_fingerprint(const sm_table *const *tables, size_t n, char (*out)[SM_FINGERPRINT_HEX + 1]);
/* Make t, of catalog cat, the table `from` of another catalog (equal to it: table_equal)
 * without a copy: t's own members are freed and from's are shared, owned by from's
 * catalog, which must outlive cat (cat->borrows_from says which). A 42 MB last-sync
 * snapshot then holds only what changed since. */
void table_borrow(sm_catalog *cat, sm_table *t, const sm_catalog *owner, const sm_table *from);
/* Whether copy is of itself, borrowed (table_borrow): equal to it in every field. */
bool table_is_borrowed_copy(const sm_table *copy, const sm_table *of);

/* Sort enums and tables by (schema, name) and constraints by name, so that the model
 * does not depend on the order the server returned rows in, and index them by OID. */
void catalog_sort(sm_catalog *cat);

/* Lookups; NULL when absent. schema NULL matches any schema (first by sort order). */
const sm_table *catalog_find_table(const sm_catalog *cat, const char *schema, const char *name);
const sm_enum *catalog_find_enum(const sm_catalog *cat, const char *schema, const char *name);
const sm_table *catalog_find_table_oid(const sm_catalog *cat, uint32_t oid);
const sm_enum *catalog_find_enum_oid(const sm_catalog *cat, uint32_t oid);
const sm_column *table_find_column(const sm_table *t, const char *name);
const sm_column *table_find_column_attnum(const sm_table *t, int attnum);
bool catalog_has_schema(const sm_catalog *cat, const char *schema);

sm_type *sm_type_new(sm_type_kind kind, const char *schema, const char *name, const char *sql);
sm_type *sm_type_dup(const sm_type *t);
/* One more owner of t (the catalog reader gives every column of a type the same one);
 * each owner calls sm_type_free. Returns t. */
sm_type *sm_type_share(sm_type *t);
void sm_type_free(sm_type *t);
/* Kind names as used in snapshots: "base", "array", "enum", "domain", ... */
const char *sm_type_kind_name(sm_type_kind kind);
int sm_type_kind_parse(const char *name); /* -1 when unknown */
const char *sm_constraint_kind_name(sm_constraint_kind kind); /* "primary", "foreign", ... */
int sm_constraint_kind_parse(const char *name);

/* A column is nullable unless it or its domain says NOT NULL (domains nest). */
bool column_is_nullable(const sm_column *c);

#endif
