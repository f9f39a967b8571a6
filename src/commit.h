/* commit.h: the commit that ends a sync (seed 001, step 7): a message made from the
 * record of what was applied, and a commit of exactly the schema files (vcs.c). */
#ifndef SCHEMERGE_COMMIT_H
#define SCHEMERGE_COMMIT_H

#include "error.h"
#include "project.h"
#include "state.h"
#include "strbuf.h"
#include "vcs.h"

/* Subject (the config's commit_message), a blank line, one line per applied change with
 * added or removed labels of one enum grouped ("- Add ProjectStatus values pending,
 * on_hold"), then the DB hash. r may be NULL (no record): the subject alone. */
void commit_message(strbuf *out, const sm_project *p, const apply_record *r);

/* The paths a sync commit takes: those in the record, else the schema files and
 * schema_version.py. *out borrows from p and r; free the array itself. */
size_t commit_paths(const char ***out, const sm_project *p, const apply_record *r);

/* Commit the schema files with message (NULL: commit_message). Only needs p opened
 * (project_open), not the database. Forgets the apply record after a commit. */
int commit_sync(vcs_commit_result *out, const sm_project *p, const char *message, sm_error *err);

#endif
