/* The pixmap pool.  Composite window pixmaps (CREATE_PIXMAP_USAGE_BACKING_PIXMAP)
 * of 32 bpp are put in it; everything else, and any pixmap that does not fit
 * when the pool is full, stays in ordinary fb memory.  Two backends
 * (Option "PoolBackend"):
 *   local: one sealed memfd (size fixed, F_SEAL_SHRINK|GROW|SEAL), mapped
 *          once for the life of the pool, carved into page runs by
 *          fen_pagealloc; the agent gets the fd and page numbers;
 *   xen:   each pixmap's pages granted to dom0 (fenestra_xenpool.c), at most
 *          PoolMB in all; the agent gets grant refs. */
#include "fenestra.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fb.h"
#include "privates.h"
#include "servermd.h"

#include "fen_pagealloc.h"
#include "fenext_proto.h"

struct fen_drv_pool {
    enum fen_pool_backend backend;
    struct fen_xen_pool *xen; /* FEN_POOL_XEN */
    int fd;                   /* FEN_POOL_LOCAL: the memfd, its mapping, allocator */
    uint8_t *base;
    size_t bytes;
    uint32_t npages;
    uint32_t next_serial;
    int refs; /* 1 for the screen + 1 per live block */
    int scrn_index;
    struct fen_pagealloc *alloc;
};

static DevPrivateKeyRec fen_pixmap_key;

Bool fen_pool_register_keys(void)
{
    return dixRegisterPrivateKey(&fen_pixmap_key, PRIVATE_PIXMAP, 0);
}

static void pool_unref(struct fen_drv_pool *pool)
{
    if (--pool->refs > 0)
        return;
    if (pool->backend == FEN_POOL_XEN) {
        fen_xenpool_close(pool->xen);
    } else {
        munmap(pool->base, pool->bytes);
        close(pool->fd);
        fen_pagealloc_destroy(pool->alloc);
    }
    free(pool);
}

static struct fen_drv_pool *pool_create_xen(int scrn_index, uint32_t mb, uint32_t domid)
{
    struct fen_drv_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->backend = FEN_POOL_XEN;
    pool->fd = -1;
    pool->npages = (uint32_t)(((size_t)mb << 20) / FENEXT_PAGE_SIZE);
    pool->refs = 1;
    pool->scrn_index = scrn_index;
    pool->xen = fen_xenpool_open(scrn_index, domid, pool->npages);
    if (!pool->xen) {
        free(pool);
        return NULL;
    }
    return pool;
}

static struct fen_drv_pool *pool_create(int scrn_index, uint32_t mb)
{
    struct fen_drv_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->backend = FEN_POOL_LOCAL;
    pool->bytes = (size_t)mb << 20;
    pool->npages = (uint32_t)(pool->bytes / FENEXT_PAGE_SIZE);
    pool->refs = 1;
    pool->scrn_index = scrn_index;
    pool->fd = memfd_create("fenestra-pixmaps", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (pool->fd < 0)
        goto fail;
    if (ftruncate(pool->fd, (off_t)pool->bytes) < 0 ||
        fcntl(pool->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
        goto fail_fd;
    pool->base = mmap(NULL, pool->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, pool->fd, 0);
    if (pool->base == MAP_FAILED)
        goto fail_fd;
    pool->alloc = fen_pagealloc_create(pool->npages);
    if (!pool->alloc) {
        munmap(pool->base, pool->bytes);
        goto fail_fd;
    }
    return pool;
fail_fd:
    xf86DrvMsg(scrn_index, X_ERROR, "fenestra: pool setup failed: %s\n", strerror(errno));
    close(pool->fd);
    free(pool);
    return NULL;
fail:
    xf86DrvMsg(scrn_index, X_ERROR, "fenestra: memfd_create failed: %s\n", strerror(errno));
    free(pool);
    return NULL;
}

static struct fen_block *block_alloc(struct fen_drv_pool *pool, size_t bytes)
{
    uint64_t npages = (bytes + FENEXT_PAGE_SIZE - 1) / FENEXT_PAGE_SIZE;
    if (npages == 0 || npages > pool->npages)
        return NULL;
    struct fen_block *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    if (pool->backend == FEN_POOL_XEN) {
        b->grefs = calloc(npages, sizeof *b->grefs);
        b->bits = b->grefs ? fen_xenpool_share(pool->xen, (uint32_t)npages, b->grefs) : NULL;
        if (!b->bits) {
            free(b->grefs);
            free(b);
            return NULL;
        }
    } else {
        int64_t first = fen_pagealloc_alloc(pool->alloc, (uint32_t)npages);
        if (first < 0) {
            free(b);
            return NULL;
        }
        b->first_page = (uint32_t)first;
        b->bits = pool->base + (size_t)first * FENEXT_PAGE_SIZE;
    }
    b->pool = pool;
    b->npages = (uint32_t)npages;
    b->serial = ++pool->next_serial;
    b->refs = 1;
    pool->refs++;
    return b;
}

void fen_block_ref(struct fen_block *b)
{
    b->refs++;
}

void fen_block_unref(struct fen_block *b)
{
    if (--b->refs > 0)
        return;
    struct fen_drv_pool *pool = b->pool;
    if (pool->backend == FEN_POOL_XEN) {
        fen_xenpool_unshare(pool->xen, b->bits, b->npages);
        free(b->grefs);
    } else {
        /* Give the memory back: the pages read as zeros the next time they
         * are handed out, and freed pixels never reach another window. */
        if (fallocate(pool->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                      (off_t)b->first_page * FENEXT_PAGE_SIZE,
                      (off_t)b->npages * FENEXT_PAGE_SIZE) < 0)
            memset(b->bits, 0, (size_t)b->npages * FENEXT_PAGE_SIZE);
        fen_pagealloc_free(pool->alloc, b->first_page, b->npages);
    }
    free(b);
    pool_unref(pool);
}

struct fen_block *fen_pixmap_block(PixmapPtr pixmap)
{
    return dixLookupPrivate(&pixmap->devPrivates, &fen_pixmap_key);
}

int fen_pool_fd(const struct fen_drv_pool *pool)
{
    return pool->fd;
}

uint32_t fen_pool_pages(const struct fen_drv_pool *pool)
{
    return pool->npages;
}

enum fen_pool_backend fen_pool_backend(const struct fen_drv_pool *pool)
{
    return pool->backend;
}

static PixmapPtr fen_create_pixmap(ScreenPtr screen, int w, int h, int depth, unsigned usage)
{
    struct fen_drv *drv = FEN_DRV(xf86ScreenToScrn(screen));
    PixmapPtr pixmap;

    if (usage != CREATE_PIXMAP_USAGE_BACKING_PIXMAP || w <= 0 || h <= 0 ||
        w > 32767 || h > 32767 || BitsPerPixel(depth) != 32 || !drv->pool) {
        screen->CreatePixmap = drv->create_pixmap;
        pixmap = screen->CreatePixmap(screen, w, h, depth, usage);
        screen->CreatePixmap = fen_create_pixmap;
        return pixmap;
    }

    size_t stride = PixmapBytePad(w, depth);
    struct fen_block *b = block_alloc(drv->pool, stride * (size_t)h);
    screen->CreatePixmap = drv->create_pixmap;
    if (!b) {
        /* Pool full: an ordinary pixmap; the agent copies this window. */
        pixmap = screen->CreatePixmap(screen, w, h, depth, usage);
        screen->CreatePixmap = fen_create_pixmap;
        return pixmap;
    }
    pixmap = screen->CreatePixmap(screen, 0, 0, depth, usage);
    screen->CreatePixmap = fen_create_pixmap;
    if (!pixmap) {
        fen_block_unref(b);
        return NULL;
    }
    if (!screen->ModifyPixmapHeader(pixmap, w, h, depth, BitsPerPixel(depth), (int)stride, b->bits)) {
        screen->DestroyPixmap(pixmap);
        fen_block_unref(b);
        return NULL;
    }
    dixSetPrivate(&pixmap->devPrivates, &fen_pixmap_key, b);
    return pixmap;
}

static Bool fen_destroy_pixmap(PixmapPtr pixmap)
{
    ScreenPtr screen = pixmap->drawable.pScreen;
    struct fen_drv *drv = FEN_DRV(xf86ScreenToScrn(screen));
    struct fen_block *b = pixmap->refcnt == 1 ? fen_pixmap_block(pixmap) : NULL;

    screen->DestroyPixmap = drv->destroy_pixmap;
    Bool ret = screen->DestroyPixmap(pixmap);
    drv->destroy_pixmap = screen->DestroyPixmap;
    screen->DestroyPixmap = fen_destroy_pixmap;
    if (b)
        fen_block_unref(b); /* holds taken by the agent keep the pages */
    return ret;
}

Bool fen_pool_screen_init(ScreenPtr screen)
{
    ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
    struct fen_drv *drv = FEN_DRV(scrn);

    switch (drv->pool_backend) {
    case FEN_POOL_LOCAL:
        drv->pool = pool_create(scrn->scrnIndex, drv->pool_mb);
        if (!drv->pool)
            return FALSE;
        xf86DrvMsg(scrn->scrnIndex, X_INFO,
                   "fenestra: window pixmap pool: sealed memfd of %u MB (%u pages)\n",
                   drv->pool_mb, drv->pool->npages);
        break;
    case FEN_POOL_XEN:
        /* Without Xen (or gntalloc) the server still runs: no pool, the
         * agent sees pool_pages 0 and copies (logged by the open). */
        drv->pool = pool_create_xen(scrn->scrnIndex, drv->pool_mb, drv->xen_domid);
        if (drv->pool)
            xf86DrvMsg(scrn->scrnIndex, X_INFO,
                       "fenestra: window pixmaps in pages granted to domain %u (at most %u MB)\n",
                       drv->xen_domid, drv->pool_mb);
        break;
    case FEN_POOL_NONE:
        break;
    }
    drv->create_pixmap = screen->CreatePixmap;
    screen->CreatePixmap = fen_create_pixmap;
    drv->destroy_pixmap = screen->DestroyPixmap;
    screen->DestroyPixmap = fen_destroy_pixmap;
    return TRUE;
}

void fen_pool_screen_close(ScreenPtr screen)
{
    struct fen_drv *drv = FEN_DRV(xf86ScreenToScrn(screen));

    if (screen->CreatePixmap == fen_create_pixmap)
        screen->CreatePixmap = drv->create_pixmap;
    if (screen->DestroyPixmap == fen_destroy_pixmap)
        screen->DestroyPixmap = drv->destroy_pixmap;
    if (drv->pool)
        pool_unref(drv->pool);
    drv->pool = NULL;
}
