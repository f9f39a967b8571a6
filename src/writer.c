/* writer.c: the one-writer lock and the recovery of interrupted writes (writer.h). */
#include "config.h"
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

/* The lock this process holds: one repository at a time. */
static int held_fd = -1;
static unsigned held_depth;
static char *held_root;

char *writer_journal(const char *root)
{
    return fs_join(root, WRITER_JOURNAL_FILE);
}

/* The pid written in the lock file by its holder, 0 when unknown. */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int writer_lock(const char *root, sm_error *err)
{
    if (held_fd >= 0) {
        if (strcmp(held_root, root) != 0)
            return sm_error_set(err, ERR_IO, NULL, "cannot lock %s: this process holds the lock of %s",
                                root, held_root);
        held_depth++;
        return 0;
    }
    char *dir = fs_join(root, ".schemerge");
    int rc = fs_mkdir_p(dir, 0700, err);
    free(dir);
    if (rc != 0)
        return rc;
    char *path = fs_join(root, WRITER_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = sm_error_set(err, ERR_IO, "check the permissions of .schemerge/", "cannot open %s: %s", path,
                          strerror(errno));
        free(path);
        return rc;
    }
    const long step_ms = 50;
    for (long waited = 0;; waited += step_ms) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            rc = sm_error_set(err, ERR_IO, NULL, "cannot lock %s: %s", path, strerror(errno));
            break;
        }
        if (waited >= WRITER_WAIT_MS) {
            long pid = holder_pid(fd);
            char who[48] = "another process";
            if (pid > 0)
                snprintf(who, sizeof who, "process %ld", pid);
            rc = sm_error_set(err, ERR_IO, "wait for it to finish, then run the command again",
                              "another schemerge (%s) is writing this repository; gave up after %d s",
                              who, WRITER_WAIT_MS / 1000);
            break;
        }
        sleep_ms(step_ms);
    }
    free(path);
    if (rc != 0) {
        close(fd);
        return rc;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        /* the pid is only for messages: a lock without it still locks */
    }
    held_fd = fd;
    held_depth = 1;
    held_root = xstrdup(root);

    char *journal = writer_journal(root);
    bool recovered;
    rc = fs_txn_recover(journal, &recovered, err);
    free(journal);
    if (rc != 0) {
        sm_error_prefix(err, "a write interrupted earlier cannot be undone");
        writer_unlock();
    }
    return rc;
}

void writer_unlock(void)
{
    if (held_fd < 0 || --held_depth > 0)
        return;
    /* the pid goes first, so that a waiting writer never names a process that is done */
    if (ftruncate(held_fd, 0) != 0) {
        /* only the message of a later writer could suffer */
    }
    flock(held_fd, LOCK_UN);
    close(held_fd);
    held_fd = -1;
    free(held_root);
    held_root = NULL;
}

int writer_recover(const char *root, sm_error *err)
{
    char *journal = writer_journal(root);
    bool pending = fs_exists(journal);
    free(journal);
    if (!pending)
        return 0;
    int rc = writer_lock(root, err);
    if (rc == 0)
        writer_unlock();
    return rc;
}
