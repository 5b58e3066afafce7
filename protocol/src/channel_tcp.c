/* Loopback TCP channel backend: "tcp:PORTBASE[:POOLPATH]" (channel_tcp.h).
 *
 * Same life cycle as the local backend: the server (guest) listens on
 * 127.0.0.1:PORTBASE+(P-6000) and stays FEN_CHAN_WAITING until fen_chan_wait
 * accepts one client, then stops listening (a second connection is refused
 * by the kernel).  The client (dom0) connects to 127.0.0.1 only.  Every
 * accepted or connected peer is checked to be 127.0.0.1 again, so a spec can
 * never make either side talk to another host.  No fd passing.
 *
 * Threat note: unlike a UNIX socket in a 0700 directory, a loopback port is
 * reachable by every local user of the machine.  That is acceptable for the
 * Wine test setup (guest and dom0 are the same user anyway) and documented
 * in docs/windows-agent.md; a real deployment uses the xen backend.
 *
 * Portable: POSIX sockets on Linux, Winsock on Windows (the caller of the
 * Windows build runs WSAStartup).
 */
#include "channel_tcp.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "channel_impl.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
typedef SOCKET sock_t;
#define BAD_SOCK INVALID_SOCKET
#define sock_close closesocket
static int sock_errno(void)
{
    int e = WSAGetLastError();
    switch (e) {
    case WSAEWOULDBLOCK:
        return EAGAIN;
    case WSAEINTR:
        return EINTR;
    case WSAECONNREFUSED:
        return ECONNREFUSED;
    case WSAEADDRINUSE:
        return EADDRINUSE;
    default:
        return EPIPE;
    }
}
#define SEND_FLAGS 0
#else
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
typedef int sock_t;
#define BAD_SOCK (-1)
#define sock_close close
static int sock_errno(void)
{
    return errno;
}
#define SEND_FLAGS MSG_NOSIGNAL
#endif

struct tcp_chan {
    struct fen_chan base;
    enum fen_chan_state state;
    sock_t listen_sock; /* server while WAITING */
    sock_t sock;        /* connected socket */
    int sndbuf, rcvbuf; /* wanted buffer sizes (0 = default) */
};

static const struct fen_chan_ops tcp_ops;

static struct tcp_chan *tcp_of(struct fen_chan *ch)
{
    return (struct tcp_chan *)ch;
}

static const struct tcp_chan *tcp_of_const(const struct fen_chan *ch)
{
    return (const struct tcp_chan *)ch;
}

/* ---- spec ------------------------------------------------------------------ */

int fen_tcp_spec_parse(const char *rest, uint16_t *portbase, const char **pool_path)
{
    if (!rest)
        return -1;
    unsigned long v = 0;
    size_t i = 0;
    for (; rest[i] >= '0' && rest[i] <= '9'; i++) {
        if (i >= 5)
            return -1;
        v = v * 10 + (unsigned long)(rest[i] - '0');
    }
    if (i == 0 || (rest[i] != '\0' && rest[i] != ':'))
        return -1;
    if (v < 1024 || v > 65535ul - (FEN_TCP_PORT_SPAN - 1))
        return -1;
    const char *path = NULL;
    if (rest[i] == ':') {
        path = rest + i + 1;
        if (*path == '\0')
            return -1;
    }
    if (portbase)
        *portbase = (uint16_t)v;
    if (pool_path)
        *pool_path = path;
    return 0;
}

int fen_tcp_port_for(uint16_t portbase, int port)
{
    if (port < FEN_PORT_GUI || port >= FEN_PORT_GUI + FEN_TCP_PORT_SPAN)
        return -1;
    return portbase + (port - FEN_PORT_GUI);
}

static int loopback_addr(const char *rest, int port, struct sockaddr_in *sa)
{
    uint16_t base;
    if (fen_tcp_spec_parse(rest, &base, NULL) < 0) {
        errno = EINVAL;
        return -1;
    }
    int tport = fen_tcp_port_for(base, port);
    if (tport < 0) {
        errno = EINVAL;
        return -1;
    }
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)tport);
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return 0;
}

/* ---- socket helpers ------------------------------------------------------------ */

static int set_nonblocking(sock_t s)
{
#ifdef _WIN32
    u_long on = 1;
    return ioctlsocket(s, FIONBIO, &on) == 0 ? 0 : -1;
#else
    int fl = fcntl(s, F_GETFL);
    if (fl < 0 || fcntl(s, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(s, F_SETFD, FD_CLOEXEC) < 0)
        return -1;
    return 0;
#endif
}

static sock_t new_socket(void)
{
#ifdef _WIN32
    sock_t s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT);
    if (s == BAD_SOCK)
        errno = sock_errno();
    return s;
#else
    return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
#endif
}

static bool peer_is_loopback(sock_t s)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    memset(&peer, 0, sizeof peer);
    if (getpeername(s, (struct sockaddr *)&peer, &len) != 0 || peer.sin_family != AF_INET)
        return false;
    return ntohl(peer.sin_addr.s_addr) == INADDR_LOOPBACK;
}

static void tune_connected(struct tcp_chan *tc)
{
    int one = 1;
    (void)setsockopt(tc->sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    if (tc->sndbuf > 0)
        (void)setsockopt(tc->sock, SOL_SOCKET, SO_SNDBUF, (const char *)&tc->sndbuf,
                         sizeof tc->sndbuf);
    if (tc->rcvbuf > 0)
        (void)setsockopt(tc->sock, SOL_SOCKET, SO_RCVBUF, (const char *)&tc->rcvbuf,
                         sizeof tc->rcvbuf);
}

/* Wait until `s` is readable: 1 readable, 0 not (timeout), -1 error. */
static int wait_readable(sock_t s, bool block)
{
#ifdef _WIN32
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    struct timeval tv = {0, 0};
    int r = select(0, &rd, NULL, NULL, block ? NULL : &tv);
    return r == SOCKET_ERROR ? -1 : (r > 0 ? 1 : 0);
#else
    struct pollfd p = {.fd = s, .events = POLLIN};
    int r;
    do
        r = poll(&p, 1, block ? -1 : 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    return r > 0 ? 1 : 0;
#endif
}

static int clamp_int(size_t v)
{
    return v > INT_MAX / 2 ? INT_MAX / 2 : (int)v;
}

static struct tcp_chan *tcp_alloc(void)
{
    struct tcp_chan *tc = calloc(1, sizeof *tc);
    if (!tc)
        return NULL;
    tc->base.ops = &tcp_ops;
    tc->listen_sock = BAD_SOCK;
    tc->sock = BAD_SOCK;
    return tc;
}

/* ---- create -------------------------------------------------------------------- */

struct fen_chan *fen_chan_tcp_server(const char *rest, int port, size_t read_min, size_t write_min)
{
    struct sockaddr_in sa;
    if (loopback_addr(rest, port, &sa) < 0)
        return NULL;
    struct tcp_chan *tc = tcp_alloc();
    if (!tc)
        return NULL;
    tc->sndbuf = clamp_int(write_min);
    tc->rcvbuf = clamp_int(read_min);
    tc->listen_sock = new_socket();
    if (tc->listen_sock == BAD_SOCK)
        goto fail;
    int one = 1;
#ifdef _WIN32
    /* Windows' SO_REUSEADDR would let another process steal the port. */
    (void)setsockopt(tc->listen_sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one,
                     sizeof one);
#else
    /* Only lets us rebind over TIME_WAIT leftovers; Linux still refuses a
     * second listener on the port. */
    (void)setsockopt(tc->listen_sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
#endif
    if (bind(tc->listen_sock, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(tc->listen_sock, 1) != 0 || set_nonblocking(tc->listen_sock) < 0) {
        errno = sock_errno();
        goto fail;
    }
    tc->state = FEN_CHAN_WAITING;
    return &tc->base;
fail:;
    int e = errno;
    if (tc->listen_sock != BAD_SOCK)
        sock_close(tc->listen_sock);
    free(tc);
    errno = e;
    return NULL;
}

struct fen_chan *fen_chan_tcp_client(const char *rest, int port)
{
    struct sockaddr_in sa;
    if (loopback_addr(rest, port, &sa) < 0)
        return NULL;
    struct tcp_chan *tc = tcp_alloc();
    if (!tc)
        return NULL;
    tc->sock = new_socket();
    if (tc->sock == BAD_SOCK)
        goto fail;
    /* Blocking connect: on loopback it completes or is refused at once. */
    if (connect(tc->sock, (struct sockaddr *)&sa, sizeof sa) != 0) {
        errno = sock_errno();
        goto fail;
    }
    if (!peer_is_loopback(tc->sock)) {
        errno = EPERM;
        goto fail;
    }
    if (set_nonblocking(tc->sock) < 0) {
        errno = sock_errno();
        goto fail;
    }
    tune_connected(tc);
    tc->state = FEN_CHAN_OPEN;
    return &tc->base;
fail:;
    int e = errno;
    if (tc->sock != BAD_SOCK)
        sock_close(tc->sock);
    free(tc);
    errno = e;
    return NULL;
}

/* ---- ops ------------------------------------------------------------------------ */

static ssize_t tcp_read(struct fen_chan *ch, void *buf, size_t n)
{
    struct tcp_chan *tc = tcp_of(ch);
    if (tc->state == FEN_CHAN_WAITING)
        return 0;
    if (tc->sock == BAD_SOCK || tc->state == FEN_CHAN_CLOSED) {
        errno = EPIPE;
        return -1;
    }
    int want = n > INT_MAX ? INT_MAX : (int)n;
    ssize_t r;
    do
        r = recv(tc->sock, buf, want, 0);
    while (r < 0 && sock_errno() == EINTR);
    if (r < 0) {
        int e = sock_errno();
        if (e == EAGAIN || e == EWOULDBLOCK)
            return 0;
        tc->state = FEN_CHAN_CLOSED;
        errno = e;
        return -1;
    }
    if (r == 0) {
        tc->state = FEN_CHAN_CLOSED;
        errno = EPIPE;
        return -1;
    }
    return r;
}

static ssize_t tcp_write(struct fen_chan *ch, const void *buf, size_t n, int fd)
{
    struct tcp_chan *tc = tcp_of(ch);
    if (fd >= 0) {
        errno = ENOTSUP; /* no fd passing over TCP */
        return -1;
    }
    if (tc->state == FEN_CHAN_WAITING)
        return 0;
    if (tc->sock == BAD_SOCK || tc->state == FEN_CHAN_CLOSED) {
        errno = EPIPE;
        return -1;
    }
    int want = n > INT_MAX ? INT_MAX : (int)n;
    ssize_t r;
    do
        r = send(tc->sock, buf, want, SEND_FLAGS);
    while (r < 0 && sock_errno() == EINTR);
    if (r < 0) {
        int e = sock_errno();
        if (e == EAGAIN || e == EWOULDBLOCK)
            return 0;
        tc->state = FEN_CHAN_CLOSED;
        errno = EPIPE;
        return -1;
    }
    return r;
}

static int tcp_take_fd(struct fen_chan *ch)
{
    return -1;
}

static int accept_client(struct tcp_chan *tc, bool block)
{
    int r = wait_readable(tc->listen_sock, block);
    if (r < 0)
        return -1;
    if (r == 0)
        return 0;
    sock_t s = accept(tc->listen_sock, NULL, NULL);
    if (s == BAD_SOCK) {
        int e = sock_errno();
        if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED)
            return 0;
        return -1;
    }
    if (!peer_is_loopback(s) || set_nonblocking(s) < 0) {
        sock_close(s); /* never happens with a 127.0.0.1 listener; belt and braces */
        return 0;
    }
    /* One client per server channel. */
    sock_close(tc->listen_sock);
    tc->listen_sock = BAD_SOCK;
    tc->sock = s;
    tc->state = FEN_CHAN_OPEN;
    tune_connected(tc);
    return 0;
}

static size_t tcp_data_ready(struct fen_chan *ch)
{
    struct tcp_chan *tc = tcp_of(ch);
    if (tc->sock == BAD_SOCK)
        return 0;
#ifdef _WIN32
    u_long n = 0;
    if (ioctlsocket(tc->sock, FIONREAD, &n) != 0)
        return 0;
    return n;
#else
    int n = 0;
    if (ioctl(tc->sock, FIONREAD, &n) < 0 || n < 0)
        return 0;
    return (size_t)n;
#endif
}

/* 1 when the peer has closed and nothing is left to read. */
static bool peer_gone(sock_t s)
{
    if (wait_readable(s, false) <= 0)
        return false;
    char c;
    ssize_t r = recv(s, &c, 1, MSG_PEEK);
    if (r == 0)
        return true;
    if (r < 0) {
        int e = sock_errno();
        return !(e == EAGAIN || e == EWOULDBLOCK || e == EINTR);
    }
    return false;
}

static int tcp_wait(struct fen_chan *ch, bool block)
{
    struct tcp_chan *tc = tcp_of(ch);
    if (tc->state == FEN_CHAN_WAITING)
        return accept_client(tc, block);
    if (tc->state == FEN_CHAN_CLOSED || tc->sock == BAD_SOCK)
        return -1;
    if (wait_readable(tc->sock, block) < 0)
        return -1;
    if (peer_gone(tc->sock)) {
        tc->state = FEN_CHAN_CLOSED;
        return -1;
    }
    return 0;
}

static size_t tcp_buffer_space(struct fen_chan *ch)
{
    struct tcp_chan *tc = tcp_of(ch);
    if (tc->sock == BAD_SOCK || tc->state != FEN_CHAN_OPEN)
        return 0;
    int sndbuf = 0;
    socklen_t len = sizeof sndbuf;
    if (getsockopt(tc->sock, SOL_SOCKET, SO_SNDBUF, (char *)&sndbuf, &len) != 0 || sndbuf <= 0)
        return 0;
#ifdef _WIN32
    /* Winsock cannot tell what is still queued; send() reports short. */
    return (size_t)sndbuf;
#else
    int queued = 0;
    if (ioctl(tc->sock, SIOCOUTQ, &queued) < 0)
        return 0;
    return sndbuf > queued ? (size_t)(sndbuf - queued) : 0;
#endif
}

static int tcp_fd(const struct fen_chan *ch)
{
    const struct tcp_chan *tc = tcp_of_const(ch);
    sock_t s = tc->state == FEN_CHAN_WAITING ? tc->listen_sock : tc->sock;
    /* Winsock handles are small integers in practice; -1 when none. */
    return s == BAD_SOCK ? -1 : (int)s;
}

static enum fen_chan_state tcp_is_open(const struct fen_chan *ch)
{
    const struct tcp_chan *tc = tcp_of_const(ch);
    if (tc->state != FEN_CHAN_OPEN)
        return tc->state;
    return peer_gone(tc->sock) ? FEN_CHAN_CLOSED : FEN_CHAN_OPEN;
}

static void tcp_close(struct fen_chan *ch)
{
    struct tcp_chan *tc = tcp_of(ch);
    if (tc->listen_sock != BAD_SOCK)
        sock_close(tc->listen_sock);
    if (tc->sock != BAD_SOCK)
        sock_close(tc->sock);
    free(tc);
}

static const struct fen_chan_ops tcp_ops = {
    .read = tcp_read,
    .write = tcp_write,
    .take_fd = tcp_take_fd,
    .wait = tcp_wait,
    .data_ready = tcp_data_ready,
    .buffer_space = tcp_buffer_space,
    .fd = tcp_fd,
    .is_open = tcp_is_open,
    .close = tcp_close,
};
