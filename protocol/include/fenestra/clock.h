/* The one clock for timeouts, retries and rate limits everywhere
 * (CLOCK_MONOTONIC: never jumps with the wall clock), in milliseconds. */
#ifndef FENESTRA_CLOCK_H
#define FENESTRA_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t fen_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

#endif
