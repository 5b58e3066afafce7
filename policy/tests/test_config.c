/* The dom0 configuration file: defaults, per-qube overrides, errors by line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static void empty_file_gives_defaults(void **state)
{
    (void)state;
    struct fen_config cfg;
    struct fen_config_error err;
    assert_int_equal(fen_config_parse_string("", &cfg, &err), 0);
    struct fen_qube_policy p;
    fen_config_qube(&cfg, "anything", &p);
    assert_int_equal(p.frame_width, 3);
    assert_false(p.allow_fullscreen);
    assert_int_equal(p.clipboard_limit, 64 * 1024);
    assert_string_equal(p.copy_hotkey, "ctrl+shift+c");
    assert_string_equal(p.paste_hotkey, "ctrl+shift+v");
    assert_int_equal(p.override_redirect, FEN_OR_ALLOW);
}

static void qube_section_overrides_only_what_it_sets(void **state)
{
    (void)state;
    const char *text = "[qube work]\n"
                       "label = blue\n"
                       "allow_fullscreen = yes\n"
                       "[global]\n"
                       "frame_width = 5\n"
                       "clipboard_limit = 1M\n"
                       "[qube personal]\n"
                       "label = #00ff7f\n"
                       "clipboard_limit = 16M\n"
                       "override_redirect = manage\n";
    struct fen_config cfg;
    struct fen_config_error err;
    assert_int_equal(fen_config_parse_string(text, &cfg, &err), 0);
    struct fen_qube_policy w, p, o;
    fen_config_qube(&cfg, "work", &w);
    fen_config_qube(&cfg, "personal", &p);
    fen_config_qube(&cfg, "other", &o);
    assert_int_equal(w.label_rgb, 0x3465a4);
    assert_true(w.allow_fullscreen);
    assert_int_equal(w.frame_width, 5); /* global set after the section still applies */
    assert_int_equal(w.clipboard_limit, 1 << 20);
    assert_int_equal(p.label_rgb, 0x00ff7f);
    assert_int_equal(p.clipboard_limit, 16 << 20);
    assert_int_equal(p.override_redirect, FEN_OR_MANAGE);
    assert_false(p.allow_fullscreen);
    assert_int_equal(o.frame_width, 5);
    assert_false(o.allow_fullscreen);
}

static void is_set_tells_file_values_from_built_in_defaults(void **state)
{
    (void)state;
    const char *text = "[qube work]\nclipboard_limit = 1M\n[global]\nframe_width = 4\n";
    struct fen_config cfg;
    struct fen_config_error err;
    assert_int_equal(fen_config_parse_string(text, &cfg, &err), 0);
    assert_true(fen_config_is_set(&cfg, "work", FEN_KEY_CLIPBOARD_LIMIT));
    assert_false(fen_config_is_set(&cfg, "personal", FEN_KEY_CLIPBOARD_LIMIT));
    assert_true(fen_config_is_set(&cfg, "personal", FEN_KEY_FRAME_WIDTH)); /* from [global] */
    assert_false(fen_config_is_set(&cfg, "work", FEN_KEY_LABEL));
}

static void expect_error(const char *text, int line, const char *fragment)
{
    struct fen_config cfg;
    struct fen_config_error err;
    assert_int_equal(fen_config_parse_string(text, &cfg, &err), -1);
    assert_int_equal(err.line, line);
    if (!strstr(err.reason, fragment))
        fail_msg("reason '%s' lacks '%s'", err.reason, fragment);
}

static void errors_name_the_line_and_the_problem(void **state)
{
    (void)state;
    expect_error("[global]\nframe_width = 0\n", 2, "frame_width");
    expect_error("[global]\n\nframe_width = 99\n", 3, "1..32");
    expect_error("[global]\nlabel = pink\n", 2, "label = 'pink'");
    expect_error("[global]\nallow_fullscreen = maybe\n", 2, "yes or no");
    expect_error("[global]\nno_such_key = 1\n", 2, "unknown key 'no_such_key'");
    expect_error("[globl]\nframe_width = 3\n", 2, "unknown section [globl]");
    expect_error("[qube bad name!]\nlabel = red\n", 2, "invalid qube name");
    expect_error("[global]\nclipboard_limit = 17M\n", 2, "clipboard_limit");
    expect_error("[global]\nclipboard_limit = 99999999999999999999999\n", 2, "clipboard_limit");
    expect_error("[global]\ncopy_hotkey = c\n", 2, "copy_hotkey");
    expect_error("[global]\npaste_hotkey = hyper+v\n", 2, "paste_hotkey");
    expect_error("[global]\nmax_windows = 100000\n", 2, "max_windows");
    expect_error("[global]\nthis line has no equals sign\n", 2, "syntax");
    expect_error("frame_width = 3\n", 1, "outside any section");
}

static void value_parsers_accept_and_refuse(void **state)
{
    (void)state;
    uint32_t rgb;
    assert_true(fen_parse_label("Purple", &rgb));
    assert_true(fen_parse_label("#A0b1C2", &rgb));
    assert_int_equal(rgb, 0xa0b1c2);
    assert_false(fen_parse_label("#12345", &rgb));
    assert_false(fen_parse_label("#12345g", &rgb));
    assert_false(fen_parse_label("", &rgb));
    uint64_t v;
    assert_true(fen_parse_size("64K", &v));
    assert_int_equal(v, 65536);
    assert_true(fen_parse_size("2MiB", &v));
    assert_int_equal(v, 2 << 20);
    assert_false(fen_parse_size("-1", &v));
    assert_false(fen_parse_size("12X", &v));
    assert_false(fen_parse_size("18446744073709551615G", &v));
}

static void file_is_loaded_and_missing_file_is_an_error(void **state)
{
    (void)state;
    char path[] = "/tmp/fen-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "# comment\n[qube work]\nlabel = green\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct fen_config cfg;
    struct fen_config_error err;
    assert_int_equal(fen_config_load(path, &cfg, &err), 0);
    struct fen_qube_policy p;
    fen_config_qube(&cfg, "work", &p);
    assert_int_equal(p.label_rgb, 0x73d216);
    unlink(path);
    assert_int_equal(fen_config_load(path, &cfg, &err), -1);
    assert_non_null(strstr(err.reason, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_file_gives_defaults),
        cmocka_unit_test(qube_section_overrides_only_what_it_sets),
        cmocka_unit_test(is_set_tells_file_values_from_built_in_defaults),
        cmocka_unit_test(errors_name_the_line_and_the_problem),
        cmocka_unit_test(value_parsers_accept_and_refuse),
        cmocka_unit_test(file_is_loaded_and_missing_file_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
