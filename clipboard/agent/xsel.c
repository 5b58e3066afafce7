/* X connection, atoms, the agent's window and event dispatch (see xsel.h). */
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>

#include "fenestra/log.h"
#include "xsel_internal.h"

static const char *const atom_names[A_COUNT] = {
    [A_CLIPBOARD] = "CLIPBOARD", [A_UTF8_STRING] = "UTF8_STRING", [A_TEXT] = "TEXT",
    [A_TARGETS] = "TARGETS",     [A_INCR] = "INCR",               [A_TIMESTAMP] = "TIMESTAMP",
    [A_MULTIPLE] = "MULTIPLE",   [A_ATOM_PAIR] = "ATOM_PAIR",     [A_PROP] = "FENESTRA_CLIPBOARD",
    [A_OWN_STAMP] = "FENESTRA_OWN_TIME",
};

static int intern_atoms(struct xsel *x)
{
    xcb_intern_atom_cookie_t ck[A_COUNT];
    for (int i = 0; i < A_COUNT; i++)
        ck[i] = xcb_intern_atom(x->c, 0, (uint16_t)strlen(atom_names[i]), atom_names[i]);
    int rc = 0;
    for (int i = 0; i < A_COUNT; i++) {
        xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(x->c, ck[i], NULL);
        if (!r)
            rc = -1;
        else
            x->atoms[i] = r->atom;
        free(r);
    }
    return rc;
}

struct xsel *xsel_create(const char *display, xsel_fetch_fn fetch_done, void *ctx)
{
    struct xsel *x = calloc(1, sizeof *x);
    int screen_no;
    if (!x)
        return NULL;
    x->fetch_done = fetch_done;
    x->ctx = ctx;
    x->c = xcb_connect(display, &screen_no);
    if (xcb_connection_has_error(x->c)) {
        fen_log(ERROR, "cannot connect to X display %s", display ? display : "$DISPLAY");
        xsel_destroy(x);
        return NULL;
    }
    const xcb_setup_t *setup = xcb_get_setup(x->c);
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(setup);
    for (int i = 0; i < screen_no && it.rem; i++)
        xcb_screen_next(&it);
    if (!it.rem || intern_atoms(x) < 0) {
        fen_log(ERROR, "X display has no screen %d or refuses atoms", screen_no);
        xsel_destroy(x);
        return NULL;
    }
    x->win = xcb_generate_id(x->c);
    uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_create_window(x->c, XCB_COPY_FROM_PARENT, x->win, it.data->root, -1, -1, 1, 1, 0,
                      XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK, &mask);
    static const char title[] = "fenestra clipboard agent";
    xcb_change_property(x->c, XCB_PROP_MODE_REPLACE, x->win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
                        sizeof title - 1, title);
    xcb_flush(x->c);
    return x;
}

void xsel_destroy(struct xsel *x)
{
    if (!x)
        return;
    xsel_fetch_reset(x);
    for (int i = 0; i < XSEL_MAX_SERVES; i++)
        xsel_serve_drop(&x->serves[i]);
    xsel_wipe_text(x);
    if (x->c)
        xcb_disconnect(x->c);
    free(x);
}

int xsel_fd(const struct xsel *x)
{
    return xcb_get_file_descriptor(x->c);
}

int xsel_dispatch(struct xsel *x, uint64_t now_ms)
{
    xcb_generic_event_t *ev;
    while ((ev = xcb_poll_for_event(x->c))) {
        switch (ev->response_type & 0x7f) {
        case XCB_SELECTION_NOTIFY:
            xsel_fetch_on_notify(x, (xcb_selection_notify_event_t *)ev, now_ms);
            break;
        case XCB_SELECTION_REQUEST:
            xsel_serve_on_request(x, (xcb_selection_request_event_t *)ev, now_ms);
            break;
        case XCB_SELECTION_CLEAR:
            xsel_serve_on_clear(x, (xcb_selection_clear_event_t *)ev);
            break;
        case XCB_PROPERTY_NOTIFY: {
            xcb_property_notify_event_t *pe = (xcb_property_notify_event_t *)ev;
            if (pe->window == x->win && pe->atom == x->atoms[A_OWN_STAMP])
                xsel_serve_on_stamp(x, pe);
            else if (pe->window == x->win)
                xsel_fetch_on_property(x, pe);
            else
                xsel_serve_on_property(x, pe, now_ms);
            break;
        }
        case 0: {
            xcb_generic_error_t *e = (xcb_generic_error_t *)ev;
            /* A requestor window that vanished mid-transfer, typically. */
            fen_log(DEBUG, "X error %u (request %u.%u)", e->error_code, e->major_code,
                    e->minor_code);
            break;
        }
        default:
            break;
        }
        free(ev);
    }
    xcb_flush(x->c);
    if (xcb_connection_has_error(x->c)) {
        fen_log(ERROR, "X connection lost");
        return -1;
    }
    return 0;
}

void xsel_tick(struct xsel *x, uint64_t now_ms)
{
    if (x->fetch.state != FETCH_IDLE && now_ms >= x->fetch.deadline_ms) {
        fen_log(WARN, "the CLIPBOARD owner did not finish its transfer in time");
        xsel_fetch_finish(x, XSEL_FETCH_FAILED);
    }
    for (int i = 0; i < XSEL_MAX_SERVES; i++) {
        struct xsel_serve *s = &x->serves[i];
        if (s->active && now_ms >= s->deadline_ms) {
            fen_log(WARN, "INCR transfer to window 0x%x timed out", s->requestor);
            xsel_serve_drop(s);
        }
    }
    xcb_flush(x->c);
}

uint64_t xsel_next_deadline(const struct xsel *x)
{
    uint64_t t = UINT64_MAX;
    if (x->fetch.state != FETCH_IDLE)
        t = x->fetch.deadline_ms;
    for (int i = 0; i < XSEL_MAX_SERVES; i++)
        if (x->serves[i].active && x->serves[i].deadline_ms < t)
            t = x->serves[i].deadline_ms;
    return t;
}

void xsel_fetch(struct xsel *x, size_t cap, uint64_t now_ms)
{
    xsel_fetch_reset(x);
    /* Our own paste: answer from memory, no round trip through X. */
    if ((x->own_clipboard || x->own_pending) && x->text) {
        size_t n = x->text_len < cap ? x->text_len : cap;
        x->fetch_done(x->ctx, XSEL_FETCH_OK, x->text, n, x->text_len);
        return;
    }
    x->fetch.buf = malloc(cap ? cap : 1);
    if (!x->fetch.buf) {
        x->fetch_done(x->ctx, XSEL_FETCH_FAILED, NULL, 0, 0);
        return;
    }
    x->fetch.cap = cap;
    x->fetch.state = FETCH_CONVERT;
    x->fetch.target = x->atoms[A_UTF8_STRING];
    x->fetch.deadline_ms = now_ms + XSEL_FETCH_TIMEOUT_MS;
    xcb_delete_property(x->c, x->win, x->atoms[A_PROP]);
    xcb_convert_selection(x->c, x->win, x->atoms[A_CLIPBOARD], x->fetch.target, x->atoms[A_PROP],
                          XCB_CURRENT_TIME);
    xcb_flush(x->c);
}

int xsel_own(struct xsel *x, const uint8_t *text, size_t length)
{
    uint8_t *copy = malloc(length ? length : 1);
    if (!copy) {
        fen_log(ERROR, "out of memory for a paste of %zu bytes", length);
        return -1;
    }
    memcpy(copy, text, length);
    xsel_wipe_text(x);
    x->text = copy;
    x->text_len = length;
    /* ICCCM: own with a real server time, not CurrentTime (it is served as
     * TIMESTAMP).  A zero-length append to a property of our window makes the
     * server send a PropertyNotify carrying its time; xsel_serve_on_stamp
     * takes the selections when it arrives. */
    x->own_pending = true;
    xcb_change_property(x->c, XCB_PROP_MODE_APPEND, x->win, x->atoms[A_OWN_STAMP],
                        XCB_ATOM_INTEGER, 32, 0, NULL);
    xcb_flush(x->c);
    return 0;
}
