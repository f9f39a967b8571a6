/* conninfo.c: choosing and masking connection strings. The key=value scanner follows
 * libpq's own conninfo_parse (fe-connect.c) closely, so that what we mask is exactly
 * what libpq would take as the password; where we cannot tell, we mask more, never less. */
#include "config.h"
#include "conninfo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

#define UNPARSABLE "<connection string>"
#define MASK "***"

static const char *uri_body(const char *s)
{
    static const char *const prefixes[] = { "postgresql://", "postgres://" };
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
            return s + strlen(prefixes[i]);
    return NULL;
}

bool conninfo_is_uri(const char *s)
{
    return s && uri_body(s) != NULL;
}

static bool is_secret_key(const char *key, size_t len)
{
    return (len == 8 && strncmp(key, "password", 8) == 0) ||
           (len == 11 && strncmp(key, "sslpassword", 11) == 0);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A query parameter's key, percent-decoded, so that ?pass%77ord= is caught too. */
static bool uri_key_is_secret(const char *key, size_t len)
{
    char buf[32];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (n + 1 >= sizeof buf)
            return false;
        if (key[i] == '%' && i + 2 < len && hexval(key[i + 1]) >= 0 && hexval(key[i + 2]) >= 0) {
            buf[n++] = (char)(hexval(key[i + 1]) * 16 + hexval(key[i + 2]));
            i += 2;
        } else {
            buf[n++] = key[i];
        }
    }
    return is_secret_key(buf, n);
}

static char *redact_uri(const char *s, const char *body)
{
    strbuf out = STRBUF_INIT;
    strbuf_add(&out, s, (size_t)(body - s));

    /* The userinfo ends at the last '@' before the query. A password may itself hold
     * '?', so when there is no '@' before the query, a later '@' preceded by a ':'
     * still counts: masking a host by mistake is better than printing a password. */
    const char *query = strchr(body, '?');
    const char *at = NULL;
    for (const char *p = body; *p && (!query || p < query); p++)
        if (*p == '@')
            at = p;
    if (!at && query) {
        const char *last = strrchr(body, '@');
        if (last && memchr(body, ':', (size_t)(last - body)))
            at = last;
    }
    const char *rest = body;
    if (at) {
        const char *colon = memchr(body, ':', (size_t)(at - body));
        if (colon) {
            strbuf_add(&out, body, (size_t)(colon - body));
            strbuf_adds(&out, ":" MASK);
        } else {
            strbuf_add(&out, body, (size_t)(at - body));
        }
        rest = at;
        query = strchr(at, '?');
    }
    if (!query) {
        strbuf_adds(&out, rest);
        return strbuf_detach(&out, NULL);
    }
    strbuf_add(&out, rest, (size_t)(query + 1 - rest));
    const char *p = query + 1;
    while (*p) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        if (eq && uri_key_is_secret(p, (size_t)(eq - p))) {
            strbuf_add(&out, p, (size_t)(eq + 1 - p));
            strbuf_adds(&out, MASK);
        } else {
            strbuf_add(&out, p, len);
        }
        p += len;
        if (*p == '&')
            strbuf_addch(&out, *p++);
    }
    return strbuf_detach(&out, NULL);
}

/* Append value quoted the way libpq reads it back: '...' with \ and ' escaped. */
static void add_quoted(strbuf *out, const char *value)
{
    strbuf_addch(out, '\'');
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == '\'')
            strbuf_addch(out, '\\');
        strbuf_addch(out, *p);
    }
    strbuf_addch(out, '\'');
}

static char *redact_keywords(const char *s, int depth)
{
    strbuf out = STRBUF_INIT, value = STRBUF_INIT;
    const char *p = s;
    bool ok = true;
    while (*p) {
        const char *ws = p;
        while (*p && isspace((unsigned char)*p))
            p++;
        strbuf_add(&out, ws, (size_t)(p - ws));
        if (!*p)
            break;
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t keylen = (size_t)(p - key);
        while (*p && isspace((unsigned char)*p))
            p++;
        if (keylen == 0 || *p != '=') {
            ok = false;
            break;
        }
        p++;
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *vstart = p;
        strbuf_reset(&value);
        if (*p == '\'') {
            p++;
            for (;;) {
                if (!*p) {
                    ok = false; /* unterminated quote: libpq rejects it too */
                    break;
                }
                if (*p == '\\') {
                    p++;
                    if (*p)
                        strbuf_addch(&value, *p++);
                } else if (*p == '\'') {
                    p++;
                    break;
                } else {
                    strbuf_addch(&value, *p++);
                }
            }
            if (!ok)
                break;
        } else {
            while (*p && !isspace((unsigned char)*p)) {
                if (*p == '\\') {
                    p++;
                    if (*p)
                        strbuf_addch(&value, *p++);
                } else {
                    strbuf_addch(&value, *p++);
                }
            }
        }
        const char *v = strbuf_str(&value);
        strbuf_add(&out, key, (size_t)(vstart - key)); /* "key = " as written */
        if (is_secret_key(key, keylen)) {
            strbuf_adds(&out, MASK);
        } else if (keylen == 6 && strncmp(key, "dbname", 6) == 0 && depth == 0 &&
                   (conninfo_is_uri(v) || strchr(v, '='))) {
            /* libpq expands a dbname that is itself a connection string */
            char *inner = conninfo_is_uri(v) ? redact_uri(v, uri_body(v)) : redact_keywords(v, depth + 1);
            if (strcmp(inner, v) == 0)
                strbuf_add(&out, vstart, (size_t)(p - vstart));
            else
                add_quoted(&out, inner);
            free(inner);
        } else {
            strbuf_add(&out, vstart, (size_t)(p - vstart));
        }
    }
    strbuf_release(&value);
    if (!ok) {
        strbuf_release(&out);
        return xstrdup(UNPARSABLE);
    }
    return strbuf_detach(&out, NULL);
}

char *conninfo_redact(const char *conninfo)
{
    if (!conninfo || !*conninfo)
        return xstrdup("");
    const char *body = uri_body(conninfo);
    if (body)
        return redact_uri(conninfo, body);
    return redact_keywords(conninfo, 0);
}

/* Whether needle[0..nn) occurs in hay[0..hn). */
static bool contains_n(const char *hay, size_t hn, const char *needle, size_t nn)
{
    for (size_t i = 0; nn <= hn && i <= hn - nn; i++)
        if (memcmp(hay + i, needle, nn) == 0)
            return true;
    return false;
}

/* Whether needle[0..n) occurs in hay. */
static bool contains(const char *hay, const char *needle, size_t n)
{
    return contains_n(hay, strlen(hay), needle, n);
}

char *conninfo_scrub(const char *msg, const char *conninfo, const char *password)
{
    if (!conninfo)
        conninfo = "";
    char *shown = conninfo_redact(conninfo);
    strbuf out = STRBUF_INIT;
    size_t pwlen = password ? strlen(password) : 0;
    const char *p = msg ? msg : "";
    for (;;) {
        const char *q = strchr(p, '"');
        const char *e = q ? strchr(q + 1, '"') : NULL;
        if (!e) {
            strbuf_adds(&out, p);
            break;
        }
        strbuf_add(&out, p, (size_t)(q + 1 - p));
        const char *inner = q + 1;
        size_t n = (size_t)(e - inner);
        if (n == strlen(conninfo) && n > 0 && memcmp(inner, conninfo, n) == 0)
            strbuf_adds(&out, shown); /* libpq quotes the whole string it could not parse */
        else if ((pwlen >= 4 && contains_n(inner, n, password, pwlen)) ||
                 (n > 1 && contains(conninfo, inner, n) && !contains(shown, inner, n)))
            strbuf_adds(&out, MASK); /* an echo of what the masking hides */
        else
            strbuf_add(&out, inner, n);
        strbuf_addch(&out, '"');
        p = e + 1;
    }
    free(shown);
    /* and the password anywhere else, should libpq ever print it unquoted */
    if (pwlen >= 4) {
        strbuf masked = STRBUF_INIT;
        for (const char *s = out.buf; *s;) {
            if (strncmp(s, password, pwlen) == 0) {
                strbuf_adds(&masked, MASK);
                s += pwlen;
            } else {
                strbuf_addch(&masked, *s++);
            }
        }
        strbuf_release(&out);
        return strbuf_detach(&masked, NULL);
    }
    return strbuf_detach(&out, NULL);
}

const char *conninfo_resolve(const char *db_arg)
{
    if (db_arg)
        return db_arg;
    static const char *const vars[] = { "DATABASE_URL", "SUPABASE_DB_URL" };
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return "";
}
