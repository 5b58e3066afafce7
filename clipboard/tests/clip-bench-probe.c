/* clip-bench-probe: time the clipboard round trip the way a user drives it
 * (bench/clipboard-bench).  Each round: press the copy hotkey (XTEST) on
 * qube A's dom0 window, wait until clipd holds the text, press the paste
 * hotkey on qube B's dom0 window, and stop the clock when the whole text can
 * be read from B's CLIPBOARD selection.
 *   clip-bench-probe --dom0 D --guest-b D --win-a XID --win-b XID
 *       --socket PATH --bytes N --copy-keys K1,K2,K3 --paste-keys K1,K2,K3
 *       [--rounds N]
 * Prints one line per round ("round I ms") and a summary line
 * "median_ms=X p95_ms=Y rounds=N". */
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xcb/xcb.h>
#include <xcb/xtest.h>

#include "fenestra/ctl.h"
#include "fenestra/xatom.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void parse_keys(const char *s, uint8_t keys[3])
{
    unsigned a, b, k;
    if (sscanf(s, "%u,%u,%u", &a, &b, &k) != 3) {
        fprintf(stderr, "bad key list %s\n", s);
        exit(2);
    }
    keys[0] = (uint8_t)a, keys[1] = (uint8_t)b, keys[2] = (uint8_t)k;
}

static void hotkey(xcb_connection_t *c, xcb_window_t win, const uint8_t keys[3])
{
    xcb_set_input_focus(c, XCB_INPUT_FOCUS_POINTER_ROOT, win, XCB_CURRENT_TIME);
    xcb_warp_pointer(c, XCB_NONE, win, 0, 0, 0, 0, 20, 20);
    for (int i = 0; i < 3; i++)
        xcb_test_fake_input(c, XCB_KEY_PRESS, keys[i], XCB_CURRENT_TIME, XCB_NONE, 0, 0, 0);
    for (int i = 2; i >= 0; i--)
        xcb_test_fake_input(c, XCB_KEY_RELEASE, keys[i], XCB_CURRENT_TIME, XCB_NONE, 0, 0, 0);
    free(xcb_get_input_focus_reply(c, xcb_get_input_focus(c), NULL)); /* sync */
}

static xcb_generic_event_t *wait_event(xcb_connection_t *c, uint8_t type, double deadline)
{
    for (;;) {
        xcb_generic_event_t *ev;
        while ((ev = xcb_poll_for_event(c))) {
            if ((ev->response_type & 0x7f) == type)
                return ev;
            free(ev);
        }
        double left = deadline - now_ms();
        if (left <= 0)
            return NULL;
        struct pollfd p = {.fd = xcb_get_file_descriptor(c), .events = POLLIN};
        poll(&p, 1, (int)left + 1);
    }
}

/* Read CLIPBOARD of the guest display as UTF8_STRING (following INCR);
 * returns the byte count or -1. */
static long read_clipboard(xcb_connection_t *g, xcb_window_t win, xcb_atom_t clip,
                           xcb_atom_t utf8, xcb_atom_t prop, xcb_atom_t incr, double deadline)
{
    xcb_convert_selection(g, win, clip, utf8, prop, XCB_CURRENT_TIME);
    xcb_flush(g);
    xcb_generic_event_t *ev = wait_event(g, XCB_SELECTION_NOTIFY, deadline);
    if (!ev)
        return -1;
    xcb_atom_t got = ((xcb_selection_notify_event_t *)ev)->property;
    free(ev);
    if (got == XCB_NONE)
        return -1;
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        g, xcb_get_property(g, 1, win, prop, XCB_GET_PROPERTY_TYPE_ANY, 0, 1u << 24), NULL);
    if (!r)
        return -1;
    long total = 0;
    bool is_incr = r->type == incr;
    if (!is_incr)
        total = xcb_get_property_value_length(r);
    free(r);
    while (is_incr) {
        ev = wait_event(g, XCB_PROPERTY_NOTIFY, deadline);
        if (!ev)
            return -1;
        xcb_property_notify_event_t *pe = (xcb_property_notify_event_t *)ev;
        bool fresh = pe->atom == prop && pe->state == XCB_PROPERTY_NEW_VALUE;
        free(ev);
        if (!fresh)
            continue;
        r = xcb_get_property_reply(
            g, xcb_get_property(g, 1, win, prop, XCB_GET_PROPERTY_TYPE_ANY, 0, 1u << 24), NULL);
        if (!r)
            return -1;
        int n = xcb_get_property_value_length(r);
        free(r);
        if (n == 0)
            break;
        total += n;
    }
    return total;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dom0", required_argument, NULL, 'd'},       {"guest-b", required_argument, NULL, 'g'},
        {"win-a", required_argument, NULL, 'a'},      {"win-b", required_argument, NULL, 'b'},
        {"socket", required_argument, NULL, 's'},     {"bytes", required_argument, NULL, 'n'},
        {"copy-keys", required_argument, NULL, 'c'},  {"paste-keys", required_argument, NULL, 'p'},
        {"rounds", required_argument, NULL, 'r'},     {NULL, 0, NULL, 0},
    };
    const char *dom0 = NULL, *guest = NULL, *sock = NULL;
    xcb_window_t wa = 0, wb = 0;
    long bytes = 0;
    int rounds = 20, c;
    uint8_t ckeys[3] = {0}, pkeys[3] = {0};
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dom0 = optarg; break;
        case 'g': guest = optarg; break;
        case 'a': wa = (xcb_window_t)strtoul(optarg, NULL, 0); break;
        case 'b': wb = (xcb_window_t)strtoul(optarg, NULL, 0); break;
        case 's': sock = optarg; break;
        case 'n': bytes = atol(optarg); break;
        case 'c': parse_keys(optarg, ckeys); break;
        case 'p': parse_keys(optarg, pkeys); break;
        case 'r': rounds = atoi(optarg); break;
        default: return 2;
        }
    }
    if (!dom0 || !guest || !wa || !wb || !sock || bytes <= 0 || rounds < 1 || rounds > 1000)
        return fprintf(stderr, "clip-bench-probe: missing arguments\n"), 2;
    xcb_connection_t *d = xcb_connect(dom0, NULL), *g = xcb_connect(guest, NULL);
    if (xcb_connection_has_error(d) || xcb_connection_has_error(g))
        return fprintf(stderr, "clip-bench-probe: cannot open displays\n"), 1;
    xcb_screen_t *gs = xcb_setup_roots_iterator(xcb_get_setup(g)).data;
    xcb_window_t gwin = xcb_generate_id(g);
    uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_create_window(g, XCB_COPY_FROM_PARENT, gwin, gs->root, 0, 0, 1, 1, 0,
                      XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK, &mask);
    xcb_atom_t clip = fen_x_intern(g, "CLIPBOARD"), utf8 = fen_x_intern(g, "UTF8_STRING"),
               prop = fen_x_intern(g, "CLIP_BENCH"), incr = fen_x_intern(g, "INCR");
    char want[64], reply[512];
    snprintf(want, sizeof want, "source=A bytes=%ld ", bytes);
    double *ms = calloc((size_t)rounds, sizeof *ms);
    for (int i = 0; i < rounds; i++) {
        /* B's clipboard is ours until the paste takes it. */
        xcb_set_selection_owner(g, gwin, clip, XCB_CURRENT_TIME);
        free(xcb_get_input_focus_reply(g, xcb_get_input_focus(g), NULL));
        usleep(50000);
        double t0 = now_ms(), deadline = t0 + 10000;
        hotkey(d, wa, ckeys);
        while (fen_ctl_request(sock, "show", reply, sizeof reply, 1000) != 0 ||
               !strstr(reply, want)) {
            if (now_ms() > deadline)
                return fprintf(stderr, "round %d: copy never arrived (%s)\n", i, reply), 1;
            usleep(200);
        }
        hotkey(d, wb, pkeys);
        xcb_generic_event_t *ev = wait_event(g, XCB_SELECTION_CLEAR, deadline);
        if (!ev)
            return fprintf(stderr, "round %d: paste never arrived\n", i), 1;
        free(ev);
        long got = read_clipboard(g, gwin, clip, utf8, prop, incr, deadline);
        ms[i] = now_ms() - t0;
        if (got != bytes)
            return fprintf(stderr, "round %d: read %ld bytes, want %ld\n", i, got, bytes), 1;
        printf("round %d %.1f ms\n", i, ms[i]);
    }
    qsort(ms, (size_t)rounds, sizeof *ms, cmp_double);
    int p95 = (int)(0.95 * (rounds - 1) + 0.5);
    printf("median_ms=%.1f p95_ms=%.1f rounds=%d\n", ms[rounds / 2], ms[p95], rounds);
    free(ms);
    xcb_disconnect(d);
    xcb_disconnect(g);
    return 0;
}
