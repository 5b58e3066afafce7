/* audio-fake-guest: a hostile guest for the audio channel.
 *
 *   audio-fake-guest SPEC CASE
 *
 * Listens like audio-agent on SPEC, waits (10 s) for audiod, sends one kind
 * of bad input and exits 0 once audiod has closed the channel (within 5 s),
 * 1 otherwise.  CASEs:
 *   garbage            random-looking bytes instead of a header
 *   huge-length        a PCM header announcing 2 GiB
 *   pcm-before-format  HELLO, then PCM without a FORMAT
 *   partial-frame      HELLO, FORMAT 48k s16le stereo, PCM of 6 bytes
 *   bad-format         HELLO, FORMAT at 8000 Hz
 *   wrong-direction    HELLO, a MIC_PCM (dom0-to-guest only)
 *   flood              HELLO, FORMAT, then valid PCM as fast as the channel
 *                      takes it for 3 s: not an error, so here success means
 *                      audiod kept the channel open (it must drop audio, not
 *                      buffer it) */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fenestra/channel.h"
#include "fenestra/proto.h"

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int wait_event(struct fen_chan *ch, long deadline)
{
    struct pollfd p = {.fd = fen_chan_fd(ch), .events = POLLIN};
    long left = deadline - now_ms();
    if (left <= 0)
        return -2;
    if (poll(&p, 1, (int)left) <= 0)
        return -2;
    return fen_chan_wait(ch, false);
}

static void drain(struct fen_chan *ch)
{
    uint8_t buf[4096];
    (void)fen_chan_wait(ch, false);
    while (fen_chan_read(ch, buf, sizeof buf) > 0)
        ;
}

static int put(struct fen_chan *ch, const void *buf, size_t n)
{
    const uint8_t *b = buf;
    long deadline = now_ms() + 2000;
    while (n > 0 && now_ms() < deadline) {
        ssize_t w = fen_chan_write(ch, b, n);
        if (w < 0)
            return -1;
        if (w == 0) {
            /* full: keep reading what audiod sends, then retry */
            drain(ch);
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
        b += w;
        n -= (size_t)w;
    }
    return n == 0 ? 0 : -1;
}

static int put_msg(struct fen_chan *ch, uint32_t type, const void *body, uint32_t len)
{
    struct fen_hdr h = {.type = type, .window = 0, .length = len};
    if (put(ch, &h, sizeof h) < 0)
        return -1;
    return len ? put(ch, body, len) : 0;
}

static int hello(struct fen_chan *ch)
{
    struct fen_msg_hello h = {.magic = FEN_PROTO_MAGIC, .major = FEN_PROTO_MAJOR,
                              .minor = FEN_PROTO_MINOR, .stream = FEN_STREAM_AUDIO};
    return put_msg(ch, FEN_MSG_HELLO, &h, sizeof h);
}

/* Valid PCM as fast as the channel takes it for 3 s; 0 when audiod kept
 * the channel open throughout. */
static int flood(struct fen_chan *ch)
{
    static uint8_t msg[4 + 65536];
    struct fen_msg_audio_format f = {FEN_AUDIO_PLAYBACK, 48000, FEN_AUDIO_S16LE, 2};
    if (hello(ch) < 0 || put_msg(ch, FEN_MSG_AUDIO_FORMAT, &f, sizeof f) < 0)
        return -1;
    uint32_t len = 65536;
    memcpy(msg, &len, 4);
    for (size_t i = 4; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7);
    long end = now_ms() + 3000;
    size_t sent = 0;
    while (now_ms() < end) {
        if (put_msg(ch, FEN_MSG_AUDIO_PCM, msg, sizeof msg) < 0)
            return -1;
        sent += sizeof msg;
        drain(ch);
    }
    printf("flooded %zu bytes (%.0f s of audio in 3 s)\n", sent, sent / 192000.0);
    return fen_chan_is_open(ch) == FEN_CHAN_OPEN ? 0 : -1;
}

static int send_case(struct fen_chan *ch, const char *c)
{
    if (!strcmp(c, "garbage")) {
        uint8_t junk[64];
        uint32_t x = 0x12345678;
        for (size_t i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (uint8_t)(x >> 16);
        }
        return put(ch, junk, sizeof junk);
    }
    if (!strcmp(c, "huge-length")) {
        if (hello(ch) < 0)
            return -1;
        struct fen_hdr h = {.type = FEN_MSG_AUDIO_PCM, .length = 0x7fffffffu};
        return put(ch, &h, sizeof h);
    }
    uint8_t pcm[4 + 6] = {0};
    if (!strcmp(c, "pcm-before-format")) {
        pcm[0] = 4;
        return hello(ch) < 0 ? -1 : put_msg(ch, FEN_MSG_AUDIO_PCM, pcm, 8);
    }
    if (!strcmp(c, "partial-frame") || !strcmp(c, "bad-format")) {
        struct fen_msg_audio_format f = {FEN_AUDIO_PLAYBACK, 48000, FEN_AUDIO_S16LE, 2};
        if (!strcmp(c, "bad-format"))
            f.rate = 8000;
        if (hello(ch) < 0 || put_msg(ch, FEN_MSG_AUDIO_FORMAT, &f, sizeof f) < 0)
            return -1;
        pcm[0] = 6;
        return put_msg(ch, FEN_MSG_AUDIO_PCM, pcm, 10);
    }
    if (!strcmp(c, "wrong-direction")) {
        pcm[0] = 4;
        return hello(ch) < 0 ? -1 : put_msg(ch, FEN_MSG_AUDIO_MIC_PCM, pcm, 8);
    }
    fprintf(stderr, "unknown case %s\n", c);
    return -2;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: audio-fake-guest SPEC CASE\n");
        return 2;
    }
    struct fen_chan *ch = fen_chan_server_init(argv[1], FEN_PORT_AUDIO, 65536, 65536);
    if (!ch) {
        perror("fen_chan_server_init");
        return 1;
    }
    long deadline = now_ms() + 10000;
    while (fen_chan_is_open(ch) != FEN_CHAN_OPEN) {
        if (wait_event(ch, deadline) == -2) {
            fprintf(stderr, "audiod never connected\n");
            fen_chan_close(ch);
            return 1;
        }
    }
    if (!strcmp(argv[2], "flood")) {
        int frc = flood(ch);
        fen_chan_close(ch);
        if (frc < 0)
            fprintf(stderr, "audiod closed the channel during a valid flood\n");
        return frc < 0 ? 1 : 0;
    }
    int rc = send_case(ch, argv[2]);
    if (rc == -2) {
        fen_chan_close(ch);
        return 2;
    }
    /* audiod must now close the channel; drain what it sends meanwhile */
    deadline = now_ms() + 5000;
    for (;;) {
        uint8_t buf[4096];
        ssize_t r;
        while ((r = fen_chan_read(ch, buf, sizeof buf)) > 0)
            ;
        if (r < 0 || fen_chan_is_open(ch) == FEN_CHAN_CLOSED) {
            printf("closed by audiod\n");
            fen_chan_close(ch);
            return 0;
        }
        int w = wait_event(ch, deadline);
        if (w == -2) {
            fprintf(stderr, "audiod did not close the channel\n");
            fen_chan_close(ch);
            return 1;
        }
    }
}
