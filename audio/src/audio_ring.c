/* Bounded PCM FIFO that drops the oldest frames on overflow. */
#include "audio_ring.h"

#include <stdlib.h>
#include <string.h>

struct audio_ring {
    uint8_t *buf;
    size_t cap;   /* bytes, a multiple of frame */
    size_t frame;
    size_t head;  /* index of the oldest byte */
    size_t used;
    uint64_t dropped;
};

struct audio_ring *audio_ring_create(size_t capacity, size_t frame_bytes)
{
    if (frame_bytes == 0 || capacity < frame_bytes)
        return NULL;
    struct audio_ring *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->frame = frame_bytes;
    r->cap = capacity - capacity % frame_bytes;
    r->buf = malloc(r->cap);
    if (!r->buf) {
        free(r);
        return NULL;
    }
    return r;
}

void audio_ring_destroy(struct audio_ring *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}

size_t audio_ring_consume(struct audio_ring *r, size_t len)
{
    if (len > r->used)
        len = r->used;
    r->head = (r->head + len) % r->cap;
    r->used -= len;
    if (r->used == 0)
        r->head = 0;
    return len;
}

size_t audio_ring_trim(struct audio_ring *r, size_t keep)
{
    if (r->used <= keep)
        return 0;
    size_t drop = r->used - keep;
    /* round the drop up to whole frames so the head stays frame-aligned */
    drop = (drop + r->frame - 1) / r->frame * r->frame;
    drop = audio_ring_consume(r, drop);
    r->dropped += drop;
    return drop;
}

size_t audio_ring_push(struct audio_ring *r, const void *data, size_t len)
{
    const uint8_t *src = data;
    size_t dropped = 0;
    len -= len % r->frame;
    if (len > r->cap) {
        dropped += len - r->cap;
        r->dropped += len - r->cap;
        src += len - r->cap;
        len = r->cap;
    }
    if (r->used + len > r->cap)
        dropped += audio_ring_trim(r, r->cap - len);
    size_t tail = (r->head + r->used) % r->cap;
    size_t first = r->cap - tail < len ? r->cap - tail : len;
    memcpy(r->buf + tail, src, first);
    memcpy(r->buf, src + first, len - first);
    r->used += len;
    return dropped;
}

const uint8_t *audio_ring_peek(const struct audio_ring *r, size_t *len)
{
    size_t contiguous = r->cap - r->head;
    *len = r->used < contiguous ? r->used : contiguous;
    return r->buf + r->head;
}

void audio_ring_clear(struct audio_ring *r)
{
    r->head = 0;
    r->used = 0;
}

size_t audio_ring_used(const struct audio_ring *r)
{
    return r->used;
}

size_t audio_ring_capacity(const struct audio_ring *r)
{
    return r->cap;
}

uint64_t audio_ring_dropped(const struct audio_ring *r)
{
    return r->dropped;
}
