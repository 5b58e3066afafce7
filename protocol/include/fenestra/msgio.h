/* Message I/O over a channel: assemble whole messages across partial reads,
 * queue outgoing messages up to a cap.  Never blocks: a slow or stalled peer
 * costs memory only up to the caps, and then the caller disconnects it. */
#ifndef FENESTRA_MSGIO_H
#define FENESTRA_MSGIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fenestra/validate.h"

struct fen_chan;
struct fen_reader;
struct fen_writer;

/* A reader for messages arriving on `stream`.  Headers are checked with
 * fen_check_header(stream, hdr, max_body) before any body is buffered. */
struct fen_reader *fen_reader_create(enum fen_stream stream, uint32_t max_body)
    __attribute__((warn_unused_result));
void fen_reader_destroy(struct fen_reader *r); /* accepts NULL */

/* Wipe mode, for streams carrying secrets (clipboard text): every byte is
 * zeroed once the message holding it has been handed out and the next call
 * made, and before any buffer is moved, grown or freed. */
void fen_reader_set_wipe(struct fen_reader *r, bool wipe);
void fen_reader_reset(struct fen_reader *r);   /* drop partial data (reconnect) */

enum fen_read_status {
    FEN_READ_MSG = 0,   /* *msg and *len hold one whole message (valid until the next call) */
    FEN_READ_AGAIN = 1, /* nothing whole yet; poll and call again */
    FEN_READ_EOF = 2,   /* peer closed (possibly mid-message: err says so) */
    FEN_READ_ERROR = 3, /* bad header (err has the reason): drop the connection */
};

/* Read what the channel has (bounded per call, so one busy peer cannot
 * starve the loop) and return the next whole message if there is one.
 * Call repeatedly until FEN_READ_AGAIN. */
enum fen_read_status fen_reader_next(struct fen_reader *r, struct fen_chan *ch,
                                     const uint8_t **msg, size_t *len, struct fen_error *err)
    __attribute__((warn_unused_result));

/* A bounded output queue. */
struct fen_writer *fen_writer_create(size_t cap_bytes) __attribute__((warn_unused_result));
void fen_writer_destroy(struct fen_writer *w); /* accepts NULL */

/* Wipe mode: queued bytes are zeroed as soon as the channel took them, and
 * before the queue is moved, grown, reset or freed. */
void fen_writer_set_wipe(struct fen_writer *w, bool wipe);
void fen_writer_reset(struct fen_writer *w);

/* Queue a message (header + body built by the caller) and write what the
 * channel takes now.  fd >= 0 rides along with the message's first byte
 * (local backend).  Returns 0, or -1 when the queue would exceed its cap
 * (errno=ENOBUFS: the peer stopped reading — disconnect it) or the channel
 * failed (errno=EPIPE). */
int fen_writer_send(struct fen_writer *w, struct fen_chan *ch, uint32_t type, uint32_t window,
                    const void *body, uint32_t body_len, int fd) __attribute__((warn_unused_result));

/* Write queued bytes the channel takes now (call when it has buffer space,
 * or on every loop iteration while pending).  0 or -1 as above. */
int fen_writer_flush(struct fen_writer *w, struct fen_chan *ch) __attribute__((warn_unused_result));

size_t fen_writer_pending(const struct fen_writer *w);

#endif
