/* fen-framewatch: dom0-side frame counter for benchmarks.  Watches the whole
 * screen with XDamage; after each damage it reads the two stamp strips of the
 * frame (top-left and bottom-left, found once by scanning the screen) and
 * records every new sequence number that both strips show, with its latency
 * (now - stamp time; same machine, CLOCK_MONOTONIC).  Requiring both counts
 * a frame once all of it reached the screen, whatever order it was painted
 * in; a frame torn between two stamps is not counted.
 *   fen-framewatch --seconds S [--warmup S]
 * Prints one line: frames, fps, lost, lat_p50_ms, lat_p95_ms, lat_p99_ms. */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/damage.h>
#include <xcb/xcb.h>

#include "stamp.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Find the two stamps of a frame on screen: the topmost stamp in the
 * top-left 2600x1500, then the next one below it in the same column. */
static bool find_stamps(xcb_connection_t *c, xcb_window_t root, int sw, int sh, int *sx, int *sy,
                        int *by)
{
    int w = sw < 2600 ? sw : 2600, h = sh < 1500 ? sh : 1500;
    xcb_get_image_reply_t *r = xcb_get_image_reply(
        c, xcb_get_image(c, XCB_IMAGE_FORMAT_Z_PIXMAP, root, 0, 0, (uint16_t)w, (uint16_t)h, ~0u),
        NULL);
    if (!r)
        return false;
    const uint8_t *img = xcb_get_image_data(r);
    bool found = false;
    for (int y = 0; y + STAMP_HEIGHT <= h && !found; y++)
        for (int x = 0; x + STAMP_WIDTH <= w && !found; x++) {
            uint32_t seq;
            uint64_t us;
            /* blocks are read at their centers: try offsets so (x,y) is the corner */
            if (stamp_read(img, (uint32_t)w * 4, x, y, &seq, &us) &&
                (y == 0 || !stamp_read(img, (uint32_t)w * 4, x, y - 1, &seq, &us)) &&
                (x == 0 || !stamp_read(img, (uint32_t)w * 4, x - 1, y, &seq, &us))) {
                *sx = x;
                *sy = y;
                found = true;
            }
        }
    bool bottom = false;
    for (int y = *sy + STAMP_HEIGHT; found && y + STAMP_HEIGHT <= h && !bottom; y++) {
        uint32_t seq;
        uint64_t us;
        if (stamp_read(img, (uint32_t)w * 4, *sx, y, &seq, &us) &&
            !stamp_read(img, (uint32_t)w * 4, *sx, y - 1, &seq, &us)) {
            *by = y;
            bottom = true;
        }
    }
    free(r);
    return found && bottom;
}

/* Does the damaged area a overlap the stamp strip at (x, y)? */
static bool touches_strip(const xcb_rectangle_t *a, int x, int y)
{
    return a->x < x + STAMP_WIDTH && x < a->x + a->width && a->y < y + STAMP_HEIGHT &&
           y < a->y + a->height;
}

static xcb_get_image_cookie_t get_strip(xcb_connection_t *c, xcb_window_t root, int x, int y)
{
    return xcb_get_image(c, XCB_IMAGE_FORMAT_Z_PIXMAP, root, (int16_t)x, (int16_t)y, STAMP_WIDTH,
                         STAMP_HEIGHT, ~0u);
}

/* The stamp of one strip, read back; false when missing or unreadable. */
static bool read_strip(xcb_connection_t *c, xcb_get_image_cookie_t ck, uint32_t *seq, uint64_t *us)
{
    xcb_get_image_reply_t *r = xcb_get_image_reply(c, ck, NULL);
    if (!r)
        return false;
    bool ok = xcb_get_image_data_length(r) >= STAMP_WIDTH * STAMP_HEIGHT * 4 &&
              stamp_read(xcb_get_image_data(r), STAMP_WIDTH * 4, 0, 0, seq, us);
    free(r);
    return ok;
}

int main(int argc, char **argv)
{
    double seconds = 10, warmup = 0, find_timeout = 20;
    static const struct option opts[] = {{"seconds", 1, 0, 's'}, {"warmup", 1, 0, 'w'},
                                         {"find-timeout", 1, 0, 'f'}, {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    for (int o; (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (o) {
        case 's': seconds = atof(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case 'f': find_timeout = atof(optarg); break;
        default:
            printf("usage: fen-framewatch --seconds S [--warmup S] [--find-timeout S]\n");
            return o == 'h' ? 0 : 2;
        }
    }
    xcb_connection_t *c = xcb_connect(NULL, NULL);
    if (xcb_connection_has_error(c))
        return fprintf(stderr, "cannot connect to X\n"), 1;
    xcb_screen_t *scr = xcb_setup_roots_iterator(xcb_get_setup(c)).data;
    free(xcb_damage_query_version_reply(c, xcb_damage_query_version(c, 1, 1), NULL));
    const xcb_query_extension_reply_t *ext = xcb_get_extension_data(c, &xcb_damage_id);
    if (!ext || !ext->present)
        return fprintf(stderr, "no DAMAGE extension\n"), 1;

    int sx = 0, sy = 0, by = 0;
    uint64_t t0 = stamp_now_us();
    while (!find_stamps(c, scr->root, scr->width_in_pixels, scr->height_in_pixels, &sx, &sy, &by)) {
        if (stamp_now_us() - t0 > (uint64_t)(find_timeout * 1e6))
            return fprintf(stderr, "no stamp found on screen\n"), 1;
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "stamps at %d,%d and %d,%d\n", sx, sy, sx, by);

    /* Raw rectangles: one event per drawing request on the screen, nothing
     * to subtract; the strips are read only after a drawing that touched
     * one of them, so a frame painted in bands is read once or twice, not
     * after every band (each read is a round trip on dom0's X server). */
    xcb_damage_damage_t dmg = xcb_generate_id(c);
    xcb_damage_create(c, dmg, scr->root, XCB_DAMAGE_REPORT_LEVEL_RAW_RECTANGLES);
    xcb_flush(c);
    const uint8_t damage_notify = ext->first_event + XCB_DAMAGE_NOTIFY;

    size_t cap = 1 << 20, n = 0;
    uint32_t *lat = malloc(cap * sizeof *lat);
    uint32_t last = 0, first = 0;
    bool have = false;
    uint64_t lost = 0;
    uint64_t begin = stamp_now_us() + (uint64_t)(warmup * 1e6);
    uint64_t end = begin + (uint64_t)(seconds * 1e6);
    struct pollfd pfd = {.fd = xcb_get_file_descriptor(c), .events = POLLIN};
    while (stamp_now_us() < end) {
        xcb_generic_event_t *ev = xcb_poll_for_event(c);
        if (!ev) {
            if (xcb_connection_has_error(c))
                break;
            poll(&pfd, 1, 100);
            continue;
        }
        /* drain queued damage events: one read covers them all */
        bool touched = false;
        do {
            if ((ev->response_type & 0x7f) == damage_notify) {
                const xcb_damage_notify_event_t *d = (const xcb_damage_notify_event_t *)ev;
                touched = touched || touches_strip(&d->area, sx, sy) || touches_strip(&d->area, sx, by);
            }
            free(ev);
        } while ((ev = xcb_poll_for_event(c)));
        if (!touched)
            continue;
        xcb_get_image_cookie_t top = get_strip(c, scr->root, sx, sy);
        xcb_get_image_cookie_t bot = get_strip(c, scr->root, sx, by);
        uint32_t seq, seq2;
        uint64_t us, us2;
        bool ok_top = read_strip(c, top, &seq, &us);
        bool ok_bot = read_strip(c, bot, &seq2, &us2);
        uint64_t now = stamp_now_us();
        if (ok_top && ok_bot && seq == seq2 && us == us2 && (!have || seq != last)) {
            if (now >= begin) {
                if (!have)
                    first = seq;
                else if (seq > last + 1)
                    lost += seq - last - 1;
                uint64_t d = ((now & 0xffffffffffull) - us) & 0xffffffffffull;
                if (n < cap)
                    lat[n++] = (uint32_t)(d > 0xffffffffu ? 0xffffffffu : d);
                have = true;
            }
            last = seq;
        }
    }
    (void)first;
    qsort(lat, n, sizeof *lat, cmp_u32);
    double p50 = n ? lat[n / 2] / 1000.0 : 0, p95 = n ? lat[n * 95 / 100] / 1000.0 : 0,
           p99 = n ? lat[n * 99 / 100] / 1000.0 : 0;
    printf("frames %zu fps %.1f lost %llu lat_p50_ms %.2f lat_p95_ms %.2f lat_p99_ms %.2f\n", n,
           n / seconds, (unsigned long long)lost, p50, p95, p99);
    free(lat);
    xcb_disconnect(c);
    return 0;
}
