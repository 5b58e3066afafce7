/* Damage coalescing: see damage_merge.h.  Boxes merge when their union wastes
 * little area (overlapping or nearly adjacent boxes), and when the list is
 * full the cheapest pair merges, so the count stays bounded whatever the
 * client draws. */
#include "damage_merge.h"

#include <string.h>

static uint64_t box_area(const struct dmg_box *b)
{
    return (uint64_t)(b->x2 - b->x1) * (uint64_t)(b->y2 - b->y1);
}

static struct dmg_box box_union(const struct dmg_box *a, const struct dmg_box *b)
{
    struct dmg_box u = {
        .x1 = a->x1 < b->x1 ? a->x1 : b->x1,
        .y1 = a->y1 < b->y1 ? a->y1 : b->y1,
        .x2 = a->x2 > b->x2 ? a->x2 : b->x2,
        .y2 = a->y2 > b->y2 ? a->y2 : b->y2,
    };
    return u;
}

static uint64_t box_overlap(const struct dmg_box *a, const struct dmg_box *b)
{
    int32_t x1 = a->x1 > b->x1 ? a->x1 : b->x1;
    int32_t y1 = a->y1 > b->y1 ? a->y1 : b->y1;
    int32_t x2 = a->x2 < b->x2 ? a->x2 : b->x2;
    int32_t y2 = a->y2 < b->y2 ? a->y2 : b->y2;
    if (x2 <= x1 || y2 <= y1)
        return 0;
    return (uint64_t)(x2 - x1) * (uint64_t)(y2 - y1);
}

static bool box_contains(const struct dmg_box *outer, const struct dmg_box *inner)
{
    return outer->x1 <= inner->x1 && outer->y1 <= inner->y1 && outer->x2 >= inner->x2 &&
           outer->y2 >= inner->y2;
}

/* Area the union of a and b covers that neither a nor b does. */
static uint64_t merge_waste(const struct dmg_box *a, const struct dmg_box *b)
{
    struct dmg_box u = box_union(a, b);
    return box_area(&u) + box_overlap(a, b) - box_area(a) - box_area(b);
}

/* Merging is worth it when it wastes at most a small share of the pair. */
static bool merge_is_cheap(const struct dmg_box *a, const struct dmg_box *b)
{
    uint64_t waste = merge_waste(a, b);
    uint64_t limit = (box_area(a) + box_area(b)) / 4;
    if (limit < 1024)
        limit = 1024;
    return waste <= limit;
}

static void remove_box(struct dmg_acc *a, uint32_t i)
{
    a->box[i] = a->box[a->n - 1];
    a->n--;
}

void dmg_reset(struct dmg_acc *a)
{
    a->n = 0;
    a->full = false;
}

void dmg_add_full(struct dmg_acc *a)
{
    a->n = 0;
    a->full = true;
}

bool dmg_pending(const struct dmg_acc *a)
{
    return a->full || a->n > 0;
}

void dmg_add(struct dmg_acc *a, int32_t x, int32_t y, int32_t w, int32_t h, uint32_t win_w,
             uint32_t win_h)
{
    if (a->full || w <= 0 || h <= 0)
        return;
    int64_t x1 = x, y1 = y, x2 = (int64_t)x + w, y2 = (int64_t)y + h;
    if (x1 < 0)
        x1 = 0;
    if (y1 < 0)
        y1 = 0;
    if (x2 > (int64_t)win_w)
        x2 = win_w;
    if (y2 > (int64_t)win_h)
        y2 = win_h;
    if (x2 <= x1 || y2 <= y1)
        return;
    struct dmg_box b = {(int32_t)x1, (int32_t)y1, (int32_t)x2, (int32_t)y2};

    for (;;) {
        bool merged = false;
        for (uint32_t i = 0; i < a->n; i++) {
            if (box_contains(&a->box[i], &b))
                return;
            if (box_contains(&b, &a->box[i]) || merge_is_cheap(&a->box[i], &b)) {
                b = box_union(&a->box[i], &b);
                remove_box(a, i);
                merged = true;
                break;
            }
        }
        if (merged)
            continue;
        if (a->n < DMG_MAX_BOXES) {
            a->box[a->n++] = b;
            return;
        }
        /* Full: merge b with the box that wastes least, then retry (the union
         * may now swallow or cheaply merge with others). */
        uint32_t best = 0;
        uint64_t best_waste = UINT64_MAX;
        for (uint32_t i = 0; i < a->n; i++) {
            uint64_t wst = merge_waste(&a->box[i], &b);
            if (wst < best_waste) {
                best_waste = wst;
                best = i;
            }
        }
        b = box_union(&a->box[best], &b);
        remove_box(a, best);
    }
}

uint32_t dmg_take(struct dmg_acc *a, uint32_t win_w, uint32_t win_h, struct fen_rect *out,
                  uint32_t max)
{
    uint32_t count = 0;
    if (win_w == 0 || win_h == 0 || max == 0 || !dmg_pending(a)) {
        dmg_reset(a);
        return 0;
    }
    uint64_t covered = 0;
    for (uint32_t i = 0; i < a->n; i++)
        covered += box_area(&a->box[i]);
    uint64_t window = (uint64_t)win_w * win_h;
    if (a->full || a->n > max || covered * 4 >= window * 3) {
        out[0] = (struct fen_rect){0, 0, win_w, win_h};
        dmg_reset(a);
        return 1;
    }
    for (uint32_t i = 0; i < a->n; i++) {
        struct dmg_box b = a->box[i];
        if (b.x2 > (int32_t)win_w)
            b.x2 = (int32_t)win_w;
        if (b.y2 > (int32_t)win_h)
            b.y2 = (int32_t)win_h;
        if (b.x2 <= b.x1 || b.y2 <= b.y1)
            continue;
        out[count++] = (struct fen_rect){b.x1, b.y1, (uint32_t)(b.x2 - b.x1),
                                         (uint32_t)(b.y2 - b.y1)};
    }
    dmg_reset(a);
    return count;
}
