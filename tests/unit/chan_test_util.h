/* Helpers shared by the channel / pages / msgio unit tests: private socket
 * directories, connected channel pairs, child processes. */
#ifndef FEN_CHAN_TEST_UTIL_H
#define FEN_CHAN_TEST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "../../protocol/src/channel_local.h"

struct test_dir {
    char path[64];
    char spec[80];
};

static inline void test_dir_make(struct test_dir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/fen-chan-XXXXXX");
    if (!mkdtemp(d->path))
        abort();
    snprintf(d->spec, sizeof d->spec, "local:%s", d->path);
}

static inline void test_dir_remove(struct test_dir *d)
{
    DIR *dir = opendir(d->path);
    if (dir) {
        struct dirent *e;
        char p[400];
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
            unlink(p);
        }
        closedir(dir);
    }
    rmdir(d->path);
}

/* Two ends of a connected local channel in this process. */
static inline void chan_pair(struct fen_chan **a, struct fen_chan **b)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        abort();
    *a = fen_chan_local_from_fd(sv[0]);
    *b = fen_chan_local_from_fd(sv[1]);
    if (!*a || !*b)
        abort();
}

/* Client connect, retrying while the server is not there yet (bounded). */
static inline struct fen_chan *client_connect(const char *spec, int port)
{
    for (int i = 0; i < 500; i++) {
        struct fen_chan *c = fen_chan_client_init(spec, port);
        if (c)
            return c;
        usleep(10000);
    }
    return NULL;
}

/* Server: accept the client, waiting at most ~10 s. */
static inline int server_accept(struct fen_chan *s)
{
    for (int i = 0; i < 1000 && fen_chan_is_open(s) == FEN_CHAN_WAITING; i++) {
        struct pollfd p = {.fd = fen_chan_fd(s), .events = POLLIN};
        poll(&p, 1, 10);
        if (fen_chan_wait(s, false) < 0)
            return -1;
    }
    /* OPEN, or already CLOSED by a quick peer: either way accepted. */
    return fen_chan_is_open(s) != FEN_CHAN_WAITING ? 0 : -1;
}

/* Write all of buf, polling for space (bounded ~20 s); 0 or -1. */
static inline int write_all(struct fen_chan *ch, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    for (int polls = 0; n > 0 && polls < 2000;) {
        ssize_t w = fen_chan_write(ch, p, n);
        if (w < 0)
            return -1;
        if (w == 0) {
            struct pollfd pf = {.fd = fen_chan_fd(ch), .events = POLLOUT};
            poll(&pf, 1, 10);
            polls++;
            continue;
        }
        p += w;
        n -= (size_t)w;
    }
    return n == 0 ? 0 : -1;
}

/* Read exactly n bytes (bounded ~20 s); 0 or -1. */
static inline int read_all(struct fen_chan *ch, void *buf, size_t n)
{
    unsigned char *p = buf;
    for (int polls = 0; n > 0 && polls < 2000;) {
        ssize_t r = fen_chan_read(ch, p, n);
        if (r < 0)
            return -1;
        if (r == 0) {
            struct pollfd pf = {.fd = fen_chan_fd(ch), .events = POLLIN};
            poll(&pf, 1, 10);
            polls++;
            continue;
        }
        p += r;
        n -= (size_t)r;
    }
    return n == 0 ? 0 : -1;
}

/* Wait for a child; its exit status, or 128+signal. */
static inline int child_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 255;
}

/* Number of open fds of this process. */
static inline int count_open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3; /* ".", "..", and the DIR's own fd */
}

#endif
