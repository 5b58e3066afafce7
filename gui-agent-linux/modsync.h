/* Modifier synchronisation (pure, no X): before injecting a key or button
 * from dom0, the guest's modifier state must equal the `state` dom0 reported
 * for that event.  These functions compute the fake key presses/releases
 * that get there, and which keys to release when dom0's keymap says they are
 * up. */
#ifndef GUI_AGENT_MODSYNC_H
#define GUI_AGENT_MODSYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MODSYNC_NMODS 8u          /* Shift, Lock, Control, Mod1..Mod5 */
#define MODSYNC_MAX_PER_MOD 8u    /* keycodes per modifier kept */
#define MODSYNC_LOCK_BIT 1u       /* LockMask: Caps Lock, a toggle */
#define MODSYNC_NUMLOCK_BIT 4u    /* Mod2Mask: Num Lock on standard layouts, a toggle */

/* The guest's modifier map (from GetModifierMapping): for each modifier, the
 * keycodes that set it (0 = unused slot). */
struct modsync_map {
    uint8_t keycodes[MODSYNC_NMODS][MODSYNC_MAX_PER_MOD];
};

struct modsync_action {
    uint8_t keycode;
    bool press; /* else release */
};

/* Fill `map` from GetModifierMapping's keycode list (8 * per_mod entries). */
void modsync_map_from_x(struct modsync_map *map, const uint8_t *keycodes, size_t per_mod);

/* Actions taking the guest from modifier mask `current` (with keys `down`,
 * a 32-byte keycode bitmap as from QueryKeymap) to `wanted`.  Only the 8
 * modifier bits count.  Held modifiers: press the first keycode / release
 * every down keycode of that modifier.  Lock and Num Lock are toggles:
 * press+release.  Returns the number of actions written (at most max). */
size_t modsync_plan(uint16_t current, uint16_t wanted, const uint8_t down[32],
                    const struct modsync_map *map, struct modsync_action *out, size_t max);

/* Keycodes down in the guest (`guest`) but up in dom0's keymap (`dom0`):
 * they would otherwise stay stuck after focus moved.  Returns the count
 * written to out (at most max). */
size_t keymap_release_plan(const uint8_t guest[32], const uint8_t dom0[32], uint8_t *out,
                           size_t max);

#endif
