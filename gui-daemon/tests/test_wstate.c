/* guid window state driven through a recording fake X side: state checks on
 * guest messages, damage clipping, dom0-initiated configure, fullscreen
 * policy, pools and dumps with a real local page mapper, and frame pacing
 * (FRAME_MARK answered by FRAME_SHOWN once the puts are read). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../wstate.h"

#define FRAME 3
#define MAX_REC 256

struct fake {
    int creates, destroys, maps, unmaps, geometries, titles, dumps, fail_create;
    struct fen_rect paints[MAX_REC];
    int npaints;
    uint32_t sent_type[MAX_REC], sent_window[MAX_REC];
    uint8_t sent_body[MAX_REC][32];
    int nsent;
    uint32_t next_xid;
    uint32_t screen_w, screen_h;
    /* Frame pacing: puts made, how far the "X server" has executed them,
     * and how often wstate found a mark's puts not read yet. */
    uint64_t put_pos, read_pos;
    int fence_asks;
    bool busy; /* paint backpressure: the X server has not caught up */
    uint64_t now;
};

static struct fake F;

static void set_outer(struct guid_win *w)
{
    w->outer = (struct fen_rect){w->rect.x - FRAME, w->rect.y - FRAME, w->rect.w + 2 * FRAME,
                                 w->rect.h + 2 * FRAME};
}
static int f_create(void *ctx, struct guid_win *w)
{
    if (F.fail_create)
        return -1;
    F.creates++;
    w->xid = ++F.next_xid;
    set_outer(w);
    return 0;
}
static void f_destroy(void *ctx, struct guid_win *w) { F.destroys++; }
static void f_map(void *ctx, struct guid_win *w) { F.maps++; }
static void f_unmap(void *ctx, struct guid_win *w) { F.unmaps++; }
static void f_geometry(void *ctx, struct guid_win *w)
{
    F.geometries++;
    set_outer(w);
}
static void f_title(void *ctx, struct guid_win *w) { F.titles++; }
static void f_nop(void *ctx, struct guid_win *w) {}
static void f_transient(void *ctx, struct guid_win *w, const struct guid_win *o) {}
static int f_set_dump(void *ctx, struct guid_win *w, const struct guid_dump *d)
{
    F.dumps++;
    return 0;
}
static void f_paint(void *ctx, struct guid_win *w, const struct fen_rect *r)
{
    if (F.npaints < MAX_REC)
        F.paints[F.npaints++] = *r;
    F.put_pos++;
}
static uint64_t f_paint_pos(void *ctx) { return F.put_pos; }
static bool f_paint_read(void *ctx, uint64_t pos)
{
    if (pos <= F.read_pos)
        return true;
    F.fence_asks++;
    return false;
}
static bool f_busy(void *ctx) { return F.busy; }
static void f_screen(void *ctx, uint32_t *w, uint32_t *h)
{
    *w = F.screen_w;
    *h = F.screen_h;
}
static int f_send(void *ctx, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    if (F.nsent < MAX_REC) {
        F.sent_type[F.nsent] = type;
        F.sent_window[F.nsent] = window;
        memcpy(F.sent_body[F.nsent], body, len < 32 ? len : 32);
        F.nsent++;
    }
    return 0;
}

static const struct guid_xops xops = {
    .win_create = f_create, .win_destroy = f_destroy, .win_map = f_map, .win_unmap = f_unmap,
    .win_geometry = f_geometry, .win_title = f_title, .win_class = f_nop, .win_hints = f_nop,
    .win_transient = f_transient, .win_wm_flags = f_nop, .win_cursor = f_nop,
    .win_set_dump = f_set_dump, .win_paint = f_paint, .screen_size = f_screen,
    .paint_busy = f_busy, .paint_pos = f_paint_pos, .paint_read = f_paint_read,
};
static const struct guid_sendops sendops = {.send = f_send};

static int setup(void **state)
{
    memset(&F, 0, sizeof(F));
    F.screen_w = 1024;
    F.screen_h = 768;
    *state = guid_wstate_create("work", FRAME, &xops, &sendops);
    return *state ? 0 : -1;
}
static int teardown(void **state)
{
    guid_wstate_destroy(*state);
    return 0;
}

static enum fen_err create(struct guid_wstate *ws, uint32_t id, int32_t x, int32_t y, uint32_t w,
                           uint32_t h, uint32_t parent)
{
    struct fen_msg m = {.type = FEN_MSG_CREATE, .window = id};
    m.u.create = (struct fen_msg_create){{x, y, w, h}, parent, 0};
    struct fen_error err;
    return guid_wstate_handle(ws, &m, -1, &err);
}

static enum fen_err simple(struct guid_wstate *ws, uint32_t type, uint32_t id)
{
    struct fen_msg m = {.type = type, .window = id};
    struct fen_error err;
    return guid_wstate_handle(ws, &m, -1, &err);
}

static void create_map_destroy_follow_the_guest(void **state)
{
    struct guid_wstate *ws = *state;
    assert_int_equal(create(ws, 7, 10, 20, 100, 50, 0), FEN_OK);
    assert_int_equal(guid_wstate_count(ws), 1);
    struct fen_msg m = {.type = FEN_MSG_MAP, .window = 7};
    struct fen_error err;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    assert_true(guid_wstate_find(ws, 7)->mapped);
    assert_int_equal(simple(ws, FEN_MSG_UNMAP, 7), FEN_OK);
    assert_false(guid_wstate_find(ws, 7)->mapped);
    assert_ptr_equal(guid_wstate_find_xid(ws, guid_wstate_find(ws, 7)->xid),
                     guid_wstate_find(ws, 7));
    assert_int_equal(simple(ws, FEN_MSG_DESTROY, 7), FEN_OK);
    assert_int_equal(guid_wstate_count(ws), 0);
    assert_int_equal(F.creates, 1);
    assert_int_equal(F.destroys, 1);
    assert_int_equal(F.maps, 1);
    assert_int_equal(F.unmaps, 1);
}

static void ids_must_be_new_or_existing(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    assert_int_equal(create(ws, 0, 0, 0, 10, 10, 0), FEN_E_RANGE);
    assert_int_equal(create(ws, 1, 0, 0, 10, 10, 0), FEN_OK);
    assert_int_equal(create(ws, 1, 0, 0, 10, 10, 0), FEN_E_STATE);
    assert_int_equal(create(ws, 2, 0, 0, 10, 10, 99), FEN_E_STATE);
    assert_int_equal(create(ws, 3, 0, 0, 10, 10, 3), FEN_E_STATE);
    assert_int_equal(create(ws, 4, 0, 0, 10, 10, 1), FEN_OK);
    assert_int_equal(simple(ws, FEN_MSG_DESTROY, 42), FEN_E_STATE);
    assert_int_equal(simple(ws, FEN_MSG_UNMAP, 42), FEN_E_STATE);
    struct fen_msg m = {.type = FEN_MSG_MAP, .window = 1};
    m.u.map.transient_for = 1;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "transient"));
    m.u.map.transient_for = 77;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_E_STATE);
    m.u.map.transient_for = 4;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    /* Destroying the owner clears references to it. */
    m.window = 4;
    m.u.map.transient_for = 1;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    assert_int_equal(simple(ws, FEN_MSG_DESTROY, 1), FEN_OK);
    assert_int_equal(guid_wstate_find(ws, 4)->transient_for, 0);
    assert_int_equal(guid_wstate_find(ws, 4)->parent, 0);
    /* A message for the stream, not a window, is refused. */
    assert_int_equal(simple(ws, FEN_MSG_HELLO, 0), FEN_E_STATE);
}

static void window_count_is_bounded(void **state)
{
    struct guid_wstate *ws = *state;
    for (uint32_t i = 1; i <= FEN_MAX_WINDOWS_PER_QUBE; i++)
        assert_int_equal(create(ws, i, 0, 0, 1, 1, 0), FEN_OK);
    assert_int_equal(create(ws, 5000, 0, 0, 1, 1, 0), FEN_E_RANGE);
    guid_wstate_reset(ws);
    assert_int_equal(guid_wstate_count(ws), 0);
    assert_int_equal(F.destroys, (int)FEN_MAX_WINDOWS_PER_QUBE);
}

static void failed_dom0_window_fails_the_message(void **state)
{
    struct guid_wstate *ws = *state;
    F.fail_create = 1;
    assert_int_equal(create(ws, 1, 0, 0, 10, 10, 0), FEN_E_STATE);
    assert_int_equal(guid_wstate_count(ws), 0);
}

/* A sealed memfd pool like the guest's. */
static int make_pool(uint32_t npages)
{
    int fd = memfd_create("test-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)npages * 4096), 0);
    assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), 0);
    return fd;
}

static enum fen_err dump(struct guid_wstate *ws, uint32_t id, uint32_t w, uint32_t h,
                         uint32_t first_ref, uint32_t serial, struct fen_error *err)
{
    static uint32_t refs[64];
    uint32_t n = (w * 4 * h + 4095) / 4096;
    for (uint32_t i = 0; i < n; i++)
        refs[i] = first_ref + i;
    struct fen_msg m = {.type = FEN_MSG_WINDOW_DUMP, .window = id};
    m.u.dump.hdr = (struct fen_msg_window_dump){FEN_DUMP_LOCAL_POOL, w, h, w * 4, 0,
                                                FEN_FORMAT_XRGB8888, serial, 0, n};
    m.u.dump.refs = refs;
    m.u.dump.bytes = (uint64_t)w * 4 * h;
    return guid_wstate_handle(ws, &m, -1, err);
}

static void dumps_map_refs_and_damage_is_clipped(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    struct fen_mapper *mapper = fen_mapper_create("local:/tmp");
    assert_non_null(mapper);
    assert_int_equal(create(ws, 1, 10, 10, 64, 32, 0), FEN_OK);
    /* No mapper yet: refused. */
    assert_int_equal(dump(ws, 1, 64, 32, 0, 1, &err), FEN_E_STATE);
    guid_wstate_set_mapper(ws, mapper, FEN_DUMP_LOCAL_POOL);
    struct fen_msg pool = {.type = FEN_MSG_POOL};
    pool.u.pool = (struct fen_msg_pool){4, 0};
    assert_int_equal(guid_wstate_handle(ws, &pool, make_pool(4), &err), FEN_OK);
    /* 64x32x4 = 8192 bytes = 2 pages; refs 3,4 run past a 4-page pool. */
    assert_int_not_equal(dump(ws, 1, 64, 32, 3, 1, &err), FEN_OK);
    assert_int_equal(F.dumps, 0);
    assert_int_equal(dump(ws, 1, 64, 32, 1, 9, &err), FEN_OK);
    assert_int_equal(F.dumps, 1);
    assert_int_equal(F.npaints, 1); /* the whole new dump */
    assert_int_equal(F.paints[0].w, 64);
    assert_int_equal(F.sent_type[F.nsent - 1], FEN_MSG_DUMP_ACK);
    uint32_t serial;
    memcpy(&serial, F.sent_body[F.nsent - 1], 4);
    assert_int_equal(serial, 9);
    /* Damage is clipped to the window; a rect entirely outside paints nothing. */
    struct fen_msg d = {.type = FEN_MSG_DAMAGE, .window = 1};
    d.u.damage.count = 2;
    d.u.damage.rects[0] = (struct fen_rect){60, 30, 100, 100};
    d.u.damage.rects[1] = (struct fen_rect){-500, 0, 10, 10};
    assert_int_equal(guid_wstate_handle(ws, &d, -1, &err), FEN_OK);
    assert_int_equal(F.npaints, 1); /* collected until the loop flushes */
    guid_wstate_flush(ws, 0);
    assert_int_equal(F.npaints, 2);
    assert_int_equal(F.paints[1].x, 60);
    assert_int_equal(F.paints[1].w, 4);
    assert_int_equal(F.paints[1].h, 2);
    /* Wrong dump kind for the backend. */
    struct fen_msg x = {.type = FEN_MSG_WINDOW_DUMP, .window = 1};
    x.u.dump.hdr.kind = FEN_DUMP_XEN_GRANT;
    assert_int_equal(guid_wstate_handle(ws, &x, -1, &err), FEN_E_STATE);
    guid_wstate_reset(ws);
    guid_wstate_set_mapper(ws, NULL, FEN_DUMP_LOCAL_POOL);
    fen_mapper_destroy(mapper);
}

static void dom0_moves_are_sent_once_as_content_rects(void **state)
{
    struct guid_wstate *ws = *state;
    assert_int_equal(create(ws, 1, 10, 20, 100, 50, 0), FEN_OK);
    struct guid_win *w = guid_wstate_find(ws, 1);
    struct fen_rect same = w->outer;
    assert_int_equal(guid_wstate_dom0_configure(ws, w, &same), 0);
    assert_int_equal(F.nsent, 0);
    struct fen_rect moved = {200, 300, 206, 56};
    assert_int_equal(guid_wstate_dom0_configure(ws, w, &moved), 0);
    assert_int_equal(F.nsent, 1);
    assert_int_equal(F.sent_type[0], FEN_MSG_CONFIGURE);
    struct fen_msg_configure c;
    memcpy(&c, F.sent_body[0], sizeof(c));
    assert_int_equal(c.rect.x, 203);
    assert_int_equal(c.rect.y, 303);
    assert_int_equal(c.rect.w, 200);
    assert_int_equal(c.rect.h, 50);
    assert_int_equal(guid_wstate_dom0_configure(ws, w, &moved), 0);
    assert_int_equal(F.nsent, 1);
}

static void fullscreen_becomes_maximized_and_guest_is_told(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    assert_int_equal(create(ws, 1, 10, 20, 100, 50, 0), FEN_OK);
    struct fen_msg m = {.type = FEN_MSG_WM_FLAGS, .window = 1};
    m.u.wm_flags = (struct fen_msg_wm_flags){FEN_WMFLAG_FULLSCREEN, 0};
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    struct guid_win *w = guid_wstate_find(ws, 1);
    assert_int_equal(w->rect.w, 1024 - 2 * FRAME);
    assert_int_equal(w->rect.x, FRAME);
    assert_int_equal(F.nsent, 2);
    assert_int_equal(F.sent_type[0], FEN_MSG_CONFIGURE);
    assert_int_equal(F.sent_type[1], FEN_MSG_WM_FLAGS);
    m.u.wm_flags = (struct fen_msg_wm_flags){0, FEN_WMFLAG_FULLSCREEN};
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    assert_int_equal(w->rect.w, 100);
    assert_int_equal(w->rect.x, 10);
}

/* ---- frame pacing ---- */

static struct fen_mapper *pace_mapper;

/* Window 1 (64x32) mapped with pixels, FRAME_PACING granted, every put so
 * far read by the X server, nothing sent yet. */
static int setup_paced(void **state)
{
    if (setup(state) != 0)
        return -1;
    struct guid_wstate *ws = *state;
    struct fen_error err;
    pace_mapper = fen_mapper_create("local:/tmp");
    assert_non_null(pace_mapper);
    guid_wstate_set_mapper(ws, pace_mapper, FEN_DUMP_LOCAL_POOL);
    struct fen_msg pool = {.type = FEN_MSG_POOL};
    pool.u.pool = (struct fen_msg_pool){8, 0};
    assert_int_equal(guid_wstate_handle(ws, &pool, make_pool(8), &err), FEN_OK);
    assert_int_equal(create(ws, 1, 10, 10, 64, 32, 0), FEN_OK);
    assert_int_equal(dump(ws, 1, 64, 32, 0, 1, &err), FEN_OK);
    assert_int_equal(simple(ws, FEN_MSG_MAP, 1), FEN_OK);
    guid_wstate_set_features(ws, FEN_FEATURE_FRAME_PACING);
    F.read_pos = F.put_pos;
    F.nsent = 0;
    F.npaints = 0;
    return 0;
}
static int teardown_paced(void **state)
{
    guid_wstate_reset(*state);
    guid_wstate_set_mapper(*state, NULL, FEN_DUMP_LOCAL_POOL);
    fen_mapper_destroy(pace_mapper);
    return teardown(state);
}

static enum fen_err mark(struct guid_wstate *ws, uint32_t id, uint32_t serial,
                         struct fen_error *err)
{
    struct fen_msg m = {.type = FEN_MSG_FRAME_MARK, .window = id};
    m.u.frame.serial = serial;
    return guid_wstate_handle(ws, &m, -1, err);
}

static enum fen_err damage(struct guid_wstate *ws, uint32_t id, struct fen_rect r)
{
    struct fen_msg m = {.type = FEN_MSG_DAMAGE, .window = id};
    m.u.damage.count = 1;
    m.u.damage.rects[0] = r;
    struct fen_error err;
    return guid_wstate_handle(ws, &m, -1, &err);
}

/* How many FRAME_SHOWN were sent (for window `id`), and the last serial. */
static int shown(uint32_t id, uint32_t *serial)
{
    int n = 0;
    for (int i = 0; i < F.nsent; i++) {
        if (F.sent_type[i] != FEN_MSG_FRAME_SHOWN)
            continue;
        assert_int_equal(F.sent_window[i], id);
        memcpy(serial, F.sent_body[i], 4);
        n++;
    }
    return n;
}

/* The X server executed every put made so far (a fence reply came back);
 * the loop flushes (at monotonic time F.now). */
static void fence_reply(struct guid_wstate *ws)
{
    F.read_pos = F.put_pos;
    guid_wstate_flush(ws, F.now);
}

static void mark_with_nothing_to_paint_is_answered_at_once(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    uint32_t serial = 0;
    assert_int_equal(mark(ws, 1, 41, &err), FEN_OK);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(serial, 41);
    assert_int_equal(F.fence_asks, 0);
    /* Damage outside the window paints nothing: answered at once too. */
    assert_int_equal(damage(ws, 1, (struct fen_rect){500, 500, 10, 10}), FEN_OK);
    assert_int_equal(mark(ws, 1, 42, &err), FEN_OK);
    assert_int_equal(shown(1, &serial), 2);
    assert_int_equal(serial, 42);
    assert_int_equal(F.npaints, 0);
}

static void mark_after_damage_waits_for_the_paint_and_its_fence(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    uint32_t serial = 0;
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 32}), FEN_OK);
    assert_int_equal(mark(ws, 1, 7, &err), FEN_OK);
    assert_int_equal(shown(1, &serial), 0); /* damage collected, not painted yet */
    guid_wstate_flush(ws, 0);
    assert_int_equal(F.npaints, 1);
    assert_int_equal(shown(1, &serial), 0); /* painted, the X server not done */
    assert_true(F.fence_asks > 0);
    guid_wstate_flush(ws, 0); /* no reply yet: still nothing */
    assert_int_equal(shown(1, &serial), 0);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(serial, 7);
    fence_reply(ws); /* answered once */
    assert_int_equal(shown(1, &serial), 1);
}

static void mark_waits_for_puts_still_in_flight(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    uint32_t serial = 0;
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 8, 8}), FEN_OK);
    guid_wstate_flush(ws, 0); /* painted before the mark, not read yet */
    assert_int_equal(mark(ws, 1, 3, &err), FEN_OK);
    assert_int_equal(shown(1, &serial), 0);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(serial, 3);
}

static void a_newer_mark_replaces_the_unanswered_one(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    uint32_t serial = 0;
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 16}), FEN_OK);
    assert_int_equal(mark(ws, 1, 10, &err), FEN_OK);
    guid_wstate_flush(ws, 0); /* mark 10 painted, waiting for its fence */
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 16, 64, 16}), FEN_OK);
    assert_int_equal(mark(ws, 1, 11, &err), FEN_OK);
    fence_reply(ws); /* read mark 10's puts, painted mark 11's */
    assert_int_equal(shown(1, &serial), 0);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(serial, 11);
    /* A mark replaced while its damage waits is not answered either. */
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 4, 4}), FEN_OK);
    assert_int_equal(mark(ws, 1, 12, &err), FEN_OK);
    assert_int_equal(mark(ws, 1, 13, &err), FEN_OK);
    guid_wstate_flush(ws, 0);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 2);
    assert_int_equal(serial, 13);
}

static void marks_on_hidden_windows_are_answered_or_dropped(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    uint32_t serial = 0;
    /* Unmapped: nothing shown, answered at once even with damage. */
    assert_int_equal(simple(ws, FEN_MSG_UNMAP, 1), FEN_OK);
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 32}), FEN_OK);
    assert_int_equal(mark(ws, 1, 20, &err), FEN_OK);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(serial, 20);
    /* A waiting mark is answered when its window is unmapped. */
    assert_int_equal(simple(ws, FEN_MSG_MAP, 1), FEN_OK);
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 32}), FEN_OK);
    assert_int_equal(mark(ws, 1, 21, &err), FEN_OK);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(simple(ws, FEN_MSG_UNMAP, 1), FEN_OK);
    assert_int_equal(shown(1, &serial), 2);
    assert_int_equal(serial, 21);
    /* No pixels yet: answered at once. */
    assert_int_equal(create(ws, 2, 0, 0, 10, 10, 0), FEN_OK);
    assert_int_equal(simple(ws, FEN_MSG_MAP, 2), FEN_OK);
    F.nsent = 0;
    assert_int_equal(mark(ws, 2, 30, &err), FEN_OK);
    assert_int_equal(shown(2, &serial), 1);
    assert_int_equal(serial, 30);
    /* A destroyed window's mark is dropped: never answered. */
    F.nsent = 0;
    assert_int_equal(simple(ws, FEN_MSG_MAP, 1), FEN_OK);
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 32}), FEN_OK);
    assert_int_equal(mark(ws, 1, 22, &err), FEN_OK);
    assert_int_equal(simple(ws, FEN_MSG_DESTROY, 1), FEN_OK);
    guid_wstate_flush(ws, 0);
    fence_reply(ws);
    assert_int_equal(F.nsent, 0);
    /* An unknown window is a protocol error, as for DAMAGE. */
    assert_int_equal(mark(ws, 1, 23, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "unknown window"));
}

static void mark_without_the_negotiated_feature_is_refused(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    guid_wstate_set_features(ws, 0);
    assert_int_equal(mark(ws, 1, 1, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "FRAME_MARK"));
    assert_non_null(strstr(err.reason, "not negotiated"));
    assert_int_equal(F.nsent, 0);
}

static void paint_budget_and_busy_x_server_delay_the_answer(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_error err;
    uint32_t serial = 0;
    /* 30000 px/s, bursts of 1000: the full-window paint (2048 px) leaves
     * the qube in debt. */
    guid_wstate_set_paint_budget(ws, 30000);
    F.now = 1000;
    guid_wstate_flush(ws, F.now);
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 32}), FEN_OK);
    guid_wstate_flush(ws, F.now);
    fence_reply(ws);
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 64, 32}), FEN_OK);
    assert_int_equal(mark(ws, 1, 50, &err), FEN_OK);
    int painted = F.npaints;
    F.now = 1001;
    guid_wstate_flush(ws, F.now);
    assert_int_equal(F.npaints, painted); /* out of budget: collected */
    assert_true(guid_wstate_flush_due(ws, F.now) > 0);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 0);
    F.now = 2000;
    guid_wstate_flush(ws, F.now); /* budget back: painted, then read */
    assert_int_equal(F.npaints, painted + 1);
    assert_int_equal(shown(1, &serial), 0);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 1);
    assert_int_equal(serial, 50);
    /* The X server still busy with earlier puts: the damage waits too. */
    guid_wstate_set_paint_budget(ws, 0);
    F.busy = true;
    assert_int_equal(damage(ws, 1, (struct fen_rect){0, 0, 8, 8}), FEN_OK);
    assert_int_equal(mark(ws, 1, 51, &err), FEN_OK);
    guid_wstate_flush(ws, F.now);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 1);
    F.busy = false;
    guid_wstate_flush(ws, F.now);
    fence_reply(ws);
    assert_int_equal(shown(1, &serial), 2);
    assert_int_equal(serial, 51);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_map_destroy_follow_the_guest, setup, teardown),
        cmocka_unit_test_setup_teardown(ids_must_be_new_or_existing, setup, teardown),
        cmocka_unit_test_setup_teardown(window_count_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_dom0_window_fails_the_message, setup, teardown),
        cmocka_unit_test_setup_teardown(dumps_map_refs_and_damage_is_clipped, setup, teardown),
        cmocka_unit_test_setup_teardown(dom0_moves_are_sent_once_as_content_rects, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(fullscreen_becomes_maximized_and_guest_is_told, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(mark_with_nothing_to_paint_is_answered_at_once,
                                        setup_paced, teardown_paced),
        cmocka_unit_test_setup_teardown(mark_after_damage_waits_for_the_paint_and_its_fence,
                                        setup_paced, teardown_paced),
        cmocka_unit_test_setup_teardown(mark_waits_for_puts_still_in_flight, setup_paced,
                                        teardown_paced),
        cmocka_unit_test_setup_teardown(a_newer_mark_replaces_the_unanswered_one, setup_paced,
                                        teardown_paced),
        cmocka_unit_test_setup_teardown(marks_on_hidden_windows_are_answered_or_dropped,
                                        setup_paced, teardown_paced),
        cmocka_unit_test_setup_teardown(mark_without_the_negotiated_feature_is_refused,
                                        setup_paced, teardown_paced),
        cmocka_unit_test_setup_teardown(paint_budget_and_busy_x_server_delay_the_answer,
                                        setup_paced, teardown_paced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
