/* gui-agent: arguments, X setup and the event loop (see agent.h). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <xcb/composite.h>
#include <xcb/xfixes.h>

#include "agent.h"
#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/validate.h"
#include "driver_mode.h"

#define DEFAULT_POOL_MIB 512u
#define DEFAULT_NICE (-10)

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gui-agent --qube NAME --listen SPEC [--display DPY] [--pool-mib N]\n"
            "                 [--nice N] [--no-frame-pacing]\n"
            "\n"
            "Guest side of Fenestra's GUI: shows every top-level window of the guest X\n"
            "server (the one in $DISPLAY, or --display) as a window on dom0, through\n"
            "guid, and injects dom0's keyboard and mouse input into the guest.\n"
            "\n"
            "  --qube NAME      name of this qube (used in log lines)\n"
            "  --listen SPEC    channel to serve: local:DIR (UNIX socket and page pool\n"
            "                   in DIR, created if missing) or xen:DOMID (dom0's domain\n"
            "                   id); guid connects to it, and may (re)start at any\n"
            "                   time\n"
            "  --display DPY    guest X display (default: $DISPLAY)\n"
            "  --pool-mib N     size of the shared page pool for window pixels, in MiB\n"
            "                   (address space; memory is used only for shown windows;\n"
            "                   default %u)\n"
            "  --nice N         scheduling priority to run at, -20..19 (default %d; 0\n"
            "                   leaves it as started): damage must reach dom0 before\n"
            "                   the application overwrites the pixels\n"
            "  --no-frame-pacing  do not offer frame pacing to dom0: with the Fenestra\n"
            "                   Xorg driver, an application drawing faster than dom0\n"
            "                   shows is then not held, and dom0 may show its frames\n"
            "                   torn or merged\n"
            "  --help           this text\n"
            "\n"
            "Pixels are copied from each window's composite pixmap into shared pages\n"
            "with MIT-SHM (works with any X server, e.g. Xvfb); with the Fenestra Xorg\n"
            "driver the window pixmaps are shared directly (zero copy).\n"
            "FENESTRA_LOG_LEVEL=debug|info|warn|error sets the log level.\n",
            DEFAULT_POOL_MIB, DEFAULT_NICE);
}

/* The agent does little per frame, but must do it at once: in driver mode
 * dom0 copies straight from the window's pixmap, so a damage event that
 * waits behind a busy application for the guest's CPU reaches dom0 after the
 * application has drawn the next frame over it (torn or lost frames;
 * docs/performance.md measured 635 -> 880 whole 1080p frames/s).  Not
 * real-time: a runaway agent must not starve the guest. */
static void raise_priority(int nice_level)
{
    if (nice_level == 0)
        return;
    if (setpriority(PRIO_PROCESS, 0, nice_level) == 0)
        fen_log(INFO, "scheduling: nice %d", nice_level);
    else
        fen_log_errno(INFO, "scheduling: cannot set nice %d, running as started", nice_level);
}

static bool have_extension(xcb_connection_t *c, xcb_extension_t *ext, const char *name,
                           uint8_t *first_event)
{
    const xcb_query_extension_reply_t *r = xcb_get_extension_data(c, ext);
    if (!r || !r->present) {
        fen_log(ERROR, "the guest X server lacks the %s extension", name);
        return false;
    }
    if (first_event)
        *first_event = r->first_event;
    return true;
}

/* Extensions, redirection and root event selection. */
static int setup_x(struct agent *a)
{
    xcb_connection_t *c = a->conn;
    if (!have_extension(c, &xcb_composite_id, "Composite", NULL) ||
        !have_extension(c, &xcb_damage_id, "DAMAGE", &a->damage_event) ||
        !have_extension(c, &xcb_shm_id, "MIT-SHM", NULL))
        return -1;
    a->have_xfixes = have_extension(c, &xcb_xfixes_id, "XFIXES", &a->xfixes_event);

    free(xcb_composite_query_version_reply(c, xcb_composite_query_version(c, 0, 4), NULL));
    free(xcb_damage_query_version_reply(c, xcb_damage_query_version(c, 1, 1), NULL));
    if (a->have_xfixes)
        free(xcb_xfixes_query_version_reply(c, xcb_xfixes_query_version(c, 5, 0), NULL));

    /* Manual redirection: the guest X server keeps every window in its
     * pixmap and never composites it onto the guest's own screen, which
     * nobody looks at -- with automatic redirection that was one more
     * full-window copy per frame in the guest.  Only one client may redirect
     * manually (a guest compositor, say): then fall back to automatic. */
    xcb_generic_error_t *e = xcb_request_check(
        c, xcb_composite_redirect_subwindows_checked(c, a->root, XCB_COMPOSITE_REDIRECT_MANUAL));
    if (e) {
        fen_log(INFO, "manual redirection refused (X error %u), redirecting automatically",
                e->error_code);
        free(e);
        e = xcb_request_check(c, xcb_composite_redirect_subwindows_checked(
                                     c, a->root, XCB_COMPOSITE_REDIRECT_AUTOMATIC));
    }
    if (e) {
        fen_log(ERROR, "cannot redirect the guest's windows (X error %u)", e->error_code);
        free(e);
        return -1;
    }
    /* Observe, do not redirect: no SubstructureRedirect, the agent is not a
     * window manager (see agent.h). */
    uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY;
    e = xcb_request_check(c, xcb_change_window_attributes_checked(c, a->root, XCB_CW_EVENT_MASK,
                                                                  &mask));
    if (e) {
        fen_log(ERROR, "cannot select events on the guest root (X error %u)", e->error_code);
        free(e);
        return -1;
    }
    if (a->have_xfixes)
        xcb_xfixes_select_cursor_input(c, a->root, XCB_XFIXES_CURSOR_NOTIFY_MASK_DISPLAY_CURSOR);
    if (props_init_atoms(a) < 0 || ewmh_announce(a) < 0) {
        fen_log(ERROR, "cannot intern atoms");
        return -1;
    }
    return input_init(a);
}

static void drain_x_events(struct agent *a, bool queued_only)
{
    xcb_generic_event_t *ev;
    while ((ev = queued_only ? xcb_poll_for_queued_event(a->conn) : xcb_poll_for_event(a->conn))) {
        win_handle_event(a, ev);
        free(ev);
        queued_only = false;
    }
}

static int make_signalfd(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int run(struct agent *a, int sfd)
{
    enum { P_X, P_CHAN, P_SIG, P_N };
    while (!a->quit) {
        drain_x_events(a, false);
        if (xcb_connection_has_error(a->conn)) {
            fen_log(ERROR, "lost the guest X server");
            return -1;
        }
        pix_flush_damage(a);
        xcb_flush(a->conn);
        conn_flush(a);
        /* Replies waited for above may have queued events that poll() on
         * the socket would not see. */
        xcb_generic_event_t *queued = xcb_poll_for_queued_event(a->conn);
        if (queued) {
            win_handle_event(a, queued);
            free(queued);
            continue;
        }
        struct pollfd p[P_N] = {
            [P_X] = {.fd = xcb_get_file_descriptor(a->conn), .events = POLLIN},
            [P_CHAN] = {.fd = conn_fd(a),
                        .events = (short)(POLLIN | (conn_wants_write(a) ? POLLOUT : 0))},
            [P_SIG] = {.fd = sfd, .events = POLLIN},
        };
        if (poll(p, P_N, -1) < 0) {
            if (errno == EINTR)
                continue;
            fen_log_errno(ERROR, "poll");
            return -1;
        }
        if (p[P_SIG].revents) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) > 0)
                fen_log(INFO, "signal %u: exiting", si.ssi_signo);
            a->quit = true;
        }
        if (p[P_CHAN].revents)
            conn_handle_io(a, p[P_CHAN].revents & (POLLIN | POLLHUP | POLLERR),
                           p[P_CHAN].revents & POLLOUT);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"qube", required_argument, NULL, 'q'},   {"listen", required_argument, NULL, 'l'},
        {"display", required_argument, NULL, 'd'}, {"pool-mib", required_argument, NULL, 'p'},
        {"nice", required_argument, NULL, 'n'},   {"help", no_argument, NULL, 'h'},
        {"no-frame-pacing", no_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    struct agent a = {.scratch_fd = -1, .cursor_glyph_sent = UINT32_MAX - 1};
    const char *display = NULL;
    unsigned long pool_mib = DEFAULT_POOL_MIB;
    long nice_level = DEFAULT_NICE;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'q':
            a.qube = optarg;
            break;
        case 'l':
            a.spec = optarg;
            break;
        case 'd':
            display = optarg;
            break;
        case 'p': {
            char *end;
            pool_mib = strtoul(optarg, &end, 10);
            if (*end || pool_mib < 1 || pool_mib > 4095) {
                fprintf(stderr, "gui-agent: --pool-mib wants 1..4095\n");
                return 2;
            }
            break;
        }
        case 'n': {
            char *end;
            errno = 0;
            nice_level = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || nice_level < -20 || nice_level > 19) {
                fprintf(stderr, "gui-agent: --nice wants -20..19\n");
                return 2;
            }
            break;
        }
        case 'P':
            a.no_pacing = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!a.qube || !a.spec || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (!fen_qube_name_valid(a.qube)) {
        fprintf(stderr, "gui-agent: bad qube name '%s'\n", a.qube);
        return 2;
    }
    fen_log_init("gui-agent", a.qube);
    const char *rest;
    const char *backend = fen_spec_backend(a.spec, &rest);
    if (!backend) {
        fen_log(ERROR, "bad channel spec '%s' (want local:DIR or xen:DOMID)", a.spec);
        return 2;
    }
    a.xen = strcmp(backend, "xen") == 0;
    a.local = strcmp(backend, "local") == 0;
    raise_priority((int)nice_level);

    int screen_no = 0;
    a.conn = xcb_connect(display, &screen_no);
    if (xcb_connection_has_error(a.conn)) {
        fen_log(ERROR, "cannot connect to the guest X server %s", display ? display : "$DISPLAY");
        xcb_disconnect(a.conn);
        return 1;
    }
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(a.conn));
    for (int i = 0; i < screen_no && it.rem; i++)
        xcb_screen_next(&it);
    a.screen = it.data;
    a.root = a.screen->root;

    int rc = 1;
    int sfd = make_signalfd();
    if (sfd < 0) {
        fen_log_errno(ERROR, "signalfd");
        goto out;
    }
    if (setup_x(&a) < 0 || pix_init(&a, (size_t)pool_mib * 256u) < 0 ||
        win_scan_existing(&a) < 0 || conn_start(&a) < 0)
        goto out;
    rc = run(&a, sfd) < 0 ? 1 : 0;
out:
    win_destroy_all(&a);
    conn_flush(&a);
    conn_stop(&a);
    pix_fini(&a);
    xcb_disconnect(a.conn);
    if (sfd >= 0)
        close(sfd);
    fen_log(INFO, "stopped");
    return rc;
}
