/* Test helper: send a _NET_WM_STATE client message to the root, as an
 * application asks a window manager for fullscreen / attention / ...
 *   gui-agent-netwmstate DISPLAY WINDOW add|remove|toggle STATE_ATOM */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>
#include "fenestra/xatom.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gui-agent-netwmstate DISPLAY WINDOW add|remove|toggle ATOM\n");
        return 2;
    }
    uint32_t action = !strcmp(argv[3], "remove") ? 0 : !strcmp(argv[3], "add") ? 1 : 2;
    xcb_connection_t *c = xcb_connect(argv[1], NULL);
    if (xcb_connection_has_error(c))
        return 1;
    xcb_screen_t *s = xcb_setup_roots_iterator(xcb_get_setup(c)).data;
    xcb_client_message_event_t ev = {
        .response_type = XCB_CLIENT_MESSAGE,
        .format = 32,
        .window = (xcb_window_t)strtoul(argv[2], NULL, 0),
        .type = fen_x_intern(c, "_NET_WM_STATE"),
        .data.data32 = {action, fen_x_intern(c, argv[4]), 0, 1},
    };
    xcb_send_event(c, 0, s->root,
                   XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
                   (const char *)&ev);
    free(xcb_get_input_focus_reply(c, xcb_get_input_focus(c), NULL)); /* round trip */
    xcb_disconnect(c);
    return 0;
}
