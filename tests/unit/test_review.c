/* test_review.c: the review model (review.h) without a terminal: for each object of the
 * kinds fixture (tests/fixtures/styles/kinds.snapshot.json and the files test_drift uses),
 * the side-by-side rows, and the severity of the row where each change shows: the row of
 * its field or label carries that change's severity (or a higher one of the same row), a
 * row that is the same on both sides none. And the accepted set (review_marks): marks
 * carried over a recompute by id, a mark whose change is gone dropped and counted, the
 * reviewed text the base of the plan when the file changed since. */
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

#include "fsutil.h"
#include "load.h"
#include "project.h"
#include "review.h"
#include "xalloc.h"

#define SNAPSHOT FIXTURES "/styles/kinds.snapshot.json"

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

static sm_project *load(char *dir)
{
    char *cmd = xasprintf("mkdir -p '%s/schemas/database'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    const char *rel[] = { "schemas/enums.py", "schemas/database/entities.py" };
    const char *text[] = { ENUMS, ENTITIES };
    for (int i = 0; i < 2; i++) {
        char *path = xasprintf("%s/%s", dir, rel[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text[i], f);
        fclose(f);
        free(path);
    }
    project_options po = PROJECT_OPTIONS_INIT;
    po.db_arg = SNAPSHOT;
    po.start_dir = dir;
    sm_project *p = NULL;
    sm_error err = SM_ERROR_INIT;
    if (project_load(&p, &po, &err) != 0)
        fail_msg("project_load: %s", err.what);
    return p;
}

/* The row whose line (left or right) starts, after its indent, with the member as a field
 * ("owner:") or holds it as a label ("\"pending\""): the test's own reading of the text. */
static long row_showing(const review_sbs *s, const char *member, bool label)
{
    char want[128];
    snprintf(want, sizeof want, label ? "\"%s\"" : "%s:", member);
    for (size_t r = 0; r < s->nrows; r++) {
        const char *sides[2] = { s->rows[r].left >= 0 ? s->left[s->rows[r].left] : NULL,
                                 s->rows[r].right >= 0 ? s->right[s->rows[r].right] : NULL };
        for (int k = 0; k < 2; k++) {
            if (!sides[k])
                continue;
            const char *t = sides[k] + strspn(sides[k], " ");
            if (label ? strstr(t, want) != NULL : strncmp(t, want, strlen(want)) == 0)
                return (long)r;
        }
    }
    return -1;
}

static void test_row_severities(void **state)
{
    (void)state;
    char dir[] = "/tmp/sm-test-review.XXXXXX";
    assert_non_null(mkdtemp(dir));
    sm_project *p = load(dir);
    const sm_changeset *cs = p->changes;
    size_t checked = 0;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        review_sbs s;
        review_sbs_init(&s);
        review_sbs_build(&s, p, i);
        assert_int_equal(s.target, (int)c->target);
        assert_string_equal(s.class_name, c->class_name);
        /* a row the same on both sides carries no severity; a changed one some */
        for (size_t r = 0; r < s.nrows; r++) {
            if (s.rows[r].same)
                assert_int_equal(s.row_sev[r], -1);
            else
                assert_true(s.row_sev[r] >= 0);
        }
        /* each changed row: the highest severity of the object's changes that show on it
         * (the test reads the text), else the object's highest */
        int *want = xcalloc(s.nrows + 1, sizeof *want);
        int object_sev = -1;
        for (size_t r = 0; r < s.nrows; r++)
            want[r] = -1;
        for (size_t k = 0; k < cs->n; k++) {
            const sm_change *x = &cs->items[k];
            if (!review_same_object(x, c))
                continue;
            if ((int)x->severity > object_sev)
                object_sev = (int)x->severity;
            if (!x->member || x->kind == CHANGE_ENUM_VALUES_REORDERED)
                continue;
            bool label = x->kind == CHANGE_ENUM_VALUE_ADDED || x->kind == CHANGE_ENUM_VALUE_REMOVED;
            long r = row_showing(&s, x->member, label);
            if (r < 0)
                fail_msg("%s %s: no row shows %s", change_kind_name(x->kind), x->class_name, x->member);
            assert_false(s.rows[r].same);
            if ((int)x->severity > want[r])
                want[r] = (int)x->severity;
            checked++;
        }
        for (size_t r = 0; r < s.nrows; r++) {
            int w = s.rows[r].same ? -1 : want[r] >= 0 ? want[r] : object_sev;
            if (s.row_sev[r] != w)
                fail_msg("%s row %zu: severity %d, expected %d", c->class_name, r, s.row_sev[r], w);
        }
        free(want);
        review_sbs_clear(&s);
        assert_int_equal(s.target, -1);
        assert_null(s.rows);
    }
    /* the fixture has a change of each member kind: value added and removed, column added,
     * removed, retyped, nullability */
    assert_true(checked >= 6);
    /* a row no change names: the same row of "id" in ProjectRow */
    for (size_t i = 0; i < cs->n; i++) {
        if (strcmp(cs->items[i].class_name, "ProjectRow") != 0)
            continue;
        review_sbs s;
        review_sbs_init(&s);
        review_sbs_build(&s, p, i);
        long r = row_showing(&s, "id", false);
        assert_true(r >= 0);
        assert_true(s.rows[r].same);
        assert_int_equal(s.row_sev[r], -1);
        review_sbs_clear(&s);
        break;
    }
    project_free(p);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static size_t find(const sm_changeset *cs, const char *kind, const char *member)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(change_kind_name(cs->items[i].kind), kind) == 0 && cs->items[i].member &&
            strcmp(cs->items[i].member, member) == 0)
            return i;
    fail_msg("no %s %s", kind, member);
    return 0;
}

static void rewrite(const char *dir, const char *rel, const char *from, const char *to)
{
    char *path = xasprintf("%s/%s", dir, rel), *text = NULL;
    size_t len = 0;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(fs_read_file(&text, &len, path, &err), 0);
    char *at = strstr(text, from);
    assert_non_null(at);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    fclose(f);
    free(text);
    free(path);
}

/* the project's files read again and the drift computed again, the marks carried over */
static void recompute(sm_project *p, review_marks *m)
{
    sm_error err = SM_ERROR_INIT;
    review_marks_detach(m, p->changes);
    assert_null(m->accepted);
    assert_int_equal(project_load_files(p, &err), 0);
    assert_int_equal(project_compute(p, &err), 0);
    review_marks_attach(m, p->changes, p->files);
}

static void test_marks(void **state)
{
    (void)state;
    char dir[] = "/tmp/sm-test-marks.XXXXXX";
    assert_non_null(mkdtemp(dir));
    sm_project *p = load(dir);
    review_marks m = { 0 };
    review_marks_attach(&m, p->changes, p->files);
    assert_int_equal(review_marks_count(&m), 0);
    assert_null(m.reviewed[TARGET_ENTITIES]);
    /* accept owner (entities) and pending (enums): their files' texts are the base now */
    m.accepted[find(p->changes, "column_added", "owner")] = true;
    m.accepted[find(p->changes, "enum_value_added", "pending")] = true;
    review_marks_sync(&m, p->changes, p->files);
    assert_string_equal(m.reviewed[TARGET_ENTITIES], ENTITIES);
    assert_string_equal(m.reviewed[TARGET_ENUMS], ENUMS);
    assert_null(m.reviewed[TARGET_RELATIONSHIPS]);

    /* a hand edit elsewhere in the file: the marks come back by id, the base stays */
    rewrite(dir, "schemas/database/entities.py", "class WidgetRow(TypedDict):\n",
            "class WidgetRow(TypedDict):\n    # kept by hand\n");
    recompute(p, &m);
    assert_int_equal(m.dropped, 0);
    assert_int_equal(review_marks_count(&m), 2);
    assert_true(m.accepted[find(p->changes, "column_added", "owner")]);
    assert_string_equal(m.reviewed[TARGET_ENTITIES], ENTITIES);

    /* the plan merges from the reviewed base: the hand edit and the change both */
    apply_plan *plan = NULL;
    size_t count = 0;
    sm_error err = SM_ERROR_INIT;
    assert_int_equal(review_plan_build(&plan, p, &m, NULL, &count, &err), 0);
    assert_int_equal(count, 2);
    const apply_file *af = &plan->files[TARGET_ENTITIES];
    assert_non_null(af->result);
    assert_non_null(strstr(af->result, "# kept by hand"));
    assert_non_null(strstr(af->result, "owner:"));
    apply_plan_free(plan);
    /* take[] limits the plan (a filter): only the enums' change */
    bool *take = xcalloc(p->changes->n + 1, sizeof *take);
    take[find(p->changes, "enum_value_added", "pending")] = true;
    assert_int_equal(review_plan_build(&plan, p, &m, take, &count, &err), 0);
    assert_int_equal(count, 1);
    const char *entities = plan->files[TARGET_ENTITIES].result;
    assert_true(!entities || !strstr(entities, "owner:"));
    apply_plan_free(plan);
    free(take);

    /* the change gone (owner written by hand): its mark is dropped and counted */
    rewrite(dir, "schemas/database/entities.py", "    legacy: str\n", "    legacy: str\n    owner: str\n");
    recompute(p, &m);
    assert_int_equal(m.dropped, 1);
    assert_int_equal(review_marks_count(&m), 1);

    /* after an apply: nothing accepted, nothing reviewed */
    review_marks_reset(&m);
    assert_int_equal(review_marks_count(&m), 0);
    assert_null(m.reviewed[TARGET_ENUMS]);
    review_marks_free(&m);
    project_free(p);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_severities),
        cmocka_unit_test(test_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
