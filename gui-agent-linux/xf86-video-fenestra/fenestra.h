/* Private header of the Fenestra Xorg video driver (fenestra_drv.so).
 *
 *   fenestra_driver.c  module data, Probe, PreInit, ScreenInit, CloseScreen
 *   fenestra_randr.c   RandR 1.2 CRTC/output and screen resize
 *   fenestra_pool.c    the sealed memfd page pool and the pixmap hooks that
 *                      put composite window pixmaps into it
 *   fenestra_ext.c     the FENESTRA X extension (fenext_proto.h)
 *   fenestra_shmband.c large MIT-SHM puts into pool windows run as bands */
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
#define FENESTRA_VERSION_MINOR 0
#define FENESTRA_VERSION 1000

/* A run of pool pages holding one pixmap.  Referenced by the pixmap (until
 * it is destroyed) and by each HOLD resource a client took on it; the pages
 * go back to the pool when the last reference is dropped. */
struct fen_block {
    struct fen_drv_pool *pool;
    uint32_t first_page, npages;
    uint32_t serial;
    int refs;
};

struct fen_drv_pool; /* fenestra_pool.c */

struct fen_drv {
    /* options */
    uint32_t pool_mb;
    uint32_t put_band_pixels; /* 0: MIT-SHM puts run whole */
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
int fen_pool_fd(const struct fen_drv_pool *pool);
uint32_t fen_pool_pages(const struct fen_drv_pool *pool);
/* Register the pixmap private key (every ScreenInit, before any pixmap). */
Bool fen_pool_register_keys(void);

/* fenestra_ext.c: add the FENESTRA extension for this screen's pool. */
Bool fen_ext_init(ScreenPtr screen);

/* fenestra_shmband.c: from CreateScreenResources on (MIT-SHM exists then),
 * run MIT-SHM puts of more than `pixels` pixels into pool windows as bands
 * of whole rows, `pixels` at most, flushing events after each; 0 = off. */
void fen_shmband_screen_init(ScreenPtr screen, uint32_t pixels);

#endif
