/* Validators: the gui stream's window messages, each accepted in a good case
 * and refused for each bad field. */
#include <limits.h>

#include "validate_test_util.h"

#define GUEST FEN_GUI_FROM_GUEST
#define WIN 7u

/* ---- CREATE / MAP / CONFIGURE / empty messages ---- */

static void create_is_accepted_at_its_limits(void **state)
{
    struct fen_msg_create c = {.rect = {FEN_MIN_COORD, FEN_MAX_COORD, 1, FEN_MAX_WINDOW_HEIGHT},
                               .parent = 0,
                               .override_redirect = 1};
    ACCEPTED(parse_body(GUEST, FEN_MSG_CREATE, WIN, &c, sizeof c));
    assert_int_equal(test_msg.window, WIN);
    assert_int_equal(test_msg.u.create.rect.x, FEN_MIN_COORD);
    assert_int_equal(test_msg.u.create.rect.h, FEN_MAX_WINDOW_HEIGHT);
    c = (struct fen_msg_create){.rect = {0, 0, FEN_MAX_WINDOW_WIDTH, 1}, .parent = 3};
    ACCEPTED(parse_body(GUEST, FEN_MSG_CREATE, WIN, &c, sizeof c));
    assert_int_equal(test_msg.u.create.parent, 3);
}

static void create_refuses_each_bad_field(void **state)
{
    static const struct {
        struct fen_msg_create m;
        enum fen_err code;
        const char *why;
    } bad[] = {
        {{{0, 0, 0, 10}, 0, 0}, FEN_E_RANGE, "CREATE: width 0 outside 1..8192"},
        {{{0, 0, 8193, 10}, 0, 0}, FEN_E_RANGE, "CREATE: width 8193 outside 1..8192"},
        {{{0, 0, 0x7fffffff, 10}, 0, 0}, FEN_E_RANGE, "width 2147483647"},
        {{{0, 0, 0x80000000, 10}, 0, 0}, FEN_E_RANGE, "width 2147483648"},
        {{{0, 0, 0xffffffff, 10}, 0, 0}, FEN_E_RANGE, "width 4294967295"},
        {{{0, 0, 10, 0}, 0, 0}, FEN_E_RANGE, "CREATE: height 0 outside 1..8192"},
        {{{0, 0, 10, 0xffffffff}, 0, 0}, FEN_E_RANGE, "height 4294967295"},
        {{{-32769, 0, 10, 10}, 0, 0}, FEN_E_RANGE, "CREATE: x -32769 outside -32768..32767"},
        {{{INT_MIN, 0, 10, 10}, 0, 0}, FEN_E_RANGE, "x -2147483648"},
        {{{0, 32768, 10, 10}, 0, 0}, FEN_E_RANGE, "CREATE: y 32768"},
        {{{0, INT_MAX, 10, 10}, 0, 0}, FEN_E_RANGE, "y 2147483647"},
        {{{0, -1, 10, 10}, WIN, 0}, FEN_E_RANGE, "CREATE: parent 7 is the window itself"},
        {{{0, 0, 10, 10}, 0, 2}, FEN_E_RANGE, "CREATE: override_redirect 2 is not 0 or 1"},
        {{{0, 0, 10, 10}, 0, 0xffffffff}, FEN_E_RANGE, "override_redirect 4294967295"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        REFUSED(parse_body(GUEST, FEN_MSG_CREATE, WIN, &bad[i].m, sizeof bad[i].m), bad[i].code,
                bad[i].why);
}

static void map_accepts_transients_and_refuses_self_reference(void **state)
{
    struct fen_msg_map m = {.transient_for = 3, .override_redirect = 0};
    ACCEPTED(parse_body(GUEST, FEN_MSG_MAP, WIN, &m, sizeof m));
    assert_int_equal(test_msg.u.map.transient_for, 3);
    m.transient_for = WIN;
    REFUSED(parse_body(GUEST, FEN_MSG_MAP, WIN, &m, sizeof m), FEN_E_RANGE,
            "MAP: transient_for 7 is the window itself");
    m = (struct fen_msg_map){.override_redirect = 0x80000000};
    REFUSED(parse_body(GUEST, FEN_MSG_MAP, WIN, &m, sizeof m), FEN_E_RANGE,
            "MAP: override_redirect 2147483648");
}

static void configure_is_accepted_from_both_sides(void **state)
{
    struct fen_msg_configure c = {.rect = {-100, 50, 800, 600}, .override_redirect = 0};
    ACCEPTED(parse_body(GUEST, FEN_MSG_CONFIGURE, WIN, &c, sizeof c));
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_CONFIGURE, WIN, &c, sizeof c));
    assert_int_equal(test_msg.u.configure.rect.x, -100);
    assert_int_equal(test_msg.u.configure.rect.w, 800);
}

static void configure_refuses_each_bad_field(void **state)
{
    struct fen_msg_configure c = {.rect = {0, 0, 0, 600}};
    REFUSED(parse_body(GUEST, FEN_MSG_CONFIGURE, WIN, &c, sizeof c), FEN_E_RANGE,
            "CONFIGURE: width 0");
    c.rect = (struct fen_rect){0, 0, 800, 0x80000000};
    REFUSED(parse_body(GUEST, FEN_MSG_CONFIGURE, WIN, &c, sizeof c), FEN_E_RANGE,
            "CONFIGURE: height 2147483648");
    c.rect = (struct fen_rect){40000, 0, 800, 600};
    REFUSED(parse_body(GUEST, FEN_MSG_CONFIGURE, WIN, &c, sizeof c), FEN_E_RANGE,
            "CONFIGURE: x 40000");
    c.rect = (struct fen_rect){0, -40000, 800, 600};
    REFUSED(parse_body(GUEST, FEN_MSG_CONFIGURE, WIN, &c, sizeof c), FEN_E_RANGE,
            "CONFIGURE: y -40000");
    c.rect = (struct fen_rect){0, 0, 800, 600};
    c.override_redirect = 3;
    REFUSED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_CONFIGURE, WIN, &c, sizeof c), FEN_E_RANGE,
            "override_redirect 3");
}

static void empty_messages_must_be_empty(void **state)
{
    ACCEPTED(parse_body(GUEST, FEN_MSG_DESTROY, WIN, NULL, 0));
    ACCEPTED(parse_body(GUEST, FEN_MSG_UNMAP, WIN, NULL, 0));
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_CLOSE, WIN, NULL, 0));
    uint32_t junk = 0;
    REFUSED(parse_body(GUEST, FEN_MSG_DESTROY, WIN, &junk, sizeof junk), FEN_E_LENGTH,
            "DESTROY: length 4, must be 0");
    REFUSED(parse_body(GUEST, FEN_MSG_UNMAP, WIN, &junk, 1), FEN_E_LENGTH, "UNMAP: length 1");
    REFUSED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_CLOSE, WIN, &junk, 2), FEN_E_LENGTH,
            "CLOSE: length 2");
}

/* ---- DAMAGE ---- */

static size_t damage_body(uint8_t *b, uint32_t count, const struct fen_rect *r, uint32_t nrects)
{
    memcpy(b, &count, 4);
    memcpy(b + 4, r, nrects * sizeof *r);
    return 4 + nrects * sizeof *r;
}

static void damage_is_accepted_up_to_the_rect_limit(void **state)
{
    uint8_t b[4 + FEN_MAX_DAMAGE_RECTS * 16];
    struct fen_rect r[FEN_MAX_DAMAGE_RECTS];
    for (uint32_t i = 0; i < FEN_MAX_DAMAGE_RECTS; i++)
        r[i] = (struct fen_rect){(int32_t)i, -(int32_t)i, i + 1, 2 * i + 1};
    size_t n = damage_body(b, 1, r, 1);
    ACCEPTED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n));
    assert_int_equal(test_msg.u.damage.count, 1);
    n = damage_body(b, FEN_MAX_DAMAGE_RECTS, r, FEN_MAX_DAMAGE_RECTS);
    ACCEPTED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n));
    assert_int_equal(test_msg.u.damage.count, FEN_MAX_DAMAGE_RECTS);
    assert_int_equal(test_msg.u.damage.rects[63].h, 127);
    assert_int_equal(test_msg.u.damage.rects[63].y, -63);
}

static void damage_count_must_be_in_range_and_match_the_length(void **state)
{
    uint8_t b[4 + 3 * 16];
    struct fen_rect r[3] = {{0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 1, 1}};
    size_t n = damage_body(b, 0, r, 0);
    REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_LENGTH, "DAMAGE: length 4");
    n = damage_body(b, 0, r, 1);
    REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_RANGE,
            "DAMAGE: count 0 outside 1..64");
    n = damage_body(b, 3, r, 2);
    REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_LENGTH,
            "DAMAGE: count 3 needs length 52, header says 36");
    n = damage_body(b, 1, r, 3);
    REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_LENGTH, "count 1 needs length 20");
    static const uint32_t hostile[] = {65, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000001};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        n = damage_body(b, hostile[i], r, 1);
        REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_RANGE, "outside 1..64");
    }
}

static void damage_rects_must_be_non_empty_and_unable_to_overflow(void **state)
{
    static const struct {
        struct fen_rect r;
        const char *why;
    } bad[] = {
        {{0, 0, 0, 5}, "DAMAGE: rect 0 size 0x5"},
        {{0, 0, 5, 0}, "size 5x0"},
        {{0, 0, 0xffffffff, 1}, "size 4294967295x1"},
        {{0, 0, 1, 0x80000000}, "size 1x2147483648"},
        {{INT_MAX, 0, 1, 1}, "DAMAGE: rect 0 origin 2147483647,0"},
        {{0, INT_MIN, 1, 1}, "origin 0,-2147483648"},
        {{-32769, 0, 1, 1}, "origin -32769,0"},
    };
    uint8_t b[4 + 2 * 16];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fen_rect r[2] = {bad[i].r, {0, 0, 1, 1}};
        size_t n = damage_body(b, 1, r, 1);
        REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_RANGE, bad[i].why);
        /* the bad rect second in the list is named by its index */
        r[1] = bad[i].r;
        r[0] = (struct fen_rect){0, 0, 1, 1};
        n = damage_body(b, 2, r, 2);
        REFUSED(parse_body(GUEST, FEN_MSG_DAMAGE, WIN, b, n), FEN_E_RANGE, "DAMAGE: rect 1");
    }
}

/* ---- WINDOW_DUMP ---- */

static struct fen_msg_window_dump good_dump(void)
{
    struct fen_msg_window_dump d = {.kind = FEN_DUMP_LOCAL_POOL,
                                    .width = 100,
                                    .height = 50,
                                    .stride = 400,
                                    .offset = 0,
                                    .format = FEN_FORMAT_XRGB8888,
                                    .serial = 9,
                                    .pool_id = 1,
                                    .num_refs = 5}; /* 20000 bytes */
    return d;
}

/* Builds a dump with `refs` refs 1000, 1001, ... (num_refs from the struct). */
static enum fen_err parse_dump(const struct fen_msg_window_dump *d, uint32_t refs)
{
    static _Alignas(8) uint8_t b[36 + 4 * FEN_MAX_REFS_PER_WINDOW];
    memcpy(b, d, sizeof *d);
    for (uint32_t i = 0; i < refs; i++) {
        uint32_t v = 1000 + i;
        memcpy(b + 36 + 4 * i, &v, 4);
    }
    return parse_body(GUEST, FEN_MSG_WINDOW_DUMP, WIN, b, 36 + 4 * (size_t)refs);
}

static void window_dump_is_accepted_for_both_kinds(void **state)
{
    struct fen_msg_window_dump d = good_dump();
    ACCEPTED(parse_dump(&d, 5));
    assert_int_equal(test_msg.u.dump.hdr.width, 100);
    assert_int_equal(test_msg.u.dump.hdr.serial, 9);
    assert_int_equal(test_msg.u.dump.bytes, 20000);
    assert_ptr_equal(test_msg.u.dump.refs, (const void *)(test_buf + 12 + 36));
    assert_int_equal(test_msg.u.dump.refs[0], 1000);
    assert_int_equal(test_msg.u.dump.refs[4], 1004);
    d.kind = FEN_DUMP_XEN_GRANT;
    d.pool_id = 0;
    d.format = FEN_FORMAT_ARGB8888;
    d.offset = 4095;
    d.num_refs = 6; /* 4095 + 20000 bytes */
    ACCEPTED(parse_dump(&d, 6));
    assert_int_equal(test_msg.u.dump.bytes, 24095);
}

static void window_dump_of_the_largest_window_is_accepted(void **state)
{
    struct fen_msg_window_dump d = good_dump();
    d.width = FEN_MAX_WINDOW_WIDTH;
    d.height = FEN_MAX_WINDOW_HEIGHT;
    d.stride = FEN_MAX_STRIDE;
    d.num_refs = FEN_MAX_REFS_PER_WINDOW;
    ACCEPTED(parse_dump(&d, FEN_MAX_REFS_PER_WINDOW));
    assert_int_equal(test_msg.u.dump.bytes, (uint64_t)FEN_MAX_REFS_PER_WINDOW * FEN_PAGE_SIZE);
    d.offset = 4;
    d.num_refs = FEN_MAX_REFS_PER_WINDOW;
    REFUSED(parse_dump(&d, FEN_MAX_REFS_PER_WINDOW), FEN_E_OVERFLOW, "too large");
}

static void window_dump_refuses_each_bad_field(void **state)
{
    static const struct {
        uint32_t field_offset, value;
        enum fen_err code;
        const char *why;
    } bad[] = {
        {offsetof(struct fen_msg_window_dump, kind), 0, FEN_E_RANGE, "WINDOW_DUMP: kind 0"},
        {offsetof(struct fen_msg_window_dump, kind), 3, FEN_E_RANGE, "kind 3"},
        {offsetof(struct fen_msg_window_dump, width), 0, FEN_E_RANGE, "WINDOW_DUMP: width 0"},
        {offsetof(struct fen_msg_window_dump, width), 0xffffffff, FEN_E_RANGE, "width 4294967295"},
        {offsetof(struct fen_msg_window_dump, height), 0, FEN_E_RANGE, "height 0"},
        {offsetof(struct fen_msg_window_dump, height), 8193, FEN_E_RANGE, "height 8193"},
        {offsetof(struct fen_msg_window_dump, offset), 4096, FEN_E_RANGE, "offset 4096"},
        {offsetof(struct fen_msg_window_dump, offset), 0x80000000, FEN_E_RANGE,
         "offset 2147483648"},
        {offsetof(struct fen_msg_window_dump, stride), 396, FEN_E_RANGE,
         "stride 396 for width 100"},
        {offsetof(struct fen_msg_window_dump, stride), 402, FEN_E_RANGE, "stride 402"},
        {offsetof(struct fen_msg_window_dump, stride), 0, FEN_E_RANGE, "stride 0"},
        {offsetof(struct fen_msg_window_dump, stride), FEN_MAX_STRIDE + 4, FEN_E_RANGE,
         "stride 36868"},
        {offsetof(struct fen_msg_window_dump, stride), 0xfffffffc, FEN_E_RANGE,
         "stride 4294967292"},
        {offsetof(struct fen_msg_window_dump, format), 0, FEN_E_RANGE, "WINDOW_DUMP: format 0"},
        {offsetof(struct fen_msg_window_dump, format), 3, FEN_E_RANGE, "format 3"},
        {offsetof(struct fen_msg_window_dump, pool_id), FEN_MAX_POOLS, FEN_E_RANGE,
         "WINDOW_DUMP: pool_id 4 outside 0..3"},
        {offsetof(struct fen_msg_window_dump, pool_id), 0xffffffff, FEN_E_RANGE,
         "pool_id 4294967295"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fen_msg_window_dump d = good_dump();
        memcpy((uint8_t *)&d + bad[i].field_offset, &bad[i].value, 4);
        REFUSED(parse_dump(&d, d.num_refs), bad[i].code, bad[i].why);
    }
    struct fen_msg_window_dump d = good_dump();
    d.kind = FEN_DUMP_XEN_GRANT;
    REFUSED(parse_dump(&d, 5), FEN_E_RANGE, "pool_id 1 must be 0 for xen grants");
}

static void window_dump_refs_must_cover_the_image_exactly(void **state)
{
    struct fen_msg_window_dump d = good_dump();
    d.num_refs = 4;
    REFUSED(parse_dump(&d, 4), FEN_E_RANGE,
            "WINDOW_DUMP: num_refs 4, image of 20000 bytes needs 5");
    d.num_refs = 6;
    REFUSED(parse_dump(&d, 6), FEN_E_RANGE, "num_refs 6");
    /* num_refs disagreeing with the length */
    d.num_refs = 5;
    REFUSED(parse_dump(&d, 4), FEN_E_LENGTH, "num_refs 5 needs length 56, header says 52");
    d.num_refs = 0;
    REFUSED(parse_dump(&d, 1), FEN_E_RANGE, "num_refs 0 outside 1..73728");
}

static void window_dump_wrapping_products_are_refused(void **state)
{
    /* width*4 wraps to 0 at 2^30; refs*4096 wraps at 2^20 refs */
    struct fen_msg_window_dump d = good_dump();
    d.width = 0x40000000;
    d.stride = 0;
    REFUSED(parse_dump(&d, 5), FEN_E_RANGE, "width 1073741824");
    d = good_dump();
    d.num_refs = 0x100000; /* * 4096 = 2^32 */
    REFUSED(parse_dump(&d, 1), FEN_E_RANGE, "num_refs 1048576 outside");
    d.num_refs = 0x40000001; /* * 4 wraps to 4 in 32 bits */
    REFUSED(parse_dump(&d, 1), FEN_E_RANGE, "num_refs 1073741825");
    d.num_refs = 0xffffffff;
    REFUSED(parse_dump(&d, 1), FEN_E_RANGE, "num_refs 4294967295");
    /* a header length claiming 2^30 refs is refused before any body exists */
    struct fen_hdr h = {FEN_MSG_WINDOW_DUMP, WIN, 36 + 4u * 0x3ffffff0u};
    REFUSED(fen_check_header(GUEST, &h, 0, &test_err), FEN_E_LENGTH, "WINDOW_DUMP: length");
}

static void window_dump_in_a_misaligned_buffer_is_refused(void **state)
{
    struct fen_msg_window_dump d = good_dump();
    static _Alignas(8) uint8_t b[1 + 12 + 36 + 20];
    struct fen_hdr h = {FEN_MSG_WINDOW_DUMP, WIN, 36 + 20};
    memcpy(b + 1, &h, sizeof h);
    memcpy(b + 13, &d, sizeof d);
    memset(b + 49, 0, 20);
    REFUSED(fen_parse_msg(GUEST, b + 1, 12 + 36 + 20, 0, &test_msg, &test_err), FEN_E_STATE,
            "not 4-byte aligned");
}

/* ---- TITLE / WM_CLASS ---- */

static enum fen_err parse_title(const char *text, uint32_t len, uint32_t claimed)
{
    uint8_t b[4 + 600];
    assert_true(len <= 600);
    memcpy(b, &claimed, 4);
    memcpy(b + 4, text, len);
    return parse_body(GUEST, FEN_MSG_TITLE, WIN, b, 4 + (size_t)len);
}

static void title_is_sanitized_into_the_message(void **state)
{
    const char t[] = "Invoice\xe2\x80\xae"
                     "fdp.exe\tsaved\x01\x7f";
    ACCEPTED(parse_title(t, sizeof t - 1, sizeof t - 1));
    assert_string_equal(test_msg.u.title.text, "Invoicefdp.exe saved");
    ACCEPTED(parse_title("", 0, 0));
    assert_string_equal(test_msg.u.title.text, "");
    ACCEPTED(parse_title("\xff\xfe", 2, 2));
    assert_string_equal(test_msg.u.title.text, "\xef\xbf\xbd\xef\xbf\xbd");
}

static void title_at_the_limit_is_kept_and_above_it_refused(void **state)
{
    char t[600];
    memset(t, 'a', sizeof t);
    ACCEPTED(parse_title(t, FEN_MAX_TITLE_BYTES, FEN_MAX_TITLE_BYTES));
    assert_int_equal(strlen(test_msg.u.title.text), FEN_MAX_TITLE_BYTES);
    REFUSED(parse_title(t, FEN_MAX_TITLE_BYTES + 1, FEN_MAX_TITLE_BYTES + 1), FEN_E_LENGTH,
            "TITLE: length 517 outside 4..516");
    /* 512 invalid bytes become 512 U+FFFD: cut at a character boundary */
    memset(t, 0xff, sizeof t);
    ACCEPTED(parse_title(t, FEN_MAX_TITLE_BYTES, FEN_MAX_TITLE_BYTES));
    assert_int_equal(strlen(test_msg.u.title.text), 170 * 3);
    assert_true(fen_utf8_valid((const uint8_t *)test_msg.u.title.text,
                               strlen(test_msg.u.title.text), true));
}

static void title_whose_length_field_lies_is_refused(void **state)
{
    REFUSED(parse_title("hello", 5, 6), FEN_E_LENGTH,
            "TITLE: length 6 needs length 10, header says 9");
    REFUSED(parse_title("hello", 5, 4), FEN_E_LENGTH, "length 4 needs length 8");
    REFUSED(parse_title("hello", 5, 0xffffffff), FEN_E_RANGE,
            "TITLE: length 4294967295 outside 0..512");
    REFUSED(parse_title("hello", 5, 0x80000000), FEN_E_RANGE, "length 2147483648");
}

static void wm_class_strings_are_terminated_and_sanitized(void **state)
{
    struct fen_msg_wm_class c;
    memset(&c, 0, sizeof c);
    strcpy(c.res_class, "Firefox\xe2\x80\x8b");
    strcpy(c.res_name, "Navigator");
    ACCEPTED(parse_body(GUEST, FEN_MSG_WM_CLASS, WIN, &c, sizeof c));
    assert_string_equal(test_msg.u.wm_class.res_class, "Firefox");
    assert_string_equal(test_msg.u.wm_class.res_name, "Navigator");
    memset(c.res_name, 'x', sizeof c.res_name - 1); /* 63 bytes + NUL: fits */
    c.res_name[63] = '\0';
    ACCEPTED(parse_body(GUEST, FEN_MSG_WM_CLASS, WIN, &c, sizeof c));
    assert_int_equal(strlen(test_msg.u.wm_class.res_name), 63);
}

static void wm_class_without_a_nul_is_refused(void **state)
{
    struct fen_msg_wm_class c;
    memset(&c, 0, sizeof c);
    memset(c.res_class, 'A', sizeof c.res_class);
    REFUSED(parse_body(GUEST, FEN_MSG_WM_CLASS, WIN, &c, sizeof c), FEN_E_STRING,
            "WM_CLASS: res_class has no NUL within 64 bytes");
    memset(&c, 0, sizeof c);
    memset(c.res_name, 0xff, sizeof c.res_name);
    REFUSED(parse_body(GUEST, FEN_MSG_WM_CLASS, WIN, &c, sizeof c), FEN_E_STRING,
            "res_name has no NUL");
}

/* ---- SIZE_HINTS / WM_FLAGS / CURSOR / POOL / DUMP_ACK / FRAME_* ---- */

static void size_hints_keep_flagged_fields_and_zero_the_rest(void **state)
{
    struct fen_msg_size_hints h = {.flags =
                                       FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE | FEN_HINT_USER_POS,
                                   .min_w = 100,
                                   .min_h = 50,
                                   .max_w = 800,
                                   .max_h = 600,
                                   .inc_w = 0xffffffff,
                                   .inc_h = 77,
                                   .base_w = 5,
                                   .base_h = 5};
    ACCEPTED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h));
    assert_int_equal(test_msg.u.size_hints.min_w, 100);
    assert_int_equal(test_msg.u.size_hints.max_h, 600);
    assert_int_equal(test_msg.u.size_hints.inc_w, 0);
    assert_int_equal(test_msg.u.size_hints.base_w, 0);
    h.flags = FEN_HINT_RESIZE_INC | FEN_HINT_BASE_SIZE | FEN_HINT_PROGRAM_POS;
    h.inc_w = 8;
    h.inc_h = 16;
    ACCEPTED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h));
    assert_int_equal(test_msg.u.size_hints.inc_h, 16);
    assert_int_equal(test_msg.u.size_hints.base_h, 5);
    assert_int_equal(test_msg.u.size_hints.min_w, 0);
}

static void size_hints_refuse_unknown_flags_and_bad_values(void **state)
{
    struct fen_msg_size_hints h = {.flags = 1u << 6};
    REFUSED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h), FEN_E_RANGE,
            "SIZE_HINTS: unknown flag bits 0x40");
    h = (struct fen_msg_size_hints){.flags = FEN_HINT_MIN_SIZE, .min_w = 8193};
    REFUSED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h), FEN_E_RANGE, "min_w 8193");
    h = (struct fen_msg_size_hints){.flags = FEN_HINT_MAX_SIZE, .max_w = 0, .max_h = 10};
    REFUSED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h), FEN_E_RANGE, "max_w 0");
    h = (struct fen_msg_size_hints){.flags = FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE,
                                    .min_w = 500,
                                    .min_h = 10,
                                    .max_w = 400,
                                    .max_h = 10};
    REFUSED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h), FEN_E_RANGE,
            "SIZE_HINTS: min 500x10 above max 400x10");
    h = (struct fen_msg_size_hints){.flags = FEN_HINT_RESIZE_INC, .inc_w = 0, .inc_h = 1};
    REFUSED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h), FEN_E_RANGE, "inc_w 0");
    h = (struct fen_msg_size_hints){.flags = FEN_HINT_BASE_SIZE, .base_h = 0xffffffff};
    REFUSED(parse_body(GUEST, FEN_MSG_SIZE_HINTS, WIN, &h, sizeof h), FEN_E_RANGE,
            "base_h 4294967295");
}

static void wm_flags_go_both_ways_and_refuse_contradictions(void **state)
{
    struct fen_msg_wm_flags f = {.set = FEN_WMFLAG_FULLSCREEN, .unset = FEN_WMFLAG_MINIMIZED};
    ACCEPTED(parse_body(GUEST, FEN_MSG_WM_FLAGS, WIN, &f, sizeof f));
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_WM_FLAGS, WIN, &f, sizeof f));
    assert_int_equal(test_msg.u.wm_flags.set, FEN_WMFLAG_FULLSCREEN);
    f = (struct fen_msg_wm_flags){.set = 0x10};
    REFUSED(parse_body(GUEST, FEN_MSG_WM_FLAGS, WIN, &f, sizeof f), FEN_E_RANGE,
            "WM_FLAGS: unknown flag bits 0x10");
    f = (struct fen_msg_wm_flags){.unset = 0x80000000};
    REFUSED(parse_body(GUEST, FEN_MSG_WM_FLAGS, WIN, &f, sizeof f), FEN_E_RANGE, "0x80000000");
    f = (struct fen_msg_wm_flags){.set = 3, .unset = 2};
    REFUSED(parse_body(GUEST, FEN_MSG_WM_FLAGS, WIN, &f, sizeof f), FEN_E_RANGE,
            "WM_FLAGS: bits 0x2 both set and unset");
}

static void cursor_accepts_even_glyphs_and_the_default(void **state)
{
    static const uint32_t good[] = {0, 2, 68, FEN_CURSOR_GLYPH_MAX, FEN_CURSOR_DEFAULT};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct fen_msg_cursor c = {good[i]};
        ACCEPTED(parse_body(GUEST, FEN_MSG_CURSOR, WIN, &c, sizeof c));
        assert_int_equal(test_msg.u.cursor.glyph, good[i]);
    }
    static const uint32_t bad[] = {1, 151, 154, 0x7fffffff, 0x80000000, 0xfffffffe};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fen_msg_cursor c = {bad[i]};
        REFUSED(parse_body(GUEST, FEN_MSG_CURSOR, WIN, &c, sizeof c), FEN_E_RANGE, "CURSOR: glyph");
    }
}

static void pool_announcement_is_checked(void **state)
{
    struct fen_msg_pool p = {.npages = FEN_MAX_POOL_PAGES, .pool_id = FEN_MAX_POOLS - 1};
    ACCEPTED(parse_body(GUEST, FEN_MSG_POOL, 0, &p, sizeof p));
    assert_int_equal(test_msg.u.pool.npages, FEN_MAX_POOL_PAGES);
    p.npages = 0;
    REFUSED(parse_body(GUEST, FEN_MSG_POOL, 0, &p, sizeof p), FEN_E_RANGE,
            "POOL: npages 0 outside 1..1048576");
    p.npages = FEN_MAX_POOL_PAGES + 1;
    REFUSED(parse_body(GUEST, FEN_MSG_POOL, 0, &p, sizeof p), FEN_E_RANGE, "npages 1048577");
    p.npages = 1;
    p.pool_id = FEN_MAX_POOLS;
    REFUSED(parse_body(GUEST, FEN_MSG_POOL, 0, &p, sizeof p), FEN_E_RANGE, "POOL: pool_id 4");
}

static void dump_ack_carries_any_serial_from_dom0(void **state)
{
    struct fen_msg_dump_ack a = {0xffffffff};
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_DUMP_ACK, WIN, &a, sizeof a));
    assert_int_equal(test_msg.u.dump_ack.serial, 0xffffffff);
    REFUSED(parse_body(GUEST, FEN_MSG_DUMP_ACK, WIN, &a, sizeof a), FEN_E_TYPE, "DUMP_ACK");
}

/* FRAME_MARK one way, FRAME_SHOWN the other; any serial; a window is
 * required and the body is exactly 4 bytes. */
static void frame_mark_and_shown_carry_any_serial_one_way_each(void **state)
{
    struct fen_msg_frame f = {0xffffffff};
    ACCEPTED(parse_body(GUEST, FEN_MSG_FRAME_MARK, WIN, &f, sizeof f));
    assert_int_equal(test_msg.type, FEN_MSG_FRAME_MARK);
    assert_int_equal(test_msg.u.frame.serial, 0xffffffff);
    f.serial = 0;
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_FRAME_SHOWN, WIN, &f, sizeof f));
    assert_int_equal(test_msg.u.frame.serial, 0);
    REFUSED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_FRAME_MARK, WIN, &f, sizeof f), FEN_E_TYPE,
            "FRAME_MARK: not allowed on gui stream from dom0");
    REFUSED(parse_body(GUEST, FEN_MSG_FRAME_SHOWN, WIN, &f, sizeof f), FEN_E_TYPE,
            "FRAME_SHOWN: not allowed on gui stream from guest");
    REFUSED(parse_body(GUEST, FEN_MSG_FRAME_MARK, 0, &f, sizeof f), FEN_E_RANGE, "window");
    uint8_t longer[8] = {0};
    REFUSED(parse_body(GUEST, FEN_MSG_FRAME_MARK, WIN, longer, sizeof longer), FEN_E_LENGTH,
            "FRAME_MARK");
    REFUSED(parse_body(GUEST, FEN_MSG_FRAME_MARK, WIN, longer, 3), FEN_E_LENGTH, "FRAME_MARK");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_is_accepted_at_its_limits),
        cmocka_unit_test(create_refuses_each_bad_field),
        cmocka_unit_test(map_accepts_transients_and_refuses_self_reference),
        cmocka_unit_test(configure_is_accepted_from_both_sides),
        cmocka_unit_test(configure_refuses_each_bad_field),
        cmocka_unit_test(empty_messages_must_be_empty),
        cmocka_unit_test(damage_is_accepted_up_to_the_rect_limit),
        cmocka_unit_test(damage_count_must_be_in_range_and_match_the_length),
        cmocka_unit_test(damage_rects_must_be_non_empty_and_unable_to_overflow),
        cmocka_unit_test(window_dump_is_accepted_for_both_kinds),
        cmocka_unit_test(window_dump_of_the_largest_window_is_accepted),
        cmocka_unit_test(window_dump_refuses_each_bad_field),
        cmocka_unit_test(window_dump_refs_must_cover_the_image_exactly),
        cmocka_unit_test(window_dump_wrapping_products_are_refused),
        cmocka_unit_test(window_dump_in_a_misaligned_buffer_is_refused),
        cmocka_unit_test(title_is_sanitized_into_the_message),
        cmocka_unit_test(title_at_the_limit_is_kept_and_above_it_refused),
        cmocka_unit_test(title_whose_length_field_lies_is_refused),
        cmocka_unit_test(wm_class_strings_are_terminated_and_sanitized),
        cmocka_unit_test(wm_class_without_a_nul_is_refused),
        cmocka_unit_test(size_hints_keep_flagged_fields_and_zero_the_rest),
        cmocka_unit_test(size_hints_refuse_unknown_flags_and_bad_values),
        cmocka_unit_test(wm_flags_go_both_ways_and_refuse_contradictions),
        cmocka_unit_test(cursor_accepts_even_glyphs_and_the_default),
        cmocka_unit_test(pool_announcement_is_checked),
        cmocka_unit_test(dump_ack_carries_any_serial_from_dom0),
        cmocka_unit_test(frame_mark_and_shown_carry_any_serial_one_way_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
