/* gui-agent.exe: the Fenestra guest agent for Windows.
 *
 *   gui-agent.exe --connect tcp:PORTBASE:POOLPATH [--interval MS] [--idle MS]
 *
 * One thread: MsgWaitForMultipleObjects on the two channel events with the
 * next capture as timeout; window messages (and with them the WinEvent hook
 * callbacks) are pumped on every wake-up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "fenestra/log.h"

/* Output caps: gui messages are small (pixels travel in the pool); one
 * clipboard reply can be the protocol's largest message. */
#define GUI_WRITE_CAP (8u * 1024u * 1024u)
#define CLIP_WRITE_CAP (FEN_MAX_BODY_BYTES + sizeof(struct fen_hdr))

static DWORD g_main_thread;

static BOOL WINAPI handle_console_ctrl(DWORD type)
{
    PostThreadMessageW(g_main_thread, WM_QUIT, 0, 0);
    return TRUE;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gui-agent.exe --connect tcp:PORTBASE:POOLPATH [--interval MS] [--idle MS]\n"
               "                     [--capture auto|gdi]\n"
               "Fenestra guest agent for Windows: seamless windows, input and clipboard.\n"
               "  --connect SPEC   channel spec; POOLPATH is the page pool dom0 created\n"
               "                   (e.g. Z:\\proc\\PID\\fd\\N under Wine)\n"
               "  --interval MS    capture period of windows with recent activity (default 40)\n"
               "  --idle MS        capture period of quiet windows (default 250)\n"
               "  --capture MODE   auto: DXGI desktop duplication where available, else GDI\n"
               "                   (default); gdi: GDI only\n");
}

static bool parse_ms(const char *s, unsigned *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!s[0] || *end || v < 5 || v > 10000)
        return false;
    *out = (unsigned)v;
    return true;
}

static int parse_args(int argc, char **argv, struct agent_config *cfg)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(arg, "--connect") == 0 && val) {
            cfg->spec = val;
            i++;
        } else if (strcmp(arg, "--interval") == 0 && val && parse_ms(val, &cfg->interval_ms)) {
            i++;
        } else if (strcmp(arg, "--idle") == 0 && val && parse_ms(val, &cfg->idle_ms)) {
            i++;
        } else if (strcmp(arg, "--capture") == 0 && val &&
                   (strcmp(val, "auto") == 0 || strcmp(val, "gdi") == 0)) {
            cfg->gdi_only = strcmp(val, "gdi") == 0;
            i++;
        } else {
            usage(stderr);
            return -1;
        }
    }
    if (!cfg->spec) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static void run(struct agent *a)
{
    for (;;) {
        HANDLE evs[2] = {a->gui.ev, a->clip.ev};
        DWORD timeout = capture_tick(a);
        if ((a->gui.ch && fen_writer_pending(a->gui.wr) > 0) ||
            (a->clip.ch && fen_writer_pending(a->clip.wr) > 0))
            timeout = timeout < 5 ? timeout : 5; /* dom0 is slow to read: retry soon */
        MsgWaitForMultipleObjects(2, evs, FALSE, timeout, QS_ALLINPUT);
        a->n_wakeups++;
        MSG msg;
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            if (msg.message == WM_QUIT)
                return;
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        link_service(a, &a->gui);
        link_service(a, &a->clip);
        wintrack_sync_pending(a);
        cursor_update(a);
        capture_log_stats(a);
    }
}

int main(int argc, char **argv)
{
    static struct agent agent;
    struct agent_config cfg = {.spec = NULL, .interval_ms = 40, .idle_ms = 250};
    int r = parse_args(argc, argv, &cfg);
    if (r != 0)
        return r > 0 ? 0 : 2;
    fen_log_init("gui-agent-windows", NULL);
    setvbuf(stderr, NULL, _IONBF, 0);
    g_main_thread = GetCurrentThreadId();
    SetConsoleCtrlHandler(handle_console_ctrl, TRUE);

    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fen_log(ERROR, "WSAStartup failed");
        return 1;
    }
    struct agent *a = &agent;
    a->cfg = &cfg;
    int status = 1;
    a->pool = fen_pool_create(cfg.spec, FEN_MAX_POOL_PAGES);
    if (!a->pool) {
        fen_log_errno(ERROR, "cannot open the page pool of %s", cfg.spec);
        goto out;
    }
    a->cap = capture_create(&cfg);
    a->cursor = cursor_create();
    a->own_hwnd = CreateWindowExW(0, L"STATIC", L"fenestra-agent", 0, 0, 0, 0, 0, HWND_MESSAGE,
                                  NULL, GetModuleHandleW(NULL), NULL);
    if (!a->cap || !a->cursor || !a->own_hwnd ||
        link_init(&a->gui, "gui", FEN_PORT_GUI, FEN_GUI_FROM_DOM0, FEN_STREAM_GUI, GUI_WRITE_CAP) !=
            0 ||
        link_init(&a->clip, "clipboard", FEN_PORT_CLIPBOARD, FEN_CLIP_FROM_DOM0,
                  FEN_STREAM_CLIPBOARD, CLIP_WRITE_CAP) != 0) {
        fen_log(ERROR, "cannot set up the agent");
        goto out;
    }
    a->gui.on_msg = wintrack_on_msg;
    a->gui.on_ready = wintrack_on_ready;
    a->gui.on_down = wintrack_on_down;
    a->clip.on_msg = clip_on_msg;
    if (wintrack_start(a) != 0)
        goto out;
    fen_log(INFO, "serving %s with a pool of %u pages", cfg.spec,
            (unsigned)fen_pool_npages(a->pool));
    run(a);
    status = 0;
    wintrack_stop(a);
out:
    link_fini(&a->gui);
    link_fini(&a->clip);
    if (a->own_hwnd)
        DestroyWindow(a->own_hwnd);
    capture_destroy(a->cap);
    cursor_destroy(a->cursor);
    fen_pool_destroy(a->pool);
    WSACleanup();
    return status;
}
