/* Clipboard policy: parser and decision. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "../policy.h"

static struct clip_policy *parse(const char *text, char *err, size_t err_size)
{
    return clip_policy_parse(text, strlen(text), err, err_size);
}

static void no_policy_allows_everything(void **state)
{
    (void)state;
    unsigned line = 99;
    assert_int_equal(clip_policy_decide(NULL, "work", "personal", &line), CLIP_ALLOW);
    assert_int_equal(line, 0);
}

static void empty_and_comment_only_files_allow_everything(void **state)
{
    (void)state;
    char err[128];
    struct clip_policy *p = parse("\n# nothing here\n   \t\n", err, sizeof err);
    assert_non_null(p);
    assert_int_equal(clip_policy_rule_count(p), 0);
    assert_int_equal(clip_policy_decide(p, "a", "b", NULL), CLIP_ALLOW);
    clip_policy_destroy(p);
}

static void first_matching_rule_decides(void **state)
{
    (void)state;
    char err[128];
    const char *text = "# vault never receives, except from work\n"
                       "work   vault  allow\n"
                       "*      vault  deny   # trailing comment\n"
                       "vault  *      deny\n"
                       "personal work deny\n";
    struct clip_policy *p = parse(text, err, sizeof err);
    assert_non_null(p);
    assert_int_equal(clip_policy_rule_count(p), 4);
    unsigned line;
    assert_int_equal(clip_policy_decide(p, "work", "vault", &line), CLIP_ALLOW);
    assert_int_equal(line, 2);
    assert_int_equal(clip_policy_decide(p, "personal", "vault", &line), CLIP_DENY);
    assert_int_equal(line, 3);
    assert_int_equal(clip_policy_decide(p, "vault", "work", &line), CLIP_DENY);
    assert_int_equal(line, 4);
    assert_int_equal(clip_policy_decide(p, "personal", "work", &line), CLIP_DENY);
    assert_int_equal(line, 5);
    /* no rule: default allow */
    assert_int_equal(clip_policy_decide(p, "work", "personal", &line), CLIP_ALLOW);
    assert_int_equal(line, 0);
    /* names match exactly, not by prefix */
    assert_int_equal(clip_policy_decide(p, "work2", "vaults", &line), CLIP_ALLOW);
    clip_policy_destroy(p);
}

static void last_line_without_newline_counts(void **state)
{
    (void)state;
    char err[128];
    struct clip_policy *p = parse("a b deny", err, sizeof err);
    assert_non_null(p);
    assert_int_equal(clip_policy_decide(p, "a", "b", NULL), CLIP_DENY);
    clip_policy_destroy(p);
}

static void malformed_lines_are_refused_with_their_number(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *needle;
    } cases[] = {
        {"a b\n", "line 1: expected"},
        {"a b allow extra\n", "line 1: expected"},
        {"\n\na b maybe\n", "line 3: action"},
        {"a/b c deny\n", "line 1: 'a/b'"},
        {"a .hidden deny\n", "line 1: '.hidden'"},
        {"-x y deny\n", "line 1: '-x'"},
        {"abcdefghijabcdefghijabcdefghijabc y deny\n", "not a qube name"},
        {"** y deny\n", "not a qube name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[128] = "";
        struct clip_policy *p = parse(cases[i].text, err, sizeof err);
        assert_null(p);
        assert_non_null(strstr(err, cases[i].needle));
    }
}

static void nul_bytes_and_long_lines_are_refused(void **state)
{
    (void)state;
    char err[128];
    const char with_nul[] = "a b deny\na\0b c deny\n";
    assert_null(clip_policy_parse(with_nul, sizeof with_nul - 1, err, sizeof err));
    assert_non_null(strstr(err, "line 2: contains a NUL"));
    char long_line[600];
    memset(long_line, ' ', sizeof long_line);
    memcpy(long_line + 590, "a b deny\n", 9);
    assert_null(clip_policy_parse(long_line, sizeof long_line - 1, err, sizeof err));
    assert_non_null(strstr(err, "longer than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_policy_allows_everything),
        cmocka_unit_test(empty_and_comment_only_files_allow_everything),
        cmocka_unit_test(first_matching_rule_decides),
        cmocka_unit_test(last_line_without_newline_counts),
        cmocka_unit_test(malformed_lines_are_refused_with_their_number),
        cmocka_unit_test(nul_bytes_and_long_lines_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
