/* dom0 input -> guest, with XTest.  Pointer events first warp the pointer to
 * the window's inside origin + (x, y); key and button events first bring the
 * guest's modifier state to the `state` dom0 reported (modsync.c); keys go
 * to the window dom0 says has focus.  The window dom0 points at or focuses is
 * raised in the guest, so the injected event reaches it and not a window
 * overlapping it on the guest screen.
 *
 * Limitation: the guest pointer cannot leave the guest screen, so parts of a
 * window outside the guest screen do not receive exact pointer positions. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xtest.h>

#include "agent.h"
#include "fenestra/log.h"
#include "modsync.h"

int input_init(struct agent *a)
{
    xcb_test_get_version_reply_t *v =
        xcb_test_get_version_reply(a->conn, xcb_test_get_version(a->conn, 2, 2), NULL);
    if (!v) {
        fen_log(ERROR, "the X server lacks the XTEST extension: no input injection");
        return -1;
    }
    free(v);
    /* dom0's X server repeats held keys and guid forwards every repeat; a
     * guest repeating them as well would type each one twice. */
    uint32_t off = XCB_AUTO_REPEAT_MODE_OFF;
    xcb_change_keyboard_control(a->conn, XCB_KB_AUTO_REPEAT_MODE, &off);
    return 0;
}

static void fake(struct agent *a, uint8_t type, uint8_t detail, int16_t x, int16_t y)
{
    xcb_test_fake_input(a->conn, type, detail, XCB_CURRENT_TIME,
                        type == XCB_MOTION_NOTIFY ? a->root : XCB_NONE, x, y, 0);
}

static int16_t clamp16(int64_t v)
{
    if (v < INT16_MIN)
        return INT16_MIN;
    return v > INT16_MAX ? INT16_MAX : (int16_t)v;
}

/* Guest windows overlap freely (no guest window manager arranges them), and
 * XTest input goes to whatever is on top at the pointer: raise the window
 * dom0 is pointing at / focusing.  Pixels do not depend on guest stacking
 * (each window has its own composite pixmap). */
static void raise_window(struct agent *a, struct agent_window *w)
{
    uint32_t above = XCB_STACK_MODE_ABOVE;
    xcb_configure_window(a->conn, w->id, XCB_CONFIG_WINDOW_STACK_MODE, &above);
}

static void warp(struct agent *a, struct agent_window *w, int32_t x, int32_t y)
{
    if (a->pointer_window != w->id)
        raise_window(a, w);
    fake(a, XCB_MOTION_NOTIFY, 0, clamp16((int64_t)w->x + w->bw + x),
         clamp16((int64_t)w->y + w->bw + y));
    if (a->pointer_window != w->id) {
        a->pointer_window = w->id;
        props_send_cursor(a);
    }
}

/* Press/release modifier keys until the guest's state matches `state`. */
static void sync_modifiers(struct agent *a, uint32_t state)
{
    xcb_query_pointer_cookie_t pc = xcb_query_pointer(a->conn, a->root);
    xcb_query_keymap_cookie_t kc = xcb_query_keymap(a->conn);
    xcb_get_modifier_mapping_cookie_t mc = xcb_get_modifier_mapping(a->conn);
    xcb_query_pointer_reply_t *p = xcb_query_pointer_reply(a->conn, pc, NULL);
    xcb_query_keymap_reply_t *k = xcb_query_keymap_reply(a->conn, kc, NULL);
    xcb_get_modifier_mapping_reply_t *m = xcb_get_modifier_mapping_reply(a->conn, mc, NULL);
    if (p && k && m) {
        struct modsync_map map;
        modsync_map_from_x(&map, xcb_get_modifier_mapping_keycodes(m),
                           m->keycodes_per_modifier);
        struct modsync_action act[2 * MODSYNC_NMODS * MODSYNC_MAX_PER_MOD];
        size_t n = modsync_plan((uint16_t)(p->mask & 0xff), (uint16_t)(state & 0xff), k->keys,
                                &map, act, sizeof act / sizeof act[0]);
        for (size_t i = 0; i < n; i++)
            fake(a, act[i].press ? XCB_KEY_PRESS : XCB_KEY_RELEASE, act[i].keycode, 0, 0);
    }
    free(p);
    free(k);
    free(m);
}

static void focus(struct agent *a, struct agent_window *w)
{
    raise_window(a, w);
    xcb_set_input_focus(a->conn, XCB_INPUT_FOCUS_PARENT, w->id, XCB_CURRENT_TIME);
    a->focus_window = w->id;
}

static void release_stuck_keys(struct agent *a, const struct fen_msg_keymap *km)
{
    xcb_query_keymap_reply_t *k =
        xcb_query_keymap_reply(a->conn, xcb_query_keymap(a->conn), NULL);
    if (!k)
        return;
    uint8_t up[256];
    size_t n = keymap_release_plan(k->keys, km->keys, up, sizeof up);
    for (size_t i = 0; i < n; i++)
        fake(a, XCB_KEY_RELEASE, up[i], 0, 0);
    free(k);
}

void input_handle(struct agent *a, const struct fen_msg *m)
{
    struct agent_window *w = win_find(a, m->window);
    if (!w || !w->mapped) {
        fen_log(DEBUG, "input for unknown/unmapped window 0x%x ignored", m->window);
        return;
    }
    switch (m->type) {
    case FEN_MSG_KEY:
        if (a->focus_window != w->id)
            focus(a, w);
        sync_modifiers(a, m->u.key.state);
        fake(a, m->u.key.type == FEN_KEY_PRESS ? XCB_KEY_PRESS : XCB_KEY_RELEASE,
             (uint8_t)m->u.key.keycode, 0, 0);
        break;
    case FEN_MSG_BUTTON:
        if (m->u.button.type == FEN_BUTTON_PRESS)
            raise_window(a, w);
        warp(a, w, m->u.button.x, m->u.button.y);
        sync_modifiers(a, m->u.button.state);
        fake(a, m->u.button.type == FEN_BUTTON_PRESS ? XCB_BUTTON_PRESS : XCB_BUTTON_RELEASE,
             (uint8_t)m->u.button.button, 0, 0);
        break;
    case FEN_MSG_MOTION:
        warp(a, w, m->u.motion.x, m->u.motion.y);
        break;
    case FEN_MSG_CROSSING:
        if (m->u.crossing.type == FEN_CROSS_ENTER)
            warp(a, w, m->u.crossing.x, m->u.crossing.y);
        break;
    case FEN_MSG_FOCUS:
        if (m->u.focus.type == FEN_FOCUS_IN) {
            focus(a, w);
        } else if (a->focus_window == w->id) {
            xcb_set_input_focus(a->conn, XCB_INPUT_FOCUS_POINTER_ROOT, XCB_NONE,
                                XCB_CURRENT_TIME);
            a->focus_window = 0;
        }
        break;
    case FEN_MSG_KEYMAP:
        release_stuck_keys(a, &m->u.keymap);
        break;
    default:
        break;
    }
}
