/* Standard Windows cursors -> X cursor-font glyphs (pure: no Windows
 * headers, unit-tested natively by tests/test_cursor_map.c).
 *
 * The ordinals are the IDC_* / OCR_* resource numbers of winuser.h; the
 * glyphs are the ones the Linux agent uses for the matching CSS cursor
 * names (gui-agent-linux/cursor_names.c), so both agents look alike. */
#ifndef FEN_WIN_CURSOR_MAP_H
#define FEN_WIN_CURSOR_MAP_H

#include <stddef.h>
#include <stdint.h>

struct cursor_map_entry {
    uint16_t ordinal; /* IDC_xxx as a number */
    uint32_t glyph;   /* X cursor font glyph */
    const char *name; /* for logs and tests */
};

extern const struct cursor_map_entry cursor_map[];
extern const size_t cursor_map_len;

/* FEN_CURSOR_DEFAULT for an ordinal that is not in the table. */
uint32_t cursor_glyph_for_ordinal(unsigned ordinal);

#endif
