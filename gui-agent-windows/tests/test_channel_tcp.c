/* Unit tests: the loopback TCP channel backend and the file page pool
 * ("tcp:PORTBASE[:POOLPATH]" specs), on Linux. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../protocol/src/channel_tcp.h"
#include "fenestra/channel.h"
#include "fenestra/pages.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"

/* A port base whose 64 ports are (very likely) free: an ephemeral port the
 * kernel just handed out, rounded down. */
static uint16_t free_portbase(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
    close(s);
    uint16_t p = ntohs(sa.sin_port);
    if (p > 65535 - FEN_TCP_PORT_SPAN)
        p = (uint16_t)(p - FEN_TCP_PORT_SPAN);
    return p;
}

static void spec_accepts_port_and_optional_path(void **state)
{
    uint16_t base = 0;
    const char *path = "x";
    assert_int_equal(fen_tcp_spec_parse("7000", &base, &path), 0);
    assert_int_equal(base, 7000);
    assert_null(path);
    assert_int_equal(fen_tcp_spec_parse("7000:/proc/1/fd/3", &base, &path), 0);
    assert_string_equal(path, "/proc/1/fd/3");
    assert_int_equal(fen_tcp_port_for(7000, FEN_PORT_GUI), 7000);
    assert_int_equal(fen_tcp_port_for(7000, FEN_PORT_CLIPBOARD), 7001);
    assert_int_equal(fen_tcp_port_for(7000, FEN_PORT_GUI + FEN_TCP_PORT_SPAN), -1);
    assert_int_equal(fen_tcp_port_for(7000, 5999), -1);
    const char *b = fen_spec_backend("tcp:7000", NULL);
    assert_non_null(b);
    assert_string_equal(b, "tcp");
}

static void spec_refuses_hosts_and_bad_ports(void **state)
{
    static const char *const bad[] = {
        "10.0.0.1:7000",
        "localhost:7000",
        "0.0.0.0:7000",
        "127.0.0.1:7000",
        "[::1]:7000",
        "",
        "80",
        "1023",
        "65535",
        "99999",
        "123456",
        "-7000",
        "+7000",
        " 7000",
        "7000x",
        "7000:",
        "0x1b58",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(fen_tcp_spec_parse(bad[i], NULL, NULL), -1);
        char spec[64];
        snprintf(spec, sizeof spec, "tcp:%s", bad[i]);
        assert_null(fen_spec_backend(spec, NULL));
        errno = 0;
        assert_null(fen_chan_server_init(spec, FEN_PORT_GUI, 0, 0));
        assert_int_equal(errno, EINVAL);
        assert_null(fen_chan_client_init(spec, FEN_PORT_GUI));
    }
}

static void server_listens_on_loopback_only(void **state)
{
    char spec[32];
    snprintf(spec, sizeof spec, "tcp:%u", free_portbase());
    struct fen_chan *srv = fen_chan_server_init(spec, FEN_PORT_GUI, 0, 0);
    assert_non_null(srv);
    assert_int_equal(fen_chan_is_open(srv), FEN_CHAN_WAITING);
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fen_chan_fd(srv), (struct sockaddr *)&sa, &len), 0);
    assert_int_equal(sa.sin_family, AF_INET);
    assert_int_equal(ntohl(sa.sin_addr.s_addr), INADDR_LOOPBACK);
    fen_chan_close(srv);
}

static void read_all(struct fen_chan *ch, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        assert_int_equal(fen_chan_wait(ch, true), 0);
        ssize_t r = fen_chan_read(ch, (uint8_t *)buf + got, n - got);
        assert_true(r >= 0);
        got += (size_t)r;
    }
}

static void loopback_round_trip(void **state)
{
    uint16_t base = free_portbase();
    char spec[32];
    snprintf(spec, sizeof spec, "tcp:%u", base);
    /* No server yet: the client fails cleanly. */
    errno = 0;
    assert_null(fen_chan_client_init(spec, FEN_PORT_CLIPBOARD));
    assert_int_equal(errno, ECONNREFUSED);

    struct fen_chan *srv = fen_chan_server_init(spec, FEN_PORT_CLIPBOARD, 65536, 65536);
    assert_non_null(srv);
    assert_int_equal(fen_chan_read(srv, (char[4]){0}, 4), 0); /* waiting: nothing */
    struct fen_chan *cli = fen_chan_client_init(spec, FEN_PORT_CLIPBOARD);
    assert_non_null(cli);
    assert_int_equal(fen_chan_wait(srv, true), 0);
    assert_int_equal(fen_chan_is_open(srv), FEN_CHAN_OPEN);
    assert_int_equal(fen_chan_is_open(cli), FEN_CHAN_OPEN);

    /* One client only: the listener is gone once a client was accepted. */
    assert_null(fen_chan_client_init(spec, FEN_PORT_CLIPBOARD));

    const char ping[] = "ping from dom0";
    assert_int_equal(fen_chan_write(cli, ping, sizeof ping), (ssize_t)sizeof ping);
    char buf[64] = {0};
    read_all(srv, buf, sizeof ping);
    assert_string_equal(buf, ping);

    /* Larger than one socket buffer, both ways through non-blocking writes. */
    size_t big = 1u << 20;
    uint8_t *out = malloc(big), *in = malloc(big);
    assert_non_null(out);
    assert_non_null(in);
    for (size_t i = 0; i < big; i++)
        out[i] = (uint8_t)(i * 7 + 3);
    size_t sent = 0, got = 0;
    while (got < big) {
        if (sent < big) {
            ssize_t w = fen_chan_write(srv, out + sent, big - sent);
            assert_true(w >= 0);
            sent += (size_t)w;
        }
        assert_int_equal(fen_chan_wait(cli, false), 0);
        ssize_t r = fen_chan_read(cli, in + got, big - got);
        assert_true(r >= 0);
        got += (size_t)r;
    }
    assert_memory_equal(in, out, big);
    free(out);
    free(in);

    /* No fd passing over TCP. */
    int fd = dup(0);
    errno = 0;
    assert_int_equal(fen_chan_write_with_fd(srv, "x", 1, fd), -1);
    assert_int_equal(errno, ENOTSUP);
    close(fd);
    assert_int_equal(fen_chan_take_fd(cli), -1);

    /* The peer closing is seen as closed. */
    fen_chan_close(cli);
    assert_int_equal(fen_chan_wait(srv, true), -1);
    assert_int_equal(fen_chan_is_open(srv), FEN_CHAN_CLOSED);
    assert_int_equal(fen_chan_read(srv, buf, sizeof buf), -1);
    fen_chan_close(srv);
}

/* A sealed memfd like fen-pool-hold makes, reachable as /proc/self/fd/N. */
static int sealed_pool(size_t pages, char *path, size_t path_size)
{
    int fd = memfd_create("test-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)(pages * FEN_PAGE_SIZE)), 0);
    assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), 0);
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}

static void file_pool_shares_pages_dom0_maps(void **state)
{
    char path[64], spec[128];
    int fd = sealed_pool(16, path, sizeof path);
    snprintf(spec, sizeof spec, "tcp:%u:%s", free_portbase(), path);

    struct fen_pool *pool = fen_pool_create(spec, 16);
    assert_non_null(pool);
    assert_int_equal(fen_pool_npages(pool), 16);
    assert_int_equal(fen_pool_fd(pool), -1);
    struct fen_share *a = fen_pool_share(pool, 3);
    struct fen_share *b = fen_pool_share(pool, 2);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(fen_pool_share(pool, 12)); /* only 11 left */
    memset(b->ptr, 0x5a, 2 * FEN_PAGE_SIZE);

    struct fen_mapper *m = fen_mapper_create(spec);
    assert_non_null(m);
    struct fen_error err = {0};
    /* Before POOL, nothing maps. */
    assert_null(fen_mapper_map(m, 0, b->refs, 2, &err));
    assert_int_equal(fen_mapper_set_pool(m, 0, -1, 15, &err), FEN_E_RANGE);
    assert_int_equal(fen_mapper_set_pool(m, 1, -1, 16, &err), FEN_E_RANGE);
    assert_int_equal(fen_mapper_set_pool(m, 0, -1, 16, &err), FEN_OK);
    struct fen_mapping *map = fen_mapper_map(m, 0, b->refs, 2, &err);
    assert_non_null(map);
    assert_int_equal(map->npages, 2);
    assert_true(map->pool_fd >= 0);
    assert_int_equal(map->pool_offset, (off_t)b->refs[0] * FEN_PAGE_SIZE);
    const uint8_t *p = map->ptr;
    assert_int_equal(p[0], 0x5a);
    assert_int_equal(p[2 * FEN_PAGE_SIZE - 1], 0x5a);
    /* Writes by the guest show through the mapping. */
    ((uint8_t *)b->ptr)[100] = 0x11;
    assert_int_equal(p[100], 0x11);

    /* Scattered refs map too, as one contiguous view. */
    uint32_t scattered[2] = {b->refs[1], a->refs[0]};
    struct fen_mapping *map2 = fen_mapper_map(m, 0, scattered, 2, &err);
    assert_non_null(map2);
    assert_int_equal(map2->pool_fd, -1);
    assert_int_equal(((const uint8_t *)map2->ptr)[0], 0x5a);
    assert_int_equal(((const uint8_t *)map2->ptr)[FEN_PAGE_SIZE], 0);

    uint32_t bad[1] = {16};
    assert_null(fen_mapper_map(m, 0, bad, 1, &err));
    assert_int_equal(err.code, FEN_E_RANGE);
    assert_null(fen_mapper_map(m, 1, b->refs, 1, &err));

    fen_mapping_unmap(m, map);
    fen_mapping_unmap(m, map2);
    fen_pool_unshare(pool, a);
    fen_pool_unshare(pool, b);
    struct fen_share *c = fen_pool_share(pool, 16);
    assert_non_null(c);
    fen_pool_unshare(pool, c);
    fen_mapper_destroy(m);
    fen_pool_destroy(pool);
    close(fd);
}

static void mapper_refuses_unsealed_pool(void **state)
{
    char path[] = "/tmp/fen-test-pool-XXXXXX", spec[128];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 4 * FEN_PAGE_SIZE), 0);
    snprintf(spec, sizeof spec, "tcp:%u:%s", free_portbase(), path);
    struct fen_mapper *m = fen_mapper_create(spec);
    assert_non_null(m);
    struct fen_error err = {0};
    assert_int_equal(fen_mapper_set_pool(m, 0, -1, 4, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "sealed"));
    fen_mapper_destroy(m);
    unlink(path);
    close(fd);
    /* A FIFO at the configured path neither hangs dom0 nor is accepted. */
    char fifo[] = "/tmp/fen-test-fifo-XXXXXX";
    int tfd = mkstemp(fifo);
    assert_true(tfd >= 0);
    close(tfd);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(spec, sizeof spec, "tcp:%u:%s", free_portbase(), fifo);
    m = fen_mapper_create(spec);
    assert_non_null(m);
    assert_int_not_equal(fen_mapper_set_pool(m, 0, -1, 4, &err), FEN_OK);
    fen_mapper_destroy(m);
    unlink(fifo);
    /* A relative path is refused outright (dom0 names its pool exactly). */
    snprintf(spec, sizeof spec, "tcp:%u:pool", free_portbase());
    assert_null(fen_mapper_create(spec));
    /* A pool without a path cannot be created. */
    snprintf(spec, sizeof spec, "tcp:%u", free_portbase());
    assert_null(fen_pool_create(spec, 4));
}

static void pool_announce_is_a_valid_pool_message(void **state)
{
    char path[64], spec[128];
    int fd = sealed_pool(8, path, sizeof path);
    snprintf(spec, sizeof spec, "tcp:%u:%s", free_portbase(), path);
    struct fen_pool *pool = fen_pool_create(spec, 8);
    assert_non_null(pool);
    struct fen_chan *srv = fen_chan_server_init(spec, FEN_PORT_GUI, 0, 0);
    assert_non_null(srv);
    struct fen_chan *cli = fen_chan_client_init(spec, FEN_PORT_GUI);
    assert_non_null(cli);
    assert_int_equal(fen_chan_wait(srv, true), 0);
    assert_int_equal(fen_pool_announce(pool, srv), 0);
    uint8_t buf[sizeof(struct fen_hdr) + sizeof(struct fen_msg_pool)];
    read_all(cli, buf, sizeof buf);
    struct fen_msg msg;
    struct fen_error err = {0};
    assert_int_equal(fen_parse_msg(FEN_GUI_FROM_GUEST, buf, sizeof buf, 0, &msg, &err), FEN_OK);
    assert_int_equal(msg.type, FEN_MSG_POOL);
    assert_int_equal(msg.u.pool.npages, 8);
    assert_int_equal(msg.u.pool.pool_id, 0);
    assert_int_equal(fen_chan_take_fd(cli), -1);
    fen_chan_close(cli);
    fen_chan_close(srv);
    fen_pool_destroy(pool);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_accepts_port_and_optional_path),
        cmocka_unit_test(spec_refuses_hosts_and_bad_ports),
        cmocka_unit_test(server_listens_on_loopback_only),
        cmocka_unit_test(loopback_round_trip),
        cmocka_unit_test(file_pool_shares_pages_dom0_maps),
        cmocka_unit_test(mapper_refuses_unsealed_pool),
        cmocka_unit_test(pool_announce_is_a_valid_pool_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
