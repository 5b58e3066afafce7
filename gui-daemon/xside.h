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

struct guid_xside_config {
    const char *qube;
    const char *label_text; /* as given, for _FENESTRA_LABEL_NAME */
    uint32_t label_rgb;
    uint32_t frame;
    const char *display; /* NULL: $DISPLAY */
    bool or_manage;      /* override_redirect = manage: no guest window bypasses the WM */
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
    uint32_t config_seq;    /* sequence of our last ConfigureWindow */
    uint32_t width, height; /* actual size, from ConfigureNotify */
    struct guid_xseg *pool_seg; /* pixels from a guest pool segment, or */
    uint32_t own_seg;           /* a private copy segment (mapping not one run) */
    uint8_t *own_ptr;
    size_t own_size;
    uint64_t seg_offset;    /* byte offset of the image in the segment */
};

#define GUID_XSEG_MAX 16

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
            net_wm_state_max_horz;
    } atom;
    struct guid_xseg *segs[GUID_XSEG_MAX];
    struct guid_monitors monitors; /* queried at start and on each fullscreen request */
    struct guid_fullscreen *fs;    /* banner + exit hotkey (fullscreen.c); may be NULL */
};

/* Connect to the dom0 X server and check what guid needs (depth-24 root in
 * 32 bpp, MIT-SHM 1.2 with fd passing).  NULL with the reason logged. */
struct guid_xside *guid_xside_create(const struct guid_xside_config *cfg)
    __attribute__((warn_unused_result));
void guid_xside_destroy(struct guid_xside *xs); /* accepts NULL; windows must be gone */

/* An atom by name (a round trip; start-up only), XCB_ATOM_NONE on failure. */
xcb_atom_t guid_x_intern(xcb_connection_t *c, const char *name);

/* The ops table for wstate (ctx = xs). */
void guid_xside_ops(struct guid_xside *xs, struct guid_xops *ops);

/* Paint the frame of w in the label color (on every Expose). */
void guid_xside_paint_frame(struct guid_xside *xs, struct guid_win *w);

int guid_xside_fd(const struct guid_xside *xs);

#endif
