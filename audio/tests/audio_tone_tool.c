/* audio-tone: test helper around audio_tone.c.
 *
 *   audio-tone gen FREQ SECONDS [RATE CHANNELS]      S16LE tone on stdout
 *   audio-tone chirp MS PERIOD_MS SECONDS [RATE CH]  chirps every PERIOD_MS
 *   audio-tone analyze FREQ [RATE CHANNELS]          S16LE on stdin: checks the
 *       dominant frequency is FREQ +-2 % and >= 95 % of 10 ms blocks are
 *       non-silent (after trimming leading/trailing silence); exit 0 when so
 *   audio-tone gaps [RATE CHANNELS]                  S16LE on stdin: between the
 *       first and the last loud sample, count the silent 10 ms blocks
 *       (dropouts); prints "seconds=S silent_blocks=N"
 *   audio-tone silent [RATE CHANNELS]                S16LE on stdin: exit 0 when
 *       every sample is (near) zero and at least 0.1 s arrived
 * Every mode prints what it measured on stdout. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_tone.h"

static int16_t to_s16(float v)
{
    double s = v * 32767.0;
    if (s > 32767)
        s = 32767;
    if (s < -32768)
        s = -32768;
    return (int16_t)lrint(s);
}

static int write_mono(const float *x, size_t n, unsigned ch)
{
    int16_t frame[2];
    for (size_t i = 0; i < n; i++) {
        for (unsigned c = 0; c < ch; c++)
            frame[c] = to_s16(x[i]);
        if (fwrite(frame, sizeof(int16_t), ch, stdout) != ch)
            return 1;
    }
    return 0;
}

/* Read all of stdin as S16LE frames -> mono floats. */
static float *read_mono(unsigned ch, size_t *frames)
{
    size_t cap = 1 << 20, len = 0;
    int16_t *raw = malloc(cap * sizeof *raw);
    if (!raw)
        return NULL;
    size_t n;
    while ((n = fread(raw + len, sizeof *raw, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) {
            int16_t *bigger = realloc(raw, 2 * cap * sizeof *raw);
            if (!bigger) {
                free(raw);
                return NULL;
            }
            raw = bigger;
            cap *= 2;
        }
    }
    *frames = len / ch;
    float *x = malloc((*frames + 1) * sizeof *x);
    if (x)
        tone_s16_to_mono(raw, *frames, ch, x);
    free(raw);
    return x;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: see the comment at the top of audio_tone_tool.c\n");
        return 2;
    }
    const char *mode = argv[1];
    if (!strcmp(mode, "gen") && argc >= 4) {
        double freq = atof(argv[2]), secs = atof(argv[3]);
        double rate = argc > 4 ? atof(argv[4]) : 48000;
        unsigned ch = argc > 5 ? (unsigned)atoi(argv[5]) : 2;
        if (ch < 1 || ch > 2 || secs <= 0 || secs > 600)
            return 2;
        size_t n = (size_t)(secs * rate);
        float *x = malloc(n * sizeof *x);
        if (!x)
            return 1;
        tone_sine(x, n, freq, rate, 0.5, 0);
        int rc = write_mono(x, n, ch);
        free(x);
        return rc;
    }
    if (!strcmp(mode, "chirp") && argc >= 5) {
        double ms = atof(argv[2]), period = atof(argv[3]), secs = atof(argv[4]);
        double rate = argc > 5 ? atof(argv[5]) : 48000;
        unsigned ch = argc > 6 ? (unsigned)atoi(argv[6]) : 2;
        if (ch < 1 || ch > 2 || ms <= 0 || period < ms || secs <= 0 || secs > 600)
            return 2;
        size_t n = (size_t)(secs * rate), m = (size_t)(ms * rate / 1000);
        size_t p = (size_t)(period * rate / 1000);
        float *x = calloc(n, sizeof *x), *c = malloc(m * sizeof *c);
        if (!x || !c)
            return 1;
        tone_chirp(c, m, 500, 6000, rate, 0.7);
        for (size_t at = 0; at + m <= n; at += p)
            memcpy(x + at, c, m * sizeof *c);
        int rc = write_mono(x, n, ch);
        free(x);
        free(c);
        return rc;
    }
    if (!strcmp(mode, "analyze") && argc >= 3) {
        double expect = atof(argv[2]);
        double rate = argc > 3 ? atof(argv[3]) : 48000;
        unsigned ch = argc > 4 ? (unsigned)atoi(argv[4]) : 2;
        if (ch < 1 || ch > 2)
            return 2;
        size_t n;
        float *x = read_mono(ch, &n);
        if (!x)
            return 1;
        /* the recording starts before and ends after the tone: trim silence */
        size_t first = 0, last = n;
        while (first < n && fabsf(x[first]) < 0.01f)
            first++;
        while (last > first && fabsf(x[last - 1]) < 0.01f)
            last--;
        size_t len = last - first;
        double freq = tone_estimate_frequency(x + first, len, rate);
        double ratio = tone_nonsilent_ratio(x + first, len, (size_t)(rate / 100), 0.02);
        double peak = tone_peak(x + first, len);
        double power = tone_goertzel(x + first, len, expect, rate);
        printf("frames=%zu tone_frames=%zu freq=%.2f nonsilent=%.4f peak=%.3f power=%.4f\n", n,
               len, freq, ratio, peak, power);
        free(x);
        bool good = len >= (size_t)(rate / 2) && fabs(freq - expect) <= 0.02 * expect &&
                    ratio >= 0.95;
        return good ? 0 : 1;
    }
    if (!strcmp(mode, "gaps")) {
        double rate = argc > 2 ? atof(argv[2]) : 48000;
        unsigned ch = argc > 3 ? (unsigned)atoi(argv[3]) : 2;
        if (ch < 1 || ch > 2)
            return 2;
        size_t n;
        float *x = read_mono(ch, &n);
        if (!x)
            return 1;
        size_t first = 0, last = n, block = (size_t)(rate / 100);
        while (first < n && fabsf(x[first]) < 0.01f)
            first++;
        while (last > first && fabsf(x[last - 1]) < 0.01f)
            last--;
        size_t len = last - first;
        double ratio = tone_nonsilent_ratio(x + first, len, block, 0.02);
        size_t blocks = block ? len / block : 0;
        printf("seconds=%.1f silent_blocks=%.0f\n", (double)len / rate,
               (double)blocks * (1.0 - ratio));
        free(x);
        return 0;
    }
    if (!strcmp(mode, "silent")) {
        double rate = argc > 2 ? atof(argv[2]) : 48000;
        unsigned ch = argc > 3 ? (unsigned)atoi(argv[3]) : 2;
        if (ch < 1 || ch > 2)
            return 2;
        size_t n;
        float *x = read_mono(ch, &n);
        if (!x)
            return 1;
        double peak = tone_peak(x, n);
        printf("frames=%zu peak=%.5f\n", n, peak);
        free(x);
        return n >= (size_t)(rate / 10) && peak < 1e-3 ? 0 : 1;
    }
    fprintf(stderr, "audio-tone: bad arguments\n");
    return 2;
}
