/* error.c: filling sm_error. Formatting only; nothing here prints. */
#include "config.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sm_error_set(sm_error *err, int code, const char *hint, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->what, sizeof err->what, fmt, ap);
    va_end(ap);
    snprintf(err->hint, sizeof err->hint, "%s", hint ? hint : "");
    return code;
}

void sm_error_clear(sm_error *err)
{
    if (!err)
        return;
    err->code = ERR_OK;
    err->what[0] = '\0';
    err->hint[0] = '\0';
}

void sm_error_prefix(sm_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    /* Build "prefix: old" by hand: truncation of a message is acceptable, overflow is not. */
    char joined[sizeof err->what];
    size_t plen = strlen(prefix);
    if (plen > sizeof joined - 3)
        plen = sizeof joined - 3;
    memcpy(joined, prefix, plen);
    memcpy(joined + plen, ": ", 2);
    size_t rest = sizeof joined - plen - 3;
    size_t olen = strnlen(err->what, rest);
    memcpy(joined + plen + 2, err->what, olen);
    joined[plen + 2 + olen] = '\0';
    memcpy(err->what, joined, sizeof joined);
}

const char *sm_error_describe(int code)
{
    switch (code) {
#define SM_ERROR_CASE(name, value, desc) case value: return desc;
        SM_ERROR_CODES(SM_ERROR_CASE)
#undef SM_ERROR_CASE
    }
    return "error";
}
