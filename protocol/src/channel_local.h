/* Private: build a local channel around an already connected UNIX stream
 * socket (tests and the reader fuzzer use it with a socketpair). */
#ifndef FENESTRA_CHANNEL_LOCAL_H
#define FENESTRA_CHANNEL_LOCAL_H

#include "fenestra/channel.h"

/* Takes ownership of `fd` (also on failure); sets it non-blocking and
 * close-on-exec.  NULL with errno on failure. */
struct fen_chan *fen_chan_local_from_fd(int fd);

/* Cap on fds received but not yet taken; extras are closed on arrival. */
#define FEN_CHAN_LOCAL_MAX_FDS 16

#endif
