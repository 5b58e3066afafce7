/* Local shared pages: one sealed memfd per pool.
 *
 * Guest side: the pool is a memfd of max_pages pages sealed against
 * shrinking and growing (and further sealing), so dom0 can map it without
 * risking SIGBUS.  A byte map tracks used pages; a share is one contiguous
 * run when there is one (first fit), else several runs mapped side by side
 * into one reserved address range so `ptr` is still contiguous.  Unsharing
 * punches the pages out of the file (memory goes back, and they read as
 * zeros next time).
 *
 * dom0 side: pools arrive as fds; each is checked (sealed memfd, exact
 * size) and reference-counted so mappings outlive a re-announced pool.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fenestra/channel.h"
#include "pages_impl.h"

#define REQUIRED_SEALS (F_SEAL_SHRINK | F_SEAL_GROW)
#define ANNOUNCE_POLL_MS 100
#define ANNOUNCE_POLLS 50 /* 5 s at most for 20 bytes on a fresh channel */

/* ---- guest side: pool ------------------------------------------------ */

struct local_share {
    struct fen_share pub;
    struct local_share *prev, *next;
};

struct local_pool {
    struct fen_pool base;
    int fd;
    uint8_t *used; /* one byte per page; NULL for an adopted pool */
    size_t nfree;
    struct local_share *shares;
};

static const struct fen_pool_ops local_pool_ops;

static struct local_pool *lpool(struct fen_pool *p)
{
    return (struct local_pool *)p;
}

struct fen_pool *fen_pool_local_create(size_t max_pages)
{
    struct local_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base.ops = &local_pool_ops;
    p->base.npages = max_pages;
    p->base.id = 0;
    p->nfree = max_pages;
    p->used = calloc(max_pages, 1);
    p->fd = memfd_create("fenestra-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (!p->used || p->fd < 0 || ftruncate(p->fd, (off_t)(max_pages * FEN_PAGE_SIZE)) < 0 ||
        fcntl(p->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
        int e = errno;
        if (p->fd >= 0)
            close(p->fd);
        free(p->used);
        free(p);
        errno = e;
        return NULL;
    }
    return &p->base;
}

/* Why an fd is not a usable pool of npages pages, or NULL if it is. */
static const char *pool_fd_problem(int fd, uint64_t npages)
{
    struct stat st;
    if (fd < 0)
        return "no pool fd";
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return "pool fd is not a regular file";
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0)
        return "pool fd is not a memfd (no seals)";
    if ((seals & REQUIRED_SEALS) != REQUIRED_SEALS)
        return "pool memfd is not sealed against shrinking and growing";
    if ((uint64_t)st.st_size != npages * FEN_PAGE_SIZE)
        return "pool memfd size does not match its page count";
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) == O_WRONLY)
        return "pool fd is not readable";
    return NULL;
}

struct fen_pool *fen_pool_local_adopt(int fd, size_t npages, uint32_t pool_id)
{
    if (npages == 0 || npages > FEN_MAX_POOL_PAGES || pool_id >= FEN_MAX_POOLS ||
        pool_fd_problem(fd, npages)) {
        if (fd >= 0)
            close(fd);
        errno = EINVAL;
        return NULL;
    }
    struct local_pool *p = calloc(1, sizeof *p);
    if (!p) {
        close(fd);
        return NULL;
    }
    p->base.ops = &local_pool_ops;
    p->base.npages = npages;
    p->base.id = pool_id;
    p->fd = fd;
    return &p->base;
}

static int local_pool_fd(const struct fen_pool *pool)
{
    return ((const struct local_pool *)pool)->fd;
}

static int local_announce(struct fen_pool *pool, struct fen_chan *ch)
{
    struct local_pool *p = lpool(pool);
    if (fen_chan_is_open(ch) != FEN_CHAN_OPEN) {
        errno = ENOTCONN;
        return -1;
    }
    struct {
        struct fen_hdr hdr;
        struct fen_msg_pool body;
    } msg = {
        .hdr = {.type = FEN_MSG_POOL, .window = 0, .length = sizeof(struct fen_msg_pool)},
        .body = {.npages = (uint32_t)pool->npages, .pool_id = pool->id},
    };
    _Static_assert(sizeof msg == 20, "POOL message is 20 bytes");
    const uint8_t *bytes = (const uint8_t *)&msg;
    size_t sent = 0;
    for (int polls = 0; sent < sizeof msg;) {
        ssize_t r = sent == 0 ? fen_chan_write_with_fd(ch, bytes, sizeof msg, p->fd)
                              : fen_chan_write(ch, bytes + sent, sizeof msg - sent);
        if (r < 0)
            return -1;
        sent += (size_t)r;
        if (r > 0)
            continue;
        if (++polls > ANNOUNCE_POLLS) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd pfd = {.fd = fen_chan_fd(ch), .events = POLLOUT};
        if (poll(&pfd, 1, ANNOUNCE_POLL_MS) < 0 && errno != EINTR)
            return -1;
    }
    return 0;
}

/* Choose n free pages: one contiguous run if any (first fit), else the
 * first n free pages.  Fills refs; false when fewer than n are free. */
static bool pick_pages(struct local_pool *p, uint32_t *refs, size_t n)
{
    if (p->nfree < n)
        return false;
    size_t run = 0;
    for (size_t i = 0; i < p->base.npages; i++) {
        run = p->used[i] ? 0 : run + 1;
        if (run == n) {
            for (size_t k = 0; k < n; k++)
                refs[k] = (uint32_t)(i + 1 - n + k);
            return true;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < p->base.npages && k < n; i++)
        if (!p->used[i])
            refs[k++] = (uint32_t)i;
    return k == n;
}

/* Length of the run of consecutive refs starting at refs[i]. */
static size_t run_len(const uint32_t *refs, size_t n, size_t i)
{
    size_t len = 1;
    while (i + len < n && refs[i + len] == refs[i] + len)
        len++;
    return len;
}

/* Reserve n pages of address space, then map each run of refs of `fd` into
 * it with MAP_FIXED.  NULL on failure (nothing left mapped). */
static void *map_runs(int fd, const uint32_t *refs, size_t n, int prot)
{
    size_t bytes = n * FEN_PAGE_SIZE;
    uint8_t *base =
        mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t len = run_len(refs, n, i);
        void *at = mmap(base + i * FEN_PAGE_SIZE, len * FEN_PAGE_SIZE, prot, MAP_SHARED | MAP_FIXED,
                        fd, (off_t)refs[i] * FEN_PAGE_SIZE);
        if (at == MAP_FAILED) {
            int e = errno;
            munmap(base, bytes);
            errno = e;
            return NULL;
        }
        i += len;
    }
    return base;
}

static struct fen_share *local_share(struct fen_pool *pool, size_t npages)
{
    struct local_pool *p = lpool(pool);
    if (!p->used) {
        errno = ENOTSUP; /* adopted pool: its creator allocates */
        return NULL;
    }
    struct local_share *s = calloc(1, sizeof *s);
    uint32_t *refs = calloc(npages, sizeof *refs);
    if (!s || !refs)
        goto fail;
    if (!pick_pages(p, refs, npages)) {
        errno = ENOMEM;
        goto fail;
    }
    void *ptr = map_runs(p->fd, refs, npages, PROT_READ | PROT_WRITE);
    if (!ptr)
        goto fail;
    for (size_t i = 0; i < npages; i++)
        p->used[refs[i]] = 1;
    p->nfree -= npages;
    s->pub = (struct fen_share){.ptr = ptr, .npages = npages, .refs = refs};
    s->next = p->shares;
    if (p->shares)
        p->shares->prev = s;
    p->shares = s;
    return &s->pub;
fail:;
    int e = errno;
    free(refs);
    free(s);
    errno = e;
    return NULL;
}

static void local_unshare(struct fen_pool *pool, struct fen_share *share)
{
    struct local_pool *p = lpool(pool);
    struct local_share *s = (struct local_share *)share;
    uint8_t *ptr = share->ptr;
    for (size_t i = 0; i < share->npages;) {
        size_t len = run_len(share->refs, share->npages, i);
        /* Give the memory back; if punching fails, at least zero it so the
         * next share starts clean. */
        if (fallocate(p->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                      (off_t)share->refs[i] * FEN_PAGE_SIZE, (off_t)(len * FEN_PAGE_SIZE)) < 0)
            memset(ptr + i * FEN_PAGE_SIZE, 0, len * FEN_PAGE_SIZE);
        for (size_t k = 0; k < len; k++)
            p->used[share->refs[i + k]] = 0;
        i += len;
    }
    p->nfree += share->npages;
    munmap(ptr, share->npages * FEN_PAGE_SIZE);
    if (s->prev)
        s->prev->next = s->next;
    else
        p->shares = s->next;
    if (s->next)
        s->next->prev = s->prev;
    free(share->refs);
    free(s);
}

static void local_pool_destroy(struct fen_pool *pool)
{
    struct local_pool *p = lpool(pool);
    while (p->shares)
        local_unshare(pool, &p->shares->pub);
    close(p->fd);
    free(p->used);
    free(p);
}

static const struct fen_pool_ops local_pool_ops = {
    .fd = local_pool_fd,
    .announce = local_announce,
    .share = local_share,
    .unshare = local_unshare,
    .destroy = local_pool_destroy,
};

/* ---- dom0 side: mapper ----------------------------------------------- */

struct pool_ref {
    int fd;
    uint32_t npages;
    unsigned users; /* the mapper's slot + each mapping */
};

struct local_mapper {
    struct fen_mapper base;
    struct pool_ref *pools[FEN_MAX_POOLS];
};

struct local_mapping {
    struct fen_mapping pub;
    struct pool_ref *pool;
};

static const struct fen_mapper_ops local_mapper_ops;

static void pool_ref_put(struct pool_ref *pr)
{
    if (pr && --pr->users == 0) {
        close(pr->fd);
        free(pr);
    }
}

struct fen_mapper *fen_mapper_local_create(void)
{
    struct local_mapper *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->base.ops = &local_mapper_ops;
    return &m->base;
}

static enum fen_err local_set_pool(struct fen_mapper *base, uint32_t pool_id, int fd,
                                   uint32_t npages, struct fen_error *err)
{
    struct local_mapper *m = (struct local_mapper *)base;
    enum fen_err code = FEN_OK;
    if (pool_id >= FEN_MAX_POOLS) {
        code = fen_fail(err, FEN_E_RANGE, "POOL: pool id %u outside 0..%u", pool_id,
                              FEN_MAX_POOLS - 1);
    } else if (npages == 0 || npages > FEN_MAX_POOL_PAGES) {
        code = fen_fail(err, FEN_E_RANGE, "POOL: %u pages outside 1..%u", npages,
                              FEN_MAX_POOL_PAGES);
    } else {
        const char *why = pool_fd_problem(fd, npages);
        if (why)
            code = fen_fail(err, strstr(why, "size") ? FEN_E_LENGTH : FEN_E_STATE,
                                  "POOL %u: %s", pool_id, why);
    }
    struct pool_ref *pr = NULL;
    if (code == FEN_OK) {
        pr = malloc(sizeof *pr);
        if (!pr)
            code = fen_fail(err, FEN_E_STATE, "POOL %u: out of memory", pool_id);
    }
    if (code != FEN_OK) {
        if (fd >= 0)
            close(fd);
        return code;
    }
    *pr = (struct pool_ref){.fd = fd, .npages = npages, .users = 1};
    pool_ref_put(m->pools[pool_id]);
    m->pools[pool_id] = pr;
    return FEN_OK;
}

static struct fen_mapping *local_map(struct fen_mapper *base, uint32_t pool_id,
                                     const uint32_t *refs, size_t n, struct fen_error *err)
{
    struct local_mapper *m = (struct local_mapper *)base;
    struct pool_ref *pr = pool_id < FEN_MAX_POOLS ? m->pools[pool_id] : NULL;
    if (!pr) {
        fen_fail(err, FEN_E_STATE, "map: pool %u was not announced", pool_id);
        errno = ENOENT;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (refs[i] >= pr->npages) {
            fen_fail(err, FEN_E_RANGE, "map: ref[%zu]=%u outside pool %u of %u pages", i,
                           refs[i], pool_id, pr->npages);
            errno = EINVAL;
            return NULL;
        }
    }
    struct local_mapping *lm = calloc(1, sizeof *lm);
    if (!lm) {
        fen_fail(err, FEN_E_STATE, "map: out of memory");
        return NULL;
    }
    void *ptr = map_runs(pr->fd, refs, n, PROT_READ);
    if (!ptr) {
        int e = errno;
        fen_fail(err, FEN_E_STATE, "map: mmap of %zu pages failed: %s", n, strerror(e));
        free(lm);
        errno = e;
        return NULL;
    }
    bool one_run = run_len(refs, n, 0) == n;
    lm->pub = (struct fen_mapping){
        .ptr = ptr,
        .npages = n,
        .pool_fd = one_run ? pr->fd : -1,
        .pool_offset = one_run ? (off_t)refs[0] * FEN_PAGE_SIZE : 0,
    };
    lm->pool = pr;
    pr->users++;
    return &lm->pub;
}

static void local_unmap(struct fen_mapper *base, struct fen_mapping *map)
{
    struct local_mapping *lm = (struct local_mapping *)map;
    munmap((void *)map->ptr, map->npages * FEN_PAGE_SIZE);
    pool_ref_put(lm->pool);
    free(lm);
}

static void local_mapper_destroy(struct fen_mapper *base)
{
    struct local_mapper *m = (struct local_mapper *)base;
    for (size_t i = 0; i < FEN_MAX_POOLS; i++)
        pool_ref_put(m->pools[i]);
    free(m);
}

static const struct fen_mapper_ops local_mapper_ops = {
    .set_pool = local_set_pool,
    .map = local_map,
    .unmap = local_unmap,
    .destroy = local_mapper_destroy,
};
