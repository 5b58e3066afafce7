/* guid <-> guest link: connect, handshake, read/validate/apply, drop. */
#include "conn.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/msgio.h"
#include "fenestra/pages.h"

/* A guest that stops reading input events is disconnected at this many
 * queued bytes (input messages are ~30 bytes: tens of thousands of events). */
#define GUID_WRITE_CAP (1u << 20)
/* Reading is bounded per paint.  Per service call at most GUID_READ_BATCH
 * bytes, then the loop paints what they damaged (bounds the time dom0's
 * events wait).  While the qube is throttled (its damage waits for paint
 * budget or for the X server), at most GUID_READ_BATCH bytes more until the
 * next paint: enough to merge what queued up in the channel while guid did
 * not read -- else every stale DAMAGE behind it would cost one paint, long
 * after the guest stopped drawing -- but a flooding guest gets no more of
 * guid's CPU than one batch per paint. */
#define GUID_READ_BATCH (4u << 10)
/* HELLO features guid supports (granted when the guest advertises them). */
#define GUID_FEATURES FEN_FEATURE_FRAME_PACING

struct guid_conn {
    char qube[64];
    char *spec;
    uint32_t screen_w, screen_h;
    enum guid_conn_state state;
    bool broken;
    bool held; /* service stopped reading: throttled, or a batch read (see GUID_READ_BATCH) */
    size_t held_read;    /* bytes read while throttled since the last paint */
    uint64_t seen_paints; /* guid_wstate_paints when held_read was reset */
    uint32_t dump_kind;
    struct fen_chan *ch;
    struct fen_reader *rd;
    struct fen_writer *wr;
    struct fen_mapper *mapper;
    struct guid_wstate *ws;
    struct fen_msg msg; /* big (title, damage rects): kept off the stack */
    uint8_t *aligned;   /* copy of a message the reader returned unaligned */
    size_t aligned_size;
};

/* fen_parse_msg wants a 4-byte aligned buffer (refs are read in place);
 * the reader's buffer may hold a message at any offset. */
static const uint8_t *align_msg(struct guid_conn *c, const uint8_t *buf, size_t len)
{
    if (((uintptr_t)buf & 3u) == 0)
        return buf;
    if (c->aligned_size < len) {
        uint8_t *p = realloc(c->aligned, len);
        if (p == NULL)
            return NULL;
        c->aligned = p;
        c->aligned_size = len;
    }
    memcpy(c->aligned, buf, len);
    return c->aligned;
}

struct guid_conn *guid_conn_create(const char *qube, const char *spec, uint32_t screen_w,
                                   uint32_t screen_h)
{
    struct guid_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    snprintf(c->qube, sizeof(c->qube), "%s", qube);
    c->spec = strdup(spec);
    c->screen_w = screen_w;
    c->screen_h = screen_h;
    const char *rest;
    const char *backend = fen_spec_backend(spec, &rest);
    c->dump_kind = (backend && strcmp(backend, "xen") == 0) ? FEN_DUMP_XEN_GRANT
                                                             : FEN_DUMP_LOCAL_POOL;
    c->rd = fen_reader_create(FEN_GUI_FROM_GUEST, 0);
    c->wr = fen_writer_create(GUID_WRITE_CAP);
    if (c->spec == NULL || c->rd == NULL || c->wr == NULL) {
        guid_conn_destroy(c);
        return NULL;
    }
    return c;
}

void guid_conn_drop(struct guid_conn *c, const char *reason)
{
    if (c->state == GUID_CONN_DOWN)
        return;
    fen_log(WARN, "qube %s: dropping the gui connection: %s", c->qube, reason);
    if (c->ws != NULL) {
        guid_wstate_reset(c->ws);
        guid_wstate_set_mapper(c->ws, NULL, c->dump_kind);
        guid_wstate_set_features(c->ws, 0);
    }
    fen_mapper_destroy(c->mapper);
    c->mapper = NULL;
    fen_chan_close(c->ch);
    c->ch = NULL;
    fen_reader_reset(c->rd);
    fen_writer_reset(c->wr);
    c->state = GUID_CONN_DOWN;
    c->broken = false;
    c->held = false;
    c->held_read = 0;
}

void guid_conn_destroy(struct guid_conn *c)
{
    if (c == NULL)
        return;
    if (c->state != GUID_CONN_DOWN)
        guid_conn_drop(c, "guid is stopping");
    fen_reader_destroy(c->rd);
    fen_writer_destroy(c->wr);
    free(c->aligned);
    free(c->spec);
    free(c);
}

void guid_conn_set_wstate(struct guid_conn *c, struct guid_wstate *ws) { c->ws = ws; }

enum guid_conn_state guid_conn_state(const struct guid_conn *c) { return c->state; }

static int conn_send(void *ctx, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    struct guid_conn *c = ctx;
    if (c->state != GUID_CONN_UP || c->broken)
        return c->broken ? -1 : 0;
    if (fen_writer_send(c->wr, c->ch, type, window, body, len, -1) != 0) {
        c->broken = true;
        return -1;
    }
    return 0;
}

void guid_conn_sendops(struct guid_conn *c, struct guid_sendops *ops)
{
    ops->ctx = c;
    ops->send = conn_send;
}

bool guid_conn_try_connect(struct guid_conn *c)
{
    if (c->state != GUID_CONN_DOWN)
        return true;
    struct fen_chan *ch = fen_chan_client_init(c->spec, FEN_PORT_GUI);
    if (ch == NULL)
        return false;
    c->mapper = fen_mapper_create(c->spec);
    if (c->mapper == NULL) {
        fen_log_errno(ERROR, "qube %s: cannot create a page mapper for %s", c->qube, c->spec);
        fen_chan_close(ch);
        return false;
    }
    c->ch = ch;
    c->state = GUID_CONN_HELLO;
    fen_reader_reset(c->rd);
    fen_writer_reset(c->wr);
    /* guid's HELLO answers the guest's (it grants from what the guest
     * advertised): handle_hello sends it. */
    fen_log(INFO, "qube %s: connected to %s, waiting for HELLO", c->qube, c->spec);
    return true;
}

int guid_conn_fd(const struct guid_conn *c)
{
    return c->state == GUID_CONN_DOWN ? -1 : fen_chan_fd(c->ch);
}

static bool throttled(const struct guid_conn *c)
{
    return c->state == GUID_CONN_UP && c->ws != NULL && guid_wstate_throttled(c->ws);
}

/* wstate painted since held_read was last reset: a new allowance is due. */
static bool painted_since(const struct guid_conn *c)
{
    return c->ws != NULL && guid_wstate_paints(c->ws) != c->seen_paints;
}

/* Throttled and the bytes allowed until the next paint are read. */
static bool must_wait(const struct guid_conn *c)
{
    return throttled(c) && !painted_since(c) && c->held_read >= GUID_READ_BATCH;
}

short guid_conn_events(const struct guid_conn *c)
{
    return (short)((must_wait(c) ? 0 : POLLIN) | (fen_writer_pending(c->wr) > 0 ? POLLOUT : 0));
}

bool guid_conn_resume_due(const struct guid_conn *c) { return c->held && !must_wait(c); }

bool guid_conn_check_broken(struct guid_conn *c)
{
    if (!c->broken)
        return false;
    guid_conn_drop(c, "the guest stopped reading (output queue full) or the channel failed");
    return true;
}

static int handle_hello(struct guid_conn *c, const struct fen_msg *m)
{
    struct fen_error err = {0};
    uint32_t minor = 0;
    if (m->type != FEN_MSG_HELLO) {
        char why[200];
        snprintf(why, sizeof(why), "expected HELLO, got %s", fen_msg_type_name(m->type));
        guid_conn_drop(c, why);
        return -1;
    }
    if (fen_negotiate_version(&m->u.hello, FEN_STREAM_GUI, &minor, &err) != FEN_OK) {
        char why[220];
        snprintf(why, sizeof(why), "version mismatch: %s", err.reason);
        guid_conn_drop(c, why);
        return -1;
    }
    /* Grant what the guest can use of what guid supports. */
    uint32_t granted = m->u.hello.features & GUID_FEATURES;
    struct fen_msg_hello h = {
        .magic = FEN_PROTO_MAGIC,
        .major = FEN_PROTO_MAJOR,
        .minor = minor,
        .stream = FEN_STREAM_GUI,
        .screen_w = c->screen_w,
        .screen_h = c->screen_h,
        .features = granted,
    };
    if (fen_writer_send(c->wr, c->ch, FEN_MSG_HELLO, 0, &h, sizeof(h), -1) != 0) {
        guid_conn_drop(c, "cannot send HELLO");
        return -1;
    }
    c->state = GUID_CONN_UP;
    guid_wstate_set_mapper(c->ws, c->mapper, c->dump_kind);
    guid_wstate_set_features(c->ws, granted);
    fen_log(INFO, "qube %s: gui protocol %u.%u up, features granted: %s", c->qube,
            FEN_PROTO_MAJOR, minor, (granted & FEN_FEATURE_FRAME_PACING) ? "frame-pacing" : "none");
    return 1;
}

int guid_conn_service(struct guid_conn *c)
{
    int result = 0;
    if (c->state == GUID_CONN_DOWN)
        return -1;
    if (fen_chan_wait(c->ch, false) < 0 && fen_chan_data_ready(c->ch) == 0) {
        guid_conn_drop(c, "the guest closed the channel");
        return -1;
    }
    c->held = false;
    size_t batch = 0;
    for (;;) {
        const uint8_t *buf;
        size_t len;
        struct fen_error err = {0};
        if (painted_since(c)) {
            c->seen_paints = guid_wstate_paints(c->ws);
            c->held_read = 0;
        }
        if (must_wait(c) || batch >= GUID_READ_BATCH) {
            c->held = true;
            break;
        }
        bool was_throttled = throttled(c);
        enum fen_read_status st = fen_reader_next(c->rd, c->ch, &buf, &len, &err);
        if (st == FEN_READ_AGAIN)
            break;
        if (st == FEN_READ_EOF) {
            char why[220];
            snprintf(why, sizeof(why), "the guest disconnected%s%s", err.reason[0] ? ": " : "",
                     err.reason);
            guid_conn_drop(c, why);
            return -1;
        }
        if (st == FEN_READ_ERROR) {
            char why[220];
            snprintf(why, sizeof(why), "bad message header: %s", err.reason);
            guid_conn_drop(c, why);
            return -1;
        }
        batch += len;
        if (was_throttled)
            c->held_read += len;
        buf = align_msg(c, buf, len);
        if (buf == NULL) {
            guid_conn_drop(c, "out of memory for a message");
            return -1;
        }
        if (fen_parse_msg(FEN_GUI_FROM_GUEST, buf, len, 0, &c->msg, &err) != FEN_OK) {
            char why[220];
            snprintf(why, sizeof(why), "malformed message: %s", err.reason);
            guid_conn_drop(c, why);
            return -1;
        }
        if (c->state == GUID_CONN_HELLO) {
            int r = handle_hello(c, &c->msg);
            if (r < 0)
                return -1;
            result = 1;
            continue;
        }
        int fd = c->msg.type == FEN_MSG_POOL ? fen_chan_take_fd(c->ch) : -1;
        if (guid_wstate_handle(c->ws, &c->msg, fd, &err) != FEN_OK) {
            if (guid_conn_check_broken(c)) /* a reply hit the output cap: say so */
                return -1;
            char why[220];
            snprintf(why, sizeof(why), "%s", err.reason);
            guid_conn_drop(c, why);
            return -1;
        }
        if (guid_conn_check_broken(c))
            return -1;
    }
    if (fen_writer_flush(c->wr, c->ch) != 0) {
        c->broken = true;
        guid_conn_check_broken(c);
        return -1;
    }
    return result;
}
