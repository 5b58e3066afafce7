/* Control sockets: runtime dir, request/reply, stale and live sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include "fenestra/ctl.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/fen-ctl-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    setenv("XDG_RUNTIME_DIR", tmpdir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "%s/fenestra", tmpdir);
    char sock[160];
    snprintf(sock, sizeof sock, "%s/test.sock", cmd);
    unlink(sock);
    rmdir(cmd);
    rmdir(tmpdir);
    return 0;
}

static void runtime_dir_is_created_private(void **state)
{
    (void)state;
    char dir[256];
    assert_int_equal(fen_runtime_dir(dir, sizeof dir), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    char path[256];
    assert_int_equal(fen_ctl_path(path, sizeof path, "clipd.sock"), 0);
    assert_non_null(strstr(path, "/fenestra/clipd.sock"));
}

static void runtime_dir_open_to_others_is_refused(void **state)
{
    (void)state;
    char dir[256];
    assert_int_equal(fen_runtime_dir(dir, sizeof dir), 0);
    chmod(dir, 0755);
    errno = 0;
    assert_int_equal(fen_runtime_dir(dir, sizeof dir), -1);
    assert_int_equal(errno, EPERM);
    chmod(dir, 0700);
}

/* Child: serve one request "echo X" -> "ok X", anything else -> error. */
static void serve_one(int lfd)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, 5000) != 1)
        _exit(3);
    int c = fen_ctl_accept(lfd, 2000);
    if (c < 0)
        _exit(4);
    char line[FEN_CTL_MAX_LINE];
    if (fen_ctl_read_line(c, line, sizeof line) < 0)
        _exit(5);
    char out[FEN_CTL_MAX_LINE + 16];
    if (strncmp(line, "echo ", 5) == 0)
        snprintf(out, sizeof out, "ok %s\n", line + 5);
    else
        snprintf(out, sizeof out, "error: unknown request\n");
    if (fen_ctl_write_full(c, out, strlen(out)) < 0)
        _exit(6);
    close(c);
    _exit(0);
}

static void request_gets_reply_from_another_process(void **state)
{
    (void)state;
    char path[256];
    assert_int_equal(fen_ctl_path(path, sizeof path, "test.sock"), 0);
    int lfd = fen_ctl_listen(path);
    assert_true(lfd >= 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    pid_t pid = fork();
    if (pid == 0)
        serve_one(lfd);
    char reply[128];
    assert_int_equal(fen_ctl_request(path, "echo hello", reply, sizeof reply, 2000), 0);
    assert_string_equal(reply, "ok hello\n");
    int status;
    waitpid(pid, &status, 0);
    assert_int_equal(WEXITSTATUS(status), 0);

    pid = fork();
    if (pid == 0)
        serve_one(lfd);
    assert_int_equal(fen_ctl_request(path, "bogus", reply, sizeof reply, 2000), 1);
    assert_non_null(strstr(reply, "error: unknown request"));
    waitpid(pid, &status, 0);
    close(lfd);
}

static void live_socket_is_not_stolen_stale_one_is_replaced(void **state)
{
    (void)state;
    char path[256];
    assert_int_equal(fen_ctl_path(path, sizeof path, "test.sock"), 0);
    int lfd = fen_ctl_listen(path);
    assert_true(lfd >= 0);
    errno = 0;
    assert_int_equal(fen_ctl_listen(path), -1);
    assert_int_equal(errno, EADDRINUSE);
    close(lfd); /* the socket file stays behind: stale */
    lfd = fen_ctl_listen(path);
    assert_true(lfd >= 0);
    close(lfd);
}

static void request_without_server_fails_cleanly(void **state)
{
    (void)state;
    char path[256], reply[64];
    assert_int_equal(fen_ctl_path(path, sizeof path, "nobody.sock"), 0);
    assert_int_equal(fen_ctl_request(path, "show", reply, sizeof reply, 200), -1);
    assert_int_equal(fen_ctl_request(path, "two\nlines", reply, sizeof reply, 200), -1);
    assert_int_equal(errno, EINVAL);
}

static void overlong_line_is_refused(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    char big[300];
    memset(big, 'a', sizeof big);
    assert_int_equal(fen_ctl_write_full(sv[0], big, sizeof big), 0);
    char line[64];
    assert_int_equal(fen_ctl_read_line(sv[1], line, sizeof line), -1);
    assert_int_equal(errno, EMSGSIZE);
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runtime_dir_is_created_private, setup, teardown),
        cmocka_unit_test_setup_teardown(runtime_dir_open_to_others_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(request_gets_reply_from_another_process, setup, teardown),
        cmocka_unit_test_setup_teardown(live_socket_is_not_stolen_stale_one_is_replaced, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(request_without_server_fails_cleanly, setup, teardown),
        cmocka_unit_test(overlong_line_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
