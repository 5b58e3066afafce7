/* dom0 input -> SendInput.
 *
 * Keys: X keycode -> set-1 scancode (keymap.c) -> virtual key with
 * MapVirtualKey (so letters follow the guest's layout), injected with both
 * the VK and the scancode.  The target window is brought to the foreground
 * first: SendInput goes to whatever has the keyboard focus.
 * Pointer: window coordinates + the window's origin, normalized to the
 * 0..65535 absolute range of the primary screen.
 */
#include "agent.h"
#include "fenestra/log.h"

static void ensure_foreground(struct agent_win *w)
{
    if (GetForegroundWindow() != w->hwnd)
        SetForegroundWindow(w->hwnd);
}

void input_key(struct agent *a, struct agent_win *w, const struct fen_msg_key *k)
{
    uint16_t scan = 0, vk = 0;
    bool ext = false;
    if (!keymap_x_to_scancode(k->keycode, &scan, &ext, &vk)) {
        fen_log(DEBUG, "window %u: X keycode %u has no scancode", w->id, k->keycode);
        return;
    }
    if (vk == 0)
        vk = (uint16_t)MapVirtualKeyW(scan, MAPVK_VSC_TO_VK_EX);
    ensure_foreground(w);
    INPUT in;
    ZeroMemory(&in, sizeof in);
    in.type = INPUT_KEYBOARD;
    in.ki.wVk = vk;
    in.ki.wScan = scan;
    in.ki.dwFlags = (ext ? KEYEVENTF_EXTENDEDKEY : 0) |
                    (k->type == FEN_KEY_RELEASE ? KEYEVENTF_KEYUP : 0) |
                    (vk == 0 ? KEYEVENTF_SCANCODE : 0);
    if (SendInput(1, &in, sizeof in) != 1)
        fen_log(WARN, "window %u: SendInput (key) failed (%lu)", w->id, GetLastError());
}

static void to_absolute(struct agent_win *w, int32_t x, int32_t y, LONG *ax, LONG *ay)
{
    int sw = GetSystemMetrics(SM_CXSCREEN), sh = GetSystemMetrics(SM_CYSCREEN);
    int64_t sx = (int64_t)w->rect.x + x, sy = (int64_t)w->rect.y + y;
    if (sw < 2)
        sw = 2;
    if (sh < 2)
        sh = 2;
    sx = sx < 0 ? 0 : sx >= sw ? sw - 1 : sx;
    sy = sy < 0 ? 0 : sy >= sh ? sh - 1 : sy;
    *ax = (LONG)((sx * 65535 + (sw - 1) / 2) / (sw - 1));
    *ay = (LONG)((sy * 65535 + (sh - 1) / 2) / (sh - 1));
}

static void send_mouse(struct agent_win *w, int32_t x, int32_t y, DWORD flags, DWORD data)
{
    INPUT in;
    ZeroMemory(&in, sizeof in);
    in.type = INPUT_MOUSE;
    to_absolute(w, x, y, &in.mi.dx, &in.mi.dy);
    in.mi.dwFlags = MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_MOVE | flags;
    in.mi.mouseData = data;
    if (SendInput(1, &in, sizeof in) != 1)
        fen_log(WARN, "window %u: SendInput (mouse) failed (%lu)", w->id, GetLastError());
}

void input_button(struct agent *a, struct agent_win *w, const struct fen_msg_button *b)
{
    bool press = b->type == FEN_BUTTON_PRESS;
    DWORD flags = 0, data = 0;
    switch (b->button) {
    case 1:
        flags = press ? MOUSEEVENTF_LEFTDOWN : MOUSEEVENTF_LEFTUP;
        break;
    case 2:
        flags = press ? MOUSEEVENTF_MIDDLEDOWN : MOUSEEVENTF_MIDDLEUP;
        break;
    case 3:
        flags = press ? MOUSEEVENTF_RIGHTDOWN : MOUSEEVENTF_RIGHTUP;
        break;
    case 4:
    case 5:
        if (!press)
            return; /* X scroll is press+release; Windows one wheel event */
        flags = MOUSEEVENTF_WHEEL;
        data = (DWORD)(b->button == 4 ? WHEEL_DELTA : -WHEEL_DELTA);
        break;
    case 6:
    case 7:
        if (!press)
            return;
        flags = MOUSEEVENTF_HWHEEL;
        data = (DWORD)(b->button == 7 ? WHEEL_DELTA : -WHEEL_DELTA);
        break;
    default:
        return;
    }
    if (press)
        ensure_foreground(w);
    send_mouse(w, b->x, b->y, flags, data);
}

void input_motion(struct agent *a, struct agent_win *w, const struct fen_msg_motion *m)
{
    send_mouse(w, m->x, m->y, 0, 0);
}

void input_focus(struct agent *a, struct agent_win *w, const struct fen_msg_focus *f)
{
    if (f->type == FEN_FOCUS_IN)
        ensure_foreground(w);
}
