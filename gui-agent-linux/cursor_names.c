/* Cursor names -> X cursor font glyphs (pure).  The guest's current cursor
 * name comes from XFixes (set by libXcursor and toolkits: classic X names
 * like "left_ptr" and CSS / freedesktop names like "pointer"); dom0 draws the
 * glyph from its own cursor font, never guest pixels. */
#include "cursor_names.h"

#include <string.h>

#include "fenestra/proto.h"

struct cursor_name {
    const char *name;
    uint32_t glyph;
};

/* The X cursor font (X11/cursorfont.h), names without the XC_ prefix. */
static const struct cursor_name font_names[] = {
    {"X_cursor", 0},
    {"arrow", 2},
    {"based_arrow_down", 4},
    {"based_arrow_up", 6},
    {"boat", 8},
    {"bogosity", 10},
    {"bottom_left_corner", 12},
    {"bottom_right_corner", 14},
    {"bottom_side", 16},
    {"bottom_tee", 18},
    {"box_spiral", 20},
    {"center_ptr", 22},
    {"circle", 24},
    {"clock", 26},
    {"coffee_mug", 28},
    {"cross", 30},
    {"cross_reverse", 32},
    {"crosshair", 34},
    {"diamond_cross", 36},
    {"dot", 38},
    {"dotbox", 40},
    {"double_arrow", 42},
    {"draft_large", 44},
    {"draft_small", 46},
    {"draped_box", 48},
    {"exchange", 50},
    {"fleur", 52},
    {"gobbler", 54},
    {"gumby", 56},
    {"hand1", 58},
    {"hand2", 60},
    {"heart", 62},
    {"icon", 64},
    {"iron_cross", 66},
    {"left_ptr", 68},
    {"left_side", 70},
    {"left_tee", 72},
    {"leftbutton", 74},
    {"ll_angle", 76},
    {"lr_angle", 78},
    {"man", 80},
    {"middlebutton", 82},
    {"mouse", 84},
    {"pencil", 86},
    {"pirate", 88},
    {"plus", 90},
    {"question_arrow", 92},
    {"right_ptr", 94},
    {"right_side", 96},
    {"right_tee", 98},
    {"rightbutton", 100},
    {"rtl_logo", 102},
    {"sailboat", 104},
    {"sb_down_arrow", 106},
    {"sb_h_double_arrow", 108},
    {"sb_left_arrow", 110},
    {"sb_right_arrow", 112},
    {"sb_up_arrow", 114},
    {"sb_v_double_arrow", 116},
    {"shuttle", 118},
    {"sizing", 120},
    {"spider", 122},
    {"spraycan", 124},
    {"star", 126},
    {"target", 128},
    {"tcross", 130},
    {"top_left_arrow", 132},
    {"top_left_corner", 134},
    {"top_right_corner", 136},
    {"top_side", 138},
    {"top_tee", 140},
    {"trek", 142},
    {"ul_angle", 144},
    {"umbrella", 146},
    {"ur_angle", 148},
    {"watch", 150},
    {"xterm", 152},
};

/* CSS / freedesktop cursor-spec names and common toolkit aliases. */
static const struct cursor_name alias_names[] = {
    {"default", 68},        {"arrow", 2},          {"top_left_arrow", 132},
    {"pointer", 60},        {"hand", 60},          {"pointing_hand", 60},
    {"text", 152},          {"ibeam", 152},        {"vertical-text", 152},
    {"wait", 150},          {"progress", 150},     {"left_ptr_watch", 150},
    {"help", 92},           {"whats_this", 92},    {"crosshair", 34},
    {"cell", 90},           {"move", 52},          {"all-scroll", 52},
    {"grab", 58},           {"grabbing", 52},      {"openhand", 58},
    {"closedhand", 52},     {"dnd-move", 52},      {"not-allowed", 0},
    {"no-drop", 0},         {"forbidden", 0},      {"crossed_circle", 0},
    {"ns-resize", 116},     {"row-resize", 116},   {"size_ver", 116},
    {"ew-resize", 108},     {"col-resize", 108},   {"size_hor", 108},
    {"n-resize", 138},      {"s-resize", 16},      {"e-resize", 96},
    {"w-resize", 70},       {"nw-resize", 134},    {"ne-resize", 136},
    {"sw-resize", 12},      {"se-resize", 14},     {"nwse-resize", 134},
    {"nesw-resize", 136},   {"size_fdiag", 134},   {"size_bdiag", 136},
    {"size_all", 52},       {"context-menu", 68},  {"alias", 68},
    {"copy", 68},           {"zoom-in", 90},       {"zoom-out", 90},
};

static uint32_t lookup(const struct cursor_name *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].glyph;
    return FEN_CURSOR_DEFAULT;
}

uint32_t cursor_glyph_for_name(const char *name)
{
    if (!name || !*name)
        return FEN_CURSOR_DEFAULT;
    uint32_t g = lookup(font_names, sizeof font_names / sizeof font_names[0], name);
    if (g == FEN_CURSOR_DEFAULT)
        g = lookup(alias_names, sizeof alias_names / sizeof alias_names[0], name);
    return g;
}
