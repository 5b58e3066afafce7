/* Checking a MULTIPLE request's ATOM_PAIR property (pure: no I/O, no globals).
 *
 * A requestor asking the selection owner for target MULTIPLE puts a list of
 * (target, property) atom pairs on its own window (ICCCM 2.6.2).  The clip
 * agent reads that property back from the X server; every byte of it was
 * written by a guest application, so its shape is checked here before the
 * agent looks at a single pair. */
#ifndef CLIPBOARD_ATOM_PAIRS_H
#define CLIPBOARD_ATOM_PAIRS_H

#include <stddef.h>
#include <stdint.h>

/* At most this many conversions per MULTIPLE request; a longer list is refused. */
#define CLIP_MULTIPLE_MAX_PAIRS 32u

/* The GetProperty reply's fields, as the server sent them. */
struct clip_prop_reply {
    uint32_t type;        /* property type atom (None: no such property) */
    uint8_t format;       /* 0, 8, 16 or 32 */
    uint32_t value_len;   /* items of `format` bits */
    uint32_t bytes_after; /* bytes left beyond what was asked for */
    size_t data_bytes;    /* bytes of value actually present in the reply */
};

/* Number of pairs (1..CLIP_MULTIPLE_MAX_PAIRS), or -1 with *reason set.
 * atom_pair: the display's ATOM_PAIR atom; type ATOM is accepted as well
 * (older toolkits wrote it). */
int clip_atom_pairs_check(const struct clip_prop_reply *r, uint32_t atom_pair, const char **reason)
    __attribute__((warn_unused_result));

#endif
