/* Private: what a channel backend provides.  Every backend's channel struct
 * starts with `struct fen_chan` so channel.c can dispatch through `ops`. */
#ifndef FENESTRA_CHANNEL_IMPL_H
#define FENESTRA_CHANNEL_IMPL_H

#include "fenestra/channel.h"
#include "fenestra/domid.h"

struct fen_chan_ops {
    ssize_t (*read)(struct fen_chan *ch, void *buf, size_t n);
    /* fd < 0: plain write */
    ssize_t (*write)(struct fen_chan *ch, const void *buf, size_t n, int fd);
    int (*take_fd)(struct fen_chan *ch);
    int (*wait)(struct fen_chan *ch, bool block);
    size_t (*data_ready)(struct fen_chan *ch);
    size_t (*buffer_space)(struct fen_chan *ch);
    int (*fd)(const struct fen_chan *ch);
    enum fen_chan_state (*is_open)(const struct fen_chan *ch);
    void (*close)(struct fen_chan *ch);
};

struct fen_chan {
    const struct fen_chan_ops *ops;
};

/* Backends.  `rest` is the spec after "local:" / "xen:". */
struct fen_chan *fen_chan_local_server(const char *dir, int port, size_t read_min,
                                       size_t write_min);
struct fen_chan *fen_chan_local_client(const char *dir, int port);
struct fen_chan *fen_chan_xen_server(int domid, int port, size_t read_min, size_t write_min);
struct fen_chan *fen_chan_xen_client(int domid, int port);


#endif
