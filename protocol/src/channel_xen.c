/* Xen channel backend: Debian's libxenvchan, in non-blocking mode.
 *
 * The guest (server) publishes its ring under its own xenstore path
 * data/vchan/<peer domid>/<port>; dom0 (client) finds it under
 * /local/domain/<guest domid>/data/vchan/0/<port> (the client is dom0,
 * domain 0).  Without Xen both inits fail (NULL, errno set) and leave
 * nothing behind.  No fd passing: write_with_fd fails with ENOTSUP.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxenvchan.h>

#include "channel_impl.h"

struct xen_chan {
    struct fen_chan base;
    struct libxenvchan *v;
};

static const struct fen_chan_ops xen_ops;

static struct xen_chan *xen_of(struct fen_chan *ch)
{
    return (struct xen_chan *)ch;
}

static struct libxenvchan *vchan_of_const(const struct fen_chan *ch)
{
    return ((const struct xen_chan *)ch)->v;
}

static struct fen_chan *wrap(struct libxenvchan *v)
{
    if (!v) {
        if (errno == 0)
            errno = ENODEV;
        return NULL;
    }
    struct xen_chan *xc = calloc(1, sizeof *xc);
    if (!xc) {
        libxenvchan_close(v);
        errno = ENOMEM;
        return NULL;
    }
    v->blocking = 0;
    xc->base.ops = &xen_ops;
    xc->v = v;
    return &xc->base;
}

struct fen_chan *fen_chan_xen_server(int domid, int port, size_t read_min, size_t write_min)
{
    char path[64];
    snprintf(path, sizeof path, "data/vchan/%d/%d", domid, port);
    errno = 0;
    return wrap(libxenvchan_server_init(NULL, domid, path, read_min, write_min));
}

struct fen_chan *fen_chan_xen_client(int domid, int port)
{
    char path[80];
    snprintf(path, sizeof path, "/local/domain/%d/data/vchan/0/%d", domid, port);
    errno = 0;
    return wrap(libxenvchan_client_init(NULL, domid, path));
}

static ssize_t xen_read(struct fen_chan *ch, void *buf, size_t n)
{
    struct libxenvchan *v = xen_of(ch)->v;
    if (libxenvchan_is_open(v) == 2)
        return 0;
    int r = libxenvchan_read(v, buf, n > 1u << 30 ? 1u << 30 : n);
    if (r == 0 && !libxenvchan_is_open(v) && libxenvchan_data_ready(v) == 0) {
        errno = EPIPE;
        return -1;
    }
    return r;
}

static ssize_t xen_write(struct fen_chan *ch, const void *buf, size_t n, int fd)
{
    if (fd >= 0) {
        errno = ENOTSUP;
        return -1;
    }
    struct libxenvchan *v = xen_of(ch)->v;
    if (libxenvchan_is_open(v) == 0) {
        errno = EPIPE;
        return -1;
    }
    return libxenvchan_write(v, buf, n > 1u << 30 ? 1u << 30 : n);
}

static int xen_take_fd(struct fen_chan *ch)
{
    return -1;
}

static int xen_wait(struct fen_chan *ch, bool block)
{
    struct libxenvchan *v = xen_of(ch)->v;
    struct pollfd p = {.fd = libxenvchan_fd_for_select(v), .events = POLLIN};
    int r;
    do
        r = poll(&p, 1, block ? -1 : 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    if (r > 0 && libxenvchan_wait(v) < 0)
        return -1;
    if (libxenvchan_is_open(v) == 0 && libxenvchan_data_ready(v) <= 0)
        return -1;
    return 0;
}

static size_t xen_data_ready(struct fen_chan *ch)
{
    int n = libxenvchan_data_ready(xen_of(ch)->v);
    return n > 0 ? (size_t)n : 0;
}

static size_t xen_buffer_space(struct fen_chan *ch)
{
    int n = libxenvchan_buffer_space(xen_of(ch)->v);
    return n > 0 ? (size_t)n : 0;
}

static int xen_fd(const struct fen_chan *ch)
{
    return libxenvchan_fd_for_select(vchan_of_const(ch));
}

static enum fen_chan_state xen_is_open(const struct fen_chan *ch)
{
    switch (libxenvchan_is_open(vchan_of_const(ch))) {
    case 1:
        return FEN_CHAN_OPEN;
    case 2:
        return FEN_CHAN_WAITING;
    default:
        return FEN_CHAN_CLOSED;
    }
}

static void xen_close(struct fen_chan *ch)
{
    struct xen_chan *xc = xen_of(ch);
    libxenvchan_close(xc->v);
    free(xc);
}

static const struct fen_chan_ops xen_ops = {
    .read = xen_read,
    .write = xen_write,
    .take_fd = xen_take_fd,
    .wait = xen_wait,
    .data_ready = xen_data_ready,
    .buffer_space = xen_buffer_space,
    .fd = xen_fd,
    .is_open = xen_is_open,
    .close = xen_close,
};
