/* Arrival bookkeeping used to explain underruns: pauses between chunks,
 * the one still running, the window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "audio_flow.h"

static void no_arrival_no_pause(void **state)
{
    (void)state;
    struct audio_flow f;
    char out[160];
    audio_flow_reset(&f);
    assert_int_equal(audio_flow_max_gap(&f, 1000000, 100000), 0);
    assert_string_equal(audio_flow_describe(&f, 5, 100000, out, sizeof out), "no data received yet");
    assert_int_equal(audio_flow_arrival(&f, 1000), 0); /* the first has no pause */
}

static void pauses_between_arrivals_are_returned_and_remembered(void **state)
{
    (void)state;
    struct audio_flow f;
    audio_flow_reset(&f);
    uint64_t t = 1000000;
    for (int i = 0; i < 10; i++, t += 5000)
        assert_int_equal(audio_flow_arrival(&f, t), i ? 5000 : 0);
    t += 13000; /* one 18 ms pause */
    assert_int_equal(audio_flow_arrival(&f, t), 18000);
    assert_int_equal(audio_flow_max_gap(&f, t, 100000), 18000);
    /* the pause still running counts too */
    assert_int_equal(audio_flow_max_gap(&f, t + 25000, 100000), 25000);
    /* an old pause falls out of the window */
    for (int i = 0; i < 30; i++) {
        t += 5000;
        audio_flow_arrival(&f, t);
    }
    assert_int_equal(audio_flow_max_gap(&f, t, 100000), 5000);
}

static void the_history_wraps_without_losing_the_newest(void **state)
{
    (void)state;
    struct audio_flow f;
    audio_flow_reset(&f);
    uint64_t t = 10;
    for (int i = 0; i < 3 * AUDIO_FLOW_HISTORY; i++, t += 1000)
        audio_flow_arrival(&f, t);
    audio_flow_arrival(&f, t + 7000);
    assert_int_equal(audio_flow_max_gap(&f, t + 7000, 1000000), 8000);
    assert_int_equal(f.start_us, 10);
}

static void a_clock_going_backwards_is_no_pause(void **state)
{
    (void)state;
    struct audio_flow f;
    audio_flow_reset(&f);
    audio_flow_arrival(&f, 50000);
    assert_int_equal(audio_flow_arrival(&f, 40000), 0);
    assert_int_equal(audio_flow_max_gap(&f, 30000, 100000), 0);
}

static void the_description_names_the_pauses(void **state)
{
    (void)state;
    struct audio_flow f;
    char out[160];
    audio_flow_reset(&f);
    audio_flow_arrival(&f, 2000000);
    audio_flow_arrival(&f, 2005000);
    audio_flow_arrival(&f, 2024500);
    audio_flow_describe(&f, 2030000, 100000, out, sizeof out);
    assert_string_equal(out, "0.030 s after the first data, last data 5.5 ms ago, longest pause in "
                             "the last 100 ms: 19.5 ms");
    /* a tiny buffer truncates, never overflows */
    char small[8];
    memset(small, 'x', sizeof small);
    audio_flow_describe(&f, 2030000, 100000, small, sizeof small);
    assert_int_equal(strlen(small), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_arrival_no_pause),
        cmocka_unit_test(pauses_between_arrivals_are_returned_and_remembered),
        cmocka_unit_test(the_history_wraps_without_losing_the_newest),
        cmocka_unit_test(a_clock_going_backwards_is_no_pause),
        cmocka_unit_test(the_description_names_the_pauses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
