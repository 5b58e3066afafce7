/* The Windows guest agent: shared state of its modules.
 *
 *   main.c      command line, Winsock, the event loop
 *   link.c      one channel (gui / clipboard): accept, HELLO, read, write
 *   wintrack.c  top-level windows: WinEvent hooks -> CREATE/MAP/CONFIGURE/TITLE/...
 *   capture.c   capture into shared pages: DXGI desktop duplication where
 *               available (capture_dxgi.c, dirty_map.c), else GDI with
 *               damage by tile comparison
 *   cursor.c    the pointer's shape over tracked windows -> FEN_MSG_CURSOR
 *   winprops.c  size hints and window-state flags, both directions
 *   input.c     dom0 input -> SendInput (keymap.c: X keycode -> scancode)
 *   clip.c      clipboard channel: CF_UNICODETEXT <-> UTF-8
 *
 * Everything runs on one thread: WinEvent hooks are out-of-context, so their
 * callbacks arrive through this thread's message loop.
 */
#ifndef FEN_WIN_AGENT_H
#define FEN_WIN_AGENT_H

#include <winsock2.h>
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>

#include "fenestra/channel.h"
#include "fenestra/msgio.h"
#include "fenestra/pages.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"

struct agent;

struct agent_config {
    const char *spec;     /* tcp:PORTBASE:POOLPATH (the pool path in Windows form) */
    unsigned interval_ms; /* capture period for windows that may have changed */
    unsigned idle_ms;     /* capture period for windows without recent events */
    bool gdi_only;        /* --capture gdi: do not try DXGI desktop duplication */
};

/* One channel with its reader and writer. */
struct link {
    const char *name;          /* "gui" / "clipboard" for logs */
    int port;                  /* FEN_PORT_* */
    enum fen_stream in_stream; /* what we receive */
    enum fen_stream_kind kind;
    struct fen_chan *ch;
    struct fen_reader *rd;
    struct fen_writer *wr;
    bool ready;  /* HELLO exchanged */
    WSAEVENT ev; /* signalled on socket activity */
    int ev_fd;   /* the socket ev is attached to */
    bool init_failed_logged;
    /* Called with each checked message once ready, and on connect/disconnect. */
    void (*on_msg)(struct agent *a, const struct fen_msg *msg);
    void (*on_ready)(struct agent *a);
    void (*on_down)(struct agent *a);
};

#define AGENT_MAX_RETIRED 4
/* A window with events or changing pixels stays on the fast capture period
 * this long. */
#define AGENT_ACTIVE_MS 2000

struct agent_win {
    HWND hwnd;
    uint32_t id;
    bool created, mapped;
    bool override_redirect;
    struct fen_rect rect;                /* last sent */
    char title[FEN_MAX_TITLE_BYTES + 1]; /* last sent */
    bool title_sent;
    /* Pixels: the current share and the ones dom0 may still map. */
    struct fen_share *share;
    uint32_t width, height, stride, serial;
    struct fen_share *retired[AGENT_MAX_RETIRED];
    uint32_t retired_serial[AGENT_MAX_RETIRED];
    unsigned nretired;
    bool full_damage;       /* damage everything on the next capture */
    bool by_dxgi;           /* last captured from the duplicated desktop */
    /* Size hints and state flags as last sent (winprops.c). */
    struct fen_msg_size_hints hints;
    bool hints_sent;
    LONG hints_style; /* style and size the hints were computed for */
    uint32_t hints_w, hints_h;
    uint32_t flags_sent;
    ULONGLONG flags_pending_until; /* dom0's request is being applied until then */
    ULONGLONG active_until; /* capture at interval_ms until then, else idle_ms */
    ULONGLONG next_capture;
};

struct capture;

struct agent {
    const struct agent_config *cfg;
    struct fen_pool *pool;
    struct link gui, clip;
    struct agent_win *wins[FEN_MAX_WINDOWS_PER_QUBE];
    size_t nwins;
    uint32_t next_id, next_serial;
    uint32_t screen_w, screen_h; /* dom0's, from its HELLO */
    HWND own_hwnd;               /* message-only window (clipboard owner) */
    struct capture *cap;
    struct cursor_state *cursor;
    /* counters for the periodic debug line (FENESTRA_LOG_LEVEL=debug) */
    uint64_t n_captures, n_damage_rects, n_bytes_scanned, capture_us, n_wakeups, n_events;
    ULONGLONG next_stats;
};

/* link.c */
/* write_cap: most bytes queued for a slow dom0 before the link is dropped
 * (must hold the largest message the link sends). */
int link_init(struct link *l, const char *name, int port, enum fen_stream in_stream,
              enum fen_stream_kind kind, size_t write_cap);
void link_service(struct agent *a, struct link *l);
int link_send(struct agent *a, struct link *l, uint32_t type, uint32_t window, const void *body,
              uint32_t len);
void link_drop(struct agent *a, struct link *l, const char *why);
void link_fini(struct link *l);

/* wintrack.c */
int wintrack_start(struct agent *a);
void wintrack_stop(struct agent *a);
void wintrack_sync_pending(struct agent *a);
/* Bring dom0 up to date about one window (may remove it from the table). */
void wintrack_sync(struct agent *a, HWND hwnd);
void wintrack_on_ready(struct agent *a);
void wintrack_on_down(struct agent *a);
void wintrack_on_msg(struct agent *a, const struct fen_msg *msg);
struct agent_win *wintrack_find_id(struct agent *a, uint32_t id);
struct agent_win *wintrack_find_hwnd(struct agent *a, HWND hwnd);
void wintrack_mark_active(struct agent_win *w);
/* (Re)allocate w's share for its current size and send WINDOW_DUMP. */
int wintrack_send_dump(struct agent *a, struct agent_win *w);

/* capture.c */
/* Picks the capture path (DXGI desktop duplication unless cfg->gdi_only or
 * unavailable, else GDI) and logs which one runs and why. */
struct capture *capture_create(const struct agent_config *cfg);
void capture_destroy(struct capture *c);
/* Capture due windows; returns ms until the next one is due. */
DWORD capture_tick(struct agent *a);
/* Log and reset the capture counters every 10 s (debug level). */
void capture_log_stats(struct agent *a);
/* Send DAMAGE for n rects of w (split into messages of at most
 * FEN_MAX_DAMAGE_RECTS). */
void capture_send_damage(struct agent *a, struct agent_win *w, const struct fen_rect *rects,
                         uint32_t n);

/* capture_dxgi.c: DXGI desktop duplication of output 0. */
struct dxgi_cap;
/* NULL when unavailable, with the reason in why. */
struct dxgi_cap *dxgi_cap_create(char *why, size_t why_len);
void dxgi_cap_destroy(struct dxgi_cap *d);
void dxgi_cap_describe(const struct dxgi_cap *d, char *out, size_t len);
/* w is mapped, entirely on the duplicated output, and an image is there. */
bool dxgi_cap_covers(const struct dxgi_cap *d, const struct agent_win *w);
/* Take the next frame if there is one (never waits); copy and damage what
 * changed in covered windows.  -1 (reason in why) when duplication is
 * broken for good: the caller falls back to GDI. */
int dxgi_cap_poll(struct dxgi_cap *d, struct agent *a, char *why, size_t why_len);

/* cursor.c */
struct cursor_state *cursor_create(void);
void cursor_destroy(struct cursor_state *c);
/* The FEN_MSG_CURSOR glyph for a cursor handle (FEN_CURSOR_DEFAULT when
 * it is not one of the standard cursors). */
uint32_t cursor_glyph_for_handle(struct cursor_state *c, HCURSOR h);
/* Tell dom0 the shape of the pointer when it is over a tracked window and
 * the shape or the window changed. */
void cursor_update(struct agent *a);
/* dom0 reconnected: send the current shape again. */
void cursor_reset(struct agent *a);

/* winprops.c */
/* WM_NORMAL_HINTS-style limits of hwnd: fixed size without WS_THICKFRAME,
 * else min/max track size from WM_GETMINMAXINFO (SendMessageTimeout, so a
 * hung application costs at most a few ms and is skipped). */
void winprops_size_hints(HWND hwnd, const struct fen_rect *rect, struct fen_msg_size_hints *h);
/* FEN_WMFLAG_MINIMIZED / _MAXIMIZED of hwnd now. */
uint32_t winprops_state_flags(HWND hwnd);
/* Send SIZE_HINTS / WM_FLAGS when they differ from what dom0 has. */
void winprops_sync(struct agent *a, struct agent_win *w, const struct fen_rect *rect);
/* dom0 asks for flags: minimize / maximize / restore with ShowWindow. */
void winprops_apply_flags(struct agent *a, struct agent_win *w, const struct fen_msg_wm_flags *f);

/* input.c */
void input_key(struct agent *a, struct agent_win *w, const struct fen_msg_key *k);
void input_button(struct agent *a, struct agent_win *w, const struct fen_msg_button *b);
void input_motion(struct agent *a, struct agent_win *w, const struct fen_msg_motion *m);
void input_focus(struct agent *a, struct agent_win *w, const struct fen_msg_focus *f);

/* keymap.c: X (evdev) keycode -> PC set-1 scancode; *extended for E0 keys.
 * *vk gets a fixed virtual key for keys whose VK does not depend on the
 * layout, else 0 (then MapVirtualKey decides).  false when unmapped. */
bool keymap_x_to_scancode(uint32_t keycode, uint16_t *scan, bool *extended, uint16_t *vk);

/* clip.c */
void clip_on_msg(struct agent *a, const struct fen_msg *msg);

/* utf.c: UTF-16 -> UTF-8, cut at a character boundary to at most max bytes
 * (out needs max+1); returns bytes written.  And back (malloc'ed, NUL-ended). */
size_t utf16_to_utf8(const wchar_t *in, size_t in_len, char *out, size_t max);
wchar_t *utf8_to_utf16(const char *in, size_t len);

#endif
