/* sqlgen.c: SQL for changes made on the local side. Reads the changeset only; the SQL is
 * text for a person to review, so every statement is preceded by a comment naming the
 * change it comes from, and what cannot be expressed safely is said in a comment rather
 * than guessed. */
#include "config.h"
#include "sqlgen.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "drift.h"
#include "naming.h"
#include "pytype.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ quoting */

static char *quote_with(const char *s, char q)
{
    strbuf b = STRBUF_INIT;
    strbuf_addch(&b, q);
    for (; *s; s++) {
        if (*s == q)
            strbuf_addch(&b, q);
        strbuf_addch(&b, *s);
    }
    strbuf_addch(&b, q);
    return strbuf_detach(&b, NULL);
}

char *sqlgen_ident(const char *name)
{
    return quote_with(name, '"');
}

char *sqlgen_literal(const char *text)
{
    return quote_with(text, '\'');
}

char *sqlgen_qualified(const char *schema, const char *name)
{
    char *s = sqlgen_ident(schema), *n = sqlgen_ident(name);
    char *q = xasprintf("%s.%s", s, n);
    free(s);
    free(n);
    return q;
}

/* ------------------------------------------------------------------ types */

static char *map_type(const pytype *t, sqlgen_enum_type_fn enum_type, void *payload,
                      const char **why, int depth)
{
    if (t->kind == PYTYPE_NAME) {
        static const struct { const char *py, *sql; } base[] = {
            { "str", "text" }, { "int", "integer" }, { "float", "double precision" },
            { "bool", "boolean" }, { "dict", "jsonb" }, { "Any", "jsonb" },
            /* a bare list says nothing about its elements; json holds any list */
            { "list", "jsonb" },
        };
        for (size_t i = 0; i < sizeof base / sizeof *base; i++)
            if (strcmp(t->name, base[i].py) == 0)
                return xstrdup(base[i].sql);
        const char *dot = strrchr(t->name, '.');
        char *e = enum_type ? enum_type(dot ? dot + 1 : t->name, payload) : NULL;
        if (!e)
            *why = "it names no enum class or Python type with a SQL equivalent";
        return e;
    }
    if (t->kind == PYTYPE_GENERIC && strcmp(t->name, "dict") == 0)
        return xstrdup("jsonb");
    if (t->kind == PYTYPE_GENERIC && strcmp(t->name, "list") == 0 && t->nargs == 1) {
        pytype *elem = pytype_strip_none(t->args[0]);
        char *s = NULL;
        if (depth > 0 || (elem->kind == PYTYPE_GENERIC && strcmp(elem->name, "list") == 0)) {
            *why = "nested lists have no faithful SQL array type";
        } else if (elem->kind == PYTYPE_NAME && strcmp(elem->name, "Any") == 0) {
            s = xstrdup("jsonb");
        } else {
            char *inner = map_type(elem, enum_type, payload, why, depth + 1);
            if (inner)
                s = xasprintf("%s[]", inner);
            free(inner);
        }
        pytype_free(elem);
        return s;
    }
    if (t->kind == PYTYPE_UNION)
        *why = "a union of several types has no SQL equivalent";
    else
        *why = "it has no SQL equivalent";
    return NULL;
}

char *sqlgen_column_type(const char *annotation, bool *nullable, sqlgen_enum_type_fn enum_type,
                         void *payload, const char **why)
{
    pytype *t = NULL;
    sm_error err = SM_ERROR_INIT;
    if (pytype_parse(&t, annotation, &err) < 0) {
        *why = "the annotation does not parse";
        return NULL;
    }
    *nullable = pytype_is_nullable(t);
    pytype *bare = pytype_strip_none(t);
    char *s = NULL;
    if (bare->kind == PYTYPE_NONE)
        *why = "None alone has no SQL type";
    else
        s = map_type(bare, enum_type, payload, why, 0);
    pytype_free(bare);
    pytype_free(t);
    return s;
}

/* ------------------------------------------------------------------ names */

/* "ProjectStatus" -> "project_status", "HTTPServer" -> "http_server". */
static char *snake_case(const char *s)
{
    strbuf b = STRBUF_INIT;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isupper(c) && i > 0) {
            unsigned char prev = (unsigned char)s[i - 1];
            unsigned char next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
            if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)))
                strbuf_addch(&b, '_');
        }
        strbuf_addch(&b, (char)tolower(c));
    }
    return strbuf_detach(&b, NULL);
}

/* English plural of the last word of a snake_case name (the inverse of naming_singular
 * for the regular rules; the round trip is checked by the caller). */
static char *pluralize(const char *name)
{
    static const struct { const char *one, *many; } irregular[] = {
        { "person", "people" }, { "child", "children" }, { "man", "men" },
        { "woman", "women" }, { "mouse", "mice" }, { "goose", "geese" },
        { "tooth", "teeth" }, { "foot", "feet" }, { "quiz", "quizzes" },
    };
    const char *last = strrchr(name, '_');
    last = last ? last + 1 : name;
    size_t stem = (size_t)(last - name), n = strlen(last);
    /* SPEC section 2's words that are the same in both numbers */
    static const char *const same[] = { "data", "metadata", "media", "news", "series",
                                        "species", "staff", "feedback", "info", "equipment",
                                        "software", "chaos" };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        if (strcmp(last, same[i]) == 0)
            return xstrdup(name);
    for (size_t i = 0; i < sizeof irregular / sizeof *irregular; i++)
        if (strcmp(last, irregular[i].one) == 0)
            return xasprintf("%.*s%s", (int)stem, name, irregular[i].many);
    if (n >= 2 && last[n - 1] == 'y' && !strchr("aeiou", last[n - 2]))
        return xasprintf("%.*sies", (int)(stem + n - 1), name);
    if ((n >= 1 && strchr("sxz", last[n - 1])) ||
        (n >= 2 && (strcmp(last + n - 2, "ch") == 0 || strcmp(last + n - 2, "sh") == 0)))
        return xasprintf("%ses", name);
    return xasprintf("%ss", name);
}

char *sqlgen_enum_name(const char *class_name)
{
    char *snake = snake_case(class_name);
    if (naming_enum_class_matches(snake, class_name))
        return snake;
    free(snake);
    return naming_enum_class_matches(class_name, class_name) ? xstrdup(class_name) : NULL;
}

static bool table_maps_to(const char *table, const char *class_name)
{
    char *c = naming_table_class(table);
    bool ok = strcmp(c, class_name) == 0;
    free(c);
    return ok;
}

char *sqlgen_table_name(const char *class_name)
{
    size_t n = strlen(class_name);
    if (n <= 3 || strcmp(class_name + n - 3, "Row") != 0)
        return NULL;
    char *base = xstrndup(class_name, n - 3);
    char *snake = snake_case(base);
    char *candidates[3] = { pluralize(snake), snake, base };
    char *found = NULL;
    for (int i = 0; i < 3 && !found; i++)
        if (table_maps_to(candidates[i], class_name))
            found = xstrdup(candidates[i]);
    for (int i = 0; i < 3; i++)
        free(candidates[i]);
    return found;
}

/* ------------------------------------------------------------------ building */

typedef struct gen {
    const sm_project *p;
    const sqlgen_options *opts;
    const char *schema;           /* where objects only in the files are created */
    const sm_change **taken;      /* the changes that get SQL, in changeset order */
    size_t ntaken, cap_taken;
    strbuf enum_values;           /* transaction 1: ALTER TYPE ... ADD VALUE */
    strbuf types, tables, columns; /* transaction 2, in this order */
    strbuf d_alter, d_tables, d_types; /* transaction 2, destructive, in this order */
    strbuf notes;                 /* comments for what is left out */
    size_t nstatements;
} gen;

/* The local-only enum class added in this migration, by class name; NULL when none. */
static const sm_change *taken_new_enum(const gen *g, const char *class_name)
{
    for (size_t i = 0; i < g->ntaken; i++) {
        const sm_change *c = g->taken[i];
        if (c->kind == CHANGE_ENUM_REMOVED && strcmp(c->class_name, class_name) == 0)
            return c;
    }
    return NULL;
}

static char *new_object_name(const sm_change *c)
{
    if (c->object)
        return xstrdup(c->object);
    return c->kind == CHANGE_ENUM_REMOVED ? sqlgen_enum_name(c->class_name)
                                          : sqlgen_table_name(c->class_name);
}

static char *enum_type_cb(const char *class_name, void *payload)
{
    const gen *g = payload;
    const sm_enum *e = drift_class_enum(g->p->changes, class_name);
    if (e)
        return sqlgen_qualified(e->schema, e->name);
    const sm_change *c = taken_new_enum(g, class_name);
    if (!c)
        return NULL;
    char *name = new_object_name(c);
    char *q = name ? sqlgen_qualified(g->schema, name) : NULL;
    free(name);
    return q;
}

/* What the change means seen from the files, the side that moved. */
static const char *local_action(sm_change_kind k)
{
    switch (k) {
    case CHANGE_ENUM_VALUE_REMOVED: return "label added locally";
    case CHANGE_COLUMN_REMOVED: return "field added locally";
    case CHANGE_ENUM_REMOVED: return "enum class added locally";
    case CHANGE_TABLE_REMOVED: return "row class added locally";
    case CHANGE_ENUM_VALUE_ADDED: return "label removed locally";
    case CHANGE_COLUMN_ADDED: return "field removed locally";
    case CHANGE_ENUM_ADDED: return "enum class removed locally";
    case CHANGE_TABLE_ADDED: return "row class removed locally";
    case CHANGE_COLUMN_TYPE_CHANGED: return "type changed locally";
    case CHANGE_COLUMN_NULLABILITY_CHANGED: return "nullability changed locally";
    case CHANGE_ENUM_VALUES_REORDERED: return "labels reordered locally";
    default: return "renamed";
    }
}

/* Text inside a -- comment: a line break in a label or name would end the comment and
 * turn the rest of the line into SQL, so control characters are shown escaped. */
static void add_comment_text(strbuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            strbuf_addf(b, "\\x%02x", ch);
        else
            strbuf_addch(b, (char)ch);
    }
}

/* "Class.member: what (kind id)" (local: with what it means as a local edit) without the comment marker or line end. */
static void describe(strbuf *b, const sm_change *c, bool local)
{
    add_comment_text(b, c->class_name);
    if (c->member) {
        strbuf_addch(b, '.');
        add_comment_text(b, c->member);
    }
    if (local)
        strbuf_addf(b, ": %s", local_action(c->kind));
    strbuf_addf(b, " (%s %s)", change_kind_name(c->kind), c->id);
}

static void comment_change(strbuf *b, const sm_change *c)
{
    strbuf_adds(b, "-- ");
    describe(b, c, true);
    strbuf_addch(b, '\n');
}

static void note(gen *g, const sm_change *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note(gen *g, const sm_change *c, const char *fmt, ...)
{
    strbuf_adds(&g->notes, "--   ");
    describe(&g->notes, c, true);
    strbuf_adds(&g->notes, ": ");
    strbuf text = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&text, fmt, ap);
    va_end(ap);
    add_comment_text(&g->notes, strbuf_str(&text));
    strbuf_release(&text);
    strbuf_addch(&g->notes, '\n');
}

static void list_change(strbuf *b, const sm_change *c)
{
    strbuf_adds(b, "--   ");
    describe(b, c, false);
    strbuf_addch(b, '\n');
}

/* A label present locally but not in the database: ADD VALUE next to its neighbour in the
 * file, so the database ends up in the file's order. */
static void add_label(gen *g, const sm_change *c)
{
    const py_class *cls = c->cls;
    if (!cls || !c->enm) {
        note(g, c, "the enum type is not known, write this by hand");
        return;
    }
    size_t at = cls->nmembers;
    for (size_t i = 0; i < cls->nmembers; i++)
        if (cls->members[i].value && strcmp(cls->members[i].value, c->member) == 0) {
            at = i;
            break;
        }
    /* a neighbour exists once the statements before this one have run */
    const char *after = NULL, *before = NULL;
    for (size_t i = at; i-- > 0 && !after;) {
        const py_member *m = &cls->members[i];
        if (!m->value || !naming_is_member_name(m->name))
            continue;
        bool exists = false;
        for (size_t k = 0; k < c->enm->nlabels && !exists; k++)
            exists = strcmp(c->enm->labels[k].name, m->value) == 0;
        for (size_t k = 0; k < g->ntaken && !exists; k++) {
            const sm_change *o = g->taken[k];
            if (o == c)
                break;
            exists = o->kind == CHANGE_ENUM_VALUE_REMOVED && o->enm == c->enm &&
                     strcmp(o->member, m->value) == 0;
        }
        if (exists)
            after = m->value;
    }
    for (size_t i = at + 1; !after && i < cls->nmembers && !before; i++) {
        const py_member *m = &cls->members[i];
        for (size_t k = 0; m->value && k < c->enm->nlabels && !before; k++)
            if (strcmp(c->enm->labels[k].name, m->value) == 0)
                before = m->value;
    }
    char *type = sqlgen_qualified(c->enm->schema, c->enm->name), *label = sqlgen_literal(c->member);
    comment_change(&g->enum_values, c);
    strbuf_addf(&g->enum_values, "ALTER TYPE %s ADD VALUE IF NOT EXISTS %s", type, label);
    if (after || before) {
        char *n = sqlgen_literal(after ? after : before);
        strbuf_addf(&g->enum_values, " %s %s", after ? "AFTER" : "BEFORE", n);
        free(n);
    }
    strbuf_adds(&g->enum_values, ";\n");
    g->nstatements++;
    free(type);
    free(label);
}

/* "name" type [NOT NULL] for a field, or NULL (and a note) when it has no SQL type. */
static char *column_def(gen *g, const sm_change *c, const char *field, const char *annotation)
{
    bool nullable = true;
    const char *why = NULL;
    char *type = sqlgen_column_type(annotation, &nullable, enum_type_cb, g, &why);
    if (!type) {
        note(g, c, "field %s: %s: %s, write this column by hand", field, annotation, why);
        return NULL;
    }
    char *id = sqlgen_ident(field);
    char *def = xasprintf("%s %s%s", id, type, nullable ? "" : " NOT NULL");
    free(id);
    free(type);
    return def;
}

static void add_column(gen *g, const sm_change *c)
{
    if (!c->table || !c->pyfield) {
        note(g, c, "the table is not known, write this by hand");
        return;
    }
    char *def = column_def(g, c, c->member, c->pyfield->annotation);
    if (!def)
        return;
    char *t = sqlgen_qualified(c->table->schema, c->table->name);
    comment_change(&g->columns, c);
    if (strstr(def, " NOT NULL"))
        strbuf_adds(&g->columns, "-- NOT NULL: fails if the table has rows; add a DEFAULT or "
                                 "fill the column first\n");
    strbuf_addf(&g->columns, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s;\n", t, def);
    g->nstatements++;
    free(t);
    free(def);
}

static void create_enum(gen *g, const sm_change *c)
{
    char *name = new_object_name(c);
    if (!name || !c->cls) {
        note(g, c, "no type name maps back to the class: give it a docstring \"<type> "
                   "enumeration\" or a config name, then run this again");
        free(name);
        return;
    }
    char *q = sqlgen_qualified(g->schema, name);
    comment_change(&g->types, c);
    strbuf_addf(&g->types, "CREATE TYPE %s AS ENUM (", q);
    size_t n = 0;
    for (size_t i = 0; i < c->cls->nmembers; i++) {
        const py_member *m = &c->cls->members[i];
        if (!m->value || !naming_is_member_name(m->name))
            continue;
        char *l = sqlgen_literal(m->value);
        strbuf_addf(&g->types, "%s%s", n++ ? ", " : "", l);
        free(l);
    }
    strbuf_adds(&g->types, ");\n");
    g->nstatements++;
    free(q);
    free(name);
}

static void create_table(gen *g, const sm_change *c)
{
    char *name = new_object_name(c);
    if (!name || !c->cls) {
        note(g, c, "no table name maps back to the class: give it a docstring \"Database row "
                   "for <table>\" or a config name, then run this again");
        free(name);
        return;
    }
    strbuf cols = STRBUF_INIT;
    bool ok = true;
    for (size_t i = 0; i < c->cls->nfields && ok; i++) {
        char *def = column_def(g, c, c->cls->fields[i].name, c->cls->fields[i].annotation);
        if (!def)
            ok = false;
        else
            strbuf_addf(&cols, "%s    %s", i ? ",\n" : "", def);
        free(def);
    }
    if (ok) {
        char *q = sqlgen_qualified(g->schema, name);
        comment_change(&g->tables, c);
        strbuf_adds(&g->tables, "-- no primary key or constraints: the class does not say; add "
                                "them before running\n");
        strbuf_addf(&g->tables, "CREATE TABLE IF NOT EXISTS %s (\n%s%s);\n", q, strbuf_str(&cols),
                    cols.len ? "\n" : "");
        g->nstatements++;
        free(q);
    }
    strbuf_release(&cols);
    free(name);
}

static void destructive(gen *g, const sm_change *c)
{
    char *t = c->table ? sqlgen_qualified(c->table->schema, c->table->name) : NULL;
    char *col = c->member ? sqlgen_ident(c->member) : NULL;
    switch (c->kind) {
    case CHANGE_COLUMN_ADDED:
        comment_change(&g->d_alter, c);
        strbuf_addf(&g->d_alter, "-- destructive: drops the column and its data\n"
                                 "ALTER TABLE %s DROP COLUMN %s;\n", t, col);
        g->nstatements++;
        break;
    case CHANGE_TABLE_ADDED:
        comment_change(&g->d_tables, c);
        strbuf_addf(&g->d_tables, "-- destructive: drops the table and its data\n"
                                  "DROP TABLE %s;\n", t);
        g->nstatements++;
        break;
    case CHANGE_ENUM_ADDED: {
        char *e = sqlgen_qualified(c->enm->schema, c->enm->name);
        comment_change(&g->d_types, c);
        strbuf_addf(&g->d_types, "-- destructive: drops the type (fails while a column uses it)\n"
                                 "DROP TYPE %s;\n", e);
        g->nstatements++;
        free(e);
        break;
    }
    case CHANGE_COLUMN_TYPE_CHANGED:
    case CHANGE_COLUMN_NULLABILITY_CHANGED: {
        if (!c->pyfield || !c->column) {
            note(g, c, "the column is not known, write this by hand");
            break;
        }
        bool nullable = true;
        const char *why = NULL;
        char *type = sqlgen_column_type(c->pyfield->annotation, &nullable, enum_type_cb, g, &why);
        if (!type) {
            note(g, c, "%s: %s, write this by hand", c->pyfield->annotation, why);
            break;
        }
        comment_change(&g->d_alter, c);
        if (c->kind == CHANGE_COLUMN_TYPE_CHANGED) {
            strbuf_addf(&g->d_alter, "-- destructive: converts every value (fails on values "
                                     "that do not convert)\n"
                                     "ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::%s;\n",
                        t, col, type, col, type);
            g->nstatements++;
        }
        if (nullable != column_is_nullable(c->column)) {
            if (nullable)
                strbuf_addf(&g->d_alter, "-- destructive: allows NULL\n"
                                         "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;\n", t, col);
            else
                strbuf_addf(&g->d_alter, "-- destructive: fails while a row holds NULL\n"
                                         "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n", t, col);
            g->nstatements++;
        }
        free(type);
        break;
    }
    case CHANGE_ENUM_VALUE_ADDED:
        note(g, c, "PostgreSQL cannot drop an enum label (no ALTER TYPE ... DROP VALUE): "
                   "recreate the type by hand");
        break;
    case CHANGE_ENUM_VALUES_REORDERED:
        note(g, c, "PostgreSQL cannot reorder enum labels: recreate the type by hand");
        break;
    default:
        note(g, c, "no SQL form");
        break;
    }
    free(t);
    free(col);
}

/* Whether a change is a local addition (non-destructive SQL) rather than a removal. */
static bool is_addition(sm_change_kind k)
{
    return k == CHANGE_ENUM_VALUE_REMOVED || k == CHANGE_COLUMN_REMOVED ||
           k == CHANGE_ENUM_REMOVED || k == CHANGE_TABLE_REMOVED;
}

static int server_major(const sm_catalog *db)
{
    return db && db->server_version ? atoi(db->server_version) : 0;
}

int sqlgen_build(strbuf *out, size_t *nstatements, const sm_project *p,
                 const sqlgen_options *opts, sm_error *err)
{
    (void)err;
    gen g = { .p = p, .opts = opts, .schema = p->nschemas ? p->schemas[0] : "public" };
    const sm_changeset *cs = p->changes;
    size_t nunknown = 0, nboth = 0;
    strbuf unknown = STRBUF_INIT, both = STRBUF_INIT, left_out = STRBUF_INIT;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        bool local = c->moved == MOVED_LOCAL || (c->moved == MOVED_UNKNOWN && opts->all);
        if (c->moved == MOVED_UNKNOWN && !opts->all) {
            list_change(&unknown, c);
            nunknown++;
        } else if (c->moved == MOVED_BOTH) {
            list_change(&both, c);
            nboth++;
        }
        if (!local)
            continue;
        if (!is_addition(c->kind) && !opts->destructive) {
            list_change(&left_out, c);
            continue;
        }
        *XPUSH(g.taken, g.ntaken, g.cap_taken) = c;
    }
    /* enum types first, so that columns and tables can name them */
    for (size_t i = 0; i < g.ntaken; i++)
        if (g.taken[i]->kind == CHANGE_ENUM_REMOVED)
            create_enum(&g, g.taken[i]);
    for (size_t i = 0; i < g.ntaken; i++) {
        const sm_change *c = g.taken[i];
        switch (c->kind) {
        case CHANGE_ENUM_REMOVED: break;
        case CHANGE_ENUM_VALUE_REMOVED: add_label(&g, c); break;
        case CHANGE_COLUMN_REMOVED: add_column(&g, c); break;
        case CHANGE_TABLE_REMOVED: create_table(&g, c); break;
        default: destructive(&g, c); break;
        }
    }

    strbuf_addf(out, "-- Generated by schemerge %s: SQL that would bring the database in line\n"
                     "-- with the changes made in the local Python files.\n"
                     "-- Review it before running it: schemerge never runs it.\n"
                     "-- Database: %s\n",
                PACKAGE_VERSION, project_db_hash(p));
    if (nunknown)
        strbuf_addf(out, "--\n-- Left out: %zu change%s whose direction is unknown (no last-sync "
                         "snapshot yet).\n-- Run 'schemerge update' once to record a sync, or "
                         "'schemerge sql --all' to treat them\n-- as local edits:\n%s",
                    nunknown, nunknown == 1 ? "" : "s", strbuf_str(&unknown));
    if (nboth)
        strbuf_addf(out, "--\n-- Left out: changed on both sides since the last sync (resolve "
                         "by hand):\n%s", strbuf_str(&both));
    if (left_out.len)
        strbuf_addf(out, "--\n-- Left out: destructive (run 'schemerge sql --destructive' to "
                         "include them):\n%s", strbuf_str(&left_out));
    if (g.notes.len)
        strbuf_addf(out, "--\n-- Not expressible as SQL here:\n%s", strbuf_str(&g.notes));
    if (g.enum_values.len) {
        if (server_major(p->db) && server_major(p->db) < 12) {
            strbuf_addf(out, "\n-- New enum labels. PostgreSQL %s cannot add them inside a "
                             "transaction block:\n-- run these statements on their own.\n%s",
                        p->db->server_version, strbuf_str(&g.enum_values));
        } else {
            strbuf_addf(out, "\n-- New enum labels, in their own transaction: a label cannot be "
                             "used in the\n-- transaction that adds it.\nBEGIN;\n%sCOMMIT;\n",
                        strbuf_str(&g.enum_values));
        }
    }
    strbuf *main_parts[] = { &g.types, &g.tables, &g.columns, &g.d_alter, &g.d_tables, &g.d_types };
    bool any_main = false;
    for (size_t i = 0; i < sizeof main_parts / sizeof *main_parts; i++)
        any_main = any_main || main_parts[i]->len;
    if (any_main) {
        strbuf_adds(out, "\nBEGIN;\n");
        for (size_t i = 0; i < sizeof main_parts / sizeof *main_parts; i++)
            strbuf_adds(out, strbuf_str(main_parts[i]));
        strbuf_adds(out, "COMMIT;\n");
    }
    if (!g.nstatements)
        strbuf_adds(out, "\n-- Nothing to run: no change made on the local side has a statement "
                         "here.\n");
    if (nstatements)
        *nstatements = g.nstatements;
    strbuf *all[] = { &g.enum_values, &g.types, &g.tables, &g.columns, &g.d_alter,
                      &g.d_tables, &g.d_types, &g.notes, &unknown, &both, &left_out };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        strbuf_release(all[i]);
    free(g.taken);
    return 0;
}
