/* audiod: dom0's audio daemon for one qube (private header).
 *
 * audiod_main.c   command line, main loop, signals, guest messages, control socket
 * audiod_pulse.c  dom0 PulseAudio: the qube's playback stream and the gated
 *                 microphone record stream */
#ifndef FENESTRA_AUDIOD_H
#define FENESTRA_AUDIOD_H

#include <stdbool.h>
#include <stdint.h>

#include <pulse/pulseaudio.h>

#include "audio_adapt.h"
#include "audio_flow.h"
#include "audio_format.h"
#include "audio_link.h"
#include "audio_ring.h"

struct audiod_config {
    const char *qube;
    const char *spec;
    const char *pulse_server;  /* NULL: libpulse's default (PULSE_SERVER, ...) */
    uint32_t target_latency_us; /* dom0 playback buffer */
};

struct audiod {
    const struct audiod_config *cfg;
    pa_mainloop *ml;
    pa_mainloop_api *api;
    struct audio_link *link;
    pa_time_event *tick; /* 1 s housekeeping: latency reports, stream retries */

    /* negotiated with the guest; valid while have_format */
    bool have_format;
    struct audio_format play_fmt;
    struct audio_format mic_fmt;
    bool guest_corked;
    bool guest_wants_mic;
    uint32_t guest_latency_us;

    /* dom0 PulseAudio */
    pa_context *ctx;
    bool ctx_ready;
    pa_time_event *ctx_retry;
    pa_stream *play;
    bool play_corked;   /* the PA stream is corked (after a guest CORK + drain) */
    bool play_started;  /* data was played since the last (un)cork: underflows count */
    struct audio_ring *play_ring;
    struct audio_adapt play_adapt; /* dom0 buffer: grows on underruns, shrinks when quiet */
    struct audio_backlog play_backlog;
    struct audio_flow play_flow;   /* when the guest's PCM arrived (underrun diagnosis) */
    pa_stream *mic;     /* exists only while attached and a guest application records */
    struct audio_flow mic_flow; /* when its data arrived (stall diagnosis) */

    /* microphone policy: detached until the user attaches it */
    bool mic_attached;

    /* counters (status) */
    uint64_t play_bytes;
    uint64_t underruns;
    uint64_t mic_bytes;     /* microphone bytes queued to the guest, ever */
    uint64_t mic_dropped;   /* captured but dropped because the guest stalled */
};

/* audiod_pulse.c */
void audiod_pulse_start(struct audiod *d);
void audiod_pulse_stop(struct audiod *d);
/* Create or remove streams so they match the state: playback while a format
 * is negotiated; microphone only while the user attached it AND the guest is
 * connected AND an application in the guest records. */
void audiod_streams_update(struct audiod *d);
void audiod_play_teardown(struct audiod *d);
void audiod_mic_teardown(struct audiod *d);
void audiod_play_pcm(struct audiod *d, const uint8_t *pcm, size_t len);
void audiod_play_cork(struct audiod *d, bool corked);
/* 1 s housekeeping: let the playback buffer shrink back after quiet time. */
void audiod_play_tick(struct audiod *d);
/* Current dom0 playback latency in usec (0 when unknown). */
uint32_t audiod_play_latency(struct audiod *d);

#endif
