/* test_snapshot.c: snapshot JSON parsing and validation (errors with positions), the
 * round trip, the DB hash's independence from order and identities, and catalog_open on
 * a snapshot file with a schema filter. Fixtures: tests/fixtures/snapshots/. */
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

#include "catalog.h"
#include "snapshot.h"
#include "strbuf.h"
#include "xalloc.h"

#define SMALL FIXTURES "/snapshots/small.json"
#define REORDERED FIXTURES "/snapshots/small-reordered.json"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(f);
    return strbuf_detach(&sb, len);
}

static sm_catalog *load(const char *path)
{
    sm_catalog *cat = NULL;
    sm_error err = SM_ERROR_INIT;
    if (snapshot_read_file(&cat, path, &err) != 0)
        fail_msg("%s", err.what);
    return cat;
}

static void test_parse_small(void **state)
{
    (void)state;
    sm_catalog *cat = load(SMALL);
    assert_int_equal(cat->nschemas, 2);
    assert_string_equal(cat->schemas[0], "public");
    assert_string_equal(cat->schemas[1], "audit");
    assert_string_equal(cat->server_version, "15.20");
    assert_int_equal(cat->nenums, 2);
    /* sorted by (schema, name) */
    assert_string_equal(cat->enums[0].schema, "audit");
    assert_string_equal(cat->enums[0].name, "op");
    assert_string_equal(cat->enums[0].comment, "audit operation");
    assert_int_equal(cat->enums[1].nlabels, 3);
    assert_string_equal(cat->enums[1].labels[2].name, "happy it's");
    assert_true(cat->enums[1].labels[2].oid > 0);

    const sm_table *t1 = catalog_find_table(cat, "public", "t1");
    assert_non_null(t1);
    assert_string_equal(t1->comment, "hello");
    assert_int_equal(t1->kind, SM_TABLE_ORDINARY);
    assert_int_equal(t1->ncolumns, 4);
    const sm_column *id = table_find_column(t1, "id");
    assert_int_equal(id->identity, 'a');
    assert_true(id->not_null);
    const sm_column *tags = table_find_column(t1, "tags");
    assert_int_equal(tags->type->kind, SM_TYPE_ARRAY);
    assert_string_equal(tags->type->elem->name, "text");
    assert_string_equal(tags->type->sql, "text[]");
    const sm_column *m = table_find_column(t1, "m");
    assert_int_equal(m->type->kind, SM_TYPE_ENUM);
    assert_string_equal(m->default_expr, "'ok'::mood");

    const sm_table *t2 = catalog_find_table(cat, "public", "t2");
    assert_int_equal(t2->nconstraints, 2);
    assert_int_equal(t2->constraints[0].kind, SM_CONSTRAINT_FOREIGN);
    assert_string_equal(t2->constraints[0].ref_table, "t1");
    assert_int_equal(t2->constraints[0].nref_columns, 1);
    assert_string_equal(t2->constraints[0].ref_columns[0], "id");

    const sm_table *log = catalog_find_table(cat, "audit", "log");
    assert_string_equal(table_find_column(log, "op")->comment, "what happened");
    catalog_free(cat);
}

static void test_round_trip(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(SMALL, &len);
    sm_catalog *cat = load(SMALL);
    strbuf out = STRBUF_INIT;
    snapshot_to_json(&out, cat);
    /* the fixture was written by schemerge: re-serialising gives the same bytes */
    assert_int_equal(out.len, len);
    assert_memory_equal(out.buf, text, len);

    sm_catalog *again = NULL;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(snapshot_parse(&again, out.buf, out.len, "mem", &err), 0);
    strbuf out2 = STRBUF_INIT;
    snapshot_to_json(&out2, again);
    assert_string_equal(out.buf, out2.buf);

    /* the streaming writer writes the same text */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    assert_int_equal(snapshot_write_stream(f, cat, NULL, "mem", &err), 0);
    fclose(f);
    assert_int_equal(memlen, len);
    assert_memory_equal(mem, text, len);

    free(mem);
    strbuf_release(&out);
    strbuf_release(&out2);
    catalog_free(cat);
    catalog_free(again);
    free(text);
}

static void test_hash_ignores_order_and_identity(void **state)
{
    (void)state;
    sm_catalog *a = load(SMALL), *b = load(REORDERED);
    char ha[SM_DB_HASH_LEN], hb[SM_DB_HASH_LEN];
    snapshot_hash(ha, a);
    snapshot_hash(hb, b);
    assert_int_equal(strlen(ha), 7 + 64);
    assert_memory_equal(ha, "sha256:", 7);
    assert_string_equal(ha, hb);

    /* an unsorted catalog hashes the same: swap two tables and two constraints by hand */
    sm_table tmp = b->tables[0];
    b->tables[0] = b->tables[1];
    b->tables[1] = tmp;
    b->sorted = false; /* moved by hand: the name index no longer holds (model.h) */
    sm_table *t2 = (sm_table *)catalog_find_table(b, "public", "t2");
    sm_constraint k = t2->constraints[0];
    t2->constraints[0] = t2->constraints[1];
    t2->constraints[1] = k;
    snapshot_hash(hb, b);
    assert_string_equal(ha, hb);

    /* what the schema means changes the hash: a label, label order, a nullability */
    sm_enum *mood = (sm_enum *)catalog_find_enum(b, "public", "mood");
    sm_enum_label l = mood->labels[0];
    mood->labels[0] = mood->labels[1];
    mood->labels[1] = l;
    snapshot_hash(hb, b);
    assert_string_not_equal(ha, hb);
    mood->labels[1] = mood->labels[0];
    mood->labels[0] = l;
    snapshot_hash(hb, b);
    assert_string_equal(ha, hb);
    sm_table *t1 = (sm_table *)catalog_find_table(b, "public", "t1");
    t1->columns[2].not_null = !t1->columns[2].not_null;
    snapshot_hash(hb, b);
    assert_string_not_equal(ha, hb);
    catalog_free(a);
    catalog_free(b);
}

static void test_hash_empty(void **state)
{
    (void)state;
    sm_catalog *cat = catalog_new();
    char h[SM_DB_HASH_LEN];
    snapshot_hash(h, cat);
    /* the canonical form of an empty catalog, hashed by sha256sum */
    assert_string_equal(h, "sha256:07727dac49938d2ce893468e249aea68583348963e41de4c6f2408582e7f28f3");
    catalog_free(cat);
}

static const struct {
    const char *text;
    const char *what; /* expected substring of err.what */
} bad_cases[] = {
    { "", "cannot read snapshot bad.json: line 1, column 1: unexpected end of file" },
    { "{\"format\": 1,\n  \"schemas\": [\"pub", "line 2, column 19: unexpected end of file" },
    { "{\n\"format\": 1,\n\"x\": tru}", "line 3, column 6: malformed JSON" },
    { "{\"format\": 1} x", "line 1, column 15: unexpected data after the JSON value" },
    { "[1]", "bad.json: the top level must be an object" },
    { "{}", "missing key \"format\"" },
    { "{\"format\": \"1\"}", "\"format\" must be a number" },
    { "{\"format\": 2}", "unknown format 2" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [1]}",
      "\"schemas\"[0] must be a string" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [], \"enums\": {}}",
      "\"enums\" must be an array" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [], \"enums\": [],"
      " \"tables\": [{\"schema\": \"s\", \"name\": \"t\", \"oid\": -1}]}",
      "tables[0]: \"oid\" must be a whole number" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [], \"enums\": [],"
      " \"tables\": [{\"schema\": \"s\", \"name\": \"t\", \"oid\": 1, \"kind\": \"heap\"}]}",
      "tables[0]: unknown table kind \"heap\"" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [], \"enums\": [],"
      " \"tables\": [{\"schema\": \"s\", \"name\": \"t\", \"oid\": 1, \"kind\": \"table\", \"comment\": null,"
      " \"columns\": [{\"name\": \"c\", \"attnum\": 1, \"type\": {\"kind\": \"array\", \"schema\": \"pg_catalog\","
      " \"name\": \"_int4\", \"sql\": \"integer[]\", \"not_null\": false, \"elem\": null}}],"
      " \"constraints\": []}]}",
      "tables[0].columns[0].type: an array type needs \"elem\"" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [], \"enums\": "
      "[{\"schema\": \"s\", \"name\": \"e\", \"oid\": 1, \"comment\": null, \"labels\": [{\"name\": 5}]}],"
      " \"tables\": []}",
      "enums[0].labels[0]: \"name\" must be a string" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [], \"enums\": "
      "[{\"schema\": \"s\", \"name\": \"e\", \"oid\": 1, \"comment\": null, \"labels\": []},"
      " {\"schema\": \"s\", \"name\": \"e\", \"oid\": 2, \"comment\": null, \"labels\": []}], \"tables\": []}",
      "enum s.e appears twice" },
    /* the top level is walked by snapshot_parse, "enums" and "tables" element by element;
     * the positions are those cJSON gives for the whole text but where said */
    { "{\"format\": 1 \"x\": 2}", "line 1, column 14: malformed JSON" },
    { "{\"format\": 1, 7: 2}", "line 1, column 15: malformed JSON" }, /* cJSON: one further */
    { "{\"format\": 1, \"x\" 2}", "line 1, column 19: malformed JSON" },
    { "{\"format\": 1, \"enums\": [, {}]}", "line 1, column 25: malformed JSON" },
#define ENUM_E "{\"schema\": \"s\", \"name\": \"e\", \"oid\": 1, \"comment\": null, \"labels\": []}"
    { "{\"format\": 1, \"enums\": [" ENUM_E " {}]}", "line 1, column 95: malformed JSON" },
    { "{\"format\": 1, \"enums\": [" ENUM_E ", ]}", "line 1, column 96: malformed JSON" },
    /* elements are read in file order: one that is wrong is reported before a syntax
     * error after it (cJSON on the whole text would say "malformed JSON") */
    { "{\"format\": 1, \"enums\": [{}, ]}", "enums[0]: missing key \"schema\"" },
    { "{\"format\": 1, \"enums\": [7]}", "enums[0]: must be an object" },
    { "{\"format\": 1, \"tables\": [\n  {\"sch", "line 2, column 8: unexpected end of file" },
    { "{\"format\": 1, \"enums\": [\xEF\xBB\xBF{}]}", "line 1, column 25: malformed JSON" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [],"
      " \"enums\": [], \"tables\": []} ]", "unexpected data after the JSON value" },
    /* what cJSON lets through: NUL in a string, a key given twice (issue 14 item 10) */
    { "{\"format\": 1, \"enums\": [{\"schema\": \"s\", \"name\": \"e\", \"oid\": 1, \"comment\": null,"
      " \"labels\": [{\"name\": \"a\\u0000b\"}]}]}", "line 1, column 103: a string holds \\u0000" },
    { "{\"format\": 1, \"tables\": [\n{\"schema\": \"s\", \"name\": \"t\", \"name\": \"u\"}]}",
      "line 2, column 30: duplicate key in an object" },
    { "{\"format\": 1, \"format\": 1}", "line 1, column 15: duplicate key in an object" },
    { "{\"format\": 1, \"x\": {\"a\": 1, \"\\u0061\": 2}}", "line 1, column 29: duplicate key in an object" },
    { "{\"format\": 1, \"x\\u0000\": 1}", "line 1, column 17: a string holds \\u0000" },
    { "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [\"s\"],"
      " \"enums\": [], \"tables\": [], \"tables\": [7, 8]}", "duplicate key in an object" },
};

/* The same catalog written in other legal layouts reads the same: white space around
 * ':' and ',', a byte order mark, "tables" before "format" (read whole, not element by
 * element). (A comment that differs changes the hash: only the table count is compared
 * for the last one.) */
static void test_layouts(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [\"s\"],"
        " \"enums\": [], \"tables\": [{\"schema\": \"s\", \"name\": \"t\", \"oid\": 1, \"kind\": \"table\","
        " \"comment\": null, \"columns\": [], \"constraints\": []}]}",
        "\xEF\xBB\xBF \n{ \"format\" : 1 , \"generator\" : null , \"server_version\" : null , \"schemas\" :"
        " [ \"s\" ] , \"enums\" : [ ] , \"tables\" : [ { \"schema\": \"s\", \"name\": \"t\", \"oid\": 1,"
        " \"kind\": \"table\", \"comment\": null, \"columns\": [], \"constraints\": [] } ] }\n",
        "{\"tables\": [{\"schema\": \"s\", \"name\": \"t\", \"oid\": 1, \"kind\": \"table\","
        " \"comment\": null, \"columns\": [], \"constraints\": []}], \"enums\": [], \"schemas\": [\"s\"],"
        " \"server_version\": null, \"generator\": null, \"format\": 1}",
        /* a backslash before "u0000" is no NUL */
        "{\"format\": 1, \"generator\": null, \"server_version\": null, \"schemas\": [\"s\"],"
        " \"enums\": [], \"tables\": [{\"schema\": \"s\", \"name\": \"t\", \"oid\": 1, \"kind\": \"table\","
        " \"comment\": \"\\\\u0000\", \"columns\": [], \"constraints\": []}]}",
    };
    char first[SM_DB_HASH_LEN] = "";
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        sm_catalog *cat = NULL;
        sm_error err = SM_ERROR_INIT;
        if (snapshot_parse(&cat, texts[i], strlen(texts[i]), "layout.json", &err) != 0)
            fail_msg("layout %zu: %s", i, err.what);
        assert_int_equal(cat->ntables, 1);
        char h[SM_DB_HASH_LEN];
        snapshot_hash(h, cat);
        if (i == 0)
            memcpy(first, h, sizeof h);
        else if (i < sizeof texts / sizeof *texts - 1)
            assert_string_equal(h, first);
        else
            assert_string_equal(cat->tables[0].comment, "\\u0000");
        catalog_free(cat);
    }
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        sm_catalog *cat = (sm_catalog *)1;
        sm_error err = SM_ERROR_INIT;
        int rc = snapshot_parse(&cat, bad_cases[i].text, strlen(bad_cases[i].text), "bad.json", &err);
        if (rc != ERR_SNAPSHOT || !strstr(err.what, bad_cases[i].what))
            fail_msg("case %zu: rc %d, what \"%s\", expected to contain \"%s\"", i, rc, err.what,
                     bad_cases[i].what);
        assert_null(cat);
        assert_null(strchr(err.what, '\n'));
        assert_true(err.hint[0] != '\0');
    }
}

static void test_truncated_fixture(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(SMALL, &len);
    /* every cut of a valid snapshot is an error, never a crash or a partial catalog */
    for (size_t cut = 0; cut < len - 2; cut += 7) {
        sm_catalog *cat = NULL;
        sm_error err = SM_ERROR_INIT;
        assert_int_equal(snapshot_parse(&cat, text, cut, "cut.json", &err), ERR_SNAPSHOT);
        assert_null(cat);
        assert_non_null(strstr(err.what, "cut.json"));
    }
    free(text);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A file is read through a mapping whose pages are given back as the parse passes them
 * (or read whole when its size is a multiple of the page size): the same catalog, and the
 * same errors at the same line and column, as the text parsed in memory. The texts are
 * small.json with megabytes of white space after its '{', and cuts of it. */
static void test_mapped_files(void **state)
{
    (void)state;
    size_t len;
    char *small = slurp(SMALL, &len);
    char want[SM_DB_HASH_LEN], got[SM_DB_HASH_LEN];
    sm_catalog *ref = load(SMALL);
    snapshot_hash(want, ref);
    catalog_free(ref);
    long page = sysconf(_SC_PAGESIZE);
    char path[] = "/tmp/sm-test-mapped-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const size_t pads[] = { 0, 3u << 20, 9u << 20 };
    for (size_t i = 0; i < sizeof pads / sizeof *pads; i++) {
        for (int whole_pages = 0; whole_pages < 2; whole_pages++) {
            size_t pad = pads[i];
            if (whole_pages) /* make the file a whole number of pages */
                pad += (size_t)page - (len + pad) % (size_t)page;
            size_t n = len + pad;
            char *text = xmalloc(n + 1);
            text[0] = '{';
            memset(text + 1, pad % 2 ? '\n' : ' ', pad);
            memcpy(text + 1 + pad, small + 1, len - 1);
            text[n] = '\0';
            assert_int_equal(whole_pages, n % (size_t)page == 0);
            write_file(path, text, n);
            sm_catalog *cat = load(path);
            snapshot_hash(got, cat);
            assert_string_equal(got, want);
            catalog_free(cat);
            /* cut near the end: the error's position, counted over pages given back */
            for (size_t cut = n - 40; cut < n - 4; cut += 13) {
                write_file(path, text, cut);
                sm_error from_file = SM_ERROR_INIT, in_memory = SM_ERROR_INIT;
                cat = (sm_catalog *)1;
                int rc = snapshot_read_file(&cat, path, &from_file);
                if (rc != ERR_SNAPSHOT)
                    fail_msg("pad %zu, cut %zu of %zu: rc %d", pad, cut, n, rc);
                assert_null(cat);
                assert_int_equal(snapshot_parse(&cat, text, cut, path, &in_memory), ERR_SNAPSHOT);
                assert_string_equal(from_file.what, in_memory.what);
            }
            free(text);
        }
    }
    unlink(path);
    free(small);
}

/* A snapshot read beside a catalog borrows each table equal to one of it (the last-sync
 * snapshot beside the database's catalog), and reads the same: the same hash, the same
 * tables; a table that differs is its own; freeing the borrower leaves the owner whole. */
static void test_sharing(void **state)
{
    (void)state;
    char want[SM_DB_HASH_LEN], got[SM_DB_HASH_LEN];
    sm_catalog *owner = load(SMALL);
    snapshot_hash(want, owner);
    sm_error err = SM_ERROR_INIT;
    sm_catalog *b = NULL;
    assert_int_equal(snapshot_read_file_sharing(&b, SMALL, owner, NULL, &err), 0);
    assert_true(b->ntables > 1);
    for (size_t i = 0; i < b->ntables; i++) {
        assert_true(b->tables[i].borrowed);
        assert_true(table_equal(&b->tables[i], catalog_find_table_oid(owner, b->tables[i].oid)));
    }
    assert_ptr_equal(b->borrows_from, owner);
    snapshot_hash(got, b);
    assert_string_equal(got, want);
    catalog_free(b);
    snapshot_hash(got, owner); /* the owner is whole */
    assert_string_equal(got, want);

    /* one default changed: that table is its own, the others borrowed */
    size_t len;
    char *text = slurp(SMALL, &len);
    char *at = strstr(text, "\"default\": \"now()\"");
    assert_non_null(at);
    memcpy(at, "\"default\": \"1234 \"", 18);
    char path[] = "/tmp/sm-test-share-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, text, len);
    assert_int_equal(snapshot_read_file_sharing(&b, path, owner, NULL, &err), 0);
    size_t own = 0;
    for (size_t i = 0; i < b->ntables; i++) {
        const sm_table *o = catalog_find_table_oid(owner, b->tables[i].oid);
        assert_int_equal(b->tables[i].borrowed, table_equal(&b->tables[i], o));
        own += !b->tables[i].borrowed;
    }
    assert_int_equal(own, 1);
    sm_catalog *alone = load(path);
    char alone_hash[SM_DB_HASH_LEN];
    snapshot_hash(alone_hash, alone);
    snapshot_hash(got, b);
    assert_string_equal(got, alone_hash);
    assert_string_not_equal(got, want);
    catalog_free(alone);
    catalog_free(b);
    catalog_free(owner);
    unlink(path);
    free(text);
}

/* The tables of a and b, in order, are equal (table_equal: oids and attnums too). */
static void assert_same_tables(const sm_catalog *a, const sm_catalog *b)
{
    assert_int_equal(a->ntables, b->ntables);
    for (size_t i = 0; i < a->ntables; i++)
        assert_true(table_equal(&a->tables[i], &b->tables[i]));
}

/* One change to a table of the catalog read beside the snapshot (kind 0: none). */
enum { INDEX_CHANGES = 8 };
static void change_table(sm_table *t, int kind)
{
    sm_column *c = t->ncolumns ? &t->columns[0] : NULL;
    switch (kind) {
    case 1:
        free(c->name);
        c->name = xstrdup("renamed");
        break;
    case 2:
        c->not_null = !c->not_null;
        break;
    case 3:
        free(c->type_display);
        c->type_display = xstrdup("numeric(3,1)");
        break;
    case 4:
        free(t->comment);
        t->comment = xstrdup("a comment added");
        break;
    case 5:
        t->oid += 1000000;
        break;
    case 6:
        if (t->nconstraints) {
            free(t->constraints[0].definition);
            t->constraints[0].definition = xstrdup("CHECK (false)");
        }
        break;
    case 7:
        if (c->type) {
            free(c->type->sql);
            c->type->sql = xstrdup("text");
        }
        break;
    }
}

/* snapshot_same_schema answers as the two hashes do, both ways round. */
static void assert_same_schema_as_hash(const sm_catalog *a, const sm_catalog *b)
{
    char ha[SM_DB_HASH_LEN], hb[SM_DB_HASH_LEN];
    snapshot_hash(ha, a);
    snapshot_hash(hb, b);
    bool equal = strcmp(ha, hb) == 0;
    if (snapshot_same_schema(a, b) != equal || snapshot_same_schema(b, a) != equal)
        fail_msg("snapshot_same_schema says %d, the hashes %s and %s", !equal, ha, hb);
}

/* The index (snapshot_write_stream): a snapshot read beside a catalog through the index
 * it was written with holds the same tables as the file read alone, whatever changed in
 * the catalog beside it, and borrows exactly the tables equal to the catalog's; a table
 * borrowed is not even read (its text spoilt, the read still succeeds, and fails without
 * the index); an index that does not fit the file (moved, another size, a table missing)
 * changes nothing but the speed. */
static void test_index(void **state)
{
    (void)state;
    sm_error err = SM_ERROR_INIT;
    sm_catalog *base = load(SMALL);
    strbuf index = STRBUF_INIT, plain = STRBUF_INIT;
    char path[] = "/tmp/sm-test-index-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(snapshot_write_fd(fd, base, &index, path, &err), 0);
    close(fd);
    /* the text is snapshot_to_json's */
    snapshot_to_json(&plain, base);
    size_t text_len;
    char *text_buf = slurp(path, &text_len);
    strbuf text = STRBUF_INIT;
    strbuf_add(&text, text_buf, text_len);
    free(text_buf);
    assert_int_equal(text.len, plain.len);
    assert_memory_equal(text.buf, plain.buf, text.len);
    sm_catalog *alone = load(path);
    assert_same_tables(alone, base);

    for (size_t i = 0; i < base->ntables; i++) {
        for (int kind = 0; kind < INDEX_CHANGES; kind++) {
            sm_catalog *live = load(path);
            change_table(&live->tables[i], kind);
            catalog_sort(live); /* an oid changed: its index too */
            sm_catalog *got = NULL;
            assert_int_equal(snapshot_read_file_sharing(&got, path, live, index.buf, &err), 0);
            assert_same_tables(got, alone);
            for (size_t j = 0; j < got->ntables; j++) {
                const sm_table *l = catalog_find_table_oid(live, got->tables[j].oid);
                assert_int_equal(got->tables[j].borrowed, l && table_equal(&alone->tables[j], l));
            }
            assert_same_schema_as_hash(live, got);
            catalog_free(got);
            catalog_free(live);
        }
    }

    /* the second table's text spoilt: not read when it is borrowed */
    strbuf spoilt = STRBUF_INIT;
    strbuf_add(&spoilt, text.buf, text.len);
    const char *line = strchr(strchr(index.buf, '\n') + 1, '\n') + 1; /* the second table's entry */
    unsigned long oid, off, len;
    assert_int_equal(sscanf(line, "%lu %lu %lu", &oid, &off, &len), 3);
    memset(spoilt.buf + off + 1, 'x', len - 2);
    char spoilt_path[] = "/tmp/sm-test-index-XXXXXX";
    fd = mkstemp(spoilt_path);
    assert_true(fd >= 0);
    close(fd);
    write_file(spoilt_path, spoilt.buf, spoilt.len);
    sm_catalog *got = NULL;
    assert_int_equal(snapshot_read_file_sharing(&got, spoilt_path, base, index.buf, &err), 0);
    assert_same_tables(got, alone);
    catalog_free(got);
    assert_int_equal(snapshot_read_file_sharing(&got, spoilt_path, base, NULL, &err), ERR_SNAPSHOT);

    /* indexes that do not fit, beside a catalog whose first table changed (so that one
     * is read): the whole file is read, which the spoilt file shows */
    sm_catalog *live = load(path);
    change_table(&live->tables[0], 4);
    strbuf other_version = STRBUF_INIT, moved = STRBUF_INIT, cut = STRBUF_INIT;
    strbuf_addf(&other_version, "index 2%s", index.buf + 7);
    const char *entries = strchr(index.buf, '\n') + 1;
    strbuf_add(&moved, index.buf, (size_t)(entries - index.buf));
    strbuf_add(&cut, index.buf, (size_t)(entries - index.buf));
    for (const char *e = entries; *e; e = strchr(e, '\n') + 1) {
        char fp[64];
        assert_int_equal(sscanf(e, "%lu %lu %lu %63s", &oid, &off, &len, fp), 4);
        strbuf_addf(&moved, "%lu %lu %lu %s\n", oid, off + 1, len, fp); /* a byte on */
        if (strchr(strchr(e, '\n') + 1, '\n'))                          /* the last line gone */
            strbuf_addf(&cut, "%lu %lu %lu %s\n", oid, off, len, fp);
    }
    const char *const misfits[] = { "index 1 1 2 3 3\n", other_version.buf, moved.buf, cut.buf, "garbage" };
    for (size_t m = 0; m < sizeof misfits / sizeof *misfits; m++) {
        assert_int_equal(snapshot_read_file_sharing(&got, path, live, misfits[m], &err), 0);
        assert_same_tables(got, alone);
        assert_false(got->tables[0].borrowed);
        assert_true(got->tables[1].borrowed);
        catalog_free(got);
        assert_int_equal(snapshot_read_file_sharing(&got, spoilt_path, live, misfits[m], &err), ERR_SNAPSHOT);
    }
    /* the fitting index beside it reads the changed table only */
    assert_int_equal(snapshot_read_file_sharing(&got, spoilt_path, live, index.buf, &err), 0);
    assert_same_tables(got, alone);
    catalog_free(got);
    catalog_free(live);
    strbuf_release(&other_version);
    unlink(spoilt_path);
    strbuf_release(&moved);
    strbuf_release(&cut);
    strbuf_release(&spoilt);
    catalog_free(alone);
    catalog_free(base);
    strbuf_release(&text);
    strbuf_release(&index);
    strbuf_release(&plain);
    unlink(path);
}

/* snapshot_same_schema against the hashes, for changes to what is not a table: an enum's
 * labels, name, comment and oid, the schema list, a table more. */
static void test_same_schema(void **state)
{
    (void)state;
    sm_catalog *base = load(SMALL);
    for (int kind = 0; kind < 7; kind++) {
        sm_catalog *other = load(SMALL);
        sm_enum *e = &other->enums[0];
        switch (kind) {
        case 1:
            free(e->labels[0].name);
            e->labels[0].name = xstrdup("relabelled");
            break;
        case 2:
            free(e->name);
            e->name = xstrdup("renamed_enum");
            break;
        case 3:
            free(e->comment);
            e->comment = xstrdup("a comment");
            break;
        case 4:
            e->oid += 1000000;
            e->labels[0].oid += 1000000;
            break;
        case 5:
            free(other->schemas[1]);
            other->schemas[1] = xstrdup("elsewhere");
            break;
        case 6: {
            sm_table *t = catalog_add_table(other);
            t->schema = xstrdup("public");
            t->name = xstrdup("zz_added");
            t->oid = 999999;
            break;
        }
        }
        catalog_sort(other);
        assert_same_schema_as_hash(base, other);
        assert_int_equal(snapshot_same_schema(base, other), kind == 0 || kind == 4);
        catalog_free(other);
    }
    catalog_free(base);
}

/* tables_fingerprint, on two threads from 256 tables, gives table_fingerprint's answer
 * for each table, and "" for none. */
static void test_fingerprints_threaded(void **state)
{
    (void)state;
    sm_catalog *base = load(SMALL);
    enum { N = 1000 };
    const sm_table **tables = xcalloc(N, sizeof *tables);
    for (size_t i = 0; i < N; i++)
        tables[i] = i % 7 == 3 ? NULL : &base->tables[i % base->ntables];
    char (*fps)[SM_FINGERPRINT_HEX + 1] = xmalloc(N * sizeof *fps);
    tables_fingerprint(tables, N, fps);
    strbuf scratch = STRBUF_INIT;
    for (size_t i = 0; i < N; i++) {
        char one[SM_FINGERPRINT_HEX + 1] = "";
        if (tables[i])
            table_fingerprint(tables[i], &scratch, one);
        assert_string_equal(fps[i], one);
    }
    strbuf_release(&scratch);
    free(fps);
    free(tables);
    catalog_free(base);
}

static void test_missing_file(void **state)
{
    (void)state;
    sm_catalog *cat = NULL;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(snapshot_read_file(&cat, FIXTURES "/snapshots/nope.json", &err), ERR_IO);
    assert_non_null(strstr(err.what, "nope.json: No such file"));
}

static void test_open_with_schema_filter(void **state)
{
    (void)state;
    sm_catalog *cat = NULL;
    sm_error err = SM_ERROR_INIT;
    const char *const audit[] = { "audit" };
    catalog_options opts = CATALOG_OPTIONS_INIT;
    opts.schemas = audit;
    opts.nschemas = 1;
    assert_true(catalog_arg_is_snapshot(SMALL));
    assert_false(catalog_arg_is_snapshot("host=x dbname=y"));
    assert_int_equal(catalog_open(&cat, SMALL, &opts, &err), 0);
    assert_int_equal(cat->nschemas, 1);
    assert_string_equal(cat->schemas[0], "audit");
    assert_int_equal(cat->ntables, 1);
    assert_string_equal(cat->tables[0].name, "log");
    assert_int_equal(cat->nenums, 1);
    /* the audit table's column of type public.mood stays an enum of schema public */
    assert_int_equal(table_find_column(&cat->tables[0], "who")->type->kind, SM_TYPE_ENUM);
    assert_string_equal(table_find_column(&cat->tables[0], "who")->type->schema, "public");
    catalog_free(cat);

    const char *const other[] = { "sales" };
    opts.schemas = other;
    assert_int_equal(catalog_open(&cat, SMALL, &opts, &err), ERR_SNAPSHOT);
    assert_null(cat);
    assert_non_null(strstr(err.what, "does not contain schema sales (it has: public, audit)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_small),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_hash_ignores_order_and_identity),
        cmocka_unit_test(test_hash_empty),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_truncated_fixture),
        cmocka_unit_test(test_mapped_files),
        cmocka_unit_test(test_sharing),
        cmocka_unit_test(test_index),
        cmocka_unit_test(test_same_schema),
        cmocka_unit_test(test_fingerprints_threaded),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_open_with_schema_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
