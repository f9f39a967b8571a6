/* test_naming.c: SPEC section 2's names, one table row per input and expected output.
 *
 * Member names and string literals are also checked against Python itself: every
 * generated literal must parse back (ast.literal_eval) to the exact label, and every
 * member name must be an identifier that is not a keyword. python3 is a build dependency
 * of the test suite; a missing python3 fails the test. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "naming.h"
#include "strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_singular(void **state)
{
    static const struct { const char *in, *out; } rows[] = {
        /* irregulars */
        { "people", "person" }, { "children", "child" }, { "men", "man" },
        { "women", "woman" }, { "mice", "mouse" }, { "geese", "goose" },
        { "teeth", "tooth" }, { "feet", "foot" }, { "movies", "movie" },
        { "cookies", "cookie" }, { "pies", "pie" }, { "ties", "tie" },
        { "caches", "cache" }, { "niches", "niche" }, { "quizzes", "quiz" },
        { "aliases", "alias" }, { "biases", "bias" }, { "canvases", "canvas" },
        { "atlases", "atlas" }, { "lenses", "lens" },
        /* same in both numbers */
        { "data", "data" }, { "metadata", "metadata" }, { "media", "media" },
        { "news", "news" }, { "series", "series" }, { "species", "species" },
        { "staff", "staff" }, { "feedback", "feedback" }, { "info", "info" },
        { "equipment", "equipment" }, { "software", "software" }, { "canvas", "canvas" },
        { "bias", "bias" }, { "gas", "gas" }, { "alias", "alias" }, { "atlas", "atlas" },
        { "lens", "lens" }, { "chaos", "chaos" },
        /* -ies, -yses, -sses */
        { "companies", "company" }, { "entries", "entry" }, { "histories", "history" },
        { "queries", "query" }, { "analyses", "analysis" }, { "addresses", "address" },
        { "classes", "class" },
        /* -xes, -ches, -shes, -zzes */
        { "boxes", "box" }, { "taxes", "tax" }, { "batches", "batch" },
        { "wishes", "wish" }, { "buzzes", "buzz" },
        /* the -us words */
        { "statuses", "status" }, { "buses", "bus" }, { "bonuses", "bonus" },
        { "campuses", "campus" }, { "viruses", "virus" }, { "censuses", "census" },
        { "corpuses", "corpus" },
        /* already singular */
        { "status", "status" }, { "analysis", "analysis" }, { "access", "access" },
        /* a final s */
        { "projects", "project" }, { "houses", "house" }, { "courses", "course" },
        { "user", "user" }, { "s", "s" },
        /* case kept; only the last hump of a mixed-case word */
        { "People", "Person" }, { "Companies", "Company" }, { "TeamMembers", "TeamMember" },
        { "OrderStatuses", "OrderStatus" }, { "USERS", "USER" },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        char *s = naming_singular(rows[i].in);
        if (strcmp(s, rows[i].out) != 0)
            fail_msg("singular(%s) = %s, expected %s", rows[i].in, s, rows[i].out);
        free(s);
    }
}

static void test_table_class(void **state)
{
    static const struct { const char *in, *out; } rows[] = {
        { "organizations", "OrganizationRow" },
        { "project_members", "ProjectMemberRow" },
        { "PasswordResetToken", "PasswordResetTokenRow" },
        { "user_statuses", "UserStatusRow" },
        { "order-items", "OrderItemRow" },
        { "line items", "LineItemRow" },
        { "categories", "CategoryRow" },
        { "people", "PersonRow" },
        { "media", "MediaRow" },
        { "_prisma_migrations", "PrismaMigrationRow" },
        { "address_analyses", "AddressAnalysisRow" },
        { "users_data", "UsersDataRow" },
        { "Account", "AccountRow" },
        { "oauth_accounts", "OauthAccountRow" },
        { "2fa_codes", "_2faCodeRow" },
        { "\xf0\x9f\x8e\x89", "Row" },
        { "\xcc\x81x", "_\xcc\x81xRow" },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        char *s = naming_table_class(rows[i].in);
        if (strcmp(s, rows[i].out) != 0)
            fail_msg("table_class(%s) = %s, expected %s", rows[i].in, s, rows[i].out);
        free(s);
    }
}

static void test_pascal_and_enum_class(void **state)
{
    /* out: PascalCase; enm: the enum class, always an identifier that shadows no import */
    static const struct { const char *in, *out, *enm; } rows[] = {
        { "project_status", "ProjectStatus", NULL },
        { "ProjectStatus", "ProjectStatus", NULL },
        { "a-b c.d", "ABCD", NULL },
        { "__double__under", "DoubleUnder", NULL },
        { "émile_zola", "ÉmileZola", NULL },
        { "mood", "Mood", NULL },
        { "", "", "UnnamedEnum" },
        { "\xf0\x9f\x8e\x89", "", "UnnamedEnum" },
        { "2fa", "2fa", "_2fa" },
        { "decimal", "Decimal", "DecimalEnum" },
        { "none", "None", "NoneEnum" },
        { "typed dict", "TypedDict", "TypedDictEnum" },
        { "a\x01" "b\xe2\x80\xae" "c", "ABC", NULL },
    };
    static const struct { const char *db, *cls; bool ok; } matches[] = {
        { "project_status", "ProjectStatus", true },
        { "project_status", "ProjectStatusType", true },
        { "project_status", "ProjectStatuses", false },
        { "project_status", "Project", false },
        { "project_status", "projectstatus", false },
        { "mood", "MoodType", true },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        char *s = naming_pascal_case(rows[i].in);
        char *e = naming_enum_class(rows[i].in);
        const char *enm = rows[i].enm ? rows[i].enm : rows[i].out;
        if (strcmp(s, rows[i].out) != 0 || strcmp(e, enm) != 0)
            fail_msg("pascal(%s) = %s / %s, expected %s / %s", rows[i].in, s, e, rows[i].out, enm);
        free(s);
        free(e);
    }
    for (size_t i = 0; i < N(matches); i++)
        if (naming_enum_class_matches(matches[i].db, matches[i].cls) != matches[i].ok)
            fail_msg("enum_class_matches(%s, %s) != %d", matches[i].db, matches[i].cls,
                     matches[i].ok);
}

static const struct { const char *label, *name; } member_rows[] = {
    { "active", "ACTIVE" },
    { "24_hour", "_24_HOUR" },
    { "35+", "_35" },
    { "Galpão", "GALPÃO" },
    { "Galpa\xcc\x83o", "GALP\xc3\x83O" },  /* decomposed a + combining tilde: named as Python
                                              reads it, NFKC (U+00C3) */
    { "\xef\xac\x81x", "FIX" },               /* the ligature fi: Python reads FIX */
    { "in progress", "IN_PROGRESS" },
    { "in-progress", "IN_PROGRESS" },
    { "a.b.c", "A_B_C" },
    { "  lead  trail  ", "LEAD_TRAIL" },
    { "", "VALUE" },
    { "+++", "VALUE" },
    { "__init__", "INIT" },
    { "_sunder_", "SUNDER" },
    { "class", "CLASS" },
    { "None", "NONE" },
    { "from", "FROM" },
    { "\xf0\x9f\x8e\x89 party", "PARTY" },  /* emoji */
    { "\xf0\x9f\x8e\x89", "VALUE" },
    { "straße", "STRAßE" },
    { "ǆemal", "DŽEMAL" },  /* U+01C6 is "dž" in NFKC, the form Python reads */
    { "çà", "ÇÀ" },
    { "日本語", "日本語" },
    { "x\xff" "y", "X_Y" },               /* not UTF-8: the bad byte separates */
    { "1", "_1" },
    { "\"quoted\" 'label'", "QUOTED_LABEL" },
    { "back\\slash", "BACK_SLASH" },
    { "line\nbreak", "LINE_BREAK" },
};

static void test_member_name(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(member_rows); i++) {
        char *s = naming_member_name(member_rows[i].label, NULL, 0);
        if (strcmp(s, member_rows[i].name) != 0)
            fail_msg("member_name(%s) = %s, expected %s", member_rows[i].label, s,
                     member_rows[i].name);
        assert_true(naming_is_member_name(s));
        free(s);
    }
}

static void test_member_name_collisions(void **state)
{
    static const char *const taken1[] = { "ACTIVE" };
    static const char *const taken2[] = { "ACTIVE", "ACTIVE_2" };
    static const char *const taken3[] = { "VALUE", "VALUE_2", "VALUE_3" };
    static const struct {
        const char *label;
        const char *const *taken;
        size_t ntaken;
        const char *name;
    } rows[] = {
        { "active", taken1, 1, "ACTIVE_2" },
        { "Active!", taken2, 2, "ACTIVE_3" },
        { "ACTIVE", taken2, 2, "ACTIVE_3" },
        { "", taken3, 3, "VALUE_4" },
        { "inactive", taken2, 2, "INACTIVE" },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        char *s = naming_member_name(rows[i].label, rows[i].taken, rows[i].ntaken);
        if (strcmp(s, rows[i].name) != 0)
            fail_msg("member_name(%s) with collisions = %s, expected %s", rows[i].label, s,
                     rows[i].name);
        free(s);
    }
}

static void test_identifiers(void **state)
{
    static const struct {
        const char *s;
        bool ident, field, keyword, member;
    } rows[] = {
        { "name", true, true, false, true },
        { "from", true, false, true, false },
        { "class", true, false, true, false },
        { "None", true, false, true, false },
        { "True", true, false, true, false },
        { "async", true, false, true, false },
        { "match", true, true, false, true },   /* a soft keyword is a fine name */
        { "type", true, true, false, true },
        { "2fa", false, false, false, false },
        { "First Name", false, false, false, false },
        { "a-b", false, false, false, false },
        { "", false, false, false, false },
        { "naïve", true, true, false, true },
        { "名前", true, true, false, true },
        { "_24_HOUR", true, true, false, true },
        { "_private", true, true, false, true },
        { "_sunder_", true, true, false, false },
        { "__dunder__", true, true, false, false },
        { "__mangled", true, true, false, false },
        { "x\xff", false, false, false, false },
        { "a\xcc\x83", true, true, false, true },
        { "\xcc\x83" "a", false, false, false, false },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        if (naming_is_identifier(rows[i].s) != rows[i].ident ||
            naming_is_field_name(rows[i].s) != rows[i].field ||
            naming_is_keyword(rows[i].s) != rows[i].keyword ||
            naming_is_member_name(rows[i].s) != rows[i].member)
            fail_msg("row %zu (%s): ident %d field %d keyword %d member %d", i, rows[i].s,
                     naming_is_identifier(rows[i].s), naming_is_field_name(rows[i].s),
                     naming_is_keyword(rows[i].s), naming_is_member_name(rows[i].s));
    }
}

static const struct { const char *value; char quote; const char *literal; } string_rows[] = {
    { "plain", '"', "\"plain\"" },
    { "plain", '\'', "'plain'" },
    { "it's", '"', "\"it's\"" },
    { "it's", '\'', "'it\\'s'" },
    { "say \"hi\"", '"', "\"say \\\"hi\\\"\"" },
    { "say \"hi\"", '\'', "'say \"hi\"'" },
    { "a\\b", '"', "\"a\\\\b\"" },
    { "a\nb", '"', "\"a\\nb\"" },
    { "a\rb\tc", '"', "\"a\\rb\\tc\"" },
    { "\x01\x7f", '"', "\"\\x01\\x7f\"" },
    { "\xc2\x85", '"', "\"\\x85\"" },             /* NEL, a line break to Python */
    { "a\xe2\x80\xa8" "b", '"', "\"a\\u2028b\"" }, /* LINE SEPARATOR */
    { "Galpão", '"', "\"Galpão\"" },
    { "\xf0\x9f\x8e\x89", '\'', "'\xf0\x9f\x8e\x89'" },
    { "", '"', "\"\"" },
    { "\\'\"", '\'', "'\\\\\\'\"'" },
    { "{x}", '"', "\"{x}\"" },
    { "trailing\\", '"', "\"trailing\\\\\"" },
};

static void test_py_string(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(string_rows); i++) {
        char *s = naming_py_string(string_rows[i].value, string_rows[i].quote);
        if (strcmp(s, string_rows[i].literal) != 0)
            fail_msg("py_string(%s) = %s, expected %s", string_rows[i].value, s,
                     string_rows[i].literal);
        free(s);
    }
}

static void hex(strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        strbuf_addf(sb, "%02x", *p);
}

/* Feed every literal and member name to python3 and read back what Python makes of them. */
static void test_python_agrees(void **state)
{
    char dir[] = "/tmp/sm-naming.XXXXXX";
    char path[64], cmd[1024];
    strbuf expected = STRBUF_INIT;
    strbuf actual = STRBUF_INIT;
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/in.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    strbuf_init(&expected);
    for (size_t i = 0; i < N(string_rows); i++) {
        char *lit = naming_py_string(string_rows[i].value, string_rows[i].quote);
        fprintf(f, "L %s\n", lit);
        hex(&expected, string_rows[i].value);
        strbuf_addch(&expected, '\n');
        free(lit);
    }
    for (size_t i = 0; i < N(member_rows); i++) {
        if (strchr(member_rows[i].label, '\xff'))
            continue;  /* Python cannot hold a non-UTF-8 label in a str literal */
        char *lit = naming_py_string(member_rows[i].label, '"');
        char *name = naming_member_name(member_rows[i].label, NULL, 0);
        fprintf(f, "L %s\nM %s\n", lit, name);
        hex(&expected, member_rows[i].label);
        strbuf_adds(&expected, "\nok\n");
        free(lit);
        free(name);
    }
    fclose(f);

    snprintf(cmd, sizeof cmd,
             "python3 -c 'import ast, keyword, sys\n"
             "for line in open(sys.argv[1], encoding=\"utf-8\"):\n"
             "    k, v = line[0], line[2:-1]\n"
             "    if k == \"L\": print(ast.literal_eval(v).encode(\"utf-8\").hex())\n"
             "    else: print(\"ok\" if v.isidentifier() and not keyword.iskeyword(v) else \"bad \" + v)\n"
             "' %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    strbuf_init(&actual);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        strbuf_add(&actual, buf, n);
    int rc = pclose(p);
    if (rc != 0)
        fail_msg("python3 failed (status %d): is python3 installed?", rc);
    assert_string_equal(strbuf_str(&actual), strbuf_str(&expected));
    strbuf_release(&actual);
    strbuf_release(&expected);
    unlink(path);
    rmdir(dir);
}

/* Every keyword of this machine's Python is one, and nothing next to one is (the table is
 * searched by bisection: a keyword out of order would be missed). */
static void test_keywords_python(void **state)
{
    (void)state;
    FILE *p = popen("python3 -c 'import keyword; print(\"\\n\".join(keyword.kwlist))'", "r");
    assert_non_null(p);
    char line[64];
    size_t n = 0;
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (!naming_is_keyword(line))
            fail_msg("%s is a Python keyword", line);
        char near[72];
        snprintf(near, sizeof near, "%s_", line);
        assert_false(naming_is_keyword(near));
        snprintf(near, sizeof near, "%.*s", (int)strlen(line) - 1, line);
        assert_false(naming_is_keyword(near));
        n++;
    }
    assert_int_equal(pclose(p), 0);
    assert_true(n >= 35);
    assert_false(naming_is_keyword("match"));
    assert_false(naming_is_keyword(""));
}

static void test_marker(void **state)
{
    static const struct {
        const char *doc;
        const char *name;  /* NULL: no marker */
        const char *schema;
        bool is_table;
    } rows[] = {
        { "Database row for users.", "users", NULL, true },
        { "Database row for users", "users", NULL, true },
        { "Database row for `auth.users`: generated by schemerge", "users", "auth", true },
        { "\n    Database row for 'orders', with extras\n    more text", "orders", NULL, true },
        { "Database row for \"Account\"", "Account", NULL, true },
        { "Database row for \"line items\"", "line items", NULL, true },
        { "Database row for \"a \"\"q\"\" b\".", "a \"q\" b", NULL, true },
        { "Database row for auth.\"Users\"", "Users", "auth", true },
        { "Database row for \"My Schema\".\"x.y\"", "x.y", "My Schema", true },
        { "Database row for ``line_items``.", "line_items", NULL, true },
        { "database row for users", "users", NULL, true },
        { "project_status enumeration.", "project_status", NULL, false },
        { "`project_status` enumeration", "project_status", NULL, false },
        { "\"Order State\" enumeration", "Order State", NULL, false },
        { "public.\"Order State\" enumeration, in order", "Order State", "public", false },
        { "The ``mood`` enumeration, in database order.", "mood", NULL, false },
        { "mood enumeration: the user's mood\nSecond line.", "mood", NULL, false },
        { "Helper enum", NULL, NULL, false },
        { "A row", NULL, NULL, false },
        { "Database row for", NULL, NULL, false },
        { "Database rowing for users", NULL, NULL, false },
        { "Helper.\nDatabase row for users", NULL, NULL, false },
        { "enumerations of stuff", NULL, NULL, false },
        { "enumeration", NULL, NULL, false },
        { "", NULL, NULL, false },
        /* a quote opened and never closed is no name (found by fuzz_apply) */
        { "\"Order State enumeration", NULL, NULL, false },
        { "public.\"Order enumeration", NULL, NULL, false },
        { "Database row for \"line items", NULL, NULL, false },
        { "x\"", NULL, NULL, false },
    };
    (void)state;
    for (size_t i = 0; i < N(rows); i++) {
        bool is_table = !rows[i].is_table;
        char *schema = NULL;
        char *s = naming_marker(rows[i].doc, &is_table, &schema);
        if (!rows[i].name) {
            if (s)
                fail_msg("marker(%s) = %s, expected none", rows[i].doc, s);
            continue;
        }
        if (!s || strcmp(s, rows[i].name) != 0 || is_table != rows[i].is_table ||
            !rows[i].schema != !schema || (schema && strcmp(schema, rows[i].schema) != 0))
            fail_msg("marker(%s) = %s.%s (table %d), expected %s.%s (table %d)", rows[i].doc,
                     schema ? schema : "-", s ? s : "NULL", is_table,
                     rows[i].schema ? rows[i].schema : "-", rows[i].name, rows[i].is_table);
        free(s);
        free(schema);
    }
    assert_null(naming_marker(NULL, NULL, NULL));
}

/* Every name written as a marker reads back as itself, with and without its schema: the
 * names SQL allows in one line (quotes, dots, spaces, keywords, Unicode, emoji). */
static void test_marker_round_trip(void **state)
{
    static const char *const names[] = {
        "users", "line items", "a\"b", "\"\"\"", "x.y", "Order State", "from", "2fa", "_",
        "caf\xc3\xa9", "e\xcc\x81", "\xef\xac\x81" "x", "\xf0\x9f\x8e\x89", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
        "a\\b", "tab\there", "'q'", "`b`", "end.", "a,b:", "UPPER", "enumeration",
        "\xe2\x80\xae" "evil", "name with  two spaces", "x-y", "a.", ".a",
    };
    (void)state;
    for (size_t i = 0; i < N(names); i++) {
        for (int qualified = 0; qualified < 2; qualified++) {
            for (int table = 0; table < 2; table++) {
                strbuf doc = STRBUF_INIT;
                const char *schema_in = qualified ? names[(i + 1) % N(names)] : NULL;
                if (table)
                    strbuf_adds(&doc, "Database row for ");
                naming_marker_object(&doc, schema_in, names[i]);
                if (!table)
                    strbuf_adds(&doc, " enumeration");
                bool is_table = !table;
                char *schema = NULL;
                char *got = naming_marker(doc.buf, &is_table, &schema);
                if (!got || strcmp(got, names[i]) != 0 || is_table != (bool)table ||
                    !schema != !schema_in || (schema && strcmp(schema, schema_in) != 0))
                    fail_msg("marker %s read back as %s.%s", doc.buf, schema ? schema : "-",
                             got ? got : "NULL");
                free(got);
                free(schema);
                strbuf_release(&doc);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singular),
        cmocka_unit_test(test_table_class),
        cmocka_unit_test(test_pascal_and_enum_class),
        cmocka_unit_test(test_member_name),
        cmocka_unit_test(test_member_name_collisions),
        cmocka_unit_test(test_identifiers),
        cmocka_unit_test(test_py_string),
        cmocka_unit_test(test_python_agrees),
        cmocka_unit_test(test_keywords_python),
        cmocka_unit_test(test_marker),
        cmocka_unit_test(test_marker_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
