/* Logging: the prefix names the component and the qube. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/log.h"

static void log_line_names_component_and_qube(void **state)
{
    (void)state;
    char path[] = "/tmp/fen-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    int saved = dup(2);
    dup2(fd, 2);
    fen_log_init("guid", "work");
    fen_log(WARN, "window %u dropped", 7u);
    errno = ENOENT;
    fen_log_errno(ERROR, "open %s", "x");
    fen_log(DEBUG, "hidden at info level");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char buf[512] = {0};
    assert_true(pread(fd, buf, sizeof buf - 1, 0) > 0);
    close(fd);
    unlink(path);
    assert_non_null(strstr(buf, "[guid work] WARN test_log.c:"));
    assert_non_null(strstr(buf, "window 7 dropped"));
    assert_non_null(strstr(buf, "open x: No such file or directory"));
    assert_null(strstr(buf, "hidden"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(log_line_names_component_and_qube),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
