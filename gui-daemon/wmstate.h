/* The state the dom0 window manager shows for one of guid's windows, read
 * from its properties (ICCCM WM_STATE, EWMH _NET_WM_STATE), as WM_FLAGS
 * bits.  Pure: no X connection (xinput.c reads the properties). */
#ifndef GUID_WMSTATE_H
#define GUID_WMSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ICCCM WM_STATE.state values. */
#define GUID_ICCCM_WITHDRAWN 0
#define GUID_ICCCM_NORMAL 1
#define GUID_ICCCM_ICONIC 3

/* The _NET_WM_STATE atoms that matter (dom0 X server atoms). */
struct guid_netstate_atoms {
    uint32_t hidden, max_vert, max_horz;
};

struct guid_dom0_wm_state {
    bool has_wm_state;  /* WM_STATE present and well formed */
    uint32_t wm_state;  /* GUID_ICCCM_* (any other value is ignored) */
    bool has_net_state; /* _NET_WM_STATE present and well formed */
    bool hidden, max_vert, max_horz;
};

/* Fill the _NET_WM_STATE part of s from the property's atom list. */
void guid_dom0_net_state_scan(struct guid_dom0_wm_state *s, const struct guid_netstate_atoms *a,
                              const uint32_t *atoms, size_t n);

/* FEN_WMFLAG_MINIMIZED / _MAXIMIZED as the dom0 WM shows them; *known gets
 * the bits the properties actually tell (a withdrawn window tells nothing
 * about minimized; no _NET_WM_STATE means nothing is maximized).
 * WM_STATE decides minimized; _NET_WM_STATE_HIDDEN only when there is no
 * usable WM_STATE.  Maximized needs both _VERT and _HORZ. */
uint32_t guid_dom0_wm_flags(const struct guid_dom0_wm_state *s, uint32_t *known);

#endif
