/* Desktop damage -> per-window damage (pure: no Windows headers, unit-tested
 * natively by tests/test_dirty_map.c).
 *
 * DXGI desktop duplication reports what changed on one output as dirty
 * rectangles and move rectangles in the output's own coordinates.  The
 * agent needs, for each tracked window, the changed parts of that window in
 * window coordinates, clipped to the window and bounded in number.
 * Coordinates are desktop coordinates (the primary monitor's top-left is
 * 0,0; monitors left of or above it are negative).
 */
#ifndef FEN_WIN_DIRTY_MAP_H
#define FEN_WIN_DIRTY_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "fenestra/proto.h"

/* Most rects kept per window per frame; more are merged (bounding boxes
 * chosen to add the least area), so a flood costs O(1) messages. */
#define DMAP_MAX_RECTS 16u

struct dmap_rect {
    int32_t x, y;
    int32_t w, h; /* <= 0: empty */
};

/* A move: the pixels at (src_x, src_y) moved to dst. */
struct dmap_move {
    int32_t src_x, src_y;
    struct dmap_rect dst;
};

struct dmap_damage {
    uint32_t count;
    struct fen_rect rects[DMAP_MAX_RECTS]; /* window coordinates, inside the window */
};

struct dmap_win {
    struct dmap_rect rect; /* the window, desktop coordinates */
    struct dmap_damage damage;
};

/* A RECT (left, top, right, bottom) relative to an output whose top-left is
 * (origin_x, origin_y) on the desktop; empty when right <= left or bottom <= top. */
struct dmap_rect dmap_from_ltrb(int32_t left, int32_t top, int32_t right, int32_t bottom,
                                int32_t origin_x, int32_t origin_y);

void dmap_reset(struct dmap_damage *d);

/* Add r (desktop coordinates) to the damage of the window at win. */
void dmap_add(struct dmap_damage *d, struct dmap_rect win, struct dmap_rect r);

/* Clear every window's damage, then give each window the parts of the dirty
 * rects and of both sides of each move (its source and its destination)
 * that fall on it.  Overlapping windows each get the overlap. */
void dmap_frame(const struct dmap_rect *dirty, size_t ndirty, const struct dmap_move *moves,
                size_t nmoves, struct dmap_win *wins, size_t nwins);

#endif
