/* driver_dump.h: from the pages the fenestra driver reports for a window to
 * the WINDOW_DUMP message.  The X server is the guest's own, but its replies
 * are still checked: a bad one must not make the agent send dom0 refs
 * outside the pixmap. */
#include "driver_dump.h"

#include <stdlib.h>
#include <string.h>

#include "xf86-video-fenestra/fenext_proto.h"

int drv_dump_build(const struct fenext_window_pages *p, uint32_t pool_pages,
                   struct fen_msg_window_dump *dump, uint32_t **refs)
{
    *refs = NULL;
    uint64_t bw = p->border_width;
    if (!p->shared || (p->depth != 24 && p->depth != 32))
        return -1;
    if (p->width <= 2 * bw || p->height <= 2 * bw)
        return -1;
    uint64_t width = p->width - 2 * bw, height = p->height - 2 * bw;
    if (width > FEN_MAX_WINDOW_WIDTH || height > FEN_MAX_WINDOW_HEIGHT)
        return -1;
    if ((uint64_t)p->stride < (uint64_t)p->width * 4 || p->stride % 4 || p->stride > FEN_MAX_STRIDE)
        return -1;
    if ((uint64_t)p->stride * p->height > (uint64_t)p->npages * FENEXT_PAGE_SIZE)
        return -1;
    if (!p->grefs && (uint64_t)p->first_page + p->npages > pool_pages)
        return -1;
    uint64_t skip = bw * p->stride + bw * 4; /* content origin inside the pixmap */
    uint64_t offset = skip % FENEXT_PAGE_SIZE, first = skip / FENEXT_PAGE_SIZE;
    uint64_t num_refs = (offset + (uint64_t)p->stride * height + FENEXT_PAGE_SIZE - 1) /
                        FENEXT_PAGE_SIZE;
    if (first + num_refs > p->npages)
        return -1;
    uint32_t *r = malloc(num_refs * sizeof *r);
    if (!r)
        return -1;
    for (uint64_t i = 0; i < num_refs; i++)
        r[i] = p->grefs ? p->grefs[first + i] : p->first_page + (uint32_t)(first + i);

    uint32_t serial = dump->serial;
    memset(dump, 0, sizeof *dump);
    dump->serial = serial;
    dump->kind = p->grefs ? FEN_DUMP_XEN_GRANT : FEN_DUMP_LOCAL_POOL;
    dump->width = (uint32_t)width;
    dump->height = (uint32_t)height;
    dump->stride = p->stride;
    dump->offset = (uint32_t)offset;
    dump->format = p->depth == 32 ? FEN_FORMAT_ARGB8888 : FEN_FORMAT_XRGB8888;
    dump->pool_id = p->grefs ? 0 : DRV_POOL_ID;
    dump->num_refs = (uint32_t)num_refs;
    *refs = r;
    return 0;
}
