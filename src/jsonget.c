/* jsonget.c: see jsonget.h. */
#include "config.h"
#include "jsonget.h"

const char *json_get_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
