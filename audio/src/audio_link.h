/* The audio channel between audio-agent (guest, channel server) and audiod
 * (dom0, channel client), driven by a PulseAudio main loop.
 *
 * The link owns the fen_chan, a fen_reader and a bounded fen_writer.  It
 * connects (client: retries every 100 ms; server: waits for the client),
 * exchanges HELLO, parses every incoming message with fen_parse_msg and hands
 * the checked messages to on_msg.  Any protocol error, EOF or full output
 * queue closes the channel with one log line naming the reason, calls
 * on_close, and starts over (reconnect / wait again).  Nothing blocks. */
#ifndef FENESTRA_AUDIO_LINK_H
#define FENESTRA_AUDIO_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pulse/mainloop-api.h>

#include "fenestra/validate.h"

struct audio_link;

struct audio_link_ops {
    /* HELLO exchanged: the stream may carry messages now. */
    void (*on_open)(void *data);
    /* One checked message (not HELLO).  Return false to drop the link (the
     * handler fills why with the reason to log). */
    bool (*on_msg)(void *data, const struct fen_msg *msg, char *why, size_t why_size);
    /* The link went down (after on_open or not). */
    void (*on_close)(void *data);
};

enum audio_link_role { AUDIO_LINK_SERVER, AUDIO_LINK_CLIENT };

/* role SERVER receives FEN_AUDIO_FROM_DOM0 messages (guest), CLIENT receives
 * FEN_AUDIO_FROM_GUEST (dom0).  queue_cap bounds the output queue in bytes.
 * NULL on failure (bad spec, out of memory; the server's socket errors). */
struct audio_link *audio_link_create(pa_mainloop_api *api, enum audio_link_role role,
                                     const char *spec, size_t queue_cap,
                                     const struct audio_link_ops *ops, void *data)
    __attribute__((warn_unused_result));
void audio_link_destroy(struct audio_link *l); /* accepts NULL */

/* true between on_open and on_close. */
bool audio_link_is_open(const struct audio_link *l);

/* Queue a message.  Returns 0, or -1 when the link is not open or the
 * message does not fit the queue (the link is then dropped: a peer that
 * stops reading is disconnected).  Callers that prefer to drop data instead
 * check audio_link_pending first. */
int audio_link_send(struct audio_link *l, uint32_t type, const void *body, uint32_t len);

/* PCM or MIC_PCM: `len` (1..FEN_MAX_AUDIO_CHUNK_BYTES) sample bytes. */
int audio_link_send_pcm(struct audio_link *l, uint32_t type, const void *pcm, uint32_t len);

size_t audio_link_pending(const struct audio_link *l);
size_t audio_link_queue_cap(const struct audio_link *l);

/* Close the current connection with a logged reason and start over. */
void audio_link_drop(struct audio_link *l, const char *reason);

/* Connections that were closed for a protocol error (for status/tests). */
uint64_t audio_link_protocol_errors(const struct audio_link *l);
uint64_t audio_link_connections(const struct audio_link *l);

#endif
