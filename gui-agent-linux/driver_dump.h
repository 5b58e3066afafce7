/* Pure part of driver mode: the driver's description of a window pixmap
 * (fenext_client.h) -> the WINDOW_DUMP dom0 maps.  No X, no I/O: unit-tested
 * (tests/xorg/test_driver_mode_dump.c). */
#ifndef GUI_AGENT_DRIVER_DUMP_H
#define GUI_AGENT_DRIVER_DUMP_H

#include <stdint.h>

#include "fenestra/proto.h"
#include "xf86-video-fenestra/fenext_client.h"

/* pool_id of the driver's local pool as announced to dom0 (the agent's own
 * copy-mode pool is 0). */
#define DRV_POOL_ID 1u

/* Build the dump of the window's content (the pixmap includes the border)
 * and its refs: local pools (p->grefs NULL) -> FEN_DUMP_LOCAL_POOL, page
 * numbers into the pool of pool_pages pages; Xen pools -> FEN_DUMP_XEN_GRANT,
 * the grant refs of the pages the content spans.  dump->serial is kept, the
 * rest is overwritten.  0 with *refs malloc'd (the caller frees), or -1 when
 * the description is inconsistent (or out of memory). */
int drv_dump_build(const struct fenext_window_pages *p, uint32_t pool_pages,
                   struct fen_msg_window_dump *dump, uint32_t **refs)
    __attribute__((warn_unused_result));

#endif
