/* clip-agent: the guest side of the clipboard channel.  It is the channel's
 * server (either side may start first; after a disconnect it serves again),
 * answers dom0's copy requests with the guest's CLIPBOARD text and, on a
 * paste, owns CLIPBOARD and PRIMARY with the pasted text. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/clock.h"
#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/msgio.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"
#include "../policy.h"
#include "xsel.h"

#define WRITER_CAP (FEN_MAX_CLIPBOARD_BYTES + 64u * 1024u)
#define RETRY_MS 500u

enum link_state { LINK_NONE, LINK_WAITING, LINK_HANDSHAKE, LINK_READY };

struct agent {
    const char *spec;
    struct xsel *xsel;
    struct fen_chan *chan;
    struct fen_reader *reader;
    struct fen_writer *writer;
    enum link_state state;
    uint64_t retry_ms;
    bool fetching;
    bool more; /* the last turn stopped at its bound: messages may be buffered */
    uint32_t request_id; /* of the fetch in progress */
    uint32_t max_bytes;  /* dom0's limit for it */
};

static volatile sig_atomic_t stop_requested;

static void handle_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void link_close(struct agent *a, const char *why)
{
    if (a->chan)
        fen_log(INFO, "clipboard channel closed: %s", why);
    fen_chan_close(a->chan);
    a->chan = NULL;
    a->state = LINK_NONE;
    a->more = false;
    a->retry_ms = 0;
    a->fetching = false;
    fen_reader_reset(a->reader);
    fen_writer_reset(a->writer);
}

static void link_serve(struct agent *a, uint64_t now)
{
    a->chan = fen_chan_server_init(a->spec, FEN_PORT_CLIPBOARD, 64 * 1024, 1024 * 1024);
    if (!a->chan) {
        fen_log_errno(WARN, "cannot serve the clipboard channel at %s; retrying", a->spec);
        a->retry_ms = now + RETRY_MS;
        return;
    }
    a->state = LINK_WAITING;
}

static void send_msg(struct agent *a, uint32_t type, const void *body, uint32_t len)
{
    if (fen_writer_send(a->writer, a->chan, type, 0, body, len, -1) < 0)
        link_close(a, errno == ENOBUFS ? "dom0 stopped reading" : "write failed");
}

/* The fetch finished: send CLIP_DATA for the request that started it. */
static void on_fetch_done(void *ctx, enum xsel_fetch_status status, const uint8_t *text,
                          size_t length, size_t total)
{
    struct agent *a = ctx;
    if (!a->fetching || a->state != LINK_READY)
        return;
    a->fetching = false;
    if (status == XSEL_FETCH_FAILED)
        return; /* dom0 times the request out and tells the user */
    if (total > length && length <= a->max_bytes) {
        /* Only when the limit is the protocol maximum: one byte more cannot
         * be sent, and a cut text must never pass for the whole. */
        fen_log(WARN, "clipboard holds more than the protocol maximum (%zu bytes); not sent",
                total);
        return;
    }
    if (total > length)
        fen_log(INFO, "clipboard holds more than dom0's limit (%zu bytes); sending %zu so dom0 "
                      "refuses it", total, length);
    size_t body_len = sizeof(struct fen_msg_clip_data) + length;
    uint8_t *body = malloc(body_len);
    if (!body) {
        fen_log(ERROR, "out of memory for a %zu byte reply", length);
        return;
    }
    struct fen_msg_clip_data d = {.request_id = a->request_id, .length = (uint32_t)length};
    memcpy(body, &d, sizeof d);
    if (length)
        memcpy(body + sizeof d, text, length);
    send_msg(a, FEN_MSG_CLIP_DATA, body, (uint32_t)body_len);
    explicit_bzero(body, body_len);
    free(body);
    fen_log(INFO, "answered copy request %u with %zu bytes", d.request_id, length);
}

static void handle_message(struct agent *a, const uint8_t *buf, size_t len, uint64_t now)
{
    struct fen_msg m;
    struct fen_error err;
    uint32_t minor;
    if (fen_parse_msg(FEN_CLIP_FROM_DOM0, buf, len, 0, &m, &err) != FEN_OK) {
        link_close(a, err.reason);
        return;
    }
    if (a->state == LINK_HANDSHAKE) {
        if (m.type != FEN_MSG_HELLO ||
            fen_negotiate_version(&m.u.hello, FEN_STREAM_CLIPBOARD, &minor, &err) != FEN_OK) {
            link_close(a, m.type != FEN_MSG_HELLO ? "first message is not HELLO" : err.reason);
            return;
        }
        a->state = LINK_READY;
        fen_log(INFO, "clipboard channel ready (version %u.%u)", FEN_PROTO_MAJOR, minor);
        return;
    }
    switch (m.type) {
    case FEN_MSG_CLIP_REQUEST: {
        /* Keep one byte past the limit: enough for dom0 to see "too big"
         * without shipping megabytes it will refuse. */
        size_t cap = (size_t)m.u.clip_request.max_bytes + 1;
        if (cap > FEN_MAX_CLIPBOARD_BYTES)
            cap = FEN_MAX_CLIPBOARD_BYTES;
        a->fetching = true;
        a->request_id = m.u.clip_request.request_id;
        a->max_bytes = m.u.clip_request.max_bytes;
        xsel_fetch(a->xsel, cap, now);
        break;
    }
    case FEN_MSG_CLIP_PASTE: {
        if (xsel_own(a->xsel, (const uint8_t *)m.u.clip_data.text, m.u.clip_data.length) < 0)
            fen_log(WARN, "paste of %u bytes could not be offered", m.u.clip_data.length);
        /* Taken (offered, or refused by X for good): dom0 may forget it.
         * Not sent if we die first, and dom0 then sends it again. */
        struct fen_msg_clip_paste_ack ack = {m.u.clip_data.request_id};
        send_msg(a, FEN_MSG_CLIP_PASTE_ACK, &ack, sizeof ack);
        break;
    }
    default:
        link_close(a, "unexpected message");
        break;
    }
}

static void link_service(struct agent *a, short revents, uint64_t now)
{
    if (a->state == LINK_NONE) {
        if (now >= a->retry_ms)
            link_serve(a, now);
        return;
    }
    if (!revents && !a->more)
        return;
    if (fen_chan_wait(a->chan, false) < 0) {
        link_close(a, "peer gone");
        return;
    }
    if (a->state == LINK_WAITING) {
        if (fen_chan_is_open(a->chan) != FEN_CHAN_OPEN)
            return;
        fen_log(INFO, "dom0 connected to the clipboard channel");
        struct fen_msg_hello hello = {.magic = FEN_PROTO_MAGIC,
                                      .major = FEN_PROTO_MAJOR,
                                      .minor = FEN_PROTO_MINOR,
                                      .stream = FEN_STREAM_CLIPBOARD};
        a->state = LINK_HANDSHAKE;
        send_msg(a, FEN_MSG_HELLO, &hello, sizeof hello);
    }
    a->more = true;
    for (int i = 0; i < 16 && a->chan; i++) {
        const uint8_t *msg;
        size_t len;
        struct fen_error err;
        enum fen_read_status st = fen_reader_next(a->reader, a->chan, &msg, &len, &err);
        if (st == FEN_READ_AGAIN) {
            a->more = false;
            break;
        }
        if (st == FEN_READ_MSG)
            handle_message(a, msg, len, now);
        else
            link_close(a, st == FEN_READ_EOF ? "dom0 closed it" : err.reason);
    }
    if (a->chan && fen_writer_pending(a->writer) && fen_writer_flush(a->writer, a->chan) < 0)
        link_close(a, "write failed");
}

static int run(struct agent *a)
{
    while (!stop_requested) {
        uint64_t now = fen_monotonic_ms();
        uint64_t next = xsel_next_deadline(a->xsel);
        if (a->state == LINK_NONE && a->retry_ms < next)
            next = a->retry_ms;
        int timeout = next == UINT64_MAX ? 1000 : next > now ? (int)(next - now) : 0;
        if (timeout > 1000)
            timeout = 1000;
        if (a->chan && a->more)
            timeout = 0;
        struct pollfd pfds[2] = {{.fd = xsel_fd(a->xsel), .events = POLLIN}, {.fd = -1}};
        if (a->chan) {
            pfds[1].fd = fen_chan_fd(a->chan);
            pfds[1].events = POLLIN;
            if (fen_writer_pending(a->writer))
                pfds[1].events |= POLLOUT;
        }
        if (poll(pfds, 2, timeout) < 0 && errno != EINTR) {
            fen_log_errno(ERROR, "poll");
            return 1;
        }
        now = fen_monotonic_ms();
        link_service(a, pfds[1].revents, now);
        if (xsel_dispatch(a->xsel, now) < 0)
            return 1;
        xsel_tick(a->xsel, now);
    }
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: clip-agent --qube NAME --listen SPEC [--display DISPLAY]\n\n"
                 "Guest side of Fenestra's clipboard: serves the clipboard channel at SPEC\n"
                 "(local:DIR or xen:DOMID), answers dom0's copy requests with this display's\n"
                 "CLIPBOARD text and owns CLIPBOARD and PRIMARY after a paste.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"qube", required_argument, NULL, 'q'},    {"listen", required_argument, NULL, 'l'},
        {"display", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *qube = NULL, *display = NULL;
    struct agent a = {0};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'q': qube = optarg; break;
        case 'l': a.spec = optarg; break;
        case 'd': display = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!qube || !a.spec || optind != argc || !fen_qube_name_valid(qube)) {
        usage(stderr);
        return 2;
    }
    fen_log_init("clip-agent", qube);
    struct sigaction sa = {.sa_handler = handle_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = 1;
    a.reader = fen_reader_create(FEN_CLIP_FROM_DOM0, 0);
    a.writer = fen_writer_create(WRITER_CAP);
    a.xsel = xsel_create(display, on_fetch_done, &a);
    if (a.reader && a.writer && a.xsel) {
        link_serve(&a, fen_monotonic_ms());
        rc = run(&a);
    }
    fen_chan_close(a.chan);
    xsel_destroy(a.xsel);
    fen_reader_destroy(a.reader);
    fen_writer_destroy(a.writer);
    return rc;
}
