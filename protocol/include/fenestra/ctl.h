/* dom0 control sockets: how guictl and dom0 daemons talk to each other.
 * Trusted, local, one request per connection: the client sends one line
 * (at most FEN_CTL_MAX_LINE bytes, '\n'-terminated), optionally followed by
 * a binary payload whose length the line announces; the server answers with
 * text (and/or payload) and closes.  Replies start with "ok" or "error: ".
 *
 * Sockets live in the runtime dir: $XDG_RUNTIME_DIR/fenestra (or
 * /tmp/fenestra-UID when XDG_RUNTIME_DIR is unset), created mode 0700:
 *   clipd.sock            the global clipboard (clipd)
 *   guid-QUBE.sock        one per guid
 *   audiod-QUBE.sock      one per audiod
 */
#ifndef FENESTRA_CTL_H
#define FENESTRA_CTL_H

#include <stddef.h>
#include <sys/types.h>

#define FEN_CTL_MAX_LINE 4096

/* Write the runtime dir into buf (creating it 0700).  0 or -1 (errno). */
int fen_runtime_dir(char *buf, size_t size) __attribute__((warn_unused_result));

/* buf = runtime dir + "/" + name.  0 or -1. */
int fen_ctl_path(char *buf, size_t size, const char *name) __attribute__((warn_unused_result));

/* Server: listening socket at path (a stale socket is replaced; a live one
 * makes it fail with EADDRINUSE), mode 0600, non-blocking, close-on-exec. */
int fen_ctl_listen(const char *path) __attribute__((warn_unused_result));

/* Server: accept one pending client (non-blocking listen fd); the returned fd
 * is blocking with a receive/send timeout of timeout_ms.  -1 when none. */
int fen_ctl_accept(int listen_fd, int timeout_ms);

/* Read one '\n'-terminated line (terminator stripped, NUL-terminated) from a
 * connection, byte-exact so a binary payload can follow.  Length or -1. */
ssize_t fen_ctl_read_line(int fd, char *buf, size_t size);

/* Read/write exactly n bytes (blocking fds with timeouts).  0 or -1. */
int fen_ctl_read_full(int fd, void *buf, size_t n) __attribute__((warn_unused_result));
int fen_ctl_write_full(int fd, const void *buf, size_t n) __attribute__((warn_unused_result));

/* Client: connect to path (blocking, with timeouts of timeout_ms), or -1. */
int fen_ctl_connect(const char *path, int timeout_ms);

/* Client convenience: send `request` (a line without '\n'), read the whole
 * text reply (until EOF, at most reply_size-1 bytes, NUL-terminated).
 * Returns 0 when the reply starts with "ok", 1 when it starts with "error",
 * -1 on connection failure (errno). */
int fen_ctl_request(const char *path, const char *request, char *reply, size_t reply_size,
                    int timeout_ms);

#endif
