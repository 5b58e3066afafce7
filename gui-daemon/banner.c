/* The fullscreen banner window (see banner.h). */
#include "banner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/log.h"
#include "xside.h"

#define FONT_W 6 /* the core "fixed" font is 6x13 */

struct guid_banner {
    xcb_connection_t *c;
    xcb_screen_t *screen;
    xcb_window_t win;
    xcb_gcontext_t bg_gc, text_gc;
    xcb_font_t font;
    char text[160];
    uint32_t width;
    bool visible;
    uint64_t until;
};

/* Black text on light labels, white on dark ones. */
static uint32_t text_color(uint32_t rgb)
{
    uint32_t r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    return (r * 299 + g * 587 + b * 114) / 1000 > 140 ? 0x000000 : 0xffffff;
}

struct guid_banner *guid_banner_create(xcb_connection_t *c, xcb_screen_t *screen,
                                       const char *qube, const char *text, uint32_t label_rgb)
{
    struct guid_banner *b = calloc(1, sizeof(*b));
    if (b == NULL)
        return NULL;
    b->c = c;
    b->screen = screen;
    snprintf(b->text, sizeof(b->text), "%s", text);
    b->width = (uint32_t)strlen(b->text) * FONT_W + 24;
    b->font = xcb_generate_id(c);
    xcb_open_font(c, b->font, 5, "fixed");
    b->bg_gc = xcb_generate_id(c);
    uint32_t bgv[] = {label_rgb, 0};
    xcb_create_gc(c, b->bg_gc, screen->root, XCB_GC_FOREGROUND | XCB_GC_GRAPHICS_EXPOSURES, bgv);
    b->text_gc = xcb_generate_id(c);
    uint32_t tv[] = {text_color(label_rgb), label_rgb, b->font};
    xcb_create_gc(c, b->text_gc, screen->root,
                  XCB_GC_FOREGROUND | XCB_GC_BACKGROUND | XCB_GC_FONT, tv);
    b->win = xcb_generate_id(c);
    uint32_t wv[] = {label_rgb, 1, XCB_EVENT_MASK_EXPOSURE};
    xcb_create_window(c, XCB_COPY_FROM_PARENT, b->win, screen->root, 0, 0, (uint16_t)b->width,
                      GUID_BANNER_HEIGHT, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT, screen->root_visual,
                      XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK, wv);
    char name[128];
    snprintf(name, sizeof(name), "[dom0] fullscreen banner: %s", qube);
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, b->win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
                        (uint32_t)strlen(name), name);
    xcb_atom_t banner = fen_x_intern(c, "_FENESTRA_BANNER"),
               utf8 = fen_x_intern(c, "UTF8_STRING");
    if (banner != XCB_ATOM_NONE)
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, b->win, banner, utf8, 8,
                            (uint32_t)strlen(qube), qube);
    return b;
}

void guid_banner_destroy(struct guid_banner *b)
{
    if (b == NULL)
        return;
    xcb_destroy_window(b->c, b->win);
    xcb_free_gc(b->c, b->bg_gc);
    xcb_free_gc(b->c, b->text_gc);
    xcb_close_font(b->c, b->font);
    free(b);
}

void guid_banner_show(struct guid_banner *b, const struct fen_rect *mon, uint64_t until_ms)
{
    uint32_t w = b->width < mon->w ? b->width : mon->w;
    int32_t x = mon->x + (int32_t)((mon->w - w) / 2);
    uint32_t v[] = {(uint32_t)x, (uint32_t)mon->y, w, GUID_BANNER_HEIGHT, XCB_STACK_MODE_ABOVE};
    xcb_configure_window(b->c, b->win,
                         XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
                             XCB_CONFIG_WINDOW_HEIGHT | XCB_CONFIG_WINDOW_STACK_MODE,
                         v);
    xcb_map_window(b->c, b->win);
    guid_banner_paint(b);
    b->visible = true;
    b->until = until_ms;
}

void guid_banner_hide(struct guid_banner *b)
{
    if (!b->visible)
        return;
    xcb_unmap_window(b->c, b->win);
    b->visible = false;
    b->until = 0;
}

bool guid_banner_visible(const struct guid_banner *b) { return b->visible; }
uint64_t guid_banner_until(const struct guid_banner *b) { return b->visible ? b->until : 0; }
xcb_window_t guid_banner_window(const struct guid_banner *b) { return b->win; }

void guid_banner_raise(struct guid_banner *b)
{
    if (!b->visible)
        return;
    uint32_t v = XCB_STACK_MODE_ABOVE;
    xcb_configure_window(b->c, b->win, XCB_CONFIG_WINDOW_STACK_MODE, &v);
}

void guid_banner_paint(struct guid_banner *b)
{
    xcb_rectangle_t all = {0, 0, (uint16_t)b->width, GUID_BANNER_HEIGHT};
    xcb_poly_fill_rectangle(b->c, b->win, b->bg_gc, 1, &all);
    /* ImageText fills only the glyph cells (ascent 11 + descent 2 = rows
     * 6..18 with the baseline at 17), leaving the edges plain. */
    size_t n = strlen(b->text);
    xcb_image_text_8(b->c, (uint8_t)(n > 255 ? 255 : n), b->win, b->text_gc, 12, 17, b->text);
}
