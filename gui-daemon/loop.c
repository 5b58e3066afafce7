/* guid main loop: poll and dispatch, nothing else. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <xcb/xcb.h>

#include "conn.h"
#include "fenestra/clock.h"
#include "fenestra/log.h"
#include "fullscreen.h"
#include "guid.h"
#include "xinput.h"
#include "xside.h"

/* How often guid looks for its agent while disconnected. */
#define GUID_RETRY_MS 200

/* clipd may come up after guid (or restart): an attach it could not
 * deliver is tried again, 250 ms after the first failure, the wait doubling
 * up to 8 s, warned about once.  A refusal is final until the next agent
 * connection (clipd said why, e.g. a bad spec). */
#define CLIPD_RETRY_FIRST_MS 250
#define CLIPD_RETRY_MAX_MS 8000

struct clipd_attach {
    unsigned tries; /* failed deliveries so far; > 0: retry at next_ms */
    uint64_t next_ms, wait_ms;
};

static void attach_clipd(struct guid *g, struct clipd_attach *a, uint64_t now)
{
    int rc = guid_clipd_notify(g->cfg->clipd_socket, "attach", g->cfg->qube, g->cfg->spec,
                               a->tries > 0);
    if (rc < 0) {
        if (a->tries == 0)
            fen_log(INFO, "clipd: will retry the attach (first in %d ms, then less often)",
                    CLIPD_RETRY_FIRST_MS);
        a->wait_ms = a->tries == 0 ? CLIPD_RETRY_FIRST_MS
                                   : (a->wait_ms * 2 > CLIPD_RETRY_MAX_MS ? CLIPD_RETRY_MAX_MS
                                                                          : a->wait_ms * 2);
        a->tries++;
        a->next_ms = now + a->wait_ms;
        return;
    }
    if (rc == 0 && a->tries > 0)
        fen_log(INFO, "clipd: attached after %u failed attempt(s)", a->tries);
    *a = (struct clipd_attach){0};
}

/* Handle every dom0 event xcb has or can read now; returns how many, or -1
 * when the X connection died.  Any xcb call that waits (a reply, a flush
 * of a full buffer) may pull events into xcb's queue, where poll() on the
 * fd cannot see them: so the loop only sleeps after a drain found none. */
static int drain_x(struct guid *g)
{
    xcb_generic_event_t *ev;
    int n = 0;
    while ((ev = xcb_poll_for_event(g->xs->conn)) != NULL) {
        guid_xinput_handle(g->xin, ev);
        free(ev);
        n++;
    }
    return xcb_connection_has_error(g->xs->conn) == 0 ? n : -1;
}

int guid_loop_run(struct guid *g)
{
    uint64_t next_try = 0;
    struct clipd_attach clipd = {0};
    attach_clipd(g, &clipd, fen_monotonic_ms());
    for (;;) {
        guid_conn_check_broken(g->conn);
        uint64_t now = fen_monotonic_ms();
        if (clipd.tries > 0 && now >= clipd.next_ms)
            attach_clipd(g, &clipd, now);
        if (guid_conn_state(g->conn) == GUID_CONN_DOWN && now >= next_try) {
            next_try = now + GUID_RETRY_MS;
            (void)guid_conn_try_connect(g->conn);
        }
        guid_xside_paint_fence(g->xs);
        xcb_flush(g->xs->conn);
        int handled = drain_x(g);
        if (handled < 0) {
            fen_log(ERROR, "lost the dom0 X server");
            return -1;
        }
        if (guid_xside_take_layout_changed(g->xs)) { /* monitors changed */
            guid_wstate_relayout(g->ws);
            handled++;
        }
        if (guid_xside_paint_done(g->xs)) { /* the X server took our puts: paint more */
            guid_wstate_flush(g->ws, fen_monotonic_ms());
            handled++;
        }
        if (guid_conn_resume_due(g->conn)) { /* no longer throttled: read on */
            if (guid_conn_service(g->conn) == 1)
                attach_clipd(g, &clipd, fen_monotonic_ms());
            guid_wstate_flush(g->ws, fen_monotonic_ms()); /* paint what it damaged */
            handled++;
        }
        if (handled > 0)
            continue; /* flush what the handlers queued, drain again */

        struct pollfd p[4];
        p[0] = (struct pollfd){.fd = guid_xside_fd(g->xs), .events = POLLIN};
        p[1] = (struct pollfd){.fd = g->sig_fd, .events = POLLIN};
        p[2] = (struct pollfd){.fd = g->ctl_fd, .events = POLLIN};
        p[3] = (struct pollfd){.fd = guid_conn_fd(g->conn), .events = 0};
        int timeout = -1;
        if (p[3].fd >= 0)
            p[3].events = guid_conn_events(g->conn);
        else
            timeout = (int)(next_try > now ? next_try - now : 0);
        int banner = guid_fullscreen_timeout(g->xs->fs, now);
        if (banner >= 0 && (timeout < 0 || banner < timeout))
            timeout = banner;
        int paint = guid_wstate_flush_due(g->ws, now);
        if (paint >= 0 && (timeout < 0 || paint < timeout))
            timeout = paint;
        if (clipd.tries > 0) {
            int retry = clipd.next_ms > now ? (int)(clipd.next_ms - now) : 0;
            if (timeout < 0 || retry < timeout)
                timeout = retry;
        }
        int r = poll(p, 4, timeout);
        guid_fullscreen_tick(g->xs->fs, fen_monotonic_ms());
        if (r < 0) {
            if (errno == EINTR)
                continue;
            fen_log_errno(ERROR, "poll");
            return -1;
        }
        if (p[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(g->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                fen_log(INFO, "signal %u: stopping", si.ssi_signo);
                return 0;
            }
        }
        if (p[2].fd >= 0 && (p[2].revents & POLLIN))
            guid_ctl_serve(g);
        if (p[3].fd >= 0 && p[3].revents != 0) {
            if (guid_conn_service(g->conn) == 1)
                attach_clipd(g, &clipd, fen_monotonic_ms());
        }
        guid_wstate_flush(g->ws, fen_monotonic_ms()); /* coalesced damage, rate-capped */
    }
}
