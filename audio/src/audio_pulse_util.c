/* Small libpulse helpers shared by audiod and audio-agent. */
#include "audio_pulse_util.h"

#include "fenestra/log.h"

pa_sample_spec audio_pulse_spec(const struct audio_format *f)
{
    pa_sample_spec ss = {
        .format = f->sample == FEN_AUDIO_F32LE ? PA_SAMPLE_FLOAT32LE : PA_SAMPLE_S16LE,
        .rate = f->rate,
        .channels = (uint8_t)f->channels,
    };
    return ss;
}

pa_buffer_attr audio_pulse_play_attr(const struct audio_format *f, uint32_t usec)
{
    uint32_t tlength = (uint32_t)audio_format_usec_to_bytes(f, usec);
    uint32_t minreq = (uint32_t)audio_format_usec_to_bytes(f, 2000); /* = sink block (early requests) */
    uint32_t frame = (uint32_t)audio_format_frame_bytes(f);
    /* Our data arrives in real time, so the stream holds, for as long as it
     * plays, about what it held when it started: prebuf IS the cushion
     * against a late delivery.  Start (and restart after an underrun) only
     * once the buffer is full but for one request. */
    uint32_t prebuf = tlength > minreq + frame ? tlength - minreq : frame;
    pa_buffer_attr a = {
        .maxlength = (uint32_t)-1,
        .tlength = tlength,
        .prebuf = prebuf,
        .minreq = minreq,
        .fragsize = (uint32_t)-1,
    };
    return a;
}

pa_buffer_attr audio_pulse_record_attr(const struct audio_format *f, uint32_t usec)
{
    pa_buffer_attr a = {
        .maxlength = (uint32_t)-1,
        .tlength = (uint32_t)-1,
        .prebuf = (uint32_t)-1,
        .minreq = (uint32_t)-1,
        .fragsize = (uint32_t)audio_format_usec_to_bytes(f, usec),
    };
    return a;
}

void audio_pulse_arm(pa_mainloop_api *api, pa_time_event *e, pa_usec_t usec)
{
    struct timeval tv;
    pa_timeval_add(pa_gettimeofday(&tv), usec);
    api->time_restart(e, &tv);
}

void audio_pulse_op_done(pa_operation *o)
{
    if (o)
        pa_operation_unref(o);
}

void audio_flow_note(struct audio_flow *f, bool trace, const char *what)
{
    uint64_t gap = audio_flow_arrival(f, audio_now_us());
    if (trace && gap > AUDIO_TRACE_GAP_US)
        fen_log(DEBUG, "%s after a %llu us pause", what, (unsigned long long)gap);
}
