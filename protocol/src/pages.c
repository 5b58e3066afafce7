/* Shared-page API: dispatch to the local (memfd) / xen (grant) backends. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "channel_impl.h"
#include "pages_impl.h"
#include "pages_file.h"

struct fen_pool *fen_pool_create(const char *spec, size_t max_pages)
{
    const char *rest = NULL;
    const char *backend = fen_spec_backend(spec, &rest);
    if (!backend || max_pages == 0 || max_pages > FEN_MAX_POOL_PAGES) {
        errno = EINVAL;
        return NULL;
    }
    if (strcmp(backend, "local") == 0)
        return fen_pool_local_create(max_pages);
    if (strcmp(backend, "tcp") == 0)
        return fen_pool_file_create(rest, max_pages);
    return fen_pool_xen_create(fen_spec_domid(rest), max_pages);
}

struct fen_pool *fen_pool_adopt_fd(int fd, size_t npages, uint32_t pool_id)
{
    return fen_pool_local_adopt(fd, npages, pool_id);
}

int fen_pool_fd(const struct fen_pool *pool)
{
    return pool->ops->fd(pool);
}

size_t fen_pool_npages(const struct fen_pool *pool)
{
    return pool->npages;
}

uint32_t fen_pool_id(const struct fen_pool *pool)
{
    return pool->id;
}

int fen_pool_announce(struct fen_pool *pool, struct fen_chan *ch)
{
    return pool->ops->announce(pool, ch);
}

struct fen_share *fen_pool_share(struct fen_pool *pool, size_t npages)
{
    if (npages == 0 || npages > pool->npages) {
        errno = npages == 0 ? EINVAL : ENOMEM;
        return NULL;
    }
    return pool->ops->share(pool, npages);
}

void fen_pool_unshare(struct fen_pool *pool, struct fen_share *share)
{
    if (share)
        pool->ops->unshare(pool, share);
}

void fen_pool_destroy(struct fen_pool *pool)
{
    if (pool)
        pool->ops->destroy(pool);
}

struct fen_mapper *fen_mapper_create(const char *spec)
{
    const char *rest = NULL;
    const char *backend = fen_spec_backend(spec, &rest);
    if (!backend) {
        errno = EINVAL;
        return NULL;
    }
    if (strcmp(backend, "local") == 0)
        return fen_mapper_local_create();
    if (strcmp(backend, "tcp") == 0)
        return fen_mapper_file_create(rest);
    return fen_mapper_xen_create(fen_spec_domid(rest));
}

enum fen_err fen_mapper_set_pool(struct fen_mapper *m, uint32_t pool_id, int fd, uint32_t npages,
                                 struct fen_error *err)
{
    return m->ops->set_pool(m, pool_id, fd, npages, err);
}

struct fen_mapping *fen_mapper_map(struct fen_mapper *m, uint32_t pool_id, const uint32_t *refs,
                                   size_t n, struct fen_error *err)
{
    if (!refs || n == 0 || n > FEN_MAX_REFS_PER_WINDOW) {
        fen_fail(err, FEN_E_RANGE, "map: %zu refs outside 1..%u", n,
                       (unsigned)FEN_MAX_REFS_PER_WINDOW);
        errno = EINVAL;
        return NULL;
    }
    return m->ops->map(m, pool_id, refs, n, err);
}

void fen_mapping_unmap(struct fen_mapper *m, struct fen_mapping *map)
{
    if (map)
        m->ops->unmap(m, map);
}

void fen_mapper_destroy(struct fen_mapper *m)
{
    if (m)
        m->ops->destroy(m);
}
