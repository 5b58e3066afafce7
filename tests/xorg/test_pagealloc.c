/* Unit tests of the Xorg driver's page-run allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../gui-agent-linux/xf86-video-fenestra/fen_pagealloc.h"

static void create_refuses_bad_sizes(void **state)
{
    assert_null(fen_pagealloc_create(0));
    assert_null(fen_pagealloc_create(0x80000001u));
    assert_null(fen_pagealloc_create(0xffffffffu));
    struct fen_pagealloc *pa = fen_pagealloc_create(1);
    assert_non_null(pa);
    assert_int_equal(fen_pagealloc_free_pages(pa), 1);
    fen_pagealloc_destroy(pa);
    fen_pagealloc_destroy(NULL);
}

static void runs_are_disjoint_and_exhaust_the_pool(void **state)
{
    struct fen_pagealloc *pa = fen_pagealloc_create(200);
    int64_t a = fen_pagealloc_alloc(pa, 100);
    int64_t b = fen_pagealloc_alloc(pa, 70);
    int64_t c = fen_pagealloc_alloc(pa, 30);
    assert_true(a >= 0 && b >= 0 && c >= 0);
    assert_true(a + 100 <= b || b + 70 <= a);
    assert_true(b + 70 <= c || c + 30 <= b);
    assert_true(a + 100 <= c || c + 30 <= a);
    assert_int_equal(fen_pagealloc_free_pages(pa), 0);
    assert_int_equal(fen_pagealloc_alloc(pa, 1), -1);
    assert_int_equal(fen_pagealloc_alloc(pa, 0), -1);
    fen_pagealloc_destroy(pa);
}

static void freed_runs_are_reused_even_before_the_hint(void **state)
{
    struct fen_pagealloc *pa = fen_pagealloc_create(130);
    int64_t a = fen_pagealloc_alloc(pa, 64);
    int64_t b = fen_pagealloc_alloc(pa, 64);
    assert_int_equal(a, 0);
    assert_int_equal(b, 64);
    assert_int_equal(fen_pagealloc_free(pa, 0, 64), 0);
    /* Only 2 pages after b; 64 free at the start, before the hint. */
    assert_int_equal(fen_pagealloc_alloc(pa, 60), 0);
    assert_int_equal(fen_pagealloc_alloc(pa, 6), -1); /* 4 + 2 free, not contiguous */
    assert_int_equal(fen_pagealloc_alloc(pa, 4), 60);
    assert_int_equal(fen_pagealloc_alloc(pa, 2), 128);
    fen_pagealloc_destroy(pa);
}

static void a_run_straddling_the_hint_is_found(void **state)
{
    struct fen_pagealloc *pa = fen_pagealloc_create(100);
    assert_int_equal(fen_pagealloc_alloc(pa, 40), 0);
    assert_int_equal(fen_pagealloc_alloc(pa, 20), 40);
    assert_int_equal(fen_pagealloc_alloc(pa, 40), 60); /* hint wraps to 0 */
    assert_int_equal(fen_pagealloc_free(pa, 0, 40), 0);
    assert_int_equal(fen_pagealloc_free(pa, 40, 20), 0);
    assert_int_equal(fen_pagealloc_alloc(pa, 10), 0);  /* hint = 10 */
    assert_int_equal(fen_pagealloc_free(pa, 0, 10), 0);
    assert_int_equal(fen_pagealloc_alloc(pa, 55), 0);  /* straddles 10 */
    fen_pagealloc_destroy(pa);
}

static void bad_frees_change_nothing(void **state)
{
    struct fen_pagealloc *pa = fen_pagealloc_create(64);
    assert_int_equal(fen_pagealloc_alloc(pa, 10), 0);
    assert_int_equal(fen_pagealloc_free(pa, 5, 10), -1);   /* partly free */
    assert_int_equal(fen_pagealloc_free(pa, 60, 10), -1);  /* past the end */
    assert_int_equal(fen_pagealloc_free(pa, 0xffffffffu, 2), -1);
    assert_int_equal(fen_pagealloc_free(pa, 0, 0), -1);
    assert_int_equal(fen_pagealloc_free_pages(pa), 54);
    assert_int_equal(fen_pagealloc_free(pa, 0, 10), 0);
    assert_int_equal(fen_pagealloc_free(pa, 0, 10), -1);   /* double free */
    assert_int_equal(fen_pagealloc_free_pages(pa), 64);
    fen_pagealloc_destroy(pa);
}

static void random_churn_keeps_the_count(void **state)
{
    enum { N = 1000, SLOTS = 64 };
    struct fen_pagealloc *pa = fen_pagealloc_create(N);
    int64_t first[SLOTS];
    uint32_t len[SLOTS] = {0};
    unsigned char owner[N] = {0};
    srand(7);
    for (int iter = 0; iter < 5000; iter++) {
        int s = rand() % SLOTS;
        if (len[s]) {
            for (uint32_t p = 0; p < len[s]; p++)
                owner[first[s] + p] = 0;
            assert_int_equal(fen_pagealloc_free(pa, (uint32_t)first[s], len[s]), 0);
            len[s] = 0;
        } else {
            uint32_t n = 1 + (uint32_t)(rand() % 40);
            int64_t f = fen_pagealloc_alloc(pa, n);
            if (f < 0)
                continue;
            for (uint32_t p = 0; p < n; p++) {
                assert_int_equal(owner[f + p], 0);
                owner[f + p] = 1;
            }
            first[s] = f;
            len[s] = n;
        }
        uint32_t used = 0;
        for (int p = 0; p < N; p++)
            used += owner[p];
        assert_int_equal(fen_pagealloc_free_pages(pa), N - used);
    }
    fen_pagealloc_destroy(pa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_refuses_bad_sizes),
        cmocka_unit_test(runs_are_disjoint_and_exhaust_the_pool),
        cmocka_unit_test(freed_runs_are_reused_even_before_the_hint),
        cmocka_unit_test(a_run_straddling_the_hint_is_found),
        cmocka_unit_test(bad_frees_change_nothing),
        cmocka_unit_test(random_churn_keeps_the_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
