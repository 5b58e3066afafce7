/* gui-agent: the guest side of Fenestra's gui stream (private header).
 *
 * One process per guest X server.  It redirects every top-level window with
 * Composite (manual redirection: nothing is drawn on the unseen guest screen),
 * tracks damage with XDamage, copies damaged pixels into shared pages with
 * MIT-SHM (or, with the Fenestra Xorg driver, only names the pages), and
 * forwards window lifecycle, properties and the cursor to dom0's guid over a
 * channel; input from guid is injected with XTest.
 *
 * No window manager runs in the guest and the agent does NOT become one (it
 * does not select SubstructureRedirect on the root): clients map, move and
 * resize their own windows, and the agent only observes (SubstructureNotify)
 * and applies what dom0 asks for (configure, focus, state).  The dom0 window
 * manager is the only one the user sees: the EWMH / ICCCM requests clients
 * send a WM (state changes, iconify, activate) go to it through guid, and
 * the agent announces them as supported (ewmh.c) so toolkits send them.
 *
 * Module map:
 *   main.c     arguments, X setup, the poll loop
 *   conn.c     channel server, handshake, reconnect + replay, dom0 messages
 *   windows.c  window table and lifecycle (X events -> CREATE/MAP/...)
 *   pixels.c   pool, MIT-SHM copies, shares, WINDOW_DUMP, DAMAGE
 *   props.c    title, class, hints, flags, transient-for, cursor
 *   ewmh.c     the EWMH support the guest's clients see (check window)
 *   input.c    XTest injection of dom0 input
 *   damage_merge.c, modsync.c, cursor_names.c, prop_parse.c: pure helpers
 */
#ifndef GUI_AGENT_AGENT_H
#define GUI_AGENT_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <xcb/damage.h>
#include <xcb/shm.h>
#include <xcb/xcb.h>

#include "damage_merge.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"
#include "prop_parse.h"

struct fen_chan;
struct fen_pool;
struct fen_reader;
struct fen_writer;
struct fen_share;
struct drv_mode;

/* A share that dom0 may still map: freed once dom0 acknowledges a dump with
 * a serial >= `until_serial`, or when the window goes away. */
struct old_share {
    struct fen_share *share;
    uint32_t until_serial;
    struct old_share *next;
};

struct agent_window {
    xcb_window_t id;
    int32_t x, y;         /* outer position on the guest root */
    uint32_t w, h;        /* inside size */
    uint32_t bw;          /* border width */
    uint8_t depth;
    bool override_redirect;
    bool mapped;          /* X map state (MapNotify seen, no UnmapNotify since) */
    bool announced;       /* CREATE sent on the current connection */
    bool map_sent;        /* MAP sent on the current connection */
    /* Geometries dom0 asked for (CONFIGURE) whose ConfigureNotify has not
     * come back yet: those are dom0's own and are not reported back.  An
     * echo of an older request, arriving after dom0 asked for a newer one
     * (a WM maximizing, then restoring), would otherwise undo the newer. */
    struct fen_rect dom0_cfg[4];
    uint8_t ndom0_cfg;

    xcb_damage_damage_t damage;
    xcb_pixmap_t pixmap;  /* named composite pixmap (copy mode), 0 = none */
    uint32_t pix_w, pix_h; /* size the pixmap was named at */

    /* Pixels shown to dom0: a share of the pool (copy mode) or driver pages. */
    struct fen_share *share;
    uint32_t share_w, share_h;
    bool share_contig;    /* refs are consecutive: shm can write straight in */
    bool driver_pages;    /* current dump names driver pixmap pages */
    uint32_t serial;      /* serial of the last WINDOW_DUMP */
    bool dump_sent;       /* a dump for the current pixels went on this connection */
    struct old_share *old;

    struct dmg_acc acc;   /* damage gathered this loop iteration */
    bool dmg_seen;        /* DamageNotify arrived: subtract (re-arm) this iteration */
    bool dmg_raw;         /* XDamage reports every drawing (driver mode): no subtract */
    bool mark_pending;    /* frame pacing: FRAME_MARK mark_serial goes after the damage */
    uint32_t mark_serial;

    /* Last values sent to dom0 (to send only changes). */
    char title[FEN_MAX_TITLE_BYTES];
    uint32_t title_len;
    bool title_sent;
    struct fen_msg_wm_class wm_class;
    bool class_sent;
    struct fen_msg_size_hints hints;
    bool hints_sent;
    xcb_window_t transient_for;
    uint32_t flags_wanted; /* FEN_WMFLAG_* the client asks for */
    uint32_t flags_sent;   /* what dom0 last heard */
    uint32_t flags_granted; /* what dom0 last told us */
    bool urgent;           /* WM_HINTS urgency */
};

struct agent_atoms {
    xcb_atom_t net_wm_name, utf8_string, wm_name, wm_class, wm_normal_hints, wm_hints,
        wm_transient_for, net_wm_state, wm_protocols, wm_delete_window, wm_change_state,
        net_active_window;
    struct prop_state_atoms state;
};

struct agent {
    const char *qube;
    const char *spec;
    bool xen;               /* spec is xen:DOMID */
    bool local;             /* spec is local:DIR (pool fds ride on the channel) */

    xcb_connection_t *conn;
    xcb_screen_t *screen;
    xcb_window_t root;
    struct agent_atoms atoms;
    uint8_t damage_event;   /* first event of the DAMAGE extension */
    uint8_t xfixes_event;
    bool have_xfixes;

    /* Pixels. */
    struct fen_pool *pool;
    xcb_shm_seg_t pool_seg; /* the whole pool attached to the X server, 0 = none */
    int scratch_fd;         /* staging segment for non-contiguous / xen shares */
    uint8_t *scratch;
    size_t scratch_size;
    xcb_shm_seg_t scratch_seg;
    struct drv_mode *drv;

    /* Windows, in creation order. */
    struct agent_window **win;
    uint32_t nwin, capwin;

    /* Channel. */
    struct fen_chan *chan;
    struct fen_reader *reader;
    struct fen_writer *writer;
    bool ready;             /* dom0's HELLO accepted: window messages may flow */
    bool no_pacing;         /* --no-frame-pacing: never offer it */
    bool pacing;            /* both sides agreed on FEN_FEATURE_FRAME_PACING */
    uint32_t dom0_w, dom0_h;

    /* Input. */
    xcb_window_t pointer_window; /* last window dom0 moved the pointer in */
    xcb_window_t focus_window;
    uint32_t cursor_glyph_sent;  /* last CURSOR sent (to cursor_window_sent) */
    xcb_window_t cursor_window_sent;
    xcb_atom_t cursor_name;      /* current cursor name atom (XFixes) */

    bool quit;
};

/* ---- conn.c ---- */
int conn_start(struct agent *a);                 /* create the channel server */
void conn_stop(struct agent *a);
int conn_fd(const struct agent *a);
bool conn_wants_write(const struct agent *a);
void conn_handle_io(struct agent *a, bool readable, bool writable);
/* Queue a message to dom0 (dropped silently when not ready).  On a send
 * failure the connection is dropped and re-listened. */
void conn_send(struct agent *a, uint32_t type, uint32_t window, const void *body, uint32_t len);
void conn_send2(struct agent *a, uint32_t type, uint32_t window, const void *head,
                uint32_t head_len, const void *tail, uint32_t tail_len);
void conn_flush(struct agent *a);

/* ---- windows.c ---- */
struct agent_window *win_find(struct agent *a, xcb_window_t id);
int win_scan_existing(struct agent *a);
void win_handle_event(struct agent *a, xcb_generic_event_t *ev);
/* Send every window to a freshly connected dom0. */
void win_replay(struct agent *a);
/* The connection dropped: forget what dom0 knew. */
void win_disconnected(struct agent *a);
void win_destroy_all(struct agent *a);

/* ---- pixels.c ---- */
int pix_init(struct agent *a, size_t pool_pages);
void pix_fini(struct agent *a);
int pix_announce(struct agent *a);             /* pools to a new connection */
/* The window was mapped or resized: (re)name its pixmap, share pages for
 * its size, send WINDOW_DUMP, mark it fully damaged. */
void pix_window_mapped(struct agent *a, struct agent_window *w);
void pix_window_unmapped(struct agent *a, struct agent_window *w);
void pix_window_destroyed(struct agent *a, struct agent_window *w);
void pix_dump_ack(struct agent *a, struct agent_window *w, uint32_t serial);
void pix_free_old_shares(struct agent *a, struct agent_window *w);
/* Copy and send all pending damage (once per loop iteration). */
void pix_flush_damage(struct agent *a);
/* The driver reports frame `serial` put into window xid (frame pacing):
 * pass it to dom0 after the window's damage, or answer it at once when dom0
 * does not show the window. */
void pix_frame_put(struct agent *a, xcb_window_t xid, uint32_t serial);

/* ---- props.c ---- */
int props_init_atoms(struct agent *a);
/* Read and send (when changed) the properties of w; `atom` = 0: all. */
void props_update(struct agent *a, struct agent_window *w, xcb_atom_t atom);
void props_send_all(struct agent *a, struct agent_window *w); /* replay: resend */
/* ewmh.c: announce on the guest root the EWMH requests the agent handles
 * (unless a real WM runs there).  0, or -1 (atoms could not be interned). */
int ewmh_announce(struct agent *a);

/* ICCCM WM_CHANGE_STATE (iconic = IconicState) or EWMH _NET_ACTIVE_WINDOW
 * (iconic = false: be shown again): a request for dom0's WM. */
void props_iconify_request(struct agent *a, struct agent_window *w, bool iconic);
void props_state_request(struct agent *a, struct agent_window *w,
                         const xcb_client_message_event_t *ev);
void props_dom0_flags(struct agent *a, struct agent_window *w, const struct fen_msg_wm_flags *f);
void props_cursor_changed(struct agent *a, xcb_atom_t name);
void props_send_cursor(struct agent *a);
void props_close_window(struct agent *a, struct agent_window *w);

/* ---- input.c ---- */
int input_init(struct agent *a);
void input_handle(struct agent *a, const struct fen_msg *m);

#endif
