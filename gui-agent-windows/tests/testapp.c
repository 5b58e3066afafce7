/* fen-wintest.exe: the Win32 application the Windows-agent tests run under
 * Wine.  A borderless 160x100 window at (40,50) painted in four known
 * colors; every key it receives is logged; F5 renames it, F6 repaints the
 * top-left quadrant magenta, F7 resizes it; --clip puts text on the
 * clipboard at start.  F8 opens a second, resizable window "limits win"
 * (IDC_HAND cursor, min/max track size 150x100 / 400x300 from
 * WM_GETMINMAXINFO) in which F9 toggles maximized and F11 minimizes; its
 * WM_SIZE states are logged ("limits maximized" / "minimized" / "restored").
 * F4 logs the clipboard's text as hex UTF-8 ("clipboard HEX").
 *
 *   fen-wintest.exe --log Z:\path\keys.log --title TITLE [--clip TEXT]
 */
#include <windows.h>
#include <shellapi.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIN_X 40
#define WIN_Y 50
#define WIN_W 160
#define WIN_H 100

static FILE *g_log;
static bool g_magenta;
static int g_renames;
static int g_anim_x = -1; /* animated square's x, -1 = no animation */

static void log_line(const char *fmt, ...)
{
    if (!g_log)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g_log, fmt, ap);
    va_end(ap);
    fputc('\n', g_log);
    fflush(g_log);
}

static void fill(HDC dc, int x, int y, int w, int h, COLORREF c)
{
    RECT r = {x, y, x + w, y + h};
    HBRUSH b = CreateSolidBrush(c);
    FillRect(dc, &r, b);
    DeleteObject(b);
}

static void paint(HWND hwnd)
{
    PAINTSTRUCT ps;
    HDC dc = BeginPaint(hwnd, &ps);
    RECT rc;
    GetClientRect(hwnd, &rc);
    int w = rc.right, h = rc.bottom, hw = w / 2, hh = h / 2;
    fill(dc, 0, 0, hw, hh, g_magenta ? RGB(255, 0, 255) : RGB(255, 0, 0));
    fill(dc, hw, 0, w - hw, hh, RGB(0, 255, 0));
    fill(dc, 0, hh, hw, h - hh, RGB(0, 0, 255));
    fill(dc, hw, hh, w - hw, h - hh, RGB(255, 255, 0));
    if (g_anim_x >= 0)
        fill(dc, g_anim_x, 0, 32, 32, RGB(255, 255, 255));
    EndPaint(hwnd, &ps);
}

static void open_limits_window(void);

static void log_clipboard(HWND hwnd)
{
    char hex[2 * 1024 + 1] = "";
    if (OpenClipboard(hwnd)) {
        HANDLE h = GetClipboardData(CF_UNICODETEXT);
        const wchar_t *w = h ? GlobalLock(h) : NULL;
        if (w) {
            char utf8[1024];
            int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, utf8, sizeof utf8, NULL, NULL);
            for (int i = 0; i + 1 < n; i++)
                snprintf(hex + 2 * i, 3, "%02x", (unsigned char)utf8[i]);
            GlobalUnlock(h);
        }
        CloseClipboard();
    }
    log_line("clipboard %s", hex);
}

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_PAINT:
        paint(hwnd);
        return 0;
    case WM_KEYDOWN:
        log_line("keydown %02x", (unsigned)wp);
        if (wp == VK_F5) {
            wchar_t title[64];
            swprintf(title, 64, L"renamed \x00e9t\x00e9 %d", ++g_renames);
            SetWindowTextW(hwnd, title);
        } else if (wp == VK_F6) {
            g_magenta = true;
            InvalidateRect(hwnd, NULL, FALSE);
        } else if (wp == VK_F7) {
            SetWindowPos(hwnd, NULL, 0, 0, 200, 140, SWP_NOMOVE | SWP_NOZORDER);
            InvalidateRect(hwnd, NULL, FALSE);
        } else if (wp == VK_F8) {
            open_limits_window();
        } else if (wp == VK_F4) {
            log_clipboard(hwnd);
        }
        return 0;
    case WM_TIMER: {
        RECT rc, sq;
        GetClientRect(hwnd, &rc);
        SetRect(&sq, g_anim_x, 0, g_anim_x + 32, 32);
        InvalidateRect(hwnd, &sq, FALSE);
        g_anim_x = rc.right > 32 ? (g_anim_x + 8) % (rc.right - 32) : 0;
        SetRect(&sq, g_anim_x, 0, g_anim_x + 32, 32);
        InvalidateRect(hwnd, &sq, FALSE);
        return 0;
    }
    case WM_LBUTTONDOWN:
        log_line("lbutton %d %d", (int)(short)LOWORD(lp), (int)(short)HIWORD(lp));
        return 0;
    case WM_MOVE:
        log_line("moved %d %d", (int)(short)LOWORD(lp), (int)(short)HIWORD(lp));
        return 0;
    case WM_CHAR:
        log_line("char %04x", (unsigned)wp);
        return 0;
    case WM_DESTROY:
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

#define LIMITS_MIN_W 150
#define LIMITS_MIN_H 100
#define LIMITS_MAX_W 400
#define LIMITS_MAX_H 300

static LRESULT CALLBACK limits_wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_PAINT: {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        RECT rc;
        GetClientRect(hwnd, &rc);
        fill(dc, 0, 0, rc.right, rc.bottom, RGB(0, 255, 255));
        EndPaint(hwnd, &ps);
        return 0;
    }
    case WM_GETMINMAXINFO: {
        MINMAXINFO *m = (MINMAXINFO *)lp;
        m->ptMinTrackSize.x = LIMITS_MIN_W;
        m->ptMinTrackSize.y = LIMITS_MIN_H;
        m->ptMaxTrackSize.x = LIMITS_MAX_W;
        m->ptMaxTrackSize.y = LIMITS_MAX_H;
        return 0;
    }
    case WM_KEYDOWN:
        log_line("limits keydown %02x", (unsigned)wp);
        if (wp == VK_F9)
            ShowWindow(hwnd, IsZoomed(hwnd) ? SW_RESTORE : SW_MAXIMIZE);
        else if (wp == VK_F11)
            ShowWindow(hwnd, SW_MINIMIZE);
        return 0;
    case WM_SIZE:
        log_line("limits %s", wp == SIZE_MAXIMIZED   ? "maximized"
                              : wp == SIZE_MINIMIZED ? "minimized"
                                                     : "restored");
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static void open_limits_window(void)
{
    static HWND limits;
    if (limits)
        return;
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = limits_wndproc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"FenestraTestLimits";
    wc.hCursor = LoadCursor(NULL, IDC_HAND);
    RegisterClassW(&wc);
    limits = CreateWindowExW(0, wc.lpszClassName, L"limits win", WS_OVERLAPPEDWINDOW, 20, 380, 240,
                             160, NULL, NULL, wc.hInstance, NULL);
    if (!limits)
        return;
    ShowWindow(limits, SW_SHOWNORMAL);
    UpdateWindow(limits);
    log_line("limits open");
}

static void set_clipboard(HWND hwnd, const wchar_t *text)
{
    size_t bytes = (wcslen(text) + 1) * sizeof(wchar_t);
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE, bytes);
    wchar_t *w = g ? GlobalLock(g) : NULL;
    if (!w)
        return;
    memcpy(w, text, bytes);
    GlobalUnlock(g);
    if (OpenClipboard(hwnd)) {
        EmptyClipboard();
        if (!SetClipboardData(CF_UNICODETEXT, g))
            GlobalFree(g);
        CloseClipboard();
        log_line("clipboard set %u", (unsigned)wcslen(text));
    }
}

int main(void)
{
    /* Wide arguments: main()'s argv is in the ANSI code page, which cannot
     * carry the test's non-ASCII text. */
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    const wchar_t *log_path = NULL, *title = L"fen-wintest", *clip = NULL;
    int width = WIN_W, height = WIN_H;
    bool animate = false;
    for (int i = 1; argv && i + 1 < argc; i += 2) {
        if (wcscmp(argv[i], L"--log") == 0)
            log_path = argv[i + 1];
        else if (wcscmp(argv[i], L"--title") == 0)
            title = argv[i + 1];
        else if (wcscmp(argv[i], L"--clip") == 0)
            clip = argv[i + 1];
        else if (wcscmp(argv[i], L"--size") == 0 &&
                 swscanf(argv[i + 1], L"%dx%d", &width, &height) != 2)
            width = WIN_W, height = WIN_H;
        else if (wcscmp(argv[i], L"--animate") == 0)
            animate = true;
    }
    if (log_path)
        g_log = _wfopen(log_path, L"wb"); /* binary: no CRLF */
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = wndproc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"FenestraTestApp";
    wc.hCursor = LoadCursor(NULL, IDC_ARROW);
    RegisterClassW(&wc);
    HWND hwnd = CreateWindowExW(0, wc.lpszClassName, title, WS_POPUP, WIN_X, WIN_Y, width, height,
                                NULL, NULL, wc.hInstance, NULL);
    if (!hwnd)
        return 1;
    ShowWindow(hwnd, SW_SHOW);
    UpdateWindow(hwnd);
    SetForegroundWindow(hwnd);
    if (clip)
        set_clipboard(hwnd, clip);
    if (animate) {
        g_anim_x = 0;
        SetTimer(hwnd, 1, 16, NULL);
    }
    log_line("ready");
    MSG msg;
    while (GetMessageW(&msg, NULL, 0, 0) > 0) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    if (g_log)
        fclose(g_log);
    return 0;
}
