/* Hotkey hold-back: no key of a hotkey reaches the guest; typing does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "../keyhold.h"

#define KC_SHIFT 50
#define KC_CTRL 37
#define KC_ALT 64
#define KC_C 54
#define KC_A 38
#define SYM_SHIFT 0xffe1u
#define SYM_CTRL 0xffe3u
#define SYM_ALT 0xffe9u

static struct guid_key_ev key(uint8_t code, bool press, uint32_t state)
{
    struct guid_key_ev e = {.window = 7, .keycode = code, .press = press, .state = state};
    return e;
}

static enum guid_key_action feed(struct guid_keyhold *kh, uint8_t code, uint32_t sym, bool press,
                                 bool hotkey, int *nflush, struct guid_key_ev *flush)
{
    struct guid_key_ev e = key(code, press, 0);
    return guid_keyhold_key(kh, &e, sym, hotkey, flush, nflush);
}

static void hotkey_keys_never_reach_the_guest(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0001 | 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl), GUID_KEY_HOLD);
    assert_int_equal(n, 0);
    assert_int_equal(feed(&kh, KC_SHIFT, SYM_SHIFT, true, false, &n, fl), GUID_KEY_HOLD);
    assert_int_equal(feed(&kh, KC_C, 'c', true, true, &n, fl), GUID_KEY_HOTKEY);
    assert_int_equal(n, 0);
    assert_int_equal(feed(&kh, KC_C, 'c', false, false, &n, fl), GUID_KEY_DROP);
    assert_int_equal(feed(&kh, KC_SHIFT, SYM_SHIFT, false, false, &n, fl), GUID_KEY_DROP);
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, false, false, &n, fl), GUID_KEY_DROP);
    assert_int_equal(n, 0);
    /* afterwards ordinary keys flow again */
    assert_int_equal(feed(&kh, KC_A, 'a', true, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(feed(&kh, KC_A, 'a', false, false, &n, fl), GUID_KEY_FORWARD);
}

static void shift_then_letter_reaches_the_guest_in_order(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0001 | 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_SHIFT, SYM_SHIFT, true, false, &n, fl), GUID_KEY_HOLD);
    assert_int_equal(feed(&kh, KC_A, 'a', true, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(n, 1);
    assert_int_equal(fl[0].keycode, KC_SHIFT);
    assert_true(fl[0].press);
    assert_int_equal(fl[0].window, 7);
    assert_int_equal(feed(&kh, KC_SHIFT, SYM_SHIFT, false, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(n, 0);
}

static void modifier_tapped_alone_is_sent_press_then_release(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl), GUID_KEY_HOLD);
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, false, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(n, 1);
    assert_true(fl[0].press);
    assert_int_equal(fl[0].keycode, KC_CTRL);
}

static void modifiers_no_hotkey_uses_are_not_held(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0001 | 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_ALT, SYM_ALT, true, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(n, 0);
}

static void pointer_button_flushes_held_modifiers(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl), GUID_KEY_HOLD);
    guid_keyhold_flush(&kh, fl, &n);
    assert_int_equal(n, 1);
    guid_keyhold_flush(&kh, fl, &n);
    assert_int_equal(n, 0);
}

static void focus_loss_forgets_held_presses(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl), GUID_KEY_HOLD);
    guid_keyhold_reset(&kh);
    assert_int_equal(feed(&kh, KC_A, 'a', true, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(n, 0);
}

static void modifiers_swallowed_by_a_hotkey_flow_again_when_used_for_typing(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0001 | 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl);
    feed(&kh, KC_SHIFT, SYM_SHIFT, true, false, &n, fl);
    assert_int_equal(feed(&kh, KC_C, 'c', true, true, &n, fl), GUID_KEY_HOTKEY);
    /* still holding ctrl+shift, the user types A: the guest gets it (the
     * agent presses the modifiers from the state), and later the releases */
    assert_int_equal(feed(&kh, KC_A, 'a', true, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, false, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(feed(&kh, KC_SHIFT, SYM_SHIFT, false, false, &n, fl), GUID_KEY_FORWARD);
    /* the hotkey letter's own release is still swallowed */
    assert_int_equal(feed(&kh, KC_C, 'c', false, false, &n, fl), GUID_KEY_DROP);
}

static void autorepeat_of_a_held_modifier_is_not_doubled(void **state)
{
    (void)state;
    struct guid_keyhold kh;
    guid_keyhold_init(&kh, 0x0004);
    struct guid_key_ev fl[GUID_KEYHOLD_MAX];
    int n;
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl), GUID_KEY_HOLD);
    assert_int_equal(feed(&kh, KC_CTRL, SYM_CTRL, true, false, &n, fl), GUID_KEY_DROP);
    assert_int_equal(feed(&kh, KC_A, 'a', true, false, &n, fl), GUID_KEY_FORWARD);
    assert_int_equal(n, 1);
}

static void keysym_modifier_table(void **state)
{
    (void)state;
    assert_int_equal(guid_keysym_modifier(0xffe2), 0x0001);
    assert_int_equal(guid_keysym_modifier(0xffe4), 0x0004);
    assert_int_equal(guid_keysym_modifier(0xffea), 0x0008);
    assert_int_equal(guid_keysym_modifier(0xffec), 0x0040);
    assert_int_equal(guid_keysym_modifier('c'), 0);
    assert_int_equal(guid_keysym_modifier(0xffe5), 0); /* Caps_Lock: a toggle, never held */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hotkey_keys_never_reach_the_guest),
        cmocka_unit_test(shift_then_letter_reaches_the_guest_in_order),
        cmocka_unit_test(modifier_tapped_alone_is_sent_press_then_release),
        cmocka_unit_test(modifiers_no_hotkey_uses_are_not_held),
        cmocka_unit_test(pointer_button_flushes_held_modifiers),
        cmocka_unit_test(focus_loss_forgets_held_presses),
        cmocka_unit_test(modifiers_swallowed_by_a_hotkey_flow_again_when_used_for_typing),
        cmocka_unit_test(autorepeat_of_a_held_modifier_is_not_doubled),
        cmocka_unit_test(keysym_modifier_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
