/* Windows build: the backends that need Linux (UNIX sockets + memfd, Xen's
 * libraries) do not exist there.  channel.c / pages.c dispatch to them by
 * spec; on Windows those specs fail cleanly with ENOTSUP, and only "tcp:"
 * (channel_tcp.c, pages_file.c) works. */
#include <errno.h>

#include "../../protocol/src/channel_impl.h"
#include "../../protocol/src/pages_impl.h"

struct fen_chan *fen_chan_local_server(const char *dir, int port, size_t read_min, size_t write_min)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_chan *fen_chan_local_client(const char *dir, int port)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_chan *fen_chan_xen_server(int domid, int port, size_t read_min, size_t write_min)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_chan *fen_chan_xen_client(int domid, int port)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_pool *fen_pool_local_create(size_t max_pages)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_pool *fen_pool_local_adopt(int fd, size_t npages, uint32_t pool_id)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_mapper *fen_mapper_local_create(void)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_pool *fen_pool_xen_create(int domid, size_t max_pages)
{
    errno = ENOTSUP;
    return NULL;
}

struct fen_mapper *fen_mapper_xen_create(int domid)
{
    errno = ENOTSUP;
    return NULL;
}
