/* audio-agent's side of the guest PulseAudio: device setup, the monitor
 * recording sent to dom0, the microphone playback fed from dom0, and the
 * state dom0 is told about (playing or corked, recording or not). */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "audio_pulse_util.h"
#include "fenestra/clock.h"
#include "fenestra/log.h"

#define CTX_RETRY_US 1000000u
#define MIC_RING_US 500000u
/* What the feed cannot take yet waits in our ring: up to the buffer size
 * while young, cut to the slack when it persists (see audiod_pulse.c). */
#define MIC_SLACK_US 5000u
#define MIC_HOLD_MS 200u
/* An underrun counts only while a guest application records and dom0 is
 * sending: after a detach the feed runs dry on purpose.  When dom0's data
 * had already paused for MIC_FLOWING_MS at the underrun, it is held back
 * and counted if the data comes back within MIC_RESUME_MS (a stall, not an
 * end). */
#define MIC_FLOWING_MS 50u
#define MIC_RESUME_MS 1000u

static void setup_next(struct agent *a);

/* ---- recording the sink monitor (guest -> dom0) ---------------------- */

static void handle_rec_read(pa_stream *s, size_t nbytes, void *data)
{
    struct agent *a = data;
    const void *p;
    size_t n;
    audio_flow_note(&a->rec_flow, a->sink_running, "guest sink monitor data");
    pa_stream_ref(s); /* keep it alive even if a send drops the link */
    while (a->rec == s && pa_stream_readable_size(s) > 0) {
        if (pa_stream_peek(s, &p, &n) < 0 || n == 0)
            break;
        /* silence from an idle sink is not sent: dom0's stream is corked */
        if (p && a->sink_running && audio_link_is_open(a->link)) {
            const uint8_t *b = p;
            size_t left = n;
            while (left > 0) {
                size_t chunk = left > FEN_MAX_AUDIO_CHUNK_BYTES ? FEN_MAX_AUDIO_CHUNK_BYTES : left;
                if (audio_link_pending(a->link) + chunk > audio_link_queue_cap(a->link) / 2)
                    a->dropped_bytes += chunk; /* dom0 is not reading: stay fresh */
                else if (audio_link_send_pcm(a->link, FEN_MSG_AUDIO_PCM, b, (uint32_t)chunk) == 0)
                    a->sent_bytes += chunk;
                else
                    break;
                b += chunk;
                left -= chunk;
            }
        }
        if (a->rec == s)
            pa_stream_drop(s);
    }
    pa_stream_unref(s);
}

static void handle_rec_state(pa_stream *s, void *data)
{
    struct agent *a = data;
    if (pa_stream_get_state(s) == PA_STREAM_FAILED) {
        fen_log(WARN, "monitor recording failed: %s", pa_strerror(pa_context_errno(a->ctx)));
        pa_stream_set_state_callback(s, NULL, NULL);
        pa_stream_set_read_callback(s, NULL, NULL);
        pa_stream_unref(s);
        a->rec = NULL; /* the 1 s tick retries */
    }
}

static void rec_teardown(struct agent *a)
{
    if (!a->rec)
        return;
    pa_stream_set_state_callback(a->rec, NULL, NULL);
    pa_stream_set_read_callback(a->rec, NULL, NULL);
    pa_stream_disconnect(a->rec);
    pa_stream_unref(a->rec);
    a->rec = NULL;
}

void agent_rec_restart(struct agent *a)
{
    rec_teardown(a);
    audio_flow_reset(&a->rec_flow);
    if (!a->ctx_ready || !a->devices_ready)
        return;
    pa_sample_spec ss = audio_pulse_spec(&a->play_fmt);
    a->rec = pa_stream_new(a->ctx, "fenestra: to dom0", &ss, NULL);
    if (!a->rec)
        return;
    pa_stream_set_state_callback(a->rec, handle_rec_state, a);
    pa_stream_set_read_callback(a->rec, handle_rec_read, a);
    pa_buffer_attr attr = audio_pulse_record_attr(&a->play_fmt, a->cfg->fragment_us);
    if (pa_stream_connect_record(a->rec, AGENT_SINK ".monitor", &attr,
                                 PA_STREAM_ADJUST_LATENCY | PA_STREAM_DONT_MOVE |
                                     PA_STREAM_INTERPOLATE_TIMING |
                                     PA_STREAM_AUTO_TIMING_UPDATE) < 0) {
        fen_log(WARN, "cannot record %s.monitor: %s", AGENT_SINK,
                pa_strerror(pa_context_errno(a->ctx)));
        rec_teardown(a);
    }
}

uint32_t agent_rec_latency(struct agent *a)
{
    pa_usec_t usec = 0;
    int negative = 0;
    if (!a->rec || pa_stream_get_state(a->rec) != PA_STREAM_READY)
        return 0;
    /* a sink's monitor can report a negative latency (the sink renders
     * ahead): count it as 0; add what waits in our queue to dom0 */
    if (pa_stream_get_latency(a->rec, &usec, &negative) < 0 || negative)
        usec = 0;
    usec += audio_format_bytes_to_usec(&a->play_fmt, audio_link_pending(a->link));
    return usec > 10000000u ? 10000000u : (uint32_t)usec;
}

/* ---- microphone (dom0 -> guest) -------------------------------------- */

static void pump_mic(struct agent *a)
{
    if (!a->micplay || pa_stream_get_state(a->micplay) != PA_STREAM_READY || !a->mic_ring)
        return;
    size_t frame = audio_format_frame_bytes(&a->mic_fmt);
    while (audio_ring_used(a->mic_ring) > 0) {
        size_t writable = pa_stream_writable_size(a->micplay);
        if (writable == (size_t)-1 || writable < frame)
            return;
        size_t len;
        const uint8_t *p = audio_ring_peek(a->mic_ring, &len);
        if (len > writable)
            len = writable - writable % frame;
        if (pa_stream_write(a->micplay, p, len, NULL, 0, PA_SEEK_RELATIVE) < 0)
            return;
        audio_ring_consume(a->mic_ring, len);
    }
}

static void handle_mic_write(pa_stream *s, size_t nbytes, void *data)
{
    pump_mic(data);
}

static void apply_mic_buffer(struct agent *a)
{
    pa_buffer_attr attr = audio_pulse_play_attr(&a->mic_fmt, a->mic_adapt.current_us);
    audio_pulse_op_done(pa_stream_set_buffer_attr(a->micplay, &attr, NULL, NULL));
}

static void count_mic_underrun(struct agent *a, uint64_t now, const char *when)
{
    char why[160];
    a->mic_underruns++;
    fen_log(INFO, "microphone feed underrun %llu%s: %s; %zu bytes waiting here, buffer %u us",
            (unsigned long long)a->mic_underruns, when,
            audio_flow_describe(&a->mic_flow, audio_now_us(), 100000u, why, sizeof why),
            a->mic_ring ? audio_ring_used(a->mic_ring) : 0, a->mic_adapt.current_us);
    if (audio_adapt_underrun(&a->mic_adapt, now)) {
        fen_log(INFO, "microphone feed buffer raised to %u us", a->mic_adapt.current_us);
        apply_mic_buffer(a);
    }
}

static void handle_mic_underflow(pa_stream *s, void *data)
{
    struct agent *a = data;
    uint64_t now = fen_monotonic_ms();
    if (!a->recording) {
        fen_log(DEBUG, "microphone feed ran empty: nobody records");
        return;
    }
    if (now - a->mic_last_pcm_ms > MIC_FLOWING_MS) {
        a->mic_underrun_pending_ms = now; /* counted if dom0's data resumes */
        return;
    }
    count_mic_underrun(a, now, "");
    pump_mic(a); /* whatever waits here, if the server takes it now */
}

void agent_mic_tick(struct agent *a)
{
    if (a->micplay && pa_stream_get_state(a->micplay) == PA_STREAM_READY &&
        audio_adapt_tick(&a->mic_adapt, fen_monotonic_ms()))
        apply_mic_buffer(a);
}

static void mic_teardown(struct agent *a)
{
    if (!a->micplay)
        return;
    pa_stream_set_state_callback(a->micplay, NULL, NULL);
    pa_stream_set_write_callback(a->micplay, NULL, NULL);
    pa_stream_set_underflow_callback(a->micplay, NULL, NULL);
    pa_stream_disconnect(a->micplay);
    pa_stream_unref(a->micplay);
    a->micplay = NULL;
}

static void handle_mic_state(pa_stream *s, void *data)
{
    struct agent *a = data;
    if (pa_stream_get_state(s) == PA_STREAM_FAILED) {
        fen_log(WARN, "microphone feed failed: %s", pa_strerror(pa_context_errno(a->ctx)));
        mic_teardown(a); /* the 1 s tick retries */
    } else if (pa_stream_get_state(s) == PA_STREAM_READY) {
        pump_mic(a);
    }
}

void agent_mic_restart(struct agent *a)
{
    mic_teardown(a);
    if (!a->ctx_ready || !a->devices_ready || !a->have_mic_fmt)
        return;
    audio_ring_destroy(a->mic_ring);
    a->mic_ring = audio_ring_create(audio_format_usec_to_bytes(&a->mic_fmt, MIC_RING_US),
                                    audio_format_frame_bytes(&a->mic_fmt));
    if (!a->mic_ring)
        return;
    audio_flow_reset(&a->mic_flow);
    a->mic_underrun_pending_ms = 0;
    pa_sample_spec ss = audio_pulse_spec(&a->mic_fmt);
    a->micplay = pa_stream_new(a->ctx, "fenestra: microphone from dom0", &ss, NULL);
    if (!a->micplay)
        return;
    pa_stream_set_state_callback(a->micplay, handle_mic_state, a);
    pa_stream_set_write_callback(a->micplay, handle_mic_write, a);
    pa_stream_set_underflow_callback(a->micplay, handle_mic_underflow, a);
    audio_adapt_init(&a->mic_adapt, a->cfg->mic_latency_us,
                     audio_adapt_ceiling(a->cfg->mic_latency_us), AUDIO_ADAPT_STEP_US,
                     AUDIO_ADAPT_QUIET_MS, fen_monotonic_ms());
    pa_buffer_attr attr = audio_pulse_play_attr(&a->mic_fmt, a->mic_adapt.current_us);
    if (pa_stream_connect_playback(a->micplay, AGENT_MIC_SINK, &attr,
                                   PA_STREAM_EARLY_REQUESTS | PA_STREAM_DONT_MOVE |
                                       PA_STREAM_INTERPOLATE_TIMING |
                                       PA_STREAM_AUTO_TIMING_UPDATE,
                                   NULL,
                                   NULL) < 0) {
        fen_log(WARN, "cannot feed %s: %s", AGENT_MIC_SINK,
                pa_strerror(pa_context_errno(a->ctx)));
        mic_teardown(a);
    }
}

void agent_mic_pcm(struct agent *a, const uint8_t *pcm, size_t len)
{
    a->mic_bytes += len;
    a->mic_last_pcm_ms = fen_monotonic_ms();
    audio_flow_note(&a->mic_flow, true, "dom0 microphone data");
    if (a->mic_underrun_pending_ms) {
        if (a->micplay && a->recording &&
            a->mic_last_pcm_ms - a->mic_underrun_pending_ms <= MIC_RESUME_MS)
            count_mic_underrun(a, a->mic_last_pcm_ms, " (dom0's data paused)");
        a->mic_underrun_pending_ms = 0;
    }
    if (!a->mic_ring)
        return;
    audio_ring_push(a->mic_ring, pcm, len);
    pump_mic(a);
    size_t keep = audio_backlog_keep(
        &a->mic_backlog, audio_ring_used(a->mic_ring),
        audio_format_usec_to_bytes(&a->mic_fmt, MIC_SLACK_US),
        audio_format_usec_to_bytes(&a->mic_fmt, a->mic_adapt.current_us), fen_monotonic_ms(), MIC_HOLD_MS);
    audio_ring_trim(a->mic_ring, keep);
}

/* ---- what the guest is doing ----------------------------------------- */

static void handle_sink_info(pa_context *c, const pa_sink_info *i, int eol, void *data)
{
    struct agent *a = data;
    if (eol || !i)
        return;
    bool running = i->state == PA_SINK_RUNNING;
    if (running != a->sink_running) {
        a->sink_running = running;
        fen_log(DEBUG, "guest sink %s", running ? "playing" : "idle");
        agent_send_cork(a);
    }
}

static void list_source_outputs(struct agent *a);

/* Is any application recording our default source?  One listing at a time;
 * events during a listing ask for another. */
static void handle_source_outputs(pa_context *c, const pa_source_output_info *i, int eol,
                                  void *data)
{
    struct agent *a = data;
    if (!eol && i) {
        if (i->source == a->mic_monitor_index && !i->corked)
            a->so_count++;
        return;
    }
    bool recording = a->so_count > 0;
    a->so_listing = false;
    if (recording != a->recording) {
        a->recording = recording;
        fen_log(INFO, "guest application %s recording", recording ? "started" : "stopped");
        agent_send_mic_request(a);
    }
    if (a->so_relist) {
        a->so_relist = false;
        list_source_outputs(a);
    }
}

static void list_source_outputs(struct agent *a)
{
    if (a->so_listing) {
        a->so_relist = true;
        return;
    }
    a->so_count = 0;
    pa_operation *o = pa_context_get_source_output_info_list(a->ctx, handle_source_outputs, a);
    if (o) {
        a->so_listing = true;
        pa_operation_unref(o);
    }
}

static void refresh_state(struct agent *a)
{
    audio_pulse_op_done(pa_context_get_sink_info_by_index(a->ctx, a->sink_index,
                                                          handle_sink_info, a));
    list_source_outputs(a);
}

static void handle_event(pa_context *c, pa_subscription_event_type_t t, uint32_t idx, void *data)
{
    struct agent *a = data;
    unsigned facility = t & PA_SUBSCRIPTION_EVENT_FACILITY_MASK;
    if (facility == PA_SUBSCRIPTION_EVENT_SINK && idx == a->sink_index)
        audio_pulse_op_done(pa_context_get_sink_info_by_index(c, idx, handle_sink_info, a));
    else if (facility == PA_SUBSCRIPTION_EVENT_SOURCE_OUTPUT)
        list_source_outputs(a);
}

/* ---- device setup: a chain of operations, one step per completion ---- */

enum setup_step {
    STEP_SINK,           /* ensure the "fenestra" null sink exists */
    STEP_MIC_SINK,       /* ensure the "fenestra_mic" null sink exists */
    STEP_DEFAULT_SINK,
    STEP_DEFAULT_SOURCE,
    STEP_SUBSCRIBE,
    STEP_DONE,
};

static const char *step_sink_name(const struct agent *a)
{
    return a->setup_step == STEP_SINK ? AGENT_SINK : AGENT_MIC_SINK;
}

static void handle_step_done(pa_context *c, int success, void *data)
{
    struct agent *a = data;
    if (!success)
        fen_log(WARN, "setup step %d: %s", a->setup_step, pa_strerror(pa_context_errno(c)));
    a->setup_step++;
    setup_next(a);
}

static void handle_sink_lookup(pa_context *c, const pa_sink_info *i, int eol, void *data);

static void lookup_sink(struct agent *a)
{
    a->setup_found = false;
    audio_pulse_op_done(
        pa_context_get_sink_info_by_name(a->ctx, step_sink_name(a), handle_sink_lookup, a));
}

static void handle_loaded(pa_context *c, uint32_t idx, void *data)
{
    struct agent *a = data;
    if (idx == PA_INVALID_INDEX) {
        fen_log(ERROR, "cannot load a null sink %s: %s", step_sink_name(a),
                pa_strerror(pa_context_errno(c)));
        return; /* stays not ready; a PulseAudio reconnect retries */
    }
    if (a->setup_step == STEP_SINK)
        a->sink_module = idx;
    else
        a->mic_module = idx;
    lookup_sink(a); /* for its index */
}

static void load_null_sink(struct agent *a, const char *name, const char *desc,
                           const struct audio_format *f)
{
    char args[256];
    snprintf(args, sizeof args,
             "sink_name=%s sink_properties=device.description=%s rate=%u channels=%u format=%s",
             name, desc, f->rate, f->channels,
             f->sample == FEN_AUDIO_F32LE ? "float32le" : "s16le");
    audio_pulse_op_done(pa_context_load_module(a->ctx, "module-null-sink", args, handle_loaded, a));
}

static void handle_sink_lookup(pa_context *c, const pa_sink_info *i, int eol, void *data)
{
    struct agent *a = data;
    if (!eol && i) {
        a->setup_found = true;
        if (a->setup_step == STEP_SINK)
            a->sink_index = i->index;
        else
            a->mic_monitor_index = i->monitor_source;
        return;
    }
    if (a->setup_found) {
        a->setup_step++;
        setup_next(a);
        return;
    }
    uint32_t loaded = a->setup_step == STEP_SINK ? a->sink_module : a->mic_module;
    if (loaded != PA_INVALID_INDEX) {
        fen_log(ERROR, "null sink %s loaded but not found", step_sink_name(a));
        return;
    }
    /* not there (first start): create it, in the offered format */
    if (a->setup_step == STEP_SINK)
        load_null_sink(a, AGENT_SINK, "Fenestra_output", &a->cfg->offer);
    else
        load_null_sink(a, AGENT_MIC_SINK, "Fenestra_microphone", &a->cfg->offer);
}

static void setup_next(struct agent *a)
{
    if (!a->ctx_ready)
        return;
    switch (a->setup_step) {
    case STEP_SINK:
    case STEP_MIC_SINK:
        lookup_sink(a);
        break;
    case STEP_DEFAULT_SINK:
        audio_pulse_op_done(pa_context_set_default_sink(a->ctx, AGENT_SINK, handle_step_done, a));
        break;
    case STEP_DEFAULT_SOURCE:
        audio_pulse_op_done(pa_context_set_default_source(a->ctx, AGENT_MIC_SINK ".monitor",
                                                          handle_step_done, a));
        break;
    case STEP_SUBSCRIBE:
        pa_context_set_subscribe_callback(a->ctx, handle_event, a);
        audio_pulse_op_done(pa_context_subscribe(
            a->ctx, PA_SUBSCRIPTION_MASK_SINK | PA_SUBSCRIPTION_MASK_SOURCE_OUTPUT,
            handle_step_done, a));
        break;
    case STEP_DONE:
        a->devices_ready = true;
        fen_log(INFO, "guest devices ready: default sink %s, default source %s.monitor",
                AGENT_SINK, AGENT_MIC_SINK);
        agent_rec_restart(a);
        agent_mic_restart(a);
        refresh_state(a);
        break;
    default:
        break;
    }
}

/* ---- context --------------------------------------------------------- */

static void connect_context(struct agent *a);

static void handle_ctx_retry(pa_mainloop_api *api, pa_time_event *e, const struct timeval *tv,
                             void *data)
{
    api->time_restart(e, NULL);
    connect_context(data);
}

static void drop_context(struct agent *a)
{
    a->ctx_ready = false;
    a->devices_ready = false;
    a->so_listing = a->so_relist = false;
    rec_teardown(a);
    mic_teardown(a);
    if (a->ctx) {
        pa_context_set_state_callback(a->ctx, NULL, NULL);
        pa_context_set_subscribe_callback(a->ctx, NULL, NULL);
        pa_context_disconnect(a->ctx);
        pa_context_unref(a->ctx);
        a->ctx = NULL;
    }
    /* module indices are meaningless on a restarted server */
    a->sink_module = a->mic_module = PA_INVALID_INDEX;
    a->sink_index = a->mic_monitor_index = PA_INVALID_INDEX;
}

static void handle_ctx_state(pa_context *c, void *data)
{
    struct agent *a = data;
    switch (pa_context_get_state(c)) {
    case PA_CONTEXT_READY:
        fen_log(INFO, "connected to the guest PulseAudio (%s)", pa_context_get_server(c));
        a->ctx_ready = true;
        a->setup_step = STEP_SINK;
        setup_next(a);
        break;
    case PA_CONTEXT_FAILED:
    case PA_CONTEXT_TERMINATED:
        if (a->quitting) {
            a->api->quit(a->api, 0);
            return;
        }
        fen_log(WARN, "guest PulseAudio connection lost: %s; retrying",
                pa_strerror(pa_context_errno(c)));
        drop_context(a);
        audio_pulse_arm(a->api, a->ctx_retry, CTX_RETRY_US);
        break;
    default:
        break;
    }
}

static void connect_context(struct agent *a)
{
    a->ctx = pa_context_new(a->api, "fenestra audio-agent");
    if (!a->ctx) {
        audio_pulse_arm(a->api, a->ctx_retry, CTX_RETRY_US);
        return;
    }
    pa_context_set_state_callback(a->ctx, handle_ctx_state, a);
    if (pa_context_connect(a->ctx, a->cfg->pulse_server, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0) {
        fen_log(WARN, "cannot connect to the guest PulseAudio: %s; retrying",
                pa_strerror(pa_context_errno(a->ctx)));
        drop_context(a);
        audio_pulse_arm(a->api, a->ctx_retry, CTX_RETRY_US);
    }
}

void agent_pulse_start(struct agent *a)
{
    a->sink_module = a->mic_module = PA_INVALID_INDEX;
    a->sink_index = a->mic_monitor_index = PA_INVALID_INDEX;
    a->ctx_retry = a->api->time_new(a->api, NULL, handle_ctx_retry, a);
    connect_context(a);
}

static void handle_unloaded(pa_context *c, int success, void *data)
{
    struct agent *a = data;
    if (--a->pending_unloads == 0)
        a->api->quit(a->api, 0);
}

void agent_pulse_shutdown(struct agent *a)
{
    a->quitting = true;
    rec_teardown(a);
    mic_teardown(a);
    if (!a->ctx_ready) {
        a->api->quit(a->api, 0);
        return;
    }
    /* leave the guest's PulseAudio as we found it */
    uint32_t mods[2] = {a->sink_module, a->mic_module};
    for (int i = 0; i < 2; i++) {
        if (mods[i] == PA_INVALID_INDEX)
            continue;
        a->pending_unloads++;
        audio_pulse_op_done(pa_context_unload_module(a->ctx, mods[i], handle_unloaded, a));
    }
    if (a->pending_unloads == 0)
        a->api->quit(a->api, 0);
}

void agent_pulse_free(struct agent *a)
{
    drop_context(a);
    audio_ring_destroy(a->mic_ring);
    a->mic_ring = NULL;
    if (a->ctx_retry)
        a->api->time_free(a->ctx_retry);
    a->ctx_retry = NULL;
}
