/* The audio channel on a PulseAudio main loop: connect/accept, HELLO,
 * parse-and-dispatch, bounded output queue, reconnect. */
#include "audio_link.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pulse/timeval.h>

#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/msgio.h"

#define RETRY_USEC (100 * 1000)  /* client connect / server re-listen */
#define FLUSH_USEC (2 * 1000)    /* output queue retry while pending */
#define MSGS_PER_WAKEUP 64       /* then yield to the loop (defer event) */

enum link_state {
    LINK_DOWN,      /* no channel: retry timer armed */
    LINK_WAITING,   /* server: listening, no client yet */
    LINK_HANDSHAKE, /* connected, peer's HELLO not seen yet */
    LINK_OPEN,
};

struct audio_link {
    pa_mainloop_api *api;
    enum audio_link_role role;
    char *spec;
    size_t queue_cap;
    const struct audio_link_ops *ops;
    void *data;

    enum link_state state;
    struct fen_chan *chan;
    int chan_fd;
    struct fen_reader *reader;
    struct fen_writer *writer;
    pa_io_event *io;
    pa_time_event *retry;
    pa_time_event *flush;
    pa_defer_event *more; /* more messages may be buffered in the reader */

    uint64_t protocol_errors;
    uint64_t connections;
    uint8_t scratch[sizeof(struct fen_msg_audio_pcm) + FEN_MAX_AUDIO_CHUNK_BYTES];
};

static void handle_io(pa_mainloop_api *a, pa_io_event *e, int fd, pa_io_event_flags_t f,
                      void *data);

static void arm_timer(struct audio_link *l, pa_time_event *e, pa_usec_t usec)
{
    struct timeval tv;
    pa_timeval_add(pa_gettimeofday(&tv), usec);
    l->api->time_restart(e, &tv);
}

static void disarm_timer(struct audio_link *l, pa_time_event *e)
{
    l->api->time_restart(e, NULL);
}

static void watch_fd(struct audio_link *l)
{
    int fd = fen_chan_fd(l->chan);
    if (l->io && fd == l->chan_fd)
        return;
    if (l->io)
        l->api->io_free(l->io);
    l->io = NULL;
    l->chan_fd = fd;
    if (fd >= 0)
        l->io = l->api->io_new(l->api, fd, PA_IO_EVENT_INPUT, handle_io, l);
}

static void close_channel(struct audio_link *l)
{
    bool was_open = l->state == LINK_OPEN;
    if (l->io)
        l->api->io_free(l->io);
    l->io = NULL;
    l->chan_fd = -1;
    fen_chan_close(l->chan);
    l->chan = NULL;
    fen_reader_reset(l->reader);
    fen_writer_reset(l->writer);
    disarm_timer(l, l->flush);
    l->api->defer_enable(l->more, 0);
    l->state = LINK_DOWN;
    arm_timer(l, l->retry, RETRY_USEC);
    if (was_open && l->ops->on_close)
        l->ops->on_close(l->data);
}

void audio_link_drop(struct audio_link *l, const char *reason)
{
    if (l->state == LINK_DOWN)
        return;
    fen_log(WARN, "audio channel closed: %s", reason);
    close_channel(l);
}

static void protocol_error(struct audio_link *l, const char *what, const char *reason)
{
    char msg[256];
    l->protocol_errors++;
    snprintf(msg, sizeof msg, "%s: %s", what, reason);
    audio_link_drop(l, msg);
}

static void schedule_flush(struct audio_link *l)
{
    if (fen_writer_pending(l->writer) > 0)
        arm_timer(l, l->flush, FLUSH_USEC);
    else
        disarm_timer(l, l->flush);
}

static int send_raw(struct audio_link *l, uint32_t type, const void *body, uint32_t len)
{
    if (fen_writer_send(l->writer, l->chan, type, 0, body, len, -1) < 0) {
        char why[96];
        snprintf(why, sizeof why, "%s",
                 errno == ENOBUFS ? "peer stopped reading (output queue full)"
                                  : "write failed");
        audio_link_drop(l, why);
        return -1;
    }
    schedule_flush(l);
    return 0;
}

static int send_hello(struct audio_link *l, uint32_t minor)
{
    struct fen_msg_hello h = {
        .magic = FEN_PROTO_MAGIC,
        .major = FEN_PROTO_MAJOR,
        .minor = minor,
        .stream = FEN_STREAM_AUDIO,
    };
    return send_raw(l, FEN_MSG_HELLO, &h, sizeof h);
}

static void become_open(struct audio_link *l)
{
    l->state = LINK_OPEN;
    l->connections++;
    fen_log(INFO, "audio channel open (%s)", l->spec);
    if (l->ops->on_open)
        l->ops->on_open(l->data);
}

/* HELLO during the handshake.  Returns false when the link was dropped. */
static bool handle_hello(struct audio_link *l, const struct fen_msg *m)
{
    struct fen_error err = {0};
    uint32_t minor = 0;
    if (fen_negotiate_version(&m->u.hello, FEN_STREAM_AUDIO, &minor, &err) != FEN_OK) {
        protocol_error(l, "HELLO", err.reason);
        return false;
    }
    /* dom0 answers the guest's HELLO with the negotiated version */
    if (l->role == AUDIO_LINK_CLIENT && send_hello(l, minor) < 0)
        return false;
    become_open(l);
    return true;
}

static enum fen_stream incoming_stream(const struct audio_link *l)
{
    return l->role == AUDIO_LINK_SERVER ? FEN_AUDIO_FROM_DOM0 : FEN_AUDIO_FROM_GUEST;
}

/* Read and dispatch up to MSGS_PER_WAKEUP messages. */
static void pump(struct audio_link *l)
{
    for (int i = 0; i < MSGS_PER_WAKEUP; i++) {
        if (l->state != LINK_HANDSHAKE && l->state != LINK_OPEN)
            return;
        const uint8_t *buf;
        size_t len;
        struct fen_error err = {0};
        enum fen_read_status st = fen_reader_next(l->reader, l->chan, &buf, &len, &err);
        if (st == FEN_READ_AGAIN)
            return;
        if (st == FEN_READ_EOF) {
            audio_link_drop(l, err.reason[0] ? err.reason : "peer closed the channel");
            return;
        }
        if (st == FEN_READ_ERROR) {
            protocol_error(l, "bad header", err.reason);
            return;
        }
        struct fen_msg m;
        if (fen_parse_msg(incoming_stream(l), buf, len, 0, &m, &err) != FEN_OK) {
            struct fen_hdr untrusted_hdr;
            memcpy(&untrusted_hdr, buf, len < sizeof untrusted_hdr ? len : sizeof untrusted_hdr);
            protocol_error(l, fen_msg_type_name(untrusted_hdr.type), err.reason);
            return;
        }
        if (l->state == LINK_HANDSHAKE) {
            if (m.type != FEN_MSG_HELLO) {
                protocol_error(l, fen_msg_type_name(m.type), "message before HELLO");
                return;
            }
            if (!handle_hello(l, &m))
                return;
            continue;
        }
        if (m.type == FEN_MSG_HELLO) {
            protocol_error(l, "HELLO", "second HELLO on an open channel");
            return;
        }
        char why[160] = "";
        if (!l->ops->on_msg(l->data, &m, why, sizeof why)) {
            protocol_error(l, fen_msg_type_name(m.type), why[0] ? why : "rejected");
            return;
        }
    }
    /* the reader may still hold whole messages: come back after other events */
    l->api->defer_enable(l->more, 1);
}

static void handle_more(pa_mainloop_api *a, pa_defer_event *e, void *data)
{
    struct audio_link *l = data;
    a->defer_enable(e, 0);
    pump(l);
}

static void handle_io(pa_mainloop_api *a, pa_io_event *e, int fd, pa_io_event_flags_t f,
                      void *data)
{
    struct audio_link *l = data;
    if (fen_chan_wait(l->chan, false) < 0) {
        if (l->state == LINK_WAITING) {
            /* listening socket failed: start over */
            audio_link_drop(l, "listening channel failed");
            return;
        }
        /* drain what arrived before the close, then report it */
        pump(l);
        if (l->state != LINK_DOWN)
            audio_link_drop(l, "peer closed the channel");
        return;
    }
    if (l->state == LINK_WAITING) {
        if (fen_chan_is_open(l->chan) != FEN_CHAN_OPEN)
            return;
        watch_fd(l);
        l->state = LINK_HANDSHAKE;
        send_hello(l, FEN_PROTO_MINOR);
        return;
    }
    pump(l);
    if (l->state != LINK_DOWN && fen_writer_pending(l->writer) > 0) {
        if (fen_writer_flush(l->writer, l->chan) < 0)
            audio_link_drop(l, "write failed");
        else
            schedule_flush(l);
    }
}

static void handle_flush(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv,
                         void *data)
{
    struct audio_link *l = data;
    if (l->state != LINK_HANDSHAKE && l->state != LINK_OPEN)
        return;
    if (fen_writer_flush(l->writer, l->chan) < 0) {
        audio_link_drop(l, "write failed");
        return;
    }
    schedule_flush(l);
}

static void try_connect(struct audio_link *l)
{
    if (l->role == AUDIO_LINK_SERVER) {
        l->chan = fen_chan_server_init(l->spec, FEN_PORT_AUDIO, 256 * 1024, 256 * 1024);
        if (!l->chan) {
            fen_log_errno(WARN, "cannot listen on %s", l->spec);
            arm_timer(l, l->retry, RETRY_USEC * 10);
            return;
        }
        l->state = fen_chan_is_open(l->chan) == FEN_CHAN_OPEN ? LINK_HANDSHAKE : LINK_WAITING;
        watch_fd(l);
        if (l->state == LINK_HANDSHAKE)
            send_hello(l, FEN_PROTO_MINOR);
        return;
    }
    l->chan = fen_chan_client_init(l->spec, FEN_PORT_AUDIO);
    if (!l->chan) {
        arm_timer(l, l->retry, RETRY_USEC);
        return;
    }
    fen_log(INFO, "audio channel connected (%s), waiting for HELLO", l->spec);
    l->state = LINK_HANDSHAKE;
    watch_fd(l);
}

static void handle_retry(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv,
                         void *data)
{
    struct audio_link *l = data;
    disarm_timer(l, e);
    if (l->state == LINK_DOWN)
        try_connect(l);
}

struct audio_link *audio_link_create(pa_mainloop_api *api, enum audio_link_role role,
                                     const char *spec, size_t queue_cap,
                                     const struct audio_link_ops *ops, void *data)
{
    const char *rest;
    if (!fen_spec_backend(spec, &rest)) {
        errno = EINVAL;
        return NULL;
    }
    struct audio_link *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->api = api;
    l->role = role;
    l->queue_cap = queue_cap;
    l->ops = ops;
    l->data = data;
    l->chan_fd = -1;
    l->state = LINK_DOWN;
    l->spec = strdup(spec);
    l->reader = fen_reader_create(role == AUDIO_LINK_SERVER ? FEN_AUDIO_FROM_DOM0
                                                             : FEN_AUDIO_FROM_GUEST,
                                  0);
    l->writer = fen_writer_create(queue_cap);
    l->retry = api->time_new(api, NULL, handle_retry, l);
    l->flush = api->time_new(api, NULL, handle_flush, l);
    l->more = api->defer_new(api, handle_more, l);
    if (!l->spec || !l->reader || !l->writer || !l->retry || !l->flush || !l->more) {
        audio_link_destroy(l);
        errno = ENOMEM;
        return NULL;
    }
    api->defer_enable(l->more, 0);
    try_connect(l);
    return l;
}

void audio_link_destroy(struct audio_link *l)
{
    if (!l)
        return;
    if (l->io)
        l->api->io_free(l->io);
    if (l->retry)
        l->api->time_free(l->retry);
    if (l->flush)
        l->api->time_free(l->flush);
    if (l->more)
        l->api->defer_free(l->more);
    fen_chan_close(l->chan);
    fen_reader_destroy(l->reader);
    fen_writer_destroy(l->writer);
    free(l->spec);
    free(l);
}

bool audio_link_is_open(const struct audio_link *l)
{
    return l->state == LINK_OPEN;
}

int audio_link_send(struct audio_link *l, uint32_t type, const void *body, uint32_t len)
{
    if (l->state != LINK_OPEN) {
        errno = ENOTCONN;
        return -1;
    }
    return send_raw(l, type, body, len);
}

int audio_link_send_pcm(struct audio_link *l, uint32_t type, const void *pcm, uint32_t len)
{
    if (len == 0 || len > FEN_MAX_AUDIO_CHUNK_BYTES) {
        errno = EINVAL;
        return -1;
    }
    struct fen_msg_audio_pcm h = {.length = len};
    memcpy(l->scratch, &h, sizeof h);
    memcpy(l->scratch + sizeof h, pcm, len);
    return audio_link_send(l, type, l->scratch, (uint32_t)(sizeof h + len));
}

size_t audio_link_pending(const struct audio_link *l)
{
    return l->writer ? fen_writer_pending(l->writer) : 0;
}

size_t audio_link_queue_cap(const struct audio_link *l)
{
    return l->queue_cap;
}

uint64_t audio_link_protocol_errors(const struct audio_link *l)
{
    return l->protocol_errors;
}

uint64_t audio_link_connections(const struct audio_link *l)
{
    return l->connections;
}
