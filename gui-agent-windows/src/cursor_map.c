/* Standard Windows cursors -> X cursor-font glyphs; see cursor_map.h. */
#include "cursor_map.h"

#include "fenestra/proto.h"

const struct cursor_map_entry cursor_map[] = {
    {32512, 68, "IDC_ARROW"},        /* left_ptr ("default") */
    {32513, 152, "IDC_IBEAM"},       /* xterm ("text") */
    {32514, 150, "IDC_WAIT"},        /* watch ("wait") */
    {32515, 34, "IDC_CROSS"},        /* crosshair */
    {32516, 114, "IDC_UPARROW"},     /* sb_up_arrow */
    {32642, 134, "IDC_SIZENWSE"},    /* top_left_corner ("nwse-resize") */
    {32643, 136, "IDC_SIZENESW"},    /* top_right_corner ("nesw-resize") */
    {32644, 108, "IDC_SIZEWE"},      /* sb_h_double_arrow ("ew-resize") */
    {32645, 116, "IDC_SIZENS"},      /* sb_v_double_arrow ("ns-resize") */
    {32646, 52, "IDC_SIZEALL"},      /* fleur ("move") */
    {32648, 0, "IDC_NO"},            /* X_cursor ("not-allowed") */
    {32649, 60, "IDC_HAND"},         /* hand2 ("pointer") */
    {32650, 150, "IDC_APPSTARTING"}, /* watch ("progress") */
    {32651, 92, "IDC_HELP"},         /* question_arrow ("help") */
};
const size_t cursor_map_len = sizeof cursor_map / sizeof cursor_map[0];

uint32_t cursor_glyph_for_ordinal(unsigned ordinal)
{
    for (size_t i = 0; i < cursor_map_len; i++)
        if (cursor_map[i].ordinal == ordinal)
            return cursor_map[i].glyph;
    return FEN_CURSOR_DEFAULT;
}
