/* Xen shared pages: xengntshr (guest shares pages it allocates through the
 * library: xengntshr can only share memory it allocated itself) and
 * xengnttab (dom0 maps a peer's grant refs read-only).  Refs are grant
 * references.  Without Xen, creating a pool or a mapper fails (NULL, errno
 * set) and leaves nothing behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xengnttab.h>

#include "pages_impl.h"

struct xen_pool {
    struct fen_pool base;
    xengntshr_handle *xgs;
    uint32_t domid;
    size_t shared; /* pages currently shared (at most base.npages) */
};

static const struct fen_pool_ops xen_pool_ops;

struct fen_pool *fen_pool_xen_create(int domid, size_t max_pages)
{
    errno = 0;
    xengntshr_handle *xgs = xengntshr_open(NULL, 0);
    if (!xgs) {
        if (errno == 0)
            errno = ENODEV;
        return NULL;
    }
    struct xen_pool *p = calloc(1, sizeof *p);
    if (!p) {
        xengntshr_close(xgs);
        errno = ENOMEM;
        return NULL;
    }
    p->base.ops = &xen_pool_ops;
    p->base.npages = max_pages;
    p->xgs = xgs;
    p->domid = (uint32_t)domid;
    return &p->base;
}

static int xen_pool_fd(const struct fen_pool *pool)
{
    return -1;
}

static int xen_announce(struct fen_pool *pool, struct fen_chan *ch)
{
    return 0; /* grant refs need no announcement */
}

static struct fen_share *xen_share(struct fen_pool *pool, size_t npages)
{
    struct xen_pool *p = (struct xen_pool *)pool;
    if (npages > p->base.npages - p->shared || npages > (size_t)INT32_MAX) {
        errno = ENOMEM;
        return NULL;
    }
    struct fen_share *s = calloc(1, sizeof *s);
    uint32_t *refs = calloc(npages, sizeof *refs);
    void *ptr = NULL;
    if (s && refs)
        ptr = xengntshr_share_pages(p->xgs, p->domid, (int)npages, refs, 0);
    if (!ptr) {
        int e = errno ? errno : ENOMEM;
        free(refs);
        free(s);
        errno = e;
        return NULL;
    }
    memset(ptr, 0, npages * FEN_PAGE_SIZE);
    p->shared += npages;
    *s = (struct fen_share){.ptr = ptr, .npages = npages, .refs = refs};
    return s;
}

static void xen_unshare(struct fen_pool *pool, struct fen_share *share)
{
    struct xen_pool *p = (struct xen_pool *)pool;
    xengntshr_unshare(p->xgs, share->ptr, (uint32_t)share->npages);
    p->shared -= share->npages;
    free(share->refs);
    free(share);
}

static void xen_pool_destroy(struct fen_pool *pool)
{
    struct xen_pool *p = (struct xen_pool *)pool;
    xengntshr_close(p->xgs);
    free(p);
}

static const struct fen_pool_ops xen_pool_ops = {
    .fd = xen_pool_fd,
    .announce = xen_announce,
    .share = xen_share,
    .unshare = xen_unshare,
    .destroy = xen_pool_destroy,
};

/* ---- dom0 side --------------------------------------------------------- */

struct xen_mapper {
    struct fen_mapper base;
    xengnttab_handle *xgt;
    uint32_t domid;
};

static const struct fen_mapper_ops xen_mapper_ops;

struct fen_mapper *fen_mapper_xen_create(int domid)
{
    errno = 0;
    xengnttab_handle *xgt = xengnttab_open(NULL, 0);
    if (!xgt) {
        if (errno == 0)
            errno = ENODEV;
        return NULL;
    }
    struct xen_mapper *m = calloc(1, sizeof *m);
    if (!m) {
        xengnttab_close(xgt);
        errno = ENOMEM;
        return NULL;
    }
    m->base.ops = &xen_mapper_ops;
    m->xgt = xgt;
    m->domid = (uint32_t)domid;
    return &m->base;
}

static enum fen_err xen_set_pool(struct fen_mapper *m, uint32_t pool_id, int fd, uint32_t npages,
                                 struct fen_error *err)
{
    if (fd >= 0)
        close(fd);
    return fen_fail(err, FEN_E_STATE, "POOL: the xen backend shares grant refs, not pools");
}

static struct fen_mapping *xen_map(struct fen_mapper *base, uint32_t pool_id, const uint32_t *refs,
                                   size_t n, struct fen_error *err)
{
    struct xen_mapper *m = (struct xen_mapper *)base;
    if (pool_id != 0) {
        fen_fail(err, FEN_E_RANGE, "map: xen grants have no pool %u", pool_id);
        errno = EINVAL;
        return NULL;
    }
    struct fen_mapping *map = calloc(1, sizeof *map);
    uint32_t *copy = malloc(n * sizeof *copy); /* the library wants a mutable array */
    void *ptr = NULL;
    if (map && copy) {
        memcpy(copy, refs, n * sizeof *copy);
        ptr = xengnttab_map_domain_grant_refs(m->xgt, (uint32_t)n, m->domid, copy, PROT_READ);
    }
    free(copy);
    if (!ptr) {
        int e = errno ? errno : ENOMEM;
        fen_fail(err, FEN_E_STATE, "map: mapping %zu grant refs of domain %u failed: %s", n,
                       m->domid, strerror(e));
        free(map);
        errno = e;
        return NULL;
    }
    *map = (struct fen_mapping){.ptr = ptr, .npages = n, .pool_fd = -1, .pool_offset = 0};
    return map;
}

static void xen_unmap(struct fen_mapper *base, struct fen_mapping *map)
{
    struct xen_mapper *m = (struct xen_mapper *)base;
    xengnttab_unmap(m->xgt, (void *)map->ptr, (uint32_t)map->npages);
    free(map);
}

static void xen_mapper_destroy(struct fen_mapper *base)
{
    struct xen_mapper *m = (struct xen_mapper *)base;
    xengnttab_close(m->xgt);
    free(m);
}

static const struct fen_mapper_ops xen_mapper_ops = {
    .set_pool = xen_set_pool,
    .map = xen_map,
    .unmap = xen_unmap,
    .destroy = xen_mapper_destroy,
};
