/* dom0 WM state -> WM_FLAGS to the guest: the property decoding
 * (wmstate.c) and the transitions wstate.c sends, through a recording fake
 * X side; and the guest's own minimize / maximize requests, which go to the
 * dom0 WM as requests and reach the guest only once the WM did them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../wmstate.h"
#include "../wstate.h"

#define MIN FEN_WMFLAG_MINIMIZED
#define MAX FEN_WMFLAG_MAXIMIZED
#define MAX_REC 32

static struct {
    uint32_t type[MAX_REC], window[MAX_REC];
    struct fen_msg_wm_flags flags[MAX_REC];
    int n, wm_flags_calls;
    uint32_t next_xid;
    int asks;                           /* win_wm_request calls */
    uint32_t ask_set[MAX_REC], ask_unset[MAX_REC];
} F;

static int f_create(void *ctx, struct guid_win *w)
{
    w->xid = ++F.next_xid;
    w->outer = w->rect;
    return 0;
}
static void f_nop(void *ctx, struct guid_win *w) {}
static void f_wm_flags(void *ctx, struct guid_win *w) { F.wm_flags_calls++; }
static void f_transient(void *ctx, struct guid_win *w, const struct guid_win *o) {}
static void f_wm_request(void *ctx, struct guid_win *w, uint32_t set, uint32_t unset)
{
    if (F.asks < MAX_REC) {
        F.ask_set[F.asks] = set;
        F.ask_unset[F.asks] = unset;
    }
    F.asks++;
}
static int f_set_dump(void *ctx, struct guid_win *w, const struct guid_dump *d) { return 0; }
static void f_paint(void *ctx, struct guid_win *w, const struct fen_rect *r) {}
static void f_screen(void *ctx, uint32_t *w, uint32_t *h)
{
    *w = 1024;
    *h = 768;
}
static int f_send(void *ctx, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    if (F.n < MAX_REC) {
        F.type[F.n] = type;
        F.window[F.n] = window;
        if (type == FEN_MSG_WM_FLAGS && len == sizeof(struct fen_msg_wm_flags))
            memcpy(&F.flags[F.n], body, len);
        F.n++;
    }
    return 0;
}

static const struct guid_xops xops = {
    .win_create = f_create, .win_destroy = f_nop, .win_map = f_nop, .win_unmap = f_nop,
    .win_geometry = f_nop, .win_title = f_nop, .win_class = f_nop, .win_hints = f_nop,
    .win_transient = f_transient, .win_wm_flags = f_wm_flags, .win_cursor = f_nop,
    .win_set_dump = f_set_dump, .win_paint = f_paint, .screen_size = f_screen,
    .win_wm_request = f_wm_request,
};
static const struct guid_sendops sendops = {.send = f_send};

static int setup(void **state)
{
    memset(&F, 0, sizeof(F));
    struct guid_wstate *ws = guid_wstate_create("work", 2, &xops, &sendops);
    if (ws == NULL)
        return -1;
    struct fen_msg m = {.type = FEN_MSG_CREATE, .window = 5};
    m.u.create = (struct fen_msg_create){{10, 10, 200, 100}, 0, 0};
    struct fen_error err;
    if (guid_wstate_handle(ws, &m, -1, &err) != FEN_OK)
        return -1;
    struct fen_msg map = {.type = FEN_MSG_MAP, .window = 5}; /* WM requests need a mapped window */
    if (guid_wstate_handle(ws, &map, -1, &err) != FEN_OK)
        return -1;
    *state = ws;
    return 0;
}
static int teardown(void **state)
{
    guid_wstate_destroy(*state);
    return 0;
}

static void guest_asks(struct guid_wstate *ws, uint32_t set, uint32_t unset)
{
    struct fen_msg m = {.type = FEN_MSG_WM_FLAGS, .window = 5};
    m.u.wm_flags = (struct fen_msg_wm_flags){set, unset};
    struct fen_error err;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
}

/* The dom0 WM shows: WM_STATE (-1: none) and _NET_WM_STATE flags. */
static void dom0_shows(struct guid_wstate *ws, int wm_state, bool net, bool hidden, bool maxed)
{
    struct guid_dom0_wm_state s = {.has_wm_state = wm_state >= 0,
                                   .wm_state = wm_state >= 0 ? (uint32_t)wm_state : 0,
                                   .has_net_state = net, .hidden = hidden,
                                   .max_vert = maxed, .max_horz = maxed};
    uint32_t known;
    uint32_t flags = guid_dom0_wm_flags(&s, &known);
    assert_int_equal(guid_wstate_dom0_wm_state(ws, guid_wstate_find(ws, 5), flags, known), 0);
}

static void assert_sent(int i, uint32_t set, uint32_t unset)
{
    assert_true(i < F.n);
    assert_int_equal(F.type[i], FEN_MSG_WM_FLAGS);
    assert_int_equal(F.window[i], 5);
    assert_int_equal(F.flags[i].set, set);
    assert_int_equal(F.flags[i].unset, unset);
}

static void decoding_follows_icccm_and_ewmh(void **state)
{
    (void)state;
    struct guid_netstate_atoms a = {.hidden = 101, .max_vert = 102, .max_horz = 103};
    struct guid_dom0_wm_state s = {0};
    uint32_t known, atoms[] = {0, 999, 102, 103, 101};
    guid_dom0_net_state_scan(&s, &a, atoms, 5);
    assert_true(s.has_net_state && s.hidden && s.max_vert && s.max_horz);
    /* no WM_STATE: _NET_WM_STATE_HIDDEN tells minimized */
    assert_int_equal(guid_dom0_wm_flags(&s, &known), MIN | MAX);
    assert_int_equal(known, MIN | MAX);
    /* WM_STATE Normal wins over HIDDEN (another desktop, shaded) */
    s.has_wm_state = true;
    s.wm_state = GUID_ICCCM_NORMAL;
    assert_int_equal(guid_dom0_wm_flags(&s, &known), MAX);
    assert_int_equal(known, MIN | MAX);
    /* only one axis maximized is not maximized */
    guid_dom0_net_state_scan(&s, &a, atoms + 2, 1);
    assert_int_equal(guid_dom0_wm_flags(&s, &known), 0);
    s.wm_state = GUID_ICCCM_ICONIC;
    assert_int_equal(guid_dom0_wm_flags(&s, &known), MIN);
    /* withdrawn or a made-up state tells nothing about minimized */
    s.wm_state = GUID_ICCCM_WITHDRAWN;
    assert_int_equal(guid_dom0_wm_flags(&s, &known), 0);
    assert_int_equal(known, MAX);
    s.wm_state = 0xffffffffu;
    guid_dom0_wm_flags(&s, &known);
    assert_int_equal(known, MAX);
    /* nothing at all: not maximized, minimized unknown */
    struct guid_dom0_wm_state none = {0};
    assert_int_equal(guid_dom0_wm_flags(&none, &known), 0);
    assert_int_equal(known, MAX);
}

static void user_minimize_and_restore_reach_the_guest(void **state)
{
    struct guid_wstate *ws = *state;
    dom0_shows(ws, GUID_ICCCM_NORMAL, false, false, false); /* mapped: first sight */
    assert_int_equal(F.n, 0);
    dom0_shows(ws, GUID_ICCCM_ICONIC, true, true, false);
    assert_int_equal(F.n, 1);
    assert_sent(0, MIN, 0);
    assert_true(guid_wstate_find(ws, 5)->wm_flags & MIN);
    dom0_shows(ws, GUID_ICCCM_ICONIC, true, true, false); /* rewritten, same state */
    assert_int_equal(F.n, 1);
    dom0_shows(ws, GUID_ICCCM_NORMAL, true, false, false);
    assert_int_equal(F.n, 2);
    assert_sent(1, 0, MIN);
    assert_false(guid_wstate_find(ws, 5)->wm_flags & MIN);
    /* dom0 state changes never touch the dom0 window themselves */
    assert_int_equal(F.wm_flags_calls, 0);
}

static void user_maximize_and_restore_reach_the_guest(void **state)
{
    struct guid_wstate *ws = *state;
    dom0_shows(ws, -1, true, false, true);
    assert_int_equal(F.n, 1);
    assert_sent(0, MAX, 0);
    dom0_shows(ws, GUID_ICCCM_NORMAL, true, false, true); /* WM_STATE appears */
    assert_int_equal(F.n, 1);
    dom0_shows(ws, GUID_ICCCM_NORMAL, false, false, false); /* property deleted */
    assert_int_equal(F.n, 2);
    assert_sent(1, 0, MAX);
}

static void a_guest_request_goes_to_the_wm_and_back_only_when_done(void **state)
{
    struct guid_wstate *ws = *state;
    struct guid_win *w = guid_wstate_find(ws, 5);
    dom0_shows(ws, GUID_ICCCM_NORMAL, false, false, false);
    guest_asks(ws, MIN, 0);
    assert_int_equal(F.asks, 1);
    assert_int_equal(F.ask_set[0], MIN);
    assert_int_equal(F.ask_unset[0], 0);
    /* a request, not a state: the guest is told nothing yet */
    assert_int_equal(F.n, 0);
    assert_false(w->wm_flags & MIN);
    /* the WM iconifies the window: that is the answer the guest gets */
    dom0_shows(ws, GUID_ICCCM_ICONIC, true, true, false);
    assert_int_equal(F.n, 1);
    assert_sent(0, MIN, 0);
    assert_true(w->wm_flags & MIN);
    /* restore and maximize in one message: two requests in one call */
    guest_asks(ws, MAX, MIN);
    assert_int_equal(F.asks, 2);
    assert_int_equal(F.ask_set[1], MAX);
    assert_int_equal(F.ask_unset[1], MIN);
    dom0_shows(ws, GUID_ICCCM_NORMAL, true, false, true);
    assert_int_equal(F.n, 2);
    assert_sent(1, MAX, MIN);
    /* asking for what dom0 already shows asks the WM for nothing */
    guest_asks(ws, MAX, 0);
    assert_int_equal(F.asks, 2);
    /* a WM ignoring a request sends the guest nothing */
    guest_asks(ws, 0, MAX);
    assert_int_equal(F.asks, 3);
    dom0_shows(ws, GUID_ICCCM_NORMAL, true, false, true); /* property rewritten, same */
    assert_int_equal(F.n, 2);
    assert_int_equal(F.wm_flags_calls, 0); /* no state of guid's own changed */
}

static void a_request_done_at_first_sight_reaches_the_guest(void **state)
{
    struct guid_wstate *ws = *state;
    /* asked before the WM ever showed the window: the first observation,
     * normally not the user's act, is the WM's answer here */
    guest_asks(ws, MIN, 0);
    assert_int_equal(F.asks, 1);
    dom0_shows(ws, GUID_ICCCM_ICONIC, false, false, false);
    assert_int_equal(F.n, 1);
    assert_sent(0, MIN, 0);
}

static void a_withdrawn_window_asks_nothing(void **state)
{
    struct guid_wstate *ws = *state;
    struct fen_msg m = {.type = FEN_MSG_UNMAP, .window = 5};
    struct fen_error err;
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    for (int i = 0; i < 10; i++)
        guest_asks(ws, MIN, 0);
    assert_int_equal(F.asks, 0);
    m.type = FEN_MSG_MAP; /* ... and spent none of its budget */
    assert_int_equal(guid_wstate_handle(ws, &m, -1, &err), FEN_OK);
    guest_asks(ws, MIN, 0);
    assert_int_equal(F.asks, 1);
}

static void requests_to_the_wm_are_rate_limited(void **state)
{
    struct guid_wstate *ws = *state;
    dom0_shows(ws, GUID_ICCCM_NORMAL, false, false, false);
    for (int i = 0; i < 20; i++)
        guest_asks(ws, MIN, 0); /* dom0 never shows it done: each is a new request */
    assert_int_equal(F.asks, 4);
    assert_int_equal(F.n, 0);
}

static void a_fullscreen_grant_is_not_taken_for_maximize(void **state)
{
    struct guid_wstate *ws = *state;
    dom0_shows(ws, GUID_ICCCM_NORMAL, false, false, false);
    guest_asks(ws, FEN_WMFLAG_FULLSCREEN, 0);
    int before = F.n;
    /* guid itself marks the fullscreen window maximized, then unmarks it */
    dom0_shows(ws, GUID_ICCCM_NORMAL, true, false, true);
    assert_int_equal(F.n, before);
    guest_asks(ws, 0, FEN_WMFLAG_FULLSCREEN);
    before = F.n;
    dom0_shows(ws, GUID_ICCCM_NORMAL, false, false, false);
    assert_int_equal(F.n, before);
    assert_false(guid_wstate_find(ws, 5)->wm_flags & MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decoding_follows_icccm_and_ewmh),
        cmocka_unit_test_setup_teardown(user_minimize_and_restore_reach_the_guest, setup, teardown),
        cmocka_unit_test_setup_teardown(user_maximize_and_restore_reach_the_guest, setup, teardown),
        cmocka_unit_test_setup_teardown(a_guest_request_goes_to_the_wm_and_back_only_when_done,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_request_done_at_first_sight_reaches_the_guest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(requests_to_the_wm_are_rate_limited, setup, teardown),
        cmocka_unit_test_setup_teardown(a_withdrawn_window_asks_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(a_fullscreen_grant_is_not_taken_for_maximize, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
