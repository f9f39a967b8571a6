/* review.c: see review.h. */
#include "config.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "pyparse.h"
#include "xalloc.h"

void review_sbs_init(review_sbs *s)
{
    memset(s, 0, sizeof *s);
    s->target = -1;
}

void review_sbs_clear(review_sbs *s)
{
    free(s->class_name);
    free(s->left_title);
    free(s->right_title);
    align_lines_free(s->left, s->nleft);
    align_lines_free(s->right, s->nright);
    free(s->rows);
    free(s->row_sev);
    review_sbs_init(s);
}

bool review_same_object(const sm_change *x, const sm_change *y)
{
    return x->target == y->target && strcmp(x->class_name ? x->class_name : "",
                                            y->class_name ? y->class_name : "") == 0;
}

/* The line, counted from the class's first line (0), that change x names in class c of
 * text (c's first line is first_line): its field (by column) or its member (by label);
 * -1 when x names none there. */
static int line_of(const sm_change *x, const char *text, const py_class *c, int first_line)
{
    if (!c || !x->member)
        return -1;
    bool is_enum = x->kind == CHANGE_ENUM_VALUE_ADDED || x->kind == CHANGE_ENUM_VALUE_REMOVED ||
                   x->kind == CHANGE_ENUM_VALUE_RENAMED;
    if (is_enum) {
        for (size_t k = 0; k < c->nmembers; k++) {
            const char *v = c->members[k].value;
            if (v && (strcmp(v, x->member) == 0 || (x->old_name && strcmp(v, x->old_name) == 0)))
                return c->members[k].line - first_line;
        }
        return -1;
    }
    for (size_t k = 0; k < c->nfields; k++) {
        const py_field *pf = &c->fields[k];
        if (!codegen_field_is_column(pf))
            continue;
        char *col = codegen_field_alias(text, pf, NULL);
        const char *name = col ? col : pf->name;
        bool hit = strcmp(name, x->member) == 0 || (x->old_name && strcmp(name, x->old_name) == 0);
        free(col);
        if (hit)
            return pf->line - first_line;
    }
    return -1;
}

static void mark(int *sev, size_t n, int line, int severity)
{
    if (line >= 0 && (size_t)line < n && severity > sev[line])
        sev[line] = severity;
}

void review_sbs_build(review_sbs *s, const sm_project *p, size_t i)
{
    const sm_changeset *cs = p->changes;
    const sm_change *c = &cs->items[i];
    s->target = (int)c->target;
    s->class_name = xstrdup(c->class_name ? c->class_name : "");

    /* the object's changes: the first one with a table or enum gives the database side */
    size_t first = i, last = i;
    while (first > 0 && review_same_object(&cs->items[first - 1], c))
        first--;
    while (last + 1 < cs->n && review_same_object(&cs->items[last + 1], c))
        last++;
    const sm_table *table = NULL;
    const sm_enum *enm = NULL;
    const py_class *cls = NULL;
    for (size_t k = first; k <= last; k++) {
        const sm_change *x = &cs->items[k];
        table = table ? table : x->table;
        enm = enm ? enm : x->enm;
        cls = cls ? cls : x->cls;
    }
    if (c->kind == CHANGE_TABLE_REMOVED || c->kind == CHANGE_ENUM_REMOVED)
        table = NULL, enm = NULL;

    strbuf left = STRBUF_INIT;
    py_style style;
    codegen_detect_style(&style, p->files[c->target]);
    style.no_functional = p->config->functional_never;
    typemap_ctx ctx = drift_typemap_ctx(p->changes, p->config, p->db);
    if (table) {
        codegen_table_class(&left, &style, s->class_name, table, c->qualify_marker, &ctx);
        s->left_title = xasprintf("database: table %s", table->name);
    } else if (enm) {
        codegen_enum_class_like(&left, &style, s->class_name, enm, c->qualify_marker, cls);
        s->left_title = xasprintf("database: enum %s", enm->name);
    } else {
        s->left_title = xstrdup("database: (not in the database)");
    }
    s->nleft = align_split_lines(&s->left, left.buf ? left.buf : "", left.len);
    const py_file *f = p->files[c->target];
    int right_first = 0;
    if (cls && f) {
        s->nright = align_split_lines(&s->right, f->text + cls->span.start, cls->span.end - cls->span.start);
        s->right_title = xasprintf("local: %s:%d", c->file, cls->line);
        right_first = pyfile_line_of(f, cls->span.start);
    } else {
        s->right_title = xasprintf("local: %s (no class %s)", c->file, s->class_name);
    }
    /* trailing blank lines of the generated class are spacing, not content */
    while (s->nleft && s->left[s->nleft - 1][0] == '\0')
        free(s->left[--s->nleft]);
    s->nrows = align_lines(&s->rows, s->left, s->nleft, s->right, s->nright);

    /* where each change shows on each side: the generated class parsed like the file */
    int *left_sev = xcalloc(s->nleft + 1, sizeof *left_sev);
    int *right_sev = xcalloc(s->nright + 1, sizeof *right_sev);
    for (size_t k = 0; k < s->nleft; k++)
        left_sev[k] = -1;
    for (size_t k = 0; k < s->nright; k++)
        right_sev[k] = -1;
    py_file *g = NULL;
    sm_error perr = SM_ERROR_INIT;
    const py_class *gc = NULL;
    if (left.len && pyfile_parse(&g, "generated", left.buf, left.len, &perr) >= 0 && g->nclasses)
        gc = &g->classes[0];
    int object_sev = -1;
    for (size_t k = first; k <= last; k++) {
        const sm_change *x = &cs->items[k];
        if ((int)x->severity > object_sev)
            object_sev = (int)x->severity;
        if (gc)
            mark(left_sev, s->nleft, line_of(x, left.buf, gc, pyfile_line_of(g, gc->span.start)), (int)x->severity);
        if (cls && f)
            mark(right_sev, s->nright, line_of(x, f->text, cls, right_first), (int)x->severity);
    }
    s->row_sev = xcalloc(s->nrows + 1, sizeof *s->row_sev);
    for (size_t r = 0; r < s->nrows; r++) {
        s->row_sev[r] = -1;
        if (s->rows[r].same)
            continue;
        int sev = -1;
        if (s->rows[r].left >= 0 && left_sev[s->rows[r].left] > sev)
            sev = left_sev[s->rows[r].left];
        if (s->rows[r].right >= 0 && right_sev[s->rows[r].right] > sev)
            sev = right_sev[s->rows[r].right];
        s->row_sev[r] = sev >= 0 ? sev : object_sev;
    }
    pyfile_free(g);
    free(left_sev);
    free(right_sev);
    strbuf_release(&left);
}

/* ------------------------------------------------------------------ the accepted set */

static void forget_reviewed(review_marks *m, int t)
{
    free(m->reviewed[t]);
    m->reviewed[t] = NULL;
    m->reviewed_len[t] = 0;
}

void review_marks_detach(review_marks *m, const sm_changeset *cs)
{
    for (size_t i = 0; cs && m->accepted && i < cs->n && i < m->n; i++) {
        if (!m->accepted[i])
            continue;
        bool dup = false;
        for (size_t k = 0; k < m->nkept && !dup; k++)
            dup = strcmp(m->kept[k], cs->items[i].id) == 0;
        if (!dup)
            *XPUSH(m->kept, m->nkept, m->cap_kept) = xstrdup(cs->items[i].id);
    }
    free(m->accepted);
    m->accepted = NULL;
    m->n = 0;
}

void review_marks_attach(review_marks *m, const sm_changeset *cs, py_file *const files[TARGET_COUNT])
{
    free(m->accepted);
    m->n = cs->n;
    m->accepted = xcalloc(cs->n + 1, sizeof *m->accepted);
    m->dropped = 0;
    for (size_t k = 0; k < m->nkept; k++) {
        bool found = false;
        for (size_t i = 0; i < cs->n; i++)
            if (strcmp(cs->items[i].id, m->kept[k]) == 0)
                m->accepted[i] = found = true;
        m->dropped += !found;
        free(m->kept[k]);
    }
    m->nkept = 0;
    review_marks_sync(m, cs, files);
}

void review_marks_sync(review_marks *m, const sm_changeset *cs, py_file *const files[TARGET_COUNT])
{
    if (!cs || !m->accepted)
        return;
    for (int t = 0; t < TARGET_COUNT; t++) {
        bool marked = false;
        for (size_t i = 0; i < cs->n && i < m->n && !marked; i++)
            marked = m->accepted[i] && cs->items[i].target == (sm_target)t;
        if (!marked) {
            forget_reviewed(m, t);
        } else if (!m->reviewed[t]) {
            const py_file *f = files[t];
            m->reviewed[t] = f ? xstrndup(f->text, f->len) : xstrdup("");
            m->reviewed_len[t] = f ? f->len : 0;
        }
    }
}

void review_marks_reset(review_marks *m)
{
    if (m->accepted)
        memset(m->accepted, 0, m->n * sizeof *m->accepted);
    for (int t = 0; t < TARGET_COUNT; t++)
        forget_reviewed(m, t);
}

size_t review_marks_count(const review_marks *m)
{
    size_t n = 0;
    for (size_t i = 0; m->accepted && i < m->n; i++)
        n += m->accepted[i];
    return n;
}

int review_plan_build(apply_plan **out, const sm_project *p, const review_marks *m, const bool *take,
                      size_t *count, sm_error *err)
{
    const sm_changeset *cs = p->changes;
    bool *sel = xcalloc(cs->n + 1, sizeof *sel);
    const char **ids = xcalloc(cs->n + 1, sizeof *ids);
    *count = 0;
    for (size_t i = 0; i < cs->n && i < m->n; i++)
        if ((sel[i] = m->accepted && m->accepted[i] && (!take || take[i])))
            ids[(*count)++] = cs->items[i].id;
    /* a file changed since its changes were accepted: the reviewed text is the base */
    bool changed = false;
    const char *reviewed[TARGET_COUNT] = { 0 };
    for (int t = 0; t < TARGET_COUNT; t++) {
        const py_file *f = p->files[t];
        if (!m->reviewed[t])
            continue;
        reviewed[t] = m->reviewed[t];
        changed |= f ? f->len != m->reviewed_len[t] || memcmp(f->text, m->reviewed[t], f->len) != 0
                     : m->reviewed_len[t] != 0;
    }
    int error = changed ? apply_plan_build_reviewed(out, p, reviewed, m->reviewed_len, ids, *count, err)
                        : apply_plan_build(out, p, sel, err);
    free(ids);
    free(sel);
    return error;
}

void review_marks_free(review_marks *m)
{
    free(m->accepted);
    for (size_t k = 0; k < m->nkept; k++)
        free(m->kept[k]);
    free(m->kept);
    for (int t = 0; t < TARGET_COUNT; t++)
        forget_reviewed(m, t);
    memset(m, 0, sizeof *m);
}
