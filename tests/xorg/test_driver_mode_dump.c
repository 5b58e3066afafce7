/* Unit tests of driver_dump.c, the agent's translation of the driver's
 * pixmap report into a WINDOW_DUMP: border skip and offset, formats, local
 * page runs and Xen grant refs, and refusal of every inconsistent report (a
 * dump the agent sends must always pass dom0's validator). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>

#include "../../gui-agent-linux/driver_dump.h"
#include "fenestra/validate.h"

#define POOL_PAGES 512u

/* The old helper's shape: build, check the refs are the run first.., and
 * hand back the first ref. */
static int fill(const struct fenext_window_pages *p, struct fen_msg_window_dump *d,
                uint32_t *first)
{
    uint32_t *refs = NULL;
    if (drv_dump_build(p, POOL_PAGES, d, &refs) < 0) {
        assert_null(refs);
        return -1;
    }
    for (uint32_t i = 0; i < d->num_refs; i++)
        assert_int_equal(refs[i], refs[0] + i);
    *first = refs[0];
    free(refs);
    return 0;
}

static struct fenext_window_pages report(uint32_t first, uint32_t npages, uint32_t w, uint32_t h,
                                         uint32_t stride, uint32_t depth, uint32_t bw)
{
    return (struct fenext_window_pages){.shared = 1, .first_page = first, .npages = npages,
                                        .width = w, .height = h, .stride = stride,
                                        .block = 1, .depth = depth, .border_width = bw};
}

/* Build the WINDOW_DUMP message the agent would send and run dom0's parser. */
static void assert_dom0_accepts_refs(const struct fen_msg_window_dump *d, const uint32_t *refs)
{
    uint8_t buf[sizeof(struct fen_hdr) + sizeof *d + 64 * 4];
    assert_true(d->num_refs <= 64);
    struct fen_hdr hdr = {FEN_MSG_WINDOW_DUMP, 5, (uint32_t)(sizeof *d + d->num_refs * 4)};
    memcpy(buf, &hdr, sizeof hdr);
    memcpy(buf + sizeof hdr, d, sizeof *d);
    memcpy(buf + sizeof hdr + sizeof *d, refs, d->num_refs * 4u);
    struct fen_msg msg;
    struct fen_error err;
    enum fen_err rc = fen_parse_msg(FEN_GUI_FROM_GUEST, buf, sizeof hdr + hdr.length,
                                    FEN_MAX_BODY_BYTES, &msg, &err);
    if (rc != FEN_OK)
        fail_msg("dom0 refuses the dump: %s", err.reason);
}

static void assert_dom0_accepts(const struct fen_msg_window_dump *d, uint32_t first)
{
    uint32_t refs[64];
    assert_true(d->num_refs <= 64);
    for (uint32_t i = 0; i < d->num_refs; i++)
        refs[i] = first + i;
    assert_dom0_accepts_refs(d, refs);
}

static void plain_window_maps_one_to_one(void **state)
{
    struct fenext_window_pages p = report(5, 30, 200, 150, 800, 24, 0);
    struct fen_msg_window_dump d = {.serial = 77};
    uint32_t first = 0;
    assert_int_equal(fill(&p, &d, &first), 0);
    assert_int_equal(first, 5);
    assert_int_equal(d.width, 200);
    assert_int_equal(d.height, 150);
    assert_int_equal(d.stride, 800);
    assert_int_equal(d.offset, 0);
    assert_int_equal(d.num_refs, 30);
    assert_int_equal(d.format, FEN_FORMAT_XRGB8888);
    assert_int_equal(d.kind, FEN_DUMP_LOCAL_POOL);
    assert_int_equal(d.pool_id, 1);
    assert_int_equal(d.serial, 77); /* the caller's serial is kept */
    assert_dom0_accepts(&d, first);
}

static void border_skips_whole_pages_and_keeps_the_rest_as_offset(void **state)
{
    /* 150x100 content, 8 px border: pixmap 166x116, stride 664; the content
     * starts 8*664 + 8*4 = 5344 bytes in: one page skipped, offset 1248. */
    struct fenext_window_pages p = report(40, 19, 166, 116, 664, 24, 8);
    struct fen_msg_window_dump d = {0};
    uint32_t first = 0;
    assert_int_equal(fill(&p, &d, &first), 0);
    assert_int_equal(first, 41);
    assert_int_equal(d.offset, 1248);
    assert_int_equal(d.width, 150);
    assert_int_equal(d.height, 100);
    assert_int_equal(d.num_refs, (1248 + 664 * 100 + 4095) / 4096);
    assert_dom0_accepts(&d, first);
}

static void depth_32_is_argb(void **state)
{
    struct fenext_window_pages p = report(0, 7, 90, 70, 360, 32, 0);
    struct fen_msg_window_dump d = {0};
    uint32_t first = 0;
    assert_int_equal(fill(&p, &d, &first), 0);
    assert_int_equal(d.format, FEN_FORMAT_ARGB8888);
    assert_dom0_accepts(&d, first);
}

static void inconsistent_reports_are_refused(void **state)
{
    const struct fenext_window_pages bad[] = {
        report(0, 30, 200, 150, 800, 16, 0),             /* depth */
        report(0, 30, 0, 150, 800, 24, 0),               /* empty */
        report(0, 30, 16, 150, 800, 24, 8),              /* all border */
        report(0, 30, 200, 150, 796, 24, 0),             /* stride < width * 4 */
        report(0, 30, 200, 150, 802, 24, 0),             /* stride not 32-bit aligned */
        report(0, 29, 200, 150, 800, 24, 0),             /* pages too few */
        report(500, 30, 200, 150, 800, 24, 0),           /* past the pool */
        report(0xffffffffu, 30, 200, 150, 800, 24, 0),   /* wraps */
        report(0, 30, 200, 150, 800, 24, 0xffffffffu),   /* border overflow */
        report(0, 512, 8200, 10, 32800, 24, 0),          /* wider than the protocol */
        report(0, 512, 100, 0x80000000u, 400, 24, 0),    /* taller than the pool */
        report(0, 512, 0x40000001u, 1, 0x4, 24, 0),      /* width * 4 overflows 32 bits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fen_msg_window_dump d = {0};
        uint32_t first = 0;
        if (fill(&bad[i], &d, &first) != -1)
            fail_msg("report %zu accepted", i);
    }
}

/* Xen pools: the report carries one grant ref per pixmap page; the dump
 * names the refs of the pages the content spans, in order. */
static void xen_grants_are_sliced_past_the_border(void **state)
{
    /* Same geometry as the border test: one page skipped, offset 1248. */
    struct fenext_window_pages p = report(0, 19, 166, 116, 664, 24, 8);
    uint32_t grefs[19];
    for (uint32_t i = 0; i < 19; i++)
        grefs[i] = 9000 - 7 * i; /* grant refs need not be consecutive */
    p.grefs = grefs;
    struct fen_msg_window_dump d = {.serial = 5};
    uint32_t *refs = NULL;
    assert_int_equal(drv_dump_build(&p, 0 /* no local pool */, &d, &refs), 0);
    assert_int_equal(d.kind, FEN_DUMP_XEN_GRANT);
    assert_int_equal(d.pool_id, 0);
    assert_int_equal(d.serial, 5);
    assert_int_equal(d.offset, 1248);
    assert_int_equal(d.num_refs, (1248 + 664 * 100 + 4095) / 4096);
    for (uint32_t i = 0; i < d.num_refs; i++)
        assert_int_equal(refs[i], grefs[1 + i]);
    assert_dom0_accepts_refs(&d, refs);
    free(refs);
}

static void xen_reports_are_checked_like_local_ones(void **state)
{
    uint32_t grefs[30] = {0};
    /* pages too few for the rows, and a border past the refs */
    struct fenext_window_pages few = report(0, 29, 200, 150, 800, 24, 0);
    struct fenext_window_pages skew = report(0, 30, 200, 150, 800, 24, 0);
    skew.height = 154; /* stride * height = 123200 > 30 pages */
    few.grefs = skew.grefs = grefs;
    struct fen_msg_window_dump d = {0};
    uint32_t *refs = NULL;
    assert_int_equal(drv_dump_build(&few, 0, &d, &refs), -1);
    assert_int_equal(drv_dump_build(&skew, 0, &d, &refs), -1);
    assert_null(refs);
    /* first_page means nothing for grants: a big one is not "past the pool" */
    struct fenext_window_pages ok = report(0xfffffff0u, 30, 200, 150, 800, 24, 0);
    ok.grefs = grefs;
    assert_int_equal(drv_dump_build(&ok, 0, &d, &refs), 0);
    assert_int_equal(d.num_refs, 30);
    free(refs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_window_maps_one_to_one),
        cmocka_unit_test(border_skips_whole_pages_and_keeps_the_rest_as_offset),
        cmocka_unit_test(depth_32_is_argb),
        cmocka_unit_test(inconsistent_reports_are_refused),
        cmocka_unit_test(xen_grants_are_sliced_past_the_border),
        cmocka_unit_test(xen_reports_are_checked_like_local_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
