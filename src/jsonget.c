/* jsonget.c: see jsonget.h. */
#include "config.h"
#include "jsonget.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char *json_get_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *json_type_name(const cJSON *v)
{
    if (!v) return "nothing";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "an invalid value";
}

bool json_get_whole(const cJSON *v, double min, double max, double *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    /* range first: converting a double outside long long's range is undefined */
    if (!(d >= min && d <= max) || d != (double)(long long)d)
        return false;
    *out = d;
    return true;
}

int json_get_strings(const cJSON *v, bool nonempty, char ***out, size_t *n, size_t *bad)
{
    if (!cJSON_IsArray(v))
        return -1;
    size_t count = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (!cJSON_IsString(it) || (nonempty && !it->valuestring[0])) {
            *bad = count;
            return -2;
        }
        count++;
    }
    char **items = xcalloc(count + 1, sizeof *items);
    count = 0;
    cJSON_ArrayForEach(it, v)
        items[count++] = xstrdup(it->valuestring);
    *out = items;
    *n = count;
    return 0;
}

const char *json_duplicate_key(const cJSON *obj)
{
    for (const cJSON *a = obj ? obj->child : NULL; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0)
                return a->string;
    return NULL;
}
