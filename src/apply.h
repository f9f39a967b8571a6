/* apply.h: applying accepted changes to the files through a three-way merge (SPEC 6).
 *
 * For each target file: base = the file as parsed, theirs = base with the accepted changes
 * spliced in (edit.c), ours = the file on disk now. git_merge_file (merge.c) gives the
 * result, so edits made in an editor meanwhile are kept. A conflict is data in the plan,
 * never written: the caller resolves it (the UI) or stops (the command line).
 *
 * apply_plan_write then backs up, writes each file atomically, and updates the state
 * (schema_version.py, the last-sync snapshot, the record the commit message is made of). */
#ifndef SCHEMERGE_APPLY_H
#define SCHEMERGE_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "drift.h"
#include "error.h"
#include "merge.h"
#include "project.h"
#include "strbuf.h"

typedef struct apply_file {
    const char *path;          /* repo-relative */
    bool selected;             /* some accepted change targets this file */
    bool base_existed;
    char *base;                /* as parsed ("" when the file did not exist) */
    size_t base_len;
    char *theirs;
    size_t theirs_len;
    bool ours_existed;
    char *ours;                /* on disk when the plan was built */
    size_t ours_len;
    merge_result *merge;       /* NULL when the file is not touched */
    char *result;              /* the text to write, NULL while conflicted */
    size_t result_len;
} apply_file;

typedef struct apply_failure {
    const sm_change *change;   /* NULL: a class of the generated API schemas (apigen.h), and
                                  reason is then the whole message */
    char *reason;
} apply_failure;

/* Files written besides the targets: the generated API schemas ("pydantic_target",
 * apigen.h). Their "theirs" is regenerated from the catalog, not made of changes. */
#define APPLY_EXTRA_MAX 1

typedef struct apply_plan {
    apply_file files[TARGET_COUNT + APPLY_EXTRA_MAX]; /* the targets by sm_target, then
                                                         files[TARGET_COUNT + k], k < nextra */
    size_t nextra;
    const sm_changeset *changes; /* what applied and failed point into: the project's, or
                                    owned_changes */
    sm_changeset *owned_changes; /* apply_plan_build_reviewed's drift of the reviewed text */
    py_file *owned_files[TARGET_COUNT];
    const sm_change **applied; /* accepted changes that made it into theirs */
    size_t napplied;
    apply_failure *failed;     /* accepted changes that could not be applied */
    size_t nfailed;
} apply_plan;

/* Which changes `update` applies (SPEC section 6). */
typedef struct apply_selection {
    const char *const *only;  /* --only words (drift_change_matches, or a kind name); when
                                 there are none, the default selection */
    size_t nonly;
    bool prune;               /* the default selection also takes class removals */
    sm_severity min_severity; /* nothing below it */
} apply_selection;

#define APPLY_SELECTION_INIT { NULL, 0, false, SEV_LOW }

/* Fill selected[0..cs->n): the --only words' changes, else every change except class
 * removals (unless prune) and changes made in the file since the last sync, never below
 * min_severity. ERR_USAGE when an --only word is neither a kind nor matches a change. */
int apply_select(bool *selected, const sm_changeset *cs, const apply_selection *sel, sm_error *err);

/* Why the default selection leaves c out ("removes a class; ..."), NULL when it does not
 * (or when --only words were given). */
const char *apply_left_reason(const sm_change *c, const apply_selection *sel);

/* Build the plan for the changes of p->changes whose selected[i] is true. */
int apply_plan_build(apply_plan **out, const sm_project *p, const bool *selected, sm_error *err);

/* The same against the text the user reviewed (SPEC 6): for each target whose reviewed[t]
 * (a text, with reviewed_len[t]; NULL for none, then the file as parsed now counts) is the
 * base, the changes are those of that text with the ids in ids[0..nids), spliced into it,
 * and merged with the file on disk now as "ours": an edit made in an editor after the
 * review to a line a change touches is a conflict, never dropped. A change accepted by id
 * that only the file as it is now has (it comes from the edit) is in apply_plan.failed,
 * pointing into p->changes. Errors: a reviewed text that does not parse, as
 * apply_plan_build. */
int apply_plan_build_reviewed(apply_plan **out, const sm_project *p, const char *const *reviewed,
                              const size_t *reviewed_len, const char *const *ids, size_t nids,
                              sm_error *err);

/* Whether any file of the plan still has unresolved conflicts. */
bool apply_plan_conflicted(const apply_plan *plan);
size_t apply_plan_conflicts(const apply_plan *plan, sm_target t);

/* Resolve the conflicts of one file: one choice per conflict segment, custom texts for
 * MERGE_CUSTOM. */
int apply_plan_resolve(apply_plan *plan, sm_target t, const merge_choice *choices,
                       const char *const *custom_texts, sm_error *err);

/* The unified diff that writing would make (ours -> result), for every resolved file. */
int apply_plan_diff(strbuf *out, const apply_plan *plan, sm_error *err);
/* The files applying plan would write, in order (borrowed; free the array): the files that
 * change, then the version file when the apply records a sync. The backup, the apply
 * record (the commit's files) and the count apply_plan_write reports are exactly these. */
int apply_plan_paths(const char ***out, size_t *n, const apply_plan *plan, const sm_project *p, sm_error *err);

/* Whether writing would change any file. */
bool apply_plan_changes_files(const apply_plan *plan);

typedef struct apply_outcome {
    char *backup_id;           /* NULL when no backup was needed */
    char **paths;              /* the files written (repo-relative, owned), as in the backup */
    size_t nfiles_written;     /* how many: the length of paths */
    bool state_written;
} apply_outcome;

/* Write, holding the writer lock (writer.h): refuses (ERR_CONFLICT) while conflicted,
 * (ERR_APPLY) when a file changed on disk since the plan was built or a merged file would
 * not be valid Python, and (ERR_UNSAFE) when a target is a symlink, or lies under one,
 * that leads outside the repository. A backup first, then the files and the state
 * (schema_version.py, .schemerge/last-sync.*, the apply record) in one transaction
 * (fs_txn): on any error every file is as it was. */
int apply_plan_write(apply_outcome *out, const apply_plan *plan, const sm_project *p,
                     const char *reason, sm_error *err);
void apply_outcome_done(apply_outcome *o);

void apply_plan_free(apply_plan *plan);

#endif
