/* lint.h: `schemerge lint`: references to tables and columns in Python code that the
 * database does not have (seed 002's script validation, done with the real tokenizer).
 *
 * What is checked, in any Python file:
 *   - `.table("name")` and `.from_("name")` calls (supabase-py style): the table exists;
 *   - `var["key"]` and `var.get("key")` where var is annotated with a row class, as a
 *     function parameter (`def f(org: OrganizationRow)`) or an annotated assignment
 *     (`org: OrganizationRow = ...`) in the same function or at module level; the
 *     annotation may be `X`, `Optional[X]`, `X | None` or a quoted "X": the key is a
 *     column of the class's table;
 *   - `XRow(key=...)` calls: every keyword is a column of the class's table.
 * Row classes are matched to tables by drift's matching (config names, markers, naming
 * convention). A class that maps to no table is not checked: the drift report already
 * says the table is gone. Only the text is read: nothing is imported or run.
 *
 * Nothing here prints; findings are data. */
#ifndef SCHEMERGE_LINT_H
#define SCHEMERGE_LINT_H

#include <stddef.h>

#include "drift.h"
#include "error.h"
#include "model.h"

typedef struct lint_finding {
    char *path;       /* as given to lint_source */
    int line, col;    /* 1-based; col in code points, as Python counts */
    char *message;    /* unknown column "x" of table organizations (OrganizationRow) */
} lint_finding;

typedef struct lint_result {
    lint_finding *items; /* in file order, then position order */
    size_t n, cap;
} lint_result;

#define LINT_RESULT_INIT { NULL, 0, 0 }

/* Check one file's text and append its findings to res. db is the catalog, cs the
 * changeset computed from it (for class -> table). A file that is not valid Python is
 * ERR_PARSE with err->what = "PATH:LINE:COL: MESSAGE" (res keeps what it had). */
int lint_source(lint_result *res, const char *path, const char *text, size_t len,
                const sm_catalog *db, const sm_changeset *cs, sm_error *err);

void lint_result_done(lint_result *res);

/* The files lint checks by default: every *.py below root (sorted, root-relative),
 * except hidden directories (".git", ".venv", ...), virtual environments (a directory
 * holding pyvenv.cfg), __pycache__, node_modules and site-packages, and except the
 * repo-relative paths in exclude (the schema files themselves). *out is owned by the
 * caller (free each, then the array). Returns 0 or ERR_IO. */
int lint_find_files(char ***out, size_t *n, const char *root, const char *const *exclude,
                    size_t nexclude, sm_error *err);

/* Levenshtein distance between a and b (bytes), stopping early above limit: the result is
 * exact when <= limit, else limit + 1. For "did you mean". */
size_t lint_edit_distance(const char *a, const char *b, size_t limit);

#endif
