/* jsonget.h: reading and checking members of JSON parsed with cJSON, the one way, for
 * every file schemerge reads (.schemerge.json, snapshots, backup metadata, the apply
 * record). These say what is wrong; each caller words the error for its own file (its
 * error code, its hint, where in the file). */
#ifndef SCHEMERGE_JSONGET_H
#define SCHEMERGE_JSONGET_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* The string member key of o (borrowed from o), or NULL when o has none or it is not a
 * string (o may be NULL). */
const char *json_get_string(const cJSON *o, const char *key);

/* What v is, for messages: "a string", "an array", "null", ... ("nothing" for NULL). */
const char *json_type_name(const cJSON *v);

/* Whether v is a whole number from min to max; *out gets it. */
bool json_get_whole(const cJSON *v, double min, double max, double *out);

/* The strings of the array v, copied (*out NULL-terminated, free each and the vector).
 * 0; -1 when v is not an array; -2 when item *bad is not a string, or is empty and
 * nonempty is asked. Nothing is allocated on failure. */
int json_get_strings(const cJSON *v, bool nonempty, char ***out, size_t *n, size_t *bad);

/* The first key that object obj names twice (cJSON keeps both and reads the first, which
 * would make the second silently dead), or NULL. */
const char *json_duplicate_key(const cJSON *obj);

#endif
