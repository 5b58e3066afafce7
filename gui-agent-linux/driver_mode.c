/* Zero-copy driver mode (driver_mode.h): talks to the Fenestra Xorg driver
 * through its FENESTRA X extension (xf86-video-fenestra/fenext_proto.h).
 *
 * Page lifetime: every time the agent asks for a window's pages it also
 * creates a HOLD resource in the X server that keeps that pixmap's pages
 * allocated, even after a resize destroyed the pixmap.  Holds of a window are
 * kept here in the order they were taken; when dom0 acknowledges the dump
 * that used hold N, holds older than N are released.  Holds are X resources
 * of the agent's connection, so an agent crash frees them all.
 *
 * Serials: the caller's serial for the dump is read from dump->serial on
 * entry -- SET IT BEFORE THE CALL (it is left as is) -- and remembered with
 * the hold.  Serials must grow with every dump of a window (copy-mode dumps
 * included); an ack of serial S releases the holds of dumps older than S.
 */
#include "driver_mode.h"

#include "driver_dump.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/log.h"
#include "fenestra/pages.h"
#include "xf86-video-fenestra/fenext_proto.h"
/* The extension's xcb client is compiled into this file so that the agent
 * links one source for driver mode (the driver tests build it alone). */
#include "xf86-video-fenestra/fenext_client.c"

struct drv_hold {
    uint32_t xid;
    uint32_t block;
    uint32_t serial;
};

struct drv_window {
    xcb_window_t window;
    struct drv_hold *holds; /* oldest first */
    size_t nholds, cap;
};

struct drv_mode {
    xcb_connection_t *conn;
    struct fen_pool *pool;
    uint32_t pool_pages;
    struct drv_window *windows;
    size_t nwindows, cap;
    int frame_event; /* FrameNotify's number; -1: the driver cannot pace */
    bool pacing;
};

struct drv_mode *drv_mode_open(xcb_connection_t *conn, enum drv_chan chan)
{
    int present = fenext_present(conn);
    if (present <= 0) {
        fen_log(INFO, "copy mode: the X server has no %s extension (fenestra driver not loaded)",
                FENEXT_NAME);
        return NULL;
    }
    uint32_t major = 0, minor = 0, pages = 0, kind = 0;
    if (fenext_query_version(conn, &major, &minor, &pages, &kind) < 0 || major != FENEXT_MAJOR) {
        fen_log(INFO, "copy mode: %s extension version %u.%u unusable (want %u.x)", FENEXT_NAME,
                major, minor, FENEXT_MAJOR);
        return NULL;
    }
    if (pages == 0) {
        fen_log(INFO, "copy mode: the fenestra driver runs without a pixmap pool (see its log)");
        return NULL;
    }
    /* The pages must be of a kind the channel carries: a memfd rides only on
     * a local channel, grant refs mean something only to a Xen peer. */
    if (kind == FENEXT_POOL_XEN && chan != DRV_CHAN_XEN) {
        fen_log(INFO, "copy mode: the fenestra driver grants its pixmaps to a Xen domain, but "
                "this channel is not a Xen one");
        return NULL;
    }
    if (kind == FENEXT_POOL_LOCAL && chan != DRV_CHAN_LOCAL) {
        fen_log(INFO, "copy mode: the fenestra driver's pool is a local memfd, which this "
                "channel cannot carry (Option \"PoolBackend\" \"xen:0\" for a Xen guest)");
        return NULL;
    }
    if (kind != FENEXT_POOL_LOCAL && kind != FENEXT_POOL_XEN) {
        fen_log(INFO, "copy mode: unknown pool kind %u from the fenestra driver", kind);
        return NULL;
    }
    struct drv_mode *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->conn = conn;
    d->pool_pages = pages;
    d->frame_event = minor >= 2 ? fenext_first_event(conn) : -1;
    if (kind == FENEXT_POOL_XEN) {
        /* Grant refs come with each window's pages; nothing to announce. */
        fen_log(INFO, "driver mode: fenestra driver %u.%u, pixmaps in Xen grants (at most %u "
                "pages)", major, minor, pages);
        return d;
    }
    uint32_t fd_pages = 0;
    int fd = fenext_get_pool(conn, &fd_pages);
    if (fd < 0 || fd_pages == 0 || fd_pages > FEN_MAX_POOL_PAGES) {
        fen_log(INFO, "copy mode: the fenestra driver did not hand out its page pool");
        if (fd >= 0)
            close(fd);
        free(d);
        return NULL;
    }
    d->pool = fen_pool_adopt_fd(fd, fd_pages, DRV_POOL_ID); /* takes fd */
    if (!d->pool) {
        fen_log_errno(WARN, "copy mode: cannot adopt the driver's pool (%u pages)", fd_pages);
        free(d);
        return NULL;
    }
    d->pool_pages = fd_pages;
    fen_log(INFO, "driver mode: fenestra driver %u.%u, pool of %u pages", major, minor, fd_pages);
    return d;
}

struct fen_pool *drv_mode_pool(struct drv_mode *d)
{
    return d->pool;
}

static struct drv_window *drv_window_find(struct drv_mode *d, xcb_window_t w)
{
    for (size_t i = 0; i < d->nwindows; i++)
        if (d->windows[i].window == w)
            return &d->windows[i];
    return NULL;
}

static struct drv_window *drv_window_get(struct drv_mode *d, xcb_window_t w)
{
    struct drv_window *win = drv_window_find(d, w);
    if (win)
        return win;
    if (d->nwindows == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct drv_window *nw = realloc(d->windows, cap * sizeof *nw);
        if (!nw)
            return NULL;
        d->windows = nw;
        d->cap = cap;
    }
    win = &d->windows[d->nwindows++];
    memset(win, 0, sizeof *win);
    win->window = w;
    return win;
}

static int drv_window_push(struct drv_window *win, struct drv_hold h)
{
    if (win->nholds == win->cap) {
        size_t cap = win->cap ? win->cap * 2 : 4;
        struct drv_hold *nh = realloc(win->holds, cap * sizeof *nh);
        if (!nh)
            return -1;
        win->holds = nh;
        win->cap = cap;
    }
    win->holds[win->nholds++] = h;
    return 0;
}

/* Release the `n` oldest holds of win. */
static void drv_window_release_oldest(struct drv_mode *d, struct drv_window *win, size_t n)
{
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        fenext_release_hold(d->conn, win->holds[i].xid);
    memmove(win->holds, win->holds + n, (win->nholds - n) * sizeof *win->holds);
    win->nholds -= n;
    xcb_flush(d->conn);
}

static void drv_window_drop(struct drv_mode *d, struct drv_window *win)
{
    drv_window_release_oldest(d, win, win->nholds);
    free(win->holds);
    *win = d->windows[--d->nwindows];
}

int drv_mode_window_pages(struct drv_mode *d, xcb_window_t w, struct fen_msg_window_dump *dump,
                          uint32_t **refs)
{
    *refs = NULL;
    uint32_t serial = dump->serial; /* the caller's, see the top comment */
    struct drv_window *win = drv_window_get(d, w);
    if (!win)
        return -1;
    uint32_t hold = xcb_generate_id(d->conn);
    struct fenext_window_pages p;
    if (fenext_get_window_pages(d->conn, w, hold, &p) < 0) {
        fen_log(DEBUG, "window 0x%x: no pages from the driver (gone?)", w);
        return -1;
    }
    if (!p.shared) {
        fen_log(INFO, "window 0x%x: pixmap not in the driver pool, copy mode for it", w);
        return -1;
    }
    uint32_t *r = NULL;
    int rc = drv_dump_build(&p, d->pool_pages, dump, &r);
    free(p.grefs);
    if (rc < 0) {
        fen_log(WARN, "window 0x%x: driver reported an inconsistent pixmap "
                "(%ux%u bw %u stride %u pages %u+%u depth %u), copy mode for it",
                w, p.width, p.height, p.border_width, p.stride, p.first_page, p.npages, p.depth);
        fenext_release_hold(d->conn, hold);
        xcb_flush(d->conn);
        return -1;
    }

    if (win->nholds && win->holds[win->nholds - 1].block == p.block) {
        /* Same pixmap as the newest hold: one hold is enough, but the serial
         * moves on so an ack of this dump still matches. */
        fenext_release_hold(d->conn, hold);
        xcb_flush(d->conn);
        win->holds[win->nholds - 1].serial = serial;
    } else if (drv_window_push(win, (struct drv_hold){hold, p.block, serial}) < 0) {
        fenext_release_hold(d->conn, hold);
        xcb_flush(d->conn);
        free(r);
        return -1;
    }
    if (dump->kind == FEN_DUMP_XEN_GRANT)
        fen_log(INFO, "window 0x%x: %ux%u in %u granted pages (zero copy)", w, dump->width,
                dump->height, dump->num_refs);
    else
        fen_log(INFO, "window 0x%x: %ux%u in driver pool pages %u..%u (zero copy)", w,
                dump->width, dump->height, r[0], r[0] + dump->num_refs - 1);
    *refs = r;
    return 0;
}

void drv_mode_ack(struct drv_mode *d, xcb_window_t w, uint32_t serial)
{
    struct drv_window *win = drv_window_find(d, w);
    if (!win)
        return;
    /* Serials grow with every dump of a window: dom0 now shows the dump
     * `serial`, so every hold taken for an older dump can go (all of them
     * when the acked dump is newer than every hold, e.g. a copy-mode dump). */
    size_t n = 0;
    while (n < win->nholds && (int32_t)(win->holds[n].serial - serial) < 0)
        n++;
    drv_window_release_oldest(d, win, n);
}

void drv_mode_forget(struct drv_mode *d, xcb_window_t w)
{
    struct drv_window *win = drv_window_find(d, w);
    if (win)
        drv_window_drop(d, win);
}

void drv_mode_forget_all(struct drv_mode *d)
{
    while (d->nwindows)
        drv_window_drop(d, &d->windows[d->nwindows - 1]);
}

bool drv_mode_can_pace(const struct drv_mode *d)
{
    return d->frame_event >= 0;
}

void drv_mode_pace(struct drv_mode *d, bool on)
{
    if (!drv_mode_can_pace(d) || d->pacing == on)
        return;
    int err = fenext_select_frames(d->conn, on);
    if (err) { /* BadAccess: another guest client took pacing first */
        fen_log(WARN, "frame pacing refused by the fenestra driver (X error %d): frames are "
                "not paced", err);
        return;
    }
    d->pacing = on;
    fen_log(INFO, "frame pacing %s", on ? "on: an application's next frame waits until dom0 "
                                          "has read the previous one"
                                        : "off");
}

bool drv_mode_frame_event(const struct drv_mode *d, const xcb_generic_event_t *ev,
                          xcb_window_t *w, uint32_t *serial)
{
    return fenext_frame_event(d->frame_event, ev, w, serial) == 1;
}

void drv_mode_frame_shown(struct drv_mode *d, xcb_window_t w, uint32_t serial)
{
    if (!d->pacing)
        return; /* pacing ended: the driver released everything already */
    fenext_frame_painted(d->conn, w, serial); /* flushed with the main loop's xcb_flush */
}

void drv_mode_close(struct drv_mode *d)
{
    if (!d)
        return;
    drv_mode_forget_all(d); /* requests on a broken connection are no-ops */
    free(d->windows);
    fen_pool_destroy(d->pool);
    free(d);
}
