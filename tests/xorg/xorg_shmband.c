/* Driver-level test of streamed MIT-SHM puts (fenestra_shmband.c), run
 * against a real Xorg with fenestra_drv.so (tests/xorg/driver-pixels.sh).
 * A second connection watches the window with raw-rectangle Damage, as the
 * agent does, and sees one event per band of rows; the pixels, the one
 * completion event and MIT-SHM's errors are those of the unsplit request.
 * Prints TAP.
 *   xorg-shmband BAND             server with PutBandPixels BAND (0 = off)
 *   xorg-shmband BAND small-pool  server with PoolMB 1: a window outside
 *                                 the pool is never split, one inside is
 *   xorg-shmband BAND pacing T I  frame pacing (fenestra_pacing.c) on a
 *                                 server with FrameTimeoutMs T and
 *                                 PaceIntervalMs I */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xcb/composite.h>
#include <xcb/damage.h>
#include <xcb/shm.h>
#include <xcb/xcb.h>

#include "../../gui-agent-linux/xf86-video-fenestra/fenext_client.h"
#include "xorg_tap.h"


static uint32_t image_pixel(int x, int y, uint32_t seed)
{
    return ((uint32_t)x * 0x010203u + (uint32_t)y * 0x030105u + seed * 0x2f1d0bu) & 0x00ffffffu;
}

struct shm_image {
    xcb_shm_seg_t seg;
    uint32_t *px;
    int width, height; /* totalWidth x totalHeight */
    size_t bytes;
};

static bool image_create(xcb_connection_t *c, struct shm_image *img, int w, int h, uint32_t seed)
{
    img->width = w;
    img->height = h;
    img->bytes = (size_t)w * (size_t)h * 4;
    int fd = memfd_create("xorg-shmband", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)img->bytes) < 0)
        return false;
    img->px = mmap(NULL, img->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (img->px == MAP_FAILED)
        return false;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            img->px[(size_t)y * (size_t)w + (size_t)x] = image_pixel(x, y, seed);
    img->seg = xcb_generate_id(c);
    xcb_generic_error_t *err = xcb_request_check(c, xcb_shm_attach_fd_checked(c, img->seg, fd, 0));
    free(err);
    return err == NULL;
}

struct put {
    int src_x, src_y, width, height, dst_x, dst_y;
};

/* Send the put (with a completion event) and return the X error code, 0. */
static int shm_put(xcb_connection_t *c, xcb_window_t win, xcb_gcontext_t gc,
                   const struct shm_image *img, const struct put *p)
{
    xcb_void_cookie_t ck = xcb_shm_put_image_checked(
        c, win, gc, (uint16_t)img->width, (uint16_t)img->height, (uint16_t)p->src_x,
        (uint16_t)p->src_y, (uint16_t)p->width, (uint16_t)p->height, (int16_t)p->dst_x,
        (int16_t)p->dst_y, 24, XCB_IMAGE_FORMAT_Z_PIXMAP, 1, img->seg, 0);
    xcb_generic_error_t *err = xcb_request_check(c, ck);
    int code = err ? err->error_code : 0;
    free(err);
    return code;
}

/* Completion events waiting on the drawing connection. */
static int count_completions(xcb_connection_t *c)
{
    const xcb_query_extension_reply_t *shm = xcb_get_extension_data(c, &xcb_shm_id);
    int n = 0;
    for (xcb_generic_event_t *ev; (ev = xcb_poll_for_event(c)); free(ev))
        if ((ev->response_type & 0x7f) == shm->first_event + XCB_SHM_COMPLETION)
            n++;
    return n;
}

struct damage_log {
    int events;
    bool rows_ok;  /* every rectangle spans the put's width */
    long covered;  /* pixels reported, summed */
    int min_y, max_y;
};

/* Damage events the watcher has received so far (after a round trip, all
 * the server generated before it). */
static struct damage_log collect_damage(xcb_connection_t *watch, const struct put *p)
{
    const xcb_query_extension_reply_t *dmg = xcb_get_extension_data(watch, &xcb_damage_id);
    struct damage_log log = {0, true, 0, 1 << 30, -1};
    sync_conn(watch);
    for (xcb_generic_event_t *ev; (ev = xcb_poll_for_event(watch)); free(ev)) {
        if ((ev->response_type & 0x7f) != dmg->first_event + XCB_DAMAGE_NOTIFY)
            continue;
        const xcb_damage_notify_event_t *d = (const xcb_damage_notify_event_t *)ev;
        log.events++;
        log.rows_ok &= d->area.x == p->dst_x && d->area.width == p->width;
        log.covered += (long)d->area.width * d->area.height;
        if (d->area.y < log.min_y)
            log.min_y = d->area.y;
        if (d->area.y + d->area.height > log.max_y)
            log.max_y = d->area.y + d->area.height;
    }
    return log;
}

/* Pixels of the window differing from: the put's source inside its
 * destination rectangle, `outside` elsewhere (within w x h). */
static long count_bad(xcb_connection_t *c, xcb_window_t win, int w, int h,
                      const struct shm_image *img, const struct put *p,
                      const struct shm_image *outside)
{
    xcb_get_image_reply_t *r = xcb_get_image_reply(
        c, xcb_get_image(c, XCB_IMAGE_FORMAT_Z_PIXMAP, win, 0, 0, (uint16_t)w, (uint16_t)h, ~0u),
        NULL);
    if (!r || xcb_get_image_data_length(r) != w * h * 4) {
        free(r);
        return -1;
    }
    const uint32_t *px = (const uint32_t *)xcb_get_image_data(r);
    long bad = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            bool in = x >= p->dst_x && x < p->dst_x + p->width && y >= p->dst_y &&
                      y < p->dst_y + p->height;
            uint32_t want = in ? img->px[(size_t)(y - p->dst_y + p->src_y) * (size_t)img->width +
                                         (size_t)(x - p->dst_x + p->src_x)]
                               : outside->px[(size_t)y * (size_t)outside->width + (size_t)x];
            bad += (px[(size_t)y * (size_t)w + (size_t)x] & 0xffffffu) != want;
        }
    free(r);
    return bad;
}

/* Bands the driver cuts a put of w x h pixels into (1 = not split). */
static int expected_bands(uint32_t band, int w, int h, bool in_pool)
{
    if (!band || !in_pool || (uint64_t)w * (uint64_t)h <= band)
        return 1;
    int rows = (int)(band / (uint32_t)w);
    if (rows < 1)
        rows = 1;
    return (h + rows - 1) / rows;
}

struct ctx {
    xcb_connection_t *c, *watch;
    xcb_screen_t *s;
    uint32_t band;
};

static xcb_window_t make_window(struct ctx *x, int w, int h, xcb_gcontext_t *gc)
{
    xcb_window_t win = xcb_generate_id(x->c);
    xcb_create_window(x->c, XCB_COPY_FROM_PARENT, win, x->s->root, 0, 0, (uint16_t)w,
                      (uint16_t)h, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, 0, NULL);
    xcb_map_window(x->c, win);
    *gc = xcb_generate_id(x->c);
    xcb_create_gc(x->c, *gc, win, 0, NULL);
    sync_conn(x->c);
    xcb_damage_damage_t d = xcb_generate_id(x->watch);
    xcb_damage_create(x->watch, d, win, XCB_DAMAGE_REPORT_LEVEL_RAW_RECTANGLES);
    sync_conn(x->watch);
    return win;
}

static bool window_in_pool(xcb_connection_t *c, xcb_window_t win)
{
    struct fenext_window_pages pages;
    return fenext_get_window_pages(c, win, 0, &pages) == 0 && pages.shared;
}

/* One put into win (w x h, showing `before` at (0,0)); checks the events
 * the watcher saw, the completion events and the pixels. */
static void check_put(struct ctx *x, xcb_window_t win, xcb_gcontext_t gc, int w, int h,
                      const struct shm_image *img, const struct put *p,
                      const struct shm_image *before, bool in_pool, const char *what)
{
    collect_damage(x->watch, p); /* drop what earlier drawing left */
    count_completions(x->c);
    int err = shm_put(x->c, win, gc, img, p);
    sync_conn(x->c);
    struct damage_log d = collect_damage(x->watch, p);
    int want = expected_bands(x->band, p->width, p->height, in_pool);
    check(err == 0 && d.events == want && d.rows_ok && d.covered == (long)p->width * p->height &&
              d.min_y == p->dst_y && d.max_y == p->dst_y + p->height,
          "%s: %d damage event(s) of whole rows covering the put once (want %d; covered %ld of "
          "%d px)", what, d.events, want, d.covered, p->width * p->height);
    check(count_completions(x->c) == 1, "%s: exactly one completion event", what);
    long bad = count_bad(x->c, win, w, h, img, p, before);
    check(bad == 0, "%s: the window shows exactly the put's pixels (%ld differ)", what, bad);
}

static void run_default(struct ctx *x)
{
    /* A window the size of the screen (driver-pixels.sh leaves it at
     * 1600x900 = 1.44 Mpx: three bands of the default 512 Kpx). */
    const int w = x->s->width_in_pixels, h = x->s->height_in_pixels;
    if (x->band && (uint64_t)w * (uint64_t)h <= x->band) {
        check(false, "the %dx%d screen is large enough to split a put into bands of %u px", w, h,
              x->band);
        return;
    }
    xcb_gcontext_t gc;
    xcb_window_t win = make_window(x, w, h, &gc);
    check(window_in_pool(x->c, win), "the %dx%d window is in the pool", w, h);
    struct shm_image whole, offset, small;
    if (!image_create(x->c, &whole, w, h, 1) || !image_create(x->c, &offset, w + 40, h + 30, 2) ||
        !image_create(x->c, &small, w, 64, 3)) {
        check(false, "MIT-SHM images");
        return;
    }
    struct put all = {0, 0, w, h, 0, 0};
    check_put(x, win, gc, w, h, &whole, &all, &whole, true, "whole-window put");

    /* Source and destination offsets (MIT-SHM's CopyArea path). */
    struct put sub = {17, 9, w - 20, h - 10, 5, 3};
    struct shm_image shown = whole; /* outside the put the window keeps `whole` */
    check_put(x, win, gc, w, h, &offset, &sub, &shown, true, "offset sub-rectangle put");

    /* Below two bands: one request, one event. */
    shm_put(x->c, win, gc, &whole, &all);
    sync_conn(x->c);
    struct put strip = {0, 0, w, 64, 0, 100};
    struct shm_image before = whole;
    check_put(x, win, gc, w, h, &small, &strip, &before, true, "small put");

    /* A put MIT-SHM refuses whole (source rows past the image) is refused
     * as before: nothing drawn, no damage, BadValue. */
    shm_put(x->c, win, gc, &whole, &all);
    sync_conn(x->c);
    collect_damage(x->watch, &all);
    struct put past = {0, 100, w, h, 0, 0};
    int err = shm_put(x->c, win, gc, &whole, &past);
    struct damage_log d = collect_damage(x->watch, &past);
    long bad = count_bad(x->c, win, w, h, &whole, &all, &whole);
    check(err == XCB_VALUE && d.events == 0 && bad == 0,
          "a put past the image's rows is BadValue and draws nothing (error %d, %d events, %ld "
          "px changed)", err, d.events, bad);
    check(!xcb_connection_has_error(x->c) && !xcb_connection_has_error(x->watch),
          "both connections are alive");
}

static void run_small_pool(struct ctx *x)
{
    /* PoolMB 1: 1000x800 (3.2 MB) cannot be in the pool, 400x400 can. */
    xcb_gcontext_t gc;
    xcb_window_t big = make_window(x, 1000, 800, &gc);
    check(!window_in_pool(x->c, big), "the 1000x800 window is outside the pool");
    struct shm_image img;
    if (!image_create(x->c, &img, 1000, 800, 4)) {
        check(false, "MIT-SHM image");
        return;
    }
    struct put all = {0, 0, 1000, 800, 0, 0};
    check_put(x, big, gc, 1000, 800, &img, &all, &img, false, "put outside the pool");
    xcb_destroy_window(x->c, big);
    sync_conn(x->c);

    xcb_window_t win = make_window(x, 400, 400, &gc);
    check(window_in_pool(x->c, win), "the 400x400 window is in the pool");
    struct put sq = {0, 0, 400, 400, 0, 0};
    check_put(x, win, gc, 400, 400, &img, &sq, &img, true, "put inside the pool");
}

/* ---- frame pacing (fenestra_pacing.c), x->watch is the pacer ----------- */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The pacer's next FrameNotify within `ms` (0 if none): also counts the
 * damage events before it, into *damage. */
static uint32_t next_frame(xcb_connection_t *pacer, double ms, int *damage)
{
    const xcb_query_extension_reply_t *dmg = xcb_get_extension_data(pacer, &xcb_damage_id);
    int first = fenext_first_event(pacer);
    double end = now_ms() + ms;
    *damage = 0;
    for (;;) {
        xcb_generic_event_t *ev = xcb_poll_for_event(pacer);
        if (!ev) {
            if (now_ms() >= end || xcb_connection_has_error(pacer))
                return 0;
            usleep(1000);
            continue;
        }
        xcb_window_t w;
        uint32_t serial = 0; /* the driver's first frame is 1 */
        if ((ev->response_type & 0x7f) == dmg->first_event + XCB_DAMAGE_NOTIFY)
            (*damage)++;
        else
            fenext_frame_event(first, ev, &w, &serial);
        free(ev);
        if (serial)
            return serial;
    }
}

static void put_async(struct ctx *x, xcb_window_t win, xcb_gcontext_t gc,
                      const struct shm_image *img)
{
    xcb_shm_put_image(x->c, win, gc, (uint16_t)img->width, (uint16_t)img->height, 0, 0,
                      (uint16_t)img->width, (uint16_t)img->height, 0, 0, 24,
                      XCB_IMAGE_FORMAT_Z_PIXMAP, 0, img->seg, 0);
    xcb_flush(x->c);
}

/* The server has FrameTimeoutMs `timeout` and PaceIntervalMs `interval`
 * (driver-pixels.sh: 1000 and 300). */
static void run_pacing(struct ctx *x, double timeout, double interval)
{
    const int w = x->s->width_in_pixels, h = x->s->height_in_pixels;
    xcb_gcontext_t gc;
    xcb_window_t win = make_window(x, w, h, &gc);
    struct shm_image img;
    if (!window_in_pool(x->c, win) || !image_create(x->c, &img, w, h, 5)) {
        check(false, "a %dx%d pool window and an image for it", w, h);
        return;
    }
    int damage;
    put_async(x, win, gc, &img);
    sync_conn(x->c);
    check(next_frame(x->watch, 100, &damage) == 0, "no FrameNotify before SelectFrames");

    check(fenext_select_frames(x->watch, 1) == 0, "SelectFrames makes a client the pacer");
    xcb_connection_t *other = xcb_connect(NULL, NULL);
    check(fenext_select_frames(other, 1) == XCB_ACCESS,
          "a second client's SelectFrames is BadAccess while one paces");

    /* A frame put long after the previous one (a 60 fps application) is
     * not paced; the next one, put right after it, is. */
    usleep((useconds_t)(interval * 1300));
    put_async(x, win, gc, &img);
    sync_conn(x->c);
    check(next_frame(x->watch, interval / 3, &damage) == 0 && damage > 0,
          "a frame put more than PaceIntervalMs after the previous one is not paced");

    /* Answered at once: every frame is reported, after its damage, with
     * consecutive serials, and nothing waits for the timeout (the shell
     * script checks the server log). */
    uint32_t first = 0, prev = 0;
    bool ordered = true, consecutive = true;
    for (int i = 0; i < 6; i++) {
        put_async(x, win, gc, &img);
        uint32_t s = next_frame(x->watch, 10 * timeout, &damage);
        ordered &= s != 0 && damage > 0;
        consecutive &= s != 0 && (i == 0 || s == prev + 1);
        if (i == 0)
            first = s;
        prev = s;
        fenext_frame_painted(x->watch, win, s);
        xcb_flush(x->watch);
    }
    sync_conn(x->c);
    check(first && ordered, "each of 6 answered frames gives one FrameNotify after its damage");
    check(consecutive, "frame serials count up by one (%u..%u)", first, prev);

    /* Unanswered: the next put is held; answering releases it. */
    put_async(x, win, gc, &img);
    uint32_t a = next_frame(x->watch, 10 * timeout, &damage);
    put_async(x, win, gc, &img);
    double t0 = now_ms();
    uint32_t b = next_frame(x->watch, timeout / 5, &damage);
    check(a && !b, "the put after an unanswered frame is held (no frame for %.0f ms)", now_ms() - t0);
    fenext_frame_painted(x->watch, win, a);
    xcb_flush(x->watch);
    b = next_frame(x->watch, 10 * timeout, &damage);
    check(b == a + 1, "FramePainted releases it (frame %u after %u)", b, a);

    /* Never answered: held puts run after the timeout, the app is slowed,
     * not frozen. */
    t0 = now_ms();
    put_async(x, win, gc, &img);
    uint32_t c = next_frame(x->watch, 10 * timeout, &damage);
    double waited = now_ms() - t0;
    check(c == b + 1 && waited >= timeout * 0.9,
          "an unanswered frame holds the next put for FrameTimeoutMs, then lets it run (%.0f ms)",
          waited);

    /* The pacer goes away while a put is held: pacing ends, another client
     * may pace. */
    put_async(x, win, gc, &img); /* held: c is unanswered */
    xcb_disconnect(x->watch);
    sync_conn(x->c);
    /* The server notices the closed connection on its own time: retry. */
    int rc = XCB_ACCESS;
    for (int i = 0; i < 100 && rc == XCB_ACCESS; i++) {
        rc = fenext_select_frames(other, 1);
        if (rc == XCB_ACCESS)
            usleep(10000);
    }
    check(rc == 0, "after the pacer disconnects, another client may pace");

    /* An application that disconnects while held does not upset the
     * server when its hold would have ended. */
    xcb_connection_t *app = xcb_connect(NULL, NULL);
    struct shm_image img2;
    if (!image_create(app, &img2, w, h, 6)) {
        check(false, "a second MIT-SHM image");
        return;
    }
    struct ctx y = {.c = app, .watch = other, .s = x->s};
    xcb_gcontext_t gc2 = xcb_generate_id(app);
    xcb_create_gc(app, gc2, win, 0, NULL);
    put_async(&y, win, gc2, &img2);
    sync_conn(app);
    put_async(&y, win, gc2, &img2);            /* fast: a frame, left unanswered */
    next_frame(other, 10 * timeout, &damage);
    put_async(&y, win, gc2, &img2);            /* held */
    usleep(50000);
    xcb_disconnect(app);
    usleep((useconds_t)(timeout * 1500));
    sync_conn(other);
    check(!xcb_connection_has_error(other) && !xcb_connection_has_error(x->c),
          "the server outlives a held client's disconnect and its timeout");
    xcb_disconnect(other);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: xorg-shmband BAND [small-pool]\n");
        return 2;
    }
    struct ctx x = {.band = (uint32_t)strtoul(argv[1], NULL, 0)};
    x.c = xcb_connect(NULL, NULL);
    x.watch = xcb_connect(NULL, NULL);
    if (xcb_connection_has_error(x.c) || xcb_connection_has_error(x.watch)) {
        printf("not ok 1 - cannot connect to $DISPLAY\n");
        return 1;
    }
    x.s = xcb_setup_roots_iterator(xcb_get_setup(x.c)).data;
    xcb_shm_query_version_reply_t *shm = xcb_shm_query_version_reply(x.c, xcb_shm_query_version(x.c), NULL);
    xcb_damage_query_version_reply_t *dv = xcb_damage_query_version_reply(
        x.watch, xcb_damage_query_version(x.watch, 1, 1), NULL);
    check(shm && dv && fenext_present(x.c) == 1, "MIT-SHM, DAMAGE and FENESTRA are there");
    free(shm);
    free(dv);
    /* As the agent does: top-level windows get composite pixmaps (pool). */
    xcb_composite_redirect_subwindows(x.c, x.s->root, XCB_COMPOSITE_REDIRECT_MANUAL);
    sync_conn(x.c);
    if (argc > 2 && strcmp(argv[2], "small-pool") == 0)
        run_small_pool(&x);
    else if (argc > 4 && strcmp(argv[2], "pacing") == 0)
        run_pacing(&x, atof(argv[3]), atof(argv[4]));
    else
        run_default(&x);
    if (!(argc > 2 && strcmp(argv[2], "pacing") == 0))
        xcb_disconnect(x.watch); /* run_pacing disconnects it itself */
    xcb_disconnect(x.c);
    return failures ? 1 : 0;
}
