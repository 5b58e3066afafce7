/* The MULTIPLE target (ICCCM 2.6.2): the requestor lists (target, property)
 * pairs in an ATOM_PAIR property on its window; we convert each pair we
 * support into its property, replace the target of each pair we do not with
 * None, and write the list back.  The list was written by a guest
 * application: its shape is checked (clipboard/atom_pairs.c) and its length
 * bounded before any pair is used. */
#include <stdlib.h>
#include <string.h>

#include "../atom_pairs.h"
#include "fenestra/log.h"
#include "xsel_internal.h"

/* Read the pair list; number of pairs or -1 (logged). */
static int read_pairs(struct xsel *x, const xcb_selection_request_event_t *ev,
                      uint32_t pairs[2 * CLIP_MULTIPLE_MAX_PAIRS])
{
    /* Ask for the most we accept: anything longer shows in bytes_after. */
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        x->c,
        xcb_get_property(x->c, 0, ev->requestor, ev->property, XCB_GET_PROPERTY_TYPE_ANY, 0,
                         2 * CLIP_MULTIPLE_MAX_PAIRS),
        NULL);
    if (!r) {
        fen_log(WARN, "MULTIPLE from window 0x%x: its property cannot be read", ev->requestor);
        return -1;
    }
    int len = xcb_get_property_value_length(r);
    struct clip_prop_reply pr = {
        .type = r->type,
        .format = r->format,
        .value_len = r->value_len,
        .bytes_after = r->bytes_after,
        .data_bytes = len > 0 ? (size_t)len : 0,
    };
    const char *why;
    int n = clip_atom_pairs_check(&pr, x->atoms[A_ATOM_PAIR], &why);
    if (n < 0)
        fen_log(WARN, "MULTIPLE from window 0x%x refused: %s", ev->requestor, why);
    else
        memcpy(pairs, xcb_get_property_value(r), (size_t)n * 2 * sizeof pairs[0]);
    free(r);
    return n;
}

xcb_atom_t xsel_serve_multiple(struct xsel *x, const xcb_selection_request_event_t *ev,
                               uint64_t now_ms)
{
    /* Property None is obsolete and MULTIPLE needs a real list to read. */
    if (ev->property == XCB_NONE) {
        fen_log(WARN, "MULTIPLE from window 0x%x without a property: refused", ev->requestor);
        return XCB_NONE;
    }
    uint32_t pairs[2 * CLIP_MULTIPLE_MAX_PAIRS];
    int n = read_pairs(x, ev, pairs);
    if (n < 0)
        return XCB_NONE;
    int failed = 0;
    for (int i = 0; i < n; i++) {
        xcb_atom_t target = pairs[2 * i], property = pairs[2 * i + 1];
        /* No nesting, no property None, and never the list's own property. */
        bool usable =
            target != x->atoms[A_MULTIPLE] && property != XCB_NONE && property != ev->property;
        if (!usable || xsel_serve_convert(x, ev->requestor, target, property, now_ms) == XCB_NONE) {
            pairs[2 * i] = XCB_NONE;
            failed++;
        }
    }
    xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, ev->requestor, ev->property,
                        x->atoms[A_ATOM_PAIR], 32, (uint32_t)(2 * n), pairs);
    fen_log(DEBUG, "MULTIPLE from window 0x%x: %d pairs, %d refused", ev->requestor, n, failed);
    return ev->property;
}
