/* Zero-copy "driver mode": when the guest X server runs the Fenestra Xorg
 * driver (xf86-video-fenestra), window pixmaps already live in shared pages,
 * and the agent only needs to learn which pages back each window.
 * Implemented in driver_mode.c (owned with the driver); the agent falls back
 * to MIT-SHM copy mode when drv_mode_open returns NULL or a window's pixmap
 * is not in the pool. */
#ifndef GUI_AGENT_DRIVER_MODE_H
#define GUI_AGENT_DRIVER_MODE_H

#include <stdint.h>
#include <xcb/xcb.h>

#include "fenestra/proto.h"

struct fen_pool;
struct drv_mode;

/* The agent's channel to dom0, which decides what pages it can carry. */
enum drv_chan {
    DRV_CHAN_LOCAL, /* local: a memfd rides along (SCM_RIGHTS) */
    DRV_CHAN_XEN,   /* xen: grant refs */
    DRV_CHAN_OTHER, /* e.g. tcp: neither, driver mode is not used */
};

/* Is the X server on `conn` running the fenestra driver, with pages the
 * channel can carry (a local pool on a local channel, Xen grants on a Xen
 * one)?  NULL when not (copy mode), with the reason logged at INFO. */
struct drv_mode *drv_mode_open(xcb_connection_t *conn, enum drv_chan chan);

/* The driver's local pixmap pool (a sealed memfd) wrapped as a fen_pool with
 * pool_id 1, to announce to dom0 after each (re)connect; NULL for Xen grants
 * (nothing to announce).  Owned by d. */
struct fen_pool *drv_mode_pool(struct drv_mode *d);

/* Pages backing top-level window w's current composite pixmap: fills `dump`
 * (kind, width, height, stride, offset, format, pool_id, num_refs; the caller
 * sets serial) and *refs (malloc'd; the caller frees).  0, or -1 when the
 * window's pixmap is not in the pool (use copy mode for this window). */
int drv_mode_window_pages(struct drv_mode *d, xcb_window_t w, struct fen_msg_window_dump *dump,
                          uint32_t **refs);

/* dom0 acknowledged the dump with `serial` for window w: pages of older
 * pixmaps of w may be freed now. */
void drv_mode_ack(struct drv_mode *d, xcb_window_t w, uint32_t serial);

/* The window is gone (or the dom0 connection was lost and will replay):
 * forget pending old pixmaps of w / of every window. */
void drv_mode_forget(struct drv_mode *d, xcb_window_t w);
void drv_mode_forget_all(struct drv_mode *d);

/* An fd to poll (POLLIN) for driver notifications, or -1; call
 * drv_mode_dispatch when it is readable. */
int drv_mode_fd(const struct drv_mode *d);
void drv_mode_dispatch(struct drv_mode *d);

void drv_mode_close(struct drv_mode *d); /* accepts NULL */

#endif
