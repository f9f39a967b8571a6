/* vcs.h: the git side of schemerge, through libgit2 (no git binary is needed).
 *
 * Finding the repository root, committing exactly the files schemerge wrote (like
 * `git commit --only PATHS`), and asking whether those files differ from HEAD.
 * libgit2 runs no git hooks; vcs_commit_paths says when a pre-commit hook was skipped. */
#ifndef SCHEMERGE_VCS_H
#define SCHEMERGE_VCS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The work tree root of the repository that contains start_dir, or start_dir itself
 * (made absolute) when it is not inside a repository (or inside a bare one).
 * *out is owned by the caller (free()), without a trailing '/'.
 * Returns 0, ERR_NOT_FOUND when start_dir does not exist, or ERR_GIT. */
int vcs_find_root(char **out, const char *start_dir, sm_error *err);

typedef struct vcs_commit_result {
    char oid[41];        /* the new commit; "" when nothing was committed */
    char *branch;        /* short branch name ("main"); NULL when detached */
    bool detached;       /* HEAD was detached: the commit is on no branch */
    bool hooks_skipped;  /* an executable pre-commit hook exists and was not run */
    bool nothing;        /* the paths did not differ from HEAD: no commit was made */
} vcs_commit_result;

/* Release what vcs_commit_paths put into r (not r itself). */
void vcs_commit_result_done(vcs_commit_result *r);

/* Commit paths (relative to root; root may be the work tree root or a directory below
 * it) as `git commit --only PATHS` would: the new tree is HEAD's tree with just those
 * paths replaced by their work-tree content, or removed when deleted from the work tree.
 * Other staged entries stay staged and out of the commit; unstaged edits are untouched;
 * the index entries of the committed paths are updated, so `git status` is clean for
 * them. An unborn branch gets its first commit; a detached HEAD is moved (and
 * out->detached says so). The message is cleaned up as git does (trailing white space,
 * final newline); an empty message is refused.
 * Author and committer: GIT_AUTHOR_NAME/EMAIL/DATE and GIT_COMMITTER_NAME/EMAIL/DATE,
 * else git config user.name/user.email, else ERR_GIT with the `git config` hint.
 * Refused with ERR_GIT, changing nothing: a merge, rebase, cherry-pick, revert, am or
 * bisect in progress; a locked index (.git/index.lock exists); a bare repository.
 * Nothing to commit is a success with out->nothing set.
 * *out is filled on success; release it with vcs_commit_result_done. */
int vcs_commit_paths(vcs_commit_result *out, const char *root, const char *const *paths,
                     size_t npaths, const char *message, sm_error *err);

/* *out = true when any of paths differs from HEAD, staged or not (an untracked file
 * counts; an ignored one does not). Outside a repository *out is false.
 * Returns 0 or ERR_GIT. */
int vcs_paths_dirty(bool *out, const char *root, const char *const *paths, size_t npaths,
                    sm_error *err);

/* The hooks directory git uses for the repository containing start_dir (core.hooksPath,
 * else .git/hooks). *out owned by the caller. ERR_NOT_FOUND outside a repository, ERR_GIT
 * for a bare one. */
int vcs_hooks_dir(char **out, const char *start_dir, sm_error *err);

#endif
