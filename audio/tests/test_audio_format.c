/* Audio formats: allow-list, wire checks, negotiation, frame arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "audio_format.h"

static void every_supported_format_is_valid(void **state)
{
    (void)state;
    const uint32_t rates[] = {44100, 48000};
    const uint32_t samples[] = {FEN_AUDIO_S16LE, FEN_AUDIO_F32LE};
    char why[80];
    for (int r = 0; r < 2; r++)
        for (int s = 0; s < 2; s++)
            for (uint32_t c = 1; c <= 2; c++) {
                struct audio_format f = {rates[r], samples[s], c};
                assert_true(audio_format_valid(&f, why, sizeof why));
            }
}

static void hostile_formats_are_refused_with_a_reason(void **state)
{
    (void)state;
    const struct audio_format bad[] = {
        {0, FEN_AUDIO_S16LE, 2},          {8000, FEN_AUDIO_S16LE, 2},
        {0xffffffffu, FEN_AUDIO_S16LE, 2}, {48000, 0, 2},
        {48000, 3, 2},                    {48000, 0x80000000u, 2},
        {48000, FEN_AUDIO_S16LE, 0},      {48000, FEN_AUDIO_S16LE, 3},
        {48000, FEN_AUDIO_F32LE, 0xffffffffu},
    };
    char why[80];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = 0;
        assert_false(audio_format_valid(&bad[i], why, sizeof why));
        assert_true(strlen(why) > 0);
        assert_int_equal(audio_format_frame_bytes(&bad[i]) != 0,
                         bad[i].channels >= 1 && bad[i].channels <= 2 &&
                             (bad[i].sample == 1 || bad[i].sample == 2));
    }
}

static void wire_format_must_have_the_expected_direction(void **state)
{
    (void)state;
    struct fen_msg_audio_format w = {FEN_AUDIO_CAPTURE, 48000, FEN_AUDIO_S16LE, 2};
    struct audio_format out = {0};
    char why[80];
    assert_false(audio_format_from_wire(&w, FEN_AUDIO_PLAYBACK, &out, why, sizeof why));
    assert_non_null(strstr(why, "direction"));
    assert_int_equal(out.rate, 0);
    assert_true(audio_format_from_wire(&w, FEN_AUDIO_CAPTURE, &out, why, sizeof why));
    assert_int_equal(out.rate, 48000);
    struct fen_msg_audio_format back = audio_format_to_wire(&out, FEN_AUDIO_CAPTURE);
    assert_memory_equal(&back, &w, sizeof w);
}

static void negotiation_accepts_allowed_offers_and_falls_back_otherwise(void **state)
{
    (void)state;
    struct audio_format def = audio_format_default();
    assert_int_equal(def.rate, 48000);
    assert_int_equal(def.sample, FEN_AUDIO_S16LE);
    assert_int_equal(def.channels, 2);
    struct audio_format offer = {44100, FEN_AUDIO_F32LE, 1};
    struct audio_format got = audio_format_negotiate(&offer, NULL, 0, &def);
    assert_true(audio_format_equal(&got, &offer));
    struct audio_format only48[] = {{48000, FEN_AUDIO_S16LE, 2}, {48000, FEN_AUDIO_F32LE, 2}};
    got = audio_format_negotiate(&offer, only48, 2, &def);
    assert_true(audio_format_equal(&got, &def));
    struct audio_format f32 = {48000, FEN_AUDIO_F32LE, 2};
    got = audio_format_negotiate(&f32, only48, 2, &def);
    assert_true(audio_format_equal(&got, &f32));
    struct audio_format bogus = {96000, FEN_AUDIO_S16LE, 2};
    got = audio_format_negotiate(&bogus, NULL, 0, &def);
    assert_true(audio_format_equal(&got, &def));
}

static void pcm_must_be_whole_frames(void **state)
{
    (void)state;
    struct audio_format s16st = {48000, FEN_AUDIO_S16LE, 2};
    struct audio_format f32mono = {44100, FEN_AUDIO_F32LE, 1};
    assert_int_equal(audio_format_frame_bytes(&s16st), 4);
    assert_int_equal(audio_format_frame_bytes(&f32mono), 4);
    struct audio_format f32st = {48000, FEN_AUDIO_F32LE, 2};
    assert_int_equal(audio_format_frame_bytes(&f32st), 8);
    assert_false(audio_format_whole_frames(&s16st, 0));
    assert_false(audio_format_whole_frames(&s16st, 1));
    assert_false(audio_format_whole_frames(&s16st, 6));
    assert_true(audio_format_whole_frames(&s16st, 4));
    assert_true(audio_format_whole_frames(&s16st, 65536));
    assert_false(audio_format_whole_frames(&f32st, 12));
    assert_true(audio_format_whole_frames(&f32st, 16));
    assert_false(audio_format_whole_frames(&f32st, SIZE_MAX));
}

static void time_and_bytes_convert_in_whole_frames(void **state)
{
    (void)state;
    struct audio_format f = {48000, FEN_AUDIO_S16LE, 2};
    assert_int_equal(audio_format_usec_to_bytes(&f, 20000), 960 * 4);
    assert_int_equal(audio_format_bytes_to_usec(&f, 960 * 4), 20000);
    assert_int_equal(audio_format_bytes_to_usec(&f, 960 * 4 + 3), 20000);
    struct audio_format g = {44100, FEN_AUDIO_S16LE, 1};
    assert_int_equal(audio_format_usec_to_bytes(&g, 10000) % 2, 0);
    assert_int_equal(audio_format_usec_to_bytes(&g, 10000), 441 * 2);
    /* absurd durations do not overflow */
    assert_int_equal(audio_format_usec_to_bytes(&f, UINT64_MAX), 0);
}

static void sample_names_round_trip(void **state)
{
    (void)state;
    assert_int_equal(audio_sample_parse("s16le"), FEN_AUDIO_S16LE);
    assert_int_equal(audio_sample_parse("f32le"), FEN_AUDIO_F32LE);
    assert_int_equal(audio_sample_parse("u8"), 0);
    assert_string_equal(audio_sample_name(FEN_AUDIO_F32LE), "f32le");
    char buf[64];
    struct audio_format f = {44100, FEN_AUDIO_F32LE, 1};
    assert_string_equal(audio_format_describe(&f, buf, sizeof buf), "44100 Hz f32le 1 ch");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_supported_format_is_valid),
        cmocka_unit_test(hostile_formats_are_refused_with_a_reason),
        cmocka_unit_test(wire_format_must_have_the_expected_direction),
        cmocka_unit_test(negotiation_accepts_allowed_offers_and_falls_back_otherwise),
        cmocka_unit_test(pcm_must_be_whole_frames),
        cmocka_unit_test(time_and_bytes_convert_in_whole_frames),
        cmocka_unit_test(sample_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
