/* drift.c: which local class stands for which database object, and what differs.
 *
 * Matching runs in passes over all objects, so that an explicit claim (config name, then
 * docstring marker) always beats the naming convention, whatever the order of objects.
 * Nothing here writes files or decides what to apply; it only lists. */
#include "config.h"
#include "drift.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "hash.h"
#include "naming.h"
#include "parallel.h"
#include "pytype.h"
#include "strbuf.h"
#include "typemap.h"
#include "xalloc.h"

/* A class of the local files that counts (SPEC section 2). */
typedef struct local_class {
    const py_class *cls;
    sm_target target;
    bool is_enum;
    bool ignored;
    char *marker;         /* the object named by its docstring marker, or NULL */
    char *marker_schema;  /* the schema the marker names (auth.users), or NULL */
    bool claimed;
} local_class;

typedef struct drift_match {
    bool is_enum;
    const sm_enum *enm;
    const sm_table *table;
    local_class *local;   /* NULL: only in the database */
    char *class_name;     /* the local class's name, or the one to generate */
    sm_target target;
    const char *renamed_from; /* the last-sync name when matched through a rename */
    bool owns_plain;      /* of the objects of its kind with this name, the one a marker
                           * without a schema names, and whose marker needs none */
    int schema_rank;      /* position of its schema among the selected ones */
    char *wanted;         /* the class name the whole-catalog rule gives it (SPEC 2) */
    bool excluded;        /* only in the database and named by "exclude": no class, no change */
} drift_match;

/* A large project has tens of thousands of fields but a few dozen distinct annotations
 * and column types: each annotation text is parsed once, and each (column type,
 * nullability, annotation) compared once. Types are told apart by pointer: the live
 * reader gives every column of a type the same sm_type, and a type never changes
 * (model.h). A catalog read from a file has a type per column; its comparisons are then
 * not remembered beyond a few per annotation, so the lists stay short. */
typedef struct verdict {
    const sm_type *type;
    bool nullable;
    typemap_verdict v;
} verdict;

#define VERDICTS_PER_ANNOTATION 16

typedef struct annotation {
    char *text;          /* NULL: a free slot of the table */
    pytype *type;        /* NULL when the text does not parse ... */
    char *error;         /* ... and then why */
    verdict verdicts[VERDICTS_PER_ANNOTATION];
    size_t nverdicts;
} annotation;

typedef struct name_set {
    char **v;
    size_t n, cap;
} name_set;

typedef struct drift_state {
    const drift_input *in;
    sm_changeset *cs;
    annotation *annotations; /* open addressing by text; size a power of two */
    size_t annotations_size, annotations_used;
    local_class *locals;
    size_t nlocals, cap_locals;
    /* Positions in locals sorted by (kind, class name) and by (kind, marker): matching a
     * large schema is then a binary search per object, not a scan of every class. */
    size_t *by_name;
    size_t *by_marker;
    size_t nby_marker;
    name_set taken;       /* every class name chosen for a database object, in NFKC */
    name_set local_names; /* every class name of the files, in NFKC */
    char *name_error;     /* no valid class name could be made: why */
} drift_state;

static const char *const moved_names[] = { "unknown", "database", "local", "both" };

const char *moved_name(sm_moved m)
{
    return m <= MOVED_BOTH ? moved_names[m] : "unknown";
}

/* ------------------------------------------------------------------ local classes */

static bool is_enum_class(const py_class *c)
{
    return pyclass_has_base(c, "Enum") || pyclass_has_base(c, "StrEnum");
}

static bool config_names_class(const sm_config *cfg, const char *cls)
{
    for (size_t i = 0; i < cfg->ntable_names; i++)
        if (strcmp(cfg->table_names[i].cls, cls) == 0)
            return true;
    return false;
}

static void collect_locals(drift_state *st)
{
    const drift_input *in = st->in;
    for (int t = 0; t < TARGET_COUNT; t++) {
        const py_file *f = in->files[t];
        for (size_t i = 0; f && i < f->nclasses; i++) {
            const py_class *c = &f->classes[i];
            bool table_marker = false;
            char *marker_schema = NULL;
            char *marker = c->docstring ? naming_marker(c->docstring, &table_marker, &marker_schema)
                                        : NULL;
            bool counts;
            if (t == TARGET_ENUMS)
                counts = is_enum_class(c);
            else
                /* TypedDict, Pydantic BaseModel or @dataclass (issue 9) */
                counts = codegen_is_row_class(c) || (marker && table_marker) ||
                         config_names_class(in->config, c->name);
            if (counts && marker && table_marker == (t == TARGET_ENUMS)) {
                /* a marker of the other kind names nothing we can match */
                free(marker);
                free(marker_schema);
                marker = marker_schema = NULL;
            }
            if (!counts) {
                free(marker);
                free(marker_schema);
                continue;
            }
            local_class *lc = XPUSH(st->locals, st->nlocals, st->cap_locals);
            memset(lc, 0, sizeof *lc);
            lc->cls = c;
            lc->target = (sm_target)t;
            lc->is_enum = t == TARGET_ENUMS;
            lc->ignored = c->ignore_marker || settings_is_ignored(in->config, c->name);
            lc->marker = marker;
            lc->marker_schema = marker_schema;
        }
    }
}

static int cmp_local_key(const local_class *lc, bool is_enum, const char *key, bool by_marker)
{
    if (lc->is_enum != is_enum)
        return lc->is_enum ? 1 : -1;
    return strcmp(by_marker ? lc->marker : lc->cls->name, key);
}

static int cmp_by_name(const void *a, const void *b, void *ctx)
{
    const local_class *v = ctx, *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];
    int r = cmp_local_key(x, y->is_enum, y->cls->name, false);
    return r ? r : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

static int cmp_by_marker(const void *a, const void *b, void *ctx)
{
    const local_class *v = ctx, *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];
    int r = cmp_local_key(x, y->is_enum, y->marker, true);
    return r ? r : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

static void index_locals(drift_state *st)
{
    st->by_name = xcalloc(st->nlocals + 1, sizeof *st->by_name);
    st->by_marker = xcalloc(st->nlocals + 1, sizeof *st->by_marker);
    for (size_t i = 0; i < st->nlocals; i++) {
        st->by_name[i] = i;
        if (st->locals[i].marker)
            st->by_marker[st->nby_marker++] = i;
    }
    qsort_r(st->by_name, st->nlocals, sizeof *st->by_name, cmp_by_name, st->locals);
    qsort_r(st->by_marker, st->nby_marker, sizeof *st->by_marker, cmp_by_marker, st->locals);
}

/* The first position in an index whose class has this kind and key (name or marker). */
static size_t lower_bound(const drift_state *st, bool by_marker, bool is_enum, const char *key)
{
    const size_t *idx = by_marker ? st->by_marker : st->by_name;
    size_t lo = 0, hi = by_marker ? st->nby_marker : st->nlocals;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_local_key(&st->locals[idx[mid]], is_enum, key, by_marker) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first class in file order whose key (name or marker) is key and that may still be
 * matched; without_marker: only classes that carry no marker (the convention's rule). */
static local_class *find_indexed(drift_state *st, bool by_marker, bool is_enum, const char *key,
                                 bool without_marker)
{
    const size_t *idx = by_marker ? st->by_marker : st->by_name;
    size_t n = by_marker ? st->nby_marker : st->nlocals;
    for (size_t i = lower_bound(st, by_marker, is_enum, key); i < n; i++) {
        local_class *lc = &st->locals[idx[i]];
        if (cmp_local_key(lc, is_enum, key, by_marker) != 0)
            break;
        if (!lc->claimed && !lc->ignored && !(without_marker && lc->marker))
            return lc;
    }
    return NULL;
}

/* Of two candidates, the one that comes first in the files. */
static local_class *first_of(local_class *a, local_class *b)
{
    if (!a || !b)
        return a ? a : b;
    return a < b ? a : b;
}

static local_class *find_local(drift_state *st, bool is_enum, const char *class_name)
{
    return find_indexed(st, false, is_enum, class_name, false);
}

/* A marker names the object as "name" or as "schema.name" (SQL-quoted or not). A marker
 * without a schema names only the object that owns the plain name (owns_plain), so
 * auth.users and public.users never claim the same class. */
static local_class *find_by_marker(drift_state *st, bool is_enum, const char *schema,
                                   const char *name, bool owns_plain)
{
    for (size_t i = lower_bound(st, true, is_enum, name); i < st->nby_marker; i++) {
        local_class *lc = &st->locals[st->by_marker[i]];
        if (cmp_local_key(lc, is_enum, name, true) != 0)
            break;
        if (lc->claimed || lc->ignored)
            continue;
        if (lc->marker_schema ? schema && strcmp(lc->marker_schema, schema) == 0 : owns_plain)
            return lc;
    }
    return NULL;
}

/* Tables: PascalCase with the last word singular + "Row". Enums: PascalCase, or the
 * seed tool's PascalCase + "Type" (naming_enum_class_matches). */
static local_class *find_by_convention(drift_state *st, bool is_enum, const char *name)
{
    if (!is_enum) {
        char *conventional = naming_table_class(name);
        local_class *lc = find_indexed(st, false, false, conventional, true);
        free(conventional);
        return lc;
    }
    char *pascal = naming_enum_class(name);
    char *typed = xasprintf("%sType", pascal);
    local_class *lc = first_of(find_indexed(st, false, true, pascal, true),
                               find_indexed(st, false, true, typed, true));
    free(typed);
    free(pascal);
    return lc;
}

/* ------------------------------------------------------------------ matching */

static bool is_junction_table(const sm_table *t)
{
    for (size_t i = 0; i < t->nconstraints; i++) {
        const sm_constraint *pk = &t->constraints[i];
        if (pk->kind != SM_CONSTRAINT_PRIMARY || pk->ncolumns < 2)
            continue;
        for (size_t c = 0; c < pk->ncolumns; c++) {
            bool in_fk = false;
            for (size_t j = 0; j < t->nconstraints && !in_fk; j++) {
                const sm_constraint *fk = &t->constraints[j];
                for (size_t k = 0; fk->kind == SM_CONSTRAINT_FOREIGN && k < fk->ncolumns; k++)
                    if (strcmp(fk->columns[k], pk->columns[c]) == 0)
                        in_fk = true;
            }
            if (!in_fk)
                return false;
        }
        return true;
    }
    return false;
}

static drift_match *add_match(drift_state *st, bool is_enum, const sm_enum *e, const sm_table *t)
{
    sm_changeset *cs = st->cs;
    drift_match *m = XPUSH(cs->matches, cs->nmatches, cs->cap_matches);
    memset(m, 0, sizeof *m);
    m->is_enum = is_enum;
    m->enm = e;
    m->table = t;
    return m;
}

static const char *match_schema(const drift_match *m)
{
    return m->is_enum ? m->enm->schema : m->table->schema;
}

static const char *match_name(const drift_match *m)
{
    return m->is_enum ? m->enm->name : m->table->name;
}

static void claim(drift_match *m, local_class *lc)
{
    lc->claimed = true;
    m->local = lc;
    m->target = lc->target;
    free(m->class_name);
    m->class_name = xstrdup(lc->cls->name);
}

/* Find the local class for a database object named (schema, name), by one rule. The
 * convention's name is the one the whole-catalog rule wants for the object: the plain
 * convention for the object that owns it, the prefixed or numbered name for the others. */
static local_class *find_for(drift_state *st, const drift_match *m, const char *schema,
                             const char *name, int pass)
{
    const sm_config *cfg = st->in->config;
    bool is_enum = m->is_enum;
    if (pass == 0) {
        const char *cls = is_enum ? settings_enum_class(cfg, schema, name)
                                  : settings_table_class(cfg, schema, name);
        return cls ? find_local(st, is_enum, cls) : NULL;
    }
    if (pass == 1)
        return find_by_marker(st, is_enum, schema, name, m->owns_plain);
    /* through a rename (name is the last sync's): that name's convention */
    if (strcmp(name, match_name(m)) != 0)
        return m->owns_plain ? find_by_convention(st, is_enum, name) : NULL;
    char *conventional = is_enum ? naming_enum_class(name) : naming_table_class(name);
    bool plain = strcmp(conventional, m->wanted) == 0;
    free(conventional);
    if (plain)
        return find_by_convention(st, is_enum, name);
    return find_indexed(st, false, is_enum, m->wanted, true);
}

/* ------------------------------------------------------------------ whole-catalog names */

static int schema_rank(const sm_catalog *db, const char *schema)
{
    for (size_t i = 0; i < db->nschemas; i++)
        if (strcmp(db->schemas[i], schema) == 0)
            return (int)i;
    return (int)db->nschemas;
}

static bool in_last_sync(const drift_state *st, const drift_match *m)
{
    const sm_catalog *old = st->in->last_sync;
    if (!old)
        return false;
    return m->is_enum ? catalog_find_enum(old, m->enm->schema, m->enm->name) != NULL
                      : catalog_find_table(old, m->table->schema, m->table->name) != NULL;
}

typedef struct name_slot {
    drift_match *m;
    bool given;       /* the config names its class: kept as given */
    char *key;        /* NFKC of the conventional name: what Python would see */
    bool old;         /* in the last sync: keeps what it had */
} name_slot;

/* Who keeps a contested name: what the last sync knew, then the first selected schema,
 * then enums before tables, then code-point order of the database name. */
static int cmp_claim(const name_slot *x, const name_slot *y)
{
    if (x->given != y->given)
        return x->given ? -1 : 1;
    if (x->old != y->old)
        return x->old ? -1 : 1;
    if (x->m->schema_rank != y->m->schema_rank)
        return x->m->schema_rank - y->m->schema_rank;
    if (x->m->is_enum != y->m->is_enum)
        return x->m->is_enum ? -1 : 1;
    int r = strcmp(match_name(x->m), match_name(y->m));
    return r ? r : strcmp(match_schema(x->m), match_schema(y->m));
}

static int cmp_slot_by_key(const void *a, const void *b)
{
    const name_slot *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    return r ? r : cmp_claim(x, y);
}

static int cmp_slot_by_object(const void *a, const void *b)
{
    const name_slot *x = a, *y = b;
    if (x->m->is_enum != y->m->is_enum)
        return x->m->is_enum ? -1 : 1;
    int r = strcmp(match_name(x->m), match_name(y->m));
    return r ? r : cmp_claim(x, y);
}

/* base with n: "FooBarRow" -> "FooBar2Row"; enums "Status" -> "Status2". */
static char *numbered(const char *base, bool is_enum, int n)
{
    size_t len = strlen(base);
    /* "Row" (a table named "_") becomes "Row2": "2Row" is no identifier */
    if (!is_enum && len > 3 && strcmp(base + len - 3, "Row") == 0)
        return xasprintf("%.*s%dRow", (int)(len - 3), base, n);
    return xasprintf("%s%d", base, n);
}

/* A sorted set of names in NFKC (how Python compares identifiers). */
static size_t names_pos(const name_set *set, const char *key, bool *found)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(set->v[mid], key);
        if (r == 0) {
            *found = true;
            return mid;
        }
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static bool names_has(const name_set *set, const char *key)
{
    bool found;
    names_pos(set, key, &found);
    return found;
}

/* Adds key (taken over) unless present. */
static void names_add(name_set *set, char *key)
{
    bool found;
    size_t at = names_pos(set, key, &found);
    if (found) {
        free(key);
        return;
    }
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 64;
        set->v = xrealloc(set->v, set->cap * sizeof *set->v);
    }
    memmove(set->v + at + 1, set->v + at, (set->n - at) * sizeof *set->v);
    set->v[at] = key;
    set->n++;
}

static void names_free(name_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->v[i]);
    free(set->v);
}

/* The first of base, base2, base3, ... (from start) whose NFKC form no set holds; the
 * name is added to taken. */
static char *first_free(name_set *taken, const name_set *also, const char *base, bool is_enum,
                        int start)
{
    for (int k = start;; k++) {
        char *name = k == 1 ? xstrdup(base) : numbered(base, is_enum, k);
        char *key = naming_nfkc(name);
        if (!names_has(taken, key) && !(also && names_has(also, key))) {
            names_add(taken, key);
            return name;
        }
        free(key);
        free(name);
    }
}

/* SPEC 2: class names are chosen for the whole catalog at once. The first claimant of a
 * conventional name keeps it; another schema's object gets its schema's PascalCase as a
 * prefix, another object of the same schema a number. Also decides which object a marker
 * without a schema names (owns_plain). Config names are taken as given. */
static void choose_names(drift_state *st)
{
    sm_changeset *cs = st->cs;
    const sm_catalog *db = st->in->db;
    const sm_config *cfg = st->in->config;
    size_t n = cs->nmatches;
    name_slot *slots = xcalloc(n + 1, sizeof *slots);
    for (size_t i = 0; i < n; i++) {
        drift_match *m = &cs->matches[i];
        m->schema_rank = schema_rank(db, match_schema(m));
        const char *given = m->is_enum ? settings_enum_class(cfg, match_schema(m), match_name(m))
                                       : settings_table_class(cfg, match_schema(m), match_name(m));
        m->wanted = given ? xstrdup(given)
                          : m->is_enum ? naming_enum_class(match_name(m))
                                       : naming_table_class(match_name(m));
        slots[i] = (name_slot){ .m = m, .key = naming_nfkc(m->wanted), .old = in_last_sync(st, m),
                                .given = given != NULL };
        names_add(&st->taken, xstrdup(slots[i].key));
    }
    /* the plain marker: per kind and database name */
    qsort(slots, n, sizeof *slots, cmp_slot_by_object);
    for (size_t i = 0; i < n; i++)
        slots[i].m->owns_plain = i == 0 || slots[i - 1].m->is_enum != slots[i].m->is_enum ||
                                 strcmp(match_name(slots[i - 1].m), match_name(slots[i].m)) != 0;
    /* the class name: per NFKC form, across kinds (an enum "foo_row" meets table "foos") */
    qsort(slots, n, sizeof *slots, cmp_slot_by_key);
    for (size_t i = 0, first = 0; i < n; i++) {
        if (i == 0 || strcmp(slots[i].key, slots[first].key) != 0) {
            first = i;
            continue;
        }
        drift_match *m = slots[i].m, *owner = slots[first].m;
        if (slots[i].given) { /* both given (the given sort first): no name can be made */
            if (!st->name_error)
                st->name_error = xasprintf("the config names the class %s for both %s %s.%s and %s "
                                           "%s.%s", m->wanted, owner->is_enum ? "enum" : "table",
                                           match_schema(owner), match_name(owner),
                                           m->is_enum ? "enum" : "table", match_schema(m), match_name(m));
            continue;
        }
        char *name;
        if (strcmp(match_schema(m), match_schema(owner)) != 0) {
            char *schema = naming_pascal_case(match_schema(m));
            char *prefixed = xasprintf("%s%s", schema, m->wanted);
            name = first_free(&st->taken, NULL, prefixed, m->is_enum, 1);
            free(prefixed);
            free(schema);
        } else {
            name = first_free(&st->taken, NULL, m->wanted, m->is_enum, 2);
        }
        free(m->wanted);
        m->wanted = name;
    }
    for (size_t i = 0; i < n; i++)
        free(slots[i].key);
    free(slots);
    for (size_t i = 0; i < st->nlocals; i++)
        names_add(&st->local_names, naming_nfkc(st->locals[i].cls->name));
}

/* The class for an object only in the database: the wanted name unless a local class has
 * it (Python would see one class), then a number. */
static char *free_class_name(drift_state *st, const drift_match *m)
{
    char *key = naming_nfkc(m->wanted);
    bool free_name = !names_has(&st->local_names, key);
    free(key);
    if (free_name)
        return xstrdup(m->wanted);
    return first_free(&st->taken, &st->local_names, m->wanted, m->is_enum, 2);
}

static void match_objects(drift_state *st)
{
    const sm_catalog *db = st->in->db;
    const sm_config *cfg = st->in->config;
    for (size_t i = 0; i < db->nenums; i++)
        add_match(st, true, &db->enums[i], NULL);
    st->cs->nenum_matches = db->nenums;
    st->cs->enums_sorted = db->sorted;
    for (size_t i = 0; i < db->ntables; i++) {
        const sm_table *t = &db->tables[i];
        if (t->kind == SM_TABLE_VIEW || t->kind == SM_TABLE_MATVIEW) {
            if (!cfg->views)
                continue;
        }
        add_match(st, false, NULL, t);
    }
    sm_changeset *cs = st->cs;
    choose_names(st);
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < cs->nmatches; i++) {
            drift_match *m = &cs->matches[i];
            if (m->local)
                continue;
            local_class *lc = find_for(st, m, match_schema(m), match_name(m), pass);
            if (lc)
                claim(m, lc);
        }
    }
    /* Renamed since the last sync: the old name still finds its class. */
    const sm_catalog *old = st->in->last_sync;
    for (size_t i = 0; old && i < cs->nmatches; i++) {
        drift_match *m = &cs->matches[i];
        if (m->local)
            continue;
        const char *old_name = NULL, *old_schema = NULL;
        if (m->is_enum) {
            const sm_enum *oe = catalog_find_enum_oid(old, m->enm->oid);
            if (oe && (strcmp(oe->name, m->enm->name) != 0 ||
                       strcmp(oe->schema, m->enm->schema) != 0) &&
                !catalog_find_enum(st->in->db, oe->schema, oe->name)) {
                old_name = oe->name;
                old_schema = oe->schema;
            }
        } else {
            const sm_table *ot = catalog_find_table_oid(old, m->table->oid);
            if (ot && (strcmp(ot->name, m->table->name) != 0 ||
                       strcmp(ot->schema, m->table->schema) != 0) &&
                !catalog_find_table(st->in->db, ot->schema, ot->name)) {
                old_name = ot->name;
                old_schema = ot->schema;
            }
        }
        for (int pass = 0; old_name && pass < 3 && !m->local; pass++) {
            local_class *lc = find_for(st, m, old_schema, old_name, pass);
            if (lc) {
                claim(m, lc);
                m->renamed_from = old_name;
            }
        }
    }
    /* What is only in the database gets a class name and a file (unless "exclude" says not
     * to track it). */
    for (size_t i = 0; i < cs->nmatches; i++) {
        drift_match *m = &cs->matches[i];
        if (m->local)
            continue;
        m->excluded = m->is_enum ? settings_is_excluded(cfg, m->enm->schema, m->enm->name)
                                 : settings_is_excluded(cfg, m->table->schema, m->table->name);
        const char *given = m->is_enum ? settings_enum_class(cfg, m->enm->schema, m->enm->name)
                                       : settings_table_class(cfg, m->table->schema, m->table->name);
        /* a name the config gives is kept, and refused later when a class has it */
        m->class_name = given ? xstrdup(given) : free_class_name(st, m);
        if (m->is_enum) {
            m->target = TARGET_ENUMS;
        } else {
            m->target = settings_is_relationship(cfg, m->table->schema, m->table->name) ||
                                is_junction_table(m->table)
                            ? TARGET_RELATIONSHIPS
                            : TARGET_ENTITIES;
        }
    }
}

const char *drift_enum_class(const sm_changeset *cs, const char *schema, const char *name)
{
    if (cs->enums_sorted && schema) {
        /* called for every enum-typed column: a binary search over the enum matches */
        size_t lo = 0, hi = cs->nenum_matches;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const sm_enum *e = cs->matches[mid].enm;
            int r = strcmp(e->schema, schema);
            if (!r)
                r = strcmp(e->name, name);
            if (!r) /* an excluded enum has no class: its columns are str */
                return cs->matches[mid].excluded ? NULL : cs->matches[mid].class_name;
            if (r < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    for (size_t i = 0; i < cs->nmatches; i++) {
        const drift_match *m = &cs->matches[i];
        if (m->is_enum && strcmp(m->enm->name, name) == 0 &&
            (!schema || strcmp(m->enm->schema, schema) == 0))
            return m->excluded ? NULL : m->class_name;
    }
    return NULL;
}

static const char *enum_class_cb(const char *schema, const char *name, void *payload)
{
    return drift_enum_class(payload, schema, name);
}

typemap_ctx drift_typemap_ctx(const sm_changeset *cs, const sm_config *config, const sm_catalog *db)
{
    return (typemap_ctx){ .config = config, .catalog = db, .enum_class = enum_class_cb,
                          .payload = (void *)cs };
}

/* ------------------------------------------------------------------ changes */

static sm_change *add_change(drift_state *st, sm_change_kind kind, const drift_match *m,
                             const char *member)
{
    sm_changeset *cs = st->cs;
    sm_change *c = XPUSH(cs->items, cs->n, cs->cap);
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->severity = st->in->config->severity[kind];
    c->target = m->target;
    c->file = st->in->paths[m->target];
    c->class_name = xstrdup(m->class_name);
    c->member = xstrdup(member);
    if (m->enm || m->table) {
        c->schema = xstrdup(match_schema(m));
        c->object = xstrdup(match_name(m));
    } else if (m->local && m->local->marker) {
        c->object = xstrdup(m->local->marker);
    }
    c->enm = m->enm;
    c->table = m->table;
    c->qualify_marker = (m->enm || m->table) && !m->owns_plain;
    if (m->local) {
        c->cls = m->local->cls;
        c->line = m->local->cls->line;
    }
    return c;
}

static void finish_id(sm_change *c)
{
    strbuf key = STRBUF_INIT;
    strbuf_addf(&key, "%s%c%s%c%s%c%s", change_kind_name(c->kind), 0, c->schema ? c->schema : "",
                0, c->object ? c->object : c->class_name, 0, c->member ? c->member : "");
    char hex[SM_SHA256_HEX_LEN + 1];
    sha256_hex(hex, key.buf, key.len);
    memcpy(c->id, hex, 8);
    c->id[8] = '\0';
    strbuf_release(&key);
}

static annotation *annotation_slot(annotation *table, size_t size, const char *text)
{
    size_t i = (size_t)hash_fnv1a(text, strlen(text)) & (size - 1);
    while (table[i].text && strcmp(table[i].text, text) != 0)
        i = (i + 1) & (size - 1);
    return &table[i];
}

/* The annotation text, parsed (once). */
static annotation *annotation_of(drift_state *st, const char *text)
{
    if (2 * (st->annotations_used + 1) > st->annotations_size) {
        size_t size = st->annotations_size ? 2 * st->annotations_size : 64;
        annotation *table = xcalloc(size, sizeof *table);
        for (size_t i = 0; i < st->annotations_size; i++)
            if (st->annotations[i].text)
                *annotation_slot(table, size, st->annotations[i].text) = st->annotations[i];
        free(st->annotations);
        st->annotations = table;
        st->annotations_size = size;
    }
    annotation *a = annotation_slot(st->annotations, st->annotations_size, text);
    if (!a->text) {
        a->text = xstrdup(text);
        sm_error perr = SM_ERROR_INIT;
        if (pytype_parse(&a->type, text, &perr) != 0) {
            a->type = NULL;
            a->error = xstrdup(perr.what);
        }
        st->annotations_used++;
    }
    return a;
}

/* typemap_compare of a parsed annotation, remembered per (type, nullability). */
static typemap_verdict compare_annotation(annotation *a, const typemap_ctx *ctx, const sm_column *col)
{
    bool nullable = column_is_nullable(col);
    for (size_t i = 0; i < a->nverdicts; i++)
        if (a->verdicts[i].type == col->type && a->verdicts[i].nullable == nullable)
            return a->verdicts[i].v;
    typemap_verdict v = typemap_compare(ctx, col, a->type);
    if (a->nverdicts < VERDICTS_PER_ANNOTATION)
        a->verdicts[a->nverdicts++] = (verdict){ col->type, nullable, v };
    return v;
}

static void annotations_free(drift_state *st)
{
    for (size_t i = 0; i < st->annotations_size; i++) {
        free(st->annotations[i].text);
        pytype_free(st->annotations[i].type);
        free(st->annotations[i].error);
    }
    free(st->annotations);
}

static void warn_annotation(drift_state *st, const char *path, const py_class *c,
                            const py_field *f, const char *problem)
{
    sm_changeset *cs = st->cs;
    *XPUSH(cs->warnings, cs->nwarnings, cs->cap_warnings) =
        xasprintf("%s:%d: %s.%s: annotation not understood (%s); compared as a type change",
                  path, f->line, c->name, f->name, problem);
}

/* Whether the labels of list a appear in list b in the same relative order. */
static bool same_relative_order(char **a, size_t na, char **b, size_t nb)
{
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        bool in_b = false;
        for (size_t k = 0; k < nb; k++)
            if (strcmp(a[i], b[k]) == 0)
                in_b = true;
        if (!in_b)
            continue;
        while (j < nb && strcmp(b[j], a[i]) != 0)
            j++;
        if (j == nb)
            return false;
    }
    return true;
}

/* The side that moved, from what the last sync saw (in_sync_then: whether the old state
 * equals the database now; local_was_sync: whether the file still has the old state). */
static sm_moved moved_from(bool have_old, bool db_changed, bool local_changed)
{
    if (!have_old)
        return MOVED_UNKNOWN;
    if (db_changed && local_changed)
        return MOVED_BOTH;
    return local_changed ? MOVED_LOCAL : MOVED_DATABASE;
}

/* The members of an enum class that hold a label: a value, under a name Python's enum
 * makes a member (naming_is_member_name, judged once per member), in file order. */
typedef struct label_members {
    const py_member **v;
    size_t n;
} label_members;

static label_members label_members_of(const py_class *c)
{
    label_members lm = { xcalloc(c->nmembers + 1, sizeof *lm.v), 0 };
    for (size_t i = 0; i < c->nmembers; i++)
        if (c->members[i].value && naming_is_member_name(c->members[i].name))
            lm.v[lm.n++] = &c->members[i];
    return lm;
}

static const py_member *find_member_value(const label_members *lm, const char *value)
{
    for (size_t i = 0; i < lm->n; i++)
        if (strcmp(lm->v[i]->value, value) == 0)
            return lm->v[i];
    return NULL;
}

static bool enum_has_label(const sm_enum *e, const char *label)
{
    for (size_t i = 0; e && i < e->nlabels; i++)
        if (strcmp(e->labels[i].name, label) == 0)
            return true;
    return false;
}

static const sm_enum_label *enum_label_oid(const sm_enum *e, uint32_t oid)
{
    for (size_t i = 0; e && oid && i < e->nlabels; i++)
        if (e->labels[i].oid == oid)
            return &e->labels[i];
    return NULL;
}

static char **dup_list(size_t *n_out, char **items, size_t n)
{
    char **v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = xstrdup(items[i]);
    *n_out = n;
    return v;
}

static void diff_enum(drift_state *st, const drift_match *m)
{
    const sm_enum *e = m->enm;
    const py_class *c = m->local->cls;
    label_members lm = label_members_of(c);
    const sm_catalog *old = st->in->last_sync;
    const sm_enum *oe = old ? catalog_find_enum_oid(old, e->oid) : NULL;
    if (old && !oe)
        oe = catalog_find_enum(old, e->schema, m->renamed_from ? m->renamed_from : e->name);

    if (m->renamed_from) {
        sm_change *ch = add_change(st, CHANGE_ENUM_RENAMED, m, NULL);
        ch->old_name = xstrdup(m->renamed_from);
        ch->database = xstrdup(e->name);
        ch->local = xstrdup(m->renamed_from);
        ch->moved = MOVED_DATABASE;
    }

    /* Labels renamed since the last sync: same label OID, new text, old text in the file. */
    bool *renamed_db = xcalloc(e->nlabels + 1, sizeof *renamed_db);
    const py_member **renamed_member = xcalloc(e->nlabels + 1, sizeof *renamed_member);
    for (size_t i = 0; oe && i < e->nlabels; i++) {
        const sm_enum_label *ol = enum_label_oid(oe, e->labels[i].oid);
        if (!ol || strcmp(ol->name, e->labels[i].name) == 0)
            continue;
        const py_member *pm = find_member_value(&lm, ol->name);
        if (pm && !find_member_value(&lm, e->labels[i].name) && !enum_has_label(e, ol->name)) {
            renamed_db[i] = true;
            renamed_member[i] = pm;
        }
    }

    /* Added labels, in database order. */
    for (size_t i = 0; i < e->nlabels; i++) {
        const char *label = e->labels[i].name;
        if (renamed_db[i]) {
            sm_change *ch = add_change(st, CHANGE_ENUM_VALUE_RENAMED, m, label);
            ch->database = xstrdup(label);
            ch->local = xstrdup(renamed_member[i]->value);
            ch->old_name = xstrdup(renamed_member[i]->value);
            ch->pymember = renamed_member[i];
            ch->line = renamed_member[i]->line;
            ch->moved = MOVED_DATABASE;
            continue;
        }
        if (find_member_value(&lm, label))
            continue;
        sm_change *ch = add_change(st, CHANGE_ENUM_VALUE_ADDED, m, label);
        ch->database = xstrdup(label);
        ch->moved = moved_from(oe != NULL, !enum_has_label(oe, label), enum_has_label(oe, label));
    }
    /* Removed labels, in file order. */
    for (size_t i = 0; i < lm.n; i++) {
        const py_member *pm = lm.v[i];
        if (enum_has_label(e, pm->value))
            continue;
        bool is_rename_source = false;
        for (size_t k = 0; k < e->nlabels; k++)
            if (renamed_member[k] == pm)
                is_rename_source = true;
        if (is_rename_source)
            continue;
        sm_change *ch = add_change(st, CHANGE_ENUM_VALUE_REMOVED, m, pm->value);
        ch->local = xstrdup(pm->value);
        ch->pymember = pm;
        ch->line = pm->line;
        ch->moved = moved_from(oe != NULL, enum_has_label(oe, pm->value), !enum_has_label(oe, pm->value));
    }
    /* Reordered: the labels on both sides, in a different relative order. */
    char **dbv = xcalloc(e->nlabels + 1, sizeof *dbv), **lv = xcalloc(c->nmembers + 1, sizeof *lv);
    size_t ndb = 0, nl = 0;
    for (size_t i = 0; i < e->nlabels; i++)
        if (find_member_value(&lm, e->labels[i].name))
            dbv[ndb++] = e->labels[i].name;
    for (size_t i = 0; i < lm.n; i++) {
        const py_member *pm = lm.v[i];
        if (enum_has_label(e, pm->value) && find_member_value(&lm, pm->value) == pm)
            lv[nl++] = pm->value;
    }
    bool reordered = false;
    for (size_t i = 0; i < ndb && i < nl; i++)
        if (strcmp(dbv[i], lv[i]) != 0)
            reordered = true;
    if (reordered) {
        sm_change *ch = add_change(st, CHANGE_ENUM_VALUES_REORDERED, m, NULL);
        ch->database_list = dup_list(&ch->ndatabase_list, dbv, ndb);
        ch->local_list = dup_list(&ch->nlocal_list, lv, nl);
        if (oe) {
            char **ov = xcalloc(oe->nlabels + 1, sizeof *ov);
            for (size_t i = 0; i < oe->nlabels; i++)
                ov[i] = oe->labels[i].name;
            bool db_moved = !same_relative_order(dbv, ndb, ov, oe->nlabels);
            bool local_moved = !same_relative_order(lv, nl, ov, oe->nlabels);
            ch->moved = moved_from(true, db_moved, local_moved || !db_moved);
            free(ov);
        }
    }
    free(dbv);
    free(lv);
    free(renamed_db);
    free(renamed_member);
    free(lm.v);
}

/* The column each field of c stands for (issue 9): the alias of a pydantic
 * Field(alias="...") when there is one (a new string), else the field's name (c's own);
 * NULL for a field that is no column (ClassVar, model_config). A new array of c->nfields
 * (free_columns). */
static char **field_columns(const py_file *f, const py_class *c)
{
    char **cols = xcalloc(c->nfields + 1, sizeof *cols);
    for (size_t i = 0; i < c->nfields; i++) {
        const py_field *pf = &c->fields[i];
        if (!codegen_field_is_column(pf))
            continue;
        cols[i] = f ? codegen_field_alias(f->text, pf, NULL) : NULL;
        if (!cols[i])
            cols[i] = pf->name;
    }
    return cols;
}

static void free_columns(char **cols, const py_class *c)
{
    for (size_t i = 0; i < c->nfields; i++)
        if (cols[i] != c->fields[i].name)
            free(cols[i]);
    free(cols);
}

/* Positions by name, for the lookups one table's diff makes both ways (each column's
 * field, each field's column): searched linearly, they were a quarter of the drift of a
 * 5,000-table schema. A name's position is its first, as a linear search finds it; NULL
 * names are left out. */
typedef struct name_index {
    const char *const *names;
    uint32_t *slots; /* position + 1; 0 is empty */
    size_t mask;
} name_index;

#define NAME_NONE ((size_t)-1)

/* The slot holding name, or the empty one where it would go. */
static uint32_t *name_index_slot(const name_index *ix, const char *name)
{
    for (size_t h = hash_fnv1a(name, strlen(name)) & ix->mask;; h = (h + 1) & ix->mask) {
        uint32_t *s = &ix->slots[h];
        if (!*s || strcmp(ix->names[*s - 1], name) == 0)
            return s;
    }
}

static size_t name_index_find(const name_index *ix, const char *name)
{
    uint32_t s = *name_index_slot(ix, name);
    return s ? s - 1 : NAME_NONE;
}

static void name_index_init(name_index *ix, const char *const *names, size_t n)
{
    size_t cap = 8;
    while (cap < 2 * n)
        cap *= 2;
    *ix = (name_index){ names, xcalloc(cap, sizeof *ix->slots), cap - 1 };
    for (size_t i = 0; i < n; i++) {
        uint32_t *s = names[i] ? name_index_slot(ix, names[i]) : NULL;
        if (s && !*s) /* a name met before keeps its first position */
            *s = (uint32_t)i + 1;
    }
}

/* A table's columns and its class's fields, each by the other's names. */
typedef struct diff_names {
    const char **column_names;
    name_index columns, fields;
} diff_names;

static void diff_names_init(diff_names *d, const sm_table *t, char **cols, size_t nfields)
{
    d->column_names = xcalloc(t->ncolumns + 1, sizeof *d->column_names);
    for (size_t i = 0; i < t->ncolumns; i++)
        d->column_names[i] = t->columns[i].name;
    name_index_init(&d->columns, d->column_names, t->ncolumns);
    name_index_init(&d->fields, (const char *const *)cols, nfields);
}

static void diff_names_done(diff_names *d)
{
    free(d->column_names);
    free(d->columns.slots);
    free(d->fields.slots);
}

static const py_field *find_field(const py_class *c, const diff_names *d, const char *name)
{
    size_t at = name_index_find(&d->fields, name);
    return at == NAME_NONE ? NULL : &c->fields[at];
}

static const sm_column *find_column(const sm_table *t, const diff_names *d, const char *name)
{
    size_t at = name_index_find(&d->columns, name);
    return at == NAME_NONE ? NULL : &t->columns[at];
}

static char *render_column(const typemap_ctx *ctx, const sm_column *col, const pytype_style *style)
{
    pytype *t = typemap_column(ctx, col);
    char *s = pytype_render(t, style);
    pytype_free(t);
    return s;
}

/* Whether a column's type or nullability differs between two catalogs' versions. */
static bool column_def_changed(const typemap_ctx *ctx, const sm_column *a, const sm_column *b)
{
    pytype *ta = typemap_column(ctx, a), *tb = typemap_column(ctx, b);
    bool changed = !pytype_equal(ta, tb);
    pytype_free(ta);
    pytype_free(tb);
    return changed;
}

static const char *field_reason(const char *column)
{
    if (naming_is_keyword(column))
        return "is a Python keyword";
    if (!naming_is_identifier(column))
        return "is not a Python identifier";
    if (!naming_is_class_field(column))
        return "is read by Python as another name (NFKC)";
    return NULL;
}

/* A column class syntax cannot hold (SPEC 2): a functional TypedDict takes it as a key, a
 * class-form TypedDict is converted to that form (the note says so) unless the config
 * says "functional_form": "never", a Pydantic model or a dataclass aliases it. */
static void set_field_reason(drift_state *st, sm_change *ch, const py_class *c, const char *column)
{
    const char *why = field_reason(column);
    if (!why || c->functional || codegen_class_row_kind(c) != CODEGEN_ROW_TYPEDDICT)
        return;
    if (st->in->config->functional_never)
        ch->reason = xasprintf("column \"%s\" %s, so it cannot be a field in class syntax, and "
                               "\"functional_form\" is \"never\" in the config (set it to \"auto\" "
                               "to convert %s to the functional TypedDict form)",
                               column, why, c->name);
    else
        ch->note = xasprintf("converts %s to the functional TypedDict form: column \"%s\" %s",
                             c->name, column, why);
}

static void diff_table(drift_state *st, const drift_match *m, const typemap_ctx *ctx,
                       const pytype_style *style)
{
    const sm_table *t = m->table;
    const py_class *c = m->local->cls;
    const sm_catalog *old = st->in->last_sync;
    const sm_table *ot = old ? catalog_find_table_oid(old, t->oid) : NULL;
    if (old && !ot)
        ot = catalog_find_table(old, t->schema, m->renamed_from ? m->renamed_from : t->name);
    if (ot && table_is_borrowed_copy(ot, t))
        ot = t; /* the last sync's copy of this very table: unchanged since */

    if (m->renamed_from) {
        sm_change *ch = add_change(st, CHANGE_TABLE_RENAMED, m, NULL);
        ch->old_name = xstrdup(m->renamed_from);
        ch->database = xstrdup(t->name);
        ch->local = xstrdup(m->renamed_from);
        ch->moved = MOVED_DATABASE;
    }

    char **cols = field_columns(st->in->files[m->target], c);
    diff_names names;
    diff_names_init(&names, t, cols, c->nfields);
    const py_field **renamed = xcalloc(t->ncolumns + 1, sizeof *renamed);
    for (size_t i = 0; ot && ot != t && i < t->ncolumns; i++) { /* itself: no renames */
        const sm_column *col = &t->columns[i];
        const sm_column *oc = table_find_column_attnum(ot, col->attnum);
        if (!oc || strcmp(oc->name, col->name) == 0)
            continue;
        const py_field *pf = find_field(c, &names, oc->name);
        if (pf && !find_field(c, &names, col->name) && !find_column(t, &names, oc->name))
            renamed[i] = pf;
    }

    for (size_t i = 0; i < t->ncolumns; i++) {
        const sm_column *col = &t->columns[i];
        if (renamed[i]) {
            sm_change *ch = add_change(st, CHANGE_COLUMN_RENAMED, m, col->name);
            ch->database = xstrdup(col->name);
            ch->local = xstrdup(renamed[i]->name);
            ch->old_name = xstrdup(renamed[i]->name);
            ch->column = col;
            ch->pyfield = renamed[i];
            ch->line = renamed[i]->line;
            ch->moved = MOVED_DATABASE;
            set_field_reason(st, ch, c, col->name);
            continue;
        }
        const py_field *pf = find_field(c, &names, col->name);
        /* the last sync is very often this very catalog (an unchanged database) */
        const sm_column *oc = ot == t ? col : ot ? table_find_column(ot, col->name) : NULL;
        if (!pf) {
            sm_change *ch = add_change(st, CHANGE_COLUMN_ADDED, m, col->name);
            ch->database = render_column(ctx, col, style);
            ch->column = col;
            ch->moved = moved_from(ot != NULL, oc == NULL, oc != NULL);
            set_field_reason(st, ch, c, col->name);
            continue;
        }
        annotation *local = annotation_of(st, pf->annotation);
        typemap_verdict v;
        if (!local->type) {
            warn_annotation(st, st->in->paths[m->target], c, pf, local->error);
            v = TYPEMAP_TYPE_CHANGED;
        } else {
            v = compare_annotation(local, ctx, col);
        }
        if (v != TYPEMAP_MATCH) {
            sm_change_kind kind = v == TYPEMAP_NULLABILITY_CHANGED ? CHANGE_COLUMN_NULLABILITY_CHANGED
                                                                  : CHANGE_COLUMN_TYPE_CHANGED;
            sm_change *ch = add_change(st, kind, m, col->name);
            ch->database = render_column(ctx, col, style);
            ch->local = xstrdup(pf->annotation);
            ch->column = col;
            ch->pyfield = pf;
            ch->line = pf->line;
            if (oc) {
                bool db_changed = column_def_changed(ctx, oc, col);
                bool local_changed = !local->type || compare_annotation(local, ctx, oc) != TYPEMAP_MATCH;
                ch->moved = moved_from(true, db_changed, local_changed);
            } else {
                ch->moved = moved_from(ot != NULL, true, false);
            }
        }
    }
    for (size_t i = 0; i < c->nfields; i++) {
        const py_field *pf = &c->fields[i];
        if (!cols[i] || find_column(t, &names, cols[i]))
            continue;
        bool is_rename_source = false;
        for (size_t k = 0; k < t->ncolumns; k++)
            if (renamed[k] == pf)
                is_rename_source = true;
        if (is_rename_source)
            continue;
        sm_change *ch = add_change(st, CHANGE_COLUMN_REMOVED, m, cols[i]);
        ch->local = xstrdup(pf->annotation);
        ch->pyfield = pf;
        ch->line = pf->line;
        bool was = ot && ot != t && table_find_column(ot, cols[i]); /* t has none (above) */
        ch->moved = moved_from(ot != NULL, was, !was);
    }
    diff_names_done(&names);
    free(renamed);
    free_columns(cols, c);
}

/* The file's annotation style: PEP 604 when any annotation uses '|', typing generics when
 * any uses List[ or Dict[. Empty files get Optional[T] and builtin generics. */
static void file_style(pytype_style *style, const py_file *f)
{
    style->pep604 = false;
    style->typing_generics = false;
    /* a file's annotations are interned (py_file.strings): 100,000 fields may spell a few
     * dozen texts, each looked at once here (a text a slot forgets is looked at again) */
    const char *seen[64] = { 0 };
    for (size_t i = 0; f && i < f->nclasses; i++) {
        const py_class *c = &f->classes[i];
        for (size_t k = 0; k < c->nfields; k++) {
            const char *a = c->fields[k].annotation;
            size_t slot = ((uintptr_t)a >> 3) % (sizeof seen / sizeof *seen);
            if (seen[slot] == a)
                continue;
            seen[slot] = a;
            if (strchr(a, '|'))
                style->pep604 = true;
            if (strstr(a, "List[") || strstr(a, "Dict["))
                style->typing_generics = true;
        }
    }
}

static bool class_name_taken(drift_state *st, const char *name, const char **why)
{
    if (settings_is_ignored(st->in->config, name)) {
        *why = "is ignored by the config";
        return true;
    }
    for (int is_enum = 0; is_enum < 2; is_enum++) {
        for (size_t i = lower_bound(st, false, is_enum, name); i < st->nlocals; i++) {
            const local_class *lc = &st->locals[st->by_name[i]];
            if (cmp_local_key(lc, is_enum, name, false) != 0)
                break;
            if (lc->ignored) {
                *why = "belongs to an ignored class";
                return true;
            }
        }
    }
    return false;
}

/* A class defined twice in one file: Python keeps the second, a splice would edit one of
 * them. Every change to either copy is refused, naming both lines, until one goes. */
static void mark_twice_defined(drift_state *st)
{
    sm_changeset *cs = st->cs;
    for (size_t i = 0; i < cs->n; i++) {
        sm_change *c = &cs->items[i];
        const py_file *f = c->cls ? st->in->files[c->target] : NULL;
        const py_class *other = NULL;
        for (size_t k = 0; f && k < f->nclasses && !other; k++)
            if (&f->classes[k] != c->cls && strcmp(f->classes[k].name, c->cls->name) == 0)
                other = &f->classes[k];
        if (!other)
            continue;
        int a = c->cls->line < other->line ? c->cls->line : other->line;
        int b = c->cls->line < other->line ? other->line : c->cls->line;
        free(c->reason);
        c->reason = xasprintf("class %s is defined twice in %s (lines %d and %d; Python keeps the "
                              "second): remove one copy", c->cls->name, c->file, a, b);
    }
}

static int cmp_change(const void *a, const void *b)
{
    const sm_change *x = a, *y = b;
    if (x->target != y->target)
        return (int)x->target - (int)y->target;
    int r = strcmp(x->class_name, y->class_name);
    if (r)
        return r;
    /* whole-object changes first, then keep creation order (stable by address) */
    bool wx = change_kind_is_whole_object(x->kind), wy = change_kind_is_whole_object(y->kind);
    if (wx != wy)
        return wx ? -1 : 1;
    return (x > y) - (x < y);
}

static void state_done(drift_state *st)
{
    for (size_t i = 0; i < st->nlocals; i++) {
        free(st->locals[i].marker);
        free(st->locals[i].marker_schema);
    }
    names_free(&st->taken);
    names_free(&st->local_names);
    free(st->locals);
    free(st->by_name);
    free(st->by_marker);
    annotations_free(st);
    free(st->name_error);
}

/* The changes of matches [from, to): each matched object's diff (diff_enum, diff_table),
 * or the object added when no class matched it. */
static void diff_matches(drift_state *st, size_t from, size_t to, const typemap_ctx *ctx,
                         const pytype_style *styles)
{
    const sm_catalog *old = st->in->last_sync;
    for (size_t i = from; i < to; i++) {
        drift_match *m = &st->cs->matches[i];
        if (m->local) {
            if (m->is_enum)
                diff_enum(st, m);
            else
                diff_table(st, m, ctx, &styles[m->target]);
            continue;
        }
        if (m->excluded)
            continue;
        bool was = old && (m->is_enum ? catalog_find_enum(old, m->enm->schema, m->enm->name) != NULL
                                      : catalog_find_table(old, m->table->schema, m->table->name) != NULL);
        sm_change *ch = add_change(st, m->is_enum ? CHANGE_ENUM_ADDED : CHANGE_TABLE_ADDED, m, NULL);
        ch->moved = moved_from(old != NULL, !was, was);
        const char *why = NULL;
        if (class_name_taken(st, m->class_name, &why))
            ch->reason = xasprintf("the class name %s %s (map the %s to another class with "
                                   "\"names\" in the config)",
                                   m->class_name, why, m->is_enum ? "enum" : "table");
    }
}

/* Half of the matches, diffed into st; the later half's st is a copy of the state whose
 * changes and warnings go into a changeset of their own (its matches are the shared ones,
 * read only), with an annotation cache of its own. */
typedef struct diff_half {
    drift_state *st;
    size_t from, to;
    const typemap_ctx *ctx;
    const pytype_style *styles;
} diff_half;

static void *diff_half_run(void *arg)
{
    diff_half *h = arg;
    diff_matches(h->st, h->from, h->to, h->ctx, h->styles);
    return NULL;
}

/* Below this many matches a second thread costs more than it saves. */
#define DIFF_THREAD_MIN_MATCHES 512

/* Every match's changes, in match order: at 5,000 tables the later half on a second
 * thread (the drift is the longest step after the catalog read, on one core of two), its
 * changes and warnings then put after the first half's, as one thread would have made
 * them. */
static void diff_all_matches(drift_state *st, const typemap_ctx *ctx, const pytype_style *styles)
{
    size_t n = st->cs->nmatches;
    if (n < DIFF_THREAD_MIN_MATCHES || st->in->threads == 1) {
        diff_matches(st, 0, n, ctx, styles);
        return;
    }
    sm_changeset part = { .matches = st->cs->matches, .nmatches = n };
    drift_state later_st = *st;
    later_st.cs = &part;
    later_st.annotations = NULL;
    later_st.annotations_size = later_st.annotations_used = 0;
    diff_half first = { st, 0, n / 2, ctx, styles }, later = { &later_st, n / 2, n, ctx, styles };
    parallel_pair(diff_half_run, &first, &later, true);
    sm_changeset *cs = st->cs;
    for (size_t i = 0; i < part.n; i++)
        *XPUSH(cs->items, cs->n, cs->cap) = part.items[i];
    for (size_t i = 0; i < part.nwarnings; i++)
        *XPUSH(cs->warnings, cs->nwarnings, cs->cap_warnings) = part.warnings[i];
    free(part.items);
    free(part.warnings);
    annotations_free(&later_st);
}

int drift_compute(sm_changeset **out, const drift_input *in, sm_error *err)
{
    drift_state st = { .in = in, .cs = xcalloc(1, sizeof(sm_changeset)) };
    collect_locals(&st);
    index_locals(&st);
    match_objects(&st);
    if (st.name_error) { /* SPEC 2: exit 2 before writing */
        int error = sm_error_set(err, ERR_CONFIG, "give each a class name of its own in \"names\"",
                                 "%s", st.name_error);
        state_done(&st);
        for (size_t i = 0; i < st.cs->nmatches; i++)
            st.cs->matches[i].local = NULL;
        drift_free(st.cs);
        return error;
    }

    /* the matching is done: enum classes are known from here on */
    typemap_ctx ctx = drift_typemap_ctx(st.cs, in->config, in->db);
    pytype_style styles[TARGET_COUNT];
    for (int t = 0; t < TARGET_COUNT; t++)
        file_style(&styles[t], in->files[t]);

    diff_all_matches(&st, &ctx, styles);
    sm_changeset *cs = st.cs;
    /* Classes only in the files. */
    for (size_t i = 0; i < st.nlocals; i++) {
        local_class *lc = &st.locals[i];
        if (lc->claimed || lc->ignored)
            continue;
        drift_match tmp = { .is_enum = lc->is_enum, .local = lc, .target = lc->target,
                            .class_name = (char *)lc->cls->name };
        sm_change *ch = add_change(&st, lc->is_enum ? CHANGE_ENUM_REMOVED : CHANGE_TABLE_REMOVED,
                                   &tmp, NULL);
        if (!ch->object) {
            /* the config may name it */
            const sm_name_pair *names = lc->is_enum ? in->config->enum_names : in->config->table_names;
            size_t n = lc->is_enum ? in->config->nenum_names : in->config->ntable_names;
            for (size_t k = 0; k < n; k++)
                if (strcmp(names[k].cls, lc->cls->name) == 0)
                    ch->object = xstrdup(names[k].db);
        }
        const sm_catalog *old = in->last_sync;
        bool was = false;
        if (old && ch->object)
            was = lc->is_enum ? catalog_find_enum(old, NULL, ch->object) != NULL
                              : catalog_find_table(old, NULL, ch->object) != NULL;
        if (old && !ch->object) {
            char *conv = NULL;
            for (size_t k = 0; !was && k < (lc->is_enum ? old->nenums : old->ntables); k++) {
                if (lc->is_enum) {
                    was = naming_enum_class_matches(old->enums[k].name, lc->cls->name);
                } else {
                    conv = naming_table_class(old->tables[k].name);
                    was = strcmp(conv, lc->cls->name) == 0;
                    free(conv);
                }
            }
        }
        ch->moved = moved_from(old != NULL, was, !was);
    }

    mark_twice_defined(&st);
    for (size_t i = 0; i < cs->n; i++) {
        finish_id(&cs->items[i]);
        cs->counts[cs->items[i].severity]++;
    }
    if (cs->n > 1) /* items is NULL when there is no change, and qsort's base must not be */
        qsort(cs->items, cs->n, sizeof *cs->items, cmp_change);
    state_done(&st);
    /* local_class pointers in matches are now dangling: matches keep only names. */
    for (size_t i = 0; i < cs->nmatches; i++)
        cs->matches[i].local = NULL;
    *out = cs;
    return 0;
}

static void change_done(sm_change *c)
{
    free(c->schema);
    free(c->object);
    free(c->class_name);
    free(c->member);
    free(c->database);
    free(c->local);
    for (size_t i = 0; i < c->ndatabase_list; i++)
        free(c->database_list[i]);
    free(c->database_list);
    for (size_t i = 0; i < c->nlocal_list; i++)
        free(c->local_list[i]);
    free(c->local_list);
    free(c->old_name);
    free(c->reason);
    free(c->note);
}

void drift_free(sm_changeset *cs)
{
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++)
        change_done(&cs->items[i]);
    free(cs->items);
    for (size_t i = 0; i < cs->nwarnings; i++)
        free(cs->warnings[i]);
    free(cs->warnings);
    for (size_t i = 0; i < cs->nmatches; i++) {
        free(cs->matches[i].class_name);
        free(cs->matches[i].wanted);
    }
    free(cs->matches);
    free(cs);
}

int drift_max_severity(const sm_changeset *cs)
{
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        if (cs->counts[s])
            return s;
    return -1;
}

size_t drift_count_at_least(const sm_changeset *cs, sm_severity sev)
{
    size_t n = 0;
    for (int s = sev; s < SEV_COUNT; s++)
        n += cs->counts[s];
    return n;
}

bool drift_change_matches(const sm_change *c, const char *word)
{
    size_t wl = strlen(word);
    if (wl >= 4 && wl <= 8 && strncmp(c->id, word, wl) == 0)
        return true;
    if (strcmp(change_kind_name(c->kind), word) == 0)
        return true;
    const char *names[2] = { c->object, c->class_name };
    for (int i = 0; i < 2; i++) {
        const char *n = names[i];
        if (!n)
            continue;
        size_t nl = strlen(n);
        if (strcmp(n, word) == 0)
            return true;
        if (c->member && strncmp(word, n, nl) == 0 && word[nl] == '.' &&
            strcmp(word + nl + 1, c->member) == 0)
            return true;
    }
    return false;
}

const char *drift_table_class(const sm_changeset *cs, const sm_table *t)
{
    for (size_t i = 0; cs && i < cs->nmatches; i++) {
        const drift_match *m = &cs->matches[i];
        if (!m->is_enum && m->table && strcmp(m->table->schema, t->schema) == 0 &&
            strcmp(m->table->name, t->name) == 0)
            return m->class_name;
    }
    return NULL;
}

const sm_table *drift_class_table(const sm_changeset *cs, const char *class_name)
{
    for (size_t i = 0; i < cs->nmatches; i++) {
        const drift_match *m = &cs->matches[i];
        if (!m->is_enum && m->class_name && strcmp(m->class_name, class_name) == 0)
            return m->table;
    }
    return NULL;
}

const sm_enum *drift_class_enum(const sm_changeset *cs, const char *class_name)
{
    for (size_t i = 0; i < cs->nmatches; i++) {
        const drift_match *m = &cs->matches[i];
        if (m->is_enum && m->class_name && strcmp(m->class_name, class_name) == 0)
            return m->enm;
    }
    return NULL;
}
