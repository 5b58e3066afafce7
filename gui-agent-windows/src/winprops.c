/* Size hints and window-state flags of tracked windows.
 *
 * Size hints (FEN_MSG_SIZE_HINTS, guest -> dom0): a window without
 * WS_THICKFRAME cannot be resized by the user on Windows, so dom0 gets
 * min = max = its size; a resizable one gets the min/max track size its
 * WM_GETMINMAXINFO answers (sizes of the whole window, frame included, as
 * every rect the agent sends).  The message is sent with
 * SendMessageTimeout(SMTO_ABORTIFHUNG): a hung application is skipped
 * instead of blocking the agent, and it is only asked when the window is
 * created, resized or restyled.
 *
 * State flags (FEN_MSG_WM_FLAGS, both directions), as the Linux agent does
 * with _NET_WM_STATE: guest -> dom0 minimized / maximized (IsIconic /
 * IsZoomed, re-read on every sync: minimize events and location changes
 * queue one); dom0 -> guest minimize / maximize / restore with
 * ShowWindowAsync (never blocks on the application), remembered as sent so
 * the resulting state is not echoed back.  Fullscreen and urgency have no
 * Windows counterpart here: dom0's fullscreen grants are only recorded.
 */
#include <string.h>

#include "agent.h"
#include "fenestra/log.h"

#define MINMAX_TIMEOUT_MS 50
/* How long a state dom0 asked for may take to appear before the agent
 * reports the state the window really has. */
#define FLAGS_APPLY_MS 3000

static uint32_t clamp_dim(LONG v, uint32_t max)
{
    return v < 1 ? 1 : (uint32_t)v > max ? max : (uint32_t)v;
}

void winprops_size_hints(HWND hwnd, const struct fen_rect *rect, struct fen_msg_size_hints *h)
{
    memset(h, 0, sizeof *h);
    LONG style = GetWindowLongW(hwnd, GWL_STYLE);
    if (!(style & WS_THICKFRAME)) {
        h->flags = FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE;
        h->min_w = h->max_w = rect->w;
        h->min_h = h->max_h = rect->h;
        return;
    }
    /* What the system itself would pass: the application changes what it
     * wants to limit and leaves the rest. */
    LONG sys_max_w = GetSystemMetrics(SM_CXMAXTRACK), sys_max_h = GetSystemMetrics(SM_CYMAXTRACK);
    MINMAXINFO mmi;
    memset(&mmi, 0, sizeof mmi);
    mmi.ptMinTrackSize.x = GetSystemMetrics(SM_CXMINTRACK);
    mmi.ptMinTrackSize.y = GetSystemMetrics(SM_CYMINTRACK);
    mmi.ptMaxTrackSize.x = sys_max_w;
    mmi.ptMaxTrackSize.y = sys_max_h;
    mmi.ptMaxSize = mmi.ptMaxTrackSize;
    DWORD_PTR result = 0;
    if (!SendMessageTimeoutW(hwnd, WM_GETMINMAXINFO, 0, (LPARAM)&mmi,
                             SMTO_ABORTIFHUNG | SMTO_ERRORONEXIT, MINMAX_TIMEOUT_MS, &result)) {
        fen_log(DEBUG, "WM_GETMINMAXINFO: no answer (%lu)", GetLastError());
        return;
    }
    if (mmi.ptMinTrackSize.x > 0 && mmi.ptMinTrackSize.y > 0) {
        h->flags |= FEN_HINT_MIN_SIZE;
        h->min_w = clamp_dim(mmi.ptMinTrackSize.x, FEN_MAX_WINDOW_WIDTH);
        h->min_h = clamp_dim(mmi.ptMinTrackSize.y, FEN_MAX_WINDOW_HEIGHT);
    }
    if (mmi.ptMaxTrackSize.x > 0 && mmi.ptMaxTrackSize.y > 0 &&
        (mmi.ptMaxTrackSize.x < sys_max_w || mmi.ptMaxTrackSize.y < sys_max_h)) {
        h->flags |= FEN_HINT_MAX_SIZE;
        h->max_w = clamp_dim(mmi.ptMaxTrackSize.x, FEN_MAX_WINDOW_WIDTH);
        h->max_h = clamp_dim(mmi.ptMaxTrackSize.y, FEN_MAX_WINDOW_HEIGHT);
        if (h->flags & FEN_HINT_MIN_SIZE) { /* a max below the min means fixed at the min */
            h->max_w = h->max_w < h->min_w ? h->min_w : h->max_w;
            h->max_h = h->max_h < h->min_h ? h->min_h : h->max_h;
        }
    }
}

uint32_t winprops_state_flags(HWND hwnd)
{
    return (IsIconic(hwnd) ? FEN_WMFLAG_MINIMIZED : 0) | (IsZoomed(hwnd) ? FEN_WMFLAG_MAXIMIZED : 0);
}

#define STATE_FLAGS (FEN_WMFLAG_MINIMIZED | FEN_WMFLAG_MAXIMIZED)

void winprops_sync(struct agent *a, struct agent_win *w, const struct fen_rect *rect)
{
    if (!w->created || !a->gui.ready)
        return;
    LONG style = GetWindowLongW(w->hwnd, GWL_STYLE);
    /* Minimized windows keep the hints of their normal size. */
    bool ask = !w->hints_sent ||
               (!IsIconic(w->hwnd) && rect->w > 0 &&
                (style != w->hints_style || rect->w != w->hints_w || rect->h != w->hints_h));
    if (ask && !w->override_redirect) {
        struct fen_msg_size_hints h;
        struct fen_rect r = rect->w > 0 ? *rect : w->rect;
        winprops_size_hints(w->hwnd, &r, &h);
        w->hints_style = style;
        w->hints_w = r.w;
        w->hints_h = r.h;
        if ((!w->hints_sent || memcmp(&h, &w->hints, sizeof h) != 0) &&
            link_send(a, &a->gui, FEN_MSG_SIZE_HINTS, w->id, &h, sizeof h) == 0) {
            w->hints = h;
            w->hints_sent = true;
        }
    }
    uint32_t want = winprops_state_flags(w->hwnd);
    uint32_t sent = w->flags_sent & STATE_FLAGS;
    if (want == sent)
        w->flags_pending_until = 0;
    else if (GetTickCount64() < w->flags_pending_until)
        ; /* ShowWindowAsync has not taken effect yet */
    else {
        struct fen_msg_wm_flags f = {.set = want & ~sent, .unset = sent & ~want};
        if (link_send(a, &a->gui, FEN_MSG_WM_FLAGS, w->id, &f, sizeof f) == 0) {
            w->flags_sent = (w->flags_sent & ~STATE_FLAGS) | want;
            fen_log(DEBUG, "window %u: state flags set 0x%x unset 0x%x", w->id, f.set, f.unset);
        }
    }
}

void winprops_apply_flags(struct agent *a, struct agent_win *w, const struct fen_msg_wm_flags *f)
{
    uint32_t now = winprops_state_flags(w->hwnd);
    int cmd = -1;
    if ((f->set & FEN_WMFLAG_MINIMIZED) && !(now & FEN_WMFLAG_MINIMIZED))
        cmd = SW_MINIMIZE;
    else if ((f->set & FEN_WMFLAG_MAXIMIZED) && !(now & FEN_WMFLAG_MAXIMIZED))
        cmd = SW_MAXIMIZE;
    else if (((f->unset & FEN_WMFLAG_MINIMIZED) && (now & FEN_WMFLAG_MINIMIZED)) ||
             ((f->unset & FEN_WMFLAG_MAXIMIZED) && (now & FEN_WMFLAG_MAXIMIZED)))
        cmd = SW_RESTORE;
    /* dom0 knows the state it asked for: do not echo it back.  If the
     * application refuses, the next sync reports the state it really has. */
    uint32_t granted = ((w->flags_sent | f->set) & ~f->unset) & STATE_FLAGS;
    w->flags_sent = (w->flags_sent & ~STATE_FLAGS) | granted;
    if (cmd >= 0) {
        fen_log(DEBUG, "window %u: dom0 asks for state 0x%x/0x%x: ShowWindow(%d)", w->id, f->set,
                f->unset, cmd);
        ShowWindowAsync(w->hwnd, cmd);
        w->flags_pending_until = GetTickCount64() + FLAGS_APPLY_MS;
        wintrack_mark_active(w);
    }
    (void)a;
}
