/* One qube's clipboard channel, seen from clipd (the channel client).
 *
 * clipd connects to the qube's agent (retrying while it is not there),
 * answers its HELLO, then sends copy requests and pastes.  A malformed
 * stream closes this qube's channel (with a log line) and the next retry
 * reconnects; it never affects another qube.  Nothing here blocks: reads are
 * bounded per call and writes are queued up to a cap. */
#ifndef CLIPD_QUBE_H
#define CLIPD_QUBE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "../policy.h"
#include "../reply.h"

struct clipd_qube;

/* Called for every CLIP_DATA message, judged, and for request timeouts
 * (verdict CLIP_REPLY_LATE with reply == NULL). */
typedef void (*clipd_reply_fn)(void *ctx, struct clipd_qube *q, enum clip_verdict verdict,
                               const struct clip_reply *reply, const char *why);

struct clipd_qube *clipd_qube_create(const char *name, const char *spec, uint32_t limit)
    __attribute__((warn_unused_result));
void clipd_qube_destroy(struct clipd_qube *q); /* accepts NULL */

const char *clipd_qube_name(const struct clipd_qube *q);
const char *clipd_qube_spec(const struct clipd_qube *q);
uint32_t clipd_qube_limit(const struct clipd_qube *q);
/* Applies to the next copy request (one in flight keeps its limit). */
void clipd_qube_set_limit(struct clipd_qube *q, uint32_t limit);
bool clipd_qube_ready(const struct clipd_qube *q); /* handshake done */
bool clipd_qube_copy_pending(const struct clipd_qube *q);
uint64_t clipd_qube_copy_hotkey_ms(const struct clipd_qube *q);

/* A new spec (from `attach`): reconnect when it differs, else just retry now. */
int clipd_qube_attach(struct clipd_qube *q, const char *spec) __attribute__((warn_unused_result));

/* Fill a pollfd (fd -1 when disconnected); the earliest time the qube wants
 * a tick (reconnect retry, request deadline), or UINT64_MAX. */
void clipd_qube_pollfd(const struct clipd_qube *q, struct pollfd *pfd);
uint64_t clipd_qube_next_deadline(const struct clipd_qube *q);

/* Handle poll results (revents may be 0) and timers at now_ms. */
void clipd_qube_service(struct clipd_qube *q, short revents, uint64_t now_ms, clipd_reply_fn fn,
                        void *ctx);

/* Send a copy request; the answer comes through clipd_reply_fn.  0, or -1
 * with a reason in why (not connected, channel stalled). */
int clipd_qube_request(struct clipd_qube *q, uint32_t request_id, uint64_t hotkey_ms,
                       uint64_t now_ms, uint32_t timeout_ms, char *why, size_t why_size)
    __attribute__((warn_unused_result));
/* Forget the outstanding request (a newer copy elsewhere superseded it). */
void clipd_qube_cancel_request(struct clipd_qube *q);

/* Send the text as CLIP_PASTE.  0, or -1 with a reason.  A copy is kept
 * until the channel has taken the whole message; if the channel closes
 * first, the paste is held and sent again when the agent reconnects within
 * hold_ms (one paste per qube: a newer one replaces it), else dropped.
 * Either outcome is reported by clipd_qube_take_paste_outcome. */
int clipd_qube_paste(struct clipd_qube *q, const char *source, const char *text, uint32_t length,
                     uint32_t hold_ms, char *why, size_t why_size)
    __attribute__((warn_unused_result));

enum clipd_paste_outcome {
    CLIPD_PASTE_NONE = 0,
    CLIPD_PASTE_REDELIVERED, /* a held paste went out on a new connection */
    CLIPD_PASTE_LOST,        /* a held paste's time ran out: dropped (wiped) */
};
/* The latest outcome since the last call (then reset to NONE), with the
 * paste's source qube and size. */
enum clipd_paste_outcome clipd_qube_take_paste_outcome(struct clipd_qube *q, char *source,
                                                       size_t source_size, uint32_t *bytes);

#endif
