/* error.h: the one error type of schemerge.
 *
 * A function that can fail returns 0 or a negative ERR_* code and fills a caller-provided
 * sm_error. There is no global "last error". Messages are one line, lowercase, no final
 * period: what failed (naming the object), then why; the hint says what to do. */
#ifndef SCHEMERGE_ERROR_H
#define SCHEMERGE_ERROR_H

/* X(name, value, short description) */
#define SM_ERROR_CODES(X)                                         \
    X(ERR_OK, 0, "no error")                                      \
    X(ERR_GENERIC, -1, "error")                                   \
    X(ERR_USAGE, -2, "bad command line")                          \
    X(ERR_IO, -3, "input/output error")                           \
    X(ERR_PARSE, -4, "cannot parse")                              \
    X(ERR_CONFIG, -5, "bad configuration")                        \
    X(ERR_DB_CONNECT, -6, "cannot connect to the database")       \
    X(ERR_DB_QUERY, -7, "database query failed")                  \
    X(ERR_SNAPSHOT, -8, "bad snapshot")                           \
    X(ERR_CONFLICT, -9, "merge conflict")                         \
    X(ERR_GIT, -10, "git error")                                  \
    X(ERR_NOT_FOUND, -11, "not found")                            \
    X(ERR_APPLY, -12, "cannot apply")                             \
    X(ERR_BACKUP, -13, "backup error")                            \
    X(ERR_UNSAFE, -14, "refused as unsafe")

typedef enum sm_error_code {
#define SM_ERROR_ENUM(name, value, desc) name = value,
    SM_ERROR_CODES(SM_ERROR_ENUM)
#undef SM_ERROR_ENUM
} sm_error_code;

/* "sm_": plain "error" clashes with glibc's error(). */
typedef struct sm_error {
    int code;        /* an sm_error_code */
    char what[512];  /* cannot parse schemas/enums.py:14:5: unterminated string */
    char hint[256];  /* fix the file or exclude it with "files" in .schemerge.json; may be empty */
} sm_error;

#define SM_ERROR_INIT { ERR_OK, "", "" }

/* Fill err (when non-NULL) and return code, so that `return sm_error_set(...)` reads well.
 * hint may be NULL. The message is truncated to fit, never overflows. */
int sm_error_set(sm_error *err, int code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reset err to ERR_OK with empty texts. */
void sm_error_clear(sm_error *err);

/* Prefix err->what with "CONTEXT: " (for adding where-it-happened at a boundary). */
void sm_error_prefix(sm_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The short description of a code ("merge conflict"), never NULL. */
const char *sm_error_describe(int code);

#endif
