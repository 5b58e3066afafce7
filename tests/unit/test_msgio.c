/* Message reader and bounded writer over local channels: assembly across
 * partial reads, hostile headers, peer death, the write cap, fd passing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#include "chan_test_util.h"
#include "fenestra/msgio.h"
#include "../../protocol/src/msgio_internal.h"

struct pair {
    struct fen_chan *a, *b; /* a: sender, b: receiver */
    struct fen_reader *r;
    struct fen_writer *w;
};

static int setup_pair(void **state)
{
    struct pair *p = calloc(1, sizeof *p);
    chan_pair(&p->a, &p->b);
    p->r = fen_reader_create(FEN_GUI_FROM_GUEST, 0);
    p->w = fen_writer_create(64 * 1024);
    *state = p;
    return p->r && p->w ? 0 : -1;
}

static int teardown_pair(void **state)
{
    struct pair *p = *state;
    fen_reader_destroy(p->r);
    fen_writer_destroy(p->w);
    fen_chan_close(p->a);
    fen_chan_close(p->b);
    free(p);
    return 0;
}

static void put_hdr(uint8_t *buf, uint32_t type, uint32_t window, uint32_t length)
{
    struct fen_hdr h = {.type = type, .window = window, .length = length};
    memcpy(buf, &h, sizeof h);
}

/* A MAP message for window `win` (20 bytes). */
static size_t make_map(uint8_t *buf, uint32_t win, uint32_t transient)
{
    put_hdr(buf, FEN_MSG_MAP, win, 8);
    struct fen_msg_map m = {.transient_for = transient, .override_redirect = 0};
    memcpy(buf + 12, &m, sizeof m);
    return 20;
}

/* Next message, polling the channel a bounded number of times. */
static enum fen_read_status next_msg(struct pair *p, const uint8_t **msg, size_t *len,
                                     struct fen_error *err)
{
    enum fen_read_status st = FEN_READ_AGAIN;
    for (int i = 0; i < 2000 && st == FEN_READ_AGAIN; i++) {
        st = fen_reader_next(p->r, p->b, msg, len, err);
        if (st == FEN_READ_AGAIN) {
            struct pollfd pf = {.fd = fen_chan_fd(p->b), .events = POLLIN};
            poll(&pf, 1, 10);
        }
    }
    return st;
}

/* ---- reader ------------------------------------------------------------ */

static void reader_assembles_message_fed_byte_by_byte(void **state)
{
    struct pair *p = *state;
    uint8_t buf[20];
    size_t n = make_map(buf, 5, 9);
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(fen_reader_next(p->r, p->b, &msg, &len, &err), FEN_READ_AGAIN);
        assert_int_equal(fen_chan_write(p->a, buf + i, 1), 1);
    }
    assert_int_equal(fen_reader_next(p->r, p->b, &msg, &len, &err), FEN_READ_MSG);
    assert_int_equal(len, n);
    assert_memory_equal(msg, buf, n);
    assert_int_equal(fen_reader_next(p->r, p->b, &msg, &len, &err), FEN_READ_AGAIN);
}

static void reader_returns_each_of_many_messages_from_one_burst(void **state)
{
    struct pair *p = *state;
    uint8_t buf[20 * 100];
    for (uint32_t i = 0; i < 100; i++)
        make_map(buf + 20 * i, i + 1, 0);
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    for (uint32_t i = 0; i < 100; i++) {
        assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
        struct fen_hdr h;
        memcpy(&h, msg, sizeof h);
        assert_int_equal(h.window, i + 1);
        assert_int_equal(len, 20);
    }
    assert_int_equal(fen_reader_next(p->r, p->b, &msg, &len, &err), FEN_READ_AGAIN);
}

static void reader_delivers_empty_body_messages(void **state)
{
    struct pair *p = *state;
    uint8_t buf[12];
    put_hdr(buf, FEN_MSG_DESTROY, 3, 0);
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
    assert_int_equal(len, 12);
}

static void reader_hands_out_messages_four_byte_aligned(void **state)
{
    struct pair *p = *state;
    /* An odd-length TITLE shifts everything after it by one byte. */
    uint8_t buf[17 + 20 + 17 + 17];
    put_hdr(buf, FEN_MSG_TITLE, 1, 5);
    struct fen_msg_title t = {.length = 1};
    memcpy(buf + 12, &t, sizeof t);
    buf[16] = 'x';
    make_map(buf + 17, 2, 0);
    memcpy(buf + 37, buf, 17);
    memcpy(buf + 54, buf, 17);
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    size_t lens[4] = {17, 20, 17, 17};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
        assert_int_equal(len, lens[i]);
        assert_int_equal((uintptr_t)msg & 3u, 0);
        struct fen_msg pm;
        assert_int_equal(fen_parse_msg(FEN_GUI_FROM_GUEST, msg, len, 0, &pm, &err), FEN_OK);
    }
}

static void reader_refuses_lying_length_before_buffering_body(void **state)
{
    struct pair *p = *state;
    uint8_t buf[12];
    put_hdr(buf, FEN_MSG_MAP, 1, 0xfffffff0u); /* claims ~4 GiB */
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_ERROR);
    assert_int_equal(err.code, FEN_E_LENGTH);
    assert_true(strlen(err.reason) > 0);
}

static void reader_refuses_oversized_variable_message(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    struct fen_reader *r = fen_reader_create(FEN_CLIP_FROM_GUEST, 1024);
    uint8_t buf[12];
    put_hdr(buf, FEN_MSG_CLIP_DATA, 0, 8 + 4096); /* above this reader's 1 KiB cap */
    assert_int_equal(write_all(a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(fen_reader_next(r, b, &msg, &len, &err), FEN_READ_ERROR);
    assert_int_equal(err.code, FEN_E_LENGTH);
    fen_reader_destroy(r);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void reader_refuses_unknown_type(void **state)
{
    struct pair *p = *state;
    uint8_t buf[12];
    put_hdr(buf, 0x7777, 1, 0);
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_ERROR);
    assert_int_equal(err.code, FEN_E_TYPE);
}

static void reader_refuses_message_from_wrong_direction(void **state)
{
    struct pair *p = *state;
    uint8_t buf[12 + sizeof(struct fen_msg_dump_ack)] = {0};
    put_hdr(buf, FEN_MSG_DUMP_ACK, 1, sizeof(struct fen_msg_dump_ack)); /* dom0 -> guest only */
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_ERROR);
    assert_int_equal(err.code, FEN_E_TYPE);
}

static void reader_stays_failed_until_reset(void **state)
{
    struct pair *p = *state;
    uint8_t buf[12 + 20];
    put_hdr(buf, 0x7777, 1, 0);
    make_map(buf + 12, 2, 0);
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_ERROR);
    memset(&err, 0, sizeof err);
    assert_int_equal(fen_reader_next(p->r, p->b, &msg, &len, &err), FEN_READ_ERROR);
    assert_int_equal(err.code, FEN_E_TYPE);
    fen_reader_reset(p->r); /* e.g. after a reconnect: fresh state */
    assert_int_equal(write_all(p->a, buf + 12, 20), 0);
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
}

static void reader_reports_clean_eof(void **state)
{
    struct pair *p = *state;
    fen_chan_close(p->a);
    p->a = NULL;
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {.code = FEN_E_RANGE};
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_EOF);
    assert_int_equal(err.code, FEN_OK);
}

static void reader_delivers_whole_messages_before_eof(void **state)
{
    struct pair *p = *state;
    uint8_t buf[20];
    make_map(buf, 4, 0);
    assert_int_equal(write_all(p->a, buf, sizeof buf), 0);
    fen_chan_close(p->a);
    p->a = NULL;
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_EOF);
}

static void reader_reports_peer_death_mid_message_with_reason(void **state)
{
    struct test_dir d;
    test_dir_make(&d);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct fen_chan *c = client_connect(d.spec, 6000);
        uint8_t buf[20];
        make_map(buf, 1, 0);
        /* half a message, then die */
        _exit(c && write_all(c, buf, 15) == 0 ? 0 : 1);
    }
    struct fen_chan *s = fen_chan_server_init(d.spec, 6000, 0, 0);
    assert_non_null(s);
    assert_int_equal(server_accept(s), 0);
    struct pair p = {.b = s, .r = fen_reader_create(FEN_GUI_FROM_GUEST, 0)};
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(next_msg(&p, &msg, &len, &err), FEN_READ_EOF);
    assert_int_equal(err.code, FEN_E_TRUNCATED);
    assert_non_null(strstr(err.reason, "mid-message (15 of 20 bytes)"));
    assert_int_equal(child_status(pid), 0);
    fen_reader_destroy(p.r);
    fen_chan_close(s);
    test_dir_remove(&d);
}

static void reader_reports_peer_death_mid_header(void **state)
{
    struct pair *p = *state;
    uint8_t buf[20];
    make_map(buf, 1, 0);
    assert_int_equal(write_all(p->a, buf, 5), 0);
    fen_chan_close(p->a);
    p->a = NULL;
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_EOF);
    assert_int_equal(err.code, FEN_E_TRUNCATED);
    assert_non_null(strstr(err.reason, "mid-header"));
}

static void reader_assembles_large_clipboard_across_many_reads(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    struct fen_reader *r = fen_reader_create(FEN_CLIP_FROM_GUEST, 0);
    const uint32_t text = 3u << 20; /* 3 MiB: many socket reads */
    uint8_t *buf = malloc(12 + 8 + text);
    put_hdr(buf, FEN_MSG_CLIP_DATA, 0, 8 + text);
    struct fen_msg_clip_data cd = {.request_id = 1, .length = text};
    memcpy(buf + 12, &cd, sizeof cd);
    for (uint32_t i = 0; i < text; i++)
        buf[20 + i] = (uint8_t)('a' + i % 26);
    size_t off = 0, total = 12 + 8 + text;
    const uint8_t *msg = NULL;
    size_t len = 0;
    struct fen_error err;
    enum fen_read_status st = FEN_READ_AGAIN;
    int calls = 0;
    while (st == FEN_READ_AGAIN && calls < 100000) {
        if (off < total) {
            ssize_t w = fen_chan_write(a, buf + off, total - off);
            assert_true(w >= 0);
            off += (size_t)w;
        }
        st = fen_reader_next(r, b, &msg, &len, &err);
        calls++;
    }
    assert_int_equal(st, FEN_READ_MSG);
    assert_int_equal(len, total);
    assert_memory_equal(msg, buf, total);
    assert_true(calls > 10); /* bounded per call: it took many calls */
    free(buf);
    fen_reader_destroy(r);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void reader_create_and_destroy_accept_null_and_reset_is_safe(void **state)
{
    fen_reader_destroy(NULL);
    fen_writer_destroy(NULL);
    struct fen_reader *r = fen_reader_create(FEN_AUDIO_FROM_DOM0, 0);
    assert_non_null(r);
    fen_reader_reset(r);
    fen_reader_destroy(r);
}

/* ---- writer ------------------------------------------------------------ */

static void writer_delivers_messages_in_order(void **state)
{
    struct pair *p = *state;
    for (uint32_t i = 1; i <= 50; i++) {
        struct fen_msg_map m = {.transient_for = i};
        assert_int_equal(fen_writer_send(p->w, p->a, FEN_MSG_MAP, i, &m, sizeof m, -1), 0);
    }
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    for (uint32_t i = 1; i <= 50; i++) {
        assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
        struct fen_hdr h;
        struct fen_msg_map m;
        memcpy(&h, msg, sizeof h);
        memcpy(&m, msg + 12, sizeof m);
        assert_int_equal(h.type, FEN_MSG_MAP);
        assert_int_equal(h.window, i);
        assert_int_equal(m.transient_for, i);
    }
    assert_int_equal(fen_writer_pending(p->w), 0);
}

static void writer_disconnects_peer_that_never_reads_at_the_cap(void **state)
{
    struct pair *p = *state; /* cap 64 KiB */
    uint8_t body[1000] = {0};
    struct fen_msg_clip_data cd = {.length = sizeof body - 8};
    memcpy(body, &cd, sizeof cd);
    int rc = 0, sent = 0;
    while (rc == 0 && sent < 100000) {
        rc = fen_writer_send(p->w, p->a, FEN_MSG_CLIP_DATA, 0, body, sizeof body, -1);
        sent++;
    }
    assert_int_equal(rc, -1);
    assert_int_equal(errno, ENOBUFS);
    assert_true(fen_writer_pending(p->w) <= 64 * 1024);
    assert_true(fen_writer_pending(p->w) > 64 * 1024 - 1012);
    /* It stays refused while the peer keeps not reading. */
    assert_int_equal(fen_writer_send(p->w, p->a, FEN_MSG_CLIP_DATA, 0, body, sizeof body, -1), -1);
    assert_int_equal(errno, ENOBUFS);
}

static void writer_refuses_message_larger_than_its_cap(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    struct fen_writer *w = fen_writer_create(100);
    uint8_t body[200] = {0};
    assert_int_equal(fen_writer_send(w, a, FEN_MSG_CLIP_DATA, 0, body, sizeof body, -1), -1);
    assert_int_equal(errno, ENOBUFS);
    assert_int_equal(fen_writer_pending(w), 0);
    assert_int_equal(fen_chan_data_ready(b), 0); /* nothing half-sent */
    fen_writer_destroy(w);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void writer_queue_drains_with_flush_once_peer_reads(void **state)
{
    struct pair *p = *state;
    uint8_t body[1000] = {0};
    while (fen_writer_send(p->w, p->a, FEN_MSG_CLIP_DATA, 0, body, sizeof body, -1) == 0)
        ;
    size_t pending = fen_writer_pending(p->w);
    assert_true(pending > 0);
    /* The peer reads everything there is, then the writer catches up. */
    uint8_t sink[65536];
    for (int i = 0; i < 1000 && fen_writer_pending(p->w) > 0; i++) {
        while (fen_chan_read(p->b, sink, sizeof sink) > 0)
            ;
        assert_int_equal(fen_writer_flush(p->w, p->a), 0);
    }
    assert_int_equal(fen_writer_pending(p->w), 0);
}

static void writer_reports_epipe_when_peer_is_gone(void **state)
{
    struct pair *p = *state;
    fen_chan_close(p->b);
    p->b = NULL;
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = fen_writer_send(p->w, p->a, FEN_MSG_DESTROY, 1, NULL, 0, -1);
    assert_int_equal(rc, -1);
    assert_int_equal(errno, EPIPE);
}

static void writer_sends_fd_with_its_message(void **state)
{
    struct pair *p = *state;
    int mfd = memfd_create("pool", MFD_CLOEXEC);
    assert_int_equal(write(mfd, "pool!", 5), 5);
    struct fen_msg_pool pool = {.npages = 1, .pool_id = 0};
    assert_int_equal(fen_writer_send(p->w, p->a, FEN_MSG_DESTROY, 1, NULL, 0, -1), 0);
    assert_int_equal(fen_writer_send(p->w, p->a, FEN_MSG_POOL, 0, &pool, sizeof pool, mfd), 0);
    close(mfd); /* the caller keeps ownership of its fd */
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
    assert_int_equal(next_msg(p, &msg, &len, &err), FEN_READ_MSG);
    struct fen_hdr h;
    memcpy(&h, msg, sizeof h);
    assert_int_equal(h.type, FEN_MSG_POOL);
    int fd = fen_chan_take_fd(p->b);
    assert_true(fd >= 0);
    char buf[6] = {0};
    assert_int_equal(pread(fd, buf, 5, 0), 5);
    assert_string_equal(buf, "pool!");
    close(fd);
}

static void writer_holds_queued_fd_until_its_bytes_go_out(void **state)
{
    struct pair *p = *state;
    uint8_t body[1000] = {0};
    while (fen_writer_send(p->w, p->a, FEN_MSG_CLIP_DATA, 0, body, sizeof body, -1) == 0 &&
           fen_writer_pending(p->w) == 0)
        ;
    /* The channel is full: this fd waits in the queue. */
    int base = count_open_fds();
    int mfd = memfd_create("late", MFD_CLOEXEC);
    struct fen_msg_pool pool = {.npages = 1};
    assert_int_equal(fen_writer_send(p->w, p->a, FEN_MSG_POOL, 0, &pool, sizeof pool, mfd), 0);
    close(mfd);
    assert_int_equal(count_open_fds(), base + 1); /* the writer's dup */
    assert_int_equal(fen_chan_take_fd(p->b), -1);
    uint8_t sink[65536];
    for (int i = 0; i < 1000 && fen_writer_pending(p->w) > 0; i++) {
        while (fen_chan_read(p->b, sink, sizeof sink) > 0)
            ;
        assert_int_equal(fen_writer_flush(p->w, p->a), 0);
    }
    while (fen_chan_read(p->b, sink, sizeof sink) > 0)
        ;
    int fd = fen_chan_take_fd(p->b);
    assert_true(fd >= 0);
    close(fd);
}

static void writer_reset_drops_queue_and_closes_held_fds(void **state)
{
    struct pair *p = *state;
    uint8_t body[1000] = {0};
    while (fen_writer_send(p->w, p->a, FEN_MSG_CLIP_DATA, 0, body, sizeof body, -1) == 0 &&
           fen_writer_pending(p->w) == 0)
        ;
    int base = count_open_fds();
    int mfd = memfd_create("late", MFD_CLOEXEC);
    struct fen_msg_pool pool = {.npages = 1};
    assert_int_equal(fen_writer_send(p->w, p->a, FEN_MSG_POOL, 0, &pool, sizeof pool, mfd), 0);
    close(mfd);
    fen_writer_reset(p->w);
    assert_int_equal(fen_writer_pending(p->w), 0);
    assert_int_equal(count_open_fds(), base);
}

static void writer_queues_on_waiting_server_until_client_connects(void **state)
{
    struct test_dir d;
    test_dir_make(&d);
    struct fen_chan *s = fen_chan_server_init(d.spec, 6000, 0, 0);
    assert_non_null(s);
    struct fen_writer *w = fen_writer_create(4096);
    assert_int_equal(fen_writer_send(w, s, FEN_MSG_DESTROY, 9, NULL, 0, -1), 0);
    assert_int_equal(fen_writer_pending(w), 12);
    struct fen_chan *c = fen_chan_client_init(d.spec, 6000);
    assert_non_null(c);
    assert_int_equal(server_accept(s), 0);
    assert_int_equal(fen_writer_flush(w, s), 0);
    assert_int_equal(fen_writer_pending(w), 0);
    struct pair p = {.b = c, .r = fen_reader_create(FEN_GUI_FROM_GUEST, 0)};
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    assert_int_equal(next_msg(&p, &msg, &len, &err), FEN_READ_MSG);
    fen_reader_destroy(p.r);
    fen_writer_destroy(w);
    fen_chan_close(c);
    fen_chan_close(s);
    test_dir_remove(&d);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_pair, teardown_pair)

/* ---- wipe mode (clipboard text must not linger) ------------------------ */

#define SECRET_CHAR 'S'

static bool holds_secret(const uint8_t *buf, size_t n)
{
    static const char needle[] = "SSSSSSSSSSSSSSSS";
    return buf && memmem(buf, n, needle, sizeof needle - 1) != NULL;
}

/* A CLIP_DATA message of `len` secret bytes. */
static int send_secret(struct fen_writer *w, struct fen_chan *ch, uint32_t len)
{
    uint8_t *body = malloc(8 + len);
    struct fen_msg_clip_data d = {.request_id = 1, .length = len};
    memcpy(body, &d, sizeof d);
    memset(body + 8, SECRET_CHAR, len);
    int rc = fen_writer_send(w, ch, FEN_MSG_CLIP_DATA, 0, body, 8 + len, -1);
    explicit_bzero(body, 8 + len);
    free(body);
    return rc;
}

static bool writer_holds_secret(const struct fen_writer *w)
{
    const uint8_t *buf;
    size_t alloc;
    fen_writer_raw(w, &buf, &alloc);
    return holds_secret(buf, alloc);
}

static bool reader_holds_secret(const struct fen_reader *r)
{
    const uint8_t *buf, *scratch;
    size_t cap, scap;
    fen_reader_raw(r, &buf, &cap, &scratch, &scap);
    return holds_secret(buf, cap) || holds_secret(scratch, scap);
}

static void wiping_writer_keeps_no_byte_once_sent(void **state)
{
    (void)state;
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    struct fen_writer *w = fen_writer_create(1 << 20), *plain = fen_writer_create(1 << 20);
    fen_writer_set_wipe(w, true);
    assert_int_equal(send_secret(w, a, 3000), 0);
    assert_int_equal(fen_writer_pending(w), 0);
    assert_false(writer_holds_secret(w));
    /* the check can fail: a writer without wipe mode keeps the bytes */
    assert_int_equal(send_secret(plain, a, 3000), 0);
    assert_true(writer_holds_secret(plain));
    fen_writer_destroy(w);
    fen_writer_destroy(plain);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void wiping_writer_wipes_a_queue_that_drains_later(void **state)
{
    (void)state;
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    struct fen_writer *w = fen_writer_create(4 << 20);
    fen_writer_set_wipe(w, true);
    /* more than the socket takes at once: part stays queued, and the queue
     * is moved and grown while it waits */
    for (int i = 0; i < 3; i++)
        assert_int_equal(send_secret(w, a, 900 * 1024), 0);
    assert_true(fen_writer_pending(w) > 0);
    struct fen_reader *r = fen_reader_create(FEN_CLIP_FROM_GUEST, 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    int got = 0;
    for (int spins = 0; spins < 100000 && got < 3; spins++) {
        assert_int_equal(fen_writer_flush(w, a), 0);
        enum fen_read_status st = fen_reader_next(r, b, &msg, &len, &err);
        if (st == FEN_READ_MSG)
            got++;
        else
            assert_int_equal(st, FEN_READ_AGAIN);
    }
    assert_int_equal(got, 3);
    assert_int_equal(fen_writer_pending(w), 0);
    assert_false(writer_holds_secret(w));
    fen_reader_destroy(r);
    fen_writer_destroy(w);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void wiping_reader_forgets_a_message_once_the_next_call_is_made(void **state)
{
    (void)state;
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    struct fen_writer *w = fen_writer_create(1 << 20);
    struct fen_reader *r = fen_reader_create(FEN_CLIP_FROM_GUEST, 0);
    struct fen_reader *plain = fen_reader_create(FEN_CLIP_FROM_GUEST, 0);
    fen_reader_set_wipe(r, true);
    /* an odd length first, so the second message arrives unaligned and
     * goes through the reader's scratch copy */
    assert_int_equal(send_secret(w, a, 1001), 0);
    assert_int_equal(send_secret(w, a, 2000), 0);
    const uint8_t *msg;
    size_t len;
    struct fen_error err;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fen_reader_next(r, b, &msg, &len, &err), FEN_READ_MSG);
        assert_true(holds_secret(msg, len)); /* handed out intact */
    }
    assert_int_equal(fen_reader_next(r, b, &msg, &len, &err), FEN_READ_AGAIN);
    assert_false(reader_holds_secret(r));
    /* the check can fail: a reader without wipe mode keeps the bytes */
    assert_int_equal(send_secret(w, a, 1001), 0);
    assert_int_equal(fen_reader_next(plain, b, &msg, &len, &err), FEN_READ_MSG);
    assert_int_equal(fen_reader_next(plain, b, &msg, &len, &err), FEN_READ_AGAIN);
    assert_true(reader_holds_secret(plain));
    fen_reader_destroy(r);
    fen_reader_destroy(plain);
    fen_writer_destroy(w);
    fen_chan_close(a);
    fen_chan_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wiping_writer_keeps_no_byte_once_sent),
        cmocka_unit_test(wiping_writer_wipes_a_queue_that_drains_later),
        cmocka_unit_test(wiping_reader_forgets_a_message_once_the_next_call_is_made),
        T(reader_assembles_message_fed_byte_by_byte),
        T(reader_returns_each_of_many_messages_from_one_burst),
        T(reader_delivers_empty_body_messages),
        T(reader_hands_out_messages_four_byte_aligned),
        T(reader_refuses_lying_length_before_buffering_body),
        cmocka_unit_test(reader_refuses_oversized_variable_message),
        T(reader_refuses_unknown_type),
        T(reader_refuses_message_from_wrong_direction),
        T(reader_stays_failed_until_reset),
        T(reader_reports_clean_eof),
        T(reader_delivers_whole_messages_before_eof),
        cmocka_unit_test(reader_reports_peer_death_mid_message_with_reason),
        T(reader_reports_peer_death_mid_header),
        cmocka_unit_test(reader_assembles_large_clipboard_across_many_reads),
        cmocka_unit_test(reader_create_and_destroy_accept_null_and_reset_is_safe),
        T(writer_delivers_messages_in_order),
        T(writer_disconnects_peer_that_never_reads_at_the_cap),
        cmocka_unit_test(writer_refuses_message_larger_than_its_cap),
        T(writer_queue_drains_with_flush_once_peer_reads),
        T(writer_reports_epipe_when_peer_is_gone),
        T(writer_sends_fd_with_its_message),
        T(writer_holds_queued_fd_until_its_bytes_go_out),
        T(writer_reset_drops_queue_and_closes_held_fds),
        cmocka_unit_test(writer_queues_on_waiting_server_until_client_connects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
