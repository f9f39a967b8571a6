/* render.c: turning a change list into text. The wording of a change lives here once
 * (render_change_title), for the diff, the report, the UI and commit messages. */
#include "config.h"
#include "render.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

static const char *const sev_color[SEV_COUNT] = {
    [SEV_LOW] = "\033[36m", [SEV_MEDIUM] = "\033[33m", [SEV_HIGH] = "\033[35m",
    [SEV_CRITICAL] = "\033[1;31m",
};
#define COLOR_RESET "\033[0m"
#define COLOR_BOLD "\033[1m"
#define COLOR_DIM "\033[2m"

static char change_sign(const sm_change *c)
{
    switch (c->kind) {
    case CHANGE_ENUM_ADDED: case CHANGE_TABLE_ADDED: case CHANGE_ENUM_VALUE_ADDED:
    case CHANGE_COLUMN_ADDED:
        return '+';
    case CHANGE_ENUM_REMOVED: case CHANGE_TABLE_REMOVED: case CHANGE_ENUM_VALUE_REMOVED:
    case CHANGE_COLUMN_REMOVED:
        return '-';
    default:
        return '~';
    }
}

/* A change as text output shows it: a shallow copy whose strings from the database or the
 * files are escaped where they hold what a terminal must not see raw (utf8.h). JSON and
 * SARIF use the change itself: they carry the exact values. */
typedef struct shown_change {
    sm_change c;
    char **owned;
    size_t nowned, cap;
} shown_change;

static char *shown_str(shown_change *s, char *v)
{
    if (!v || !utf8_needs_escape(v))
        return v;
    char *e = utf8_escaped(v);
    *XPUSH(s->owned, s->nowned, s->cap) = e;
    return e;
}

static char **shown_list(shown_change *s, char **v, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = utf8_needs_escape(v[i]);
    if (!any)
        return v;
    char **copy = xcalloc(n + 1, sizeof *copy);
    for (size_t i = 0; i < n; i++)
        copy[i] = shown_str(s, v[i]);
    *XPUSH(s->owned, s->nowned, s->cap) = (char *)copy;
    return copy;
}

static void shown_init(shown_change *s, const sm_change *c)
{
    memset(s, 0, sizeof *s);
    s->c = *c;
    s->c.file = shown_str(s, (char *)c->file);
    s->c.schema = shown_str(s, c->schema);
    s->c.object = shown_str(s, c->object);
    s->c.class_name = shown_str(s, c->class_name);
    s->c.member = shown_str(s, c->member);
    s->c.database = shown_str(s, c->database);
    s->c.local = shown_str(s, c->local);
    s->c.old_name = shown_str(s, c->old_name);
    s->c.reason = shown_str(s, c->reason);
    s->c.note = shown_str(s, c->note);
    s->c.database_list = shown_list(s, c->database_list, c->ndatabase_list);
    s->c.local_list = shown_list(s, c->local_list, c->nlocal_list);
}

static void shown_done(shown_change *s)
{
    for (size_t i = 0; i < s->nowned; i++)
        free(s->owned[i]);
    free(s->owned);
}

/* The title with the change's strings as they are (SARIF's message). */
static void change_title(strbuf *out, const sm_change *c)
{
    const char *cls = c->class_name;
    switch (c->kind) {
    case CHANGE_ENUM_ADDED:
        strbuf_addf(out, "Add enum %s (%s)", cls, c->object);
        break;
    case CHANGE_TABLE_ADDED:
        strbuf_addf(out, "Add %s (table %s)", cls, c->object);
        break;
    case CHANGE_ENUM_REMOVED:
    case CHANGE_TABLE_REMOVED:
        strbuf_addf(out, "Remove %s", cls);
        break;
    case CHANGE_ENUM_RENAMED:
    case CHANGE_TABLE_RENAMED:
        strbuf_addf(out, "Rename %s %s to %s in %s", c->kind == CHANGE_ENUM_RENAMED ? "enum" : "table",
                    c->old_name, c->database, cls);
        break;
    case CHANGE_ENUM_VALUE_ADDED:
        strbuf_addf(out, "Add %s value %s", cls, c->member);
        break;
    case CHANGE_ENUM_VALUE_REMOVED:
        strbuf_addf(out, "Remove %s value %s", cls, c->member);
        break;
    case CHANGE_ENUM_VALUE_RENAMED:
        strbuf_addf(out, "Rename %s value %s to %s", cls, c->old_name, c->member);
        break;
    case CHANGE_ENUM_VALUES_REORDERED:
        strbuf_addf(out, "Reorder %s values", cls);
        break;
    case CHANGE_COLUMN_ADDED:
        strbuf_addf(out, "Add %s.%s", cls, c->member);
        break;
    case CHANGE_COLUMN_REMOVED:
        strbuf_addf(out, "Remove %s.%s", cls, c->member);
        break;
    case CHANGE_COLUMN_RENAMED:
        strbuf_addf(out, "Rename %s.%s to %s", cls, c->old_name, c->member);
        break;
    case CHANGE_COLUMN_TYPE_CHANGED:
    case CHANGE_COLUMN_NULLABILITY_CHANGED:
        strbuf_addf(out, "Change %s.%s to %s", cls, c->member, c->database);
        break;
    case CHANGE_KIND_COUNT:
        break;
    }
}

void render_change_title(strbuf *out, const sm_change *c)
{
    shown_change s;
    shown_init(&s, c);
    change_title(out, &s.c);
    shown_done(&s);
}

/* The detail of one change as a diff line: "+ pending", "~ max_members: int -> Optional[int]" */
static void change_detail(strbuf *out, const sm_change *c)
{
    strbuf_addch(out, change_sign(c));
    strbuf_addch(out, ' ');
    switch (c->kind) {
    case CHANGE_ENUM_ADDED:
    case CHANGE_TABLE_ADDED:
        strbuf_addf(out, "%s %s (new %s)", c->kind == CHANGE_ENUM_ADDED ? "enum" : "table",
                    c->object, c->class_name);
        break;
    case CHANGE_ENUM_REMOVED:
    case CHANGE_TABLE_REMOVED:
        strbuf_addf(out, "class %s (no %s %s in the database)", c->class_name,
                    c->kind == CHANGE_ENUM_REMOVED ? "enum" : "table", c->object ? c->object : "of that name");
        break;
    case CHANGE_ENUM_RENAMED:
    case CHANGE_TABLE_RENAMED:
    case CHANGE_ENUM_VALUE_RENAMED:
    case CHANGE_COLUMN_RENAMED:
        strbuf_addf(out, "%s -> %s (renamed in the database)", c->old_name, c->database);
        break;
    case CHANGE_ENUM_VALUE_ADDED:
    case CHANGE_ENUM_VALUE_REMOVED:
        strbuf_addf(out, "value '%s'", c->member);
        break;
    case CHANGE_ENUM_VALUES_REORDERED:
        strbuf_adds(out, "order: database ");
        for (size_t i = 0; i < c->ndatabase_list; i++)
            strbuf_addf(out, "%s%s", i ? ", " : "", c->database_list[i]);
        strbuf_adds(out, "; local ");
        for (size_t i = 0; i < c->nlocal_list; i++)
            strbuf_addf(out, "%s%s", i ? ", " : "", c->local_list[i]);
        break;
    case CHANGE_COLUMN_ADDED:
        strbuf_addf(out, "%s: %s", c->member, c->database);
        break;
    case CHANGE_COLUMN_REMOVED:
        strbuf_addf(out, "%s: %s", c->member, c->local);
        break;
    case CHANGE_COLUMN_TYPE_CHANGED:
    case CHANGE_COLUMN_NULLABILITY_CHANGED:
        strbuf_addf(out, "%s: %s -> %s", c->member, c->local, c->database);
        break;
    case CHANGE_KIND_COUNT:
        break;
    }
}

void render_summary(strbuf *out, const sm_changeset *cs)
{
    render_counts(out, cs->n, cs->counts);
}

void render_counts(strbuf *out, size_t n, const size_t counts[SEV_COUNT])
{
    if (n == 0) {
        strbuf_adds(out, "in sync");
        return;
    }
    strbuf_addf(out, "%zu change%s:", n, n == 1 ? "" : "s");
    bool first = true;
    for (int s = SEV_COUNT - 1; s >= 0; s--) {
        if (!counts[s])
            continue;
        strbuf_addf(out, "%s %zu %s", first ? "" : ",", counts[s], severity_name((sm_severity)s));
        first = false;
    }
}

void render_diff_text(strbuf *out, const sm_changeset *cs, bool color)
{
    const char *last_file = NULL, *last_class = NULL;
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *raw = &cs->items[i];
        shown_change shown;
        shown_init(&shown, raw);
        const sm_change *c = &shown.c;
        if (!last_file || strcmp(last_file, c->file) != 0) {
            strbuf_addf(out, "%s%s%s\n", color ? COLOR_BOLD : "", c->file, color ? COLOR_RESET : "");
            last_file = c->file;
            last_class = NULL;
        }
        if (!last_class || strcmp(last_class, raw->class_name) != 0) {
            bool is_enum = change_kind_is_enum(c->kind);
            if (c->object)
                strbuf_addf(out, "  %s (%s %s)\n", c->class_name, is_enum ? "enum" : "table", c->object);
            else
                strbuf_addf(out, "  %s\n", c->class_name);
        }
        last_class = raw->class_name;
        strbuf tag = STRBUF_INIT;
        strbuf_addf(&tag, "[%s]", severity_tag(c->severity));
        strbuf_addf(out, "    %s%-10s%s ", color ? sev_color[c->severity] : "", tag.buf,
                    color ? COLOR_RESET : "");
        strbuf_release(&tag);
        size_t detail_start = out->len;
        change_detail(out, c);
        /* align the id column; width counts code points, not bytes */
        size_t width = utf8_count(out->buf + detail_start, out->len - detail_start);
        strbuf_addrepeat(out, ' ', width < 40 ? 40 - width : 1);
        strbuf_addf(out, " %s%s %s", color ? COLOR_DIM : "", c->id, change_kind_name(c->kind));
        if (c->moved != MOVED_UNKNOWN)
            strbuf_addf(out, ", moved: %s", moved_name(c->moved));
        strbuf_addf(out, "%s\n", color ? COLOR_RESET : "");
        if (c->reason)
            strbuf_addf(out, "               cannot apply: %s\n", c->reason);
        else if (c->note)
            strbuf_addf(out, "               note: %s\n", c->note);
        shown_done(&shown);
    }
    for (size_t i = 0; i < cs->nwarnings; i++) {
        strbuf_adds(out, "warning: ");
        utf8_escape_unsafe(out, cs->warnings[i], strlen(cs->warnings[i]));
        strbuf_addch(out, '\n');
    }
    if (cs->n) {
        strbuf_addch(out, '\n');
    }
    render_summary(out, cs);
    strbuf_addch(out, '\n');
}

static cJSON *json_str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *json_list(char **v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

void render_diff_json(strbuf *out, const sm_changeset *cs, const char *db_hash)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "format", 1);
    cJSON_AddItemToObject(root, "db_hash", json_str_or_null(db_hash));
    cJSON *changes = cJSON_AddArrayToObject(root, "changes");
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "kind", change_kind_name(c->kind));
        cJSON_AddStringToObject(o, "severity", severity_name(c->severity));
        cJSON_AddStringToObject(o, "file", c->file);
        cJSON_AddItemToObject(o, "object", json_str_or_null(c->object));
        cJSON_AddStringToObject(o, "class", c->class_name);
        if (c->member)
            cJSON_AddStringToObject(o, "member", c->member);
        if (c->kind == CHANGE_ENUM_VALUES_REORDERED) {
            cJSON_AddItemToObject(o, "database", json_list(c->database_list, c->ndatabase_list));
            cJSON_AddItemToObject(o, "local", json_list(c->local_list, c->nlocal_list));
        } else if (change_kind_is_whole_object(c->kind) && c->kind != CHANGE_ENUM_RENAMED &&
                   c->kind != CHANGE_TABLE_RENAMED) {
            cJSON_AddNullToObject(o, "database");
            cJSON_AddNullToObject(o, "local");
        } else {
            cJSON_AddItemToObject(o, "database", json_str_or_null(c->database));
            cJSON_AddItemToObject(o, "local", json_str_or_null(c->local));
        }
        cJSON_AddStringToObject(o, "moved", moved_name(c->moved));
        if (c->old_name)
            cJSON_AddStringToObject(o, "old_name", c->old_name);
        if (c->line)
            cJSON_AddNumberToObject(o, "line", c->line);
        if (c->reason)
            cJSON_AddStringToObject(o, "cannot_apply", c->reason);
        if (c->note)
            cJSON_AddStringToObject(o, "note", c->note);
        cJSON_AddItemToArray(changes, o);
    }
    char *text = cJSON_Print(root);
    strbuf_adds(out, text);
    strbuf_addch(out, '\n');
    cJSON_free(text);
    cJSON_Delete(root);
}

static const char *recommended_action(const sm_change *c)
{
    switch (c->kind) {
    case CHANGE_ENUM_ADDED:
    case CHANGE_TABLE_ADDED:
        return "`schemerge update` generates the class";
    case CHANGE_ENUM_REMOVED:
    case CHANGE_TABLE_REMOVED:
        return "breaking: find the uses of the class, then `schemerge update --only ID` (or --prune) removes it";
    case CHANGE_ENUM_VALUE_REMOVED:
    case CHANGE_COLUMN_REMOVED:
        return "breaking: find the uses, then `schemerge update` removes it";
    case CHANGE_COLUMN_TYPE_CHANGED:
        return "check the code that reads this field, then `schemerge update`";
    case CHANGE_ENUM_RENAMED:
    case CHANGE_TABLE_RENAMED:
    case CHANGE_ENUM_VALUE_RENAMED:
    case CHANGE_COLUMN_RENAMED:
        return "rename the uses, then `schemerge update` renames it in place";
    default:
        return "`schemerge update`";
    }
}

static void md_escape(strbuf *out, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("|`*_<>[]\\", *s))
            strbuf_addch(out, '\\');
        if (*s == '\n')
            strbuf_adds(out, " ");
        else
            strbuf_addch(out, *s);
    }
}

static void report_section(strbuf *out, const sm_changeset *cs, bool enums)
{
    size_t n = 0;
    for (size_t i = 0; i < cs->n; i++)
        if (change_kind_is_enum(cs->items[i].kind) == enums)
            n++;
    strbuf_addf(out, "\n## %s (%zu)\n\n", enums ? "Enums" : "Tables", n);
    if (!n) {
        strbuf_adds(out, "No changes.\n");
        return;
    }
    strbuf_adds(out, "| Severity | Change | Kind | File | Moved | ID | Recommended action |\n"
                     "|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        if (change_kind_is_enum(c->kind) != enums)
            continue;
        strbuf title = STRBUF_INIT, detail = STRBUF_INIT;
        shown_change shown;
        shown_init(&shown, c);
        change_title(&title, &shown.c);
        change_detail(&detail, &shown.c);
        strbuf_addf(out, "| %s | ", severity_tag(c->severity));
        md_escape(out, title.buf);
        strbuf_adds(out, " (");
        md_escape(out, detail.buf + 2);
        strbuf_addf(out, ") | %s | %s | %s | `%s` | ", change_kind_name(c->kind), c->file,
                    moved_name(c->moved), c->id);
        if (c->reason) {
            strbuf_adds(out, "cannot be applied: ");
            md_escape(out, shown.c.reason);
        } else {
            /* our own Markdown (code spans): escaping it would show the backticks */
            strbuf_adds(out, recommended_action(c));
        }
        strbuf_adds(out, " |\n");
        shown_done(&shown);
        strbuf_release(&title);
        strbuf_release(&detail);
    }
}

void render_report(strbuf *out, const sm_project *p, const char *generated_at)
{
    const sm_changeset *cs = p->changes;
    strbuf_adds(out, "# Schema drift report\n\n");
    strbuf_addf(out, "- Generated: %s\n", generated_at);
    strbuf_addf(out, "- Database hash: `%s`\n", project_db_hash(p));
    strbuf_addf(out, "- Tables: %zu, enums: %zu (schemas:", p->db->ntables, p->db->nenums);
    for (size_t i = 0; i < p->db->nschemas; i++) {
        strbuf_addch(out, ' ');
        utf8_escape_unsafe(out, p->db->schemas[i], strlen(p->db->schemas[i]));
    }
    strbuf_adds(out, ")\n");
    strbuf_adds(out, "- Files:");
    for (int t = 0; t < TARGET_COUNT; t++)
        strbuf_addf(out, " `%s`%s", p->paths[t], p->files[t] ? "" : " (missing)");
    strbuf_adds(out, "\n\n## Summary\n\n");
    if (!cs->n)
        strbuf_adds(out, "The local files are in sync with the database.\n\n");
    strbuf_adds(out, "| Severity | Changes |\n|---|---|\n");
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        strbuf_addf(out, "| %s | %zu |\n", severity_tag((sm_severity)s), cs->counts[s]);
    strbuf_addf(out, "| **Total** | **%zu** |\n", cs->n);
    report_section(out, cs, true);
    report_section(out, cs, false);
    if (cs->nwarnings) {
        strbuf_adds(out, "\n## Warnings\n\n");
        for (size_t i = 0; i < cs->nwarnings; i++) {
            strbuf_adds(out, "- ");
            md_escape(out, cs->warnings[i]);
            strbuf_addch(out, '\n');
        }
    }
    strbuf_adds(out, "\n## Next steps\n\n"
                     "1. Review the changes above (`schemerge diff`, or `schemerge` for the interactive view).\n"
                     "2. Apply them: `schemerge update` (classes removed from the database only with `--prune`).\n"
                     "3. Run the tests, then `schemerge commit`.\n");
}

static const char *sarif_level(sm_severity s)
{
    return s >= SEV_HIGH ? "error" : s == SEV_MEDIUM ? "warning" : "note";
}

void render_diff_sarif(strbuf *out, const sm_project *p)
{
    const sm_changeset *cs = p->changes;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "schemerge");
    cJSON_AddStringToObject(driver, "version", PACKAGE_VERSION);
    if (PACKAGE_URL[0]) /* optional in SARIF; the package names no home page */
        cJSON_AddStringToObject(driver, "informationUri", PACKAGE_URL);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (int k = 0; k < CHANGE_KIND_COUNT; k++) {
        cJSON *rule = cJSON_CreateObject();
        cJSON_AddStringToObject(rule, "id", change_kind_name((sm_change_kind)k));
        cJSON *desc = cJSON_AddObjectToObject(rule, "shortDescription");
        strbuf text = STRBUF_INIT;
        strbuf_addf(&text, "schema drift: %s", change_kind_name((sm_change_kind)k));
        cJSON_AddStringToObject(desc, "text", text.buf);
        strbuf_release(&text);
        cJSON *conf = cJSON_AddObjectToObject(rule, "defaultConfiguration");
        cJSON_AddStringToObject(conf, "level", sarif_level(p->config->severity[k]));
        cJSON_AddItemToArray(rules, rule);
    }
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        const py_file *f = p->files[c->target];
        int line = c->line;
        if (line <= 0)
            line = f && f->len ? pyfile_line_of(f, f->len - 1) : 1;
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "ruleId", change_kind_name(c->kind));
        cJSON_AddNumberToObject(r, "ruleIndex", c->kind);
        cJSON_AddStringToObject(r, "level", sarif_level(c->severity));
        strbuf msg = STRBUF_INIT, detail = STRBUF_INIT;
        change_title(&msg, c);
        change_detail(&detail, c);
        strbuf_addf(&msg, " [%s] (%s; id %s)", severity_tag(c->severity), detail.buf + 2, c->id);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "message"), "text", msg.buf);
        strbuf_release(&msg);
        strbuf_release(&detail);
        cJSON *loc = cJSON_CreateObject();
        cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(phys, "artifactLocation"), "uri", c->file);
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(phys, "region"), "startLine", line);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "locations"), loc);
        cJSON *props = cJSON_AddObjectToObject(r, "properties");
        cJSON_AddStringToObject(props, "severity", severity_name(c->severity));
        cJSON_AddStringToObject(props, "changeId", c->id);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "partialFingerprints"), "schemergeChange/v1", c->id);
        cJSON_AddItemToArray(results, r);
    }
    char *text = cJSON_Print(root);
    strbuf_adds(out, text);
    strbuf_addch(out, '\n');
    cJSON_free(text);
    cJSON_Delete(root);
}
