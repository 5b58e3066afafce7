/* The guest's X selections, as the clipboard agent sees them.
 *
 * fetch: read the CLIPBOARD selection's text (UTF8_STRING, else STRING
 *        converted from Latin-1), following INCR transfers, keeping at most
 *        `cap` bytes (the agent never sends more than dom0's limit + 1).
 * own:   after a paste, own CLIPBOARD and PRIMARY (at a server time, taken
 *        from the PropertyNotify a zero-length append provokes) and serve
 *        TARGETS, TIMESTAMP, MULTIPLE, UTF8_STRING, TEXT and STRING, with INCR
 *        for large texts.
 * Everything runs from the agent's poll loop: xsel_dispatch handles the X
 * events, xsel_tick the timeouts.  Nothing blocks on another X client. */
#ifndef CLIP_AGENT_XSEL_H
#define CLIP_AGENT_XSEL_H

#include <stddef.h>
#include <stdint.h>

struct xsel;

enum xsel_fetch_status {
    XSEL_FETCH_OK = 0,      /* text (possibly empty when nobody owns CLIPBOARD) */
    XSEL_FETCH_NO_TEXT = 1, /* the owner offers no text target */
    XSEL_FETCH_FAILED = 2,  /* the owner did not complete the transfer in time */
};

/* Called once per fetch with the text (valid only during the call). */
typedef void (*xsel_fetch_fn)(void *ctx, enum xsel_fetch_status status, const uint8_t *text,
                              size_t length, size_t total);

/* display: NULL for $DISPLAY.  NULL on failure (logged). */
struct xsel *xsel_create(const char *display, xsel_fetch_fn fetch_done, void *ctx)
    __attribute__((warn_unused_result));
void xsel_destroy(struct xsel *x); /* accepts NULL; wipes the owned text */

int xsel_fd(const struct xsel *x);

/* Handle every queued X event; -1 when the X connection broke. */
int xsel_dispatch(struct xsel *x, uint64_t now_ms) __attribute__((warn_unused_result));
/* Expire stuck transfers; earliest time a tick is wanted (UINT64_MAX: none). */
void xsel_tick(struct xsel *x, uint64_t now_ms);
uint64_t xsel_next_deadline(const struct xsel *x);

/* Start reading CLIPBOARD (cancels a fetch in progress).  The result comes
 * through fetch_done, possibly before this returns. */
void xsel_fetch(struct xsel *x, size_t cap, uint64_t now_ms);

/* Own CLIPBOARD and PRIMARY with a copy of text, once the server's time for
 * it arrives (xsel_dispatch; a failure then is logged).  -1 (logged) when out
 * of memory. */
int xsel_own(struct xsel *x, const uint8_t *text, size_t length) __attribute__((warn_unused_result));

#endif
