/* codegen.c: writing new Python in the file's own style. The style is read off the
 * file's existing classes; a file without classes gets SPEC section 6's defaults. */
#include "config.h"
#include "codegen.h"

#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "utf8.h"
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

static const char *dataclass_decorator(const py_class *c);

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
    out->row_kind = CODEGEN_ROW_TYPEDDICT;
    strcpy(out->dataclass_decorator, "dataclass");
    if (!f)
        return;
    out->eol = f->crlf ? "\r\n" : "\n";
    if (!f->nclasses)
        return;
    detect_indent(out, f);
    detect_quote(out, f);
    out->blank_lines = detect_blank_lines(f);

    size_t with_doc = 0, enums = 0, rows = 0, rows_total_false = 0;
    bool enum_seen = false, row_seen = false;
    for (size_t i = 0; i < f->nclasses; i++) {
        const py_class *c = &f->classes[i];
        with_doc += c->docstring != NULL;
        /* new row classes take the kind of the file's first row class (issue 9) */
        if (!row_seen && codegen_is_row_class(c)) {
            row_seen = true;
            out->row_kind = codegen_class_row_kind(c);
            const char *d = dataclass_decorator(c);
            if (out->row_kind == CODEGEN_ROW_DATACLASS && strlen(d) < sizeof out->dataclass_decorator)
                strcpy(out->dataclass_decorator, d);
        }
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

/* A one-line docstring holding text exactly: the text is a name from the database, so
 * a backslash, the quote character and anything a terminal or a line must not hold raw
 * (control, C1 and bidi characters) are written as Python escapes. */
static void docstring_line(strbuf *out, const py_style *style, const char *text)
{
    char q = style->quote;
    strbuf_addf(out, "%s%c%c%c", style->indent, q, q, q);
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(&cp, text + i, n - i);
        if (cp == '\\' || cp == (uint32_t)q)
            strbuf_addf(out, "\\%c", (char)cp);
        else if (cp == UTF8_INVALID)
            strbuf_addf(out, "\\x%02x", (unsigned char)text[i]);
        else if (utf8_is_unsafe(cp))
            strbuf_addf(out, cp < 0x100 ? "\\x%02x" : "\\u%04x", (unsigned)cp);
        else
            strbuf_add(out, text + i, len);
        i += len;
    }
    strbuf_addf(out, "%c%c%c%s", q, q, q, style->eol);
}

void codegen_enum_class(strbuf *out, const py_style *style, const char *class_name, const sm_enum *e)
{
    codegen_enum_class_like(out, style, class_name, e, NULL);
}

/* The member of like whose value is label, if any. */
static const py_member *member_with_value(const py_class *like, const char *label)
{
    for (size_t i = 0; like && i < like->nmembers; i++)
        if (like->members[i].value && strcmp(like->members[i].value, label) == 0)
            return &like->members[i];
    return NULL;
}

void codegen_enum_class_like(strbuf *out, const py_style *style, const char *class_name,
                             const sm_enum *e, const py_class *like)
{
    const char *bases = style->enum_base == CODEGEN_STRENUM ? "StrEnum"
                        : style->enum_base == CODEGEN_ENUM  ? "Enum"
                                                            : "str, Enum";
    strbuf_addf(out, "class %s(%s):%s", class_name, bases, style->eol);
    if (style->docstrings) {
        strbuf doc = STRBUF_INIT;
        naming_marker_name(&doc, e->name);
        strbuf_adds(&doc, " enumeration");
        docstring_line(out, style, doc.buf);
        strbuf_release(&doc);
    }
    /* names already in use (the class's own, then the new ones) are never given twice */
    size_t nlike = like ? like->nmembers : 0, n = 0;
    const char **taken = xcalloc(nlike + e->nlabels + 1, sizeof *taken);
    char **made = xcalloc(e->nlabels + 1, sizeof *made);
    for (size_t i = 0; i < nlike; i++)
        taken[n++] = like->members[i].name;
    for (size_t i = 0; i < e->nlabels; i++) {
        const py_member *m = member_with_value(like, e->labels[i].name);
        if (m) {
            codegen_member_line(out, style, m->name, e->labels[i].name);
            continue;
        }
        made[i] = naming_member_name(e->labels[i].name, taken, n);
        taken[n++] = made[i];
        codegen_member_line(out, style, made[i], e->labels[i].name);
    }
    if (!e->nlabels && !style->docstrings)
        strbuf_addf(out, "%spass%s", style->indent, style->eol);
    for (size_t i = 0; i < e->nlabels; i++)
        free(made[i]);
    free(made);
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
    codegen_row_kind kind = style->row_kind;
    if (kind == CODEGEN_ROW_PYDANTIC)
        strbuf_addf(out, "class %s(BaseModel):%s", class_name, style->eol);
    else if (kind == CODEGEN_ROW_DATACLASS)
        strbuf_addf(out, "@%s%sclass %s:%s", style->dataclass_decorator, style->eol, class_name,
                    style->eol);
    else
        strbuf_addf(out, "class %s(TypedDict%s):%s", class_name,
                    style->total_false ? ", total=False" : "", style->eol);
    if (style->docstrings) {
        strbuf doc = STRBUF_INIT;
        strbuf_adds(&doc, "Database row for ");
        naming_marker_name(&doc, t->name);
        docstring_line(out, style, doc.buf);
        strbuf_release(&doc);
    }
    size_t written = 0;
    /* a dataclass field with a default may not come before one without: the NOT NULL
     * columns go first there, the nullable ones (= None) after them */
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < t->ncolumns; i++) {
            const sm_column *col = &t->columns[i];
            bool nullable = column_is_nullable(col);
            if (kind == CODEGEN_ROW_DATACLASS && nullable != (round == 1))
                continue;
            if (kind != CODEGEN_ROW_DATACLASS && round == 1)
                continue;
            if (!naming_is_field_name(col->name)) {
                char *shown = utf8_escaped(col->name); /* a comment holds no line break */
                strbuf_addf(out, "%s# column \"%s\" cannot be a field in class syntax%s",
                            style->indent, shown, style->eol);
                free(shown);
                continue;
            }
            char *ann = codegen_annotation(style, col, ctx);
            codegen_row_field_line(out, style, kind, col->name, ann, nullable);
            free(ann);
            written++;
        }
    }
    if (!written && !style->docstrings)
        strbuf_addf(out, "%spass%s", style->indent, style->eol);
}

/* ------------------------------------------------------------------ row class kinds */

/* "dataclasses.dataclass(frozen=True)" -> whether it names dataclass */
static bool is_dataclass_decorator(const char *d)
{
    size_t n = strcspn(d, "(");
    return (n == 9 && strncmp(d, "dataclass", 9) == 0) ||
           (n == 21 && strncmp(d, "dataclasses.dataclass", 21) == 0);
}

static const char *dataclass_decorator(const py_class *c)
{
    for (size_t i = 0; i < c->ndecorators; i++)
        if (is_dataclass_decorator(c->decorators[i]))
            return c->decorators[i];
    return NULL;
}

codegen_row_kind codegen_class_row_kind(const py_class *c)
{
    if (pyclass_has_base(c, "BaseModel"))
        return CODEGEN_ROW_PYDANTIC;
    if (dataclass_decorator(c))
        return CODEGEN_ROW_DATACLASS;
    return CODEGEN_ROW_TYPEDDICT;
}

bool codegen_is_row_class(const py_class *c)
{
    return pyclass_has_base(c, "TypedDict") || pyclass_has_base(c, "BaseModel") ||
           dataclass_decorator(c) != NULL;
}

bool codegen_field_is_column(const py_field *f)
{
    const char *a = f->annotation;
    static const char *const wrappers[] = { "ClassVar", "typing.ClassVar", "InitVar",
                                            "dataclasses.InitVar" };
    for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++) {
        size_t n = strlen(wrappers[i]);
        if (strncmp(a, wrappers[i], n) == 0 && (a[n] == '[' || a[n] == '\0'))
            return false;
    }
    return strcmp(f->name, "model_config") != 0;
}

/* The end of the string literal whose opening quote is at s[i] (i < end). */
static size_t string_end(const char *s, size_t i, size_t end)
{
    char q = s[i];
    bool triple = i + 2 < end && s[i + 1] == q && s[i + 2] == q;
    size_t p = i + (triple ? 3 : 1);
    while (p < end) {
        if (s[p] == '\\') {
            p += 2;
            continue;
        }
        if (s[p] == q && (!triple || (p + 2 < end && s[p + 1] == q && s[p + 2] == q)))
            return p + (triple ? 3 : 1);
        p++;
    }
    return end;
}

static bool ident_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return u == '_' || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') || u >= 0x80;
}

char *codegen_field_alias(const char *text, const py_field *f, py_span *lit)
{
    if (!f->has_default)
        return NULL;
    const char *s = text;
    size_t p = f->default_span.start, end = f->default_span.end;
    /* Field( or pydantic.Field( */
    if (end - p > 9 && strncmp(s + p, "pydantic.", 9) == 0)
        p += 9;
    if (end - p < 6 || strncmp(s + p, "Field", 5) != 0)
        return NULL;
    p += 5;
    while (p < end && (s[p] == ' ' || s[p] == '\t'))
        p++;
    if (p >= end || s[p] != '(')
        return NULL;
    p++;
    int depth = 1;
    while (p < end && depth > 0) {
        char c = s[p];
        if (c == '"' || c == '\'') {
            p = string_end(s, p, end);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            depth++;
            p++;
            continue;
        }
        if (c == ')' || c == ']' || c == '}') {
            depth--;
            p++;
            continue;
        }
        if (!ident_byte(c)) {
            p++;
            continue;
        }
        size_t w = p;
        while (p < end && ident_byte(s[p]))
            p++;
        /* a string prefix (r"..", u"..") is part of the literal that follows */
        if (p < end && (s[p] == '"' || s[p] == '\'') && p - w <= 2) {
            p = string_end(s, p, end);
            continue;
        }
        if (depth != 1 || p - w != 5 || strncmp(s + w, "alias", 5) != 0 || (w > 0 && s[w - 1] == '.'))
            continue;
        size_t q = p;
        while (q < end && (s[q] == ' ' || s[q] == '\t' || s[q] == '\n' || s[q] == '\r'))
            q++;
        if (q >= end || s[q] != '=' || (q + 1 < end && s[q + 1] == '='))
            continue;
        q++;
        while (q < end && (s[q] == ' ' || s[q] == '\t' || s[q] == '\n' || s[q] == '\r'))
            q++;
        size_t tok = q;
        while (q < end && (s[q] == 'r' || s[q] == 'R' || s[q] == 'u' || s[q] == 'U') && q - tok < 2)
            q++;
        if (q >= end || (s[q] != '"' && s[q] != '\''))
            return NULL;
        size_t tok_end = string_end(s, q, end);
        char *alias = py_string_decode(s + tok, tok_end - tok);
        if (alias && lit) {
            lit->start = tok;
            lit->end = tok_end;
        }
        return alias;
    }
    return NULL;
}

void codegen_row_field_line(strbuf *out, const py_style *style, codegen_row_kind kind,
                            const char *name, const char *annotation, bool nullable)
{
    strbuf_addf(out, "%s%s: %s%s%s", style->indent, name, annotation,
                kind != CODEGEN_ROW_TYPEDDICT && nullable ? " = None" : "", style->eol);
}
