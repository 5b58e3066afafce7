/* Cursor name -> X cursor font glyph (even number 0..152), or
 * FEN_CURSOR_DEFAULT for an unknown or empty name. */
#ifndef GUI_AGENT_CURSOR_NAMES_H
#define GUI_AGENT_CURSOR_NAMES_H

#include <stdint.h>

uint32_t cursor_glyph_for_name(const char *name);

#endif
