/* Top-level window tracking.
 *
 * WinEvent hooks (out of context, so no DLL is injected anywhere) report
 * create / destroy / show / hide / location / name / minimize events; each
 * event only queues the window, and wintrack_sync_pending() then compares
 * the window's current state with what dom0 was last told and sends the
 * difference (CREATE, TITLE, WINDOW_DUMP, MAP, CONFIGURE, UNMAP, DESTROY).
 * There is no per-frame EnumWindows: the desktop is enumerated once at start
 * (windows that already exist), on each dom0 connection, and again only if
 * the event queue overflows.  Known windows are also re-checked when they
 * are captured (capture_tick), which covers events Wine does not send
 * (it sends no EVENT_OBJECT_SHOW).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "fenestra/log.h"

#define PENDING_MAX 512

static struct agent *g_agent; /* WinEvent callbacks carry no context */
static HWND g_pending[PENDING_MAX];
static size_t g_npending;
static bool g_rescan;
static HWINEVENTHOOK g_hooks[3];

static void sync_window(struct agent *a, HWND hwnd);

void wintrack_sync(struct agent *a, HWND hwnd)
{
    sync_window(a, hwnd);
}

/* ---- table ------------------------------------------------------------------- */

static struct agent_win *find_hwnd(struct agent *a, HWND hwnd)
{
    for (size_t i = 0; i < a->nwins; i++)
        if (a->wins[i]->hwnd == hwnd)
            return a->wins[i];
    return NULL;
}

struct agent_win *wintrack_find_hwnd(struct agent *a, HWND hwnd)
{
    return hwnd ? find_hwnd(a, hwnd) : NULL;
}

struct agent_win *wintrack_find_id(struct agent *a, uint32_t id)
{
    for (size_t i = 0; i < a->nwins; i++)
        if (a->wins[i]->id == id)
            return a->wins[i];
    return NULL;
}

void wintrack_mark_active(struct agent_win *w)
{
    ULONGLONG now = GetTickCount64();
    w->active_until = now + AGENT_ACTIVE_MS;
    if (w->next_capture > now)
        w->next_capture = now;
}

static void free_pixels(struct agent *a, struct agent_win *w)
{
    for (unsigned i = 0; i < w->nretired; i++)
        fen_pool_unshare(a->pool, w->retired[i]);
    w->nretired = 0;
    fen_pool_unshare(a->pool, w->share);
    w->share = NULL;
    w->width = w->height = w->stride = 0;
}

static void remove_win(struct agent *a, struct agent_win *w)
{
    for (size_t i = 0; i < a->nwins; i++) {
        if (a->wins[i] == w) {
            a->wins[i] = a->wins[--a->nwins];
            break;
        }
    }
    free_pixels(a, w);
    free(w);
}

/* Make room for a new window by forgetting one dom0 never saw. */
static bool evict_hidden(struct agent *a)
{
    for (size_t i = 0; i < a->nwins; i++) {
        if (!a->wins[i]->created) {
            remove_win(a, a->wins[i]);
            return true;
        }
    }
    return false;
}

/* ---- what a window looks like now ------------------------------------------------ */

static bool is_candidate(HWND hwnd)
{
    if (!IsWindow(hwnd) || hwnd == GetDesktopWindow() || GetAncestor(hwnd, GA_ROOT) != hwnd)
        return false;
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == GetCurrentProcessId())
        return false;
    char cls[64] = "";
    GetClassNameA(hwnd, cls, sizeof cls);
    /* The shell's own desktop windows are not application windows. */
    return strcmp(cls, "Progman") != 0 && strcmp(cls, "Shell_TrayWnd") != 0 &&
           strcmp(cls, "WorkerW") != 0;
}

static bool wants_override_redirect(HWND hwnd)
{
    char cls[64] = "";
    GetClassNameA(hwnd, cls, sizeof cls);
    if (strcmp(cls, "#32768") == 0 || strcmp(cls, "tooltips_class32") == 0)
        return true; /* menus and tooltips: dom0 shows them unframed */
    LONG style = GetWindowLongW(hwnd, GWL_STYLE);
    LONG ex = GetWindowLongW(hwnd, GWL_EXSTYLE);
    return (ex & WS_EX_TOOLWINDOW) && (style & WS_POPUP) && !(style & WS_CAPTION);
}

static int32_t clamp_coord(LONG v)
{
    return v < FEN_MIN_COORD ? FEN_MIN_COORD : v > FEN_MAX_COORD ? FEN_MAX_COORD : (int32_t)v;
}

/* The window's rect as the protocol allows it; false when empty. */
static bool current_rect(HWND hwnd, struct fen_rect *r)
{
    RECT wr;
    if (!GetWindowRect(hwnd, &wr) || wr.right <= wr.left || wr.bottom <= wr.top)
        return false;
    LONG w = wr.right - wr.left, h = wr.bottom - wr.top;
    r->x = clamp_coord(wr.left);
    r->y = clamp_coord(wr.top);
    r->w = (uint32_t)(w > (LONG)FEN_MAX_WINDOW_WIDTH ? (LONG)FEN_MAX_WINDOW_WIDTH : w);
    r->h = (uint32_t)(h > (LONG)FEN_MAX_WINDOW_HEIGHT ? (LONG)FEN_MAX_WINDOW_HEIGHT : h);
    return true;
}

static void current_title(HWND hwnd, char *out, size_t out_size)
{
    wchar_t wtitle[FEN_MAX_TITLE_BYTES + 1];
    /* InternalGetWindowText never sends a message: a hung application
     * cannot block the agent. */
    int n = InternalGetWindowText(hwnd, wtitle, (int)(sizeof wtitle / sizeof wtitle[0]));
    if (n < 0)
        n = 0;
    utf16_to_utf8(wtitle, (size_t)n, out, out_size - 1);
}

/* WM_CLASS: the window class and the program's name ("notepad"), each cut
 * to fit with a NUL; dom0 sanitizes and prefixes them with the qube. */
static void current_class(HWND hwnd, struct fen_msg_wm_class *c)
{
    memset(c, 0, sizeof *c);
    wchar_t wbuf[MAX_PATH];
    int n = GetClassNameW(hwnd, wbuf, MAX_PATH);
    utf16_to_utf8(wbuf, n > 0 ? (size_t)n : 0, c->res_class, sizeof c->res_class - 1);
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    DWORD len = MAX_PATH;
    if (proc && QueryFullProcessImageNameW(proc, 0, wbuf, &len)) {
        const wchar_t *base = wbuf;
        for (const wchar_t *p = wbuf; *p; p++)
            if (*p == L'\\' || *p == L'/')
                base = p + 1;
        size_t blen = wcslen(base);
        if (blen > 4 && _wcsicmp(base + blen - 4, L".exe") == 0)
            blen -= 4;
        utf16_to_utf8(base, blen, c->res_name, sizeof c->res_name - 1);
    }
    if (proc)
        CloseHandle(proc);
}

/* ---- messages to dom0 ------------------------------------------------------------ */

static int send_gui(struct agent *a, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    if (!a->gui.ready)
        return -1;
    return link_send(a, &a->gui, type, window, body, len);
}

int wintrack_send_dump(struct agent *a, struct agent_win *w)
{
    if (!a->gui.ready)
        return -1; /* no pages while dom0 is away: on_down freed them all */
    uint32_t width = w->rect.w, height = w->rect.h, stride = width * FEN_BYTES_PER_PIXEL;
    size_t npages = ((size_t)stride * height + FEN_PAGE_SIZE - 1) / FEN_PAGE_SIZE;
    struct fen_share *share = fen_pool_share(a->pool, npages);
    if (!share) {
        fen_log(WARN, "window %u: no room in the page pool for %ux%u", w->id, width, height);
        return -1;
    }
    size_t body_len = sizeof(struct fen_msg_window_dump) + npages * sizeof(uint32_t);
    uint8_t *body = malloc(body_len);
    if (!body) {
        fen_pool_unshare(a->pool, share);
        return -1;
    }
    struct fen_msg_window_dump d = {
        .kind = FEN_DUMP_LOCAL_POOL,
        .width = width,
        .height = height,
        .stride = stride,
        .offset = 0,
        .format = FEN_FORMAT_XRGB8888,
        .serial = ++a->next_serial,
        .pool_id = fen_pool_id(a->pool),
        .num_refs = (uint32_t)npages,
    };
    memcpy(body, &d, sizeof d);
    memcpy(body + sizeof d, share->refs, npages * sizeof(uint32_t));
    /* dom0 may map the old pixels until it acknowledges this dump. */
    if (w->share) {
        if (w->nretired == AGENT_MAX_RETIRED) {
            fen_pool_unshare(a->pool, w->retired[0]);
            memmove(w->retired, w->retired + 1, sizeof w->retired[0] * (AGENT_MAX_RETIRED - 1));
            memmove(w->retired_serial, w->retired_serial + 1,
                    sizeof w->retired_serial[0] * (AGENT_MAX_RETIRED - 1));
            w->nretired--;
        }
        w->retired[w->nretired] = w->share;
        w->retired_serial[w->nretired] = w->serial;
        w->nretired++;
    }
    w->share = share;
    w->width = width;
    w->height = height;
    w->stride = stride;
    w->serial = d.serial;
    w->full_damage = true;
    int r = send_gui(a, FEN_MSG_WINDOW_DUMP, w->id, body, (uint32_t)body_len);
    free(body);
    wintrack_mark_active(w);
    return r;
}

static void handle_dump_ack(struct agent *a, struct agent_win *w, uint32_t serial)
{
    unsigned keep = 0;
    for (unsigned i = 0; i < w->nretired; i++) {
        if ((int32_t)(serial - w->retired_serial[i]) > 0) {
            fen_pool_unshare(a->pool, w->retired[i]);
        } else {
            w->retired[keep] = w->retired[i];
            w->retired_serial[keep] = w->retired_serial[i];
            keep++;
        }
    }
    w->nretired = keep;
}

/* Compare the window with what dom0 knows and send the difference. */
static void sync_window(struct agent *a, HWND hwnd)
{
    struct agent_win *w = find_hwnd(a, hwnd);
    bool alive = is_candidate(hwnd);
    struct fen_rect rect = {0, 0, 0, 0};
    bool want_mapped =
        alive && IsWindowVisible(hwnd) && !IsIconic(hwnd) && current_rect(hwnd, &rect);
    if (!w) {
        /* Hidden windows are tracked too: Wine reports no EVENT_OBJECT_SHOW,
         * so capture_tick re-checks tracked windows at the idle period. */
        if (!alive || (a->nwins >= FEN_MAX_WINDOWS_PER_QUBE && !evict_hidden(a)))
            return;
        w = calloc(1, sizeof *w);
        if (!w)
            return;
        w->hwnd = hwnd;
        do
            w->id = ++a->next_id;
        while (w->id == 0 || wintrack_find_id(a, w->id));
        a->wins[a->nwins++] = w;
    }
    if (!alive) {
        if (w->created)
            (void)send_gui(a, FEN_MSG_DESTROY, w->id, NULL, 0);
        remove_win(a, w);
        return;
    }
    if (!a->gui.ready)
        return;
    if (!w->created) {
        if (!want_mapped)
            return;
        w->override_redirect = wants_override_redirect(hwnd);
        struct fen_msg_create c = {
            .rect = rect, .parent = 0, .override_redirect = w->override_redirect};
        if (send_gui(a, FEN_MSG_CREATE, w->id, &c, sizeof c) != 0)
            return;
        w->created = true;
        w->rect = rect;
        w->title_sent = false;
        w->hints_sent = false;
        w->flags_sent = 0;
        struct fen_msg_wm_class cls;
        current_class(hwnd, &cls);
        (void)send_gui(a, FEN_MSG_WM_CLASS, w->id, &cls, sizeof cls);
    }
    char title[FEN_MAX_TITLE_BYTES + 1];
    current_title(hwnd, title, sizeof title);
    if (!w->title_sent || strcmp(title, w->title) != 0) {
        size_t len = strlen(title);
        uint8_t body[sizeof(struct fen_msg_title) + FEN_MAX_TITLE_BYTES];
        struct fen_msg_title t = {.length = (uint32_t)len};
        memcpy(body, &t, sizeof t);
        memcpy(body + sizeof t, title, len);
        if (send_gui(a, FEN_MSG_TITLE, w->id, body, (uint32_t)(sizeof t + len)) == 0) {
            memcpy(w->title, title, len + 1);
            w->title_sent = true;
        }
    }
    if (want_mapped && memcmp(&rect, &w->rect, sizeof rect) != 0) {
        w->rect = rect;
        struct fen_msg_configure c = {.rect = rect, .override_redirect = w->override_redirect};
        (void)send_gui(a, FEN_MSG_CONFIGURE, w->id, &c, sizeof c);
    }
    struct fen_rect no_rect = {0, 0, 0, 0};
    winprops_sync(a, w, want_mapped ? &rect : &no_rect);
    if (!a->gui.ready)
        return;
    if (want_mapped && (w->width != w->rect.w || w->height != w->rect.h))
        (void)wintrack_send_dump(a, w);
    if (want_mapped && !w->mapped) {
        struct agent_win *owner = find_hwnd(a, GetWindow(hwnd, GW_OWNER));
        struct fen_msg_map m = {
            .transient_for = owner && owner->created && owner != w ? owner->id : 0,
            .override_redirect = w->override_redirect,
        };
        if (send_gui(a, FEN_MSG_MAP, w->id, &m, sizeof m) == 0) {
            w->mapped = true;
            w->full_damage = true;
            wintrack_mark_active(w);
        }
    } else if (!want_mapped && w->mapped) {
        if (send_gui(a, FEN_MSG_UNMAP, w->id, NULL, 0) == 0)
            w->mapped = false;
    }
}

/* ---- hooks ------------------------------------------------------------------------- */

static void CALLBACK handle_winevent(HWINEVENTHOOK hook, DWORD event, HWND hwnd, LONG id_object,
                                     LONG id_child, DWORD thread, DWORD time)
{
    if (g_agent)
        g_agent->n_events++;
    if (!hwnd || id_object != OBJID_WINDOW || id_child != CHILDID_SELF)
        return;
    for (size_t i = 0; i < g_npending; i++)
        if (g_pending[i] == hwnd)
            return;
    if (g_npending == PENDING_MAX) {
        g_rescan = true;
        return;
    }
    g_pending[g_npending++] = hwnd;
}

static BOOL CALLBACK enum_add(HWND hwnd, LPARAM lp)
{
    sync_window((struct agent *)lp, hwnd);
    return TRUE;
}

static void rescan(struct agent *a)
{
    EnumWindows(enum_add, (LPARAM)a);
    for (size_t i = a->nwins; i-- > 0;)
        sync_window(a, a->wins[i]->hwnd);
}

void wintrack_sync_pending(struct agent *a)
{
    if (g_rescan) {
        g_rescan = false;
        g_npending = 0;
        rescan(a);
        return;
    }
    /* Take the queue first: syncing may pump messages (and queue more). */
    HWND batch[PENDING_MAX];
    size_t n = g_npending;
    memcpy(batch, g_pending, n * sizeof batch[0]);
    g_npending = 0;
    for (size_t i = 0; i < n; i++) {
        sync_window(a, batch[i]);
        struct agent_win *w = find_hwnd(a, batch[i]);
        if (w)
            wintrack_mark_active(w);
    }
}

int wintrack_start(struct agent *a)
{
    g_agent = a;
    const DWORD flags = WINEVENT_OUTOFCONTEXT | WINEVENT_SKIPOWNPROCESS;
    g_hooks[0] = SetWinEventHook(EVENT_OBJECT_CREATE, EVENT_OBJECT_LOCATIONCHANGE, NULL,
                                 handle_winevent, 0, 0, flags);
    g_hooks[1] = SetWinEventHook(EVENT_OBJECT_NAMECHANGE, EVENT_OBJECT_NAMECHANGE, NULL,
                                 handle_winevent, 0, 0, flags);
    g_hooks[2] = SetWinEventHook(EVENT_SYSTEM_MINIMIZESTART, EVENT_SYSTEM_MINIMIZEEND, NULL,
                                 handle_winevent, 0, 0, flags);
    if (!g_hooks[0] || !g_hooks[1] || !g_hooks[2]) {
        fen_log(ERROR, "SetWinEventHook failed (%lu)", GetLastError());
        wintrack_stop(a);
        return -1;
    }
    g_rescan = true; /* windows that exist already */
    return 0;
}

void wintrack_stop(struct agent *a)
{
    for (size_t i = 0; i < sizeof g_hooks / sizeof g_hooks[0]; i++) {
        if (g_hooks[i])
            UnhookWinEvent(g_hooks[i]);
        g_hooks[i] = NULL;
    }
    while (a->nwins > 0)
        remove_win(a, a->wins[0]);
    g_agent = NULL;
}

/* ---- dom0 connection ---------------------------------------------------------------- */

void wintrack_on_ready(struct agent *a)
{
    /* The pool first: every WINDOW_DUMP refers to it. */
    if (fen_writer_pending(a->gui.wr) == 0 && fen_pool_announce(a->pool, a->gui.ch) != 0) {
        link_drop(a, &a->gui, "cannot announce the page pool");
        return;
    } else if (fen_writer_pending(a->gui.wr) != 0) {
        struct fen_msg_pool p = {.npages = (uint32_t)fen_pool_npages(a->pool),
                                 .pool_id = fen_pool_id(a->pool)};
        if (link_send(a, &a->gui, FEN_MSG_POOL, 0, &p, sizeof p) != 0)
            return;
    }
    g_rescan = true;
    wintrack_sync_pending(a);
    cursor_reset(a);
}

void wintrack_on_down(struct agent *a)
{
    /* dom0 dropped every window and mapping: start over on reconnect. */
    for (size_t i = 0; i < a->nwins; i++) {
        struct agent_win *w = a->wins[i];
        free_pixels(a, w);
        w->created = w->mapped = w->title_sent = false;
    }
}

void wintrack_on_msg(struct agent *a, const struct fen_msg *msg)
{
    struct agent_win *w = wintrack_find_id(a, msg->window);
    if (!w)
        return; /* destroyed meanwhile */
    switch (msg->type) {
    case FEN_MSG_CONFIGURE: {
        /* dom0 moved/resized the frame: follow, and remember it as sent. */
        const struct fen_rect *r = &msg->u.configure.rect;
        w->rect = *r;
        SetWindowPos(w->hwnd, NULL, r->x, r->y, (int)r->w, (int)r->h,
                     SWP_NOZORDER | SWP_NOACTIVATE);
        sync_window(a, w->hwnd);
        break;
    }
    case FEN_MSG_DUMP_ACK:
        handle_dump_ack(a, w, msg->u.dump_ack.serial);
        break;
    case FEN_MSG_KEY:
        input_key(a, w, &msg->u.key);
        wintrack_mark_active(w);
        break;
    case FEN_MSG_BUTTON:
        input_button(a, w, &msg->u.button);
        wintrack_mark_active(w);
        break;
    case FEN_MSG_MOTION:
        input_motion(a, w, &msg->u.motion);
        break;
    case FEN_MSG_FOCUS:
        input_focus(a, w, &msg->u.focus);
        break;
    case FEN_MSG_CLOSE:
        PostMessageW(w->hwnd, WM_CLOSE, 0, 0);
        break;
    case FEN_MSG_WM_FLAGS:
        winprops_apply_flags(a, w, &msg->u.wm_flags);
        break;
    default:
        break; /* crossing, keymap: nothing to do on Windows */
    }
}
