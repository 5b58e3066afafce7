/* Local channel backend: spec strings, connection life cycle, round trips
 * across processes, partial writes, readiness counts, fd passing, peer death. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "chan_test_util.h"

#define PORT 6000

static int setup_dir(void **state)
{
    struct test_dir *d = calloc(1, sizeof *d);
    test_dir_make(d);
    *state = d;
    return 0;
}

static int teardown_dir(void **state)
{
    test_dir_remove(*state);
    free(*state);
    return 0;
}

/* ---- spec strings ------------------------------------------------------ */

static void spec_names_local_and_xen_backends(void **state)
{
    const char *rest = NULL;
    assert_string_equal(fen_spec_backend("local:/run/q", &rest), "local");
    assert_string_equal(rest, "/run/q");
    assert_string_equal(fen_spec_backend("xen:12", &rest), "xen");
    assert_string_equal(rest, "12");
}

static void spec_rejects_malformed_strings(void **state)
{
    const char *bad[] = {"",       "local:",    "local",     "xen:",   "xen:-1",   "xen:abc",
                         "xen:1x", "xen:99999", "xen:32752", "tcpx:1", "LOCAL:/x", "/tmp"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(fen_spec_backend(bad[i], NULL));
    assert_null(fen_spec_backend(NULL, NULL));
}

static void server_init_rejects_bad_spec_and_port(void **state)
{
    struct test_dir *d = *state;
    errno = 0;
    assert_null(fen_chan_server_init("bogus:1", PORT, 0, 0));
    assert_int_equal(errno, EINVAL);
    assert_null(fen_chan_server_init(d->spec, -1, 0, 0));
    assert_int_equal(errno, EINVAL);
    assert_null(fen_chan_server_init(d->spec, 65536, 0, 0));
    assert_null(fen_chan_client_init("nope", PORT));
}

static void too_long_socket_path_fails_with_enametoolong(void **state)
{
    char spec[200] = "local:/tmp/";
    memset(spec + strlen(spec), 'a', 150);
    errno = 0;
    assert_null(fen_chan_server_init(spec, PORT, 0, 0));
    assert_int_equal(errno, ENAMETOOLONG);
}

/* ---- life cycle -------------------------------------------------------- */

static void client_fails_with_enoent_before_server_exists(void **state)
{
    struct test_dir *d = *state;
    errno = 0;
    assert_null(fen_chan_client_init(d->spec, PORT));
    assert_int_equal(errno, ENOENT);
}

static void server_waits_then_opens_when_client_connects(void **state)
{
    struct test_dir *d = *state;
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    assert_int_equal(fen_chan_is_open(s), FEN_CHAN_WAITING);
    assert_int_equal(fen_chan_wait(s, false), 0); /* nothing yet: no block */
    assert_int_equal(fen_chan_is_open(s), FEN_CHAN_WAITING);
    char b;
    assert_int_equal(fen_chan_read(s, &b, 1), 0);
    assert_int_equal(fen_chan_write(s, "x", 1), 0);
    int listen_fd = fen_chan_fd(s);
    struct fen_chan *c = fen_chan_client_init(d->spec, PORT);
    assert_non_null(c);
    assert_int_equal(fen_chan_is_open(c), FEN_CHAN_OPEN);
    assert_int_equal(server_accept(s), 0);
    assert_int_equal(fen_chan_is_open(s), FEN_CHAN_OPEN);
    assert_true(fen_chan_fd(s) >= 0);
    (void)listen_fd;
    fen_chan_close(c);
    fen_chan_close(s);
}

static void server_serves_one_client_and_removes_its_socket_file(void **state)
{
    struct test_dir *d = *state;
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    struct fen_chan *c = fen_chan_client_init(d->spec, PORT);
    assert_non_null(c);
    assert_int_equal(server_accept(s), 0);
    errno = 0;
    assert_null(fen_chan_client_init(d->spec, PORT));
    assert_int_equal(errno, ENOENT);
    fen_chan_close(c);
    fen_chan_close(s);
}

static void stale_socket_file_is_replaced(void **state)
{
    struct test_dir *d = *state;
    /* A socket file left behind by a dead server. */
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/vchan-%d.sock", d->path, PORT);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd);
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    struct fen_chan *c = fen_chan_client_init(d->spec, PORT);
    assert_non_null(c);
    fen_chan_close(c);
    fen_chan_close(s);
}

static void server_never_removes_a_file_that_is_not_a_socket(void **state)
{
    struct test_dir *d = *state;
    char p[200];
    snprintf(p, sizeof p, "%s/vchan-%d.sock", d->path, PORT);
    int fd = open(p, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    errno = 0;
    assert_null(fen_chan_server_init(d->spec, PORT, 0, 0));
    assert_int_equal(errno, EEXIST);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISREG(st.st_mode));
}

static void closing_a_waiting_server_removes_its_socket_file(void **state)
{
    struct test_dir *d = *state;
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    fen_chan_close(s);
    errno = 0;
    assert_null(fen_chan_client_init(d->spec, PORT));
    assert_int_equal(errno, ENOENT);
    fen_chan_close(NULL);
}

/* ---- across processes -------------------------------------------------- */

static void round_trip_between_server_and_client_processes(void **state)
{
    struct test_dir *d = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* client: send a question, expect the echo upper-cased */
        struct fen_chan *c = client_connect(d->spec, PORT);
        char buf[6] = {0};
        int ok = c && write_all(c, "hello", 5) == 0 && read_all(c, buf, 5) == 0 &&
                 strcmp(buf, "HELLO") == 0;
        fen_chan_close(c);
        _exit(ok ? 0 : 1);
    }
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    assert_int_equal(server_accept(s), 0);
    char buf[5];
    assert_int_equal(read_all(s, buf, 5), 0);
    for (int i = 0; i < 5; i++)
        buf[i] = (char)(buf[i] - 32);
    assert_int_equal(write_all(s, buf, 5), 0);
    assert_int_equal(child_status(pid), 0);
    fen_chan_close(s);
}

static uint8_t pattern_byte(size_t i)
{
    return (uint8_t)((i * 2654435761u) >> 13);
}

static void eight_megabytes_cross_intact_through_partial_writes(void **state)
{
    struct test_dir *d = *state;
    const size_t total = 8u << 20;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct fen_chan *c = client_connect(d->spec, PORT);
        uint8_t *buf = malloc(total);
        for (size_t i = 0; i < total; i++)
            buf[i] = pattern_byte(i);
        /* One huge write at a time: the channel takes only part of it. */
        size_t off = 0, short_writes = 0;
        for (int polls = 0; c && off < total && polls < 5000;) {
            ssize_t w = fen_chan_write(c, buf + off, total - off);
            if (w < 0)
                break;
            if ((size_t)w < total - off)
                short_writes++;
            if (w == 0) {
                struct pollfd p = {.fd = fen_chan_fd(c), .events = POLLOUT};
                poll(&p, 1, 10);
                polls++;
            }
            off += (size_t)w;
        }
        free(buf);
        fen_chan_close(c);
        _exit(off == total && short_writes > 0 ? 0 : 1);
    }
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    assert_int_equal(server_accept(s), 0);
    uint8_t *buf = malloc(total);
    assert_int_equal(read_all(s, buf, total), 0);
    size_t bad = 0;
    for (size_t i = 0; i < total; i++)
        bad += buf[i] != pattern_byte(i);
    free(buf);
    assert_int_equal(bad, 0);
    assert_int_equal(child_status(pid), 0);
    fen_chan_close(s);
}

static void peer_exit_closes_channel_after_buffered_data_is_read(void **state)
{
    struct test_dir *d = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct fen_chan *c = client_connect(d->spec, PORT);
        int ok = c && write_all(c, "last words", 10) == 0;
        _exit(ok ? 0 : 1); /* dies without closing politely */
    }
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    assert_int_equal(server_accept(s), 0);
    assert_int_equal(child_status(pid), 0);
    assert_int_equal(fen_chan_is_open(s), FEN_CHAN_CLOSED);
    assert_int_equal(fen_chan_data_ready(s), 10);
    char buf[16];
    assert_int_equal(fen_chan_read(s, buf, sizeof buf), 10);
    assert_memory_equal(buf, "last words", 10);
    assert_int_equal(fen_chan_read(s, buf, sizeof buf), -1);
    assert_int_equal(fen_chan_wait(s, true), -1);
    fen_chan_close(s);
}

static void write_to_dead_peer_fails_without_sigpipe(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    fen_chan_close(b);
    /* SIGPIPE would kill the test; MSG_NOSIGNAL turns it into -1. */
    ssize_t r = 0;
    for (int i = 0; i < 3 && r >= 0; i++)
        r = fen_chan_write(a, "data", 4);
    assert_int_equal(r, -1);
    assert_int_equal(fen_chan_is_open(a), FEN_CHAN_CLOSED);
    fen_chan_close(a);
}

/* ---- readiness ---------------------------------------------------------- */

static void data_ready_counts_unread_bytes(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    assert_int_equal(fen_chan_data_ready(b), 0);
    assert_int_equal(fen_chan_write(a, "0123456789", 10), 10);
    assert_int_equal(fen_chan_data_ready(b), 10);
    char buf[4];
    assert_int_equal(fen_chan_read(b, buf, 4), 4);
    assert_int_equal(fen_chan_data_ready(b), 6);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void buffer_space_shrinks_while_peer_does_not_read(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    size_t before = fen_chan_buffer_space(a);
    assert_true(before > 4096);
    char buf[4096] = {0};
    assert_true(fen_chan_write(a, buf, sizeof buf) > 0);
    size_t after = fen_chan_buffer_space(a);
    assert_true(after < before);
    /* Fill it up: eventually nothing more is accepted and space is ~0. */
    ssize_t w = 1;
    for (int i = 0; i < 100000 && w > 0; i++)
        w = fen_chan_write(a, buf, sizeof buf);
    assert_int_equal(w, 0);
    assert_true(fen_chan_buffer_space(a) < sizeof buf);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void nonblocking_read_on_empty_channel_returns_zero(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    char c;
    assert_int_equal(fen_chan_read(b, &c, 1), 0);
    assert_int_equal(fen_chan_wait(b, false), 0);
    assert_int_equal(fen_chan_is_open(b), FEN_CHAN_OPEN);
    fen_chan_close(a);
    fen_chan_close(b);
}

/* ---- fd passing --------------------------------------------------------- */

static void fd_rides_with_data_and_stays_usable(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    int mfd = memfd_create("t", MFD_CLOEXEC);
    assert_int_equal(write(mfd, "payload", 7), 7);
    assert_int_equal(fen_chan_take_fd(b), -1);
    assert_int_equal(fen_chan_write_with_fd(a, "M", 1, mfd), 1);
    close(mfd);
    char c;
    assert_int_equal(fen_chan_read(b, &c, 1), 1);
    int got = fen_chan_take_fd(b);
    assert_true(got >= 0);
    assert_int_equal(fen_chan_take_fd(b), -1);
    char buf[8] = {0};
    assert_int_equal(pread(got, buf, 7, 0), 7);
    assert_string_equal(buf, "payload");
    assert_true(fcntl(got, F_GETFD) & FD_CLOEXEC);
    close(got);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void fds_arrive_in_order_of_their_bytes(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    int p1[2], p2[2];
    assert_int_equal(pipe(p1), 0);
    assert_int_equal(pipe(p2), 0);
    assert_int_equal(fen_chan_write_with_fd(a, "1", 1, p1[1]), 1);
    assert_int_equal(fen_chan_write_with_fd(a, "2", 1, p2[1]), 1);
    char buf[2];
    assert_int_equal(read_all(b, buf, 2), 0);
    int f1 = fen_chan_take_fd(b), f2 = fen_chan_take_fd(b);
    assert_int_equal(write(f1, "a", 1), 1);
    assert_int_equal(write(f2, "b", 1), 1);
    char c;
    assert_int_equal(read(p1[0], &c, 1), 1);
    assert_int_equal(c, 'a');
    assert_int_equal(read(p2[0], &c, 1), 1);
    assert_int_equal(c, 'b');
    close(f1), close(f2), close(p1[0]), close(p1[1]), close(p2[0]), close(p2[1]);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void fd_flood_is_capped_and_extras_are_closed(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    int base = count_open_fds();
    int mfd = memfd_create("t", MFD_CLOEXEC);
    for (int i = 0; i < FEN_CHAN_LOCAL_MAX_FDS + 10; i++)
        assert_int_equal(fen_chan_write_with_fd(a, "x", 1, mfd), 1);
    close(mfd);
    char buf[64];
    assert_int_equal(read_all(b, buf, FEN_CHAN_LOCAL_MAX_FDS + 10), 0);
    assert_int_equal(count_open_fds(), base + FEN_CHAN_LOCAL_MAX_FDS);
    int n = 0;
    for (int fd; (fd = fen_chan_take_fd(b)) >= 0; n++)
        close(fd);
    assert_int_equal(n, FEN_CHAN_LOCAL_MAX_FDS);
    assert_int_equal(count_open_fds(), base);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void close_releases_fds_nobody_took(void **state)
{
    int base = count_open_fds();
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    int mfd = memfd_create("t", MFD_CLOEXEC);
    assert_int_equal(fen_chan_write_with_fd(a, "x", 1, mfd), 1);
    close(mfd);
    char c;
    assert_int_equal(fen_chan_read(b, &c, 1), 1);
    fen_chan_close(a);
    fen_chan_close(b);
    assert_int_equal(count_open_fds(), base);
}

static void write_with_fd_rejects_missing_fd(void **state)
{
    struct fen_chan *a, *b;
    chan_pair(&a, &b);
    errno = 0;
    assert_int_equal(fen_chan_write_with_fd(a, "x", 1, -1), -1);
    assert_int_equal(errno, EINVAL);
    fen_chan_close(a);
    fen_chan_close(b);
}

static void fd_crosses_between_processes(void **state)
{
    struct test_dir *d = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct fen_chan *c = client_connect(d->spec, PORT);
        int mfd = memfd_create("child", MFD_CLOEXEC);
        int ok = c && mfd >= 0 && write(mfd, "from child", 10) == 10 &&
                 fen_chan_write_with_fd(c, "F", 1, mfd) == 1;
        char c2;
        ok = ok && read_all(c, &c2, 1) == 0; /* wait for the parent's ack */
        fen_chan_close(c);
        _exit(ok ? 0 : 1);
    }
    struct fen_chan *s = fen_chan_server_init(d->spec, PORT, 0, 0);
    assert_non_null(s);
    assert_int_equal(server_accept(s), 0);
    char c;
    assert_int_equal(read_all(s, &c, 1), 0);
    int fd = fen_chan_take_fd(s);
    assert_true(fd >= 0);
    char buf[11] = {0};
    assert_int_equal(pread(fd, buf, 10, 0), 10);
    assert_string_equal(buf, "from child");
    close(fd);
    assert_int_equal(write_all(s, "k", 1), 0);
    assert_int_equal(child_status(pid), 0);
    fen_chan_close(s);
}

int main(void)
{
    signal(SIGPIPE, SIG_DFL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_names_local_and_xen_backends),
        cmocka_unit_test(spec_rejects_malformed_strings),
        cmocka_unit_test_setup_teardown(server_init_rejects_bad_spec_and_port, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(too_long_socket_path_fails_with_enametoolong),
        cmocka_unit_test_setup_teardown(client_fails_with_enoent_before_server_exists, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(server_waits_then_opens_when_client_connects, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(server_serves_one_client_and_removes_its_socket_file,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(stale_socket_file_is_replaced, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(server_never_removes_a_file_that_is_not_a_socket, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(closing_a_waiting_server_removes_its_socket_file, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(round_trip_between_server_and_client_processes, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(eight_megabytes_cross_intact_through_partial_writes,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(peer_exit_closes_channel_after_buffered_data_is_read,
                                        setup_dir, teardown_dir),
        cmocka_unit_test(write_to_dead_peer_fails_without_sigpipe),
        cmocka_unit_test(data_ready_counts_unread_bytes),
        cmocka_unit_test(buffer_space_shrinks_while_peer_does_not_read),
        cmocka_unit_test(nonblocking_read_on_empty_channel_returns_zero),
        cmocka_unit_test(fd_rides_with_data_and_stays_usable),
        cmocka_unit_test(fds_arrive_in_order_of_their_bytes),
        cmocka_unit_test(fd_flood_is_capped_and_extras_are_closed),
        cmocka_unit_test(close_releases_fds_nobody_took),
        cmocka_unit_test(write_with_fd_rejects_missing_fd),
        cmocka_unit_test_setup_teardown(fd_crosses_between_processes, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
