/* The agent's EWMH face in the guest: a supporting-WM check window and
 * _NET_SUPPORTED on the root, listing exactly the requests the agent passes
 * to dom0 (fullscreen, maximize, minimize via _NET_WM_STATE_HIDDEN or
 * WM_CHANGE_STATE, activation, urgency).  Toolkits only send some of them to
 * a WM that announces them (GTK's present/activate sends _NET_ACTIVE_WINDOW
 * only then, and raises and focuses on its own otherwise, which restores
 * nothing in dom0).  The agent still manages nothing: no SubstructureRedirect,
 * clients place their own windows (see agent.h).  A real window manager
 * already running in the guest keeps the root's properties. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "fenestra/log.h"
#include "fenestra/xatom.h"

static const char *const supported[] = {
    "_NET_SUPPORTED",           "_NET_SUPPORTING_WM_CHECK",
    "_NET_WM_NAME",             "_NET_WM_STATE",
    "_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_MAXIMIZED_VERT",
    "_NET_WM_STATE_MAXIMIZED_HORZ", "_NET_WM_STATE_HIDDEN",
    "_NET_WM_STATE_DEMANDS_ATTENTION", "_NET_ACTIVE_WINDOW",
};
#define NSUPPORTED (sizeof supported / sizeof supported[0])

/* The check window `win` names, if it still exists and names itself (a
 * live WM's); 0 otherwise. */
static xcb_window_t live_check_window(xcb_connection_t *c, xcb_window_t win, xcb_atom_t check)
{
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        c, xcb_get_property(c, 0, win, check, XCB_ATOM_WINDOW, 0, 1), NULL);
    xcb_window_t named = 0;
    if (r && r->format == 32 && xcb_get_property_value_length(r) == 4)
        named = *(const xcb_window_t *)xcb_get_property_value(r);
    free(r);
    return named;
}

int ewmh_announce(struct agent *a)
{
    xcb_connection_t *c = a->conn;
    xcb_atom_t check = fen_x_intern(c, "_NET_SUPPORTING_WM_CHECK");
    xcb_atom_t net_supported = fen_x_intern(c, "_NET_SUPPORTED");
    if (!check || !net_supported)
        return -1;
    xcb_window_t other = live_check_window(c, a->root, check);
    if (other != 0 && live_check_window(c, other, check) == other) {
        fen_log(INFO, "a window manager runs in the guest (check window 0x%x): not announcing "
                      "one", other);
        return 0;
    }
    xcb_atom_t atoms[NSUPPORTED];
    for (size_t i = 0; i < NSUPPORTED; i++)
        if (!(atoms[i] = fen_x_intern(c, supported[i])))
            return -1;
    /* InputOnly, never mapped: not a window the agent forwards. */
    xcb_window_t win = xcb_generate_id(c);
    uint32_t or = 1;
    xcb_create_window(c, 0, win, a->root, -100, -100, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY,
                      XCB_COPY_FROM_PARENT, XCB_CW_OVERRIDE_REDIRECT, &or);
    static const char name[] = "Fenestra gui-agent";
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, a->atoms.net_wm_name,
                        a->atoms.utf8_string, 8, sizeof name - 1, name);
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, check, XCB_ATOM_WINDOW, 32, 1, &win);
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, a->root, check, XCB_ATOM_WINDOW, 32, 1, &win);
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, a->root, net_supported, XCB_ATOM_ATOM, 32,
                        (uint32_t)NSUPPORTED, atoms);
    fen_log(INFO, "announced EWMH support to guest clients (check window 0x%x)", win);
    return 0;
}
