/* fen-winunit.exe: unit tests of the agent's Windows-only code, run under
 * Wine by windows-agent.sh (cmocka is not available for mingw here, so this
 * prints TAP lines itself): the keycode table, UTF-16 -> UTF-8 cutting, the
 * tcp channel over Winsock, the file pool over a Win32 file mapping, cursor
 * recognition and size hints / state flags on windows of this process. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../protocol/src/channel_tcp.h"
#include "../src/agent.h"
#include "../src/cursor_map.h"

static int failures;
static int count;

static void check(bool cond, const char *fmt, ...)
{
    char name[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    count++;
    printf("%s %d - %s\n", cond ? "ok" : "not ok", count, name);
    if (!cond)
        failures++;
}

static void test_keymap(void)
{
    uint16_t scan = 0, vk = 0;
    bool ext = true;
    check(keymap_x_to_scancode(38, &scan, &ext, &vk) && scan == 0x1e && !ext && vk == 0,
          "keymap: X keycode 38 (a) is scancode 0x1e, layout-dependent VK");
    check(keymap_x_to_scancode(9, &scan, &ext, &vk) && scan == 0x01 && !ext,
          "keymap: Escape is scancode 0x01");
    check(keymap_x_to_scancode(96, &scan, &ext, &vk) && scan == 0x58 && !ext,
          "keymap: F12 (evdev 88) is scancode 0x58");
    check(keymap_x_to_scancode(113, &scan, &ext, &vk) && scan == 0x4b && ext && vk == VK_LEFT,
          "keymap: Left is E0 4B, VK_LEFT");
    check(keymap_x_to_scancode(105, &scan, &ext, &vk) && scan == 0x1d && ext && vk == VK_RCONTROL,
          "keymap: right Ctrl is E0 1D");
    check(keymap_x_to_scancode(133, &scan, &ext, &vk) && scan == 0x5b && ext && vk == VK_LWIN,
          "keymap: left Windows key is E0 5B");
    check(!keymap_x_to_scancode(7, &scan, &ext, &vk) &&
              !keymap_x_to_scancode(92, &scan, &ext, &vk) &&
              !keymap_x_to_scancode(256, &scan, &ext, &vk) &&
              !keymap_x_to_scancode(0xffffffffu, &scan, &ext, &vk),
          "keymap: keycodes below 8, unused codes and above 255 are unmapped");
}

static void test_utf(void)
{
    char out[16];
    const wchar_t ete[] = L"\x00e9t\x00e9"; /* été: 5 bytes in UTF-8 */
    check(utf16_to_utf8(ete, 3, out, sizeof out - 1) == 5 && strcmp(out, "\xc3\xa9t\xc3\xa9") == 0,
          "utf: UTF-16 converts to UTF-8");
    check(utf16_to_utf8(ete, 3, out, 4) == 3 && strcmp(out, "\xc3\xa9t") == 0,
          "utf: a cut never splits a character");
    check(utf16_to_utf8(ete, 3, out, 1) == 0 && out[0] == '\0', "utf: too small for one character");
    const wchar_t nul[] = {L'a', 0, L'b'};
    check(utf16_to_utf8(nul, 3, out, sizeof out - 1) == 1 && strcmp(out, "a") == 0,
          "utf: an embedded NUL ends the text");
    const wchar_t lone[] = {0xd800, L'x'};
    check(utf16_to_utf8(lone, 2, out, sizeof out - 1) == 4 && strcmp(out, "\xef\xbf\xbdx") == 0,
          "utf: a lone surrogate becomes U+FFFD");
    wchar_t *back = utf8_to_utf16("\xc3\xa9", 2);
    check(back && back[0] == 0xe9 && back[1] == 0, "utf: UTF-8 converts back");
    free(back);
}

static bool read_exactly(struct fen_chan *ch, char *buf, size_t n)
{
    size_t got = 0;
    for (int i = 0; i < 2000 && got < n; i++) {
        if (fen_chan_wait(ch, false) != 0)
            return false;
        ssize_t r = fen_chan_read(ch, buf + got, n - got);
        if (r < 0)
            return false;
        got += (size_t)r;
        if (r == 0)
            Sleep(1);
    }
    return got == n;
}

static void test_tcp(unsigned portbase)
{
    char spec[32];
    snprintf(spec, sizeof spec, "tcp:%u", portbase);
    check(!fen_chan_server_init("tcp:10.0.0.1:7000", FEN_PORT_GUI, 0, 0) && errno == EINVAL,
          "tcp: a non-loopback spec is refused on Windows too");
    struct fen_chan *srv = fen_chan_server_init(spec, FEN_PORT_GUI, 0, 0);
    check(srv && fen_chan_is_open(srv) == FEN_CHAN_WAITING, "tcp: Winsock server listens");
    if (!srv)
        return;
    struct sockaddr_in sa;
    int len = sizeof sa;
    check(getsockname((SOCKET)fen_chan_fd(srv), (struct sockaddr *)&sa, &len) == 0 &&
              ntohl(sa.sin_addr.s_addr) == INADDR_LOOPBACK && ntohs(sa.sin_port) == portbase,
          "tcp: bound to 127.0.0.1:PORTBASE only");
    struct fen_chan *cli = fen_chan_client_init(spec, FEN_PORT_GUI);
    bool accepted = false;
    for (int i = 0; cli && i < 2000 && !accepted; i++) {
        if (fen_chan_wait(srv, false) != 0)
            break;
        accepted = fen_chan_is_open(srv) == FEN_CHAN_OPEN;
        if (!accepted)
            Sleep(1);
    }
    check(cli && accepted, "tcp: the client connects and the server accepts");
    if (cli && accepted) {
        char buf[8] = {0};
        check(fen_chan_write(cli, "dom0", 4) == 4 && read_exactly(srv, buf, 4) &&
                  memcmp(buf, "dom0", 4) == 0,
              "tcp: bytes arrive");
        check(fen_chan_write_with_fd(srv, "x", 1, 3) == -1 && errno == ENOTSUP,
              "tcp: no fd passing");
        check(!fen_chan_client_init(spec, FEN_PORT_GUI), "tcp: a second client is refused");
        fen_chan_close(cli);
        cli = NULL;
        bool closed = false;
        for (int i = 0; i < 2000 && !closed; i++) {
            closed = fen_chan_wait(srv, false) != 0 || fen_chan_is_open(srv) == FEN_CHAN_CLOSED;
            if (!closed)
                Sleep(1);
        }
        check(closed, "tcp: the peer closing is seen");
    }
    fen_chan_close(cli);
    fen_chan_close(srv);
}

static void test_file_pool(unsigned portbase, const char *path)
{
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    LARGE_INTEGER size = {.QuadPart = 8 * FEN_PAGE_SIZE};
    bool made =
        f != INVALID_HANDLE_VALUE && SetFilePointerEx(f, size, NULL, FILE_BEGIN) && SetEndOfFile(f);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    check(made, "pool: an 8-page file exists");
    char spec[300];
    snprintf(spec, sizeof spec, "tcp:%u:%s", portbase, path);
    struct fen_pool *pool = fen_pool_create(spec, 8);
    check(pool && fen_pool_npages(pool) == 8 && fen_pool_fd(pool) == -1,
          "pool: the file maps as an 8-page pool");
    if (!pool)
        return;
    struct fen_share *a = fen_pool_share(pool, 5), *b = fen_pool_share(pool, 3);
    check(a && b && a->refs[0] == 0 && b->refs[0] == 5 && !fen_pool_share(pool, 1),
          "pool: shares are runs of page indices until the pool is full");
    if (b)
        memset(b->ptr, 0x42, 3 * FEN_PAGE_SIZE);
    fen_pool_unshare(pool, a);
    struct fen_share *c = fen_pool_share(pool, 5);
    check(c && c->refs[0] == 0 && ((uint8_t *)c->ptr)[0] == 0,
          "pool: freed pages are reused zeroed");
    fen_pool_unshare(pool, b);
    fen_pool_unshare(pool, c);
    fen_pool_destroy(pool);
    snprintf(spec, sizeof spec, "tcp:%u", portbase);
    check(!fen_pool_create(spec, 8), "pool: a spec without a pool path has no pool");
    DeleteFileA(path);
}

static void test_cursors(void)
{
    struct cursor_state *c = cursor_create();
    if (!c) {
        check(false, "cursor: state created");
        return;
    }
    bool all = true;
    for (size_t i = 0; i < cursor_map_len; i++) {
        HCURSOR h = LoadCursorW(NULL, MAKEINTRESOURCEW(cursor_map[i].ordinal));
        if (!h || cursor_glyph_for_handle(c, h) != cursor_map[i].glyph) {
            all = false;
            printf("# %s (%u): handle %p -> %u\n", cursor_map[i].name, cursor_map[i].ordinal,
                   (void *)h, h ? cursor_glyph_for_handle(c, h) : 0);
        }
    }
    check(all, "cursor: every standard cursor (IDC_ARROW, IDC_IBEAM, IDC_HAND, ...) is "
               "recognized by its handle");
    check(cursor_glyph_for_handle(c, LoadCursorW(NULL, MAKEINTRESOURCEW(32513))) == 152 &&
              cursor_glyph_for_handle(c, LoadCursorW(NULL, MAKEINTRESOURCEW(32649))) == 60,
          "cursor: IDC_IBEAM is the xterm glyph, IDC_HAND hand2");
    /* user32's I-beam loaded again without LR_SHARED is another handle, as a
     * foreign cursor is: recognized by GetIconInfoExW's resource id. */
    HCURSOR again = LoadImageW(GetModuleHandleW(L"user32.dll"), MAKEINTRESOURCEW(32513),
                               IMAGE_CURSOR, 0, 0, LR_DEFAULTSIZE);
    ICONINFOEXW ii = {.cbSize = sizeof ii};
    BOOL have_info = again && GetIconInfoExW(again, &ii);
    if (have_info && ii.hbmMask)
        DeleteObject(ii.hbmMask);
    if (have_info && ii.hbmColor)
        DeleteObject(ii.hbmColor);
    check(again && again != LoadCursorW(NULL, MAKEINTRESOURCEW(32513)) &&
              cursor_glyph_for_handle(c, again) == 152,
          "cursor: another handle of user32's I-beam is recognized by its resource id "
          "(handle %p, resource %u, module '%ls')",
          (void *)again, have_info ? ii.wResID : 0, have_info ? ii.szModName : L"");
    if (again)
        DestroyCursor(again);
    BYTE and_mask[32 * 4], xor_mask[32 * 4];
    memset(and_mask, 0xff, sizeof and_mask);
    memset(xor_mask, 0, sizeof xor_mask);
    HCURSOR own = CreateCursor(GetModuleHandleW(NULL), 0, 0, 32, 32, and_mask, xor_mask);
    check(own && cursor_glyph_for_handle(c, own) == FEN_CURSOR_DEFAULT &&
              cursor_glyph_for_handle(c, NULL) == FEN_CURSOR_DEFAULT,
          "cursor: an application's own cursor and no cursor are dom0's default");
    if (own)
        DestroyCursor(own);
    cursor_destroy(c);
}

static LRESULT CALLBACK limited_wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_GETMINMAXINFO) {
        MINMAXINFO *m = (MINMAXINFO *)lp;
        m->ptMinTrackSize.x = 130;
        m->ptMinTrackSize.y = 90;
        m->ptMaxTrackSize.x = 500;
        m->ptMaxTrackSize.y = 350;
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

struct hung_thread {
    HWND hwnd;
    HANDLE created, release;
};

/* Creates a resizable window, then stops pumping messages until released:
 * a hung application. */
static DWORD WINAPI hung_thread_main(void *arg)
{
    struct hung_thread *h = arg;
    h->hwnd = CreateWindowExW(0, L"FenWinunitLimited", L"hung", WS_OVERLAPPEDWINDOW, 10, 10, 200,
                              150, NULL, NULL, GetModuleHandleW(NULL), NULL);
    SetEvent(h->created);
    WaitForSingleObject(h->release, 30000);
    if (h->hwnd)
        DestroyWindow(h->hwnd);
    return 0;
}

static void test_hung_window(void)
{
    struct hung_thread h = {NULL, CreateEventW(NULL, TRUE, FALSE, NULL),
                            CreateEventW(NULL, TRUE, FALSE, NULL)};
    HANDLE t = CreateThread(NULL, 0, hung_thread_main, &h, 0, NULL);
    if (!t || WaitForSingleObject(h.created, 10000) != WAIT_OBJECT_0 || !h.hwnd) {
        check(false, "hints: a hung window's thread starts");
        return;
    }
    struct fen_rect r = {10, 10, 200, 150};
    struct fen_msg_size_hints hints;
    memset(&hints, 0xff, sizeof hints);
    winprops_size_hints(h.hwnd, &r, &hints); /* returns: SendMessageTimeout */
    check(hints.flags == 0,
          "hints: a window whose thread does not answer WM_GETMINMAXINFO gets none, "
          "and the agent is not blocked");
    SetEvent(h.release);
    WaitForSingleObject(t, 10000);
    CloseHandle(t);
    CloseHandle(h.created);
    CloseHandle(h.release);
}

static void test_winprops(void)
{
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = limited_wndproc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"FenWinunitLimited";
    RegisterClassW(&wc);
    HWND fixed = CreateWindowExW(0, wc.lpszClassName, L"fixed", WS_POPUP, 10, 10, 123, 45, NULL,
                                 NULL, wc.hInstance, NULL);
    HWND sizable = CreateWindowExW(0, wc.lpszClassName, L"sizable", WS_OVERLAPPEDWINDOW, 10, 10,
                                   200, 150, NULL, NULL, wc.hInstance, NULL);
    HWND plain = CreateWindowExW(0, L"STATIC", L"plain", WS_OVERLAPPEDWINDOW, 10, 10, 200, 150,
                                 NULL, NULL, wc.hInstance, NULL);
    if (!fixed || !sizable || !plain) {
        check(false, "winprops: test windows created");
        return;
    }
    struct fen_rect r = {10, 10, 123, 45};
    struct fen_msg_size_hints h;
    winprops_size_hints(fixed, &r, &h);
    check(h.flags == (FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE) && h.min_w == 123 && h.max_w == 123 &&
              h.min_h == 45 && h.max_h == 45,
          "hints: a window without WS_THICKFRAME is fixed at its size");
    winprops_size_hints(sizable, &r, &h);
    check(h.flags == (FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE) && h.min_w == 130 && h.min_h == 90 &&
              h.max_w == 500 && h.max_h == 350,
          "hints: a resizable window's WM_GETMINMAXINFO gives min and max (got 0x%x %ux%u %ux%u)",
          h.flags, h.min_w, h.min_h, h.max_w, h.max_h);
    winprops_size_hints(plain, &r, &h);
    check(h.flags == FEN_HINT_MIN_SIZE && h.min_w > 0,
          "hints: without limits only the system's minimum is sent, no maximum");
    ShowWindow(sizable, SW_SHOWNORMAL);
    uint32_t normal = winprops_state_flags(sizable);
    ShowWindow(sizable, SW_MAXIMIZE);
    uint32_t maxed = winprops_state_flags(sizable);
    ShowWindow(sizable, SW_MINIMIZE);
    uint32_t mined = winprops_state_flags(sizable);
    check(normal == 0 && maxed == FEN_WMFLAG_MAXIMIZED && mined == FEN_WMFLAG_MINIMIZED,
          "flags: normal / maximized / minimized windows read as 0 / MAXIMIZED / MINIMIZED");
    DestroyWindow(fixed);
    DestroyWindow(sizable);
    DestroyWindow(plain);
    test_hung_window();
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fen-winunit.exe PORTBASE SCRATCH-FILE\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    unsigned portbase = (unsigned)strtoul(argv[1], NULL, 10);
    test_keymap();
    test_utf();
    test_tcp(portbase);
    test_file_pool(portbase, argv[2]);
    test_cursors();
    test_winprops();
    WSACleanup();
    return failures ? 1 : 0;
}
