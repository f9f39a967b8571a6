/* status.h: `schemerge status`: where a project stands, in one look (seeds 000 and 001).
 *
 * What schema_version.py recorded at the last sync (SCHEMA_VERSION, LAST_SYNC, DB_HASH;
 * the seed tool's bare-hex hash is understood), whether the database has changed since
 * (its hash now against the recorded one), how many changes there are per severity, the
 * backups, and whether the schema files have edits git has not committed.
 *
 * It only reads: it never writes a file, and it never decides an exit status. Rendering
 * fills a strbuf; printing is the caller's job. */
#ifndef SCHEMERGE_STATUS_H
#define SCHEMERGE_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "kinds.h"
#include "project.h"
#include "strbuf.h"

typedef enum status_db_state {
    STATUS_DB_NEVER_SYNCED, /* schema_version.py records no DB_HASH */
    STATUS_DB_UNCHANGED,    /* the database hashes as recorded */
    STATUS_DB_CHANGED,      /* it does not */
} status_db_state;

typedef enum status_files_state {
    STATUS_FILES_CLEAN,     /* every schema file matches HEAD */
    STATUS_FILES_DIRTY,     /* some differ from HEAD (staged or not), or are untracked */
    STATUS_FILES_NO_GIT,    /* the project is not in a git repository */
} status_files_state;

typedef struct sm_status {
    char *schema_version;       /* SCHEMA_VERSION, NULL when absent */
    char *last_sync;            /* LAST_SYNC, NULL when absent */
    char *recorded_hash;        /* DB_HASH as "sha256:<hex>", NULL when absent */
    char *db_hash;              /* the database's hash now */
    status_db_state db_state;
    size_t nchanges;
    size_t counts[SEV_COUNT];   /* changes per severity */
    size_t nbackups;            /* complete backups */
    char *newest_id, *newest_time, *newest_reason; /* NULL when there is no backup */
    status_files_state files_state;
    char **dirty;               /* repo-relative paths with uncommitted edits */
    size_t ndirty;
} sm_status;

/* Gather the status of a loaded project (project_load: files, state, database, drift).
 * *out is owned by the caller (status_free). Returns 0, or ERR_IO / ERR_PARSE (a
 * schema_version.py that cannot be read or tokenized), ERR_BACKUP, ERR_GIT. */
int status_collect(sm_status **out, const sm_project *p, sm_error *err);
void status_free(sm_status *s);

/* "never synced", "unchanged", "changed" */
const char *status_db_state_name(status_db_state s);
/* "clean", "dirty", "not a git repository" */
const char *status_files_state_name(status_files_state s);

/* The human block: one "label:  value" line per fact, labels aligned. */
void status_render_text(strbuf *out, const sm_status *s);
/* One JSON object (format 1), keys as documented in status.c, and a final newline. */
void status_render_json(strbuf *out, const sm_status *s);


#endif
