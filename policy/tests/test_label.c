/* Label colors (fen_parse_label): the allow-listed names and #RRGGBB, nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>

#include "config.h"

static void names_map_to_fixed_colors(void **state)
{
    (void)state;
    uint32_t rgb = 0;
    assert_true(fen_parse_label("blue", &rgb));
    assert_int_equal(rgb, 0x3465a4);
    assert_true(fen_parse_label("GREEN", &rgb));
    assert_int_equal(rgb, 0x73d216);
    assert_true(fen_parse_label("black", &rgb));
    assert_int_equal(rgb, 0);
    const char *all[] = {"red", "orange", "yellow", "green", "gray", "blue", "purple", "black"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        assert_true(fen_parse_label(all[i], &rgb));
}

static void hex_colors_parse_exactly(void **state)
{
    (void)state;
    uint32_t rgb = 0;
    assert_true(fen_parse_label("#12aBcD", &rgb));
    assert_int_equal(rgb, 0x12abcd);
    assert_true(fen_parse_label("#000000", &rgb));
    assert_int_equal(rgb, 0);
}

static void anything_else_is_refused(void **state)
{
    (void)state;
    uint32_t rgb = 0x123456;
    const char *bad[] = {"", "#", "#12345", "#1234567", "#12345g", "bluee", "blu", "pink",
                         " blue", "#-12345", "12abcd"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(fen_parse_label(bad[i], &rgb));
    assert_false(fen_parse_label(NULL, &rgb));
    assert_int_equal(rgb, 0x123456);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_map_to_fixed_colors),
        cmocka_unit_test(hex_colors_parse_exactly),
        cmocka_unit_test(anything_else_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
