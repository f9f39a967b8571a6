/* merge.h: three-way merge of one text file, and unified diffs, both through libgit2
 * (git_merge_file, git_patch_from_buffers). Nothing here touches the disk.
 *
 * A conflict is data, never markers in a file: merge_three splits libgit2's marked
 * output into segments, and merge_resolve builds the final text from one choice per
 * conflict. */
#ifndef SCHEMERGE_MERGE_H
#define SCHEMERGE_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

typedef enum merge_choice {
    MERGE_OURS,    /* keep ours (the file on disk) */
    MERGE_THEIRS,  /* take theirs (schemerge's edits) */
    MERGE_BOTH,    /* ours followed by theirs */
    MERGE_CUSTOM,  /* the caller's own text for this conflict */
} merge_choice;

typedef struct merge_segment {
    bool conflict;
    char *text;                 /* non-conflict: merged text; NULL for a conflict */
    char *ours, *base, *theirs; /* conflict only: each side's lines, "" when a side is empty */
    int ours_line;              /* conflict only: the 1-based line at which the conflict starts
                                   in the output when every earlier conflict keeps ours */
} merge_segment;

typedef struct merge_result {
    char *text;                 /* the clean result (NUL-terminated), NULL if conflicted */
    size_t len;
    bool conflicted;
    merge_segment *segments;    /* in file order; for a clean merge one non-conflict segment */
    size_t nsegments;
} merge_result;

/* Merge ours and theirs, both descended from base. path is only a label (may be NULL).
 * On success *out is owned by the caller (merge_result_free); a conflict is a success
 * with (*out)->conflicted set. Returns 0, or ERR_GENERIC when libgit2 fails (for
 * example on binary input). */
int merge_three(merge_result **out, const char *base, size_t base_len, const char *ours,
                size_t ours_len, const char *theirs, size_t theirs_len, const char *path,
                sm_error *err);

/* Build the text of r with choices[i] applied to the i-th conflict (custom_texts[i] used
 * for MERGE_CUSTOM; custom_texts may be NULL when no choice is MERGE_CUSTOM). For a clean
 * result the choices are ignored. Returns a new NUL-terminated string (free()), its
 * length in *len_out when non-NULL. */
char *merge_resolve(const merge_result *r, const merge_choice *choices,
                    const char *const *custom_texts, size_t *len_out);

/* The number of conflicts in r. */
size_t merge_conflict_count(const merge_result *r);

void merge_result_free(merge_result *r);

/* Append a git-style unified diff ("diff --git a/OLD b/NEW", "--- a/OLD", "+++ b/NEW",
 * hunks with 3 lines of context) from old to new to out. A NULL text stands for a file
 * that does not exist (shown as /dev/null). Nothing is appended when the texts are equal.
 * Returns 0 or ERR_GENERIC. */
int diff_unified(strbuf *out, const char *old_path, const char *old, size_t old_len,
                 const char *new_path, const char *new_text, size_t new_len, sm_error *err);

/* How many newlines s[0..len) holds: the lines of a text that ends in one. */
int merge_count_lines(const char *s, size_t len);

#endif
