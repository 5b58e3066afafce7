/* Property parsers and the cursor-name table: what the agent sends from
 * arbitrary client properties always passes dom0's validators. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cursor_names.h"
#include "../prop_parse.h"
#include "fenestra/validate.h"

/* Parse a guest->dom0 message with the real validator. */
static enum fen_err validate(uint32_t type, const void *body, uint32_t len)
{
    uint32_t buf[(12 + 1024) / 4];
    struct fen_hdr h = {.type = type, .window = 7, .length = len};
    memcpy(buf, &h, sizeof h);
    memcpy((uint8_t *)buf + sizeof h, body, len);
    struct fen_msg *m = malloc(sizeof *m);
    struct fen_error err;
    enum fen_err rc = fen_parse_msg(FEN_GUI_FROM_GUEST, (const uint8_t *)buf, sizeof h + len, 0, m,
                                    &err);
    free(m);
    return rc;
}

static void size_hints_are_translated(void **state)
{
    (void)state;
    /* flags: PMinSize|PMaxSize|PResizeInc|PBaseSize|PPosition */
    uint32_t v[18] = {16 | 32 | 64 | 256 | 4, 0, 0, 0, 0, 100, 50, 800, 600, 6, 13, 0, 0, 0, 0,
                      4, 2, 1};
    struct fen_msg_size_hints h;
    prop_size_hints(v, 18, &h);
    assert_int_equal(h.flags, FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE | FEN_HINT_RESIZE_INC |
                                  FEN_HINT_BASE_SIZE | FEN_HINT_PROGRAM_POS);
    assert_int_equal(h.min_w, 100);
    assert_int_equal(h.max_h, 600);
    assert_int_equal(h.inc_w, 6);
    assert_int_equal(h.inc_h, 13);
    assert_int_equal(h.base_w, 4);
    assert_int_equal(validate(FEN_MSG_SIZE_HINTS, &h, sizeof h), FEN_OK);
}

static void hostile_size_hints_still_validate(void **state)
{
    (void)state;
    /* max below min, zero increments, negative and huge sizes, short props */
    uint32_t v[18] = {0xffffffffu, 0, 0, 0, 0, 5000, 5000, 10, 10, 0, 0, 0, 0, 0, 0,
                      0xfffffff0u, 99999, 0};
    struct fen_msg_size_hints h;
    for (size_t n = 0; n <= 18; n++) {
        prop_size_hints(v, n, &h);
        assert_int_equal(validate(FEN_MSG_SIZE_HINTS, &h, sizeof h), FEN_OK);
    }
    prop_size_hints(v, 18, &h);
    assert_false(h.flags & FEN_HINT_MAX_SIZE);
    assert_int_equal(h.inc_w, 1);
    assert_int_equal(h.base_w, 0);
    assert_int_equal(h.base_h, FEN_MAX_WINDOW_HEIGHT);
}

static void urgency_bit(void **state)
{
    (void)state;
    uint32_t hints[9] = {1u << 8};
    assert_true(prop_wm_hints_urgent(hints, 9));
    hints[0] = 1;
    assert_false(prop_wm_hints_urgent(hints, 9));
    assert_false(prop_wm_hints_urgent(hints, 0));
}

static const struct prop_state_atoms atoms = {
    .fullscreen = 100, .demands_attention = 101, .max_vert = 102, .max_horz = 103, .hidden = 104};

static void net_wm_state_flags_and_requests(void **state)
{
    (void)state;
    uint32_t list[] = {5, 102, 100, 0};
    assert_int_equal(prop_net_wm_state_flags(&atoms, list, 4),
                     FEN_WMFLAG_MAXIMIZED | FEN_WMFLAG_FULLSCREEN);
    uint32_t f = prop_apply_state_request(&atoms, 0, 1, 100, 0);
    assert_int_equal(f, FEN_WMFLAG_FULLSCREEN);
    f = prop_apply_state_request(&atoms, f, 2, 100, 101);
    assert_int_equal(f, FEN_WMFLAG_DEMANDS_ATTENTION);
    f = prop_apply_state_request(&atoms, f, 0, 101, 0);
    assert_int_equal(f, 0);
    assert_int_equal(prop_apply_state_request(&atoms, 3, 7, 100, 101), 3);
    uint32_t out[5];
    size_t n = prop_flags_to_atoms(&atoms, FEN_WMFLAG_ALL, out);
    assert_int_equal(n, 5);
    assert_int_equal(prop_net_wm_state_flags(&atoms, out, n), FEN_WMFLAG_ALL);
}

static void titles_are_utf8_and_bounded(void **state)
{
    (void)state;
    char out[16];
    /* Latin-1 "caf\xe9" -> UTF-8 */
    size_t n = prop_title_text((const uint8_t *)"caf\xe9", 4, false, out, sizeof out);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "caf\xc3\xa9", 5);
    /* Invalid UTF-8 bytes become '?' */
    n = prop_title_text((const uint8_t *)"a\xff\xc3", 3, true, out, sizeof out);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "a??", 3);
    /* Never cut inside a character: 5 x "é" (2 bytes) into 9 bytes -> 8 */
    n = prop_title_text((const uint8_t *)"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10, true, out,
                        9);
    assert_int_equal(n, 8);
    assert_true(fen_utf8_valid((const uint8_t *)out, n, false));
}

static void wm_class_is_split_and_validates(void **state)
{
    (void)state;
    struct fen_msg_wm_class c;
    prop_wm_class((const uint8_t *)"xterm\0XTerm\0", 12, &c);
    assert_string_equal(c.res_name, "xterm");
    assert_string_equal(c.res_class, "XTerm");
    assert_int_equal(validate(FEN_MSG_WM_CLASS, &c, sizeof c), FEN_OK);
    /* Overlong, control characters, no NULs at all. */
    uint8_t junk[300];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i % 2 ? 0x01 : 'x');
    prop_wm_class(junk, sizeof junk, &c);
    assert_int_equal(strlen(c.res_name), FEN_MAX_CLASS_BYTES - 1);
    assert_null(strchr(c.res_name, 0x01));
    assert_string_equal(c.res_class, "");
    assert_int_equal(validate(FEN_MSG_WM_CLASS, &c, sizeof c), FEN_OK);
    prop_wm_class(NULL, 0, &c);
    assert_int_equal(validate(FEN_MSG_WM_CLASS, &c, sizeof c), FEN_OK);
}

static void cursor_names_map_to_valid_glyphs(void **state)
{
    (void)state;
    assert_int_equal(cursor_glyph_for_name("left_ptr"), 68);
    assert_int_equal(cursor_glyph_for_name("xterm"), 152);
    assert_int_equal(cursor_glyph_for_name("X_cursor"), 0);
    assert_int_equal(cursor_glyph_for_name("pointer"), 60);
    assert_int_equal(cursor_glyph_for_name("text"), 152);
    assert_int_equal(cursor_glyph_for_name("ew-resize"), 108);
    assert_int_equal(cursor_glyph_for_name("no-such-cursor"), FEN_CURSOR_DEFAULT);
    assert_int_equal(cursor_glyph_for_name(""), FEN_CURSOR_DEFAULT);
    assert_int_equal(cursor_glyph_for_name(NULL), FEN_CURSOR_DEFAULT);
    const char *names[] = {"watch", "hand2", "fleur", "crosshair", "sb_v_double_arrow", "help",
                           "not-allowed", "wait", "grab", "se-resize"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct fen_msg_cursor c = {.glyph = cursor_glyph_for_name(names[i])};
        assert_int_not_equal(c.glyph, FEN_CURSOR_DEFAULT);
        assert_int_equal(validate(FEN_MSG_CURSOR, &c, sizeof c), FEN_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(size_hints_are_translated),
        cmocka_unit_test(hostile_size_hints_still_validate),
        cmocka_unit_test(urgency_bit),
        cmocka_unit_test(net_wm_state_flags_and_requests),
        cmocka_unit_test(titles_are_utf8_and_bounded),
        cmocka_unit_test(wm_class_is_split_and_validates),
        cmocka_unit_test(cursor_names_map_to_valid_glyphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
