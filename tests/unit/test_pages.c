/* Shared pages, local backend: the guest's sealed memfd pool and dom0's
 * mapper, in one process and across processes over a local channel. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "chan_test_util.h"
#include "fenestra/msgio.h"
#include "fenestra/pages.h"

#define PG FEN_PAGE_SIZE

/* Fill page i of a share with a value derived from its ref. */
static void stamp_pages(struct fen_share *s, uint32_t salt)
{
    for (size_t i = 0; i < s->npages; i++) {
        uint32_t *w = (uint32_t *)((uint8_t *)s->ptr + i * PG);
        for (size_t k = 0; k < PG / 4; k++)
            w[k] = s->refs[i] * 0x10001u + (uint32_t)k + salt;
    }
}

static bool page_has_stamp(const void *page, uint32_t ref, uint32_t salt)
{
    const uint32_t *w = page;
    for (size_t k = 0; k < PG / 4; k++)
        if (w[k] != ref * 0x10001u + (uint32_t)k + salt)
            return false;
    return true;
}

static int sealed_memfd(size_t npages, int seals)
{
    int fd = memfd_create("test-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, (off_t)(npages * PG)) < 0)
        abort();
    if (seals && fcntl(fd, F_ADD_SEALS, seals) < 0)
        abort();
    return fd;
}

/* ---- guest pool --------------------------------------------------------- */

static void pool_is_a_sealed_memfd_of_the_requested_size(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 64);
    assert_non_null(pool);
    int fd = fen_pool_fd(pool);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_size, 64 * PG);
    int seals = fcntl(fd, F_GET_SEALS);
    assert_int_equal(seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
                     F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    assert_int_equal(ftruncate(fd, PG), -1); /* a guest cannot shrink it */
    assert_int_equal(fen_pool_npages(pool), 64);
    assert_int_equal(fen_pool_id(pool), 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    fen_pool_destroy(pool);
    fen_pool_destroy(NULL);
}

static void pool_create_rejects_bad_spec_and_sizes(void **state)
{
    errno = 0;
    assert_null(fen_pool_create("bogus", 4));
    assert_int_equal(errno, EINVAL);
    assert_null(fen_pool_create("local:/x", 0));
    assert_null(fen_pool_create("local:/x", (size_t)FEN_MAX_POOL_PAGES + 1));
}

static void share_gives_zeroed_writable_pages_with_consecutive_refs(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 16);
    struct fen_share *a = fen_pool_share(pool, 3);
    struct fen_share *b = fen_pool_share(pool, 2);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->npages, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(a->refs[i], i);
    assert_int_equal(b->refs[0], 3);
    assert_int_equal(b->refs[1], 4);
    const uint8_t *p = a->ptr;
    for (size_t i = 0; i < 3 * PG; i++)
        assert_int_equal(p[i], 0);
    memset(a->ptr, 0xab, 3 * PG);
    /* The bytes are in the memfd at the refs' offsets. */
    uint8_t c = 0;
    assert_int_equal(pread(fen_pool_fd(pool), &c, 1, 2 * PG + 7), 1);
    assert_int_equal(c, 0xab);
    fen_pool_unshare(pool, a);
    fen_pool_unshare(pool, b);
    fen_pool_unshare(pool, NULL);
    fen_pool_destroy(pool);
}

static void share_fails_with_enomem_when_pool_is_full(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 4);
    struct fen_share *a = fen_pool_share(pool, 3);
    assert_non_null(a);
    errno = 0;
    assert_null(fen_pool_share(pool, 2));
    assert_int_equal(errno, ENOMEM);
    assert_null(fen_pool_share(pool, 5));
    struct fen_share *b = fen_pool_share(pool, 1);
    assert_non_null(b);
    fen_pool_destroy(pool); /* frees outstanding shares too */
}

static void unshare_frees_pages_which_come_back_zeroed(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 4);
    struct fen_share *a = fen_pool_share(pool, 4);
    memset(a->ptr, 0x5a, 4 * PG);
    int fd = fen_pool_fd(pool);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_true(st.st_blocks >= 4 * PG / 512);
    fen_pool_unshare(pool, a);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_blocks, 0); /* punched out: memory returned */
    struct fen_share *b = fen_pool_share(pool, 4);
    assert_non_null(b);
    const uint8_t *p = b->ptr;
    for (size_t i = 0; i < 4 * PG; i++)
        assert_int_equal(p[i], 0);
    fen_pool_destroy(pool);
}

static void fragmented_pool_shares_several_runs_behind_one_pointer(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 8);
    struct fen_share *s[4];
    for (int i = 0; i < 4; i++)
        s[i] = fen_pool_share(pool, 2); /* pages 0-1, 2-3, 4-5, 6-7 */
    fen_pool_unshare(pool, s[0]);
    fen_pool_unshare(pool, s[2]);
    /* Free: 0,1 and 4,5: no run of 4, so the share spans two runs. */
    struct fen_share *f = fen_pool_share(pool, 4);
    assert_non_null(f);
    uint32_t want[4] = {0, 1, 4, 5};
    assert_memory_equal(f->refs, want, sizeof want);
    memset(f->ptr, 0x11, 4 * PG); /* contiguous and writable all the way */
    uint8_t c = 0;
    assert_int_equal(pread(fen_pool_fd(pool), &c, 1, 5 * PG + 100), 1);
    assert_int_equal(c, 0x11);
    assert_int_equal(pread(fen_pool_fd(pool), &c, 1, 3 * PG), 1);
    assert_int_equal(c, 0); /* page 3 belongs to s[1], untouched */
    fen_pool_destroy(pool);
}

static void adopted_sealed_memfd_is_a_pool_that_cannot_share(void **state)
{
    struct fen_pool *pool = fen_pool_adopt_fd(sealed_memfd(8, F_SEAL_SHRINK | F_SEAL_GROW), 8, 1);
    assert_non_null(pool);
    assert_int_equal(fen_pool_id(pool), 1);
    assert_int_equal(fen_pool_npages(pool), 8);
    errno = 0;
    assert_null(fen_pool_share(pool, 1));
    assert_int_equal(errno, ENOTSUP);
    fen_pool_destroy(pool);
}

static void adopt_rejects_unsealed_wrong_size_and_bad_id(void **state)
{
    int base = count_open_fds();
    assert_null(fen_pool_adopt_fd(sealed_memfd(8, 0), 8, 0));
    assert_null(fen_pool_adopt_fd(sealed_memfd(8, F_SEAL_SHRINK | F_SEAL_GROW), 7, 0));
    assert_null(fen_pool_adopt_fd(sealed_memfd(8, F_SEAL_SHRINK | F_SEAL_GROW), 8, FEN_MAX_POOLS));
    assert_null(fen_pool_adopt_fd(-1, 8, 0));
    assert_int_equal(count_open_fds(), base); /* fds were taken and closed */
}

/* ---- dom0 mapper -------------------------------------------------------- */

static void mapper_maps_refs_read_only_and_sees_guest_writes(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 16);
    struct fen_share *s = fen_pool_share(pool, 5);
    stamp_pages(s, 7);
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    assert_int_equal(fen_mapper_set_pool(m, 0, dup(fen_pool_fd(pool)), 16, &err), FEN_OK);
    struct fen_mapping *map = fen_mapper_map(m, 0, s->refs, s->npages, &err);
    assert_non_null(map);
    assert_int_equal(map->npages, 5);
    for (size_t i = 0; i < 5; i++)
        assert_true(page_has_stamp((const uint8_t *)map->ptr + i * PG, s->refs[i], 7));
    /* Later guest writes show through: no copy. */
    ((uint8_t *)s->ptr)[3 * PG] = 0xee;
    assert_int_equal(((const uint8_t *)map->ptr)[3 * PG], 0xee);
    fen_mapping_unmap(m, map);
    fen_mapping_unmap(m, NULL);
    fen_mapper_destroy(m);
    fen_pool_destroy(pool);
}

static void mapping_is_read_only(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err;
    assert_int_equal(
        fen_mapper_set_pool(m, 0, sealed_memfd(4, F_SEAL_SHRINK | F_SEAL_GROW), 4, &err), FEN_OK);
    uint32_t refs[2] = {1, 2};
    struct fen_mapping *map = fen_mapper_map(m, 0, refs, 2, &err);
    assert_non_null(map);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        ((volatile uint8_t *)map->ptr)[10] = 1; /* must fault */
        _exit(0);
    }
    assert_int_equal(child_status(pid), 128 + SIGSEGV);
    fen_mapping_unmap(m, map);
    fen_mapper_destroy(m);
}

static void non_consecutive_refs_map_in_the_order_given(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 16);
    struct fen_share *all = fen_pool_share(pool, 16);
    stamp_pages(all, 3);
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err;
    assert_int_equal(fen_mapper_set_pool(m, 0, dup(fen_pool_fd(pool)), 16, &err), FEN_OK);
    uint32_t refs[7] = {9, 2, 3, 4, 15, 0, 0};
    struct fen_mapping *map = fen_mapper_map(m, 0, refs, 7, &err);
    assert_non_null(map);
    for (size_t i = 0; i < 7; i++)
        assert_true(page_has_stamp((const uint8_t *)map->ptr + i * PG, refs[i], 3));
    assert_int_equal(map->pool_fd, -1); /* several runs: no single offset */
    fen_mapping_unmap(m, map);
    fen_mapper_destroy(m);
    fen_pool_destroy(pool);
}

static void one_run_mapping_reports_pool_fd_and_offset(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err;
    int fd = sealed_memfd(8, F_SEAL_SHRINK | F_SEAL_GROW);
    assert_int_equal(fen_mapper_set_pool(m, 2, fd, 8, &err), FEN_OK);
    uint32_t refs[3] = {4, 5, 6};
    struct fen_mapping *map = fen_mapper_map(m, 2, refs, 3, &err);
    assert_non_null(map);
    assert_int_equal(map->pool_fd, fd);
    assert_int_equal(map->pool_offset, 4 * PG);
    fen_mapping_unmap(m, map);
    fen_mapper_destroy(m);
}

static void mapper_rejects_refs_outside_the_pool(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    assert_int_equal(
        fen_mapper_set_pool(m, 0, sealed_memfd(8, F_SEAL_SHRINK | F_SEAL_GROW), 8, &err), FEN_OK);
    uint32_t edge[2] = {0, 8};
    assert_null(fen_mapper_map(m, 0, edge, 2, &err));
    assert_int_equal(err.code, FEN_E_RANGE);
    assert_non_null(strstr(err.reason, "ref[1]=8"));
    uint32_t huge[1] = {0xffffffffu};
    assert_null(fen_mapper_map(m, 0, huge, 1, &err));
    assert_int_equal(err.code, FEN_E_RANGE);
    uint32_t ok[1] = {7};
    struct fen_mapping *map = fen_mapper_map(m, 0, ok, 1, &err);
    assert_non_null(map);
    fen_mapping_unmap(m, map);
    fen_mapper_destroy(m);
}

static void mapper_rejects_empty_and_oversized_ref_lists(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    uint32_t r = 0;
    assert_null(fen_mapper_map(m, 0, &r, 0, &err));
    assert_int_equal(err.code, FEN_E_RANGE);
    assert_null(fen_mapper_map(m, 0, &r, (size_t)FEN_MAX_REFS_PER_WINDOW + 1, &err));
    assert_int_equal(err.code, FEN_E_RANGE);
    assert_null(fen_mapper_map(m, 0, NULL, 1, &err));
    fen_mapper_destroy(m);
}

static void mapper_rejects_unannounced_pool(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    uint32_t r = 0;
    assert_null(fen_mapper_map(m, 1, &r, 1, &err));
    assert_int_equal(err.code, FEN_E_STATE);
    assert_null(fen_mapper_map(m, 99, &r, 1, &err));
    fen_mapper_destroy(m);
}

static void mapper_rejects_unsealed_memfd(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    int base = count_open_fds();
    assert_int_equal(fen_mapper_set_pool(m, 0, sealed_memfd(4, 0), 4, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "not sealed"));
    assert_int_equal(fen_mapper_set_pool(m, 0, sealed_memfd(4, F_SEAL_GROW), 4, &err),
                     FEN_E_STATE);            /* shrinkable: a guest could SIGBUS dom0 */
    assert_int_equal(count_open_fds(), base); /* rejected fds are closed */
    fen_mapper_destroy(m);
}

static void mapper_rejects_pool_of_wrong_size(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    assert_int_equal(
        fen_mapper_set_pool(m, 0, sealed_memfd(4, F_SEAL_SHRINK | F_SEAL_GROW), 5, &err),
        FEN_E_LENGTH);
    assert_non_null(strstr(err.reason, "size"));
    fen_mapper_destroy(m);
}

static void mapper_rejects_missing_fd_and_non_memfd(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    assert_int_equal(fen_mapper_set_pool(m, 0, -1, 4, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "no pool fd"));
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[1]);
    assert_int_equal(fen_mapper_set_pool(m, 0, p[0], 4, &err), FEN_E_STATE);
    char path[] = "/tmp/fen-notmemfd-XXXXXX";
    int f = mkstemp(path);
    unlink(path);
    assert_int_equal(ftruncate(f, 4 * PG), 0);
    assert_int_equal(fen_mapper_set_pool(m, 0, f, 4, &err), FEN_E_STATE);
    assert_non_null(strstr(err.reason, "memfd"));
    fen_mapper_destroy(m);
}

static void mapper_rejects_bad_pool_id_and_page_count(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err = {0};
    assert_int_equal(fen_mapper_set_pool(m, FEN_MAX_POOLS,
                                         sealed_memfd(1, F_SEAL_SHRINK | F_SEAL_GROW), 1, &err),
                     FEN_E_RANGE);
    assert_int_equal(
        fen_mapper_set_pool(m, 0, sealed_memfd(1, F_SEAL_SHRINK | F_SEAL_GROW), 0, &err),
        FEN_E_RANGE);
    fen_mapper_destroy(m);
    fen_mapper_destroy(NULL);
    assert_null(fen_mapper_create("nope"));
}

static void mappings_outlive_a_replaced_pool(void **state)
{
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err;
    int fd = sealed_memfd(2, F_SEAL_SHRINK | F_SEAL_GROW);
    assert_int_equal(pwrite(fd, "old", 3, PG), 3);
    assert_int_equal(fen_mapper_set_pool(m, 0, fd, 2, &err), FEN_OK);
    uint32_t r = 1;
    struct fen_mapping *map = fen_mapper_map(m, 0, &r, 1, &err);
    assert_non_null(map);
    assert_int_equal(
        fen_mapper_set_pool(m, 0, sealed_memfd(3, F_SEAL_SHRINK | F_SEAL_GROW), 3, &err), FEN_OK);
    assert_memory_equal(map->ptr, "old", 3);
    /* The old pool fd stays open while a mapping reports it. */
    assert_true(fcntl(map->pool_fd, F_GETFD) >= 0);
    char buf[3];
    assert_int_equal(pread(map->pool_fd, buf, 3, PG), 3);
    assert_memory_equal(buf, "old", 3);
    fen_mapping_unmap(m, map);
    r = 2;
    map = fen_mapper_map(m, 0, &r, 1, &err); /* the new pool has 3 pages */
    assert_non_null(map);
    fen_mapping_unmap(m, map);
    fen_mapper_destroy(m);
}

static void punched_pages_read_as_zero_in_dom0_without_a_fault(void **state)
{
    struct fen_pool *pool = fen_pool_create("local:/unused", 4);
    struct fen_share *s = fen_pool_share(pool, 2);
    memset(s->ptr, 0x77, 2 * PG);
    struct fen_mapper *m = fen_mapper_create("local:/unused");
    struct fen_error err;
    assert_int_equal(fen_mapper_set_pool(m, 0, dup(fen_pool_fd(pool)), 4, &err), FEN_OK);
    uint32_t refs[2] = {s->refs[0], s->refs[1]};
    struct fen_mapping *map = fen_mapper_map(m, 0, refs, 2, &err);
    assert_int_equal(((const uint8_t *)map->ptr)[PG], 0x77);
    fen_pool_unshare(pool, s); /* a guest freeing too early costs dom0 nothing */
    assert_int_equal(((const uint8_t *)map->ptr)[PG], 0);
    fen_mapping_unmap(m, map);
    fen_mapper_destroy(m);
    fen_pool_destroy(pool);
}

/* ---- both directions across processes ------------------------------------ */

static int guest_process(const char *spec)
{
    struct fen_chan *s = fen_chan_server_init(spec, FEN_PORT_GUI, 0, 0);
    if (!s || server_accept(s) < 0)
        return 10;
    struct fen_pool *pool = fen_pool_create(spec, 8);
    if (!pool || fen_pool_announce(pool, s) < 0)
        return 11;
    /* Fragment the 8-page pool (free: 0-2 and 5-7) so the window's share
     * spans two runs. */
    struct fen_share *hole = fen_pool_share(pool, 3);
    struct fen_share *keep = fen_pool_share(pool, 2);
    fen_pool_unshare(pool, hole);
    struct fen_share *win = fen_pool_share(pool, 6);
    if (!keep || !win)
        return 12;
    stamp_pages(win, 99);
    struct fen_writer *w = fen_writer_create(1 << 20);
    uint8_t body[sizeof(struct fen_msg_window_dump) + 6 * 4];
    /* 64x96 pixels, stride 256: exactly 6 pages. */
    struct fen_msg_window_dump d = {.kind = FEN_DUMP_LOCAL_POOL,
                                    .width = 64,
                                    .height = 96,
                                    .stride = 256,
                                    .format = FEN_FORMAT_XRGB8888,
                                    .serial = 1,
                                    .num_refs = 6};
    memcpy(body, &d, sizeof d);
    memcpy(body + sizeof d, win->refs, 6 * 4);
    if (fen_writer_send(w, s, FEN_MSG_WINDOW_DUMP, 1, body, sizeof body, -1) < 0)
        return 13;
    for (int i = 0; i < 1000 && fen_writer_pending(w) > 0; i++) {
        usleep(1000);
        if (fen_writer_flush(w, s) < 0)
            return 14;
    }
    /* Wait for dom0 to finish reading (it closes), then clean up. */
    char c;
    while (read_all(s, &c, 1) == 0)
        ;
    fen_writer_destroy(w);
    fen_pool_destroy(pool);
    fen_chan_close(s);
    return 0;
}

static void dom0_reads_guest_pixels_through_pool_fd_sent_over_channel(void **state)
{
    struct test_dir d;
    test_dir_make(&d);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(guest_process(d.spec));
    struct fen_chan *c = client_connect(d.spec, FEN_PORT_GUI);
    assert_non_null(c);
    struct fen_reader *r = fen_reader_create(FEN_GUI_FROM_GUEST, 0);
    struct fen_mapper *m = fen_mapper_create(d.spec);
    const uint8_t *msg;
    size_t len;
    struct fen_error err = {0};
    int got_pool = 0, got_dump = 0;
    for (int i = 0; i < 2000 && !got_dump; i++) {
        enum fen_read_status st = fen_reader_next(r, c, &msg, &len, &err);
        if (st == FEN_READ_AGAIN) {
            struct pollfd pf = {.fd = fen_chan_fd(c), .events = POLLIN};
            poll(&pf, 1, 10);
            continue;
        }
        assert_int_equal(st, FEN_READ_MSG);
        struct fen_msg pm;
        if (fen_parse_msg(FEN_GUI_FROM_GUEST, msg, len, 0, &pm, &err) != FEN_OK)
            fail_msg("parse: %s", err.reason);
        if (pm.type == FEN_MSG_POOL) {
            assert_int_equal(fen_mapper_set_pool(m, pm.u.pool.pool_id, fen_chan_take_fd(c),
                                                 pm.u.pool.npages, &err),
                             FEN_OK);
            got_pool = 1;
        } else if (pm.type == FEN_MSG_WINDOW_DUMP) {
            assert_true(got_pool);
            const uint32_t *refs = pm.u.dump.refs;
            uint32_t lrefs[6];
            memcpy(lrefs, refs, sizeof lrefs);
            assert_int_equal(lrefs[0], 0); /* pages 0-2, then 5-7 */
            assert_int_equal(lrefs[3], 5);
            struct fen_mapping *map = fen_mapper_map(m, 0, lrefs, 6, &err);
            assert_non_null(map);
            for (size_t k = 0; k < 6; k++)
                assert_true(page_has_stamp((const uint8_t *)map->ptr + k * PG, lrefs[k], 99));
            fen_mapping_unmap(m, map);
            got_dump = 1;
        }
    }
    assert_true(got_dump);
    fen_chan_close(c);
    assert_int_equal(child_status(pid), 0);
    fen_mapper_destroy(m);
    fen_reader_destroy(r);
    test_dir_remove(&d);
}

static void announce_refuses_a_channel_without_a_client(void **state)
{
    struct test_dir d;
    test_dir_make(&d);
    struct fen_chan *s = fen_chan_server_init(d.spec, FEN_PORT_GUI, 0, 0);
    struct fen_pool *pool = fen_pool_create(d.spec, 4);
    errno = 0;
    assert_int_equal(fen_pool_announce(pool, s), -1);
    assert_int_equal(errno, ENOTCONN);
    fen_pool_destroy(pool);
    fen_chan_close(s);
    test_dir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_is_a_sealed_memfd_of_the_requested_size),
        cmocka_unit_test(pool_create_rejects_bad_spec_and_sizes),
        cmocka_unit_test(share_gives_zeroed_writable_pages_with_consecutive_refs),
        cmocka_unit_test(share_fails_with_enomem_when_pool_is_full),
        cmocka_unit_test(unshare_frees_pages_which_come_back_zeroed),
        cmocka_unit_test(fragmented_pool_shares_several_runs_behind_one_pointer),
        cmocka_unit_test(adopted_sealed_memfd_is_a_pool_that_cannot_share),
        cmocka_unit_test(adopt_rejects_unsealed_wrong_size_and_bad_id),
        cmocka_unit_test(mapper_maps_refs_read_only_and_sees_guest_writes),
        cmocka_unit_test(mapping_is_read_only),
        cmocka_unit_test(non_consecutive_refs_map_in_the_order_given),
        cmocka_unit_test(one_run_mapping_reports_pool_fd_and_offset),
        cmocka_unit_test(mapper_rejects_refs_outside_the_pool),
        cmocka_unit_test(mapper_rejects_empty_and_oversized_ref_lists),
        cmocka_unit_test(mapper_rejects_unannounced_pool),
        cmocka_unit_test(mapper_rejects_unsealed_memfd),
        cmocka_unit_test(mapper_rejects_pool_of_wrong_size),
        cmocka_unit_test(mapper_rejects_missing_fd_and_non_memfd),
        cmocka_unit_test(mapper_rejects_bad_pool_id_and_page_count),
        cmocka_unit_test(mappings_outlive_a_replaced_pool),
        cmocka_unit_test(punched_pages_read_as_zero_in_dom0_without_a_fault),
        cmocka_unit_test(dom0_reads_guest_pixels_through_pool_fd_sent_over_channel),
        cmocka_unit_test(announce_refuses_a_channel_without_a_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
