/* For unit tests only: the raw buffers behind a reader / writer, to check
 * that wipe mode leaves no byte of a message behind. */
#ifndef FEN_MSGIO_INTERNAL_H
#define FEN_MSGIO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct fen_reader;
struct fen_writer;

void fen_reader_raw(const struct fen_reader *r, const uint8_t **buf, size_t *cap,
                    const uint8_t **scratch, size_t *scratch_cap);
void fen_writer_raw(const struct fen_writer *w, const uint8_t **buf, size_t *alloc);

#endif
