/* Window table and lifecycle: X events on the guest root -> CREATE, MAP,
 * UNMAP, CONFIGURE, DESTROY to dom0.  Only children of the root (top-level
 * windows) are tracked; InputOnly windows have no pixels and are ignored. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xfixes.h>

#include "agent.h"
#include "driver_mode.h"
#include "fenestra/log.h"

static uint32_t clamp_size(uint32_t v, uint32_t max)
{
    if (v < 1)
        return 1;
    return v > max ? max : v;
}

static int32_t clamp_coord(int32_t v)
{
    if (v < FEN_MIN_COORD)
        return FEN_MIN_COORD;
    return v > FEN_MAX_COORD ? FEN_MAX_COORD : v;
}

static struct fen_rect win_rect(const struct agent_window *w)
{
    return (struct fen_rect){clamp_coord(w->x), clamp_coord(w->y),
                             clamp_size(w->w, FEN_MAX_WINDOW_WIDTH),
                             clamp_size(w->h, FEN_MAX_WINDOW_HEIGHT)};
}

struct agent_window *win_find(struct agent *a, xcb_window_t id)
{
    for (uint32_t i = 0; i < a->nwin; i++)
        if (a->win[i]->id == id)
            return a->win[i];
    return NULL;
}

static void send_create(struct agent *a, struct agent_window *w)
{
    struct fen_msg_create m = {.rect = win_rect(w), .parent = 0,
                               .override_redirect = w->override_redirect};
    conn_send(a, FEN_MSG_CREATE, w->id, &m, sizeof m);
    w->announced = a->ready;
}

static void send_map(struct agent *a, struct agent_window *w)
{
    struct agent_window *t = w->transient_for ? win_find(a, w->transient_for) : NULL;
    struct fen_msg_map m = {.transient_for = (t && t != w && t->announced) ? t->id : 0,
                            .override_redirect = w->override_redirect};
    conn_send(a, FEN_MSG_MAP, w->id, &m, sizeof m);
    w->map_sent = a->ready;
}

static void send_configure(struct agent *a, struct agent_window *w)
{
    struct fen_msg_configure m = {.rect = win_rect(w), .override_redirect = w->override_redirect};
    conn_send(a, FEN_MSG_CONFIGURE, w->id, &m, sizeof m);
}

/* Start tracking top-level window id; NULL when it is InputOnly, already
 * gone, or the table is full. */
static struct agent_window *win_add(struct agent *a, xcb_window_t id)
{
    if (win_find(a, id))
        return win_find(a, id);
    xcb_get_window_attributes_cookie_t ac = xcb_get_window_attributes(a->conn, id);
    xcb_get_geometry_cookie_t gc = xcb_get_geometry(a->conn, id);
    xcb_get_window_attributes_reply_t *attr = xcb_get_window_attributes_reply(a->conn, ac, NULL);
    xcb_get_geometry_reply_t *geo = xcb_get_geometry_reply(a->conn, gc, NULL);
    struct agent_window *w = NULL;
    if (!attr || !geo || attr->_class != XCB_WINDOW_CLASS_INPUT_OUTPUT)
        goto out;
    if (a->nwin >= FEN_MAX_WINDOWS_PER_QUBE) {
        fen_log(WARN, "window 0x%x ignored: already %u windows", id, a->nwin);
        goto out;
    }
    if (a->nwin == a->capwin) {
        uint32_t cap = a->capwin ? a->capwin * 2 : 32;
        struct agent_window **grown = realloc(a->win, cap * sizeof *grown);
        if (!grown)
            goto out;
        a->win = grown;
        a->capwin = cap;
    }
    w = calloc(1, sizeof *w);
    if (!w)
        goto out;
    w->id = id;
    w->x = geo->x;
    w->y = geo->y;
    w->w = geo->width;
    w->h = geo->height;
    w->bw = geo->border_width;
    w->depth = geo->depth;
    w->override_redirect = attr->override_redirect;
    w->mapped = attr->map_state == XCB_MAP_STATE_VIEWABLE;
    uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_change_window_attributes(a->conn, id, XCB_CW_EVENT_MASK, &mask);
    /* Driver mode: dom0 reads the window pixmap's pages itself, so damage
     * must never be subtracted before dom0 has heard of it.  With raw
     * rectangles the server reports every drawing request after executing it
     * (the DAMAGE extension reports after the operation), and there is
     * nothing to subtract: no request and no round trip per frame.  Copy
     * mode keeps delta rectangles: its subtract comes before its copy. */
    w->dmg_raw = a->drv != NULL;
    w->damage = xcb_generate_id(a->conn);
    xcb_damage_create(a->conn, w->damage, id,
                      w->dmg_raw ? XCB_DAMAGE_REPORT_LEVEL_RAW_RECTANGLES
                                 : XCB_DAMAGE_REPORT_LEVEL_DELTA_RECTANGLES);
    a->win[a->nwin++] = w;
    fen_log(DEBUG, "tracking window 0x%x %ux%u%+d%+d depth %u", id, w->w, w->h, w->x, w->y,
            w->depth);
out:
    free(attr);
    free(geo);
    return w;
}

/* Stop tracking w; `x_alive`: the X window still exists (reparented away). */
static void win_remove(struct agent *a, struct agent_window *w, bool x_alive)
{
    if (w->announced)
        conn_send(a, FEN_MSG_DESTROY, w->id, NULL, 0);
    pix_window_destroyed(a, w);
    if (x_alive) {
        xcb_damage_destroy(a->conn, w->damage);
        uint32_t mask = 0;
        xcb_change_window_attributes(a->conn, w->id, XCB_CW_EVENT_MASK, &mask);
    }
    if (a->pointer_window == w->id)
        a->pointer_window = 0;
    if (a->cursor_window_sent == w->id)
        a->cursor_window_sent = 0;
    if (a->focus_window == w->id)
        a->focus_window = 0;
    for (uint32_t i = 0; i < a->nwin; i++) {
        if (a->win[i] == w) {
            memmove(&a->win[i], &a->win[i + 1], (a->nwin - i - 1) * sizeof a->win[0]);
            a->nwin--;
            break;
        }
    }
    free(w);
}

static void window_now_mapped(struct agent *a, struct agent_window *w)
{
    w->mapped = true;
    props_update(a, w, XCB_ATOM_NONE);
    if (a->ready) {
        send_map(a, w);
        pix_window_mapped(a, w);
    }
}

int win_scan_existing(struct agent *a)
{
    xcb_query_tree_reply_t *tree =
        xcb_query_tree_reply(a->conn, xcb_query_tree(a->conn, a->root), NULL);
    if (!tree)
        return -1;
    xcb_window_t *kids = xcb_query_tree_children(tree);
    int n = xcb_query_tree_children_length(tree);
    for (int i = 0; i < n; i++) {
        struct agent_window *w = win_add(a, kids[i]);
        if (w && w->mapped)
            props_update(a, w, XCB_ATOM_NONE);
    }
    free(tree);
    fen_log(INFO, "%u existing top-level windows", a->nwin);
    return 0;
}

void win_replay(struct agent *a)
{
    for (uint32_t i = 0; i < a->nwin; i++) {
        struct agent_window *w = a->win[i];
        send_create(a, w);
        props_send_all(a, w);
    }
    for (uint32_t i = 0; i < a->nwin; i++) {
        struct agent_window *w = a->win[i];
        if (!w->mapped)
            continue;
        send_map(a, w);
        pix_window_mapped(a, w);
    }
    props_send_cursor(a);
}

void win_disconnected(struct agent *a)
{
    for (uint32_t i = 0; i < a->nwin; i++) {
        struct agent_window *w = a->win[i];
        w->announced = w->map_sent = w->dump_sent = false;
        w->ndom0_cfg = 0; /* requests of the old connection */
        w->title_sent = w->class_sent = w->hints_sent = false;
        w->flags_sent = 0;
        w->mark_pending = false; /* pacing ended with the connection */
        dmg_reset(&w->acc);
        pix_free_old_shares(a, w);
    }
    a->cursor_glyph_sent = UINT32_MAX - 1;
    a->cursor_window_sent = 0;
}

void win_destroy_all(struct agent *a)
{
    while (a->nwin > 0)
        win_remove(a, a->win[a->nwin - 1], false);
    free(a->win);
    a->win = NULL;
    a->capwin = 0;
}

static void handle_create(struct agent *a, const xcb_create_notify_event_t *ev)
{
    if (ev->parent != a->root)
        return;
    struct agent_window *w = win_add(a, ev->window);
    if (w && a->ready)
        send_create(a, w);
}

/* The window now has a geometry dom0 asked for (see agent_window.dom0_cfg):
 * forget that request and the older ones. */
static bool dom0_asked_for(struct agent_window *w)
{
    for (uint8_t i = 0; i < w->ndom0_cfg; i++) {
        const struct fen_rect *r = &w->dom0_cfg[i];
        if (r->x == w->x && r->y == w->y && r->w == w->w && r->h == w->h) {
            memmove(w->dom0_cfg, w->dom0_cfg + i + 1, (w->ndom0_cfg - i - 1) * sizeof *r);
            w->ndom0_cfg = (uint8_t)(w->ndom0_cfg - i - 1);
            return true;
        }
    }
    return false;
}

static void handle_configure(struct agent *a, const xcb_configure_notify_event_t *ev)
{
    struct agent_window *w = ev->event == a->root ? win_find(a, ev->window) : NULL;
    if (!w)
        return;
    bool resized = ev->width != w->w || ev->height != w->h || ev->border_width != w->bw;
    bool moved = ev->x != w->x || ev->y != w->y;
    bool or_changed = ev->override_redirect != w->override_redirect;
    w->x = ev->x;
    w->y = ev->y;
    w->w = ev->width;
    w->h = ev->height;
    w->bw = ev->border_width;
    w->override_redirect = ev->override_redirect;
    if (!(resized || moved || or_changed))
        return;
    bool dom0s_own = dom0_asked_for(w); /* dom0's CONFIGURE coming back */
    if (w->announced && (or_changed || !dom0s_own))
        send_configure(a, w);
    if (resized && w->mapped && a->ready)
        pix_window_mapped(a, w);
}

static void handle_reparent(struct agent *a, const xcb_reparent_notify_event_t *ev)
{
    if (ev->event != a->root)
        return;
    struct agent_window *w = win_find(a, ev->window);
    if (ev->parent == a->root) {
        if (w)
            return;
        w = win_add(a, ev->window);
        if (!w)
            return;
        if (a->ready)
            send_create(a, w);
        if (w->mapped)
            window_now_mapped(a, w);
    } else if (w) {
        win_remove(a, w, true);
    }
}

static void handle_damage(struct agent *a, const xcb_damage_notify_event_t *ev)
{
    struct agent_window *w = win_find(a, ev->drawable);
    if (!w)
        return;
    w->dmg_seen = true;
    if (!w->mapped)
        return;
    dmg_add(&w->acc, ev->area.x, ev->area.y, ev->area.width, ev->area.height, w->w, w->h);
}

void win_handle_event(struct agent *a, xcb_generic_event_t *ev)
{
    uint8_t type = ev->response_type & 0x7f;
    struct agent_window *w;
    if (type == 0) {
        xcb_generic_error_t *e = (xcb_generic_error_t *)ev;
        fen_log(DEBUG, "X error %u (request %u.%u, resource 0x%x)", e->error_code, e->major_code,
                e->minor_code, e->resource_id);
        return;
    }
    if (type == a->damage_event + XCB_DAMAGE_NOTIFY) {
        handle_damage(a, (const xcb_damage_notify_event_t *)ev);
        return;
    }
    xcb_window_t frame_window;
    uint32_t frame_serial;
    if (a->drv && drv_mode_frame_event(a->drv, ev, &frame_window, &frame_serial)) {
        pix_frame_put(a, frame_window, frame_serial);
        return;
    }
    if (a->have_xfixes && type == a->xfixes_event + XCB_XFIXES_CURSOR_NOTIFY) {
        props_cursor_changed(a, ((const xcb_xfixes_cursor_notify_event_t *)ev)->name);
        return;
    }
    switch (type) {
    case XCB_CREATE_NOTIFY:
        handle_create(a, (const xcb_create_notify_event_t *)ev);
        break;
    case XCB_MAP_NOTIFY: {
        const xcb_map_notify_event_t *m = (const xcb_map_notify_event_t *)ev;
        w = m->event == a->root ? win_find(a, m->window) : NULL;
        if (w) {
            w->override_redirect = m->override_redirect;
            window_now_mapped(a, w);
        }
        break;
    }
    case XCB_UNMAP_NOTIFY: {
        const xcb_unmap_notify_event_t *u = (const xcb_unmap_notify_event_t *)ev;
        w = u->event == a->root ? win_find(a, u->window) : NULL;
        if (w && w->mapped) {
            w->mapped = false;
            if (w->map_sent)
                conn_send(a, FEN_MSG_UNMAP, w->id, NULL, 0);
            w->map_sent = false;
            pix_window_unmapped(a, w);
        }
        break;
    }
    case XCB_CONFIGURE_NOTIFY:
        handle_configure(a, (const xcb_configure_notify_event_t *)ev);
        break;
    case XCB_DESTROY_NOTIFY: {
        const xcb_destroy_notify_event_t *d = (const xcb_destroy_notify_event_t *)ev;
        w = d->event == a->root ? win_find(a, d->window) : NULL;
        if (w)
            win_remove(a, w, false);
        break;
    }
    case XCB_REPARENT_NOTIFY:
        handle_reparent(a, (const xcb_reparent_notify_event_t *)ev);
        break;
    case XCB_PROPERTY_NOTIFY: {
        const xcb_property_notify_event_t *p = (const xcb_property_notify_event_t *)ev;
        w = win_find(a, p->window);
        if (w)
            props_update(a, w, p->atom);
        break;
    }
    case XCB_CLIENT_MESSAGE: {
        const xcb_client_message_event_t *c = (const xcb_client_message_event_t *)ev;
        if (c->format != 32 || !(w = win_find(a, c->window)))
            break;
        if (c->type == a->atoms.net_wm_state)
            props_state_request(a, w, c);
        else if (c->type == a->atoms.wm_change_state && c->data.data32[0] == 3 /* Iconic */)
            props_iconify_request(a, w, true);
        else if (c->type == a->atoms.net_active_window)
            props_iconify_request(a, w, false); /* shown again; focus is dom0's to give */
        break;
    }
    default:
        break;
    }
}
