/* A minimal dom0 for the gui-agent smoke test: connects to the agent's
 * channel, does the handshake, maps announced pools and window dumps with the
 * real dom0 page mapper, acknowledges dumps, and prints one line per message
 * received (and the number of non-black pixels after each damage) on stdout.
 * Commands on stdin inject input/requests into the guest:
 *   motion WIN X Y | button WIN press|release N X Y STATE |
 *   key WIN press|release KEYCODE STATE | focus WIN in|out |
 *   configure WIN X Y W H | close WIN | flags WIN SET UNSET | keymap WIN | badmsg | quit
 * (WIN in hex or decimal). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "fenestra/msgio.h"
#include "fenestra/pages.h"
#include "fenestra/validate.h"

#define MAX_WIN 64

struct fake_win {
    uint32_t id;
    struct fen_mapping *map;
    uint32_t w, h, stride;
    uint64_t last_nonzero;
};

static struct fake_win wins[MAX_WIN];
static struct fen_mapper *mapper;
static struct fen_chan *ch;
static struct fen_writer *wr;

static struct fake_win *find_win(uint32_t id, int create)
{
    for (int i = 0; i < MAX_WIN; i++)
        if (wins[i].id == id)
            return &wins[i];
    if (!create)
        return NULL;
    for (int i = 0; i < MAX_WIN; i++)
        if (wins[i].id == 0) {
            wins[i].id = id;
            return &wins[i];
        }
    return NULL;
}

static void send(uint32_t type, uint32_t win, const void *body, uint32_t len)
{
    if (fen_writer_send(wr, ch, type, win, body, len, -1) < 0) {
        printf("SENDFAIL\n");
        exit(1);
    }
}

static uint64_t count_nonzero(const struct fake_win *w)
{
    const uint8_t *p = w->map->ptr;
    uint64_t n = 0;
    for (uint32_t y = 0; y < w->h; y++)
        for (uint32_t x = 0; x < w->w; x++) {
            const uint8_t *px = p + (size_t)y * w->stride + (size_t)x * 4;
            if (px[0] | px[1] | px[2])
                n++;
        }
    return n;
}

static void handle(const struct fen_msg *m)
{
    struct fake_win *w;
    struct fen_error err;
    switch (m->type) {
    case FEN_MSG_HELLO:
        printf("HELLO %u.%u\n", m->u.hello.major, m->u.hello.minor);
        break;
    case FEN_MSG_POOL: {
        int fd = fen_chan_take_fd(ch);
        if (fen_mapper_set_pool(mapper, m->u.pool.pool_id, fd, m->u.pool.npages, &err) != FEN_OK) {
            printf("POOLFAIL %s\n", err.reason);
            exit(1);
        }
        printf("POOL %u pages=%u\n", m->u.pool.pool_id, m->u.pool.npages);
        break;
    }
    case FEN_MSG_CREATE:
        printf("CREATE 0x%x %d %d %u %u or=%u\n", m->window, m->u.create.rect.x,
               m->u.create.rect.y, m->u.create.rect.w, m->u.create.rect.h,
               m->u.create.override_redirect);
        find_win(m->window, 1);
        break;
    case FEN_MSG_MAP:
        printf("MAP 0x%x transient=0x%x or=%u\n", m->window, m->u.map.transient_for,
               m->u.map.override_redirect);
        break;
    case FEN_MSG_UNMAP:
        printf("UNMAP 0x%x\n", m->window);
        break;
    case FEN_MSG_DESTROY:
        printf("DESTROY 0x%x\n", m->window);
        if ((w = find_win(m->window, 0))) {
            fen_mapping_unmap(mapper, w->map);
            memset(w, 0, sizeof *w);
        }
        break;
    case FEN_MSG_CONFIGURE:
        printf("CONFIGURE 0x%x %d %d %u %u\n", m->window, m->u.configure.rect.x,
               m->u.configure.rect.y, m->u.configure.rect.w, m->u.configure.rect.h);
        break;
    case FEN_MSG_TITLE:
        printf("TITLE 0x%x %s\n", m->window, m->u.title.text);
        break;
    case FEN_MSG_WM_CLASS:
        printf("CLASS 0x%x %s %s\n", m->window, m->u.wm_class.res_class,
               m->u.wm_class.res_name);
        break;
    case FEN_MSG_SIZE_HINTS:
        printf("HINTS 0x%x flags=0x%x min=%ux%u inc=%ux%u\n", m->window, m->u.size_hints.flags,
               m->u.size_hints.min_w, m->u.size_hints.min_h, m->u.size_hints.inc_w,
               m->u.size_hints.inc_h);
        break;
    case FEN_MSG_WM_FLAGS:
        printf("FLAGS 0x%x set=0x%x unset=0x%x\n", m->window, m->u.wm_flags.set,
               m->u.wm_flags.unset);
        break;
    case FEN_MSG_CURSOR:
        printf("CURSOR 0x%x %u\n", m->window, m->u.cursor.glyph);
        break;
    case FEN_MSG_WINDOW_DUMP: {
        const struct fen_msg_window_dump *d = &m->u.dump.hdr;
        w = find_win(m->window, 0);
        if (!w) {
            printf("BADDUMP 0x%x unknown window\n", m->window);
            break;
        }
        struct fen_mapping *map =
            fen_mapper_map(mapper, d->pool_id, m->u.dump.refs, d->num_refs, &err);
        if (!map) {
            printf("DUMPFAIL 0x%x %s\n", m->window, err.reason);
            break;
        }
        fen_mapping_unmap(mapper, w->map);
        w->map = map;
        w->w = d->width;
        w->h = d->height;
        w->stride = d->stride;
        w->last_nonzero = UINT64_MAX;
        printf("DUMP 0x%x %ux%u stride=%u format=%u serial=%u refs=%u pool=%u\n", m->window,
               d->width, d->height, d->stride, d->format, d->serial, d->num_refs, d->pool_id);
        struct fen_msg_dump_ack ack = {.serial = d->serial};
        send(FEN_MSG_DUMP_ACK, m->window, &ack, sizeof ack);
        break;
    }
    case FEN_MSG_DAMAGE: {
        w = find_win(m->window, 0);
        const struct fen_rect *r = &m->u.damage.rects[0];
        printf("DAMAGE 0x%x n=%u first=%d,%d,%ux%u\n", m->window, m->u.damage.count, r->x, r->y,
               r->w, r->h);
        if (w && w->map) {
            uint64_t nz = count_nonzero(w);
            if (nz != w->last_nonzero)
                printf("PIXELS 0x%x nonzero=%llu of %llu\n", m->window, (unsigned long long)nz,
                       (unsigned long long)w->w * w->h);
            w->last_nonzero = nz;
        }
        break;
    }
    default:
        printf("OTHER %s\n", fen_msg_type_name(m->type));
        break;
    }
    fflush(stdout);
}

static void command(char *line)
{
    char verb[16] = "", a1[16] = "";
    unsigned long win = 0;
    long v[5] = {0};
    int n = sscanf(line, "%15s %li %15s", verb, (long *)&win, a1);
    if (n < 1)
        return;
    if (!strcmp(verb, "quit"))
        exit(0);
    if (!strcmp(verb, "motion") &&
        sscanf(line, "%*s %*s %ld %ld", &v[0], &v[1]) == 2) {
        struct fen_msg_motion mm = {.x = (int32_t)v[0], .y = (int32_t)v[1]};
        send(FEN_MSG_MOTION, (uint32_t)win, &mm, sizeof mm);
    } else if (!strcmp(verb, "button") &&
               sscanf(line, "%*s %*s %*s %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3]) == 4) {
        struct fen_msg_button b = {.type = strcmp(a1, "press") ? FEN_BUTTON_RELEASE
                                                               : FEN_BUTTON_PRESS,
                                   .button = (uint32_t)v[0], .x = (int32_t)v[1],
                                   .y = (int32_t)v[2], .state = (uint32_t)v[3]};
        send(FEN_MSG_BUTTON, (uint32_t)win, &b, sizeof b);
    } else if (!strcmp(verb, "key") && sscanf(line, "%*s %*s %*s %ld %ld", &v[0], &v[1]) == 2) {
        struct fen_msg_key k = {.type = strcmp(a1, "press") ? FEN_KEY_RELEASE : FEN_KEY_PRESS,
                                .keycode = (uint32_t)v[0], .state = (uint32_t)v[1]};
        send(FEN_MSG_KEY, (uint32_t)win, &k, sizeof k);
    } else if (!strcmp(verb, "focus")) {
        struct fen_msg_focus f = {.type = strcmp(a1, "in") ? FEN_FOCUS_OUT : FEN_FOCUS_IN};
        send(FEN_MSG_FOCUS, (uint32_t)win, &f, sizeof f);
    } else if (!strcmp(verb, "configure") &&
               sscanf(line, "%*s %*s %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3]) == 4) {
        struct fen_msg_configure c = {.rect = {(int32_t)v[0], (int32_t)v[1], (uint32_t)v[2],
                                               (uint32_t)v[3]}};
        send(FEN_MSG_CONFIGURE, (uint32_t)win, &c, sizeof c);
    } else if (!strcmp(verb, "keymap")) {
        struct fen_msg_keymap k; /* dom0 has every key up */
        memset(&k, 0, sizeof k);
        send(FEN_MSG_KEYMAP, (uint32_t)win, &k, sizeof k);
    } else if (!strcmp(verb, "badmsg")) {
        /* A guest->dom0 type is never valid from dom0: the agent must drop us. */
        struct fen_msg_cursor c = {.glyph = 0};
        send(FEN_MSG_CURSOR, 1, &c, sizeof c);
    } else if (!strcmp(verb, "close")) {
        send(FEN_MSG_CLOSE, (uint32_t)win, NULL, 0);
    } else if (!strcmp(verb, "flags") && sscanf(line, "%*s %*s %li %li", &v[0], &v[1]) == 2) {
        struct fen_msg_wm_flags f = {.set = (uint32_t)v[0], .unset = (uint32_t)v[1]};
        send(FEN_MSG_WM_FLAGS, (uint32_t)win, &f, sizeof f);
    } else {
        printf("BADCMD %s\n", line);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gui-agent-fake-dom0 SPEC < commands\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int tries = 0; !(ch = fen_chan_client_init(argv[1], FEN_PORT_GUI)); tries++) {
        if (tries > 400) {
            printf("NOCONNECT\n");
            return 1;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    mapper = fen_mapper_create(argv[1]);
    struct fen_reader *rd = fen_reader_create(FEN_GUI_FROM_GUEST, 0);
    wr = fen_writer_create(1u << 20);
    if (!mapper || !rd || !wr)
        return 1;
    struct fen_msg_hello h = {.magic = FEN_PROTO_MAGIC, .major = FEN_PROTO_MAJOR,
                              .minor = FEN_PROTO_MINOR, .stream = FEN_STREAM_GUI,
                              .screen_w = 1920, .screen_h = 1080};
    send(FEN_MSG_HELLO, 0, &h, sizeof h);
    printf("CONNECTED\n");
    char line[256];
    size_t llen = 0;
    struct fen_msg *m = malloc(sizeof *m);
    for (;;) {
        struct pollfd p[2] = {{.fd = fen_chan_fd(ch), .events = POLLIN},
                              {.fd = 0, .events = POLLIN}};
        if (fen_writer_pending(wr))
            p[0].events |= POLLOUT;
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return 1;
        if (p[1].revents) {
            ssize_t r = read(0, line + llen, sizeof line - 1 - llen);
            if (r <= 0) {
                p[1].fd = -1;
                if (r == 0)
                    return 0;
            } else {
                llen += (size_t)r;
                line[llen] = 0;
                char *nl;
                while ((nl = strchr(line, '\n'))) {
                    *nl = 0;
                    command(line);
                    memmove(line, nl + 1, llen - (size_t)(nl + 1 - line) + 1);
                    llen -= (size_t)(nl + 1 - line);
                }
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (fen_chan_wait(ch, false) < 0) {
                printf("EOF\n");
                return 0;
            }
            for (;;) {
                const uint8_t *buf;
                size_t len;
                struct fen_error err = {0};
                enum fen_read_status st = fen_reader_next(rd, ch, &buf, &len, &err);
                if (st == FEN_READ_AGAIN)
                    break;
                if (st != FEN_READ_MSG) {
                    printf("EOF %s\n", err.reason);
                    return 0;
                }
                if (fen_parse_msg(FEN_GUI_FROM_GUEST, buf, len, 0, m, &err) != FEN_OK) {
                    printf("INVALID %s\n", err.reason);
                    return 1;
                }
                handle(m);
            }
        }
        if (fen_writer_flush(wr, ch) < 0) {
            printf("EOF write\n");
            return 0;
        }
    }
}
