/* The fullscreen banner: a dom0-owned override-redirect window, painted by
 * guid in the qube's label color with the qube's name, stacked above the
 * qube's windows while it is shown.  Guests have no handle on it: they can
 * only draw into their own windows, and every map guid does for a guest
 * restacks the banner on top. */
#ifndef GUID_BANNER_H
#define GUID_BANNER_H

#include <stdbool.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "fenestra/proto.h"

/* Height of the banner; its top and bottom BANNER_EDGE rows are plain label
 * color (tests check those pixels), the text sits between. */
#define GUID_BANNER_HEIGHT 24u
#define GUID_BANNER_EDGE 4u

struct guid_banner;

/* `text` is ASCII (it is made by guid, never by the guest). */
struct guid_banner *guid_banner_create(xcb_connection_t *c, xcb_screen_t *screen,
                                       const char *qube, const char *text, uint32_t label_rgb)
    __attribute__((warn_unused_result));
void guid_banner_destroy(struct guid_banner *b); /* accepts NULL */

/* Show at the top center of `mon` until `until_ms` (CLOCK_MONOTONIC ms). */
void guid_banner_show(struct guid_banner *b, const struct fen_rect *mon, uint64_t until_ms);
void guid_banner_hide(struct guid_banner *b);
bool guid_banner_visible(const struct guid_banner *b);
uint64_t guid_banner_until(const struct guid_banner *b); /* 0 when hidden */
void guid_banner_raise(struct guid_banner *b);
void guid_banner_paint(struct guid_banner *b);
xcb_window_t guid_banner_window(const struct guid_banner *b);

#endif
