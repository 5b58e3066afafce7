/* Modifier synchronisation plans. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "../modsync.h"

/* A typical evdev modifier map, 2 keycodes per modifier. */
static const uint8_t xmap[16] = {
    50, 62,  /* Shift: Shift_L, Shift_R */
    66, 0,   /* Lock: Caps_Lock */
    37, 105, /* Control */
    64, 108, /* Mod1: Alt */
    77, 0,   /* Mod2: Num_Lock */
    0, 0,    /* Mod3 */
    133, 134, /* Mod4: Super */
    92, 0,   /* Mod5: ISO_Level3_Shift */
};

static void set_down(uint8_t down[32], uint8_t kc)
{
    down[kc / 8] |= (uint8_t)(1u << (kc % 8));
}

static void nothing_to_do_when_states_match(void **state)
{
    (void)state;
    struct modsync_map map;
    modsync_map_from_x(&map, xmap, 2);
    uint8_t down[32] = {0};
    struct modsync_action act[32];
    assert_int_equal(modsync_plan(0x5, 0x5, down, &map, act, 32), 0);
    /* Button bits in the wanted state are not modifiers. */
    assert_int_equal(modsync_plan(0, 0x100, down, &map, act, 32), 0);
}

static void missing_shift_and_control_are_pressed(void **state)
{
    (void)state;
    struct modsync_map map;
    modsync_map_from_x(&map, xmap, 2);
    uint8_t down[32] = {0};
    struct modsync_action act[32];
    size_t n = modsync_plan(0, 0x1 | 0x4, down, &map, act, 32);
    assert_int_equal(n, 2);
    assert_int_equal(act[0].keycode, 50);
    assert_true(act[0].press);
    assert_int_equal(act[1].keycode, 37);
    assert_true(act[1].press);
}

static void stale_modifier_releases_every_down_key(void **state)
{
    (void)state;
    struct modsync_map map;
    modsync_map_from_x(&map, xmap, 2);
    uint8_t down[32] = {0};
    set_down(down, 50);
    set_down(down, 62);
    set_down(down, 38); /* 'a', not a modifier */
    struct modsync_action act[32];
    size_t n = modsync_plan(0x1, 0, down, &map, act, 32);
    assert_int_equal(n, 2);
    assert_int_equal(act[0].keycode, 50);
    assert_false(act[0].press);
    assert_int_equal(act[1].keycode, 62);
    assert_false(act[1].press);
}

static void caps_and_num_lock_toggle(void **state)
{
    (void)state;
    struct modsync_map map;
    modsync_map_from_x(&map, xmap, 2);
    uint8_t down[32] = {0};
    struct modsync_action act[32];
    size_t n = modsync_plan(0x2, 0x10, down, &map, act, 32);
    assert_int_equal(n, 4);
    assert_int_equal(act[0].keycode, 66);
    assert_true(act[0].press);
    assert_int_equal(act[1].keycode, 66);
    assert_false(act[1].press);
    assert_int_equal(act[2].keycode, 77);
    assert_true(act[2].press);
    assert_int_equal(act[3].keycode, 77);
    assert_false(act[3].press);
}

static void unmapped_modifier_and_small_buffer_are_safe(void **state)
{
    (void)state;
    struct modsync_map map;
    modsync_map_from_x(&map, xmap, 2);
    uint8_t down[32] = {0};
    struct modsync_action act[1];
    /* Mod3 has no keycode: nothing can be done, nothing is invented. */
    assert_int_equal(modsync_plan(0, 0x20, down, &map, act, 1), 0);
    /* Shift + Control wanted, room for one action. */
    assert_int_equal(modsync_plan(0, 0x5, down, &map, act, 1), 1);
}

static void stuck_keys_are_released_not_pressed(void **state)
{
    (void)state;
    uint8_t guest[32] = {0}, dom0[32] = {0};
    set_down(guest, 38);
    set_down(guest, 50);
    set_down(dom0, 50);
    set_down(dom0, 40); /* down in dom0 only: never pressed in the guest */
    set_down(guest, 3); /* below 8: not a keycode */
    uint8_t out[256];
    size_t n = keymap_release_plan(guest, dom0, out, sizeof out);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], 38);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_to_do_when_states_match),
        cmocka_unit_test(missing_shift_and_control_are_pressed),
        cmocka_unit_test(stale_modifier_releases_every_down_key),
        cmocka_unit_test(caps_and_num_lock_toggle),
        cmocka_unit_test(unmapped_modifier_and_small_buffer_are_safe),
        cmocka_unit_test(stuck_keys_are_released_not_pressed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
