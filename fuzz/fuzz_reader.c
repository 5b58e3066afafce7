/* libFuzzer target: arbitrary bytes, cut into arbitrary chunks, through a
 * real local channel (socketpair) into fen_reader_next.  Checks that nothing
 * crashes or over-reads (ASan), that every returned message is whole,
 * 4-byte aligned and passes fen_check_header, and that the reader ends in
 * EOF or ERROR once the sender closes.  Each whole message is also run through fen_parse_msg.
 *
 * Input layout: byte 0 = stream (mod 6), byte 1 = max_body choice and chunk
 * seed, the rest = the bytes the peer sends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fenestra/msgio.h"
#include "fenestra/validate.h"
#include "../protocol/src/channel_local.h"

static void check_message(enum fen_stream stream, uint32_t max_body, const uint8_t *msg, size_t len)
{
    struct fen_hdr hdr;
    struct fen_error err;
    if (len < sizeof hdr || ((uintptr_t)msg & 3u) != 0) /* parse wants alignment */
        abort();
    memcpy(&hdr, msg, sizeof hdr);
    if (len != sizeof hdr + (size_t)hdr.length)
        abort();
    if (fen_check_header(stream, &hdr, max_body, &err) != FEN_OK)
        abort();
    static struct fen_msg out;
    (void)fen_parse_msg(stream, msg, len, max_body, &out, &err);
}

/* Read until the reader wants more bytes; false once it is finished
 * (EOF or ERROR). */
static int drain(struct fen_reader *r, struct fen_chan *ch, enum fen_stream stream,
                 uint32_t max_body)
{
    for (int i = 0; i < 100000; i++) {
        const uint8_t *msg;
        size_t len;
        struct fen_error err;
        switch (fen_reader_next(r, ch, &msg, &len, &err)) {
        case FEN_READ_MSG:
            check_message(stream, max_body, msg, len);
            break;
        case FEN_READ_AGAIN:
            return 1;
        case FEN_READ_EOF:
        case FEN_READ_ERROR:
            return 0;
        }
    }
    abort(); /* a reader that never says AGAIN would starve an event loop */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    enum fen_stream stream = (enum fen_stream)(data[0] % 6);
    uint32_t max_body = (data[1] & 1) ? 1024 : 0;
    uint32_t seed = data[1] | 0x100u;
    data += 2;
    size -= 2;

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 0;
    struct fen_chan *rx = fen_chan_local_from_fd(sv[0]);
    struct fen_reader *r = fen_reader_create(stream, max_body);
    int alive = rx && r;
    size_t off = 0;
    while (alive && off < size) {
        seed = seed * 1103515245u + 12345u;
        size_t chunk = 1 + ((seed >> 16) % 37);
        if ((seed >> 8) % 8 == 0)
            chunk = 1 + (seed >> 4) % 4096;
        if (chunk > size - off)
            chunk = size - off;
        ssize_t w = write(sv[1], data + off, chunk);
        if (w <= 0)
            break;
        off += (size_t)w;
        alive = drain(r, rx, stream, max_body);
    }
    close(sv[1]);
    /* After the sender is gone the reader must finish, not spin. */
    for (int i = 0; alive && i < 1000; i++)
        alive = drain(r, rx, stream, max_body);
    if (alive)
        abort();
    fen_reader_destroy(r);
    fen_chan_close(rx);
    return 0;
}
