/* Monitor geometry with fake monitor lists: which monitor a window is on,
 * clamping onto it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../monitor.h"

/* Two side by side (1920x1080 primary, 1280x1024 right of it) and a third
 * below the first, offset. */
static const struct guid_monitors three = {
    3, {{0, 0, 1920, 1080}, {1920, 0, 1280, 1024}, {100, 1080, 800, 600}}};

static void assert_rect(struct fen_rect r, int32_t x, int32_t y, uint32_t w, uint32_t h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

static void window_is_on_the_monitor_it_overlaps_most(void **s)
{
    struct fen_rect a = {1800, 100, 400, 300}; /* 120 px on 0, 280 on 1 */
    assert_int_equal(guid_monitor_pick(&three, &a), 1);
    struct fen_rect b = {1700, 100, 400, 300}; /* 220 on 0, 180 on 1 */
    assert_int_equal(guid_monitor_pick(&three, &b), 0);
    struct fen_rect c = {200, 1200, 50, 50};
    assert_int_equal(guid_monitor_pick(&three, &c), 2);
}

static void offscreen_window_goes_to_the_nearest_monitor(void **s)
{
    struct fen_rect far_right = {5000, 10, 100, 100};
    assert_int_equal(guid_monitor_pick(&three, &far_right), 1);
    struct fen_rect below = {300, 3000, 10, 10};
    assert_int_equal(guid_monitor_pick(&three, &below), 2);
    struct fen_rect dead_zone = {2500, 1500, 10, 10}; /* below monitor 1, right of 2 */
    assert_int_equal(guid_monitor_pick(&three, &dead_zone), 1);
    struct fen_rect huge_neg = {-32768, -32768, 1, 1};
    assert_int_equal(guid_monitor_pick(&three, &huge_neg), 0);
}

static void ties_go_to_the_first_monitor(void **s)
{
    struct fen_rect straddle = {1820, 0, 200, 100}; /* 100 px on each */
    assert_int_equal(guid_monitor_pick(&three, &straddle), 0);
    struct guid_monitors none = {0, {{0}}};
    assert_int_equal(guid_monitor_pick(&none, &straddle), 0);
}

static void clamp_keeps_the_whole_window_on_its_monitor(void **s)
{
    const struct fen_rect *m1 = &three.m[1];
    struct fen_rect big = {1800, -50, 5000, 5000};
    assert_rect(guid_monitor_clamp(m1, &big), 1920, 0, 1280, 1024);
    struct fen_rect off = {3100, 1000, 300, 200};
    assert_rect(guid_monitor_clamp(m1, &off), 2900, 824, 300, 200);
    struct fen_rect inside = {2000, 10, 30, 40};
    assert_rect(guid_monitor_clamp(m1, &inside), 2000, 10, 30, 40);
    struct fen_rect empty = {-5, -5, 0, 0};
    assert_rect(guid_monitor_clamp(&three.m[2], &empty), 100, 1080, 1, 1);
    struct fen_rect extreme = {INT32_MIN, INT32_MAX, UINT32_MAX, UINT32_MAX};
    assert_rect(guid_monitor_clamp(&three.m[0], &extreme), 0, 0, 1920, 1080);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(window_is_on_the_monitor_it_overlaps_most),
        cmocka_unit_test(offscreen_window_goes_to_the_nearest_monitor),
        cmocka_unit_test(ties_go_to_the_first_monitor),
        cmocka_unit_test(clamp_keeps_the_whole_window_on_its_monitor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
