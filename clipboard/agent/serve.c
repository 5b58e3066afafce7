/* Serving a pasted text to the guest's applications (see xsel.h): we own
 * CLIPBOARD and PRIMARY and answer TARGETS, TIMESTAMP, UTF8_STRING, TEXT and
 * STRING, in one property when small, by INCR chunks when large; MULTIPLE
 * (a list of these) is in multiple.c. */
#include <stdlib.h>
#include <string.h>

#include "fenestra/log.h"
#include "xsel_internal.h"

void xsel_wipe_text(struct xsel *x)
{
    if (x->text) {
        explicit_bzero(x->text, x->text_len);
        free(x->text);
    }
    x->text = NULL;
    x->text_len = 0;
    x->own_clipboard = x->own_primary = x->own_pending = false;
}

void xsel_serve_drop(struct xsel_serve *s)
{
    if (s->data) {
        explicit_bzero(s->data, s->len);
        free(s->data);
    }
    memset(s, 0, sizeof *s);
}

/* STRING is Latin-1: characters above U+00FF become '?'.  The input is
 * valid UTF-8 (dom0 checked it).  Returns a malloc'ed buffer. */
static uint8_t *utf8_to_latin1(const uint8_t *in, size_t len, size_t *out_len)
{
    uint8_t *out = calloc(1, len ? len : 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        uint8_t b = in[i];
        size_t n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        if (n == 2 && i + 1 < len && b < 0xc4)
            out[o++] = (uint8_t)(((b & 0x1f) << 6) | (in[i + 1] & 0x3f));
        else
            out[o++] = n == 1 ? b : '?';
        i += n;
    }
    *out_len = o;
    return out;
}

static void notify_requestor(struct xsel *x, const xcb_selection_request_event_t *ev,
                             xcb_atom_t property)
{
    xcb_selection_notify_event_t n = {
        .response_type = XCB_SELECTION_NOTIFY,
        .time = ev->time,
        .requestor = ev->requestor,
        .selection = ev->selection,
        .target = ev->target,
        .property = property,
    };
    xcb_send_event(x->c, 0, ev->requestor, XCB_EVENT_MASK_NO_EVENT, (const char *)&n);
}

static struct xsel_serve *free_serve(struct xsel *x)
{
    for (int i = 0; i < XSEL_MAX_SERVES; i++)
        if (!x->serves[i].active)
            return &x->serves[i];
    return NULL;
}

xcb_atom_t xsel_serve_convert(struct xsel *x, xcb_window_t requestor, xcb_atom_t target,
                              xcb_atom_t property, uint64_t now_ms)
{
    if (target == x->atoms[A_TARGETS]) {
        xcb_atom_t targets[] = {x->atoms[A_TARGETS],  x->atoms[A_TIMESTAMP],
                                x->atoms[A_MULTIPLE], x->atoms[A_UTF8_STRING],
                                x->atoms[A_TEXT],     XCB_ATOM_STRING};
        xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, requestor, property, XCB_ATOM_ATOM, 32,
                            sizeof targets / sizeof targets[0], targets);
        return property;
    }
    if (target == x->atoms[A_TIMESTAMP]) {
        uint32_t t = x->own_time;
        xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, requestor, property, XCB_ATOM_INTEGER,
                            32, 1, &t);
        return property;
    }
    const uint8_t *data = x->text;
    size_t len = x->text_len;
    uint8_t *converted = NULL;
    xcb_atom_t type = x->atoms[A_UTF8_STRING];
    if (target == XCB_ATOM_STRING) {
        converted = utf8_to_latin1(x->text, x->text_len, &len);
        if (!converted)
            return XCB_NONE;
        data = converted;
        type = XCB_ATOM_STRING;
    } else if (target != x->atoms[A_UTF8_STRING] && target != x->atoms[A_TEXT]) {
        return XCB_NONE;
    }
    if (len <= XSEL_INCR_THRESHOLD) {
        xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, requestor, property, type, 8,
                            (uint32_t)len, data);
        if (converted) {
            explicit_bzero(converted, len);
            free(converted);
        }
        return property;
    }
    /* INCR: announce the size, then one chunk per PropertyDelete. */
    struct xsel_serve *s = free_serve(x);
    uint8_t *copy = converted ? converted : malloc(len);
    if (!s || !copy) {
        fen_log(WARN, "too many INCR transfers at once; refusing window 0x%x", requestor);
        if (copy) {
            explicit_bzero(copy, len);
            free(copy);
        }
        return XCB_NONE;
    }
    if (!converted)
        memcpy(copy, data, len);
    *s = (struct xsel_serve){.active = true,
                             .requestor = requestor,
                             .property = property,
                             .type = type,
                             .data = copy,
                             .len = len,
                             .deadline_ms = now_ms + XSEL_SERVE_TIMEOUT_MS};
    fen_log(INFO, "serving %zu bytes by INCR to window 0x%x", len, requestor);
    uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_change_window_attributes(x->c, requestor, XCB_CW_EVENT_MASK, &mask);
    uint32_t size = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, requestor, property, x->atoms[A_INCR],
                        32, 1, &size);
    return property;
}

void xsel_serve_on_request(struct xsel *x, const xcb_selection_request_event_t *ev,
                           uint64_t now_ms)
{
    bool ours = (ev->selection == x->atoms[A_CLIPBOARD] && x->own_clipboard) ||
                (ev->selection == XCB_ATOM_PRIMARY && x->own_primary);
    /* Obsolete clients pass property None: use the target's name (ICCCM). */
    xcb_atom_t property = ev->property != XCB_NONE ? ev->property : ev->target;
    /* ICCCM 2.2: a request timed before we took the selection asks for an
     * older owner's data: refuse it (X times wrap; compare the difference). */
    bool in_time = ev->time == XCB_CURRENT_TIME || (int32_t)(ev->time - x->own_time) >= 0;
    if (ours && !in_time)
        fen_log(DEBUG, "request from window 0x%x timed before our ownership: refused",
                ev->requestor);
    xcb_atom_t result = XCB_NONE;
    if (ours && in_time && x->text && ev->owner == x->win) {
        if (ev->target == x->atoms[A_MULTIPLE])
            result = xsel_serve_multiple(x, ev, now_ms);
        else
            result = xsel_serve_convert(x, ev->requestor, ev->target, property, now_ms);
    }
    notify_requestor(x, ev, result);
    xcb_flush(x->c);
}

void xsel_serve_on_property(struct xsel *x, const xcb_property_notify_event_t *ev,
                            uint64_t now_ms)
{
    if (ev->state != XCB_PROPERTY_DELETE)
        return;
    for (int i = 0; i < XSEL_MAX_SERVES; i++) {
        struct xsel_serve *s = &x->serves[i];
        if (!s->active || s->requestor != ev->window || s->property != ev->atom)
            continue;
        if (s->finished_sent) {
            /* The requestor read the end marker: done. */
            uint32_t none = XCB_EVENT_MASK_NO_EVENT;
            xcb_change_window_attributes(x->c, s->requestor, XCB_CW_EVENT_MASK, &none);
            xsel_serve_drop(s);
            return;
        }
        size_t n = s->len - s->off;
        if (n > XSEL_INCR_CHUNK)
            n = XSEL_INCR_CHUNK;
        xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, s->requestor, s->property, s->type, 8,
                            (uint32_t)n, s->data + s->off);
        s->off += n;
        if (n == 0)
            s->finished_sent = true;
        s->deadline_ms = now_ms + XSEL_SERVE_TIMEOUT_MS;
        xcb_flush(x->c);
        return;
    }
}

void xsel_serve_on_clear(struct xsel *x, const xcb_selection_clear_event_t *ev)
{
    /* A clear of the previous ownership while a new paste waits for its
     * timestamp must not wipe the new text. */
    if (ev->owner != x->win || x->own_pending)
        return;
    if (ev->selection == x->atoms[A_CLIPBOARD])
        x->own_clipboard = false;
    else if (ev->selection == XCB_ATOM_PRIMARY)
        x->own_primary = false;
    if (!x->own_clipboard && !x->own_primary && x->text) {
        fen_log(INFO, "another application took the selections; pasted text wiped");
        xsel_wipe_text(x);
    }
}

static bool owner_is(struct xsel *x, xcb_atom_t selection)
{
    xcb_get_selection_owner_reply_t *r =
        xcb_get_selection_owner_reply(x->c, xcb_get_selection_owner(x->c, selection), NULL);
    bool ours = r && r->owner == x->win;
    free(r);
    return ours;
}

void xsel_serve_on_stamp(struct xsel *x, const xcb_property_notify_event_t *ev)
{
    if (!x->own_pending || ev->state != XCB_PROPERTY_NEW_VALUE)
        return;
    x->own_pending = false;
    x->own_time = ev->time;
    xcb_set_selection_owner(x->c, x->win, x->atoms[A_CLIPBOARD], x->own_time);
    xcb_set_selection_owner(x->c, x->win, XCB_ATOM_PRIMARY, x->own_time);
    x->own_clipboard = owner_is(x, x->atoms[A_CLIPBOARD]);
    x->own_primary = owner_is(x, XCB_ATOM_PRIMARY);
    if (!x->own_clipboard) {
        fen_log(ERROR, "could not take the CLIPBOARD selection; paste of %zu bytes dropped",
                x->text_len);
        xsel_wipe_text(x);
        return;
    }
    fen_log(INFO, "pasted %zu bytes: now owner of CLIPBOARD%s (time %u)", x->text_len,
            x->own_primary ? " and PRIMARY" : "", (unsigned)x->own_time);
}
