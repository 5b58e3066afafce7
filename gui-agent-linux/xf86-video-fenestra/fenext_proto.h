/* FENESTRA: the tiny X extension of the Fenestra Xorg driver (fenestra_drv.so)
 * through which the guest agent learns which pages of the driver's pixmap pool
 * back a top-level window.  Shared by the driver (server side) and
 * fenext_client.c (xcb side); docs/xorg-driver.md explains the design.
 *
 * Wire layout: standard X requests (major opcode, minor opcode, length in
 * 4-byte units); replies are 32 bytes plus `length` 4-byte words.  Only
 * little-endian clients are served (byte-swapped clients get BadImplementation:
 * the agent runs on the same machine as the server).
 *
 * Requests:
 *   QueryVersion      -> version, pool size in pages (0: no pool) and kind
 *                        (1.1: FENEXT_POOL_LOCAL or FENEXT_POOL_XEN; a 1.0
 *                        server sends 0 = local)
 *   GetPool           -> local pools: the pool memfd (one fd, sealed
 *                        SHRINK|GROW|SEAL); Xen pools: no fd (nfd 0)
 *   GetWindowPages    -> the pages backing a window's current composite
 *                        pixmap: local, a run of pool pages (first_page,
 *                        npages); Xen, npages grant refs following the
 *                        reply (length = 2 + npages); with hold != None the client also
 *                        creates a HOLD resource that keeps those pages
 *                        allocated (even after the pixmap is destroyed by a
 *                        resize) until ReleaseHold or the client disconnects
 *   ReleaseHold       -> free a HOLD (the pages go back to the pool when
 *                        neither a pixmap nor any hold references them)
 *   SelectFrames      (1.2, no reply) enable 1: this client paces frames
 *                        (one client at a time; another gets BadAccess).
 *                        From then on, after every large MIT-SHM put into a
 *                        pool window (a frame) the client gets a FrameNotify
 *                        event, and the window's next large put is held
 *                        until the client answers FramePainted (or
 *                        FENEXT_FRAME_TIMEOUT_MS pass).  enable 0, or the
 *                        client's disconnect, ends pacing and releases
 *                        every held put.
 *   FramePainted      (1.2, no reply) dom0 has read window's frames up to
 *                        `serial`: puts held on them run now
 *
 * Events (1.2): FrameNotify (first event of the extension) -> window,
 * serial: frame `serial` (one counter for all windows) was put into window.
 * It follows the Damage events of that put in the client's event stream.
 */
#ifndef FENEXT_PROTO_H
#define FENEXT_PROTO_H

#include <stdint.h>

#define FENEXT_NAME "FENESTRA"
#define FENEXT_MAJOR 1u
#define FENEXT_MINOR 2u
/* A held put runs anyway after this long without FramePainted (a slow or
 * gone dom0 must never freeze the guest's applications). */
#define FENEXT_FRAME_TIMEOUT_MS 50u
#define FENEXT_PAGE_SIZE 4096u

enum fenext_minor {
    X_FenextQueryVersion = 0,
    X_FenextGetPool = 1,
    X_FenextGetWindowPages = 2,
    X_FenextReleaseHold = 3,
    X_FenextSelectFrames = 4,
    X_FenextFramePainted = 5,
};

/* Events, relative to the extension's first event. */
enum fenext_event {
    FenextFrameNotify = 0,
    FenextNumberEvents = 1,
};

/* QueryVersion's pool_kind. */
enum fenext_pool_kind {
    FENEXT_POOL_LOCAL = 0, /* page numbers into the memfd of GetPool */
    FENEXT_POOL_XEN = 1,   /* grant refs, granted to the domain the driver names */
};

/* GetWindowPages reply status (the reply's data byte). */
enum fenext_status {
    FENEXT_SHARED = 0,     /* the pixmap lives in the pool: fields are valid */
    FENEXT_NOT_SHARED = 1, /* the window has no pool pixmap (not redirected,
                              or the pool was full): use copy mode */
};

struct fenext_query_version_req {
    uint8_t major_opcode;
    uint8_t minor_opcode; /* X_FenextQueryVersion */
    uint16_t length;      /* 3 */
    uint32_t client_major;
    uint32_t client_minor;
};

struct fenext_query_version_reply {
    uint8_t type; /* X_Reply */
    uint8_t pad0;
    uint16_t sequence;
    uint32_t length; /* 0 */
    uint32_t major;
    uint32_t minor;
    uint32_t pool_pages;
    uint32_t page_size;
    uint32_t pool_kind; /* enum fenext_pool_kind (1.1; 0 from 1.0 servers) */
    uint32_t pad2;
};

struct fenext_get_pool_req {
    uint8_t major_opcode;
    uint8_t minor_opcode; /* X_FenextGetPool */
    uint16_t length;      /* 1 */
};

struct fenext_get_pool_reply {
    uint8_t type;
    uint8_t nfd; /* 1: the memfd follows as SCM_RIGHTS */
    uint16_t sequence;
    uint32_t length; /* 0 */
    uint32_t pool_pages;
    uint32_t pad[5];
};

struct fenext_get_window_pages_req {
    uint8_t major_opcode;
    uint8_t minor_opcode; /* X_FenextGetWindowPages */
    uint16_t length;      /* 3 */
    uint32_t window;
    uint32_t hold; /* a new XID of the client, or 0 for no hold */
};

struct fenext_get_window_pages_reply {
    uint8_t type;
    uint8_t status; /* enum fenext_status */
    uint16_t sequence;
    uint32_t length;     /* 2; Xen pools: 2 + npages (the grant refs follow) */
    uint32_t first_page; /* local: the pixmap's bits start at first_page * 4096 */
    uint32_t npages;     /* consecutive pages */
    uint32_t width;      /* pixmap size: window size + 2 * border_width */
    uint32_t height;
    uint32_t stride; /* bytes per row (the pixmap's devKind) */
    uint32_t block;  /* allocation serial: changes whenever the pixmap does */
    uint32_t depth;  /* 24 (XRGB, 32 bpp) or 32 (ARGB) */
    uint32_t border_width;
};

struct fenext_release_hold_req {
    uint8_t major_opcode;
    uint8_t minor_opcode; /* X_FenextReleaseHold */
    uint16_t length;      /* 2 */
    uint32_t hold;
};

struct fenext_select_frames_req {
    uint8_t major_opcode;
    uint8_t minor_opcode; /* X_FenextSelectFrames */
    uint16_t length;      /* 2 */
    uint32_t enable;      /* 0 or 1 */
};

struct fenext_frame_painted_req {
    uint8_t major_opcode;
    uint8_t minor_opcode; /* X_FenextFramePainted */
    uint16_t length;      /* 3 */
    uint32_t window;
    uint32_t serial; /* frames of window up to this one (serial arithmetic) */
};

struct fenext_frame_notify_event {
    uint8_t type; /* first event + FenextFrameNotify */
    uint8_t pad0;
    uint16_t sequence;
    uint32_t window;
    uint32_t serial;
    uint32_t pad[5];
};

_Static_assert(sizeof(struct fenext_select_frames_req) == 8, "wire size");
_Static_assert(sizeof(struct fenext_frame_painted_req) == 12, "wire size");
_Static_assert(sizeof(struct fenext_frame_notify_event) == 32, "wire size");
_Static_assert(sizeof(struct fenext_query_version_req) == 12, "wire size");
_Static_assert(sizeof(struct fenext_query_version_reply) == 32, "wire size");
_Static_assert(sizeof(struct fenext_get_pool_req) == 4, "wire size");
_Static_assert(sizeof(struct fenext_get_pool_reply) == 32, "wire size");
_Static_assert(sizeof(struct fenext_get_window_pages_req) == 12, "wire size");
_Static_assert(sizeof(struct fenext_get_window_pages_reply) == 40, "wire size");
_Static_assert(sizeof(struct fenext_release_hold_req) == 8, "wire size");

#endif
