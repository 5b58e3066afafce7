/* libFuzzer target: sequences of guest messages and dom0 events fed into
 * guid's window-state logic (gui-daemon/wstate.c), with the X side replaced
 * by a recording fake at the guid_xops seam and a real local page mapper
 * over memfd pools.  Every guest message is built from the input, encoded
 * on the wire and passed through fen_parse_msg first, as guid does; a
 * refused message or a failed handle "drops the connection" (reset + new
 * mapper), as conn.c does.
 *
 * The fake checks what the state logic must guarantee to the X side:
 * paints lie inside the dump and the visible content area and only read
 * mapped guest memory; windows stay within max_windows and their mapped
 * memory within max_window_memory (and is accounted exactly); a window
 * fullscreen by policy covers exactly one monitor; ids are unique.  Frame
 * pacing: FRAME_SHOWN answers only the newest unanswered FRAME_MARK of a
 * window that exists, once; and at the end, with time, budget and the X
 * server's replies given, no mark is left unanswered. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fenestra/validate.h"
#include "monitor.h"
#include "wstate.h"

#define FRAME 3

static const struct guid_monitors mons = {2, {{0, 0, 1024, 768}, {1024, 0, 800, 600}}};

struct input {
    const uint8_t *p;
    size_t n;
};

static uint32_t take(struct input *in, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v |= (uint32_t)(in->n ? *in->p : 0) << (8 * i);
        if (in->n) {
            in->p++;
            in->n--;
        }
    }
    return v;
}

static uint32_t next_xid;
static uint8_t scratch[FEN_MAX_STRIDE];

static void fake_outer(struct guid_win *w)
{
    int64_t f = guid_win_frame(w, FRAME);
    int64_t ow = (int64_t)w->rect.w + 2 * f, oh = (int64_t)w->rect.h + 2 * f;
    struct fen_rect want = {(int32_t)(w->rect.x - f), (int32_t)(w->rect.y - f),
                            (uint32_t)(ow > UINT32_MAX ? UINT32_MAX : ow),
                            (uint32_t)(oh > UINT32_MAX ? UINT32_MAX : oh)};
    w->outer = guid_monitor_clamp(&mons.m[guid_monitor_pick(&mons, &want)], &want);
}

static int f_create(void *ctx, struct guid_win *w)
{
    w->xid = ++next_xid;
    fake_outer(w);
    return 0;
}
static void f_destroy(void *ctx, struct guid_win *w) { w->xid = 0; }
static void f_nop(void *ctx, struct guid_win *w) {}
static void f_geometry(void *ctx, struct guid_win *w) { fake_outer(w); }
static void f_transient(void *ctx, struct guid_win *w, const struct guid_win *o)
{
    if (o == w)
        abort();
}
static int f_set_dump(void *ctx, struct guid_win *w, const struct guid_dump *d)
{
    /* the image must fit the mapping */
    uint64_t need = (uint64_t)d->offset + (uint64_t)d->stride * d->height;
    if (d->map == NULL || need > (uint64_t)d->map->npages * FEN_PAGE_SIZE ||
        (uint64_t)d->width * 4 > d->stride)
        abort();
    return 0;
}
/* The X side's paint backpressure, faked: busy after FUZZ_BAND pixels
 * until the input says the X server replied. */
#define FUZZ_BAND 65536
static uint64_t fz_since;
static bool f_busy(void *ctx) { return fz_since >= FUZZ_BAND; }

/* Puts made, and how many of them the X server has executed. */
static uint64_t fz_puts, fz_read;
static uint64_t f_paint_pos(void *ctx) { return fz_puts; }
static bool f_paint_read(void *ctx, uint64_t pos) { return pos <= fz_read; }

static void f_paint(void *ctx, struct guid_win *w, const struct fen_rect *r)
{
    const struct guid_dump *d = &w->dump;
    fz_puts++;
    if ((uint64_t)r->w * r->h > FUZZ_BAND)
        abort(); /* one request is at most one band */
    fz_since += (uint64_t)r->w * r->h;
    uint32_t cw = w->outer.w > 2 * guid_win_frame(w, FRAME) ? w->outer.w - 2 * guid_win_frame(w, FRAME) : 0;
    uint32_t ch = w->outer.h > 2 * guid_win_frame(w, FRAME) ? w->outer.h - 2 * guid_win_frame(w, FRAME) : 0;
    if (!d->valid || r->x < 0 || r->y < 0 || r->w == 0 || r->h == 0 ||
        (uint64_t)r->x + r->w > d->width || (uint64_t)r->y + r->h > d->height ||
        (uint64_t)r->x + r->w > cw || (uint64_t)r->y + r->h > ch)
        abort();
    /* read the pixels as the X side would */
    const uint8_t *base = (const uint8_t *)d->map->ptr + d->offset;
    for (uint32_t row = (uint32_t)r->y; row < (uint32_t)r->y + r->h; row += 17)
        memcpy(scratch, base + (size_t)row * d->stride + (size_t)r->x * 4, (size_t)r->w * 4);
}
static void f_screen(void *ctx, uint32_t *w, uint32_t *h)
{
    *w = 1824;
    *h = 768;
}
static void f_monitor_of(void *ctx, const struct fen_rect *r, struct fen_rect *mon)
{
    *mon = mons.m[guid_monitor_pick(&mons, r)];
}
static void f_fullscreen(void *ctx, struct guid_win *w)
{
    if (!w->fs_exclusive)
        return;
    for (size_t i = 0; i < mons.n; i++)
        if (memcmp(&w->rect, &mons.m[i], sizeof(w->rect)) == 0 &&
            memcmp(&w->outer, &mons.m[i], sizeof(w->outer)) == 0)
            return;
    abort(); /* unframed, and not exactly a monitor */
}
/* The newest unanswered FRAME_MARK per window id (ids are 0..9). */
static struct {
    bool open;
    uint32_t serial;
} fz_marks[10];
static struct guid_wstate *fz_ws;

static int f_send(void *ctx, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    if (type != FEN_MSG_FRAME_SHOWN)
        return 0;
    struct fen_msg_frame f;
    if (len != sizeof f || window >= 10 || guid_wstate_find(fz_ws, window) == NULL)
        abort();
    memcpy(&f, body, sizeof f);
    if (!fz_marks[window].open || fz_marks[window].serial != f.serial)
        abort(); /* not the newest mark, or answered twice */
    fz_marks[window].open = false;
    return 0;
}

static const struct guid_xops xops = {
    .win_create = f_create, .win_destroy = f_destroy, .win_map = f_nop, .win_unmap = f_nop,
    .win_geometry = f_geometry, .win_title = f_nop, .win_class = f_nop, .win_hints = f_nop,
    .win_transient = f_transient, .win_wm_flags = f_nop, .win_cursor = f_nop,
    .win_set_dump = f_set_dump, .win_paint = f_paint, .screen_size = f_screen,
    .monitor_of = f_monitor_of, .fullscreen_changed = f_fullscreen,
    .paint_busy = f_busy, .paint_band = FUZZ_BAND,
    .paint_pos = f_paint_pos, .paint_read = f_paint_read,
};
static const struct guid_sendops sendops = {.send = f_send};

static int make_pool(uint32_t npages)
{
    int fd = memfd_create("fuzz-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)npages * FEN_PAGE_SIZE) != 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Encode type/window/body on the wire (aligned) and parse it like guid. */
static uint32_t wire[(12 + 4096) / 4];
static struct fen_msg msg;

static int parse(uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    struct fen_hdr h = {type, window, len};
    memcpy(wire, &h, sizeof h);
    if (len > 0)
        memcpy((uint8_t *)wire + sizeof h, body, len);
    struct fen_error err;
    return fen_parse_msg(FEN_GUI_FROM_GUEST, (const uint8_t *)wire, sizeof h + len, 0, &msg, &err) ==
                   FEN_OK
               ? 0
               : -1;
}

static struct fen_rect take_rect(struct input *in)
{
    return (struct fen_rect){(int16_t)take(in, 2), (int16_t)take(in, 2), take(in, 2) % 2100,
                             take(in, 2) % 1300};
}

/* Build one guest message from the input; -1 when it does not parse. */
static int build_guest(struct input *in, uint32_t op)
{
    uint8_t body[4096];
    uint32_t id = take(in, 1) % 10;
    switch (op) {
    case 0: {
        struct fen_msg_create c = {take_rect(in), take(in, 1) % 10, take(in, 1) & 1};
        return parse(FEN_MSG_CREATE, id, &c, sizeof c);
    }
    case 1:
        return parse(FEN_MSG_DESTROY, id, NULL, 0);
    case 2: {
        struct fen_msg_map m = {take(in, 1) % 10, take(in, 1) & 1};
        return parse(FEN_MSG_MAP, id, &m, sizeof m);
    }
    case 3:
        return parse(FEN_MSG_UNMAP, id, NULL, 0);
    case 4: {
        struct fen_msg_configure c = {take_rect(in), take(in, 1) & 1};
        return parse(FEN_MSG_CONFIGURE, id, &c, sizeof c);
    }
    case 5: {
        uint32_t n = take(in, 1) % 4 + 1;
        memcpy(body, &n, 4);
        for (uint32_t i = 0; i < n; i++) {
            struct fen_rect r = take_rect(in);
            memcpy(body + 4 + i * sizeof r, &r, sizeof r);
        }
        return parse(FEN_MSG_DAMAGE, id, body, 4 + n * (uint32_t)sizeof(struct fen_rect));
    }
    case 6: {
        uint32_t w = take(in, 2) % 1100 + 1, h = take(in, 2) % 700 + 1;
        uint32_t stride = w * 4 + (take(in, 1) % 3) * 4;
        uint32_t offset = (take(in, 1) % 4) * 64;
        uint32_t need = (uint32_t)(((uint64_t)stride * h + offset + FEN_PAGE_SIZE - 1) / FEN_PAGE_SIZE);
        uint32_t n = (take(in, 1) & 7) == 0 ? take(in, 1) % 8 + 1 : need;
        if (n > 900)
            n = 900;
        uint32_t first = take(in, 1);
        struct fen_msg_window_dump d = {FEN_DUMP_LOCAL_POOL, w, h, stride, offset,
                                        FEN_FORMAT_XRGB8888, take(in, 1), take(in, 1) % 3, n};
        memcpy(body, &d, sizeof d);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t ref = first + i;
            memcpy(body + sizeof d + 4 * i, &ref, 4);
        }
        return parse(FEN_MSG_WINDOW_DUMP, id, body, (uint32_t)sizeof d + 4 * n);
    }
    case 7: {
        uint32_t len = take(in, 1) % 40;
        memcpy(body, &len, 4);
        for (uint32_t i = 0; i < len; i++)
            body[4 + i] = (uint8_t)take(in, 1);
        return parse(FEN_MSG_TITLE, id, body, 4 + len);
    }
    case 8: {
        struct fen_msg_wm_class c;
        memset(&c, 0, sizeof c);
        for (unsigned i = 0; i < 8; i++)
            c.res_class[i] = (char)take(in, 1);
        return parse(FEN_MSG_WM_CLASS, id, &c, sizeof c);
    }
    case 9: {
        struct fen_msg_size_hints s = {take(in, 1) & 0xf, take(in, 2), take(in, 2), take(in, 2),
                                       take(in, 2), take(in, 1), take(in, 1), take(in, 2), take(in, 2)};
        return parse(FEN_MSG_SIZE_HINTS, id, &s, sizeof s);
    }
    case 10: {
        struct fen_msg_wm_flags f = {take(in, 1) & 0x1f, take(in, 1) & 0x1f};
        return parse(FEN_MSG_WM_FLAGS, id, &f, sizeof f);
    }
    case 11: {
        uint32_t g = take(in, 1);
        struct fen_msg_cursor c = {g == 255 ? FEN_CURSOR_DEFAULT : g};
        return parse(FEN_MSG_CURSOR, id, &c, sizeof c);
    }
    case 12: {
        struct fen_msg_pool p = {take(in, 1) % 200 + 1, take(in, 1) % 3};
        return parse(FEN_MSG_POOL, 0, &p, sizeof p);
    }
    default: {
        struct fen_msg_frame f = {take(in, 1)};
        return parse(FEN_MSG_FRAME_MARK, id, &f, sizeof f);
    }
    }
}

struct session {
    struct guid_wstate *ws;
    struct fen_mapper *mapper;
};

static void drop(struct session *s)
{
    memset(fz_marks, 0, sizeof fz_marks); /* a new connection */
    guid_wstate_reset(s->ws);
    guid_wstate_set_mapper(s->ws, NULL, FEN_DUMP_LOCAL_POOL);
    fen_mapper_destroy(s->mapper);
    s->mapper = fen_mapper_create("local:/tmp");
    if (s->mapper == NULL)
        abort();
    guid_wstate_set_mapper(s->ws, s->mapper, FEN_DUMP_LOCAL_POOL);
}

/* Limits bind what a message adds (lowering them at run time keeps what
 * exists): after a successful CREATE / WINDOW_DUMP the totals are within. */
static void check_limits(struct guid_wstate *ws, uint32_t type)
{
    const struct guid_wpolicy *p = guid_wstate_policy(ws);
    if (type == FEN_MSG_CREATE && guid_wstate_count(ws) > p->max_windows)
        abort();
    if (type == FEN_MSG_WINDOW_DUMP && guid_wstate_memory(ws) > p->max_memory)
        abort();
}

static void check_invariants(struct guid_wstate *ws)
{
    const struct guid_wpolicy *p = guid_wstate_policy(ws);
    size_t n = guid_wstate_count(ws);
    uint64_t mem = 0;
    for (size_t i = 0; i < n; i++) {
        struct guid_win *w = guid_wstate_at(ws, i);
        mem += w->dump.bytes;
        if (w->id == 0 || guid_wstate_find(ws, w->id) != w || w->xid == 0)
            abort();
        if (w->fs_exclusive && !(w->wm_flags & FEN_WMFLAG_FULLSCREEN))
            abort();
        if (w->fs_exclusive && !p->allow_fullscreen)
            abort();
    }
    if (mem != guid_wstate_memory(ws))
        abort();
}

/* Every mark is answered once the X server has caught up, the budget is
 * lifted and collected damage is painted: none waits forever. */
static void check_marks_drain(struct guid_wstate *ws, uint64_t now_ms)
{
    guid_wstate_set_paint_budget(ws, 0);
    fz_read = UINT64_MAX;
    for (int i = 0; i < 200; i++) {
        fz_since = 0;
        guid_wstate_flush(ws, now_ms);
    }
    for (size_t i = 0; i < guid_wstate_count(ws); i++) {
        struct guid_win *w = guid_wstate_at(ws, i);
        if (w->mark != GUID_MARK_NONE || fz_marks[w->id].open)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t now_ms = 1000;
    struct input in = {data, size};
    fz_since = 0;
    fz_puts = fz_read = 0;
    struct session s = {guid_wstate_create("fuzz", FRAME, &xops, &sendops), NULL};
    if (s.ws == NULL)
        return 0;
    fz_ws = s.ws;
    guid_wstate_set_features(s.ws, FEN_FEATURE_FRAME_PACING);
    struct guid_wpolicy pol = {.allow_fullscreen = true, .max_windows = 6,
                               .max_memory = 4u << 20};
    (void)guid_wstate_set_policy(s.ws, &pol);
    drop(&s);
    for (int steps = 0; in.n > 0 && steps < 200; steps++) {
        uint32_t op = take(&in, 1) % 20;
        struct fen_error err;
        if (op <= 12 || op == 19) {
            if (build_guest(&in, op) != 0) {
                drop(&s); /* conn.c drops on a malformed message */
                continue;
            }
            int fd = -1;
            if (msg.type == FEN_MSG_POOL)
                fd = make_pool(msg.u.pool.npages);
            if (msg.type == FEN_MSG_FRAME_MARK && msg.window < 10) { /* may be answered at once */
                fz_marks[msg.window].open = true;
                fz_marks[msg.window].serial = msg.u.frame.serial;
            }
            if (msg.type == FEN_MSG_DESTROY && msg.window < 10)
                fz_marks[msg.window].open = false; /* dropped with its window */
            if (guid_wstate_handle(s.ws, &msg, fd, &err) != FEN_OK) {
                if (err.reason[0] == '\0')
                    abort(); /* every refusal says why (guid logs it) */
                drop(&s);
            } else {
                check_limits(s.ws, msg.type);
            }
        } else if (op == 13) {
            struct guid_win *w = guid_wstate_at(s.ws, take(&in, 1) % 8);
            struct fen_rect outer = take_rect(&in);
            if (w != NULL)
                (void)guid_wstate_dom0_configure(s.ws, w, &outer);
        } else if (op == 14) {
            (void)guid_wstate_leave_fullscreen(s.ws);
        } else if (op == 15) {
            pol.allow_fullscreen = take(&in, 1) & 1;
            pol.max_windows = take(&in, 1) % 8 + 1;
            pol.max_memory = (uint64_t)(take(&in, 1) % 8 + 1) << 20;
            (void)guid_wstate_set_policy(s.ws, &pol);
            guid_wstate_set_paint_budget(s.ws, (uint64_t)(take(&in, 1) % 4) * 300000);
        } else if (op == 16) {
            now_ms += take(&in, 1); /* time passes: collected damage and geometry land */
            uint32_t how = take(&in, 1);
            if (how & 2) {
                fz_since = 0; /* the X server replied to the last batch */
                fz_read = fz_puts;
            }
            if (guid_wstate_flush_due(s.ws, now_ms) == 0 || (how & 1))
                guid_wstate_flush(s.ws, now_ms);
        } else {
            struct guid_win *w = guid_wstate_at(s.ws, take(&in, 1) % 8);
            struct fen_rect r = take_rect(&in);
            if (w != NULL && r.x >= 0 && r.y >= 0)
                guid_wstate_repaint(s.ws, w, &r);
        }
        check_invariants(s.ws);
    }
    check_marks_drain(s.ws, now_ms);
    guid_wstate_destroy(s.ws);
    fen_mapper_destroy(s.mapper);
    return 0;
}
