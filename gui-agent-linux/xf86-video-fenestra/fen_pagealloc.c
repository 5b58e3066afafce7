/* First-fit run allocator over a bitmap (1 = allocated).  Whole allocated
 * words are skipped 64 pages at a time; a hint remembers where the last
 * allocation ended so that the common case does not rescan the full pool. */
#include "fen_pagealloc.h"

#include <stdlib.h>

struct fen_pagealloc {
    uint32_t npages;
    uint32_t free_pages;
    uint32_t hint;
    uint64_t *bits;
};

static int page_used(const struct fen_pagealloc *pa, uint32_t p)
{
    return (int)((pa->bits[p / 64] >> (p % 64)) & 1u);
}

static void mark(struct fen_pagealloc *pa, uint32_t first, uint32_t n, int used)
{
    for (uint32_t p = first; p < first + n; p++) {
        uint64_t bit = (uint64_t)1 << (p % 64);
        if (used)
            pa->bits[p / 64] |= bit;
        else
            pa->bits[p / 64] &= ~bit;
    }
}

struct fen_pagealloc *fen_pagealloc_create(uint32_t npages)
{
    if (npages == 0 || npages > (1u << 31))
        return NULL;
    struct fen_pagealloc *pa = calloc(1, sizeof *pa);
    if (!pa)
        return NULL;
    pa->bits = calloc((npages + 63) / 64, sizeof *pa->bits);
    if (!pa->bits) {
        free(pa);
        return NULL;
    }
    pa->npages = npages;
    pa->free_pages = npages;
    return pa;
}

void fen_pagealloc_destroy(struct fen_pagealloc *pa)
{
    if (!pa)
        return;
    free(pa->bits);
    free(pa);
}

/* First run of n free pages in [from, to), or -1. */
static int64_t find_run(const struct fen_pagealloc *pa, uint32_t from, uint32_t to, uint32_t n)
{
    uint32_t run_start = from, run_len = 0;
    uint32_t p = from;
    while (p < to) {
        if (p % 64 == 0 && pa->bits[p / 64] == UINT64_MAX) {
            p += 64;
            run_len = 0;
            run_start = p;
            continue;
        }
        if (page_used(pa, p)) {
            run_len = 0;
            run_start = p + 1;
        } else if (++run_len == n) {
            return run_start;
        }
        p++;
    }
    return -1;
}

int64_t fen_pagealloc_alloc(struct fen_pagealloc *pa, uint32_t n)
{
    if (n == 0 || n > pa->free_pages)
        return -1;
    int64_t first = find_run(pa, pa->hint, pa->npages, n);
    if (first < 0 && pa->hint > 0) {
        /* A run may straddle the hint: scan the head plus n - 1 pages more. */
        uint64_t to = (uint64_t)pa->hint + n - 1;
        first = find_run(pa, 0, to < pa->npages ? (uint32_t)to : pa->npages, n);
    }
    if (first < 0)
        return -1;
    mark(pa, (uint32_t)first, n, 1);
    pa->free_pages -= n;
    pa->hint = (uint32_t)first + n;
    if (pa->hint >= pa->npages)
        pa->hint = 0;
    return first;
}

int fen_pagealloc_free(struct fen_pagealloc *pa, uint32_t first, uint32_t n)
{
    if (n == 0 || first >= pa->npages || n > pa->npages - first)
        return -1;
    for (uint32_t p = first; p < first + n; p++)
        if (!page_used(pa, p))
            return -1;
    mark(pa, first, n, 0);
    pa->free_pages += n;
    return 0;
}

uint32_t fen_pagealloc_free_pages(const struct fen_pagealloc *pa)
{
    return pa->free_pages;
}

uint32_t fen_pagealloc_npages(const struct fen_pagealloc *pa)
{
    return pa->npages;
}
