/* Xen domain ids as written in specs ("xen:DOMID" channels, the Xorg
 * driver's PoolBackend): one rule for every place that reads them.
 * Header-only so that the Xorg driver, built apart from libfenestra, uses it
 * too. */
#ifndef FENESTRA_DOMID_H
#define FENESTRA_DOMID_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "12" -> 12 for a Xen domain id: decimal, no sign, no leading junk, below
 * DOMID_FIRST_RESERVED (0x7ff0); -1 when malformed. */
static inline int fen_spec_domid(const char *rest)
{
    if (!rest || *rest < '0' || *rest > '9' || strlen(rest) > 5)
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(rest, &end, 10);
    if (errno || *end != '\0' || v < 0 || v >= 0x7ff0)
        return -1;
    return (int)v;
}

#endif
