/* Audio formats: the pure rules both audio daemons share (no I/O).
 *
 * A format is rate x sample type x channels from a small allow-list
 * (44100/48000 Hz, S16LE/F32LE, 1-2 channels).  Everything a peer sends
 * passes audio_format_from_wire() before use, and every PCM chunk must hold
 * whole frames of the negotiated format (audio_format_whole_frames()). */
#ifndef FENESTRA_AUDIO_FORMAT_H
#define FENESTRA_AUDIO_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fenestra/proto.h"
#include "fenestra/validate.h" /* fen_qube_name_valid */

struct audio_format {
    uint32_t rate;     /* 44100 or 48000 */
    uint32_t sample;   /* enum fen_audio_sample */
    uint32_t channels; /* 1 or 2 */
};

#define AUDIO_DEFAULT_RATE 48000u
#define AUDIO_DEFAULT_SAMPLE FEN_AUDIO_S16LE
#define AUDIO_DEFAULT_CHANNELS 2u

/* 48 kHz, S16LE, stereo. */
struct audio_format audio_format_default(void);

/* true when rate, sample and channels are all supported; otherwise false
 * and a reason ("rate 8000 not 44100 or 48000") in why. */
bool audio_format_valid(const struct audio_format *f, char *why, size_t why_size);

/* Check an untrusted wire FORMAT (expected direction `dir`) into *out. */
bool audio_format_from_wire(const struct fen_msg_audio_format *untrusted, uint32_t dir,
                            struct audio_format *out, char *why, size_t why_size);
struct fen_msg_audio_format audio_format_to_wire(const struct audio_format *f, uint32_t dir);

/* dom0's answer to a guest's offer: the offer itself when it is valid and
 * allowed by `allowed` (NULL: any valid format), else the fallback. */
struct audio_format audio_format_negotiate(const struct audio_format *offer,
                                           const struct audio_format *allowed, size_t n_allowed,
                                           const struct audio_format *fallback);

bool audio_format_equal(const struct audio_format *a, const struct audio_format *b);

/* Bytes per sample / per frame (all channels); 0 for an invalid format. */
size_t audio_format_sample_bytes(const struct audio_format *f);
size_t audio_format_frame_bytes(const struct audio_format *f);

/* true when len is a positive whole number of frames. */
bool audio_format_whole_frames(const struct audio_format *f, size_t len);

/* Conversions; byte counts are rounded down to whole frames. */
size_t audio_format_usec_to_bytes(const struct audio_format *f, uint64_t usec);
uint64_t audio_format_bytes_to_usec(const struct audio_format *f, uint64_t bytes);

/* Parse "s16le"/"f32le" -> enum fen_audio_sample; 0 when unknown. */
uint32_t audio_sample_parse(const char *s);
const char *audio_sample_name(uint32_t sample);

/* "48000 Hz s16le 2 ch" into buf; returns buf. */
const char *audio_format_describe(const struct audio_format *f, char *buf, size_t size);


#endif
