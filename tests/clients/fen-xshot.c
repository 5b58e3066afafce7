/* fen-xshot: read pixels from an X server (dom0 side of tests and the demo).
 *
 *   fen-xshot [--display D] --list
 *       one line per top-level window: 0xID X Y W H mapped|unmapped QUBE TITLE
 *       (QUBE from _FENESTRA_QUBE or "-", TITLE from _NET_WM_NAME or WM_NAME)
 *   fen-xshot [--display D] (--root | --window 0xID) [checks...]
 *       --png FILE                 write the image as PNG
 *       --pixel X,Y                print RRGGBB of one pixel
 *       --geometry                 print "X Y W H" (root coordinates)
 *       --expect-rect X,Y,W,H=RRGGBB   every pixel of the rect has that color
 *       --expect-frame N=RRGGBB    every pixel within N of the edge has that color
 *       --expect-pattern N         the content inset by N is the test pattern
 *                                  (tests/clients/pattern.h) from its top-left
 *       --send-delete              send the window WM_DELETE_WINDOW, as a WM's
 *                                  close button does
 *       --set-atoms PROP=A,B,...   set PROP to that ATOM list, as a WM sets
 *                                  _NET_WM_STATE (xprop sets one atom only)
 *       --request-state add|remove=A[,B]  ask the window manager to change
 *                                  the window's _NET_WM_STATE, as a client
 *                                  does (a client message to the root)
 * Exit 0 when every check passed, 1 when one failed (first mismatches on
 * stderr), 2 on usage or X errors.
 */
#include <getopt.h>
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

#include "pattern.h"
#include "fenestra/xatom.h"

struct image {
    uint32_t w, h;
    uint32_t *px; /* 0xRRGGBB */
};

static xcb_connection_t *conn;
static xcb_screen_t *screen;

static xcb_atom_t atom(const char *name)
{ return fen_x_intern(conn, name); }

static char *get_string(xcb_window_t w, xcb_atom_t prop)
{
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        conn, xcb_get_property(conn, 0, w, prop, XCB_GET_PROPERTY_TYPE_ANY, 0, 1024), NULL);
    if (r == NULL || r->format != 8 || xcb_get_property_value_length(r) == 0) {
        free(r);
        return NULL;
    }
    int n = xcb_get_property_value_length(r);
    char *s = malloc((size_t)n + 1);
    memcpy(s, xcb_get_property_value(r), (size_t)n);
    s[n] = '\0';
    free(r);
    return s;
}

static int list_windows(void)
{
    xcb_query_tree_reply_t *t =
        xcb_query_tree_reply(conn, xcb_query_tree(conn, screen->root), NULL);
    if (t == NULL)
        return 2;
    xcb_atom_t net_name = atom("_NET_WM_NAME"), qube_atom = atom("_FENESTRA_QUBE");
    xcb_window_t *kids = xcb_query_tree_children(t);
    for (int i = 0; i < xcb_query_tree_children_length(t); i++) {
        xcb_get_geometry_reply_t *g =
            xcb_get_geometry_reply(conn, xcb_get_geometry(conn, kids[i]), NULL);
        xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(
            conn, xcb_get_window_attributes(conn, kids[i]), NULL);
        if (g == NULL || a == NULL) {
            free(g);
            free(a);
            continue;
        }
        char *title = get_string(kids[i], net_name);
        if (title == NULL)
            title = get_string(kids[i], XCB_ATOM_WM_NAME);
        char *qube = get_string(kids[i], qube_atom);
        printf("0x%x %d %d %u %u %s %s %s\n", kids[i], g->x, g->y, g->width, g->height,
               a->map_state == XCB_MAP_STATE_VIEWABLE ? "mapped" : "unmapped", qube ? qube : "-",
               title ? title : "");
        free(title);
        free(qube);
        free(g);
        free(a);
    }
    free(t);
    return 0;
}

static int grab(xcb_window_t win, struct image *img)
{
    xcb_get_geometry_reply_t *g = xcb_get_geometry_reply(conn, xcb_get_geometry(conn, win), NULL);
    if (g == NULL)
        return -1;
    img->w = g->width;
    img->h = g->height;
    free(g);
    xcb_get_image_reply_t *r = xcb_get_image_reply(
        conn,
        xcb_get_image(conn, XCB_IMAGE_FORMAT_Z_PIXMAP, win, 0, 0, (uint16_t)img->w,
                      (uint16_t)img->h, 0xffffffffu),
        NULL);
    if (r == NULL || (size_t)xcb_get_image_data_length(r) < (size_t)img->w * img->h * 4) {
        free(r);
        return -1;
    }
    img->px = malloc((size_t)img->w * img->h * 4);
    const uint32_t *src = (const uint32_t *)xcb_get_image_data(r);
    for (size_t i = 0; i < (size_t)img->w * img->h; i++)
        img->px[i] = src[i] & 0xffffffu;
    free(r);
    return 0;
}

static int write_png(const struct image *img, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (png == NULL || info == NULL || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, img->w, img->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    uint8_t *row = malloc((size_t)img->w * 3);
    for (uint32_t y = 0; y < img->h; y++) {
        for (uint32_t x = 0; x < img->w; x++) {
            uint32_t p = img->px[(size_t)y * img->w + x];
            row[x * 3] = (uint8_t)(p >> 16);
            row[x * 3 + 1] = (uint8_t)(p >> 8);
            row[x * 3 + 2] = (uint8_t)p;
        }
        png_write_row(png, row);
    }
    free(row);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return fclose(f) == 0 ? 0 : -1;
}

/* Compare a pixel; report the first few mismatches. */
static bool expect_px(const struct image *img, uint32_t x, uint32_t y, uint32_t want,
                      const char *what, unsigned *bad)
{
    uint32_t got = img->px[(size_t)y * img->w + x];
    if (got == want)
        return true;
    if ((*bad)++ < 5)
        fprintf(stderr, "%s: pixel (%u,%u) is %06x, expected %06x\n", what, x, y, got, want);
    return false;
}

/* Send a 32-bit ClientMessage about `win` to `dest`, then make a round trip:
 * the server has processed it before we disconnect (a closing client's
 * pending requests may be lost). */
static void send_client_message(xcb_window_t dest, uint32_t mask, xcb_window_t win,
                                xcb_atom_t type, const uint32_t data[5])
{
    xcb_client_message_event_t ev;
    memset(&ev, 0, sizeof(ev));
    ev.response_type = XCB_CLIENT_MESSAGE;
    ev.format = 32;
    ev.window = win;
    ev.type = type;
    memcpy(ev.data.data32, data, sizeof ev.data.data32);
    xcb_send_event(conn, 0, dest, mask, (const char *)&ev);
    free(xcb_get_input_focus_reply(conn, xcb_get_input_focus(conn), NULL));
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"display", required_argument, NULL, 'd'},   {"list", no_argument, NULL, 'l'},
        {"root", no_argument, NULL, 'r'},            {"window", required_argument, NULL, 'w'},
        {"png", required_argument, NULL, 'P'},       {"pixel", required_argument, NULL, 'x'},
        {"geometry", no_argument, NULL, 'g'},        {"expect-rect", required_argument, NULL, 'R'},
        {"expect-frame", required_argument, NULL, 'F'},
        {"expect-pattern", required_argument, NULL, 'T'},
        {"send-delete", no_argument, NULL, 'D'},
        {"set-atoms", required_argument, NULL, 'A'},
        {"request-state", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    const char *display = NULL;
    bool list = false, root = false;
    xcb_window_t win = 0;
    int o;
    /* First pass: where to read from. */
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'd')
            display = optarg;
        else if (o == 'l')
            list = true;
        else if (o == 'r')
            root = true;
        else if (o == 'w')
            win = (xcb_window_t)strtoul(optarg, NULL, 0);
        else if (o == 'h') {
            printf("usage: fen-xshot [--display D] --list | (--root | --window ID) [--png F]\n"
                   "  [--pixel X,Y] [--geometry] [--expect-rect X,Y,W,H=RRGGBB]\n"
                   "  [--expect-frame N=RRGGBB] [--expect-pattern N] [--send-delete]\n"
                   "  [--set-atoms PROP=ATOM,...]\n");
            return 0;
        } else if (o == '?')
            return 2;
    }
    conn = xcb_connect(display, NULL);
    if (xcb_connection_has_error(conn)) {
        fprintf(stderr, "fen-xshot: cannot open display\n");
        return 2;
    }
    screen = xcb_setup_roots_iterator(xcb_get_setup(conn)).data;
    if (list)
        return list_windows();
    if (root)
        win = screen->root;
    if (win == 0) {
        fprintf(stderr, "fen-xshot: --root or --window needed\n");
        return 2;
    }
    struct image img = {0};
    if (grab(win, &img) != 0) {
        fprintf(stderr, "fen-xshot: cannot read window 0x%x\n", win);
        return 2;
    }
    int rc = 0;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        unsigned bad = 0;
        uint32_t x, y, w, h, n, color;
        switch (o) {
        case 'P':
            if (write_png(&img, optarg) != 0) {
                fprintf(stderr, "fen-xshot: cannot write %s\n", optarg);
                rc = 2;
            }
            break;
        case 'x':
            if (sscanf(optarg, "%u,%u", &x, &y) != 2 || x >= img.w || y >= img.h)
                return 2;
            printf("%06x\n", img.px[(size_t)y * img.w + x]);
            break;
        case 'g': {
            xcb_translate_coordinates_reply_t *t = xcb_translate_coordinates_reply(
                conn, xcb_translate_coordinates(conn, win, screen->root, 0, 0), NULL);
            printf("%d %d %u %u\n", t ? t->dst_x : 0, t ? t->dst_y : 0, img.w, img.h);
            free(t);
            break;
        }
        case 'R':
            if (sscanf(optarg, "%u,%u,%u,%u=%x", &x, &y, &w, &h, &color) != 5 || w == 0 ||
                h == 0 || x + w > img.w || y + h > img.h) {
                fprintf(stderr, "fen-xshot: bad --expect-rect %s (image %ux%u)\n", optarg, img.w,
                        img.h);
                return 2;
            }
            for (uint32_t j = y; j < y + h; j++)
                for (uint32_t i = x; i < x + w; i++)
                    expect_px(&img, i, j, color, "rect", &bad);
            break;
        case 'F':
            if (sscanf(optarg, "%u=%x", &n, &color) != 2 || 2 * n >= img.w || 2 * n >= img.h)
                return 2;
            for (uint32_t j = 0; j < img.h; j++)
                for (uint32_t i = 0; i < img.w; i++)
                    if (i < n || j < n || i >= img.w - n || j >= img.h - n)
                        expect_px(&img, i, j, color, "frame", &bad);
            break;
        case 'T':
            n = (uint32_t)strtoul(optarg, NULL, 10);
            if (2 * n >= img.w || 2 * n >= img.h)
                return 2;
            for (uint32_t j = n; j < img.h - n; j++)
                for (uint32_t i = n; i < img.w - n; i++)
                    expect_px(&img, i, j, fen_pattern_pixel(i - n, j - n), "pattern", &bad);
            break;
        case 'D': {
            const uint32_t data[5] = {atom("WM_DELETE_WINDOW"), XCB_CURRENT_TIME};
            send_client_message(win, XCB_EVENT_MASK_NO_EVENT, win, atom("WM_PROTOCOLS"), data);
            break;
        }
        case 'A': {
            char *spec = strdup(optarg), *eq = spec ? strchr(spec, '=') : NULL;
            xcb_atom_t set[32];
            uint32_t count = 0;
            if (eq == NULL) {
                free(spec);
                return 2;
            }
            *eq = '\0';
            for (char *save = NULL, *a = strtok_r(eq + 1, ",", &save); a != NULL && count < 32;
                 a = strtok_r(NULL, ",", &save))
                set[count++] = atom(a);
            xcb_change_property(conn, XCB_PROP_MODE_REPLACE, win, atom(spec), XCB_ATOM_ATOM, 32,
                                count, set);
            free(spec);
            free(xcb_get_input_focus_reply(conn, xcb_get_input_focus(conn), NULL));
            break;
        }
        case 'S': {
            char *spec = strdup(optarg), *eq = spec ? strchr(spec, '=') : NULL;
            if (eq == NULL || (strncmp(spec, "add=", 4) != 0 && strncmp(spec, "remove=", 7) != 0)) {
                free(spec);
                return 2;
            }
            *eq = '\0';
            char *save = NULL, *a1 = strtok_r(eq + 1, ",", &save), *a2 = strtok_r(NULL, ",", &save);
            const uint32_t data[5] = {strcmp(spec, "add") == 0 ? 1u : 0u, a1 ? atom(a1) : 0,
                                      a2 ? atom(a2) : 0, 1 /* source: an application */};
            send_client_message(screen->root,
                                XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT |
                                    XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
                                win, atom("_NET_WM_STATE"), data);
            free(spec);
            break;
        }
        default:
            break;
        }
        if (bad > 0) {
            fprintf(stderr, "fen-xshot: %u pixels differ\n", bad);
            rc = 1;
        }
    }
    free(img.px);
    xcb_disconnect(conn);
    return rc;
}
