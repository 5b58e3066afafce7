/* Judging a qube's answer to a copy request (pure: no I/O, no globals).
 *
 * dom0 asks a qube for its clipboard with CLIP_REQUEST {request_id,
 * max_bytes}.  The qube's CLIP_DATA reply is accepted only when it answers
 * the one outstanding request, arrives before its deadline, fits the qube's
 * limit and carries valid UTF-8 without NUL.  Anything else leaves the global
 * clipboard unchanged; only a malformed protocol stream (CLIP_REPLY_PROTOCOL)
 * is worth closing the qube's clipboard channel for. */
#ifndef CLIPBOARD_REPLY_H
#define CLIPBOARD_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One qube's copy request state. */
struct clip_pending {
    bool active;          /* a request is outstanding */
    uint32_t request_id;  /* its id (never 0) */
    uint64_t deadline_ms; /* CLOCK_MONOTONIC ms after which the reply is late */
    uint32_t limit;       /* bytes of text accepted from this qube */
    uint32_t expired_id;  /* the last request that timed out (0: none), to name late replies */
};

enum clip_verdict {
    CLIP_REPLY_ACCEPT = 0,   /* out->text/out->length hold the new clipboard */
    CLIP_REPLY_EMPTY,        /* answers the request, but the qube's clipboard is empty */
    CLIP_REPLY_UNREQUESTED,  /* no request outstanding, or another request's id */
    CLIP_REPLY_LATE,         /* answers a request whose deadline passed */
    CLIP_REPLY_OVER_LIMIT,   /* more text than the qube's limit */
    CLIP_REPLY_BAD_TEXT,     /* invalid UTF-8 or a NUL byte */
    CLIP_REPLY_PROTOCOL,     /* not a well-formed CLIP_DATA: close the channel */
};

struct clip_reply {
    uint32_t request_id;
    uint32_t length;   /* text bytes the reply announced */
    const char *text;  /* ACCEPT only: into the caller's buffer, `length` bytes */
};

/* Judge one whole message `msg` (header + body, `len` bytes) received on a
 * qube's clipboard channel at `now_ms`.  `why` receives a short sentence for
 * the log and the user (never any of the text).  The caller clears
 * `pending->active` after an answer (ACCEPT, EMPTY, OVER_LIMIT, BAD_TEXT). */
enum clip_verdict clip_reply_judge(const struct clip_pending *pending, uint64_t now_ms,
                                   const uint8_t *msg, size_t len, struct clip_reply *out,
                                   char *why, size_t why_size) __attribute__((warn_unused_result));

/* true for verdicts that answer the outstanding request (it is then over). */
bool clip_verdict_answers(enum clip_verdict v);

const char *clip_verdict_name(enum clip_verdict v);

#endif
