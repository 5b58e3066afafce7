/* fen-winunit.exe: unit tests of the agent's Windows-only code, run under
 * Wine by windows-agent.sh (cmocka is not available for mingw here, so this
 * prints TAP lines itself): the keycode table, UTF-16 -> UTF-8 cutting, the
 * tcp channel over Winsock, and the file pool over a Win32 file mapping. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../protocol/src/channel_tcp.h"
#include "../src/agent.h"

static int failures;
static int count;

static void check(bool cond, const char *fmt, ...)
{
    char name[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    count++;
    printf("%s %d - %s\n", cond ? "ok" : "not ok", count, name);
    if (!cond)
        failures++;
}

static void test_keymap(void)
{
    uint16_t scan = 0, vk = 0;
    bool ext = true;
    check(keymap_x_to_scancode(38, &scan, &ext, &vk) && scan == 0x1e && !ext && vk == 0,
          "keymap: X keycode 38 (a) is scancode 0x1e, layout-dependent VK");
    check(keymap_x_to_scancode(9, &scan, &ext, &vk) && scan == 0x01 && !ext,
          "keymap: Escape is scancode 0x01");
    check(keymap_x_to_scancode(96, &scan, &ext, &vk) && scan == 0x58 && !ext,
          "keymap: F12 (evdev 88) is scancode 0x58");
    check(keymap_x_to_scancode(113, &scan, &ext, &vk) && scan == 0x4b && ext && vk == VK_LEFT,
          "keymap: Left is E0 4B, VK_LEFT");
    check(keymap_x_to_scancode(105, &scan, &ext, &vk) && scan == 0x1d && ext && vk == VK_RCONTROL,
          "keymap: right Ctrl is E0 1D");
    check(keymap_x_to_scancode(133, &scan, &ext, &vk) && scan == 0x5b && ext && vk == VK_LWIN,
          "keymap: left Windows key is E0 5B");
    check(!keymap_x_to_scancode(7, &scan, &ext, &vk) &&
              !keymap_x_to_scancode(92, &scan, &ext, &vk) &&
              !keymap_x_to_scancode(256, &scan, &ext, &vk) &&
              !keymap_x_to_scancode(0xffffffffu, &scan, &ext, &vk),
          "keymap: keycodes below 8, unused codes and above 255 are unmapped");
}

static void test_utf(void)
{
    char out[16];
    const wchar_t ete[] = L"\x00e9t\x00e9"; /* été: 5 bytes in UTF-8 */
    check(utf16_to_utf8(ete, 3, out, sizeof out - 1) == 5 && strcmp(out, "\xc3\xa9t\xc3\xa9") == 0,
          "utf: UTF-16 converts to UTF-8");
    check(utf16_to_utf8(ete, 3, out, 4) == 3 && strcmp(out, "\xc3\xa9t") == 0,
          "utf: a cut never splits a character");
    check(utf16_to_utf8(ete, 3, out, 1) == 0 && out[0] == '\0', "utf: too small for one character");
    const wchar_t nul[] = {L'a', 0, L'b'};
    check(utf16_to_utf8(nul, 3, out, sizeof out - 1) == 1 && strcmp(out, "a") == 0,
          "utf: an embedded NUL ends the text");
    const wchar_t lone[] = {0xd800, L'x'};
    check(utf16_to_utf8(lone, 2, out, sizeof out - 1) == 4 && strcmp(out, "\xef\xbf\xbdx") == 0,
          "utf: a lone surrogate becomes U+FFFD");
    wchar_t *back = utf8_to_utf16("\xc3\xa9", 2);
    check(back && back[0] == 0xe9 && back[1] == 0, "utf: UTF-8 converts back");
    free(back);
}

static bool read_exactly(struct fen_chan *ch, char *buf, size_t n)
{
    size_t got = 0;
    for (int i = 0; i < 2000 && got < n; i++) {
        if (fen_chan_wait(ch, false) != 0)
            return false;
        ssize_t r = fen_chan_read(ch, buf + got, n - got);
        if (r < 0)
            return false;
        got += (size_t)r;
        if (r == 0)
            Sleep(1);
    }
    return got == n;
}

static void test_tcp(unsigned portbase)
{
    char spec[32];
    snprintf(spec, sizeof spec, "tcp:%u", portbase);
    check(!fen_chan_server_init("tcp:10.0.0.1:7000", FEN_PORT_GUI, 0, 0) && errno == EINVAL,
          "tcp: a non-loopback spec is refused on Windows too");
    struct fen_chan *srv = fen_chan_server_init(spec, FEN_PORT_GUI, 0, 0);
    check(srv && fen_chan_is_open(srv) == FEN_CHAN_WAITING, "tcp: Winsock server listens");
    if (!srv)
        return;
    struct sockaddr_in sa;
    int len = sizeof sa;
    check(getsockname((SOCKET)fen_chan_fd(srv), (struct sockaddr *)&sa, &len) == 0 &&
              ntohl(sa.sin_addr.s_addr) == INADDR_LOOPBACK && ntohs(sa.sin_port) == portbase,
          "tcp: bound to 127.0.0.1:PORTBASE only");
    struct fen_chan *cli = fen_chan_client_init(spec, FEN_PORT_GUI);
    bool accepted = false;
    for (int i = 0; cli && i < 2000 && !accepted; i++) {
        if (fen_chan_wait(srv, false) != 0)
            break;
        accepted = fen_chan_is_open(srv) == FEN_CHAN_OPEN;
        if (!accepted)
            Sleep(1);
    }
    check(cli && accepted, "tcp: the client connects and the server accepts");
    if (cli && accepted) {
        char buf[8] = {0};
        check(fen_chan_write(cli, "dom0", 4) == 4 && read_exactly(srv, buf, 4) &&
                  memcmp(buf, "dom0", 4) == 0,
              "tcp: bytes arrive");
        check(fen_chan_write_with_fd(srv, "x", 1, 3) == -1 && errno == ENOTSUP,
              "tcp: no fd passing");
        check(!fen_chan_client_init(spec, FEN_PORT_GUI), "tcp: a second client is refused");
        fen_chan_close(cli);
        cli = NULL;
        bool closed = false;
        for (int i = 0; i < 2000 && !closed; i++) {
            closed = fen_chan_wait(srv, false) != 0 || fen_chan_is_open(srv) == FEN_CHAN_CLOSED;
            if (!closed)
                Sleep(1);
        }
        check(closed, "tcp: the peer closing is seen");
    }
    fen_chan_close(cli);
    fen_chan_close(srv);
}

static void test_file_pool(unsigned portbase, const char *path)
{
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    LARGE_INTEGER size = {.QuadPart = 8 * FEN_PAGE_SIZE};
    bool made =
        f != INVALID_HANDLE_VALUE && SetFilePointerEx(f, size, NULL, FILE_BEGIN) && SetEndOfFile(f);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    check(made, "pool: an 8-page file exists");
    char spec[300];
    snprintf(spec, sizeof spec, "tcp:%u:%s", portbase, path);
    struct fen_pool *pool = fen_pool_create(spec, 8);
    check(pool && fen_pool_npages(pool) == 8 && fen_pool_fd(pool) == -1,
          "pool: the file maps as an 8-page pool");
    if (!pool)
        return;
    struct fen_share *a = fen_pool_share(pool, 5), *b = fen_pool_share(pool, 3);
    check(a && b && a->refs[0] == 0 && b->refs[0] == 5 && !fen_pool_share(pool, 1),
          "pool: shares are runs of page indices until the pool is full");
    if (b)
        memset(b->ptr, 0x42, 3 * FEN_PAGE_SIZE);
    fen_pool_unshare(pool, a);
    struct fen_share *c = fen_pool_share(pool, 5);
    check(c && c->refs[0] == 0 && ((uint8_t *)c->ptr)[0] == 0,
          "pool: freed pages are reused zeroed");
    fen_pool_unshare(pool, b);
    fen_pool_unshare(pool, c);
    fen_pool_destroy(pool);
    snprintf(spec, sizeof spec, "tcp:%u", portbase);
    check(!fen_pool_create(spec, 8), "pool: a spec without a pool path has no pool");
    DeleteFileA(path);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fen-winunit.exe PORTBASE SCRATCH-FILE\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    unsigned portbase = (unsigned)strtoul(argv[1], NULL, 10);
    test_keymap();
    test_utf();
    test_tcp(portbase);
    test_file_pool(portbase, argv[2]);
    WSACleanup();
    return failures ? 1 : 0;
}
