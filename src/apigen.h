/* apigen.h: the generated API schemas file (config "pydantic_target"; issue 9, seed 000).
 *
 * For every table of the catalog (ordinary and partitioned; views and partitions are not
 * tables of their own), the target file holds three Pydantic classes, each marked by its
 * docstring's first line ("Create schema for table NAME", "Update ...", "Response ..."):
 *   XCreate    the columns without an identity, a generated value or a default; nullable
 *              ones Optional[T] = None;
 *   XUpdate    every column but identity and generated ones, all Optional[T] = None;
 *   XResponse  every column, with model_config = ConfigDict(from_attributes=True);
 * where X is the table's row class name without "Row" (config "names" first, else the
 * naming convention). Constraints become Field(...) arguments: max_length from
 * varchar(n)/char(n), ge/gt/le/lt from a one-column CHECK (col >= 0). Enum columns use the
 * enum classes, imported from the enums module.
 *
 * apigen_build computes the "theirs" of the three-way merge for that file: only the field
 * lines of a managed class are regenerated (replaced in place, inserted at their column's
 * position, removed), through edit.c's splices; new classes are appended in table order,
 * classes whose table is gone are removed, and every other byte (validators and methods
 * inside the classes, other classes, imports, comments) is kept. Nothing here writes. */
#ifndef SCHEMERGE_APIGEN_H
#define SCHEMERGE_APIGEN_H

#include <stddef.h>

#include "settings.h"
#include "drift.h"
#include "error.h"
#include "model.h"
#include "strbuf.h"

typedef struct apigen_request {
    const char *path;             /* repo-relative path of the target, for messages */
    const char *base;             /* its text now; NULL when the file does not exist */
    size_t base_len;
    const sm_catalog *db;
    const sm_config *config;
    const sm_changeset *changes;  /* for the enum class names (drift_enum_class) */
    const char *enums_module;     /* dotted module of the enums file: "schemas.enums" */
} apigen_request;

/* Write into out the target's new text. When nothing differs, out receives base as it is.
 * A class or field that cannot be regenerated is left as it is and reported in
 * (*failures)[0..*nfailures) (new strings "PATH: cannot regenerate X.f: why"); the rest
 * is written. Returns 0, or ERR_PARSE (the file is not valid Python; what =
 * "PATH:LINE:COL: ...") with err filled in. */
int apigen_build(strbuf *out, const apigen_request *req, char ***failures, size_t *nfailures,
                 sm_error *err);

#endif
