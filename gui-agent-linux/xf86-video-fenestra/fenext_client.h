/* xcb client side of the FENESTRA extension (fenext_proto.h).  Pure xcb, no
 * other Fenestra dependency: used by the agent's driver mode and by the
 * driver-level tests. */
#ifndef FENEXT_CLIENT_H
#define FENEXT_CLIENT_H

#include <stdint.h>
#include <xcb/xcb.h>

/* Pages backing a window's composite pixmap, as the driver reports them. */
struct fenext_window_pages {
    int shared; /* 0: not in the pool (copy mode); the rest is then unset */
    uint32_t first_page, npages; /* local pools: a run of the memfd's pages */
    uint32_t *grefs;             /* Xen pools: npages grant refs (malloc'd,
                                    the caller frees); NULL for local pools */
    uint32_t width, height; /* pixmap size, border included */
    uint32_t stride;
    uint32_t block; /* changes whenever the window gets a new pixmap */
    uint32_t depth;
    uint32_t border_width;
};

/* 1 when the server has the extension, 0 when not, -1 when the connection is
 * broken. */
int fenext_present(xcb_connection_t *conn);

/* QueryVersion: 0 with the server's version, pool size (0: no pool) and
 * kind (enum fenext_pool_kind), -1 on error. */
int fenext_query_version(xcb_connection_t *conn, uint32_t *major, uint32_t *minor,
                         uint32_t *pool_pages, uint32_t *pool_kind)
    __attribute__((warn_unused_result));

/* GetPool: the pool memfd (caller owns it) and its size in pages; -1 on error. */
int fenext_get_pool(xcb_connection_t *conn, uint32_t *pool_pages)
    __attribute__((warn_unused_result));

/* GetWindowPages: 0 (out filled; out->shared says whether it is in the pool)
 * or -1 (no such window, protocol error).  hold: a fresh XID from
 * xcb_generate_id, or 0; when the reply says shared, the hold now keeps
 * those pages allocated until fenext_release_hold. */
int fenext_get_window_pages(xcb_connection_t *conn, xcb_window_t window, uint32_t hold,
                            struct fenext_window_pages *out) __attribute__((warn_unused_result));

/* ReleaseHold (unchecked; the caller flushes). */
void fenext_release_hold(xcb_connection_t *conn, uint32_t hold);

/* Frame pacing (1.2).  The extension's first event number, or -1. */
int fenext_first_event(xcb_connection_t *conn);
/* SelectFrames, checked (a round trip): 0, or the X error code (BadAccess:
 * another client paces). */
int fenext_select_frames(xcb_connection_t *conn, int enable);
/* FramePainted (unchecked; the caller flushes). */
void fenext_frame_painted(xcb_connection_t *conn, xcb_window_t window, uint32_t serial);
/* 1 when ev is a FrameNotify (window and serial filled), else 0. */
int fenext_frame_event(int first_event, const xcb_generic_event_t *ev, xcb_window_t *window,
                       uint32_t *serial);

#endif
