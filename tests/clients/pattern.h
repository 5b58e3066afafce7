/* The known test pattern shared by fen-testclient (draws it in a guest) and
 * fen-xshot (checks it in dom0): every pixel a distinct function of (x, y). */
#ifndef FEN_TEST_PATTERN_H
#define FEN_TEST_PATTERN_H

#include <stdint.h>

static inline uint32_t fen_pattern_pixel(uint32_t x, uint32_t y)
{
    uint32_t r = (x * 7u + y * 3u) & 0xffu;
    uint32_t g = (x + y * 5u) & 0xffu;
    uint32_t b = ((x >> 3) ^ (y >> 3)) * 37u & 0xffu;
    return (r << 16) | (g << 8) | b;
}

#endif
