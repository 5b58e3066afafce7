/* Windows cursor ordinals -> X cursor-font glyphs: the standard cursors
 * map to the glyphs the Linux agent uses for the same shapes, every glyph
 * is one dom0 accepts, and anything else is dom0's default. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "../src/cursor_map.h"
#include "fenestra/validate.h"

static void standard_cursors_map_to_their_glyphs(void **state)
{
    (void)state;
    /* Numbers from winuser.h (IDC_*), glyphs from X11/cursorfont.h. */
    assert_int_equal(cursor_glyph_for_ordinal(32512), 68);  /* IDC_ARROW -> XC_left_ptr */
    assert_int_equal(cursor_glyph_for_ordinal(32513), 152); /* IDC_IBEAM -> XC_xterm */
    assert_int_equal(cursor_glyph_for_ordinal(32514), 150); /* IDC_WAIT -> XC_watch */
    assert_int_equal(cursor_glyph_for_ordinal(32650), 150); /* IDC_APPSTARTING -> XC_watch */
    assert_int_equal(cursor_glyph_for_ordinal(32515), 34);  /* IDC_CROSS -> XC_crosshair */
    assert_int_equal(cursor_glyph_for_ordinal(32649), 60);  /* IDC_HAND -> XC_hand2 */
    assert_int_equal(cursor_glyph_for_ordinal(32646), 52);  /* IDC_SIZEALL -> XC_fleur */
    assert_int_equal(cursor_glyph_for_ordinal(32645), 116); /* IDC_SIZENS */
    assert_int_equal(cursor_glyph_for_ordinal(32644), 108); /* IDC_SIZEWE */
    assert_int_equal(cursor_glyph_for_ordinal(32642), 134); /* IDC_SIZENWSE */
    assert_int_equal(cursor_glyph_for_ordinal(32643), 136); /* IDC_SIZENESW */
    assert_int_equal(cursor_glyph_for_ordinal(32648), 0);   /* IDC_NO -> XC_X_cursor */
}

static void unknown_cursors_are_the_default(void **state)
{
    (void)state;
    const unsigned unknown[] = {0, 1, 32511, 32517, 32640, 32641, 32647, 32671, 32672, 65535};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(cursor_glyph_for_ordinal(unknown[i]), FEN_CURSOR_DEFAULT);
}

static void every_glyph_passes_dom0s_validator(void **state)
{
    (void)state;
    for (size_t i = 0; i < cursor_map_len; i++) {
        assert_true(cursor_map[i].glyph % 2 == 0 && cursor_map[i].glyph <= FEN_CURSOR_GLYPH_MAX);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(cursor_map[i].ordinal, cursor_map[j].ordinal);
        struct fen_msg_cursor c = {.glyph = cursor_map[i].glyph};
        uint8_t buf[sizeof(struct fen_hdr) + sizeof c];
        struct fen_hdr h = {.type = FEN_MSG_CURSOR, .window = 1, .length = sizeof c};
        memcpy(buf, &h, sizeof h);
        memcpy(buf + sizeof h, &c, sizeof c);
        struct fen_msg m;
        struct fen_error err;
        assert_int_equal(fen_parse_msg(FEN_GUI_FROM_GUEST, buf, sizeof buf, 0, &m, &err), FEN_OK);
        assert_int_equal(m.u.cursor.glyph, cursor_map[i].glyph);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_cursors_map_to_their_glyphs),
        cmocka_unit_test(unknown_cursors_are_the_default),
        cmocka_unit_test(every_glyph_passes_dom0s_validator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
