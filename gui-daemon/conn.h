/* guid's link to its guest: connect (retrying until the agent is there),
 * HELLO handshake, reading and validating guest messages, bounded sending,
 * and dropping the link on bad input (the windows vanish; guid waits for the
 * guest to come back, and the agent replays its windows). */
#ifndef GUID_CONN_H
#define GUID_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "wstate.h"

struct guid_conn;

enum guid_conn_state { GUID_CONN_DOWN, GUID_CONN_HELLO, GUID_CONN_UP };

struct guid_conn *guid_conn_create(const char *qube, const char *spec, uint32_t screen_w,
                                   uint32_t screen_h) __attribute__((warn_unused_result));
void guid_conn_destroy(struct guid_conn *c); /* accepts NULL */

/* The window state that messages are applied to (set once, before use). */
void guid_conn_set_wstate(struct guid_conn *c, struct guid_wstate *ws);

/* Sendops for wstate/xinput (messages are dropped while not UP). */
void guid_conn_sendops(struct guid_conn *c, struct guid_sendops *ops);

enum guid_conn_state guid_conn_state(const struct guid_conn *c);

/* DOWN: try to connect once (non-blocking).  true when connected. */
bool guid_conn_try_connect(struct guid_conn *c);

/* fd to poll and the events wanted, or -1 when DOWN. */
int guid_conn_fd(const struct guid_conn *c);
short guid_conn_events(const struct guid_conn *c);

/* The fd is ready: read and apply messages, flush output.  Returns 1 when
 * the handshake just completed, 0 normally, -1 when the link was dropped.
 * While the qube's damage waits for paint budget or for the X server
 * (guid_wstate_throttled), guid reads no more from it: a flooding guest
 * then waits on its full channel instead of costing dom0 CPU. */
int guid_conn_service(struct guid_conn *c);

/* Reading stopped with the qube throttled and it no longer is: call
 * guid_conn_service now (messages may sit in the reader, unseen by poll). */
bool guid_conn_resume_due(const struct guid_conn *c);

/* A send failed earlier (peer not reading): drop now.  true if dropped. */
bool guid_conn_check_broken(struct guid_conn *c);

/* Drop the link with a logged reason naming the qube. */
void guid_conn_drop(struct guid_conn *c, const char *reason);

#endif
