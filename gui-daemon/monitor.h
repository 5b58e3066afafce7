/* Monitors (RandR 1.5 monitors, or CRTCs, or the whole screen) and the pure
 * geometry guid derives from them: which monitor a window is on, where a
 * window is clamped to, what "cover the monitor" means.  monitor.c is pure
 * (tested with fake monitor lists); monitor_x.c asks the dom0 X server. */
#ifndef GUID_MONITOR_H
#define GUID_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "fenestra/proto.h"

#define GUID_MONITORS_MAX 16

struct guid_monitors {
    size_t n; /* >= 1 once filled: falls back to the whole screen */
    struct fen_rect m[GUID_MONITORS_MAX];
};

/* The monitor a window with outer rect `r` is on: the one sharing the most
 * area with it; when it touches none, the one nearest to its center; ties go
 * to the earlier monitor (RandR lists the primary first).  Returns the index
 * (0 when the list is empty). */
size_t guid_monitor_pick(const struct guid_monitors *mons, const struct fen_rect *r);

/* Clamp an outer rect into monitor `mon`: larger than the monitor -> shrunk
 * to it; then moved so that every pixel (the frame included) is on it. */
struct fen_rect guid_monitor_clamp(const struct fen_rect *mon, const struct fen_rect *r);

/* Fill `out` from the dom0 X server: RandR 1.5 monitors, else active CRTCs,
 * else the root window size.  Always leaves at least one monitor. */
void guid_monitors_query(xcb_connection_t *c, xcb_screen_t *screen, struct guid_monitors *out);

#endif
