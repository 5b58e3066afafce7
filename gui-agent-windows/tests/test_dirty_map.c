/* DXGI dirty / move rects (desktop coordinates) -> per-window damage in
 * window coordinates: clipped, both sides of a move, negative desktop
 * coordinates, overlapping windows, bounded merging that loses nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/dirty_map.h"

static bool covered(const struct dmap_damage *d, int32_t x, int32_t y)
{
    for (uint32_t i = 0; i < d->count; i++) {
        const struct fen_rect *r = &d->rects[i];
        if (x >= r->x && y >= r->y && x < r->x + (int32_t)r->w && y < r->y + (int32_t)r->h)
            return true;
    }
    return false;
}

static uint64_t damaged_pixels(const struct dmap_damage *d, int32_t w, int32_t h)
{
    uint64_t n = 0;
    for (int32_t y = 0; y < h; y++)
        for (int32_t x = 0; x < w; x++)
            n += covered(d, x, y);
    return n;
}

static void all_inside(const struct dmap_damage *d, struct dmap_rect win)
{
    for (uint32_t i = 0; i < d->count; i++) {
        const struct fen_rect *r = &d->rects[i];
        assert_true(r->x >= 0 && r->y >= 0 && r->w > 0 && r->h > 0);
        assert_true(r->x + (int64_t)r->w <= win.w && r->y + (int64_t)r->h <= win.h);
    }
}

static void assert_rect(const struct fen_rect *r, int32_t x, int32_t y, uint32_t w, uint32_t h)
{
    assert_int_equal(r->x, x);
    assert_int_equal(r->y, y);
    assert_int_equal(r->w, w);
    assert_int_equal(r->h, h);
}

static void output_rects_become_desktop_rects(void **state)
{
    (void)state;
    struct dmap_rect r = dmap_from_ltrb(10, 20, 110, 70, -1920, 0);
    assert_int_equal(r.x, -1910);
    assert_int_equal(r.y, 20);
    assert_int_equal(r.w, 100);
    assert_int_equal(r.h, 50);
    r = dmap_from_ltrb(10, 20, 10, 70, 0, 0); /* empty */
    assert_true(r.w <= 0 || r.h <= 0);
    r = dmap_from_ltrb(50, 20, 10, 70, 0, 0); /* inverted */
    assert_true(r.w <= 0 || r.h <= 0);
    r = dmap_from_ltrb(INT32_MAX - 5, 0, INT32_MAX, 5, 100, 0); /* would overflow */
    assert_true(r.w <= 0 || r.h <= 0);
}

static void a_rect_inside_a_window_is_moved_to_window_coordinates(void **state)
{
    (void)state;
    struct dmap_win w = {.rect = {100, 200, 300, 150}};
    struct dmap_rect dirty = {150, 210, 20, 30};
    dmap_frame(&dirty, 1, NULL, 0, &w, 1);
    assert_int_equal(w.damage.count, 1);
    assert_rect(&w.damage.rects[0], 50, 10, 20, 30);
}

static void rects_partly_outside_are_clipped_and_others_ignored(void **state)
{
    (void)state;
    struct dmap_win w = {.rect = {100, 100, 200, 100}};
    struct dmap_rect dirty[] = {
        {50, 50, 100, 100},   /* covers the top-left corner */
        {250, 150, 500, 500}, /* runs off the bottom-right */
        {400, 100, 10, 10},   /* entirely right of it */
        {100, 300, 10, 10},   /* just below (half-open) */
        {120, 120, 0, 10},    /* empty */
    };
    dmap_frame(dirty, 5, NULL, 0, &w, 1);
    assert_int_equal(w.damage.count, 2);
    all_inside(&w.damage, w.rect);
    assert_rect(&w.damage.rects[0], 0, 0, 50, 50);
    assert_rect(&w.damage.rects[1], 150, 50, 50, 50);
}

static void overlapping_windows_each_get_their_part(void **state)
{
    (void)state;
    struct dmap_win w[3] = {
        {.rect = {0, 0, 200, 200}},
        {.rect = {150, 150, 200, 200}}, /* overlaps w[0] in 150..200 */
        {.rect = {1000, 1000, 50, 50}}, /* untouched */
    };
    w[2].damage.count = 7; /* stale damage from the last frame is cleared */
    struct dmap_rect dirty = {160, 170, 30, 20}; /* inside the overlap */
    dmap_frame(&dirty, 1, NULL, 0, w, 3);
    assert_int_equal(w[0].damage.count, 1);
    assert_rect(&w[0].damage.rects[0], 160, 170, 30, 20);
    assert_int_equal(w[1].damage.count, 1);
    assert_rect(&w[1].damage.rects[0], 10, 20, 30, 20);
    assert_int_equal(w[2].damage.count, 0);
}

static void a_move_damages_its_source_and_its_destination(void **state)
{
    (void)state;
    struct dmap_win w[2] = {{.rect = {0, 0, 400, 300}}, {.rect = {500, 0, 300, 300}}};
    /* 50x40 of pixels scrolled from (10,200) up to (10,100) in w[0]; and a
     * block dragged from w[0] (350,0) onto w[1] (520,10). */
    struct dmap_move moves[] = {
        {.src_x = 10, .src_y = 200, .dst = {10, 100, 50, 40}},
        {.src_x = 350, .src_y = 0, .dst = {520, 10, 60, 30}},
    };
    dmap_frame(NULL, 0, moves, 2, w, 2);
    all_inside(&w[0].damage, w[0].rect);
    assert_true(covered(&w[0].damage, 10, 200) && covered(&w[0].damage, 59, 239));
    assert_true(covered(&w[0].damage, 10, 100) && covered(&w[0].damage, 59, 139));
    assert_false(covered(&w[0].damage, 10, 150)); /* between the two: untouched */
    assert_true(covered(&w[0].damage, 350, 0) && covered(&w[0].damage, 399, 29));
    assert_int_equal(damaged_pixels(&w[0].damage, 400, 300), 2 * 50 * 40 + 50 * 30);
    /* w[1] only sees the destination, in its own coordinates. */
    assert_int_equal(w[1].damage.count, 1);
    assert_rect(&w[1].damage.rects[0], 20, 10, 60, 30);
}

static void negative_desktop_coordinates_left_and_above_the_primary(void **state)
{
    (void)state;
    /* A monitor at (-1280,-200) 1280x1024 left of the primary; a window
     * straddling both monitors. */
    struct dmap_win w[2] = {{.rect = {-1000, -150, 400, 300}}, {.rect = {-100, 0, 300, 200}}};
    struct dmap_rect dirty[] = {
        dmap_from_ltrb(200, 30, 300, 80, -1280, -200), /* desktop (-1080,-170) 100x50 */
        dmap_from_ltrb(1200, 250, 1280, 300, -1280, -200), /* desktop (-80,50) 80x50 */
        {0, 0, 50, 50},                                 /* primary, on w[1] only */
    };
    dmap_frame(dirty, 3, NULL, 0, w, 2);
    assert_int_equal(w[0].damage.count, 1);
    assert_rect(&w[0].damage.rects[0], 0, 0, 20, 30); /* clipped at the window's corner */
    assert_int_equal(w[1].damage.count, 2);
    assert_rect(&w[1].damage.rects[0], 20, 50, 80, 50);
    assert_rect(&w[1].damage.rects[1], 100, 0, 50, 50);
}

static void contained_rects_are_not_repeated(void **state)
{
    (void)state;
    struct dmap_win w = {.rect = {0, 0, 100, 100}};
    struct dmap_rect dirty[] = {{10, 10, 5, 5}, {0, 0, 50, 50}, {20, 20, 5, 5}, {0, 0, 50, 50}};
    dmap_frame(dirty, 4, NULL, 0, &w, 1);
    assert_int_equal(w.damage.count, 1);
    assert_rect(&w.damage.rects[0], 0, 0, 50, 50);
}

static void many_rects_are_merged_to_a_bound_without_losing_any(void **state)
{
    (void)state;
    enum { N = 600 };
    struct dmap_win w = {.rect = {-300, 40, 640, 480}};
    struct dmap_rect *dirty = calloc(N, sizeof *dirty);
    assert_non_null(dirty);
    srand(7);
    for (int i = 0; i < N; i++) /* some off the window, some straddling it */
        dirty[i] = (struct dmap_rect){-400 + rand() % 900, rand() % 600, 1 + rand() % 40,
                                      1 + rand() % 40};
    dmap_frame(dirty, N, NULL, 0, &w, 1);
    assert_true(w.damage.count >= 1 && w.damage.count <= DMAP_MAX_RECTS);
    all_inside(&w.damage, w.rect);
    for (int i = 0; i < N; i++)
        for (int32_t y = dirty[i].y; y < dirty[i].y + dirty[i].h; y++)
            for (int32_t x = dirty[i].x; x < dirty[i].x + dirty[i].w; x++) {
                bool on_window = x >= w.rect.x && y >= w.rect.y && x < w.rect.x + w.rect.w &&
                                 y < w.rect.y + w.rect.h;
                if (on_window && !covered(&w.damage, x - w.rect.x, y - w.rect.y))
                    fail_msg("pixel %d,%d of rect %d lost", x, y, i);
            }
    free(dirty);
}

static void a_bounded_flood_of_tiny_rects_stays_small(void **state)
{
    (void)state;
    /* A diagonal of 1x1 dirty pixels: merging must not blow up to the whole
     * window when a few bounding boxes suffice, and never exceeds the bound. */
    struct dmap_win w = {.rect = {0, 0, 1000, 1000}};
    struct dmap_rect dirty[100];
    for (int i = 0; i < 100; i++)
        dirty[i] = (struct dmap_rect){i * 10, i * 10, 1, 1};
    dmap_frame(dirty, 100, NULL, 0, &w, 1);
    assert_int_equal(w.damage.count, DMAP_MAX_RECTS);
    for (int i = 0; i < 100; i++)
        assert_true(covered(&w.damage, i * 10, i * 10));
    /* 16 boxes along a diagonal: far less than the 1000x1000 window. */
    assert_true(damaged_pixels(&w.damage, 1000, 1000) < 1000u * 1000u / 8);
}

static void huge_coordinates_do_not_overflow(void **state)
{
    (void)state;
    struct dmap_win w = {.rect = {INT32_MAX - 100, INT32_MIN, 100, 100}};
    struct dmap_rect dirty[] = {{INT32_MAX - 50, INT32_MIN, INT32_MAX, INT32_MAX},
                                {INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX}};
    dmap_frame(dirty, 2, NULL, 0, &w, 1);
    assert_int_equal(w.damage.count, 1);
    assert_rect(&w.damage.rects[0], 50, 0, 50, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(output_rects_become_desktop_rects),
        cmocka_unit_test(a_rect_inside_a_window_is_moved_to_window_coordinates),
        cmocka_unit_test(rects_partly_outside_are_clipped_and_others_ignored),
        cmocka_unit_test(overlapping_windows_each_get_their_part),
        cmocka_unit_test(a_move_damages_its_source_and_its_destination),
        cmocka_unit_test(negative_desktop_coordinates_left_and_above_the_primary),
        cmocka_unit_test(contained_rects_are_not_repeated),
        cmocka_unit_test(many_rects_are_merged_to_a_bound_without_losing_any),
        cmocka_unit_test(a_bounded_flood_of_tiny_rects_stays_small),
        cmocka_unit_test(huge_coordinates_do_not_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
