/* fen-framegen: a guest X client that draws stamped frames for benchmarks.
 *   fen-framegen [--size WxH] [--fps N] [--mode full|server|text] [--seconds S]
 * full: every frame is rendered client-side (new colors over the whole
 *       window + a moving bar) and put with MIT-SHM: the application copies
 *       the frame through its own memory into its X server;
 * server: the same picture drawn by the guest X server itself (core fills of
 *       the whole window + the bar; only the 304x4 stamp is put): output that
 *       does not pass through the application's memory (video/GL-style);
 * text: ~20 small rectangles per frame + stamp (a terminal-like load).
 * Every frame carries its stamp twice, top-left and bottom-left: the meter
 * counts a frame only when both show it, i.e. when the whole frame reached
 * dom0, whatever order (e.g. bands top first) it was painted in.
 * --fps 0 = as fast as the X server takes frames (each frame is synced with
 * a round trip so frames are not queued without end).  Prints the number of
 * frames produced on exit. */
#include <errno.h>
#include <getopt.h>
#include <pixman.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xcb/shm.h>
#include <xcb/xcb.h>

#include "stamp.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* Solid fills go through pixman, as cairo and the X server's fb draw them
 * (SIMD stores).  A plain per-pixel loop is not vectorized by gcc -O2 here
 * and made the "application" spend 0.7 ms of a 1080p frame on scalar
 * stores, which every system in the benchmark paid and no real toolkit
 * pays. */
static void fill_rect(uint8_t *img, uint32_t stride, int x, int y, int w, int h, uint32_t color)
{
    pixman_fill((uint32_t *)img, (int)(stride / 4), 32, x, y, w, h, color);
}

int main(int argc, char **argv)
{
    int w = 1920, h = 1080, fps = 0, seconds = 0, frames = 0;
    const char *mode = "full";
    static const struct option opts[] = {{"size", 1, 0, 's'}, {"fps", 1, 0, 'f'},
                                         {"mode", 1, 0, 'm'}, {"seconds", 1, 0, 't'}, {"frames", 1, 0, 'n'},
                                         {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 's':
            if (sscanf(optarg, "%dx%d", &w, &h) != 2 || w < STAMP_WIDTH || h < 64 || w > 8192 ||
                h > 8192)
                return fprintf(stderr, "bad --size\n"), 2;
            break;
        case 'f': fps = atoi(optarg); break;
        case 'm': mode = optarg; break;
        case 't': seconds = atoi(optarg); break;
        case 'n': frames = atoi(optarg); break;
        default:
            printf("usage: fen-framegen [--size WxH] [--fps N] [--mode full|server|text] [--seconds S]\n"
                   "                    [--frames N]   (stop drawing after N frames, stay up: idle)\n");
            return c == 'h' ? 0 : 2;
        }
    }
    bool text = !strcmp(mode, "text"), server = !strcmp(mode, "server");
    if (!text && !server && strcmp(mode, "full"))
        return fprintf(stderr, "bad --mode\n"), 2;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    xcb_connection_t *c = xcb_connect(NULL, NULL);
    if (xcb_connection_has_error(c))
        return fprintf(stderr, "cannot connect to X\n"), 1;
    xcb_screen_t *scr = xcb_setup_roots_iterator(xcb_get_setup(c)).data;
    xcb_window_t win = xcb_generate_id(c);
    uint32_t vals[] = {scr->black_pixel, 1};
    xcb_create_window(c, XCB_COPY_FROM_PARENT, win, scr->root, 0, 0, (uint16_t)w, (uint16_t)h, 0,
                      XCB_WINDOW_CLASS_INPUT_OUTPUT, scr->root_visual,
                      XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT, vals);
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8, 12,
                        "fen-framegen");
    xcb_map_window(c, win);
    xcb_gcontext_t gc = xcb_generate_id(c);
    xcb_create_gc(c, gc, win, 0, NULL);

    size_t stride = (size_t)w * 4, size = stride * (size_t)h;
    int fd = memfd_create("fen-framegen", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
        return perror("memfd"), 1;
    uint8_t *img = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (img == MAP_FAILED)
        return perror("mmap"), 1;
    xcb_shm_seg_t seg = xcb_generate_id(c);
    xcb_generic_error_t *err = xcb_request_check(c, xcb_shm_attach_fd_checked(c, seg, fd, 0));
    if (err)
        return fprintf(stderr, "MIT-SHM attach failed\n"), 1;
    free(xcb_get_input_focus_reply(c, xcb_get_input_focus(c), NULL));

    uint64_t start = stamp_now_us(), next = start;
    uint32_t seq = 0;
    unsigned rng = 12345;
    while (!stop) {
        if (seconds && stamp_now_us() - start >= (uint64_t)seconds * 1000000u)
            break;
        if (frames && seq >= (uint32_t)frames) {
            pause(); /* idle: the window stays, nothing changes */
            continue;
        }
        seq++;
        if (server) {
            uint32_t color = (seq * 0x9e3779b1u) & 0x00ffffffu, bar = ~color & 0x00ffffffu;
            xcb_rectangle_t all = {0, STAMP_HEIGHT, (uint16_t)w, (uint16_t)(h - STAMP_HEIGHT)};
            xcb_rectangle_t stripe = {(int16_t)(seq * 16 % (uint32_t)(w - 64)), STAMP_HEIGHT, 64,
                                      (uint16_t)(h - STAMP_HEIGHT)};
            xcb_change_gc(c, gc, XCB_GC_FOREGROUND, &color);
            xcb_poly_fill_rectangle(c, win, gc, 1, &all);
            xcb_change_gc(c, gc, XCB_GC_FOREGROUND, &bar);
            xcb_poly_fill_rectangle(c, win, gc, 1, &stripe);
        } else if (!text) {
            uint32_t color = (seq * 0x9e3779b1u) & 0x00ffffffu;
            fill_rect(img, (uint32_t)stride, 0, STAMP_HEIGHT, w, h - STAMP_HEIGHT, color);
            /* a moving bar so consecutive frames differ in structure too */
            fill_rect(img, (uint32_t)stride, (int)(seq * 16 % (uint32_t)(w - 64)), STAMP_HEIGHT,
                      64, h - STAMP_HEIGHT, ~color & 0x00ffffffu);
        }
        uint64_t now = stamp_now_us();
        stamp_draw(img, (uint32_t)stride, 0, 0, seq, now);
        stamp_draw(img, (uint32_t)stride, 0, h - STAMP_HEIGHT, seq, now);
        if (!text && !server) {
            xcb_shm_put_image(c, win, gc, (uint16_t)w, (uint16_t)h, 0, 0, (uint16_t)w,
                              (uint16_t)h, 0, 0, 24, XCB_IMAGE_FORMAT_Z_PIXMAP, 0, seg, 0);
        } else if (text) {
            for (int r = 0; r < 20; r++) {
                rng = rng * 1103515245u + 12345u;
                int rx = (int)(rng >> 8) % (w - 96), ry = STAMP_HEIGHT + 8 + (int)(rng >> 4) % (h - 40);
                fill_rect(img, (uint32_t)stride, rx, ry, 96, 16, rng & 0x00ffffffu);
                xcb_shm_put_image(c, win, gc, (uint16_t)w, (uint16_t)h, (int16_t)rx, (int16_t)ry,
                                  96, 16, (int16_t)rx, (int16_t)ry, 24, XCB_IMAGE_FORMAT_Z_PIXMAP,
                                  0, seg, 0);
            }
        }
        if (text || server) {
            xcb_shm_put_image(c, win, gc, (uint16_t)w, (uint16_t)h, 0, 0, STAMP_WIDTH,
                              STAMP_HEIGHT, 0, 0, 24, XCB_IMAGE_FORMAT_Z_PIXMAP, 0, seg, 0);
            xcb_shm_put_image(c, win, gc, (uint16_t)w, (uint16_t)h, 0, (int16_t)(h - STAMP_HEIGHT),
                              STAMP_WIDTH, STAMP_HEIGHT, 0, (int16_t)(h - STAMP_HEIGHT), 24,
                              XCB_IMAGE_FORMAT_Z_PIXMAP, 0, seg, 0);
        }
        /* round trip: the server has executed the frame before we draw the next */
        free(xcb_get_input_focus_reply(c, xcb_get_input_focus(c), NULL));
        if (xcb_connection_has_error(c))
            break;
        if (fps > 0) {
            next += 1000000u / (unsigned)fps;
            uint64_t t = stamp_now_us();
            if (next > t) {
                struct timespec ts = {(time_t)((next - t) / 1000000u),
                                      (long)((next - t) % 1000000u) * 1000};
                nanosleep(&ts, NULL);
            } else if (t - next > 100000u) {
                next = t; /* fell far behind: do not burst */
            }
        }
    }
    printf("frames %u seconds %.3f\n", seq, (double)(stamp_now_us() - start) / 1e6);
    fflush(stdout);
    xcb_disconnect(c);
    return 0;
}
