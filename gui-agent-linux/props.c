/* Window properties -> dom0: title, WM_CLASS, size hints, transient-for,
 * urgency / fullscreen / maximized state, and the cursor (by name).  Values
 * are read into the window struct and sent only when they changed; on a new
 * connection props_send_all resends them.  dom0's granted state comes back
 * as _NET_WM_STATE on the window (there is no guest window manager). */
#include <stdlib.h>
#include <string.h>
#include <xcb/xfixes.h>

#include "agent.h"
#include "cursor_names.h"
#include "fenestra/log.h"
#include "fenestra/xatom.h"

int props_init_atoms(struct agent *a)
{
    struct agent_atoms *t = &a->atoms;
    xcb_connection_t *c = a->conn;
    t->net_wm_name = fen_x_intern(c, "_NET_WM_NAME");
    t->utf8_string = fen_x_intern(c, "UTF8_STRING");
    t->wm_name = XCB_ATOM_WM_NAME;
    t->wm_class = XCB_ATOM_WM_CLASS;
    t->wm_normal_hints = XCB_ATOM_WM_NORMAL_HINTS;
    t->wm_hints = XCB_ATOM_WM_HINTS;
    t->wm_transient_for = XCB_ATOM_WM_TRANSIENT_FOR;
    t->net_wm_state = fen_x_intern(c, "_NET_WM_STATE");
    t->wm_protocols = fen_x_intern(c, "WM_PROTOCOLS");
    t->wm_delete_window = fen_x_intern(c, "WM_DELETE_WINDOW");
    t->wm_change_state = fen_x_intern(c, "WM_CHANGE_STATE");
    t->net_active_window = fen_x_intern(c, "_NET_ACTIVE_WINDOW");
    t->state.fullscreen = fen_x_intern(c, "_NET_WM_STATE_FULLSCREEN");
    t->state.demands_attention = fen_x_intern(c, "_NET_WM_STATE_DEMANDS_ATTENTION");
    t->state.max_vert = fen_x_intern(c, "_NET_WM_STATE_MAXIMIZED_VERT");
    t->state.max_horz = fen_x_intern(c, "_NET_WM_STATE_MAXIMIZED_HORZ");
    t->state.hidden = fen_x_intern(c, "_NET_WM_STATE_HIDDEN");
    return t->net_wm_name && t->utf8_string && t->net_wm_state && t->state.fullscreen ? 0 : -1;
}

static xcb_get_property_reply_t *get_prop(struct agent *a, xcb_window_t win, xcb_atom_t prop,
                                          uint32_t max_longs)
{
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        a->conn, xcb_get_property(a->conn, 0, win, prop, XCB_GET_PROPERTY_TYPE_ANY, 0, max_longs),
        NULL);
    if (r && r->type == XCB_ATOM_NONE) {
        free(r);
        return NULL;
    }
    return r;
}

static bool can_send(const struct agent *a, const struct agent_window *w)
{
    return a->ready && w->announced;
}

/* ---- title ---- */

static void send_title(struct agent *a, struct agent_window *w)
{
    struct fen_msg_title t = {.length = w->title_len};
    conn_send2(a, FEN_MSG_TITLE, w->id, &t, sizeof t, w->title, w->title_len);
    w->title_sent = can_send(a, w);
}

static void update_title(struct agent *a, struct agent_window *w)
{
    const uint32_t longs = FEN_MAX_TITLE_BYTES / 4;
    char text[FEN_MAX_TITLE_BYTES];
    size_t len = 0;
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.net_wm_name, longs);
    if (r && r->format == 8 && xcb_get_property_value_length(r) > 0) {
        len = prop_title_text(xcb_get_property_value(r), (size_t)xcb_get_property_value_length(r),
                              true, text, sizeof text);
    } else {
        free(r);
        r = get_prop(a, w->id, a->atoms.wm_name, longs);
        if (r && r->format == 8)
            len = prop_title_text(xcb_get_property_value(r),
                                  (size_t)xcb_get_property_value_length(r),
                                  r->type == a->atoms.utf8_string, text, sizeof text);
    }
    free(r);
    bool changed = len != w->title_len || memcmp(text, w->title, len) != 0;
    memcpy(w->title, text, len);
    w->title_len = (uint32_t)len;
    if (can_send(a, w) && (changed || !w->title_sent))
        send_title(a, w);
}

/* ---- class, hints, transient ---- */

static void send_class(struct agent *a, struct agent_window *w)
{
    conn_send(a, FEN_MSG_WM_CLASS, w->id, &w->wm_class, sizeof w->wm_class);
    w->class_sent = can_send(a, w);
}

static void update_class(struct agent *a, struct agent_window *w)
{
    struct fen_msg_wm_class c;
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.wm_class, 64);
    if (r && r->format == 8)
        prop_wm_class(xcb_get_property_value(r), (size_t)xcb_get_property_value_length(r), &c);
    else
        memset(&c, 0, sizeof c);
    free(r);
    bool changed = memcmp(&c, &w->wm_class, sizeof c) != 0;
    w->wm_class = c;
    if (can_send(a, w) && (changed || !w->class_sent))
        send_class(a, w);
}

static void send_hints(struct agent *a, struct agent_window *w)
{
    conn_send(a, FEN_MSG_SIZE_HINTS, w->id, &w->hints, sizeof w->hints);
    w->hints_sent = can_send(a, w);
}

static void update_hints(struct agent *a, struct agent_window *w)
{
    struct fen_msg_size_hints h;
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.wm_normal_hints, 18);
    if (r && r->format == 32)
        prop_size_hints(xcb_get_property_value(r), (size_t)xcb_get_property_value_length(r) / 4,
                        &h);
    else
        memset(&h, 0, sizeof h);
    free(r);
    bool changed = memcmp(&h, &w->hints, sizeof h) != 0;
    w->hints = h;
    if (can_send(a, w) && (changed || !w->hints_sent))
        send_hints(a, w);
}

static void update_transient(struct agent *a, struct agent_window *w)
{
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.wm_transient_for, 1);
    w->transient_for = 0;
    if (r && r->format == 32 && xcb_get_property_value_length(r) >= 4)
        memcpy(&w->transient_for, xcb_get_property_value(r), 4);
    free(r);
}

/* ---- flags ---- */

static void send_flags_if_changed(struct agent *a, struct agent_window *w)
{
    uint32_t want = w->flags_wanted | (w->urgent ? FEN_WMFLAG_DEMANDS_ATTENTION : 0);
    if (!can_send(a, w) || want == w->flags_sent)
        return;
    struct fen_msg_wm_flags f = {.set = want & ~w->flags_sent, .unset = w->flags_sent & ~want};
    conn_send(a, FEN_MSG_WM_FLAGS, w->id, &f, sizeof f);
    w->flags_sent = want;
}

static void update_state(struct agent *a, struct agent_window *w)
{
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.net_wm_state, 32);
    w->flags_wanted = 0;
    if (r && r->format == 32)
        w->flags_wanted = prop_net_wm_state_flags(&a->atoms.state, xcb_get_property_value(r),
                                                  (size_t)xcb_get_property_value_length(r) / 4);
    free(r);
}

static void update_wm_hints(struct agent *a, struct agent_window *w)
{
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.wm_hints, 9);
    w->urgent = r && r->format == 32 &&
                prop_wm_hints_urgent(xcb_get_property_value(r),
                                     (size_t)xcb_get_property_value_length(r) / 4);
    free(r);
}

void props_update(struct agent *a, struct agent_window *w, xcb_atom_t atom)
{
    const struct agent_atoms *t = &a->atoms;
    bool all = atom == XCB_ATOM_NONE;
    if (all || atom == t->net_wm_name || atom == t->wm_name)
        update_title(a, w);
    if (all || atom == t->wm_class)
        update_class(a, w);
    if (all || atom == t->wm_normal_hints)
        update_hints(a, w);
    if (all || atom == t->wm_transient_for)
        update_transient(a, w);
    if (all || atom == t->net_wm_state)
        update_state(a, w);
    if (all || atom == t->wm_hints)
        update_wm_hints(a, w);
    if (all || atom == t->net_wm_state || atom == t->wm_hints)
        send_flags_if_changed(a, w);
}

void props_send_all(struct agent *a, struct agent_window *w)
{
    if (!can_send(a, w))
        return;
    send_title(a, w);
    send_class(a, w);
    send_hints(a, w);
    w->flags_sent = 0;
    send_flags_if_changed(a, w);
}

/* Minimize / maximize are for dom0's WM to do: the agent passes the
 * request on and leaves the window's _NET_WM_STATE alone; dom0's answer
 * (props_dom0_flags) writes it, as a WM would.  Fullscreen and urgency
 * stay the client's own wish (guid grants fullscreen itself). */
#define WM_DOES (FEN_WMFLAG_MINIMIZED | FEN_WMFLAG_MAXIMIZED)

static void ask_dom0_wm(struct agent *a, struct agent_window *w, uint32_t set, uint32_t unset)
{
    if (!can_send(a, w) || (set | unset) == 0)
        return;
    struct fen_msg_wm_flags f = {.set = set, .unset = unset & ~set};
    fen_log(DEBUG, "window 0x%x asks dom0's WM: set 0x%x unset 0x%x", w->id, f.set, f.unset);
    conn_send(a, FEN_MSG_WM_FLAGS, w->id, &f, sizeof f);
}

void props_state_request(struct agent *a, struct agent_window *w,
                         const xcb_client_message_event_t *ev)
{
    const uint32_t *d = ev->data.data32;
    uint32_t before = w->flags_wanted;
    uint32_t asked = prop_apply_state_request(&a->atoms.state, before, d[0], d[1], d[2]);
    w->flags_wanted = (asked & ~WM_DOES) | (before & WM_DOES);
    fen_log(DEBUG, "window 0x%x asks for state 0x%x (was 0x%x)", w->id, asked, before);
    send_flags_if_changed(a, w);
    ask_dom0_wm(a, w, asked & ~before & WM_DOES, before & ~asked & WM_DOES);
}

void props_iconify_request(struct agent *a, struct agent_window *w, bool iconic)
{
    if (iconic)
        ask_dom0_wm(a, w, FEN_WMFLAG_MINIMIZED, 0);
    else if (w->flags_wanted & FEN_WMFLAG_MINIMIZED)
        ask_dom0_wm(a, w, 0, FEN_WMFLAG_MINIMIZED);
}

void props_dom0_flags(struct agent *a, struct agent_window *w, const struct fen_msg_wm_flags *f)
{
    uint32_t granted = (w->flags_wanted | f->set) & ~f->unset;
    uint32_t atoms[5];
    size_t n = prop_flags_to_atoms(&a->atoms.state, granted, atoms);
    xcb_change_property(a->conn, XCB_PROP_MODE_REPLACE, w->id, a->atoms.net_wm_state,
                        XCB_ATOM_ATOM, 32, (uint32_t)n, atoms);
    /* dom0 already knows this state: the PropertyNotify for the change we
     * just made then finds nothing new to send. */
    w->flags_wanted = granted;
    w->flags_granted = granted;
    w->flags_sent = granted | (w->urgent ? FEN_WMFLAG_DEMANDS_ATTENTION : 0);
}

/* ---- cursor ----
 * XFixes reports the displayed cursor's name, which libXcursor sets for
 * themed cursors (toolkits, and core font cursors when a theme is found).
 * An unnamed cursor (core cursor font without a theme, or a client's own
 * bitmap) is sent as dom0's default: dom0 never shows guest cursor pixels. */

void props_cursor_changed(struct agent *a, xcb_atom_t name)
{
    a->cursor_name = name;
    props_send_cursor(a);
}

static uint32_t glyph_for_atom(struct agent *a, xcb_atom_t atom)
{
    if (atom == XCB_ATOM_NONE)
        return FEN_CURSOR_DEFAULT;
    xcb_get_atom_name_reply_t *r =
        xcb_get_atom_name_reply(a->conn, xcb_get_atom_name(a->conn, atom), NULL);
    if (!r)
        return FEN_CURSOR_DEFAULT;
    char name[64];
    int len = xcb_get_atom_name_name_length(r);
    if (len < 0 || (size_t)len >= sizeof name)
        len = 0;
    memcpy(name, xcb_get_atom_name_name(r), (size_t)len);
    name[len] = '\0';
    free(r);
    return cursor_glyph_for_name(name);
}

void props_send_cursor(struct agent *a)
{
    struct agent_window *w = a->pointer_window ? win_find(a, a->pointer_window) : NULL;
    if (!w || !can_send(a, w))
        return;
    uint32_t glyph = glyph_for_atom(a, a->cursor_name);
    if (glyph == a->cursor_glyph_sent && w->id == a->cursor_window_sent)
        return;
    struct fen_msg_cursor c = {.glyph = glyph};
    conn_send(a, FEN_MSG_CURSOR, w->id, &c, sizeof c);
    a->cursor_glyph_sent = glyph;
    a->cursor_window_sent = w->id;
}

/* ---- close ---- */

void props_close_window(struct agent *a, struct agent_window *w)
{
    bool polite = false;
    xcb_get_property_reply_t *r = get_prop(a, w->id, a->atoms.wm_protocols, 32);
    if (r && r->format == 32) {
        const xcb_atom_t *p = xcb_get_property_value(r);
        int n = xcb_get_property_value_length(r) / 4;
        for (int i = 0; i < n; i++)
            polite |= p[i] == a->atoms.wm_delete_window;
    }
    free(r);
    if (polite) {
        xcb_client_message_event_t ev = {
            .response_type = XCB_CLIENT_MESSAGE,
            .format = 32,
            .window = w->id,
            .type = a->atoms.wm_protocols,
            .data.data32 = {a->atoms.wm_delete_window, XCB_CURRENT_TIME},
        };
        xcb_send_event(a->conn, 0, w->id, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
        fen_log(INFO, "window 0x%x: close requested (WM_DELETE_WINDOW)", w->id);
    } else {
        xcb_kill_client(a->conn, w->id);
        fen_log(INFO, "window 0x%x: no WM_DELETE_WINDOW, client killed", w->id);
    }
}
