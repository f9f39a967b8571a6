/* test_drift.c: the drift engine from a snapshot fixture (tests/fixtures/styles/
 * kinds.snapshot.json: enums project_status, priority, color; tables projects, tags) and
 * small Python files written into a temporary directory. No database. Covers every kind
 * without a last sync, the docstring marker forms of SPEC section 2, the moved side with a
 * last-sync snapshot, severity overrides and --only words. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "drift.h"
#include "load.h"
#include "project.h"
#include "xalloc.h"

#define SNAPSHOT FIXTURES "/styles/kinds.snapshot.json"

static char *tmpdir_new(void)
{
    char *d = xstrdup("/tmp/sm-test-drift.XXXXXX");
    assert_non_null(mkdtemp(d));
    char *s = xasprintf("%s/schemas/database", d);
    char *cmd = xasprintf("mkdir -p '%s'", s);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(s);
    return d;
}

static void tmpdir_free(char *d)
{
    char *cmd = xasprintf("rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(d);
}

static void put(const char *dir, const char *rel, const char *text)
{
    char *p = xasprintf("%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static sm_project *load(const char *dir)
{
    project_options po = PROJECT_OPTIONS_INIT;
    po.db_arg = SNAPSHOT;
    po.start_dir = dir;
    sm_project *p = NULL;
    sm_error err = SM_ERROR_INIT;
    int rc = project_load(&p, &po, &err);
    if (rc != 0)
        fail_msg("project_load: %s", err.what);
    return p;
}

/* "kind class member moved" lines of all changes */
static char *summary(const sm_project *p)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < p->changes->n; i++) {
        const sm_change *c = &p->changes->items[i];
        strbuf_addf(&sb, "%s %s %s %s\n", change_kind_name(c->kind), c->class_name,
                    c->member ? c->member : "-", moved_name(c->moved));
    }
    return strbuf_detach(&sb, NULL);
}

static const char ENUMS[] =
    "from enum import Enum\n\n\n"
    "class ProjectStatus(str, Enum):\n    ACTIVE = \"active\"\n    DONE = \"done\"\n    ARCHIVED = \"archived\"\n\n\n"
    "class Priority(str, Enum):\n    LOW = \"low\"\n    MEDIUM = \"medium\"\n    HIGH = \"high\"\n\n\n"
    "class Mood(str, Enum):\n    HAPPY = \"happy\"\n";
static const char ENTITIES[] =
    "from typing import Optional, TypedDict\n\n\n"
    "class ProjectRow(TypedDict):\n    id: str\n    name: Optional[str]\n    status: str\n"
    "    budget: int\n    legacy: str\n\n\n"
    "class WidgetRow(TypedDict):\n    id: str\n";

static void test_every_kind(void **state)
{
    (void)state;
    char *d = tmpdir_new();
    put(d, "schemas/enums.py", ENUMS);
    put(d, "schemas/database/entities.py", ENTITIES);
    sm_project *p = load(d);
    char *s = summary(p);
    assert_string_equal(s,
        "enum_added Color - unknown\n"
        "enum_removed Mood - unknown\n"
        "enum_values_reordered Priority - unknown\n"
        "enum_value_added ProjectStatus pending unknown\n"
        "enum_value_removed ProjectStatus archived unknown\n"
        "column_nullability_changed ProjectRow name unknown\n"
        "column_type_changed ProjectRow budget unknown\n"
        "column_added ProjectRow owner unknown\n"
        "column_removed ProjectRow legacy unknown\n"
        "table_added TagRow - unknown\n"
        "table_removed WidgetRow - unknown\n");
    /* ids are stable: the same as the command line shows for the same objects */
    assert_string_equal(p->changes->items[0].id, "98e7640b");
    assert_int_equal(p->changes->counts[SEV_CRITICAL], 2);
    assert_int_equal(p->changes->counts[SEV_HIGH], 4);
    assert_int_equal(p->changes->counts[SEV_MEDIUM], 2);
    assert_int_equal(p->changes->counts[SEV_LOW], 3);
    assert_int_equal(drift_max_severity(p->changes), SEV_CRITICAL);
    assert_int_equal(drift_count_at_least(p->changes, SEV_HIGH), 6);
    free(s);
    project_free(p);
    tmpdir_free(d);
}

/* SPEC section 2: the marker on the docstring's first line, word for word */
static void test_markers(void **state)
{
    (void)state;
    static const char *const docstrings[] = {
        "\"\"\"Database row for tags\"\"\"",
        "\"\"\"Database row for 'tags'.\"\"\"",
        "\"\"\"Database row for \\\"tags\\\", more words\"\"\"",
        "\"\"\"Database row for `tags`:\n    and a second line\"\"\"",
        "'''Database row for public.tags'''",
        "\"Database row for tags, with a note\"",
    };
    for (size_t i = 0; i < sizeof docstrings / sizeof *docstrings; i++) {
        char *d = tmpdir_new();
        put(d, "schemas/enums.py", "");
        char *text = xasprintf("from typing import Optional, TypedDict\n\n\n"
                               "class Labels(TypedDict):\n    %s\n    id: int\n    label: Optional[str]\n",
                               docstrings[i]);
        put(d, "schemas/database/entities.py", text);
        sm_project *p = load(d);
        char *s = summary(p);
        if (strstr(s, "Labels") || strstr(s, "TagRow"))
            fail_msg("docstring %zu (%s) did not match table tags:\n%s", i, docstrings[i], s);
        free(s);
        project_free(p);
        free(text);
        tmpdir_free(d);
    }
    /* not a marker: another word, or the marker not on the first line */
    static const char *const not_markers[] = {
        "\"\"\"Row for tags\"\"\"",
        "\"\"\"Tags.\n    Database row for tags\"\"\"",
    };
    for (size_t i = 0; i < sizeof not_markers / sizeof *not_markers; i++) {
        char *d = tmpdir_new();
        char *text = xasprintf("from typing import TypedDict\n\n\nclass Labels(TypedDict):\n    %s\n    id: int\n",
                               not_markers[i]);
        put(d, "schemas/database/entities.py", text);
        sm_project *p = load(d);
        char *s = summary(p);
        if (!strstr(s, "table_removed Labels") || !strstr(s, "table_added TagRow"))
            fail_msg("docstring %zu matched but must not:\n%s", i, s);
        free(s);
        project_free(p);
        free(text);
        tmpdir_free(d);
    }
}

/* With a last sync equal to the database, what differs moved in the file. */
static void test_moved_local(void **state)
{
    (void)state;
    char *d = tmpdir_new();
    char *cmd = xasprintf("mkdir -p '%s/.schemerge' && cp '%s' '%s/.schemerge/last-sync.json'", d, SNAPSHOT, d);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    put(d, "schemas/enums.py", "from enum import Enum\n\n\nclass Color(str, Enum):\n    RED = \"red\"\n"
                               "    GREEN = \"green\"\n    BLUE = \"blue\"\n");
    put(d, "schemas/database/entities.py", "from typing import Optional, TypedDict\n\n\n"
                                           "class TagRow(TypedDict):\n    id: int\n    label: int\n");
    sm_project *p = load(d);
    char *s = summary(p);
    assert_non_null(strstr(s, "enum_value_removed Color blue local\n"));
    assert_non_null(strstr(s, "column_type_changed TagRow label local\n"));
    /* objects not in the files were deleted locally since the sync */
    assert_non_null(strstr(s, "enum_added ProjectStatus - local\n"));
    assert_non_null(strstr(s, "table_added ProjectRow - local\n"));
    free(s);
    project_free(p);
    tmpdir_free(d);
}

static void test_severity_override_and_words(void **state)
{
    (void)state;
    char *d = tmpdir_new();
    put(d, ".schemerge.json", "{\"severity\": {\"table_added\": \"critical\", \"enum_removed\": \"low\"}}");
    put(d, "schemas/enums.py", ENUMS);
    put(d, "schemas/database/entities.py", ENTITIES);
    sm_project *p = load(d);
    const sm_changeset *cs = p->changes;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        if (c->kind == CHANGE_TABLE_ADDED)
            assert_int_equal(c->severity, SEV_CRITICAL);
        if (c->kind == CHANGE_ENUM_REMOVED)
            assert_int_equal(c->severity, SEV_LOW);
        if (c->kind == CHANGE_COLUMN_ADDED) {
            /* --only words: id, id prefix, kind, OBJECT.MEMBER, CLASS.MEMBER, class */
            assert_true(drift_change_matches(c, c->id));
            char prefix[5];
            memcpy(prefix, c->id, 4);
            prefix[4] = '\0';
            assert_true(drift_change_matches(c, prefix));
            assert_false(drift_change_matches(c, "abc"));
            assert_true(drift_change_matches(c, "column_added"));
            assert_true(drift_change_matches(c, "projects.owner"));
            assert_true(drift_change_matches(c, "ProjectRow.owner"));
            assert_true(drift_change_matches(c, "ProjectRow"));
            assert_false(drift_change_matches(c, "ProjectRow.legacy"));
            assert_false(drift_change_matches(c, "column_removed"));
        }
    }
    assert_int_equal(drift_count_at_least(cs, SEV_CRITICAL), 2);
    assert_string_equal(drift_enum_class(cs, "public", "color"), "Color");
    project_free(p);
    tmpdir_free(d);
}

/* Every field of every change and every warning, in order. */
static char *full_summary(const sm_changeset *cs)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        strbuf_addf(&sb, "%s %s %s %s %s %d %s|%s|%s|%s|%s|%s|%s\n", c->id, change_kind_name(c->kind),
                    c->class_name, c->member ? c->member : "-", moved_name(c->moved), c->line,
                    severity_name(c->severity), c->schema ? c->schema : "-", c->object ? c->object : "-",
                    c->database ? c->database : "-", c->local ? c->local : "-",
                    c->reason ? c->reason : "-", c->note ? c->note : "-");
    }
    for (size_t i = 0; i < cs->nwarnings; i++)
        strbuf_addf(&sb, "warning %s\n", cs->warnings[i]);
    return strbuf_detach(&sb, NULL);
}

static const char *const COLUMN_JSON =
    "{\"name\": \"%s\", \"attnum\": %d, \"type\": {\"kind\": \"%s\", \"schema\": \"%s\", "
    "\"name\": \"%s\", \"sql\": \"%s\", \"not_null\": false, \"elem\": null}, \"type_display\": "
    "\"%s\", \"ndims\": 0, \"not_null\": %s, \"default\": null, \"identity\": null, "
    "\"generated\": null, \"comment\": null}";

/* The drift of a large schema (enough matches for a second thread) with every kind of
 * change and annotation warnings, computed on one thread and on two: the same changes,
 * ids, lines, reasons and warnings, in the same order. */
static void test_threads_agree(void **state)
{
    (void)state;
    enum { NT = 700, NE = 150 };
    char *d = tmpdir_new();
    strbuf snap = STRBUF_INIT, ents = STRBUF_INIT, enums = STRBUF_INIT;
    strbuf_adds(&snap, "{\"format\": 1, \"generator\": \"test\", \"server_version\": \"15.0\", "
                       "\"schemas\": [\"public\"], \"enums\": [");
    strbuf_adds(&enums, "from enum import Enum\n\n");
    for (int i = 0; i < NE; i++) {
        strbuf_addf(&snap, "%s{\"schema\": \"public\", \"name\": \"e%03d\", \"oid\": %d, \"comment\": null, "
                           "\"labels\": [{\"name\": \"a\", \"oid\": %d}, {\"name\": \"b\", \"oid\": %d}, "
                           "{\"name\": \"c\", \"oid\": %d}]}",
                    i ? ", " : "", i, 100000 + 4 * i, 100001 + 4 * i, 100002 + 4 * i, 100003 + 4 * i);
        if (i % 5 == 0)
            continue; /* enum_added */
        strbuf_addf(&enums, "\nclass E%03d(str, Enum):\n    A = \"a\"\n", i);
        if (i % 5 != 1)
            strbuf_adds(&enums, "    B = \"b\"\n"); /* else enum_value_added */
        strbuf_adds(&enums, "    C = \"c\"\n");
        if (i % 5 == 2)
            strbuf_adds(&enums, "    D = \"d\"\n"); /* enum_value_removed */
    }
    strbuf_adds(&enums, "\nclass GhostEnum(str, Enum):\n    X = \"x\"\n");
    strbuf_adds(&snap, "], \"tables\": [");
    strbuf_adds(&ents, "from typing import Optional, TypedDict\n\nx = 1\n");
    for (int i = 0; i < NT; i++) {
        char enum_name[16];
        snprintf(enum_name, sizeof enum_name, "e%03d", i % NE);
        strbuf_addf(&snap, "%s{\"schema\": \"public\", \"name\": \"t%03d\", \"oid\": %d, \"kind\": \"table\", "
                           "\"comment\": null, \"columns\": [", i ? ", " : "", i, 200000 + i);
        strbuf_addf(&snap, COLUMN_JSON, "id", 1, "base", "pg_catalog", "int4", "integer", "integer", "true");
        strbuf_adds(&snap, ", ");
        strbuf_addf(&snap, COLUMN_JSON, "name", 2, "base", "pg_catalog", "text", "text", "text", "false");
        strbuf_adds(&snap, ", ");
        strbuf_addf(&snap, COLUMN_JSON, "amount", 3, "base", "pg_catalog", "int8", "bigint", "bigint", "false");
        strbuf_adds(&snap, ", ");
        strbuf_addf(&snap, COLUMN_JSON, "kind", 4, "enum", "public", enum_name, enum_name, enum_name, "false");
        strbuf_adds(&snap, "], \"constraints\": []}");
        if (i % 7 == 0)
            continue; /* table_added */
        strbuf_addf(&ents, "\n\nclass T%03dRow(TypedDict):\n    id: int\n", i);
        strbuf_adds(&ents, i % 7 == 3 ? "    name: str\n" : "    name: Optional[str]\n");
        if (i % 7 == 4)
            strbuf_adds(&ents, "    amount: 3 * x\n"); /* not understood: a warning */
        else if (i % 7 == 5)
            strbuf_adds(&ents, "    amount: Optional[str]\n"); /* column_type_changed */
        else if (i % 7 != 1)
            strbuf_adds(&ents, "    amount: Optional[int]\n"); /* else column_added */
        if (i % NE % 5 != 0)
            strbuf_addf(&ents, "    kind: Optional[E%03d]\n", i % NE);
        else
            strbuf_adds(&ents, "    kind: Optional[str]\n");
        if (i % 7 == 2)
            strbuf_adds(&ents, "    legacy: str\n"); /* column_removed */
    }
    strbuf_adds(&ents, "\n\nclass GhostRow(TypedDict):\n    id: int\n");
    strbuf_adds(&snap, "]}\n");
    char *snap_path = xasprintf("%s/db.json", d);
    FILE *f = fopen(snap_path, "w");
    assert_non_null(f);
    fputs(strbuf_str(&snap), f);
    fclose(f);
    put(d, "schemas/enums.py", strbuf_str(&enums));
    put(d, "schemas/database/entities.py", strbuf_str(&ents));

    project_options po = PROJECT_OPTIONS_INIT;
    po.db_arg = snap_path;
    po.start_dir = d;
    sm_project *p = NULL;
    sm_error err = SM_ERROR_INIT;
    if (project_load(&p, &po, &err) != 0)
        fail_msg("project_load: %s", err.what);
    drift_input in = { .db = p->db, .last_sync = p->last_sync, .config = p->config };
    for (int t = 0; t < TARGET_COUNT; t++) {
        in.files[t] = p->files[t];
        in.paths[t] = p->paths[t];
    }
    sm_changeset *one = NULL, *two = NULL;
    in.threads = 1;
    assert_int_equal(drift_compute(&one, &in, &err), 0);
    in.threads = 0;
    assert_int_equal(drift_compute(&two, &in, &err), 0);
    char *a = full_summary(one), *b = full_summary(two);
    assert_string_equal(b, a);
    /* and it is the drift asked for: every kind above, warnings included */
    static const char *const kinds[] = { "enum_added", "enum_removed", "enum_value_added", "enum_value_removed",
                                         "table_added", "table_removed", "column_added", "column_removed",
                                         "column_type_changed", "column_nullability_changed", "warning" };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (!strstr(a, kinds[k]))
            fail_msg("no %s in the drift", kinds[k]);
    assert_true(one->n > NT / 2);
    free(a);
    free(b);
    drift_free(one);
    drift_free(two);
    project_free(p);
    free(snap_path);
    strbuf_release(&snap);
    strbuf_release(&ents);
    strbuf_release(&enums);
    tmpdir_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind),
        cmocka_unit_test(test_markers),
        cmocka_unit_test(test_moved_local),
        cmocka_unit_test(test_severity_override_and_words),
        cmocka_unit_test(test_threads_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
