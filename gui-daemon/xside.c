/* guid's dom0 X side: windows, frame, title/properties, MIT-SHM painting. */
#include "xside.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xcb/shm.h>
#include <xcb/randr.h>
#include <xcb/xcb_icccm.h>
#include <xcb/xcbext.h>

#include "fenestra/clock.h"
#include "fenestra/log.h"
#include "fullscreen.h"

#define XS(ctx) ((struct guid_xside *)(ctx))
#define XW(w) ((struct guid_xwin *)(w)->xpriv)

static bool check_visual(struct guid_xside *xs)
{
    const xcb_setup_t *setup = xcb_get_setup(xs->conn);
    if (xs->screen->root_depth != 24) {
        fen_log(ERROR, "dom0 X server root depth is %u; guid needs depth 24",
                xs->screen->root_depth);
        return false;
    }
    xcb_format_iterator_t fi = xcb_setup_pixmap_formats_iterator(setup);
    for (; fi.rem; xcb_format_next(&fi)) {
        if (fi.data->depth == 24 && fi.data->bits_per_pixel == 32)
            return true;
    }
    fen_log(ERROR, "dom0 X server stores depth 24 in something other than 32 bpp");
    return false;
}

static bool check_shm(struct guid_xside *xs)
{
    const xcb_query_extension_reply_t *ext = xcb_get_extension_data(xs->conn, &xcb_shm_id);
    if (ext == NULL || !ext->present) {
        fen_log(ERROR, "dom0 X server has no MIT-SHM extension");
        return false;
    }
    xcb_shm_query_version_reply_t *v =
        xcb_shm_query_version_reply(xs->conn, xcb_shm_query_version(xs->conn), NULL);
    bool ok = v != NULL && (v->major_version > 1 || (v->major_version == 1 && v->minor_version >= 2));
    if (!ok)
        fen_log(ERROR, "dom0 X server's MIT-SHM is older than 1.2 (no fd passing)");
    free(v);
    return ok;
}

struct guid_xside *guid_xside_create(const struct guid_xside_config *cfg)
{
    struct guid_xside *xs = calloc(1, sizeof(*xs));
    if (xs == NULL)
        return NULL;
    xs->cfg = *cfg;
    int screen_no = 0;
    xs->conn = xcb_connect(cfg->display, &screen_no);
    if (xcb_connection_has_error(xs->conn)) {
        fen_log(ERROR, "cannot connect to the dom0 X server %s",
                cfg->display ? cfg->display : "($DISPLAY)");
        xcb_disconnect(xs->conn);
        free(xs);
        return NULL;
    }
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(xs->conn));
    for (int i = 0; i < screen_no && it.rem; i++)
        xcb_screen_next(&it);
    xs->screen = it.data;
    if (xs->screen == NULL || !check_visual(xs) || !check_shm(xs)) {
        xcb_disconnect(xs->conn);
        free(xs);
        return NULL;
    }
    xcb_connection_t *c = xs->conn;
    xs->atom.wm_protocols = fen_x_intern(c, "WM_PROTOCOLS");
    xs->atom.wm_delete_window = fen_x_intern(c, "WM_DELETE_WINDOW");
    xs->atom.net_wm_name = fen_x_intern(c, "_NET_WM_NAME");
    xs->atom.utf8_string = fen_x_intern(c, "UTF8_STRING");
    xs->atom.fenestra_qube = fen_x_intern(c, "_FENESTRA_QUBE");
    xs->atom.fenestra_label = fen_x_intern(c, "_FENESTRA_LABEL");
    xs->atom.fenestra_label_name = fen_x_intern(c, "_FENESTRA_LABEL_NAME");
    xs->atom.net_wm_state = fen_x_intern(c, "_NET_WM_STATE");
    xs->atom.net_wm_state_max_vert = fen_x_intern(c, "_NET_WM_STATE_MAXIMIZED_VERT");
    xs->atom.net_wm_state_max_horz = fen_x_intern(c, "_NET_WM_STATE_MAXIMIZED_HORZ");
    xs->atom.net_wm_state_hidden = fen_x_intern(c, "_NET_WM_STATE_HIDDEN");
    xs->atom.wm_state = fen_x_intern(c, "WM_STATE");
    xs->atom.wm_change_state = fen_x_intern(c, "WM_CHANGE_STATE");

    xs->frame_gc = xcb_generate_id(c);
    uint32_t fg[] = {cfg->label_rgb, 0};
    xcb_create_gc(c, xs->frame_gc, xs->screen->root, XCB_GC_FOREGROUND | XCB_GC_GRAPHICS_EXPOSURES,
                  fg);
    xs->put_gc = xcb_generate_id(c);
    uint32_t ge[] = {0};
    xcb_create_gc(c, xs->put_gc, xs->screen->root, XCB_GC_GRAPHICS_EXPOSURES, ge);
    xs->cursor_font = xcb_generate_id(c);
    xcb_open_font(c, xs->cursor_font, 6, "cursor");
    guid_monitors_query(c, xs->screen, &xs->monitors);
    xs->monitors_at = fen_monotonic_ms();
    const xcb_query_extension_reply_t *rr = xcb_get_extension_data(c, &xcb_randr_id);
    if (rr != NULL && rr->present) {
        xs->randr_event = rr->first_event;
        xcb_randr_select_input(c, xs->screen->root,
                               XCB_RANDR_NOTIFY_MASK_SCREEN_CHANGE |
                                   XCB_RANDR_NOTIFY_MASK_CRTC_CHANGE |
                                   XCB_RANDR_NOTIFY_MASK_OUTPUT_CHANGE);
    }
    xcb_flush(c);
    return xs;
}

void guid_xside_destroy(struct guid_xside *xs)
{
    if (xs == NULL)
        return;
    for (size_t i = 0; i < sizeof(xs->cursors) / sizeof(xs->cursors[0]); i++)
        if (xs->cursors[i] != 0)
            xcb_free_cursor(xs->conn, xs->cursors[i]);
    for (int i = 0; i < GUID_XSEG_MAX; i++) {
        if (xs->segs[i] != NULL) {
            xcb_shm_detach(xs->conn, xs->segs[i]->seg);
            free(xs->segs[i]);
        }
    }
    xcb_close_font(xs->conn, xs->cursor_font);
    xcb_free_gc(xs->conn, xs->frame_gc);
    xcb_free_gc(xs->conn, xs->put_gc);
    xcb_flush(xs->conn);
    xcb_disconnect(xs->conn);
    free(xs);
}

int guid_xside_fd(const struct guid_xside *xs) { return xcb_get_file_descriptor(xs->conn); }

/* The dom0 X server is shared by every qube's guid and runs one client's
 * requests for a time slice, each request to its end: a guid that queued
 * many large puts would make every other qube's small put wait behind
 * them.  So after each paint_band pixels of puts a guid sends a fence (a
 * cheap GetInputFocus), and with GUID_PAINT_DEPTH fences unanswered it
 * paints no more until the oldest reply comes; meanwhile wstate collects
 * (merges) the damage. */
static bool paint_busy(void *ctx)
{
    struct guid_xside *xs = XS(ctx);
    return xs->cfg.paint_band != 0 && xs->nfences >= GUID_PAINT_DEPTH;
}

/* xcb hands out 32-bit sequence numbers; positions compare as 64 bits.
 * Called for each put and fence in the order they are issued (far fewer
 * than 2^32 requests apart). */
static uint64_t widen(struct guid_xside *xs, unsigned int seq)
{
    xs->seq64 += (uint32_t)(seq - (uint32_t)xs->seq64);
    return xs->seq64;
}

static uint64_t send_fence(struct guid_xside *xs)
{
    return widen(xs, xcb_get_input_focus(xs->conn).sequence);
}

static void fence(struct guid_xside *xs)
{
    if (xs->painted_px == 0 || xs->cfg.paint_band == 0 || xs->nfences >= GUID_PAINT_DEPTH)
        return;
    xs->fence_seq[xs->nfences++] = send_fence(xs);
    xs->painted_px = 0;
}

void guid_xside_paint_fence(struct guid_xside *xs) { fence(xs); }

/* The reply to fence `pos` has arrived: the X server is past it. */
static bool fence_back(struct guid_xside *xs, uint64_t pos)
{
    void *reply = NULL;
    xcb_generic_error_t *e = NULL;
    if (xcb_poll_for_reply(xs->conn, (unsigned int)pos, &reply, &e) == 0)
        return false;
    free(reply);
    free(e);
    if (pos > xs->read_pos)
        xs->read_pos = pos;
    return true;
}

bool guid_xside_paint_done(struct guid_xside *xs)
{
    bool done = false;
    while (xs->nfences > 0 && fence_back(xs, xs->fence_seq[0])) {
        memmove(xs->fence_seq, xs->fence_seq + 1, --xs->nfences * sizeof(xs->fence_seq[0]));
        done = true;
    }
    if (xs->mark_fence != 0 && fence_back(xs, xs->mark_fence)) {
        xs->mark_fence = 0;
        done = true;
    }
    return done;
}

static uint64_t paint_pos(void *ctx) { return XS(ctx)->put_pos; }

/* Frame pacing: has the X server executed everything up to pos (and so
 * read the guest pixels of those puts)?  If not, make sure a fence after
 * pos is in flight: a paint fence may already be; else one of our own,
 * one at a time (when it is back, the next is sent for newer puts), so a
 * stream of marks cannot keep the answer from ever arriving. */
static bool paint_read(void *ctx, uint64_t pos)
{
    struct guid_xside *xs = XS(ctx);
    if (pos <= xs->read_pos)
        return true;
    if (xs->nfences > 0 && xs->fence_seq[xs->nfences - 1] > pos)
        return false;
    if (xs->mark_fence == 0)
        xs->mark_fence = send_fence(xs);
    return false;
}

static void screen_size(void *ctx, uint32_t *w, uint32_t *h)
{
    *w = XS(ctx)->screen->width_in_pixels;
    *h = XS(ctx)->screen->height_in_pixels;
}

#define GUID_MONITORS_MAX_AGE_MS 1000

/* The monitor list, queried again when `fresh` is asked for or it is stale
 * (a round trip: at most once a second for geometry changes). */
static const struct guid_monitors *monitors(struct guid_xside *xs, bool fresh)
{
    uint64_t now = fen_monotonic_ms();
    if (fresh || xs->monitors_at == 0 || now - xs->monitors_at >= GUID_MONITORS_MAX_AGE_MS) {
        struct guid_monitors before = xs->monitors;
        guid_monitors_query(xs->conn, xs->screen, &xs->monitors);
        xs->monitors_at = now;
        if (before.n != xs->monitors.n ||
            memcmp(before.m, xs->monitors.m, before.n * sizeof(before.m[0])) != 0) {
            fen_log(INFO, "dom0 monitors changed (%zu now): windows are laid out again",
                    xs->monitors.n);
            xs->layout_changed = true;
        }
    }
    return &xs->monitors;
}

bool guid_xside_take_layout_changed(struct guid_xside *xs)
{
    bool c = xs->layout_changed;
    xs->layout_changed = false;
    return c;
}

bool guid_xside_handle_event(struct guid_xside *xs, const xcb_generic_event_t *ev)
{
    uint8_t type = ev->response_type & 0x7f;
    if (xs->randr_event == 0 || (type != xs->randr_event + XCB_RANDR_SCREEN_CHANGE_NOTIFY &&
                                 type != xs->randr_event + XCB_RANDR_NOTIFY))
        return false;
    fen_log(DEBUG, "dom0 RandR change: monitors queried again");
    (void)monitors(xs, true);
    return true;
}

/* The monitor the outer rect r is on (wstate's monitor_of): a fullscreen
 * request is when it matters, so the list is queried first. */
static void monitor_of(void *ctx, const struct fen_rect *r, struct fen_rect *mon)
{
    const struct guid_monitors *m = monitors(XS(ctx), true);
    *mon = m->m[guid_monitor_pick(m, r)];
}

/* The dom0 (outer, framed) geometry for w: the content sits at the guest
 * coordinates, the frame around it; the whole frame is kept on the monitor
 * the window is on (a window larger than it is shrunk to it, showing the
 * content's top-left part).  A policy-fullscreen window is its monitor. */
static struct fen_rect outer_for(struct guid_xside *xs, const struct guid_win *w)
{
    int64_t f = guid_win_frame(w, xs->cfg.frame);
    int64_t ow = (int64_t)w->rect.w + 2 * f, oh = (int64_t)w->rect.h + 2 * f;
    int64_t ox = (int64_t)w->rect.x - f, oy = (int64_t)w->rect.y - f;
    if (ow > UINT32_MAX)
        ow = UINT32_MAX;
    if (oh > UINT32_MAX)
        oh = UINT32_MAX;
    struct fen_rect want = {(int32_t)ox, (int32_t)oy, (uint32_t)ow, (uint32_t)oh};
    const struct guid_monitors *m = monitors(xs, false);
    return guid_monitor_clamp(&m->m[guid_monitor_pick(m, &want)], &want);
}

/* What the dom0 window's override-redirect attribute should be. */
static bool want_or(const struct guid_xside *xs, const struct guid_win *w)
{
    return w->fs_exclusive || (w->override_redirect && !xs->cfg.or_manage);
}

static void set_utf8(struct guid_xside *xs, xcb_window_t win, xcb_atom_t prop, const char *s)
{
    xcb_change_property(xs->conn, XCB_PROP_MODE_REPLACE, win, prop, xs->atom.utf8_string, 8,
                        (uint32_t)strlen(s), s);
}

static void set_normal_hints(struct guid_xside *xs, struct guid_win *w)
{
    xcb_size_hints_t h;
    memset(&h, 0, sizeof(h));
    uint32_t f2 = 2 * guid_win_frame(w, xs->cfg.frame);
    xcb_icccm_size_hints_set_position(&h, 0, w->outer.x, w->outer.y);
    xcb_icccm_size_hints_set_size(&h, 0, (int32_t)w->outer.w, (int32_t)w->outer.h);
    if (w->has_hints) {
        const struct fen_msg_size_hints *sh = &w->hints;
        if (sh->flags & FEN_HINT_MIN_SIZE)
            xcb_icccm_size_hints_set_min_size(&h, (int32_t)(sh->min_w + f2),
                                              (int32_t)(sh->min_h + f2));
        if (sh->flags & FEN_HINT_MAX_SIZE)
            xcb_icccm_size_hints_set_max_size(&h, (int32_t)(sh->max_w + f2),
                                              (int32_t)(sh->max_h + f2));
        if (sh->flags & FEN_HINT_RESIZE_INC)
            xcb_icccm_size_hints_set_resize_inc(&h, (int32_t)sh->inc_w, (int32_t)sh->inc_h);
        if (sh->flags & FEN_HINT_BASE_SIZE)
            xcb_icccm_size_hints_set_base_size(&h, (int32_t)(sh->base_w + f2),
                                               (int32_t)(sh->base_h + f2));
    }
    xcb_icccm_set_wm_normal_hints(xs->conn, w->xid, &h);
}

static void set_wm_hints(struct guid_xside *xs, struct guid_win *w)
{
    xcb_icccm_wm_hints_t h;
    memset(&h, 0, sizeof(h));
    xcb_icccm_wm_hints_set_input(&h, 1);
    xcb_icccm_wm_hints_set_normal(&h);
    if (w->wm_flags & FEN_WMFLAG_DEMANDS_ATTENTION)
        xcb_icccm_wm_hints_set_urgency(&h);
    xcb_icccm_set_wm_hints(xs->conn, w->xid, &h);
}

static void win_title(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    char buf[FEN_MAX_TITLE_BYTES + 80];
    if (w->title[0] != '\0')
        snprintf(buf, sizeof(buf), "[%s] %s", xs->cfg.qube, w->title);
    else
        snprintf(buf, sizeof(buf), "[%s]", xs->cfg.qube);
    set_utf8(xs, w->xid, xs->atom.net_wm_name, buf);
    set_utf8(xs, w->xid, XCB_ATOM_WM_NAME, buf);
}

static void win_class(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    char buf[2 * (FEN_MAX_CLASS_BYTES + 64)];
    int n1 = snprintf(buf, sizeof(buf), "%s:%s", xs->cfg.qube, w->res_name);
    if (n1 < 0 || (size_t)n1 + 1 >= sizeof(buf))
        return;
    int n2 = snprintf(buf + n1 + 1, sizeof(buf) - (size_t)n1 - 1, "%s:%s", xs->cfg.qube,
                      w->res_class);
    if (n2 < 0 || (size_t)(n1 + 1 + n2 + 1) > sizeof(buf))
        return;
    xcb_change_property(xs->conn, XCB_PROP_MODE_REPLACE, w->xid, XCB_ATOM_WM_CLASS,
                        XCB_ATOM_STRING, 8, (uint32_t)(n1 + 1 + n2 + 1), buf);
}

static int win_create(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    xcb_connection_t *c = xs->conn;
    struct guid_xwin *xw = calloc(1, sizeof(*xw));
    if (xw == NULL)
        return -1;
    (void)monitors(xs, true); /* a new window goes on the monitors as they are now */
    w->outer = outer_for(xs, w);
    xw->id = xcb_generate_id(c);
    xw->override_redirect = want_or(xs, w);
    xw->width = w->outer.w;
    xw->height = w->outer.h;
    uint32_t mask = XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK;
    uint32_t values[] = {
        xs->screen->black_pixel,
        xw->override_redirect ? 1u : 0u,
        XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_KEY_PRESS | XCB_EVENT_MASK_KEY_RELEASE |
            XCB_EVENT_MASK_BUTTON_PRESS | XCB_EVENT_MASK_BUTTON_RELEASE |
            XCB_EVENT_MASK_POINTER_MOTION | XCB_EVENT_MASK_ENTER_WINDOW |
            XCB_EVENT_MASK_LEAVE_WINDOW | XCB_EVENT_MASK_FOCUS_CHANGE |
            XCB_EVENT_MASK_STRUCTURE_NOTIFY | XCB_EVENT_MASK_PROPERTY_CHANGE,
    };
    xcb_void_cookie_t ck = xcb_create_window_checked(
        c, XCB_COPY_FROM_PARENT, xw->id, xs->screen->root, (int16_t)w->outer.x,
        (int16_t)w->outer.y, (uint16_t)w->outer.w, (uint16_t)w->outer.h, 0,
        XCB_WINDOW_CLASS_INPUT_OUTPUT, xs->screen->root_visual, mask, values);
    xcb_generic_error_t *e = xcb_request_check(c, ck);
    if (e != NULL) {
        fen_log(WARN, "dom0 X server refused a window for guest window %u (error %u)", w->id,
                e->error_code);
        free(e);
        free(xw);
        return -1;
    }
    w->xid = xw->id;
    w->xpriv = xw;
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, xw->id, xs->atom.wm_protocols, XCB_ATOM_ATOM,
                        32, 1, &xs->atom.wm_delete_window);
    set_utf8(xs, xw->id, xs->atom.fenestra_qube, xs->cfg.qube);
    set_utf8(xs, xw->id, xs->atom.fenestra_label_name, xs->cfg.label_text);
    uint32_t rgb = xs->cfg.label_rgb;
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, xw->id, xs->atom.fenestra_label,
                        XCB_ATOM_CARDINAL, 32, 1, &rgb);
    win_title(xs, w);
    win_class(xs, w);
    set_normal_hints(xs, w);
    set_wm_hints(xs, w);
    return 0;
}

static void seg_release(struct guid_xside *xs, struct guid_xseg *seg)
{
    if (seg == NULL || --seg->refs > 0)
        return;
    xcb_shm_detach(xs->conn, seg->seg);
    for (int i = 0; i < GUID_XSEG_MAX; i++)
        if (xs->segs[i] == seg)
            xs->segs[i] = NULL;
    free(seg);
}

static void own_release(struct guid_xside *xs, struct guid_xwin *xw)
{
    if (xw->own_ptr == NULL)
        return;
    xcb_shm_detach(xs->conn, xw->own_seg);
    munmap(xw->own_ptr, xw->own_size);
    xw->own_ptr = NULL;
    xw->own_size = 0;
    xw->own_seg = 0;
}

static void win_destroy(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    struct guid_xwin *xw = XW(w);
    if (xw == NULL)
        return;
    guid_fullscreen_forget(xs->fs, xw->id);
    seg_release(xs, xw->pool_seg);
    own_release(xs, xw);
    xcb_destroy_window(xs->conn, xw->id);
    free(xw);
    w->xpriv = NULL;
    w->xid = 0;
}

static void win_map(void *ctx, struct guid_win *w)
{
    xcb_map_window(XS(ctx)->conn, XW(w)->id);
    guid_fullscreen_restack(XS(ctx)->fs); /* nothing a guest maps covers the banner */
}

static void win_unmap(void *ctx, struct guid_win *w)
{
    xcb_unmap_window(XS(ctx)->conn, XW(w)->id);
}

static void win_geometry(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    struct guid_xwin *xw = XW(w);
    if (xw->override_redirect != want_or(xs, w)) {
        /* Only takes effect for the WM on the next map. */
        xw->override_redirect = want_or(xs, w);
        uint32_t v = xw->override_redirect ? 1u : 0u;
        xcb_change_window_attributes(xs->conn, xw->id, XCB_CW_OVERRIDE_REDIRECT, &v);
        if (w->mapped) {
            xcb_unmap_window(xs->conn, xw->id);
            xcb_map_window(xs->conn, xw->id);
        }
    }
    struct fen_rect o = outer_for(xs, w);
    if (memcmp(&o, &w->outer, sizeof(o)) == 0)
        return;
    w->outer = o;
    uint32_t v[] = {(uint32_t)o.x, (uint32_t)o.y, o.w, o.h};
    xcb_void_cookie_t ck = xcb_configure_window(
        xs->conn, xw->id,
        XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
            XCB_CONFIG_WINDOW_HEIGHT,
        v);
    xw->config_seq = ck.sequence;
    set_normal_hints(xs, w);
}

static void win_hints(void *ctx, struct guid_win *w) { set_normal_hints(XS(ctx), w); }

static void win_transient(void *ctx, struct guid_win *w, const struct guid_win *owner)
{
    struct guid_xside *xs = XS(ctx);
    if (owner != NULL)
        xcb_icccm_set_wm_transient_for(xs->conn, w->xid, owner->xid);
    else
        xcb_delete_property(xs->conn, w->xid, XCB_ATOM_WM_TRANSIENT_FOR);
}

static void win_wm_flags(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    set_wm_hints(xs, w);
    /* _NET_WM_STATE is only rewritten when fullscreen changes: otherwise
     * it holds what the dom0 WM set (the user's minimize / maximize). */
    bool fs = (w->wm_flags & FEN_WMFLAG_FULLSCREEN) != 0;
    if (fs == XW(w)->fs_state)
        return;
    XW(w)->fs_state = fs;
    if (fs) {
        xcb_atom_t st[] = {xs->atom.net_wm_state_max_vert, xs->atom.net_wm_state_max_horz};
        xcb_change_property(xs->conn, XCB_PROP_MODE_REPLACE, w->xid, xs->atom.net_wm_state,
                            XCB_ATOM_ATOM, 32, 2, st);
    } else {
        xcb_delete_property(xs->conn, w->xid, xs->atom.net_wm_state);
    }
}

/* A client's requests to the WM (ICCCM 4.1.4 iconify, 4.1.4 de-iconify by
 * mapping; EWMH _NET_WM_STATE), sent for the guest: the WM decides.  Without
 * a WM nothing happens, and nothing reaches the guest. */
static void send_to_wm(struct guid_xside *xs, xcb_window_t win, xcb_atom_t type,
                       const uint32_t data[5])
{
    xcb_client_message_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.response_type = XCB_CLIENT_MESSAGE;
    ev.format = 32;
    ev.window = win;
    ev.type = type;
    memcpy(ev.data.data32, data, sizeof ev.data.data32);
    xcb_send_event(xs->conn, 0, xs->screen->root,
                   XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
                   (const char *)&ev);
}

static void win_wm_request(void *ctx, struct guid_win *w, uint32_t set, uint32_t unset)
{
    struct guid_xside *xs = XS(ctx);
    if (set & FEN_WMFLAG_MINIMIZED) {
        const uint32_t iconic[5] = {3 /* IconicState */};
        send_to_wm(xs, w->xid, xs->atom.wm_change_state, iconic);
    } else if (unset & FEN_WMFLAG_MINIMIZED) {
        xcb_map_window(xs->conn, w->xid);
    }
    if ((set | unset) & FEN_WMFLAG_MAXIMIZED) {
        const uint32_t max[5] = {(set & FEN_WMFLAG_MAXIMIZED) ? 1u : 0u, /* add / remove */
                                 xs->atom.net_wm_state_max_vert, xs->atom.net_wm_state_max_horz,
                                 1 /* source: an application */};
        send_to_wm(xs, w->xid, xs->atom.net_wm_state, max);
    }
}

static void win_cursor(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = XS(ctx);
    xcb_cursor_t cur = XCB_NONE;
    if (w->cursor != FEN_CURSOR_DEFAULT && w->cursor <= FEN_CURSOR_GLYPH_MAX) {
        if (xs->cursors[w->cursor] == 0) {
            xs->cursors[w->cursor] = xcb_generate_id(xs->conn);
            xcb_create_glyph_cursor(xs->conn, xs->cursors[w->cursor], xs->cursor_font,
                                    xs->cursor_font, (uint16_t)w->cursor,
                                    (uint16_t)(w->cursor + 1), 0, 0, 0, 0xffff, 0xffff, 0xffff);
        }
        cur = xs->cursors[w->cursor];
    }
    xcb_change_window_attributes(xs->conn, w->xid, XCB_CW_CURSOR, &cur);
}

/* Attach `fd` (consumed) read-only to the X server as a new segment. */
static int attach_fd(struct guid_xside *xs, int fd, bool read_only, uint32_t *seg_out)
{
    uint32_t seg = xcb_generate_id(xs->conn);
    xcb_void_cookie_t ck = xcb_shm_attach_fd_checked(xs->conn, seg, fd, read_only);
    xcb_generic_error_t *e = xcb_request_check(xs->conn, ck);
    if (e != NULL) {
        fen_log(WARN, "dom0 X server refused a shared memory segment (error %u)", e->error_code);
        free(e);
        return -1;
    }
    *seg_out = seg;
    return 0;
}

static struct guid_xseg *pool_seg_get(struct guid_xside *xs, int pool_fd)
{
    struct stat st;
    if (fstat(pool_fd, &st) != 0)
        return NULL;
    int free_slot = -1;
    for (int i = 0; i < GUID_XSEG_MAX; i++) {
        struct guid_xseg *s = xs->segs[i];
        if (s == NULL) {
            if (free_slot < 0)
                free_slot = i;
        } else if (s->dev == st.st_dev && s->ino == st.st_ino) {
            s->refs++;
            return s;
        }
    }
    if (free_slot < 0)
        return NULL;
    int dupfd = fcntl(pool_fd, F_DUPFD_CLOEXEC, 3);
    if (dupfd < 0)
        return NULL;
    struct guid_xseg *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        close(dupfd);
        return NULL;
    }
    if (attach_fd(xs, dupfd, true, &s->seg) != 0) {
        free(s);
        return NULL;
    }
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->refs = 1;
    xs->segs[free_slot] = s;
    fen_log(DEBUG, "attached a guest pool to the dom0 X server as segment 0x%x", s->seg);
    return s;
}

/* A private copy segment for a mapping that is not one run of a pool. */
static int own_seg_prepare(struct guid_xside *xs, struct guid_xwin *xw, size_t size)
{
    if (xw->own_ptr != NULL && xw->own_size == size)
        return 0;
    own_release(xs, xw);
    int fd = memfd_create("guid-copy", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        return -1;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        close(fd);
        return -1;
    }
    if (attach_fd(xs, fd, true, &xw->own_seg) != 0) {
        munmap(p, size);
        return -1;
    }
    xw->own_ptr = p;
    xw->own_size = size;
    return 0;
}

static int win_set_dump(void *ctx, struct guid_win *w, const struct guid_dump *d)
{
    struct guid_xside *xs = XS(ctx);
    struct guid_xwin *xw = XW(w);
    const struct fen_mapping *m = d->map;
    if (m->pool_fd >= 0) {
        struct guid_xseg *seg = pool_seg_get(xs, m->pool_fd);
        if (seg != NULL) {
            seg_release(xs, xw->pool_seg);
            own_release(xs, xw);
            xw->pool_seg = seg;
            xw->seg_offset = (uint64_t)m->pool_offset + d->offset;
            return 0;
        }
        fen_log(INFO, "cannot attach the guest pool; copying window %u's pixels", w->id);
    }
    size_t size = (size_t)d->stride * d->height;
    if (own_seg_prepare(xs, xw, size) != 0)
        return -1;
    seg_release(xs, xw->pool_seg);
    xw->pool_seg = NULL;
    xw->seg_offset = 0;
    return 0;
}

static void win_paint(void *ctx, struct guid_win *w, const struct fen_rect *r)
{
    struct guid_xside *xs = XS(ctx);
    struct guid_xwin *xw = XW(w);
    const struct guid_dump *d = &w->dump;
    uint32_t seg;
    if (xw->pool_seg != NULL) {
        seg = xw->pool_seg->seg;
    } else if (xw->own_ptr != NULL) {
        const uint8_t *src = (const uint8_t *)d->map->ptr + d->offset;
        for (uint32_t row = (uint32_t)r->y; row < (uint32_t)r->y + r->h; row++) {
            size_t off = (size_t)row * d->stride + (size_t)r->x * 4;
            memcpy(xw->own_ptr + off, src + off, (size_t)r->w * 4);
        }
        seg = xw->own_seg;
    } else {
        return;
    }
    int16_t f = (int16_t)guid_win_frame(w, xs->cfg.frame);
    xcb_void_cookie_t put = xcb_shm_put_image(
        xs->conn, xw->id, xs->put_gc, (uint16_t)(d->stride / 4), (uint16_t)d->height,
        (uint16_t)r->x, (uint16_t)r->y, (uint16_t)r->w, (uint16_t)r->h, (int16_t)(f + r->x),
        (int16_t)(f + r->y), 24, XCB_IMAGE_FORMAT_Z_PIXMAP, 0, seg, (uint32_t)xw->seg_offset);
    xs->put_pos = widen(xs, put.sequence);
    xs->painted_px += (uint64_t)r->w * r->h;
    if (xs->painted_px >= xs->cfg.paint_band)
        fence(xs); /* a band's worth: the next put waits if too many are in flight */
}

void guid_xside_paint_frame(struct guid_xside *xs, struct guid_win *w)
{
    struct guid_xwin *xw = XW(w);
    uint32_t f = guid_win_frame(w, xs->cfg.frame), ow = xw->width, oh = xw->height;
    if (f == 0 || ow == 0 || oh == 0)
        return;
    if (2 * f >= ow || 2 * f >= oh) {
        xcb_rectangle_t all = {0, 0, (uint16_t)ow, (uint16_t)oh};
        xcb_poly_fill_rectangle(xs->conn, xw->id, xs->frame_gc, 1, &all);
        return;
    }
    xcb_rectangle_t r[4] = {
        {0, 0, (uint16_t)ow, (uint16_t)f},
        {0, (int16_t)(oh - f), (uint16_t)ow, (uint16_t)f},
        {0, (int16_t)f, (uint16_t)f, (uint16_t)(oh - 2 * f)},
        {(int16_t)(ow - f), (int16_t)f, (uint16_t)f, (uint16_t)(oh - 2 * f)},
    };
    xcb_poly_fill_rectangle(xs->conn, xw->id, xs->frame_gc, 4, r);
}

void guid_xside_ops(struct guid_xside *xs, struct guid_xops *ops)
{
    *ops = (struct guid_xops){
        .ctx = xs,
        .win_create = win_create,
        .win_destroy = win_destroy,
        .win_map = win_map,
        .win_unmap = win_unmap,
        .win_geometry = win_geometry,
        .win_title = win_title,
        .win_class = win_class,
        .win_hints = win_hints,
        .win_transient = win_transient,
        .win_wm_flags = win_wm_flags,
        .win_wm_request = win_wm_request,
        .win_cursor = win_cursor,
        .win_set_dump = win_set_dump,
        .win_paint = win_paint,
        .screen_size = screen_size,
        .monitor_of = monitor_of,
        .fullscreen_changed = guid_fullscreen_changed,
        .paint_busy = paint_busy,
        .paint_band = xs->cfg.paint_band,
        .paint_pos = paint_pos,
        .paint_read = paint_read,
    };
}
