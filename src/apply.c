/* apply.c: plan, merge, write. The plan is pure (no writes); apply_plan_write is the one
 * place where schema files are written, always after a backup and always atomically. */
#include "config.h"
#include "apply.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apigen.h"
#include "backup.h"
#include "edit.h"
#include "fsutil.h"
#include "hash.h"
#include "state.h"
#include "typemap.h"
#include "verdicts.h"
#include "writer.h"
#include "xalloc.h"

/* "schemas/enums.py" -> "schemas.enums" */
static char *module_of(const char *path)
{
    char *m = xstrdup(path);
    size_t n = strlen(m);
    if (n > 3 && strcmp(m + n - 3, ".py") == 0)
        m[n - 3] = '\0';
    for (char *p = m; *p; p++)
        if (*p == '/')
            *p = '.';
    return m;
}

static void add_failure(apply_plan *plan, const sm_change *c, char *reason)
{
    plan->failed = xrealloc(plan->failed, (plan->nfailed + 1) * sizeof *plan->failed);
    plan->failed[plan->nfailed].change = c;
    plan->failed[plan->nfailed].reason = reason;
    plan->nfailed++;
}

/* Splice the accepted changes of one file (edit_build drops a change it refuses and
 * builds again without it); the refused ones are the plan's failures. */
static int build_theirs(apply_plan *plan, apply_file *af, const sm_project *p, sm_target t,
                        const sm_change **mine, size_t n, sm_error *err)
{
    typemap_ctx ctx = drift_typemap_ctx(p->changes, p->config, p->db);
    char *enums_module = module_of(p->paths[TARGET_ENUMS]);
    char **reasons = xcalloc(n + 1, sizeof *reasons);
    strbuf sb = STRBUF_INIT;
    edit_request req = { .base = p->files[t], .target = t, .enums_module = enums_module,
                         .changes = mine, .nchanges = n, .types = &ctx };
    int error = edit_build(&sb, &req, reasons, err);
    free(af->theirs);
    af->theirs = strbuf_detach(&sb, &af->theirs_len);
    for (size_t i = 0; i < n; i++) {
        if (reasons[i]) {
            add_failure(plan, mine[i], reasons[i]);
        } else if (error >= 0) {
            plan->applied = xrealloc(plan->applied, (plan->napplied + 1) * sizeof *plan->applied);
            plan->applied[plan->napplied++] = mine[i];
        }
    }
    free(reasons);
    free(enums_module);
    return error;
}

static int plan_nfiles(const apply_plan *plan)
{
    return TARGET_COUNT + (int)plan->nextra;
}

/* The generated API schemas as an extra file of the plan (issue 9): theirs is the file on
 * disk with its managed classes regenerated; base and ours are the file on disk, so the
 * merge keeps every byte apigen does not regenerate. Untouched when nothing differs. */
static int build_api_target(apply_plan *plan, const sm_project *p, sm_error *err)
{
    const char *path = p->config->pydantic_target;
    apply_file *af = &plan->files[TARGET_COUNT + plan->nextra];
    char *abs = project_path(p, path), *text = NULL;
    size_t len = 0;
    int error = fs_read_file(&text, &len, abs, err);
    free(abs);
    if (error == ERR_NOT_FOUND) {
        sm_error_clear(err);
        error = 0;
    } else if (error < 0) {
        return error;
    }
    char *enums_module = module_of(p->paths[TARGET_ENUMS]);
    apigen_request req = { .path = path, .base = text, .base_len = len, .db = p->db,
                           .config = p->config, .changes = p->changes, .enums_module = enums_module };
    strbuf sb = STRBUF_INIT;
    char **failures = NULL;
    size_t nfailures = 0;
    error = apigen_build(&sb, &req, &failures, &nfailures, err);
    free(enums_module);
    for (size_t i = 0; i < nfailures; i++) /* whole messages: no change of the changeset */
        add_failure(plan, NULL, failures[i]);
    free(failures);
    if (error < 0 || (text && sb.len == len && memcmp(sb.buf, text, len) == 0)) {
        strbuf_release(&sb);
        free(text);
        return error;
    }
    plan->nextra++;
    af->path = path;
    af->selected = true;
    af->base_existed = af->ours_existed = text != NULL;
    af->base = text ? text : xstrdup("");
    af->base_len = len;
    af->ours = xstrndup(af->base, len);
    af->ours_len = len;
    af->theirs = strbuf_detach(&sb, &af->theirs_len);
    error = merge_three(&af->merge, af->base, af->base_len, af->ours, af->ours_len, af->theirs,
                        af->theirs_len, af->path, err);
    if (error >= 0 && !af->merge->conflicted) {
        af->result = xstrndup(af->merge->text, af->merge->len);
        af->result_len = af->merge->len;
    }
    return error < 0 ? error : 0;
}

static bool is_class_removal(const sm_change *c)
{
    return c->kind == CHANGE_TABLE_REMOVED || c->kind == CHANGE_ENUM_REMOVED;
}

const char *apply_left_reason(const sm_change *c, const apply_selection *sel)
{
    if (sel->nonly || c->severity < sel->min_severity)
        return NULL;
    if (is_class_removal(c) && !sel->prune)
        return "removes a class; apply it with --prune or --only ID";
    if (c->moved == MOVED_LOCAL)
        return "changed in the file since the last sync; apply it with --only ID";
    return NULL;
}

int apply_select(bool *selected, const sm_changeset *cs, const apply_selection *sel, sm_error *err)
{
    for (size_t w = 0; w < sel->nonly; w++) {
        const char *word = sel->only[w];
        bool any = change_kind_parse(word) >= 0;
        /* an id prefix must name one change: two ids that share it would both be applied */
        const sm_change *by_id = NULL;
        size_t wl = strlen(word);
        for (size_t i = 0; i < cs->n; i++) {
            const sm_change *c = &cs->items[i];
            any = any || drift_change_matches(c, word);
            if (wl >= 4 && wl < 8 && strncmp(c->id, word, wl) == 0) {
                if (by_id && strcmp(by_id->id, c->id) != 0)
                    return sm_error_set(err, ERR_USAGE, "give more digits of the id",
                                        "'%s' is the start of more than one change id (%s, %s)",
                                        word, by_id->id, c->id);
                by_id = c;
            }
        }
        if (!any)
            return sm_error_set(err, ERR_USAGE, "see the ids and kinds in 'schemerge diff'",
                                "no change matches '%s'", word);
    }
    for (size_t i = 0; i < cs->n; i++) {
        const sm_change *c = &cs->items[i];
        bool take = false;
        for (size_t w = 0; w < sel->nonly && !take; w++)
            take = drift_change_matches(c, sel->only[w]);
        if (!sel->nonly)
            take = !apply_left_reason(c, sel);
        selected[i] = take && c->severity >= sel->min_severity;
    }
    return 0;
}

int apply_plan_build(apply_plan **out, const sm_project *p, const bool *selected, sm_error *err)
{
    apply_plan *plan = xcalloc(1, sizeof *plan);
    plan->changes = p->changes;
    const sm_changeset *cs = p->changes;
    const sm_change **mine = xcalloc(cs->n + 1, sizeof *mine);
    int error = 0;
    for (int t = 0; t < TARGET_COUNT && error >= 0; t++) {
        apply_file *af = &plan->files[t];
        af->path = p->paths[t];
        size_t n = 0;
        for (size_t i = 0; i < cs->n; i++) {
            if (!selected[i] || cs->items[i].target != (sm_target)t)
                continue;
            if (cs->items[i].reason)
                add_failure(plan, &cs->items[i], xstrdup(cs->items[i].reason));
            else
                mine[n++] = &cs->items[i];
        }
        if (!n)
            continue;
        af->selected = true;
        const py_file *f = p->files[t];
        af->base_existed = f != NULL;
        af->base = f ? xstrndup(f->text, f->len) : xstrdup("");
        af->base_len = f ? f->len : 0;
        if ((error = build_theirs(plan, af, p, (sm_target)t, mine, n, err)) < 0)
            break;
        char *abs = project_path(p, af->path);
        error = fs_read_file(&af->ours, &af->ours_len, abs, err);
        free(abs);
        if (error == ERR_NOT_FOUND) {
            sm_error_clear(err);
            error = 0;
            af->ours = xstrdup("");
            af->ours_len = 0;
        } else if (error < 0) {
            break;
        } else {
            af->ours_existed = true;
        }
        error = merge_three(&af->merge, af->base, af->base_len, af->ours, af->ours_len, af->theirs,
                            af->theirs_len, af->path, err);
        if (error < 0)
            break;
        if (!af->merge->conflicted) {
            af->result = xstrndup(af->merge->text, af->merge->len);
            af->result_len = af->merge->len;
        }
    }
    free(mine);
    if (error >= 0 && p->config->pydantic_target)
        error = build_api_target(plan, p, err);
    if (error < 0) {
        apply_plan_free(plan);
        return error;
    }
    *out = plan;
    return 0;
}

int apply_plan_build_reviewed(apply_plan **out, const sm_project *p, const char *const *reviewed,
                              const size_t *reviewed_len, const char *const *ids, size_t nids,
                              sm_error *err)
{
    *out = NULL;
    py_file *files[TARGET_COUNT] = { 0 };
    int error = 0;
    /* the project as it was reviewed: the same catalog and state, the reviewed texts */
    sm_project q = *p;
    for (int t = 0; t < TARGET_COUNT; t++) {
        if (!reviewed[t])
            continue;
        if ((error = pyfile_parse(&files[t], p->paths[t], reviewed[t], reviewed_len[t], err)) < 0)
            goto fail;
        q.files[t] = files[t];
    }
    drift_input in = { .db = p->db, .last_sync = p->last_sync, .config = p->config };
    for (int t = 0; t < TARGET_COUNT; t++) {
        in.files[t] = q.files[t];
        in.paths[t] = p->paths[t];
    }
    sm_changeset *cs = NULL;
    if ((error = drift_compute(&cs, &in, err)) < 0)
        goto fail;
    q.changes = cs;
    bool *selected = xcalloc(cs->n + 1, sizeof *selected);
    for (size_t i = 0; i < cs->n; i++)
        for (size_t k = 0; k < nids && !selected[i]; k++)
            selected[i] = strcmp(cs->items[i].id, ids[k]) == 0;
    apply_plan *plan = NULL;
    error = apply_plan_build(&plan, &q, selected, err);
    free(selected);
    if (error < 0) {
        drift_free(cs);
        goto fail;
    }
    /* an accepted change the reviewed text does not have (accepted after an edit made
     * it) is said, not dropped in silence */
    for (size_t k = 0; k < nids; k++) {
        bool found = false;
        for (size_t i = 0; i < cs->n && !found; i++)
            found = strcmp(cs->items[i].id, ids[k]) == 0;
        for (size_t i = 0; !found && p->changes && i < p->changes->n; i++)
            if (strcmp(p->changes->items[i].id, ids[k]) == 0) {
                add_failure(plan, &p->changes->items[i],
                            xstrdup("the file was edited after the other changes of it were accepted, "
                                    "and this change comes from that edit: apply the others, then this one"));
                found = true;
            }
    }
    plan->owned_changes = cs;
    for (int t = 0; t < TARGET_COUNT; t++)
        plan->owned_files[t] = files[t];
    *out = plan;
    return 0;
fail:
    for (int t = 0; t < TARGET_COUNT; t++)
        pyfile_free(files[t]);
    return error;
}

bool apply_plan_conflicted(const apply_plan *plan)
{
    for (int t = 0; t < plan_nfiles(plan); t++)
        if (plan->files[t].merge && !plan->files[t].result)
            return true;
    return false;
}

size_t apply_plan_conflicts(const apply_plan *plan, sm_target t)
{
    const apply_file *af = &plan->files[t];
    return af->merge && !af->result ? merge_conflict_count(af->merge) : 0;
}

int apply_plan_resolve(apply_plan *plan, sm_target t, const merge_choice *choices,
                       const char *const *custom_texts, sm_error *err)
{
    apply_file *af = &plan->files[t];
    if (!af->merge)
        return sm_error_set(err, ERR_APPLY, NULL, "%s has nothing to resolve", af->path);
    size_t len = 0;
    char *text = merge_resolve(af->merge, choices, custom_texts, &len);
    if (!text)
        return sm_error_set(err, ERR_APPLY, NULL, "cannot resolve the conflicts of %s", af->path);
    free(af->result);
    af->result = text;
    af->result_len = len;
    return 0;
}

static bool file_changes(const apply_file *af)
{
    return af->result && (af->result_len != af->ours_len || memcmp(af->result, af->ours, af->ours_len) != 0 ||
                          !af->ours_existed);
}

bool apply_plan_changes_files(const apply_plan *plan)
{
    for (int t = 0; t < plan_nfiles(plan); t++)
        if (file_changes(&plan->files[t]))
            return true;
    return false;
}

int apply_plan_diff(strbuf *out, const apply_plan *plan, sm_error *err)
{
    for (int t = 0; t < plan_nfiles(plan); t++) {
        const apply_file *af = &plan->files[t];
        if (!file_changes(af))
            continue;
        int error = diff_unified(out, af->ours_existed ? af->path : "/dev/null", af->ours, af->ours_len,
                                 af->path, af->result, af->result_len, err);
        if (error < 0)
            return error;
    }
    return 0;
}

static int make_parent_dirs(const char *abs_path, sm_error *err)
{
    char *dir = xstrdup(abs_path);
    char *slash = strrchr(dir, '/');
    int error = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        error = fs_mkdir_p(dir, 0755, err);
    }
    free(dir);
    return error;
}

/* Remove ROOT/DIR/.NAME.tmp-<16 hex digits> and .NAME.old-<16 hex digits>: the temporary
 * files and kept originals of fs_txn for rel that a process killed outside a journaled
 * commit left behind, so that after a crash the next apply leaves no litter. Best effort:
 * a file that cannot be removed is only litter. */
static void remove_stale_temps(const sm_project *p, const char *rel)
{
    char *abs = project_path(p, rel);
    char *slash = strrchr(abs, '/');
    *slash = '\0';
    char *prefix = xasprintf(".%s.", slash + 1);
    size_t pl = strlen(prefix);
    DIR *d = opendir(abs);
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *rest = e->d_name + pl;
        if (strncmp(e->d_name, prefix, pl) != 0 ||
            (strncmp(rest, "tmp-", 4) != 0 && strncmp(rest, "old-", 4) != 0))
            continue;
        rest += 4;
        if (strlen(rest) != 16 || strspn(rest, "0123456789abcdef") != 16)
            continue;
        char *tmp = xasprintf("%s/%s", abs, e->d_name);
        unlink(tmp);
        free(tmp);
    }
    if (d)
        closedir(d);
    free(prefix);
    free(abs);
}

/* Whether every change the database side made (all but those moved in the file only) is
 * among the applied ones. */
static bool sync_complete(const apply_plan *plan, const sm_changeset *cs)
{
    bool *applied = xcalloc(cs->n + 1, sizeof *applied);
    for (size_t k = 0; k < plan->napplied; k++)
        applied[plan->applied[k] - cs->items] = true;
    bool complete = true;
    for (size_t i = 0; i < cs->n && complete; i++)
        complete = applied[i] || cs->items[i].moved == MOVED_LOCAL;
    free(applied);
    return complete;
}

/* Every text about to be written must be one Python accepts (SPEC 1): the merge of an
 * edit made meanwhile with an accepted change can be valid on each side and not together. */
static int check_result_parses(const apply_file *af, sm_error *err)
{
    py_file *f = NULL;
    sm_error perr = SM_ERROR_INIT;
    int error = pyfile_parse(&f, af->path, af->result, af->result_len, &perr);
    pyfile_free(f);
    if (error >= 0)
        return 0;
    return sm_error_set(err, ERR_APPLY, "edit the file so that the change applies, or leave the change out",
                        "applying would leave %s invalid Python (%s); nothing was written", af->path,
                        perr.what);
}

/* Whether applying plan writes the version file: only an apply that brings the files in
 * line with the database (sync_complete) records a sync, and then only when files change
 * or the records lag behind the database (state_would_update). */
static int version_written(bool *yes, const apply_plan *plan, const sm_project *p, bool files_change,
                           sm_error *err)
{
    *yes = false;
    if (!sync_complete(plan, plan->changes))
        return 0;
    return state_would_update(yes, p, files_change, err);
}

/* The files applying plan writes into v (room for every file of the plan and the version
 * file): those that change, then the version file when the apply records a sync with
 * them; *version says whether it writes the version file at all (also alone). */
static int plan_paths(const char **v, size_t *n, bool *version, const apply_plan *plan, const sm_project *p,
                      sm_error *err)
{
    *n = 0;
    for (int t = 0; t < plan_nfiles(plan); t++)
        if (file_changes(&plan->files[t]))
            v[(*n)++] = plan->files[t].path;
    int error = version_written(version, plan, p, *n > 0, err);
    if (error >= 0 && *n && *version)
        v[(*n)++] = p->version_path;
    return error;
}

int apply_plan_paths(const char ***out, size_t *n, const apply_plan *plan, const sm_project *p, sm_error *err)
{
    const char **v = xcalloc(TARGET_COUNT + APPLY_EXTRA_MAX + 2, sizeof *v);
    bool version;
    int error = plan_paths(v, n, &version, plan, p, err);
    if (error < 0) {
        free(v);
        v = NULL;
        *n = 0;
    }
    *out = v;
    return error;
}

/* Every text written was judged in full before (check_result_parses): the next read of
 * it need not judge it again (verdicts.h). */
static void remember_written(const apply_plan *plan, const sm_project *p)
{
    char accepted[TARGET_COUNT + APPLY_EXTRA_MAX][SM_SHA256_HEX_LEN + 1];
    size_t n = 0;
    for (int t = 0; t < plan_nfiles(plan) && n < sizeof accepted / sizeof *accepted; t++)
        if (file_changes(&plan->files[t]))
            sha256_hex(accepted[n++], plan->files[t].result, plan->files[t].result_len);
    verdicts known;
    verdicts_load(&known, p->root);
    verdicts_remember(&known, p->root, accepted, n);
}

/* The writing itself, with the writer lock held. */
static int write_locked(apply_outcome *out, const apply_plan *plan, const sm_project *p,
                        const char *reason, sm_error *err)
{
    const char *paths[TARGET_COUNT + APPLY_EXTRA_MAX + 2];
    size_t npaths = 0;
    /* The file on disk must still be the one the merge saw. */
    for (int t = 0; t < plan_nfiles(plan); t++) {
        const apply_file *af = &plan->files[t];
        if (!file_changes(af))
            continue;
        char *abs = project_path(p, af->path), *now = NULL;
        size_t now_len = 0;
        int rc = fs_read_file(&now, &now_len, abs, err);
        free(abs);
        if (rc < 0 && rc != ERR_NOT_FOUND)
            return rc; /* unreadable now: say why, not "changed" */
        sm_error_clear(err);
        bool same = rc == ERR_NOT_FOUND ? !af->ours_existed
                                        : rc == 0 && af->ours_existed && now_len == af->ours_len &&
                                              memcmp(now, af->ours, now_len) == 0;
        free(now);
        if (!same)
            return sm_error_set(err, ERR_APPLY, "review the changes again and re-apply",
                                "%s changed on disk while applying; nothing was written", af->path);
        if ((rc = check_result_parses(af, err)) < 0)
            return rc;
    }
    /* the backup and the record name exactly the files written (apply_plan_paths) */
    bool version;
    int error = plan_paths(paths, &npaths, &version, plan, p, err);
    if (error < 0)
        return error;
    /* Nothing is written when a target leads outside the repository through a symlink;
     * without schema files to write, the state may still rewrite the version file. */
    const char *version_only[1] = { p->version_path };
    const char *const *targets = npaths ? paths : version_only;
    size_t ntargets = npaths ? npaths : version;
    for (size_t i = 0; i < ntargets; i++) {
        char *abs = project_path(p, targets[i]);
        error = fs_check_inside(p->root, abs, err);
        free(abs);
        if (error < 0)
            return error;
    }

    /* litter of a crash is swept next to every file an apply may write, written now or not */
    for (int t = 0; t < plan_nfiles(plan); t++)
        if (plan->files[t].path)
            remove_stale_temps(p, plan->files[t].path);
    remove_stale_temps(p, p->version_path);
    remove_stale_temps(p, SM_LAST_SYNC_FILE);
    remove_stale_temps(p, SM_LAST_SYNC_HASH_FILE);
    remove_stale_temps(p, SM_LAST_APPLY_FILE);
    remove_stale_temps(p, SM_STATE_DIR "/.gitignore");
    remove_stale_temps(p, WRITER_JOURNAL_FILE);
    remove_stale_temps(p, VERDICTS_FILE); /* a check may write it, without the lock */

    const char **ids = xcalloc(plan->napplied + 1, sizeof *ids);
    for (size_t i = 0; i < plan->napplied; i++)
        ids[i] = plan->applied[i]->id;
    char *journal = writer_journal(p->root);
    fs_txn *txn = fs_txn_new(journal);
    free(journal);
    if (npaths && (error = state_ensure_dir(p, err)) < 0)
        goto done;
    if (npaths) {
        backup_info *b = NULL;
        error = backup_create(&b, p->root, paths, npaths, reason, project_db_hash(p), ids, plan->napplied,
                              p->config->max_backups, err);
        if (error < 0)
            goto done;
        out->backup_id = xstrdup(b->id);
        backup_info_free(b);
    }
    /* Every file is staged (written and synced under a temporary name) before the first
     * one replaces its original; the commit then puts them all in place or none. */
    size_t nfiles = 0;
    for (int t = 0; t < plan_nfiles(plan); t++) {
        const apply_file *af = &plan->files[t];
        if (!file_changes(af))
            continue;
        char *abs = project_path(p, af->path);
        error = make_parent_dirs(abs, err);
        if (error >= 0)
            error = fs_txn_write(txn, abs, af->result, af->result_len, err);
        free(abs);
        if (error < 0)
            goto done;
        nfiles++;
    }
    /* The state follows the database only once the files do: while a change the database
     * made is left unapplied (a subset, a removal left for --prune), the last sync stays
     * where it was, or that change would later look like an edit made in the file. */
    bool state_written = false;
    if (sync_complete(plan, plan->changes) &&
        (error = state_update(&state_written, p, plan->changes->n, nfiles > 0, txn, err)) < 0)
        goto done;
    if (nfiles && (error = state_record_apply(p, plan->applied, plan->napplied, paths, npaths,
                                              out->backup_id, txn, err)) < 0)
        goto done;
    if ((error = fs_txn_commit(txn, err)) < 0)
        goto done;
    remember_written(plan, p);
    /* the files written are the backup's: the version file counts with the files it was
     * written with */
    if (nfiles) {
        out->paths = xcalloc(npaths + 1, sizeof *out->paths);
        for (size_t i = 0; i < npaths; i++)
            out->paths[i] = xstrdup(paths[i]);
        out->nfiles_written = npaths;
    }
    out->state_written = state_written;
done:
    fs_txn_free(txn);
    free(ids);
    if (error < 0 && out->backup_id)
        sm_error_prefix(err, "nothing was written (backup %s holds the files as they are)", out->backup_id);
    return error;
}

int apply_plan_write(apply_outcome *out, const apply_plan *plan, const sm_project *p,
                     const char *reason, sm_error *err)
{
    memset(out, 0, sizeof *out);
    if (apply_plan_conflicted(plan))
        return sm_error_set(err, ERR_CONFLICT, "resolve the conflicts first", "the merge has conflicts");
    int error = writer_lock(p->root, err);
    if (error < 0)
        return error;
    error = write_locked(out, plan, p, reason, err);
    writer_unlock();
    if (error < 0) /* callers free the outcome only on success */
        apply_outcome_done(out);
    return error < 0 ? error : 0;
}

void apply_outcome_done(apply_outcome *o)
{
    free(o->backup_id);
    o->backup_id = NULL;
    for (size_t i = 0; i < o->nfiles_written; i++)
        free(o->paths[i]);
    free(o->paths);
    o->paths = NULL;
    o->nfiles_written = 0;
}

void apply_plan_free(apply_plan *plan)
{
    if (!plan)
        return;
    for (int t = 0; t < plan_nfiles(plan); t++) {
        apply_file *af = &plan->files[t];
        free(af->base);
        free(af->theirs);
        free(af->ours);
        free(af->result);
        merge_result_free(af->merge);
    }
    free(plan->applied);
    for (size_t i = 0; i < plan->nfailed; i++)
        free(plan->failed[i].reason);
    free(plan->failed);
    drift_free(plan->owned_changes);
    for (int t = 0; t < TARGET_COUNT; t++)
        pyfile_free(plan->owned_files[t]);
    free(plan);
}
