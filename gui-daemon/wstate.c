/* guid window state: window table + guest message handlers (no X here). */
#include "wstate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/clock.h"
#include "fenestra/log.h"

struct guid_wstate {
    char qube[64];
    uint32_t frame;
    struct guid_xops x;
    struct guid_sendops s;
    struct fen_mapper *mapper;
    uint32_t dump_kind;
    struct guid_wpolicy policy;
    uint64_t memory; /* sum of the windows' dump.bytes */
    uint64_t paint_rate;     /* pixels per second; 0: no budget, paint at once */
    int64_t budget;          /* pixels that may be painted now (may go negative) */
    uint64_t last_refill;    /* monotonic ms */
    bool dirty;              /* some window has pending damage or geometry */
    uint64_t paints;         /* paint requests made so far */
    uint32_t features;       /* FEN_FEATURE_* granted on this connection */
    size_t marks;            /* windows with an unanswered FRAME_MARK */
    size_t count;
    struct guid_win *wins[FEN_MAX_WINDOWS_PER_QUBE];
};

__attribute__((format(printf, 3, 4))) static enum fen_err fail(struct fen_error *err,
                                                                enum fen_err code,
                                                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

struct guid_wstate *guid_wstate_create(const char *qube, uint32_t frame_width,
                                       const struct guid_xops *xops,
                                       const struct guid_sendops *sendops)
{
    struct guid_wstate *ws = calloc(1, sizeof(*ws));
    if (ws == NULL)
        return NULL;
    snprintf(ws->qube, sizeof(ws->qube), "%s", qube ? qube : "");
    ws->frame = frame_width;
    ws->x = *xops;
    ws->s = *sendops;
    ws->policy = (struct guid_wpolicy){.allow_fullscreen = false,
                                       .max_windows = FEN_MAX_WINDOWS_PER_QUBE,
                                       .max_memory = UINT64_MAX};
    return ws;
}

static void win_free(struct guid_wstate *ws, struct guid_win *w)
{
    if (w->mark != GUID_MARK_NONE)
        ws->marks--; /* a destroyed window's mark is dropped, not answered */
    ws->memory -= w->dump.bytes;
    ws->x.win_destroy(ws->x.ctx, w);
    if (ws->mapper != NULL)
        fen_mapping_unmap(ws->mapper, w->dump.map);
    free(w);
}

static void remove_at(struct guid_wstate *ws, size_t i)
{
    struct guid_win *w = ws->wins[i];
    ws->wins[i] = ws->wins[--ws->count];
    ws->wins[ws->count] = NULL;
    for (size_t j = 0; j < ws->count; j++) {
        if (ws->wins[j]->transient_for == w->id)
            ws->wins[j]->transient_for = 0;
        if (ws->wins[j]->parent == w->id)
            ws->wins[j]->parent = 0;
    }
    win_free(ws, w);
}

void guid_wstate_reset(struct guid_wstate *ws)
{
    if (ws == NULL)
        return;
    while (ws->count > 0)
        remove_at(ws, ws->count - 1);
}

void guid_wstate_destroy(struct guid_wstate *ws)
{
    if (ws == NULL)
        return;
    guid_wstate_reset(ws);
    free(ws);
}

void guid_wstate_set_features(struct guid_wstate *ws, uint32_t features)
{
    ws->features = features;
}

void guid_wstate_set_mapper(struct guid_wstate *ws, struct fen_mapper *m, uint32_t dump_kind)
{
    ws->mapper = m;
    ws->dump_kind = dump_kind;
}

size_t guid_wstate_count(const struct guid_wstate *ws) { return ws->count; }

struct guid_win *guid_wstate_at(struct guid_wstate *ws, size_t i)
{
    return i < ws->count ? ws->wins[i] : NULL;
}

struct guid_win *guid_wstate_find(struct guid_wstate *ws, uint32_t id)
{
    if (id == 0)
        return NULL;
    for (size_t i = 0; i < ws->count; i++)
        if (ws->wins[i]->id == id)
            return ws->wins[i];
    return NULL;
}

struct guid_win *guid_wstate_find_xid(struct guid_wstate *ws, uint32_t xid)
{
    if (xid == 0)
        return NULL;
    for (size_t i = 0; i < ws->count; i++)
        if (ws->wins[i]->xid == xid)
            return ws->wins[i];
    return NULL;
}

void guid_win_content_size(const struct guid_wstate *ws, const struct guid_win *w, uint32_t *cw,
                           uint32_t *ch)
{
    uint32_t f2 = 2 * guid_win_frame(w, ws->frame);
    *cw = w->outer.w > f2 ? w->outer.w - f2 : 0;
    *ch = w->outer.h > f2 ? w->outer.h - f2 : 0;
}

/* Clip to the dump and to what the dom0 window shows, then paint.
 * Returns the pixels painted. */
static int64_t paint_clipped(struct guid_wstate *ws, struct guid_win *w, struct fen_rect r)
{
    uint32_t cw, ch;
    if (!w->dump.valid)
        return 0;
    guid_win_content_size(ws, w, &cw, &ch);
    if (!fen_rect_clip(&r, w->dump.width, w->dump.height) || !fen_rect_clip(&r, cw, ch))
        return 0;
    ws->x.win_paint(ws->x.ctx, w, &r);
    ws->paints++;
    return (int64_t)r.w * r.h;
}

uint64_t guid_wstate_paints(const struct guid_wstate *ws) { return ws->paints; }

static void add_pending(struct guid_wstate *ws, struct guid_win *w, struct fen_rect r);

static bool x_busy(const struct guid_wstate *ws)
{
    return ws->x.paint_busy != NULL && ws->x.paint_busy(ws->x.ctx);
}

static bool have_budget(const struct guid_wstate *ws)
{
    return ws->paint_rate == 0 || ws->budget > 0;
}

/* Paint r now if the budget (when `budgeted`) and the X side allow, in
 * bands of rows no larger than the X side's paint_band, top first; what
 * cannot be painted now is collected for guid_wstate_flush.  The budget is
 * checked once per rectangle, not per band: a rectangle started is finished
 * (the bucket goes into debt), so an over-budget qube's frames are delayed,
 * not cut into bands painted milliseconds apart from changing pixels. */
static void paint_or_collect(struct guid_wstate *ws, struct guid_win *w, struct fen_rect r,
                             bool budgeted)
{
    if (!w->dump.valid || !fen_rect_clip(&r, w->dump.width, w->dump.height))
        return;
    if (budgeted && !have_budget(ws)) {
        add_pending(ws, w, r);
        return;
    }
    while (r.h > 0) {
        if (x_busy(ws)) {
            add_pending(ws, w, r);
            return;
        }
        struct fen_rect part = r;
        uint32_t band = ws->x.paint_band;
        if (band != 0 && (uint64_t)r.w * r.h > band)
            part.h = band / r.w > 0 ? band / r.w : 1;
        int64_t px = paint_clipped(ws, w, part);
        if (budgeted && ws->paint_rate != 0)
            ws->budget -= px;
        r.y += (int32_t)part.h;
        r.h -= part.h;
    }
}

void guid_wstate_repaint(struct guid_wstate *ws, struct guid_win *w, const struct fen_rect *r)
{
    /* An exposure: the geometry change that caused it was charged already. */
    paint_or_collect(ws, w, *r, false);
}

/* ---- damage coalescing ------------------------------------------------ */

static struct fen_rect bbox(struct fen_rect a, struct fen_rect b)
{
    int64_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    int64_t x1 = (int64_t)a.x + a.w, y1 = (int64_t)a.y + a.h;
    if ((int64_t)b.x + b.w > x1)
        x1 = (int64_t)b.x + b.w;
    if ((int64_t)b.y + b.h > y1)
        y1 = (int64_t)b.y + b.h;
    return (struct fen_rect){(int32_t)x0, (int32_t)y0, (uint32_t)(x1 - x0), (uint32_t)(y1 - y0)};
}

static bool contains(const struct fen_rect *a, const struct fen_rect *b)
{
    return b->x >= a->x && b->y >= a->y && (int64_t)b->x + b->w <= (int64_t)a->x + a->w &&
           (int64_t)b->y + b->h <= (int64_t)a->y + a->h;
}

/* Remember r (clipped to the dump) for the next flush; a full list becomes
 * its bounding box. */
static void add_pending(struct guid_wstate *ws, struct guid_win *w, struct fen_rect r)
{
    if (!w->dump.valid || !fen_rect_clip(&r, w->dump.width, w->dump.height))
        return;
    for (uint32_t i = 0; i < w->npending; i++)
        if (contains(&w->pending[i], &r))
            return;
    ws->dirty = true;
    if (w->npending < GUID_PENDING_MAX) {
        w->pending[w->npending++] = r;
        return;
    }
    struct fen_rect all = r;
    for (uint32_t i = 0; i < w->npending; i++)
        all = bbox(all, w->pending[i]);
    w->pending[0] = all;
    w->npending = 1;
}

static int64_t burst(const struct guid_wstate *ws) { return (int64_t)(ws->paint_rate / 30); }

void guid_wstate_set_paint_budget(struct guid_wstate *ws, uint64_t pixels_per_second)
{
    if (pixels_per_second > (UINT64_C(1) << 40))
        pixels_per_second = UINT64_C(1) << 40;
    ws->paint_rate = pixels_per_second;
    ws->budget = burst(ws);
    ws->last_refill = 0;
    if (pixels_per_second == 0)
        guid_wstate_flush(ws, 0);
}

static void refill(struct guid_wstate *ws, uint64_t now_ms)
{
    if (ws->last_refill == 0 || now_ms < ws->last_refill) {
        ws->last_refill = now_ms;
        return;
    }
    uint64_t dt = now_ms - ws->last_refill;
    if (dt > 1000)
        dt = 1000;
    ws->budget += (int64_t)(ws->paint_rate * dt / 1000);
    if (ws->budget > burst(ws))
        ws->budget = burst(ws);
    ws->last_refill = now_ms;
}

int guid_wstate_flush_due(const struct guid_wstate *ws, uint64_t now_ms)
{
    if (!ws->dirty || x_busy(ws))
        return -1;
    if (have_budget(ws))
        return 0;
    /* ms until the budget is positive again (at least 1) */
    uint64_t ms = ((uint64_t)(-ws->budget) * 1000 + ws->paint_rate - 1) / ws->paint_rate;
    uint64_t elapsed = now_ms > ws->last_refill ? now_ms - ws->last_refill : 0;
    ms = ms > elapsed ? ms - elapsed : 0;
    return ms == 0 ? 1 : (int)(ms > 1000 ? 1000 : ms);
}

void guid_wstate_relayout(struct guid_wstate *ws)
{
    for (size_t i = 0; i < ws->count; i++)
        ws->x.win_geometry(ws->x.ctx, ws->wins[i]);
}

bool guid_wstate_throttled(const struct guid_wstate *ws)
{
    return ws->dirty && (!have_budget(ws) || x_busy(ws));
}

static void paint_collected(struct guid_wstate *ws)
{
    ws->dirty = false; /* add_pending sets it again for what stays */
    for (size_t i = 0; i < ws->count; i++) {
        struct guid_win *w = ws->wins[i];
        if (w->geometry_pending) {
            w->geometry_pending = false;
            ws->x.win_geometry(ws->x.ctx, w);
            ws->budget -= (int64_t)w->outer.w * w->outer.h;
        }
        struct fen_rect todo[GUID_PENDING_MAX];
        uint32_t n = w->npending;
        memcpy(todo, w->pending, n * sizeof(todo[0]));
        w->npending = 0;
        for (uint32_t j = 0; j < n; j++)
            paint_or_collect(ws, w, todo[j], true);
    }
}

static void advance_marks(struct guid_wstate *ws);

void guid_wstate_flush(struct guid_wstate *ws, uint64_t now_ms)
{
    if (ws->paint_rate != 0)
        refill(ws, now_ms);
    if (ws->dirty && have_budget(ws) && !x_busy(ws))
        paint_collected(ws);
    advance_marks(ws);
}

static int send_msg(struct guid_wstate *ws, uint32_t type, uint32_t window, const void *body,
                    uint32_t len)
{
    return ws->s.send(ws->s.ctx, type, window, body, len);
}

/* ---- frame pacing (FRAME_MARK -> FRAME_SHOWN) ---------------------------- */

static int mark_answer(struct guid_wstate *ws, struct guid_win *w)
{
    struct fen_msg_frame f = {w->mark_serial};
    w->mark = GUID_MARK_NONE;
    ws->marks--;
    return send_msg(ws, FEN_MSG_FRAME_SHOWN, w->id, &f, sizeof(f));
}

/* Move w's mark on as far as it can go now; answer it once the damage
 * before it is painted and the X server has executed those puts.  Damage
 * that arrived after the mark may be merged with the damage before it:
 * the mark then waits for that too (pending rects cannot be told apart).
 * 0, or -1 when sending failed. */
static int mark_advance(struct guid_wstate *ws, struct guid_win *w)
{
    if (w->mark == GUID_MARK_PAINT) {
        if (w->npending > 0)
            return 0;
        w->mark = GUID_MARK_READ;
        w->mark_pos = ws->x.paint_pos != NULL ? ws->x.paint_pos(ws->x.ctx) : 0;
    }
    if (w->mark != GUID_MARK_READ)
        return 0;
    if (ws->x.paint_read != NULL && !ws->x.paint_read(ws->x.ctx, w->mark_pos))
        return 0; /* a fence is in flight: its reply brings us back here */
    return mark_answer(ws, w);
}

/* A failed send marks the link broken; the loop drops it. */
static void advance_marks(struct guid_wstate *ws)
{
    for (size_t i = 0; i < ws->count && ws->marks > 0; i++)
        if (ws->wins[i]->mark != GUID_MARK_NONE)
            (void)mark_advance(ws, ws->wins[i]);
}

static enum fen_err handle_frame_mark(struct guid_wstate *ws, struct guid_win *w,
                                      const struct fen_msg *msg, struct fen_error *err)
{
    if (!(ws->features & FEN_FEATURE_FRAME_PACING))
        return fail(err, FEN_E_STATE, "FRAME_MARK: frame pacing was not negotiated");
    if (w->mark == GUID_MARK_NONE)
        ws->marks++;
    /* Replaces an unanswered mark: its damage is before this one's too. */
    w->mark_serial = msg->u.frame.serial;
    w->mark = GUID_MARK_PAINT;
    /* Nothing shown (unmapped, no pixels yet): nothing to wait for. */
    int rc = (!w->mapped || !w->dump.valid) ? mark_answer(ws, w) : mark_advance(ws, w);
    if (rc != 0)
        return fail(err, FEN_E_STATE, "FRAME_MARK: cannot send FRAME_SHOWN");
    return FEN_OK;
}

static int send_configure(struct guid_wstate *ws, struct guid_win *w)
{
    struct fen_msg_configure c = {.rect = w->rect, .override_redirect = w->override_redirect};
    return send_msg(ws, FEN_MSG_CONFIGURE, w->id, &c, sizeof(c));
}

int guid_wstate_dom0_configure(struct guid_wstate *ws, struct guid_win *w,
                               const struct fen_rect *outer)
{
    if (memcmp(outer, &w->outer, sizeof(*outer)) == 0)
        return 0;
    w->outer = *outer;
    if (w->override_redirect || w->fs_exclusive || outer->w <= 2 * ws->frame || outer->h <= 2 * ws->frame)
        return 0;
    struct fen_rect content = {outer->x + (int32_t)ws->frame, outer->y + (int32_t)ws->frame,
                               outer->w - 2 * ws->frame, outer->h - 2 * ws->frame};
    if (content.w > FEN_MAX_WINDOW_WIDTH || content.h > FEN_MAX_WINDOW_HEIGHT ||
        content.x < FEN_MIN_COORD || content.x > FEN_MAX_COORD || content.y < FEN_MIN_COORD ||
        content.y > FEN_MAX_COORD)
        return 0;
    if (memcmp(&content, &w->rect, sizeof(content)) == 0)
        return 0;
    w->rect = content;
    return send_configure(ws, w);
}

int guid_wstate_dom0_wm_state(struct guid_wstate *ws, struct guid_win *w, uint32_t flags,
                              uint32_t known)
{
    known &= FEN_WMFLAG_MINIMIZED | FEN_WMFLAG_MAXIMIZED;
    /* guid shows a fullscreen grant as a maximized dom0 window itself. */
    if (w->wm_flags & FEN_WMFLAG_FULLSCREEN)
        known &= ~(uint32_t)FEN_WMFLAG_MAXIMIZED;
    flags &= known;
    /* Only a transition between two observations is the user's act: a
     * first observation, or a property rewritten with the same state (guid
     * rewrites _NET_WM_STATE itself), is not. */
    uint32_t changed = known & w->dom0_known & (flags ^ w->dom0_flags);
    /* The WM did what the guest asked for (possibly at first sight, for a
     * window that asked before it was mapped): the guest learns it now. */
    uint32_t done = known & w->wm_ask_mask & ~(flags ^ w->wm_ask);
    w->wm_ask_mask &= ~done;
    changed |= done;
    w->dom0_flags = (w->dom0_flags & ~known) | flags;
    w->dom0_known |= known;
    /* Only what the guest was not told yet. */
    changed &= flags ^ w->wm_flags;
    if (changed == 0)
        return 0;
    struct fen_msg_wm_flags g = {changed & flags, changed & ~flags};
    w->wm_flags ^= changed;
    fen_log(DEBUG, "qube %s: dom0 WM state of window %u: set 0x%x unset 0x%x", ws->qube, w->id,
            g.set, g.unset);
    return send_msg(ws, FEN_MSG_WM_FLAGS, w->id, &g, sizeof(g));
}

/* ---- guest message handlers ------------------------------------------- */

/* Requests to the dom0 WM: a burst of GUID_WM_ASK_BURST per window, then one
 * per GUID_WM_ASK_EVERY_MS (a guest toggling its state in a loop would keep
 * the WM iconifying and repainting). */
#define GUID_WM_ASK_BURST 4u
#define GUID_WM_ASK_EVERY_MS 250u

static bool wm_ask_allowed(struct guid_win *w)
{
    uint64_t now = fen_monotonic_ms();
    if (w->wm_ask_ms == 0 || now < w->wm_ask_ms) {
        w->wm_ask_tokens = GUID_WM_ASK_BURST;
        w->wm_ask_ms = now;
    }
    uint64_t refill = (now - w->wm_ask_ms) / GUID_WM_ASK_EVERY_MS;
    if (refill > 0) {
        uint64_t tokens = w->wm_ask_tokens + refill;
        w->wm_ask_tokens = tokens > GUID_WM_ASK_BURST ? GUID_WM_ASK_BURST : (uint32_t)tokens;
        w->wm_ask_ms += refill * GUID_WM_ASK_EVERY_MS;
    }
    if (w->wm_ask_tokens == 0)
        return false;
    w->wm_ask_tokens--;
    return true;
}

/* The guest asks to be minimized / maximized or restored.  That is a request
 * to the dom0 WM, never a state of its own: what the WM does comes back as
 * dom0 state (guid_wstate_dom0_wm_state) and only then reaches the guest, as
 * a WM's answer would. */
static void ask_wm(struct guid_wstate *ws, struct guid_win *w, uint32_t set, uint32_t unset)
{
    if (w->wm_flags & FEN_WMFLAG_FULLSCREEN) { /* guid owns the geometry meanwhile */
        set &= ~(uint32_t)FEN_WMFLAG_MAXIMIZED;
        unset &= ~(uint32_t)FEN_WMFLAG_MAXIMIZED;
    }
    uint32_t shown = w->dom0_flags & w->dom0_known;
    set &= ~shown;  /* already so */
    unset &= shown;
    /* A withdrawn window is nothing to a WM (and asking costs no budget). */
    if ((set | unset) == 0 || !w->mapped || ws->x.win_wm_request == NULL)
        return;
    if (!wm_ask_allowed(w)) {
        if (!w->wm_ask_dropped)
            fen_log(WARN, "qube %s: window %u asks the dom0 WM too often: request dropped",
                    ws->qube, w->id);
        w->wm_ask_dropped = true;
        return;
    }
    w->wm_ask_dropped = false;
    w->wm_ask = (w->wm_ask & ~(set | unset)) | set;
    w->wm_ask_mask |= set | unset;
    fen_log(DEBUG, "qube %s: window %u asks the dom0 WM: set 0x%x unset 0x%x", ws->qube, w->id,
            set, unset);
    ws->x.win_wm_request(ws->x.ctx, w, set, unset);
}

static enum fen_err need_win(struct guid_wstate *ws, const struct fen_msg *msg,
                             struct guid_win **out, struct fen_error *err)
{
    *out = guid_wstate_find(ws, msg->window);
    if (*out == NULL)
        return fail(err, FEN_E_STATE, "%s: unknown window %u", fen_msg_type_name(msg->type),
                    msg->window);
    return FEN_OK;
}

static enum fen_err handle_create(struct guid_wstate *ws, const struct fen_msg *msg,
                                  struct fen_error *err)
{
    const struct fen_msg_create *c = &msg->u.create;
    if (msg->window == 0)
        return fail(err, FEN_E_RANGE, "CREATE: window id 0");
    if (guid_wstate_find(ws, msg->window) != NULL)
        return fail(err, FEN_E_STATE, "CREATE: window %u already exists", msg->window);
    if (ws->count >= FEN_MAX_WINDOWS_PER_QUBE || ws->count >= ws->policy.max_windows)
        return fail(err, FEN_E_RANGE, "CREATE: more than %u windows (max_windows)",
                    ws->policy.max_windows < FEN_MAX_WINDOWS_PER_QUBE ? ws->policy.max_windows
                                                                      : FEN_MAX_WINDOWS_PER_QUBE);
    if (c->parent != 0 && (c->parent == msg->window || guid_wstate_find(ws, c->parent) == NULL))
        return fail(err, FEN_E_STATE, "CREATE: window %u has unknown parent %u", msg->window,
                    c->parent);
    struct guid_win *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return fail(err, FEN_E_STATE, "CREATE: out of memory");
    w->id = msg->window;
    w->rect = c->rect;
    w->override_redirect = c->override_redirect != 0;
    w->parent = c->parent;
    w->cursor = FEN_CURSOR_DEFAULT;
    w->dom0_known = FEN_WMFLAG_MAXIMIZED; /* a new dom0 window is not maximized */
    if (ws->x.win_create(ws->x.ctx, w) != 0) {
        free(w);
        return fail(err, FEN_E_STATE, "CREATE: cannot create the dom0 window for %u", msg->window);
    }
    ws->wins[ws->count++] = w;
    return FEN_OK;
}

static enum fen_err handle_destroy(struct guid_wstate *ws, const struct fen_msg *msg,
                                   struct fen_error *err)
{
    for (size_t i = 0; i < ws->count; i++) {
        if (ws->wins[i]->id == msg->window) {
            remove_at(ws, i);
            return FEN_OK;
        }
    }
    return fail(err, FEN_E_STATE, "DESTROY: unknown window %u", msg->window);
}

static enum fen_err handle_map(struct guid_wstate *ws, struct guid_win *w,
                               const struct fen_msg *msg, struct fen_error *err)
{
    uint32_t tf = msg->u.map.transient_for;
    struct guid_win *owner = NULL;
    if (tf != 0) {
        owner = guid_wstate_find(ws, tf);
        if (owner == NULL || owner == w)
            return fail(err, FEN_E_STATE, "MAP: window %u transient for unknown window %u",
                        w->id, tf);
    }
    bool orr = msg->u.map.override_redirect != 0;
    if (orr != w->override_redirect) {
        w->override_redirect = orr;
        ws->x.win_geometry(ws->x.ctx, w);
    }
    if (tf != w->transient_for) {
        w->transient_for = tf;
        ws->x.win_transient(ws->x.ctx, w, owner);
    }
    w->mapped = true;
    ws->x.win_map(ws->x.ctx, w);
    return FEN_OK;
}

static enum fen_err handle_dump(struct guid_wstate *ws, struct guid_win *w,
                                const struct fen_msg *msg, struct fen_error *err)
{
    const struct fen_msg_window_dump *d = &msg->u.dump.hdr;
    if (ws->mapper == NULL)
        return fail(err, FEN_E_STATE, "WINDOW_DUMP: no page mapper");
    if (d->kind != ws->dump_kind)
        return fail(err, FEN_E_STATE, "WINDOW_DUMP: kind %u not used by this backend", d->kind);
    uint64_t bytes = (uint64_t)d->num_refs * FEN_PAGE_SIZE;
    if (ws->memory - w->dump.bytes + bytes > ws->policy.max_memory)
        return fail(err, FEN_E_RANGE,
                    "WINDOW_DUMP: window %u would take the qube's mapped pixels past "
                    "max_window_memory (%llu bytes)",
                    w->id, (unsigned long long)ws->policy.max_memory);
    err->code = FEN_OK;
    struct fen_mapping *map = fen_mapper_map(ws->mapper, d->pool_id, msg->u.dump.refs,
                                             d->num_refs, err);
    if (map == NULL) {
        if (err->code == FEN_OK)
            return fail(err, FEN_E_STATE, "WINDOW_DUMP: cannot map %u refs", d->num_refs);
        return err->code;
    }
    struct guid_dump nd = {.valid = true, .width = d->width, .height = d->height,
                           .stride = d->stride, .offset = d->offset, .format = d->format,
                           .serial = d->serial, .pool_id = d->pool_id, .bytes = bytes,
                           .map = map};
    if (ws->x.win_set_dump(ws->x.ctx, w, &nd) != 0) {
        fen_mapping_unmap(ws->mapper, map);
        return fail(err, FEN_E_STATE, "WINDOW_DUMP: dom0 X server refused the pixels of %u",
                    w->id);
    }
    struct fen_mapping *old = w->dump.map;
    ws->memory = ws->memory - w->dump.bytes + bytes;
    w->dump = nd;
    fen_mapping_unmap(ws->mapper, old);
    struct fen_rect all = {0, 0, nd.width, nd.height};
    w->npending = 0; /* the whole new image is painted: pending damage is moot */
    paint_or_collect(ws, w, all, true);
    struct fen_msg_dump_ack ack = {d->serial};
    if (send_msg(ws, FEN_MSG_DUMP_ACK, w->id, &ack, sizeof(ack)) != 0)
        return fail(err, FEN_E_STATE, "WINDOW_DUMP: cannot send DUMP_ACK");
    return FEN_OK;
}

/* The monitor w is on (root coordinates). */
static struct fen_rect monitor_of(struct guid_wstate *ws, const struct guid_win *w)
{
    struct fen_rect mon = {0, 0, 0, 0};
    if (ws->x.monitor_of != NULL) {
        ws->x.monitor_of(ws->x.ctx, &w->outer, &mon);
    } else {
        ws->x.screen_size(ws->x.ctx, &mon.w, &mon.h);
    }
    return mon;
}

/* Enter fullscreen: covering the monitor when the policy allows it (and the
 * user has not left it with the hotkey), else maximized inside the frame.
 * false when the monitor is too small to grant anything. */
static bool enter_fullscreen(struct guid_wstate *ws, struct guid_win *w)
{
    struct fen_rect mon = monitor_of(ws, w);
    bool exclusive = ws->policy.allow_fullscreen && !w->fs_user_exited;
    uint32_t f = ws->frame;
    if (mon.w <= 2 * f || mon.h <= 2 * f || mon.w > FEN_MAX_WINDOW_WIDTH ||
        mon.h > FEN_MAX_WINDOW_HEIGHT)
        return false;
    w->saved_rect = w->rect;
    if (exclusive)
        w->rect = mon;
    else
        w->rect = (struct fen_rect){mon.x + (int32_t)f, mon.y + (int32_t)f, mon.w - 2 * f,
                                    mon.h - 2 * f};
    w->fs_exclusive = exclusive;
    w->wm_flags |= FEN_WMFLAG_FULLSCREEN;
    return true;
}

static void leave_fullscreen(struct guid_win *w)
{
    w->rect = w->saved_rect;
    w->fs_exclusive = false;
    w->wm_flags &= ~FEN_WMFLAG_FULLSCREEN;
}

/* Apply a geometry change of w to X (and the banner) and tell the guest. */
static int apply_fullscreen(struct guid_wstate *ws, struct guid_win *w, bool was_exclusive)
{
    ws->x.win_geometry(ws->x.ctx, w);
    if (was_exclusive != w->fs_exclusive && ws->x.fullscreen_changed != NULL)
        ws->x.fullscreen_changed(ws->x.ctx, w);
    return send_configure(ws, w);
}

static enum fen_err handle_wm_flags(struct guid_wstate *ws, struct guid_win *w,
                                    const struct fen_msg *msg, struct fen_error *err)
{
    uint32_t set = msg->u.wm_flags.set, unset = msg->u.wm_flags.unset;
    struct fen_msg_wm_flags granted = {0, 0};
    bool geometry = false, was_exclusive = w->fs_exclusive;
    /* A fullscreen request never shows unframed pixels unless the policy
     * allows it for this qube; either way the guest is told it is
     * fullscreen, so applications behave. */
    if ((set & FEN_WMFLAG_FULLSCREEN) && !(w->wm_flags & FEN_WMFLAG_FULLSCREEN)) {
        /* Out of paint budget (a guest toggling fullscreen in a loop makes
         * the X server repaint a monitor each time): not granted now. */
        bool afford = ws->paint_rate == 0 || ws->budget > 0;
        if (afford && enter_fullscreen(ws, w)) {
            if (ws->paint_rate != 0)
                ws->budget -= (int64_t)w->rect.w * w->rect.h;
            granted.set |= FEN_WMFLAG_FULLSCREEN;
            geometry = true;
        }
    } else if ((unset & FEN_WMFLAG_FULLSCREEN) && (w->wm_flags & FEN_WMFLAG_FULLSCREEN)) {
        leave_fullscreen(w);
        granted.unset |= FEN_WMFLAG_FULLSCREEN;
        geometry = true;
    }
    const uint32_t asked = FEN_WMFLAG_MINIMIZED | FEN_WMFLAG_MAXIMIZED;
    uint32_t other = FEN_WMFLAG_ALL & ~FEN_WMFLAG_FULLSCREEN & ~asked;
    uint32_t before = w->wm_flags;
    w->wm_flags = (w->wm_flags | (set & other)) & ~(unset & other);
    if (geometry && apply_fullscreen(ws, w, was_exclusive) != 0)
        return fail(err, FEN_E_STATE, "WM_FLAGS: cannot send CONFIGURE");
    if (before != w->wm_flags)
        ws->x.win_wm_flags(ws->x.ctx, w);
    ask_wm(ws, w, set & asked, unset & asked & ~set);
    if ((granted.set | granted.unset) != 0 &&
        send_msg(ws, FEN_MSG_WM_FLAGS, w->id, &granted, sizeof(granted)) != 0)
        return fail(err, FEN_E_STATE, "WM_FLAGS: cannot send WM_FLAGS");
    return FEN_OK;
}

/* dom0 takes fullscreen away from w (hotkey or policy change). */
static int revoke_fullscreen(struct guid_wstate *ws, struct guid_win *w, bool by_user)
{
    uint32_t before = w->wm_flags;
    leave_fullscreen(w);
    if (by_user)
        w->fs_user_exited = true;
    if (apply_fullscreen(ws, w, true) != 0)
        return -1;
    if (before != w->wm_flags)
        ws->x.win_wm_flags(ws->x.ctx, w);
    struct fen_msg_wm_flags g = {0, FEN_WMFLAG_FULLSCREEN};
    return send_msg(ws, FEN_MSG_WM_FLAGS, w->id, &g, sizeof(g));
}

int guid_wstate_leave_fullscreen(struct guid_wstate *ws)
{
    int n = 0, rc = 0;
    for (size_t i = 0; i < ws->count; i++) {
        if (!ws->wins[i]->fs_exclusive)
            continue;
        n++;
        if (revoke_fullscreen(ws, ws->wins[i], true) != 0)
            rc = -1;
    }
    return rc < 0 ? -1 : n;
}

int guid_wstate_set_policy(struct guid_wstate *ws, const struct guid_wpolicy *p)
{
    ws->policy = *p;
    if (ws->policy.max_windows == 0 || ws->policy.max_windows > FEN_MAX_WINDOWS_PER_QUBE)
        ws->policy.max_windows = FEN_MAX_WINDOWS_PER_QUBE;
    int rc = 0;
    if (!p->allow_fullscreen)
        for (size_t i = 0; i < ws->count; i++)
            if (ws->wins[i]->fs_exclusive && revoke_fullscreen(ws, ws->wins[i], false) != 0)
                rc = -1;
    return rc;
}

const struct guid_wpolicy *guid_wstate_policy(const struct guid_wstate *ws)
{
    return &ws->policy;
}

uint64_t guid_wstate_memory(const struct guid_wstate *ws) { return ws->memory; }

static enum fen_err handle_pool(struct guid_wstate *ws, const struct fen_msg *msg, int fd,
                                struct fen_error *err)
{
    if (ws->mapper == NULL) {
        if (fd >= 0)
            close(fd);
        return fail(err, FEN_E_STATE, "POOL: no page mapper");
    }
    /* Always hand the fd over, even -1: a backend may supply its own pool. */
    err->code = FEN_OK;
    enum fen_err e =
        fen_mapper_set_pool(ws->mapper, msg->u.pool.pool_id, fd, msg->u.pool.npages, err);
    if (e != FEN_OK && err->code == FEN_OK)
        return fail(err, e, "POOL: pool %u refused", msg->u.pool.pool_id);
    return e;
}

enum fen_err guid_wstate_handle(struct guid_wstate *ws, const struct fen_msg *msg, int fd,
                                struct fen_error *err)
{
    struct guid_win *w = NULL;
    enum fen_err e;
    err->code = FEN_OK;
    err->reason[0] = '\0';
    if (msg->type == FEN_MSG_POOL)
        return handle_pool(ws, msg, fd, err);
    if (fd >= 0)
        close(fd);
    switch (msg->type) {
    case FEN_MSG_CREATE:
        return handle_create(ws, msg, err);
    case FEN_MSG_DESTROY:
        return handle_destroy(ws, msg, err);
    case FEN_MSG_MAP:
    case FEN_MSG_UNMAP:
    case FEN_MSG_CONFIGURE:
    case FEN_MSG_DAMAGE:
    case FEN_MSG_WINDOW_DUMP:
    case FEN_MSG_TITLE:
    case FEN_MSG_WM_CLASS:
    case FEN_MSG_SIZE_HINTS:
    case FEN_MSG_WM_FLAGS:
    case FEN_MSG_CURSOR:
    case FEN_MSG_FRAME_MARK:
        if ((e = need_win(ws, msg, &w, err)) != FEN_OK)
            return e;
        break;
    default:
        return fail(err, FEN_E_STATE, "%s: not expected from the guest now",
                    fen_msg_type_name(msg->type));
    }
    switch (msg->type) {
    case FEN_MSG_MAP:
        return handle_map(ws, w, msg, err);
    case FEN_MSG_UNMAP:
        if (w->mapped) {
            w->mapped = false;
            ws->x.win_unmap(ws->x.ctx, w);
        }
        /* Not shown any more: the guest need not wait for its frame. */
        if (w->mark != GUID_MARK_NONE && mark_answer(ws, w) != 0)
            return fail(err, FEN_E_STATE, "UNMAP: cannot send FRAME_SHOWN");
        return FEN_OK;
    case FEN_MSG_CONFIGURE:
        if (w->fs_exclusive) {
            /* Covering the monitor is dom0's grant: the guest cannot move
             * or resize an unframed window; it is told where it is. */
            if (send_configure(ws, w) != 0)
                return fail(err, FEN_E_STATE, "CONFIGURE: cannot send CONFIGURE");
            return FEN_OK;
        }
        w->rect = msg->u.configure.rect;
        w->override_redirect = msg->u.configure.override_redirect != 0;
        if (ws->paint_rate != 0 && ws->budget <= 0) {
            /* a flood of moves/resizes: apply the latest when budget returns */
            w->geometry_pending = true;
            ws->dirty = true;
            return FEN_OK;
        }
        ws->x.win_geometry(ws->x.ctx, w);
        if (ws->paint_rate != 0)
            ws->budget -= (int64_t)w->outer.w * w->outer.h; /* X clears and exposes it */
        return FEN_OK;
    case FEN_MSG_DAMAGE:
        /* Collected, painted by guid_wstate_flush once the messages that can
         * be read now are read: damage queued while guid could not paint
         * (budget, a busy X server) is merged, not painted message by
         * message from pixels that have long changed. */
        for (uint32_t i = 0; i < msg->u.damage.count; i++)
            add_pending(ws, w, msg->u.damage.rects[i]);
        return FEN_OK;
    case FEN_MSG_WINDOW_DUMP:
        return handle_dump(ws, w, msg, err);
    case FEN_MSG_TITLE:
        snprintf(w->title, sizeof(w->title), "%s", msg->u.title.text);
        ws->x.win_title(ws->x.ctx, w);
        return FEN_OK;
    case FEN_MSG_WM_CLASS:
        snprintf(w->res_class, sizeof(w->res_class), "%s", msg->u.wm_class.res_class);
        snprintf(w->res_name, sizeof(w->res_name), "%s", msg->u.wm_class.res_name);
        ws->x.win_class(ws->x.ctx, w);
        return FEN_OK;
    case FEN_MSG_SIZE_HINTS:
        w->hints = msg->u.size_hints;
        w->has_hints = true;
        ws->x.win_hints(ws->x.ctx, w);
        return FEN_OK;
    case FEN_MSG_WM_FLAGS:
        return handle_wm_flags(ws, w, msg, err);
    case FEN_MSG_CURSOR:
        w->cursor = msg->u.cursor.glyph;
        ws->x.win_cursor(ws->x.ctx, w);
        return FEN_OK;
    case FEN_MSG_FRAME_MARK:
        return handle_frame_mark(ws, w, msg, err);
    default:
        return fail(err, FEN_E_STATE, "unhandled message");
    }
}
