/* Frame pacing: an application that puts frames faster than dom0 shows them
 * is held until dom0 has read the previous one (fenext_proto.h, SelectFrames).
 *
 * Why: in driver mode dom0 copies a window straight out of its pixmap, which
 * is the memory the application's next put overwrites.  Unpaced, a fast
 * application's frames reach dom0 merged, or torn (dom0 reading the top of
 * frame N+1 and the bottom of frame N).  Paced, a large put into a window
 * whose previous frame dom0 has not finished reading waits, as a swap waits
 * for vblank: every frame reaches dom0 whole, and the application draws no
 * frame that nobody sees.
 *
 * How: after a large MIT-SHM put into a pool window (fenestra_shmband.c) the
 * window's block is marked "frame pending" and the pacer (the agent) gets a
 * FrameNotify(window, serial).  The agent passes the frame on to dom0
 * (FRAME_MARK), and when dom0 answers (FRAME_SHOWN) it sends FramePainted.
 * A client whose large put hits a pending block meanwhile is held: its
 * request is rewound (it runs again from the start) and the client ignored,
 * the pattern DRI2 uses to throttle swaps.  A held put runs anyway after
 * FrameTimeoutMs (default FENEXT_FRAME_TIMEOUT_MS), and pacing ends when the
 * pacer disconnects. */
#include "fenestra.h"

#include <X11/X.h>
#include <X11/Xproto.h>

#include "dixstruct.h"
#include "os.h"
#include "resource.h"
#include "windowstr.h"

#include "fenext_proto.h"

#define FEN_PACING_MAX_HELD 64 /* more held clients than this run unpaced */

struct held_client {
    ClientPtr client;
    struct fen_block *block; /* referenced while held */
    XID window;
    CARD32 since;   /* the pending frame's put: the timeout counts from it */
    CARD32 held_at; /* when this put was held */
};

static ClientPtr pacer;
static void wake_ready(void);
static int frame_event; /* the extension's first event */
static uint32_t next_frame;
static struct held_client held[FEN_PACING_MAX_HELD];
static int nheld;
static OsTimerPtr timer;
static Bool callback_added;
static Bool timeout_logged;
static CARD32 timeout_ms = FENEXT_FRAME_TIMEOUT_MS;
static CARD32 interval_ms = FEN_DEFAULT_PACE_INTERVAL_MS;

/* Pacing generation: moves on whenever the pacer changes (or goes), which
 * cancels every frame still pending: nobody will answer those. */
static uint32_t epoch;

static Bool pending(const struct fen_block *b)
{
    return b->frame_pending && b->frame_epoch == epoch;
}

static void new_pacer(ClientPtr client)
{
    pacer = client;
    epoch++;
    timeout_logged = FALSE;
    wake_ready(); /* their frames are no longer pending */
}

static Bool timed_out(CARD32 since, CARD32 now)
{
    return (CARD32)(now - since) >= timeout_ms;
}

/* dom0 did not answer a frame in time: stop waiting for it. */
static void give_up(struct fen_block *b, XID window)
{
    if (!timeout_logged) {
        timeout_logged = TRUE; /* once: a stuck dom0 would log 20 lines a second */
        LogMessage(X_WARNING, "fenestra: frame %u of window 0x%x not shown after %u ms: "
                   "running the next put anyway (logged once)\n",
                   b->frame, (unsigned)window, (unsigned)timeout_ms);
    }
    b->frame_pending = FALSE;
}

/* Let every held client whose block is no longer pending, or that waited
 * long enough, run its put again. */
static void wake_ready(void)
{
    CARD32 now = GetTimeInMillis();
    for (int i = 0; i < nheld;) {
        struct held_client *h = &held[i];
        Bool late = timed_out(h->since, now);
        if (pending(h->block) && !late) {
            i++;
            continue;
        }
        if (pending(h->block))
            give_up(h->block, h->window);
        h->block->held_ms += now - h->held_at;
        AttendClient(h->client);
        fen_block_unref(h->block);
        held[i] = held[--nheld];
    }
}

static CARD32 timer_fired(OsTimerPtr t, CARD32 time, void *arg)
{
    wake_ready();
    if (nheld == 0)
        return 0;
    CARD32 now = GetTimeInMillis(), next = timeout_ms;
    for (int i = 0; i < nheld; i++) {
        CARD32 waited = now - held[i].since;
        CARD32 left = waited >= timeout_ms ? 1 : timeout_ms - waited;
        if (left < next)
            next = left;
    }
    return next ? next : 1;
}

/* A held client that disconnects is forgotten (not attended); the pacer's
 * disconnect ends pacing. */
static void client_state_changed(CallbackListPtr *list, void *closure, void *data)
{
    NewClientInfoRec *info = data;
    ClientPtr client = info->client;
    if (client->clientState != ClientStateGone)
        return;
    for (int i = 0; i < nheld;) {
        if (held[i].client == client) {
            fen_block_unref(held[i].block);
            held[i] = held[--nheld];
        } else {
            i++;
        }
    }
    if (client == pacer) {
        LogMessage(X_INFO, "fenestra: the pacing client left: frame pacing off, %d held "
                   "put(s) run now\n", nheld);
        new_pacer(NULL);
    }
}

Bool fen_pacing_init(int first_event, uint32_t timeout, uint32_t interval)
{
    frame_event = first_event;
    timeout_ms = timeout;
    interval_ms = interval;
    if (!callback_added && !AddCallback(&ClientStateCallback, client_state_changed, NULL))
        return FALSE;
    callback_added = TRUE;
    return TRUE;
}

void fen_pacing_close(void)
{
    new_pacer(NULL);
    TimerFree(timer);
    timer = NULL;
    if (callback_added)
        DeleteCallback(&ClientStateCallback, client_state_changed, NULL);
    callback_added = FALSE;
}

int fen_pacing_select(ClientPtr client, Bool enable)
{
    if (enable) {
        if (pacer && pacer != client)
            return BadAccess; /* one agent paces */
        if (!pacer)
            new_pacer(client);
        return Success;
    }
    if (pacer == client)
        new_pacer(NULL);
    return Success;
}

/* Serial arithmetic: is a at or before b? */
static Bool serial_reached(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

/* dom0 has read the frames up to serial: b's frame, if among them, is done. */
static void frame_shown(struct fen_block *b, uint32_t serial)
{
    if (pending(b) && serial_reached(b->frame, serial))
        b->frame_pending = FALSE;
}

void fen_pacing_painted(ClientPtr client, WindowPtr win, uint32_t serial)
{
    if (client != pacer)
        return;
    /* The window's current pixmap, and older ones clients are held on (a
     * resize gave the window a new pixmap after the frame). */
    PixmapPtr pixmap = win->drawable.pScreen->GetWindowPixmap(win);
    struct fen_block *b = pixmap ? fen_pixmap_block(pixmap) : NULL;
    if (b)
        frame_shown(b, serial);
    for (int i = 0; i < nheld; i++)
        if (held[i].window == win->drawable.id)
            frame_shown(held[i].block, serial);
    wake_ready();
}

Bool fen_pacing_hold(ClientPtr client, XID window, struct fen_block *b)
{
    if (!pacer || client == pacer || !pending(b))
        return FALSE;
    if (timed_out(b->frame_at, GetTimeInMillis())) {
        give_up(b, window);
        return FALSE;
    }
    if (nheld == FEN_PACING_MAX_HELD)
        return FALSE;
    fen_block_ref(b);
    /* The wait counts from the frame's put: at most the timeout in all. */
    held[nheld++] = (struct held_client){client, b, window, b->frame_at, GetTimeInMillis()};
    IgnoreClient(client);
    /* Rewind: the whole request runs again when the client is attended. */
    ResetCurrentRequest(client);
    client->sequence--;
    timer = TimerSet(timer, 0, timeout_ms, timer_fired, NULL);
    return TRUE;
}

/* Did the application draw this frame right after the previous one (time
 * held by pacing not counted)?  Only such frames are paced: dom0 reads a
 * frame in a millisecond or two, so an application putting frames further
 * apart (a 60 fps video or animation) is never overtaken by dom0, and
 * pacing it would only add five messages per frame (+0.15-0.2 ms of
 * latency at 60 fps in the frame bench).  "Right after": less than
 * PaceIntervalMs (default 8 ms, i.e. faster than 125 frames/s).  The first
 * of a burst of fast frames is not paced. */
static Bool drawn_fast(struct fen_block *b, CARD32 now)
{
    CARD32 since = now - b->frame_at, waited = b->held_ms;
    Bool fast = b->frame_seen && (waited >= since || since - waited < interval_ms);
    b->frame_seen = TRUE;
    b->frame_at = now;
    b->held_ms = 0;
    return fast;
}

void fen_pacing_frame_done(XID window, struct fen_block *b)
{
    if (!drawn_fast(b, GetTimeInMillis()) || !pacer || pacer->clientGone) {
        b->frame_pending = FALSE;
        return;
    }
    b->frame = ++next_frame;
    b->frame_pending = TRUE;
    b->frame_epoch = epoch;
    struct fenext_frame_notify_event ev = {
        .type = (uint8_t)(frame_event + FenextFrameNotify),
        .sequence = (uint16_t)pacer->sequence,
        .window = (uint32_t)window,
        .serial = b->frame,
    };
    WriteEventsToClient(pacer, 1, (xEvent *)&ev);
}
