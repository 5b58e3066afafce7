/* Adaptive buffer size (see audio_adapt.h). */
#include "audio_adapt.h"

uint32_t audio_adapt_ceiling(uint32_t target_us)
{
    return target_us > AUDIO_BUFFER_CEILING_US ? target_us : AUDIO_BUFFER_CEILING_US;
}

void audio_adapt_init(struct audio_adapt *a, uint32_t target_us, uint32_t ceiling_us,
                      uint32_t step_us, uint64_t quiet_ms, uint64_t now_ms)
{
    a->target_us = target_us;
    a->ceiling_us = ceiling_us < target_us ? target_us : ceiling_us;
    a->step_us = step_us;
    a->quiet_ms = quiet_ms;
    a->current_us = target_us;
    a->last_change_ms = now_ms;
    a->underruns = 0;
}

bool audio_adapt_underrun(struct audio_adapt *a, uint64_t now_ms)
{
    a->underruns++;
    a->last_change_ms = now_ms;
    if (a->step_us == 0 || a->current_us >= a->ceiling_us)
        return false;
    uint32_t next = a->current_us + a->step_us;
    a->current_us = next > a->ceiling_us || next < a->current_us ? a->ceiling_us : next;
    return true;
}

bool audio_adapt_tick(struct audio_adapt *a, uint64_t now_ms)
{
    if (a->step_us == 0 || a->current_us <= a->target_us)
        return false;
    if (now_ms < a->last_change_ms || now_ms - a->last_change_ms < a->quiet_ms)
        return false;
    a->current_us = a->current_us - a->target_us > a->step_us ? a->current_us - a->step_us
                                                              : a->target_us;
    a->last_change_ms = now_ms;
    return true;
}

size_t audio_backlog_keep(struct audio_backlog *b, size_t used, size_t slack, size_t burst,
                          uint64_t now_ms, uint64_t hold_ms)
{
    if (used <= slack) {
        b->over_since_ms = 0;
        return burst;
    }
    if (b->over_since_ms == 0 || now_ms < b->over_since_ms) {
        b->over_since_ms = now_ms ? now_ms : 1;
        return burst;
    }
    if (now_ms - b->over_since_ms >= hold_ms) {
        b->over_since_ms = 0;
        return slack;
    }
    return burst;
}
