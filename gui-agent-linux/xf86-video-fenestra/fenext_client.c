/* xcb client side of the FENESTRA extension: hand-built requests through
 * xcbext (the same calls xcb's generated bindings make). */
#include "fenext_client.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xcb/xcbext.h>

#include "fenext_proto.h"

static xcb_extension_t fenext_xcb_id = {FENEXT_NAME, 0};

int fenext_present(xcb_connection_t *conn)
{
    if (xcb_connection_has_error(conn))
        return -1;
    const xcb_query_extension_reply_t *ext = xcb_get_extension_data(conn, &fenext_xcb_id);
    if (!ext)
        return -1;
    return ext->present ? 1 : 0;
}

/* Send one fixed-size request; its sequence number (0: not sent). */
static unsigned int fenext_send(xcb_connection_t *conn, void *req, size_t len, uint8_t minor,
                                int isvoid, int flags)
{
    struct iovec parts[3];
    xcb_protocol_request_t proto = {
        .count = 1, .ext = &fenext_xcb_id, .opcode = minor, .isvoid = (uint8_t)isvoid};
    parts[2].iov_base = req;
    parts[2].iov_len = len;
    return xcb_send_request(conn, flags, parts + 2, &proto);
}

/* Send one fixed-size request and wait for its reply (checked: an X error
 * comes back here, not through the event queue).  Returns the reply (caller
 * frees) or NULL. */
static void *fenext_roundtrip(xcb_connection_t *conn, void *req, size_t len, uint8_t minor,
                              int flags)
{
    unsigned int seq = fenext_send(conn, req, len, minor, 0, XCB_REQUEST_CHECKED | flags);
    if (seq == 0)
        return NULL;
    xcb_generic_error_t *err = NULL;
    void *reply = xcb_wait_for_reply(conn, seq, &err);
    free(err);
    return reply;
}

int fenext_query_version(xcb_connection_t *conn, uint32_t *major, uint32_t *minor,
                         uint32_t *pool_pages, uint32_t *pool_kind)
{
    struct fenext_query_version_req req = {
        .minor_opcode = X_FenextQueryVersion,
        .length = sizeof req / 4,
        .client_major = FENEXT_MAJOR,
        .client_minor = FENEXT_MINOR,
    };
    struct fenext_query_version_reply *rep =
        fenext_roundtrip(conn, &req, sizeof req, X_FenextQueryVersion, 0);
    if (!rep)
        return -1;
    *major = rep->major;
    *minor = rep->minor;
    *pool_pages = rep->pool_pages;
    *pool_kind = rep->pool_kind;
    free(rep);
    return 0;
}

int fenext_get_pool(xcb_connection_t *conn, uint32_t *pool_pages)
{
    struct fenext_get_pool_req req = {.minor_opcode = X_FenextGetPool, .length = sizeof req / 4};
    struct fenext_get_pool_reply *rep =
        fenext_roundtrip(conn, &req, sizeof req, X_FenextGetPool, XCB_REQUEST_REPLY_FDS);
    if (!rep)
        return -1;
    int fd = -1;
    if (rep->nfd == 1) {
        int *fds = xcb_get_reply_fds(conn, rep, sizeof *rep + 4u * rep->length);
        fd = fds[0];
    }
    *pool_pages = rep->pool_pages;
    free(rep);
    return fd;
}

int fenext_get_window_pages(xcb_connection_t *conn, xcb_window_t window, uint32_t hold,
                            struct fenext_window_pages *out)
{
    struct fenext_get_window_pages_req req = {
        .minor_opcode = X_FenextGetWindowPages,
        .length = sizeof req / 4,
        .window = window,
        .hold = hold,
    };
    struct fenext_get_window_pages_reply *rep =
        fenext_roundtrip(conn, &req, sizeof req, X_FenextGetWindowPages, 0);
    if (!rep)
        return -1;
    memset(out, 0, sizeof *out);
    /* A reply shorter than ours would be a different protocol version. */
    if (rep->length < 2) {
        free(rep);
        return -1;
    }
    out->shared = rep->status == FENEXT_SHARED;
    /* Xen pools: exactly npages grant refs follow. */
    uint32_t extra = rep->length - 2;
    if (extra && (!out->shared || extra != rep->npages)) {
        free(rep);
        return -1;
    }
    if (extra) {
        out->grefs = malloc((size_t)extra * 4u);
        if (!out->grefs) {
            free(rep);
            return -1;
        }
        memcpy(out->grefs, rep + 1, (size_t)extra * 4u);
    }
    if (out->shared) {
        out->first_page = rep->first_page;
        out->npages = rep->npages;
        out->width = rep->width;
        out->height = rep->height;
        out->stride = rep->stride;
        out->block = rep->block;
        out->depth = rep->depth;
        out->border_width = rep->border_width;
    }
    free(rep);
    return 0;
}

/* Send one fixed-size request without a reply (unchecked). */
static void fenext_send_void(xcb_connection_t *conn, void *req, size_t len, uint8_t minor)
{
    fenext_send(conn, req, len, minor, 1, 0);
}

void fenext_release_hold(xcb_connection_t *conn, uint32_t hold)
{
    struct fenext_release_hold_req req = {
        .minor_opcode = X_FenextReleaseHold, .length = sizeof req / 4, .hold = hold};
    fenext_send_void(conn, &req, sizeof req, X_FenextReleaseHold);
}

int fenext_first_event(xcb_connection_t *conn)
{
    const xcb_query_extension_reply_t *ext = xcb_get_extension_data(conn, &fenext_xcb_id);
    return ext && ext->present ? ext->first_event : -1;
}

int fenext_select_frames(xcb_connection_t *conn, int enable)
{
    struct fenext_select_frames_req req = {
        .minor_opcode = X_FenextSelectFrames, .length = sizeof req / 4, .enable = enable != 0};
    xcb_void_cookie_t ck = {
        fenext_send(conn, &req, sizeof req, X_FenextSelectFrames, 1, XCB_REQUEST_CHECKED)};
    xcb_generic_error_t *err = xcb_request_check(conn, ck);
    int code = err ? err->error_code : 0;
    free(err);
    return code;
}

void fenext_frame_painted(xcb_connection_t *conn, xcb_window_t window, uint32_t serial)
{
    struct fenext_frame_painted_req req = {.minor_opcode = X_FenextFramePainted,
                                           .length = sizeof req / 4,
                                           .window = window,
                                           .serial = serial};
    fenext_send_void(conn, &req, sizeof req, X_FenextFramePainted);
}

int fenext_frame_event(int first_event, const xcb_generic_event_t *ev, xcb_window_t *window,
                       uint32_t *serial)
{
    if (first_event < 0 || (ev->response_type & 0x7f) != first_event + FenextFrameNotify)
        return 0;
    const struct fenext_frame_notify_event *f = (const struct fenext_frame_notify_event *)ev;
    *window = f->window;
    *serial = f->serial;
    return 1;
}
