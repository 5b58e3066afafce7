/* dom0 events -> guest messages; expose -> frame + content repaint. */
#include "xinput.h"

#include <stdlib.h>
#include <string.h>
#include <xcb/xcb_keysyms.h>

#include "fenestra/clock.h"
#include "fenestra/log.h"
#include "fullscreen.h"
#include "keyhold.h"
#include "wmstate.h"

/* X11 modifiers + Button1..5; the XKB group bits (13-14) are not part of
 * the wire format (the guest has its own keyboard group). */
#define GUID_STATE_MASK 0x1fffu

struct guid_xinput {
    struct guid_xside *xs;
    struct guid_wstate *ws;
    struct guid_sendops send;
    struct guid_hotkey copy, paste;
    guid_hotkey_fn on_hotkey;
    void *hotkey_ctx;
    xcb_key_symbols_t *syms;
    struct guid_keyhold hold; /* hotkey modifiers held back (keyhold.h) */
};

struct guid_xinput *guid_xinput_create(struct guid_xside *xs, struct guid_wstate *ws,
                                       const struct guid_sendops *send,
                                       const struct guid_hotkey *copy,
                                       const struct guid_hotkey *paste, guid_hotkey_fn on_hotkey,
                                       void *hotkey_ctx)
{
    struct guid_xinput *xi = calloc(1, sizeof(*xi));
    if (xi == NULL)
        return NULL;
    xi->xs = xs;
    xi->ws = ws;
    xi->send = *send;
    xi->copy = *copy;
    xi->paste = *paste;
    xi->on_hotkey = on_hotkey;
    xi->hotkey_ctx = hotkey_ctx;
    guid_keyhold_init(&xi->hold, (uint16_t)(copy->mods | paste->mods));
    xi->syms = xcb_key_symbols_alloc(xs->conn);
    if (xi->syms == NULL) {
        free(xi);
        return NULL;
    }
    return xi;
}

void guid_xinput_destroy(struct guid_xinput *xi)
{
    if (xi == NULL)
        return;
    xcb_key_symbols_free(xi->syms);
    free(xi);
}

static void send(struct guid_xinput *xi, uint32_t type, uint32_t window, const void *body,
                 uint32_t len)
{
    /* A failure marks the connection broken; the loop drops it. */
    (void)xi->send.send(xi->send.ctx, type, window, body, len);
}

static struct guid_win *win_of(struct guid_xinput *xi, xcb_window_t id)
{
    return guid_wstate_find_xid(xi->ws, id);
}

static int32_t to_content(struct guid_xinput *xi, const struct guid_win *w, int32_t x)
{
    return x - (int32_t)guid_win_frame(w, xi->xs->cfg.frame);
}

static void send_key(struct guid_xinput *xi, const struct guid_key_ev *e)
{
    struct fen_msg_key k = {
        .type = e->press ? FEN_KEY_PRESS : FEN_KEY_RELEASE,
        .x = e->x,
        .y = e->y,
        .state = e->state & GUID_STATE_MASK,
        .keycode = e->keycode,
    };
    send(xi, FEN_MSG_KEY, e->window, &k, sizeof(k));
}

/* Send key presses the hold-back released, to windows that still exist. */
static void send_flushed(struct guid_xinput *xi, const struct guid_key_ev *fl, int n)
{
    for (int i = 0; i < n; i++)
        if (guid_wstate_find(xi->ws, fl[i].window) != NULL)
            send_key(xi, &fl[i]);
}

static void flush_held_keys(struct guid_xinput *xi)
{
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    guid_keyhold_flush(&xi->hold, fl, &n);
    send_flushed(xi, fl, n);
}

static void handle_key(struct guid_xinput *xi, xcb_key_press_event_t *ev, bool press)
{
    struct guid_win *w = win_of(xi, ev->event);
    if (w == NULL)
        return;
    xcb_keysym_t sym = xcb_key_symbols_get_keysym(xi->syms, ev->detail, 0);
    const char *verb = NULL;
    if (press && guid_hotkey_match(&xi->copy, ev->state, sym))
        verb = "copy";
    else if (press && guid_hotkey_match(&xi->paste, ev->state, sym))
        verb = "paste";
    struct guid_key_ev e = {
        .window = w->id,
        .keycode = ev->detail,
        .press = press,
        .state = ev->state,
        .x = to_content(xi, w, ev->event_x),
        .y = to_content(xi, w, ev->event_y),
    };
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    enum guid_key_action act = guid_keyhold_key(&xi->hold, &e, sym, verb != NULL, fl, &n);
    send_flushed(xi, fl, n);
    switch (act) {
    case GUID_KEY_FORWARD:
        send_key(xi, &e);
        break;
    case GUID_KEY_HOTKEY:
        if (xi->on_hotkey != NULL)
            xi->on_hotkey(xi->hotkey_ctx, verb, fen_monotonic_ms());
        break;
    case GUID_KEY_HOLD:
    case GUID_KEY_DROP:
        break;
    }
}

static void handle_button(struct guid_xinput *xi, xcb_button_press_event_t *ev, bool press)
{
    struct guid_win *w = win_of(xi, ev->event);
    if (w == NULL || ev->detail < 1 || ev->detail > 15)
        return;
    flush_held_keys(xi); /* Ctrl+click: the guest needs the Ctrl press first */
    struct fen_msg_button b = {
        .type = press ? FEN_BUTTON_PRESS : FEN_BUTTON_RELEASE,
        .x = to_content(xi, w, ev->event_x),
        .y = to_content(xi, w, ev->event_y),
        .state = ev->state & GUID_STATE_MASK,
        .button = ev->detail,
    };
    send(xi, FEN_MSG_BUTTON, w->id, &b, sizeof(b));
}

static void handle_motion(struct guid_xinput *xi, xcb_motion_notify_event_t *ev)
{
    struct guid_win *w = win_of(xi, ev->event);
    if (w == NULL)
        return;
    struct fen_msg_motion m = {
        .x = to_content(xi, w, ev->event_x),
        .y = to_content(xi, w, ev->event_y),
        .state = ev->state & GUID_STATE_MASK,
        .is_hint = ev->detail ? 1u : 0u,
    };
    send(xi, FEN_MSG_MOTION, w->id, &m, sizeof(m));
}

static void handle_crossing(struct guid_xinput *xi, xcb_enter_notify_event_t *ev, bool enter)
{
    struct guid_win *w = win_of(xi, ev->event);
    if (w == NULL || ev->detail > 4)
        return;
    struct fen_msg_crossing c = {
        .type = enter ? FEN_CROSS_ENTER : FEN_CROSS_LEAVE,
        .x = to_content(xi, w, ev->event_x),
        .y = to_content(xi, w, ev->event_y),
        .state = ev->state & GUID_STATE_MASK,
        .mode = ev->mode <= 2 ? ev->mode : 0,
        .detail = ev->detail,
    };
    send(xi, FEN_MSG_CROSSING, w->id, &c, sizeof(c));
}

static void handle_focus(struct guid_xinput *xi, xcb_focus_in_event_t *ev, bool in)
{
    struct guid_win *w = win_of(xi, ev->event);
    if (w == NULL || ev->detail > 7 || ev->mode > 3)
        return;
    struct fen_msg_focus f = {
        .type = in ? FEN_FOCUS_IN : FEN_FOCUS_OUT,
        .mode = ev->mode,
        .detail = ev->detail,
    };
    if (!in)
        guid_keyhold_reset(&xi->hold); /* held presses were never sent */
    send(xi, FEN_MSG_FOCUS, w->id, &f, sizeof(f));
    if (!in)
        return;
    /* Keys held in dom0 now, so the guest's modifier state matches. */
    xcb_query_keymap_reply_t *r =
        xcb_query_keymap_reply(xi->xs->conn, xcb_query_keymap(xi->xs->conn), NULL);
    if (r == NULL)
        return;
    struct fen_msg_keymap km;
    memcpy(km.keys, r->keys, sizeof(km.keys));
    free(r);
    w = win_of(xi, ev->event); /* the reply wait does not run handlers, but be safe */
    if (w != NULL)
        send(xi, FEN_MSG_KEYMAP, w->id, &km, sizeof(km));
}

static void handle_expose(struct guid_xinput *xi, xcb_expose_event_t *ev)
{
    struct guid_win *w = win_of(xi, ev->window);
    if (w == NULL)
        return;
    guid_xside_paint_frame(xi->xs, w);
    int32_t f = (int32_t)guid_win_frame(w, xi->xs->cfg.frame);
    struct fen_rect r = {ev->x - f, ev->y - f, ev->width, ev->height};
    if (r.x < 0) {
        if ((int64_t)r.w <= -(int64_t)r.x)
            return;
        r.w -= (uint32_t)-r.x;
        r.x = 0;
    }
    if (r.y < 0) {
        if ((int64_t)r.h <= -(int64_t)r.y)
            return;
        r.h -= (uint32_t)-r.y;
        r.y = 0;
    }
    guid_wstate_repaint(xi->ws, w, &r);
}

static void handle_configure(struct guid_xinput *xi, xcb_configure_notify_event_t *ev,
                             uint32_t full_sequence)
{
    struct guid_win *w = win_of(xi, ev->window);
    if (w == NULL || ev->window != ev->event)
        return;
    struct guid_xwin *xw = w->xpriv;
    xw->width = ev->width;
    xw->height = ev->height;
    bool synthetic = (ev->response_type & 0x80) != 0;
    /* An event caused before our latest ConfigureWindow is stale: acting on
     * it would bounce an old geometry back to the guest. */
    if (!synthetic && (int32_t)(full_sequence - xw->config_seq) < 0)
        return;
    struct fen_rect outer = {ev->x, ev->y, ev->width, ev->height};
    if (!synthetic && xw->reparented) {
        xcb_translate_coordinates_reply_t *t = xcb_translate_coordinates_reply(
            xi->xs->conn,
            xcb_translate_coordinates(xi->xs->conn, xw->id, xi->xs->screen->root, 0, 0), NULL);
        if (t == NULL)
            return;
        outer.x = t->dst_x;
        outer.y = t->dst_y;
        free(t);
    }
    (void)guid_wstate_dom0_configure(xi->ws, w, &outer);
}

static void handle_client_message(struct guid_xinput *xi, xcb_client_message_event_t *ev)
{
    struct guid_win *w = win_of(xi, ev->window);
    if (w == NULL || ev->type != xi->xs->atom.wm_protocols || ev->format != 32 ||
        ev->data.data32[0] != xi->xs->atom.wm_delete_window)
        return;
    fen_log(INFO, "close requested for window %u", w->id);
    send(xi, FEN_MSG_CLOSE, w->id, NULL, 0);
}

/* The dom0 WM changed WM_STATE or _NET_WM_STATE of one of our windows (the
 * user minimized, maximized or restored it): read both and tell wstate. */
static void handle_property(struct guid_xinput *xi, xcb_property_notify_event_t *ev)
{
    struct guid_xside *xs = xi->xs;
    if (ev->atom != xs->atom.wm_state && ev->atom != xs->atom.net_wm_state)
        return;
    struct guid_win *w = win_of(xi, ev->window);
    if (w == NULL)
        return;
    xcb_get_property_cookie_t cs = xcb_get_property(xs->conn, 0, ev->window, xs->atom.wm_state,
                                                    XCB_GET_PROPERTY_TYPE_ANY, 0, 2);
    xcb_get_property_cookie_t cn = xcb_get_property(xs->conn, 0, ev->window, xs->atom.net_wm_state,
                                                    XCB_ATOM_ATOM, 0, 32);
    struct guid_dom0_wm_state st = {0};
    xcb_get_property_reply_t *r = xcb_get_property_reply(xs->conn, cs, NULL);
    /* ICCCM says type WM_STATE; xprop (the tests' stand-in WM) writes
     * CARDINAL.  Either way only the first 32-bit value is read. */
    if (r != NULL && (r->type == xs->atom.wm_state || r->type == XCB_ATOM_CARDINAL) &&
        r->format == 32 &&
        xcb_get_property_value_length(r) >= 4) {
        st.has_wm_state = true;
        st.wm_state = ((const uint32_t *)xcb_get_property_value(r))[0];
    }
    free(r);
    r = xcb_get_property_reply(xs->conn, cn, NULL);
    if (r != NULL && r->type == XCB_ATOM_ATOM && r->format == 32) {
        struct guid_netstate_atoms a = {xs->atom.net_wm_state_hidden,
                                        xs->atom.net_wm_state_max_vert,
                                        xs->atom.net_wm_state_max_horz};
        int len = xcb_get_property_value_length(r);
        size_t n = len > 0 ? (size_t)len / 4 : 0;
        guid_dom0_net_state_scan(&st, &a, xcb_get_property_value(r), n);
    }
    free(r);
    uint32_t known;
    uint32_t flags = guid_dom0_wm_flags(&st, &known);
    fen_log(DEBUG, "dom0 window 0x%x: WM state flags 0x%x (known 0x%x)", ev->window, flags, known);
    (void)guid_wstate_dom0_wm_state(xi->ws, w, flags, known);
}

static void handle_reparent(struct guid_xinput *xi, xcb_reparent_notify_event_t *ev)
{
    struct guid_win *w = win_of(xi, ev->window);
    if (w != NULL)
        ((struct guid_xwin *)w->xpriv)->reparented = ev->parent != xi->xs->screen->root;
}

void guid_xinput_handle(struct guid_xinput *xi, xcb_generic_event_t *ev)
{
    uint8_t type = ev->response_type & 0x7f;
    if (guid_fullscreen_handle_event(xi->xs->fs, ev))
        return; /* the fullscreen exit hotkey or the banner */
    if (guid_xside_handle_event(xi->xs, ev))
        return; /* RandR: monitors changed */
    switch (type) {
    case 0: {
        xcb_generic_error_t *e = (xcb_generic_error_t *)ev;
        fen_log(DEBUG, "dom0 X error %u (request %u.%u)", e->error_code, e->major_code,
                e->minor_code);
        break;
    }
    case XCB_KEY_PRESS:
        handle_key(xi, (xcb_key_press_event_t *)ev, true);
        break;
    case XCB_KEY_RELEASE:
        handle_key(xi, (xcb_key_press_event_t *)ev, false);
        break;
    case XCB_BUTTON_PRESS:
        handle_button(xi, (xcb_button_press_event_t *)ev, true);
        break;
    case XCB_BUTTON_RELEASE:
        handle_button(xi, (xcb_button_press_event_t *)ev, false);
        break;
    case XCB_MOTION_NOTIFY:
        handle_motion(xi, (xcb_motion_notify_event_t *)ev);
        break;
    case XCB_ENTER_NOTIFY:
        handle_crossing(xi, (xcb_enter_notify_event_t *)ev, true);
        break;
    case XCB_LEAVE_NOTIFY:
        handle_crossing(xi, (xcb_enter_notify_event_t *)ev, false);
        break;
    case XCB_FOCUS_IN:
        handle_focus(xi, (xcb_focus_in_event_t *)ev, true);
        break;
    case XCB_FOCUS_OUT:
        handle_focus(xi, (xcb_focus_in_event_t *)ev, false);
        break;
    case XCB_EXPOSE:
        handle_expose(xi, (xcb_expose_event_t *)ev);
        break;
    case XCB_CONFIGURE_NOTIFY:
        handle_configure(xi, (xcb_configure_notify_event_t *)ev, ev->full_sequence);
        break;
    case XCB_CLIENT_MESSAGE:
        handle_client_message(xi, (xcb_client_message_event_t *)ev);
        break;
    case XCB_PROPERTY_NOTIFY:
        handle_property(xi, (xcb_property_notify_event_t *)ev);
        break;
    case XCB_REPARENT_NOTIFY:
        handle_reparent(xi, (xcb_reparent_notify_event_t *)ev);
        break;
    case XCB_MAPPING_NOTIFY:
        xcb_refresh_keyboard_mapping(xi->syms, (xcb_mapping_notify_event_t *)ev);
        break;
    default:
        break;
    }
}
