/* vcs.c: repository discovery, `git commit --only`-style commits and dirtiness, through
 * libgit2.
 *
 * The commit tree is built in a private in-memory index seeded from HEAD's tree, so
 * whatever else the user staged never reaches the commit; the real index only gets the
 * committed paths updated, after the commit exists. Refusals (operation in progress,
 * locked index, unknown author) happen before anything is written. */
#include "config.h"
#include "vcs.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "fsutil.h"
#include "xalloc.h"

static void git_ready(void)
{
    static bool initialised;
    if (!initialised) {
        git_libgit2_init();
        initialised = true;
    }
}

/* Fill err from libgit2's last error, right after the failing call: "CONTEXT: MESSAGE". */
static int git_fail(sm_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int git_fail(sm_error *err, const char *fmt, ...)
{
    const git_error *e = git_error_last();
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sm_error_set(err, ERR_GIT, NULL, "%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
}

static char *strip_slash(char *s)
{
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

int vcs_find_root(char **out, const char *start_dir, sm_error *err)
{
    git_ready();
    *out = NULL;
    char abs[PATH_MAX];
    if (!realpath(start_dir, abs)) {
        int e = errno;
        return sm_error_set(err, e == ENOENT ? ERR_NOT_FOUND : ERR_GIT, NULL, "cannot open the directory %s: %s",
                            start_dir, strerror(e));
    }
    git_repository *repo = NULL;
    int r = git_repository_open_ext(&repo, abs, 0, NULL);
    if (r == GIT_ENOTFOUND) {
        *out = xstrdup(abs);
        return 0;
    }
    if (r < 0)
        return git_fail(err, "cannot open the git repository at %s", abs);
    const char *wd = git_repository_workdir(repo);
    *out = strip_slash(xstrdup(wd ? wd : abs));
    git_repository_free(repo);
    return 0;
}

void vcs_commit_result_done(vcs_commit_result *r)
{
    if (!r)
        return;
    free(r->branch);
    r->branch = NULL;
}

/* ---------------------------------------------------------------- opening */

/* Open the repository of root and compute the prefix of root inside its work tree
 * ("" or "sub/dir/"), so paths relative to root become paths relative to the work tree. */
static int open_repo(git_repository **repo, char **prefix, const char *root, bool missing_ok, sm_error *err)
{
    *repo = NULL;
    *prefix = NULL;
    char abs[PATH_MAX], wdabs[PATH_MAX];
    if (!realpath(root, abs))
        return sm_error_set(err, ERR_GIT, NULL, "cannot open the directory %s: %s", root, strerror(errno));
    int r = git_repository_open_ext(repo, abs, 0, NULL);
    if (r == GIT_ENOTFOUND) {
        if (missing_ok) {
            git_error_clear();
            return ERR_NOT_FOUND; /* not an error for the caller that allows it: err unset */
        }
        return sm_error_set(err, ERR_GIT, "create one with: git init", "%s is not in a git repository", abs);
    }
    if (r < 0)
        return git_fail(err, "cannot open the git repository at %s", abs);
    const char *wd = git_repository_workdir(*repo);
    if (!wd || !realpath(wd, wdabs)) {
        git_repository_free(*repo);
        *repo = NULL;
        return sm_error_set(err, ERR_GIT, NULL, "the repository at %s has no work tree", abs);
    }
    size_t n = strlen(wdabs);
    if (strcmp(abs, wdabs) == 0)
        *prefix = xstrdup("");
    else if (strncmp(abs, wdabs, n) == 0 && abs[n] == '/')
        *prefix = xasprintf("%s/", abs + n + 1);
    else
        *prefix = xstrdup("");
    return 0;
}

static char *repo_path(const char *prefix, const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    return xasprintf("%s%s", prefix, path);
}

static const char *state_name(int state)
{
    switch (state) {
    case GIT_REPOSITORY_STATE_MERGE: return "a merge";
    case GIT_REPOSITORY_STATE_REVERT:
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE: return "a revert";
    case GIT_REPOSITORY_STATE_CHERRYPICK:
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE: return "a cherry-pick";
    case GIT_REPOSITORY_STATE_BISECT: return "a bisect";
    case GIT_REPOSITORY_STATE_REBASE:
    case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
    case GIT_REPOSITORY_STATE_REBASE_MERGE: return "a rebase";
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE: return "a git am";
    default: return "another git operation";
    }
}

static const char *state_hint(int state)
{
    switch (state) {
    case GIT_REPOSITORY_STATE_MERGE: return "finish it with git commit, or abort it with git merge --abort";
    case GIT_REPOSITORY_STATE_REVERT:
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE: return "finish it, or abort it with git revert --abort";
    case GIT_REPOSITORY_STATE_CHERRYPICK:
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE: return "finish it, or abort it with git cherry-pick --abort";
    case GIT_REPOSITORY_STATE_BISECT: return "end it with git bisect reset";
    case GIT_REPOSITORY_STATE_REBASE:
    case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
    case GIT_REPOSITORY_STATE_REBASE_MERGE: return "finish it with git rebase --continue, or abort it with git rebase --abort";
    default: return "finish or abort it, then commit again";
    }
}

/* ---------------------------------------------------------------- signatures */

/* Parse the date formats git accepts most often in GIT_*_DATE: "@EPOCH [+ZZZZ]",
 * "EPOCH +ZZZZ", ISO 8601 ("2005-04-07T22:13:13[Z|+02:00]") and RFC 2822
 * ("Thu, 07 Apr 2005 22:13:13 +0200"). Returns false when it cannot. */
static bool parse_date(git_time_t *t, int *offset, const char *s)
{
    while (*s == ' ')
        s++;
    const char *p = s[0] == '@' ? s + 1 : s;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = NULL;
    bool epoch = false;
    if (*p >= '0' && *p <= '9') {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (*end == '\0' || *end == ' ') {
            *t = (git_time_t)v;
            rest = end;
            epoch = true;
        }
    }
    if (!epoch) {
        static const char *const formats[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
                                               "%a, %d %b %Y %H:%M:%S", "%d %b %Y %H:%M:%S" };
        for (size_t i = 0; i < sizeof formats / sizeof *formats && !rest; i++) {
            memset(&tm, 0, sizeof tm);
            rest = strptime(s, formats[i], &tm);
        }
        if (!rest)
            return false;
    }
    while (*rest == ' ')
        rest++;
    bool have_tz = false;
    int off = 0;
    if (*rest == 'Z') {
        have_tz = true;
        rest++;
    } else if (*rest == '+' || *rest == '-') {
        int sign = *rest == '-' ? -1 : 1;
        const char *q = rest + 1;
        int digits[4], nd = 0;
        while (nd < 4 && (*q >= '0' && *q <= '9')) {
            digits[nd++] = *q++ - '0';
            if (nd == 2 && *q == ':')
                q++;
        }
        if (nd != 4)
            return false;
        off = sign * ((digits[0] * 10 + digits[1]) * 60 + digits[2] * 10 + digits[3]);
        have_tz = true;
        rest = q;
    }
    while (*rest == ' ')
        rest++;
    if (*rest)
        return false;
    if (epoch) {
        *offset = off;
        return true;
    }
    if (have_tz) {
        *t = (git_time_t)timegm(&tm) - (git_time_t)off * 60;
        *offset = off;
    } else {
        tm.tm_isdst = -1;
        time_t local = mktime(&tm);
        *t = (git_time_t)local;
        *offset = (int)(tm.tm_gmtoff / 60);
    }
    return true;
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* who is "AUTHOR" or "COMMITTER". */
static int make_signature(git_signature **out, git_config *cfg, const char *who, sm_error *err)
{
    char var[64];
    const char *cfg_name = NULL, *cfg_email = NULL;
    git_config_get_string(&cfg_name, cfg, "user.name");
    git_config_get_string(&cfg_email, cfg, "user.email");
    git_error_clear();

    snprintf(var, sizeof var, "GIT_%s_NAME", who);
    const char *name = env_nonempty(var);
    if (!name)
        name = cfg_name && *cfg_name ? cfg_name : NULL;
    snprintf(var, sizeof var, "GIT_%s_EMAIL", who);
    const char *email = env_nonempty(var);
    if (!email)
        email = cfg_email && *cfg_email ? cfg_email : env_nonempty("EMAIL");
    if (!name)
        return sm_error_set(err, ERR_GIT, "set it with: git config --global user.name \"Your Name\"",
                            "cannot commit: no %s name is configured (user.name)",
                            strcmp(who, "AUTHOR") == 0 ? "author" : "committer");
    if (!email)
        return sm_error_set(err, ERR_GIT, "set it with: git config --global user.email \"you@example.com\"",
                            "cannot commit: no %s email is configured (user.email)",
                            strcmp(who, "AUTHOR") == 0 ? "author" : "committer");

    snprintf(var, sizeof var, "GIT_%s_DATE", who);
    const char *date = env_nonempty(var);
    int r;
    if (date) {
        git_time_t t;
        int offset;
        if (!parse_date(&t, &offset, date))
            return sm_error_set(err, ERR_GIT, "use a date like \"2026-01-31T12:00:00+01:00\" or \"@1767225600 +0000\"",
                                "cannot parse %s=%s", var, date);
        r = git_signature_new(out, name, email, t, offset);
    } else {
        r = git_signature_now(out, name, email);
    }
    if (r < 0)
        return git_fail(err, "cannot use the %s identity", strcmp(who, "AUTHOR") == 0 ? "author" : "committer");
    return 0;
}

/* An executable pre-commit hook that git would run and libgit2 does not. */
/* The hooks directory git uses for repo: core.hooksPath (a relative one is read from the
 * top of the work tree, as git does; ~ expanded), else the common directory's hooks/. */
static char *hooks_dir_of(git_repository *repo, git_config *cfg)
{
    git_buf hp = GIT_BUF_INIT;
    char *dir;
    if (cfg && git_config_get_path(&hp, cfg, "core.hooksPath") == 0 && hp.ptr && *hp.ptr)
        dir = hp.ptr[0] == '/' ? xstrdup(hp.ptr) : xasprintf("%s%s", git_repository_workdir(repo), hp.ptr);
    else
        dir = xasprintf("%shooks", git_repository_commondir(repo));
    git_buf_dispose(&hp);
    git_error_clear();
    return dir;
}

static bool has_pre_commit_hook(git_repository *repo, git_config *cfg)
{
    char *dir = hooks_dir_of(repo, cfg);
    char *path = xasprintf("%s/pre-commit", dir);
    bool found = access(path, X_OK) == 0;
    free(path);
    free(dir);
    return found;
}

int vcs_hooks_dir(char **out, const char *start_dir, sm_error *err)
{
    git_ready();
    *out = NULL;
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    int rc = 0;
    if (git_repository_open_ext(&repo, start_dir, 0, NULL) < 0) {
        git_error_clear();
        return sm_error_set(err, ERR_NOT_FOUND, "run 'git init' first, or use -C DIR",
                            "not inside a git repository");
    }
    if (git_repository_is_bare(repo)) {
        rc = sm_error_set(err, ERR_GIT, NULL, "the repository is bare: a pre-commit hook needs a work tree");
        goto done;
    }
    if (git_repository_config(&cfg, repo) < 0)
        git_error_clear();
    *out = hooks_dir_of(repo, cfg);
done:
    git_config_free(cfg);
    git_repository_free(repo);
    return rc;
}

/* ---------------------------------------------------------------- commit */

static int index_locked_error(sm_error *err)
{
    return sm_error_set(err, ERR_GIT, NULL,
                        "the index is locked by another git process (remove .git/index.lock if no git is running)");
}

int vcs_commit_paths(vcs_commit_result *out, const char *root, const char *const *paths,
                     size_t npaths, const char *message, sm_error *err)
{
    git_ready();
    memset(out, 0, sizeof *out);
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    git_signature *author = NULL, *committer = NULL;
    git_reference *head = NULL, *head_sym = NULL;
    git_commit *parent = NULL;
    git_tree *parent_tree = NULL, *tree = NULL;
    git_index *index = NULL, *staging = NULL;
    git_buf msg = GIT_BUF_INIT;
    char *prefix = NULL, *lock = NULL, *branch = NULL;
    char **rpaths = xcalloc(npaths ? npaths : 1, sizeof *rpaths);
    int rc = open_repo(&repo, &prefix, root, false, err);
    if (rc != 0)
        goto done;

    int state = git_repository_state(repo);
    if (state != GIT_REPOSITORY_STATE_NONE) {
        rc = sm_error_set(err, ERR_GIT, state_hint(state), "cannot commit: %s is in progress in %s",
                          state_name(state), git_repository_workdir(repo));
        goto done;
    }
    lock = xasprintf("%sindex.lock", git_repository_path(repo));
    if (fs_exists(lock)) {
        rc = index_locked_error(err);
        goto done;
    }
    if (!message || git_message_prettify(&msg, message, 0, '#') < 0 || msg.size == 0) {
        git_error_clear();
        rc = sm_error_set(err, ERR_GIT, "give a message with -m", "cannot commit: the commit message is empty");
        goto done;
    }
    if (git_repository_config_snapshot(&cfg, repo) < 0) {
        rc = git_fail(err, "cannot read the git configuration of %s", git_repository_workdir(repo));
        goto done;
    }
    if ((rc = make_signature(&author, cfg, "AUTHOR", err)) != 0 ||
        (rc = make_signature(&committer, cfg, "COMMITTER", err)) != 0)
        goto done;

    /* HEAD: a branch, an unborn branch, or detached */
    int r = git_repository_head(&head, repo);
    if (r == GIT_EUNBORNBRANCH || r == GIT_ENOTFOUND) {
        git_error_clear();
        head = NULL;
    } else if (r < 0) {
        rc = git_fail(err, "cannot read HEAD in %s", git_repository_workdir(repo));
        goto done;
    }
    out->detached = git_repository_head_detached(repo) == 1;
    if (!out->detached && git_reference_lookup(&head_sym, repo, "HEAD") == 0 &&
        git_reference_type(head_sym) == GIT_REFERENCE_SYMBOLIC) {
        const char *target = git_reference_symbolic_target(head_sym);
        if (strncmp(target, "refs/heads/", 11) == 0)
            branch = xstrdup(target + 11);
    }
    git_error_clear();
    if (head) {
        if (git_reference_peel((git_object **)&parent, head, GIT_OBJECT_COMMIT) < 0 ||
            git_commit_tree(&parent_tree, parent) < 0) {
            rc = git_fail(err, "cannot read the HEAD commit in %s", git_repository_workdir(repo));
            goto done;
        }
    }

    if (git_repository_index(&index, repo) < 0 || git_index_read(index, 0) < 0) {
        rc = git_fail(err, "cannot read the index of %s", git_repository_workdir(repo));
        goto done;
    }
    if (git_index_has_conflicts(index)) {
        rc = sm_error_set(err, ERR_GIT, "resolve them and commit with git first",
                          "cannot commit: the index has unresolved conflicts");
        goto done;
    }
    if (git_index_new(&staging) < 0 || (parent_tree && git_index_read_tree(staging, parent_tree) < 0)) {
        rc = git_fail(err, "cannot prepare the commit in %s", git_repository_workdir(repo));
        goto done;
    }

    for (size_t i = 0; i < npaths; i++) {
        rpaths[i] = repo_path(prefix, paths[i]);
        char *full = xasprintf("%s%s", git_repository_workdir(repo), rpaths[i]);
        struct stat st;
        bool present = lstat(full, &st) == 0;
        free(full);
        if (present && S_ISDIR(st.st_mode)) {
            rc = sm_error_set(err, ERR_GIT, NULL, "cannot commit %s: it is a directory, name its files", rpaths[i]);
            goto done;
        }
        if (present) {
            const git_index_entry *e;
            if (git_index_add_bypath(index, rpaths[i]) < 0 ||
                !(e = git_index_get_bypath(index, rpaths[i], 0)) || git_index_add(staging, e) < 0) {
                rc = git_fail(err, "cannot stage %s", rpaths[i]);
                goto done;
            }
        } else {
            /* deleted from the work tree: the commit deletes it too (absent paths are fine) */
            if (git_index_remove_bypath(index, rpaths[i]) < 0) {
                rc = git_fail(err, "cannot unstage %s", rpaths[i]);
                goto done;
            }
            git_index_remove(staging, rpaths[i], 0);
            git_error_clear();
        }
    }

    git_oid tree_oid;
    if (git_index_write_tree_to(&tree_oid, staging, repo) < 0) {
        rc = git_fail(err, "cannot write the commit tree in %s", git_repository_workdir(repo));
        goto done;
    }
    if (parent_tree ? git_oid_equal(&tree_oid, git_tree_id(parent_tree)) : git_index_entrycount(staging) == 0) {
        out->nothing = true;
        goto finish;
    }
    if (git_tree_lookup(&tree, repo, &tree_oid) < 0) {
        rc = git_fail(err, "cannot read the commit tree in %s", git_repository_workdir(repo));
        goto done;
    }
    /* Someone may have taken the lock while we worked: committing now would leave the
     * index behind the new commit, so look once more right before writing anything. */
    if (fs_exists(lock)) {
        rc = index_locked_error(err);
        goto done;
    }
    git_oid oid;
    const git_commit *parents[1] = { parent };
    if (git_commit_create(&oid, repo, "HEAD", author, committer, NULL, msg.ptr, tree, parent ? 1 : 0,
                          parents) < 0) {
        rc = git_fail(err, "cannot create the commit in %s", git_repository_workdir(repo));
        goto done;
    }
    git_oid_tostr(out->oid, sizeof out->oid, &oid);
    if (git_index_write(index) < 0) {
        const git_error *e = git_error_last();
        rc = sm_error_set(err, ERR_GIT, "run git status, and git reset -- PATHS if they show as staged",
                          "commit %.12s was made, but the index could not be updated: %s", out->oid,
                          e && e->message ? e->message : "unknown libgit2 error");
        goto done;
    }
finish:
    out->hooks_skipped = !out->nothing && has_pre_commit_hook(repo, cfg);
    out->branch = out->detached ? NULL : branch;
    if (!out->detached)
        branch = NULL;
done:
    if (rc != 0) {
        free(out->branch);
        out->branch = NULL;
    }
    for (size_t i = 0; i < npaths; i++)
        free(rpaths[i]);
    free(rpaths);
    free(branch);
    free(prefix);
    free(lock);
    git_buf_dispose(&msg);
    git_index_free(staging);
    git_index_free(index);
    git_tree_free(tree);
    git_tree_free(parent_tree);
    git_commit_free(parent);
    git_reference_free(head_sym);
    git_reference_free(head);
    git_signature_free(author);
    git_signature_free(committer);
    git_config_free(cfg);
    git_repository_free(repo);
    return rc;
}

int vcs_paths_dirty(bool *out, const char *root, const char *const *paths, size_t npaths,
                    sm_error *err)
{
    git_ready();
    *out = false;
    git_repository *repo = NULL;
    char *prefix = NULL;
    int rc = open_repo(&repo, &prefix, root, true, err);
    if (rc == ERR_NOT_FOUND)
        return 0;
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < npaths && !*out; i++) {
        char *p = repo_path(prefix, paths[i]);
        unsigned int flags = 0;
        int r = git_status_file(&flags, repo, p);
        if (r == GIT_ENOTFOUND) {
            git_error_clear();   /* nowhere: not in HEAD, index or work tree */
        } else if (r < 0) {
            rc = git_fail(err, "cannot read the git status of %s", p);
        } else if (flags & ~(unsigned int)GIT_STATUS_IGNORED) {
            *out = true;
        }
        free(p);
        if (rc != 0)
            break;
    }
    free(prefix);
    git_repository_free(repo);
    return rc;
}
