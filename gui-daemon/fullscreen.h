/* Policy fullscreen on the dom0 side: while a qube's window covers its
 * monitor (allow_fullscreen), the window is raised and focused, the banner
 * names the qube for GUID_BANNER_MS, and the exit hotkey is grabbed on the
 * root window so it works whatever has the focus.  The hotkey is consumed
 * (never forwarded to the guest) at all times.  It ends fullscreen for every
 * qube: the guid that holds the root grab (one X client can) tells the
 * others through a root property, and hands the grab over when it lets go. */
#ifndef GUID_FULLSCREEN_H
#define GUID_FULLSCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "hotkeys.h"
#include "wstate.h"

#define GUID_BANNER_MS 4000u

struct guid_xside;
struct guid_fullscreen;

typedef void (*guid_fullscreen_exit_fn)(void *ctx);

struct guid_fullscreen *guid_fullscreen_create(struct guid_xside *xs,
                                               const struct guid_hotkey *exit_key,
                                               const char *exit_key_text)
    __attribute__((warn_unused_result));
void guid_fullscreen_destroy(struct guid_fullscreen *fs); /* accepts NULL */

/* Called when the user presses the exit hotkey. */
void guid_fullscreen_set_exit(struct guid_fullscreen *fs, guid_fullscreen_exit_fn fn, void *ctx);

/* guid_xops.fullscreen_changed (ctx = the xside). */
void guid_fullscreen_changed(void *ctx, struct guid_win *w);
/* A dom0 window is going away. */
void guid_fullscreen_forget(struct guid_fullscreen *fs, xcb_window_t xid);
/* Keep the banner above whatever guid just mapped. */
void guid_fullscreen_restack(struct guid_fullscreen *fs);

/* Consume the dom0 events that are ours (exit hotkey, banner expose).
 * true when the event was handled and must not go further. */
bool guid_fullscreen_handle_event(struct guid_fullscreen *fs, const xcb_generic_event_t *ev);

/* Milliseconds until the banner must be hidden (for poll), or -1. */
int guid_fullscreen_timeout(const struct guid_fullscreen *fs, uint64_t now_ms);
/* Hide the banner once its time is up. */
void guid_fullscreen_tick(struct guid_fullscreen *fs, uint64_t now_ms);

#endif
