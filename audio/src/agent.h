/* audio-agent: the guest side of a qube's audio (private header).
 *
 * agent_main.c   command line, main loop, messages from dom0
 * agent_pulse.c  the guest's PulseAudio: the "fenestra" null sink (default
 *                sink) whose monitor is recorded and sent to dom0, and the
 *                "fenestra_mic" null sink whose monitor is the default source,
 *                fed with dom0's microphone data (silence when none) */
#ifndef FENESTRA_AUDIO_AGENT_H
#define FENESTRA_AUDIO_AGENT_H

#include <stdbool.h>
#include <stdint.h>

#include <pulse/pulseaudio.h>

#include "audio_adapt.h"
#include "audio_flow.h"
#include "audio_format.h"
#include "audio_link.h"
#include "audio_ring.h"

#define AGENT_SINK "fenestra"
#define AGENT_MIC_SINK "fenestra_mic"

struct agent_config {
    const char *qube;
    const char *spec;
    const char *pulse_server;
    struct audio_format offer; /* playback format offered to dom0 */
    uint32_t fragment_us;      /* monitor read granularity */
    uint32_t mic_latency_us;   /* buffer of the microphone feed */
};

struct agent {
    const struct agent_config *cfg;
    pa_mainloop *ml;
    pa_mainloop_api *api;
    struct audio_link *link;
    pa_time_event *tick;
    bool quitting;

    /* agreed with dom0 */
    struct audio_format play_fmt; /* what is recorded from the sink monitor */
    bool have_mic_fmt;
    struct audio_format mic_fmt;

    /* guest PulseAudio */
    pa_context *ctx;
    bool ctx_ready;
    pa_time_event *ctx_retry;
    int setup_step;             /* devices are set up step by step */
    bool setup_found;
    uint32_t sink_module;       /* modules we loaded (PA_INVALID_INDEX: none) */
    uint32_t mic_module;
    uint32_t sink_index;
    uint32_t mic_monitor_index; /* the default source */
    bool devices_ready;
    pa_stream *rec;             /* records fenestra.monitor */
    struct audio_flow rec_flow; /* when its data arrived (stall diagnosis) */
    pa_stream *micplay;         /* plays dom0's microphone into fenestra_mic */
    struct audio_ring *mic_ring;
    struct audio_adapt mic_adapt; /* feed buffer: grows on underruns, shrinks when quiet */
    struct audio_backlog mic_backlog;
    uint64_t mic_last_pcm_ms;     /* when dom0 last sent microphone data */
    struct audio_flow mic_flow;   /* when it arrived (underrun diagnosis) */
    uint64_t mic_underrun_pending_ms; /* underrun while dom0's data paused */
    int pending_unloads;

    /* what the guest is doing */
    bool sink_running;          /* an application plays */
    bool recording;             /* an application records the default source */
    unsigned so_count;          /* source-output listing in progress */
    bool so_listing, so_relist;

    /* counters */
    uint64_t sent_bytes;
    uint64_t dropped_bytes;
    uint64_t mic_bytes;
    uint64_t mic_underruns;
};

/* agent_pulse.c */
void agent_pulse_start(struct agent *a);
/* Unload what we loaded; calls pa_mainloop quit when done. */
void agent_pulse_shutdown(struct agent *a);
void agent_pulse_free(struct agent *a);
/* (Re)create the monitor record stream in a->play_fmt. */
void agent_rec_restart(struct agent *a);
/* Create/remove the microphone playback stream to match a->have_mic_fmt. */
void agent_mic_restart(struct agent *a);
void agent_mic_pcm(struct agent *a, const uint8_t *pcm, size_t len);
uint32_t agent_rec_latency(struct agent *a);
/* 1 s housekeeping: let the feed buffer shrink back after quiet time. */
void agent_mic_tick(struct agent *a);

/* agent_main.c: state changes to tell dom0 about */
void agent_send_cork(struct agent *a);
void agent_send_mic_request(struct agent *a);

#endif
