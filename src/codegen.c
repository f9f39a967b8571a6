/* codegen.c: writing new Python in the file's own style. The style is read off the
 * file's existing classes; a file without classes gets SPEC section 6's defaults. */
#include <config.h> /* <>: the autoconf header, never src/config.h */
#include "codegen.h"

#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "xalloc.h"

static void detect_indent(py_style *out, const py_file *f)
{
    for (size_t i = 0; i < f->nclasses; i++) {
        const char *ind = f->classes[i].indent;
        if (ind && *ind && strlen(ind) < sizeof out->indent) {
            strcpy(out->indent, ind);
            return;
        }
    }
}

static void detect_quote(py_style *out, const py_file *f)
{
    size_t dq = 0, sq = 0;
    for (size_t i = 0; i < f->nclasses; i++)
        for (size_t k = 0; k < f->classes[i].nmembers; k++) {
            char q = f->classes[i].members[k].quote;
            dq += q == '"';
            sq += q == '\'';
        }
    if (sq > dq)
        out->quote = '\'';
}

/* Blank lines between the first two consecutive top-level classes. */
static int detect_blank_lines(const py_file *f)
{
    for (size_t i = 1; i < f->nclasses; i++) {
        size_t from = f->classes[i - 1].span.end, to = f->classes[i].span.start;
        int blank = 0;
        bool only_blank = true;
        size_t line_begin = from;
        for (size_t p = from; p < to; p++) {
            if (f->text[p] == '\n') {
                bool empty = true;
                for (size_t q = line_begin; q < p; q++)
                    if (f->text[q] != ' ' && f->text[q] != '\t' && f->text[q] != '\r')
                        empty = false;
                if (empty)
                    blank++;
                else
                    only_blank = false;
                line_begin = p + 1;
            }
        }
        if (only_blank && blank >= 1 && blank <= 3)
            return blank;
    }
    return 2;
}

void codegen_detect_style(py_style *out, const py_file *f)
{
    memset(out, 0, sizeof *out);
    strcpy(out->indent, "    ");
    out->quote = '"';
    out->eol = "\n";
    out->enum_base = CODEGEN_STR_ENUM;
    out->total_false = true;
    out->docstrings = true;
    out->blank_lines = 2;
    if (!f)
        return;
    out->eol = f->crlf ? "\r\n" : "\n";
    if (!f->nclasses)
        return;
    detect_indent(out, f);
    detect_quote(out, f);
    out->blank_lines = detect_blank_lines(f);

    size_t with_doc = 0, enums = 0, rows = 0, rows_total_false = 0;
    bool enum_seen = false;
    for (size_t i = 0; i < f->nclasses; i++) {
        const py_class *c = &f->classes[i];
        with_doc += c->docstring != NULL;
        if (!enum_seen && (pyclass_has_base(c, "Enum") || pyclass_has_base(c, "StrEnum"))) {
            enum_seen = true;
            if (pyclass_has_base(c, "StrEnum"))
                out->enum_base = CODEGEN_STRENUM;
            else if (!pyclass_has_base(c, "str"))
                out->enum_base = CODEGEN_ENUM;
        }
        if (pyclass_has_base(c, "Enum") || pyclass_has_base(c, "StrEnum"))
            enums++;
        if (pyclass_has_base(c, "TypedDict")) {
            rows++;
            const char *total = pyclass_keyword(c, "total");
            rows_total_false += total && strcmp(total, "False") == 0;
        }
        for (size_t k = 0; k < c->nfields; k++) {
            const char *a = c->fields[k].annotation;
            if (strchr(a, '|'))
                out->types.pep604 = true;
            if (strstr(a, "List[") || strstr(a, "Dict["))
                out->types.typing_generics = true;
        }
    }
    out->docstrings = with_doc * 2 >= f->nclasses;
    if (rows)
        out->total_false = rows_total_false * 2 > rows;
    (void)enums;
}

void codegen_member_line(strbuf *out, const py_style *style, const char *name, const char *label)
{
    char *lit = naming_py_string(label, style->quote);
    strbuf_addf(out, "%s%s = %s%s", style->indent, name, lit, style->eol);
    free(lit);
}

void codegen_field_line(strbuf *out, const py_style *style, const char *name, const char *annotation)
{
    strbuf_addf(out, "%s%s: %s%s", style->indent, name, annotation, style->eol);
}

static void docstring_line(strbuf *out, const py_style *style, const char *text)
{
    char q = style->quote;
    strbuf_addf(out, "%s%c%c%c%s%c%c%c%s", style->indent, q, q, q, text, q, q, q, style->eol);
}

void codegen_enum_class(strbuf *out, const py_style *style, const char *class_name, const sm_enum *e)
{
    const char *bases = style->enum_base == CODEGEN_STRENUM ? "StrEnum"
                        : style->enum_base == CODEGEN_ENUM  ? "Enum"
                                                            : "str, Enum";
    strbuf_addf(out, "class %s(%s):%s", class_name, bases, style->eol);
    if (style->docstrings) {
        char *doc = xasprintf("%s enumeration", e->name);
        docstring_line(out, style, doc);
        free(doc);
    }
    const char **taken = xcalloc(e->nlabels + 1, sizeof *taken);
    for (size_t i = 0; i < e->nlabels; i++) {
        char *name = naming_member_name(e->labels[i].name, taken, i);
        codegen_member_line(out, style, name, e->labels[i].name);
        taken[i] = name;
    }
    if (!e->nlabels && !style->docstrings)
        strbuf_addf(out, "%spass%s", style->indent, style->eol);
    for (size_t i = 0; i < e->nlabels; i++)
        free((char *)taken[i]);
    free(taken);
}

char *codegen_annotation(const py_style *style, const sm_column *col, const typemap_ctx *ctx)
{
    pytype *t = typemap_column(ctx, col);
    char *s = pytype_render(t, &style->types);
    pytype_free(t);
    return s;
}

void codegen_table_class(strbuf *out, const py_style *style, const char *class_name,
                         const sm_table *t, const typemap_ctx *ctx)
{
    strbuf_addf(out, "class %s(TypedDict%s):%s", class_name, style->total_false ? ", total=False" : "",
                style->eol);
    if (style->docstrings) {
        char *doc = xasprintf("Database row for %s", t->name);
        docstring_line(out, style, doc);
        free(doc);
    }
    size_t written = 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sm_column *col = &t->columns[i];
        if (!naming_is_field_name(col->name)) {
            strbuf_addf(out, "%s# column \"%s\" cannot be a field in class syntax%s", style->indent,
                        col->name, style->eol);
            continue;
        }
        char *ann = codegen_annotation(style, col, ctx);
        codegen_field_line(out, style, col->name, ann);
        free(ann);
        written++;
    }
    if (!written && !style->docstrings)
        strbuf_addf(out, "%spass%s", style->indent, style->eol);
}
