/* codegen.c: writing new Python in the file's own style. The style is read off the
 * file's existing classes; a file without classes gets SPEC section 6's defaults. */
#include "config.h"
#include "codegen.h"

#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "utf8.h"
#include "xalloc.h"

#include <utf8proc.h>

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
    /* pydantic 1 configures a model with a nested `class Config:`, 2 with model_config */
    out->pydantic_v1 = out->row_kind == CODEGEN_ROW_PYDANTIC && f->text &&
                       strstr(f->text, "class Config:") && !strstr(f->text, "model_config");
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

void codegen_enum_class(strbuf *out, const py_style *style, const char *class_name, const sm_enum *e,
                        bool qualify)
{
    codegen_enum_class_like(out, style, class_name, e, qualify, NULL);
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
                             const sm_enum *e, bool qualify, const py_class *like)
{
    const char *bases = style->enum_base == CODEGEN_STRENUM ? "StrEnum"
                        : style->enum_base == CODEGEN_ENUM  ? "Enum"
                                                            : "str, Enum";
    strbuf_addf(out, "class %s(%s):%s", class_name, bases, style->eol);
    if (style->docstrings) {
        strbuf doc = STRBUF_INIT;
        naming_marker_object(&doc, qualify ? e->schema : NULL, e->name);
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

/* ------------------------------------------------------------------ field names */

/* A byte that may be part of an identifier (every non-ASCII byte: the parser judged it). */
static bool ident_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return u == '_' || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') || u >= 0x80;
}


/* What pydantic.BaseModel defines (2.x, with the 1.x names it keeps): a field of that
 * name shadows it, and pydantic refuses or misbehaves. */
static bool pydantic_reserved(const char *name)
{
    static const char *const reserved[] = {
        "Config", "construct", "copy", "dict", "fields", "from_orm", "json", "parse_file",
        "parse_obj", "parse_raw", "schema", "schema_json", "update_forward_refs", "validate",
    };
    if (strncmp(name, "model_", 6) == 0 || name[0] == '_')
        return true;
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcmp(name, reserved[i]) == 0)
            return true;
    return false;
}

static bool name_in(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && naming_same_identifier(names[i], name))
            return true;
    return false;
}

void codegen_annotation_names(const char *annotation, const char ***names, size_t *n, size_t *cap)
{
    const char *p = annotation;
    while (*p) {
        if (*p == '"' || *p == '\'' || !ident_byte(*p) || (*p >= '0' && *p <= '9')) {
            p++;
            continue;
        }
        const char *w = p;
        while (*p && ident_byte(*p))
            p++;
        bool dotted = w > annotation && w[-1] == '.';
        while (*p == '.' || ident_byte(*p)) /* the first part of a dotted name binds */
            p++;
        if (dotted)
            continue;
        char *name = xstrndup(w, (size_t)(strcspn(w, ".") < (size_t)(p - w) ? strcspn(w, ".") : (size_t)(p - w)));
        if (name_in(name, *names, *n))
            free(name);
        else
            *XPUSH(*names, *n, *cap) = name;
    }
}

bool codegen_field_aliased(codegen_row_kind kind, const char *column, const char *const *used, size_t nused)
{
    if (kind == CODEGEN_ROW_TYPEDDICT)
        return false;
    if (!naming_is_class_field(column))
        return true;
    if (kind == CODEGEN_ROW_PYDANTIC && pydantic_reserved(column))
        return true;
    /* a field with a default binds its name in the class body, where the annotations below
     * it are evaluated: `str: Optional[str] = None` breaks every later `str` */
    return name_in(column, used, nused) || strcmp(column, kind == CODEGEN_ROW_PYDANTIC ? "Field" : "field") == 0;
}

char *codegen_alias_field_name(codegen_row_kind kind, const char *column, const char *const *used,
                               size_t nused, const char *const *taken, size_t ntaken)
{
    /* the member-name rule, lower case: "First Name" -> first_name, "2fa" -> _2fa */
    char *member = naming_member_name(column, NULL, 0);
    utf8proc_uint8_t *lower = NULL;
    utf8proc_map((const utf8proc_uint8_t *)member, 0, &lower, UTF8PROC_NULLTERM | UTF8PROC_CASEFOLD);
    const char *low = lower ? (const char *)lower : member;
    strbuf sb = STRBUF_INIT;
    /* pydantic: "_x" is a private attribute, "model_x" its own namespace */
    if (kind == CODEGEN_ROW_PYDANTIC && low[0] == '_')
        strbuf_addch(&sb, 'f');
    else if (kind == CODEGEN_ROW_PYDANTIC && strncmp(low, "model_", 6) == 0)
        strbuf_adds(&sb, "f_");
    strbuf_adds(&sb, low);
    free(lower);
    free(member);
    if (naming_is_keyword(sb.buf) || (kind == CODEGEN_ROW_PYDANTIC && pydantic_reserved(sb.buf)) ||
        name_in(sb.buf, used, nused) || strcmp(sb.buf, "field") == 0 || strcmp(sb.buf, "Field") == 0 ||
        !naming_is_class_field(sb.buf))
        strbuf_addch(&sb, '_');
    if (!naming_is_class_field(sb.buf)) {
        strbuf_reset(&sb);
        strbuf_adds(&sb, "field_");
    }
    size_t base = sb.len;
    for (int k = 2; name_in(sb.buf, taken, ntaken); k++) {
        strbuf_truncate(&sb, base);
        strbuf_addf(&sb, "%s%d", sb.buf[base - 1] == '_' ? "" : "_", k);
    }
    return strbuf_detach(&sb, NULL);
}

void codegen_aliased_field_line(strbuf *out, const py_style *style, codegen_row_kind kind,
                                const char *name, const char *column, const char *annotation,
                                bool nullable)
{
    char *lit = naming_py_string(column, style->quote);
    const char *dflt = nullable ? "default=None, " : "";
    if (kind == CODEGEN_ROW_PYDANTIC)
        strbuf_addf(out, "%s%s: %s = Field(%salias=%s)%s", style->indent, name, annotation, dflt, lit,
                    style->eol);
    else
        strbuf_addf(out, "%s%s: %s = field(%smetadata={%ccolumn%c: %s})%s", style->indent, name,
                    annotation, dflt, style->quote, style->quote, lit, style->eol);
    free(lit);
}

bool codegen_table_needs_functional(const sm_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!naming_is_class_field(t->columns[i].name))
            return true;
    return false;
}

void codegen_marker_comment(strbuf *out, const py_style *style, const char *text)
{
    strbuf_adds(out, "# ");
    naming_comment_text(out, text);
    strbuf_adds(out, style->eol);
}

void codegen_functional_open(strbuf *out, const py_style *style, const char *class_name)
{
    char *name_lit = naming_py_string(class_name, style->quote);
    strbuf_addf(out, "%s = TypedDict(%s%s%s,%s%s{%s", class_name, style->eol, style->indent, name_lit,
                style->eol, style->indent, style->eol);
    free(name_lit);
}

void codegen_functional_close(strbuf *out, const py_style *style, const char *total)
{
    strbuf_addf(out, "%s},%s", style->indent, style->eol);
    if (total)
        strbuf_addf(out, "%stotal=%s,%s", style->indent, total, style->eol);
    strbuf_addf(out, ")%s", style->eol);
}

void codegen_functional_item(strbuf *out, const py_style *style, const char *indent,
                             const char *column, const char *annotation)
{
    char *lit = naming_py_string(column, style->quote);
    strbuf_addf(out, "%s%s: %s,%s", indent, lit, annotation, style->eol);
    free(lit);
}

/* The functional form, formatted as black formats it:
 *     XRow = TypedDict(
 *         "XRow",
 *         {
 *             "from": Optional[str],
 *         },
 *         total=False,
 *     ) */
static void functional_table_class(strbuf *out, const py_style *style, const char *class_name,
                                   const sm_table *t, bool qualify, const typemap_ctx *ctx)
{
    if (style->docstrings) {
        strbuf doc = STRBUF_INIT;
        strbuf_adds(&doc, "Database row for ");
        naming_marker_object(&doc, qualify ? t->schema : NULL, t->name);
        codegen_marker_comment(out, style, doc.buf);
        strbuf_release(&doc);
    }
    codegen_functional_open(out, style, class_name);
    strbuf item_indent = STRBUF_INIT;
    strbuf_addf(&item_indent, "%s%s", style->indent, style->indent);
    for (size_t i = 0; i < t->ncolumns; i++) {
        char *ann = codegen_annotation(style, &t->columns[i], ctx);
        codegen_functional_item(out, style, item_indent.buf, t->columns[i].name, ann);
        free(ann);
    }
    strbuf_release(&item_indent);
    codegen_functional_close(out, style, style->total_false ? "False" : NULL);
}

unsigned codegen_table_class(strbuf *out, const py_style *style, const char *class_name,
                             const sm_table *t, bool qualify, const typemap_ctx *ctx)
{
    codegen_row_kind kind = style->row_kind;
    if (kind == CODEGEN_ROW_TYPEDDICT && codegen_table_needs_functional(t) && !style->no_functional) {
        functional_table_class(out, style, class_name, t, qualify, ctx);
        return 0;
    }
    /* the names the annotations use, which a field with a default must not shadow */
    const char **used = NULL;
    size_t nused = 0, cap_used = 0;
    char **anns = xcalloc(t->ncolumns + 1, sizeof *anns);
    for (size_t i = 0; i < t->ncolumns; i++) {
        anns[i] = codegen_annotation(style, &t->columns[i], ctx);
        codegen_annotation_names(anns[i], &used, &nused, &cap_used);
    }
    bool aliased_any = false;
    for (size_t i = 0; i < t->ncolumns; i++)
        aliased_any = aliased_any || codegen_field_aliased(kind, t->columns[i].name, used, nused);

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
        naming_marker_object(&doc, qualify ? t->schema : NULL, t->name);
        docstring_line(out, style, doc.buf);
        strbuf_release(&doc);
    }
    if (kind == CODEGEN_ROW_PYDANTIC && aliased_any)
        codegen_populate_by_name(out, style);
    /* field names given so far, so that two columns never share one */
    const char **taken = xcalloc(t->ncolumns + 1, sizeof *taken);
    char **made = xcalloc(t->ncolumns + 1, sizeof *made);
    size_t ntaken = 0, written = 0;
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!codegen_field_aliased(kind, t->columns[i].name, used, nused))
            taken[ntaken++] = t->columns[i].name;
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
            if (kind == CODEGEN_ROW_TYPEDDICT && !naming_is_class_field(col->name)) {
                char *shown = utf8_escaped(col->name); /* a comment holds no line break */
                strbuf_addf(out, "%s# column \"%s\" cannot be a field in class syntax%s",
                            style->indent, shown, style->eol);
                free(shown);
                continue;
            }
            if (codegen_field_aliased(kind, col->name, used, nused)) {
                made[i] = codegen_alias_field_name(kind, col->name, used, nused, taken, ntaken);
                taken[ntaken++] = made[i];
                codegen_aliased_field_line(out, style, kind, made[i], col->name, anns[i], nullable);
            } else {
                codegen_row_field_line(out, style, kind, col->name, anns[i], nullable);
            }
            written++;
        }
    }
    if (!written && !style->docstrings && !(kind == CODEGEN_ROW_PYDANTIC && aliased_any))
        strbuf_addf(out, "%spass%s", style->indent, style->eol);
    for (size_t i = 0; i < t->ncolumns; i++) {
        free(anns[i]);
        free(made[i]);
    }
    for (size_t i = 0; i < nused; i++)
        free((char *)used[i]);
    free(used);
    free(anns);
    free(made);
    free(taken);
    if (!aliased_any || kind == CODEGEN_ROW_TYPEDDICT)
        return 0;
    return CODEGEN_NEEDS_FIELD |
           (kind == CODEGEN_ROW_PYDANTIC && !style->pydantic_v1 ? CODEGEN_NEEDS_CONFIG_DICT : 0);
}

void codegen_populate_by_name(strbuf *out, const py_style *style)
{
    if (style->pydantic_v1)
        strbuf_addf(out, "%sclass Config:%s%s%sallow_population_by_field_name = True%s", style->indent,
                    style->eol, style->indent, style->indent, style->eol);
    else
        strbuf_addf(out, "%smodel_config = ConfigDict(populate_by_name=True)%s", style->indent, style->eol);
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
    /* pydantic's configuration, not a column (a TypedDict may have a column of that name) */
    return strcmp(f->name, "model_config") != 0 || !strstr(a, "ConfigDict");
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


static size_t skip_ws(const char *s, size_t q, size_t end)
{
    while (q < end && (s[q] == ' ' || s[q] == '\t' || s[q] == '\n' || s[q] == '\r' || s[q] == '\\'))
        q++;
    return q;
}

/* The string literal (optional r/u prefix) at q: its decoded text, its span in *lit. */
static char *literal_at(const char *s, size_t q, size_t end, py_span *lit)
{
    size_t tok = q;
    while (q < end && (s[q] == 'r' || s[q] == 'R' || s[q] == 'u' || s[q] == 'U') && q - tok < 2)
        q++;
    if (q >= end || (s[q] != '"' && s[q] != '\''))
        return NULL;
    size_t tok_end = string_end(s, q, end);
    char *v = py_string_decode(s + tok, tok_end - tok);
    if (v && lit) {
        lit->start = tok;
        lit->end = tok_end;
    }
    return v;
}

/* In the call whose '(' is at s[p], the value of keyword argument kw: the offset just after
 * its '=', or 0 when the call has no such argument. */
static size_t keyword_value(const char *s, size_t p, size_t end, const char *kw)
{
    size_t kwlen = strlen(kw);
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
        if (depth != 1 || p - w != kwlen || strncmp(s + w, kw, kwlen) != 0 || (w > 0 && s[w - 1] == '.'))
            continue;
        size_t q = skip_ws(s, p, end);
        if (q >= end || s[q] != '=' || (q + 1 < end && s[q + 1] == '='))
            continue;
        return q + 1;
    }
    return 0;
}

/* The '(' of a call to one of names at p (after optional spaces), or 0. */
static size_t call_open(const char *s, size_t p, size_t end, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        if (end - p > l && strncmp(s + p, names[i], l) == 0) {
            size_t q = skip_ws(s, p + l, end);
            if (q < end && s[q] == '(')
                return q;
        }
    }
    return 0;
}

char *codegen_field_alias(const char *text, const py_field *f, py_span *lit)
{
    if (!f->has_default)
        return NULL;
    const char *s = text;
    size_t p = f->default_span.start, end = f->default_span.end;
    static const char *const pydantic_field[] = { "pydantic.Field", "Field" };
    static const char *const dataclass_field[] = { "dataclasses.field", "field" };
    size_t open = call_open(s, p, end, pydantic_field, 2);
    if (open) {
        size_t v = keyword_value(s, open, end, "alias");
        return v ? literal_at(s, skip_ws(s, v, end), end, lit) : NULL;
    }
    open = call_open(s, p, end, dataclass_field, 2);
    if (!open)
        return NULL;
    /* field(metadata={"column": "from"}): the column under the key "column" */
    size_t v = keyword_value(s, open, end, "metadata");
    if (!v || (v = skip_ws(s, v, end)) >= end || s[v] != '{')
        return NULL;
    size_t q = skip_ws(s, v + 1, end);
    while (q < end && s[q] != '}') {
        py_span key_span;
        char *key = literal_at(s, q, end, &key_span);
        if (!key)
            return NULL;
        bool is_column = strcmp(key, "column") == 0;
        free(key);
        q = skip_ws(s, key_span.end, end);
        if (q >= end || s[q] != ':')
            return NULL;
        q = skip_ws(s, q + 1, end);
        if (is_column)
            return literal_at(s, q, end, lit);
        /* another key: skip its value to the next top-level ',' of the dict */
        int depth = 0;
        while (q < end && (depth > 0 || (s[q] != ',' && s[q] != '}'))) {
            if (s[q] == '"' || s[q] == '\'') {
                q = string_end(s, q, end);
                continue;
            }
            depth += s[q] == '(' || s[q] == '[' || s[q] == '{';
            depth -= s[q] == ')' || s[q] == ']' || s[q] == '}';
            q++;
        }
        if (q < end && s[q] == ',')
            q = skip_ws(s, q + 1, end);
    }
    return NULL;
}

void codegen_row_field_line(strbuf *out, const py_style *style, codegen_row_kind kind,
                            const char *name, const char *annotation, bool nullable)
{
    strbuf_addf(out, "%s%s: %s%s%s", style->indent, name, annotation,
                kind != CODEGEN_ROW_TYPEDDICT && nullable ? " = None" : "", style->eol);
}
