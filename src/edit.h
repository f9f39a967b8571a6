/* edit.h: accepted changes as splices into a parsed file (the "theirs" of the merge).
 *
 * Each change becomes a replacement of a byte span of the file as it was parsed: a label
 * or field inserted at its database position, a line removed with its trailing comment, an
 * annotation rewritten, a whole class inserted (sorted files stay sorted) or removed, names
 * renamed in place, labels reordered keeping each line's own text. Needed imports are added
 * once. Every byte outside the edited spans is kept as it was. */
#ifndef SCHEMERGE_EDIT_H
#define SCHEMERGE_EDIT_H

#include <stddef.h>

#include "drift.h"
#include "error.h"
#include "pyparse.h"
#include "strbuf.h"
#include "typemap.h"

typedef struct edit_request {
    const py_file *base;            /* the file as parsed; NULL when it does not exist yet */
    sm_target target;
    const char *enums_module;       /* dotted module of the enums file ("schemas.enums"), for
                                       imports of enum classes used as annotations */
    const sm_change *const *changes; /* the accepted changes for this file, any order */
    size_t nchanges;
    const typemap_ctx *types;
    /* Text made by the caller instead of codegen's (apigen.c, issue 9); NULL for the usual
     * generation. texts[i] is change i's whole class (CHANGE_TABLE_ADDED) or the text after
     * "name: " of its field, annotation and default (CHANGE_COLUMN_ADDED, and
     * CHANGE_COLUMN_TYPE_CHANGED, which then replaces the field's annotation and default).
     * New classes then go to the end of the file in change order. */
    const char *const *texts;
    /* Imports to add when missing (with texts): `from import_modules[i] import
     * import_names[i]`, grouped by module in first-appearance order. */
    const char *const *import_modules;
    const char *const *import_names;
    size_t nimports;
} edit_request;

/* Write into out the base text with the changes spliced in. reasons[i] (an array of
 * nchanges pointers, zeroed by the caller) receives a new string for each change that
 * cannot be applied; out then holds exactly the others (a refused change is dropped and
 * the text built again without it, so no half of it is left). Returns 0 or ERR_APPLY. */
int edit_build(strbuf *out, const edit_request *req, char **reasons, sm_error *err);

#endif
