/* Scheduling priority for the audio daemons. */
#ifndef FENESTRA_AUDIO_PRIORITY_H
#define FENESTRA_AUDIO_PRIORITY_H

/* Audio must be woken on time even when the CPUs are busy (a 20 ms buffer
 * does not survive a 30 ms scheduling delay).  Like PulseAudio's own
 * threads, ask for SCHED_RR at a low real-time priority; where that is not
 * permitted, fall back to nice -11; where that fails too, run as we are.
 * Logs what it got.  Returns 2 (real-time), 1 (niced) or 0. */
int audio_priority_raise(void);

#endif
