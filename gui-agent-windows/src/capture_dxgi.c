/* Pixels from DXGI desktop duplication (real Windows 8+ with a WDDM driver).
 *
 * IDXGIOutputDuplication hands out the composed image of one output plus
 * what changed since the last frame: move rects and dirty rects.  Those are
 * turned into per-window damage by dirty_map.c, and only the damaged parts
 * of the image are copied into the windows' shared pages: no capture pass
 * per window and no comparison.  Only output 0 is duplicated; a window not
 * entirely on it, and everything while duplication is interrupted, is
 * captured with GDI (capture.c).  The image is the composed desktop, so
 * where another window covers a tracked window the covering pixels are
 * what the tracked window shows (dom0 stacks them the same way).
 *
 * Wine 8 has no DuplicateOutput (E_NOTIMPL): there, dxgi_cap_create fails
 * with that reason and the agent logs it and uses GDI.  This file is only
 * compiled and that failure exercised here; see docs/windows-agent.md.
 */
#define COBJMACROS
#include "agent.h" /* winsock2.h before windows.h */

#include <d3d11.h>
#include <dxgi1_2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirty_map.h"
#include "fenestra/log.h"

#define REOPEN_RETRY_MS 1000

struct dxgi_cap {
    ID3D11Device *dev;
    ID3D11DeviceContext *ctx;
    IDXGIOutput1 *out;
    IDXGIOutputDuplication *dup; /* NULL while interrupted */
    ID3D11Texture2D *staging;    /* CPU copy of the last frame */
    UINT width, height;
    RECT desk; /* the output on the desktop */
    bool have_image;
    ULONGLONG retry_at;
    RECT *dirty;
    DXGI_OUTDUPL_MOVE_RECT *moves;
    UINT dirty_cap, moves_cap; /* bytes */
    struct dmap_win wins[FEN_MAX_WINDOWS_PER_QUBE];
    uint32_t win_ids[FEN_MAX_WINDOWS_PER_QUBE];
};

#define RELEASE(iface, p)                                                                          \
    do {                                                                                           \
        if (p)                                                                                     \
            iface##_Release(p);                                                                    \
        (p) = NULL;                                                                                \
    } while (0)

/* Duplicate the output; accepts only an unrotated B8G8R8A8 desktop.
 * *fatal: the failure will not go away by retrying. */
static int open_dup(struct dxgi_cap *d, char *why, size_t why_len, bool *fatal)
{
    *fatal = false;
    HRESULT hr = IDXGIOutput1_DuplicateOutput(d->out, (IUnknown *)d->dev, &d->dup);
    if (FAILED(hr)) {
        snprintf(why, why_len, "DuplicateOutput hr=0x%08lx", (unsigned long)hr);
        *fatal = hr != E_ACCESSDENIED && hr != DXGI_ERROR_NOT_CURRENTLY_AVAILABLE &&
                 hr != DXGI_ERROR_ACCESS_LOST && hr != DXGI_ERROR_SESSION_DISCONNECTED;
        d->dup = NULL;
        return -1;
    }
    DXGI_OUTDUPL_DESC dd;
    IDXGIOutputDuplication_GetDesc(d->dup, &dd);
    if (dd.ModeDesc.Format != DXGI_FORMAT_B8G8R8A8_UNORM) {
        snprintf(why, why_len, "desktop format %u, not B8G8R8A8", (unsigned)dd.ModeDesc.Format);
        goto fatal;
    }
    if (dd.Rotation != DXGI_MODE_ROTATION_IDENTITY && dd.Rotation != DXGI_MODE_ROTATION_UNSPECIFIED) {
        snprintf(why, why_len, "rotated output (rotation %u)", (unsigned)dd.Rotation);
        goto fatal;
    }
    DXGI_OUTPUT_DESC od;
    IDXGIOutput1_GetDesc(d->out, &od);
    d->desk = od.DesktopCoordinates;
    if (!d->staging || d->width != dd.ModeDesc.Width || d->height != dd.ModeDesc.Height) {
        RELEASE(ID3D11Texture2D, d->staging);
        D3D11_TEXTURE2D_DESC td = {
            .Width = dd.ModeDesc.Width,
            .Height = dd.ModeDesc.Height,
            .MipLevels = 1,
            .ArraySize = 1,
            .Format = DXGI_FORMAT_B8G8R8A8_UNORM,
            .SampleDesc = {.Count = 1, .Quality = 0},
            .Usage = D3D11_USAGE_STAGING,
            .BindFlags = 0,
            .CPUAccessFlags = D3D11_CPU_ACCESS_READ,
            .MiscFlags = 0,
        };
        hr = ID3D11Device_CreateTexture2D(d->dev, &td, NULL, &d->staging);
        if (FAILED(hr)) {
            snprintf(why, why_len, "CreateTexture2D hr=0x%08lx", (unsigned long)hr);
            goto fatal;
        }
        d->width = dd.ModeDesc.Width;
        d->height = dd.ModeDesc.Height;
    }
    d->have_image = false; /* the next frame brings the whole desktop */
    return 0;
fatal:
    *fatal = true;
    RELEASE(IDXGIOutputDuplication, d->dup);
    return -1;
}

void dxgi_cap_destroy(struct dxgi_cap *d)
{
    if (!d)
        return;
    RELEASE(IDXGIOutputDuplication, d->dup);
    RELEASE(ID3D11Texture2D, d->staging);
    RELEASE(IDXGIOutput1, d->out);
    RELEASE(ID3D11DeviceContext, d->ctx);
    RELEASE(ID3D11Device, d->dev);
    free(d->dirty);
    free(d->moves);
    free(d);
}

struct dxgi_cap *dxgi_cap_create(char *why, size_t why_len)
{
    struct dxgi_cap *d = calloc(1, sizeof *d);
    IDXGIDevice *xdev = NULL;
    IDXGIAdapter *adapter = NULL;
    IDXGIOutput *out0 = NULL;
    bool fatal;
    if (!d) {
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    D3D_FEATURE_LEVEL level;
    HRESULT hr = D3D11CreateDevice(NULL, D3D_DRIVER_TYPE_HARDWARE, NULL, 0, NULL, 0,
                                   D3D11_SDK_VERSION, &d->dev, &level, &d->ctx);
    if (FAILED(hr)) {
        snprintf(why, why_len, "D3D11CreateDevice hr=0x%08lx", (unsigned long)hr);
        goto fail;
    }
    hr = ID3D11Device_QueryInterface(d->dev, &IID_IDXGIDevice, (void **)&xdev);
    if (SUCCEEDED(hr))
        hr = IDXGIDevice_GetAdapter(xdev, &adapter);
    if (SUCCEEDED(hr))
        hr = IDXGIAdapter_EnumOutputs(adapter, 0, &out0);
    if (SUCCEEDED(hr))
        hr = IDXGIOutput_QueryInterface(out0, &IID_IDXGIOutput1, (void **)&d->out);
    if (FAILED(hr)) {
        snprintf(why, why_len, "no IDXGIOutput1 for output 0, hr=0x%08lx", (unsigned long)hr);
        goto fail;
    }
    if (open_dup(d, why, why_len, &fatal) != 0)
        goto fail; /* at start even a passing reason (a UAC prompt) means GDI */
    RELEASE(IDXGIOutput, out0);
    RELEASE(IDXGIAdapter, adapter);
    RELEASE(IDXGIDevice, xdev);
    return d;
fail:
    RELEASE(IDXGIOutput, out0);
    RELEASE(IDXGIAdapter, adapter);
    RELEASE(IDXGIDevice, xdev);
    dxgi_cap_destroy(d);
    return NULL;
}

void dxgi_cap_describe(const struct dxgi_cap *d, char *out, size_t len)
{
    snprintf(out, len, "output 0, %ux%u at %ld,%ld, B8G8R8A8", d->width, d->height,
             (long)d->desk.left, (long)d->desk.top);
}

bool dxgi_cap_covers(const struct dxgi_cap *d, const struct agent_win *w)
{
    if (!d->dup || !d->have_image || !w->mapped || !w->share || w->width != w->rect.w ||
        w->height != w->rect.h)
        return false;
    /* Inside the output on the desktop and inside the image we copy from. */
    int64_t x0 = (int64_t)w->rect.x - d->desk.left, y0 = (int64_t)w->rect.y - d->desk.top;
    int64_t right = (int64_t)d->desk.right - d->desk.left, bottom = (int64_t)d->desk.bottom - d->desk.top;
    return x0 >= 0 && y0 >= 0 && x0 + w->rect.w <= right && y0 + w->rect.h <= bottom &&
           x0 + w->rect.w <= (int64_t)d->width && y0 + w->rect.h <= (int64_t)d->height;
}

/* Grow *buf to the size the metadata needs; false on failure. */
static bool grow(void **buf, UINT *cap, UINT need)
{
    if (need <= *cap)
        return true;
    void *p = realloc(*buf, need);
    if (!p)
        return false;
    *buf = p;
    *cap = need;
    return true;
}

/* This frame's moves and dirty rects, in desktop coordinates. */
static void frame_rects(struct dxgi_cap *d, const DXGI_OUTDUPL_FRAME_INFO *fi,
                        struct dmap_rect **dirty, size_t *ndirty, struct dmap_move **moves,
                        size_t *nmoves)
{
    *ndirty = *nmoves = 0;
    *dirty = NULL;
    *moves = NULL;
    if (fi->TotalMetadataBufferSize == 0)
        return;
    UINT need = 0;
    if (!grow((void **)&d->moves, &d->moves_cap, fi->TotalMetadataBufferSize) ||
        !grow((void **)&d->dirty, &d->dirty_cap, fi->TotalMetadataBufferSize))
        return;
    size_t nm = 0, nd = 0;
    if (SUCCEEDED(IDXGIOutputDuplication_GetFrameMoveRects(d->dup, d->moves_cap, d->moves, &need)))
        nm = need / sizeof(DXGI_OUTDUPL_MOVE_RECT);
    if (SUCCEEDED(IDXGIOutputDuplication_GetFrameDirtyRects(d->dup, d->dirty_cap, d->dirty, &need)))
        nd = need / sizeof(RECT);
    struct dmap_rect *dr = calloc(nd ? nd : 1, sizeof *dr);
    struct dmap_move *mr = calloc(nm ? nm : 1, sizeof *mr);
    if (!dr || !mr) {
        free(dr);
        free(mr);
        return;
    }
    int32_t ox = d->desk.left, oy = d->desk.top;
    for (size_t i = 0; i < nd; i++)
        dr[i] = dmap_from_ltrb(d->dirty[i].left, d->dirty[i].top, d->dirty[i].right,
                               d->dirty[i].bottom, ox, oy);
    for (size_t i = 0; i < nm; i++) {
        const DXGI_OUTDUPL_MOVE_RECT *m = &d->moves[i];
        mr[i].dst = dmap_from_ltrb(m->DestinationRect.left, m->DestinationRect.top,
                                   m->DestinationRect.right, m->DestinationRect.bottom, ox, oy);
        mr[i].src_x = m->SourcePoint.x + ox;
        mr[i].src_y = m->SourcePoint.y + oy;
    }
    *dirty = dr;
    *moves = mr;
    *ndirty = nd;
    *nmoves = nm;
}

/* Copy the damaged parts of every covered window out of the mapped image. */
static void copy_windows(struct dxgi_cap *d, struct agent *a, const uint8_t *img, size_t pitch,
                         const struct dmap_rect *dirty, size_t ndirty,
                         const struct dmap_move *moves, size_t nmoves)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nwins; i++) {
        struct agent_win *w = a->wins[i];
        if (!dxgi_cap_covers(d, w))
            continue;
        d->wins[n].rect = (struct dmap_rect){w->rect.x, w->rect.y, (int32_t)w->rect.w,
                                             (int32_t)w->rect.h};
        d->win_ids[n++] = w->id;
    }
    dmap_frame(dirty, ndirty, moves, nmoves, d->wins, n);
    for (size_t i = 0; i < n; i++) {
        struct agent_win *w = wintrack_find_id(a, d->win_ids[i]);
        struct dmap_damage *dmg = &d->wins[i].damage;
        if (w->full_damage) {
            dmap_reset(dmg);
            dmap_add(dmg, d->wins[i].rect, d->wins[i].rect);
            w->full_damage = false;
        }
        if (dmg->count == 0)
            continue;
        size_t ox = (size_t)(w->rect.x - d->desk.left), oy = (size_t)(w->rect.y - d->desk.top);
        uint8_t *dst = w->share->ptr;
        for (uint32_t k = 0; k < dmg->count; k++) {
            const struct fen_rect *r = &dmg->rects[k];
            for (uint32_t y = 0; y < r->h; y++)
                memcpy(dst + ((size_t)r->y + y) * w->stride + (size_t)r->x * 4,
                       img + (oy + (size_t)r->y + y) * pitch + (ox + (size_t)r->x) * 4,
                       (size_t)r->w * 4);
        }
        capture_send_damage(a, w, dmg->rects, dmg->count);
        a->n_captures++;
    }
}

/* Image of the last frame -> windows with pending full damage only. */
static void copy_pending_full(struct dxgi_cap *d, struct agent *a)
{
    bool any = false;
    for (size_t i = 0; i < a->nwins; i++)
        any |= a->wins[i]->full_damage && dxgi_cap_covers(d, a->wins[i]);
    if (!any)
        return;
    D3D11_MAPPED_SUBRESOURCE m;
    if (FAILED(ID3D11DeviceContext_Map(d->ctx, (ID3D11Resource *)d->staging, 0, D3D11_MAP_READ, 0,
                                       &m)))
        return;
    copy_windows(d, a, m.pData, m.RowPitch, NULL, 0, NULL, 0);
    ID3D11DeviceContext_Unmap(d->ctx, (ID3D11Resource *)d->staging, 0);
}

int dxgi_cap_poll(struct dxgi_cap *d, struct agent *a, char *why, size_t why_len)
{
    ULONGLONG now = GetTickCount64();
    if (!d->dup) {
        bool fatal;
        if (now < d->retry_at)
            return 0;
        if (open_dup(d, why, why_len, &fatal) != 0) {
            if (fatal)
                return -1;
            d->retry_at = now + REOPEN_RETRY_MS; /* secure desktop, mode change in progress */
            return 0;
        }
        fen_log(INFO, "DXGI desktop duplication resumed");
    }
    DXGI_OUTDUPL_FRAME_INFO fi;
    IDXGIResource *res = NULL;
    HRESULT hr = IDXGIOutputDuplication_AcquireNextFrame(d->dup, 0, &fi, &res);
    if (hr == DXGI_ERROR_WAIT_TIMEOUT) {
        copy_pending_full(d, a); /* nothing changed on screen */
        return 0;
    }
    if (hr == DXGI_ERROR_ACCESS_LOST) {
        /* Desktop switch (UAC, lock screen), mode or rotation change,
         * fullscreen application: start over; GDI until then. */
        fen_log(INFO, "DXGI desktop duplication lost (access lost): re-creating it, GDI meanwhile");
        RELEASE(IDXGIOutputDuplication, d->dup);
        d->have_image = false;
        d->retry_at = now;
        for (size_t i = 0; i < a->nwins; i++)
            a->wins[i]->full_damage = true;
        return 0;
    }
    if (FAILED(hr)) {
        snprintf(why, why_len, "AcquireNextFrame hr=0x%08lx", (unsigned long)hr);
        return -1;
    }
    struct dmap_rect *dirty = NULL;
    struct dmap_move *moves = NULL;
    size_t ndirty = 0, nmoves = 0;
    bool have_new = false;
    if (fi.LastPresentTime.QuadPart != 0 && res) { /* 0: only the pointer moved */
        ID3D11Texture2D *tex = NULL;
        if (SUCCEEDED(IDXGIResource_QueryInterface(res, &IID_ID3D11Texture2D, (void **)&tex))) {
            ID3D11DeviceContext_CopyResource(d->ctx, (ID3D11Resource *)d->staging,
                                             (ID3D11Resource *)tex);
            ID3D11Texture2D_Release(tex);
            frame_rects(d, &fi, &dirty, &ndirty, &moves, &nmoves);
            if (!d->have_image) { /* the first frame: everything is new */
                for (size_t i = 0; i < a->nwins; i++)
                    a->wins[i]->full_damage = true;
            }
            d->have_image = have_new = true;
        }
    }
    RELEASE(IDXGIResource, res);
    D3D11_MAPPED_SUBRESOURCE m;
    if (have_new && SUCCEEDED(ID3D11DeviceContext_Map(d->ctx, (ID3D11Resource *)d->staging, 0,
                                                      D3D11_MAP_READ, 0, &m))) {
        copy_windows(d, a, m.pData, m.RowPitch, dirty, ndirty, moves, nmoves);
        ID3D11DeviceContext_Unmap(d->ctx, (ID3D11Resource *)d->staging, 0);
    } else {
        copy_pending_full(d, a);
    }
    free(dirty);
    free(moves);
    IDXGIOutputDuplication_ReleaseFrame(d->dup);
    return 0;
}
