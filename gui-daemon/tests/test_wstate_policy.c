/* guid window state under policy, through a recording fake X side:
 * max_windows, max_window_memory, fullscreen (framed by default, covering
 * the monitor when allowed, the exit hotkey, run-time revoke) and the
 * per-qube paint budget. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../wstate.h"

#define FRAME 3

struct fake {
    int geometries, fs_changes;
    int64_t painted; /* pixels */
    uint32_t sent_type[64], sent_body[64][8];
    int nsent;
};
static struct fake F;
static const struct fen_rect mon = {1024, 0, 800, 600}; /* the monitor every window is on */

static void outer_of(struct guid_win *w)
{
    uint32_t f = guid_win_frame(w, FRAME);
    w->outer = (struct fen_rect){w->rect.x - (int32_t)f, w->rect.y - (int32_t)f, w->rect.w + 2 * f,
                                 w->rect.h + 2 * f};
}
static int f_create(void *ctx, struct guid_win *w)
{
    static uint32_t xid;
    w->xid = ++xid;
    outer_of(w);
    return 0;
}
static void f_nop(void *ctx, struct guid_win *w) {}
static void f_geometry(void *ctx, struct guid_win *w)
{
    F.geometries++;
    outer_of(w);
}
static void f_transient(void *ctx, struct guid_win *w, const struct guid_win *o) {}
static int f_set_dump(void *ctx, struct guid_win *w, const struct guid_dump *d) { return 0; }
static void f_paint(void *ctx, struct guid_win *w, const struct fen_rect *r)
{
    F.painted += (int64_t)r->w * r->h;
}
static void f_screen(void *ctx, uint32_t *w, uint32_t *h)
{
    *w = 1824;
    *h = 600;
}
static void f_monitor(void *ctx, const struct fen_rect *r, struct fen_rect *m) { *m = mon; }
static void f_fs(void *ctx, struct guid_win *w) { F.fs_changes++; }
static int f_send(void *ctx, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    if (F.nsent < 64) {
        F.sent_type[F.nsent] = type;
        memset(F.sent_body[F.nsent], 0, sizeof F.sent_body[0]);
        memcpy(F.sent_body[F.nsent], body, len < 32 ? len : 32);
        F.nsent++;
    }
    return 0;
}
static const struct guid_xops xops = {
    .win_create = f_create, .win_destroy = f_nop, .win_map = f_nop, .win_unmap = f_nop,
    .win_geometry = f_geometry, .win_title = f_nop, .win_class = f_nop, .win_hints = f_nop,
    .win_transient = f_transient, .win_wm_flags = f_nop, .win_cursor = f_nop,
    .win_set_dump = f_set_dump, .win_paint = f_paint, .screen_size = f_screen,
    .monitor_of = f_monitor, .fullscreen_changed = f_fs,
};
static const struct guid_sendops sendops = {.send = f_send};

static int setup(void **state)
{
    memset(&F, 0, sizeof F);
    *state = guid_wstate_create("work", FRAME, &xops, &sendops);
    return *state ? 0 : -1;
}
static int teardown(void **state)
{
    guid_wstate_destroy(*state);
    return 0;
}

static enum fen_err handle(struct guid_wstate *ws, struct fen_msg *m)
{
    struct fen_error err;
    return guid_wstate_handle(ws, m, -1, &err);
}
static enum fen_err create(struct guid_wstate *ws, uint32_t id, uint32_t w, uint32_t h)
{
    struct fen_msg m = {.type = FEN_MSG_CREATE, .window = id};
    m.u.create = (struct fen_msg_create){{1100, 100, w, h}, 0, 0};
    return handle(ws, &m);
}
static enum fen_err flags(struct guid_wstate *ws, uint32_t id, uint32_t set, uint32_t unset)
{
    struct fen_msg m = {.type = FEN_MSG_WM_FLAGS, .window = id};
    m.u.wm_flags = (struct fen_msg_wm_flags){set, unset};
    return handle(ws, &m);
}
static enum fen_err configure(struct guid_wstate *ws, uint32_t id, struct fen_rect r)
{
    struct fen_msg m = {.type = FEN_MSG_CONFIGURE, .window = id};
    m.u.configure = (struct fen_msg_configure){r, 0};
    return handle(ws, &m);
}

static void max_windows_is_enforced_and_named(void **state)
{
    struct guid_wstate *ws = *state;
    struct guid_wpolicy p = {.max_windows = 3, .max_memory = UINT64_MAX};
    assert_int_equal(guid_wstate_set_policy(ws, &p), 0);
    for (uint32_t i = 1; i <= 3; i++)
        assert_int_equal(create(ws, i, 10, 10), FEN_OK);
    struct fen_msg m = {.type = FEN_MSG_CREATE, .window = 4};
    m.u.create = (struct fen_msg_create){{0, 0, 10, 10}, 0, 0};
    struct fen_error err;
    assert_int_not_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    assert_non_null(strstr(err.reason, "max_windows"));
    assert_int_equal(guid_wstate_count(ws), 3);
}

static void fullscreen_without_policy_is_framed_on_the_monitor(void **state)
{
    struct guid_wstate *ws = *state;
    assert_int_equal(create(ws, 1, 200, 100), FEN_OK);
    assert_int_equal(flags(ws, 1, FEN_WMFLAG_FULLSCREEN, 0), FEN_OK);
    struct guid_win *w = guid_wstate_find(ws, 1);
    assert_false(w->fs_exclusive);
    assert_int_equal(w->rect.x, mon.x + FRAME);
    assert_int_equal(w->rect.w, mon.w - 2 * FRAME);
    assert_int_equal(w->outer.w, mon.w); /* the frame is on the monitor's edge */
    assert_int_equal(F.fs_changes, 0);
    /* the guest is told it is fullscreen */
    assert_int_equal(F.sent_type[F.nsent - 1], FEN_MSG_WM_FLAGS);
    assert_int_equal(F.sent_body[F.nsent - 1][0], FEN_WMFLAG_FULLSCREEN);
}

static void allowed_fullscreen_covers_the_monitor_until_the_hotkey(void **state)
{
    struct guid_wstate *ws = *state;
    struct guid_wpolicy p = {.allow_fullscreen = true, .max_windows = 10, .max_memory = UINT64_MAX};
    assert_int_equal(guid_wstate_set_policy(ws, &p), 0);
    assert_int_equal(create(ws, 1, 200, 100), FEN_OK);
    assert_int_equal(flags(ws, 1, FEN_WMFLAG_FULLSCREEN, 0), FEN_OK);
    struct guid_win *w = guid_wstate_find(ws, 1);
    assert_true(w->fs_exclusive);
    assert_memory_equal(&w->outer, &mon, sizeof mon);
    assert_int_equal(F.fs_changes, 1);
    /* the guest cannot move it */
    assert_int_equal(configure(ws, 1, (struct fen_rect){5, 5, 50, 50}), FEN_OK);
    assert_memory_equal(&w->rect, &mon, sizeof mon);
    /* the hotkey: back to the old rect, framed; the guest is told */
    assert_int_equal(guid_wstate_leave_fullscreen(ws), 1);
    assert_false(w->fs_exclusive);
    assert_int_equal(w->rect.x, 1100);
    assert_int_equal(w->rect.w, 200);
    assert_int_equal(F.sent_type[F.nsent - 1], FEN_MSG_WM_FLAGS);
    assert_int_equal(F.sent_body[F.nsent - 1][1], FEN_WMFLAG_FULLSCREEN);
    /* asking again after the user left: only the framed kind */
    assert_int_equal(flags(ws, 1, FEN_WMFLAG_FULLSCREEN, 0), FEN_OK);
    assert_false(w->fs_exclusive);
    assert_int_equal(guid_wstate_leave_fullscreen(ws), 0);
}

static void revoking_the_policy_frames_fullscreen_windows(void **state)
{
    struct guid_wstate *ws = *state;
    struct guid_wpolicy p = {.allow_fullscreen = true, .max_windows = 10, .max_memory = UINT64_MAX};
    assert_int_equal(guid_wstate_set_policy(ws, &p), 0);
    assert_int_equal(create(ws, 1, 200, 100), FEN_OK);
    assert_int_equal(flags(ws, 1, FEN_WMFLAG_FULLSCREEN, 0), FEN_OK);
    p.allow_fullscreen = false;
    assert_int_equal(guid_wstate_set_policy(ws, &p), 0);
    struct guid_win *w = guid_wstate_find(ws, 1);
    assert_false(w->fs_exclusive);
    assert_false(w->wm_flags & FEN_WMFLAG_FULLSCREEN);
    assert_int_equal(F.fs_changes, 2);
}

static void damage_past_the_budget_is_merged_and_painted_later(void **state)
{
    struct guid_wstate *ws = *state;
    struct guid_win *w;
    assert_int_equal(create(ws, 1, 100, 100), FEN_OK);
    w = guid_wstate_find(ws, 1);
    w->dump = (struct guid_dump){.valid = true, .width = 100, .height = 100, .stride = 400};
    guid_wstate_set_paint_budget(ws, 30 * 15000); /* burst: 15000 px = 1.5 full windows */
    guid_wstate_flush(ws, 1000);
    static struct fen_msg m = {.type = FEN_MSG_DAMAGE, .window = 1};
    m.u.damage.count = 1;
    m.u.damage.rects[0] = (struct fen_rect){0, 0, 100, 100};
    for (int i = 0; i < 1000; i++)
        assert_int_equal(handle(ws, &m), FEN_OK);
    /* collected and merged: one pending rect, nothing painted before the flush */
    assert_int_equal(F.painted, 0);
    assert_int_equal(w->npending, 1);
    assert_int_equal(guid_wstate_flush_due(ws, 1000), 0);
    guid_wstate_flush(ws, 1000);
    assert_int_equal(F.painted, 10000); /* budget left: 5000 */
    assert_int_equal(handle(ws, &m), FEN_OK);
    guid_wstate_flush(ws, 1000);
    /* a rect started is finished: the bucket goes into debt (-5000) */
    assert_int_equal(F.painted, 20000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(handle(ws, &m), FEN_OK);
    assert_true(guid_wstate_throttled(ws));
    assert_true(guid_wstate_flush_due(ws, 1000) > 0);
    guid_wstate_flush(ws, 1000); /* no time passed: nothing */
    assert_int_equal(F.painted, 20000);
    assert_int_equal(w->npending, 1);
    guid_wstate_flush(ws, 1100); /* 100 ms: 45000 px of budget came back */
    assert_int_equal(F.painted, 30000);
    assert_int_equal(w->npending, 0);
    assert_int_equal(guid_wstate_flush_due(ws, 1100), -1);
    w->dump.valid = false;
}

/* The X side's backpressure, faked: busy once `band` pixels were put since
 * the last "reply" (the test plays the reply by zeroing `since`). */
static int64_t since;
static void f_paint_bp(void *ctx, struct guid_win *w, const struct fen_rect *r)
{
    f_paint(ctx, w, r);
    since += (int64_t)r->w * r->h;
    assert_true(r->w * r->h <= 2000); /* never more than one band per request */
}
static bool f_busy(void *ctx) { return since >= 2000; }

static void backpressure_paints_in_bands_and_holds_reading(void **state)
{
    (void)state;
    struct guid_xops bp = xops;
    bp.win_paint = f_paint_bp;
    bp.paint_busy = f_busy;
    bp.paint_band = 2000; /* 20 rows of a 100-pixel-wide window */
    struct guid_wstate *ws = guid_wstate_create("work", FRAME, &bp, &sendops);
    assert_non_null(ws);
    since = 0;
    assert_int_equal(create(ws, 1, 100, 100), FEN_OK);
    struct guid_win *w = guid_wstate_find(ws, 1);
    w->dump = (struct guid_dump){.valid = true, .width = 100, .height = 100, .stride = 400};
    static struct fen_msg m = {.type = FEN_MSG_DAMAGE, .window = 1};
    m.u.damage.count = 1;
    m.u.damage.rects[0] = (struct fen_rect){0, 0, 100, 100};
    assert_int_equal(handle(ws, &m), FEN_OK);
    assert_int_equal(F.painted, 0); /* collected until the loop flushes */
    guid_wstate_flush(ws, 0);
    /* the top band now, the rest waits for the X server */
    assert_int_equal(F.painted, 2000);
    assert_int_equal(w->npending, 1);
    assert_int_equal(w->pending[0].y, 20);
    assert_int_equal(w->pending[0].h, 80);
    assert_true(guid_wstate_throttled(ws));
    assert_int_equal(guid_wstate_flush_due(ws, 0), -1); /* the X reply wakes the loop */
    /* more damage while busy is merged, not painted */
    assert_int_equal(handle(ws, &m), FEN_OK);
    assert_int_equal(F.painted, 2000);
    guid_wstate_flush(ws, 0); /* still busy: nothing */
    assert_int_equal(F.painted, 2000);
    for (int band = 2; band <= 5; band++) {
        since = 0; /* the X server took the last band */
        assert_false(guid_wstate_throttled(ws));
        guid_wstate_flush(ws, 0);
        assert_int_equal(F.painted, 2000 * band);
    }
    /* the merged second damage covers the whole window again: 5 bands */
    for (int band = 6; band <= 10; band++) {
        since = 0;
        guid_wstate_flush(ws, 0);
        assert_int_equal(F.painted, 2000 * band);
    }
    assert_int_equal(w->npending, 0);
    since = 0;
    assert_false(guid_wstate_throttled(ws));
    assert_int_equal(guid_wstate_flush_due(ws, 0), -1);
    w->dump.valid = false;
    guid_wstate_destroy(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(max_windows_is_enforced_and_named, setup, teardown),
        cmocka_unit_test_setup_teardown(fullscreen_without_policy_is_framed_on_the_monitor, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(allowed_fullscreen_covers_the_monitor_until_the_hotkey,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(revoking_the_policy_frames_fullscreen_windows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(damage_past_the_budget_is_merged_and_painted_later, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(backpressure_paints_in_bands_and_holds_reading, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
