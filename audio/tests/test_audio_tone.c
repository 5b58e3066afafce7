/* Signal analysis used by the audio tests and benchmark: it must be right,
 * or the end-to-end checks prove nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audio_tone.h"

#define RATE 48000.0

static void frequency_estimate_is_within_a_fraction_of_a_percent(void **state)
{
    (void)state;
    const double freqs[] = {100, 440, 441, 1000, 3000, 7919};
    float *x = malloc(48000 * sizeof *x);
    for (size_t i = 0; i < sizeof freqs / sizeof freqs[0]; i++) {
        tone_sine(x, 48000, freqs[i], RATE, 0.5, 123);
        double f = tone_estimate_frequency(x, 48000, RATE);
        assert_true(fabs(f - freqs[i]) < freqs[i] * 0.002);
    }
    free(x);
}

static void frequency_estimate_survives_noise_and_fails_on_silence(void **state)
{
    (void)state;
    float *x = malloc(24000 * sizeof *x);
    tone_sine(x, 24000, 440, RATE, 0.3, 0);
    srand(7);
    for (int i = 0; i < 24000; i++)
        x[i] += (float)(((double)rand() / RAND_MAX - 0.5) * 0.01);
    double f = tone_estimate_frequency(x, 24000, RATE);
    assert_true(fabs(f - 440) < 440 * 0.02);
    memset(x, 0, 24000 * sizeof *x);
    assert_true(tone_estimate_frequency(x, 24000, RATE) == 0);
    free(x);
}

static void frequency_estimate_ignores_dropouts(void **state)
{
    (void)state;
    /* 1 s of 440 Hz with three 20 ms holes, as an underrun leaves them */
    float *x = malloc(48000 * sizeof *x);
    tone_sine(x, 48000, 440, RATE, 0.5, 0);
    for (int hole = 0; hole < 3; hole++)
        memset(x + 10000 + hole * 12000, 0, 960 * sizeof *x);
    double f = tone_estimate_frequency(x, 48000, RATE);
    assert_true(fabs(f - 440) < 440 * 0.005);
    /* but a wrong tone is still wrong */
    tone_sine(x, 48000, 400, RATE, 0.5, 0);
    f = tone_estimate_frequency(x, 48000, RATE);
    assert_true(fabs(f - 440) > 440 * 0.05);
    free(x);
}

static void goertzel_separates_the_tone_from_its_neighbours(void **state)
{
    (void)state;
    float *x = malloc(48000 * sizeof *x);
    tone_sine(x, 48000, 440, RATE, 1.0, 0);
    double on = tone_goertzel(x, 48000, 440, RATE);
    double off = tone_goertzel(x, 48000, 880, RATE);
    assert_true(fabs(on - 0.25) < 0.01);
    assert_true(off < on / 1000);
    assert_true(tone_goertzel(x, 0, 440, RATE) == 0);
    free(x);
}

static void nonsilent_ratio_counts_loud_blocks(void **state)
{
    (void)state;
    float *x = calloc(48000, sizeof *x);
    tone_sine(x, 36000, 440, RATE, 0.5, 0); /* 3/4 loud, 1/4 silent */
    double r = tone_nonsilent_ratio(x, 48000, 480, 0.02);
    assert_true(fabs(r - 0.75) < 0.011);
    assert_true(tone_nonsilent_ratio(x, 100, 480, 0.02) == 0);
    assert_true(tone_nonsilent_ratio(x, 48000, 0, 0.02) == 0);
    assert_true(fabs(tone_peak(x, 48000) - 0.5) < 1e-3);
    free(x);
}

static void cross_correlation_finds_a_chirp_delay(void **state)
{
    (void)state;
    size_t m = 2400, n = 24000;
    float *chirp = malloc(m * sizeof *chirp), *x = calloc(n, sizeof *x);
    tone_chirp(chirp, m, 500, 6000, RATE, 0.7);
    const size_t delays[] = {0, 1, 777, 12345, n - m};
    for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
        memset(x, 0, n * sizeof *x);
        for (size_t j = 0; j < m; j++)
            x[delays[i] + j] = chirp[j] * 0.3f; /* attenuated copy */
        double score;
        long lag = tone_xcorr_lag(x, n, chirp, m, &score);
        assert_int_equal(lag, (long)delays[i]);
        assert_true(score > 0.99);
    }
    assert_int_equal(tone_xcorr_lag(x, 10, chirp, m, NULL), -1);
    assert_int_equal(tone_xcorr_lag(x, n, chirp, 0, NULL), -1);
    free(chirp);
    free(x);
}

static void sample_conversion_averages_channels(void **state)
{
    (void)state;
    const int16_t st[4] = {32767, -32767, 16384, 16384};
    float out[2];
    tone_s16_to_mono(st, 2, 2, out);
    assert_true(fabsf(out[0]) < 1e-4f);
    assert_true(fabsf(out[1] - 0.5f) < 1e-3f);
    const float f[2] = {0.25f, 0.75f};
    tone_f32_to_mono(f, 1, 2, out);
    assert_true(fabsf(out[0] - 0.5f) < 1e-6f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frequency_estimate_is_within_a_fraction_of_a_percent),
        cmocka_unit_test(frequency_estimate_survives_noise_and_fails_on_silence),
        cmocka_unit_test(frequency_estimate_ignores_dropouts),
        cmocka_unit_test(goertzel_separates_the_tone_from_its_neighbours),
        cmocka_unit_test(nonsilent_ratio_counts_loud_blocks),
        cmocka_unit_test(cross_correlation_finds_a_chirp_delay),
        cmocka_unit_test(sample_conversion_averages_channels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
