/* typemap.h: database types -> Python annotations, and comparison by meaning (SPEC 3). */
#ifndef SCHEMERGE_TYPEMAP_H
#define SCHEMERGE_TYPEMAP_H

#include <stdbool.h>

#include "settings.h"
#include "model.h"
#include "pytype.h"

typedef struct typemap_ctx {
    const sm_config *config;   /* "types" overrides and "enum_columns"; may be NULL */
    const sm_catalog *catalog; /* which schemas are selected */
    /* The Python class of an enum type of a selected schema, or NULL when it has none
     * (not in the local files and not generated); may be NULL itself. */
    const char *(*enum_class)(const char *schema, const char *name, void *payload);
    void *payload;
} typemap_ctx;

/* The annotation to WRITE for a column: the mapping of its type, Optional when nullable.
 * Enums: the class name when "enum_columns" is "class" and the class is known, else str.
 * New tree. */
pytype *typemap_column(const typemap_ctx *ctx, const sm_column *col);

/* The mapping of a type (no nullability): arrays -> list[elem], domains -> their base
 * (overrides win at every level: array elements, domain bases, the domain's own name). */
pytype *typemap_type(const typemap_ctx *ctx, const sm_type *type);

typedef enum typemap_verdict {
    TYPEMAP_MATCH,
    TYPEMAP_TYPE_CHANGED,         /* different type (possibly nullability too) */
    TYPEMAP_NULLABILITY_CHANGED,  /* same type, only nullability differs */
} typemap_verdict;

/* Compare a column with a local annotation by meaning (SPEC section 3's rules):
 * Optional[str] == str | None; an enum column matches str and the enum's class;
 * json/jsonb matches dict, Dict[...], list, List[...] and Any (Any includes None);
 * bare list/List and list[Any] match any array, list[X] must match the element;
 * Any for a non-json column is a type change. */
typemap_verdict typemap_compare(const typemap_ctx *ctx, const sm_column *col, const pytype *local);

#endif
