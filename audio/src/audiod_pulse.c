/* audiod's side of dom0 PulseAudio: one playback stream named after the
 * qube, and a microphone record stream that exists only while the user has
 * attached the microphone to this qube. */
#include <stdio.h>
#include <string.h>

#include "audio_pulse_util.h"
#include "audiod.h"
#include "fenestra/clock.h"
#include "fenestra/log.h"

#define MIC_FRAGMENT_US 5000u
#define CTX_RETRY_US 1000000u
/* Audio waits in our ring while dom0's PulseAudio does not ask for more:
 * its requests are late (a busy server: drains by itself) or its buffer is
 * full (audio that arrived during a stall, a guest clock running fast:
 * persists).  Up to the buffer size is kept while young, so a late request
 * is not a dropout; a backlog above 5 ms that persists for 200 ms is cut,
 * oldest first, so the latency returns to the buffer's. */
#define PLAY_RING_US 500000u
#define PLAY_SLACK_US 5000u
#define PLAY_HOLD_MS 200u

static void apply_buffer(struct audiod *d)
{
    if (!d->play || pa_stream_get_state(d->play) != PA_STREAM_READY)
        return;
    pa_buffer_attr attr = audio_pulse_play_attr(&d->play_fmt, d->play_adapt.current_us);
    audio_pulse_op_done(pa_stream_set_buffer_attr(d->play, &attr, NULL, NULL));
}

static void set_qube_props(pa_proplist *pl, const char *qube, const char *what)
{
    pa_proplist_setf(pl, PA_PROP_APPLICATION_NAME, "[%s]", qube);
    pa_proplist_setf(pl, PA_PROP_MEDIA_NAME, "[%s]%s", qube, what);
    pa_proplist_setf(pl, PA_PROP_APPLICATION_ID, "org.fenestra.qube.%s", qube);
    pa_proplist_sets(pl, PA_PROP_APPLICATION_ICON_NAME, "audio-card");
    pa_proplist_sets(pl, "fenestra.qube", qube);
}

/* ---- playback -------------------------------------------------------- */

static void pump_play(struct audiod *d)
{
    if (!d->play || pa_stream_get_state(d->play) != PA_STREAM_READY || !d->play_ring)
        return;
    size_t frame = audio_format_frame_bytes(&d->play_fmt);
    while (audio_ring_used(d->play_ring) > 0) {
        size_t writable = pa_stream_writable_size(d->play);
        if (writable == (size_t)-1 || writable < frame)
            return;
        size_t len;
        const uint8_t *p = audio_ring_peek(d->play_ring, &len);
        if (len > writable)
            len = writable - writable % frame;
        if (pa_stream_write(d->play, p, len, NULL, 0, PA_SEEK_RELATIVE) < 0) {
            fen_log(WARN, "playback write: %s", pa_strerror(pa_context_errno(d->ctx)));
            return;
        }
        audio_ring_consume(d->play_ring, len);
        d->play_bytes += len;
        d->play_started = true;
    }
}

static void handle_play_write(pa_stream *s, size_t nbytes, void *data)
{
    pump_play(data);
}

static void handle_play_underflow(pa_stream *s, void *data)
{
    struct audiod *d = data;
    /* an empty buffer while the guest says it is playing is an underrun;
     * after a CORK (stream end) it is expected */
    char why[160];
    if (!d->guest_corked && d->play_started) {
        d->underruns++;
        fen_log(INFO, "playback underrun %llu: %s; %zu bytes waiting here, buffer %u us",
                (unsigned long long)d->underruns,
                audio_flow_describe(&d->play_flow, audio_now_us(), 100000u, why, sizeof why),
                d->play_ring ? audio_ring_used(d->play_ring) : 0, d->play_adapt.current_us);
        if (audio_adapt_underrun(&d->play_adapt, fen_monotonic_ms())) {
            fen_log(INFO, "playback buffer raised to %u us", d->play_adapt.current_us);
            apply_buffer(d);
        }
    } else {
        fen_log(DEBUG, "playback buffer ran empty while %s",
                d->guest_corked ? "the guest is corked" : "not started");
    }
    pump_play(d); /* whatever waits here, if the server takes it now */
}

static void handle_play_state(pa_stream *s, void *data)
{
    struct audiod *d = data;
    switch (pa_stream_get_state(s)) {
    case PA_STREAM_READY: {
        const pa_buffer_attr *a = pa_stream_get_buffer_attr(s);
        fen_log(INFO, "playback stream ready on sink %s (tlength %u prebuf %u minreq %u bytes)",
                pa_stream_get_device_name(s), a ? a->tlength : 0, a ? a->prebuf : 0,
                a ? a->minreq : 0);
        pump_play(d);
        break;
    }
    case PA_STREAM_FAILED:
        fen_log(WARN, "playback stream failed: %s", pa_strerror(pa_context_errno(d->ctx)));
        audiod_play_teardown(d); /* the 1 s tick recreates it */
        break;
    default:
        break;
    }
}

void audiod_play_teardown(struct audiod *d)
{
    if (d->play) {
        pa_stream_set_state_callback(d->play, NULL, NULL);
        pa_stream_set_write_callback(d->play, NULL, NULL);
        pa_stream_set_underflow_callback(d->play, NULL, NULL);
        pa_stream_disconnect(d->play);
        pa_stream_unref(d->play);
        d->play = NULL;
    }
    d->play_corked = false;
    d->play_started = false;
    audio_flow_reset(&d->play_flow);
}

static void play_setup(struct audiod *d)
{
    char desc[64];
    size_t frame = audio_format_frame_bytes(&d->play_fmt);
    audio_ring_destroy(d->play_ring);
    d->play_ring =
        audio_ring_create(audio_format_usec_to_bytes(&d->play_fmt, PLAY_RING_US), frame);
    if (!d->play_ring) {
        fen_log(ERROR, "out of memory for the playback buffer");
        return;
    }
    pa_sample_spec ss = audio_pulse_spec(&d->play_fmt);
    pa_proplist *pl = pa_proplist_new();
    set_qube_props(pl, d->cfg->qube, "");
    pa_proplist_sets(pl, PA_PROP_MEDIA_ROLE, "music");
    char name[64];
    snprintf(name, sizeof name, "[%s]", d->cfg->qube);
    d->play = pa_stream_new_with_proplist(d->ctx, name, &ss, NULL, pl);
    pa_proplist_free(pl);
    if (!d->play) {
        fen_log(WARN, "cannot create playback stream: %s", pa_strerror(pa_context_errno(d->ctx)));
        return;
    }
    pa_stream_set_state_callback(d->play, handle_play_state, d);
    pa_stream_set_write_callback(d->play, handle_play_write, d);
    pa_stream_set_underflow_callback(d->play, handle_play_underflow, d);
    audio_adapt_init(&d->play_adapt, d->cfg->target_latency_us,
                     audio_adapt_ceiling(d->cfg->target_latency_us), AUDIO_ADAPT_STEP_US,
                     AUDIO_ADAPT_QUIET_MS, fen_monotonic_ms());
    pa_buffer_attr attr = audio_pulse_play_attr(&d->play_fmt, d->play_adapt.current_us);
    /* early requests: dom0's sink runs with a short block (minreq) and our
     * whole tlength absorbs the guest's jitter; with ADJUST_LATENCY PulseAudio
     * would give half of it to the sink's block and underrun far more often
     * (measured: docs/audio.md) */
    pa_stream_flags_t flags = PA_STREAM_EARLY_REQUESTS | PA_STREAM_INTERPOLATE_TIMING |
                              PA_STREAM_AUTO_TIMING_UPDATE;
    if (pa_stream_connect_playback(d->play, NULL, &attr, flags, NULL, NULL) < 0) {
        fen_log(WARN, "cannot connect playback stream: %s",
                pa_strerror(pa_context_errno(d->ctx)));
        audiod_play_teardown(d);
        return;
    }
    fen_log(INFO, "playback stream %s: %s, target latency %u us", name,
            audio_format_describe(&d->play_fmt, desc, sizeof desc), d->cfg->target_latency_us);
}

void audiod_play_pcm(struct audiod *d, const uint8_t *pcm, size_t len)
{
    if (!d->play_ring)
        return;
    if (d->play && d->play_corked) {
        audio_pulse_op_done(pa_stream_cork(d->play, 0, NULL, NULL));
        d->play_corked = false;
    }
    audio_flow_note(&d->play_flow, true, "guest PCM");
    audio_ring_push(d->play_ring, pcm, len);
    pump_play(d);
    size_t keep = audio_backlog_keep(
        &d->play_backlog, audio_ring_used(d->play_ring),
        audio_format_usec_to_bytes(&d->play_fmt, PLAY_SLACK_US),
        audio_format_usec_to_bytes(&d->play_fmt, d->play_adapt.current_us), fen_monotonic_ms(), PLAY_HOLD_MS);
    audio_ring_trim(d->play_ring, keep);
}

static void handle_drained(pa_stream *s, int success, void *data)
{
    struct audiod *d = data;
    if (s != d->play || !d->guest_corked || d->play_corked)
        return;
    audio_pulse_op_done(pa_stream_cork(s, 1, NULL, NULL));
    d->play_corked = true;
    d->play_started = false;
    audio_flow_reset(&d->play_flow);
}

void audiod_play_cork(struct audiod *d, bool corked)
{
    d->guest_corked = corked;
    if (!d->play || pa_stream_get_state(d->play) != PA_STREAM_READY)
        return;
    if (corked) {
        /* let what is buffered play out, then cork (handle_drained) */
        audio_pulse_op_done(pa_stream_drain(d->play, handle_drained, d));
    } else if (d->play_corked) {
        audio_pulse_op_done(pa_stream_cork(d->play, 0, NULL, NULL));
        d->play_corked = false;
    }
}

void audiod_play_tick(struct audiod *d)
{
    if (d->play && audio_adapt_tick(&d->play_adapt, fen_monotonic_ms())) {
        fen_log(INFO, "no underrun for a while: buffer back to %u us", d->play_adapt.current_us);
        apply_buffer(d);
    }
}

uint32_t audiod_play_latency(struct audiod *d)
{
    pa_usec_t usec = 0;
    int negative = 0;
    if (!d->play || pa_stream_get_state(d->play) != PA_STREAM_READY)
        return 0;
    if (pa_stream_get_latency(d->play, &usec, &negative) < 0 || negative)
        return 0;
    usec += audio_format_bytes_to_usec(&d->play_fmt, d->play_ring ? audio_ring_used(d->play_ring) : 0);
    return usec > 10000000u ? 10000000u : (uint32_t)usec;
}

/* ---- microphone ------------------------------------------------------ */

/* Send one captured fragment to the guest; false when the link went down
 * (which tears this stream down: the caller stops). */
static bool send_mic(struct audiod *d, const uint8_t *b, size_t left)
{
    while (left > 0) {
        size_t chunk = left > FEN_MAX_AUDIO_CHUNK_BYTES ? FEN_MAX_AUDIO_CHUNK_BYTES : left;
        /* a stalled guest loses microphone audio, never dom0's memory */
        if (audio_link_pending(d->link) + chunk > audio_link_queue_cap(d->link) / 2)
            d->mic_dropped += chunk;
        else if (audio_link_send_pcm(d->link, FEN_MSG_AUDIO_MIC_PCM, b, (uint32_t)chunk) == 0)
            d->mic_bytes += chunk;
        else
            return false;
        b += chunk;
        left -= chunk;
    }
    return true;
}

static void handle_mic_read(pa_stream *s, size_t nbytes, void *data)
{
    struct audiod *d = data;
    const void *p;
    size_t n;
    audio_flow_note(&d->mic_flow, true, "dom0 source data");
    /* sending can drop the link, which tears this stream down: keep it
     * alive until we return */
    pa_stream_ref(s);
    while (d->mic == s && pa_stream_readable_size(s) > 0) {
        if (pa_stream_peek(s, &p, &n) < 0 || n == 0)
            break;
        /* p == NULL is a hole: nothing to send */
        bool up = true;
        if (p && d->mic_attached && d->link && audio_link_is_open(d->link))
            up = send_mic(d, p, n);
        if (d->mic == s)
            pa_stream_drop(s);
        if (!up)
            break;
    }
    pa_stream_unref(s);
}

static void handle_mic_state(pa_stream *s, void *data)
{
    struct audiod *d = data;
    switch (pa_stream_get_state(s)) {
    case PA_STREAM_READY:
        fen_log(INFO, "microphone recording from source %s", pa_stream_get_device_name(s));
        break;
    case PA_STREAM_FAILED:
        fen_log(WARN, "microphone stream failed: %s", pa_strerror(pa_context_errno(d->ctx)));
        audiod_mic_teardown(d);
        break;
    default:
        break;
    }
}

void audiod_mic_teardown(struct audiod *d)
{
    if (!d->mic)
        return;
    pa_stream_set_state_callback(d->mic, NULL, NULL);
    pa_stream_set_read_callback(d->mic, NULL, NULL);
    pa_stream_disconnect(d->mic);
    pa_stream_unref(d->mic);
    d->mic = NULL;
    fen_log(INFO, "microphone stream closed");
}

static void mic_setup(struct audiod *d)
{
    audio_flow_reset(&d->mic_flow);
    pa_sample_spec ss = audio_pulse_spec(&d->mic_fmt);
    pa_proplist *pl = pa_proplist_new();
    set_qube_props(pl, d->cfg->qube, " microphone");
    char name[64];
    snprintf(name, sizeof name, "[%s] microphone", d->cfg->qube);
    d->mic = pa_stream_new_with_proplist(d->ctx, name, &ss, NULL, pl);
    pa_proplist_free(pl);
    if (!d->mic) {
        fen_log(WARN, "cannot create microphone stream: %s",
                pa_strerror(pa_context_errno(d->ctx)));
        return;
    }
    pa_stream_set_state_callback(d->mic, handle_mic_state, d);
    pa_stream_set_read_callback(d->mic, handle_mic_read, d);
    pa_buffer_attr attr = audio_pulse_record_attr(&d->mic_fmt, MIC_FRAGMENT_US);
    if (pa_stream_connect_record(d->mic, NULL, &attr, PA_STREAM_ADJUST_LATENCY) < 0) {
        fen_log(WARN, "cannot connect microphone stream: %s",
                pa_strerror(pa_context_errno(d->ctx)));
        audiod_mic_teardown(d);
    }
}

/* ---- context --------------------------------------------------------- */

void audiod_streams_update(struct audiod *d)
{
    bool link_open = d->link && audio_link_is_open(d->link);
    bool want_play = d->ctx_ready && link_open && d->have_format;
    /* the microphone policy: the user attached it AND an application in the
     * guest records; either one missing, no record stream exists at all */
    bool want_mic = want_play && d->mic_attached && d->guest_wants_mic;
    if (!want_mic)
        audiod_mic_teardown(d);
    if (!want_play)
        audiod_play_teardown(d);
    if (want_play && !d->play)
        play_setup(d);
    if (want_mic && !d->mic)
        mic_setup(d);
}

static void connect_context(struct audiod *d);

static void handle_ctx_retry(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv,
                             void *data)
{
    a->time_restart(e, NULL);
    connect_context(data);
}

static void handle_ctx_state(pa_context *c, void *data)
{
    struct audiod *d = data;
    switch (pa_context_get_state(c)) {
    case PA_CONTEXT_READY:
        fen_log(INFO, "connected to dom0 PulseAudio (%s)", pa_context_get_server(c));
        d->ctx_ready = true;
        audiod_streams_update(d);
        break;
    case PA_CONTEXT_FAILED:
    case PA_CONTEXT_TERMINATED:
        fen_log(WARN, "dom0 PulseAudio connection lost: %s; retrying",
                pa_strerror(pa_context_errno(c)));
        d->ctx_ready = false;
        audiod_mic_teardown(d);
        audiod_play_teardown(d);
        pa_context_set_state_callback(c, NULL, NULL);
        pa_context_unref(c);
        d->ctx = NULL;
        audio_pulse_arm(d->api, d->ctx_retry, CTX_RETRY_US);
        break;
    default:
        break;
    }
}

static void connect_context(struct audiod *d)
{
    pa_proplist *pl = pa_proplist_new();
    set_qube_props(pl, d->cfg->qube, "");
    d->ctx = pa_context_new_with_proplist(d->api, NULL, pl);
    pa_proplist_free(pl);
    if (!d->ctx) {
        audio_pulse_arm(d->api, d->ctx_retry, CTX_RETRY_US);
        return;
    }
    pa_context_set_state_callback(d->ctx, handle_ctx_state, d);
    if (pa_context_connect(d->ctx, d->cfg->pulse_server, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0) {
        fen_log(WARN, "cannot connect to dom0 PulseAudio: %s; retrying",
                pa_strerror(pa_context_errno(d->ctx)));
        pa_context_set_state_callback(d->ctx, NULL, NULL);
        pa_context_unref(d->ctx);
        d->ctx = NULL;
        audio_pulse_arm(d->api, d->ctx_retry, CTX_RETRY_US);
    }
}

void audiod_pulse_start(struct audiod *d)
{
    d->ctx_retry = d->api->time_new(d->api, NULL, handle_ctx_retry, d);
    connect_context(d);
}

void audiod_pulse_stop(struct audiod *d)
{
    audiod_mic_teardown(d);
    audiod_play_teardown(d);
    audio_ring_destroy(d->play_ring);
    d->play_ring = NULL;
    if (d->ctx) {
        pa_context_set_state_callback(d->ctx, NULL, NULL);
        pa_context_disconnect(d->ctx);
        pa_context_unref(d->ctx);
        d->ctx = NULL;
    }
    if (d->ctx_retry)
        d->api->time_free(d->ctx_retry);
    d->ctx_retry = NULL;
}
