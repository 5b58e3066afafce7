/* The gui channel: the agent is the server.  After a client (guid) connects
 * both sides send HELLO; once dom0's HELLO checks out the agent announces its
 * page pool(s) and replays every window.  When dom0 goes away (or sends
 * something invalid) the channel is closed and a new server waits for the
 * next guid, which gets a full replay. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xcb/xcb.h>

#include "agent.h"
#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/msgio.h"
#include "fenestra/pages.h"
#include "driver_mode.h"

#define CHAN_READ_MIN (64u * 1024u)
#define CHAN_WRITE_MIN (1024u * 1024u)
/* dom0 that stops reading for this much queued output is dropped. */
#define WRITER_CAP (64u * 1024u * 1024u)

static void conn_drop(struct agent *a, const char *why);

/* local:DIR: create DIR (and missing parents, mode 0700) so the agent can
 * be started before anything else prepared the directory. */
static void ensure_local_dir(const char *spec)
{
    const char *dir;
    const char *backend = fen_spec_backend(spec, &dir);
    if (!backend || strcmp(backend, "local") != 0 || !*dir)
        return;
    char path[4096];
    if (strlen(dir) >= sizeof path)
        return;
    strcpy(path, dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0700) == 0)
            fen_log(INFO, "created %s", path);
        *p = saved;
        if (!saved)
            break;
    }
}

int conn_start(struct agent *a)
{
    ensure_local_dir(a->spec);
    if (!a->reader)
        a->reader = fen_reader_create(FEN_GUI_FROM_DOM0, 0);
    if (!a->writer)
        a->writer = fen_writer_create(WRITER_CAP);
    if (!a->reader || !a->writer)
        return -1;
    a->chan = fen_chan_server_init(a->spec, FEN_PORT_GUI, CHAN_READ_MIN, CHAN_WRITE_MIN);
    if (!a->chan) {
        fen_log_errno(ERROR, "cannot listen on %s", a->spec);
        return -1;
    }
    fen_log(INFO, "waiting for dom0 on %s", a->spec);
    return 0;
}

void conn_stop(struct agent *a)
{
    fen_chan_close(a->chan);
    a->chan = NULL;
    fen_reader_destroy(a->reader);
    fen_writer_destroy(a->writer);
    a->reader = NULL;
    a->writer = NULL;
    a->ready = false;
}

int conn_fd(const struct agent *a)
{
    return a->chan ? fen_chan_fd(a->chan) : -1;
}

bool conn_wants_write(const struct agent *a)
{
    return a->chan && a->writer && fen_writer_pending(a->writer) > 0;
}

static void conn_drop(struct agent *a, const char *why)
{
    if (!a->chan)
        return;
    fen_log(WARN, "dom0 connection closed: %s", why);
    a->ready = false;
    if (a->pacing) { /* nobody answers marks now: release held applications */
        drv_mode_pace(a->drv, false);
        a->pacing = false;
    }
    win_disconnected(a);
    if (a->drv)
        drv_mode_forget_all(a->drv);
    fen_chan_close(a->chan);
    a->chan = NULL;
    fen_reader_reset(a->reader);
    fen_writer_reset(a->writer);
    if (conn_start(a) < 0)
        a->quit = true;
}

/* Send without the `ready` gate (handshake and pool messages). */
static int send_raw(struct agent *a, uint32_t type, uint32_t window, const void *body,
                    uint32_t len, int fd)
{
    if (!a->chan)
        return -1;
    if (fen_writer_send(a->writer, a->chan, type, window, body, len, fd) < 0) {
        conn_drop(a, errno == ENOBUFS ? "dom0 stopped reading (output queue full)"
                                      : "write failed");
        return -1;
    }
    return 0;
}

void conn_send(struct agent *a, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    if (a->ready)
        (void)send_raw(a, type, window, body, len, -1);
}

void conn_send2(struct agent *a, uint32_t type, uint32_t window, const void *head,
                uint32_t head_len, const void *tail, uint32_t tail_len)
{
    if (!a->ready)
        return;
    uint8_t small[512];
    size_t total = (size_t)head_len + tail_len;
    uint8_t *buf = total <= sizeof small ? small : malloc(total);
    if (!buf) {
        conn_drop(a, "out of memory building a message");
        return;
    }
    memcpy(buf, head, head_len);
    if (tail_len)
        memcpy(buf + head_len, tail, tail_len);
    (void)send_raw(a, type, window, buf, (uint32_t)total, -1);
    if (buf != small)
        free(buf);
}

void conn_flush(struct agent *a)
{
    if (a->chan && a->writer && fen_writer_pending(a->writer) > 0 &&
        fen_writer_flush(a->writer, a->chan) < 0)
        conn_drop(a, "write failed");
}

static int announce_pool(struct agent *a, struct fen_pool *pool)
{
    if (!a->local)
        return fen_pool_announce(pool, a->chan); /* e.g. xen grants: nothing to send */
    /* Through the writer, so the POOL message stays in order with the rest. */
    struct fen_msg_pool m = {.npages = (uint32_t)fen_pool_npages(pool),
                             .pool_id = fen_pool_id(pool)};
    return send_raw(a, FEN_MSG_POOL, 0, &m, sizeof m, fen_pool_fd(pool));
}

/* HELLO features the agent can use: frame pacing needs a driver that paces. */
static uint32_t our_features(const struct agent *a)
{
    return !a->no_pacing && a->drv && drv_mode_can_pace(a->drv) ? FEN_FEATURE_FRAME_PACING : 0;
}

static void handle_hello(struct agent *a, const struct fen_msg_hello *h)
{
    struct fen_error err = {0};
    uint32_t minor;
    if (fen_negotiate_version(h, FEN_STREAM_GUI, &minor, &err) != FEN_OK) {
        conn_drop(a, err.reason);
        return;
    }
    a->dom0_w = h->screen_w;
    a->dom0_h = h->screen_h;
    /* dom0 grants only what we offered (our_features); a grant of anything
     * else is ignored. */
    uint32_t granted = h->features & our_features(a);
    fen_log(INFO, "dom0 connected: protocol %u.%u, dom0 screen %ux%u, features 0x%x", FEN_PROTO_MAJOR,
            minor, h->screen_w, h->screen_h, granted);
    struct fen_chan *ch = a->chan;
    if (announce_pool(a, a->pool) < 0) {
        if (a->chan == ch)
            conn_drop(a, "cannot announce the page pool");
        return;
    }
    if (a->drv && drv_mode_pool(a->drv) && announce_pool(a, drv_mode_pool(a->drv)) < 0) {
        if (a->chan == ch)
            conn_drop(a, "cannot announce the driver's page pool");
        return;
    }
    if (a->chan != ch) /* a send failed and dropped the connection */
        return;
    a->ready = true;
    if (granted & FEN_FEATURE_FRAME_PACING) {
        a->pacing = true;
        drv_mode_pace(a->drv, true);
    }
    win_replay(a);
}

static void handle_configure(struct agent *a, struct agent_window *w,
                             const struct fen_msg_configure *c)
{
    uint32_t values[4] = {(uint32_t)c->rect.x, (uint32_t)c->rect.y, c->rect.w, c->rect.h};
    if (c->rect.x == w->x && c->rect.y == w->y && c->rect.w == w->w && c->rect.h == w->h)
        return; /* already there: X would report nothing to match */
    const uint8_t max = sizeof w->dom0_cfg / sizeof w->dom0_cfg[0];
    if (w->ndom0_cfg == max) { /* forget the oldest */
        memmove(w->dom0_cfg, w->dom0_cfg + 1, (max - 1) * sizeof w->dom0_cfg[0]);
        w->ndom0_cfg--;
    }
    w->dom0_cfg[w->ndom0_cfg++] = c->rect;
    xcb_configure_window(a->conn, w->id,
                         XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
                             XCB_CONFIG_WINDOW_HEIGHT,
                         values);
}

static void handle_msg(struct agent *a, const struct fen_msg *m)
{
    if (m->type == FEN_MSG_HELLO) {
        if (a->ready)
            conn_drop(a, "second HELLO");
        else
            handle_hello(a, &m->u.hello);
        return;
    }
    if (!a->ready) {
        conn_drop(a, "message before HELLO");
        return;
    }
    struct agent_window *w = win_find(a, m->window);
    switch (m->type) {
    case FEN_MSG_DUMP_ACK:
        if (w)
            pix_dump_ack(a, w, m->u.dump_ack.serial);
        break;
    case FEN_MSG_FRAME_SHOWN:
        if (!a->pacing) {
            conn_drop(a, "FRAME_SHOWN, but frame pacing was not agreed on");
            return;
        }
        if (w)
            drv_mode_frame_shown(a->drv, w->id, m->u.frame.serial);
        break;
    case FEN_MSG_CONFIGURE:
        if (w)
            handle_configure(a, w, &m->u.configure);
        break;
    case FEN_MSG_WM_FLAGS:
        if (w)
            props_dom0_flags(a, w, &m->u.wm_flags);
        break;
    case FEN_MSG_CLOSE:
        if (w)
            props_close_window(a, w);
        break;
    case FEN_MSG_KEY:
    case FEN_MSG_BUTTON:
    case FEN_MSG_MOTION:
    case FEN_MSG_CROSSING:
    case FEN_MSG_FOCUS:
    case FEN_MSG_KEYMAP:
        input_handle(a, m);
        break;
    default:
        fen_log(DEBUG, "ignoring %s from dom0", fen_msg_type_name(m->type));
        break;
    }
}

static void read_messages(struct agent *a)
{
    struct fen_chan *ch = a->chan;
    while (a->chan == ch) { /* a drop replaces a->chan: stop there */
        const uint8_t *buf;
        size_t len;
        struct fen_error err = {0};
        enum fen_read_status st = fen_reader_next(a->reader, a->chan, &buf, &len, &err);
        if (st == FEN_READ_AGAIN)
            return;
        if (st == FEN_READ_EOF) {
            conn_drop(a, err.reason[0] ? err.reason : "dom0 closed the channel");
            return;
        }
        if (st == FEN_READ_ERROR) {
            conn_drop(a, err.reason);
            return;
        }
        struct fen_msg *m = malloc(sizeof *m); /* large union: keep it off the stack */
        if (!m) {
            conn_drop(a, "out of memory");
            return;
        }
        if (fen_parse_msg(FEN_GUI_FROM_DOM0, buf, len, 0, m, &err) != FEN_OK)
            conn_drop(a, err.reason);
        else
            handle_msg(a, m);
        free(m);
    }
}

void conn_handle_io(struct agent *a, bool readable, bool writable)
{
    if (!a->chan)
        return;
    enum fen_chan_state before = fen_chan_is_open(a->chan);
    if (readable && fen_chan_wait(a->chan, false) < 0) {
        conn_drop(a, "channel closed");
        return;
    }
    enum fen_chan_state now = fen_chan_is_open(a->chan);
    if (now == FEN_CHAN_CLOSED) {
        conn_drop(a, "channel closed");
        return;
    }
    if (before == FEN_CHAN_WAITING && now == FEN_CHAN_OPEN) {
        fen_log(INFO, "dom0 connecting");
        struct fen_msg_hello h = {.magic = FEN_PROTO_MAGIC, .major = FEN_PROTO_MAJOR,
                                  .minor = FEN_PROTO_MINOR, .stream = FEN_STREAM_GUI,
                                  .features = our_features(a)};
        if (send_raw(a, FEN_MSG_HELLO, 0, &h, sizeof h, -1) < 0)
            return;
    }
    if (now == FEN_CHAN_OPEN && (readable || fen_chan_data_ready(a->chan) > 0))
        read_messages(a);
    if (writable)
        conn_flush(a);
}
