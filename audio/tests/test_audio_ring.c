/* The PCM ring: bounded, frame-aligned, drops the oldest on overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "audio_ring.h"

static size_t drain(struct audio_ring *r, uint8_t *out, size_t max)
{
    size_t got = 0;
    while (audio_ring_used(r) > 0 && got < max) {
        size_t len;
        const uint8_t *p = audio_ring_peek(r, &len);
        if (len > max - got)
            len = max - got;
        memcpy(out + got, p, len);
        got += audio_ring_consume(r, len);
    }
    return got;
}

static void create_refuses_bad_sizes(void **state)
{
    (void)state;
    assert_null(audio_ring_create(16, 0));
    assert_null(audio_ring_create(3, 4));
    struct audio_ring *r = audio_ring_create(10, 4);
    assert_non_null(r);
    assert_int_equal(audio_ring_capacity(r), 8);
    audio_ring_destroy(r);
    audio_ring_destroy(NULL);
}

static void fifo_order_survives_wrapping(void **state)
{
    (void)state;
    struct audio_ring *r = audio_ring_create(16, 4);
    uint8_t in[64], out[64];
    for (int i = 0; i < 64; i++)
        in[i] = (uint8_t)i;
    size_t next_in = 0, next_out = 0;
    for (int round = 0; round < 20; round++) {
        assert_int_equal(audio_ring_push(r, in + next_in % 48, 8), 0);
        next_in += 8;
        size_t got = drain(r, out, 4);
        assert_int_equal(got, 4);
        for (size_t k = 0; k < got; k++)
            assert_int_equal(out[k], in[(next_out + k) % 48 % 64]);
        next_out += got;
        if (audio_ring_used(r) >= 12) {
            got = drain(r, out, 64);
            next_out += got;
        }
        assert_true(audio_ring_used(r) <= audio_ring_capacity(r));
    }
    audio_ring_destroy(r);
}

static void overflow_drops_the_oldest_whole_frames(void **state)
{
    (void)state;
    struct audio_ring *r = audio_ring_create(8, 4);
    const uint8_t a[8] = {1, 1, 1, 1, 2, 2, 2, 2};
    const uint8_t b[4] = {3, 3, 3, 3};
    assert_int_equal(audio_ring_push(r, a, 8), 0);
    assert_int_equal(audio_ring_push(r, b, 4), 4);
    assert_int_equal(audio_ring_used(r), 8);
    assert_int_equal(audio_ring_dropped(r), 4);
    uint8_t out[8];
    assert_int_equal(drain(r, out, 8), 8);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[4], 3);
    audio_ring_destroy(r);
}

static void a_push_larger_than_the_ring_keeps_its_newest_part(void **state)
{
    (void)state;
    struct audio_ring *r = audio_ring_create(8, 2);
    uint8_t big[20];
    for (int i = 0; i < 20; i++)
        big[i] = (uint8_t)i;
    assert_int_equal(audio_ring_push(r, big, 20), 12);
    assert_int_equal(audio_ring_used(r), 8);
    uint8_t out[8];
    drain(r, out, 8);
    assert_int_equal(out[0], 12);
    assert_int_equal(out[7], 19);
    audio_ring_destroy(r);
}

static void partial_frames_are_never_stored(void **state)
{
    (void)state;
    struct audio_ring *r = audio_ring_create(16, 4);
    uint8_t x[7] = {0};
    audio_ring_push(r, x, 7);
    assert_int_equal(audio_ring_used(r), 4);
    audio_ring_push(r, x, 3);
    assert_int_equal(audio_ring_used(r), 4);
    audio_ring_destroy(r);
}

static void trim_bounds_latency_in_whole_frames(void **state)
{
    (void)state;
    struct audio_ring *r = audio_ring_create(64, 4);
    uint8_t x[64] = {0};
    audio_ring_push(r, x, 40);
    assert_int_equal(audio_ring_trim(r, 50), 0);
    assert_int_equal(audio_ring_trim(r, 10), 32); /* 30 rounded up to frames */
    assert_int_equal(audio_ring_used(r), 8);
    assert_int_equal(audio_ring_dropped(r), 32);
    audio_ring_clear(r);
    assert_int_equal(audio_ring_used(r), 0);
    audio_ring_destroy(r);
}

static void consume_never_takes_more_than_stored(void **state)
{
    (void)state;
    struct audio_ring *r = audio_ring_create(16, 1);
    uint8_t x[5] = {0};
    audio_ring_push(r, x, 5);
    assert_int_equal(audio_ring_consume(r, SIZE_MAX), 5);
    assert_int_equal(audio_ring_consume(r, 1), 0);
    size_t len = 99;
    audio_ring_peek(r, &len);
    assert_int_equal(len, 0);
    audio_ring_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_refuses_bad_sizes),
        cmocka_unit_test(fifo_order_survives_wrapping),
        cmocka_unit_test(overflow_drops_the_oldest_whole_frames),
        cmocka_unit_test(a_push_larger_than_the_ring_keeps_its_newest_part),
        cmocka_unit_test(partial_frames_are_never_stored),
        cmocka_unit_test(trim_bounds_latency_in_whole_frames),
        cmocka_unit_test(consume_never_takes_more_than_stored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
