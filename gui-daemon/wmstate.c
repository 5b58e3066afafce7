/* dom0 WM properties -> WM_FLAGS bits (see wmstate.h). */
#include "wmstate.h"

#include "fenestra/proto.h"

void guid_dom0_net_state_scan(struct guid_dom0_wm_state *s, const struct guid_netstate_atoms *a,
                              const uint32_t *atoms, size_t n)
{
    s->has_net_state = true;
    s->hidden = s->max_vert = s->max_horz = false;
    for (size_t i = 0; i < n; i++) {
        if (atoms[i] == 0) /* None never names a state */
            continue;
        if (atoms[i] == a->hidden)
            s->hidden = true;
        else if (atoms[i] == a->max_vert)
            s->max_vert = true;
        else if (atoms[i] == a->max_horz)
            s->max_horz = true;
    }
}

uint32_t guid_dom0_wm_flags(const struct guid_dom0_wm_state *s, uint32_t *known)
{
    uint32_t flags = 0;
    *known = FEN_WMFLAG_MAXIMIZED;
    if (s->has_net_state && s->max_vert && s->max_horz)
        flags |= FEN_WMFLAG_MAXIMIZED;
    bool iccm_usable = s->has_wm_state &&
                       (s->wm_state == GUID_ICCCM_NORMAL || s->wm_state == GUID_ICCCM_ICONIC);
    if (iccm_usable) {
        *known |= FEN_WMFLAG_MINIMIZED;
        if (s->wm_state == GUID_ICCCM_ICONIC)
            flags |= FEN_WMFLAG_MINIMIZED;
    } else if (!s->has_wm_state && s->has_net_state) {
        *known |= FEN_WMFLAG_MINIMIZED;
        if (s->hidden)
            flags |= FEN_WMFLAG_MINIMIZED;
    }
    return flags;
}
