/* Damage coalescing: floods become a few rects, nothing damaged is lost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "../damage_merge.h"

#define W 640u
#define H 480u

static bool covered(const struct fen_rect *r, uint32_t n, int32_t x, int32_t y)
{
    for (uint32_t i = 0; i < n; i++)
        if (x >= r[i].x && y >= r[i].y && x < r[i].x + (int32_t)r[i].w &&
            y < r[i].y + (int32_t)r[i].h)
            return true;
    return false;
}

static void single_rect_comes_out_unchanged(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    dmg_add(&a, 10, 20, 30, 40, W, H);
    struct fen_rect out[64];
    assert_int_equal(dmg_take(&a, W, H, out, 64), 1);
    assert_int_equal(out[0].x, 10);
    assert_int_equal(out[0].y, 20);
    assert_int_equal(out[0].w, 30);
    assert_int_equal(out[0].h, 40);
    assert_false(dmg_pending(&a));
    assert_int_equal(dmg_take(&a, W, H, out, 64), 0);
}

static void rects_are_clipped_to_the_window(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    dmg_add(&a, -5, -5, 10, 10, W, H);
    dmg_add(&a, 600, 400, 100, 100, W, H);
    dmg_add(&a, 1000, 1000, 5, 5, W, H); /* entirely outside */
    dmg_add(&a, 5, 5, 0, 7, W, H);       /* empty */
    struct fen_rect out[64];
    uint32_t n = dmg_take(&a, W, H, out, 64);
    assert_int_equal(n, 2);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(out[i].x >= 0 && out[i].y >= 0 && out[i].w > 0 && out[i].h > 0);
        assert_true(out[i].x + out[i].w <= W && out[i].y + out[i].h <= H);
    }
}

static void a_flood_of_pixels_becomes_few_rects_covering_all(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    /* 2000 scattered 1x1 damages, as a client plotting points would cause. */
    int32_t xs[2000], ys[2000];
    uint32_t seed = 12345;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1103515245u + 12345u;
        xs[i] = (int32_t)((seed >> 8) % W);
        seed = seed * 1103515245u + 12345u;
        ys[i] = (int32_t)((seed >> 8) % H);
        dmg_add(&a, xs[i], ys[i], 1, 1, W, H);
    }
    struct fen_rect out[64];
    uint32_t n = dmg_take(&a, W, H, out, 64);
    assert_true(n >= 1 && n <= DMG_MAX_BOXES);
    for (int i = 0; i < 2000; i++)
        assert_true(covered(out, n, xs[i], ys[i]));
}

static void text_lines_stay_separate_rects(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    /* Glyphs along two lines far apart: merged per line, not into one box. */
    for (int i = 0; i < 40; i++) {
        dmg_add(&a, 10 + i * 8, 10, 8, 16, W, H);
        dmg_add(&a, 10 + i * 8, 400, 8, 16, W, H);
    }
    struct fen_rect out[64];
    uint32_t n = dmg_take(&a, W, H, out, 64);
    assert_int_equal(n, 2);
    uint64_t area = 0;
    for (uint32_t i = 0; i < n; i++)
        area += (uint64_t)out[i].w * out[i].h;
    assert_int_equal(area, 2u * 320u * 16u);
}

static void mostly_damaged_becomes_the_whole_window(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    dmg_add(&a, 0, 0, W, H - 10, W, H);
    struct fen_rect out[64];
    assert_int_equal(dmg_take(&a, W, H, out, 64), 1);
    assert_int_equal(out[0].w, W);
    assert_int_equal(out[0].h, H);
    dmg_add_full(&a);
    dmg_add(&a, 1, 1, 1, 1, W, H); /* ignored: already full */
    assert_int_equal(dmg_take(&a, W, H, out, 64), 1);
    assert_int_equal(out[0].x, 0);
    assert_int_equal(out[0].w, W);
}

static void contained_rects_are_dropped(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    dmg_add(&a, 100, 100, 50, 50, W, H);
    dmg_add(&a, 110, 110, 5, 5, W, H);
    dmg_add(&a, 100, 100, 50, 50, W, H);
    struct fen_rect out[64];
    assert_int_equal(dmg_take(&a, W, H, out, 64), 1);
    assert_int_equal(out[0].w, 50);
}

static void output_respects_max_and_shrunk_window(void **state)
{
    (void)state;
    struct dmg_acc a;
    dmg_reset(&a);
    for (int i = 0; i < 10; i++)
        dmg_add(&a, i * 60, i * 45, 4, 4, W, H); /* diagonal: too far apart to merge */
    struct fen_rect out[64];
    assert_int_equal(dmg_take(&a, W, H, out, 3), 1); /* too many: whole window */
    assert_int_equal(out[0].w, W);
    dmg_add(&a, 500, 10, 20, 20, W, H);
    dmg_add(&a, 10, 10, 20, 20, W, H);
    /* The window shrank before the flush: only what is still inside. */
    uint32_t n = dmg_take(&a, 100, 100, out, 64);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].x, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_rect_comes_out_unchanged),
        cmocka_unit_test(rects_are_clipped_to_the_window),
        cmocka_unit_test(a_flood_of_pixels_becomes_few_rects_covering_all),
        cmocka_unit_test(text_lines_stay_separate_rects),
        cmocka_unit_test(mostly_damaged_becomes_the_whole_window),
        cmocka_unit_test(contained_rects_are_dropped),
        cmocka_unit_test(output_respects_max_and_shrunk_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
