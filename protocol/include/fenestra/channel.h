/* Channels: libvchan-shaped byte streams between a guest and dom0.
 *
 * A channel is named by a spec string and a port:
 *   "local:DIR"  UNIX stream socket DIR/vchan-PORT.sock (testing and running
 *                without a hypervisor); fds can ride along (SCM_RIGHTS)
 *   "xen:DOMID"  Debian's libxenvchan to/from domain DOMID
 *   "tcp:PORTBASE[:POOLPATH]"  127.0.0.1 only, for guests that have no
 *                UNIX sockets (the Windows agent under Wine); no fd passing,
 *                the page pool is a sealed file dom0 names (docs/windows-agent.md)
 * The guest side is the server (it creates the channel and waits), dom0 the
 * client.  Either may start first: a client init fails cleanly (NULL) when
 * the server is not there yet, and the caller retries.
 *
 * All I/O is non-blocking: read/write move what they can and return at once.
 * Event loops poll fen_chan_fd() for POLLIN, then call fen_chan_wait() (which
 * then does not block) to consume the event, then read/write.
 */
#ifndef FENESTRA_CHANNEL_H
#define FENESTRA_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fen_chan;

enum fen_chan_state {
    FEN_CHAN_CLOSED = 0,  /* peer gone (or never came, after close) */
    FEN_CHAN_OPEN = 1,    /* connected */
    FEN_CHAN_WAITING = 2, /* server: no client connected yet */
};

/* Server (guest side): create the channel and return at once; the state is
 * FEN_CHAN_WAITING until a client connects (noticed in fen_chan_wait).
 * read_min/write_min: buffer sizes wanted (a hint for the local backend).
 * Returns NULL with errno set on failure (bad spec, socket errors, no Xen). */
struct fen_chan *fen_chan_server_init(const char *spec, int port, size_t read_min,
                                      size_t write_min) __attribute__((warn_unused_result));

/* Client (dom0 side): connect to an existing server; NULL with errno set
 * when it is not there (ENOENT/ECONNREFUSED: try again later). */
struct fen_chan *fen_chan_client_init(const char *spec, int port) __attribute__((warn_unused_result));

/* Non-blocking read of up to n bytes: returns bytes read (0 = nothing now),
 * or -1 when the channel is closed or failed. */
ssize_t fen_chan_read(struct fen_chan *ch, void *buf, size_t n) __attribute__((warn_unused_result));

/* Non-blocking write of up to n bytes: returns bytes accepted (possibly
 * fewer than n, possibly 0), or -1 when closed/failed. */
ssize_t fen_chan_write(struct fen_chan *ch, const void *buf, size_t n)
    __attribute__((warn_unused_result));

/* Like fen_chan_write, but attach `fd` (local backend only) to the first byte
 * sent.  Returns -1 with errno=ENOTSUP on backends without fd passing.  If it
 * returns a short count > 0 the fd went with those bytes. */
ssize_t fen_chan_write_with_fd(struct fen_chan *ch, const void *buf, size_t n, int fd)
    __attribute__((warn_unused_result));

/* Pop the oldest fd received with data (local backend), or -1 if none.  The
 * caller owns the fd.  Fds arrive in the order of the bytes they came with. */
int fen_chan_take_fd(struct fen_chan *ch);

/* Consume pending events; block until one arrives if `block`.  Returns 0, or
 * -1 if the channel closed.  For a waiting server this accepts the client. */
int fen_chan_wait(struct fen_chan *ch, bool block);

/* Bytes readable now without blocking / writable now without blocking. */
size_t fen_chan_data_ready(struct fen_chan *ch);
size_t fen_chan_buffer_space(struct fen_chan *ch);

/* The fd to poll for POLLIN (data, connection, close).  Stable for the
 * channel's life except that a waiting server's fd changes when a client is
 * accepted: re-read it after fen_chan_wait. */
int fen_chan_fd(const struct fen_chan *ch);

enum fen_chan_state fen_chan_is_open(const struct fen_chan *ch);

/* Close and free; accepts NULL. */
void fen_chan_close(struct fen_chan *ch);

/* "local", "xen" or "tcp"; NULL for a malformed spec.  The remainder
 * (DIR / DOMID / PORTBASE[:POOLPATH]) goes to *rest. */
const char *fen_spec_backend(const char *spec, const char **rest);

#endif
