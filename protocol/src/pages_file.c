/* File page pool for "tcp:PORTBASE:POOLPATH" specs (see pages_file.h).
 *
 * Guest side (Linux and Windows): map the whole pool file read-write and hand
 * out runs of pages with a first-fit allocator.  dom0 side (Linux only):
 * open the pool path from dom0's own spec, insist on a sealed file of the
 * announced size, and map runs of refs read-only.
 */
#include "pages_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channel_tcp.h"
#include "fenestra/channel.h"
#include "fenestra/proto.h"
#include "pages_impl.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#endif

/* ---- guest side ------------------------------------------------------------- */

struct file_pool {
    struct fen_pool base;
    uint8_t *mem;  /* whole pool, read-write */
    uint8_t *used; /* one byte per page */
#ifdef _WIN32
    HANDLE file, section;
#endif
};

static const struct fen_pool_ops file_pool_ops;

static struct file_pool *file_pool_of(struct fen_pool *pool)
{
    return (struct file_pool *)pool;
}

/* Open and map `path`; sets fp->mem and returns the file's size in pages. */
static int64_t map_pool_file(struct file_pool *fp, const char *path)
{
#ifdef _WIN32
    fp->file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (fp->file == INVALID_HANDLE_VALUE) {
        fp->file = NULL;
        errno = ENOENT;
        return -1;
    }
    LARGE_INTEGER size;
    if (!GetFileSizeEx(fp->file, &size) || size.QuadPart <= 0 ||
        size.QuadPart % FEN_PAGE_SIZE != 0 ||
        size.QuadPart / FEN_PAGE_SIZE > (int64_t)FEN_MAX_POOL_PAGES) {
        errno = EINVAL;
        return -1;
    }
    /* Size 0,0: exactly the file (a larger mapping would try to grow it). */
    fp->section = CreateFileMappingA(fp->file, NULL, PAGE_READWRITE, 0, 0, NULL);
    if (!fp->section) {
        errno = ENOMEM;
        return -1;
    }
    fp->mem = MapViewOfFile(fp->section, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    if (!fp->mem) {
        errno = ENOMEM;
        return -1;
    }
    return size.QuadPart / FEN_PAGE_SIZE;
#else
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % FEN_PAGE_SIZE != 0 ||
        st.st_size / FEN_PAGE_SIZE > (off_t)FEN_MAX_POOL_PAGES) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    void *mem = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int e = errno;
    close(fd);
    if (mem == MAP_FAILED) {
        errno = e;
        return -1;
    }
    fp->mem = mem;
    return st.st_size / FEN_PAGE_SIZE;
#endif
}

static void unmap_pool_file(struct file_pool *fp, size_t file_pages)
{
#ifdef _WIN32
    if (fp->mem)
        UnmapViewOfFile(fp->mem);
    if (fp->section)
        CloseHandle(fp->section);
    if (fp->file)
        CloseHandle(fp->file);
#else
    if (fp->mem)
        munmap(fp->mem, file_pages * FEN_PAGE_SIZE);
#endif
}

struct fen_pool *fen_pool_file_create(const char *rest, size_t max_pages)
{
    const char *path = NULL;
    if (fen_tcp_spec_parse(rest, NULL, &path) < 0 || !path || max_pages == 0) {
        errno = EINVAL;
        return NULL;
    }
    struct file_pool *fp = calloc(1, sizeof *fp);
    if (!fp)
        return NULL;
    fp->base.ops = &file_pool_ops;
    fp->base.id = 0;
    int64_t pages = map_pool_file(fp, path);
    if (pages <= 0)
        goto fail;
    /* dom0 checks the announced size against the file: announce all of it,
     * hand out at most max_pages. */
    fp->base.npages = (size_t)pages;
    fp->used = calloc((size_t)pages, 1);
    if (!fp->used)
        goto fail;
    if ((size_t)pages > max_pages)
        memset(fp->used + max_pages, 1, (size_t)pages - max_pages);
    return &fp->base;
fail:;
    int e = errno;
    unmap_pool_file(fp, pages > 0 ? (size_t)pages : 0);
    free(fp->used);
    free(fp);
    errno = e;
    return NULL;
}

static int file_pool_fd(const struct fen_pool *pool)
{
    return -1; /* nothing to pass: dom0 opens its own path */
}

static void short_sleep(void)
{
#ifdef _WIN32
    Sleep(1);
#else
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
#endif
}

static int file_pool_announce(struct fen_pool *pool, struct fen_chan *ch)
{
    struct {
        struct fen_hdr hdr;
        struct fen_msg_pool body;
    } msg = {
        .hdr = {.type = FEN_MSG_POOL, .window = 0, .length = sizeof(struct fen_msg_pool)},
        .body = {.npages = (uint32_t)pool->npages, .pool_id = pool->id},
    };
    /* 20 bytes on a freshly opened channel: the socket buffer takes them at
     * once; retry briefly on a transient zero-length write. */
    size_t done = 0;
    for (int tries = 0; done < sizeof msg && tries < 1000; tries++) {
        ssize_t w = fen_chan_write(ch, (const uint8_t *)&msg + done, sizeof msg - done);
        if (w < 0)
            return -1;
        if (w == 0)
            short_sleep();
        done += (size_t)w;
    }
    if (done < sizeof msg) {
        errno = EAGAIN;
        return -1;
    }
    return 0;
}

static struct fen_share *file_pool_share(struct fen_pool *pool, size_t npages)
{
    struct file_pool *fp = file_pool_of(pool);
    size_t run = 0;
    for (size_t i = 0; i < pool->npages; i++) {
        run = fp->used[i] ? 0 : run + 1;
        if (run < npages)
            continue;
        size_t first = i + 1 - npages;
        struct fen_share *s = calloc(1, sizeof *s);
        uint32_t *refs = calloc(npages, sizeof *refs);
        if (!s || !refs) {
            free(s);
            free(refs);
            errno = ENOMEM;
            return NULL;
        }
        for (size_t k = 0; k < npages; k++) {
            refs[k] = (uint32_t)(first + k);
            fp->used[first + k] = 1;
        }
        s->ptr = fp->mem + first * FEN_PAGE_SIZE;
        s->npages = npages;
        s->refs = refs;
        memset(s->ptr, 0, npages * FEN_PAGE_SIZE);
        return s;
    }
    errno = ENOMEM;
    return NULL;
}

static void file_pool_unshare(struct fen_pool *pool, struct fen_share *share)
{
    struct file_pool *fp = file_pool_of(pool);
    for (size_t k = 0; k < share->npages; k++)
        if (share->refs[k] < pool->npages)
            fp->used[share->refs[k]] = 0;
    free(share->refs);
    free(share);
}

static void file_pool_destroy(struct fen_pool *pool)
{
    struct file_pool *fp = file_pool_of(pool);
    unmap_pool_file(fp, pool->npages);
    free(fp->used);
    free(fp);
}

static const struct fen_pool_ops file_pool_ops = {
    .fd = file_pool_fd,
    .announce = file_pool_announce,
    .share = file_pool_share,
    .unshare = file_pool_unshare,
    .destroy = file_pool_destroy,
};

/* ---- dom0 side ------------------------------------------------------------------ */
#ifdef _WIN32

struct fen_mapper *fen_mapper_file_create(const char *rest)
{
    errno = ENOTSUP; /* dom0 is Linux */
    return NULL;
}

#else

struct file_mapper {
    struct fen_mapper base;
    char *path; /* from dom0's own spec */
    int fd;     /* the opened pool, -1 until FEN_MSG_POOL */
    uint32_t npages;
};

struct file_mapping {
    struct fen_mapping pub;
    void *base; /* what to munmap */
    size_t len;
};

static const struct fen_mapper_ops file_mapper_ops;

static struct file_mapper *file_mapper_of(struct fen_mapper *m)
{
    return (struct file_mapper *)m;
}

struct fen_mapper *fen_mapper_file_create(const char *rest)
{
    const char *path = NULL;
    if (fen_tcp_spec_parse(rest, NULL, &path) < 0 || !path || path[0] != '/') {
        errno = EINVAL;
        return NULL;
    }
    struct file_mapper *fm = calloc(1, sizeof *fm);
    if (!fm)
        return NULL;
    fm->path = strdup(path);
    if (!fm->path) {
        free(fm);
        return NULL;
    }
    fm->base.ops = &file_mapper_ops;
    fm->fd = -1;
    return &fm->base;
}

static enum fen_err file_mapper_set_pool(struct fen_mapper *m, uint32_t pool_id, int fd,
                                         uint32_t npages, struct fen_error *err)
{
    struct file_mapper *fm = file_mapper_of(m);
    if (fd >= 0)
        close(fd); /* nothing may come with the message on this backend */
    if (pool_id != 0)
        return fen_fail(err, FEN_E_RANGE, "POOL: pool %u on a file pool (only 0)", pool_id);
    if (npages == 0 || npages > FEN_MAX_POOL_PAGES)
        return fen_fail(err, FEN_E_RANGE, "POOL: %u pages outside 1..%u", npages,
                              (unsigned)FEN_MAX_POOL_PAGES);
    /* O_NONBLOCK: should the path ever name a FIFO, open must not hang dom0
     * (the checks below then refuse it). */
    int nfd = open(fm->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (nfd < 0)
        return fen_fail(err, FEN_E_STATE, "POOL: cannot open the configured pool: %s",
                              strerror(errno));
    struct stat st;
    int seals = fcntl(nfd, F_GET_SEALS);
    const int need = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
    enum fen_err code = FEN_OK;
    if (seals < 0 || (seals & need) != need)
        code = fen_fail(err, FEN_E_STATE,
                              "POOL: configured pool is not sealed against resizing");
    else if (fstat(nfd, &st) < 0 || !S_ISREG(st.st_mode) ||
             st.st_size != (off_t)npages * FEN_PAGE_SIZE)
        code = fen_fail(err, FEN_E_RANGE,
                              "POOL: %u pages announced but the configured pool differs", npages);
    if (code != FEN_OK) {
        close(nfd);
        return code;
    }
    if (fm->fd >= 0)
        close(fm->fd); /* existing mappings keep their own reference */
    fm->fd = nfd;
    fm->npages = npages;
    return FEN_OK;
}

static struct fen_mapping *file_mapper_map(struct fen_mapper *m, uint32_t pool_id,
                                           const uint32_t *refs, size_t n, struct fen_error *err)
{
    struct file_mapper *fm = file_mapper_of(m);
    if (pool_id != 0 || fm->fd < 0) {
        fen_fail(err, FEN_E_STATE, "map: pool %u not announced", pool_id);
        errno = EINVAL;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (refs[i] >= fm->npages) {
            fen_fail(err, FEN_E_RANGE, "map: ref %u outside pool of %u pages", refs[i],
                           fm->npages);
            errno = EINVAL;
            return NULL;
        }
    }
    struct file_mapping *fmap = calloc(1, sizeof *fmap);
    if (!fmap)
        return NULL;
    fmap->len = n * FEN_PAGE_SIZE;
    /* Reserve the range, then map each run of consecutive refs over it. */
    void *base = mmap(NULL, fmap->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        fen_fail(err, FEN_E_STATE, "map: no address space for %zu pages", n);
        free(fmap);
        return NULL;
    }
    size_t runs = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && refs[j] == refs[j - 1] + 1)
            j++;
        void *at = mmap((uint8_t *)base + i * FEN_PAGE_SIZE, (j - i) * FEN_PAGE_SIZE, PROT_READ,
                        MAP_SHARED | MAP_FIXED, fm->fd, (off_t)refs[i] * FEN_PAGE_SIZE);
        if (at == MAP_FAILED) {
            fen_fail(err, FEN_E_STATE, "map: mmap of the pool failed: %s", strerror(errno));
            munmap(base, fmap->len);
            free(fmap);
            return NULL;
        }
        runs++;
        i = j;
    }
    fmap->base = base;
    fmap->pub.ptr = base;
    fmap->pub.npages = n;
    fmap->pub.pool_fd = runs == 1 ? fm->fd : -1;
    fmap->pub.pool_offset = runs == 1 ? (off_t)refs[0] * FEN_PAGE_SIZE : 0;
    return &fmap->pub;
}

static void file_mapper_unmap(struct fen_mapper *m, struct fen_mapping *map)
{
    struct file_mapping *fmap = (struct file_mapping *)map;
    munmap(fmap->base, fmap->len);
    free(fmap);
}

static void file_mapper_destroy(struct fen_mapper *m)
{
    struct file_mapper *fm = file_mapper_of(m);
    if (fm->fd >= 0)
        close(fm->fd);
    free(fm->path);
    free(fm);
}

static const struct fen_mapper_ops file_mapper_ops = {
    .set_pool = file_mapper_set_pool,
    .map = file_mapper_map,
    .unmap = file_mapper_unmap,
    .destroy = file_mapper_destroy,
};

#endif
