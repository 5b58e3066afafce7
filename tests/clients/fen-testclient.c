/* fen-testclient: a plain X client for tests.  Creates one window, fills it
 * with a known pattern (tests/clients/pattern.h) or a solid color, redraws
 * on every Expose/resize, and prints what it receives, flushed, one per line:
 *   ready 0xWINDOW
 *   key KEYSYM_NAME STATE          (KeyPress)
 *   button N X Y                   (ButtonPress, window coordinates)
 *   configure X Y W H
 *   focus in|out
 *   close                          (WM_DELETE_WINDOW; the client then exits)
 *
 *   fen-testclient [--display D] [--size WxH] [--pos X,Y] [--title T]
 *                  [--class NAME,CLASS] [--color RRGGBB] [--override]
 *                  [--transient-for 0xWIN] [--fullscreen]
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <xcb/xcb.h>
#include <xcb/xcb_keysyms.h>

#include "pattern.h"
#include "fenestra/xatom.h"

struct client {
    xcb_connection_t *c;
    xcb_screen_t *screen;
    xcb_window_t win;
    xcb_gcontext_t gc;
    uint32_t w, h;
    bool solid;
    uint32_t color;
};

/* Draw the whole window in bands of rows that fit in one request. */
static void draw(struct client *cl)
{
    uint32_t max_bytes = xcb_get_maximum_request_length(cl->c) * 4u - 64u;
    uint32_t rows = max_bytes / (cl->w * 4u);
    if (rows == 0)
        rows = 1;
    if (rows > cl->h)
        rows = cl->h;
    uint32_t *buf = malloc((size_t)cl->w * rows * 4u);
    if (buf == NULL)
        return;
    for (uint32_t y0 = 0; y0 < cl->h; y0 += rows) {
        uint32_t n = cl->h - y0 < rows ? cl->h - y0 : rows;
        for (uint32_t y = 0; y < n; y++)
            for (uint32_t x = 0; x < cl->w; x++)
                buf[y * cl->w + x] = cl->solid ? cl->color : fen_pattern_pixel(x, y0 + y);
        xcb_put_image(cl->c, XCB_IMAGE_FORMAT_Z_PIXMAP, cl->win, cl->gc, (uint16_t)cl->w,
                      (uint16_t)n, 0, (int16_t)y0, 0, 24, cl->w * n * 4u, (uint8_t *)buf);
    }
    free(buf);
    xcb_flush(cl->c);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"display", required_argument, NULL, 'd'}, {"size", required_argument, NULL, 's'},
        {"pos", required_argument, NULL, 'p'},     {"title", required_argument, NULL, 't'},
        {"class", required_argument, NULL, 'k'},   {"color", required_argument, NULL, 'c'},
        {"override", no_argument, NULL, 'o'},      {"transient-for", required_argument, NULL, 'T'},
        {"fullscreen", no_argument, NULL, 'F'},    {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct client cl = {.w = 200, .h = 150};
    const char *display = NULL, *title = "fen-testclient", *klass = "fen-testclient,FenTest";
    int x = 100, y = 100;
    bool override = false, fullscreen = false;
    unsigned long transient = 0;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'd': display = optarg; break;
        case 's': if (sscanf(optarg, "%ux%u", &cl.w, &cl.h) != 2) return 2; break;
        case 'p': if (sscanf(optarg, "%d,%d", &x, &y) != 2) return 2; break;
        case 't': title = optarg; break;
        case 'k': klass = optarg; break;
        case 'c': cl.solid = true; cl.color = (uint32_t)strtoul(optarg, NULL, 16); break;
        case 'o': override = true; break;
        case 'T': transient = strtoul(optarg, NULL, 0); break;
        case 'F': fullscreen = true; break;
        case 'h':
            printf("usage: fen-testclient [--display D] [--size WxH] [--pos X,Y] [--title T]\n"
                   "  [--class NAME,CLASS] [--color RRGGBB] [--override] [--transient-for WIN]\n"
                   "  [--fullscreen]\n");
            return 0;
        default: return 2;
        }
    }
    if (cl.w == 0 || cl.h == 0 || cl.w > 8192 || cl.h > 8192)
        return 2;
    int sn = 0;
    cl.c = xcb_connect(display, &sn);
    if (xcb_connection_has_error(cl.c)) {
        fprintf(stderr, "fen-testclient: cannot open display\n");
        return 1;
    }
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(cl.c));
    for (int i = 0; i < sn; i++)
        xcb_screen_next(&it);
    cl.screen = it.data;
    cl.win = xcb_generate_id(cl.c);
    uint32_t mask = XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK;
    uint32_t vals[] = {0, override ? 1u : 0u,
                       XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_KEY_PRESS |
                           XCB_EVENT_MASK_BUTTON_PRESS | XCB_EVENT_MASK_STRUCTURE_NOTIFY |
                           XCB_EVENT_MASK_FOCUS_CHANGE};
    xcb_create_window(cl.c, XCB_COPY_FROM_PARENT, cl.win, cl.screen->root, (int16_t)x,
                      (int16_t)y, (uint16_t)cl.w, (uint16_t)cl.h, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT,
                      cl.screen->root_visual, mask, vals);
    xcb_atom_t utf8 = fen_x_intern(cl.c, "UTF8_STRING");
    xcb_change_property(cl.c, XCB_PROP_MODE_REPLACE, cl.win, fen_x_intern(cl.c, "_NET_WM_NAME"), utf8, 8,
                        (uint32_t)strlen(title), title);
    xcb_change_property(cl.c, XCB_PROP_MODE_REPLACE, cl.win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
                        (uint32_t)strlen(title), title);
    char cbuf[256];
    snprintf(cbuf, sizeof(cbuf), "%s", klass);
    size_t clen = strlen(cbuf) + 1;
    char *comma = strchr(cbuf, ',');
    if (comma != NULL)
        *comma = '\0';
    xcb_change_property(cl.c, XCB_PROP_MODE_REPLACE, cl.win, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, 8,
                        (uint32_t)clen, cbuf);
    if (transient != 0) {
        xcb_window_t t = (xcb_window_t)transient;
        xcb_change_property(cl.c, XCB_PROP_MODE_REPLACE, cl.win, XCB_ATOM_WM_TRANSIENT_FOR,
                            XCB_ATOM_WINDOW, 32, 1, &t);
    }
    if (fullscreen) {
        xcb_atom_t fs = fen_x_intern(cl.c, "_NET_WM_STATE_FULLSCREEN");
        xcb_change_property(cl.c, XCB_PROP_MODE_REPLACE, cl.win, fen_x_intern(cl.c, "_NET_WM_STATE"),
                            XCB_ATOM_ATOM, 32, 1, &fs);
    }
    xcb_atom_t wm_protocols = fen_x_intern(cl.c, "WM_PROTOCOLS");
    xcb_atom_t wm_delete = fen_x_intern(cl.c, "WM_DELETE_WINDOW");
    xcb_change_property(cl.c, XCB_PROP_MODE_REPLACE, cl.win, wm_protocols, XCB_ATOM_ATOM, 32, 1,
                        &wm_delete);
    cl.gc = xcb_generate_id(cl.c);
    xcb_create_gc(cl.c, cl.gc, cl.win, 0, NULL);
    xcb_map_window(cl.c, cl.win);
    xcb_flush(cl.c);
    xcb_key_symbols_t *syms = xcb_key_symbols_alloc(cl.c);
    printf("ready 0x%x\n", cl.win);
    fflush(stdout);
    xcb_generic_event_t *ev;
    while ((ev = xcb_wait_for_event(cl.c)) != NULL) {
        switch (ev->response_type & 0x7f) {
        case XCB_EXPOSE:
            if (((xcb_expose_event_t *)ev)->count == 0)
                draw(&cl);
            break;
        case XCB_CONFIGURE_NOTIFY: {
            xcb_configure_notify_event_t *ce = (xcb_configure_notify_event_t *)ev;
            printf("configure %d %d %u %u\n", ce->x, ce->y, ce->width, ce->height);
            if (ce->width != cl.w || ce->height != cl.h) {
                cl.w = ce->width;
                cl.h = ce->height;
                draw(&cl);
            }
            break;
        }
        case XCB_KEY_PRESS: {
            xcb_key_press_event_t *ke = (xcb_key_press_event_t *)ev;
            int col = (ke->state & XCB_MOD_MASK_SHIFT) ? 1 : 0;
            xcb_keysym_t ks = xcb_key_symbols_get_keysym(syms, ke->detail, col);
            if (ks == XCB_NO_SYMBOL)
                ks = xcb_key_symbols_get_keysym(syms, ke->detail, 0);
            const char *name = XKeysymToString(ks);
            printf("key %s %u\n", name ? name : "?", ke->state);
            break;
        }
        case XCB_BUTTON_PRESS: {
            xcb_button_press_event_t *be = (xcb_button_press_event_t *)ev;
            printf("button %u %d %d\n", be->detail, be->event_x, be->event_y);
            break;
        }
        case XCB_CLIENT_MESSAGE: {
            xcb_client_message_event_t *cm = (xcb_client_message_event_t *)ev;
            if (cm->type == wm_protocols && cm->format == 32 &&
                cm->data.data32[0] == wm_delete) {
                printf("close\n");
                fflush(stdout);
                free(ev);
                xcb_key_symbols_free(syms);
                xcb_disconnect(cl.c);
                return 0;
            }
            break;
        }
        case XCB_FOCUS_IN:
            printf("focus in\n");
            break;
        case XCB_FOCUS_OUT:
            printf("focus out\n");
            break;
        default:
            break;
        }
        fflush(stdout);
        free(ev);
    }
    xcb_key_symbols_free(syms);
    xcb_disconnect(cl.c);
    return 0;
}
