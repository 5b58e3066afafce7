/* Helpers shared by the validator tests: build a message into an aligned
 * buffer, parse it, and assert acceptance or a precise refusal. */
#ifndef FEN_VALIDATE_TEST_UTIL_H
#define FEN_VALIDATE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fenestra/validate.h"

/* Big enough for the largest window dump (FEN_MAX_REFS_PER_WINDOW refs). */
#define TEST_BUF_BYTES (12u + 36u + 4u * FEN_MAX_REFS_PER_WINDOW + 64u)
static __attribute__((unused)) _Alignas(8) uint8_t test_buf[TEST_BUF_BYTES];
static __attribute__((unused)) struct fen_msg test_msg;
static __attribute__((unused)) struct fen_error test_err;

/* Header + body into test_buf; returns the total size. */
static inline size_t build_msg(uint32_t type, uint32_t window, uint32_t length, const void *body,
                               size_t body_len)
{
    struct fen_hdr h = {.type = type, .window = window, .length = length};
    assert_true(sizeof h + body_len <= sizeof test_buf);
    memcpy(test_buf, &h, sizeof h);
    if (body_len)
        memcpy(test_buf + sizeof h, body, body_len);
    return sizeof h + body_len;
}

/* Parse a message whose header length is the real body length. */
static inline enum fen_err parse_body(enum fen_stream s, uint32_t type, uint32_t window,
                                      const void *body, size_t body_len)
{
    size_t n = build_msg(type, window, (uint32_t)body_len, body, body_len);
    memset(&test_err, 0, sizeof test_err);
    return fen_parse_msg(s, test_buf, n, 0, &test_msg, &test_err);
}

static inline void check_accepted_at(enum fen_err rc, const char *file, int line)
{
    if (rc != FEN_OK)
        print_error("%s:%d: refused (%s): %s\n", file, line, fen_err_name(rc), test_err.reason);
    _assert_int_equal(rc, FEN_OK, file, line);
}

static inline void check_refused_at(enum fen_err rc, enum fen_err want, const char *part,
                                    const char *file, int line)
{
    if (rc != want || strstr(test_err.reason, part) == NULL)
        print_error("%s:%d: got %s \"%s\", wanted %s \"...%s...\"\n", file, line, fen_err_name(rc),
                    test_err.reason, fen_err_name(want), part);
    _assert_int_equal(rc, want, file, line);
    _assert_true(strstr(test_err.reason, part) != NULL, "reason names the problem", file, line);
    _assert_int_equal(test_err.code, want, file, line);
}

#define ACCEPTED(rc) check_accepted_at((rc), __FILE__, __LINE__)
#define REFUSED(rc, want, part) check_refused_at((rc), (want), (part), __FILE__, __LINE__)

#endif
