/* Modifier synchronisation: see modsync.h. */
#include "modsync.h"

#include <string.h>

static bool key_down(const uint8_t down[32], uint8_t keycode)
{
    return (down[keycode / 8] >> (keycode % 8)) & 1u;
}

void modsync_map_from_x(struct modsync_map *map, const uint8_t *keycodes, size_t per_mod)
{
    memset(map, 0, sizeof *map);
    for (size_t m = 0; m < MODSYNC_NMODS; m++) {
        size_t kept = 0;
        for (size_t k = 0; k < per_mod && kept < MODSYNC_MAX_PER_MOD; k++) {
            uint8_t kc = keycodes[m * per_mod + k];
            if (kc != 0)
                map->keycodes[m][kept++] = kc;
        }
    }
}

static size_t push(struct modsync_action *out, size_t n, size_t max, uint8_t keycode, bool press)
{
    if (n < max)
        out[n++] = (struct modsync_action){.keycode = keycode, .press = press};
    return n;
}

size_t modsync_plan(uint16_t current, uint16_t wanted, const uint8_t down[32],
                    const struct modsync_map *map, struct modsync_action *out, size_t max)
{
    size_t n = 0;
    for (unsigned m = 0; m < MODSYNC_NMODS; m++) {
        bool have = (current >> m) & 1u, want = (wanted >> m) & 1u;
        if (have == want)
            continue;
        uint8_t first = map->keycodes[m][0];
        if (m == MODSYNC_LOCK_BIT || m == MODSYNC_NUMLOCK_BIT) {
            if (first) {
                n = push(out, n, max, first, true);
                n = push(out, n, max, first, false);
            }
        } else if (want) {
            if (first)
                n = push(out, n, max, first, true);
        } else {
            for (unsigned k = 0; k < MODSYNC_MAX_PER_MOD; k++) {
                uint8_t kc = map->keycodes[m][k];
                if (kc && key_down(down, kc))
                    n = push(out, n, max, kc, false);
            }
        }
    }
    return n;
}

size_t keymap_release_plan(const uint8_t guest[32], const uint8_t dom0[32], uint8_t *out,
                           size_t max)
{
    size_t n = 0;
    for (unsigned kc = 8; kc < 256 && n < max; kc++)
        if (key_down(guest, (uint8_t)kc) && !key_down(dom0, (uint8_t)kc))
            out[n++] = (uint8_t)kc;
    return n;
}
