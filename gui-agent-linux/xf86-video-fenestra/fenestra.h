/* Private header of the Fenestra Xorg video driver (fenestra_drv.so).
 *
 *   fenestra_driver.c  module data, Probe, PreInit, ScreenInit, CloseScreen
 *   fenestra_randr.c   RandR 1.2 CRTC/output and screen resize
 *   fenestra_pool.c    the page pool (a sealed memfd, or Xen grants) and the
 *                      pixmap hooks that put composite window pixmaps into it
 *   fenestra_xenpool.c Xen grant-backed pixmap pages (PoolBackend xen:DOMID)
 *   fenestra_ext.c     the FENESTRA X extension (fenext_proto.h)
 *   fenestra_shmband.c large MIT-SHM puts into pool windows run as bands
 *   fenestra_pacing.c  ... and wait until dom0 has read the previous frame */
#ifndef FENESTRA_DRV_H
#define FENESTRA_DRV_H

#include <xorg-server.h>

#include <stdint.h>

#include "xf86.h"
#include "xf86Crtc.h"
#include "scrnintstr.h"
#include "pixmapstr.h"

#define FENESTRA_DRIVER_NAME "fenestra"
#define FENESTRA_NAME "FENESTRA"
#define FENESTRA_VERSION_MAJOR 1
#define FENESTRA_VERSION_MINOR 1
#define FENESTRA_VERSION 1001

/* A run of pool pages holding one pixmap.  Referenced by the pixmap (until
 * it is destroyed) and by each HOLD resource a client took on it; the pages
 * go back to the pool when the last reference is dropped. */
struct fen_block {
    struct fen_drv_pool *pool;
    void *bits;
    uint32_t first_page, npages; /* local: pages of the memfd */
    uint32_t *grefs;             /* xen: npages grant refs (NULL for local) */
    uint32_t serial;
    int refs;
    /* frame pacing (fenestra_pacing.c): the last frame put into the block,
     * and whether dom0 has yet to read it */
    uint32_t frame;
    Bool frame_pending;
    uint32_t frame_epoch; /* pending only while the pacer that saw it paces */
    CARD32 frame_at; /* GetTimeInMillis() of the last frame's put */
    Bool frame_seen; /* frame_at is set */
    CARD32 held_ms;  /* time puts into the block were held since frame_at */
};

/* Where pool pixmaps live (Option "PoolBackend"). */
enum fen_pool_backend {
    FEN_POOL_LOCAL = 0, /* "local": one sealed memfd, handed to the agent */
    FEN_POOL_XEN = 1,   /* "xen:DOMID": pages granted to DOMID */
    FEN_POOL_NONE = 2,  /* misconfigured: no pool, the agent copies */
};

struct fen_drv_pool; /* fenestra_pool.c */

struct fen_drv {
    /* options */
    uint32_t pool_mb;
    uint32_t put_band_pixels; /* 0: MIT-SHM puts run whole */
    uint32_t frame_timeout_ms; /* frame pacing: longest hold */
    uint32_t pace_interval_ms; /* frame pacing: frames closer than this are paced */
    enum fen_pool_backend pool_backend;
    uint32_t xen_domid; /* FEN_POOL_XEN: the domain the pages are granted to */
    /* screen */
    void *fb;         /* screen pixmap memory (videoRam kB, reserved up front) */
    size_t fb_bytes;
    xf86CrtcPtr crtc;
    xf86OutputPtr output;
    struct fen_drv_pool *pool;
    /* wrapped screen procs */
    CloseScreenProcPtr close_screen;
    CreatePixmapProcPtr create_pixmap;
    DestroyPixmapProcPtr destroy_pixmap;
};

#define FEN_DRV(scrn) ((struct fen_drv *)((scrn)->driverPrivate))

/* fenestra_randr.c */
Bool fen_randr_init(ScrnInfoPtr scrn);

/* fenestra_pool.c: create the pool (sealed memfd of pool_mb MB, mapped once)
 * and install the pixmap hooks; call in ScreenInit after fbScreenInit. */
Bool fen_pool_screen_init(ScreenPtr screen);
/* Unhook and release the pool (its memory lives on while blocks or clients
 * still use it); CloseScreen. */
void fen_pool_screen_close(ScreenPtr screen);
/* The block backing pixmap, or NULL when it is not in the pool. */
struct fen_block *fen_pixmap_block(PixmapPtr pixmap);
void fen_block_ref(struct fen_block *b);
void fen_block_unref(struct fen_block *b);
/* Local pools: the memfd (-1 for a Xen pool). */
int fen_pool_fd(const struct fen_drv_pool *pool);
uint32_t fen_pool_pages(const struct fen_drv_pool *pool);
enum fen_pool_backend fen_pool_backend(const struct fen_drv_pool *pool);

/* fenestra_xenpool.c */
struct fen_xen_pool;
/* NULL (logged) when the grant device cannot be opened (no Xen). */
struct fen_xen_pool *fen_xenpool_open(int scrn_index, uint32_t domid, uint32_t max_pages);
/* Zeroed, writable pages granted read-only to the domain, refs[npages]
 * filled; NULL when over max_pages or the grant fails (logged once). */
void *fen_xenpool_share(struct fen_xen_pool *x, uint32_t npages, uint32_t *refs);
void fen_xenpool_unshare(struct fen_xen_pool *x, void *bits, uint32_t npages);
void fen_xenpool_close(struct fen_xen_pool *x); /* accepts NULL */
/* Register the pixmap private key (every ScreenInit, before any pixmap). */
Bool fen_pool_register_keys(void);

/* fenestra_ext.c: add the FENESTRA extension for this screen's pool. */
Bool fen_ext_init(ScreenPtr screen);

/* fenestra_shmband.c: from CreateScreenResources on (MIT-SHM exists then),
 * run MIT-SHM puts of more than `pixels` pixels into pool windows as bands
 * of whole rows, `pixels` at most, flushing events after each (0: whole
 * requests); large puts are also the frames fenestra_pacing.c paces. */
void fen_shmband_screen_init(ScreenPtr screen, uint32_t pixels);
/* Puts larger than this are frames when bands are off (PutBandPixels 0). */
#define FEN_FRAME_PIXELS (512u * 1024u)

/* fenestra_pacing.c (SelectFrames / FramePainted / FrameNotify of the
 * extension).  init: the extension's first event number, how long a put is
 * held at most, and how close frames must follow each other to be paced. */
Bool fen_pacing_init(int first_event, uint32_t timeout_ms, uint32_t interval_ms);
#define FEN_DEFAULT_PACE_INTERVAL_MS 8
void fen_pacing_close(void);
int fen_pacing_select(ClientPtr client, Bool enable);
void fen_pacing_painted(ClientPtr client, WindowPtr win, uint32_t serial);
/* A large put of `client` into `window`, backed by b: TRUE when the client
 * is now held (the request was rewound; return Success without running it). */
Bool fen_pacing_hold(ClientPtr client, XID window, struct fen_block *b);
/* The large put into window is done: a new frame, FrameNotify to the pacer. */
void fen_pacing_frame_done(XID window, struct fen_block *b);

#endif
