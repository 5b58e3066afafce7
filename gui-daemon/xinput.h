/* dom0 X events on guid's windows -> messages to the guest (input, close,
 * configure) and repaints (expose).  Clipboard hotkeys are consumed here. */
#ifndef GUID_XINPUT_H
#define GUID_XINPUT_H

#include <xcb/xcb.h>

#include "hotkeys.h"
#include "wstate.h"
#include "xside.h"

struct guid_xinput;

/* Called when a clipboard hotkey was pressed (verb "copy" or "paste",
 * ms = CLOCK_MONOTONIC milliseconds at arrival). */
typedef void (*guid_hotkey_fn)(void *ctx, const char *verb, uint64_t ms);

struct guid_xinput *guid_xinput_create(struct guid_xside *xs, struct guid_wstate *ws,
                                       const struct guid_sendops *send,
                                       const struct guid_hotkey *copy,
                                       const struct guid_hotkey *paste, guid_hotkey_fn on_hotkey,
                                       void *hotkey_ctx) __attribute__((warn_unused_result));
void guid_xinput_destroy(struct guid_xinput *xi); /* accepts NULL */

/* Handle one event from the dom0 X server (ownership stays with the caller). */
void guid_xinput_handle(struct guid_xinput *xi, xcb_generic_event_t *ev);

#endif
