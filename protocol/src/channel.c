/* Channel API: spec parsing and dispatch to the local / xen backends. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "channel_impl.h"
#include "channel_tcp.h"

const char *fen_spec_backend(const char *spec, const char **rest)
{
    if (!spec)
        return NULL;
    const char *r = NULL;
    const char *backend = NULL;
    if (strncmp(spec, "local:", 6) == 0) {
        backend = "local";
        r = spec + 6;
    } else if (strncmp(spec, "xen:", 4) == 0) {
        backend = "xen";
        r = spec + 4;
        if (fen_spec_domid(r) < 0)
            return NULL;
    } else if (strncmp(spec, "tcp:", 4) == 0) {
        backend = "tcp";
        r = spec + 4;
        if (fen_tcp_spec_parse(r, NULL, NULL) < 0)
            return NULL;
    } else {
        return NULL;
    }
    if (*r == '\0')
        return NULL;
    if (rest)
        *rest = r;
    return backend;
}

static bool port_ok(int port)
{
    return port >= 0 && port <= 65535;
}

struct fen_chan *fen_chan_server_init(const char *spec, int port, size_t read_min,
                                      size_t write_min)
{
    const char *rest = NULL;
    const char *backend = fen_spec_backend(spec, &rest);
    if (!backend || !port_ok(port)) {
        errno = EINVAL;
        return NULL;
    }
    if (strcmp(backend, "local") == 0)
        return fen_chan_local_server(rest, port, read_min, write_min);
    if (strcmp(backend, "tcp") == 0)
        return fen_chan_tcp_server(rest, port, read_min, write_min);
    return fen_chan_xen_server(fen_spec_domid(rest), port, read_min, write_min);
}

struct fen_chan *fen_chan_client_init(const char *spec, int port)
{
    const char *rest = NULL;
    const char *backend = fen_spec_backend(spec, &rest);
    if (!backend || !port_ok(port)) {
        errno = EINVAL;
        return NULL;
    }
    if (strcmp(backend, "local") == 0)
        return fen_chan_local_client(rest, port);
    if (strcmp(backend, "tcp") == 0)
        return fen_chan_tcp_client(rest, port);
    return fen_chan_xen_client(fen_spec_domid(rest), port);
}

ssize_t fen_chan_read(struct fen_chan *ch, void *buf, size_t n)
{
    if (n == 0)
        return 0;
    return ch->ops->read(ch, buf, n);
}

ssize_t fen_chan_write(struct fen_chan *ch, const void *buf, size_t n)
{
    if (n == 0)
        return 0;
    return ch->ops->write(ch, buf, n, -1);
}

ssize_t fen_chan_write_with_fd(struct fen_chan *ch, const void *buf, size_t n, int fd)
{
    if (fd < 0 || n == 0) {
        errno = EINVAL;
        return -1;
    }
    return ch->ops->write(ch, buf, n, fd);
}

int fen_chan_take_fd(struct fen_chan *ch)
{
    return ch->ops->take_fd(ch);
}

int fen_chan_wait(struct fen_chan *ch, bool block)
{
    return ch->ops->wait(ch, block);
}

size_t fen_chan_data_ready(struct fen_chan *ch)
{
    return ch->ops->data_ready(ch);
}

size_t fen_chan_buffer_space(struct fen_chan *ch)
{
    return ch->ops->buffer_space(ch);
}

int fen_chan_fd(const struct fen_chan *ch)
{
    return ch->ops->fd(ch);
}

enum fen_chan_state fen_chan_is_open(const struct fen_chan *ch)
{
    return ch->ops->is_open(ch);
}

void fen_chan_close(struct fen_chan *ch)
{
    if (ch)
        ch->ops->close(ch);
}
