/* Validators: headers, streams and directions, the handshake, hostile
 * lengths, and the geometry helpers the daemons use. */
#include <limits.h>

#include "validate_test_util.h"

static const uint32_t all_types[] = {
    FEN_MSG_HELLO,
    FEN_MSG_CREATE,
    FEN_MSG_DESTROY,
    FEN_MSG_MAP,
    FEN_MSG_UNMAP,
    FEN_MSG_CONFIGURE,
    FEN_MSG_DAMAGE,
    FEN_MSG_WINDOW_DUMP,
    FEN_MSG_TITLE,
    FEN_MSG_WM_CLASS,
    FEN_MSG_SIZE_HINTS,
    FEN_MSG_WM_FLAGS,
    FEN_MSG_CURSOR,
    FEN_MSG_POOL,
    FEN_MSG_DUMP_ACK,
    FEN_MSG_FRAME_MARK,
    FEN_MSG_FRAME_SHOWN,
    FEN_MSG_KEY,
    FEN_MSG_BUTTON,
    FEN_MSG_MOTION,
    FEN_MSG_CROSSING,
    FEN_MSG_FOCUS,
    FEN_MSG_KEYMAP,
    FEN_MSG_CLOSE,
    FEN_MSG_CLIP_REQUEST,
    FEN_MSG_CLIP_DATA,
    FEN_MSG_CLIP_PASTE,
    FEN_MSG_CLIP_PASTE_ACK,
    FEN_MSG_AUDIO_FORMAT,
    FEN_MSG_AUDIO_PCM,
    FEN_MSG_AUDIO_CORK,
    FEN_MSG_AUDIO_MIC_REQUEST,
    FEN_MSG_AUDIO_MIC_PCM,
    FEN_MSG_AUDIO_LATENCY,
};
#define NTYPES (sizeof all_types / sizeof all_types[0])

static const uint32_t hostile_lengths[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff};

static struct fen_msg_hello good_hello(uint32_t stream)
{
    struct fen_msg_hello h = {.magic = FEN_PROTO_MAGIC,
                              .major = FEN_PROTO_MAJOR,
                              .minor = FEN_PROTO_MINOR,
                              .stream = stream};
    return h;
}

/* ---- names ---- */

static void every_message_type_has_a_name(void **state)
{
    for (size_t i = 0; i < NTYPES; i++) {
        const char *n = fen_msg_type_name(all_types[i]);
        assert_non_null(n);
        assert_string_not_equal(n, "unknown");
    }
    assert_string_equal(fen_msg_type_name(FEN_MSG_CREATE), "CREATE");
    assert_string_equal(fen_msg_type_name(0x1234), "unknown");
    assert_string_equal(fen_err_name(FEN_OK), "OK");
    assert_string_equal(fen_err_name(FEN_E_OVERFLOW), "OVERFLOW");
    assert_string_equal(fen_err_name((enum fen_err)999), "UNKNOWN_ERROR");
}

/* ---- headers ---- */

static void header_shorter_than_twelve_bytes_is_truncated(void **state)
{
    struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
    build_msg(FEN_MSG_HELLO, 0, sizeof h, &h, sizeof h);
    for (size_t n = 0; n < sizeof(struct fen_hdr); n++) {
        enum fen_err rc = fen_parse_msg(FEN_GUI_FROM_GUEST, test_buf, n, 0, &test_msg, &test_err);
        REFUSED(rc, FEN_E_TRUNCATED, "shorter than a header");
    }
    REFUSED(fen_parse_msg(FEN_GUI_FROM_GUEST, NULL, 44, 0, &test_msg, &test_err), FEN_E_TRUNCATED,
            "shorter than a header");
}

static void header_length_longer_than_the_body_is_truncated(void **state)
{
    struct fen_msg_pool p = {.npages = 4, .pool_id = 0};
    size_t n = build_msg(FEN_MSG_POOL, 0, sizeof p, &p, sizeof p);
    REFUSED(fen_parse_msg(FEN_GUI_FROM_GUEST, test_buf, n - 1, 0, &test_msg, &test_err),
            FEN_E_TRUNCATED, "POOL: length 8 but only 7 body bytes");
    REFUSED(fen_parse_msg(FEN_GUI_FROM_GUEST, test_buf, 12, 0, &test_msg, &test_err),
            FEN_E_TRUNCATED, "only 0 body bytes");
}

static void header_length_shorter_than_the_body_is_refused(void **state)
{
    struct fen_msg_pool p = {.npages = 4, .pool_id = 0};
    uint8_t body[12] = {0};
    memcpy(body, &p, sizeof p);
    size_t n = build_msg(FEN_MSG_POOL, 0, sizeof p, body, sizeof body);
    REFUSED(fen_parse_msg(FEN_GUI_FROM_GUEST, test_buf, n, 0, &test_msg, &test_err), FEN_E_LENGTH,
            "POOL: length 8 but 12 body bytes follow");
}

static void fixed_messages_refuse_any_other_length(void **state)
{
    static const struct {
        enum fen_stream s;
        uint32_t type, window, size;
    } fixed[] = {
        {FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, 32},
        {FEN_GUI_FROM_GUEST, FEN_MSG_CREATE, 1, 24},
        {FEN_GUI_FROM_GUEST, FEN_MSG_DESTROY, 1, 0},
        {FEN_GUI_FROM_GUEST, FEN_MSG_WM_CLASS, 1, 128},
        {FEN_GUI_FROM_GUEST, FEN_MSG_SIZE_HINTS, 1, 36},
        {FEN_GUI_FROM_GUEST, FEN_MSG_FRAME_MARK, 1, 4},
        {FEN_GUI_FROM_DOM0, FEN_MSG_FRAME_SHOWN, 1, 4},
        {FEN_GUI_FROM_DOM0, FEN_MSG_KEY, 1, 20},
        {FEN_GUI_FROM_DOM0, FEN_MSG_KEYMAP, 1, 32},
        {FEN_GUI_FROM_DOM0, FEN_MSG_CLOSE, 1, 0},
        {FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_REQUEST, 0, 8},
        {FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_FORMAT, 0, 16},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        struct fen_hdr h = {fixed[i].type, fixed[i].window, fixed[i].size};
        assert_int_equal(fen_check_header(fixed[i].s, &h, 0, &test_err), FEN_OK);
        for (size_t k = 0; k < sizeof hostile_lengths / sizeof hostile_lengths[0]; k++) {
            h.length = hostile_lengths[k];
            if (h.length == fixed[i].size)
                continue;
            REFUSED(fen_check_header(fixed[i].s, &h, 0, &test_err), FEN_E_LENGTH, "length");
        }
        h.length = fixed[i].size + 4;
        REFUSED(fen_check_header(fixed[i].s, &h, 0, &test_err), FEN_E_LENGTH, "must be");
    }
}

static void variable_messages_refuse_hostile_lengths_before_buffering(void **state)
{
    static const struct {
        enum fen_stream s;
        uint32_t type, window;
    } var[] = {
        {FEN_GUI_FROM_GUEST, FEN_MSG_DAMAGE, 1},
        {FEN_GUI_FROM_GUEST, FEN_MSG_WINDOW_DUMP, 1},
        {FEN_GUI_FROM_GUEST, FEN_MSG_TITLE, 1},
        {FEN_CLIP_FROM_GUEST, FEN_MSG_CLIP_DATA, 0},
        {FEN_CLIP_FROM_DOM0, FEN_MSG_CLIP_PASTE, 0},
        {FEN_AUDIO_FROM_GUEST, FEN_MSG_AUDIO_PCM, 0},
        {FEN_AUDIO_FROM_DOM0, FEN_MSG_AUDIO_MIC_PCM, 0},
    };
    for (size_t i = 0; i < sizeof var / sizeof var[0]; i++)
        for (size_t k = 0; k < sizeof hostile_lengths / sizeof hostile_lengths[0]; k++) {
            struct fen_hdr h = {var[i].type, var[i].window, hostile_lengths[k]};
            REFUSED(fen_check_header(var[i].s, &h, 0, &test_err), FEN_E_LENGTH, "length");
        }
}

static void variable_length_must_be_fixed_part_plus_whole_elements(void **state)
{
    struct fen_hdr h = {FEN_MSG_DAMAGE, 1, 4 + 16 + 8};
    REFUSED(fen_check_header(FEN_GUI_FROM_GUEST, &h, 0, &test_err), FEN_E_LENGTH,
            "DAMAGE: length 28 is not 4 + a multiple of 16");
    h = (struct fen_hdr){FEN_MSG_WINDOW_DUMP, 1, 36 + 6};
    REFUSED(fen_check_header(FEN_GUI_FROM_GUEST, &h, 0, &test_err), FEN_E_LENGTH, "multiple of 4");
    h.length = 36 + 4 * FEN_MAX_REFS_PER_WINDOW;
    assert_int_equal(fen_check_header(FEN_GUI_FROM_GUEST, &h, 0, &test_err), FEN_OK);
    h.length += 4;
    REFUSED(fen_check_header(FEN_GUI_FROM_GUEST, &h, 0, &test_err), FEN_E_LENGTH, "outside");
}

static void max_body_caps_variable_messages_only(void **state)
{
    struct fen_hdr h = {FEN_MSG_CLIP_DATA, 0, 8 + 1000};
    assert_int_equal(fen_check_header(FEN_CLIP_FROM_GUEST, &h, 1008, &test_err), FEN_OK);
    REFUSED(fen_check_header(FEN_CLIP_FROM_GUEST, &h, 1007, &test_err), FEN_E_LENGTH,
            "above this connection's limit 1007");
    h = (struct fen_hdr){FEN_MSG_CLIP_DATA, 0, 8 + FEN_MAX_CLIPBOARD_BYTES};
    assert_int_equal(fen_check_header(FEN_CLIP_FROM_GUEST, &h, 0, &test_err), FEN_OK);
    h.length++;
    REFUSED(fen_check_header(FEN_CLIP_FROM_GUEST, &h, 0, &test_err), FEN_E_LENGTH, "outside");
    /* a fixed message is not affected by a small cap */
    h = (struct fen_hdr){FEN_MSG_WM_CLASS, 1, 128};
    assert_int_equal(fen_check_header(FEN_GUI_FROM_GUEST, &h, 16, &test_err), FEN_OK);
}

static void unknown_types_are_refused(void **state)
{
    static const uint32_t unknown[] = {0,     2,     0xff,       0x110,      0x11f,     0x127,
                                       0x204, 0x306, 0x7fffffff, 0x80000000, 0xffffffff};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        for (int s = FEN_GUI_FROM_GUEST; s <= FEN_AUDIO_FROM_DOM0; s++) {
            struct fen_hdr h = {unknown[i], 0, 0};
            REFUSED(fen_check_header((enum fen_stream)s, &h, 0, &test_err), FEN_E_TYPE,
                    "unknown message type");
        }
}

static void guest_cannot_send_input_events(void **state)
{
    struct fen_msg_key k = {.type = FEN_KEY_PRESS, .keycode = 38};
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_KEY, 1, &k, sizeof k), FEN_E_TYPE,
            "KEY: not allowed on gui stream from guest");
    static const uint32_t d2g[] = {FEN_MSG_BUTTON,   FEN_MSG_MOTION, FEN_MSG_CROSSING,
                                   FEN_MSG_FOCUS,    FEN_MSG_KEYMAP, FEN_MSG_CLOSE,
                                   FEN_MSG_DUMP_ACK, FEN_MSG_FRAME_SHOWN};
    for (size_t i = 0; i < sizeof d2g / sizeof d2g[0]; i++) {
        struct fen_hdr h = {d2g[i], 1, 0};
        REFUSED(fen_check_header(FEN_GUI_FROM_GUEST, &h, 0, &test_err), FEN_E_TYPE,
                "not allowed on gui stream from guest");
    }
}

static void dom0_cannot_send_window_lifecycle(void **state)
{
    struct fen_msg_create c = {.rect = {0, 0, 10, 10}};
    REFUSED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_CREATE, 1, &c, sizeof c), FEN_E_TYPE,
            "CREATE: not allowed on gui stream from dom0");
    static const uint32_t g2d[] = {FEN_MSG_DESTROY, FEN_MSG_MAP,  FEN_MSG_DAMAGE,
                                   FEN_MSG_WINDOW_DUMP, FEN_MSG_TITLE, FEN_MSG_POOL,
                                   FEN_MSG_FRAME_MARK};
    for (size_t i = 0; i < sizeof g2d / sizeof g2d[0]; i++) {
        struct fen_hdr h = {g2d[i], 1, 0};
        REFUSED(fen_check_header(FEN_GUI_FROM_DOM0, &h, 0, &test_err), FEN_E_TYPE,
                "not allowed on gui stream from dom0");
    }
    struct fen_hdr h = {FEN_MSG_CLIP_DATA, 0, 8};
    REFUSED(fen_check_header(FEN_CLIP_FROM_DOM0, &h, 0, &test_err), FEN_E_TYPE,
            "CLIP_DATA: not allowed on clipboard stream from dom0");
    h = (struct fen_hdr){FEN_MSG_CLIP_REQUEST, 0, 8};
    REFUSED(fen_check_header(FEN_CLIP_FROM_GUEST, &h, 0, &test_err), FEN_E_TYPE,
            "CLIP_REQUEST: not allowed on clipboard stream from guest");
}

static void messages_are_refused_on_the_wrong_stream(void **state)
{
    struct fen_msg_create c = {.rect = {0, 0, 10, 10}};
    REFUSED(parse_body(FEN_CLIP_FROM_GUEST, FEN_MSG_CREATE, 1, &c, sizeof c), FEN_E_TYPE,
            "CREATE: not allowed on clipboard stream from guest");
    REFUSED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_CREATE, 1, &c, sizeof c), FEN_E_TYPE,
            "not allowed on audio stream");
    struct fen_hdr h = {FEN_MSG_CLIP_DATA, 0, 8};
    REFUSED(fen_check_header(FEN_GUI_FROM_GUEST, &h, 0, &test_err), FEN_E_TYPE,
            "not allowed on gui stream");
    h = (struct fen_hdr){FEN_MSG_AUDIO_PCM, 0, 8};
    REFUSED(fen_check_header(FEN_CLIP_FROM_GUEST, &h, 0, &test_err), FEN_E_TYPE,
            "not allowed on clipboard stream");
    h = (struct fen_hdr){FEN_MSG_AUDIO_CORK, 0, 4};
    REFUSED(fen_check_header((enum fen_stream)42, &h, 0, &test_err), FEN_E_TYPE, "invalid stream");
}

/* The stream/direction matrix, written out from proto.h's comments. */
static void each_type_is_allowed_exactly_on_its_streams(void **state)
{
    enum { GG = 1, GD = 2, CG = 4, CD = 8, AG = 16, AD = 32 };
    static const struct {
        uint32_t type, window, length, on;
    } spec[] = {
        {FEN_MSG_HELLO, 0, 32, GG | GD | CG | CD | AG | AD},
        {FEN_MSG_CREATE, 1, 24, GG},
        {FEN_MSG_DESTROY, 1, 0, GG},
        {FEN_MSG_MAP, 1, 8, GG},
        {FEN_MSG_UNMAP, 1, 0, GG},
        {FEN_MSG_CONFIGURE, 1, 20, GG | GD},
        {FEN_MSG_DAMAGE, 1, 20, GG},
        {FEN_MSG_WINDOW_DUMP, 1, 40, GG},
        {FEN_MSG_TITLE, 1, 4, GG},
        {FEN_MSG_WM_CLASS, 1, 128, GG},
        {FEN_MSG_SIZE_HINTS, 1, 36, GG},
        {FEN_MSG_WM_FLAGS, 1, 8, GG | GD},
        {FEN_MSG_CURSOR, 1, 4, GG},
        {FEN_MSG_POOL, 0, 8, GG},
        {FEN_MSG_DUMP_ACK, 1, 4, GD},
        {FEN_MSG_FRAME_MARK, 1, 4, GG},
        {FEN_MSG_FRAME_SHOWN, 1, 4, GD},
        {FEN_MSG_KEY, 1, 20, GD},
        {FEN_MSG_BUTTON, 1, 20, GD},
        {FEN_MSG_MOTION, 1, 16, GD},
        {FEN_MSG_CROSSING, 1, 24, GD},
        {FEN_MSG_FOCUS, 1, 12, GD},
        {FEN_MSG_KEYMAP, 1, 32, GD},
        {FEN_MSG_CLOSE, 1, 0, GD},
        {FEN_MSG_CLIP_REQUEST, 0, 8, CD},
        {FEN_MSG_CLIP_DATA, 0, 8, CG},
        {FEN_MSG_CLIP_PASTE, 0, 8, CD},
        {FEN_MSG_CLIP_PASTE_ACK, 0, 4, CG},
        {FEN_MSG_AUDIO_FORMAT, 0, 16, AG | AD},
        {FEN_MSG_AUDIO_PCM, 0, 5, AG},
        {FEN_MSG_AUDIO_CORK, 0, 4, AG},
        {FEN_MSG_AUDIO_MIC_REQUEST, 0, 4, AG},
        {FEN_MSG_AUDIO_MIC_PCM, 0, 5, AD},
        {FEN_MSG_AUDIO_LATENCY, 0, 4, AG | AD},
    };
    assert_int_equal(sizeof spec / sizeof spec[0], NTYPES);
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++)
        for (int s = FEN_GUI_FROM_GUEST; s <= FEN_AUDIO_FROM_DOM0; s++) {
            struct fen_hdr h = {spec[i].type, spec[i].window, spec[i].length};
            enum fen_err rc = fen_check_header((enum fen_stream)s, &h, 0, &test_err);
            if (spec[i].on & (1u << s)) {
                if (rc != FEN_OK)
                    print_error("%s on stream %d: %s\n", fen_msg_type_name(spec[i].type), s,
                                test_err.reason);
                assert_int_equal(rc, FEN_OK);
            } else {
                REFUSED(rc, FEN_E_TYPE, "not allowed on");
            }
        }
}

static void window_messages_need_a_window_id(void **state)
{
    struct fen_msg_create c = {.rect = {0, 0, 10, 10}};
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_CREATE, 0, &c, sizeof c), FEN_E_RANGE,
            "CREATE: window 0");
    struct fen_hdr h = {FEN_MSG_KEY, 0, 20};
    REFUSED(fen_check_header(FEN_GUI_FROM_DOM0, &h, 0, &test_err), FEN_E_RANGE, "KEY: window 0");
}

static void stream_level_messages_must_not_name_a_window(void **state)
{
    struct fen_msg_pool p = {.npages = 1};
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_POOL, 9, &p, sizeof p), FEN_E_RANGE,
            "POOL: window 9 must be 0");
    struct fen_msg_hello hello = good_hello(FEN_STREAM_GUI);
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 1, &hello, sizeof hello), FEN_E_RANGE,
            "HELLO: window 1");
    struct fen_hdr h = {FEN_MSG_AUDIO_CORK, 0xffffffff, 4};
    REFUSED(fen_check_header(FEN_AUDIO_FROM_GUEST, &h, 0, &test_err), FEN_E_RANGE,
            "AUDIO_CORK: window 4294967295");
}

/* ---- handshake ---- */

static void hello_is_accepted_on_every_stream_both_ways(void **state)
{
    static const struct {
        enum fen_stream s;
        uint32_t kind;
    } streams[] = {
        {FEN_GUI_FROM_GUEST, FEN_STREAM_GUI},        {FEN_GUI_FROM_DOM0, FEN_STREAM_GUI},
        {FEN_CLIP_FROM_GUEST, FEN_STREAM_CLIPBOARD}, {FEN_CLIP_FROM_DOM0, FEN_STREAM_CLIPBOARD},
        {FEN_AUDIO_FROM_GUEST, FEN_STREAM_AUDIO},    {FEN_AUDIO_FROM_DOM0, FEN_STREAM_AUDIO},
    };
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) {
        struct fen_msg_hello h = good_hello(streams[i].kind);
        ACCEPTED(parse_body(streams[i].s, FEN_MSG_HELLO, 0, &h, sizeof h));
        assert_int_equal(test_msg.type, FEN_MSG_HELLO);
        assert_int_equal(test_msg.u.hello.stream, streams[i].kind);
    }
    struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
    h.screen_w = 3840;
    h.screen_h = 2160;
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_HELLO, 0, &h, sizeof h));
    assert_int_equal(test_msg.u.hello.screen_w, 3840);
}

static void hello_with_bad_magic_is_refused(void **state)
{
    struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
    h.magic = 0x46464e45; /* byte-swapped */
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_VERSION,
            "HELLO: magic 0x46464e45");
    h.magic = 0;
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_VERSION, "magic");
}

static void hello_with_another_major_is_refused(void **state)
{
    static const uint32_t majors[] = {0, FEN_PROTO_MAJOR + 1, 0x80000000, 0xffffffff};
    for (size_t i = 0; i < sizeof majors / sizeof majors[0]; i++) {
        struct fen_msg_hello h = good_hello(FEN_STREAM_AUDIO);
        h.major = majors[i];
        REFUSED(parse_body(FEN_AUDIO_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_VERSION,
                "does not match ours");
    }
}

static void hello_for_another_stream_kind_is_refused(void **state)
{
    struct fen_msg_hello h = good_hello(FEN_STREAM_CLIPBOARD);
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_VERSION,
            "stream kind 2, expected 1");
    h.stream = 0;
    REFUSED(parse_body(FEN_CLIP_FROM_DOM0, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_VERSION,
            "stream kind 0");
}

static void hello_with_reserved_or_guest_screen_size_is_refused(void **state)
{
    struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
    h.reserved = 1;
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_RANGE,
            "reserved");
    h = good_hello(FEN_STREAM_GUI);
    h.screen_w = 1920;
    REFUSED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_RANGE,
            "screen 1920x0 from a guest");
    h.screen_w = 0x80000000;
    REFUSED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_HELLO, 0, &h, sizeof h), FEN_E_RANGE, "screen_w");
}

static void hello_drops_feature_bits_it_does_not_know(void **state)
{
    struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
    h.features = 0xffffffff;
    ACCEPTED(parse_body(FEN_GUI_FROM_GUEST, FEN_MSG_HELLO, 0, &h, sizeof h));
    assert_int_equal(test_msg.u.hello.features, FEN_FEATURES_ALL);
    assert_int_equal(FEN_FEATURES_ALL, FEN_FEATURE_FRAME_PACING);
    /* Both ways: dom0's answer is parsed by the same rule. */
    h.features = FEN_FEATURE_FRAME_PACING | 0x80000000u;
    ACCEPTED(parse_body(FEN_GUI_FROM_DOM0, FEN_MSG_HELLO, 0, &h, sizeof h));
    assert_int_equal(test_msg.u.hello.features, FEN_FEATURE_FRAME_PACING);
}

static void negotiation_takes_the_smaller_minor(void **state)
{
    static const uint32_t minors[] = {0, 1, 7, 0x7fffffff, 0xffffffff};
    for (size_t i = 0; i < sizeof minors / sizeof minors[0]; i++) {
        struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
        h.minor = minors[i];
        uint32_t minor = 12345;
        ACCEPTED(fen_negotiate_version(&h, FEN_STREAM_GUI, &minor, &test_err));
        uint32_t ours = FEN_PROTO_MINOR;
        uint32_t want = minors[i] < ours ? minors[i] : ours;
        assert_int_equal(minor, want);
        assert_true(minor <= ours && minor <= minors[i]);
    }
}

static void negotiation_refuses_major_mismatch_and_crossed_channels(void **state)
{
    struct fen_msg_hello h = good_hello(FEN_STREAM_GUI);
    uint32_t minor = 77;
    h.major = 2;
    REFUSED(fen_negotiate_version(&h, FEN_STREAM_GUI, &minor, &test_err), FEN_E_VERSION,
            "HELLO: major 2 does not match ours (1)");
    assert_int_equal(minor, 77);
    h = good_hello(FEN_STREAM_AUDIO);
    REFUSED(fen_negotiate_version(&h, FEN_STREAM_CLIPBOARD, &minor, &test_err), FEN_E_VERSION,
            "crossed channels");
    h.magic = 0xffffffff;
    REFUSED(fen_negotiate_version(&h, FEN_STREAM_AUDIO, &minor, &test_err), FEN_E_VERSION,
            "magic 0xffffffff");
}

/* ---- every field at 0 and at -1 ---- */

static void all_zero_and_all_ones_bodies_never_crash_and_mostly_fail(void **state)
{
    /* type, stream, window, size, accepted with all-zero body?, with all-0xff? */
    static const struct {
        uint32_t type;
        enum fen_stream s;
        uint32_t window, size;
        bool zeros_ok, ones_ok;
    } cases[] = {
        {FEN_MSG_HELLO, FEN_GUI_FROM_GUEST, 0, 32, false, false},
        {FEN_MSG_CREATE, FEN_GUI_FROM_GUEST, 1, 24, false, false},
        {FEN_MSG_MAP, FEN_GUI_FROM_GUEST, 1, 8, true, false},
        {FEN_MSG_CONFIGURE, FEN_GUI_FROM_DOM0, 1, 20, false, false},
        {FEN_MSG_WM_CLASS, FEN_GUI_FROM_GUEST, 1, 128, true, false},
        {FEN_MSG_SIZE_HINTS, FEN_GUI_FROM_GUEST, 1, 36, true, false},
        {FEN_MSG_WM_FLAGS, FEN_GUI_FROM_GUEST, 1, 8, true, false},
        {FEN_MSG_CURSOR, FEN_GUI_FROM_GUEST, 1, 4, true, true}, /* 0xffffffff = default */
        {FEN_MSG_POOL, FEN_GUI_FROM_GUEST, 0, 8, false, false},
        {FEN_MSG_DUMP_ACK, FEN_GUI_FROM_DOM0, 1, 4, true, true},
        {FEN_MSG_FRAME_MARK, FEN_GUI_FROM_GUEST, 1, 4, true, true}, /* any serial */
        {FEN_MSG_FRAME_SHOWN, FEN_GUI_FROM_DOM0, 1, 4, true, true},
        {FEN_MSG_KEY, FEN_GUI_FROM_DOM0, 1, 20, false, false},
        {FEN_MSG_BUTTON, FEN_GUI_FROM_DOM0, 1, 20, false, false},
        {FEN_MSG_MOTION, FEN_GUI_FROM_DOM0, 1, 16, true, false},
        {FEN_MSG_CROSSING, FEN_GUI_FROM_DOM0, 1, 24, false, false},
        {FEN_MSG_FOCUS, FEN_GUI_FROM_DOM0, 1, 12, false, false},
        {FEN_MSG_KEYMAP, FEN_GUI_FROM_DOM0, 1, 32, true, true},
        {FEN_MSG_CLIP_REQUEST, FEN_CLIP_FROM_DOM0, 0, 8, false, false},
        {FEN_MSG_AUDIO_FORMAT, FEN_AUDIO_FROM_GUEST, 0, 16, false, false},
        {FEN_MSG_AUDIO_CORK, FEN_AUDIO_FROM_GUEST, 0, 4, true, false},
        {FEN_MSG_AUDIO_MIC_REQUEST, FEN_AUDIO_FROM_GUEST, 0, 4, true, false},
        {FEN_MSG_AUDIO_LATENCY, FEN_AUDIO_FROM_DOM0, 0, 4, true, false},
    };
    uint8_t body[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(body, 0, sizeof body);
        enum fen_err rc =
            parse_body(cases[i].s, cases[i].type, cases[i].window, body, cases[i].size);
        if (cases[i].zeros_ok)
            ACCEPTED(rc);
        else
            assert_int_not_equal(rc, FEN_OK);
        memset(body, 0xff, sizeof body);
        rc = parse_body(cases[i].s, cases[i].type, cases[i].window, body, cases[i].size);
        if (cases[i].ones_ok)
            ACCEPTED(rc);
        else
            assert_int_not_equal(rc, FEN_OK);
        if (rc != FEN_OK)
            assert_true(strstr(test_err.reason, fen_msg_type_name(cases[i].type)) != NULL);
    }
}

/* ---- geometry helpers ---- */

static void rect_clip_keeps_the_part_inside_the_window(void **state)
{
    struct fen_rect r = {-10, -10, 30, 30};
    assert_true(fen_rect_clip(&r, 100, 50));
    assert_int_equal(r.x, 0);
    assert_int_equal(r.y, 0);
    assert_int_equal(r.w, 20);
    assert_int_equal(r.h, 20);
    r = (struct fen_rect){90, 40, 100, 100};
    assert_true(fen_rect_clip(&r, 100, 50));
    assert_int_equal(r.w, 10);
    assert_int_equal(r.h, 10);
    r = (struct fen_rect){0, 0, 100, 50};
    assert_true(fen_rect_clip(&r, 100, 50));
    assert_int_equal(r.w, 100);
}

static void rect_clip_rejects_rects_outside_or_hostile(void **state)
{
    struct fen_rect r = {100, 0, 10, 10};
    assert_false(fen_rect_clip(&r, 100, 50));
    r = (struct fen_rect){-20, 0, 20, 10};
    assert_false(fen_rect_clip(&r, 100, 50));
    r = (struct fen_rect){0, 0, 0, 10};
    assert_false(fen_rect_clip(&r, 100, 50));
    r = (struct fen_rect){INT_MAX, INT_MAX, 0xffffffff, 0xffffffff};
    assert_false(fen_rect_clip(&r, 100, 50));
    r = (struct fen_rect){INT_MIN, INT_MIN, 0xffffffff, 0xffffffff};
    assert_true(fen_rect_clip(&r, 100, 50));
    assert_int_equal(r.x, 0);
    assert_int_equal(r.w, 100);
    assert_int_equal(r.h, 50);
    r = (struct fen_rect){0, 0, 10, 10};
    assert_false(fen_rect_clip(&r, 0, 0));
}

static void image_bytes_computes_size_and_refuses_wrapping_products(void **state)
{
    uint64_t b = 0;
    assert_true(fen_image_bytes(1920, 1080, 7680, 0, &b));
    assert_int_equal(b, 7680ull * 1080);
    assert_true(fen_image_bytes(1, 1, 4, 4095, &b));
    assert_int_equal(b, 4099);
    assert_true(
        fen_image_bytes(FEN_MAX_WINDOW_WIDTH, FEN_MAX_WINDOW_HEIGHT, FEN_MAX_STRIDE, 0, &b));
    assert_int_equal(b, (uint64_t)FEN_MAX_REFS_PER_WINDOW * FEN_PAGE_SIZE);
    /* the same plus an offset needs one page beyond the limit */
    assert_false(
        fen_image_bytes(FEN_MAX_WINDOW_WIDTH, FEN_MAX_WINDOW_HEIGHT, FEN_MAX_STRIDE, 1, &b));
    static const uint32_t hostile[] = {0, 0x7fffffff, 0x80000000, 0xffffffff, 0x40000000};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        uint32_t v = hostile[i];
        assert_false(fen_image_bytes(v, 100, 0xfffffffc, 0, &b)); /* w*4 wraps to 0 at 2^30 */
        assert_false(fen_image_bytes(100, v, 400, 0, &b));
        if (v != 0)
            assert_false(fen_image_bytes(100, 100, v, 0, &b));
        assert_false(fen_image_bytes(100, 100, 400, v | 4096u, &b));
    }
    assert_false(fen_image_bytes(100, 100, 399, 0, &b)); /* stride below width*4 */
}

static void qube_names_follow_one_rule(void **state)
{
    (void)state;
    assert_true(fen_qube_name_valid("work"));
    assert_true(fen_qube_name_valid("work-2_b"));
    assert_true(fen_qube_name_valid("sys-net_2.x"));
    assert_true(fen_qube_name_valid("abcdefghijabcdefghijabcdefghija")); /* 31 */
    assert_true(fen_qube_name_valid("Dom0"));   /* only "dom0" itself is reserved */
    assert_false(fen_qube_name_valid("abcdefghijabcdefghijabcdefghijab")); /* 32 */
    assert_false(fen_qube_name_valid(""));
    assert_false(fen_qube_name_valid(NULL));
    assert_false(fen_qube_name_valid("dom0"));
    assert_false(fen_qube_name_valid("2work")); /* a letter first */
    assert_false(fen_qube_name_valid("_x"));
    assert_false(fen_qube_name_valid(".hidden"));
    assert_false(fen_qube_name_valid("-v"));
    assert_false(fen_qube_name_valid("a b"));
    assert_false(fen_qube_name_valid("dom0 "));
    assert_false(fen_qube_name_valid("a\nb"));
    assert_false(fen_qube_name_valid("../x"));
    assert_false(fen_qube_name_valid("a/b"));
    assert_false(fen_qube_name_valid("*"));
    assert_false(fen_qube_name_valid("w\xc3\xa9rk")); /* bytes above ASCII */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_message_type_has_a_name),
        cmocka_unit_test(header_shorter_than_twelve_bytes_is_truncated),
        cmocka_unit_test(header_length_longer_than_the_body_is_truncated),
        cmocka_unit_test(header_length_shorter_than_the_body_is_refused),
        cmocka_unit_test(fixed_messages_refuse_any_other_length),
        cmocka_unit_test(variable_messages_refuse_hostile_lengths_before_buffering),
        cmocka_unit_test(variable_length_must_be_fixed_part_plus_whole_elements),
        cmocka_unit_test(max_body_caps_variable_messages_only),
        cmocka_unit_test(unknown_types_are_refused),
        cmocka_unit_test(guest_cannot_send_input_events),
        cmocka_unit_test(dom0_cannot_send_window_lifecycle),
        cmocka_unit_test(messages_are_refused_on_the_wrong_stream),
        cmocka_unit_test(each_type_is_allowed_exactly_on_its_streams),
        cmocka_unit_test(window_messages_need_a_window_id),
        cmocka_unit_test(stream_level_messages_must_not_name_a_window),
        cmocka_unit_test(hello_is_accepted_on_every_stream_both_ways),
        cmocka_unit_test(hello_with_bad_magic_is_refused),
        cmocka_unit_test(hello_with_another_major_is_refused),
        cmocka_unit_test(hello_for_another_stream_kind_is_refused),
        cmocka_unit_test(hello_with_reserved_or_guest_screen_size_is_refused),
        cmocka_unit_test(hello_drops_feature_bits_it_does_not_know),
        cmocka_unit_test(negotiation_takes_the_smaller_minor),
        cmocka_unit_test(negotiation_refuses_major_mismatch_and_crossed_channels),
        cmocka_unit_test(all_zero_and_all_ones_bodies_never_crash_and_mostly_fail),
        cmocka_unit_test(rect_clip_keeps_the_part_inside_the_window),
        cmocka_unit_test(rect_clip_rejects_rects_outside_or_hostile),
        cmocka_unit_test(image_bytes_computes_size_and_refuses_wrapping_products),
        cmocka_unit_test(qube_names_follow_one_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
