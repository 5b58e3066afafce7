/* MULTIPLE's ATOM_PAIR property: only a well-formed, bounded list of pairs
 * is used; every other shape a guest application can write is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../atom_pairs.h"

#define ATOM_PAIR 300u /* the display's ATOM_PAIR atom, as interned */

static int check(uint32_t type, uint8_t format, uint32_t value_len, uint32_t bytes_after,
                 size_t data_bytes, const char **why)
{
    struct clip_prop_reply r = {type, format, value_len, bytes_after, data_bytes};
    return clip_atom_pairs_check(&r, ATOM_PAIR, why);
}

static void well_formed_lists_are_counted(void **state)
{
    (void)state;
    const char *why = "unset";
    assert_int_equal(check(ATOM_PAIR, 32, 2, 0, 8, &why), 1);
    assert_null(why);
    assert_int_equal(check(ATOM_PAIR, 32, 6, 0, 24, &why), 3);
    assert_int_equal(
        check(ATOM_PAIR, 32, 2 * CLIP_MULTIPLE_MAX_PAIRS, 0, 8 * CLIP_MULTIPLE_MAX_PAIRS, &why),
        (int)CLIP_MULTIPLE_MAX_PAIRS);
    assert_int_equal(check(4 /* ATOM */, 32, 4, 0, 16, &why), 2);
}

static void malformed_lists_are_refused(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_int_equal(check(0, 0, 0, 0, 0, &why), -1);
    assert_string_equal(why, "the requestor's property does not exist");
    assert_int_equal(check(31 /* STRING */, 32, 2, 0, 8, &why), -1);
    assert_string_equal(why, "the property is not of type ATOM_PAIR");
    assert_int_equal(check(ATOM_PAIR, 8, 8, 0, 8, &why), -1);
    assert_string_equal(why, "the property is not of format 32");
    assert_int_equal(check(ATOM_PAIR, 16, 4, 0, 8, &why), -1);
    assert_int_equal(check(ATOM_PAIR, 32, 3, 0, 12, &why), -1);
    assert_string_equal(why, "an odd number of atoms");
    assert_int_equal(check(ATOM_PAIR, 32, 0, 0, 0, &why), -1);
    assert_string_equal(why, "no pairs");
}

static void long_lists_are_refused(void **state)
{
    (void)state;
    const char *why = NULL;
    /* More left on the server than was read, or more items than allowed. */
    assert_int_equal(
        check(ATOM_PAIR, 32, 2 * CLIP_MULTIPLE_MAX_PAIRS, 8, 8 * CLIP_MULTIPLE_MAX_PAIRS, &why),
        -1);
    assert_string_equal(why, "too many pairs");
    assert_int_equal(check(ATOM_PAIR, 32, 2 * CLIP_MULTIPLE_MAX_PAIRS + 2, 0,
                           8 * CLIP_MULTIPLE_MAX_PAIRS + 8, &why),
                     -1);
    assert_int_equal(check(ATOM_PAIR, 32, UINT32_MAX - 1, 0, 8, &why), -1);
}

static void item_count_must_match_the_data(void **state)
{
    (void)state;
    const char *why = NULL;
    /* A reply claiming more items than it carries must not be read past its end. */
    assert_int_equal(check(ATOM_PAIR, 32, 4, 0, 8, &why), -1);
    assert_string_equal(why, "the reply's length does not match its item count");
    assert_int_equal(check(ATOM_PAIR, 32, 2, 0, 16, &why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(well_formed_lists_are_counted),
        cmocka_unit_test(malformed_lists_are_refused),
        cmocka_unit_test(long_lists_are_refused),
        cmocka_unit_test(item_count_must_match_the_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
