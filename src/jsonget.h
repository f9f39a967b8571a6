/* jsonget.h: reading members of JSON objects parsed with cJSON, the one way: a member of
 * the wrong type reads as missing, so a caller checks one NULL instead of a type. */
#ifndef SCHEMERGE_JSONGET_H
#define SCHEMERGE_JSONGET_H

#include <cjson/cJSON.h>

/* The string member key of o (borrowed from o), or NULL when o has none or it is not a
 * string (o may be NULL). */
const char *json_get_string(const cJSON *o, const char *key);

#endif
