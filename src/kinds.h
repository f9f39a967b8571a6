/* kinds.h: severities and change kinds, each with its name, in one list (X-macros), so
 * that the enum, the JSON names, the config keys and the help texts cannot drift apart. */
#ifndef SCHEMERGE_KINDS_H
#define SCHEMERGE_KINDS_H

#include <stdbool.h>

/* X(ENUM, name, tag) ordered from least to most severe */
#define SM_SEVERITIES(X)                   \
    X(SEV_LOW, "low", "LOW")               \
    X(SEV_MEDIUM, "medium", "MEDIUM")      \
    X(SEV_HIGH, "high", "HIGH")            \
    X(SEV_CRITICAL, "critical", "CRITICAL")

typedef enum sm_severity {
#define SM_SEV_ENUM(e, name, tag) e,
    SM_SEVERITIES(SM_SEV_ENUM)
#undef SM_SEV_ENUM
    SEV_COUNT
} sm_severity;

/* X(ENUM, json name, default severity, whole object?) */
#define SM_CHANGE_KINDS(X)                                                  \
    X(CHANGE_ENUM_ADDED, "enum_added", SEV_LOW, true)                       \
    X(CHANGE_ENUM_REMOVED, "enum_removed", SEV_CRITICAL, true)              \
    X(CHANGE_ENUM_RENAMED, "enum_renamed", SEV_HIGH, true)                  \
    X(CHANGE_ENUM_VALUE_ADDED, "enum_value_added", SEV_HIGH, false)         \
    X(CHANGE_ENUM_VALUE_REMOVED, "enum_value_removed", SEV_HIGH, false)     \
    X(CHANGE_ENUM_VALUE_RENAMED, "enum_value_renamed", SEV_HIGH, false)     \
    X(CHANGE_ENUM_VALUES_REORDERED, "enum_values_reordered", SEV_LOW, false) \
    X(CHANGE_TABLE_ADDED, "table_added", SEV_LOW, true)                     \
    X(CHANGE_TABLE_REMOVED, "table_removed", SEV_CRITICAL, true)            \
    X(CHANGE_TABLE_RENAMED, "table_renamed", SEV_HIGH, true)                \
    X(CHANGE_COLUMN_ADDED, "column_added", SEV_MEDIUM, false)               \
    X(CHANGE_COLUMN_REMOVED, "column_removed", SEV_HIGH, false)             \
    X(CHANGE_COLUMN_RENAMED, "column_renamed", SEV_HIGH, false)             \
    X(CHANGE_COLUMN_TYPE_CHANGED, "column_type_changed", SEV_HIGH, false)   \
    X(CHANGE_COLUMN_NULLABILITY_CHANGED, "column_nullability_changed", SEV_MEDIUM, false)

typedef enum sm_change_kind {
#define SM_KIND_ENUM(e, name, sev, whole) e,
    SM_CHANGE_KINDS(SM_KIND_ENUM)
#undef SM_KIND_ENUM
    CHANGE_KIND_COUNT
} sm_change_kind;

const char *severity_name(sm_severity s);      /* "high" */
const char *severity_tag(sm_severity s);       /* "HIGH" */
int severity_parse(const char *name);          /* -1 when unknown; case-insensitive */
const char *change_kind_name(sm_change_kind k); /* "column_added" */
int change_kind_parse(const char *name);       /* -1 when unknown */
sm_severity change_kind_default_severity(sm_change_kind k);
bool change_kind_is_whole_object(sm_change_kind k);
bool change_kind_is_enum(sm_change_kind k);    /* concerns an enum (else a table) */

#endif
