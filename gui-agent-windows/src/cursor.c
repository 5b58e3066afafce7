/* The pointer's shape -> FEN_MSG_CURSOR for the tracked window under it.
 *
 * dom0 never shows guest cursor pixels: the agent names one of the standard
 * cursors (cursor_map.c) and dom0 draws that glyph from its own cursor font.
 * A handle is recognized (1) by equality with the standard cursors this
 * process loaded -- on Windows the system cursors are shared, so every
 * process gets the same handles -- or (2) by GetIconInfoExW's resource id
 * when the cursor comes from user32.  Anything else is dom0's default.
 *
 * Under Wine neither works for another process's cursor: cursors are
 * per-process objects there (the same IDC_IBEAM has a different handle in
 * each process) and GetIconInfoExW refuses foreign handles, so a Windows
 * application's cursor shows as dom0's default.  Recognition itself is
 * tested in-process by fen-winunit.exe.
 *
 * Polled on each wake-up of the event loop (dom0's MOTION messages wake it)
 * with GetCursorInfo: Wine sends no EVENT_OBJECT_NAMECHANGE for OBJID_CURSOR
 * across processes, and the poll costs two calls.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "agent.h"
#include "cursor_map.h"
#include "fenestra/log.h"

struct cursor_state {
    HCURSOR std[32]; /* the standard cursors as loaded here, by cursor_map index */
    HCURSOR last_handle;
    uint32_t last_glyph;
    uint32_t sent_window, sent_glyph;
};

struct cursor_state *cursor_create(void)
{
    struct cursor_state *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    for (size_t i = 0; i < cursor_map_len && i < sizeof c->std / sizeof c->std[0]; i++)
        c->std[i] = LoadCursorW(NULL, MAKEINTRESOURCEW(cursor_map[i].ordinal));
    c->sent_glyph = FEN_CURSOR_DEFAULT;
    return c;
}

void cursor_destroy(struct cursor_state *c)
{
    free(c); /* shared cursors are never destroyed */
}

static bool from_user32(const wchar_t *module)
{
    if (!module[0])
        return true; /* system cursors may carry no module name */
    size_t n = wcslen(module);
    return n >= 6 && (_wcsicmp(module + n - 6, L"user32") == 0 ||
                      (n >= 10 && _wcsicmp(module + n - 10, L"user32.dll") == 0));
}

static uint32_t identify(struct cursor_state *c, HCURSOR h)
{
    if (!h)
        return FEN_CURSOR_DEFAULT;
    for (size_t i = 0; i < cursor_map_len && i < sizeof c->std / sizeof c->std[0]; i++)
        if (c->std[i] == h)
            return cursor_map[i].glyph;
    ICONINFOEXW ii;
    memset(&ii, 0, sizeof ii);
    ii.cbSize = sizeof ii;
    if (!GetIconInfoExW(h, &ii))
        return FEN_CURSOR_DEFAULT; /* e.g. another process's cursor under Wine */
    if (ii.hbmMask)
        DeleteObject(ii.hbmMask);
    if (ii.hbmColor)
        DeleteObject(ii.hbmColor);
    if (ii.wResID == 0 || !from_user32(ii.szModName))
        return FEN_CURSOR_DEFAULT; /* an application's own cursor */
    return cursor_glyph_for_ordinal(ii.wResID);
}

uint32_t cursor_glyph_for_handle(struct cursor_state *c, HCURSOR h)
{
    if (h != c->last_handle || !h) {
        c->last_glyph = identify(c, h);
        c->last_handle = h;
    }
    return c->last_glyph;
}

void cursor_update(struct agent *a)
{
    struct cursor_state *c = a->cursor;
    if (!c || !a->gui.ready)
        return;
    CURSORINFO ci;
    memset(&ci, 0, sizeof ci);
    ci.cbSize = sizeof ci;
    if (!GetCursorInfo(&ci))
        return;
    HWND under = WindowFromPoint(ci.ptScreenPos);
    struct agent_win *w = under ? wintrack_find_hwnd(a, GetAncestor(under, GA_ROOT)) : NULL;
    if (!w || !w->created)
        return; /* dom0 shows its own cursor outside our windows */
    uint32_t glyph = (ci.flags & CURSOR_SHOWING) ? cursor_glyph_for_handle(c, ci.hCursor)
                                                 : FEN_CURSOR_DEFAULT;
    if (w->id == c->sent_window && glyph == c->sent_glyph)
        return;
    struct fen_msg_cursor m = {.glyph = glyph};
    if (link_send(a, &a->gui, FEN_MSG_CURSOR, w->id, &m, sizeof m) == 0) {
        c->sent_window = w->id;
        c->sent_glyph = glyph;
        fen_log(DEBUG, "window %u: cursor glyph %u", w->id, glyph);
    }
}

void cursor_reset(struct agent *a)
{
    if (a->cursor)
        a->cursor->sent_window = 0;
}
