/* Pixels, copy mode: the pool's memfd is attached to the guest X server once
 * (MIT-SHM, xcb_shm_attach_fd), so xcb_shm_get_image from a window's named
 * composite pixmap writes straight into the pages dom0 maps.  When a share
 * is not one contiguous run of the pool (or on Xen, where grant pages are not
 * in a file), rectangles go through a scratch segment and one memcpy.
 *
 * Driver mode (zero copy): the window pixmap already lives in the driver's
 * pool; only its page refs and damage rectangles are sent. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xcb/composite.h>

#include "agent.h"
#include "fenestra/log.h"
#include "fenestra/pages.h"
#include "driver_mode.h"

#define SCRATCH_BYTES (16u * 1024u * 1024u)

static uint32_t clamp_dim(uint32_t v, uint32_t max)
{
    if (v < 1)
        return 1;
    return v > max ? max : v;
}

static uint32_t win_width(const struct agent_window *w)
{
    return clamp_dim(w->w, FEN_MAX_WINDOW_WIDTH);
}

static uint32_t win_height(const struct agent_window *w)
{
    return clamp_dim(w->h, FEN_MAX_WINDOW_HEIGHT);
}

static xcb_shm_seg_t attach_fd(struct agent *a, int fd)
{
    int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0)
        return 0;
    xcb_shm_seg_t seg = xcb_generate_id(a->conn);
    /* xcb closes dupfd once sent. */
    xcb_generic_error_t *e = xcb_request_check(a->conn, xcb_shm_attach_fd_checked(a->conn, seg, dupfd, 0));
    if (e) {
        fen_log(ERROR, "MIT-SHM attach of fd failed (X error %u)", e->error_code);
        free(e);
        return 0;
    }
    return seg;
}

int pix_init(struct agent *a, size_t pool_pages)
{
    xcb_shm_query_version_reply_t *v =
        xcb_shm_query_version_reply(a->conn, xcb_shm_query_version(a->conn), NULL);
    bool fd_ok = v && (v->major_version > 1 || (v->major_version == 1 && v->minor_version >= 2));
    free(v);
    if (!fd_ok) {
        fen_log(ERROR, "the X server lacks MIT-SHM 1.2 (fd passing)");
        return -1;
    }
    a->pool = fen_pool_create(a->spec, pool_pages);
    if (!a->pool) {
        fen_log_errno(ERROR, "cannot create a page pool of %zu pages for %s", pool_pages, a->spec);
        return -1;
    }
    int pfd = fen_pool_fd(a->pool);
    if (pfd >= 0 && !(a->pool_seg = attach_fd(a, pfd)))
        return -1;

    a->scratch_fd = memfd_create("gui-agent-scratch", MFD_CLOEXEC);
    if (a->scratch_fd < 0 || ftruncate(a->scratch_fd, SCRATCH_BYTES) < 0) {
        fen_log_errno(ERROR, "scratch memfd");
        return -1;
    }
    a->scratch = mmap(NULL, SCRATCH_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, a->scratch_fd, 0);
    if (a->scratch == MAP_FAILED) {
        a->scratch = NULL;
        fen_log_errno(ERROR, "mmap scratch");
        return -1;
    }
    a->scratch_size = SCRATCH_BYTES;
    if (!(a->scratch_seg = attach_fd(a, a->scratch_fd)))
        return -1;

    a->drv = drv_mode_open(a->conn, a->local ? DRV_CHAN_LOCAL : a->xen ? DRV_CHAN_XEN : DRV_CHAN_OTHER);
    fen_log(INFO, "pixel mode: %s (pool of %zu pages%s)",
            a->drv ? "driver (zero copy) with MIT-SHM copy fallback" : "MIT-SHM copy", pool_pages,
            a->pool_seg ? ", attached to the X server" : ", staged copies");
    return 0;
}

void pix_fini(struct agent *a)
{
    drv_mode_close(a->drv);
    a->drv = NULL;
    if (a->conn && a->pool_seg)
        xcb_shm_detach(a->conn, a->pool_seg);
    if (a->conn && a->scratch_seg)
        xcb_shm_detach(a->conn, a->scratch_seg);
    fen_pool_destroy(a->pool);
    a->pool = NULL;
    if (a->scratch)
        munmap(a->scratch, a->scratch_size);
    if (a->scratch_fd >= 0)
        close(a->scratch_fd);
    a->scratch = NULL;
    a->scratch_fd = -1;
}

int pix_announce(struct agent *a)
{
    if (fen_pool_announce(a->pool, a->chan) < 0) {
        fen_log_errno(WARN, "announcing the page pool failed");
        return -1;
    }
    if (a->drv && drv_mode_pool(a->drv) && fen_pool_announce(drv_mode_pool(a->drv), a->chan) < 0) {
        fen_log_errno(WARN, "announcing the driver's pool failed");
        return -1;
    }
    return 0;
}

static void free_pixmap(struct agent *a, struct agent_window *w)
{
    if (w->pixmap)
        xcb_free_pixmap(a->conn, w->pixmap);
    w->pixmap = 0;
}

void pix_free_old_shares(struct agent *a, struct agent_window *w)
{
    while (w->old) {
        struct old_share *o = w->old;
        w->old = o->next;
        fen_pool_unshare(a->pool, o->share);
        free(o);
    }
}

/* Keep the current share until dom0 acknowledges a dump >= until_serial. */
static void retire_share(struct agent *a, struct agent_window *w, uint32_t until_serial)
{
    if (!w->share)
        return;
    struct old_share *o = malloc(sizeof *o);
    if (!o) {
        /* Cannot track it: leaking pages is safer than freeing mapped ones. */
        fen_log(WARN, "window 0x%x: out of memory, leaking a share", w->id);
    } else {
        *o = (struct old_share){.share = w->share, .until_serial = until_serial, .next = w->old};
        w->old = o;
    }
    w->share = NULL;
}

static void send_dump(struct agent *a, struct agent_window *w, const struct fen_msg_window_dump *d,
                      const uint32_t *refs)
{
    conn_send2(a, FEN_MSG_WINDOW_DUMP, w->id, d, sizeof *d, refs, d->num_refs * 4u);
    w->dump_sent = true;
}

static bool try_driver_pages(struct agent *a, struct agent_window *w)
{
    struct fen_msg_window_dump d = {.serial = w->serial + 1}; /* driver_mode reads it */
    uint32_t *refs = NULL;
    /* Only raw-damage windows: with a subtract, a draw landing between the
     * damage event and the subtract would never reach dom0, which reads the
     * pages without a copy to order it after the subtract. */
    if (!a->drv || !w->dmg_raw || drv_mode_window_pages(a->drv, w->id, &d, &refs) < 0)
        return false;
    free_pixmap(a, w);
    d.serial = w->serial + 1;
    w->serial = d.serial;
    /* The copy-mode share (if any) goes once dom0 acknowledges this dump. */
    retire_share(a, w, d.serial);
    w->driver_pages = true;
    send_dump(a, w, &d, refs);
    free(refs);
    return true;
}

/* Name the window's current composite pixmap (it changes on every resize
 * and map). */
static bool name_pixmap(struct agent *a, struct agent_window *w)
{
    free_pixmap(a, w);
    xcb_pixmap_t pix = xcb_generate_id(a->conn);
    xcb_generic_error_t *e =
        xcb_request_check(a->conn, xcb_composite_name_window_pixmap_checked(a->conn, w->id, pix));
    if (e) {
        fen_log(DEBUG, "window 0x%x: no composite pixmap (X error %u)", w->id, e->error_code);
        free(e);
        return false;
    }
    w->pixmap = pix;
    w->pix_w = w->w;
    w->pix_h = w->h;
    return true;
}

void pix_window_mapped(struct agent *a, struct agent_window *w)
{
    if (!a->ready || !w->mapped)
        return;
    w->driver_pages = false;
    if (try_driver_pages(a, w)) {
        dmg_add_full(&w->acc);
        return;
    }
    if (w->depth != 24 && w->depth != 32) {
        fen_log(WARN, "window 0x%x: depth %u not supported, no pixels", w->id, w->depth);
        return;
    }
    if (!name_pixmap(a, w))
        return;
    uint32_t W = win_width(w), H = win_height(w), stride = W * FEN_BYTES_PER_PIXEL;
    size_t pages = ((size_t)stride * H + FEN_PAGE_SIZE - 1) / FEN_PAGE_SIZE;
    uint32_t serial = w->serial + 1;
    if (!w->share || w->share_w != W || w->share_h != H) {
        retire_share(a, w, serial);
        w->share = fen_pool_share(a->pool, pages);
        if (!w->share) {
            fen_log_errno(WARN, "window 0x%x: no room for %zu pages (%ux%u)", w->id, pages, W, H);
            return;
        }
        w->share_w = W;
        w->share_h = H;
        w->share_contig = a->pool_seg != 0;
        for (size_t i = 1; i < pages && w->share_contig; i++)
            if (w->share->refs[i] != w->share->refs[0] + i)
                w->share_contig = false;
    }
    struct fen_msg_window_dump d = {
        .kind = a->xen ? FEN_DUMP_XEN_GRANT : FEN_DUMP_LOCAL_POOL,
        .width = W,
        .height = H,
        .stride = stride,
        .offset = 0,
        .format = w->depth == 32 ? FEN_FORMAT_ARGB8888 : FEN_FORMAT_XRGB8888,
        .serial = serial,
        .pool_id = a->xen ? 0 : fen_pool_id(a->pool),
        .num_refs = (uint32_t)pages,
    };
    w->serial = serial;
    send_dump(a, w, &d, w->share->refs);
    dmg_add_full(&w->acc);
}

void pix_window_unmapped(struct agent *a, struct agent_window *w)
{
    free_pixmap(a, w);
    dmg_reset(&w->acc);
}

void pix_window_destroyed(struct agent *a, struct agent_window *w)
{
    free_pixmap(a, w);
    pix_free_old_shares(a, w);
    fen_pool_unshare(a->pool, w->share);
    w->share = NULL;
    if (a->drv)
        drv_mode_forget(a->drv, w->id);
}

void pix_dump_ack(struct agent *a, struct agent_window *w, uint32_t serial)
{
    for (struct old_share **p = &w->old; *p;) {
        struct old_share *o = *p;
        if ((int32_t)(o->until_serial - serial) <= 0) {
            *p = o->next;
            fen_pool_unshare(a->pool, o->share);
            free(o);
        } else {
            p = &o->next;
        }
    }
    if (a->drv)
        drv_mode_ack(a->drv, w->id, serial);
}

/* ---- damage: copy, then tell dom0 --------------------------------------- */

struct copy_op {
    xcb_shm_get_image_cookie_t cookie;
    struct agent_window *w;
    struct fen_rect r;     /* what the op copies, window coordinates */
    bool staged;
    uint32_t scratch_off;
};

struct copy_batch {
    struct copy_op *ops;
    size_t n, cap;
    uint32_t scratch_used;
    bool failed_any;
};

/* Wait for every outstanding get_image; move staged pixels into place. */
static void batch_drain(struct agent *a, struct copy_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct copy_op *op = &b->ops[i];
        xcb_generic_error_t *e = NULL;
        xcb_shm_get_image_reply_t *r = xcb_shm_get_image_reply(a->conn, op->cookie, &e);
        if (!r) {
            fen_log(DEBUG, "window 0x%x: get_image failed (X error %u)", op->w->id,
                    e ? e->error_code : 0);
            free(e);
            b->failed_any = true;
            continue;
        }
        free(r);
        if (!op->staged)
            continue;
        struct agent_window *w = op->w;
        uint32_t stride = w->share_w * FEN_BYTES_PER_PIXEL, row = op->r.w * FEN_BYTES_PER_PIXEL;
        uint8_t *dst = (uint8_t *)w->share->ptr + (size_t)op->r.y * stride +
                       (size_t)op->r.x * FEN_BYTES_PER_PIXEL;
        const uint8_t *src = a->scratch + op->scratch_off;
        for (uint32_t y = 0; y < op->r.h; y++)
            memcpy(dst + (size_t)y * stride, src + (size_t)y * row, row);
    }
    b->n = 0;
    b->scratch_used = 0;
}

static bool batch_push(struct copy_batch *b, const struct copy_op *op)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct copy_op *grown = realloc(b->ops, cap * sizeof *grown);
        if (!grown)
            return false;
        b->ops = grown;
        b->cap = cap;
    }
    b->ops[b->n++] = *op;
    return true;
}

static void copy_direct(struct agent *a, struct copy_batch *b, struct agent_window *w,
                        const struct fen_rect *r)
{
    /* Whole rows: shm writes rows tightly packed, which matches the share's
     * stride only for full-width images. */
    uint32_t stride = w->share_w * FEN_BYTES_PER_PIXEL;
    uint32_t off = w->share->refs[0] * FEN_PAGE_SIZE + (uint32_t)r->y * stride;
    struct copy_op op = {.w = w, .r = {0, r->y, w->share_w, r->h}};
    op.cookie = xcb_shm_get_image(a->conn, w->pixmap, (int16_t)w->bw, (int16_t)(w->bw + r->y),
                                  (uint16_t)w->share_w, (uint16_t)r->h, UINT32_MAX,
                                  XCB_IMAGE_FORMAT_Z_PIXMAP, a->pool_seg, off);
    if (!batch_push(b, &op))
        batch_drain(a, b);
}

static void copy_staged(struct agent *a, struct copy_batch *b, struct agent_window *w,
                        const struct fen_rect *r)
{
    uint32_t row = r->w * FEN_BYTES_PER_PIXEL;
    uint32_t band = (uint32_t)(a->scratch_size / row); /* rows per scratch fill, >= 8 */
    for (uint32_t y = 0; y < r->h; y += band) {
        uint32_t h = r->h - y < band ? r->h - y : band;
        uint32_t bytes = h * row;
        if (b->scratch_used + bytes > a->scratch_size)
            batch_drain(a, b);
        struct copy_op op = {.w = w, .r = {r->x, r->y + (int32_t)y, r->w, h}, .staged = true,
                             .scratch_off = b->scratch_used};
        op.cookie = xcb_shm_get_image(a->conn, w->pixmap, (int16_t)(w->bw + r->x),
                                      (int16_t)(w->bw + op.r.y), (uint16_t)r->w, (uint16_t)h,
                                      UINT32_MAX, XCB_IMAGE_FORMAT_Z_PIXMAP, a->scratch_seg,
                                      op.scratch_off);
        b->scratch_used += (bytes + 63u) & ~63u;
        if (!batch_push(b, &op))
            batch_drain(a, b);
    }
}

struct pending_damage {
    struct agent_window *w;
    uint32_t n;
    struct fen_rect rects[FEN_MAX_DAMAGE_RECTS];
};

static void send_damage(struct agent *a, struct agent_window *w, const struct fen_rect *rects,
                        uint32_t n)
{
    struct fen_msg_damage d = {.count = n};
    conn_send2(a, FEN_MSG_DAMAGE, w->id, &d, sizeof d, rects, n * (uint32_t)sizeof *rects);
}

static void send_frame_marks(struct agent *a);

void pix_flush_damage(struct agent *a)
{
    /* Re-arm XDamage for every window that reported: with delta rectangles
     * the server only reports areas not yet in its damage region.  The
     * subtract comes before the copies, so drawing after it reports again.
     * Raw-rectangle windows (driver mode, see win_add) have nothing to
     * re-arm: every drawing is reported, after it was executed. */
    for (uint32_t i = 0; i < a->nwin; i++) {
        struct agent_window *w = a->win[i];
        if (w->dmg_seen && !w->dmg_raw)
            xcb_damage_subtract(a->conn, w->damage, XCB_NONE, XCB_NONE);
        w->dmg_seen = false;
    }
    if (!a->ready)
        return;
    /* dom0 is not reading right now (the queue to it is not empty, e.g.
     * guid holds reads while its paints wait): keep merging the damage per
     * window and send it, copied or not, once the queue drained, instead of
     * growing the queue by one DAMAGE per loop iteration.  Flush first:
     * what this iteration queued usually goes at once.  Still pending, the
     * main loop polls for POLLOUT and comes back here when dom0 reads. */
    conn_flush(a);
    if (!a->ready || conn_wants_write(a))
        return;

    struct pending_damage *pend = NULL;
    uint32_t npend = 0;
    struct copy_batch batch = {0};
    for (uint32_t i = 0; i < a->nwin; i++) {
        struct agent_window *w = a->win[i];
        if (!w->mapped || !dmg_pending(&w->acc))
            continue;
        if (!w->driver_pages && (!w->share || !w->pixmap || w->pix_w != w->w || w->pix_h != w->h)) {
            dmg_reset(&w->acc);
            continue;
        }
        struct pending_damage *grown = realloc(pend, (npend + 1) * sizeof *pend);
        if (!grown)
            break;
        pend = grown;
        struct pending_damage *p = &pend[npend++];
        p->w = w;
        p->n = dmg_take(&w->acc, w->driver_pages ? win_width(w) : w->share_w,
                        w->driver_pages ? win_height(w) : w->share_h, p->rects,
                        FEN_MAX_DAMAGE_RECTS);
        if (w->driver_pages)
            continue;
        for (uint32_t k = 0; k < p->n; k++) {
            const struct fen_rect *r = &p->rects[k];
            bool narrow = (uint64_t)r->w * 2 < w->share_w;
            if (w->share_contig && !narrow)
                copy_direct(a, &batch, w, r);
            else
                copy_staged(a, &batch, w, r);
        }
    }
    batch_drain(a, &batch);
    free(batch.ops);
    for (uint32_t i = 0; i < npend; i++)
        if (pend[i].n > 0)
            send_damage(a, pend[i].w, pend[i].rects, pend[i].n);
    free(pend);
    send_frame_marks(a);
}

/* After the damage: a window's mark tells dom0 its frame is complete. */
static void send_frame_marks(struct agent *a)
{
    for (uint32_t i = 0; i < a->nwin && a->ready; i++) {
        struct agent_window *w = a->win[i];
        if (!w->mark_pending)
            continue;
        w->mark_pending = false;
        struct fen_msg_frame m = {.serial = w->mark_serial};
        conn_send(a, FEN_MSG_FRAME_MARK, w->id, &m, sizeof m);
    }
}

void pix_frame_put(struct agent *a, xcb_window_t xid, uint32_t serial)
{
    struct agent_window *w = win_find(a, xid);
    if (a->pacing && w && w->mapped && w->announced && w->driver_pages && w->dump_sent) {
        w->mark_pending = true; /* a newer frame replaces an unsent mark */
        w->mark_serial = serial;
        return;
    }
    drv_mode_frame_shown(a->drv, xid, serial); /* dom0 does not read this window */
}
