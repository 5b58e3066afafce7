/* fen-hostile: a hostile guest for the spoof tests.  It speaks the wire
 * protocol directly (no X server behind it) as the gui channel's server and
 * runs a script of commands, one per line, from --script FILE or stdin:
 *
 *   pool NPAGES                      create + announce the page pool
 *   create ID X Y W H [or]           FEN_MSG_CREATE (or = override-redirect)
 *   map ID [TRANSIENT_FOR] [or]      FEN_MSG_MAP
 *   unmap ID | destroy ID            FEN_MSG_UNMAP / FEN_MSG_DESTROY
 *   configure ID X Y W H [or]        FEN_MSG_CONFIGURE
 *   title ID TEXT                    FEN_MSG_TITLE (C escapes: \xNN, \n, \\)
 *   class ID CLASS NAME              FEN_MSG_WM_CLASS
 *   flags ID SET UNSET               FEN_MSG_WM_FLAGS (numbers)
 *   cursor ID GLYPH                  FEN_MSG_CURSOR
 *   dump ID [W H]                    share pages for the window, FEN_MSG_WINDOW_DUMP
 *   fill ID RRGGBB [X Y W H]         write pixels into the window's pages
 *   damage ID X Y W H                FEN_MSG_DAMAGE
 *   mark ID SERIAL                   FEN_MSG_FRAME_MARK (dom0 answers FRAME_SHOWN
 *                                    when --pacing was granted, else drops us)
 *   raw TYPE WINDOW [HEX]            any header + body (HEX bytes)
 *   bytes HEX                        raw bytes on the channel
 *   repeat N COMMAND...              run COMMAND N times
 *   sleep MS
 *   fstoggle ID N                    N fullscreen requests and N leaves (dom0 answers each)
 *   create-many FIRST N X Y W H      N windows (ids FIRST..), created and mapped
 *   redump ID N                      N more WINDOW_DUMPs of the same pages (dom0 acks each)
 *   echo TEXT                        print TEXT (a marker for the test script)
 *   stall                            stop reading from dom0 (keep writing)
 *   expect-close SECS                exit 0 if dom0 closes the channel in time, else 3
 *   hold                             keep running, reading dom0's messages, until killed
 *
 * --pacing advertises FEN_FEATURE_FRAME_PACING in the HELLO.
 * Every message dom0 sends is printed to stdout as "recv TYPE window=N ...".
 * Numbers accept 0x prefixes and negatives; the point is to send anything.
 * Exit: 0 done, 1 usage/setup error, 2 channel closed by dom0 early,
 * 3 expect-close timed out.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "fenestra/msgio.h"
#include "fenestra/pages.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"

#define MAX_WIN 4096

struct hwin {
    uint32_t id;
    uint32_t w, h;
    struct fen_share *share;
    uint32_t serial;
};

struct hostile {
    const char *spec;
    struct fen_chan *ch;
    struct fen_reader *rd;
    struct fen_writer *wr;
    struct fen_pool *pool;
    struct hwin wins[MAX_WIN];
    size_t nwins;
    int stalled;
    int closed;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct hwin *win_get(struct hostile *h, uint32_t id)
{
    for (size_t i = 0; i < h->nwins; i++)
        if (h->wins[i].id == id)
            return &h->wins[i];
    if (h->nwins == MAX_WIN)
        return NULL;
    struct hwin *w = &h->wins[h->nwins++];
    memset(w, 0, sizeof *w);
    w->id = id;
    return w;
}

/* Read and print what dom0 sent; returns -1 once the channel is closed. */
static int pump(struct hostile *h, int timeout_ms)
{
    if (h->closed)
        return -1;
    struct pollfd p = {.fd = fen_chan_fd(h->ch), .events = POLLIN};
    if (h->stalled) {
        /* do not read: just notice nothing, keep the peer's data unread */
        if (timeout_ms > 0)
            poll(NULL, 0, timeout_ms);
        return 0;
    }
    if (poll(&p, 1, timeout_ms) < 0)
        return 0;
    if (fen_chan_wait(h->ch, false) < 0) {
        h->closed = 1;
        return -1;
    }
    for (;;) {
        const uint8_t *msg;
        size_t len;
        struct fen_error err;
        enum fen_read_status st = fen_reader_next(h->rd, h->ch, &msg, &len, &err);
        if (st == FEN_READ_AGAIN)
            break;
        if (st != FEN_READ_MSG) {
            h->closed = 1;
            printf("closed by dom0\n");
            fflush(stdout);
            return -1;
        }
        struct fen_hdr hdr;
        memcpy(&hdr, msg, sizeof hdr);
        printf("recv %s window=%u len=%u", fen_msg_type_name(hdr.type), hdr.window, hdr.length);
        struct fen_msg m;
        if (fen_parse_msg(FEN_GUI_FROM_DOM0, msg, len, 0, &m, &err) == FEN_OK) {
            switch (m.type) {
            case FEN_MSG_KEY:
                printf(" type=%u keycode=%u state=0x%x", m.u.key.type, m.u.key.keycode,
                       m.u.key.state);
                break;
            case FEN_MSG_BUTTON:
                printf(" type=%u button=%u x=%d y=%d", m.u.button.type, m.u.button.button,
                       m.u.button.x, m.u.button.y);
                break;
            case FEN_MSG_WM_FLAGS:
                printf(" set=0x%x unset=0x%x", m.u.wm_flags.set, m.u.wm_flags.unset);
                break;
            case FEN_MSG_CONFIGURE:
                printf(" x=%d y=%d w=%u h=%u", m.u.configure.rect.x, m.u.configure.rect.y,
                       m.u.configure.rect.w, m.u.configure.rect.h);
                break;
            case FEN_MSG_DUMP_ACK:
                printf(" serial=%u", m.u.dump_ack.serial);
                break;
            case FEN_MSG_FRAME_SHOWN:
                printf(" serial=%u", m.u.frame.serial);
                break;
            case FEN_MSG_HELLO:
                printf(" features=0x%x", m.u.hello.features);
                break;
            default:
                break;
            }
        } else {
            printf(" (invalid: %s)", err.reason);
        }
        printf("\n");
        fflush(stdout);
    }
    return fen_chan_is_open(h->ch) == FEN_CHAN_CLOSED ? (h->closed = 1, -1) : 0;
}

static int send_msg(struct hostile *h, uint32_t type, uint32_t window, const void *body,
                    uint32_t len)
{
    if (h->closed)
        return -1;
    if (fen_writer_send(h->wr, h->ch, type, window, body, len, -1) < 0) {
        h->closed = 1;
        return -1;
    }
    /* bounded flush attempts; a stalled dom0 is not our problem here */
    for (int i = 0; i < 200 && fen_writer_pending(h->wr); i++) {
        pump(h, 5);
        if (fen_writer_flush(h->wr, h->ch) < 0) {
            h->closed = 1;
            return -1;
        }
    }
    return 0;
}

static long num(const char *s)
{
    return s ? strtol(s, NULL, 0) : 0;
}

static size_t unescape(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    while (*in && n < cap) {
        if (in[0] == '\\' && in[1] == 'x' && isxdigit((unsigned char)in[2]) &&
            isxdigit((unsigned char)in[3])) {
            char hx[3] = {in[2], in[3], 0};
            out[n++] = (char)strtol(hx, NULL, 16);
            in += 4;
        } else if (in[0] == '\\' && in[1] == 'n') {
            out[n++] = '\n';
            in += 2;
        } else if (in[0] == '\\' && in[1] == '\\') {
            out[n++] = '\\';
            in += 2;
        } else {
            out[n++] = *in++;
        }
    }
    return n;
}

static size_t unhex(const char *in, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (in && in[0] && in[1] && n < cap) {
        char hx[3] = {in[0], in[1], 0};
        out[n++] = (uint8_t)strtoul(hx, NULL, 16);
        in += 2;
    }
    return n;
}

static int cmd_dump(struct hostile *h, char **a, int n)
{
    struct hwin *w = win_get(h, (uint32_t)num(a[1]));
    if (!w || !h->pool)
        return fprintf(stderr, "dump: no window or no pool\n"), -1;
    if (n >= 4) {
        w->w = (uint32_t)num(a[2]);
        w->h = (uint32_t)num(a[3]);
    }
    uint64_t bytes = (uint64_t)w->w * 4u * w->h;
    size_t pages = (size_t)((bytes + FEN_PAGE_SIZE - 1) / FEN_PAGE_SIZE);
    struct fen_share *s = fen_pool_share(h->pool, pages ? pages : 1);
    if (!s)
        return fprintf(stderr, "dump: pool full\n"), -1;
    size_t len = sizeof(struct fen_msg_window_dump) + s->npages * 4;
    uint8_t *body = malloc(len);
    struct fen_msg_window_dump d = {
        .kind = FEN_DUMP_LOCAL_POOL, .width = w->w, .height = w->h, .stride = w->w * 4,
        .offset = 0, .format = FEN_FORMAT_XRGB8888, .serial = ++w->serial,
        .pool_id = fen_pool_id(h->pool), .num_refs = (uint32_t)s->npages};
    memcpy(body, &d, sizeof d);
    memcpy(body + sizeof d, s->refs, s->npages * 4);
    int rc = send_msg(h, FEN_MSG_WINDOW_DUMP, w->id, body, (uint32_t)len);
    free(body);
    /* old pages stay shared (a hostile guest does not care); keep the newest */
    w->share = s;
    return rc;
}

static void cmd_fill(struct hostile *h, char **a, int n)
{
    struct hwin *w = win_get(h, (uint32_t)num(a[1]));
    if (!w || !w->share)
        return;
    uint32_t color = (uint32_t)strtoul(a[2], NULL, 16);
    uint32_t x0 = 0, y0 = 0, fw = w->w, fh = w->h;
    if (n >= 7) {
        x0 = (uint32_t)num(a[3]);
        y0 = (uint32_t)num(a[4]);
        fw = (uint32_t)num(a[5]);
        fh = (uint32_t)num(a[6]);
    }
    uint32_t *px = w->share->ptr;
    for (uint32_t y = y0; y < y0 + fh && y < w->h; y++)
        for (uint32_t x = x0; x < x0 + fw && x < w->w; x++)
            px[(size_t)y * w->w + x] = color;
}

static int run_command(struct hostile *h, char **a, int n);

/* "ID X Y W H" of create/configure: the rect, remembered as the window's
 * size for later dump/fill commands. */
static struct fen_rect window_rect_arg(struct hostile *h, char **a)
{
    struct fen_rect r = {(int32_t)num(a[2]), (int32_t)num(a[3]), (uint32_t)num(a[4]),
                         (uint32_t)num(a[5])};
    struct hwin *w = win_get(h, (uint32_t)num(a[1]));
    if (w) {
        w->w = r.w;
        w->h = r.h;
    }
    return r;
}

static int run_line(struct hostile *h, char *line)
{
    char *a[64];
    int n = 0;
    /* title keeps the rest of the line as one argument */
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 63; t = strtok_r(NULL, " \t\r\n", &save)) {
        a[n++] = t;
        if (n == 2 && !strcmp(a[0], "title")) {
            char *rest = strtok_r(NULL, "\r\n", &save);
            a[n++] = rest ? rest : (char *)"";
            break;
        }
    }
    a[n] = NULL;
    if (n == 0 || a[0][0] == '#')
        return 0;
    return run_command(h, a, n);
}

static int run_command(struct hostile *h, char **a, int n)
{
    const char *c = a[0];
    uint8_t buf[70000];
    if (!strcmp(c, "pool")) {
        if (!h->pool)
            h->pool = fen_pool_create(h->spec, (size_t)num(a[1]));
        if (!h->pool || fen_pool_announce(h->pool, h->ch) < 0)
            return fprintf(stderr, "pool: failed\n"), -1;
        return 0;
    }
    if (!strcmp(c, "create") && n >= 6) {
        struct fen_msg_create m = {.rect = window_rect_arg(h, a),
                                   .override_redirect = n > 6 && !strcmp(a[6], "or")};
        return send_msg(h, FEN_MSG_CREATE, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "map") && n >= 2) {
        struct fen_msg_map m = {.transient_for = n > 2 && strcmp(a[2], "or") ? (uint32_t)num(a[2]) : 0,
                                .override_redirect = (n > 2 && !strcmp(a[n - 1], "or"))};
        return send_msg(h, FEN_MSG_MAP, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "unmap") && n >= 2)
        return send_msg(h, FEN_MSG_UNMAP, (uint32_t)num(a[1]), NULL, 0);
    if (!strcmp(c, "destroy") && n >= 2)
        return send_msg(h, FEN_MSG_DESTROY, (uint32_t)num(a[1]), NULL, 0);
    if (!strcmp(c, "configure") && n >= 6) {
        struct fen_msg_configure m = {.rect = window_rect_arg(h, a),
                                      .override_redirect = n > 6 && !strcmp(a[6], "or")};
        return send_msg(h, FEN_MSG_CONFIGURE, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "title") && n >= 3) {
        struct fen_msg_title t;
        size_t len = unescape(a[2], (char *)buf + sizeof t, sizeof buf - sizeof t);
        t.length = (uint32_t)len;
        memcpy(buf, &t, sizeof t);
        return send_msg(h, FEN_MSG_TITLE, (uint32_t)num(a[1]), buf, (uint32_t)(sizeof t + len));
    }
    if (!strcmp(c, "class") && n >= 4) {
        struct fen_msg_wm_class m;
        memset(&m, 0, sizeof m);
        snprintf(m.res_class, sizeof m.res_class, "%s", a[2]);
        snprintf(m.res_name, sizeof m.res_name, "%s", a[3]);
        return send_msg(h, FEN_MSG_WM_CLASS, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "flags") && n >= 4) {
        struct fen_msg_wm_flags m = {(uint32_t)num(a[2]), (uint32_t)num(a[3])};
        return send_msg(h, FEN_MSG_WM_FLAGS, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "cursor") && n >= 3) {
        struct fen_msg_cursor m = {(uint32_t)num(a[2])};
        return send_msg(h, FEN_MSG_CURSOR, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "dump") && n >= 2)
        return cmd_dump(h, a, n);
    if (!strcmp(c, "fill") && n >= 3) {
        cmd_fill(h, a, n);
        return 0;
    }
    if (!strcmp(c, "damage") && n >= 6) {
        struct {
            struct fen_msg_damage d;
            struct fen_rect r;
        } m = {{1}, {(int32_t)num(a[2]), (int32_t)num(a[3]), (uint32_t)num(a[4]), (uint32_t)num(a[5])}};
        return send_msg(h, FEN_MSG_DAMAGE, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "mark") && n >= 3) {
        struct fen_msg_frame m = {(uint32_t)num(a[2])};
        return send_msg(h, FEN_MSG_FRAME_MARK, (uint32_t)num(a[1]), &m, sizeof m);
    }
    if (!strcmp(c, "raw") && n >= 3) {
        size_t len = unhex(n > 3 ? a[3] : NULL, buf, sizeof buf);
        return send_msg(h, (uint32_t)num(a[1]), (uint32_t)num(a[2]), buf, (uint32_t)len);
    }
    if (!strcmp(c, "bytes") && n >= 2) {
        size_t len = unhex(a[1], buf, sizeof buf);
        size_t off = 0;
        for (int i = 0; i < 1000 && off < len && !h->closed; i++) {
            ssize_t w = fen_chan_write(h->ch, buf + off, len - off);
            if (w < 0) {
                h->closed = 1;
                break;
            }
            off += (size_t)w;
            if (off < len)
                pump(h, 5);
        }
        return h->closed ? -1 : 0;
    }
    if (!strcmp(c, "repeat") && n >= 3) {
        long count = num(a[1]);
        for (long i = 0; i < count; i++) {
            char *sub[64];
            int m = 0;
            for (int j = 2; j < n && m < 63; j++)
                sub[m++] = a[j];
            sub[m] = NULL;
            if (run_command(h, sub, m) < 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(c, "sleep") && n >= 2) {
        uint64_t end = now_ms() + (uint64_t)num(a[1]);
        while (now_ms() < end && !h->closed)
            pump(h, (int)(end - now_ms()));
        return 0;
    }
    if (!strcmp(c, "fstoggle") && n >= 3) {
        uint32_t id = (uint32_t)num(a[1]);
        for (long i = 0; i < num(a[2]); i++) {
            struct fen_msg_wm_flags on = {FEN_WMFLAG_FULLSCREEN, 0}, off = {0, FEN_WMFLAG_FULLSCREEN};
            if (send_msg(h, FEN_MSG_WM_FLAGS, id, &on, sizeof on) < 0 ||
                send_msg(h, FEN_MSG_WM_FLAGS, id, &off, sizeof off) < 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(c, "create-many") && n >= 7) {
        /* create-many FIRST N X Y W H: ids FIRST..FIRST+N-1, mapped */
        uint32_t first = (uint32_t)num(a[1]);
        for (long i = 0; i < num(a[2]); i++) {
            struct fen_msg_create m = {.rect = {(int32_t)num(a[3]), (int32_t)num(a[4]),
                                                (uint32_t)num(a[5]), (uint32_t)num(a[6])}};
            struct fen_msg_map mp = {0, 0};
            if (send_msg(h, FEN_MSG_CREATE, first + (uint32_t)i, &m, sizeof m) < 0 ||
                send_msg(h, FEN_MSG_MAP, first + (uint32_t)i, &mp, sizeof mp) < 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(c, "redump") && n >= 3) {
        struct hwin *w = win_get(h, (uint32_t)num(a[1]));
        if (!w || !w->share || !h->pool)
            return fprintf(stderr, "redump: no dump yet\n"), -1;
        size_t len = sizeof(struct fen_msg_window_dump) + w->share->npages * 4;
        uint8_t *body = malloc(len);
        if (!body)
            return -1;
        for (long i = 0; i < num(a[2]); i++) {
            struct fen_msg_window_dump d = {
                .kind = FEN_DUMP_LOCAL_POOL, .width = w->w, .height = w->h, .stride = w->w * 4,
                .format = FEN_FORMAT_XRGB8888, .serial = ++w->serial,
                .pool_id = fen_pool_id(h->pool), .num_refs = (uint32_t)w->share->npages};
            memcpy(body, &d, sizeof d);
            memcpy(body + sizeof d, w->share->refs, w->share->npages * 4);
            if (send_msg(h, FEN_MSG_WINDOW_DUMP, w->id, body, (uint32_t)len) < 0) {
                free(body);
                return -1;
            }
        }
        free(body);
        return 0;
    }
    if (!strcmp(c, "echo")) {
        for (int i = 1; i < n; i++)
            printf("%s%s", a[i], i + 1 < n ? " " : "");
        printf("\n");
        fflush(stdout);
        return 0;
    }
    if (!strcmp(c, "stall")) {
        h->stalled = 1;
        return 0;
    }
    if (!strcmp(c, "expect-close") && n >= 2) {
        uint64_t end = now_ms() + (uint64_t)num(a[1]) * 1000u;
        h->stalled = 0;
        while (now_ms() < end && !h->closed)
            pump(h, 50);
        if (h->closed) {
            printf("expect-close: closed\n");
            fflush(stdout);
            exit(0);
        }
        printf("expect-close: still open\n");
        fflush(stdout);
        exit(3);
    }
    if (!strcmp(c, "hold")) {
        for (;;)
            if (pump(h, 1000) < 0 && h->closed)
                exit(2);
    }
    fprintf(stderr, "unknown or incomplete command: %s\n", c);
    return -1;
}

int main(int argc, char **argv)
{
    struct hostile *h = calloc(1, sizeof *h);
    const char *script = NULL;
    int no_hello = 0;
    uint32_t features = 0;
    static const struct option opts[] = {{"listen", 1, 0, 'l'}, {"script", 1, 0, 's'},
                                         {"no-hello", 0, 0, 'n'}, {"pacing", 0, 0, 'p'},
                                         {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    for (int o; (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (o) {
        case 'l': h->spec = optarg; break;
        case 's': script = optarg; break;
        case 'n': no_hello = 1; break;
        case 'p': features |= FEN_FEATURE_FRAME_PACING; break;
        default:
            printf("usage: fen-hostile --listen SPEC [--script FILE] [--no-hello] [--pacing]\n"
                   "A hostile guest for spoof tests; see spoof-tests/hostile.c for commands.\n");
            return o == 'h' ? 0 : 1;
        }
    }
    if (!h->spec)
        return fprintf(stderr, "--listen SPEC is required\n"), 1;
    fen_log_init("fen-hostile", NULL);
    h->ch = fen_chan_server_init(h->spec, FEN_PORT_GUI, 65536, 65536);
    h->rd = fen_reader_create(FEN_GUI_FROM_DOM0, 0);
    h->wr = fen_writer_create(64u << 20);
    if (!h->ch || !h->rd || !h->wr)
        return perror("fen-hostile: channel"), 1;
    while (fen_chan_is_open(h->ch) == FEN_CHAN_WAITING) {
        struct pollfd p = {.fd = fen_chan_fd(h->ch), .events = POLLIN};
        poll(&p, 1, 1000);
        if (fen_chan_wait(h->ch, false) < 0)
            return fprintf(stderr, "fen-hostile: channel failed\n"), 1;
    }
    printf("connected\n");
    fflush(stdout);
    if (!no_hello) {
        struct fen_msg_hello hello = {.magic = FEN_PROTO_MAGIC, .major = FEN_PROTO_MAJOR,
                                      .minor = FEN_PROTO_MINOR, .stream = FEN_STREAM_GUI,
                                      .features = features};
        if (send_msg(h, FEN_MSG_HELLO, 0, &hello, sizeof hello) < 0)
            return 2;
    }
    FILE *in = script ? fopen(script, "r") : stdin;
    if (!in)
        return perror(script), 1;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0) {
        pump(h, 0);
        if (run_line(h, line) < 0 && h->closed) {
            fprintf(stderr, "fen-hostile: dom0 closed the channel\n");
            return 2;
        }
    }
    free(line);
    /* drain what is queued, then stay until dom0 or the test ends us */
    for (int i = 0; i < 100 && fen_writer_pending(h->wr) && !h->closed; i++) {
        pump(h, 10);
        if (fen_writer_flush(h->wr, h->ch) < 0)
            break;
    }
    return 0;
}
