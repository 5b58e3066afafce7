/* Reading the guest's CLIPBOARD selection (see xsel.h).  Another X client
 * owns it; we ask for UTF8_STRING (then STRING), follow INCR when the owner
 * sends the text in chunks, and keep at most `cap` bytes. */
#include <stdlib.h>
#include <string.h>

#include "fenestra/log.h"
#include "xsel_internal.h"

void xsel_fetch_reset(struct xsel *x)
{
    struct xsel_fetch *f = &x->fetch;
    if (f->buf) {
        explicit_bzero(f->buf, f->cap ? f->cap : 1);
        free(f->buf);
    }
    memset(f, 0, sizeof *f);
}

/* STRING is Latin-1: re-encode the kept bytes as UTF-8 (at most twice as long). */
static void latin1_to_utf8(struct xsel_fetch *f)
{
    size_t extra = 0;
    for (size_t i = 0; i < f->len; i++)
        extra += f->buf[i] >= 0x80;
    if (!extra)
        return;
    size_t out_cap = f->len + extra > f->cap ? f->len + extra : f->cap;
    uint8_t *out = malloc(out_cap);
    if (!out)
        return;
    size_t o = 0;
    for (size_t i = 0; i < f->len; i++) {
        uint8_t b = f->buf[i];
        if (b < 0x80) {
            out[o++] = b;
        } else {
            out[o++] = (uint8_t)(0xc0 | (b >> 6));
            out[o++] = (uint8_t)(0x80 | (b & 0x3f));
        }
    }
    explicit_bzero(f->buf, f->cap ? f->cap : 1);
    free(f->buf);
    f->buf = out;
    f->total += extra;
    f->len = o < f->cap ? o : f->cap;
    f->cap = out_cap;
}

void xsel_fetch_finish(struct xsel *x, enum xsel_fetch_status status)
{
    struct xsel_fetch *f = &x->fetch;
    if (status == XSEL_FETCH_OK && f->target == XCB_ATOM_STRING)
        latin1_to_utf8(f);
    size_t len = f->len, total = f->total;
    const uint8_t *buf = f->buf;
    f->state = FETCH_IDLE;
    x->fetch_done(x->ctx, status, status == XSEL_FETCH_OK ? buf : NULL,
                  status == XSEL_FETCH_OK ? len : 0, total);
    xsel_fetch_reset(x);
}

static void append(struct xsel_fetch *f, const uint8_t *data, size_t n)
{
    size_t room = f->cap - f->len;
    size_t keep = n < room ? n : room;
    memcpy(f->buf + f->len, data, keep);
    f->len += keep;
    f->total += n;
}

/* Read the whole property (non-INCR transfer) in pieces; delete it after. */
static bool read_property(struct xsel *x, xcb_atom_t *type_out)
{
    uint32_t offset = 0; /* in 32-bit units */
    for (;;) {
        xcb_get_property_reply_t *r = xcb_get_property_reply(
            x->c,
            xcb_get_property(x->c, 0, x->win, x->atoms[A_PROP], XCB_GET_PROPERTY_TYPE_ANY, offset,
                             XSEL_INCR_CHUNK / 4),
            NULL);
        if (!r)
            return false;
        *type_out = r->type;
        if (r->type == x->atoms[A_INCR] || r->format != 8) {
            free(r);
            return true;
        }
        int n = xcb_get_property_value_length(r);
        append(&x->fetch, xcb_get_property_value(r), (size_t)n);
        uint32_t after = r->bytes_after;
        free(r);
        if (after == 0 || n <= 0 || n % 4 != 0)
            break;
        offset += (uint32_t)n / 4;
    }
    xcb_delete_property(x->c, x->win, x->atoms[A_PROP]);
    return true;
}

static bool selection_has_owner(struct xsel *x)
{
    xcb_get_selection_owner_reply_t *r = xcb_get_selection_owner_reply(
        x->c, xcb_get_selection_owner(x->c, x->atoms[A_CLIPBOARD]), NULL);
    bool owned = r && r->owner != XCB_NONE;
    free(r);
    return owned;
}

void xsel_fetch_on_notify(struct xsel *x, const xcb_selection_notify_event_t *ev, uint64_t now_ms)
{
    struct xsel_fetch *f = &x->fetch;
    if (f->state != FETCH_CONVERT || ev->requestor != x->win ||
        ev->selection != x->atoms[A_CLIPBOARD] || ev->target != f->target)
        return;
    if (ev->property == XCB_NONE) {
        if (!selection_has_owner(x)) {
            xsel_fetch_finish(x, XSEL_FETCH_OK); /* nothing copied: empty */
            return;
        }
        if (f->target == x->atoms[A_UTF8_STRING]) {
            f->target = XCB_ATOM_STRING;
            xcb_convert_selection(x->c, x->win, x->atoms[A_CLIPBOARD], f->target,
                                  x->atoms[A_PROP], XCB_CURRENT_TIME);
            return;
        }
        fen_log(INFO, "the CLIPBOARD owner offers no text");
        xsel_fetch_finish(x, XSEL_FETCH_NO_TEXT);
        return;
    }
    xcb_atom_t type = XCB_NONE;
    if (!read_property(x, &type)) {
        xsel_fetch_finish(x, XSEL_FETCH_FAILED);
        return;
    }
    if (type == x->atoms[A_INCR]) {
        /* Deleting the property tells the owner to send the first chunk. */
        f->state = FETCH_INCR;
        fen_log(INFO, "reading CLIPBOARD by INCR");
        f->deadline_ms = now_ms + XSEL_FETCH_TIMEOUT_MS;
        xcb_delete_property(x->c, x->win, x->atoms[A_PROP]);
        return;
    }
    if (type == XCB_NONE && f->len == 0) {
        xsel_fetch_finish(x, XSEL_FETCH_FAILED);
        return;
    }
    xsel_fetch_finish(x, XSEL_FETCH_OK);
}

void xsel_fetch_on_property(struct xsel *x, const xcb_property_notify_event_t *ev)
{
    struct xsel_fetch *f = &x->fetch;
    if (f->state != FETCH_INCR || ev->atom != x->atoms[A_PROP] ||
        ev->state != XCB_PROPERTY_NEW_VALUE)
        return;
    /* One chunk; reading with delete=1 asks the owner for the next. */
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        x->c,
        xcb_get_property(x->c, 1, x->win, x->atoms[A_PROP], XCB_GET_PROPERTY_TYPE_ANY, 0,
                         XSEL_INCR_READ_MAX / 4),
        NULL);
    if (!r) {
        xsel_fetch_finish(x, XSEL_FETCH_FAILED);
        return;
    }
    int n = xcb_get_property_value_length(r);
    if (r->format == 8 && n > 0)
        append(f, xcb_get_property_value(r), (size_t)n);
    bool done = n <= 0;
    free(r);
    if (done)
        xsel_fetch_finish(x, XSEL_FETCH_OK);
}
