/* commit.c: the sync commit's message and paths. The git work is vcs.c's. */
#include "config.h"
#include "commit.h"

#include <stdlib.h>
#include <string.h>

#include "writer.h"
#include "xalloc.h"

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

void commit_message(strbuf *out, const sm_project *p, const apply_record *r)
{
    strbuf_adds(out, p->config->commit_message);
    strbuf_addch(out, '\n');
    if (!r || !r->nentries)
        return;
    strbuf_addch(out, '\n');
    bool *done = xcalloc(r->nentries, sizeof *done);
    for (size_t i = 0; i < r->nentries; i++) {
        if (done[i])
            continue;
        const apply_entry *e = &r->entries[i];
        bool added = same(e->kind, "enum_value_added"), removed = same(e->kind, "enum_value_removed");
        if (added || removed) {
            /* all the labels of this class added (or removed) in one line */
            strbuf_addf(out, "- %s %s value", added ? "Add" : "Remove", e->class_name);
            size_t count = 0;
            strbuf labels = STRBUF_INIT;
            for (size_t k = i; k < r->nentries; k++) {
                const apply_entry *o = &r->entries[k];
                if (!done[k] && same(o->kind, e->kind) && same(o->class_name, e->class_name)) {
                    strbuf_addf(&labels, "%s%s", count ? ", " : "", o->member ? o->member : "");
                    done[k] = true;
                    count++;
                }
            }
            strbuf_addf(out, "%s %s\n", count > 1 ? "s" : "", labels.buf);
            strbuf_release(&labels);
            continue;
        }
        strbuf_addf(out, "- %s\n", e->title);
        done[i] = true;
    }
    free(done);
    if (r->db_hash)
        strbuf_addf(out, "\nDatabase: %s\n", r->db_hash);
}

size_t commit_paths(const char ***out, const sm_project *p, const apply_record *r)
{
    size_t n = 0;
    const char **v;
    if (r && r->nfiles) {
        v = xcalloc(r->nfiles + 1, sizeof *v);
        for (size_t i = 0; i < r->nfiles; i++)
            v[n++] = r->files[i];
    } else {
        v = xcalloc(TARGET_COUNT + 2, sizeof *v);
        for (int t = 0; t < TARGET_COUNT; t++)
            v[n++] = p->paths[t];
        v[n++] = p->version_path;
    }
    *out = v;
    return n;
}

int commit_sync(vcs_commit_result *out, const sm_project *p, const char *message, sm_error *err)
{
    apply_record *r = NULL;
    int error = writer_lock(p->root, err);
    if (error < 0)
        return error;
    if ((error = state_read_apply(&r, p, err)) < 0) {
        writer_unlock();
        return error;
    }
    strbuf msg = STRBUF_INIT;
    if (message)
        strbuf_adds(&msg, message);
    else
        commit_message(&msg, p, r);
    const char **paths = NULL;
    size_t n = commit_paths(&paths, p, r);
    error = vcs_commit_paths(out, p->root, paths, n, msg.buf, err);
    if (error >= 0 && !out->nothing)
        error = state_clear_apply(p, err);
    free(paths);
    strbuf_release(&msg);
    apply_record_free(r);
    writer_unlock();
    return error < 0 ? error : 0;
}
