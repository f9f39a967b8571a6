/* fsutil.c: whole-file reads, the atomic write, directory helpers.
 *
 * The system calls that can fail in interesting ways (open, write, fsync, rename, mkdir,
 * unlink) go through small static wrappers, so that a fault-injection build can fail the
 * Nth call on purpose and the tests can prove that no failure leaves a half-written file.
 * This module does not know about backups or git; it only moves bytes safely. */
#include "config.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* ---------------------------------------------------------------- fault injection */

#ifdef SM_FAULT_INJECTION
enum { FAULT_OPEN, FAULT_WRITE, FAULT_FSYNC, FAULT_RENAME, FAULT_MKDIR, FAULT_UNLINK, FAULT_LINK,
       FAULT_NOPS };
static const char *const fault_names[FAULT_NOPS] = { "open", "write", "fsync", "rename", "mkdir",
                                                     "unlink", "link" };
/* "KILL" instead of an errno: the process dies by SIGKILL at that call, as a crash would */
#define FAULT_KILL (-1)
static char *fault_spec;             /* the SCHEMERGE_FAULT value the counters belong to */
static unsigned long fault_count[FAULT_NOPS];

static int fault_errno_value(const char *name)
{
    static const struct { const char *name; int value; } names[] = {
        { "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EACCES", EACCES }, { "EPERM", EPERM },
        { "EEXIST", EEXIST }, { "EROFS", EROFS }, { "EDQUOT", EDQUOT }, { "EINTR", EINTR },
        { "ENOENT", ENOENT }, { "EXDEV", EXDEV }, { "EBUSY", EBUSY },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].value;
    if (strcmp(name, "KILL") == 0)
        return FAULT_KILL;
    int v = atoi(name);
    return v > 0 ? v : EIO;
}

/* Returns the errno to fail with for this call of op, or 0 to let it run. */
static int fault_check(int op)
{
    const char *spec = getenv("SCHEMERGE_FAULT");
    if (!spec || !*spec) {
        free(fault_spec);
        fault_spec = NULL;
        return 0;
    }
    if (!fault_spec || strcmp(fault_spec, spec) != 0) {
        free(fault_spec);
        fault_spec = xstrdup(spec);
        memset(fault_count, 0, sizeof fault_count);
    }
    unsigned long n = ++fault_count[op];
    char *copy = xstrdup(spec), *save = NULL;
    int result = 0;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *c1 = strchr(item, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c1 = *c2 = '\0';
        if (strcmp(item, fault_names[op]) == 0 && strtoul(c1 + 1, NULL, 10) == n) {
            result = fault_errno_value(c2 + 1);
            break;
        }
    }
    free(copy);
    return result;
}
#define FAULT(op)                          \
    do {                                   \
        int fault_errno_ = fault_check(op); \
        if (fault_errno_ == FAULT_KILL)    \
            raise(SIGKILL);                \
        if (fault_errno_) {                \
            errno = fault_errno_;          \
            return -1;                     \
        }                                  \
    } while (0)
#else
#define FAULT(op) ((void)0)
#endif

static int sys_open(const char *path, int flags, mode_t mode)
{
    FAULT(FAULT_OPEN);
    return open(path, flags, mode);
}

static ssize_t sys_write(int fd, const void *buf, size_t len)
{
    FAULT(FAULT_WRITE);
    return write(fd, buf, len);
}

static int sys_fsync(int fd)
{
    FAULT(FAULT_FSYNC);
    return fsync(fd);
}

static int sys_rename(const char *from, const char *to)
{
    FAULT(FAULT_RENAME);
    return rename(from, to);
}

static int sys_mkdir(const char *path, mode_t mode)
{
    FAULT(FAULT_MKDIR);
    return mkdir(path, mode);
}

static int sys_unlink(const char *path)
{
    FAULT(FAULT_UNLINK);
    return unlink(path);
}

static int sys_link(const char *from, const char *to)
{
    FAULT(FAULT_LINK);
    return link(from, to);
}

/* ---------------------------------------------------------------- helpers */

char *fs_join(const char *dir, const char *rel)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    return xasprintf("%.*s/%s", (int)dl, dir, rel);
}

bool fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The directory part of path ("." for a bare name). Caller frees. */
static char *dir_of(const char *path)
{
    char *copy = xstrdup(path);
    char *d = xstrdup(dirname(copy));
    free(copy);
    return d;
}

/* Where writing path would land, all symlinks followed; path need not exist (then its
 * nearest existing directory is resolved and the rest appended). NULL on a link loop. */
static char *real_target(const char *path, int depth)
{
    if (depth > 40)
        return NULL;
    char *r = realpath(path, NULL);
    if (r)
        return r;
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char buf[PATH_MAX];
        ssize_t n = readlink(path, buf, sizeof buf - 1);
        if (n < 0)
            return NULL;
        buf[n] = '\0';
        char *d = dir_of(path);
        char *next = buf[0] == '/' ? xstrdup(buf) : fs_join(d, buf);
        free(d);
        r = real_target(next, depth + 1);
        free(next);
        return r;
    }
    char *d = dir_of(path);
    if (strcmp(d, path) == 0) {
        free(d);
        return xstrdup(path);
    }
    char *rd = real_target(d, depth + 1);
    free(d);
    if (!rd)
        return NULL;
    char *copy = xstrdup(path);
    r = fs_join(rd, basename(copy));
    free(copy);
    free(rd);
    return r;
}

/* Whether a '/'-separated path has a component ".git" (in any case: case-insensitive
 * file systems). */
static bool has_git_component(const char *path)
{
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 4 && strncasecmp(p, ".git", 4) == 0)
            return true;
        p += n;
        if (*p == '/')
            p++;
    }
    return false;
}

const char *fs_repo_path_refusal(const char *rel)
{
    if (!rel || !*rel)
        return "an empty path";
    if (rel[0] == '/')
        return "an absolute path";
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return "a path with an empty, '.' or '..' component";
        if (n == 10 && strncmp(p, ".schemerge", 10) == 0)
            return "inside .schemerge/, schemerge's own state";
        p += n;
        if (*p == '/')
            p++;
    }
    return has_git_component(rel) ? "inside .git/, which only git writes" : NULL;
}

int fs_check_inside(const char *root, const char *path, sm_error *err)
{
    char *rroot = realpath(root, NULL);
    if (!rroot)
        return sm_error_set(err, ERR_IO, NULL, "cannot resolve %s: %s", root, strerror(errno));
    char *target = real_target(path, 0);
    size_t n = strlen(rroot);
    int rc = 0;
    if (!target)
        rc = sm_error_set(err, ERR_UNSAFE, "remove the symlink loop", "refusing to write %s: too many symlinks",
                          path);
    else if (n > 1 && (strncmp(target, rroot, n) != 0 || (target[n] != '/' && target[n] != '\0')))
        rc = sm_error_set(err, ERR_UNSAFE, "point the link inside the repository, or replace it by the file",
                          "refusing to write %s: it leads outside the repository, to %s", path, target);
    else if (has_git_component(target + n))
        rc = sm_error_set(err, ERR_UNSAFE, "point the link at a file in the work tree",
                          "refusing to write %s: it leads into the repository's .git directory", path);
    free(target);
    free(rroot);
    return rc;
}

int fs_read_file(char **out, size_t *len_out, const char *path, sm_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            return sm_error_set(err, ERR_NOT_FOUND, NULL, "cannot read %s: %s", path, strerror(e));
        return sm_error_set(err, ERR_IO, NULL, "cannot read %s: %s", path, strerror(e));
    }
    struct stat st;
    size_t cap = 4096, len = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t)st.st_size + 1;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            /* full, as it is once a file of the size fstat gave is read: a byte read on
             * the stack tells the end of the file without doubling the buffer (a 42 MB
             * last-sync snapshot took 85 MB at the peak) */
            char probe;
            ssize_t r = read(fd, &probe, 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                if (r < 0) {
                    int e = errno;
                    free(buf);
                    close(fd);
                    return sm_error_set(err, ERR_IO, NULL, "cannot read %s: %s", path, strerror(e));
                }
                break;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
            buf[len++] = probe;
            continue;
        }
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return sm_error_set(err, ERR_IO, NULL, "cannot read %s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    *out = buf;
    if (len_out)
        *len_out = len;
    return 0;
}

const char *fs_map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    long page = sysconf(_SC_PAGESIZE);
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && page > 0 && st.st_size % page != 0)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return NULL;
    *len = (size_t)st.st_size;
    return map;
}

void fs_unmap_file(const char *map, size_t len)
{
    munmap((void *)map, len);
}

void fs_map_give_back(const char *map, size_t from, size_t to)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    from = (from + page - 1) / page * page;
    to = to / page * page;
    if (to > from)
        madvise((char *)map + from, to - from, MADV_DONTNEED);
}

/* Follow a chain of symlinks by hand (realpath fails on a dangling link, and a dangling
 * link to a file we are about to create is legitimate). Caller frees the result. */
static int resolve_links(char **out, const char *path, sm_error *err)
{
    char *cur = xstrdup(path);
    for (int depth = 0;; depth++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            *out = cur;
            return 0;
        }
        if (depth >= 40) {
            free(cur);
            return sm_error_set(err, ERR_IO, NULL, "cannot write %s: too many levels of symbolic links", path);
        }
        char target[PATH_MAX];
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n < 0) {
            int e = errno;
            free(cur);
            return sm_error_set(err, ERR_IO, NULL, "cannot read the link %s: %s", path, strerror(e));
        }
        target[n] = '\0';
        char *next;
        if (target[0] == '/') {
            next = xstrdup(target);
        } else {
            char *d = dir_of(cur);
            next = fs_join(d, target);
            free(d);
        }
        free(cur);
        cur = next;
    }
}

/* An unguessable temporary name next to real: DIR/.NAME.KIND-<16 hex>. */
static char *temp_name(const char *real, const char *kind)
{
    unsigned char rnd[8];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        /* getrandom cannot really fail for 8 bytes; fall back to something still unique */
        unsigned long v = (unsigned long)getpid() ^ (unsigned long)(uintptr_t)rnd;
        memcpy(rnd, &v, sizeof rnd < sizeof v ? sizeof rnd : sizeof v);
    }
    char hex[17];
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    char *copy = xstrdup(real);
    char *d = dir_of(real);
    char *name = xasprintf("%s/.%s.%s-%s", d, basename(copy), kind, hex);
    free(copy);
    free(d);
    return name;
}

static int fsync_dir(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    int rc = sys_fsync(dfd);
    int e = errno;
    close(dfd);
    errno = e;
    return rc;
}

int fs_write_all(int fd, const void *data, size_t len, const char *path, sm_error *err)
{
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = sys_write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
        }
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

typedef struct buffer_fill {
    const void *data;
    size_t len;
    const char *path;
} buffer_fill;

static int fill_from_buffer(int fd, void *payload, sm_error *err)
{
    const buffer_fill *b = payload;
    return fs_write_all(fd, b->data, b->len, b->path, err);
}

int fs_write_atomic(const char *path, const void *data, size_t len, sm_error *err)
{
    buffer_fill b = { data, len, path };
    return fs_write_atomic_with(path, fill_from_buffer, &b, err);
}

/* ---------------------------------------------------------------- transactions */

/* One file of a transaction. */
typedef struct txn_entry {
    char *shown;   /* the path as the caller named it, for messages */
    char *real;    /* symlinks resolved: the file that is replaced or removed */
    char *tmp;     /* the new content, written and synced; NULL for a removal */
    char *old;     /* during the commit: a second name of the file being replaced */
    bool existed;  /* real existed when the commit began */
    bool done;     /* renamed into place (or removed) */
} txn_entry;

struct fs_txn {
    char *journal;
    txn_entry *entries;
    size_t n, cap;
};

fs_txn *fs_txn_new(const char *journal_path)
{
    fs_txn *t = xcalloc(1, sizeof *t);
    t->journal = journal_path ? xstrdup(journal_path) : NULL;
    return t;
}

static void entry_done(txn_entry *e)
{
    if (e->tmp)
        unlink(e->tmp);
    if (e->old)
        unlink(e->old);
    free(e->shown);
    free(e->real);
    free(e->tmp);
    free(e->old);
}

void fs_txn_free(fs_txn *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        entry_done(&t->entries[i]);
    free(t->entries);
    free(t->journal);
    free(t);
}

/* The entry for real, new or replacing an earlier one of the same file. */
static txn_entry *txn_slot(fs_txn *t, char *real, const char *shown)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->entries[i].real, real) == 0) {
            entry_done(&t->entries[i]);
            memset(&t->entries[i], 0, sizeof t->entries[i]);
            t->entries[i].real = real;
            t->entries[i].shown = xstrdup(shown);
            return &t->entries[i];
        }
    txn_entry *e = XPUSH(t->entries, t->n, t->cap);
    memset(e, 0, sizeof *e);
    e->real = real;
    e->shown = xstrdup(shown);
    return e;
}

/* Create an unguessable temporary file next to real (prefix ".NAME.tmp-" or ".NAME.old-").
 * A clash means someone planted the name (or we lost a 1-in-2^64 race): take a new name
 * rather than ever opening an existing file. */
static int temp_create(char **out, const char *real, const char *kind)
{
    char *tmp = NULL;
    int fd = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        free(tmp);
        tmp = temp_name(real, kind);
        fd = sys_open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        free(tmp);
        *out = NULL;
        return -1;
    }
    *out = tmp;
    return fd;
}

int fs_txn_write_with(fs_txn *t, const char *path, int (*fill)(int fd, void *payload, sm_error *err),
                      void *payload, sm_error *err)
{
    char *real = NULL, *tmp = NULL, *dir = NULL;
    int fd = -1, rc = 0;

    if ((rc = resolve_links(&real, path, err)) != 0)
        return rc;
    dir = dir_of(real);

    mode_t mode;
    struct stat st;
    if (stat(real, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: not a regular file", path);
            goto done;
        }
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0644 & ~mask;
    }
    if ((fd = temp_create(&tmp, real, "tmp")) < 0) {
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: cannot create a temporary file in %s: %s",
                          path, dir, strerror(errno));
        goto done;
    }
    if ((rc = fill(fd, payload, err)) != 0)
        goto done;
    if (fchmod(fd, mode) != 0) {
        rc = sm_error_set(err, ERR_IO, NULL, "cannot set the mode of %s: %s", path, strerror(errno));
        goto done;
    }
    if (sys_fsync(fd) != 0) {
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: fsync failed: %s", path, strerror(errno));
        goto done;
    }
    int c = close(fd);
    fd = -1;
    if (c != 0) {
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    txn_entry *e = txn_slot(t, real, path);
    real = NULL;
    e->tmp = tmp;
    tmp = NULL;
done:
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    free(tmp);
    free(real);
    free(dir);
    return rc;
}

int fs_txn_write(fs_txn *t, const char *path, const void *data, size_t len, sm_error *err)
{
    buffer_fill b = { data, len, path };
    return fs_txn_write_with(t, path, fill_from_buffer, &b, err);
}

int fs_txn_remove(fs_txn *t, const char *path, sm_error *err)
{
    char *real = NULL;
    int rc = resolve_links(&real, path, err);
    if (rc != 0)
        return rc;
    txn_slot(t, real, path);
    return 0;
}

/* A second name for the file being replaced, so that it can be put back: a hard link, or
 * where the file system has none, a synced copy. */
static int keep_old(txn_entry *e, sm_error *err)
{
    int fd = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        free(e->old);
        e->old = temp_name(e->real, "old");
        if (sys_link(e->real, e->old) == 0)
            return 0;
        if (errno != EEXIST)
            break;
    }
    int link_errno = errno;
    free(e->old);
    e->old = NULL;
    if (link_errno != EPERM && link_errno != EOPNOTSUPP && link_errno != EMLINK && link_errno != ENOSYS)
        return sm_error_set(err, ERR_IO, NULL, "cannot keep the old %s while replacing it: %s", e->shown,
                            strerror(link_errno));
    char *data = NULL;
    size_t len = 0;
    int rc = fs_read_file(&data, &len, e->real, err);
    if (rc != 0)
        return rc;
    if ((fd = temp_create(&e->old, e->real, "old")) < 0)
        rc = sm_error_set(err, ERR_IO, NULL, "cannot keep the old %s while replacing it: %s", e->shown,
                          strerror(errno));
    else if ((rc = fs_write_all(fd, data, len, e->shown, err)) == 0 && sys_fsync(fd) != 0)
        rc = sm_error_set(err, ERR_IO, NULL, "cannot keep the old %s: fsync failed: %s", e->shown,
                          strerror(errno));
    if (fd >= 0)
        close(fd);
    free(data);
    return rc;
}

/* The journal: one record per entry, "real\0old\0tmp\0" (empty for none); paths cannot
 * hold a NUL. Written and synced before the first rename: if the process dies during the
 * commit, fs_txn_recover reads it to put every file back. */
static int journal_write(const fs_txn *t, sm_error *err)
{
    size_t len = 0;
    for (size_t i = 0; i < t->n; i++) {
        const txn_entry *e = &t->entries[i];
        len += strlen(e->real) + (e->old ? strlen(e->old) : 0) + (e->tmp ? strlen(e->tmp) : 0) + 3;
    }
    char *buf = xmalloc(len + 1), *p = buf;
    for (size_t i = 0; i < t->n; i++) {
        const txn_entry *e = &t->entries[i];
        const char *parts[3] = { e->real, e->old ? e->old : "", e->tmp ? e->tmp : "" };
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(parts[k]);
            memcpy(p, parts[k], n + 1);
            p += n + 1;
        }
    }
    int rc = fs_write_atomic(t->journal, buf, len, err);
    free(buf);
    return rc;
}

/* Sync the directory of each entry's file (each directory once). */
static int sync_dirs(const fs_txn *t, sm_error *err)
{
    for (size_t i = 0; i < t->n; i++) {
        char *dir = dir_of(t->entries[i].real);
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) {
            char *other = dir_of(t->entries[k].real);
            seen = strcmp(other, dir) == 0;
            free(other);
        }
        int rc = 0;
        if (!seen && fsync_dir(dir) != 0)
            rc = sm_error_set(err, ERR_IO, NULL, "cannot sync the directory %s: %s", dir, strerror(errno));
        free(dir);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Put back every entry already renamed or removed, newest first. Plain system calls, not
 * the fault-injectable ones: this is the way out of an injected fault. */
static void txn_rollback(fs_txn *t)
{
    for (size_t i = t->n; i-- > 0;) {
        txn_entry *e = &t->entries[i];
        if (!e->done)
            continue;
        if (e->old) {
            if (rename(e->old, e->real) == 0) {
                free(e->old);
                e->old = NULL;
            }
        } else if (!e->existed) {
            unlink(e->real);
        }
        e->done = false;
    }
    for (size_t i = 0; i < t->n; i++) {
        char *dir = dir_of(t->entries[i].real);
        fsync_dir(dir);
        free(dir);
    }
}

int fs_txn_commit(fs_txn *t, sm_error *err)
{
    int rc = 0;
    bool journaled = false;
    for (size_t i = 0; i < t->n && rc == 0; i++) {
        txn_entry *e = &t->entries[i];
        struct stat st;
        e->existed = lstat(e->real, &st) == 0;
        if (e->existed)
            rc = keep_old(e, err);
    }
    if (rc == 0 && t->journal) {
        rc = journal_write(t, err);
        journaled = rc == 0;
    }
    for (size_t i = 0; i < t->n && rc == 0; i++) {
        txn_entry *e = &t->entries[i];
        if (e->tmp) {
            if (sys_rename(e->tmp, e->real) != 0) {
                rc = sm_error_set(err, ERR_IO, NULL, "cannot replace %s: %s", e->shown, strerror(errno));
                break;
            }
            free(e->tmp);
            e->tmp = NULL;
        } else if (e->existed && sys_unlink(e->real) != 0) {
            rc = sm_error_set(err, ERR_IO, NULL, "cannot remove %s: %s", e->shown, strerror(errno));
            break;
        }
        e->done = true;
    }
    /* the commit point: every new file is in place and durable, then the journal goes */
    if (rc == 0)
        rc = sync_dirs(t, err);
    if (rc == 0 && journaled)
        rc = fs_remove_file(t->journal, err);
    if (rc != 0) {
        txn_rollback(t);
        if (journaled)
            unlink(t->journal);
        return rc;
    }
    for (size_t i = 0; i < t->n; i++) {
        txn_entry *e = &t->entries[i];
        if (e->old)
            unlink(e->old);
        free(e->old);
        e->old = NULL;
    }
    return 0;
}

int fs_txn_recover(const char *journal_path, bool *recovered, sm_error *err)
{
    *recovered = false;
    char *buf = NULL;
    size_t len = 0;
    int rc = fs_read_file(&buf, &len, journal_path, err);
    if (rc == ERR_NOT_FOUND) {
        sm_error_clear(err);
        return 0;
    }
    if (rc != 0)
        return rc;
    /* records of three NUL-terminated strings; a torn journal cannot exist (it is written
     * atomically), but a short one is read as far as it is whole */
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *parts[3];
        int k;
        for (k = 0; k < 3 && p < end; k++) {
            parts[k] = p;
            const char *z = memchr(p, '\0', (size_t)(end - p));
            if (!z)
                break;
            p = z + 1;
        }
        if (k < 3)
            break;
        const char *real = parts[0], *old = parts[1], *tmp = parts[2];
        if (*old) {
            if (fs_exists(old) && rename(old, real) != 0) {
                rc = sm_error_set(err, ERR_IO, "restore it from the newest backup (schemerge backup list)",
                                  "cannot put back %s after an interrupted write: %s", real, strerror(errno));
                break;
            }
        } else if (*tmp && !fs_exists(tmp)) {
            unlink(real); /* a new file that was renamed into place */
        }
        if (*tmp)
            unlink(tmp);
        char *dir = dir_of(real);
        fsync_dir(dir);
        free(dir);
    }
    free(buf);
    if (rc == 0) {
        rc = fs_remove_file(journal_path, err);
        *recovered = rc == 0;
    }
    return rc;
}

int fs_write_atomic_with(const char *path, int (*fill)(int fd, void *payload, sm_error *err),
                         void *payload, sm_error *err)
{
    fs_txn *t = fs_txn_new(NULL);
    int rc = fs_txn_write_with(t, path, fill, payload, err);
    if (rc == 0)
        rc = fs_txn_commit(t, err);
    fs_txn_free(t);
    return rc;
}

int fs_mkdir_p(const char *path, mode_t mode, sm_error *err)
{
    char *copy = xstrdup(path);
    int rc = 0;
    size_t n = strlen(copy);
    for (size_t i = 1; i <= n; i++) {
        if (copy[i] != '/' && copy[i] != '\0')
            continue;
        char saved = copy[i];
        copy[i] = '\0';
        if (sys_mkdir(copy, mode) != 0) {
            int e = errno;
            struct stat st;
            if (e != EEXIST || stat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
                rc = sm_error_set(err, ERR_IO, NULL, "cannot create the directory %s: %s", copy,
                                  e == EEXIST ? "a file of that name exists" : strerror(e));
                goto done;
            }
        }
        copy[i] = saved;
    }
done:
    free(copy);
    return rc;
}

static int remove_one(const char *fpath, const struct stat *sb, int typeflag, struct FTW *ftwbuf)
{
    (void)sb;
    (void)ftwbuf;
    int r = typeflag == FTW_DP ? rmdir(fpath) : sys_unlink(fpath);
    return r == 0 ? 0 : errno;
}

int fs_remove_tree(const char *path, sm_error *err)
{
    if (!fs_exists(path))
        return sm_error_set(err, ERR_NOT_FOUND, NULL, "cannot remove %s: it does not exist", path);
    int r = nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    if (r != 0) {
        int e = r > 0 ? r : errno;
        return sm_error_set(err, ERR_IO, NULL, "cannot remove %s: %s", path, strerror(e));
    }
    return 0;
}

int fs_remove_file(const char *path, sm_error *err)
{
    if (sys_unlink(path) != 0) {
        if (errno == ENOENT)
            return 0;
        return sm_error_set(err, ERR_IO, NULL, "cannot remove %s: %s", path, strerror(errno));
    }
    char *dir = dir_of(path);
    int rc = 0;
    if (fsync_dir(dir) != 0)
        rc = sm_error_set(err, ERR_IO, NULL, "cannot sync the directory %s: %s", dir, strerror(errno));
    free(dir);
    return rc;
}
