/* Shared pages: grant-shaped memory sharing for window pixels.
 *
 * Guest side: a pool the guest shares pages from (fen_pool_*); each share is
 * a virtually contiguous, writable run of pages with one ref per page.
 * dom0 side: a mapper that maps a list of refs from one peer into one
 * contiguous READ-ONLY mapping (fen_mapper_*), validating every ref.
 *
 * Backends, chosen by the channel spec:
 *   local: the pool is one sealed memfd (F_SEAL_SHRINK|GROW|SEAL) that the
 *          guest hands to dom0 over the gui channel (FEN_MSG_POOL + SCM_RIGHTS);
 *          refs are page indices into it.  dom0 checks the seals and size,
 *          rejects refs outside the pool, and maps each run of consecutive
 *          refs with one mmap.  Sealing is what keeps a guest from shrinking
 *          the file under dom0 (which would SIGBUS dom0 and its X server).
 *   xen:   xengntshr (guest) / xengnttab (dom0); refs are grant references.
 */
#ifndef FENESTRA_PAGES_H
#define FENESTRA_PAGES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fenestra/validate.h"

struct fen_chan;
struct fen_pool;
struct fen_mapper;

/* ---- guest side --------------------------------------------------------- */

/* A shared run of pages.  `ptr` is writable and contiguous, npages*4096 bytes;
 * refs[i] names page i.  Owned by the pool: release with fen_pool_unshare. */
struct fen_share {
    void *ptr;
    size_t npages;
    uint32_t *refs;
};

/* Create a pool for the peer named by `spec` (local:DIR or xen:DOMID) of at
 * most max_pages pages (local: the memfd size; pages cost memory only when
 * touched).  NULL with errno on failure. */
struct fen_pool *fen_pool_create(const char *spec, size_t max_pages)
    __attribute__((warn_unused_result));

/* Local backend: wrap a sealed memfd someone else created (the Xorg driver's
 * pixmap pool) as pool `pool_id`; takes ownership of fd.  Pages of such a
 * pool are allocated by its creator, so fen_pool_share is not used on it;
 * the agent only announces it and sends refs the creator reports. */
struct fen_pool *fen_pool_adopt_fd(int fd, size_t npages, uint32_t pool_id)
    __attribute__((warn_unused_result));

/* Local backend: the pool's memfd (owned by the pool), its size in pages, id
 * (fen_pool_create makes pool 0). */
int fen_pool_fd(const struct fen_pool *pool);
size_t fen_pool_npages(const struct fen_pool *pool);
uint32_t fen_pool_id(const struct fen_pool *pool);

/* Tell dom0 about the pool on a freshly opened gui channel: local sends
 * FEN_MSG_POOL with the memfd attached; xen sends nothing.  0 or -1. */
int fen_pool_announce(struct fen_pool *pool, struct fen_chan *ch) __attribute__((warn_unused_result));

/* Share npages pages (zero-filled).  NULL with errno=ENOMEM when the pool has
 * no room. */
struct fen_share *fen_pool_share(struct fen_pool *pool, size_t npages)
    __attribute__((warn_unused_result));

/* Stop sharing and free the pages (local: punches them out of the memfd).
 * Accepts NULL.  Only call once dom0 no longer maps them (after DUMP_ACK of
 * a newer dump, or after the window is destroyed). */
void fen_pool_unshare(struct fen_pool *pool, struct fen_share *share);

void fen_pool_destroy(struct fen_pool *pool); /* accepts NULL */

/* ---- dom0 side ---------------------------------------------------------- */

struct fen_mapper *fen_mapper_create(const char *spec) __attribute__((warn_unused_result));

/* Local backend: adopt the pool fd received with FEN_MSG_POOL (the mapper
 * takes ownership of fd, also on failure).  Fails with a reason when the fd
 * is not a sealed memfd of exactly npages pages or pool_id >= FEN_MAX_POOLS.
 * Replaces any previous pool with that id (existing mappings stay valid). */
enum fen_err fen_mapper_set_pool(struct fen_mapper *m, uint32_t pool_id, int fd, uint32_t npages,
                                 struct fen_error *err) __attribute__((warn_unused_result));

struct fen_mapping {
    const void *ptr; /* read-only, contiguous, npages*4096 bytes */
    size_t npages;
    /* When the whole mapping is one run of the local pool: the pool fd and
     * byte offset (so dom0 can hand the pool to its X server with
     * xcb_shm_attach_fd once and put images from it); else fd = -1. */
    int pool_fd;
    off_t pool_offset;
};

/* Map `n` refs (1..FEN_MAX_REFS_PER_WINDOW) of pool `pool_id` (xen: 0) into
 * one read-only mapping.  NULL with a reason in err on an unknown pool, a bad
 * ref, or failure. */
struct fen_mapping *fen_mapper_map(struct fen_mapper *m, uint32_t pool_id, const uint32_t *refs,
                                   size_t n, struct fen_error *err)
    __attribute__((warn_unused_result));
void fen_mapping_unmap(struct fen_mapper *m, struct fen_mapping *map); /* accepts NULL */

void fen_mapper_destroy(struct fen_mapper *m); /* accepts NULL */

#endif
