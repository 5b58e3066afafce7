/* dom0 control sockets (see fenestra/ctl.h). */
#include "fenestra/ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int fen_runtime_dir(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    int n;
    if (xdg && *xdg)
        n = snprintf(buf, size, "%s/fenestra", xdg);
    else
        n = snprintf(buf, size, "/tmp/fenestra-%u", (unsigned)getuid());
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (mkdir(buf, 0700) < 0 && errno != EEXIST)
        return -1;
    /* An existing dir must be ours and private: the sockets in it are
     * trusted by everything in dom0. */
    struct stat st;
    if (lstat(buf, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
        errno = EPERM;
        return -1;
    }
    return 0;
}

int fen_ctl_path(char *buf, size_t size, const char *name)
{
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
    if (fen_runtime_dir(dir, sizeof dir) < 0)
        return -1;
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

static int fill_addr(struct sockaddr_un *addr, const char *path)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr->sun_path, path);
    return 0;
}

static void set_timeouts(int fd, int timeout_ms)
{
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

int fen_ctl_listen(const char *path)
{
    struct sockaddr_un addr;
    if (fill_addr(&addr, path) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        if (errno != EADDRINUSE)
            goto fail;
        /* Replace a stale socket, but never steal a live one. */
        int probe = fen_ctl_connect(path, 200);
        if (probe >= 0) {
            close(probe);
            errno = EADDRINUSE;
            goto fail;
        }
        unlink(path);
        if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
            goto fail;
    }
    if (chmod(path, 0600) < 0 || listen(fd, 16) < 0)
        goto fail;
    return fd;
fail:;
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

int fen_ctl_accept(int listen_fd, int timeout_ms)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return -1;
    set_timeouts(fd, timeout_ms);
    return fd;
}

ssize_t fen_ctl_read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0) {
        errno = EINVAL;
        return -1;
    }
    /* One byte at a time: the request line may be followed by a payload that
     * must stay unread in the socket. Lines are short; this is not hot. */
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = ECONNRESET;
            return -1;
        }
        if (c == '\n')
            break;
        if (n + 1 >= size) {
            errno = EMSGSIZE;
            return -1;
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    return (ssize_t)n;
}

int fen_ctl_read_full(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = ECONNRESET;
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int fen_ctl_write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fen_ctl_connect(const char *path, int timeout_ms)
{
    struct sockaddr_un addr;
    if (fill_addr(&addr, path) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    set_timeouts(fd, timeout_ms);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int fen_ctl_request(const char *path, const char *request, char *reply, size_t reply_size,
                    int timeout_ms)
{
    if (reply_size == 0 || strchr(request, '\n') || strlen(request) >= FEN_CTL_MAX_LINE) {
        errno = EINVAL;
        return -1;
    }
    int fd = fen_ctl_connect(path, timeout_ms);
    if (fd < 0)
        return -1;
    int rc = -1;
    if (fen_ctl_write_full(fd, request, strlen(request)) < 0 || fen_ctl_write_full(fd, "\n", 1) < 0)
        goto out;
    size_t n = 0;
    for (;;) {
        if (n + 1 >= reply_size)
            break; /* truncated reply: keep what fits */
        ssize_t r = read(fd, reply + n, reply_size - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto out;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    reply[n] = '\0';
    if (strncmp(reply, "ok", 2) == 0)
        rc = 0;
    else if (strncmp(reply, "error", 5) == 0)
        rc = 1;
    else
        errno = EPROTO;
out:;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}
