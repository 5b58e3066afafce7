/* Driver-level test of fenestra_drv.so, run against a real Xorg with the
 * driver (tests/xorg/driver-pixels.sh starts it): X draws known pixels into
 * composite-redirected windows, and the test reads them straight out of the
 * driver's pool pages through the FENESTRA extension -- zero copy, no guid.
 * Also: resize gives new pages while held old pages stay intact, releasing
 * a hold (or disconnecting) frees pages, unredirected and unknown windows are
 * refused cleanly.  Prints TAP.  Other modes:
 *   xorg-pixels exhaust            the pool-full fallback (server with PoolMB=1)
 *   xorg-pixels pages-zero A B     exit 0 when pool pages A..B read as zero
 *                                  (freed), 1 when not (for the e2e test)
 *   xorg-pixels bordered           show a 150x100 top-level window with an
 *                                  8 px red border, green content and a blue
 *                                  20x20 square at (10,10); prints "ready",
 *                                  redraws on Expose until killed */
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/uio.h>
#include <xcb/composite.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>

#include "../../gui-agent-linux/xf86-video-fenestra/fenext_client.h"
#include "../../gui-agent-linux/xf86-video-fenestra/fenext_proto.h"
#include "xorg_tap.h"


/* The pattern: a background colour with a differently coloured square whose
 * position depends on `seed`, so every test draws something distinct. */
static uint32_t pattern(uint32_t seed, int x, int y)
{
    int sx = 7 + (int)(seed % 13), sy = 5 + (int)(seed % 11);
    if (x >= sx && x < sx + 31 && y >= sy && y < sy + 17)
        return 0x00abcdefu ^ seed;
    return (0x00102030u + seed * 0x00010101u) & 0x00ffffffu;
}

static void draw_pattern(xcb_connection_t *c, xcb_window_t w, uint32_t seed, int width,
                         int height)
{
    xcb_gcontext_t gc = xcb_generate_id(c);
    uint32_t bg = pattern(seed, 0, 0), fg = pattern(seed, 7 + (int)(seed % 13), 5 + (int)(seed % 11));
    xcb_create_gc(c, gc, w, XCB_GC_FOREGROUND, &bg);
    xcb_rectangle_t all = {0, 0, (uint16_t)width, (uint16_t)height};
    xcb_poly_fill_rectangle(c, w, gc, 1, &all);
    xcb_change_gc(c, gc, XCB_GC_FOREGROUND, &fg);
    xcb_rectangle_t sq = {(int16_t)(7 + seed % 13), (int16_t)(5 + seed % 11), 31, 17};
    xcb_poly_fill_rectangle(c, w, gc, 1, &sq);
    xcb_free_gc(c, gc);
    sync_conn(c);
}

/* Count pixels of the window content (w x h at border bw) that differ from
 * the pattern; mask: 0x00ffffff for depth 24. */
static long count_bad(const uint8_t *pool, const struct fenext_window_pages *p, uint32_t seed,
                      int w, int h, uint32_t mask)
{
    const uint8_t *base = pool + (size_t)p->first_page * FENEXT_PAGE_SIZE;
    long bad = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(base + (size_t)(y + p->border_width) * p->stride) +
                              p->border_width;
        for (int x = 0; x < w; x++)
            if ((row[x] & mask) != (pattern(seed, x, y) & mask))
                bad++;
    }
    return bad;
}

static bool pages_zero(const uint8_t *pool, uint32_t first, uint32_t n)
{
    const uint8_t *b = pool + (size_t)first * FENEXT_PAGE_SIZE;
    for (size_t i = 0; i < (size_t)n * FENEXT_PAGE_SIZE; i++)
        if (b[i])
            return false;
    return true;
}

/* Send `len` raw bytes as FENESTRA request `minor` (xcb fills in the major
 * opcode and the length); the X error code it gets, 0 for a reply. */
static int raw_request_error(xcb_connection_t *c, uint8_t minor, void *req, size_t len)
{
    static xcb_extension_t ext = {FENEXT_NAME, 0};
    struct iovec parts[3];
    xcb_protocol_request_t proto = {.count = 1, .ext = &ext, .opcode = minor, .isvoid = 0};
    parts[2].iov_base = req;
    parts[2].iov_len = len;
    unsigned int seq = xcb_send_request(c, XCB_REQUEST_CHECKED, parts + 2, &proto);
    xcb_generic_error_t *err = NULL;
    void *reply = xcb_wait_for_reply(c, seq, &err);
    int code = err ? err->error_code : 0;
    free(reply);
    free(err);
    return code;
}

static xcb_window_t make_window(xcb_connection_t *c, xcb_screen_t *s, xcb_window_t parent,
                                int w, int h, int bw)
{
    xcb_window_t win = xcb_generate_id(c);
    uint32_t values[] = {s->black_pixel, XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_STRUCTURE_NOTIFY};
    xcb_create_window(c, XCB_COPY_FROM_PARENT, win, parent, 10, 10, (uint16_t)w, (uint16_t)h,
                      (uint16_t)bw, XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
                      XCB_CW_BORDER_PIXEL | XCB_CW_EVENT_MASK, values);
    xcb_map_window(c, win);
    sync_conn(c);
    return win;
}

static void resize_window(xcb_connection_t *c, xcb_window_t w, int width, int height)
{
    uint32_t v[] = {(uint32_t)width, (uint32_t)height};
    xcb_configure_window(c, w, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT, v);
    sync_conn(c);
}

/* Pixels of window w (read with GetImage) that differ from pattern(seed);
 * -1 when it cannot be read. */
static long count_window_bad(xcb_connection_t *c, xcb_window_t w, uint32_t seed, int width,
                             int height)
{
    xcb_get_image_reply_t *img = xcb_get_image_reply(
        c, xcb_get_image(c, XCB_IMAGE_FORMAT_Z_PIXMAP, w, 0, 0, (uint16_t)width, (uint16_t)height,
                         ~0u),
        NULL);
    long bad = -1;
    if (img && xcb_get_image_data_length(img) == width * height * 4) {
        const uint32_t *px = (const uint32_t *)xcb_get_image_data(img);
        bad = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bad += (px[y * width + x] & 0xffffff) != pattern(seed, x, y);
    }
    free(img);
    return bad;
}

static int run_exhaust(xcb_connection_t *c, xcb_screen_t *s)
{
    /* The server runs with PoolMB=1: a 1000x800 window (3.2 MB) cannot fit. */
    xcb_window_t w = make_window(c, s, s->root, 1000, 800, 0);
    draw_pattern(c, w, 9, 1000, 800);
    struct fenext_window_pages p;
    int rc = fenext_get_window_pages(c, w, xcb_generate_id(c), &p);
    check(rc == 0 && !p.shared, "a window too big for the pool is reported not shared");
    long bad = count_window_bad(c, w, 9, 1000, 800);
    check(bad == 0, "it still renders in fb memory (%ld bad pixels)", bad);
    xcb_window_t small = make_window(c, s, s->root, 100, 100, 0);
    rc = fenext_get_window_pages(c, small, 0, &p);
    check(rc == 0 && p.shared, "a small window still gets pool pages");
    return failures ? 1 : 0;
}

/* Exit status: are pool pages first..last all zero (freed)? */
static int run_pages_zero(xcb_connection_t *c, const char *a, const char *b)
{
    uint32_t pages = 0;
    int fd = fenext_get_pool(c, &pages);
    unsigned long first = strtoul(a, NULL, 0), last = strtoul(b, NULL, 0);
    if (fd < 0 || first > last || last >= pages)
        return 2;
    const uint8_t *pool = mmap(NULL, (size_t)pages * 4096, PROT_READ, MAP_SHARED, fd, 0);
    if (pool == MAP_FAILED)
        return 2;
    return pages_zero(pool, (uint32_t)first, (uint32_t)(last - first + 1)) ? 0 : 1;
}

static void draw_bordered(xcb_connection_t *c, xcb_window_t w)
{
    xcb_gcontext_t gc = xcb_generate_id(c);
    uint32_t green = 0x00ff00, blue = 0x0000ff;
    xcb_create_gc(c, gc, w, XCB_GC_FOREGROUND, &green);
    xcb_rectangle_t all = {0, 0, 150, 100}, sq = {10, 10, 20, 20};
    xcb_poly_fill_rectangle(c, w, gc, 1, &all);
    xcb_change_gc(c, gc, XCB_GC_FOREGROUND, &blue);
    xcb_poly_fill_rectangle(c, w, gc, 1, &sq);
    xcb_free_gc(c, gc);
    xcb_flush(c);
}

/* A window whose content starts 8 rows + 8 pixels into its pixmap: the
 * agent's dump must skip whole pages and carry the rest as the offset. */
static int run_bordered(xcb_connection_t *c, xcb_screen_t *s)
{
    xcb_window_t w = xcb_generate_id(c);
    uint32_t values[] = {0xff0000, XCB_EVENT_MASK_EXPOSURE};
    xcb_create_window(c, XCB_COPY_FROM_PARENT, w, s->root, 100, 100, 150, 100, 8,
                      XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
                      XCB_CW_BORDER_PIXEL | XCB_CW_EVENT_MASK, values);
    const char *title = "bordered";
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, w, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
                        (uint32_t)strlen(title), title);
    xcb_map_window(c, w);
    xcb_flush(c);
    bool announced = false;
    xcb_generic_event_t *ev;
    while ((ev = xcb_wait_for_event(c))) {
        if ((ev->response_type & 0x7f) == XCB_EXPOSE) {
            draw_bordered(c, w);
            if (!announced) {
                sync_conn(c);
                printf("ready 0x%x\n", w);
                fflush(stdout);
                announced = true;
            }
        }
        free(ev);
    }
    return 0;
}

/* A server whose driver runs without a pool (PoolBackend xen:N without Xen,
 * or a bad PoolBackend): the extension says so, hands out no pool, shares no
 * window, and windows draw as usual. */
static int run_nopool(xcb_connection_t *c, xcb_screen_t *s)
{
    uint32_t major = 0, minor = 0, pages = ~0u, kind = ~0u, fd_pages = 0;
    int rc = fenext_query_version(c, &major, &minor, &pages, &kind);
    check(rc == 0 && major == FENEXT_MAJOR && minor >= 1 && pages == 0,
          "version %u.%u says there is no pool (%u pages)", major, minor, pages);
    int fd = fenext_get_pool(c, &fd_pages);
    check(fd < 0 && !xcb_connection_has_error(c), "GetPool hands out nothing");
    if (fd >= 0)
        close(fd);
    xcb_window_t w = make_window(c, s, s->root, 64, 48, 0);
    draw_pattern(c, w, 5, 64, 48);
    struct fenext_window_pages p;
    rc = fenext_get_window_pages(c, w, 0, &p);
    check(rc == 0 && !p.shared && !p.grefs, "a redirected window is not in a pool");
    long bad = count_window_bad(c, w, 5, 64, 48);
    check(bad == 0, "the window draws as usual (%ld bad pixels)", bad);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    xcb_connection_t *c = xcb_connect(NULL, NULL);
    if (xcb_connection_has_error(c)) {
        printf("not ok 1 - cannot connect to $DISPLAY\n");
        return 1;
    }
    xcb_screen_t *s = xcb_setup_roots_iterator(xcb_get_setup(c)).data;
    if (argc == 4 && strcmp(argv[1], "pages-zero") == 0)
        return run_pages_zero(c, argv[2], argv[3]);
    if (argc == 2 && strcmp(argv[1], "bordered") == 0)
        return run_bordered(c, s);
    check(fenext_present(c) == 1, "the server has the FENESTRA extension");
    xcb_composite_redirect_subwindows(c, s->root, XCB_COMPOSITE_REDIRECT_MANUAL);
    sync_conn(c);
    if (argc > 1 && strcmp(argv[1], "exhaust") == 0)
        return run_exhaust(c, s);

    if (argc > 1 && strcmp(argv[1], "nopool") == 0)
        return run_nopool(c, s);

    uint32_t major = 0, minor = 0, pages = 0, kind = ~0u;
    int rc = fenext_query_version(c, &major, &minor, &pages, &kind);
    check(rc == 0 && major == FENEXT_MAJOR && pages > 0 && kind == FENEXT_POOL_LOCAL,
          "version %u.%u, local pool of %u pages (kind %u)", major, minor, pages, kind);
    uint32_t fd_pages = 0;
    int fd = fenext_get_pool(c, &fd_pages);
    struct stat st = {0};
    int seals = fd >= 0 ? fcntl(fd, F_GET_SEALS) : -1;
    int want = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
    check(fd >= 0 && fstat(fd, &st) == 0 && (uint64_t)st.st_size == (uint64_t)fd_pages * 4096 &&
              fd_pages == pages && seals >= 0 && (seals & want) == want,
          "the pool fd is a sealed memfd of %u pages (seals 0x%x)", fd_pages, (unsigned)seals);
    if (fd < 0)
        return 1;
    const uint8_t *pool = mmap(NULL, (size_t)pages * 4096, PROT_READ, MAP_SHARED, fd, 0);
    if (pool == MAP_FAILED) {
        check(false, "map the pool");
        return 1;
    }

    /* A window with a border: the pixmap includes it. */
    const int w1 = 203, h1 = 151, bw = 2;
    xcb_window_t win = make_window(c, s, s->root, w1, h1, bw);
    draw_pattern(c, win, 1, w1, h1);
    uint32_t hold1 = xcb_generate_id(c);
    struct fenext_window_pages p1;
    rc = fenext_get_window_pages(c, win, hold1, &p1);
    check(rc == 0 && p1.shared && p1.width == w1 + 2 * bw && p1.height == h1 + 2 * bw &&
              p1.border_width == bw && p1.depth == 24 && p1.stride >= 4 * p1.width &&
              (uint64_t)p1.stride * p1.height <= (uint64_t)p1.npages * 4096 &&
              p1.first_page + p1.npages <= pages,
          "a redirected window's pixmap is in the pool (%ux%u stride %u, pages %u+%u)", p1.width,
          p1.height, p1.stride, p1.first_page, p1.npages);
    if (!p1.shared)
        return 1;
    long bad = count_bad(pool, &p1, 1, w1, h1, 0xffffff);
    check(bad == 0, "pixels drawn by X are in the pool pages (%ld of %d differ)", bad, w1 * h1);

    /* Drawing again lands in the same pages: no copy, no new pixmap. */
    draw_pattern(c, win, 2, w1, h1);
    struct fenext_window_pages again;
    rc = fenext_get_window_pages(c, win, 0, &again);
    bad = count_bad(pool, &p1, 2, w1, h1, 0xffffff);
    check(rc == 0 && again.block == p1.block && bad == 0,
          "redrawing updates the same pages in place (%ld differ)", bad);

    xcb_window_t child = make_window(c, s, win, 20, 20, 0);
    struct fenext_window_pages pc;
    rc = fenext_get_window_pages(c, child, xcb_generate_id(c), &pc);
    check(rc == 0 && !pc.shared, "a child (not redirected) window is reported not shared");
    xcb_destroy_window(c, child);

    /* Resize: a new pixmap in new pages; the held old pages stay intact. */
    const int w2 = 317, h2 = 229;
    resize_window(c, win, w2, h2);
    draw_pattern(c, win, 3, w2, h2);
    uint32_t hold2 = xcb_generate_id(c);
    struct fenext_window_pages p2;
    rc = fenext_get_window_pages(c, win, hold2, &p2);
    check(rc == 0 && p2.shared && p2.block != p1.block && p2.width == w2 + 2 * bw &&
              p2.height == h2 + 2 * bw,
          "after a resize the window has a new pixmap in new pages (%u+%u)", p2.first_page,
          p2.npages);
    bad = count_bad(pool, &p2, 3, w2, h2, 0xffffff);
    check(bad == 0, "the new pages hold the new pixels (%ld differ)", bad);
    bad = count_bad(pool, &p1, 2, w1, h1, 0xffffff);
    check(bad == 0, "the old pages stay intact while held (%ld differ)", bad);
    bool overlap = p2.first_page < p1.first_page + p1.npages && p1.first_page < p2.first_page + p2.npages;
    check(!overlap, "old and new pages do not overlap");
    fenext_release_hold(c, hold1);
    sync_conn(c);
    check(pages_zero(pool, p1.first_page, p1.npages), "releasing the hold frees the old pages");

    /* A hold dies with its client. */
    xcb_connection_t *c2 = xcb_connect(NULL, NULL);
    struct fenext_window_pages p3;
    rc = fenext_get_window_pages(c2, win, xcb_generate_id(c2), &p3);
    fenext_release_hold(c, hold2);
    xcb_destroy_window(c, win);
    sync_conn(c);
    bad = count_bad(pool, &p2, 3, w2, h2, 0xffffff);
    check(rc == 0 && p3.block == p2.block && bad == 0,
          "another client's hold keeps a destroyed window's pages (%ld differ)", bad);
    xcb_disconnect(c2);
    bool freed = false;
    for (int i = 0; i < 100 && !freed; i++) { /* the server notices the close */
        sync_conn(c);
        freed = pages_zero(pool, p2.first_page, p2.npages);
        if (!freed)
            usleep(20000);
    }
    check(freed, "the pages are freed when that client disconnects");

    /* A client cannot release somebody else's hold. */
    xcb_window_t win3 = make_window(c, s, s->root, 64, 64, 0);
    draw_pattern(c, win3, 4, 64, 64);
    xcb_connection_t *c3 = xcb_connect(NULL, NULL);
    uint32_t hold3 = xcb_generate_id(c3);
    rc = fenext_get_window_pages(c3, win3, hold3, &p3);
    fenext_release_hold(c, hold3); /* refused: BadAccess on c */
    xcb_destroy_window(c, win3);
    sync_conn(c);
    bad = rc == 0 && p3.shared ? count_bad(pool, &p3, 4, 64, 64, 0xffffff) : -1;
    check(bad == 0 && !xcb_connection_has_error(c),
          "a foreign ReleaseHold is refused: the holder's pages stay (%ld differ)", bad);
    xcb_disconnect(c3);

    /* Malformed requests are X errors; the server carries on. */
    uint32_t words[4] = {0};
    int e_len = raw_request_error(c, X_FenextQueryVersion, words, 16);
    int e_op = raw_request_error(c, 77, words, 4);
    xcb_window_t w4 = make_window(c, s, s->root, 32, 32, 0);
    uint32_t held = xcb_generate_id(c);
    rc = fenext_get_window_pages(c, w4, held, &p3);
    uint32_t dup[3] = {0, w4, held}; /* that hold id again */
    int e_dup = raw_request_error(c, X_FenextGetWindowPages, dup, 12);
    uint32_t foreign[3] = {0, w4, 0x00000042u}; /* not in our id range */
    int e_foreign = raw_request_error(c, X_FenextGetWindowPages, foreign, 12);
    uint32_t not_hold[2] = {0, w4}; /* a window, not a hold */
    int e_type = raw_request_error(c, X_FenextReleaseHold, not_hold, 8);
    check(e_len == XCB_LENGTH && e_op == XCB_REQUEST && rc == 0 && e_dup == XCB_ID_CHOICE &&
              e_foreign == XCB_ID_CHOICE && e_type != 0 && fenext_present(c) == 1 &&
              fenext_query_version(c, &major, &minor, &pages, &kind) == 0,
          "malformed requests are clean X errors (length %d, opcode %d, hold reuse %d, "
          "foreign id %d, wrong type %d)", e_len, e_op, e_dup, e_foreign, e_type);
    fenext_release_hold(c, held);
    xcb_destroy_window(c, w4);
    sync_conn(c);

    /* Unknown window: an X error, and the connection carries on. */
    struct fenext_window_pages pe;
    rc = fenext_get_window_pages(c, 0x7ffffff0u, 0, &pe);
    check(rc == -1 && !xcb_connection_has_error(c), "an unknown window is a clean X error");

    /* An ARGB window (depth 32) is shared too and keeps its alpha. */
    xcb_visualid_t argb = 0;
    for (xcb_depth_iterator_t d = xcb_screen_allowed_depths_iterator(s); d.rem; xcb_depth_next(&d))
        if (d.data->depth == 32 && xcb_depth_visuals_length(d.data) > 0)
            argb = xcb_depth_visuals(d.data)[0].visual_id;
    if (argb) {
        xcb_colormap_t cmap = xcb_generate_id(c);
        xcb_create_colormap(c, XCB_COLORMAP_ALLOC_NONE, cmap, s->root, argb);
        xcb_window_t aw = xcb_generate_id(c);
        uint32_t vals[] = {0, 0, cmap};
        xcb_create_window(c, 32, aw, s->root, 0, 0, 90, 70, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT, argb,
                          XCB_CW_BACK_PIXEL | XCB_CW_BORDER_PIXEL | XCB_CW_COLORMAP, vals);
        xcb_map_window(c, aw);
        sync_conn(c);
        xcb_gcontext_t gc = xcb_generate_id(c);
        uint32_t px = 0x80402010u;
        xcb_create_gc(c, gc, aw, XCB_GC_FOREGROUND, &px);
        xcb_rectangle_t r = {0, 0, 90, 70};
        xcb_poly_fill_rectangle(c, aw, gc, 1, &r);
        sync_conn(c);
        struct fenext_window_pages pa;
        rc = fenext_get_window_pages(c, aw, 0, &pa);
        const uint32_t *first = rc == 0 && pa.shared
                                    ? (const uint32_t *)(pool + (size_t)pa.first_page * 4096)
                                    : NULL;
        check(first && pa.depth == 32 && first[0] == px && first[pa.stride / 4 * 69 + 89] == px,
              "an ARGB window is shared with depth 32 and its alpha");
    } else {
        check(false, "the server offers a depth-32 visual");
    }
    xcb_disconnect(c);
    return failures ? 1 : 0;
}
