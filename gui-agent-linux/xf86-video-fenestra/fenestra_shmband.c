/* Streamed MIT-SHM puts: a large ShmPutImage into a window whose pixmap is in
 * the shared pool is executed as bands of rows, and the clients' output is
 * flushed after each band.
 *
 * Why: in driver mode dom0 copies a window straight from the pool pages as
 * soon as the agent forwards the damage, but Damage reports a request only
 * after it has executed, and the server flushes events to clients only
 * between requests.  A 1080p frame put in one request therefore reaches dom0
 * as one 8 MB damage after the guest X server's whole copy, and dom0's copy
 * of those 8 MB starts only then: the frame's latency is the sum of the two
 * copies.  Run as bands, each band's damage event reaches the agent (and dom0)
 * while the guest X server copies the next band, and the two copies overlap:
 * the latency becomes one copy plus one band.  See docs/xorg-driver.md.
 *
 * Semantics are those of the single request: the bands are executed within
 * it (no other client's request runs in between), the rows drawn are the
 * same, and the completion event (sendEvent) is sent once, after the last
 * band.  Only requests the MIT-SHM extension would accept whole are split;
 * anything else goes to it unchanged, so it reports the same errors. */
#include "fenestra.h"

#include <X11/extensions/shmproto.h>

#include "dixstruct.h"
#include "extnsionst.h"
#include "windowstr.h"

static uint32_t band_pixels;              /* 0: puts run whole */
static uint32_t frame_pixels;             /* larger puts are frames (paced) */
static int (*shm_dispatch)(ClientPtr);    /* MIT-SHM's own dispatcher */
static CreateScreenResourcesProcPtr create_screen_resources;

/* The block of the window's pixmap when it is in the pool (dom0 reads it
 * while we draw), else NULL. */
static struct fen_block *put_target_block(ClientPtr client, XID drawable)
{
    DrawablePtr draw;
    if (dixLookupDrawable(&draw, drawable, client, M_WINDOW, DixWriteAccess) != Success)
        return NULL;
    PixmapPtr pixmap = draw->pScreen->GetWindowPixmap((WindowPtr)draw);
    return pixmap ? fen_pixmap_block(pixmap) : NULL;
}

/* A put of a whole frame (more than frame_pixels) into a pool window, which
 * MIT-SHM would accept whole: its block, else NULL. */
static struct fen_block *large_put_block(ClientPtr client, const xShmPutImageReq *req)
{
    if (req->format != ZPixmap || req->sendEvent > xTrue)
        return NULL;
    /* The bands must pass MIT-SHM's checks exactly when the whole would. */
    if ((int)req->srcX + req->srcWidth > req->totalWidth ||
        (int)req->srcY + req->srcHeight > req->totalHeight)
        return NULL;
    if ((int)req->dstY + req->srcHeight > 32767) /* band dstY must fit INT16 */
        return NULL;
    if (req->srcWidth == 0 || (uint64_t)req->srcWidth * req->srcHeight <= frame_pixels)
        return NULL;
    return put_target_block(client, req->drawable);
}

static int banded_put(ClientPtr client, xShmPutImageReq *req)
{
    if (!band_pixels)
        return shm_dispatch(client);
    const xShmPutImageReq whole = *req;
    int rows = (int)(band_pixels / whole.srcWidth);
    int rc = Success;

    if (rows < 1)
        rows = 1;
    for (int done = 0; done < whole.srcHeight; done += rows) {
        int n = whole.srcHeight - done < rows ? whole.srcHeight - done : rows;
        Bool last = done + n == whole.srcHeight;
        req->srcY = (CARD16)(whole.srcY + done);
        req->dstY = (INT16)(whole.dstY + done);
        req->srcHeight = (CARD16)n;
        req->sendEvent = last ? whole.sendEvent : xFalse;
        rc = shm_dispatch(client);
        if (rc != Success)
            break; /* only the first band can fail, before anything is drawn */
        if (!last)
            FlushAllOutput(); /* this band's damage events go out now */
    }
    *req = whole; /* the request as the client sent it, for anyone after us */
    return rc;
}

static int fen_shm_dispatch(ClientPtr client)
{
    REQUEST(xShmPutImageReq);
    if (stuff->shmReqType != X_ShmPutImage || client->req_len != sizeof(xShmPutImageReq) / 4)
        return shm_dispatch(client);
    struct fen_block *b = large_put_block(client, stuff);
    if (!b)
        return shm_dispatch(client);
    if (fen_pacing_hold(client, stuff->drawable, b))
        return Success; /* runs again once dom0 has read the previous frame */
    XID window = stuff->drawable;
    int rc = banded_put(client, stuff);
    if (rc == Success)
        fen_pacing_frame_done(window, b);
    return rc;
}

/* Extensions are initialised after the screens, so MIT-SHM is hooked here,
 * once per server generation (a reset re-adds the extension). */
static Bool fen_shmband_create_screen_resources(ScreenPtr screen)
{
    screen->CreateScreenResources = create_screen_resources;
    Bool ok = screen->CreateScreenResources(screen);
    create_screen_resources = screen->CreateScreenResources;
    screen->CreateScreenResources = fen_shmband_create_screen_resources;
    if (!ok)
        return FALSE;

    ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
    ExtensionEntry *shm = CheckExtension(SHMNAME);
    if (!shm) {
        xf86DrvMsg(scrn->scrnIndex, X_WARNING, "fenestra: no MIT-SHM, puts are not streamed\n");
        return TRUE;
    }
    if (ProcVector[shm->base] != fen_shm_dispatch) {
        shm_dispatch = ProcVector[shm->base];
        ProcVector[shm->base] = fen_shm_dispatch;
    }
    if (band_pixels)
        xf86DrvMsg(scrn->scrnIndex, X_INFO,
                   "fenestra: MIT-SHM puts into pool windows streamed in bands of %u pixels\n",
                   band_pixels);
    struct fen_drv *drv = FEN_DRV(scrn);
    xf86DrvMsg(scrn->scrnIndex, X_INFO,
               "fenestra: MIT-SHM puts of more than %u pixels into pool windows are frames, "
               "paced when the agent asks and less than %u ms apart (at most %u ms)\n",
               frame_pixels, drv->pace_interval_ms, drv->frame_timeout_ms);
    return TRUE;
}

void fen_shmband_screen_init(ScreenPtr screen, uint32_t pixels)
{
    if (screen->myNum != 0)
        return; /* already hooked for the first screen */
    band_pixels = pixels;
    frame_pixels = pixels ? pixels : FEN_FRAME_PIXELS;
    create_screen_resources = screen->CreateScreenResources;
    screen->CreateScreenResources = fen_shmband_create_screen_resources;
}
