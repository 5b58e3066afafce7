/* A first-fit allocator of runs of consecutive pages (indices only; it
 * touches no memory).  Used by the Xorg driver for its pixmap pool; pure C
 * with no server dependency so it is unit-tested on its own. */
#ifndef FEN_PAGEALLOC_H
#define FEN_PAGEALLOC_H

#include <stdint.h>

struct fen_pagealloc;

/* npages: 1..2^31.  NULL when out of memory or npages is out of range. */
struct fen_pagealloc *fen_pagealloc_create(uint32_t npages);
void fen_pagealloc_destroy(struct fen_pagealloc *pa); /* accepts NULL */

/* First page of a run of n free pages, now allocated; -1 when n is 0 or no
 * run is long enough. */
int64_t fen_pagealloc_alloc(struct fen_pagealloc *pa, uint32_t n);

/* Return a run.  0, or -1 (nothing changed) when the run is out of range or
 * not entirely allocated. */
int fen_pagealloc_free(struct fen_pagealloc *pa, uint32_t first, uint32_t n);

uint32_t fen_pagealloc_free_pages(const struct fen_pagealloc *pa);
uint32_t fen_pagealloc_npages(const struct fen_pagealloc *pa);

#endif
