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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* ---------------------------------------------------------------- fault injection */

#ifdef SM_FAULT_INJECTION
enum { FAULT_OPEN, FAULT_WRITE, FAULT_FSYNC, FAULT_RENAME, FAULT_MKDIR, FAULT_UNLINK, FAULT_NOPS };
static const char *const fault_names[FAULT_NOPS] = { "open", "write", "fsync", "rename", "mkdir",
                                                     "unlink" };
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
            cap *= 2;
            buf = xrealloc(buf, cap);
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

/* An unguessable temporary name next to base: DIR/.NAME.tmp-<16 hex>. */
static char *temp_name(const char *real)
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
    char *name = xasprintf("%s/.%s.tmp-%s", d, basename(copy), hex);
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

int fs_write_atomic_with(const char *path, int (*fill)(int fd, void *payload, sm_error *err),
                         void *payload, sm_error *err)
{
    char *real = NULL, *tmp = NULL, *dir = NULL;
    int fd = -1, rc = 0;
    bool tmp_created = false;

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

    /* A clash means someone planted the name (or we lost a 1-in-2^64 race): take a new
     * name rather than ever opening an existing file. */
    for (int attempt = 0; attempt < 100; attempt++) {
        free(tmp);
        tmp = temp_name(real);
        fd = sys_open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: cannot create a temporary file in %s: %s",
                          path, dir, strerror(errno));
        goto done;
    }
    tmp_created = true;

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
    if (close(fd) != 0) {
        fd = -1;
        rc = sm_error_set(err, ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    fd = -1;
    if (sys_rename(tmp, real) != 0) {
        rc = sm_error_set(err, ERR_IO, NULL, "cannot replace %s: %s", path, strerror(errno));
        goto done;
    }
    tmp_created = false;
    /* The new content is in place; a failed directory fsync only weakens durability after
     * a power loss, but the caller must still know the write is not known to be safe. */
    if (fsync_dir(dir) != 0)
        rc = sm_error_set(err, ERR_IO, NULL, "cannot sync the directory %s: %s", dir, strerror(errno));

done:
    if (fd >= 0)
        close(fd);
    if (tmp_created)
        unlink(tmp);
    free(tmp);
    free(real);
    free(dir);
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
