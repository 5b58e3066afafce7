/* Private state shared by xsel.c (connection, events), fetch.c and serve.c. */
#ifndef CLIP_AGENT_XSEL_INTERNAL_H
#define CLIP_AGENT_XSEL_INTERNAL_H

#include <stdbool.h>
#include <xcb/xcb.h>

#include "xsel.h"

#define XSEL_FETCH_TIMEOUT_MS 4000u  /* below clipd's default request timeout */
#define XSEL_SERVE_TIMEOUT_MS 10000u /* an INCR requestor silent this long is dropped */
#define XSEL_INCR_THRESHOLD (256u * 1024u)
#define XSEL_INCR_CHUNK (64u * 1024u)
#define XSEL_MAX_SERVES 16
#define XSEL_INCR_READ_MAX (16u * 1024u * 1024u) /* one INCR chunk, bytes */

enum xsel_atom {
    A_CLIPBOARD, A_UTF8_STRING, A_TEXT, A_TARGETS, A_INCR, A_TIMESTAMP, A_MULTIPLE, A_ATOM_PAIR,
    A_PROP, A_OWN_STAMP, A_COUNT
};

enum fetch_state { FETCH_IDLE, FETCH_CONVERT, FETCH_INCR };

struct xsel_fetch {
    enum fetch_state state;
    xcb_atom_t target;     /* UTF8_STRING, then STRING */
    uint8_t *buf;          /* at most cap bytes kept */
    size_t len, cap, total; /* total: bytes the owner sent */
    uint64_t deadline_ms;
};

/* One INCR transfer to a requestor. */
struct xsel_serve {
    bool active;
    xcb_window_t requestor;
    xcb_atom_t property, type;
    uint8_t *data;
    size_t len, off;
    bool finished_sent; /* the zero-length end marker went out */
    uint64_t deadline_ms;
};

struct xsel {
    xcb_connection_t *c;
    xcb_window_t win;
    xcb_atom_t atoms[A_COUNT];
    xsel_fetch_fn fetch_done;
    void *ctx;
    struct xsel_fetch fetch;
    /* owned text */
    uint8_t *text;
    size_t text_len;
    bool own_clipboard, own_primary;
    bool own_pending;          /* waiting for a server timestamp to take ownership with */
    xcb_timestamp_t own_time;  /* server time we took ownership at (served as TIMESTAMP) */
    struct xsel_serve serves[XSEL_MAX_SERVES];
};

/* fetch.c */
void xsel_fetch_on_notify(struct xsel *x, const xcb_selection_notify_event_t *ev, uint64_t now_ms);
void xsel_fetch_on_property(struct xsel *x, const xcb_property_notify_event_t *ev);
void xsel_fetch_reset(struct xsel *x);
void xsel_fetch_finish(struct xsel *x, enum xsel_fetch_status status);

/* serve.c */
void xsel_serve_on_request(struct xsel *x, const xcb_selection_request_event_t *ev,
                           uint64_t now_ms);
void xsel_serve_on_property(struct xsel *x, const xcb_property_notify_event_t *ev,
                            uint64_t now_ms);
void xsel_serve_on_clear(struct xsel *x, const xcb_selection_clear_event_t *ev);
void xsel_serve_on_stamp(struct xsel *x, const xcb_property_notify_event_t *ev);
/* Convert the owned text to target into requestor's property: the property
 * written, or XCB_NONE when refused.  MULTIPLE is not handled here. */
xcb_atom_t xsel_serve_convert(struct xsel *x, xcb_window_t requestor, xcb_atom_t target,
                              xcb_atom_t property, uint64_t now_ms);

/* multiple.c: answer a MULTIPLE request (the property written, or XCB_NONE). */
xcb_atom_t xsel_serve_multiple(struct xsel *x, const xcb_selection_request_event_t *ev,
                               uint64_t now_ms);
void xsel_serve_drop(struct xsel_serve *s);
void xsel_wipe_text(struct xsel *x);

#endif
