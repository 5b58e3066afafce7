/* Zero-copy "driver mode": when the guest X server runs the Fenestra Xorg
 * driver (xf86-video-fenestra), window pixmaps already live in shared pages,
 * and the agent only needs to learn which pages back each window.
 * Implemented in driver_mode.c (owned with the driver); the agent falls back
 * to MIT-SHM copy mode when drv_mode_open returns NULL or a window's pixmap
 * is not in the pool. */
#ifndef GUI_AGENT_DRIVER_MODE_H
#define GUI_AGENT_DRIVER_MODE_H

#include <stdbool.h>
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

/* Frame pacing (fenext_proto.h SelectFrames; docs/protocol.md "Frame
 * pacing"): can the driver hold an application's next frame until dom0 has
 * read the previous one?  (Its extension is 1.2 or newer.) */
bool drv_mode_can_pace(const struct drv_mode *d);
/* Start (dom0 granted FEN_FEATURE_FRAME_PACING) or stop (dom0 gone) pacing;
 * stopping releases every held application at once. */
void drv_mode_pace(struct drv_mode *d, bool on);
/* Is ev the driver's FrameNotify?  Then *w and *serial say which frame of
 * which window was put; answer it with drv_mode_frame_shown. */
bool drv_mode_frame_event(const struct drv_mode *d, const xcb_generic_event_t *ev,
                          xcb_window_t *w, uint32_t *serial);
/* dom0 has read window w's frames up to `serial` (or will never: the window
 * is not shown): the driver may run the application's next frame. */
void drv_mode_frame_shown(struct drv_mode *d, xcb_window_t w, uint32_t serial);

void drv_mode_close(struct drv_mode *d); /* accepts NULL */

#endif
