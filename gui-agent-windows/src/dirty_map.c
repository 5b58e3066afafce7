/* Desktop damage -> per-window damage; see dirty_map.h. */
#include "dirty_map.h"

#include <stdbool.h>
#include <string.h>

/* Work in int64 so that no sum of two int32 coordinates can overflow. */
struct box {
    int64_t x0, y0, x1, y1; /* half-open */
};

static struct box box_of(struct dmap_rect r)
{
    struct box b = {r.x, r.y, (int64_t)r.x + r.w, (int64_t)r.y + r.h};
    return b;
}

static struct box box_of_fen(const struct fen_rect *r)
{
    struct box b = {r->x, r->y, (int64_t)r->x + r->w, (int64_t)r->y + r->h};
    return b;
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static bool box_empty(struct box b) { return b.x1 <= b.x0 || b.y1 <= b.y0; }
static int64_t box_area(struct box b) { return box_empty(b) ? 0 : (b.x1 - b.x0) * (b.y1 - b.y0); }

static struct box box_union(struct box a, struct box b)
{
    struct box u = {min64(a.x0, b.x0), min64(a.y0, b.y0), max64(a.x1, b.x1), max64(a.y1, b.y1)};
    return u;
}

static bool box_contains(struct box outer, struct box inner)
{
    return outer.x0 <= inner.x0 && outer.y0 <= inner.y0 && outer.x1 >= inner.x1 &&
           outer.y1 >= inner.y1;
}

static struct fen_rect fen_of(struct box b)
{
    struct fen_rect r = {(int32_t)b.x0, (int32_t)b.y0, (uint32_t)(b.x1 - b.x0),
                         (uint32_t)(b.y1 - b.y0)};
    return r;
}

struct dmap_rect dmap_from_ltrb(int32_t left, int32_t top, int32_t right, int32_t bottom,
                                int32_t origin_x, int32_t origin_y)
{
    struct dmap_rect r = {0, 0, 0, 0};
    int64_t w = (int64_t)right - left, h = (int64_t)bottom - top;
    int64_t x = (int64_t)left + origin_x, y = (int64_t)top + origin_y;
    if (w <= 0 || h <= 0 || w > INT32_MAX || h > INT32_MAX || x < INT32_MIN || x > INT32_MAX ||
        y < INT32_MIN || y > INT32_MAX)
        return r;
    r.x = (int32_t)x;
    r.y = (int32_t)y;
    r.w = (int32_t)w;
    r.h = (int32_t)h;
    return r;
}

void dmap_reset(struct dmap_damage *d) { d->count = 0; }

/* Drop every rect except keep that keep contains. */
static void drop_contained(struct dmap_damage *d, uint32_t keep)
{
    struct box k = box_of_fen(&d->rects[keep]);
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->count; i++) {
        if (i != keep && box_contains(k, box_of_fen(&d->rects[i])))
            continue;
        d->rects[n++] = d->rects[i];
    }
    d->count = n;
}

static void add_window_box(struct dmap_damage *d, struct box b)
{
    for (uint32_t i = 0; i < d->count; i++)
        if (box_contains(box_of_fen(&d->rects[i]), b))
            return; /* already damaged */
    if (d->count < DMAP_MAX_RECTS) {
        d->rects[d->count++] = fen_of(b);
        drop_contained(d, d->count - 1);
        return;
    }
    /* Full: of the rects and b, merge the two whose bounding box adds the
     * least area (pairs, not "b into its nearest": that would let one rect
     * grow along a line of small damage until it covers the window). */
    struct box c[DMAP_MAX_RECTS + 1];
    uint32_t n = d->count;
    for (uint32_t i = 0; i < n; i++)
        c[i] = box_of_fen(&d->rects[i]);
    c[n++] = b;
    uint32_t bi = 0, bj = 1;
    int64_t best = INT64_MAX;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++) {
            int64_t cost = box_area(box_union(c[i], c[j])) - box_area(c[i]) - box_area(c[j]);
            if (cost < best) {
                best = cost;
                bi = i;
                bj = j;
            }
        }
    c[bi] = box_union(c[bi], c[bj]);
    c[bj] = c[--n];
    d->count = n;
    for (uint32_t i = 0; i < n; i++)
        d->rects[i] = fen_of(c[i]);
    drop_contained(d, bi < n ? bi : 0);
}

void dmap_add(struct dmap_damage *d, struct dmap_rect win, struct dmap_rect r)
{
    if (win.w <= 0 || win.h <= 0 || r.w <= 0 || r.h <= 0)
        return;
    struct box w = box_of(win), b = box_of(r);
    struct box c = {max64(w.x0, b.x0), max64(w.y0, b.y0), min64(w.x1, b.x1), min64(w.y1, b.y1)};
    if (box_empty(c))
        return;
    /* To window coordinates: 0 <= x < win.w, fits the protocol's rect. */
    c.x0 -= w.x0;
    c.x1 -= w.x0;
    c.y0 -= w.y0;
    c.y1 -= w.y0;
    add_window_box(d, c);
}

void dmap_frame(const struct dmap_rect *dirty, size_t ndirty, const struct dmap_move *moves,
                size_t nmoves, struct dmap_win *wins, size_t nwins)
{
    for (size_t i = 0; i < nwins; i++) {
        struct dmap_win *w = &wins[i];
        dmap_reset(&w->damage);
        for (size_t k = 0; k < nmoves; k++) {
            struct dmap_rect src = {moves[k].src_x, moves[k].src_y, moves[k].dst.w,
                                    moves[k].dst.h};
            dmap_add(&w->damage, w->rect, src);
            dmap_add(&w->damage, w->rect, moves[k].dst);
        }
        for (size_t k = 0; k < ndirty; k++)
            dmap_add(&w->damage, w->rect, dirty[k]);
    }
}
