/* Arrival times of PCM (see audio_flow.h). */
#include "audio_flow.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t audio_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void audio_flow_reset(struct audio_flow *f)
{
    memset(f, 0, sizeof *f);
}

uint64_t audio_flow_arrival(struct audio_flow *f, uint64_t now_us)
{
    uint64_t gap = f->arrivals && now_us > f->last_us ? now_us - f->last_us : 0;
    if (f->arrivals == 0)
        f->start_us = now_us;
    f->at_us[f->arrivals % AUDIO_FLOW_HISTORY] = now_us;
    f->arrivals++;
    f->last_us = now_us;
    return gap;
}

uint64_t audio_flow_max_gap(const struct audio_flow *f, uint64_t now_us, uint64_t window_us)
{
    if (f->arrivals == 0)
        return 0;
    uint64_t best = now_us > f->last_us ? now_us - f->last_us : 0;
    uint64_t n = f->arrivals < AUDIO_FLOW_HISTORY ? f->arrivals : AUDIO_FLOW_HISTORY;
    /* walk back from the newest: gap i ends at arrival i */
    for (uint64_t k = 1; k < n; k++) {
        uint64_t end = f->at_us[(f->arrivals - k) % AUDIO_FLOW_HISTORY];
        uint64_t begin = f->at_us[(f->arrivals - k - 1) % AUDIO_FLOW_HISTORY];
        if (now_us > end && now_us - end > window_us)
            break;
        if (end > begin && end - begin > best)
            best = end - begin;
    }
    return best;
}

const char *audio_flow_describe(const struct audio_flow *f, uint64_t now_us, uint64_t window_us,
                                char *out, size_t size)
{
    if (f->arrivals == 0) {
        snprintf(out, size, "no data received yet");
        return out;
    }
    uint64_t since = now_us > f->start_us ? now_us - f->start_us : 0;
    uint64_t idle = now_us > f->last_us ? now_us - f->last_us : 0;
    snprintf(out, size,
             "%" PRIu64 ".%03" PRIu64 " s after the first data, last data %" PRIu64
             ".%01" PRIu64 " ms ago, longest pause in the last %" PRIu64 " ms: %" PRIu64
             ".%01" PRIu64 " ms",
             since / 1000000u, since / 1000u % 1000u, idle / 1000u, idle / 100u % 10u,
             window_us / 1000u, audio_flow_max_gap(f, now_us, window_us) / 1000u,
             audio_flow_max_gap(f, now_us, window_us) / 100u % 10u);
    return out;
}
