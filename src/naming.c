/* naming.c: names between the database and Python (SPEC section 2).
 *
 * Everything here is a pure function of its UTF-8 input. Unicode classification does not
 * depend on the process locale: the program calls setlocale(LC_ALL, "") and a user may
 * run it under "C", so we decode UTF-8 ourselves and ask a private C.UTF-8 locale object
 * (towupper_l, iswalnum_l). Where no UTF-8 locale exists at all, non-ASCII characters are
 * treated as letters that have no upper case, which still yields valid Python names.
 * This module does not decide which class matches which object; matching lives in drift. */
#include "config.h"
#include "naming.h"

#include <ctype.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include <utf8proc.h>

#include "pylex.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ UTF-8 and Unicode */

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
    static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8" };
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !utf8_locale; i++)
        utf8_locale = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
}

static locale_t get_utf8_locale(void)
{
    pthread_once(&utf8_once, utf8_locale_init);
    return utf8_locale;
}

/* Decode one code point at s (len bytes available), by utf8.h's decoder. Returns its
 * length in bytes (>= 1); *cp is -1 for an invalid or truncated sequence, which then
 * counts as one byte. */
static size_t decode_cp(const unsigned char *s, size_t len, long *cp)
{
    uint32_t c;
    size_t k = utf8_decode(&c, (const char *)s, len);
    *cp = c == UTF8_INVALID ? -1 : (long)c;
    return k;
}

static void utf8_encode(strbuf *sb, long cp)
{
    char b[4];
    size_t n;

    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    strbuf_add(sb, b, n);
}

/* Combining marks are not letters to iswalnum, but Python accepts them inside identifiers,
 * and a label stored in decomposed form ("a" + U+0303) must not turn into "A_". */
static bool is_combining(long cp)
{
    return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
           (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
           (cp >= 0xfe20 && cp <= 0xfe2f);
}

static bool cp_is_alnum(long cp)
{
    if (cp < 0)
        return false;
    if (cp < 0x80)
        return isalnum((int)cp) != 0;
    locale_t l = get_utf8_locale();
    return l ? iswalnum_l((wint_t)cp, l) != 0 : true;
}

static long cp_upper(long cp)
{
    if (cp < 0)
        return cp;
    if (cp < 0x80)
        return toupper((int)cp);
    locale_t l = get_utf8_locale();
    return l ? (long)towupper_l((wint_t)cp, l) : cp;
}

/* ------------------------------------------------------------------ PascalCase and plurals */

/* Words of a database name: runs of what an identifier may hold. '_', '-', ' ', '.' and
 * every other character an identifier cannot hold (quotes, control characters, bidi
 * overrides, emoji) separate them, so that a class name is always made of identifier
 * characters. Returns the byte length of the separator at p, 0 when p starts a word. */
static size_t word_sep(const char *p)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80)
        return (isalnum(c) && c != '_') ? 0 : 1;
    uint32_t cp;
    size_t n = utf8_decode(&cp, p, strlen(p));
    return cp != UTF8_INVALID && lx_is_id_continue(cp) ? 0 : n;
}

/* The byte length of the code point at p (1 for an invalid byte). */
static size_t cp_len(const char *p)
{
    uint32_t cp;
    return utf8_decode(&cp, p, strlen(p));
}

static bool is_word_sep(const char *p)
{
    return word_sep(p) != 0;
}

static const char *skip_seps(const char *p)
{
    while (*p && is_word_sep(p))
        p += word_sep(p);
    return p;
}

static const char *skip_word(const char *p)
{
    while (*p && !is_word_sep(p))
        p += cp_len(p);
    return p;
}

/* The buffer's text in NFKC (upper-casing may leave a character Python normalises). */
static char *nfkc_detach(strbuf *sb)
{
    char *s = strbuf_detach(sb, NULL);
    char *n = naming_nfkc(s);
    free(s);
    return n;
}

/* Append word with its first code point upper-cased and the rest as written. */
static void add_capitalised(strbuf *sb, const char *w, size_t n)
{
    long cp;
    size_t k = decode_cp((const unsigned char *)w, n, &cp);
    if (cp >= 0)
        utf8_encode(sb, cp_upper(cp));
    else
        strbuf_add(sb, w, k);
    strbuf_add(sb, w + k, n - k);
}

/* Names the generated files import or Python reserves: an enum class so named would
 * shadow the import ("decimal" -> Decimal) or not parse ("none" -> None). */
static const char *const class_reserved[] = {
    "Annotated", "Any", "BaseModel", "ConfigDict", "Decimal", "Dict", "Enum", "False", "Field",
    "IntEnum", "List", "Literal", "None", "NotRequired", "Optional", "Required", "StrEnum",
    "True", "TypedDict", "UUID", "Union",
};

/* A word-built class name made an identifier: a leading digit or combining mark gets '_'
 * (an identifier's first character has to start one), a reserved name gets suffix. */
static char *valid_class_name(char *name, const char *suffix)
{
    for (size_t i = 0; i < sizeof class_reserved / sizeof class_reserved[0]; i++)
        if (strcmp(name, class_reserved[i]) == 0) {
            char *s = xasprintf("%s%s", name, suffix);
            free(name);
            return s;
        }
    if (*name && !naming_is_identifier(name)) {
        char *s = xasprintf("_%s", name);
        free(name);
        return s;
    }
    return name;
}

char *naming_pascal_case(const char *name_as_written)
{
    strbuf sb = STRBUF_INIT;
    /* in the form Python reads names: "ﬁle" capitalises to "File" */
    char *name = naming_nfkc(name_as_written);
    const char *p = name;

    strbuf_init(&sb);
    while (*p) {
        p = skip_seps(p);
        const char *start = p;
        p = skip_word(p);
        if (p > start)
            add_capitalised(&sb, start, (size_t)(p - start));
    }
    free(name);
    return nfkc_detach(&sb);
}

static const struct {
    const char *plural, *singular;
} irregulars[] = {
    { "people", "person" }, { "children", "child" }, { "men", "man" },
    { "women", "woman" },   { "mice", "mouse" },     { "geese", "goose" },
    { "teeth", "tooth" },   { "feet", "foot" },      { "movies", "movie" },
    { "cookies", "cookie" }, { "pies", "pie" },      { "ties", "tie" },
    { "caches", "cache" },  { "niches", "niche" },   { "quizzes", "quiz" },
    { "aliases", "alias" }, { "biases", "bias" },    { "canvases", "canvas" },
    { "atlases", "atlas" }, { "lenses", "lens" },
};

static const char *const invariants[] = {
    "data", "metadata", "media", "news", "series", "species", "staff", "feedback", "info",
    "equipment", "software", "canvas", "bias", "gas", "alias", "atlas", "lens", "chaos",
};

static const char *const drop_es_words[] = {
    "statuses", "buses", "bonuses", "campuses", "viruses", "censuses", "corpuses",
};

static bool ends_with_ci(const char *w, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && strncasecmp(w + n - m, suffix, m) == 0;
}

/* Singular of one "hump" (a word without inner capitals), case-insensitively, keeping
 * the case of the characters that stay. Appends to sb. */
static void singular_hump(strbuf *sb, const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof irregulars / sizeof irregulars[0]; i++) {
        if (strlen(irregulars[i].plural) == n && strncasecmp(w, irregulars[i].plural, n) == 0) {
            /* keep the capital of "People" -> "Person" */
            const char *s = irregulars[i].singular;
            strbuf_addch(sb, isupper((unsigned char)w[0]) ? (char)toupper((unsigned char)s[0])
                                                          : s[0]);
            strbuf_adds(sb, s + 1);
            return;
        }
    }
    for (size_t i = 0; i < sizeof invariants / sizeof invariants[0]; i++) {
        if (strlen(invariants[i]) == n && strncasecmp(w, invariants[i], n) == 0) {
            strbuf_add(sb, w, n);
            return;
        }
    }
    if (n > 3 && ends_with_ci(w, n, "ies")) {
        strbuf_add(sb, w, n - 3);
        strbuf_addch(sb, isupper((unsigned char)w[n - 1]) ? 'Y' : 'y');
        return;
    }
    if (ends_with_ci(w, n, "yses")) {
        strbuf_add(sb, w, n - 2);
        strbuf_add(sb, isupper((unsigned char)w[n - 1]) ? "IS" : "is", 2);
        return;
    }
    if (ends_with_ci(w, n, "sses") || ends_with_ci(w, n, "xes") || ends_with_ci(w, n, "ches") ||
        ends_with_ci(w, n, "shes") || ends_with_ci(w, n, "zzes")) {
        strbuf_add(sb, w, n - 2);
        return;
    }
    for (size_t i = 0; i < sizeof drop_es_words / sizeof drop_es_words[0]; i++) {
        if (strlen(drop_es_words[i]) == n && strncasecmp(w, drop_es_words[i], n) == 0) {
            strbuf_add(sb, w, n - 2);
            return;
        }
    }
    if (ends_with_ci(w, n, "ss") || ends_with_ci(w, n, "us") || ends_with_ci(w, n, "is")) {
        strbuf_add(sb, w, n);
        return;
    }
    if (n > 1 && (w[n - 1] == 's' || w[n - 1] == 'S')) {
        strbuf_add(sb, w, n - 1);
        return;
    }
    strbuf_add(sb, w, n);
}

char *naming_singular(const char *word)
{
    strbuf sb = STRBUF_INIT;
    size_t n = strlen(word);
    size_t hump = 0;

    /* In a mixed-case word ("TeamMembers") only the last hump ("Members") is plural. An
     * all-capitals word is one hump. */
    bool has_lower = false;
    for (size_t i = 0; i < n; i++)
        has_lower |= islower((unsigned char)word[i]) != 0;
    if (has_lower)
        for (size_t i = 1; i < n; i++)
            if (isupper((unsigned char)word[i]))
                hump = i;

    strbuf_init(&sb);
    strbuf_add(&sb, word, hump);
    singular_hump(&sb, word + hump, n - hump);
    return strbuf_detach(&sb, NULL);
}

char *naming_table_class(const char *table_as_written)
{
    strbuf sb = STRBUF_INIT;
    char *table = naming_nfkc(table_as_written);
    const char *p = table;
    const char *last = NULL;
    size_t last_len = 0;

    strbuf_init(&sb);
    /* find the last word first, so only it is singularised */
    while (*p) {
        p = skip_seps(p);
        const char *start = p;
        p = skip_word(p);
        if (p > start) {
            last = start;
            last_len = (size_t)(p - start);
        }
    }
    p = table;
    while (*p) {
        p = skip_seps(p);
        const char *start = p;
        p = skip_word(p);
        if (p == start)
            continue;
        if (start == last) {
            char *w = xstrndup(start, last_len);
            char *s = naming_singular(w);
            add_capitalised(&sb, s, strlen(s));
            free(s);
            free(w);
        } else {
            add_capitalised(&sb, start, (size_t)(p - start));
        }
    }
    strbuf_adds(&sb, "Row");
    free(table);
    return valid_class_name(nfkc_detach(&sb), "");
}

char *naming_enum_class(const char *enum_name)
{
    char *pascal = naming_pascal_case(enum_name);
    if (!*pascal) { /* a name of nothing but punctuation or emoji */
        free(pascal);
        return xstrdup("UnnamedEnum");
    }
    return valid_class_name(pascal, "Enum");
}

bool naming_enum_class_matches(const char *enum_name, const char *class_name)
{
    char *pascal = naming_pascal_case(enum_name);
    size_t n = strlen(pascal);
    bool ok = strcmp(pascal, class_name) == 0 ||
              (strncmp(pascal, class_name, n) == 0 && strcmp(class_name + n, "Type") == 0);
    free(pascal);
    return ok;
}

/* ------------------------------------------------------------------ identifiers */

/* in strcmp order, for bsearch */
static const char *const keywords[] = {
    "False", "None",   "True",    "and",      "as",       "assert", "async",
    "await", "break",  "class",   "continue", "def",      "del",    "elif",
    "else",  "except", "finally", "for",      "from",     "global", "if",
    "import", "in",    "is",      "lambda",   "nonlocal", "not",    "or",
    "pass",  "raise",  "return",  "try",      "while",    "with",   "yield",
};

static int cmp_keyword(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool naming_is_keyword(const char *s)
{
    return bsearch(s, keywords, sizeof keywords / sizeof keywords[0], sizeof keywords[0], cmp_keyword) != NULL;
}

static bool ascii_only(const char *s)
{
    while (*s && (unsigned char)*s < 0x80)
        s++;
    return !*s;
}

char *naming_nfkc(const char *s)
{
    const char *p = s;
    while ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80)
        p++;
    if (!*p) /* printable ASCII is its own NFKC: the common case, without utf8proc */
        return xstrdup(s);
    utf8proc_uint8_t *n = utf8proc_NFKC((const utf8proc_uint8_t *)s);
    if (!n) /* not UTF-8: nothing to normalise, and no identifier either */
        return xstrdup(s);
    char *r = xstrdup((const char *)n);
    free(n);
    return r;
}

/* XID_Start then XID_Continue, as Python's tokenizer checks each character as written. */
static bool xid_chars(const char *s)
{
    size_t n = strlen(s), i = 0;
    if (n == 0)
        return false;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(&cp, s + i, n - i);
        if (cp == UTF8_INVALID || !(i == 0 ? lx_is_id_start(cp) : lx_is_id_continue(cp)))
            return false;
        i += k;
    }
    return true;
}

/* Python reads an identifier in its NFKC form (PEP 3131): both the characters as written
 * and the normalised name must be identifier characters. */
bool naming_is_identifier(const char *s)
{
    if (!xid_chars(s))
        return false;
    char *n = naming_nfkc(s);
    bool ok = xid_chars(n);
    free(n);
    return ok;
}

bool naming_same_identifier(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    if (ascii_only(a) && ascii_only(b))
        return false;
    char *x = naming_nfkc(a), *y = naming_nfkc(b);
    bool same = strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

bool naming_is_class_field(const char *s)
{
    if (!naming_is_field_name(s))
        return false;
    char *n = naming_nfkc(s);
    bool stable = strcmp(n, s) == 0;
    free(n);
    return stable;
}

bool naming_is_field_name(const char *s)
{
    return naming_is_identifier(s) && !naming_is_keyword(s);
}

/* Python's enum: _sunder_ is "_x_" (one underscore each side), __dunder__ "__x__". */
static bool is_sunder(const char *s, size_t n)
{
    return n > 2 && s[0] == '_' && s[n - 1] == '_' && s[1] != '_' && s[n - 2] != '_';
}

static bool is_dunder(const char *s, size_t n)
{
    return n > 4 && s[0] == '_' && s[1] == '_' && s[n - 1] == '_' && s[n - 2] == '_' &&
           s[2] != '_' && s[n - 3] != '_';
}

bool naming_is_member_name(const char *s)
{
    size_t n = strlen(s);
    if (!naming_is_field_name(s))
        return false;
    /* "__x" is a private (mangled) name, not a member, since Python 3.11 */
    if (n >= 2 && s[0] == '_' && s[1] == '_')
        return false;
    return !is_sunder(s, n) && !is_dunder(s, n);
}

/* Python sees two names that are equal after NFKC as one (PEP 3131). */
static bool name_taken(const char *name, const char *const *taken, size_t ntaken)
{
    for (size_t i = 0; i < ntaken; i++)
        if (taken[i] && naming_same_identifier(taken[i], name))
            return true;
    return false;
}

char *naming_member_name(const char *label_as_written, const char *const *taken, size_t ntaken)
{
    strbuf sb = STRBUF_INIT;
    /* upper-cased in the form Python reads: "ﬁx" is "FIX", not "ﬁX" */
    char *label = naming_nfkc(label_as_written);
    const unsigned char *p = (const unsigned char *)label;
    size_t n = strlen(label);
    bool pending_sep = false;
    bool kept_any = false;

    strbuf_init(&sb);
    for (size_t i = 0; i < n;) {
        long cp;
        size_t k = decode_cp(p + i, n - i, &cp);
        bool keep = cp_is_alnum(cp) || (kept_any && !pending_sep && is_combining(cp));
        if (keep) {
            if (pending_sep && kept_any)
                strbuf_addch(&sb, '_');
            pending_sep = false;
            kept_any = true;
            utf8_encode(&sb, cp_upper(cp));
        } else {
            pending_sep = true;
        }
        i += k;
    }
    free(label);

    /* the name Python will see: "ﬁx" and "fix" are one name, FIX */
    char *normal = naming_nfkc(sb.buf);
    strbuf_reset(&sb);
    strbuf_adds(&sb, normal);
    free(normal);
    if (sb.len == 0)
        strbuf_adds(&sb, "VALUE");
    else if (isdigit((unsigned char)sb.buf[0]) || !naming_is_identifier(sb.buf)) {
        /* a leading digit (ASCII or another script's) cannot start a name */
        char *body = strbuf_detach(&sb, NULL);
        strbuf_init(&sb);
        strbuf_addch(&sb, '_');
        strbuf_adds(&sb, body);
        free(body);
    }
    /* Upper-casing makes keywords unlikely, but characters without a capital (ß) leave
     * room for one; the rules above already exclude _sunder_ and __dunder__ forms. */
    if (naming_is_keyword(sb.buf) || !naming_is_member_name(sb.buf))
        strbuf_addch(&sb, '_');
    if (!naming_is_member_name(sb.buf)) {
        strbuf_reset(&sb);
        strbuf_adds(&sb, "VALUE");
    }

    if (name_taken(sb.buf, taken, ntaken)) {
        size_t base_len = sb.len;
        for (int i = 2;; i++) {
            strbuf_truncate(&sb, base_len);
            strbuf_addf(&sb, "_%d", i);
            if (!name_taken(sb.buf, taken, ntaken))
                break;
        }
    }
    return strbuf_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ string literals */

char *naming_py_string(const char *value, char quote)
{
    strbuf sb = STRBUF_INIT;
    const unsigned char *p = (const unsigned char *)value;
    size_t n = strlen(value);

    if (quote != '\'')
        quote = '"';
    strbuf_init(&sb);
    strbuf_addch(&sb, quote);
    for (size_t i = 0; i < n;) {
        long cp;
        size_t k = decode_cp(p + i, n - i, &cp);
        if (cp < 0) {
            /* not UTF-8: Python could not read the file at all if the byte went in raw */
            strbuf_addf(&sb, "\\x%02x", p[i]);
        } else if (cp == '\\' || cp == quote) {
            strbuf_addch(&sb, '\\');
            strbuf_addch(&sb, (char)cp);
        } else if (cp == '\n') {
            strbuf_adds(&sb, "\\n");
        } else if (cp == '\r') {
            strbuf_adds(&sb, "\\r");
        } else if (cp == '\t') {
            strbuf_adds(&sb, "\\t");
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            strbuf_addf(&sb, "\\x%02lx", cp);
        } else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || utf8_is_unsafe((uint32_t)cp)) {
            /* line separators and a stray BOM survive no editor unharmed; bidi controls
             * would reorder what the reader of the file sees */
            strbuf_addf(&sb, "\\u%04lx", cp);
        } else {
            strbuf_add(&sb, p + i, k);
        }
        i += k;
    }
    strbuf_addch(&sb, quote);
    return strbuf_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ docstring markers */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Strip quotes/backticks around a name and a trailing '.', ',' or ':' (in any nesting
 * order: "`users`." and "`users.`" both give users). New string or NULL when empty. */
static char *clean_marker_name(const char *s, size_t n)
{
    bool changed = true;
    while (changed && n > 0) {
        changed = false;
        while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ':')) {
            n--;
            changed = true;
        }
        if (n >= 2 && (s[0] == '`' || s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
            s++;
            n -= 2;
            changed = true;
        }
    }
    /* ``name`` (reStructuredText) and an unbalanced quote on one side */
    while (n > 0 && (s[0] == '`' || s[0] == '\'' || s[0] == '"')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == '`' || s[n - 1] == '\'' || s[n - 1] == '"' || s[n - 1] == '.' ||
                     s[n - 1] == ',' || s[n - 1] == ':'))
        n--;
    return n > 0 ? xstrndup(s, n) : NULL;
}

/* A SQL identifier at p (end eol): "quoted" (a '"' inside doubled) or a plain word of
 * identifier characters; an optional schema before a '.' is skipped, the last part is the
 * name. NULL when there is none at p; *end gets where it stops. */
static char *sql_identifier(const char *p, const char *eol, const char **end, char **schema)
{
    char *name = NULL;
    *end = p; /* set on every path: a caller may look past a name that did not parse */
    for (;;) {
        if (schema) { /* the part before the last: schema.name */
            free(*schema);
            *schema = name;
        } else {
            free(name);
        }
        name = NULL;
        if (p < eol && *p == '"') {
            strbuf sb = STRBUF_INIT;
            const char *q = p + 1;
            for (;;) {
                if (q >= eol) {
                    strbuf_release(&sb);
                    if (schema) {
                        free(*schema);
                        *schema = NULL;
                    }
                    return NULL;
                }
                if (*q == '"') {
                    if (q + 1 < eol && q[1] == '"') {
                        strbuf_addch(&sb, '"');
                        q += 2;
                        continue;
                    }
                    q++;
                    break;
                }
                strbuf_addch(&sb, *q++);
            }
            name = strbuf_detach(&sb, NULL);
            p = q;
        } else {
            const char *q = p;
            while (q < eol && *q != '.' && !is_space(*q) && *q != '"')
                q++;
            if (q == p) {
                if (schema) {
                    free(*schema);
                    *schema = NULL;
                }
                return NULL;
            }
            name = xstrndup(p, (size_t)(q - p));
            p = q;
        }
        if (p + 1 < eol && *p == '.' && (p[1] == '"' || !is_space(p[1]))) {
            p++; /* schema.name: the name is the last part */
            continue;
        }
        *end = p;
        return name;
    }
}

/* "auth.users" written plainly: the schema before the one '.', the name after it. */
static char *split_plain(char *name, char **schema)
{
    char *dot = name ? strchr(name, '.') : NULL;
    if (!schema || !dot || dot == name || !dot[1] || strchr(dot + 1, '.'))
        return name;
    *schema = xstrndup(name, (size_t)(dot - name));
    char *rest = xstrdup(dot + 1);
    free(name);
    return rest;
}

/* The object named at w (up to eol): SQL-quoted ("line items", auth."Users") or plain,
 * quotes or backticks around it and a trailing '.', ',' or ':' removed. */
static char *object_at(const char *w, const char *eol, char **schema)
{
    while (w < eol && is_space(*w))
        w++;
    const char *e = w;
    while (e < eol && !is_space(*e))
        e++;
    if (w < eol && (*w == '"' || memchr(w, '"', (size_t)(e - w)))) {
        const char *end;
        return sql_identifier(w, eol, &end, schema);
    }
    return split_plain(clean_marker_name(w, (size_t)(e - w)), schema);
}

char *naming_marker_read_object(const char *text, char **schema)
{
    if (schema)
        *schema = NULL;
    return object_at(text, text + strcspn(text, "\r\n"), schema);
}

char *naming_marker(const char *docstring, bool *is_table, char **schema)
{
    if (schema)
        *schema = NULL;
    static const char prefix[] = "database row for";
    const char *p = docstring;
    const char *eol;
    size_t len;

    if (!docstring)
        return NULL;
    /* the first line with text on it: a docstring often starts with a newline */
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    eol = p + strcspn(p, "\r\n");
    len = (size_t)(eol - p);

    if (len > sizeof prefix - 1 && strncasecmp(p, prefix, sizeof prefix - 1) == 0 &&
        is_space(p[sizeof prefix - 1])) {
        char *name = object_at(p + sizeof prefix - 1, eol, schema);
        if (name && is_table)
            *is_table = true;
        return name;
    }

    /* "\"Order State\" enumeration": a SQL-quoted name first on the line */
    const char *first_end = p + strcspn(p, " \t\r\n");
    if (*p == '"' || memchr(p, '"', (size_t)(first_end - p))) {
        const char *end;
        char *name = sql_identifier(p, eol, &end, schema);
        if (!name) /* a quote opened and never closed: no name, not a guess at one */
            return NULL;
        const char *q = end;
        while (q < eol && is_space(*q))
            q++;
        if (name && q > end && (size_t)(eol - q) >= 11 && strncasecmp(q, "enumeration", 11) == 0 &&
            (q + 11 == eol || is_space(q[11]) || q[11] == '.' || q[11] == ',' || q[11] == ':')) {
            if (is_table)
                *is_table = false;
            return name;
        }
        free(name);
        if (schema) {
            free(*schema);
            *schema = NULL;
        }
    }

    /* "<enum> enumeration": the word right before "enumeration" */
    for (const char *q = p; q + 11 <= eol; q++) {
        if (strncasecmp(q, "enumeration", 11) != 0)
            continue;
        if (q > p && !is_space(q[-1]))
            continue;
        const char *after = q + 11;
        if (after < eol && !is_space(*after) && *after != '.' && *after != ',' && *after != ':')
            continue;
        const char *e = q;
        while (e > p && is_space(e[-1]))
            e--;
        const char *w = e;
        while (w > p && !is_space(w[-1]))
            w--;
        if (w == e) /* "enumeration enumeration": the first one is the name */
            continue;
        char *name = split_plain(clean_marker_name(w, (size_t)(e - w)), schema);
        if (name && is_table)
            *is_table = false;
        return name;
    }
    return NULL;
}

void naming_marker_name(strbuf *out, const char *name)
{
    bool plain = (*name >= 'a' && *name <= 'z') || *name == '_';
    for (const char *c = name; plain && *c; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (plain) {
        strbuf_adds(out, name);
        return;
    }
    strbuf_addch(out, '"');
    for (const char *c = name; *c; c++) {
        if (*c == '"')
            strbuf_addch(out, '"');
        strbuf_addch(out, *c);
    }
    strbuf_addch(out, '"');
}

void naming_marker_object(strbuf *out, const char *schema, const char *name)
{
    if (schema) {
        naming_marker_name(out, schema);
        strbuf_addch(out, '.');
    }
    naming_marker_name(out, name);
}

/* A comment holds no line break or control character: the marker of a functional class
 * writes them, and '\', as escapes that naming_comment_decode reads back. */
void naming_comment_text(strbuf *out, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(&cp, text + i, n - i);
        if (cp == '\\')
            strbuf_adds(out, "\\\\");
        else if (cp == UTF8_INVALID)
            strbuf_addf(out, "\\x%02x", (unsigned char)text[i]);
        else if (cp < 0x20 || cp == 0x7f || utf8_is_unsafe(cp))
            strbuf_addf(out, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", (unsigned)cp);
        else
            strbuf_add(out, text + i, len);
        i += len;
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *naming_comment_decode(const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        size_t digits = 0;
        if (s[i] == '\\' && i + 1 < n)
            digits = s[i + 1] == 'x' ? 2 : s[i + 1] == 'u' ? 4 : s[i + 1] == 'U' ? 8 : 0;
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
            strbuf_addch(&sb, '\\');
            i++;
            continue;
        }
        long cp = 0;
        for (size_t k = 0; digits && k < digits; k++) {
            int v = i + 2 + k < n ? hex_value(s[i + 2 + k]) : -1;
            if (v < 0) {
                cp = -1;
                break;
            }
            cp = cp * 16 + v;
        }
        if (digits && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
            utf8_encode(&sb, cp);
            i += 1 + digits;
            continue;
        }
        strbuf_addch(&sb, s[i]);
    }
    return strbuf_detach(&sb, NULL);
}
