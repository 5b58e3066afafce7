/* Message I/O: a non-blocking message reader and a bounded writer.
 *
 * Reader: bytes are read into one buffer (at most READ_CHUNK per call, so a
 * busy peer cannot starve the caller's loop).  A header is checked with
 * fen_check_header as soon as its 12 bytes are there, before the buffer is
 * grown for its body; the buffer then grows only as body bytes actually
 * arrive, so memory follows what the peer really sent, never what it claims.
 *
 * Writer: one contiguous queue of at most cap_bytes; fds waiting to ride
 * along are dup'ed and remembered with the stream position of the first byte
 * of their message, and sent with exactly that byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "fenestra/msgio.h"
#include "msgio_internal.h"

#define READ_CHUNK (64u * 1024u)
/* After a large message, give memory back once the buffer is empty. */
#define READ_KEEP (256u * 1024u)

/* Wipe mode (fen_reader_set_wipe / fen_writer_set_wipe): clipboard text
 * must not linger in dom0's memory after it has been passed on, so every
 * byte is zeroed once consumed or sent, before a buffer is moved, grown or
 * freed.  Off for the gui and audio streams (nothing secret, hot path). */
static void *buf_resize(void *old, size_t old_size, size_t new_size, bool wipe)
{
    if (!wipe)
        return realloc(old, new_size);
    /* zeroed, so the buffer holds nothing but what this stream put there */
    void *nb = calloc(1, new_size);
    if (!nb)
        return NULL;
    if (old) {
        memcpy(nb, old, old_size < new_size ? old_size : new_size);
        explicit_bzero(old, old_size);
        free(old);
    }
    return nb;
}

static void buf_free(void *p, size_t size, bool wipe)
{
    if (p && wipe)
        explicit_bzero(p, size);
    free(p);
}

struct fen_reader {
    enum fen_stream stream;
    uint32_t max_body;
    uint8_t *buf;
    size_t cap;
    size_t start, end; /* unconsumed bytes are buf[start..end) */
    size_t consume;    /* length of the message returned last time */
    uint8_t *scratch;  /* aligned copy of a message that starts unaligned */
    size_t scratch_cap;
    bool failed; /* a bad header was seen: stays failed until reset */
    bool wipe;
    struct fen_error fail_err;
};

void fen_reader_set_wipe(struct fen_reader *r, bool wipe)
{
    r->wipe = wipe;
}

void fen_reader_raw(const struct fen_reader *r, const uint8_t **buf, size_t *cap,
                    const uint8_t **scratch, size_t *scratch_cap)
{
    *buf = r->buf;
    *cap = r->cap;
    *scratch = r->scratch;
    *scratch_cap = r->scratch_cap;
}

struct fen_reader *fen_reader_create(enum fen_stream stream, uint32_t max_body)
{
    struct fen_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->stream = stream;
    r->max_body = max_body;
    return r;
}

void fen_reader_destroy(struct fen_reader *r)
{
    if (!r)
        return;
    buf_free(r->buf, r->cap, r->wipe);
    buf_free(r->scratch, r->scratch_cap, r->wipe);
    free(r);
}

void fen_reader_reset(struct fen_reader *r)
{
    if (r->wipe && r->buf)
        explicit_bzero(r->buf, r->cap);
    r->start = r->end = r->consume = 0;
    r->failed = false;
    buf_free(r->scratch, r->scratch_cap, r->wipe);
    r->scratch = NULL;
    r->scratch_cap = 0;
    if (r->cap > READ_KEEP) {
        free(r->buf); /* already wiped above */
        r->buf = NULL;
        r->cap = 0;
    }
}

static void eof_err(struct fen_error *err, size_t have, size_t need)
{
    if (!err)
        return;
    if (have == 0) {
        err->code = FEN_OK;
        snprintf(err->reason, sizeof err->reason, "peer closed the channel");
    } else if (need == 0) {
        err->code = FEN_E_TRUNCATED;
        snprintf(err->reason, sizeof err->reason, "peer closed mid-header (%zu of 12 bytes)", have);
    } else {
        err->code = FEN_E_TRUNCATED;
        snprintf(err->reason, sizeof err->reason, "peer closed mid-message (%zu of %zu bytes)",
                 have, need);
    }
}

/* Bytes of the next message if its header is complete and valid: 0 when the
 * header is incomplete, SIZE_MAX on a bad header (err filled). */
static size_t next_msg_len(struct fen_reader *r, struct fen_error *err)
{
    if (r->end - r->start < sizeof(struct fen_hdr))
        return 0;
    struct fen_hdr hdr;
    memcpy(&hdr, r->buf + r->start, sizeof hdr);
    struct fen_error e = {0};
    if (fen_check_header(r->stream, &hdr, r->max_body, &e) != FEN_OK) {
        r->failed = true;
        r->fail_err = e;
        if (err)
            *err = e;
        return SIZE_MAX;
    }
    return sizeof hdr + (size_t)hdr.length;
}

/* Make room for at least `want` unconsumed bytes: move the unconsumed bytes
 * to the front and grow when needed, doubling but never past the current
 * message's size `limit` (0 = unknown) or READ_CHUNK, whichever is larger. */
static bool make_room(struct fen_reader *r, size_t want, size_t limit)
{
    size_t have = r->end - r->start;
    if (r->start > 0) {
        if (have > 0)
            memmove(r->buf, r->buf + r->start, have);
        if (r->wipe) /* the moved bytes' old copies beyond the new end */
            explicit_bzero(r->buf + have, r->end - have);
        r->start = 0;
        r->end = have;
    }
    if (have == 0 && r->cap > READ_KEEP) {
        buf_free(r->buf, r->cap, r->wipe);
        r->buf = NULL;
        r->cap = 0;
    }
    if (r->cap >= want && r->cap > have)
        return true;
    size_t ncap = r->cap ? r->cap : READ_CHUNK;
    while (ncap < want)
        ncap *= 2;
    if (limit) {
        size_t top = limit > READ_CHUNK ? limit : READ_CHUNK;
        if (ncap > top)
            ncap = top; /* still >= want: want <= limit */
    }
    uint8_t *nb = buf_resize(r->buf, r->cap, ncap, r->wipe);
    if (!nb)
        return false;
    r->buf = nb;
    r->cap = ncap;
    return true;
}

enum fen_read_status fen_reader_next(struct fen_reader *r, struct fen_chan *ch, const uint8_t **msg,
                                     size_t *len, struct fen_error *err)
{
    if (r->failed) {
        if (err)
            *err = r->fail_err;
        return FEN_READ_ERROR;
    }
    if (r->wipe && r->consume) {
        /* the message handed out last time has been used */
        explicit_bzero(r->buf + r->start, r->consume);
        if (r->scratch)
            explicit_bzero(r->scratch, r->scratch_cap);
    }
    r->start += r->consume;
    r->consume = 0;
    if (r->scratch_cap > READ_KEEP) { /* the big message it held is done */
        buf_free(r->scratch, r->scratch_cap, r->wipe);
        r->scratch = NULL;
        r->scratch_cap = 0;
    }

    for (int attempt = 0; attempt < 2; attempt++) {
        size_t need = next_msg_len(r, err);
        if (need == SIZE_MAX)
            return FEN_READ_ERROR;
        size_t have = r->end - r->start;
        if (need > 0 && have >= need) {
            /* Hand messages out 4-byte aligned: fen_parse_msg returns a
             * uint32_t pointer into the buffer (WINDOW_DUMP refs).  Only a
             * body whose length is not a multiple of 4 shifts the next one;
             * such a message is copied to an aligned scratch buffer (cost:
             * its own length, never the whole read-ahead). */
            const uint8_t *at = r->buf + r->start;
            if (((uintptr_t)at & 3u) != 0) {
                if (r->scratch_cap < need) {
                    uint8_t *ns = buf_resize(r->scratch, r->scratch_cap, need, r->wipe);
                    if (!ns) {
                        r->failed = true;
                        r->fail_err.code = FEN_E_LENGTH;
                        snprintf(r->fail_err.reason, sizeof r->fail_err.reason,
                                 "out of memory aligning a %zu-byte message", need);
                        if (err)
                            *err = r->fail_err;
                        return FEN_READ_ERROR;
                    }
                    r->scratch = ns;
                    r->scratch_cap = need;
                }
                memcpy(r->scratch, at, need);
                at = r->scratch;
            }
            *msg = at;
            *len = need;
            r->consume = need;
            return FEN_READ_MSG;
        }
        if (attempt == 1)
            break;
        /* Not whole yet: read once.  Grow toward the message size only as
         * far as the data already here plus one chunk. */
        size_t want = need ? need : sizeof(struct fen_hdr);
        if (want > have + READ_CHUNK)
            want = have + READ_CHUNK;
        if (!make_room(r, want, need)) {
            r->failed = true;
            r->fail_err.code = FEN_E_LENGTH;
            snprintf(r->fail_err.reason, sizeof r->fail_err.reason,
                     "out of memory buffering %zu of %zu bytes", have, need);
            if (err)
                *err = r->fail_err;
            return FEN_READ_ERROR;
        }
        size_t room = r->cap - r->end;
        if (room > READ_CHUNK)
            room = READ_CHUNK;
        ssize_t n = fen_chan_read(ch, r->buf + r->end, room);
        if (n < 0) {
            eof_err(err, have, need);
            return FEN_READ_EOF;
        }
        if (n == 0)
            return FEN_READ_AGAIN;
        r->end += (size_t)n;
    }
    return FEN_READ_AGAIN;
}

/* ---- writer ---------------------------------------------------------- */

#define WRITER_MAX_FDS 64

struct queued_fd {
    uint64_t pos; /* stream position of the byte it rides with */
    int fd;
};

struct fen_writer {
    size_t cap;
    uint8_t *buf;
    size_t alloc;
    size_t start, end;
    uint64_t sent_pos; /* stream position of buf[start] */
    struct queued_fd fds[WRITER_MAX_FDS];
    size_t nfds;
    bool wipe;
};

void fen_writer_set_wipe(struct fen_writer *w, bool wipe)
{
    w->wipe = wipe;
}

void fen_writer_raw(const struct fen_writer *w, const uint8_t **buf, size_t *alloc)
{
    *buf = w->buf;
    *alloc = w->alloc;
}

struct fen_writer *fen_writer_create(size_t cap_bytes)
{
    if (cap_bytes < sizeof(struct fen_hdr)) {
        errno = EINVAL;
        return NULL;
    }
    struct fen_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cap = cap_bytes;
    return w;
}

void fen_writer_reset(struct fen_writer *w)
{
    for (size_t i = 0; i < w->nfds; i++)
        close(w->fds[i].fd);
    w->nfds = 0;
    w->sent_pos += w->end - w->start;
    if (w->wipe && w->buf)
        explicit_bzero(w->buf, w->alloc);
    w->start = w->end = 0;
}

void fen_writer_destroy(struct fen_writer *w)
{
    if (!w)
        return;
    fen_writer_reset(w); /* wipes in wipe mode */
    free(w->buf);
    free(w);
}

size_t fen_writer_pending(const struct fen_writer *w)
{
    return w->end - w->start;
}

static bool writer_room(struct fen_writer *w, size_t total)
{
    size_t pending = w->end - w->start;
    if (w->start > 0) {
        if (pending > 0)
            memmove(w->buf, w->buf + w->start, pending);
        if (w->wipe)
            explicit_bzero(w->buf + pending, w->end - pending);
        w->start = 0;
        w->end = pending;
    }
    if (w->alloc - w->end >= total)
        return true;
    size_t ncap = w->alloc ? w->alloc : 4096;
    while (ncap < pending + total)
        ncap *= 2;
    if (ncap > w->cap)
        ncap = w->cap;
    uint8_t *nb = buf_resize(w->buf, w->alloc, ncap, w->wipe);
    if (!nb)
        return false;
    w->buf = nb;
    w->alloc = ncap;
    return true;
}

int fen_writer_flush(struct fen_writer *w, struct fen_chan *ch)
{
    while (w->start < w->end) {
        size_t n = w->end - w->start;
        int fd = -1;
        if (w->nfds > 0) {
            uint64_t next = w->fds[0].pos;
            if (next == w->sent_pos) {
                fd = w->fds[0].fd;
                /* Stop before the next fd's byte, so it is not sent early. */
                if (w->nfds > 1 && w->fds[1].pos - w->sent_pos < n)
                    n = (size_t)(w->fds[1].pos - w->sent_pos);
            } else if (next - w->sent_pos < n) {
                n = (size_t)(next - w->sent_pos);
            }
        }
        ssize_t r = fd >= 0 ? fen_chan_write_with_fd(ch, w->buf + w->start, n, fd)
                            : fen_chan_write(ch, w->buf + w->start, n);
        if (r < 0) {
            errno = errno == ENOTSUP ? ENOTSUP : EPIPE;
            return -1;
        }
        if (r == 0)
            return 0;
        if (fd >= 0) {
            close(fd);
            w->nfds--;
            memmove(w->fds, w->fds + 1, w->nfds * sizeof w->fds[0]);
        }
        if (w->wipe)
            explicit_bzero(w->buf + w->start, (size_t)r);
        w->start += (size_t)r;
        w->sent_pos += (uint64_t)r;
    }
    w->start = w->end = 0;
    return 0;
}

int fen_writer_send(struct fen_writer *w, struct fen_chan *ch, uint32_t type, uint32_t window,
                    const void *body, uint32_t body_len, int fd)
{
    size_t total = sizeof(struct fen_hdr) + (size_t)body_len;
    size_t pending = w->end - w->start;
    if (total > w->cap || pending > w->cap - total || (fd >= 0 && w->nfds == WRITER_MAX_FDS)) {
        errno = ENOBUFS;
        return -1;
    }
    int dupfd = -1;
    if (fd >= 0) {
        dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (dupfd < 0)
            return -1;
    }
    if (!writer_room(w, total)) {
        if (dupfd >= 0)
            close(dupfd);
        errno = ENOBUFS;
        return -1;
    }
    struct fen_hdr hdr = {.type = type, .window = window, .length = body_len};
    uint64_t pos = w->sent_pos + (w->end - w->start);
    memcpy(w->buf + w->end, &hdr, sizeof hdr);
    if (body_len)
        memcpy(w->buf + w->end + sizeof hdr, body, body_len);
    w->end += total;
    if (dupfd >= 0)
        w->fds[w->nfds++] = (struct queued_fd){.pos = pos, .fd = dupfd};
    return fen_writer_flush(w, ch);
}
