/* The FENESTRA X extension (fenext_proto.h): lets the guest agent learn the
 * pool memfd and which pages back a window's composite pixmap, and keep those
 * pages alive (HOLD resources) until dom0 no longer maps them.
 *
 * An extension rather than a side socket: replies are ordered with the
 * agent's X events (a GetWindowPages after a ConfigureNotify sees the new
 * pixmap), errors are real X errors, the fd travels with the reply, and holds
 * are X resources that the server frees when the agent disconnects.  Frame
 * pacing (1.2) lives in fenestra_pacing.c. */
#include "fenestra.h"

#include <string.h>

#include <X11/X.h>
#include <X11/Xproto.h>

#include "dixstruct.h"
#include "extnsionst.h"
#include "resource.h"
#include "windowstr.h"

#include "fenext_proto.h"

static RESTYPE fen_hold_type;
static ScreenPtr fen_ext_screen;

static int fen_hold_delete(void *value, XID id)
{
    fen_block_unref(value);
    return Success;
}

static struct fen_drv_pool *ext_pool(void)
{
    return fen_ext_screen ? FEN_DRV(xf86ScreenToScrn(fen_ext_screen))->pool : NULL;
}

static int proc_query_version(ClientPtr client)
{
    if (client->req_len != sizeof(struct fenext_query_version_req) / 4)
        return BadLength;
    struct fen_drv_pool *pool = ext_pool();
    struct fenext_query_version_reply rep = {
        .type = X_Reply,
        .sequence = client->sequence,
        .major = FENEXT_MAJOR,
        .minor = FENEXT_MINOR,
        .pool_pages = pool ? fen_pool_pages(pool) : 0,
        .page_size = FENEXT_PAGE_SIZE,
        .pool_kind = pool && fen_pool_backend(pool) == FEN_POOL_XEN ? FENEXT_POOL_XEN
                                                                   : FENEXT_POOL_LOCAL,
    };
    WriteToClient(client, sizeof rep, &rep);
    return Success;
}

static int proc_get_pool(ClientPtr client)
{
    if (client->req_len != sizeof(struct fenext_get_pool_req) / 4)
        return BadLength;
    struct fen_drv_pool *pool = ext_pool();
    if (!pool)
        return BadAlloc;
    int fd = fen_pool_fd(pool); /* -1: Xen grants, nothing to hand out */
    if (fd >= 0 && WriteFdToClient(client, fd, FALSE) < 0)
        return BadAlloc;
    struct fenext_get_pool_reply rep = {
        .type = X_Reply,
        .nfd = fd >= 0,
        .sequence = client->sequence,
        .pool_pages = fen_pool_pages(pool),
    };
    WriteToClient(client, sizeof rep, &rep);
    return Success;
}

static int proc_get_window_pages(ClientPtr client)
{
    REQUEST(struct fenext_get_window_pages_req);
    if (client->req_len != sizeof *stuff / 4)
        return BadLength;
    WindowPtr win;
    int rc = dixLookupWindow(&win, stuff->window, client, DixGetAttrAccess);
    if (rc != Success)
        return rc;
    if (stuff->hold != 0)
        LEGAL_NEW_RESOURCE(stuff->hold, client);

    struct fenext_get_window_pages_reply rep = {
        .type = X_Reply,
        .status = FENEXT_NOT_SHARED,
        .sequence = client->sequence,
        .length = (sizeof rep - 32) / 4,
    };
    ScreenPtr screen = win->drawable.pScreen;
    PixmapPtr pixmap = screen == fen_ext_screen ? screen->GetWindowPixmap(win) : NULL;
    struct fen_block *b = pixmap ? fen_pixmap_block(pixmap) : NULL;
    /* Only a window redirected by Composite owns its pixmap; children of a
     * redirected window draw into their parent's. */
    if (b && win->redirectDraw != RedirectDrawNone) {
        if (stuff->hold != 0) {
            fen_block_ref(b);
            if (!AddResource(stuff->hold, fen_hold_type, b))
                return BadAlloc; /* AddResource ran the delete function */
        }
        rep.status = FENEXT_SHARED;
        rep.first_page = b->first_page;
        rep.npages = b->npages;
        rep.width = pixmap->drawable.width;
        rep.height = pixmap->drawable.height;
        rep.stride = (uint32_t)pixmap->devKind;
        rep.block = b->serial;
        rep.depth = pixmap->drawable.depth;
        rep.border_width = win->borderWidth;
        if (b->grefs) {
            rep.first_page = 0;
            rep.length += b->npages;
            WriteToClient(client, sizeof rep, &rep);
            WriteToClient(client, (int)(b->npages * 4u), b->grefs);
            return Success;
        }
    }
    WriteToClient(client, sizeof rep, &rep);
    return Success;
}

static int proc_release_hold(ClientPtr client)
{
    REQUEST(struct fenext_release_hold_req);
    if (client->req_len != sizeof *stuff / 4)
        return BadLength;
    void *value;
    int rc = dixLookupResourceByType(&value, stuff->hold, fen_hold_type, client, DixDestroyAccess);
    if (rc != Success)
        return rc;
    if (CLIENT_ID(stuff->hold) != client->index)
        return BadAccess; /* only the client that took a hold releases it */
    FreeResource(stuff->hold, RT_NONE);
    return Success;
}

static int proc_select_frames(ClientPtr client)
{
    REQUEST(struct fenext_select_frames_req);
    if (client->req_len != sizeof *stuff / 4)
        return BadLength;
    if (stuff->enable > 1) {
        client->errorValue = stuff->enable;
        return BadValue;
    }
    return fen_pacing_select(client, stuff->enable);
}

static int proc_frame_painted(ClientPtr client)
{
    REQUEST(struct fenext_frame_painted_req);
    if (client->req_len != sizeof *stuff / 4)
        return BadLength;
    WindowPtr win;
    int rc = dixLookupWindow(&win, stuff->window, client, DixGetAttrAccess);
    if (rc != Success)
        return rc;
    fen_pacing_painted(client, win, stuff->serial);
    return Success;
}

static int proc_fenestra(ClientPtr client)
{
    REQUEST(xReq);
    switch (stuff->data) {
    case X_FenextQueryVersion:
        return proc_query_version(client);
    case X_FenextGetPool:
        return proc_get_pool(client);
    case X_FenextGetWindowPages:
        return proc_get_window_pages(client);
    case X_FenextReleaseHold:
        return proc_release_hold(client);
    case X_FenextSelectFrames:
        return proc_select_frames(client);
    case X_FenextFramePainted:
        return proc_frame_painted(client);
    default:
        return BadRequest;
    }
}

/* The agent runs on the server's machine: byte-swapped clients are not
 * served. */
static int sproc_fenestra(ClientPtr client)
{
    return BadImplementation;
}

static void fen_ext_close_down(ExtensionEntry *ext)
{
    fen_pacing_close();
    fen_ext_screen = NULL;
}

Bool fen_ext_init(ScreenPtr screen)
{
    if (fen_ext_screen)
        return TRUE; /* one extension serves the first screen */
    fen_hold_type = CreateNewResourceType(fen_hold_delete, "FenestraHold");
    if (!fen_hold_type)
        return FALSE;
    ExtensionEntry *ext = AddExtension(FENEXT_NAME, FenextNumberEvents, 0, proc_fenestra,
                                       sproc_fenestra, fen_ext_close_down, StandardMinorOpcode);
    struct fen_drv *drv = FEN_DRV(xf86ScreenToScrn(screen));
    if (!ext || !fen_pacing_init(ext->eventBase, drv->frame_timeout_ms, drv->pace_interval_ms))
        return FALSE;
    fen_ext_screen = screen;
    return TRUE;
}
