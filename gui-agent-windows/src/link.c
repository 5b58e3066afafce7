/* One channel of the agent: listen (the guest is the channel server), accept
 * dom0, exchange HELLO, then read checked messages and queue writes.  A
 * broken or misbehaving peer drops the link; the next service call listens
 * again. */
#include <errno.h>
#include <string.h>

#include "agent.h"
#include "fenestra/log.h"

#define LINK_BUF_HINT (256u * 1024u)

int link_init(struct link *l, const char *name, int port, enum fen_stream in_stream,
              enum fen_stream_kind kind, size_t write_cap)
{
    l->name = name;
    l->port = port;
    l->in_stream = in_stream;
    l->kind = kind;
    l->rd = fen_reader_create(in_stream, 0);
    l->wr = fen_writer_create(write_cap);
    l->ev = WSACreateEvent();
    l->ev_fd = -1;
    if (!l->rd || !l->wr || l->ev == WSA_INVALID_EVENT)
        return -1;
    return 0;
}

void link_fini(struct link *l)
{
    fen_chan_close(l->ch);
    l->ch = NULL;
    fen_reader_destroy(l->rd);
    fen_writer_destroy(l->wr);
    if (l->ev != WSA_INVALID_EVENT && l->ev != NULL)
        WSACloseEvent(l->ev);
}

/* Keep the event attached to the channel's current socket. */
static void bind_event(struct link *l)
{
    int fd = l->ch ? fen_chan_fd(l->ch) : -1;
    if (fd == l->ev_fd || fd < 0)
        return;
    /* No FD_WRITE: the loop flushes pending output on a short timeout. */
    if (WSAEventSelect((SOCKET)fd, l->ev, FD_ACCEPT | FD_READ | FD_CLOSE) != 0)
        fen_log(WARN, "%s: WSAEventSelect failed (%d)", l->name, WSAGetLastError());
    l->ev_fd = fd;
}

void link_drop(struct agent *a, struct link *l, const char *why)
{
    if (!l->ch)
        return;
    fen_log(INFO, "%s channel: %s", l->name, why);
    bool was_ready = l->ready;
    l->ready = false;
    fen_chan_close(l->ch);
    l->ch = NULL;
    l->ev_fd = -1;
    fen_reader_reset(l->rd);
    fen_writer_reset(l->wr);
    if (was_ready && l->on_down)
        l->on_down(a);
}

int link_send(struct agent *a, struct link *l, uint32_t type, uint32_t window, const void *body,
              uint32_t len)
{
    if (!l->ch)
        return -1;
    if (fen_writer_send(l->wr, l->ch, type, window, body, len, -1) != 0) {
        link_drop(a, l, errno == ENOBUFS ? "dom0 stopped reading" : "write failed");
        return -1;
    }
    return 0;
}

static void send_hello(struct agent *a, struct link *l)
{
    struct fen_msg_hello h = {
        .magic = FEN_PROTO_MAGIC,
        .major = FEN_PROTO_MAJOR,
        .minor = FEN_PROTO_MINOR,
        .stream = l->kind,
    };
    (void)link_send(a, l, FEN_MSG_HELLO, 0, &h, sizeof h);
}

static void handle_msg(struct agent *a, struct link *l, const uint8_t *buf, size_t len)
{
    static struct fen_msg msg; /* large; one thread */
    struct fen_error err = {0};
    if (fen_parse_msg(l->in_stream, buf, len, 0, &msg, &err) != FEN_OK) {
        fen_log(WARN, "%s: bad message from dom0: %s", l->name, err.reason);
        link_drop(a, l, "dropped after a bad message");
        return;
    }
    if (!l->ready) {
        uint32_t minor = 0;
        if (msg.type != FEN_MSG_HELLO ||
            fen_negotiate_version(&msg.u.hello, l->kind, &minor, &err) != FEN_OK) {
            fen_log(WARN, "%s: bad handshake: %s", l->name,
                    msg.type == FEN_MSG_HELLO ? err.reason : "first message is not HELLO");
            link_drop(a, l, "dropped after a bad handshake");
            return;
        }
        if (l->kind == FEN_STREAM_GUI) {
            a->screen_w = msg.u.hello.screen_w;
            a->screen_h = msg.u.hello.screen_h;
        }
        l->ready = true;
        fen_log(INFO, "%s: connected, protocol %u.%u", l->name, FEN_PROTO_MAJOR, minor);
        if (l->on_ready)
            l->on_ready(a);
        return;
    }
    if (msg.type == FEN_MSG_HELLO) {
        link_drop(a, l, "dropped after a second HELLO");
        return;
    }
    if (l->on_msg)
        l->on_msg(a, &msg);
}

void link_service(struct agent *a, struct link *l)
{
    if (!l->ch) {
        l->ch = fen_chan_server_init(a->cfg->spec, l->port, LINK_BUF_HINT, LINK_BUF_HINT);
        if (!l->ch) {
            if (!l->init_failed_logged)
                fen_log_errno(ERROR, "%s: cannot listen on %s port %d", l->name, a->cfg->spec,
                              l->port);
            l->init_failed_logged = true;
            return;
        }
        l->init_failed_logged = false;
        bind_event(l);
    }
    /* Clear the recorded network events too (a bare WSAResetEvent leaves
     * them set and Wine signals the event again at once). */
    WSANETWORKEVENTS ne;
    if (l->ev_fd >= 0)
        (void)WSAEnumNetworkEvents((SOCKET)l->ev_fd, l->ev, &ne);
    if (fen_chan_is_open(l->ch) == FEN_CHAN_WAITING) {
        if (fen_chan_wait(l->ch, false) != 0) {
            link_drop(a, l, "listening failed");
            return;
        }
        if (fen_chan_is_open(l->ch) != FEN_CHAN_OPEN)
            return;
        bind_event(l);
        fen_log(INFO, "%s: dom0 connected", l->name);
        send_hello(a, l);
        if (!l->ch)
            return;
    }
    for (int budget = 0; l->ch && budget < 256; budget++) {
        const uint8_t *buf = NULL;
        size_t len = 0;
        struct fen_error err = {0};
        enum fen_read_status st = fen_reader_next(l->rd, l->ch, &buf, &len, &err);
        if (st == FEN_READ_AGAIN)
            break;
        if (st == FEN_READ_MSG) {
            handle_msg(a, l, buf, len);
            continue;
        }
        link_drop(a, l, st == FEN_READ_EOF ? "dom0 went away" : err.reason);
        return;
    }
    if (l->ch && fen_writer_pending(l->wr) > 0 && fen_writer_flush(l->wr, l->ch) != 0)
        link_drop(a, l, "write failed");
}
