/* Local channel backend: a UNIX stream socket DIR/vchan-PORT.sock.
 *
 * The server binds (replacing a stale socket file), listens, and stays
 * FEN_CHAN_WAITING until fen_chan_wait accepts a client.  It then closes the
 * listener and removes the socket file: one server channel serves exactly one
 * client.  After that client goes away the owner closes the channel and
 * creates a new server for the next connection.
 *
 * Everything is non-blocking; writes use MSG_NOSIGNAL so a dead peer is an
 * error return, not SIGPIPE.  Every recvmsg collects SCM_RIGHTS fds into a
 * small FIFO (close-on-exec); fds beyond its cap are closed on arrival.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "channel_impl.h"
#include "channel_local.h"

struct local_chan {
    struct fen_chan base;
    enum fen_chan_state state;
    int listen_fd; /* server while WAITING, else -1 */
    int fd;        /* connected socket, else -1 */
    char *path;    /* server: socket file to remove, else NULL */
    int sndbuf;    /* wanted SO_SNDBUF / SO_RCVBUF (0 = default) */
    int rcvbuf;
    int fds[FEN_CHAN_LOCAL_MAX_FDS]; /* received fds, FIFO */
    size_t fd_head, fd_count;
};

static const struct fen_chan_ops local_ops;

static struct local_chan *local_of(struct fen_chan *ch)
{
    return (struct local_chan *)ch;
}

static const struct local_chan *local_of_const(const struct fen_chan *ch)
{
    return (const struct local_chan *)ch;
}

static struct local_chan *local_alloc(void)
{
    struct local_chan *lc = calloc(1, sizeof *lc);
    if (!lc)
        return NULL;
    lc->base.ops = &local_ops;
    lc->listen_fd = -1;
    lc->fd = -1;
    return lc;
}

static int socket_path(const char *dir, int port, struct sockaddr_un *sa, char **copy)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    int len = snprintf(sa->sun_path, sizeof sa->sun_path, "%s/vchan-%d.sock", dir, port);
    if (len < 0 || (size_t)len >= sizeof sa->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (copy) {
        *copy = strdup(sa->sun_path);
        if (!*copy)
            return -1;
    }
    return 0;
}

static void apply_bufsizes(struct local_chan *lc)
{
    /* A hint only: the kernel caps (and doubles) these. */
    if (lc->sndbuf > 0)
        (void)setsockopt(lc->fd, SOL_SOCKET, SO_SNDBUF, &lc->sndbuf, sizeof lc->sndbuf);
    if (lc->rcvbuf > 0)
        (void)setsockopt(lc->fd, SOL_SOCKET, SO_RCVBUF, &lc->rcvbuf, sizeof lc->rcvbuf);
}

static int clamp_int(size_t v)
{
    return v > INT_MAX / 2 ? INT_MAX / 2 : (int)v;
}

struct fen_chan *fen_chan_local_server(const char *dir, int port, size_t read_min, size_t write_min)
{
    struct sockaddr_un sa;
    struct local_chan *lc = local_alloc();
    if (!lc)
        return NULL;
    lc->sndbuf = clamp_int(write_min);
    lc->rcvbuf = clamp_int(read_min);
    if (socket_path(dir, port, &sa, &lc->path) < 0)
        goto fail;
    lc->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lc->listen_fd < 0)
        goto fail;
    /* A socket file left by a dead server would make bind fail: replace it,
     * but never remove something that is not a socket. */
    struct stat st;
    if (lstat(sa.sun_path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            errno = EEXIST;
            goto fail;
        }
        if (unlink(sa.sun_path) < 0)
            goto fail;
    }
    if (bind(lc->listen_fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        goto fail;
    if (listen(lc->listen_fd, 1) < 0) {
        int e = errno;
        unlink(lc->path);
        errno = e;
        goto fail;
    }
    lc->state = FEN_CHAN_WAITING;
    return &lc->base;
fail:;
    int e = errno;
    if (lc->listen_fd >= 0)
        close(lc->listen_fd);
    free(lc->path);
    free(lc);
    errno = e;
    return NULL;
}

struct fen_chan *fen_chan_local_client(const char *dir, int port)
{
    struct sockaddr_un sa;
    if (socket_path(dir, port, &sa, NULL) < 0)
        return NULL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    /* Connect blocking (a UNIX connect completes or fails at once), then
     * switch to non-blocking for all I/O. */
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    return fen_chan_local_from_fd(fd);
}

struct fen_chan *fen_chan_local_from_fd(int fd)
{
    if (fd < 0) {
        errno = EBADF;
        return NULL;
    }
    struct local_chan *lc = local_alloc();
    int fl = fcntl(fd, F_GETFL);
    if (!lc || fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        int e = errno;
        free(lc);
        close(fd);
        errno = e;
        return NULL;
    }
    lc->fd = fd;
    lc->state = FEN_CHAN_OPEN;
    return &lc->base;
}

static void queue_fd(struct local_chan *lc, int fd)
{
    if (lc->fd_count == FEN_CHAN_LOCAL_MAX_FDS) {
        close(fd); /* a peer flooding us with fds gets them closed */
        return;
    }
    lc->fds[(lc->fd_head + lc->fd_count) % FEN_CHAN_LOCAL_MAX_FDS] = fd;
    lc->fd_count++;
}

static void collect_fds(struct local_chan *lc, struct msghdr *mh)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const unsigned char *data = CMSG_DATA(c);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, data + i * sizeof(int), sizeof fd);
            if (fd >= 0)
                queue_fd(lc, fd);
        }
    }
}

static void mark_closed(struct local_chan *lc)
{
    lc->state = FEN_CHAN_CLOSED;
}

static ssize_t local_read(struct fen_chan *ch, void *buf, size_t n)
{
    struct local_chan *lc = local_of(ch);
    if (lc->state == FEN_CHAN_WAITING)
        return 0;
    if (lc->fd < 0)
        return -1;
    union {
        char buf[CMSG_SPACE(sizeof(int) * FEN_CHAN_LOCAL_MAX_FDS)];
        struct cmsghdr align;
    } cbuf;
    struct iovec iov = {.iov_base = buf, .iov_len = n};
    struct msghdr mh = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = cbuf.buf,
        .msg_controllen = sizeof cbuf.buf,
    };
    ssize_t r;
    do
        r = recvmsg(lc->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        mark_closed(lc);
        return -1;
    }
    collect_fds(lc, &mh);
    if (r == 0) {
        mark_closed(lc);
        errno = EPIPE;
        return -1;
    }
    return r;
}

static ssize_t local_write(struct fen_chan *ch, const void *buf, size_t n, int fd)
{
    struct local_chan *lc = local_of(ch);
    if (lc->state == FEN_CHAN_WAITING)
        return 0;
    if (lc->fd < 0 || lc->state == FEN_CHAN_CLOSED) {
        errno = EPIPE;
        return -1;
    }
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cbuf;
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = n};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        memset(&cbuf, 0, sizeof cbuf);
        mh.msg_control = cbuf.buf;
        mh.msg_controllen = sizeof cbuf.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    ssize_t r;
    do
        r = sendmsg(lc->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        mark_closed(lc);
        return -1;
    }
    return r;
}

static int local_take_fd(struct fen_chan *ch)
{
    struct local_chan *lc = local_of(ch);
    if (lc->fd_count == 0)
        return -1;
    int fd = lc->fds[lc->fd_head];
    lc->fd_head = (lc->fd_head + 1) % FEN_CHAN_LOCAL_MAX_FDS;
    lc->fd_count--;
    return fd;
}

static int accept_client(struct local_chan *lc, bool block)
{
    struct pollfd p = {.fd = lc->listen_fd, .events = POLLIN};
    int r;
    do
        r = poll(&p, 1, block ? -1 : 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    if (r == 0)
        return 0;
    int fd = accept4(lc->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR)
            return 0;
        return -1;
    }
    /* One client per server channel: stop listening, remove the name. */
    close(lc->listen_fd);
    lc->listen_fd = -1;
    unlink(lc->path);
    lc->fd = fd;
    lc->state = FEN_CHAN_OPEN;
    apply_bufsizes(lc);
    return 0;
}

static size_t local_data_ready(struct fen_chan *ch)
{
    struct local_chan *lc = local_of(ch);
    int n = 0;
    if (lc->fd < 0 || ioctl(lc->fd, FIONREAD, &n) < 0 || n < 0)
        return 0;
    return (size_t)n;
}

static int local_wait(struct fen_chan *ch, bool block)
{
    struct local_chan *lc = local_of(ch);
    if (lc->state == FEN_CHAN_WAITING)
        return accept_client(lc, block);
    if (lc->state == FEN_CHAN_CLOSED || lc->fd < 0)
        return -1;
    struct pollfd p = {.fd = lc->fd, .events = POLLIN | POLLRDHUP};
    int r;
    do
        r = poll(&p, 1, block ? -1 : 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    /* Peer gone and nothing left to read: closed.  With data left, the
     * caller reads it first (read then returns -1). */
    if ((p.revents & (POLLHUP | POLLERR | POLLRDHUP)) && local_data_ready(ch) == 0) {
        mark_closed(lc);
        return -1;
    }
    return 0;
}

static size_t local_buffer_space(struct fen_chan *ch)
{
    struct local_chan *lc = local_of(ch);
    if (lc->fd < 0 || lc->state != FEN_CHAN_OPEN)
        return 0;
    int sndbuf = 0, queued = 0;
    socklen_t len = sizeof sndbuf;
    if (getsockopt(lc->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) < 0 ||
        ioctl(lc->fd, SIOCOUTQ, &queued) < 0)
        return 0;
    return sndbuf > queued ? (size_t)(sndbuf - queued) : 0;
}

static int local_fd(const struct fen_chan *ch)
{
    const struct local_chan *lc = local_of_const(ch);
    return lc->state == FEN_CHAN_WAITING ? lc->listen_fd : lc->fd;
}

static enum fen_chan_state local_is_open(const struct fen_chan *ch)
{
    const struct local_chan *lc = local_of_const(ch);
    if (lc->state != FEN_CHAN_OPEN)
        return lc->state;
    struct pollfd p = {.fd = lc->fd, .events = POLLRDHUP};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLRDHUP)))
        return FEN_CHAN_CLOSED;
    return FEN_CHAN_OPEN;
}

static void local_close(struct fen_chan *ch)
{
    struct local_chan *lc = local_of(ch);
    while (lc->fd_count > 0)
        close(local_take_fd(ch));
    if (lc->listen_fd >= 0) {
        close(lc->listen_fd);
        unlink(lc->path);
    }
    if (lc->fd >= 0)
        close(lc->fd);
    free(lc->path);
    free(lc);
}

static const struct fen_chan_ops local_ops = {
    .read = local_read,
    .write = local_write,
    .take_fd = local_take_fd,
    .wait = local_wait,
    .data_ready = local_data_ready,
    .buffer_space = local_buffer_space,
    .fd = local_fd,
    .is_open = local_is_open,
    .close = local_close,
};
