/* Validators behind the message reader: what the daemons do — read whole
 * messages from a channel, then fen_parse_msg them.  Guards the alignment
 * contract (WINDOW_DUMP refs are a uint32_t pointer into the reader's
 * buffer, and odd-length bodies come before it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>

#include "chan_test_util.h"
#include "fenestra/msgio.h"
#include "fenestra/validate.h"

static size_t put(uint8_t *buf, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
    struct fen_hdr h = {.type = type, .window = window, .length = len};
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, body, len);
    return sizeof h + len;
}

static size_t put_title(uint8_t *buf, uint32_t window, const char *text)
{
    uint8_t body[64];
    uint32_t n = (uint32_t)strlen(text);
    memcpy(body, &n, 4);
    memcpy(body + 4, text, n);
    return put(buf, FEN_MSG_TITLE, window, body, 4 + n);
}

static size_t put_dump(uint8_t *buf, uint32_t window, uint32_t serial)
{
    uint8_t body[36 + 4 * 2];
    struct fen_msg_window_dump d = {.kind = FEN_DUMP_LOCAL_POOL, .width = 30, .height = 40,
                                    .stride = 120, .format = FEN_FORMAT_XRGB8888,
                                    .serial = serial, .num_refs = 2}; /* 4800 bytes */
    uint32_t refs[2] = {serial, serial + 1};
    memcpy(body, &d, sizeof d);
    memcpy(body + sizeof d, refs, sizeof refs);
    return put(buf, FEN_MSG_WINDOW_DUMP, window, body, sizeof body);
}

/* Read every whole message available (bounded polling), parse each and
 * count the dumps whose refs came out right. */
static void read_and_parse(struct fen_chan *rx, size_t want, size_t *dumps)
{
    struct fen_reader *r = fen_reader_create(FEN_GUI_FROM_GUEST, 0);
    assert_non_null(r);
    static struct fen_msg m;
    size_t got = 0;
    for (int i = 0; i < 2000 && got < want; i++) {
        const uint8_t *msg;
        size_t len;
        struct fen_error err = {0};
        enum fen_read_status st = fen_reader_next(r, rx, &msg, &len, &err);
        if (st == FEN_READ_AGAIN) {
            struct pollfd pf = {.fd = fen_chan_fd(rx), .events = POLLIN};
            poll(&pf, 1, 10);
            continue;
        }
        assert_int_equal(st, FEN_READ_MSG);
        enum fen_err rc = fen_parse_msg(FEN_GUI_FROM_GUEST, msg, len, 0, &m, &err);
        if (rc != FEN_OK)
            print_error("message %zu refused: %s\n", got, err.reason);
        assert_int_equal(rc, FEN_OK);
        if (m.type == FEN_MSG_WINDOW_DUMP) {
            assert_int_equal(m.u.dump.refs[0], m.u.dump.hdr.serial);
            assert_int_equal(m.u.dump.refs[1], m.u.dump.hdr.serial + 1);
            (*dumps)++;
        }
        got++;
    }
    assert_int_equal(got, want);
    fen_reader_destroy(r);
}

static void window_dump_after_odd_length_titles_parses_from_the_reader(void **state)
{
    struct fen_chan *tx, *rx;
    chan_pair(&tx, &rx);
    static const char *const titles[] = {"a", "ab", "abc", "abcd", "odd title!", "x"};
    uint8_t buf[4096];
    size_t n = 0, count = 0;
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        n += put_title(buf + n, 5, titles[i]);
        n += put_dump(buf + n, 5, (uint32_t)(100 * i));
        count += 2;
    }
    assert_int_equal(fen_chan_write(tx, buf, n), (ssize_t)n); /* one burst: one buffer */
    size_t dumps = 0;
    read_and_parse(rx, count, &dumps);
    assert_int_equal(dumps, 6);
    fen_chan_close(tx);
    fen_chan_close(rx);
}

static void mixed_gui_traffic_parses_message_by_message(void **state)
{
    struct fen_chan *tx, *rx;
    chan_pair(&tx, &rx);
    uint8_t buf[8192];
    size_t n = 0, count = 0;
    struct fen_msg_hello hello = {.magic = FEN_PROTO_MAGIC, .major = FEN_PROTO_MAJOR,
                                  .stream = FEN_STREAM_GUI};
    n += put(buf + n, FEN_MSG_HELLO, 0, &hello, sizeof hello), count++;
    for (uint32_t w = 1; w <= 20; w++) {
        struct fen_msg_create c = {.rect = {0, 0, 30, 40}};
        struct fen_msg_wm_class wc = {.res_class = "Term", .res_name = "term"};
        struct fen_msg_map m = {0};
        n += put(buf + n, FEN_MSG_CREATE, w, &c, sizeof c), count++;
        n += put_title(buf + n, w, w % 2 ? "odd" : "even"), count++;
        n += put(buf + n, FEN_MSG_WM_CLASS, w, &wc, sizeof wc), count++;
        n += put_dump(buf + n, w, w), count++;
        n += put(buf + n, FEN_MSG_MAP, w, &m, sizeof m), count++;
    }
    assert_true(n <= sizeof buf);
    size_t off = 0;
    while (off < n) { /* the socket may take it in pieces */
        ssize_t k = fen_chan_write(tx, buf + off, n - off);
        assert_true(k >= 0);
        off += (size_t)k;
    }
    size_t dumps = 0;
    read_and_parse(rx, count, &dumps);
    assert_int_equal(dumps, 20);
    fen_chan_close(tx);
    fen_chan_close(rx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(window_dump_after_odd_length_titles_parses_from_the_reader),
        cmocka_unit_test(mixed_gui_traffic_parses_message_by_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
