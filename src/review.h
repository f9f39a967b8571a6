/* review.h: what reviewing one object shows, computed without a terminal. The database's
 * rendering of the object (codegen, in the file's own style) beside the local class's
 * text, aligned line by line (align.h), and the severity of each changed row: the highest
 * of the object's changes whose field or member is on that row, found from the parsed
 * fields and members of both sides (a column through its alias, a label through its
 * value), never by matching text; a changed row no change names gets the object's
 * highest severity. The UI draws it (ui/view_changes.c); tests/unit/test_review.c checks
 * it. */
#ifndef SCHEMERGE_REVIEW_H
#define SCHEMERGE_REVIEW_H

#include <stddef.h>

#include "align.h"
#include "apply.h"
#include "project.h"

typedef struct review_sbs {
    int target;             /* -1: empty */
    char *class_name;
    char *left_title, *right_title;
    char **left, **right;   /* the lines of each side */
    size_t nleft, nright;
    align_row *rows;
    int *row_sev;           /* per row: an sm_severity for a changed row, -1 for the same */
    size_t nrows;
} review_sbs;

/* Fill s for the object of change index i of p->changes (its changes are the run of the
 * same target and class around i). s must be empty (review_sbs_init or _clear). */
void review_sbs_build(review_sbs *s, const sm_project *p, size_t i);
void review_sbs_init(review_sbs *s);
void review_sbs_clear(review_sbs *s);

/* Whether two changes are about the same object (the same class of the same file). */
bool review_same_object(const sm_change *x, const sm_change *y);

/* The accepted set: which changes the user accepted, carried over every new change set
 * by change id (never by pointer: a change set borrows from the files and the catalog,
 * sm_change), and the text each file had when a change of it was accepted: the base of
 * the merge when the file changed since (SPEC 6). Zero-initialised is empty. */
typedef struct review_marks {
    bool *accepted;          /* parallel to the change set attached; NULL while none is */
    size_t n;
    char **kept;             /* ids of accepted changes waiting for a change set */
    size_t nkept, cap_kept;
    size_t dropped;          /* marks the last review_marks_attach found no change for */
    char *reviewed[TARGET_COUNT];
    size_t reviewed_len[TARGET_COUNT];
} review_marks;

/* Before the change set goes (a recompute, a file that stops parsing): keep the ids of
 * the accepted changes, and let the set go. */
void review_marks_detach(review_marks *m, const sm_changeset *cs);
/* A new change set: the kept ids accept their changes again (m->dropped counts the ones
 * gone), and the reviewed texts follow (review_marks_sync). */
void review_marks_attach(review_marks *m, const sm_changeset *cs, py_file *const files[TARGET_COUNT]);
/* After the marks changed: keep the text of each file a mark targets as it is now (once),
 * and forget it for a file no mark targets any more. */
void review_marks_sync(review_marks *m, const sm_changeset *cs, py_file *const files[TARGET_COUNT]);
/* After an apply: nothing accepted, nothing reviewed. */
void review_marks_reset(review_marks *m);
/* How many changes are accepted. */
size_t review_marks_count(const review_marks *m);
/* The plan for the accepted changes that take[i] lets through (NULL: all), built against
 * the reviewed texts when a file changed since its changes were accepted
 * (apply_plan_build_reviewed), else against the files as they are; *count gets the
 * number of changes in it. */
int review_plan_build(apply_plan **out, const sm_project *p, const review_marks *m, const bool *take,
                      size_t *count, sm_error *err);
void review_marks_free(review_marks *m);

#endif
