/* Frame stamps for benchmarks: a sequence number and a CLOCK_MONOTONIC time
 * drawn into the pixels as a row of 4x4 black/white blocks, so frames are
 * counted by what reaches the screen, not by damage events.
 *
 * Layout (left to right, STAMP_BLOCKS blocks of STAMP_BLOCK px, one block
 * per bit): 4 sync bits 1,0,1,0; 24-bit sequence; 40-bit microseconds;
 * 8-bit checksum (sum of the 8 payload bytes).  Pure, header-only. */
#ifndef FEN_BENCH_STAMP_H
#define FEN_BENCH_STAMP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define STAMP_BLOCK 4
#define STAMP_BITS (4 + 24 + 40 + 8)
#define STAMP_WIDTH (STAMP_BITS * STAMP_BLOCK)
#define STAMP_HEIGHT STAMP_BLOCK

static inline uint64_t stamp_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static inline uint8_t stamp_checksum(uint32_t seq, uint64_t us)
{
    uint64_t payload = ((uint64_t)(seq & 0xffffff) << 40) | (us & 0xffffffffffull);
    uint8_t sum = 0;
    for (int i = 0; i < 8; i++)
        sum = (uint8_t)(sum + (uint8_t)(payload >> (8 * i)));
    return sum;
}

static inline int stamp_bit(uint32_t seq, uint64_t us, int i)
{
    static const int sync[4] = {1, 0, 1, 0};
    if (i < 4)
        return sync[i];
    i -= 4;
    if (i < 24)
        return (seq >> (23 - i)) & 1;
    i -= 24;
    if (i < 40)
        return (int)((us >> (39 - i)) & 1);
    i -= 40;
    return (stamp_checksum(seq, us) >> (7 - i)) & 1;
}

/* Draw into a 32-bpp image (stride in bytes) at (x, y). */
static inline void stamp_draw(uint8_t *img, uint32_t stride, int x, int y, uint32_t seq, uint64_t us)
{
    for (int b = 0; b < STAMP_BITS; b++) {
        uint32_t px = stamp_bit(seq, us, b) ? 0x00ffffffu : 0x00000000u;
        for (int dy = 0; dy < STAMP_BLOCK; dy++) {
            uint32_t *row = (uint32_t *)(img + (size_t)(y + dy) * stride) + x + b * STAMP_BLOCK;
            for (int dx = 0; dx < STAMP_BLOCK; dx++)
                row[dx] = px;
        }
    }
}

/* Read block centers of a 32-bpp image; false when no valid stamp is there. */
static inline bool stamp_read(const uint8_t *img, uint32_t stride, int x, int y, uint32_t *seq,
                              uint64_t *us)
{
    int bits[STAMP_BITS];
    for (int b = 0; b < STAMP_BITS; b++) {
        const uint8_t *p = img + (size_t)(y + STAMP_BLOCK / 2) * stride +
                           (size_t)(x + b * STAMP_BLOCK + STAMP_BLOCK / 2) * 4;
        int lum = p[0] + p[1] + p[2];
        bits[b] = lum > 3 * 128;
    }
    if (!(bits[0] == 1 && bits[1] == 0 && bits[2] == 1 && bits[3] == 0))
        return false;
    uint32_t s = 0;
    uint64_t u = 0;
    uint8_t sum = 0;
    for (int i = 0; i < 24; i++)
        s = (s << 1) | (uint32_t)bits[4 + i];
    for (int i = 0; i < 40; i++)
        u = (u << 1) | (uint64_t)bits[28 + i];
    for (int i = 0; i < 8; i++)
        sum = (uint8_t)((sum << 1) | bits[68 + i]);
    if (sum != stamp_checksum(s, u))
        return false;
    *seq = s;
    *us = u;
    return true;
}

#endif
