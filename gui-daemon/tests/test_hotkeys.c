/* Clipboard hotkeys: spec parsing, matching, clipd lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "../hotkeys.h"

static void default_specs_parse(void **state)
{
    (void)state;
    struct guid_hotkey hk;
    assert_int_equal(guid_hotkey_parse("ctrl+shift+c", &hk), 0);
    assert_int_equal(hk.mods, GUID_MOD_CONTROL | GUID_MOD_SHIFT);
    assert_int_equal(hk.keysym, 'c');
    assert_int_equal(guid_hotkey_parse("Shift+Control+V", &hk), 0);
    assert_int_equal(hk.mods, GUID_MOD_CONTROL | GUID_MOD_SHIFT);
    assert_int_equal(hk.keysym, 'v');
    assert_int_equal(guid_hotkey_parse("super+alt+f12", &hk), 0);
    assert_int_equal(hk.mods, GUID_MOD_MOD4 | GUID_MOD_MOD1);
    assert_int_equal(hk.keysym, 0xffbe + 11);
    assert_int_equal(guid_hotkey_parse("7", &hk), 0);
    assert_int_equal(hk.mods, 0);
}

static void bad_specs_are_refused(void **state)
{
    (void)state;
    struct guid_hotkey hk;
    const char *bad[] = {"", "+", "ctrl+", "+c", "ctrl++c", "ctrl+shift", "ctrl+cc",
                         "ctrl+c+v", "hyper+c", "ctrl+ctrl+c", "f0", "f13", "f01", "ctrl+-",
                         "c+ctrl"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(guid_hotkey_parse(bad[i], &hk), -1);
    assert_int_equal(guid_hotkey_parse(NULL, &hk), -1);
}

static void match_ignores_lock_and_numlock_only(void **state)
{
    (void)state;
    struct guid_hotkey hk;
    assert_int_equal(guid_hotkey_parse("ctrl+shift+c", &hk), 0);
    uint32_t cs = GUID_MOD_CONTROL | GUID_MOD_SHIFT;
    assert_true(guid_hotkey_match(&hk, cs, 'c'));
    assert_true(guid_hotkey_match(&hk, cs, 'C'));
    assert_true(guid_hotkey_match(&hk, cs | GUID_MOD_LOCK | GUID_MOD_MOD2, 'c'));
    assert_true(guid_hotkey_match(&hk, cs | 0x100 /* Button1 */, 'c'));
    assert_false(guid_hotkey_match(&hk, GUID_MOD_CONTROL, 'c'));
    assert_false(guid_hotkey_match(&hk, cs | GUID_MOD_MOD1, 'c'));
    assert_false(guid_hotkey_match(&hk, cs, 'v'));
    struct guid_hotkey none = {0, 0};
    assert_false(guid_hotkey_match(&none, 0, 0));
}

static void clipd_lines_are_single_safe_lines(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(guid_clipd_line(buf, sizeof(buf), "copy", "work", "12345"), 0);
    assert_string_equal(buf, "copy work 12345");
    assert_int_equal(guid_clipd_line(buf, sizeof(buf), "attach", "work", "local:/tmp/x"), 0);
    assert_string_equal(buf, "attach work local:/tmp/x");
    assert_int_equal(guid_clipd_line(buf, sizeof(buf), "copy", "wo rk", "1"), -1);
    assert_int_equal(guid_clipd_line(buf, sizeof(buf), "copy", "work", "1\npaste x 2"), -1);
    assert_int_equal(guid_clipd_line(buf, sizeof(buf), "copy", "", "1"), -1);
    assert_int_equal(guid_clipd_line(buf, 8, "copy", "work", "12345"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_specs_parse),
        cmocka_unit_test(bad_specs_are_refused),
        cmocka_unit_test(match_ignores_lock_and_numlock_only),
        cmocka_unit_test(clipd_lines_are_single_safe_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
