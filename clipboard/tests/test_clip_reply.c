/* Judging copy replies: only the answer to the outstanding request, in time,
 * within the limit, as UTF-8 text without NUL, becomes the clipboard. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/proto.h"
#include "../reply.h"

static uint8_t buf[64 + 2 * 65536];

/* Build CLIP_DATA {id, n} + text into buf; returns the message length. */
static size_t clip_data(uint32_t type, uint32_t id, const void *text, uint32_t n)
{
    struct fen_hdr h = {type, 0, (uint32_t)sizeof(struct fen_msg_clip_data) + n};
    struct fen_msg_clip_data d = {id, n};
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, &d, sizeof d);
    memcpy(buf + sizeof h + sizeof d, text, n);
    return sizeof h + sizeof d + n;
}

static const struct clip_pending waiting = {
    .active = true, .request_id = 7, .deadline_ms = 1000, .limit = 16, .expired_id = 6};

static enum clip_verdict judge(const struct clip_pending *p, uint64_t now, size_t len,
                               struct clip_reply *out)
{
    char why[160];
    enum clip_verdict v = clip_reply_judge(p, now, buf, len, out, why, sizeof why);
    assert_true(why[0] != '\0');
    return v;
}

static void answer_in_time_is_accepted(void **state)
{
    (void)state;
    struct clip_reply r;
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, "héllo", 6);
    assert_int_equal(judge(&waiting, 1000, n, &r), CLIP_REPLY_ACCEPT);
    assert_int_equal(r.length, 6);
    assert_memory_equal(r.text, "héllo", 6);
    assert_true(clip_verdict_answers(CLIP_REPLY_ACCEPT));
}

static void exactly_the_limit_is_accepted(void **state)
{
    (void)state;
    struct clip_reply r;
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, "0123456789abcdef", 16);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_ACCEPT);
    assert_int_equal(r.length, 16);
}

static void over_the_limit_is_refused(void **state)
{
    (void)state;
    struct clip_reply r;
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, "0123456789abcdefg", 17);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_OVER_LIMIT);
    assert_null(r.text);
    assert_true(clip_verdict_answers(CLIP_REPLY_OVER_LIMIT));
}

static void unrequested_replies_are_dropped(void **state)
{
    (void)state;
    struct clip_reply r;
    struct clip_pending idle = waiting;
    idle.active = false;
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, "x", 1);
    assert_int_equal(judge(&idle, 10, n, &r), CLIP_REPLY_UNREQUESTED);
    n = clip_data(FEN_MSG_CLIP_DATA, 8, "x", 1);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_UNREQUESTED);
    n = clip_data(FEN_MSG_CLIP_DATA, 0, "x", 1);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_UNREQUESTED);
    assert_false(clip_verdict_answers(CLIP_REPLY_UNREQUESTED));
    assert_null(r.text);
}

static void late_replies_are_dropped(void **state)
{
    (void)state;
    struct clip_reply r;
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, "x", 1);
    assert_int_equal(judge(&waiting, 1001, n, &r), CLIP_REPLY_LATE);
    /* after the timeout cleared the request, its id is remembered */
    struct clip_pending expired = {.active = false, .request_id = 7, .expired_id = 7, .limit = 16};
    assert_int_equal(judge(&expired, 5, n, &r), CLIP_REPLY_LATE);
    assert_false(clip_verdict_answers(CLIP_REPLY_LATE));
    assert_null(r.text);
}

static void invalid_utf8_and_nul_are_refused(void **state)
{
    (void)state;
    struct clip_reply r;
    static const struct {
        const char *bytes;
        uint32_t n;
    } bad[] = {
        {"a\0b", 3},          {"\xff", 1},         {"\xc0\xaf", 2} /* overlong */,
        {"\xed\xa0\x80", 3} /* surrogate */, {"\xe2\x82", 2} /* cut */,
        {"\xf4\x90\x80\x80", 4} /* > U+10FFFF */,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, bad[i].bytes, bad[i].n);
        assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_BAD_TEXT);
        assert_null(r.text);
    }
}

static void empty_clipboard_answers_without_data(void **state)
{
    (void)state;
    struct clip_reply r;
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, "", 0);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_EMPTY);
    assert_null(r.text);
}

static void malformed_messages_are_protocol_errors(void **state)
{
    (void)state;
    struct clip_reply r;
    char why[160];
    /* truncated header */
    assert_int_equal(clip_reply_judge(&waiting, 10, buf, 5, &r, why, sizeof why),
                     CLIP_REPLY_PROTOCOL);
    assert_int_equal(clip_reply_judge(&waiting, 10, NULL, 0, &r, why, sizeof why),
                     CLIP_REPLY_PROTOCOL);
    /* a dom0-only type coming from the guest */
    size_t n = clip_data(FEN_MSG_CLIP_PASTE, 0, "x", 1);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_PROTOCOL);
    /* HELLO after the handshake is not a reply */
    struct fen_hdr h = {FEN_MSG_HELLO, 0, sizeof(struct fen_msg_hello)};
    memset(buf, 0, 12 + sizeof(struct fen_msg_hello));
    memcpy(buf, &h, sizeof h);
    assert_int_equal(judge(&waiting, 10, 12 + sizeof(struct fen_msg_hello), &r),
                     CLIP_REPLY_PROTOCOL);
    /* text length disagreeing with the message length */
    n = clip_data(FEN_MSG_CLIP_DATA, 7, "abcd", 4);
    struct fen_msg_clip_data lie = {7, 3};
    memcpy(buf + 12, &lie, sizeof lie);
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_PROTOCOL);
    /* hostile lengths */
    static const uint32_t lengths[] = {0x7fffffffu, 0x80000000u, 0xffffffffu,
                                       FEN_MAX_CLIPBOARD_BYTES + 1};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        n = clip_data(FEN_MSG_CLIP_DATA, 7, "abcd", 4);
        struct fen_hdr lying = {FEN_MSG_CLIP_DATA, 0, lengths[i]};
        memcpy(buf, &lying, sizeof lying);
        assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_PROTOCOL);
        n = clip_data(FEN_MSG_CLIP_DATA, 7, "abcd", 4);
        struct fen_msg_clip_data big = {7, lengths[i]};
        memcpy(buf + 12, &big, sizeof big);
        assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_PROTOCOL);
    }
    /* a non-zero window id on a stream-level message */
    n = clip_data(FEN_MSG_CLIP_DATA, 7, "x", 1);
    buf[4] = 1;
    assert_int_equal(judge(&waiting, 10, n, &r), CLIP_REPLY_PROTOCOL);
    /* trailing garbage */
    n = clip_data(FEN_MSG_CLIP_DATA, 7, "x", 1);
    assert_int_equal(judge(&waiting, 10, n + 1, &r), CLIP_REPLY_PROTOCOL);
}

static void big_reply_within_a_raised_limit_is_accepted(void **state)
{
    (void)state;
    struct clip_reply r;
    struct clip_pending p = waiting;
    p.limit = 65536;
    char *text = malloc(65536);
    assert_non_null(text);
    memset(text, 'z', 65536);
    size_t n = clip_data(FEN_MSG_CLIP_DATA, 7, text, 65536);
    assert_int_equal(judge(&p, 10, n, &r), CLIP_REPLY_ACCEPT);
    assert_int_equal(r.length, 65536);
    p.limit = 65535;
    assert_int_equal(judge(&p, 10, n, &r), CLIP_REPLY_OVER_LIMIT);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answer_in_time_is_accepted),
        cmocka_unit_test(exactly_the_limit_is_accepted),
        cmocka_unit_test(over_the_limit_is_refused),
        cmocka_unit_test(unrequested_replies_are_dropped),
        cmocka_unit_test(late_replies_are_dropped),
        cmocka_unit_test(invalid_utf8_and_nul_are_refused),
        cmocka_unit_test(empty_clipboard_answers_without_data),
        cmocka_unit_test(malformed_messages_are_protocol_errors),
        cmocka_unit_test(big_reply_within_a_raised_limit_is_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
