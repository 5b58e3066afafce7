/* One X helper every xcb program here needs (guid, gui-agent, clip-agent's
 * tests, the test clients): intern an atom, XCB_ATOM_NONE on failure.  A
 * header of its own so the protocol library itself stays free of X. */
#ifndef FENESTRA_XATOM_H
#define FENESTRA_XATOM_H

#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

static inline xcb_atom_t fen_x_intern(xcb_connection_t *c, const char *name)
{
    xcb_intern_atom_reply_t *r =
        xcb_intern_atom_reply(c, xcb_intern_atom(c, 0, (uint16_t)strlen(name), name), NULL);
    xcb_atom_t a = r ? r->atom : XCB_ATOM_NONE;
    free(r);
    return a;
}

#endif
