/* Monitors of the dom0 X server via RandR (see monitor.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <xcb/randr.h>

#include "fenestra/log.h"
#include "monitor.h"

static void add(struct guid_monitors *out, int32_t x, int32_t y, uint32_t w, uint32_t h,
                bool primary)
{
    if (w == 0 || h == 0 || out->n == GUID_MONITORS_MAX)
        return;
    struct fen_rect r = {x, y, w, h};
    if (primary && out->n > 0) {
        /* the primary first: ties in guid_monitor_pick go to it */
        out->m[out->n++] = out->m[0];
        out->m[0] = r;
    } else {
        out->m[out->n++] = r;
    }
}

static bool query_monitors(xcb_connection_t *c, xcb_window_t root, struct guid_monitors *out)
{
    xcb_randr_get_monitors_reply_t *r =
        xcb_randr_get_monitors_reply(c, xcb_randr_get_monitors(c, root, 1), NULL);
    if (r == NULL)
        return false;
    for (xcb_randr_monitor_info_iterator_t it = xcb_randr_get_monitors_monitors_iterator(r);
         it.rem; xcb_randr_monitor_info_next(&it))
        add(out, it.data->x, it.data->y, it.data->width, it.data->height, it.data->primary);
    free(r);
    return out->n > 0;
}

static bool query_crtcs(xcb_connection_t *c, xcb_window_t root, struct guid_monitors *out)
{
    xcb_randr_get_screen_resources_current_reply_t *res =
        xcb_randr_get_screen_resources_current_reply(
            c, xcb_randr_get_screen_resources_current(c, root), NULL);
    if (res == NULL)
        return false;
    xcb_randr_crtc_t *crtcs = xcb_randr_get_screen_resources_current_crtcs(res);
    int n = xcb_randr_get_screen_resources_current_crtcs_length(res);
    for (int i = 0; i < n; i++) {
        xcb_randr_get_crtc_info_reply_t *ci = xcb_randr_get_crtc_info_reply(
            c, xcb_randr_get_crtc_info(c, crtcs[i], res->config_timestamp), NULL);
        if (ci != NULL && ci->mode != XCB_NONE)
            add(out, ci->x, ci->y, ci->width, ci->height, false);
        free(ci);
    }
    free(res);
    return out->n > 0;
}

void guid_monitors_query(xcb_connection_t *c, xcb_screen_t *screen, struct guid_monitors *out)
{
    out->n = 0;
    const xcb_query_extension_reply_t *ext = xcb_get_extension_data(c, &xcb_randr_id);
    if (ext != NULL && ext->present) {
        xcb_randr_query_version_reply_t *v =
            xcb_randr_query_version_reply(c, xcb_randr_query_version(c, 1, 5), NULL);
        bool has15 = v != NULL && (v->major_version > 1 || v->minor_version >= 5);
        bool has12 = v != NULL && (v->major_version > 1 || v->minor_version >= 2);
        free(v);
        if (!(has15 && query_monitors(c, screen->root, out))) {
            out->n = 0;
            if (has12)
                (void)query_crtcs(c, screen->root, out);
        }
    }
    if (out->n == 0)
        add(out, 0, 0, screen->width_in_pixels, screen->height_in_pixels, false);
    for (size_t i = 0; i < out->n; i++)
        fen_log(DEBUG, "monitor %zu: %ux%u%+d%+d", i, out->m[i].w, out->m[i].h, out->m[i].x,
                out->m[i].y);
}
