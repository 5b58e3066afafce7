/* Xen grant-backed window pixmaps (Option "PoolBackend" "xen:DOMID").
 *
 * Each pool pixmap gets its own pages from xengntshr (the gntalloc device):
 * xengntshr can only grant memory it allocated itself, so the pixmap's bits
 * ARE the granted pages and the guest X server draws straight into what dom0
 * maps.  The grants are read-only for the peer (dom0 maps them PROT_READ).
 * Unsharing pages dom0 still maps is safe: the kernel keeps a page whose
 * grant is in use until the peer unmaps it; holds (fenestra_ext.c) still
 * keep a pixmap's grants alive until dom0 acknowledged a newer dump, so the
 * window never shows freed pages.
 *
 * The number of pages gntalloc may hand out is capped by the kernel module's
 * `limit` parameter (/sys/module/xen_gntalloc/parameters/limit, 1024 pages by
 * default: less than one 1080p window); a share that fails leaves that
 * pixmap in ordinary memory and the agent copies that window. */
#include "fenestra.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xengnttab.h>

#include "fenext_proto.h"

struct fen_xen_pool {
    xengntshr_handle *xgs;
    uint32_t domid;
    uint32_t max_pages, shared;
    int scrn_index;
    Bool warned;
};

struct fen_xen_pool *fen_xenpool_open(int scrn_index, uint32_t domid, uint32_t max_pages)
{
    errno = 0;
    xengntshr_handle *xgs = xengntshr_open(NULL, 0);
    if (!xgs) {
        xf86DrvMsg(scrn_index, X_WARNING,
                   "fenestra: PoolBackend xen:%u: cannot open the grant device (%s); window "
                   "pixmaps stay in ordinary memory and the agent copies them\n",
                   domid, errno ? strerror(errno) : "no Xen");
        return NULL;
    }
    struct fen_xen_pool *x = calloc(1, sizeof *x);
    if (!x) {
        xengntshr_close(xgs);
        return NULL;
    }
    *x = (struct fen_xen_pool){.xgs = xgs, .domid = domid, .max_pages = max_pages,
                               .scrn_index = scrn_index};
    return x;
}

void *fen_xenpool_share(struct fen_xen_pool *x, uint32_t npages, uint32_t *refs)
{
    if (npages == 0 || npages > x->max_pages - x->shared || npages > INT32_MAX)
        return NULL;
    errno = 0;
    void *bits = xengntshr_share_pages(x->xgs, x->domid, (int)npages, refs, 0 /* read-only */);
    if (!bits) {
        if (!x->warned)
            xf86DrvMsg(x->scrn_index, X_WARNING,
                       "fenestra: granting %u pages to domain %u failed (%s); such windows are "
                       "copied (raise xen_gntalloc's limit)\n",
                       npages, x->domid, errno ? strerror(errno) : "?");
        x->warned = TRUE;
        return NULL;
    }
    memset(bits, 0, (size_t)npages * FENEXT_PAGE_SIZE); /* no stale pixels, whatever the kernel did */
    x->shared += npages;
    return bits;
}

void fen_xenpool_unshare(struct fen_xen_pool *x, void *bits, uint32_t npages)
{
    xengntshr_unshare(x->xgs, bits, npages);
    x->shared -= npages;
}

void fen_xenpool_close(struct fen_xen_pool *x)
{
    if (!x)
        return;
    xengntshr_close(x->xgs);
    free(x);
}
