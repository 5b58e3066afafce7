/* guid window state: the table of one qube's windows and what each guest
 * message does to it.  This module never talks to X directly: it calls the
 * X side only through `struct guid_xops` (implemented by xside.c, or by a
 * recording fake in tests and fuzzers), and sends to the guest only through
 * `struct guid_sendops`.  Every message it gets has passed fen_parse_msg;
 * here it is checked against state (ids exist / are new, limits, parents,
 * damage within the dump, refs within the pool). */
#ifndef GUID_WSTATE_H
#define GUID_WSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fenestra/pages.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"

/* The pixels currently shown for a window: a mapping of guest pages. */
struct guid_dump {
    bool valid;
    uint32_t width, height, stride, offset, format, serial, pool_id;
    uint64_t bytes;          /* mapped guest memory, counted against the qube's limit */
    struct fen_mapping *map; /* owned by the window; unmapped on replace/destroy */
};

#define GUID_PENDING_MAX 16

/* Where a window's unanswered FRAME_MARK is (frame pacing): waiting for the
 * damage received before it to be painted, then for the dom0 X server to
 * have executed those puts (read the pixels out of the guest's pages). */
enum guid_mark { GUID_MARK_NONE, GUID_MARK_PAINT, GUID_MARK_READ };

struct guid_win {
    uint32_t id;          /* guest-chosen, nonzero */
    struct fen_rect rect; /* guest geometry of the content (root coordinates) */
    bool override_redirect;
    bool mapped;
    uint32_t parent;        /* 0 or an existing id */
    uint32_t transient_for; /* 0 or an existing id */
    char title[FEN_MAX_TITLE_BYTES + 1];             /* sanitized */
    char res_class[FEN_MAX_CLASS_BYTES];             /* sanitized */
    char res_name[FEN_MAX_CLASS_BYTES];
    bool has_hints;
    struct fen_msg_size_hints hints;
    uint32_t wm_flags;      /* flags dom0 granted (FEN_WMFLAG_*) */
    struct fen_rect saved_rect; /* rect before a fullscreen request */
    /* What the dom0 WM last showed (guid_wstate_dom0_wm_state): MINIMIZED /
     * MAXIMIZED bits, and which of them were observed at all. */
    uint32_t dom0_flags, dom0_known;
    /* MINIMIZED / MAXIMIZED the guest asked the dom0 WM for (bits in
     * wm_ask_mask, wanted values in wm_ask), not seen done yet; and the
     * rate limit on such requests (tokens, refilled from wm_ask_ms on). */
    uint32_t wm_ask, wm_ask_mask;
    uint32_t wm_ask_tokens;
    uint64_t wm_ask_ms;
    bool wm_ask_dropped; /* logged a refused request since the last one passed */
    /* Fullscreen granted by policy (allow_fullscreen): the window covers its
     * monitor with no frame, above everything; dom0 shows a banner. */
    bool fs_exclusive;
    bool fs_user_exited; /* the user left fullscreen with the dom0 hotkey:
                            later requests get the framed, maximized kind */
    uint32_t cursor;        /* glyph or FEN_CURSOR_DEFAULT */
    struct guid_dump dump;
    /* Damage not painted yet (see guid_wstate_set_paint_budget). */
    struct fen_rect pending[GUID_PENDING_MAX];
    uint32_t npending;
    bool geometry_pending; /* rect changed while out of budget: apply later */
    /* The newest FRAME_MARK not answered yet (an older one is replaced):
     * its serial, its state and, once painted (GUID_MARK_READ), the X
     * side's paint_pos after those puts. */
    enum guid_mark mark;
    uint32_t mark_serial;
    uint64_t mark_pos;
    /* Set by the X side: the dom0 window and the outer (framed) geometry it
     * last asked for, in dom0 root coordinates. */
    uint32_t xid;
    struct fen_rect outer;
    void *xpriv;
};

/* The X side, as seen by the state logic.  Each call acts on one window; a
 * failing create makes the message fail (the connection is dropped). */
struct guid_xops {
    void *ctx;
    int (*win_create)(void *ctx, struct guid_win *w);  /* sets w->xid, w->outer */
    void (*win_destroy)(void *ctx, struct guid_win *w); /* also frees pixel resources */
    void (*win_map)(void *ctx, struct guid_win *w);
    void (*win_unmap)(void *ctx, struct guid_win *w);
    void (*win_geometry)(void *ctx, struct guid_win *w); /* apply w->rect; sets w->outer */
    void (*win_title)(void *ctx, struct guid_win *w);
    void (*win_class)(void *ctx, struct guid_win *w);
    void (*win_hints)(void *ctx, struct guid_win *w);
    void (*win_transient)(void *ctx, struct guid_win *w, const struct guid_win *owner);
    void (*win_wm_flags)(void *ctx, struct guid_win *w);
    /* Optional: ask the dom0 WM to minimize (set) / restore (unset) and to
     * maximize / unmaximize the (mapped) window, for the guest
     * (FEN_WMFLAG_MINIMIZED, FEN_WMFLAG_MAXIMIZED); what the WM does comes
     * back through guid_wstate_dom0_wm_state. */
    void (*win_wm_request)(void *ctx, struct guid_win *w, uint32_t set, uint32_t unset);
    void (*win_cursor)(void *ctx, struct guid_win *w);
    /* w->dump was just replaced by `dump` (already mapped): prepare to paint
     * from it (attach the pool to the X server once, or a private copy
     * segment).  0, or -1 (the connection is dropped). */
    int (*win_set_dump)(void *ctx, struct guid_win *w, const struct guid_dump *dump);
    /* Paint r (window coordinates, already clipped to the dump and to the
     * visible content area) from w->dump into the content area. */
    void (*win_paint)(void *ctx, struct guid_win *w, const struct fen_rect *r);
    void (*screen_size)(void *ctx, uint32_t *w, uint32_t *h);
    /* Optional (NULL: the whole screen): the monitor the outer rect `r` is
     * on, in root coordinates. */
    void (*monitor_of)(void *ctx, const struct fen_rect *r, struct fen_rect *mon);
    /* Optional: w->fs_exclusive changed (raise + banner, or hide it). */
    void (*fullscreen_changed)(void *ctx, struct guid_win *w);
    /* Optional (NULL: never busy): true while the X server has not yet
     * finished this qube's earlier paints.  Damage is then collected and
     * painted by guid_wstate_flush once it has: a flooding qube keeps at
     * most one batch of paints in the shared dom0 X server at a time. */
    bool (*paint_busy)(void *ctx);
    /* Most pixels per paint request (0: no limit): larger rects are painted
     * in bands of rows, each its own request, so no single request holds
     * the dom0 X server (which runs each request to its end) for long. */
    uint32_t paint_band;
    /* Optional (NULL: the pixels of a paint are read when it is made):
     * frame pacing.  paint_pos is where the X request stream is after the
     * paints made so far (never decreases); paint_read(pos) is true once
     * the X server has executed every request up to pos.  When false, the
     * X side has a fence in flight whose reply makes the caller call
     * guid_wstate_flush again (which answers the marks then due). */
    uint64_t (*paint_pos)(void *ctx);
    bool (*paint_read)(void *ctx, uint64_t pos);
};

/* The frame dom0 draws around w: none while it is fullscreen by policy. */
static inline uint32_t guid_win_frame(const struct guid_win *w, uint32_t frame)
{
    return w->fs_exclusive ? 0 : frame;
}

/* Per-qube policy the window state enforces (from the config file; guictl
 * may change allow_fullscreen at run time). */
struct guid_wpolicy {
    bool allow_fullscreen;
    uint32_t max_windows;  /* 1..FEN_MAX_WINDOWS_PER_QUBE */
    uint64_t max_memory;   /* bytes of guest pages mapped for all windows */
};

struct guid_sendops {
    void *ctx;
    /* Queue a message to the guest; 0, or -1 (the caller drops the link). */
    int (*send)(void *ctx, uint32_t type, uint32_t window, const void *body, uint32_t len);
};

struct guid_wstate;

struct guid_wstate *guid_wstate_create(const char *qube, uint32_t frame_width,
                                       const struct guid_xops *xops,
                                       const struct guid_sendops *sendops)
    __attribute__((warn_unused_result));
void guid_wstate_destroy(struct guid_wstate *ws); /* accepts NULL; destroys all windows */

/* The mapper for the current connection (owned by the caller; NULL when
 * disconnected) and the dump kind its backend uses (FEN_DUMP_LOCAL_POOL or
 * FEN_DUMP_XEN_GRANT).  Dumps and pools are refused without a mapper. */
void guid_wstate_set_mapper(struct guid_wstate *ws, struct fen_mapper *m, uint32_t dump_kind);

/* HELLO features granted to the guest on this connection (FEN_FEATURE_*;
 * 0 until the handshake and after a drop).  FRAME_MARK without
 * FEN_FEATURE_FRAME_PACING is refused. */
void guid_wstate_set_features(struct guid_wstate *ws, uint32_t features);

/* Apply one parsed guest message.  `fd` is the fd that came with it (POOL;
 * ownership passes to this call in every case) or -1.  FEN_OK, or an error
 * with the reason in err: the caller logs it and drops the connection.
 * DAMAGE is collected: the caller calls guid_wstate_flush after the batch of
 * messages it read, which paints it (and answers a FRAME_MARK behind it once
 * the X server has read the pixels). */
enum fen_err guid_wstate_handle(struct guid_wstate *ws, const struct fen_msg *msg, int fd,
                                struct fen_error *err) __attribute__((warn_unused_result));

/* The guest is gone: destroy every window (and its mapping). */
void guid_wstate_reset(struct guid_wstate *ws);

/* Replace the policy.  Revoking allow_fullscreen turns fullscreen windows
 * into framed, maximized ones; lowered limits bind new windows and dumps
 * (what exists stays).  0, or -1 when telling the guest failed. */
int guid_wstate_set_policy(struct guid_wstate *ws, const struct guid_wpolicy *p);
const struct guid_wpolicy *guid_wstate_policy(const struct guid_wstate *ws);

/* The dom0 fullscreen-exit hotkey: every policy-fullscreen window leaves
 * fullscreen (back to its earlier geometry, framed); the guest is told.
 * Returns how many windows left, or -1 when telling the guest failed. */
int guid_wstate_leave_fullscreen(struct guid_wstate *ws);

/* Paint budget (a token bucket of pixels): 0 (the default) paints all
 * collected damage at each flush.  N > 0: damage is painted at the next flush
 * while the qube has budget (refilled at N pixels per second, bursts up to N/30); once a guest
 * floods past it, its damage is collected (merged per window) and painted
 * when budget returns -- the dom0 X server does at most N pixels/s of work
 * for the qube, and a well-behaved qube never waits. */
void guid_wstate_set_paint_budget(struct guid_wstate *ws, uint64_t pixels_per_second);
/* Refill the budget and paint collected damage it and the X side allow
 * (now = monotonic ms); also called when the X side stops being busy or a
 * fence came back.  Then answers the FRAME_MARKs whose damage is painted
 * and read (FRAME_SHOWN). */
void guid_wstate_flush(struct guid_wstate *ws, uint64_t now_ms);
/* ms until guid_wstate_flush has work it may do, or -1 when none pending
 * or the X side is busy (its reply wakes the caller). */
int guid_wstate_flush_due(const struct guid_wstate *ws, uint64_t now_ms);

/* Damage or geometry waits for paint budget or for the X side: reading
 * more from the guest now would only merge more damage (guid_conn reads a
 * bounded amount more, then stops until the next paint). */
bool guid_wstate_throttled(const struct guid_wstate *ws);
/* Paint requests made so far (guid_conn: "has it painted since"). */
uint64_t guid_wstate_paints(const struct guid_wstate *ws);

/* Bytes of guest memory currently mapped for this qube's windows. */
uint64_t guid_wstate_memory(const struct guid_wstate *ws);

size_t guid_wstate_count(const struct guid_wstate *ws);
struct guid_win *guid_wstate_at(struct guid_wstate *ws, size_t i);
struct guid_win *guid_wstate_find(struct guid_wstate *ws, uint32_t id);
struct guid_win *guid_wstate_find_xid(struct guid_wstate *ws, uint32_t xid);

/* dom0 events. */
/* The dom0 window now has outer geometry `outer` (root coordinates), e.g.
 * the dom0 WM moved or resized it: if that is not what guid asked for,
 * update the content rect and send CONFIGURE to the guest.  0 or -1 (send
 * failed). */
int guid_wstate_dom0_configure(struct guid_wstate *ws, struct guid_win *w,
                               const struct fen_rect *outer);
/* The dom0 WM shows w with `flags` (FEN_WMFLAG_MINIMIZED / _MAXIMIZED; the
 * bits in `known` are meaningful), e.g. the user iconified or maximized it:
 * when that is a change from the previous observation and not what the
 * guest already has, tell the guest (WM_FLAGS set / unset).  0 or -1
 * (send failed). */
int guid_wstate_dom0_wm_state(struct guid_wstate *ws, struct guid_win *w, uint32_t flags,
                              uint32_t known);
/* The dom0 monitors changed: apply every window's geometry again (the X
 * side clamps it to the monitor it is on now). */
void guid_wstate_relayout(struct guid_wstate *ws);

/* Repaint the part of the content area inside `r` (window content
 * coordinates) from the current dump. */
void guid_wstate_repaint(struct guid_wstate *ws, struct guid_win *w, const struct fen_rect *r);

/* The visible content size of a window (its outer size minus the frame). */
void guid_win_content_size(const struct guid_wstate *ws, const struct guid_win *w, uint32_t *cw,
                           uint32_t *ch);

#endif
