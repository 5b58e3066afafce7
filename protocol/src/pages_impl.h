/* Private: what a shared-page backend provides.  Backend structs start with
 * `struct fen_pool` / `struct fen_mapper` so pages.c can dispatch. */
#ifndef FENESTRA_PAGES_IMPL_H
#define FENESTRA_PAGES_IMPL_H

#include <stdbool.h>

#include "fenestra/pages.h"

struct fen_pool_ops {
    int (*fd)(const struct fen_pool *pool);
    int (*announce)(struct fen_pool *pool, struct fen_chan *ch);
    struct fen_share *(*share)(struct fen_pool *pool, size_t npages);
    void (*unshare)(struct fen_pool *pool, struct fen_share *share);
    void (*destroy)(struct fen_pool *pool);
};

struct fen_pool {
    const struct fen_pool_ops *ops;
    size_t npages;
    uint32_t id;
};

struct fen_mapper_ops {
    enum fen_err (*set_pool)(struct fen_mapper *m, uint32_t pool_id, int fd, uint32_t npages,
                             struct fen_error *err);
    /* n and refs already checked non-empty and within FEN_MAX_REFS_PER_WINDOW */
    struct fen_mapping *(*map)(struct fen_mapper *m, uint32_t pool_id, const uint32_t *refs,
                               size_t n, struct fen_error *err);
    void (*unmap)(struct fen_mapper *m, struct fen_mapping *map);
    void (*destroy)(struct fen_mapper *m);
};

struct fen_mapper {
    const struct fen_mapper_ops *ops;
};

struct fen_pool *fen_pool_local_create(size_t max_pages);
struct fen_pool *fen_pool_local_adopt(int fd, size_t npages, uint32_t pool_id);
struct fen_mapper *fen_mapper_local_create(void);
struct fen_pool *fen_pool_xen_create(int domid, size_t max_pages);
struct fen_mapper *fen_mapper_xen_create(int domid);

/* fen_fail (fill err, may be NULL, and return code) is the validators' own. */
#include "validate_internal.h"

#endif
