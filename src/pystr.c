/* pystr.c: Python string literals (pystr.h). */
#include "config.h"
#include "pystr.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"
#include "utf8.h"

#include "uniname.inc"

long pystr_char_named(const char *name, size_t n)
{
    char up[128];
    if (n == 0 || n >= sizeof up)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        up[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
    }
    up[n] = '\0';
    static const char cjk[] = "CJK UNIFIED IDEOGRAPH-";
    if (n > sizeof cjk - 1 && strncmp(up, cjk, sizeof cjk - 1) == 0) {
        const char *h = up + sizeof cjk - 1;
        size_t hl = n - (sizeof cjk - 1);
        if (hl != 4 && hl != 5)
            return -1;
        long v = 0;
        for (size_t i = 0; i < hl; i++) {
            char c = h[i];
            int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        for (size_t i = 0; i < sizeof uniname_cjk / sizeof *uniname_cjk; i++)
            if (v >= uniname_cjk[i][0] && v <= uniname_cjk[i][1])
                return v;
        return -1;
    }
    static const char hangul[] = "HANGUL SYLLABLE ";
    if (n > sizeof hangul - 1 && strncmp(up, hangul, sizeof hangul - 1) == 0) {
        static const char *const L[] = { "G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "",
                                         "J", "JJ", "C", "K", "T", "P", "H" };
        static const char *const V[] = { "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE",
                                         "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I" };
        static const char *const T[] = { "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM",
                                         "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS",
                                         "NG", "J", "C", "K", "T", "P", "H" };
        const char *s = up + sizeof hangul - 1;
        /* the longest match of each part, as unicodedata's find_syllable does */
        for (int li = 0; li < 19; li++) {
            size_t ll = strlen(L[li]);
            if (strncmp(s, L[li], ll) != 0)
                continue;
            for (int vi = 0; vi < 21; vi++) {
                size_t vl = strlen(V[vi]);
                if (strncmp(s + ll, V[vi], vl) != 0)
                    continue;
                for (int ti = 0; ti < 28; ti++)
                    if (strcmp(s + ll + vl, T[ti]) == 0)
                        return 0xAC00 + (li * 21 + vi) * 28 + ti;
            }
        }
        return -1;
    }
    uint64_t h = hash_fnv1a(up, n);
    size_t lo = 0, hi = sizeof uniname_hash / sizeof *uniname_hash;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (uniname_hash[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < sizeof uniname_hash / sizeof *uniname_hash && uniname_hash[lo] == h)
        return (long)uniname_cp[lo];
    return -1;
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

int pystr_decode(strbuf *sb, const char *tok, size_t len, const char **why, size_t *bad_from,
                 size_t *bad_to)
{
    size_t p = 0;
    bool raw = false;
    *why = "malformed string literal";
    while (p < len && tok[p] != '"' && tok[p] != '\'') {
        char c = tok[p];
        if (c == 'r' || c == 'R')
            raw = true;
        else if (c == 'b' || c == 'B' || c == 'f' || c == 'F')
            return PYSTR_NOT_STR;
        else if (c != 'u' && c != 'U')
            return PYSTR_BAD;
        p++;
    }
    if (p >= len)
        return PYSTR_BAD;
    char q = tok[p];
    *bad_from = *bad_to = 0;
    size_t qn = (len - p >= 6 && tok[p + 1] == q && tok[p + 2] == q) ? 3 : 1;
    if (len - p < 2 * qn)
        return PYSTR_BAD;
    size_t i = p + qn, end = len - qn;
    while (i < end) {
        char c = tok[i];
        if (c == '\r') { /* CPython reads source with universal newlines */
            strbuf_addch(sb, '\n');
            i += (i + 1 < end && tok[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c != '\\') {
            if (c == '\0')
                return PYSTR_NOT_STR;
            strbuf_addch(sb, c);
            i++;
            continue;
        }
        if (i + 1 >= end) { /* cannot happen in a token from the lexer */
            strbuf_addch(sb, c);
            i++;
            continue;
        }
        char e = tok[i + 1];
        if (raw) {
            /* a raw string keeps the backslash; only the line ending is normalised */
            strbuf_addch(sb, '\\');
            i++;
            continue;
        }
        i += 2;
        switch (e) {
        case '\n': break;
        case '\r':
            if (i < end && tok[i] == '\n')
                i++;
            break;
        case '\\': strbuf_addch(sb, '\\'); break;
        case '\'': strbuf_addch(sb, '\''); break;
        case '"': strbuf_addch(sb, '"'); break;
        case 'a': strbuf_addch(sb, '\a'); break;
        case 'b': strbuf_addch(sb, '\b'); break;
        case 'f': strbuf_addch(sb, '\f'); break;
        case 'n': strbuf_addch(sb, '\n'); break;
        case 'r': strbuf_addch(sb, '\r'); break;
        case 't': strbuf_addch(sb, '\t'); break;
        case 'v': strbuf_addch(sb, '\v'); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned v = (unsigned)(e - '0');
            for (int k = 0; k < 2 && i < end && tok[i] >= '0' && tok[i] <= '7'; k++, i++)
                v = v * 8 + (unsigned)(tok[i] - '0');
            if (v == 0)
                return PYSTR_NOT_STR;
            utf8_put(sb, v);
            break;
        }
        case 'x': case 'u': case 'U': {
            int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            unsigned v = 0;
            /* positions as CPython reports them: bytes of the literal's body */
            *bad_from = i - 2 - (p + qn);
            for (int k = 0; k < n; k++, i++) {
                int h = i < end ? hexval(tok[i]) : -1;
                if (h < 0) {
                    *bad_to = i - 1 - (p + qn);
                    *why = e == 'x' ? "truncated \\xXX escape"
                         : e == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                    return PYSTR_BAD;
                }
                v = v * 16 + (unsigned)h;
            }
            if (v > 0x10FFFF) {
                *bad_to = i - 1 - (p + qn);
                *why = "illegal Unicode character";
                return PYSTR_BAD;
            }
            if (v == 0)
                return PYSTR_NOT_STR;
            utf8_put(sb, v);
            break;
        }
        case 'N': {
            const char *close = i < end && tok[i] == '{' ? memchr(tok + i + 1, '}', end - (i + 1)) : NULL;
            *bad_from = i - 2 - (p + qn);
            if (!close || close == tok + i + 1) {
                *bad_to = close ? (size_t)(close - tok) - (p + qn) : end - 1 - (p + qn);
                *why = "malformed \\N character escape";
                return PYSTR_BAD;
            }
            *bad_to = (size_t)(close - tok) - (p + qn);
            long cp = pystr_char_named(tok + i + 1, (size_t)(close - (tok + i + 1)));
            if (cp < 0) {
                *why = "unknown Unicode character name";
                return PYSTR_BAD;
            }
            if (cp == 0)
                return PYSTR_NOT_STR;
            utf8_put(sb, (unsigned)cp);
            i = (size_t)(close - tok) + 1;
            break;
        }
        default:
            /* unknown escapes keep their backslash, as CPython does */
            strbuf_addch(sb, '\\');
            i--;
            break;
        }
    }
    return PYSTR_OK;
}

char *py_string_decode(const char *tok, size_t len)
{
    strbuf sb;
    const char *why;
    size_t from, to;
    strbuf_init(&sb);
    if (!tok || pystr_decode(&sb, tok, len, &why, &from, &to) != PYSTR_OK) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, NULL);
}

