/* Adaptive buffer size for a playback stream (pure, no I/O).
 *
 * A stream starts at its target latency.  Each underrun while it plays
 * raises the buffer one step (up to a ceiling): on a machine that cannot
 * wake us every few milliseconds a slightly longer buffer beats dropouts.
 * After a quiet period without underruns it steps back down towards the
 * target, so a passing load spike does not cost latency forever.  The same
 * idea as PulseAudio's own watermark for ALSA sinks. */
#ifndef FENESTRA_AUDIO_ADAPT_H
#define FENESTRA_AUDIO_ADAPT_H

#include <stdbool.h>
#include <stdint.h>

struct audio_adapt {
    uint32_t target_us;  /* the configured (lowest) buffer */
    uint32_t ceiling_us; /* never above */
    uint32_t step_us;
    uint64_t quiet_ms;   /* underrun-free time before stepping down */
    uint32_t current_us;
    uint64_t last_change_ms;
    uint64_t underruns;
};

/* ceiling below target is raised to target; step 0 disables adapting. */
void audio_adapt_init(struct audio_adapt *a, uint32_t target_us, uint32_t ceiling_us,
                      uint32_t step_us, uint64_t quiet_ms, uint64_t now_ms);

/* An underrun at now_ms; true when current_us changed (apply it). */
bool audio_adapt_underrun(struct audio_adapt *a, uint64_t now_ms);

/* Periodic check; true when current_us stepped down (apply it). */
bool audio_adapt_tick(struct audio_adapt *a, uint64_t now_ms);

#endif
