/* apigen.c: the managed API schema classes of the "pydantic_target" file.
 *
 * The differences between what the catalog asks for and what the file holds are expressed
 * as ordinary changes (a class added or removed, a field added, removed or rewritten) and
 * handed to edit.c with the text to write, so that the file is edited exactly like a row
 * file: the spans of everything else stay untouched. The managed classes are found by
 * their docstring marker, else by their name. */
#include "config.h"
#include "apigen.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "edit.h"
#include "naming.h"
#include "pyparse.h"
#include "pytype.h"
#include "typemap.h"
#include "xalloc.h"

typedef enum api_variant { API_CREATE, API_UPDATE, API_RESPONSE, API_VARIANTS } api_variant;

static const char *const variant_names[API_VARIANTS] = { "Create", "Update", "Response" };

typedef struct api_item {
    sm_change ch;           /* the strings in it are owned here (class_name, member) */
    char *text;
} api_item;

typedef struct api_gen {
    const apigen_request *req;
    const py_file *f;
    py_style style;
    sm_config cfg;          /* the project's, with enum columns written as their classes */
    typemap_ctx ctx;
    api_item *items;
    size_t nitems, cap_items;
    const char **imp_modules, **imp_names; /* borrowed strings */
    size_t nimports, cap_imp_modules, cap_imp_names;
    bool *used;             /* per class of f: a managed class that was matched */
} api_gen;

static void need_import(api_gen *g, const char *module, const char *name)
{
    for (size_t i = 0; i < g->nimports; i++)
        if (strcmp(g->imp_modules[i], module) == 0 && strcmp(g->imp_names[i], name) == 0)
            return;
    *XPUSH(g->imp_modules, g->nimports, g->cap_imp_modules) = module;
    g->nimports--;
    *XPUSH(g->imp_names, g->nimports, g->cap_imp_names) = name;
}

static bool is_api_table(const sm_table *t)
{
    return t->kind == SM_TABLE_ORDINARY || t->kind == SM_TABLE_PARTITIONED;
}

/* "Create schema for table NAME" -> variant, NAME and its schema (new strings, schema
 * NULL when the marker names none); false when no marker. NAME as markers write it. */
static bool parse_marker(const char *doc, api_variant *v, char **table, char **schema)
{
    while (*doc == ' ' || *doc == '\t' || *doc == '\n' || *doc == '\r')
        doc++;
    for (int k = 0; k < API_VARIANTS; k++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s schema for table ", variant_names[k]);
        size_t pl = strlen(prefix);
        if (strncmp(doc, prefix, pl) != 0)
            continue;
        *table = naming_marker_read_object(doc + pl, schema);
        if (!*table)
            return false;
        *v = (api_variant)k;
        return true;
    }
    return false;
}

/* The table as the marker names it: plain in the first selected schema, else with its
 * schema, SQL-quoted where the name needs it. */
static void marker_table(strbuf *out, const api_gen *g, const sm_table *t)
{
    const sm_catalog *db = g->req->db;
    bool plain = !db->nschemas || strcmp(db->schemas[0], t->schema) == 0;
    naming_marker_object(out, plain ? NULL : t->schema, t->name);
}

/* ProductRow -> Product (the config's class name first, else the convention). */
static char *api_class_name(const api_gen *g, const sm_table *t, api_variant v)
{
    /* the row class the whole catalog gave the table (auth.users -> AuthUserRow) */
    const char *row = drift_table_class(g->req->changes, t);
    const char *cfg_name = settings_table_class(g->req->config, t->schema, t->name);
    char *base = row ? xstrdup(row) : cfg_name ? xstrdup(cfg_name) : naming_table_class(t->name);
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, "Row") == 0)
        base[n - 3] = '\0';
    char *name = xasprintf("%s%s", base, variant_names[v]);
    free(base);
    return name;
}

static bool column_in(const sm_column *col, api_variant v)
{
    if (v == API_RESPONSE)
        return true;
    if (col->identity || col->generated)
        return false;
    return v == API_UPDATE || !col->default_expr;
}

/* "character varying(80)" / "character(2)" -> 80 / 2; 0 when none. */
static long max_length(const sm_column *col)
{
    const char *d = col->type_display;
    static const char *const prefixes[] = { "character varying(", "character(" };
    for (size_t i = 0; d && i < 2; i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(d, prefixes[i], pl) != 0)
            continue;
        char *end = NULL;
        long n = strtol(d + pl, &end, 10);
        if (end && end[0] == ')' && end[1] == '\0' && n > 0)
            return n;
    }
    return 0;
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

/* A one-column CHECK "((price >= 0))", "((price > (0)::numeric))" -> "ge=0" / "gt=0"
 * (le, lt likewise); NULL for anything else (several conditions, casts on the column...). */
static char *check_bound(const sm_constraint *k, const char *column)
{
    const char *d = k->definition;
    if (!d || strncmp(d, "CHECK ((", 8) != 0)
        return NULL;
    const char *s = d + 8, *close = strstr(s, "))");
    if (!close || (strcmp(close, "))") != 0 && strcmp(close, ")) NOT VALID") != 0))
        return NULL;
    /* the column, as written by the server: quoted when it needs quotes */
    char *quoted = naming_is_identifier(column) ? xstrdup(column) : xasprintf("\"%s\"", column);
    size_t ql = strlen(quoted);
    bool same = strncmp(s, quoted, ql) == 0;
    free(quoted);
    if (!same)
        return NULL;
    s = skip_ws(s + ql);
    const char *op = NULL;
    if (strncmp(s, ">=", 2) == 0)
        op = "ge";
    else if (strncmp(s, "<=", 2) == 0)
        op = "le";
    else if (*s == '>')
        op = "gt";
    else if (*s == '<')
        op = "lt";
    if (!op)
        return NULL;
    s = skip_ws(s + (s[1] == '=' ? 2 : 1));
    bool paren = *s == '(';
    s += paren;
    const char *num = s;
    if (*s == '-')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (!digits)
        return NULL;
    s += digits;
    if (*s == '.' && strspn(s + 1, "0123456789"))
        s += 1 + strspn(s + 1, "0123456789");
    size_t num_len = (size_t)(s - num);
    if (paren && *s++ != ')')
        return NULL;
    if (s[0] == ':' && s[1] == ':') /* ::numeric, ::double precision */
        s += 2 + strspn(s + 2, "abcdefghijklmnopqrstuvwxyz ");
    if (s != close)
        return NULL;
    return xasprintf("%s=%.*s", op, (int)num_len, num);
}

/* The text after "name: " of a column's field in a variant; registers its imports when
 * reg is true. New string. */
static char *field_text(api_gen *g, const sm_table *t, const sm_column *col, api_variant v, bool reg,
                        bool aliased)
{
    pytype *ty = typemap_column(&g->ctx, col);
    bool optional = v == API_UPDATE || column_is_nullable(col);
    if (v == API_UPDATE && !pytype_is_nullable(ty))
        ty = pytype_optional(ty);
    char *ann = pytype_render(ty, &g->style.types);
    if (reg) {
        const char *names[8];
        size_t n = pytype_typing_names(ty, &g->style.types, names, 0, 8);
        for (size_t i = 0; i < n; i++)
            need_import(g, "typing", names[i]);
        const sm_type *et = col->type;
        while (et && (et->kind == SM_TYPE_ARRAY || et->kind == SM_TYPE_DOMAIN))
            et = et->elem;
        if (et && et->kind == SM_TYPE_ENUM && catalog_has_schema(g->req->db, et->schema) &&
            g->req->enums_module) {
            const char *cls = drift_enum_class(g->req->changes, et->schema, et->name);
            if (cls)
                need_import(g, g->req->enums_module, cls);
        }
    }
    pytype_free(ty);

    strbuf args = STRBUF_INIT;
    if (v != API_RESPONSE) {
        long ml = max_length(col);
        if (ml)
            strbuf_addf(&args, ", max_length=%ld", ml);
        for (size_t i = 0; i < t->nconstraints; i++) {
            const sm_constraint *k = &t->constraints[i];
            if (k->kind != SM_CONSTRAINT_CHECK || k->ncolumns != 1 || strcmp(k->columns[0], col->name) != 0)
                continue;
            char *b = check_bound(k, col->name);
            if (b)
                strbuf_addf(&args, ", %s", b);
            free(b);
        }
    }
    char *text;
    if (aliased) { /* the column under another name (SPEC 2) */
        char *lit = naming_py_string(col->name, g->style.quote);
        const char *dflt = v == API_RESPONSE ? "" : optional ? "None, " : "..., ";
        text = xasprintf("%s = Field(%salias=%s%s)", ann, dflt, lit, strbuf_str(&args));
        free(lit);
    } else if (v == API_RESPONSE) {
        text = xstrdup(ann);
    } else if (args.len) {
        text = xasprintf("%s = Field(%s%s)", ann, optional ? "None" : "...", args.buf);
    } else {
        text = xasprintf("%s%s", ann, optional ? " = None" : "");
    }
    if (reg && (aliased || (args.len && v != API_RESPONSE)))
        need_import(g, "pydantic", "Field");
    strbuf_release(&args);
    free(ann);
    return text;
}

static api_item *add_item(api_gen *g, sm_change_kind kind, const py_class *c, const sm_table *t)
{
    api_item *it = XPUSH(g->items, g->nitems, g->cap_items);
    memset(it, 0, sizeof *it);
    it->ch.kind = kind;
    it->ch.target = TARGET_ENTITIES;
    it->ch.cls = c;
    it->ch.table = t;
    return it;
}

/* The names a class's annotations use: a field with a default must not shadow them. */
static void used_names(api_gen *g, const sm_table *t, api_variant v, const char ***used, size_t *nused)
{
    size_t cap = 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (!column_in(&t->columns[i], v))
            continue;
        char *ft = field_text(g, t, &t->columns[i], v, false, false);
        codegen_annotation_names(ft, used, nused, &cap);
        free(ft);
    }
}

static void free_names(const char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)v[i]);
    free(v);
}

static char *class_text(api_gen *g, const sm_table *t, api_variant v, const char *name)
{
    const py_style *st = &g->style;
    strbuf sb = STRBUF_INIT;
    const char **used = NULL;
    size_t nused = 0;
    used_names(g, t, v, &used, &nused);
    bool aliases = false;
    for (size_t i = 0; i < t->ncolumns; i++)
        aliases = aliases || (column_in(&t->columns[i], v) &&
                              codegen_field_aliased(CODEGEN_ROW_PYDANTIC, t->columns[i].name, used, nused));
    strbuf doc = STRBUF_INIT;
    strbuf_addf(&doc, "%s schema for table ", variant_names[v]);
    marker_table(&doc, g, t);
    char *lit = naming_py_string(doc.buf, st->quote); /* a docstring is a string literal */
    strbuf_release(&doc);
    strbuf_addf(&sb, "class %s(BaseModel):%s", name, st->eol);
    strbuf_addf(&sb, "%s%c%c%s%c%c%s", st->indent, *lit, *lit, lit, *lit, *lit, st->eol);
    free(lit);
    need_import(g, "pydantic", "BaseModel");
    if (v == API_RESPONSE || aliases) {
        strbuf_addf(&sb, "%smodel_config = ConfigDict(%s%s%s)%s", st->indent,
                    v == API_RESPONSE ? "from_attributes=True" : "", v == API_RESPONSE && aliases ? ", " : "",
                    aliases ? "populate_by_name=True" : "", st->eol);
        need_import(g, "pydantic", "ConfigDict");
    }
    const char **taken = xcalloc(t->ncolumns + 1, sizeof *taken);
    char **made = xcalloc(t->ncolumns + 1, sizeof *made);
    size_t ntaken = 0;
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!codegen_field_aliased(CODEGEN_ROW_PYDANTIC, t->columns[i].name, used, nused))
            taken[ntaken++] = t->columns[i].name;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sm_column *col = &t->columns[i];
        if (!column_in(col, v))
            continue;
        bool aliased = codegen_field_aliased(CODEGEN_ROW_PYDANTIC, col->name, used, nused);
        if (aliased) {
            made[i] = codegen_alias_field_name(CODEGEN_ROW_PYDANTIC, col->name, used, nused, taken, ntaken);
            taken[ntaken++] = made[i];
        }
        char *ft = field_text(g, t, col, v, true, aliased);
        strbuf_addf(&sb, "%s%s: %s%s", st->indent, aliased ? made[i] : col->name, ft, st->eol);
        free(ft);
    }
    for (size_t i = 0; i < t->ncolumns; i++)
        free(made[i]);
    free(made);
    free(taken);
    free_names(used, nused);
    return strbuf_detach(&sb, NULL);
}

/* The column a field stands for: its alias, else its name; NULL when it is no column. */
static char *field_column(const api_gen *g, const py_field *pf)
{
    if (!codegen_field_is_column(pf))
        return NULL;
    char *alias = codegen_field_alias(g->f->text, pf, NULL);
    return alias ? alias : xstrdup(pf->name);
}

/* Fields of an existing managed class: rewritten, added and removed. A column the class
 * cannot hold by its name is written aliased (SPEC 2). */
static void diff_class(api_gen *g, const py_class *c, const sm_table *t, api_variant v)
{
    const char **used = NULL;
    size_t nused = 0;
    used_names(g, t, v, &used, &nused);
    const char **taken = xcalloc(c->nfields + t->ncolumns + 1, sizeof *taken);
    size_t ntaken = 0;
    for (size_t k = 0; k < c->nfields; k++)
        taken[ntaken++] = c->fields[k].name;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sm_column *col = &t->columns[i];
        if (!column_in(col, v))
            continue;
        const py_field *pf = NULL;
        bool by_alias = false;
        for (size_t k = 0; k < c->nfields && !pf; k++) {
            char *fc = field_column(g, &c->fields[k]);
            if (fc && strcmp(fc, col->name) == 0) {
                pf = &c->fields[k];
                by_alias = strcmp(pf->name, col->name) != 0;
            }
            free(fc);
        }
        bool aliased = pf ? by_alias : codegen_field_aliased(CODEGEN_ROW_PYDANTIC, col->name, used, nused);
        char *want = field_text(g, t, col, v, false, aliased);
        if (pf) {
            size_t start = pf->annotation_span.start;
            size_t end = pf->has_default ? pf->default_span.end : pf->annotation_span.end;
            if (end - start == strlen(want) && memcmp(g->f->text + start, want, end - start) == 0) {
                free(want);
                continue;
            }
            api_item *it = add_item(g, CHANGE_COLUMN_TYPE_CHANGED, c, t);
            it->ch.pyfield = pf;
            it->ch.column = col;
            it->ch.member = xstrdup(pf->name);
        } else {
            api_item *it = add_item(g, CHANGE_COLUMN_ADDED, c, t);
            it->ch.column = col;
            if (aliased) {
                it->ch.member = codegen_alias_field_name(CODEGEN_ROW_PYDANTIC, col->name, used, nused,
                                                         taken, ntaken);
                taken[ntaken++] = it->ch.member;
            } else {
                it->ch.member = xstrdup(col->name);
            }
        }
        free(want);
        g->items[g->nitems - 1].text = field_text(g, t, col, v, true, aliased);
    }
    free(taken);
    free_names(used, nused);
    for (size_t k = 0; k < c->nfields; k++) {
        char *fc = field_column(g, &c->fields[k]);
        if (!fc)
            continue;
        const sm_column *col = table_find_column(t, fc);
        if (!col || !column_in(col, v)) {
            api_item *it = add_item(g, CHANGE_COLUMN_REMOVED, c, t);
            it->ch.pyfield = &c->fields[k];
            it->ch.member = xstrdup(fc);
        }
        free(fc);
    }
}

/* The managed class for (table, variant): by marker (its schema, when it names one, must
 * be the table's), else by name; NULL when absent. */
static const py_class *find_class(api_gen *g, const sm_table *t, api_variant v, const char *name)
{
    const py_file *f = g->f;
    const sm_catalog *db = g->req->db;
    bool first_schema = !db->nschemas || strcmp(db->schemas[0], t->schema) == 0;
    const py_class *found = NULL;
    for (size_t i = 0; f && i < f->nclasses && !found; i++) {
        const py_class *c = &f->classes[i];
        api_variant cv;
        char *mt = NULL, *ms = NULL;
        if (!g->used[i] && c->docstring && parse_marker(c->docstring, &cv, &mt, &ms) && cv == v &&
            strcmp(mt, t->name) == 0 && (ms ? strcmp(ms, t->schema) == 0 : first_schema))
            found = c;
        free(mt);
        free(ms);
    }
    for (size_t i = 0; f && i < f->nclasses && !found; i++)
        if (!g->used[i] && strcmp(f->classes[i].name, name) == 0)
            found = &f->classes[i];
    if (found)
        g->used[found - f->classes] = true;
    return found;
}

int apigen_build(strbuf *out, const apigen_request *req, char ***failures, size_t *nfailures,
                 sm_error *err)
{
    *failures = NULL;
    *nfailures = 0;
    api_gen g = { .req = req };
    py_file *f = NULL;
    int error = 0;
    if (req->base) {
        error = pyfile_parse(&f, req->path, req->base, req->base_len, err);
        if (error < 0)
            return error;
    }
    g.f = f;
    codegen_detect_style(&g.style, f);
    g.cfg = *req->config;
    g.cfg.enum_columns_class = true; /* API schemas use the enum classes */
    g.ctx = drift_typemap_ctx(req->changes, &g.cfg, req->db);
    g.used = xcalloc(f ? f->nclasses + 1 : 1, sizeof *g.used);

    const sm_catalog *db = req->db;
    for (size_t i = 0; i < db->ntables; i++) {
        const sm_table *t = &db->tables[i];
        if (!is_api_table(t))
            continue;
        for (int v = 0; v < API_VARIANTS; v++) {
            char *name = api_class_name(&g, t, (api_variant)v);
            const py_class *c = find_class(&g, t, (api_variant)v, name);
            if (c) {
                diff_class(&g, c, t, (api_variant)v);
                free(name);
                continue;
            }
            api_item *it = add_item(&g, CHANGE_TABLE_ADDED, NULL, t);
            it->ch.class_name = name;
            it->text = class_text(&g, t, (api_variant)v, name);
        }
    }
    /* Managed classes whose table is gone. */
    for (size_t i = 0; f && i < f->nclasses; i++) {
        const py_class *c = &f->classes[i];
        api_variant cv;
        char *mt = NULL, *ms = NULL;
        if (!g.used[i] && c->docstring && parse_marker(c->docstring, &cv, &mt, &ms))
            add_item(&g, CHANGE_TABLE_REMOVED, c, NULL);
        free(mt);
        free(ms);
    }

    if (!g.nitems) {
        strbuf_add(out, req->base ? req->base : "", req->base ? req->base_len : 0);
        goto done;
    }
    /* imports in the usual order: the standard library, pydantic, then the project */
    const char **mods = xcalloc(g.nimports + 1, sizeof *mods), **names = xcalloc(g.nimports + 1, sizeof *names);
    size_t nimp = 0;
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < g.nimports; i++) {
            int r = strcmp(g.imp_modules[i], "typing") == 0 ? 0 : strcmp(g.imp_modules[i], "pydantic") == 0 ? 1 : 2;
            if (r == rank) {
                mods[nimp] = g.imp_modules[i];
                names[nimp++] = g.imp_names[i];
            }
        }
    if (nimp) { /* memcpy's pointers must not be NULL, even for 0 bytes */
        memcpy(g.imp_modules, mods, nimp * sizeof *mods);
        memcpy(g.imp_names, names, nimp * sizeof *names);
    }
    free(mods);
    free(names);
    const sm_change **changes = xcalloc(g.nitems, sizeof *changes);
    const char **texts = xcalloc(g.nitems, sizeof *texts);
    char **reasons = xcalloc(g.nitems, sizeof *reasons);
    for (size_t i = 0; i < g.nitems; i++) {
        changes[i] = &g.items[i].ch;
        texts[i] = g.items[i].text ? g.items[i].text : "";
    }
    edit_request er = { .base = f, .target = TARGET_ENTITIES, .enums_module = req->enums_module,
                        .changes = changes, .nchanges = g.nitems, .types = &g.ctx, .texts = texts,
                        .import_modules = g.imp_modules, .import_names = g.imp_names,
                        .nimports = g.nimports };
    strbuf body = STRBUF_INIT;
    error = edit_build(&body, &er, reasons, err);
    /* one class that cannot be written does not stop the others (SPEC 6) */
    size_t cap = 0;
    for (size_t i = 0; i < g.nitems && error >= 0; i++) {
        if (!reasons[i])
            continue;
        const sm_change *c = changes[i];
        *XPUSH(*failures, *nfailures, cap) =
            xasprintf("%s: cannot regenerate %s%s%s: %s (edit the class by hand or remove it, then "
                      "update again)", req->path, c->cls ? c->cls->name : c->class_name,
                      c->member ? "." : "", c->member ? c->member : "", reasons[i]);
    }
    if (error >= 0) {
        if (!req->base || !req->base_len) {
            const char *eol = g.style.eol;
            strbuf_addf(out, "# API schemas generated by schemerge from the database (config "
                             "\"pydantic_target\").%s"
                             "# The fields of the classes marked \"... schema for table ...\" are "
                             "regenerated by 'schemerge update';%s"
                             "# validators, methods and other code added here are kept.%s%s",
                        eol, eol, eol, eol);
        }
        strbuf_add(out, body.buf, body.len);
    }
    strbuf_release(&body);
    for (size_t i = 0; i < g.nitems; i++)
        free(reasons[i]);
    free(reasons);
    free(texts);
    free(changes);
done:
    for (size_t i = 0; i < g.nitems; i++) {
        free(g.items[i].ch.class_name);
        free(g.items[i].ch.member);
        free(g.items[i].text);
    }
    free(g.items);
    free(g.imp_modules);
    free(g.imp_names);
    free(g.used);
    pyfile_free(f);
    return error < 0 ? error : 0;
}
