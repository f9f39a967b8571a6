/* test_edit.c: accepted changes spliced into small Python files (the "theirs" of the
 * merge), through apply_plan_build, from the snapshot fixture tests/fixtures/styles/
 * kinds.snapshot.json. No database, nothing written: the plan's result text is compared
 * with the exact expected file. Includes the regression of the class inserted before a
 * class removed at the end of the file. */
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

#include "apply.h"
#include "load.h"
#include "project.h"
#include "xalloc.h"

#define SNAPSHOT FIXTURES "/styles/kinds.snapshot.json"

typedef struct fixture {
    char *dir;
    sm_project *p;
    apply_plan *plan;
} fixture;

static void put(const char *dir, const char *rel, const char *text)
{
    char *p = xasprintf("%s/%s", dir, rel);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

/* Load the files, accept the changes matching any of the words (NULL: all), plan. */
static void plan(fixture *fx, const char *enums, const char *entities, const char *const *words)
{
    fx->dir = xstrdup("/tmp/sm-test-edit.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char *cmd = xasprintf("mkdir -p '%s/schemas/database'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    if (enums)
        put(fx->dir, "schemas/enums.py", enums);
    if (entities)
        put(fx->dir, "schemas/database/entities.py", entities);
    project_options po = PROJECT_OPTIONS_INIT;
    po.db_arg = SNAPSHOT;
    po.start_dir = fx->dir;
    sm_error err = SM_ERROR_INIT;
    if (project_load(&fx->p, &po, &err) != 0)
        fail_msg("project_load: %s", err.what);
    const sm_changeset *cs = fx->p->changes;
    bool *sel = xcalloc(cs->n + 1, sizeof *sel);
    for (size_t i = 0; i < cs->n; i++) {
        sel[i] = !words;
        for (size_t w = 0; words && words[w]; w++)
            sel[i] = sel[i] || drift_change_matches(&cs->items[i], words[w]);
    }
    if (apply_plan_build(&fx->plan, fx->p, sel, &err) != 0)
        fail_msg("apply_plan_build: %s", err.what);
    free(sel);
}

static void fixture_done(fixture *fx)
{
    apply_plan_free(fx->plan);
    project_free(fx->p);
    char *cmd = xasprintf("rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(fx->dir);
}

static const char *result(const fixture *fx, sm_target t)
{
    const apply_file *af = &fx->plan->files[t];
    assert_non_null(af->result);
    return af->result;
}

static void test_new_class_before_removed_last(void **state)
{
    (void)state;
    fixture fx = { 0 };
    plan(&fx, NULL,
         "from typing import Optional, TypedDict\n\n\n"
         "class ProjectRow(TypedDict):\n    id: str\n    name: str\n    status: str\n"
         "    budget: Optional[float]\n    owner: Optional[str]\n\n\n"
         "class WidgetRow(TypedDict):\n    id: str\n",
         (const char *const[]){ "table_added", "table_removed", NULL });
    assert_int_equal(fx.plan->nfailed, 0);
    assert_int_equal(fx.plan->napplied, 2);
    assert_string_equal(result(&fx, TARGET_ENTITIES),
                        "from typing import Optional, TypedDict\n\n\n"
                        "class ProjectRow(TypedDict):\n    id: str\n    name: str\n    status: str\n"
                        "    budget: Optional[float]\n    owner: Optional[str]\n\n\n"
                        "class TagRow(TypedDict):\n    id: int\n    label: Optional[str]\n");
    fixture_done(&fx);
}

static void test_sorted_insert_and_middle_removal(void **state)
{
    (void)state;
    fixture fx = { 0 };
    /* sorted classes: TagRow goes between ProjectRow and ZRow; AardvarkRow removed */
    plan(&fx, NULL,
         "from typing import Optional, TypedDict\n\n\n"
         "class AardvarkRow(TypedDict):\n    id: int\n\n\n"
         "class ProjectRow(TypedDict):\n    id: str\n    name: str\n    status: str\n"
         "    budget: Optional[float]\n    owner: Optional[str]\n\n\n"
         "# the last one\n"
         "class ZRow(TypedDict):  # schemerge: ignore\n    id: int\n",
         (const char *const[]){ "table_added", "AardvarkRow", NULL });
    assert_int_equal(fx.plan->nfailed, 0);
    assert_string_equal(result(&fx, TARGET_ENTITIES),
                        "from typing import Optional, TypedDict\n\n\n"
                        "class ProjectRow(TypedDict):\n    id: str\n    name: str\n    status: str\n"
                        "    budget: Optional[float]\n    owner: Optional[str]\n\n\n"
                        "class TagRow(TypedDict):\n    id: int\n    label: Optional[str]\n\n\n"
                        "# the last one\n"
                        "class ZRow(TypedDict):  # schemerge: ignore\n    id: int\n");
    fixture_done(&fx);
}

static const char ENUMS_CRLF[] =
    "from enum import Enum\r\n\r\n\r\n"
    "class ProjectStatus(str, Enum):\r\n    ACTIVE = 'active'  # first\r\n    DONE = 'done'\r\n"
    "    ARCHIVED = 'archived'\r\n";

/* One of the labels, CRLF and single quotes kept, nothing else touched. */
static void test_one_label_crlf(void **state)
{
    (void)state;
    fixture fx = { 0 };
    plan(&fx, ENUMS_CRLF, NULL, (const char *const[]){ "project_status.pending", NULL });
    assert_int_equal(fx.plan->napplied, 1);
    assert_string_equal(result(&fx, TARGET_ENUMS),
                        "from enum import Enum\r\n\r\n\r\n"
                        "class ProjectStatus(str, Enum):\r\n    ACTIVE = 'active'  # first\r\n"
                        "    PENDING = 'pending'\r\n    DONE = 'done'\r\n    ARCHIVED = 'archived'\r\n");
    assert_false(fx.plan->files[TARGET_ENTITIES].selected);
    fixture_done(&fx);
}

/* Removing the only member leaves a valid body; the removal takes its comment along. */
static void test_remove_last_member_and_reorder(void **state)
{
    (void)state;
    fixture fx = { 0 };
    plan(&fx,
         "from enum import Enum\n\n\n"
         "class Priority(str, Enum):\n    LOW = \"low\"\n    MEDIUM = \"medium\"  # mid\n    HIGH = \"high\"\n\n\n"
         "class Color(str, Enum):\n    BLUE = \"blue\"  # gone\n",
         NULL, (const char *const[]){ "enum_values_reordered", "color.blue", NULL });
    assert_int_equal(fx.plan->nfailed, 0);
    assert_string_equal(result(&fx, TARGET_ENUMS),
                        "from enum import Enum\n\n\n"
                        "class Priority(str, Enum):\n    LOW = \"low\"\n    HIGH = \"high\"\n    MEDIUM = \"medium\"  # mid\n\n\n"
                        "class Color(str, Enum):\n    pass\n");
    fixture_done(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_class_before_removed_last),
        cmocka_unit_test(test_sorted_insert_and_middle_removal),
        cmocka_unit_test(test_one_label_crlf),
        cmocka_unit_test(test_remove_last_member_and_reorder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
