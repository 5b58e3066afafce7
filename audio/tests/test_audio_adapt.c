/* Adaptive buffer: grows one step per underrun up to the ceiling, shrinks
 * back after quiet periods, never below the target. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>

#include "audio_adapt.h"
#include "audio_pulse_util.h"

static void underruns_grow_the_buffer_up_to_the_ceiling(void **state)
{
    (void)state;
    struct audio_adapt a;
    audio_adapt_init(&a, 20000, 40000, 5000, 10000, 0);
    assert_int_equal(a.current_us, 20000);
    assert_true(audio_adapt_underrun(&a, 100));
    assert_int_equal(a.current_us, 25000);
    for (int i = 0; i < 10; i++)
        audio_adapt_underrun(&a, 200 + i);
    assert_int_equal(a.current_us, 40000);
    assert_false(audio_adapt_underrun(&a, 300));
    assert_int_equal(a.underruns, 12);
}

static void quiet_periods_shrink_it_back_to_the_target(void **state)
{
    (void)state;
    struct audio_adapt a;
    audio_adapt_init(&a, 20000, 40000, 15000, 10000, 0);
    audio_adapt_underrun(&a, 1000);
    audio_adapt_underrun(&a, 1000);
    assert_int_equal(a.current_us, 40000); /* 50000 clamped */
    assert_false(audio_adapt_tick(&a, 5000));
    assert_true(audio_adapt_tick(&a, 11000));
    assert_int_equal(a.current_us, 25000);
    assert_false(audio_adapt_tick(&a, 12000)); /* not quiet long enough again */
    assert_true(audio_adapt_tick(&a, 21000));
    assert_int_equal(a.current_us, 20000); /* never below the target */
    assert_false(audio_adapt_tick(&a, 100000));
    /* a clock going backwards changes nothing */
    audio_adapt_underrun(&a, 200000);
    assert_false(audio_adapt_tick(&a, 100));
}

static void step_zero_disables_adapting(void **state)
{
    (void)state;
    struct audio_adapt a;
    audio_adapt_init(&a, 30000, 10000, 0, 1000, 0);
    assert_int_equal(a.ceiling_us, 30000);
    assert_false(audio_adapt_underrun(&a, 5));
    assert_int_equal(a.current_us, 30000);
    assert_false(audio_adapt_tick(&a, 99999));
}

static void huge_values_do_not_wrap(void **state)
{
    (void)state;
    struct audio_adapt a;
    audio_adapt_init(&a, 0xfffff000u, 0xffffffffu, 0x10000u, 1, 0);
    assert_true(audio_adapt_underrun(&a, 1));
    assert_int_equal(a.current_us, 0xffffffffu);
}

static void a_young_backlog_is_kept_a_persistent_one_cut(void **state)
{
    (void)state;
    struct audio_backlog b = {0};
    /* within slack: nothing to cut */
    assert_int_equal(audio_backlog_keep(&b, 100, 960, 3840, 1000, 200), 3840);
    /* above slack: kept while young */
    assert_int_equal(audio_backlog_keep(&b, 2000, 960, 3840, 1000, 200), 3840);
    assert_int_equal(audio_backlog_keep(&b, 2000, 960, 3840, 1150, 200), 3840);
    /* drained in time: the clock restarts */
    assert_int_equal(audio_backlog_keep(&b, 500, 960, 3840, 1180, 200), 3840);
    assert_int_equal(audio_backlog_keep(&b, 2000, 960, 3840, 1190, 200), 3840);
    assert_int_equal(audio_backlog_keep(&b, 2000, 960, 3840, 1300, 200), 3840);
    /* persisted for hold_ms: cut to slack */
    assert_int_equal(audio_backlog_keep(&b, 2000, 960, 3840, 1390, 200), 960);
    assert_int_equal(audio_backlog_keep(&b, 960, 960, 3840, 1391, 200), 3840);
}

static void the_default_buffer_never_grows_past_30_ms(void **state)
{
    (void)state;
    struct audio_adapt a;
    uint32_t target = AUDIO_BUFFER_DEFAULT_US;
    audio_adapt_init(&a, target, audio_adapt_ceiling(target), AUDIO_ADAPT_STEP_US,
                     AUDIO_ADAPT_QUIET_MS, 0);
    for (int i = 0; i < 20; i++)
        audio_adapt_underrun(&a, 10 + i);
    assert_int_equal(a.current_us, 30000);
    assert_int_equal(a.underruns, 20);
    /* a buffer configured above the ceiling stays where it was put */
    assert_int_equal(audio_adapt_ceiling(100000), 100000);
    assert_int_equal(audio_adapt_ceiling(5000), 30000);
}

/* Our PCM arrives in real time: the stream keeps, while it plays, about the
 * fill it started with, so prebuf is the cushion and must be the buffer
 * less one request, not a fraction of it. */
static void playback_starts_with_a_nearly_full_buffer(void **state)
{
    (void)state;
    struct audio_format f = audio_format_default(); /* 48 kHz s16 stereo: 192 bytes/ms */
    pa_buffer_attr at = audio_pulse_play_attr(&f, 25000);
    assert_int_equal(at.tlength, 4800);
    assert_int_equal(at.minreq, 384);
    assert_int_equal(at.prebuf, 4800 - 384);
    assert_int_equal(at.prebuf % 4, 0);
    /* a buffer no longer than a request still starts on a whole frame */
    at = audio_pulse_play_attr(&f, 1000);
    assert_int_equal(at.prebuf, 4);
    assert_true(at.prebuf <= at.tlength);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(underruns_grow_the_buffer_up_to_the_ceiling),
        cmocka_unit_test(quiet_periods_shrink_it_back_to_the_target),
        cmocka_unit_test(step_zero_disables_adapting),
        cmocka_unit_test(huge_values_do_not_wrap),
        cmocka_unit_test(a_young_backlog_is_kept_a_persistent_one_cut),
        cmocka_unit_test(the_default_buffer_never_grows_past_30_ms),
        cmocka_unit_test(playback_starts_with_a_nearly_full_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
