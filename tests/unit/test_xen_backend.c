/* The xen backends are compiled and linked into every build.  Xen cannot run
 * here: prove that every entry point fails cleanly (NULL + errno, nothing
 * leaked: ASan's leak check runs this too) instead of crashing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <unistd.h>

#include "chan_test_util.h"
#include "fenestra/pages.h"


static bool have_xen(void)
{
    return access("/dev/xen/gntalloc", F_OK) == 0 || access("/dev/xen/gntdev", F_OK) == 0;
}

static void xen_server_init_fails_cleanly_without_xen(void **state)
{
    if (have_xen())
        skip();
    int base = count_open_fds();
    errno = 0;
    assert_null(fen_chan_server_init("xen:3", FEN_PORT_GUI, 65536, 65536));
    assert_int_not_equal(errno, 0);
    assert_int_equal(count_open_fds(), base);
}

static void xen_client_init_fails_cleanly_without_xen(void **state)
{
    if (have_xen())
        skip();
    int base = count_open_fds();
    errno = 0;
    assert_null(fen_chan_client_init("xen:3", FEN_PORT_GUI));
    assert_int_not_equal(errno, 0);
    assert_int_equal(count_open_fds(), base);
}

static void xen_pool_create_fails_cleanly_without_xen(void **state)
{
    if (have_xen())
        skip();
    int base = count_open_fds();
    errno = 0;
    assert_null(fen_pool_create("xen:3", 16));
    assert_int_not_equal(errno, 0);
    assert_int_equal(count_open_fds(), base);
}

static void xen_mapper_create_fails_cleanly_without_xen(void **state)
{
    if (have_xen())
        skip();
    int base = count_open_fds();
    errno = 0;
    assert_null(fen_mapper_create("xen:3"));
    assert_int_not_equal(errno, 0);
    assert_int_equal(count_open_fds(), base);
}

static void xen_specs_with_bad_domain_ids_are_refused_before_any_xen_call(void **state)
{
    const char *bad[] = {"xen:", "xen:-3", "xen:3a", "xen:0x10", "xen:65535", "xen: 3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        assert_null(fen_chan_server_init(bad[i], FEN_PORT_GUI, 0, 0));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(fen_chan_client_init(bad[i], FEN_PORT_GUI));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(fen_pool_create(bad[i], 4));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(fen_mapper_create(bad[i]));
        assert_int_equal(errno, EINVAL);
    }
}

static void repeated_xen_init_attempts_do_not_accumulate_resources(void **state)
{
    if (have_xen())
        skip();
    /* guid retries a client init until the guest appears: must not leak. */
    int base = count_open_fds();
    for (int i = 0; i < 50; i++) {
        assert_null(fen_chan_client_init("xen:7", FEN_PORT_GUI));
        assert_null(fen_chan_server_init("xen:7", FEN_PORT_GUI, 0, 0));
    }
    assert_int_equal(count_open_fds(), base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xen_server_init_fails_cleanly_without_xen),
        cmocka_unit_test(xen_client_init_fails_cleanly_without_xen),
        cmocka_unit_test(xen_pool_create_fails_cleanly_without_xen),
        cmocka_unit_test(xen_mapper_create_fails_cleanly_without_xen),
        cmocka_unit_test(xen_specs_with_bad_domain_ids_are_refused_before_any_xen_call),
        cmocka_unit_test(repeated_xen_init_attempts_do_not_accumulate_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
