/* merge.c: three-way merge and unified diffs through libgit2.
 *
 * libgit2 only hands back marked-up text for a conflict; we ask for the diff3 style
 * (so the base is included) with markers long enough not to occur in a schema file,
 * then cut the text at the markers into segments. */
#include "config.h"
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "xalloc.h"

static void git_ready(void)
{
    static bool initialised;
    if (!initialised) {
        git_libgit2_init();
        initialised = true;
    }
}

static void git_fail(sm_error *err, const char *what)
{
    const git_error *e = git_error_last();
    sm_error_set(err, ERR_GIT, NULL, "%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
}

/* Longest run of c at the start of any line of s. */
static size_t longest_leading_run(const char *s, size_t len, char c)
{
    size_t best = 0;
    for (size_t i = 0; i < len;) {
        size_t run = 0;
        while (i + run < len && s[i + run] == c)
            run++;
        if (run > best)
            best = run;
        const char *nl = memchr(s + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - s) + 1;
    }
    return best;
}

/* Does the line at p (of length n, without its newline) consist of exactly `size`
 * copies of c, followed by nothing, a space, or a CR? */
static bool is_marker(const char *p, size_t n, char c, size_t size)
{
    if (n < size)
        return false;
    for (size_t i = 0; i < size; i++)
        if (p[i] != c)
            return false;
    return n == size || p[size] == ' ' || p[size] == '\r';
}

int merge_count_lines(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n')
            n++;
    return n;
}

static void push_text(merge_result *r, size_t *cap, const char *s, size_t len)
{
    if (len == 0)
        return;
    merge_segment *seg = XPUSH(r->segments, r->nsegments, *cap);
    memset(seg, 0, sizeof *seg);
    seg->text = xstrndup(s, len);
}

/* Split libgit2's diff3-marked output into segments. */
static void split_segments(merge_result *r, const char *s, size_t len, size_t marker)
{
    enum { OUTSIDE, IN_OURS, IN_BASE, IN_THEIRS } state = OUTSIDE;
    size_t cap = 0, text_start = 0, side_start = 0;
    const char *ours = NULL, *base = NULL;
    size_t ours_len = 0, base_len = 0;
    int line = 1; /* line number in the "ours wins" output */
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        size_t n = (nl ? (size_t)(nl - s) : len) - i;
        const char *p = s + i;
        if (state == OUTSIDE && is_marker(p, n, '<', marker)) {
            push_text(r, &cap, s + text_start, i - text_start);
            line += merge_count_lines(s + text_start, i - text_start);
            state = IN_OURS;
            side_start = end;
        } else if (state == IN_OURS && is_marker(p, n, '|', marker)) {
            ours = s + side_start;
            ours_len = i - side_start;
            state = IN_BASE;
            side_start = end;
        } else if ((state == IN_OURS || state == IN_BASE) && is_marker(p, n, '=', marker)) {
            if (state == IN_OURS) {
                ours = s + side_start;
                ours_len = i - side_start;
                base = "";
                base_len = 0;
            } else {
                base = s + side_start;
                base_len = i - side_start;
            }
            state = IN_THEIRS;
            side_start = end;
        } else if (state == IN_THEIRS && is_marker(p, n, '>', marker)) {
            merge_segment *seg = XPUSH(r->segments, r->nsegments, cap);
            memset(seg, 0, sizeof *seg);
            seg->conflict = true;
            seg->ours = xstrndup(ours, ours_len);
            seg->base = xstrndup(base, base_len);
            seg->theirs = xstrndup(s + side_start, i - side_start);
            seg->ours_line = line;
            line += merge_count_lines(ours, ours_len);
            state = OUTSIDE;
            text_start = end;
        }
        i = end;
    }
    if (state == OUTSIDE)
        push_text(r, &cap, s + text_start, len - text_start);
}

int merge_three(merge_result **out, const char *base, size_t base_len, const char *ours,
                size_t ours_len, const char *theirs, size_t theirs_len, const char *path,
                sm_error *err)
{
    git_ready();
    *out = NULL;
    /* The *_init functions, not the INIT macros: the macros leave fields out, which
     * -Wmissing-field-initializers (part of -Wextra) rejects. */
    git_merge_file_input in_base, in_ours, in_theirs;
    git_merge_file_input_init(&in_base, GIT_MERGE_FILE_INPUT_VERSION);
    git_merge_file_input_init(&in_ours, GIT_MERGE_FILE_INPUT_VERSION);
    git_merge_file_input_init(&in_theirs, GIT_MERGE_FILE_INPUT_VERSION);
    in_base.ptr = base;
    in_base.size = base_len;
    in_ours.ptr = ours;
    in_ours.size = ours_len;
    in_theirs.ptr = theirs;
    in_theirs.size = theirs_len;
    in_base.path = in_ours.path = in_theirs.path = path;
    in_base.mode = in_ours.mode = in_theirs.mode = 0100644;

    /* Markers must not be confused with the files' own lines. */
    size_t marker = 40;
    const char marks[] = "<|=>";
    const git_merge_file_input *inputs[] = { &in_base, &in_ours, &in_theirs };
    for (size_t i = 0; i < 3; i++)
        for (size_t m = 0; m < 4; m++) {
            size_t run = longest_leading_run(inputs[i]->ptr ? inputs[i]->ptr : "", inputs[i]->size, marks[m]);
            if (run >= marker)
                marker = run + 1;
        }
    if (marker > 60000)
        return sm_error_set(err, ERR_GENERIC, NULL, "cannot merge %s: it has an absurdly long marker-like line",
                            path ? path : "the file");

    git_merge_file_options opts;
    git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
    opts.flags = GIT_MERGE_FILE_STYLE_DIFF3;
    opts.marker_size = (unsigned short)marker;
    opts.ancestor_label = "base";
    opts.our_label = "ours";
    opts.their_label = "theirs";

    git_merge_file_result res;
    memset(&res, 0, sizeof res);
    if (git_merge_file(&res, &in_base, &in_ours, &in_theirs, &opts) < 0) {
        char what[300];
        snprintf(what, sizeof what, "cannot merge %s", path ? path : "the file");
        git_fail(err, what);
        return ERR_GIT;
    }
    merge_result *r = xcalloc(1, sizeof *r);
    if (res.automergeable) {
        r->text = xstrndup(res.ptr ? res.ptr : "", res.len);
        r->len = res.len;
        size_t cap = 0;
        push_text(r, &cap, r->text, r->len);
    } else {
        r->conflicted = true;
        split_segments(r, res.ptr, res.len, marker);
    }
    git_merge_file_result_free(&res);
    *out = r;
    return 0;
}

size_t merge_conflict_count(const merge_result *r)
{
    size_t n = 0;
    for (size_t i = 0; r && i < r->nsegments; i++)
        n += r->segments[i].conflict;
    return n;
}

char *merge_resolve(const merge_result *r, const merge_choice *choices,
                    const char *const *custom_texts, size_t *len_out)
{
    strbuf sb;
    strbuf_init(&sb);
    if (!r->conflicted) {
        strbuf_add(&sb, r->text, r->len);
        return strbuf_detach(&sb, len_out);
    }
    size_t k = 0;
    for (size_t i = 0; i < r->nsegments; i++) {
        const merge_segment *s = &r->segments[i];
        if (!s->conflict) {
            strbuf_adds(&sb, s->text);
            continue;
        }
        switch (choices[k]) {
        case MERGE_OURS: strbuf_adds(&sb, s->ours); break;
        case MERGE_THEIRS: strbuf_adds(&sb, s->theirs); break;
        case MERGE_BOTH:
            strbuf_adds(&sb, s->ours);
            strbuf_adds(&sb, s->theirs);
            break;
        case MERGE_CUSTOM:
            if (custom_texts && custom_texts[k])
                strbuf_adds(&sb, custom_texts[k]);
            break;
        }
        k++;
    }
    return strbuf_detach(&sb, len_out);
}

void merge_result_free(merge_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsegments; i++) {
        free(r->segments[i].text);
        free(r->segments[i].ours);
        free(r->segments[i].base);
        free(r->segments[i].theirs);
    }
    free(r->segments);
    free(r->text);
    free(r);
}

int diff_unified(strbuf *out, const char *old_path, const char *old, size_t old_len,
                 const char *new_path, const char *new_text, size_t new_len, sm_error *err)
{
    git_ready();
    if ((old == NULL) == (new_text == NULL) && (old == NULL ||
        (old_len == new_len && memcmp(old, new_text, old_len) == 0)))
        return 0;
    git_patch *patch = NULL;
    git_buf buf = GIT_BUF_INIT;
    int rc = 0;
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 3;
    if (git_patch_from_buffers(&patch, old, old ? old_len : 0, old_path, new_text,
                               new_text ? new_len : 0, new_path, &opts) < 0) {
        git_fail(err, "cannot compute a diff");
        return ERR_GIT;
    }
    if (git_patch_num_hunks(patch) == 0 && old && new_text)
        goto done;
    if (git_patch_to_buf(&buf, patch) < 0) {
        git_fail(err, "cannot format a diff");
        rc = ERR_GIT;
        goto done;
    }
    strbuf_add(out, buf.ptr, buf.size);
done:
    git_buf_dispose(&buf);
    git_patch_free(patch);
    return rc;
}
