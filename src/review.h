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

#endif
