/* Private: the shared-page backend of "tcp:PORTBASE:POOLPATH" specs.
 *
 * With the loopback TCP channel no fd can be passed, so the page pool is a
 * file that both sides open by a path each takes from ITS OWN spec (dom0
 * never opens a path a guest sent).  dom0 creates that file as a sealed
 * memfd (F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_SEAL, see `fen-pool-hold`) and
 * names it /proc/PID/fd/N; the guest (Linux, or Windows under Wine as
 * Z:\proc\PID\fd\N) opens and maps it read-write.  The seals stop a guest
 * from truncating the file under dom0's (and its X server's) mappings,
 * which would SIGBUS them; the dom0 mapper refuses a pool without them.
 * Refs are page indices, exactly as in the local backend.
 */
#ifndef FENESTRA_PAGES_FILE_H
#define FENESTRA_PAGES_FILE_H

#include <stddef.h>

#include "fenestra/pages.h"

/* Guest side: `rest` is the spec after "tcp:"; its POOLPATH is opened.  The
 * pool's size is the file's (at most max_pages are used).  Pool id 0. */
struct fen_pool *fen_pool_file_create(const char *rest, size_t max_pages);

/* dom0 side (Linux only): remembers POOLPATH; fen_mapper_set_pool(pool 0,
 * fd ignored and closed) opens it, requires the seals and the announced
 * size, and maps refs from it read-only. */
struct fen_mapper *fen_mapper_file_create(const char *rest);

#endif
