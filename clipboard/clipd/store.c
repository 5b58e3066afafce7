/* The global clipboard (see store.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "store.h"

void clipd_store_wipe(struct clipd_store *s)
{
    if (s->data) {
        explicit_bzero(s->data, s->length);
        munlock(s->data, s->length ? s->length : 1);
        free(s->data);
    }
    s->data = NULL;
    s->length = 0;
    s->source[0] = '\0';
    s->copy_ms = 0;
    s->stored_ms = 0;
}

int clipd_store_set(struct clipd_store *s, const char *source, const char *text, size_t length,
                    uint64_t copy_ms, uint64_t now_ms)
{
    clipd_store_wipe(s);
    char *copy = malloc(length ? length : 1);
    if (!copy) {
        errno = ENOMEM;
        return -1;
    }
    /* Best effort: keep the text out of swap (RLIMIT_MEMLOCK may refuse). */
    (void)mlock(copy, length ? length : 1);
    memcpy(copy, text, length);
    s->data = copy;
    s->length = length;
    snprintf(s->source, sizeof s->source, "%s", source);
    s->copy_ms = copy_ms;
    s->stored_ms = now_ms;
    return 0;
}

bool clipd_store_empty(const struct clipd_store *s)
{
    return s->data == NULL;
}
