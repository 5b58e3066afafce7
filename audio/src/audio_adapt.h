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
#include <stddef.h>
#include <stdint.h>

/* Both low-latency playback streams (audiod's into dom0, the agent's
 * microphone feed in the guest) start at AUDIO_BUFFER_DEFAULT_US, grow by
 * AUDIO_ADAPT_STEP_US per underrun up to AUDIO_BUFFER_CEILING_US (so the
 * latency a path adds stays under 30 ms) and step back down after
 * AUDIO_ADAPT_QUIET_MS without one.  A buffer configured above the ceiling
 * is kept as is. */
#define AUDIO_BUFFER_DEFAULT_US 25000u
#define AUDIO_BUFFER_CEILING_US 30000u
#define AUDIO_ADAPT_STEP_US 5000u
#define AUDIO_ADAPT_QUIET_MS 30000u

/* The ceiling for a configured buffer: AUDIO_BUFFER_CEILING_US, or the
 * configured buffer itself when that is larger. */
uint32_t audio_adapt_ceiling(uint32_t target_us);

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

/* Backlog waiting in front of a stream (bytes it has not asked for yet).
 * A short backlog is a late request from a busy server and drains by itself;
 * one that persists is pure extra latency (e.g. audio that arrived during a
 * stall, after the server played silence) and is cut back to `slack`.
 * Returns how many bytes the caller may keep now: `burst` while the backlog
 * is young, `slack` once it has stayed above slack for hold_ms. */
struct audio_backlog {
    uint64_t over_since_ms; /* 0: backlog within slack */
};
size_t audio_backlog_keep(struct audio_backlog *b, size_t used, size_t slack, size_t burst,
                          uint64_t now_ms, uint64_t hold_ms);

#endif
