/* UTF-8 validation and the title sanitizer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "fenestra/validate.h"

#define U8(s) (const uint8_t *)(s), (sizeof(s) - 1)

static char out[256];

static const char *sanitize(const char *in, size_t len)
{
    size_t n = fen_sanitize_text((const uint8_t *)in, len, out, sizeof out);
    assert_int_equal(n, strlen(out));
    return out;
}
#define SAN(s) sanitize((s), sizeof(s) - 1)

/* ---- fen_utf8_valid ---- */

static void utf8_accepts_ascii_and_every_sequence_length(void **state)
{
    assert_true(fen_utf8_valid(U8(""), true));
    assert_true(fen_utf8_valid(U8("plain ascii"), true));
    assert_true(fen_utf8_valid(U8("\xc2\x80"), true));         /* U+0080 */
    assert_true(fen_utf8_valid(U8("\xdf\xbf"), true));         /* U+07FF */
    assert_true(fen_utf8_valid(U8("\xe0\xa0\x80"), true));     /* U+0800 */
    assert_true(fen_utf8_valid(U8("\xef\xbf\xbf"), true));     /* U+FFFF */
    assert_true(fen_utf8_valid(U8("\xed\x9f\xbf"), true));     /* U+D7FF */
    assert_true(fen_utf8_valid(U8("\xee\x80\x80"), true));     /* U+E000 */
    assert_true(fen_utf8_valid(U8("\xf0\x90\x80\x80"), true)); /* U+10000 */
    assert_true(fen_utf8_valid(U8("\xf4\x8f\xbf\xbf"), true)); /* U+10FFFF */
}

static void utf8_refuses_overlong_encodings(void **state)
{
    assert_false(fen_utf8_valid(U8("\xc0\x80"), false)); /* NUL, 2 bytes */
    assert_false(fen_utf8_valid(U8("\xc0\xaf"), false)); /* '/' */
    assert_false(fen_utf8_valid(U8("\xc1\xbf"), false));
    assert_false(fen_utf8_valid(U8("\xe0\x80\x80"), false));
    assert_false(fen_utf8_valid(U8("\xe0\x9f\xbf"), false)); /* U+07FF in 3 bytes */
    assert_false(fen_utf8_valid(U8("\xf0\x80\x80\x80"), false));
    assert_false(fen_utf8_valid(U8("\xf0\x8f\xbf\xbf"), false)); /* U+FFFF in 4 bytes */
}

static void utf8_refuses_surrogates(void **state)
{
    assert_false(fen_utf8_valid(U8("\xed\xa0\x80"), false));             /* U+D800 */
    assert_false(fen_utf8_valid(U8("\xed\xbf\xbf"), false));             /* U+DFFF */
    assert_false(fen_utf8_valid(U8("\xed\xa0\xbd\xed\xb8\x80"), false)); /* CESU pair */
}

static void utf8_refuses_code_points_above_10ffff(void **state)
{
    assert_false(fen_utf8_valid(U8("\xf4\x90\x80\x80"), false)); /* U+110000 */
    assert_false(fen_utf8_valid(U8("\xf5\x80\x80\x80"), false));
    assert_false(fen_utf8_valid(U8("\xf7\xbf\xbf\xbf"), false));
    assert_false(fen_utf8_valid(U8("\xf8\x88\x80\x80\x80"), false)); /* 5-byte form */
    assert_false(fen_utf8_valid(U8("\xfe"), false));
    assert_false(fen_utf8_valid(U8("\xff"), false));
}

static void utf8_refuses_truncated_and_broken_sequences(void **state)
{
    assert_false(fen_utf8_valid(U8("\xc3"), false));
    assert_false(fen_utf8_valid(U8("abc\xe2\x82"), false));
    assert_false(fen_utf8_valid(U8("\xf0\x9f\x98"), false));
    assert_false(fen_utf8_valid(U8("\x80"), false));         /* lone continuation */
    assert_false(fen_utf8_valid(U8("\xe2\x28\xa1"), false)); /* bad continuation */
    assert_false(fen_utf8_valid(U8("\xc3\xc3\xa9"), false));
    /* the length given is respected: a valid sequence cut by len is invalid */
    assert_false(fen_utf8_valid((const uint8_t *)"\xe2\x82\xac", 2, false));
    assert_true(fen_utf8_valid((const uint8_t *)"\xe2\x82\xac", 3, false));
}

static void utf8_refuses_nul_only_when_asked(void **state)
{
    assert_true(fen_utf8_valid((const uint8_t *)"a\0b", 3, false));
    assert_false(fen_utf8_valid((const uint8_t *)"a\0b", 3, true));
    assert_false(fen_utf8_valid((const uint8_t *)"\0", 1, true));
}

/* ---- fen_sanitize_text ---- */

static void sanitize_keeps_printable_text_unchanged(void **state)
{
    assert_string_equal(SAN("Terminal - user@work: ~"), "Terminal - user@work: ~");
    /* text that imitates dom0's prefix stays plain text: guid adds the real one */
    assert_string_equal(SAN("[dom0] Password required"), "[dom0] Password required");
    assert_string_equal(SAN("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"),
                        "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
    assert_string_equal(SAN("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"),
                        "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
}

static void sanitize_removes_the_right_to_left_override(void **state)
{
    /* "invoice" + RLO + "fdp.exe" would display as "invoiceexe.pdf" */
    assert_string_equal(SAN("invoice\xe2\x80\xae"
                            "fdp.exe"),
                        "invoicefdp.exe");
}

static void sanitize_removes_every_bidi_control(void **state)
{
    assert_string_equal(SAN("a\xd8\x9c"
                            "b"),
                        "ab"); /* U+061C ALM */
    assert_string_equal(SAN("a\xe2\x80\x8e\xe2\x80\x8f"
                            "b"),
                        "ab"); /* LRM RLM */
    assert_string_equal(SAN("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae"
                            "x"),
                        "x"); /* U+202A..E */
    assert_string_equal(SAN("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"
                            "y"),
                        "y"); /* U+2066..9 */
}

static void sanitize_removes_zero_width_and_invisible_characters(void **state)
{
    assert_string_equal(SAN("pay\xe2\x80\x8bpal"), "paypal"); /* U+200B */
    assert_string_equal(SAN("a\xe2\x80\x8c\xe2\x80\x8d"
                            "b"),
                        "ab"); /* ZWNJ ZWJ */
    assert_string_equal(SAN("a\xe2\x81\xa0\xe2\x81\xa4"
                            "b"),
                        "ab"); /* U+2060, U+2064 */
    assert_string_equal(SAN("\xef\xbb\xbf"
                            "bom"),
                        "bom"); /* U+FEFF */
    assert_string_equal(SAN("a\xe1\xa0\x8e"
                            "b"),
                        "ab"); /* U+180E */
    assert_string_equal(SAN("soft\xc2\xad"
                            "hyphen"),
                        "softhyphen");                        /* U+00AD */
    assert_string_equal(SAN("\xe3\x85\xa4\xe3\x85\xa4"), ""); /* hangul fillers */
    assert_string_equal(SAN("t\xf3\xa0\x80\x81\xf3\xa0\x81\xbf"
                            "ag"),
                        "tag"); /* tags */
}

static void sanitize_removes_control_characters_and_del(void **state)
{
    assert_string_equal(SAN("a\x01\x1b[31mb\x7f"
                            "c"),
                        "a[31mbc");
    assert_string_equal(SAN("a\xc2\x80\xc2\x9b\xc2\x9f"
                            "b"),
                        "ab"); /* C1 */
    assert_string_equal(sanitize("a\0b", 3), "ab");
    assert_string_equal(SAN("\x08\x08\x08\x08"), "");
}

static void sanitize_turns_tabs_and_newlines_into_spaces(void **state)
{
    assert_string_equal(SAN("a\tb\nc\rd"), "a b c d");
    assert_string_equal(SAN("line\xe2\x80\xa8sep"), "line sep"); /* U+2028 */
}

static void sanitize_replaces_invalid_sequences_with_fffd(void **state)
{
    assert_string_equal(SAN("a\xff"
                            "b"),
                        "a\xef\xbf\xbd"
                        "b");
    assert_string_equal(SAN("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(SAN("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(SAN("x\xe2\x82"), "x\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(SAN("\xf4\x90\x80\x80"
                            "!"),
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
}

static void sanitize_never_cuts_a_character(void **state)
{
    const char *in = "ab\xe2\x82\xac"
                     "cd"; /* a b € c d */
    char small[8];
    for (size_t size = 1; size <= sizeof small; size++) {
        memset(small, 'Z', sizeof small);
        size_t n = fen_sanitize_text((const uint8_t *)in, strlen(in), small, size);
        assert_true(n < size);
        assert_int_equal(small[n], '\0');
        assert_true(fen_utf8_valid((const uint8_t *)small, n, true));
    }
    assert_int_equal(fen_sanitize_text((const uint8_t *)in, strlen(in), small, 3), 2);
    assert_int_equal(fen_sanitize_text((const uint8_t *)in, strlen(in), small, 5), 2);
    assert_int_equal(fen_sanitize_text((const uint8_t *)in, strlen(in), small, 6), 5);
    assert_int_equal(fen_sanitize_text((const uint8_t *)in, strlen(in), small, 8), 7);
}

static void sanitize_with_no_room_writes_nothing(void **state)
{
    char c = 'Z';
    assert_int_equal(fen_sanitize_text(U8("abc"), &c, 0), 0);
    assert_int_equal(c, 'Z');
    assert_int_equal(fen_sanitize_text(U8("abc"), &c, 1), 0);
    assert_int_equal(c, '\0');
    assert_int_equal(fen_sanitize_text(NULL, 0, &c, 1), 0);
}

/* Deterministic pseudo-random bytes: every output is valid UTF-8 without
 * NUL, controls or the removed characters. */
static void sanitize_output_of_random_bytes_is_always_clean(void **state)
{
    uint32_t seed = 12345;
    uint8_t in[64];
    char o[200];
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(round % 64);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            uint8_t b = (uint8_t)(seed >> 16);
            /* bias towards lead bytes of the interesting ranges */
            if ((seed >> 8) % 4 == 0)
                b = (uint8_t)(0xe2 + (b & 1));
            in[i] = b;
        }
        size_t n = fen_sanitize_text(in, len, o, sizeof o);
        assert_true(n < sizeof o);
        assert_true(fen_utf8_valid((const uint8_t *)o, n, true));
        for (size_t i = 0; i < n; i++) {
            uint8_t c = (uint8_t)o[i];
            assert_true(c >= 0x20 && c != 0x7f);
        }
        assert_null(strstr(o, "\xe2\x80\xae"));
        assert_null(strstr(o, "\xe2\x80\x8b"));
        assert_null(strstr(o, "\xc2\x85")); /* NEL (C1) */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_accepts_ascii_and_every_sequence_length),
        cmocka_unit_test(utf8_refuses_overlong_encodings),
        cmocka_unit_test(utf8_refuses_surrogates),
        cmocka_unit_test(utf8_refuses_code_points_above_10ffff),
        cmocka_unit_test(utf8_refuses_truncated_and_broken_sequences),
        cmocka_unit_test(utf8_refuses_nul_only_when_asked),
        cmocka_unit_test(sanitize_keeps_printable_text_unchanged),
        cmocka_unit_test(sanitize_removes_the_right_to_left_override),
        cmocka_unit_test(sanitize_removes_every_bidi_control),
        cmocka_unit_test(sanitize_removes_zero_width_and_invisible_characters),
        cmocka_unit_test(sanitize_removes_control_characters_and_del),
        cmocka_unit_test(sanitize_turns_tabs_and_newlines_into_spaces),
        cmocka_unit_test(sanitize_replaces_invalid_sequences_with_fffd),
        cmocka_unit_test(sanitize_never_cuts_a_character),
        cmocka_unit_test(sanitize_with_no_room_writes_nothing),
        cmocka_unit_test(sanitize_output_of_random_bytes_is_always_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
