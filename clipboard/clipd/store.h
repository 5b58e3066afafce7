/* The global clipboard: one text, the qube it came from and the time of the
 * copy hotkey.  Held in memory only (locked against swapping when the system
 * allows it) and wiped with explicit_bzero when replaced, pasted or cleared. */
#ifndef CLIPD_STORE_H
#define CLIPD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../policy.h"

struct clipd_store {
    char *data;       /* NULL when empty */
    size_t length;
    char source[CLIP_QUBE_NAME_MAX + 1];
    uint64_t copy_ms;   /* CLOCK_MONOTONIC ms of the copy hotkey */
    uint64_t stored_ms; /* when the text arrived */
};

/* Replace the contents with a copy of text[0..length).  0, or -1 (ENOMEM:
 * the store is then empty). */
int clipd_store_set(struct clipd_store *s, const char *source, const char *text, size_t length,
                    uint64_t copy_ms, uint64_t now_ms) __attribute__((warn_unused_result));
void clipd_store_wipe(struct clipd_store *s);
bool clipd_store_empty(const struct clipd_store *s);

#endif
