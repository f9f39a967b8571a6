/* render.h: the drift as text for people (diff, summary, Markdown report) and as JSON for
 * programs. Renderers append to a strbuf and never print. */
#ifndef SCHEMERGE_RENDER_H
#define SCHEMERGE_RENDER_H

#include <stdbool.h>

#include "drift.h"
#include "project.h"
#include "strbuf.h"

/* ANSI colour for each severity when color is true (critical red, high magenta,
 * medium yellow, low cyan); plain text otherwise. Grouped by file, then class. */
void render_diff_text(strbuf *out, const sm_changeset *cs, bool color);

/* "7 changes: 1 critical, 3 high, 2 medium, 1 low" or "in sync". */
void render_summary(strbuf *out, const sm_changeset *cs);
/* The same from the counts alone: n changes, counts[severity] of them. */
void render_counts(strbuf *out, size_t n, const size_t counts[SEV_COUNT]);

/* One change in a line for people: "Add ProjectStatus value pending". */
void render_change_title(strbuf *out, const sm_change *c);

/* SPEC section 7: {"format": 1, "db_hash": ..., "changes": [...]}, with a final newline. */
void render_diff_json(strbuf *out, const sm_changeset *cs, const char *db_hash);

/* SARIF 2.1.0 (one run; a rule per change kind): each change located at its line in the
 * Python file (the class line for a change inside a class, the file's last line for a new
 * class), severity as the level (critical/high: error, medium: warning, low: note). */
void render_diff_sarif(strbuf *out, const sm_project *p);

/* The Markdown report: summary counts by severity, changes by category, a recommended
 * action per change, the DB hash. generated_at is an ISO 8601 UTC time. */
void render_report(strbuf *out, const sm_project *p, const char *generated_at);

#endif
