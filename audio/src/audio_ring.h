/* A bounded byte FIFO for PCM, sized once at creation (never grows).
 *
 * Audio must stay fresh rather than complete: when a push does not fit, the
 * oldest bytes are dropped (in whole frames) to make room, and the drop is
 * counted.  A guest that sends faster than real time therefore costs at most
 * the capacity, and latency stays bounded. */
#ifndef FENESTRA_AUDIO_RING_H
#define FENESTRA_AUDIO_RING_H

#include <stddef.h>
#include <stdint.h>

struct audio_ring;

/* capacity is rounded down to a whole number of frames (frame_bytes >= 1).
 * NULL on bad arguments or out of memory. */
struct audio_ring *audio_ring_create(size_t capacity, size_t frame_bytes)
    __attribute__((warn_unused_result));
void audio_ring_destroy(struct audio_ring *r); /* accepts NULL */

/* Append len bytes (a whole number of frames; a trailing partial frame is
 * ignored).  Oldest data is dropped to make room; if len alone exceeds the
 * capacity only its newest part is kept.  Returns the bytes dropped (old and
 * new together). */
size_t audio_ring_push(struct audio_ring *r, const void *data, size_t len);

/* Contiguous readable region at the head: *len bytes at the returned pointer
 * (may be fewer than audio_ring_used when the data wraps). */
const uint8_t *audio_ring_peek(const struct audio_ring *r, size_t *len);

/* Remove up to len bytes from the head; returns bytes removed. */
size_t audio_ring_consume(struct audio_ring *r, size_t len);

/* Drop the oldest bytes (whole frames) until at most keep bytes remain;
 * returns bytes dropped. */
size_t audio_ring_trim(struct audio_ring *r, size_t keep);

void audio_ring_clear(struct audio_ring *r);
size_t audio_ring_used(const struct audio_ring *r);
size_t audio_ring_capacity(const struct audio_ring *r);
uint64_t audio_ring_dropped(const struct audio_ring *r); /* total bytes dropped */

#endif
