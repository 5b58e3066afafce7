/* Small libpulse helpers shared by audiod and audio-agent. */
#ifndef FENESTRA_AUDIO_PULSE_UTIL_H
#define FENESTRA_AUDIO_PULSE_UTIL_H

#include <pulse/pulseaudio.h>
#include <stdbool.h>

#include "audio_flow.h"
#include "audio_format.h"

pa_sample_spec audio_pulse_spec(const struct audio_format *f);

/* Buffer attributes for a low-latency stream of `f`: playback target
 * latency / record fragment of `usec`. */
pa_buffer_attr audio_pulse_play_attr(const struct audio_format *f, uint32_t usec);
pa_buffer_attr audio_pulse_record_attr(const struct audio_format *f, uint32_t usec);

/* Arm (usec from now) or disarm (usec == 0 means now) a time event. */
void audio_pulse_arm(pa_mainloop_api *api, pa_time_event *e, pa_usec_t usec);

/* pa_operation_unref that accepts NULL. */
void audio_pulse_op_done(pa_operation *o);

/* Note one arrival of data on a stream (audio_flow_arrival, now); when
 * `trace`, a pause before it longer than AUDIO_TRACE_GAP_US is logged at
 * debug level as "WHAT after a N us pause": with the other side's pauses
 * they show where a stall was. */
#define AUDIO_TRACE_GAP_US 10000u
void audio_flow_note(struct audio_flow *f, bool trace, const char *what);

#endif
