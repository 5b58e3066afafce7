/* When PCM arrives (pure, no I/O): enough to tell, at an underrun, whether
 * the data came late (the sender, or a server in front of it, stalled) or
 * arrived in time and the server playing it did not take it in time.
 *
 * audio_flow_arrival() on every chunk received; audio_flow_describe() when
 * the stream underruns. */
#ifndef FENESTRA_AUDIO_FLOW_H
#define FENESTRA_AUDIO_FLOW_H

#include <stddef.h>
#include <stdint.h>

#define AUDIO_FLOW_HISTORY 32

struct audio_flow {
    uint64_t start_us;        /* first arrival since the last reset (0: none yet) */
    uint64_t last_us;         /* last arrival */
    uint64_t arrivals;
    uint64_t at_us[AUDIO_FLOW_HISTORY]; /* recent arrivals, a ring */
};

/* CLOCK_MONOTONIC in microseconds. */
uint64_t audio_now_us(void);

/* Forget everything (a new stream, an uncork). */
void audio_flow_reset(struct audio_flow *f);
/* Returns the pause since the previous arrival (0 for the first). */
uint64_t audio_flow_arrival(struct audio_flow *f, uint64_t now_us);

/* The longest pause between arrivals (including the one still running at
 * now_us) among those that ended within window_us before now_us. */
uint64_t audio_flow_max_gap(const struct audio_flow *f, uint64_t now_us, uint64_t window_us);

/* One line for the log: time since the first arrival, the pause still
 * running, the longest pause in the last window_us.  Returns out. */
const char *audio_flow_describe(const struct audio_flow *f, uint64_t now_us, uint64_t window_us,
                                char *out, size_t size);

#endif
