/* Damage coalescing (pure, no X): collects the rectangles XDamage reports for
 * one window during an event-loop iteration and merges them into a few boxes,
 * so a flood of tiny rectangles becomes one DAMAGE message of a few rects. */
#ifndef GUI_AGENT_DAMAGE_MERGE_H
#define GUI_AGENT_DAMAGE_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "fenestra/proto.h"

#define DMG_MAX_BOXES 16u

struct dmg_box {
    int32_t x1, y1, x2, y2; /* half-open: [x1,x2) x [y1,y2) */
};

struct dmg_acc {
    uint32_t n;
    bool full; /* the whole window is damaged */
    struct dmg_box box[DMG_MAX_BOXES];
};

void dmg_reset(struct dmg_acc *a);

/* Add a damaged rectangle in window coordinates; clipped to win_w x win_h. */
void dmg_add(struct dmg_acc *a, int32_t x, int32_t y, int32_t w, int32_t h, uint32_t win_w,
             uint32_t win_h);

/* Mark the whole window damaged. */
void dmg_add_full(struct dmg_acc *a);

bool dmg_pending(const struct dmg_acc *a);

/* Move the pending damage out as at most `max` (>= 1) rects clipped to
 * win_w x win_h (each non-empty), and reset.  When the boxes cover most of
 * the window, one full-window rect comes out.  Returns the count. */
uint32_t dmg_take(struct dmg_acc *a, uint32_t win_w, uint32_t win_h, struct fen_rect *out,
                  uint32_t max);

#endif
