/* Pure property parsers: see prop_parse.h. */
#include "prop_parse.h"

#include <string.h>

/* ICCCM WM_SIZE_HINTS flag bits and field indexes. */
enum {
    XSH_US_POSITION = 1 << 0,
    XSH_P_POSITION = 1 << 2,
    XSH_P_MIN_SIZE = 1 << 4,
    XSH_P_MAX_SIZE = 1 << 5,
    XSH_P_RESIZE_INC = 1 << 6,
    XSH_P_BASE_SIZE = 1 << 8,
};
enum { SH_FLAGS = 0, SH_MIN_W = 5, SH_MIN_H = 6, SH_MAX_W = 7, SH_MAX_H = 8, SH_INC_W = 9,
       SH_INC_H = 10, SH_BASE_W = 15, SH_BASE_H = 16 };
#define XWM_URGENCY_HINT (1u << 8)

/* CARD32 values are INT32 in the ICCCM: negative means nonsense here. */
static uint32_t clamp_u(uint32_t v, uint32_t lo, uint32_t hi)
{
    if ((int32_t)v < (int32_t)lo)
        return lo;
    return v > hi ? hi : v;
}

void prop_size_hints(const uint32_t *v, size_t n, struct fen_msg_size_hints *out)
{
    memset(out, 0, sizeof *out);
    if (n < 1)
        return;
    uint32_t f = v[SH_FLAGS];
    if (f & XSH_US_POSITION)
        out->flags |= FEN_HINT_USER_POS;
    if (f & XSH_P_POSITION)
        out->flags |= FEN_HINT_PROGRAM_POS;
    if ((f & XSH_P_MIN_SIZE) && n > SH_MIN_H) {
        out->flags |= FEN_HINT_MIN_SIZE;
        out->min_w = clamp_u(v[SH_MIN_W], 0, FEN_MAX_WINDOW_WIDTH);
        out->min_h = clamp_u(v[SH_MIN_H], 0, FEN_MAX_WINDOW_HEIGHT);
    }
    if ((f & XSH_P_MAX_SIZE) && n > SH_MAX_H) {
        uint32_t mw = clamp_u(v[SH_MAX_W], 1, FEN_MAX_WINDOW_WIDTH);
        uint32_t mh = clamp_u(v[SH_MAX_H], 1, FEN_MAX_WINDOW_HEIGHT);
        bool below_min = (out->flags & FEN_HINT_MIN_SIZE) && (mw < out->min_w || mh < out->min_h);
        if (!below_min) {
            out->flags |= FEN_HINT_MAX_SIZE;
            out->max_w = mw;
            out->max_h = mh;
        }
    }
    if ((f & XSH_P_RESIZE_INC) && n > SH_INC_H) {
        out->flags |= FEN_HINT_RESIZE_INC;
        out->inc_w = clamp_u(v[SH_INC_W], 1, FEN_MAX_WINDOW_WIDTH);
        out->inc_h = clamp_u(v[SH_INC_H], 1, FEN_MAX_WINDOW_HEIGHT);
    }
    if ((f & XSH_P_BASE_SIZE) && n > SH_BASE_H) {
        out->flags |= FEN_HINT_BASE_SIZE;
        out->base_w = clamp_u(v[SH_BASE_W], 0, FEN_MAX_WINDOW_WIDTH);
        out->base_h = clamp_u(v[SH_BASE_H], 0, FEN_MAX_WINDOW_HEIGHT);
    }
}

bool prop_wm_hints_urgent(const uint32_t *v, size_t n)
{
    return n >= 1 && (v[0] & XWM_URGENCY_HINT);
}

uint32_t prop_state_atom_flag(const struct prop_state_atoms *a, uint32_t atom)
{
    if (atom == 0)
        return 0;
    if (atom == a->fullscreen)
        return FEN_WMFLAG_FULLSCREEN;
    if (atom == a->demands_attention)
        return FEN_WMFLAG_DEMANDS_ATTENTION;
    if (atom == a->max_vert || atom == a->max_horz)
        return FEN_WMFLAG_MAXIMIZED;
    if (atom == a->hidden)
        return FEN_WMFLAG_MINIMIZED;
    return 0;
}

uint32_t prop_net_wm_state_flags(const struct prop_state_atoms *a, const uint32_t *atoms,
                                 size_t n)
{
    uint32_t flags = 0;
    for (size_t i = 0; i < n; i++)
        flags |= prop_state_atom_flag(a, atoms[i]);
    return flags;
}

uint32_t prop_apply_state_request(const struct prop_state_atoms *a, uint32_t flags,
                                  uint32_t action, uint32_t atom1, uint32_t atom2)
{
    uint32_t bits = prop_state_atom_flag(a, atom1) | prop_state_atom_flag(a, atom2);
    switch (action) {
    case 0:
        return flags & ~bits;
    case 1:
        return flags | bits;
    case 2:
        return flags ^ bits;
    default:
        return flags;
    }
}

size_t prop_flags_to_atoms(const struct prop_state_atoms *a, uint32_t flags, uint32_t out[5])
{
    size_t n = 0;
    if (flags & FEN_WMFLAG_FULLSCREEN)
        out[n++] = a->fullscreen;
    if (flags & FEN_WMFLAG_DEMANDS_ATTENTION)
        out[n++] = a->demands_attention;
    if (flags & FEN_WMFLAG_MAXIMIZED) {
        out[n++] = a->max_vert;
        out[n++] = a->max_horz;
    }
    if (flags & FEN_WMFLAG_MINIMIZED)
        out[n++] = a->hidden;
    return n;
}

/* Length of the valid UTF-8 sequence at in[0..n), or 0 if invalid. */
static size_t utf8_seq(const uint8_t *in, size_t n)
{
    uint8_t c = in[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((in[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (in[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t prop_title_text(const uint8_t *in, size_t n, bool is_utf8, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t enc[4];
        size_t elen, used;
        if (!is_utf8) {
            uint8_t c = in[i];
            if (c < 0x80) {
                enc[0] = c;
                elen = 1;
            } else {
                enc[0] = (uint8_t)(0xc0 | (c >> 6));
                enc[1] = (uint8_t)(0x80 | (c & 0x3f));
                elen = 2;
            }
            used = 1;
        } else {
            used = utf8_seq(in + i, n - i);
            if (used == 0) {
                enc[0] = '?';
                elen = 1;
                used = 1;
            } else {
                memcpy(enc, in + i, used);
                elen = used;
            }
        }
        if (o + elen > cap)
            break;
        memcpy(out + o, enc, elen);
        o += elen;
        i += used;
    }
    return o;
}

static void class_string(const uint8_t *in, size_t n, char out[FEN_MAX_CLASS_BYTES])
{
    memset(out, 0, FEN_MAX_CLASS_BYTES);
    size_t len = prop_title_text(in, n, true, out, FEN_MAX_CLASS_BYTES - 1);
    for (size_t i = 0; i < len; i++)
        if ((uint8_t)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = '_';
}

void prop_wm_class(const uint8_t *in, size_t n, struct fen_msg_wm_class *out)
{
    const uint8_t *nul = n ? memchr(in, 0, n) : NULL;
    size_t name_len = nul ? (size_t)(nul - in) : n;
    class_string(in, name_len, out->res_name);
    if (nul) {
        const uint8_t *cls = nul + 1;
        size_t rest = n - name_len - 1;
        const uint8_t *nul2 = rest ? memchr(cls, 0, rest) : NULL;
        class_string(cls, nul2 ? (size_t)(nul2 - cls) : rest, out->res_class);
    } else {
        memset(out->res_class, 0, FEN_MAX_CLASS_BYTES);
    }
}
