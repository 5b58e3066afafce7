/* Audio formats: allow-list, wire conversion, frame arithmetic. */
#include "audio_format.h"

#include <stdio.h>
#include <string.h>

struct audio_format audio_format_default(void)
{
    return (struct audio_format){AUDIO_DEFAULT_RATE, AUDIO_DEFAULT_SAMPLE, AUDIO_DEFAULT_CHANNELS};
}

bool audio_format_valid(const struct audio_format *f, char *why, size_t why_size)
{
    if (f->rate != 44100u && f->rate != 48000u) {
        snprintf(why, why_size, "rate %u not 44100 or 48000", f->rate);
        return false;
    }
    if (f->sample != FEN_AUDIO_S16LE && f->sample != FEN_AUDIO_F32LE) {
        snprintf(why, why_size, "sample type %u not S16LE or F32LE", f->sample);
        return false;
    }
    if (f->channels < 1u || f->channels > 2u) {
        snprintf(why, why_size, "%u channels not 1..2", f->channels);
        return false;
    }
    return true;
}

bool audio_format_from_wire(const struct fen_msg_audio_format *untrusted, uint32_t dir,
                            struct audio_format *out, char *why, size_t why_size)
{
    if (untrusted->direction != dir) {
        snprintf(why, why_size, "FORMAT direction %u, expected %u", untrusted->direction, dir);
        return false;
    }
    struct audio_format f = {untrusted->rate, untrusted->sample, untrusted->channels};
    if (!audio_format_valid(&f, why, why_size))
        return false;
    *out = f;
    return true;
}

struct fen_msg_audio_format audio_format_to_wire(const struct audio_format *f, uint32_t dir)
{
    return (struct fen_msg_audio_format){dir, f->rate, f->sample, f->channels};
}

bool audio_format_equal(const struct audio_format *a, const struct audio_format *b)
{
    return a->rate == b->rate && a->sample == b->sample && a->channels == b->channels;
}

struct audio_format audio_format_negotiate(const struct audio_format *offer,
                                           const struct audio_format *allowed, size_t n_allowed,
                                           const struct audio_format *fallback)
{
    char why[80];
    if (!audio_format_valid(offer, why, sizeof why))
        return *fallback;
    if (!allowed)
        return *offer;
    for (size_t i = 0; i < n_allowed; i++)
        if (audio_format_equal(offer, &allowed[i]))
            return *offer;
    return *fallback;
}

size_t audio_format_sample_bytes(const struct audio_format *f)
{
    switch (f->sample) {
    case FEN_AUDIO_S16LE:
        return 2;
    case FEN_AUDIO_F32LE:
        return 4;
    default:
        return 0;
    }
}

size_t audio_format_frame_bytes(const struct audio_format *f)
{
    if (f->channels < 1u || f->channels > 2u)
        return 0;
    return audio_format_sample_bytes(f) * f->channels;
}

bool audio_format_whole_frames(const struct audio_format *f, size_t len)
{
    size_t fb = audio_format_frame_bytes(f);
    return fb != 0 && len != 0 && len % fb == 0;
}

size_t audio_format_usec_to_bytes(const struct audio_format *f, uint64_t usec)
{
    size_t fb = audio_format_frame_bytes(f);
    if (fb == 0 || usec > 3600ull * 1000000ull)
        return 0;
    uint64_t frames = usec * f->rate / 1000000ull;
    return (size_t)(frames * fb);
}

uint64_t audio_format_bytes_to_usec(const struct audio_format *f, uint64_t bytes)
{
    size_t fb = audio_format_frame_bytes(f);
    if (fb == 0 || f->rate == 0)
        return 0;
    return (bytes / fb) * 1000000ull / f->rate;
}

uint32_t audio_sample_parse(const char *s)
{
    if (!strcmp(s, "s16le") || !strcmp(s, "S16LE"))
        return FEN_AUDIO_S16LE;
    if (!strcmp(s, "f32le") || !strcmp(s, "F32LE") || !strcmp(s, "float32le"))
        return FEN_AUDIO_F32LE;
    return 0;
}

const char *audio_sample_name(uint32_t sample)
{
    switch (sample) {
    case FEN_AUDIO_S16LE:
        return "s16le";
    case FEN_AUDIO_F32LE:
        return "f32le";
    default:
        return "invalid";
    }
}

const char *audio_format_describe(const struct audio_format *f, char *buf, size_t size)
{
    snprintf(buf, size, "%u Hz %s %u ch", f->rate, audio_sample_name(f->sample), f->channels);
    return buf;
}
