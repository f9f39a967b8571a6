/* edit.c: turning accepted changes into splices. Positions come from the parser's spans;
 * new text comes from codegen.c in the file's own style. Splices never overlap: a change
 * whose region another selected change already rewrites is refused with a reason. */
#include "config.h"
#include "edit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "naming.h"
#include "utf8.h"
#include "xalloc.h"

typedef struct splice {
    size_t start, end;   /* replaced range of the base text (start == end: insertion) */
    char *text;          /* owned */
    int order;           /* among insertions at the same point: smaller first */
    size_t change;       /* index of the change that made it */
} splice;

typedef struct edit_state {
    const edit_request *req;
    const py_file *f;
    const char *text;    /* base text ("" for a new file) */
    size_t len;
    py_style style;
    splice *splices;
    size_t nsplices, cap_splices;
    char **reasons;
    const char **typing_names;  /* imports needed from typing */
    size_t ntyping, cap_typing;
    const char **enum_names;    /* enum classes needed from the enums module */
    size_t nenum_names, cap_enum_names;
    const char *enum_import;    /* "Enum" or "StrEnum" when an enum class is written */
    struct extra_import {       /* other imports annotations need (owned strings): */
        char *module;           /* from MODULE import NAME, */
        char *name;             /* or `import MODULE` when NULL */
    } *imports;
    size_t nimports, cap_imports;
    bool need_typeddict;
    bool need_basemodel;        /* from pydantic import BaseModel (issue 9) */
    bool need_dataclass;        /* from dataclasses import dataclass */
    struct new_class {      /* whole classes to insert, placed after all changes are seen */
        size_t pos;         /* before the class block at pos, or at the end (SIZE_MAX) */
        const char *name;
        char *text;
        size_t change;
    } *new_classes;
    size_t nnew_classes, cap_new_classes;
    /* names given to new members per class, so two new labels never get the same name */
    char **new_member_names;
    const py_class **new_member_class;
    size_t nnew, cap_new, cap_new_names;
} edit_state;

static void add_splice(edit_state *st, size_t start, size_t end, char *text, int order, size_t change)
{
    splice *s = XPUSH(st->splices, st->nsplices, st->cap_splices);
    s->start = start;
    s->end = end;
    s->text = text;
    s->order = order;
    s->change = change;
}

static void refuse(edit_state *st, size_t i, const char *why)
{
    if (!st->reasons[i])
        st->reasons[i] = xstrdup(why);
}

static void need_name(const char ***v, size_t *n, size_t *cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return;
    *XPUSH(*v, *n, *cap) = name;
}

/* `from module import name` (name NULL: `import module`), once. */
static void need_import(edit_state *st, const char *module, const char *name)
{
    for (size_t k = 0; k < st->nimports; k++) {
        const struct extra_import *e = &st->imports[k];
        if (strcmp(e->module, module) == 0 &&
            ((!e->name && !name) || (e->name && name && strcmp(e->name, name) == 0)))
            return;
    }
    struct extra_import *e = XPUSH(st->imports, st->nimports, st->cap_imports);
    e->module = xstrdup(module);
    e->name = name ? xstrdup(name) : NULL;
}

/* Record the imports an annotation needs. */
static void need_annotation(edit_state *st, const sm_column *col)
{
    pytype *t = typemap_column(st->req->types, col);
    const char *names[8];
    size_t n = pytype_typing_names(t, &st->style.types, names, 0, 8);
    for (size_t i = 0; i < n; i++)
        need_name(&st->typing_names, &st->ntyping, &st->cap_typing, names[i]);
    /* Decimal, datetime, UUID, a dotted override's module: every name is imported */
    pytype_import ims[8];
    n = pytype_imports(t, ims, 0, 8);
    for (size_t i = 0; i < n; i++) {
        char *module = xstrndup(ims[i].module, ims[i].module_len);
        need_import(st, module, ims[i].name);
        free(module);
    }
    pytype_free(t);
    /* enum classes written as annotations come from the enums module */
    const typemap_ctx *ctx = st->req->types;
    if (!ctx->config || !ctx->config->enum_columns_class || !ctx->enum_class)
        return;
    const sm_type *ty = col->type;
    while (ty && (ty->kind == SM_TYPE_ARRAY || ty->kind == SM_TYPE_DOMAIN))
        ty = ty->elem;
    if (ty && ty->kind == SM_TYPE_ENUM && catalog_has_schema(ctx->catalog, ty->schema)) {
        const char *cls = ctx->enum_class(ty->schema, ty->name, ctx->payload);
        if (cls && st->req->target != TARGET_ENUMS)
            need_name(&st->enum_names, &st->nenum_names, &st->cap_enum_names, cls);
    }
}

/* Start of the line containing offset. */
static size_t line_start(const char *text, size_t off)
{
    while (off > 0 && text[off - 1] != '\n')
        off--;
    return off;
}

/* An insertion at pos must begin on a fresh line. */
static char *on_fresh_line(edit_state *st, size_t pos, strbuf *sb)
{
    if (pos > 0 && st->text[pos - 1] != '\n') {
        strbuf line = STRBUF_INIT;
        strbuf_adds(&line, st->style.eol);
        strbuf_add(&line, sb->buf, sb->len);
        strbuf_release(sb);
        return strbuf_detach(&line, NULL);
    }
    return strbuf_detach(sb, NULL);
}

/* New lines go between lines. A statement may share its line with another (`a: int; b:
 * str`), and its span then ends (or starts) inside the line: an insertion after it moves to
 * the next line's start, one before it to its own line's start. */
static size_t at_line_boundary(const edit_state *st, size_t pos, bool before)
{
    if (pos == 0 || pos >= st->len || st->text[pos - 1] == '\n')
        return pos;
    if (before)
        return line_start(st->text, pos);
    while (pos < st->len && st->text[pos] != '\n')
        pos++;
    return pos < st->len ? pos + 1 : pos;
}

/* Whether span is the whole of its lines (it can be removed without touching another
 * statement): only indentation before it, and nothing but spaces or a comment after it. */
static bool owns_its_lines(const edit_state *st, py_span span)
{
    for (size_t q = line_start(st->text, span.start); q < span.start; q++)
        if (st->text[q] != ' ' && st->text[q] != '\t')
            return false;
    if (span.end > span.start && st->text[span.end - 1] == '\n')
        return true;
    size_t e = span.end;
    while (e < st->len && (st->text[e] == ' ' || st->text[e] == '\t' || st->text[e] == '\r'))
        e++;
    return e >= st->len || st->text[e] == '\n' || st->text[e] == '#';
}

/* ------------------------------------------------------------------ members */

static const py_member *member_for_label(const py_class *c, const char *label)
{
    for (size_t i = 0; i < c->nmembers; i++)
        if (c->members[i].value && naming_is_member_name(c->members[i].name) &&
            strcmp(c->members[i].value, label) == 0)
            return &c->members[i];
    return NULL;
}

/* Where the body's next statement would go: after the last member/field/docstring, else at
 * the start of the body. */
static size_t body_append_point(const py_class *c)
{
    if (c->last_stmt_span.end > 0)
        return c->last_stmt_span.end;
    return c->body_span.start;
}

static char *unique_member_name(edit_state *st, const py_class *c, const char *label)
{
    size_t cap = c->nmembers + st->nnew + 1, n = 0;
    const char **taken = xcalloc(cap, sizeof *taken);
    for (size_t i = 0; i < c->nmembers; i++)
        taken[n++] = c->members[i].name;
    for (size_t i = 0; i < st->nnew; i++)
        if (st->new_member_class[i] == c)
            taken[n++] = st->new_member_names[i];
    char *name = naming_member_name(label, taken, n);
    free(taken);
    xgrow((void **)&st->new_member_names, &st->cap_new_names, st->nnew + 1, sizeof *st->new_member_names);
    xgrow((void **)&st->new_member_class, &st->cap_new, st->nnew + 1, sizeof *st->new_member_class);
    st->new_member_names[st->nnew] = xstrdup(name);
    st->new_member_class[st->nnew] = c;
    st->nnew++;
    return name;
}

static void add_label(edit_state *st, size_t i, const sm_change *ch)
{
    const py_class *c = ch->cls;
    const sm_enum *e = ch->enm;
    if (c->one_line_body) {
        refuse(st, i, "the class body is on the same line as its header; put it on its own lines first");
        return;
    }
    size_t idx = 0;
    while (idx < e->nlabels && strcmp(e->labels[idx].name, ch->member) != 0)
        idx++;
    size_t pos = body_append_point(c);
    int order = (int)idx;
    bool placed = false, before = false;
    for (size_t k = idx; k-- > 0 && !placed;) {
        const py_member *m = member_for_label(c, e->labels[k].name);
        if (m) {
            pos = m->span.end;
            placed = true;
        }
    }
    for (size_t k = idx + 1; k < e->nlabels && !placed; k++) {
        const py_member *m = member_for_label(c, e->labels[k].name);
        if (m) {
            pos = m->span.start;
            placed = before = true;
        }
    }
    pos = at_line_boundary(st, pos, before);
    char *name = unique_member_name(st, c, ch->member);
    strbuf sb = STRBUF_INIT;
    py_style style = st->style;
    if (c->indent && *c->indent && strlen(c->indent) < sizeof style.indent)
        strcpy(style.indent, c->indent);
    /* a class's own members decide its quote character */
    if (c->nmembers && c->members[0].quote)
        style.quote = c->members[0].quote;
    codegen_member_line(&sb, &style, name, ch->member);
    free(name);
    add_splice(st, pos, pos, on_fresh_line(st, pos, &sb), order, i);
}

static void remove_span(edit_state *st, size_t i, const py_class *c, py_span span)
{
    /* the header would be left with an empty body */
    if (c->one_line_body) {
        refuse(st, i, "the class body is on the same line as its header; put it on its own lines first");
        return;
    }
    if (!owns_its_lines(st, span)) {
        refuse(st, i, "the statement shares its line with another one; put it on a line of its own first");
        return;
    }
    add_splice(st, span.start, span.end, xstrdup(""), 0, i);
}

static void rename_label(edit_state *st, size_t i, const sm_change *ch)
{
    const py_member *m = ch->pymember;
    char *lit = naming_py_string(ch->member, m->quote ? m->quote : st->style.quote);
    add_splice(st, m->value_span.start, m->value_span.end, lit, 0, i);
    char *old_conventional = naming_member_name(ch->old_name, NULL, 0);
    if (strcmp(old_conventional, m->name) == 0) {
        char *name = unique_member_name(st, ch->cls, ch->member);
        add_splice(st, m->name_span.start, m->name_span.end, name, 0, i);
    }
    free(old_conventional);
}

/* Rewrite the member lines in database order, each keeping its own text: the slots that
 * hold the labels present on both sides receive those lines in the database's order. */
static void reorder_labels(edit_state *st, size_t i, const sm_change *ch)
{
    const py_class *c = ch->cls;
    size_t n = ch->ndatabase_list;
    const py_member **slots = xcalloc(n + 1, sizeof *slots);
    size_t ns = 0;
    for (size_t k = 0; k < c->nmembers && ns < n; k++) {
        const py_member *m = &c->members[k];
        for (size_t j = 0; j < n; j++)
            if (m->value && strcmp(m->value, ch->database_list[j]) == 0 && member_for_label(c, m->value) == m)
                slots[ns++] = m;
    }
    if (ns != n) {
        refuse(st, i, "the labels changed since the drift was computed; reload and try again");
        free(slots);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        const py_member *want = member_for_label(c, ch->database_list[j]);
        if (want == slots[j])
            continue;
        strbuf sb = STRBUF_INIT;
        strbuf_add(&sb, st->text + want->span.start, want->span.end - want->span.start);
        /* the last line of a file may lack its newline; every moved line needs one */
        if (sb.len && sb.buf[sb.len - 1] != '\n' && slots[j]->span.end < st->len)
            strbuf_adds(&sb, st->style.eol);
        else if (sb.len && sb.buf[sb.len - 1] == '\n' && slots[j]->span.end == st->len &&
                 st->text[st->len - 1] != '\n')
            strbuf_truncate(&sb, sb.len - (sb.len > 1 && sb.buf[sb.len - 2] == '\r' ? 2 : 1));
        add_splice(st, slots[j]->span.start, slots[j]->span.end, strbuf_detach(&sb, NULL), 0, i);
    }
    free(slots);
}

/* ------------------------------------------------------------------ fields */

/* The field for a column: by Field(alias=...) when it has one, else by name (issue 9). */
static const py_field *field_named(const edit_state *st, const py_class *c, const char *name)
{
    for (size_t i = 0; i < c->nfields; i++) {
        char *alias = codegen_field_alias(st->text, &c->fields[i], NULL);
        bool same = strcmp(alias ? alias : c->fields[i].name, name) == 0;
        free(alias);
        if (same)
            return &c->fields[i];
    }
    return NULL;
}

/* A dataclass field without a default may not follow one with a default: where a field
 * without one can go at pos (before the first defaulted field above pos, if any). */
static size_t dataclass_required_pos(const py_class *c, size_t pos)
{
    for (size_t k = 0; k < c->nfields; k++)
        if (c->fields[k].has_default && c->fields[k].span.end <= pos && codegen_field_is_column(&c->fields[k]))
            return c->fields[k].span.start;
    return pos;
}

/* A key for the functional form: "column": annotation. */
static char *functional_item(edit_state *st, size_t i, const sm_change *ch, const char *quote_like)
{
    char q = quote_like && (*quote_like == '\'' || *quote_like == '"') ? *quote_like : st->style.quote;
    char *lit = naming_py_string(ch->member, q);
    char *ann;
    if (st->req->texts) {
        ann = xstrdup(st->req->texts[i]);
    } else {
        ann = codegen_annotation(&st->style, ch->column, st->req->types);
        need_annotation(st, ch->column);
    }
    char *item = xasprintf("%s: %s", lit, ann);
    free(lit);
    free(ann);
    return item;
}

/* A column added to a functional TypedDict (SPEC 1): a line of its own after (or before)
 * its neighbour when the items are on lines of their own, else inline, in database order. */
static void add_functional_item(edit_state *st, size_t i, const sm_change *ch, size_t idx)
{
    const py_class *c = ch->cls;
    const sm_table *t = ch->table;
    const py_field *after = NULL, *before = NULL;
    for (size_t k = idx; k-- > 0 && !after;)
        after = field_named(st, c, t->columns[k].name);
    for (size_t k = idx + 1; k < t->ncolumns && !after && !before; k++)
        before = field_named(st, c, t->columns[k].name);
    if (!after && !before && c->nfields)
        after = &c->fields[c->nfields - 1];
    const py_field *anchor = after ? after : before;
    char *item = functional_item(st, i, ch, anchor ? st->text + anchor->name_span.start : NULL);
    if (!anchor) { /* {} */
        add_splice(st, c->dict_open + 1, c->dict_open + 1, item, (int)idx, i);
        return;
    }
    if (owns_its_lines(st, anchor->span)) {
        const char *ind = c->indent && *c->indent ? c->indent : st->style.indent;
        strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "%s%s,%s", ind, item, st->style.eol);
        free(item);
        size_t pos = after ? after->span.end : before->span.start;
        if (after && !after->trailing_comma)
            add_splice(st, after->item_span.end, after->item_span.end, xstrdup(","), (int)idx, i);
        add_splice(st, pos, pos, on_fresh_line(st, pos, &sb), (int)idx, i);
        return;
    }
    char *text = after ? xasprintf(", %s", item) : xasprintf("%s, ", item);
    free(item);
    size_t pos = after ? after->item_span.end : before->item_span.start;
    add_splice(st, pos, pos, text, (int)idx, i);
}

/* A model that gains an aliased field also takes values by field name (SPEC 2), unless it
 * configures itself already (then what it says stands): the configuration goes first in
 * the body, after the docstring. Once per class. */
static void allow_population_by_name(edit_state *st, size_t i, const py_class *c, const py_style *style)
{
    const char *body = st->text + c->body_span.start;
    size_t n = c->body_span.end - c->body_span.start;
    if (memmem(body, n, "model_config", 12) || memmem(body, n, "class Config", 12))
        return;
    for (size_t k = 0; k < st->nsplices; k++)
        if (st->splices[k].order == -500 && st->splices[k].start >= c->body_span.start &&
            st->splices[k].start <= c->body_span.end)
            return; /* another new field of this class asked already */
    size_t pos = c->docstring ? c->docstring_span.end : c->body_span.start;
    strbuf sb = STRBUF_INIT;
    codegen_populate_by_name(&sb, style);
    if (!style->pydantic_v1)
        need_import(st, "pydantic", "ConfigDict");
    add_splice(st, pos, pos, on_fresh_line(st, pos, &sb), -500, i);
}

static void add_field(edit_state *st, size_t i, const sm_change *ch)
{
    const py_class *c = ch->cls;
    const sm_table *t = ch->table;
    if (ch->reason) {
        refuse(st, i, ch->reason);
        return;
    }
    if (c->one_line_body && !c->functional) {
        refuse(st, i, "the class body is on the same line as its header; put it on its own lines first");
        return;
    }
    size_t idx = 0;
    while (idx < t->ncolumns && strcmp(t->columns[idx].name, ch->member) != 0)
        idx++;
    if (c->functional) {
        add_functional_item(st, i, ch, idx);
        return;
    }
    size_t pos = body_append_point(c);
    bool placed = false, before = false;
    for (size_t k = idx; k-- > 0 && !placed;) {
        const py_field *f = field_named(st, c, t->columns[k].name);
        if (f) {
            pos = f->span.end;
            placed = true;
        }
    }
    for (size_t k = idx + 1; k < t->ncolumns && !placed; k++) {
        const py_field *f = field_named(st, c, t->columns[k].name);
        if (f) {
            pos = f->span.start;
            placed = before = true;
        }
    }
    /* each class kind writes its fields in its own form (issue 9): a dataclass field with
     * "= None" goes after the last field, one without a default before any defaulted one */
    codegen_row_kind kind = codegen_class_row_kind(c);
    bool nullable = column_is_nullable(ch->column);
    if (kind == CODEGEN_ROW_DATACLASS) {
        if (nullable && c->nfields) {
            pos = c->fields[c->nfields - 1].span.end;
            before = false;
        } else if (!nullable) {
            size_t required = dataclass_required_pos(c, pos);
            before = before || required != pos;
            pos = required;
        }
    }
    pos = at_line_boundary(st, pos, before);
    py_style style = st->style;
    if (c->indent && *c->indent && strlen(c->indent) < sizeof style.indent)
        strcpy(style.indent, c->indent);
    strbuf sb = STRBUF_INIT;
    if (st->req->texts) {
        strbuf_addf(&sb, "%s%s: %s%s", style.indent, ch->member, st->req->texts[i], style.eol);
        add_splice(st, pos, pos, on_fresh_line(st, pos, &sb), (int)idx, i);
        return;
    }
    char *ann = codegen_annotation(&style, ch->column, st->req->types);
    need_annotation(st, ch->column);
    /* a model or a dataclass writes a name it cannot hold under another, with the column
     * as alias (SPEC 2); the names its annotations use are not shadowed */
    const char **used = NULL, **taken = xcalloc(c->nfields + 1, sizeof *taken);
    size_t nused = 0, cap_used = 0;
    codegen_annotation_names(ann, &used, &nused, &cap_used);
    for (size_t k = 0; k < c->nfields; k++) {
        codegen_annotation_names(c->fields[k].annotation, &used, &nused, &cap_used);
        taken[k] = c->fields[k].name;
    }
    if (codegen_field_aliased(kind, ch->member, used, nused)) {
        char *name = codegen_alias_field_name(kind, ch->member, used, nused, taken, c->nfields);
        codegen_aliased_field_line(&sb, &style, kind, name, ch->member, ann, nullable);
        need_import(st, kind == CODEGEN_ROW_PYDANTIC ? "pydantic" : "dataclasses",
                    kind == CODEGEN_ROW_PYDANTIC ? "Field" : "field");
        free(name);
        if (kind == CODEGEN_ROW_PYDANTIC)
            allow_population_by_name(st, i, c, &style);
    } else {
        codegen_row_field_line(&sb, &style, kind, ch->member, ann, nullable);
    }
    for (size_t k = 0; k < nused; k++)
        free((char *)used[k]);
    free(used);
    free(taken);
    free(ann);
    add_splice(st, pos, pos, on_fresh_line(st, pos, &sb), (int)idx, i);
}

/* Keep a NotRequired[...] / Required[...] wrapper around a rewritten annotation. */
static char *wrapped_like(const char *old, const char *ann)
{
    static const char *const wrappers[] = { "NotRequired[", "Required[", "typing.NotRequired[",
                                            "typing_extensions.NotRequired[" };
    size_t ol = strlen(old);
    for (size_t k = 0; k < sizeof wrappers / sizeof *wrappers; k++) {
        size_t wl = strlen(wrappers[k]);
        if (ol > wl && strncmp(old, wrappers[k], wl) == 0 && old[ol - 1] == ']')
            return xasprintf("%.*s%s]", (int)wl, old, ann);
    }
    return xstrdup(ann);
}

static void retype_field(edit_state *st, size_t i, const sm_change *ch)
{
    const py_field *f = ch->pyfield;
    if (st->req->texts) {
        add_splice(st, f->annotation_span.start, f->has_default ? f->default_span.end : f->annotation_span.end,
                   xstrdup(st->req->texts[i]), 0, i);
        return;
    }
    char *ann = codegen_annotation(&st->style, ch->column, st->req->types);
    need_annotation(st, ch->column);
    char *text = wrapped_like(f->annotation, ann);
    free(ann);
    size_t end = f->annotation_span.end;
    /* Pydantic and dataclass fields carry their default (issue 9): a column that became
     * nullable gets "= None" in a model; one that became NOT NULL loses a "= None" that the
     * annotation no longer admits (in a dataclass only where no defaulted field precedes) */
    codegen_row_kind kind = codegen_class_row_kind(ch->cls);
    bool nullable = column_is_nullable(ch->column);
    bool default_none = f->has_default && f->default_span.end - f->default_span.start == 4 &&
                        memcmp(st->text + f->default_span.start, "None", 4) == 0;
    if (kind == CODEGEN_ROW_PYDANTIC && nullable && !f->has_default) {
        char *t2 = xasprintf("%s = None", text);
        free(text);
        text = t2;
    } else if (kind != CODEGEN_ROW_TYPEDDICT && !nullable && default_none) {
        if (kind == CODEGEN_ROW_DATACLASS && dataclass_required_pos(ch->cls, f->span.start) != f->span.start) {
            free(text);
            refuse(st, i, "the dataclass field would lose its default after a field that has one; "
                          "move it above the defaulted fields first");
            return;
        }
        end = f->default_span.end;
    }
    add_splice(st, f->annotation_span.start, end, text, 0, i);
}

static void rename_field(edit_state *st, size_t i, const sm_change *ch)
{
    if (ch->reason) {
        refuse(st, i, ch->reason);
        return;
    }
    const py_field *f = ch->pyfield;
    if (ch->cls->functional) { /* the key is a string literal: keep its quote */
        char q = st->text[f->name_span.end - 1];
        add_splice(st, f->name_span.start, f->name_span.end,
                   naming_py_string(ch->member, q == '\'' ? '\'' : '"'), 0, i);
        return;
    }
    /* a field named by Field(alias="...") keeps its name; the alias is the column's */
    py_span lit;
    char *alias = codegen_field_alias(st->text, f, &lit);
    if (alias) {
        char q = st->text[lit.end - 1];
        add_splice(st, lit.start, lit.end, naming_py_string(ch->member, q), 0, i);
        free(alias);
        return;
    }
    add_splice(st, f->name_span.start, f->name_span.end, xstrdup(ch->member), 0, i);
}

/* ------------------------------------------------------------------ classes */

static bool is_kind_class(const edit_state *st, const py_class *c)
{
    if (st->req->target == TARGET_ENUMS)
        return pyclass_has_base(c, "Enum") || pyclass_has_base(c, "StrEnum");
    return codegen_is_row_class(c);
}

/* The start of the comment lines directly above a class (its visual block). */
static size_t class_block_start(const edit_state *st, const py_class *c)
{
    size_t start = c->span.start;
    while (start > 0) {
        size_t prev = line_start(st->text, start - 1);
        size_t p = prev;
        while (p < start && (st->text[p] == ' ' || st->text[p] == '\t'))
            p++;
        if (p < start && st->text[p] == '#')
            start = prev;
        else
            break;
    }
    return start;
}

static void add_class(edit_state *st, size_t i, const sm_change *ch)
{
    if (ch->reason) {
        refuse(st, i, ch->reason);
        return;
    }
    strbuf cls = STRBUF_INIT;
    if (st->req->texts) {
        /* the caller's classes go to the end, in the order it gave them */
        strbuf_adds(&cls, st->req->texts[i]);
        struct new_class *nc = XPUSH(st->new_classes, st->nnew_classes, st->cap_new_classes);
        nc->pos = SIZE_MAX;
        nc->name = "";
        nc->text = strbuf_detach(&cls, NULL);
        nc->change = i;
        return;
    }
    if (ch->kind == CHANGE_ENUM_ADDED) {
        codegen_enum_class(&cls, &st->style, ch->class_name, ch->enm, ch->qualify_marker);
        st->enum_import = st->style.enum_base == CODEGEN_STRENUM ? "StrEnum" : "Enum";
    } else {
        unsigned needs = codegen_table_class(&cls, &st->style, ch->class_name, ch->table,
                                             ch->qualify_marker, st->req->types);
        bool from_dataclasses = strncmp(st->style.dataclass_decorator, "dataclass", 9) == 0 &&
                                st->style.dataclass_decorator[9] != 'e';
        if (st->style.row_kind == CODEGEN_ROW_PYDANTIC) {
            st->need_basemodel = true;
            if (needs & CODEGEN_NEEDS_FIELD)
                need_import(st, "pydantic", "Field");
            if (needs & CODEGEN_NEEDS_CONFIG_DICT)
                need_import(st, "pydantic", "ConfigDict");
        } else if (st->style.row_kind == CODEGEN_ROW_DATACLASS) {
            st->need_dataclass = from_dataclasses;
            if (needs & CODEGEN_NEEDS_FIELD)
                need_import(st, "dataclasses", "field");
        } else {
            st->need_typeddict = true;
        }
        for (size_t k = 0; k < ch->table->ncolumns; k++)
            need_annotation(st, &ch->table->columns[k]);
    }
    /* sorted files stay sorted */
    const py_file *f = st->f;
    const py_class *before = NULL;
    bool sorted = true;
    const char *prev = NULL;
    size_t nkind = 0;
    for (size_t k = 0; f && k < f->nclasses; k++) {
        const py_class *c = &f->classes[k];
        if (!is_kind_class(st, c))
            continue;
        nkind++;
        if (prev && strcmp(prev, c->name) > 0)
            sorted = false;
        prev = c->name;
    }
    if (sorted && nkind >= 2) {
        for (size_t k = 0; f && k < f->nclasses && !before; k++) {
            const py_class *c = &f->classes[k];
            if (is_kind_class(st, c) && strcmp(c->name, ch->class_name) > 0)
                before = c;
        }
    }
    struct new_class *nc = XPUSH(st->new_classes, st->nnew_classes, st->cap_new_classes);
    nc->pos = before ? class_block_start(st, before) : SIZE_MAX;
    nc->name = ch->class_name;
    nc->text = strbuf_detach(&cls, NULL);
    nc->change = i;
}

static int cmp_new_class(const void *a, const void *b)
{
    const struct new_class *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    int r = strcmp(x->name, y->name);
    return r ? r : (x->change > y->change) - (x->change < y->change);
}

/* Blank lines already at the end of the text. */
static int trailing_blank_lines(const edit_state *st)
{
    int have = 0;
    size_t p = st->len;
    while (p > 0 && st->text[p - 1] == '\n') {
        size_t ls = line_start(st->text, p - 1);
        bool blank = true;
        for (size_t q = ls; q < p - 1; q++)
            if (st->text[q] != ' ' && st->text[q] != '\t' && st->text[q] != '\r')
                blank = false;
        if (!blank || ls == 0)
            break;
        have++;
        p = ls;
    }
    return have;
}

/* New classes go before the class the sorted order puts them in front of, each followed by
 * the file's blank lines; the others at the end, separated the same way, in name order. */
static void place_new_classes(edit_state *st)
{
    /* A class that sorts before one being removed at the end of the file would land inside
     * that removal (it takes the blank lines before it): the end is the sorted place then. */
    for (size_t k = 0; k < st->nnew_classes; k++) {
        struct new_class *nc = &st->new_classes[k];
        for (size_t s = 0; s < st->nsplices && nc->pos != SIZE_MAX; s++) {
            const splice *sp = &st->splices[s];
            if (!*sp->text && sp->start < nc->pos && nc->pos < sp->end && sp->end == st->len)
                nc->pos = SIZE_MAX;
        }
    }
    if (st->nnew_classes > 1) /* new_classes is NULL when there is none: not for qsort */
        qsort(st->new_classes, st->nnew_classes, sizeof *st->new_classes, cmp_new_class);
    strbuf tail = STRBUF_INIT;
    size_t tail_change = 0;
    for (size_t k = 0; k < st->nnew_classes; k++) {
        struct new_class *nc = &st->new_classes[k];
        if (nc->pos != SIZE_MAX) {
            strbuf sb = STRBUF_INIT;
            strbuf_adds(&sb, nc->text);
            for (int b = 0; b < st->style.blank_lines; b++)
                strbuf_adds(&sb, st->style.eol);
            add_splice(st, nc->pos, nc->pos, strbuf_detach(&sb, NULL), (int)k, nc->change);
            continue;
        }
        if (tail.len == 0 && st->len > 0) {
            if (st->text[st->len - 1] != '\n')
                strbuf_adds(&tail, st->style.eol);
            for (int b = trailing_blank_lines(st); b < st->style.blank_lines; b++)
                strbuf_adds(&tail, st->style.eol);
        } else if (tail.len > 0) {
            for (int b = 0; b < st->style.blank_lines; b++)
                strbuf_adds(&tail, st->style.eol);
        }
        strbuf_adds(&tail, nc->text);
        tail_change = nc->change;
    }
    if (tail.len)
        add_splice(st, st->len, st->len, strbuf_detach(&tail, NULL), 1000000, tail_change);
    else
        strbuf_release(&tail);
}

static bool blank_line_at(const edit_state *st, size_t pos, size_t *next)
{
    size_t p = pos;
    while (p < st->len && (st->text[p] == ' ' || st->text[p] == '\t' || st->text[p] == '\r'))
        p++;
    if (p < st->len && st->text[p] == '\n') {
        *next = p + 1;
        return true;
    }
    return false;
}

static void remove_class(edit_state *st, size_t i, const sm_change *ch)
{
    const py_class *c = ch->cls;
    size_t start = c->span.start, end = c->span.end, next;
    /* take the blank lines after it too, so the neighbours keep their spacing; at the end of
     * the file, the blank lines before it instead */
    while (end < st->len && blank_line_at(st, end, &next))
        end = next;
    if (end >= st->len) {
        while (start > 0) {
            size_t ls = line_start(st->text, start - 1);
            size_t dummy;
            if (!blank_line_at(st, ls, &dummy))
                break;
            start = ls;
        }
    }
    add_splice(st, start, end, xstrdup(""), 0, i);
}

static bool is_word_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 0x80 || u == '_' || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

/* Offset of the class name in its `class NAME(...)` header, or false. */
static bool class_name_offset(const edit_state *st, const py_class *c, size_t *off)
{
    size_t p = c->header_span.start, end = c->header_span.end;
    while (p < end && (st->text[p] == ' ' || st->text[p] == '\t'))
        p++;
    if (p + 5 > end || memcmp(st->text + p, "class", 5) != 0)
        return false;
    p += 5;
    while (p < end && (st->text[p] == ' ' || st->text[p] == '\t'))
        p++;
    size_t nl = strlen(c->name);
    if (p + nl > end || memcmp(st->text + p, c->name, nl) != 0)
        return false;
    *off = p;
    return true;
}

static void rename_class(edit_state *st, size_t i, const sm_change *ch)
{
    const py_class *c = ch->cls;
    bool is_enum = ch->kind == CHANGE_ENUM_RENAMED;
    char *old_conv = is_enum ? naming_enum_class(ch->old_name) : naming_table_class(ch->old_name);
    if (strcmp(old_conv, c->name) == 0) {
        size_t off;
        char *new_name = is_enum ? naming_enum_class(ch->database) : naming_table_class(ch->database);
        if (c->functional) {
            char q = st->text[c->typename_span.end - 1];
            add_splice(st, c->name_span.start, c->name_span.end, xstrdup(new_name), 0, i);
            add_splice(st, c->typename_span.start, c->typename_span.end,
                       naming_py_string(new_name, q == '\'' ? '\'' : '"'), 0, i);
        } else if (class_name_offset(st, c, &off)) {
            add_splice(st, off, off + strlen(c->name), xstrdup(new_name), 0, i);
        }
        free(new_name);
    }
    free(old_conv);
    /* the docstring marker names the object: rename it there */
    if (c->docstring && c->docstring_span.end > c->docstring_span.start) {
        const char *d = st->text + c->docstring_span.start;
        size_t dl = c->docstring_span.end - c->docstring_span.start;
        size_t ol = strlen(ch->old_name);
        for (size_t k = 0; k + ol <= dl; k++) {
            bool left_ok = k == 0 || !is_word_byte(d[k - 1]);
            bool right_ok = k + ol == dl || !is_word_byte(d[k + ol]);
            if (left_ok && right_ok && memcmp(d + k, ch->old_name, ol) == 0) {
                /* as SQL writes it (SPEC 2): inside quotes a '"' doubles, bare it may need them */
                bool quoted = k > 0 && d[k - 1] == '"';
                strbuf name = STRBUF_INIT;
                if (quoted) {
                    for (const char *q = ch->database; *q; q++) {
                        if (*q == '"')
                            strbuf_addch(&name, '"');
                        strbuf_addch(&name, *q);
                    }
                } else {
                    naming_marker_name(&name, ch->database);
                }
                add_splice(st, c->docstring_span.start + k, c->docstring_span.start + k + ol,
                           strbuf_detach(&name, NULL), 0, i);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------ imports */

static bool imported(const py_file *f, const char *module, const char *name)
{
    for (size_t i = 0; f && i < f->nimports; i++) {
        const py_import *im = &f->imports[i];
        if (!im->is_from)
            continue;
        bool mod_ok = strcmp(im->module, module) == 0 ||
                      (strcmp(module, "typing") == 0 && strcmp(im->module, "typing_extensions") == 0);
        if (!mod_ok)
            continue;
        if (im->star)
            return true;
        for (size_t k = 0; k < im->nnames; k++)
            if (strcmp(im->names[k], name) == 0)
                return true;
    }
    return false;
}

/* Whether `import module` is there (its alias, if any, is not known here). */
static bool module_imported(const py_file *f, const char *module)
{
    for (size_t i = 0; f && i < f->nimports; i++)
        if (!f->imports[i].is_from && strcmp(f->imports[i].module, module) == 0)
            return true;
    return false;
}

static const py_import *from_import(const py_file *f, const char *module)
{
    for (size_t i = 0; f && i < f->nimports; i++)
        if (f->imports[i].is_from && !f->imports[i].star && strcmp(f->imports[i].module, module) == 0)
            return &f->imports[i];
    return NULL;
}

/* After a shebang/encoding comment block and a module docstring. */
static size_t module_head_end(const edit_state *st)
{
    size_t p = 0;
    if (st->f && st->f->bom)
        p = 3;
    for (;;) {
        size_t q = p;
        while (q < st->len && (st->text[q] == ' ' || st->text[q] == '\t'))
            q++;
        if (q < st->len && st->text[q] == '#') {
            while (q < st->len && st->text[q] != '\n')
                q++;
            p = q < st->len ? q + 1 : q;
            continue;
        }
        if (q < st->len && (st->text[q] == '\n' || st->text[q] == '\r')) {
            while (q < st->len && st->text[q] != '\n')
                q++;
            p = q < st->len ? q + 1 : q;
            continue;
        }
        break;
    }
    /* a module docstring: a triple-quoted string first */
    if (p + 3 <= st->len && (strncmp(st->text + p, "\"\"\"", 3) == 0 || strncmp(st->text + p, "'''", 3) == 0)) {
        const char *close = strstr(st->text + p + 3, st->text[p] == '"' ? "\"\"\"" : "'''");
        if (close) {
            size_t q = (size_t)(close - st->text) + 3;
            while (q < st->len && st->text[q] != '\n')
                q++;
            return q < st->len ? q + 1 : q;
        }
    }
    return p;
}

/* Import names from module: added to an existing `from module import ...`, else appended
 * to block, the new import lines. */
static void add_imports_for(edit_state *st, strbuf *block, const char *module, const char **names,
                            size_t n)
{
    strbuf missing = STRBUF_INIT;
    size_t nmissing = 0;
    for (size_t i = 0; i < n; i++) {
        if (imported(st->f, module, names[i]))
            continue;
        strbuf_addf(&missing, "%s%s", nmissing ? ", " : "", names[i]);
        nmissing++;
    }
    if (!nmissing) {
        strbuf_release(&missing);
        return;
    }
    const py_import *im = from_import(st->f, module);
    if (im && im->names_span.end > im->names_span.start) {
        size_t q = im->names_span.end;
        while (q > im->names_span.start && (st->text[q - 1] == ' ' || st->text[q - 1] == '\n' ||
                                            st->text[q - 1] == '\r' || st->text[q - 1] == '\t'))
            q--;
        char *text = st->text[q - 1] == ',' ? xasprintf(" %s,", missing.buf) : xasprintf(", %s", missing.buf);
        add_splice(st, q, q, text, 0, (size_t)-1);
    } else {
        strbuf_addf(block, "from %s import %s%s", module, missing.buf, st->style.eol);
    }
    strbuf_release(&missing);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_imports(edit_state *st)
{
    strbuf block = STRBUF_INIT;
    if (st->enum_import) {
        const char *n[1] = { st->enum_import };
        add_imports_for(st, &block, "enum", n, 1);
    }
    if (st->need_dataclass) {
        const char *n[1] = { "dataclass" };
        add_imports_for(st, &block, "dataclasses", n, 1);
    }
    if (st->need_basemodel) {
        const char *n[1] = { "BaseModel" };
        add_imports_for(st, &block, "pydantic", n, 1);
    }
    if (st->need_typeddict)
        need_name(&st->typing_names, &st->ntyping, &st->cap_typing, "TypedDict");
    if (st->ntyping) {
        qsort(st->typing_names, st->ntyping, sizeof *st->typing_names, cmp_name);
        add_imports_for(st, &block, "typing", st->typing_names, st->ntyping);
    }
    /* the caller's imports, one statement per module (texts; issue 9) */
    for (size_t k = 0; k < st->req->nimports; k++) {
        const char *module = st->req->import_modules[k];
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(st->req->import_modules[j], module) == 0;
        if (seen)
            continue;
        const char **names = xcalloc(st->req->nimports, sizeof *names);
        size_t n = 0;
        for (size_t j = k; j < st->req->nimports; j++)
            if (strcmp(st->req->import_modules[j], module) == 0)
                names[n++] = st->req->import_names[j];
        add_imports_for(st, &block, module, names, n);
        free(names);
    }
    /* what annotations need besides typing: one statement per module, in the file's way */
    for (size_t k = 0; k < st->nimports; k++) {
        const char *module = st->imports[k].module;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(st->imports[j].module, module) == 0;
        if (seen)
            continue;
        const char **names = xcalloc(st->nimports, sizeof *names);
        size_t n = 0;
        for (size_t j = k; j < st->nimports; j++)
            if (strcmp(st->imports[j].module, module) == 0) {
                if (st->imports[j].name)
                    names[n++] = st->imports[j].name;
                else if (!module_imported(st->f, module))
                    strbuf_addf(&block, "import %s%s", module, st->style.eol);
            }
        if (n) {
            qsort(names, n, sizeof *names, cmp_name);
            add_imports_for(st, &block, module, names, n);
        }
        free(names);
    }
    if (st->nenum_names && st->req->enums_module) {
        qsort(st->enum_names, st->nenum_names, sizeof *st->enum_names, cmp_name);
        add_imports_for(st, &block, st->req->enums_module, st->enum_names, st->nenum_names);
    }
    if (!block.len) {
        strbuf_release(&block);
        return;
    }
    size_t pos;
    if (st->f && st->f->nimports) {
        pos = st->f->imports[st->f->nimports - 1].span.end;
    } else {
        /* a file without imports: the block goes after the module's head, followed by the
         * blank lines the file puts between top-level statements */
        pos = module_head_end(st);
        for (int b = 0; b < st->style.blank_lines; b++)
            strbuf_adds(&block, st->style.eol);
    }
    add_splice(st, pos, pos, on_fresh_line(st, pos, &block), -1000, (size_t)-1);
}

/* ------------------------------------------------------------------ assembling */

static int cmp_splice(const void *a, const void *b)
{
    const splice *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* insertions before replacements at the same point */
    bool xi = x->start == x->end, yi = y->start == y->end;
    if (xi != yi)
        return xi ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* A class whose body would be left with no statement gets `pass`. */
static void keep_bodies_valid(edit_state *st)
{
    for (size_t k = 0; st->f && k < st->f->nclasses; k++) {
        const py_class *c = &st->f->classes[k];
        if (c->functional) /* an empty {} is a valid TypedDict */
            continue;
        bool touched = false, removed_whole = false;
        for (size_t s = 0; s < st->nsplices; s++) {
            const splice *sp = &st->splices[s];
            if (sp->start <= c->span.start && sp->end >= c->span.end && sp->end > sp->start)
                removed_whole = true;
            if (sp->start >= c->body_span.start && sp->end <= c->body_span.end && sp->end > sp->start &&
                !*sp->text)
                touched = true;
        }
        if (!touched || removed_whole)
            continue;
        /* any content left in the body, or any insertion into it? */
        bool content = false;
        for (size_t s = 0; s < st->nsplices && !content; s++) {
            const splice *sp = &st->splices[s];
            if (sp->start >= c->body_span.start && sp->start <= c->body_span.end && *sp->text)
                content = true;
        }
        size_t p = c->body_span.start;
        while (p < c->body_span.end && !content) {
            bool deleted = false;
            for (size_t s = 0; s < st->nsplices; s++) {
                const splice *sp = &st->splices[s];
                if (p >= sp->start && p < sp->end) {
                    p = sp->end;
                    deleted = true;
                    break;
                }
            }
            if (deleted)
                continue;
            char ch = st->text[p];
            if (ch == '#') {
                while (p < c->body_span.end && st->text[p] != '\n')
                    p++;
                continue;
            }
            if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
                content = true;
            p++;
        }
        if (!content) {
            strbuf sb = STRBUF_INIT;
            const char *ind = c->indent && *c->indent ? c->indent : st->style.indent;
            strbuf_addf(&sb, "%spass%s", ind, st->style.eol);
            add_splice(st, c->body_span.end, c->body_span.end, on_fresh_line(st, c->body_span.end, &sb),
                       2000000, (size_t)-1);
        }
    }
}

static int build_raw(strbuf *out, const edit_request *req, char **reasons, sm_error *err)
{
    edit_state st = { .req = req, .f = req->base, .reasons = reasons };
    st.text = req->base ? req->base->text : "";
    st.len = req->base ? req->base->len : 0;
    codegen_detect_style(&st.style, req->base);
    st.style.no_functional = req->types && req->types->config && req->types->config->functional_never;
    /* Every position below reasons in lines ended by \n (or \r\n). Python also ends a line
     * with a lone \r (old Mac files); rather than guess where such a line ends, such a file
     * is left alone, whole, with a reason that says what to do. */
    const char *lone_cr = NULL;
    for (size_t k = 0; k < st.len && !lone_cr; k++)
        if (st.text[k] == '\r' && (k + 1 >= st.len || st.text[k + 1] != '\n'))
            lone_cr = st.text + k;
    if (lone_cr) {
        for (size_t i = 0; i < req->nchanges; i++)
            refuse(&st, i, "the file ends some lines with a lone carriage return; convert its line "
                           "endings to \\n or \\r\\n first");
        strbuf_add(out, st.text, st.len);
        return 0;
    }

    for (size_t i = 0; i < req->nchanges; i++) {
        const sm_change *ch = req->changes[i];
        if (!ch->cls && ch->kind != CHANGE_ENUM_ADDED && ch->kind != CHANGE_TABLE_ADDED) {
            refuse(&st, i, "the class is not in the file any more; reload and try again");
            continue;
        }
        switch (ch->kind) {
        case CHANGE_ENUM_ADDED:
        case CHANGE_TABLE_ADDED:
            add_class(&st, i, ch);
            break;
        case CHANGE_ENUM_REMOVED:
        case CHANGE_TABLE_REMOVED:
            remove_class(&st, i, ch);
            break;
        case CHANGE_ENUM_RENAMED:
        case CHANGE_TABLE_RENAMED:
            rename_class(&st, i, ch);
            break;
        case CHANGE_ENUM_VALUE_ADDED:
            add_label(&st, i, ch);
            break;
        case CHANGE_ENUM_VALUE_REMOVED:
            remove_span(&st, i, ch->cls, ch->pymember->span);
            break;
        case CHANGE_ENUM_VALUE_RENAMED:
            rename_label(&st, i, ch);
            break;
        case CHANGE_ENUM_VALUES_REORDERED:
            reorder_labels(&st, i, ch);
            break;
        case CHANGE_COLUMN_ADDED:
            add_field(&st, i, ch);
            break;
        case CHANGE_COLUMN_REMOVED:
            if (ch->cls->functional) /* the parser gave the item's own removal span */
                add_splice(&st, ch->pyfield->span.start, ch->pyfield->span.end, xstrdup(""), 0, i);
            else
                remove_span(&st, i, ch->cls, ch->pyfield->span);
            break;
        case CHANGE_COLUMN_RENAMED:
            rename_field(&st, i, ch);
            break;
        case CHANGE_COLUMN_TYPE_CHANGED:
        case CHANGE_COLUMN_NULLABILITY_CHANGED:
            retype_field(&st, i, ch);
            break;
        case CHANGE_KIND_COUNT:
            break;
        }
    }
    place_new_classes(&st);
    keep_bodies_valid(&st);
    add_imports(&st);

    if (st.nsplices > 1)
        qsort(st.splices, st.nsplices, sizeof *st.splices, cmp_splice);
    /* refuse splices that overlap an earlier replacement */
    size_t pos = 0;
    int error = 0;
    for (size_t s = 0; s < st.nsplices; s++) {
        splice *sp = &st.splices[s];
        if (sp->start < pos && sp->change != (size_t)-1) {
            refuse(&st, sp->change, "another selected change rewrites the same lines; apply it first");
            continue;
        }
        if (sp->start < pos)
            continue;
        strbuf_add(out, st.text + pos, sp->start - pos);
        strbuf_adds(out, sp->text);
        pos = sp->end;
    }
    if (pos < st.len)
        strbuf_add(out, st.text + pos, st.len - pos);
    /* A change refused after some of its splices went in must not leave half an edit: the
     * callers rebuild without the refused changes (see apply.c), so here it is enough to say. */
    for (size_t s = 0; s < st.nsplices; s++)
        free(st.splices[s].text);
    free(st.splices);
    free(st.typing_names);
    for (size_t i = 0; i < st.nimports; i++) {
        free(st.imports[i].module);
        free(st.imports[i].name);
    }
    free(st.imports);
    free(st.enum_names);
    for (size_t k = 0; k < st.nnew_classes; k++)
        free(st.new_classes[k].text);
    free(st.new_classes);
    for (size_t k = 0; k < st.nnew; k++)
        free(st.new_member_names[k]);
    free(st.new_member_names);
    free(st.new_member_class);
    (void)err;
    return error;
}

/* ------------------------------------------------------------------ the functional form */

/* Whether change ch makes its class-form TypedDict take a column class syntax cannot hold,
 * so that the class is first converted to the functional form (SPEC 2). */
static bool needs_conversion(const edit_request *req, const sm_change *ch)
{
    if (req->texts || !ch->cls || ch->cls->functional || !ch->member ||
        (ch->kind != CHANGE_COLUMN_ADDED && ch->kind != CHANGE_COLUMN_RENAMED) ||
        codegen_class_row_kind(ch->cls) != CODEGEN_ROW_TYPEDDICT)
        return false;
    if (req->types && req->types->config && req->types->config->functional_never)
        return false;
    return !naming_is_class_field(ch->member);
}

/* Whether the line [p, e) lies inside a field's or the docstring's span. */
static bool line_is_statement(const py_class *c, size_t p)
{
    if (c->docstring && p >= c->docstring_span.start && p < c->docstring_span.end)
        return true;
    for (size_t k = 0; k < c->nfields; k++)
        if (p >= c->fields[k].span.start && p < c->fields[k].span.end)
            return true;
    return false;
}

/* The class c of text in the functional form, keeping its fields in order with their
 * annotations and trailing comments as written, its comment lines, and its totality; the
 * docstring's first line becomes the marker comment above, its other lines comments at
 * the top of the dict. false with *why when the class holds more than fields. */
static bool functional_of_class(strbuf *out, const py_style *style, const char *text,
                                const py_class *c, const char **why)
{
    if (c->ndecorators || c->nbases != 1 || c->nmembers || c->one_line_body) {
        *why = "the class has decorators, other bases or a body on its header line";
        return false;
    }
    for (size_t k = 0; k < c->nkeywords; k++)
        if (strcmp(c->keywords[k].name, "total") != 0) {
            *why = "the class has keywords other than total";
            return false;
        }
    for (size_t k = 0; k < c->nfields; k++)
        if (c->fields[k].has_default) {
            *why = "a field has a default value";
            return false;
        }
    /* every line of the body is a field, the docstring, a comment or blank */
    for (size_t p = c->body_span.start; p < c->body_span.end;) {
        size_t e = p;
        while (e < c->body_span.end && text[e] != '\n')
            e++;
        size_t q = p;
        while (q < e && (text[q] == ' ' || text[q] == '\t' || text[q] == '\r'))
            q++;
        if (q < e && text[q] != '#' && !line_is_statement(c, p)) {
            *why = "its body holds statements other than fields and comments";
            return false;
        }
        p = e + 1;
    }
    const char *eol = style->eol;
    char item_indent[40];
    snprintf(item_indent, sizeof item_indent, "%s%s", style->indent, style->indent);
    if (c->docstring) {
        const char *d = c->docstring;
        while (*d == '\n' || *d == '\r' || *d == ' ')
            d++;
        size_t first = strcspn(d, "\r\n");
        char *line = xstrndup(d, first);
        codegen_marker_comment(out, style, line);
        free(line);
    }
    codegen_functional_open(out, style, c->name);
    if (c->docstring) { /* the docstring's other lines, as comments */
        const char *d = c->docstring;
        while (*d == '\n' || *d == '\r' || *d == ' ')
            d++;
        d += strcspn(d, "\r\n");
        while (*d) {
            d += *d == '\r';
            d += *d == '\n';
            size_t n = strcspn(d, "\r\n");
            const char *a = d;
            while (a < d + n && (*a == ' ' || *a == '\t'))
                a++;
            if (a < d + n) {
                char *line = xstrndup(a, (size_t)(d + n - a));
                char *shown = utf8_escaped(line);
                strbuf_addf(out, "%s# %s%s", item_indent, shown, eol);
                free(shown);
                free(line);
            }
            d += n;
        }
    }
    size_t k = 0;
    for (size_t p = c->body_span.start; p < c->body_span.end;) {
        size_t e = p;
        while (e < c->body_span.end && text[e] != '\n')
            e++;
        size_t q = p;
        while (q < e && (text[q] == ' ' || text[q] == '\t'))
            q++;
        const py_field *f = k < c->nfields && p >= c->fields[k].span.start && p < c->fields[k].span.end
                                ? &c->fields[k] : NULL;
        if (f) {
            /* the key, the annotation as written (over lines when it is), its comment */
            char *key = naming_py_string(f->name, style->quote);
            strbuf_addf(out, "%s%s: ", item_indent, key);
            free(key);
            strbuf_add(out, text + f->annotation_span.start, f->annotation_span.end - f->annotation_span.start);
            strbuf_addch(out, ',');
            size_t rest = f->annotation_span.end, end = f->span.end;
            while (end > rest && (text[end - 1] == '\n' || text[end - 1] == '\r'))
                end--;
            strbuf_add(out, text + rest, end - rest);
            strbuf_adds(out, eol);
            k++;
            p = f->span.end;
            continue;
        }
        if (q < e && text[q] == '#' && !line_is_statement(c, p)) {
            size_t end = e;
            while (end > q && text[end - 1] == '\r')
                end--;
            strbuf_addf(out, "%s%.*s%s", item_indent, (int)(end - q), text + q, eol);
        } else if (q == e || (q + 1 == e && text[q] == '\r')) {
            if (!line_is_statement(c, p))
                strbuf_adds(out, eol);
        }
        p = e + 1;
    }
    codegen_functional_close(out, style, pyclass_keyword(c, "total"));
    return true;
}

/* Whether c is one of f's classes (a change always points into the file it edits). */
static bool class_of(const py_file *f, const py_class *c)
{
    return c && c >= f->classes && c < f->classes + f->nclasses;
}

/* Stage one of an edit that converts classes (SPEC 2): the base text with each class that
 * gains a column class syntax cannot hold rewritten in the functional form. Returns the
 * new text, or NULL when no class needs it; a class that cannot be converted has its
 * changes refused. */
static char *convert_classes(const edit_request *req, char **reasons, size_t *len_out)
{
    const py_file *f = req->base;
    if (!f)
        return NULL;
    bool *convert = xcalloc(f->nclasses + 1, sizeof *convert);
    bool any = false;
    py_style style;
    codegen_detect_style(&style, f);
    for (size_t i = 0; i < req->nchanges; i++) {
        const sm_change *ch = req->changes[i];
        if (reasons[i] || ch->reason || !needs_conversion(req, ch) || !class_of(f, ch->cls))
            continue;
        convert[ch->cls - f->classes] = true;
        any = true;
    }
    if (!any) {
        free(convert);
        return NULL;
    }
    strbuf out = STRBUF_INIT;
    size_t pos = 0;
    for (size_t k = 0; k < f->nclasses; k++) {
        if (!convert[k])
            continue;
        const py_class *c = &f->classes[k];
        strbuf conv = STRBUF_INIT;
        const char *why = NULL;
        if (!functional_of_class(&conv, &style, f->text, c, &why)) {
            for (size_t i = 0; i < req->nchanges; i++)
                if (req->changes[i]->cls == c && needs_conversion(req, req->changes[i]) && !reasons[i])
                    reasons[i] = xasprintf("%s would have to become the functional TypedDict form "
                                           "to hold column \"%s\", but %s; convert it by hand",
                                           c->name, req->changes[i]->member, why);
            strbuf_release(&conv);
            continue;
        }
        strbuf_add(&out, f->text + pos, c->span.start - pos);
        strbuf_add(&out, conv.buf, conv.len);
        strbuf_release(&conv);
        pos = c->span.end;
    }
    strbuf_add(&out, f->text + pos, f->len - pos);
    free(convert);
    *len_out = out.len;
    return strbuf_detach(&out, NULL);
}

/* The changes of req with their classes, fields and members looked up in g, a parse of the
 * converted text: the conversion keeps every class, and every field in order. false when it
 * did not (the caller then refuses). */
static bool remap_changes(const py_file *f, const py_file *g, const edit_request *req, sm_change *copies)
{
    if (f->nclasses != g->nclasses)
        return false;
    for (size_t i = 0; i < req->nchanges; i++) {
        sm_change *c = &copies[i];
        *c = *req->changes[i];
        if (!c->cls)
            continue;
        if (!class_of(f, c->cls))
            return false;
        size_t k = (size_t)(c->cls - f->classes);
        const py_class *nc = &g->classes[k];
        if (strcmp(nc->name, c->cls->name) != 0 || nc->nfields != c->cls->nfields ||
            nc->nmembers != c->cls->nmembers)
            return false;
        if (c->pyfield)
            c->pyfield = &nc->fields[c->pyfield - c->cls->fields];
        if (c->pymember)
            c->pymember = &nc->members[c->pymember - c->cls->members];
        c->cls = nc;
    }
    return true;
}

/* ------------------------------------------------------------------ the safety net */

static bool text_parses(const char *text, size_t len)
{
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;
    if (pyfile_parse(&f, "schema file", text, len, &err) < 0)
        return false;
    pyfile_free(f);
    return true;
}

/* The request with only the changes whose keep[i] is set (and their texts). */
static edit_request subset_of(const edit_request *req, const bool *keep, const sm_change **changes,
                              const char **texts, size_t *map)
{
    edit_request sub = *req;
    size_t n = 0;
    for (size_t i = 0; i < req->nchanges; i++) {
        if (!keep[i])
            continue;
        changes[n] = req->changes[i];
        if (req->texts)
            texts[n] = req->texts[i];
        map[n++] = i;
    }
    sub.changes = changes;
    sub.texts = req->texts ? texts : NULL;
    sub.nchanges = n;
    return sub;
}

#define BREAKS_SYNTAX                                                                          \
    "applying it would leave the file invalid Python (a construct schemerge does not edit "    \
    "safely: make this change by hand, and please report the file)"

static int build_checked(strbuf *out, const edit_request *req, char **reasons, sm_error *err);

/* One build: the conversion to the functional form when needed, then the checked splices. */
static int build_once(strbuf *out, const edit_request *req, char **reasons, sm_error *err)
{
    size_t len = 0;
    char *converted = convert_classes(req, reasons, &len);
    if (!converted)
        return build_checked(out, req, reasons, err);
    /* stage two: the changes on the converted text, as on any functional class */
    py_file *g = NULL;
    sm_error perr = SM_ERROR_INIT;
    sm_change *copies = xcalloc(req->nchanges + 1, sizeof *copies);
    const sm_change **ptrs = xcalloc(req->nchanges + 1, sizeof *ptrs);
    int error;
    if (pyfile_parse(&g, "schema file", converted, len, &perr) < 0 ||
        !remap_changes(req->base, g, req, copies)) {
        sm_error_clear(&perr);
        for (size_t i = 0; i < req->nchanges; i++)
            if (needs_conversion(req, req->changes[i]) && !reasons[i])
                reasons[i] = xstrdup("converting the class to the functional TypedDict form failed; "
                                     "convert it by hand, and please report the file");
        error = build_checked(out, req, reasons, err);
    } else {
        for (size_t i = 0; i < req->nchanges; i++)
            ptrs[i] = &copies[i];
        edit_request second = *req;
        second.base = g;
        second.changes = ptrs;
        error = build_checked(out, &second, reasons, err);
    }
    pyfile_free(g);
    free(ptrs);
    free(copies);
    free(converted);
    return error;
}

/* The changes a build refuses are dropped and the file built again without them, until a
 * build refuses nothing: no half of a refused change (an import, a converted class) is
 * left in the text. Each round drops at least one change, so it ends. This is the one
 * place a refusal is retried. */
int edit_build(strbuf *out, const edit_request *req, char **reasons, sm_error *err)
{
    size_t n = req->nchanges;
    bool *keep = xcalloc(n + 1, sizeof *keep);
    const sm_change **changes = xcalloc(n + 1, sizeof *changes);
    const char **texts = xcalloc(n + 1, sizeof *texts);
    size_t *map = xcalloc(n + 1, sizeof *map);
    for (size_t i = 0; i < n; i++)
        keep[i] = !reasons[i];
    int error;
    for (;;) {
        edit_request cur = subset_of(req, keep, changes, texts, map);
        char **found = xcalloc(cur.nchanges + 1, sizeof *found);
        strbuf_reset(out);
        error = build_once(out, &cur, found, err);
        bool refused = false;
        for (size_t k = 0; k < cur.nchanges; k++) {
            if (!found[k])
                continue;
            reasons[map[k]] = found[k];
            keep[map[k]] = false;
            refused = true;
        }
        free(found);
        if (error < 0 || !refused)
            break;
    }
    free(map);
    free(texts);
    free(changes);
    free(keep);
    return error;
}

static int build_checked(strbuf *out, const edit_request *req, char **reasons, sm_error *err)
{
    int error = build_raw(out, req, reasons, err);
    if (error < 0 || text_parses(out->buf ? out->buf : "", out->len))
        return error;
    /* The splices made a file Python rejects: schemerge must never do that to a valid file.
     * Keep each change that is fine on its own, then check them together. */
    size_t n = req->nchanges;
    bool *keep = xcalloc(n + 1, sizeof *keep);
    const sm_change **changes = xcalloc(n + 1, sizeof *changes);
    const char **texts = xcalloc(n + 1, sizeof *texts);
    size_t *map = xcalloc(n + 1, sizeof *map);
    char **scratch = xcalloc(n + 1, sizeof *scratch);
    for (size_t i = 0; i < n; i++) {
        if (reasons[i])
            continue;
        edit_request one = *req;
        one.changes = &req->changes[i];
        one.texts = req->texts ? &req->texts[i] : NULL;
        one.nchanges = 1;
        strbuf sb = STRBUF_INIT;
        char *why = NULL;
        if (build_raw(&sb, &one, &why, err) >= 0 && !why && text_parses(sb.buf ? sb.buf : "", sb.len))
            keep[i] = true;
        else if (!why)
            reasons[i] = xstrdup(BREAKS_SYNTAX);
        else
            reasons[i] = why, why = NULL;
        free(why);
        strbuf_release(&sb);
    }
    edit_request sub = subset_of(req, keep, changes, texts, map);
    strbuf_reset(out);
    error = build_raw(out, &sub, scratch, err);
    bool fine = error >= 0 && text_parses(out->buf ? out->buf : "", out->len);
    for (size_t k = 0; k < sub.nchanges; k++) {
        size_t i = map[k];
        if (scratch[k] && !reasons[i])
            reasons[i] = scratch[k], scratch[k] = NULL;
        else if (!fine && !reasons[i])
            reasons[i] = xstrdup(BREAKS_SYNTAX);
        free(scratch[k]);
    }
    if (!fine) {
        /* even the changes that are fine alone break it together: leave the file as it is */
        strbuf_reset(out);
        if (req->base)
            strbuf_add(out, req->base->text, req->base->len);
        error = 0;
    }
    free(scratch);
    free(map);
    free(texts);
    free(changes);
    free(keep);
    return error;
}
