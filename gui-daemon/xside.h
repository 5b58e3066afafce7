/* guid's dom0 X side (xcb): one dom0 window per guest window, the trusted
 * frame and title, and the pixel path (guest pages -> MIT-SHM put).  It
 * implements `struct guid_xops` for wstate.c; xinput.c reads its atoms and
 * per-window X state to translate dom0 events. */
#ifndef GUID_XSIDE_H
#define GUID_XSIDE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <xcb/xcb.h>

#include "monitor.h"
#include "wstate.h"
#include "fenestra/xatom.h" /* fen_x_intern: atoms by name (a round trip; start-up only) */

struct guid_xside_config {
    const char *qube;
    const char *label_text; /* as given, for _FENESTRA_LABEL_NAME */
    uint32_t label_rgb;
    uint32_t frame;
    const char *display; /* NULL: $DISPLAY */
    bool or_manage;      /* override_redirect = manage: no guest window bypasses the WM */
    /* Paint backpressure (0: none): at most this many pixels of puts are
     * sent before guid waits for the X server to have executed them; each
     * put is at most this large (wstate bands larger rects). */
    uint32_t paint_band;
};

/* A shared-memory segment known to the dom0 X server: one per guest pool
 * (attached once, while any window shows pixels from it). */
struct guid_xseg {
    uint32_t seg;
    dev_t dev;
    ino_t ino;
    unsigned refs;
};

/* Per dom0 window (guid_win.xpriv). */
struct guid_xwin {
    xcb_window_t id;
    bool override_redirect; /* what the X window has now */
    bool reparented;        /* a dom0 WM reparented it */
    bool fs_state;          /* guid wrote the fullscreen _NET_WM_STATE */
    uint32_t config_seq;    /* sequence of our last ConfigureWindow */
    uint32_t width, height; /* actual size, from ConfigureNotify */
    struct guid_xseg *pool_seg; /* pixels from a guest pool segment, or */
    uint32_t own_seg;           /* a private copy segment (mapping not one run) */
    uint8_t *own_ptr;
    size_t own_size;
    uint64_t seg_offset;    /* byte offset of the image in the segment */
};

#define GUID_XSEG_MAX 16

/* Paint backpressure: bands of puts a guid may have in the dom0 X server at
 * once.  Two keep the server busy while guid answers the reply to the
 * older one, so a qube's own full-screen frames are not slowed down. */
#define GUID_PAINT_DEPTH 2

struct guid_xside {
    struct guid_xside_config cfg;
    xcb_connection_t *conn;
    xcb_screen_t *screen;
    xcb_gcontext_t frame_gc, put_gc;
    xcb_font_t cursor_font;
    xcb_cursor_t cursors[FEN_CURSOR_GLYPH_MAX + 2];
    struct {
        xcb_atom_t wm_protocols, wm_delete_window, net_wm_name, utf8_string, fenestra_qube,
            fenestra_label, fenestra_label_name, net_wm_state, net_wm_state_max_vert,
            net_wm_state_max_horz, net_wm_state_hidden, wm_state, wm_change_state;
    } atom;
    struct guid_xseg *segs[GUID_XSEG_MAX];
    /* Queried at start, for each new window and fullscreen request, after
     * a RandR change event, and when older than GUID_MONITORS_MAX_AGE_MS
     * (RandR 1.5 sends no event when a client defines a monitor). */
    struct guid_monitors monitors;
    uint64_t monitors_at; /* monotonic ms of the last query; 0: query again */
    uint8_t randr_event;  /* RandR's first event code, 0 without RandR */
    bool layout_changed;  /* a query found other monitors than before */
    struct guid_fullscreen *fs;    /* banner + exit hotkey (fullscreen.c); may be NULL */
    /* Paint backpressure: pixels put since the last fence, and the fences
     * in flight (GetInputFocus requests whose replies say the X server got
     * past the puts before them), oldest first.  Positions are request
     * sequence numbers widened to 64 bits (seq64: the newest seen). */
    uint64_t painted_px;
    uint64_t fence_seq[GUID_PAINT_DEPTH];
    unsigned nfences;
    uint64_t seq64;
    /* Frame pacing: the newest put, how far the X server is known to have
     * executed requests (a fence reply came back), and the one fence a
     * FRAME_MARK asked for (0: none in flight). */
    uint64_t put_pos, read_pos, mark_fence;
};

/* Connect to the dom0 X server and check what guid needs (depth-24 root in
 * 32 bpp, MIT-SHM 1.2 with fd passing).  NULL with the reason logged. */
struct guid_xside *guid_xside_create(const struct guid_xside_config *cfg)
    __attribute__((warn_unused_result));
void guid_xside_destroy(struct guid_xside *xs); /* accepts NULL; windows must be gone */


/* The ops table for wstate (ctx = xs). */
void guid_xside_ops(struct guid_xside *xs, struct guid_xops *ops);

/* Paint the frame of w in the label color (on every Expose). */
void guid_xside_paint_frame(struct guid_xside *xs, struct guid_win *w);

int guid_xside_fd(const struct guid_xside *xs);

/* A dom0 event for the X side itself (RandR changes): true when consumed. */
bool guid_xside_handle_event(struct guid_xside *xs, const xcb_generic_event_t *ev);

/* The monitors changed since the last call (the caller lays the windows
 * out again: guid_wstate_relayout). */
bool guid_xside_take_layout_changed(struct guid_xside *xs);

/* Paint backpressure, called by the main loop: send a fence after the
 * puts of this round (before flushing; win_paint sends one after each
 * band), and see whether fences came back (true when one did: collected
 * damage may be painted now, or frame marks answered). */
void guid_xside_paint_fence(struct guid_xside *xs);
bool guid_xside_paint_done(struct guid_xside *xs);

#endif
