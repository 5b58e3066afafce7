/* Validators: input events (dom0 -> guest), the clipboard stream and the
 * audio stream, each accepted in a good case and refused for each bad field. */
#include <limits.h>

#include "validate_test_util.h"

#define DOM0 FEN_GUI_FROM_DOM0
#define WIN 3u

/* ---- input ---- */

static void key_events_are_accepted_in_range(void **state)
{
    struct fen_msg_key k = {.type = FEN_KEY_PRESS, .x = -5, .y = 40, .state = 0x1fff, .keycode = 8};
    ACCEPTED(parse_body(DOM0, FEN_MSG_KEY, WIN, &k, sizeof k));
    assert_int_equal(test_msg.u.key.keycode, 8);
    k.type = FEN_KEY_RELEASE;
    k.keycode = 255;
    ACCEPTED(parse_body(DOM0, FEN_MSG_KEY, WIN, &k, sizeof k));
    assert_int_equal(test_msg.u.key.type, FEN_KEY_RELEASE);
}

static void key_events_refuse_each_bad_field(void **state)
{
    static const struct {
        struct fen_msg_key k;
        const char *why;
    } bad[] = {
        {{0, 0, 0, 0, 38}, "KEY: type 0 outside 1..2"},
        {{3, 0, 0, 0, 38}, "KEY: type 3"},
        {{1, 0, 0, 0, 7}, "KEY: keycode 7 outside 8..255"},
        {{1, 0, 0, 0, 256}, "keycode 256"},
        {{1, 0, 0, 0, 0xffffffff}, "keycode 4294967295"},
        {{1, INT_MIN, 0, 0, 38}, "KEY: x -2147483648"},
        {{1, 0, 32768, 0, 38}, "KEY: y 32768"},
        {{1, 0, 0, 0x2000, 38}, "KEY: state 0x2000 has bits outside 0x1fff"},
        {{1, 0, 0, 0xffffffff, 38}, "state 0xffffffff"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        REFUSED(parse_body(DOM0, FEN_MSG_KEY, WIN, &bad[i].k, sizeof bad[i].k), FEN_E_RANGE,
                bad[i].why);
}

static void button_events_cover_buttons_one_to_fifteen(void **state)
{
    for (uint32_t b = 1; b <= 15; b++) {
        struct fen_msg_button m = {.type = FEN_BUTTON_PRESS, .x = 1, .y = 1, .button = b};
        ACCEPTED(parse_body(DOM0, FEN_MSG_BUTTON, WIN, &m, sizeof m));
        assert_int_equal(test_msg.u.button.button, b);
    }
    static const uint32_t bad[] = {0, 16, 0x7fffffff, 0xffffffff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fen_msg_button m = {.type = FEN_BUTTON_RELEASE, .button = bad[i]};
        REFUSED(parse_body(DOM0, FEN_MSG_BUTTON, WIN, &m, sizeof m), FEN_E_RANGE, "BUTTON: button");
    }
    struct fen_msg_button m = {.type = 0, .button = 1};
    REFUSED(parse_body(DOM0, FEN_MSG_BUTTON, WIN, &m, sizeof m), FEN_E_RANGE, "BUTTON: type 0");
    m = (struct fen_msg_button){.type = 1, .x = -32769, .button = 1};
    REFUSED(parse_body(DOM0, FEN_MSG_BUTTON, WIN, &m, sizeof m), FEN_E_RANGE, "BUTTON: x -32769");
}

static void motion_events_are_checked(void **state)
{
    struct fen_msg_motion m = {.x = 100, .y = -100, .state = 0x100, .is_hint = 1};
    ACCEPTED(parse_body(DOM0, FEN_MSG_MOTION, WIN, &m, sizeof m));
    assert_int_equal(test_msg.u.motion.y, -100);
    m.is_hint = 2;
    REFUSED(parse_body(DOM0, FEN_MSG_MOTION, WIN, &m, sizeof m), FEN_E_RANGE,
            "MOTION: is_hint 2 is not 0 or 1");
    m = (struct fen_msg_motion){.x = INT_MAX};
    REFUSED(parse_body(DOM0, FEN_MSG_MOTION, WIN, &m, sizeof m), FEN_E_RANGE, "MOTION: x");
}

static void crossing_events_check_mode_and_detail(void **state)
{
    struct fen_msg_crossing c = {.type = FEN_CROSS_LEAVE, .mode = 2, .detail = 4};
    ACCEPTED(parse_body(DOM0, FEN_MSG_CROSSING, WIN, &c, sizeof c));
    assert_int_equal(test_msg.u.crossing.detail, 4);
    c.mode = 3;
    REFUSED(parse_body(DOM0, FEN_MSG_CROSSING, WIN, &c, sizeof c), FEN_E_RANGE,
            "CROSSING: mode 3 outside 0..2");
    c.mode = 0;
    c.detail = 5;
    REFUSED(parse_body(DOM0, FEN_MSG_CROSSING, WIN, &c, sizeof c), FEN_E_RANGE,
            "CROSSING: detail 5 outside 0..4");
    c.detail = 0;
    c.type = 0;
    REFUSED(parse_body(DOM0, FEN_MSG_CROSSING, WIN, &c, sizeof c), FEN_E_RANGE, "CROSSING: type 0");
}

static void focus_events_check_mode_and_detail(void **state)
{
    struct fen_msg_focus f = {.type = FEN_FOCUS_IN, .mode = 3, .detail = 7};
    ACCEPTED(parse_body(DOM0, FEN_MSG_FOCUS, WIN, &f, sizeof f));
    f.mode = 4;
    REFUSED(parse_body(DOM0, FEN_MSG_FOCUS, WIN, &f, sizeof f), FEN_E_RANGE,
            "FOCUS: mode 4 outside 0..3");
    f.mode = 0;
    f.detail = 8;
    REFUSED(parse_body(DOM0, FEN_MSG_FOCUS, WIN, &f, sizeof f), FEN_E_RANGE,
            "FOCUS: detail 8 outside 0..7");
    f.detail = 0;
    f.type = 0xffffffff;
    REFUSED(parse_body(DOM0, FEN_MSG_FOCUS, WIN, &f, sizeof f), FEN_E_RANGE,
            "FOCUS: type 4294967295");
}

static void keymap_is_copied_whole(void **state)
{
    struct fen_msg_keymap k;
    for (size_t i = 0; i < sizeof k.keys; i++)
        k.keys[i] = (uint8_t)(i * 7);
    ACCEPTED(parse_body(DOM0, FEN_MSG_KEYMAP, WIN, &k, sizeof k));
    assert_memory_equal(test_msg.u.keymap.keys, k.keys, sizeof k.keys);
    REFUSED(parse_body(DOM0, FEN_MSG_KEYMAP, WIN, &k, 31), FEN_E_LENGTH,
            "KEYMAP: length 31, must be 32");
}

/* ---- clipboard ---- */

static enum fen_err parse_clip(enum fen_stream s, uint32_t type, uint32_t request_id,
                               const void *text, uint32_t len, uint32_t claimed)
{
    static uint8_t b[8 + 4096];
    assert_true(len <= 4096);
    struct fen_msg_clip_data d = {request_id, claimed};
    memcpy(b, &d, sizeof d);
    memcpy(b + 8, text, len);
    return parse_body(s, type, 0, b, 8 + (size_t)len);
}

static void clip_request_is_checked(void **state)
{
    struct fen_msg_clip_request r = {.request_id = 42, .max_bytes = FEN_DEFAULT_CLIPBOARD_BYTES};
    ACCEPTED(parse_body(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_REQUEST, 0, &r, sizeof r));
    assert_int_equal(test_msg.u.clip_request.request_id, 42);
    r.max_bytes = 0;
    REFUSED(parse_body(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_REQUEST, 0, &r, sizeof r), FEN_E_RANGE,
            "CLIP_REQUEST: max_bytes 0 outside 1..16777216");
    r.max_bytes = FEN_MAX_CLIPBOARD_BYTES + 1;
    REFUSED(parse_body(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_REQUEST, 0, &r, sizeof r), FEN_E_RANGE,
            "max_bytes 16777217");
}

static void clip_data_carries_utf8_text_into_the_buffer(void **state)
{
    const char t[] = "gr\xc3\xbc\xc3\x9f dich \xf0\x9f\x98\x80 \xe2\x80\xae";
    ACCEPTED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 9, t, sizeof t - 1, sizeof t - 1));
    assert_int_equal(test_msg.u.clip_data.request_id, 9);
    assert_int_equal(test_msg.u.clip_data.length, sizeof t - 1);
    assert_ptr_equal(test_msg.u.clip_data.text, (const char *)test_buf + 12 + 8);
    assert_memory_equal(test_msg.u.clip_data.text, t, sizeof t - 1);
    ACCEPTED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 9, "", 0, 0));
    assert_int_equal(test_msg.u.clip_data.length, 0);
}

static void clip_data_refuses_nul_and_invalid_utf8(void **state)
{
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "ab\0cd", 5, 5), FEN_E_STRING,
            "CLIP_DATA: text contains a NUL byte");
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "ab\xc0\xaf", 4, 4), FEN_E_UTF8,
            "CLIP_DATA: text of 4 bytes is not valid UTF-8");
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "ab\xed\xa0\x80", 5, 5),
            FEN_E_UTF8, "not valid UTF-8");
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "ab\xe2\x82", 4, 4), FEN_E_UTF8,
            "not valid UTF-8");
}

static void clip_data_whose_length_field_lies_is_refused(void **state)
{
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "hello", 5, 6), FEN_E_LENGTH,
            "CLIP_DATA: length 6 needs length 14, header says 13");
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "hello", 5, 0), FEN_E_LENGTH,
            "length 0 needs length 8");
    static const uint32_t hostile[] = {0x7fffffff, 0x80000000, 0xffffffff,
                                       FEN_MAX_CLIPBOARD_BYTES + 1};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 1, "hello", 5, hostile[i]),
                FEN_E_RANGE, "CLIP_DATA: length");
}

static void clip_data_above_the_qube_limit_is_refused(void **state)
{
    char t[200];
    memset(t, 'x', sizeof t);
    struct fen_msg_clip_data d = {1, sizeof t};
    uint8_t b[8 + sizeof t];
    memcpy(b, &d, 8);
    memcpy(b + 8, t, sizeof t);
    size_t n = build_msg(FEN_MSG_CLIP_DATA, 0, sizeof b, b, sizeof b);
    assert_int_equal(fen_parse_msg(FEN_CLIP_FROM_GUEST, test_buf, n, 208, &test_msg, &test_err),
                     FEN_OK);
    REFUSED(fen_parse_msg(FEN_CLIP_FROM_GUEST, test_buf, n, 100, &test_msg, &test_err),
            FEN_E_LENGTH, "CLIP_DATA: length 208 above this connection's limit 100");
}

static void clip_paste_goes_from_dom0_with_its_id(void **state)
{
    ACCEPTED(parse_clip(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_PASTE, 5, "paste me", 8, 8));
    assert_int_equal(test_msg.u.clip_data.request_id, 5);
    assert_memory_equal(test_msg.u.clip_data.text, "paste me", 8);
    REFUSED(parse_clip(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_PASTE, 0, "paste me", 8, 8), FEN_E_RANGE,
            "CLIP_PASTE: request_id (the paste's id) 0");
    REFUSED(parse_clip(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_PASTE, 5, "paste me", 8, 8), FEN_E_TYPE,
            "CLIP_PASTE: not allowed on clipboard stream from guest");
    REFUSED(parse_clip(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_PASTE, 5, "\0", 1, 1), FEN_E_STRING,
            "CLIP_PASTE: text contains a NUL");
}

static void clip_paste_ack_goes_from_the_guest_with_an_id(void **state)
{
    struct fen_msg_clip_paste_ack a = {7};
    ACCEPTED(parse_body(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_PASTE_ACK, 0, &a, sizeof a));
    assert_int_equal(test_msg.u.clip_paste_ack.paste_id, 7);
    REFUSED(parse_body(FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_PASTE_ACK, 0, &a, sizeof a), FEN_E_TYPE,
            "CLIP_PASTE_ACK: not allowed on clipboard stream from dom0");
    a.paste_id = 0;
    REFUSED(parse_body(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_PASTE_ACK, 0, &a, sizeof a), FEN_E_RANGE,
            "CLIP_PASTE_ACK: paste_id 0");
    REFUSED(parse_body(FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_PASTE_ACK, 0, &a, 3), FEN_E_LENGTH,
            "CLIP_PASTE_ACK: length 3, must be 4");
}

/* ---- audio ---- */

static void audio_format_accepts_the_supported_formats(void **state)
{
    static const uint32_t rates[] = {44100, 48000};
    for (uint32_t d = FEN_AUDIO_PLAYBACK; d <= FEN_AUDIO_CAPTURE; d++)
        for (size_t r = 0; r < 2; r++)
            for (uint32_t s = FEN_AUDIO_S16LE; s <= FEN_AUDIO_F32LE; s++)
                for (uint32_t c = 1; c <= 2; c++) {
                    struct fen_msg_audio_format f = {d, rates[r], s, c};
                    ACCEPTED(
                        parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_FORMAT, 0, &f, sizeof f));
                    ACCEPTED(
                        parse_body(FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_FORMAT, 0, &f, sizeof f));
                    assert_int_equal(test_msg.u.audio_format.rate, rates[r]);
                }
}

static void audio_format_refuses_each_bad_field(void **state)
{
    static const struct {
        struct fen_msg_audio_format f;
        const char *why;
    } bad[] = {
        {{0, 48000, 1, 2}, "AUDIO_FORMAT: direction 0 outside 1..2"},
        {{3, 48000, 1, 2}, "direction 3"},
        {{1, 22050, 1, 2}, "AUDIO_FORMAT: rate 22050 is not 44100 or 48000"},
        {{1, 0xffffffff, 1, 2}, "rate 4294967295"},
        {{1, 48000, 0, 2}, "AUDIO_FORMAT: sample 0 outside 1..2"},
        {{1, 48000, 3, 2}, "sample 3"},
        {{1, 48000, 1, 0}, "AUDIO_FORMAT: channels 0 outside 1..2"},
        {{1, 48000, 1, 3}, "channels 3"},
        {{1, 48000, 1, 0x80000000}, "channels 2147483648"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        REFUSED(
            parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_FORMAT, 0, &bad[i].f, sizeof bad[i].f),
            FEN_E_RANGE, bad[i].why);
}

static enum fen_err parse_pcm(enum fen_stream s, uint32_t type, uint32_t len, uint32_t claimed)
{
    static uint8_t b[4 + FEN_MAX_AUDIO_CHUNK_BYTES + 16];
    assert_true(len <= FEN_MAX_AUDIO_CHUNK_BYTES + 16);
    memcpy(b, &claimed, 4);
    for (uint32_t i = 0; i < len; i++)
        b[4 + i] = (uint8_t)i;
    return parse_body(s, type, 0, b, 4 + (size_t)len);
}

static void audio_pcm_chunks_are_accepted_up_to_the_limit(void **state)
{
    ACCEPTED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, 4, 4));
    assert_int_equal(test_msg.u.audio_pcm.length, 4);
    assert_ptr_equal(test_msg.u.audio_pcm.data, test_buf + 12 + 4);
    ACCEPTED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, FEN_MAX_AUDIO_CHUNK_BYTES,
                       FEN_MAX_AUDIO_CHUNK_BYTES));
    assert_int_equal(test_msg.u.audio_pcm.data[255], 255);
    ACCEPTED(parse_pcm(FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_MIC_PCM, 1920, 1920));
    REFUSED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_MIC_PCM, 4, 4), FEN_E_TYPE,
            "AUDIO_MIC_PCM: not allowed on audio stream from guest");
    REFUSED(parse_pcm(FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_PCM, 4, 4), FEN_E_TYPE,
            "AUDIO_PCM: not allowed on audio stream from dom0");
}

static void audio_pcm_refuses_empty_oversized_and_lying_chunks(void **state)
{
    REFUSED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, 0, 0), FEN_E_LENGTH,
            "AUDIO_PCM: length 4 outside 5..65540");
    REFUSED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, FEN_MAX_AUDIO_CHUNK_BYTES + 4,
                      FEN_MAX_AUDIO_CHUNK_BYTES + 4),
            FEN_E_LENGTH, "AUDIO_PCM: length 65544 outside 5..65540");
    REFUSED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, 8, 0), FEN_E_RANGE,
            "AUDIO_PCM: length 0 outside 1..65536");
    REFUSED(parse_pcm(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, 8, 12), FEN_E_LENGTH,
            "AUDIO_PCM: length 12 needs length 16, header says 12");
    REFUSED(parse_pcm(FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_MIC_PCM, 8, 0xffffffff), FEN_E_RANGE,
            "AUDIO_MIC_PCM: length 4294967295");
}

static void audio_cork_mic_and_latency_are_checked(void **state)
{
    struct fen_msg_audio_cork c = {1};
    ACCEPTED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_CORK, 0, &c, sizeof c));
    assert_int_equal(test_msg.u.audio_cork.corked, 1);
    c.corked = 2;
    REFUSED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_CORK, 0, &c, sizeof c), FEN_E_RANGE,
            "AUDIO_CORK: corked 2 is not 0 or 1");
    struct fen_msg_audio_mic_request m = {1};
    ACCEPTED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_MIC_REQUEST, 0, &m, sizeof m));
    m.active = 0xffffffff;
    REFUSED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_MIC_REQUEST, 0, &m, sizeof m),
            FEN_E_RANGE, "AUDIO_MIC_REQUEST: active 4294967295");
    REFUSED(parse_body(FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_MIC_REQUEST, 0, &m, sizeof m), FEN_E_TYPE,
            "not allowed on audio stream from dom0");
    struct fen_msg_audio_latency l = {10000000};
    ACCEPTED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_LATENCY, 0, &l, sizeof l));
    ACCEPTED(parse_body(FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_LATENCY, 0, &l, sizeof l));
    l.usec = 10000001;
    REFUSED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_LATENCY, 0, &l, sizeof l), FEN_E_RANGE,
            "AUDIO_LATENCY: usec 10000001 outside 0..10000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_events_are_accepted_in_range),
        cmocka_unit_test(key_events_refuse_each_bad_field),
        cmocka_unit_test(button_events_cover_buttons_one_to_fifteen),
        cmocka_unit_test(motion_events_are_checked),
        cmocka_unit_test(crossing_events_check_mode_and_detail),
        cmocka_unit_test(focus_events_check_mode_and_detail),
        cmocka_unit_test(keymap_is_copied_whole),
        cmocka_unit_test(clip_request_is_checked),
        cmocka_unit_test(clip_data_carries_utf8_text_into_the_buffer),
        cmocka_unit_test(clip_data_refuses_nul_and_invalid_utf8),
        cmocka_unit_test(clip_data_whose_length_field_lies_is_refused),
        cmocka_unit_test(clip_data_above_the_qube_limit_is_refused),
        cmocka_unit_test(clip_paste_goes_from_dom0_with_its_id),
        cmocka_unit_test(clip_paste_ack_goes_from_the_guest_with_an_id),
        cmocka_unit_test(audio_format_accepts_the_supported_formats),
        cmocka_unit_test(audio_format_refuses_each_bad_field),
        cmocka_unit_test(audio_pcm_chunks_are_accepted_up_to_the_limit),
        cmocka_unit_test(audio_pcm_refuses_empty_oversized_and_lying_chunks),
        cmocka_unit_test(audio_cork_mic_and_latency_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
