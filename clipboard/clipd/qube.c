/* One qube's clipboard channel (see qube.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fenestra/clock.h"
#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/msgio.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"
#include "qube.h"

#define RETRY_MS 200u
#define RETRY_AFTER_ERROR_MS 1000u
/* Replies nobody asked for, tolerated per connection before the stream is
 * treated as hostile and closed (a late answer or two is normal). */
#define MAX_DROPPED_REPLIES 16u
/* Room for one paste of the largest clipboard plus a few small messages. */
#define WRITER_CAP (FEN_MAX_CLIPBOARD_BYTES + 64u * 1024u)

enum qube_state { Q_DISCONNECTED, Q_HANDSHAKE, Q_READY };

/* The last paste, kept until the agent confirmed it (CLIP_PASTE_ACK: it
 * read all of it and its clipboard holds it): if the channel closes first,
 * even after every byte was written (the agent died before taking it), it
 * is held for the agent to reconnect, within hold_ms. */
struct held_paste {
    char *text;            /* NULL: nothing kept */
    uint32_t length;
    uint32_t id;           /* the CLIP_PASTE id the ACK must carry */
    char source[CLIP_QUBE_NAME_MAX + 1];
    uint32_t hold_ms;
    bool held;             /* the channel closed before the agent confirmed it */
    uint64_t deadline_ms;  /* set at the first interruption, never extended */
    bool resent;           /* sent again on a new connection */
    uint64_t ack_by_ms;    /* all written: an agent that never confirms is given up on */
};

struct clipd_qube {
    char name[CLIP_QUBE_NAME_MAX + 1];
    char spec[256];
    uint32_t limit;
    enum qube_state state;
    struct fen_chan *chan;
    struct fen_reader *reader;
    struct fen_writer *writer;
    uint64_t retry_ms; /* next connection attempt */
    bool logged_waiting;
    unsigned dropped; /* unrequested/late replies on this connection */
    bool more;        /* the last turn stopped at its bound: messages may be buffered */
    struct clip_pending pending;
    uint64_t hotkey_ms;
    struct held_paste paste;
    uint32_t paste_seq; /* ids of CLIP_PASTE messages */
    enum clipd_paste_outcome outcome; /* for clipd_qube_take_paste_outcome */
    char outcome_source[CLIP_QUBE_NAME_MAX + 1];
    uint32_t outcome_bytes;
};

static void paste_forget(struct clipd_qube *q)
{
    if (q->paste.text) {
        explicit_bzero(q->paste.text, q->paste.length);
        munlock(q->paste.text, q->paste.length ? q->paste.length : 1);
        free(q->paste.text);
    }
    memset(&q->paste, 0, sizeof q->paste);
}

static void paste_outcome(struct clipd_qube *q, enum clipd_paste_outcome o)
{
    q->outcome = o;
    q->outcome_bytes = q->paste.length;
    snprintf(q->outcome_source, sizeof q->outcome_source, "%s", q->paste.source);
}

/* The channel took every queued byte: the agent has until ack_by_ms to
 * confirm the paste. */
static void paste_check_sent(struct clipd_qube *q, uint64_t now_ms)
{
    if (!q->paste.text || q->paste.held || q->paste.ack_by_ms || fen_writer_pending(q->writer))
        return;
    q->paste.ack_by_ms = now_ms + q->paste.hold_ms;
}

static void handle_paste_ack(struct clipd_qube *q, uint32_t id)
{
    if (!q->paste.text || q->paste.held || id != q->paste.id) {
        fen_log(DEBUG, "qube %s: CLIP_PASTE_ACK %u for no paste in flight", q->name, id);
        return;
    }
    if (q->paste.resent) {
        fen_log(INFO, "qube %s: held paste of %u bytes delivered after the reconnection",
                q->name, q->paste.length);
        paste_outcome(q, CLIPD_PASTE_REDELIVERED);
    } else {
        fen_log(INFO, "qube %s: paste of %u bytes confirmed by its agent", q->name,
                q->paste.length);
    }
    paste_forget(q);
}

struct clipd_qube *clipd_qube_create(const char *name, const char *spec, uint32_t limit)
{
    struct clipd_qube *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    snprintf(q->name, sizeof q->name, "%s", name);
    snprintf(q->spec, sizeof q->spec, "%s", spec);
    q->limit = limit;
    q->reader = fen_reader_create(FEN_CLIP_FROM_GUEST, 0);
    q->writer = fen_writer_create(WRITER_CAP);
    if (!q->reader || !q->writer) {
        clipd_qube_destroy(q);
        return NULL;
    }
    /* Copied and pasted text passes through these buffers: zero it as soon
     * as it has gone through, so it lives only in the store (wiped on paste,
     * clear and exit). */
    fen_reader_set_wipe(q->reader, true);
    fen_writer_set_wipe(q->writer, true);
    return q;
}

static void disconnect(struct clipd_qube *q, uint64_t retry_ms)
{
    if (q->paste.text && !q->paste.held) {
        /* The agent never confirmed the paste (part of it was still queued
         * here, or the agent died before taking it): keep it for the next
         * connection, bounded. */
        q->paste.held = true;
        q->paste.ack_by_ms = 0;
        if (!q->paste.deadline_ms)
            q->paste.deadline_ms = fen_monotonic_ms() + q->paste.hold_ms;
        fen_log(WARN, "qube %s: clipboard channel closed before the agent confirmed the paste of "
                      "%u bytes (%s); holding it until the agent reconnects (at most %u ms)",
                q->name, q->paste.length,
                fen_writer_pending(q->writer) ? "not all sent" : "all sent", q->paste.hold_ms);
    }
    fen_chan_close(q->chan);
    q->chan = NULL;
    q->state = Q_DISCONNECTED;
    fen_reader_reset(q->reader);
    fen_writer_reset(q->writer);
    q->retry_ms = retry_ms;
    q->logged_waiting = false;
    q->dropped = 0;
    q->more = false;
    if (q->pending.active) {
        q->pending.expired_id = q->pending.request_id;
        q->pending.active = false;
    }
}

void clipd_qube_destroy(struct clipd_qube *q)
{
    if (!q)
        return;
    paste_forget(q);
    fen_chan_close(q->chan);
    fen_reader_destroy(q->reader);
    fen_writer_destroy(q->writer);
    free(q);
}

const char *clipd_qube_name(const struct clipd_qube *q) { return q->name; }
const char *clipd_qube_spec(const struct clipd_qube *q) { return q->spec; }
uint32_t clipd_qube_limit(const struct clipd_qube *q) { return q->limit; }
void clipd_qube_set_limit(struct clipd_qube *q, uint32_t limit) { q->limit = limit; }
bool clipd_qube_ready(const struct clipd_qube *q) { return q->state == Q_READY; }
bool clipd_qube_copy_pending(const struct clipd_qube *q) { return q->pending.active; }
uint64_t clipd_qube_copy_hotkey_ms(const struct clipd_qube *q) { return q->hotkey_ms; }

int clipd_qube_attach(struct clipd_qube *q, const char *spec)
{
    if (strlen(spec) >= sizeof q->spec || !fen_spec_backend(spec, &(const char *){NULL})) {
        errno = EINVAL;
        return -1;
    }
    if (strcmp(spec, q->spec) != 0) {
        fen_log(INFO, "qube %s: clipboard channel now %s", q->name, spec);
        snprintf(q->spec, sizeof q->spec, "%s", spec);
        disconnect(q, 0);
    } else if (q->state == Q_DISCONNECTED) {
        q->retry_ms = 0;
    }
    return 0;
}

void clipd_qube_pollfd(const struct clipd_qube *q, struct pollfd *pfd)
{
    pfd->revents = 0;
    if (!q->chan) {
        pfd->fd = -1;
        pfd->events = 0;
        return;
    }
    pfd->fd = fen_chan_fd(q->chan);
    pfd->events = POLLIN;
    if (fen_writer_pending(q->writer))
        pfd->events |= POLLOUT;
}

uint64_t clipd_qube_next_deadline(const struct clipd_qube *q)
{
    uint64_t t = UINT64_MAX;
    if (q->chan && q->more)
        return 0;
    if (q->state == Q_DISCONNECTED)
        t = q->retry_ms;
    if (q->pending.active && q->pending.deadline_ms + 1 < t)
        t = q->pending.deadline_ms + 1;
    if (q->paste.held && q->paste.deadline_ms + 1 < t)
        t = q->paste.deadline_ms + 1;
    if (q->paste.ack_by_ms && q->paste.ack_by_ms + 1 < t)
        t = q->paste.ack_by_ms + 1;
    return t;
}

static void try_connect(struct clipd_qube *q, uint64_t now_ms)
{
    q->chan = fen_chan_client_init(q->spec, FEN_PORT_CLIPBOARD);
    if (!q->chan) {
        if (!q->logged_waiting)
            fen_log_errno(INFO, "qube %s: clipboard agent not reachable at %s yet, retrying",
                          q->name, q->spec);
        q->logged_waiting = true;
        q->retry_ms = now_ms + RETRY_MS;
        return;
    }
    fen_log(INFO, "qube %s: clipboard channel connected", q->name);
    q->state = Q_HANDSHAKE;
}

static void protocol_error(struct clipd_qube *q, uint64_t now_ms, const char *why)
{
    fen_log(WARN, "qube %s: clipboard protocol error: %s; closing its clipboard channel",
            q->name, why);
    disconnect(q, now_ms + RETRY_AFTER_ERROR_MS);
}

static int send_paste(struct clipd_qube *q, uint32_t id, const char *text, uint32_t length)
{
    size_t body_len = sizeof(struct fen_msg_clip_data) + length;
    uint8_t *body = malloc(body_len);
    if (!body) {
        errno = ENOMEM;
        return -1;
    }
    struct fen_msg_clip_data d = {.request_id = id, .length = length};
    memcpy(body, &d, sizeof d);
    memcpy(body + sizeof d, text, length);
    int rc = fen_writer_send(q->writer, q->chan, FEN_MSG_CLIP_PASTE, 0, body, (uint32_t)body_len,
                             -1);
    explicit_bzero(body, body_len);
    free(body);
    return rc;
}

static void resend_held_paste(struct clipd_qube *q, uint64_t now_ms)
{
    q->paste.held = false;
    q->paste.resent = true;
    fen_log(INFO, "qube %s: sending the held paste of %u bytes again", q->name, q->paste.length);
    if (send_paste(q, q->paste.id, q->paste.text, q->paste.length) < 0)
        protocol_error(q, now_ms, "cannot queue the held paste");
    else
        paste_check_sent(q, now_ms);
}

static void handle_hello(struct clipd_qube *q, const uint8_t *msg, size_t len, uint64_t now_ms)
{
    struct fen_msg m;
    struct fen_error err;
    uint32_t minor;
    if (fen_parse_msg(FEN_CLIP_FROM_GUEST, msg, len, 0, &m, &err) != FEN_OK) {
        protocol_error(q, now_ms, err.reason);
        return;
    }
    if (m.type != FEN_MSG_HELLO) {
        protocol_error(q, now_ms, "first message is not HELLO");
        return;
    }
    if (fen_negotiate_version(&m.u.hello, FEN_STREAM_CLIPBOARD, &minor, &err) != FEN_OK) {
        protocol_error(q, now_ms, err.reason);
        return;
    }
    struct fen_msg_hello hello = {.magic = FEN_PROTO_MAGIC,
                                  .major = FEN_PROTO_MAJOR,
                                  .minor = minor,
                                  .stream = FEN_STREAM_CLIPBOARD};
    if (fen_writer_send(q->writer, q->chan, FEN_MSG_HELLO, 0, &hello, sizeof hello, -1) < 0) {
        protocol_error(q, now_ms, "cannot answer HELLO");
        return;
    }
    q->state = Q_READY;
    fen_log(INFO, "qube %s: clipboard channel ready (version %u.%u)", q->name, FEN_PROTO_MAJOR,
            minor);
    if (q->paste.held)
        resend_held_paste(q, now_ms);
}

static void handle_message(struct clipd_qube *q, const uint8_t *msg, size_t len, uint64_t now_ms,
                           clipd_reply_fn fn, void *ctx)
{
    if (q->state == Q_HANDSHAKE) {
        handle_hello(q, msg, len, now_ms);
        return;
    }
    struct fen_hdr hdr;
    if (len >= sizeof hdr) {
        memcpy(&hdr, msg, sizeof hdr);
        if (hdr.type == FEN_MSG_CLIP_PASTE_ACK) {
            struct fen_msg m;
            struct fen_error err;
            if (fen_parse_msg(FEN_CLIP_FROM_GUEST, msg, len, 0, &m, &err) != FEN_OK)
                protocol_error(q, now_ms, err.reason);
            else
                handle_paste_ack(q, m.u.clip_paste_ack.paste_id);
            return;
        }
    }
    struct clip_reply reply;
    char why[200];
    enum clip_verdict v = clip_reply_judge(&q->pending, now_ms, msg, len, &reply, why, sizeof why);
    if (v == CLIP_REPLY_PROTOCOL) {
        protocol_error(q, now_ms, why);
        return;
    }
    if (v == CLIP_REPLY_LATE && q->pending.active &&
        reply.request_id == q->pending.request_id) {
        q->pending.active = false;
        q->pending.expired_id = q->pending.request_id;
    }
    if (clip_verdict_answers(v))
        q->pending.active = false;
    fn(ctx, q, v, &reply, why);
    if ((v == CLIP_REPLY_UNREQUESTED || v == CLIP_REPLY_LATE) &&
        ++q->dropped > MAX_DROPPED_REPLIES)
        protocol_error(q, now_ms, "too many unrequested replies");
}

void clipd_qube_service(struct clipd_qube *q, short revents, uint64_t now_ms, clipd_reply_fn fn,
                        void *ctx)
{
    if (q->state == Q_DISCONNECTED) {
        if (now_ms >= q->retry_ms)
            try_connect(q, now_ms);
    } else if (revents || q->more) {
        if (fen_chan_wait(q->chan, false) < 0) {
            fen_log(INFO, "qube %s: clipboard channel closed", q->name);
            disconnect(q, now_ms + RETRY_MS);
        } else {
            /* Bounded: at most a few messages per turn, so one busy qube
             * cannot starve the others. */
            q->more = true;
            for (int i = 0; i < 16 && q->chan; i++) {
                const uint8_t *msg;
                size_t len;
                struct fen_error err;
                enum fen_read_status st = fen_reader_next(q->reader, q->chan, &msg, &len, &err);
                if (st == FEN_READ_AGAIN) {
                    q->more = false;
                    break;
                }
                if (st == FEN_READ_MSG) {
                    handle_message(q, msg, len, now_ms, fn, ctx);
                    continue;
                }
                if (st == FEN_READ_ERROR)
                    protocol_error(q, now_ms, err.reason);
                else {
                    fen_log(INFO, "qube %s: clipboard channel closed%s%s", q->name,
                            err.reason[0] ? ": " : "", err.reason);
                    disconnect(q, now_ms + RETRY_MS);
                }
            }
            if (q->chan && fen_writer_pending(q->writer) &&
                fen_writer_flush(q->writer, q->chan) < 0) {
                fen_log(INFO, "qube %s: clipboard channel failed while writing", q->name);
                disconnect(q, now_ms + RETRY_MS);
            }
        }
    }
    if (q->chan)
        paste_check_sent(q, now_ms);
    if (q->paste.ack_by_ms && now_ms > q->paste.ack_by_ms) {
        fen_log(WARN, "qube %s: the agent did not confirm the paste of %u bytes within %u ms "
                      "(an agent without CLIP_PASTE_ACK?): not keeping it any longer",
                q->name, q->paste.length, q->paste.hold_ms);
        paste_forget(q);
    }
    if (q->paste.held && now_ms > q->paste.deadline_ms) {
        fen_log(WARN, "qube %s: held paste of %u bytes dropped: the agent did not reconnect "
                      "within %u ms",
                q->name, q->paste.length, q->paste.hold_ms);
        paste_outcome(q, CLIPD_PASTE_LOST);
        paste_forget(q);
    }
    if (q->pending.active && now_ms > q->pending.deadline_ms) {
        q->pending.active = false;
        q->pending.expired_id = q->pending.request_id;
        char why[120];
        snprintf(why, sizeof why, "no answer to copy request %u in time", q->pending.request_id);
        fn(ctx, q, CLIP_REPLY_LATE, NULL, why);
    }
}

int clipd_qube_request(struct clipd_qube *q, uint32_t request_id, uint64_t hotkey_ms,
                       uint64_t now_ms, uint32_t timeout_ms, char *why, size_t why_size)
{
    if (q->state != Q_READY) {
        snprintf(why, why_size, "the clipboard agent of qube %s is not connected", q->name);
        return -1;
    }
    struct fen_msg_clip_request req = {.request_id = request_id, .max_bytes = q->limit};
    if (fen_writer_send(q->writer, q->chan, FEN_MSG_CLIP_REQUEST, 0, &req, sizeof req, -1) < 0) {
        snprintf(why, why_size, "the clipboard channel of qube %s is stalled", q->name);
        fen_log(WARN, "qube %s: %s; closing it", q->name, why);
        disconnect(q, now_ms + RETRY_AFTER_ERROR_MS);
        return -1;
    }
    if (q->pending.active)
        q->pending.expired_id = q->pending.request_id;
    q->pending.active = true;
    q->pending.request_id = request_id;
    q->pending.deadline_ms = now_ms + timeout_ms;
    q->pending.limit = q->limit;
    q->hotkey_ms = hotkey_ms;
    return 0;
}

void clipd_qube_cancel_request(struct clipd_qube *q)
{
    if (!q->pending.active)
        return;
    q->pending.active = false;
    q->pending.expired_id = q->pending.request_id;
}

int clipd_qube_paste(struct clipd_qube *q, const char *source, const char *text, uint32_t length,
                     uint32_t hold_ms, char *why, size_t why_size)
{
    if (q->state != Q_READY) {
        snprintf(why, why_size, "the clipboard agent of qube %s is not connected", q->name);
        return -1;
    }
    char *keep = malloc(length ? length : 1);
    if (++q->paste_seq == 0)
        q->paste_seq = 1; /* ids are never 0 */
    uint32_t id = q->paste_seq;
    if (!keep || send_paste(q, id, text, length) < 0) {
        if (!keep || errno == ENOMEM) {
            snprintf(why, why_size, "out of memory");
            free(keep);
            return -1;
        }
        free(keep);
        snprintf(why, why_size, "the clipboard channel of qube %s is stalled", q->name);
        fen_log(WARN, "qube %s: %s; closing it", q->name, why);
        disconnect(q, 0);
        return -1;
    }
    /* This paste supersedes any older one still kept (the agent would own
     * the newer text anyway). */
    paste_forget(q);
    (void)mlock(keep, length ? length : 1); /* best effort, like the store: keep it off swap */
    memcpy(keep, text, length);
    q->paste = (struct held_paste){.text = keep, .length = length, .id = id, .hold_ms = hold_ms};
    snprintf(q->paste.source, sizeof q->paste.source, "%s", source);
    paste_check_sent(q, fen_monotonic_ms());
    return 0;
}

enum clipd_paste_outcome clipd_qube_take_paste_outcome(struct clipd_qube *q, char *source,
                                                       size_t source_size, uint32_t *bytes)
{
    enum clipd_paste_outcome o = q->outcome;
    snprintf(source, source_size, "%s", q->outcome_source);
    *bytes = q->outcome_bytes;
    q->outcome = CLIPD_PASTE_NONE;
    return o;
}
