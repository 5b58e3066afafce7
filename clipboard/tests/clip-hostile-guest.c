/* clip-hostile-guest: a misbehaving qube on the clipboard channel, speaking
 * the protocol directly (tests only).
 *   --listen SPEC            serve the clipboard channel there
 *   --unrequested TEXT       right after the handshake, send an unrequested reply
 *   --late-ms N              answer the first request N ms late
 *   --text TEXT              what to answer requests with (default "hostile")
 *   --garbage                right after the handshake, send a malformed message
 *   --flood N                right after the handshake, send N unrequested replies
 *   --hang-up                close the channel on the first request instead of answering
 *   --stall                  after the handshake, never read again
 *   --die-on-paste           exit as soon as a whole paste has arrived, before
 *                            confirming it (an agent crashing mid-paste)
 * Logs what it does on stderr; runs until killed. */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "fenestra/msgio.h"
#include "fenestra/proto.h"
#include "fenestra/validate.h"

static struct fen_writer *w;
static struct fen_chan *ch;

static void send_data(uint32_t id, const char *text)
{
    size_t n = strlen(text);
    uint8_t body[4096];
    struct fen_msg_clip_data d = {id, (uint32_t)n};
    memcpy(body, &d, sizeof d);
    memcpy(body + sizeof d, text, n);
    if (fen_writer_send(w, ch, FEN_MSG_CLIP_DATA, 0, body, (uint32_t)(sizeof d + n), -1) < 0)
        fprintf(stderr, "hostile: send failed\n");
    fprintf(stderr, "hostile: sent CLIP_DATA id=%u len=%zu\n", id, n);
}

static void flush_all(void)
{
    for (int i = 0; i < 100 && fen_writer_pending(w); i++) {
        if (fen_writer_flush(w, ch) < 0)
            return;
        usleep(1000);
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'}, {"unrequested", required_argument, NULL, 'u'},
        {"late-ms", required_argument, NULL, 'm'}, {"text", required_argument, NULL, 't'},
        {"garbage", no_argument, NULL, 'g'},      {"flood", required_argument, NULL, 'f'},
        {"hang-up", no_argument, NULL, 'x'},      {"stall", no_argument, NULL, 's'},
        {"die-on-paste", no_argument, NULL, 'd'}, {NULL, 0, NULL, 0},
    };
    const char *spec = NULL, *unrequested = NULL, *text = "hostile";
    int late_ms = 0, garbage = 0, flood = 0, hang_up = 0, stall = 0, die_on_paste = 0, c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': spec = optarg; break;
        case 'u': unrequested = optarg; break;
        case 'm': late_ms = atoi(optarg); break;
        case 't': text = optarg; break;
        case 'g': garbage = 1; break;
        case 'f': flood = atoi(optarg); break;
        case 'x': hang_up = 1; break;
        case 's': stall = 1; break;
        case 'd': die_on_paste = 1; break;
        default: return 2;
        }
    }
    if (!spec)
        return 2;
    w = fen_writer_create(1 << 20);
    struct fen_reader *r = fen_reader_create(FEN_CLIP_FROM_DOM0, 0);
    int requests = 0;
    for (;;) {
        ch = fen_chan_server_init(spec, FEN_PORT_CLIPBOARD, 0, 0);
        if (!ch) {
            perror("hostile: server");
            return 1;
        }
        while (fen_chan_is_open(ch) != FEN_CHAN_OPEN)
            if (fen_chan_wait(ch, true) < 0)
                break;
        fen_reader_reset(r);
        fen_writer_reset(w);
        struct fen_msg_hello hello = {FEN_PROTO_MAGIC, FEN_PROTO_MAJOR, FEN_PROTO_MINOR,
                                      FEN_STREAM_CLIPBOARD, 0, 0, 0, 0};
        if (fen_writer_send(w, ch, FEN_MSG_HELLO, 0, &hello, sizeof hello, -1) < 0)
            goto again;
        fprintf(stderr, "hostile: connected\n");
        bool greeted = false;
        for (;;) {
            struct pollfd p = {.fd = fen_chan_fd(ch), .events = POLLIN};
            poll(&p, 1, 100);
            if (fen_chan_wait(ch, false) < 0)
                goto again;
            const uint8_t *msg;
            size_t len;
            struct fen_error err;
            enum fen_read_status st;
            while ((st = fen_reader_next(r, ch, &msg, &len, &err)) == FEN_READ_MSG) {
                struct fen_msg m;
                if (fen_parse_msg(FEN_CLIP_FROM_DOM0, msg, len, 0, &m, &err) != FEN_OK)
                    goto again;
                if (m.type == FEN_MSG_HELLO && !greeted) {
                    greeted = true;
                    if (stall) {
                        fprintf(stderr, "hostile: stalling (never reading again)\n");
                        for (;;)
                            pause();
                    }
                    if (unrequested)
                        send_data(4242, unrequested);
                    for (int i = 0; i < flood; i++)
                        send_data(5000u + (uint32_t)i, "flood");
                    if (garbage) {
                        uint32_t junk[3] = {0x0201, 0, 0xfffffff0u};
                        if (fen_chan_write(ch, junk, sizeof junk) < 0)
                            goto again;
                        fprintf(stderr, "hostile: sent garbage header\n");
                    }
                } else if (m.type == FEN_MSG_CLIP_REQUEST && hang_up && requests++ == 0) {
                    fprintf(stderr, "hostile: hanging up instead of answering\n");
                    goto again;
                } else if (m.type == FEN_MSG_CLIP_REQUEST) {
                    if (requests++ == 0 && late_ms > 0) {
                        fprintf(stderr, "hostile: sleeping %d ms before answering\n", late_ms);
                        usleep((useconds_t)late_ms * 1000u);
                    }
                    send_data(m.u.clip_request.request_id, text);
                } else if (m.type == FEN_MSG_CLIP_PASTE) {
                    fprintf(stderr, "hostile: got a paste of %u bytes (id %u)\n",
                            m.u.clip_data.length, m.u.clip_data.request_id);
                    if (die_on_paste) {
                        fprintf(stderr, "hostile: dying before confirming it\n");
                        _exit(0);
                    }
                }
            }
            flush_all();
            if (st != FEN_READ_AGAIN)
                goto again;
        }
    again:
        fprintf(stderr, "hostile: channel closed\n");
        fen_chan_close(ch);
        ch = NULL;
    }
}
