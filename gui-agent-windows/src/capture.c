/* Pixels: capture into the shared pages.
 *
 * Where DXGI desktop duplication works (real Windows), capture_dxgi.c takes
 * the changed parts of the desktop every interval_ms and damages exactly
 * those (dirty_map.c); windows it does not cover are captured with GDI here.
 * Under Wine (no DuplicateOutput) everything is GDI.
 *
 * GDI reports no damage, so each mapped window is captured on a timer:
 * every interval_ms while it had recent events (input, moves, title
 * changes, ...) or its last captures found changes, every idle_ms
 * otherwise.  One capture = one BitBlt of the
 * window into a private DIB section, then a comparison with the shared copy
 * in 64x64 tiles; only tiles that differ are copied into the shared pages
 * and reported as DAMAGE (runs of tiles merged into rects).  Cost per
 * capture: the BitBlt plus one read of both copies, O(width*height); see
 * docs/windows-agent.md for measured figures.
 */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "fenestra/log.h"

#define TILE 64

struct capture {
    struct dxgi_cap *dxgi; /* NULL: GDI only */
    ULONGLONG dxgi_next;
    HDC mem_dc;
    HBITMAP dib, old_bitmap;
    uint8_t *bits;
    int w, h; /* DIB size; its stride is w*4 */
};

struct capture *capture_create(const struct agent_config *cfg)
{
    struct capture *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->mem_dc = CreateCompatibleDC(NULL);
    if (!c->mem_dc) {
        free(c);
        return NULL;
    }
    char why[160];
    if (cfg->gdi_only) {
        fen_log(INFO, "using GDI capture (--capture gdi)");
    } else if ((c->dxgi = dxgi_cap_create(why, sizeof why)) != NULL) {
        dxgi_cap_describe(c->dxgi, why, sizeof why);
        fen_log(INFO, "using DXGI desktop duplication (%s); GDI for windows off that output", why);
    } else {
        fen_log(INFO, "DXGI desktop duplication unavailable (%s): using GDI capture", why);
    }
    return c;
}

void capture_destroy(struct capture *c)
{
    if (!c)
        return;
    dxgi_cap_destroy(c->dxgi);
    if (c->dib) {
        SelectObject(c->mem_dc, c->old_bitmap);
        DeleteObject(c->dib);
    }
    DeleteDC(c->mem_dc);
    free(c);
}

/* A top-down 32 bpp DIB of exactly w x h (stride w*4). */
static int ensure_dib(struct capture *c, int w, int h)
{
    if (c->dib && c->w == w && c->h == h)
        return 0;
    BITMAPINFO bi;
    memset(&bi, 0, sizeof bi);
    bi.bmiHeader.biSize = sizeof bi.bmiHeader;
    bi.bmiHeader.biWidth = w;
    bi.bmiHeader.biHeight = -h; /* top-down, like the wire format */
    bi.bmiHeader.biPlanes = 1;
    bi.bmiHeader.biBitCount = 32;
    bi.bmiHeader.biCompression = BI_RGB;
    void *bits = NULL;
    HBITMAP dib = CreateDIBSection(c->mem_dc, &bi, DIB_RGB_COLORS, &bits, NULL, 0);
    if (!dib || !bits)
        return -1;
    HBITMAP old = SelectObject(c->mem_dc, dib);
    if (c->dib)
        DeleteObject(c->dib);
    else
        c->old_bitmap = old;
    c->dib = dib;
    c->bits = bits;
    c->w = w;
    c->h = h;
    return 0;
}

struct damage {
    struct fen_rect rects[FEN_MAX_DAMAGE_RECTS];
    uint32_t count;
};

static void flush_damage(struct agent *a, struct agent_win *w, struct damage *d)
{
    if (d->count == 0)
        return;
    uint8_t body[sizeof(struct fen_msg_damage) + sizeof d->rects];
    struct fen_msg_damage hdr = {.count = d->count};
    memcpy(body, &hdr, sizeof hdr);
    memcpy(body + sizeof hdr, d->rects, d->count * sizeof d->rects[0]);
    (void)link_send(a, &a->gui, FEN_MSG_DAMAGE, w->id, body,
                    (uint32_t)(sizeof hdr + d->count * sizeof d->rects[0]));
    a->n_damage_rects += d->count;
    d->count = 0;
}

static void add_damage(struct agent *a, struct agent_win *w, struct damage *d, struct fen_rect r)
{
    /* Extend the previous rect downwards when it spans the same columns. */
    if (d->count > 0) {
        struct fen_rect *p = &d->rects[d->count - 1];
        if (p->x == r.x && p->w == r.w && p->y + (int32_t)p->h == r.y) {
            p->h += r.h;
            return;
        }
    }
    if (d->count == FEN_MAX_DAMAGE_RECTS)
        flush_damage(a, w, d);
    d->rects[d->count++] = r;
}

void capture_send_damage(struct agent *a, struct agent_win *w, const struct fen_rect *rects,
                         uint32_t n)
{
    struct damage d = {.count = 0};
    for (uint32_t i = 0; i < n; i++) {
        if (d.count == FEN_MAX_DAMAGE_RECTS)
            flush_damage(a, w, &d);
        d.rects[d.count++] = rects[i];
    }
    flush_damage(a, w, &d);
    /* Content that changes keeps the window on the fast period. */
    w->active_until = GetTickCount64() + AGENT_ACTIVE_MS;
}

static bool tile_differs(const uint8_t *src, const uint8_t *dst, size_t stride, uint32_t x0,
                         uint32_t y0, uint32_t tw, uint32_t th)
{
    for (uint32_t y = y0; y < y0 + th; y++)
        if (memcmp(src + y * stride + x0 * 4, dst + y * stride + x0 * 4, (size_t)tw * 4) != 0)
            return true;
    return false;
}

static void copy_tile(const uint8_t *src, uint8_t *dst, size_t stride, uint32_t x0, uint32_t y0,
                      uint32_t tw, uint32_t th)
{
    for (uint32_t y = y0; y < y0 + th; y++)
        memcpy(dst + y * stride + x0 * 4, src + y * stride + x0 * 4, (size_t)tw * 4);
}

static uint64_t now_us(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (uint64_t)(t.QuadPart / (freq.QuadPart / 1000000 ? freq.QuadPart / 1000000 : 1));
}

void capture_log_stats(struct agent *a)
{
    ULONGLONG now = GetTickCount64();
    if (now < a->next_stats)
        return;
    size_t mapped = 0;
    for (size_t i = 0; i < a->nwins; i++)
        mapped += a->wins[i]->mapped;
    fen_log(DEBUG, "stats: %zu windows mapped, %llu window events, %llu loop wake-ups", mapped,
            (unsigned long long)a->n_events, (unsigned long long)a->n_wakeups);
    a->n_wakeups = a->n_events = 0;
    if (a->n_captures > 0)
        fen_log(
            DEBUG,
            "stats: %llu captures, %llu us each on average, %llu damage rects, %llu MB compared",
            (unsigned long long)a->n_captures, (unsigned long long)(a->capture_us / a->n_captures),
            (unsigned long long)a->n_damage_rects, (unsigned long long)(a->n_bytes_scanned >> 20));
    a->n_captures = a->n_damage_rects = a->n_bytes_scanned = a->capture_us = 0;
    a->next_stats = now + 10000;
}

static void capture_window_timed(struct agent *a, struct agent_win *w);

static void capture_window(struct agent *a, struct agent_win *w)
{
    uint64_t t0 = now_us();
    uint64_t rects_before = a->n_damage_rects;
    capture_window_timed(a, w);
    a->capture_us += now_us() - t0;
    /* Content that changes keeps the window on the fast period. */
    if (a->n_damage_rects != rects_before)
        w->active_until = GetTickCount64() + AGENT_ACTIVE_MS;
}

static void capture_window_timed(struct agent *a, struct agent_win *w)
{
    struct capture *c = a->cap;
    if (ensure_dib(c, (int)w->width, (int)w->height) != 0) {
        fen_log(WARN, "window %u: cannot allocate a %ux%u capture buffer", w->id, w->width,
                w->height);
        return;
    }
    HDC wdc = GetWindowDC(w->hwnd);
    if (!wdc)
        return;
    BOOL ok = BitBlt(c->mem_dc, 0, 0, (int)w->width, (int)w->height, wdc, 0, 0, SRCCOPY);
    ReleaseDC(w->hwnd, wdc);
    GdiFlush();
    if (!ok)
        return;
    a->n_captures++;
    const uint8_t *src = c->bits;
    uint8_t *dst = w->share->ptr;
    size_t stride = w->stride;
    struct damage d = {.count = 0};
    if (w->full_damage) {
        memcpy(dst, src, stride * w->height);
        w->full_damage = false;
        add_damage(a, w, &d, (struct fen_rect){0, 0, w->width, w->height});
        flush_damage(a, w, &d);
        return;
    }
    a->n_bytes_scanned += (uint64_t)stride * w->height;
    for (uint32_t y0 = 0; y0 < w->height; y0 += TILE) {
        uint32_t th = w->height - y0 < TILE ? w->height - y0 : TILE;
        uint32_t run_x = 0, run_w = 0;
        for (uint32_t x0 = 0; x0 < w->width; x0 += TILE) {
            uint32_t tw = w->width - x0 < TILE ? w->width - x0 : TILE;
            if (tile_differs(src, dst, stride, x0, y0, tw, th)) {
                copy_tile(src, dst, stride, x0, y0, tw, th);
                if (run_w == 0)
                    run_x = x0;
                run_w += tw;
                continue;
            }
            if (run_w > 0)
                add_damage(a, w, &d, (struct fen_rect){(int32_t)run_x, (int32_t)y0, run_w, th});
            run_w = 0;
        }
        if (run_w > 0)
            add_damage(a, w, &d, (struct fen_rect){(int32_t)run_x, (int32_t)y0, run_w, th});
    }
    flush_damage(a, w, &d);
}

DWORD capture_tick(struct agent *a)
{
    DWORD wait = a->cfg->idle_ms;
    if (!a->gui.ready)
        return wait;
    ULONGLONG now = GetTickCount64();
    struct capture *c = a->cap;
    if (c->dxgi && now >= c->dxgi_next) {
        char why[160];
        if (dxgi_cap_poll(c->dxgi, a, why, sizeof why) != 0) {
            fen_log(WARN, "DXGI desktop duplication failed (%s): using GDI capture", why);
            dxgi_cap_destroy(c->dxgi);
            c->dxgi = NULL;
        }
        c->dxgi_next = now + a->cfg->interval_ms;
    }
    /* Windows may disappear while we sync them: walk ids, not pointers. */
    uint32_t ids[FEN_MAX_WINDOWS_PER_QUBE];
    size_t n = a->nwins;
    for (size_t i = 0; i < n; i++)
        ids[i] = a->wins[i]->id;
    for (size_t i = 0; i < n && a->gui.ready; i++) {
        struct agent_win *w = wintrack_find_id(a, ids[i]);
        if (!w || w->next_capture > now)
            continue;
        /* Catch visibility/geometry/title changes whose events were missed. */
        wintrack_sync(a, w->hwnd);
        w = wintrack_find_id(a, ids[i]);
        if (!w || !a->gui.ready)
            continue;
        bool by_dxgi = c->dxgi && dxgi_cap_covers(c->dxgi, w);
        if (by_dxgi != w->by_dxgi) {
            w->by_dxgi = by_dxgi; /* the other path starts from a full copy */
            w->full_damage = true;
        }
        if (w->mapped && w->share && !by_dxgi)
            capture_window(a, w);
        unsigned period = now < w->active_until ? a->cfg->interval_ms : a->cfg->idle_ms;
        w->next_capture = now + period;
    }
    if (c->dxgi && a->nwins > 0)
        wait = c->dxgi_next > now ? (DWORD)(c->dxgi_next - now) : 0;
    for (size_t i = 0; i < a->nwins; i++) {
        struct agent_win *w = a->wins[i];
        ULONGLONG due = w->next_capture > now ? w->next_capture - now : 0;
        if (due < wait)
            wait = (DWORD)due;
    }
    return wait;
}
