/* UTF-8 validation and the display sanitizer for untrusted strings (titles,
 * WM_CLASS).  Pure: no I/O, no allocation. */
#include <string.h>

#include "fenestra/validate.h"

#define REPLACEMENT 0xfffdu

/* Decode one code point at s[0..n), n >= 1.  Returns the sequence length
 * (1..4) and the code point in *cp, or 0 when the bytes at s do not start a
 * valid sequence (overlong, surrogate, above U+10FFFF, bad or missing
 * continuation byte). */
static size_t utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t b0 = s[0];
    size_t len;
    uint32_t c, min;

    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
        len = 2, c = b0 & 0x1f, min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        len = 3, c = b0 & 0x0f, min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        len = 4, c = b0 & 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, 0xc0/0xc1 (always overlong), 0xf5.. */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

bool fen_utf8_valid(const uint8_t *buf, size_t len, bool forbid_nul)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(buf + i, len - i, &cp);
        if (n == 0 || (forbid_nul && cp == 0))
            return false;
        i += n;
    }
    return true;
}

/* Code points that must not reach a title bar: controls, bidi controls and
 * characters that render as nothing (they let a guest fake or hide text). */
static bool is_removed(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) /* C0, DEL, C1 */
        return true;
    switch (c) {
    case 0x00ad: /* soft hyphen */
    case 0x034f: /* combining grapheme joiner */
    case 0x061c: /* arabic letter mark */
    case 0x115f: /* hangul choseong filler */
    case 0x1160: /* hangul jungseong filler */
    case 0x17b4: /* khmer vowel inherent aq */
    case 0x17b5: /* khmer vowel inherent aa */
    case 0x180e: /* mongolian vowel separator */
    case 0x3164: /* hangul filler */
    case 0xfeff: /* zero-width no-break space / BOM */
    case 0xffa0: /* halfwidth hangul filler */
        return true;
    }
    if (c >= 0x200b && c <= 0x200f) /* zero-width space/non-joiner/joiner, LRM, RLM */
        return true;
    if (c >= 0x202a && c <= 0x202e) /* LRE, RLE, PDF, LRO, RLO */
        return true;
    if (c >= 0x2060 && c <= 0x206f) /* word joiner, invisible operators, isolates, deprecated */
        return true;
    if (c >= 0xfff9 && c <= 0xfffb) /* interlinear annotation */
        return true;
    if (c >= 0xe0000 && c <= 0xe007f) /* tag characters */
        return true;
    return false;
}

/* Characters that separate words: shown as one space. */
static bool is_space_like(uint32_t c)
{
    return c == '\t' || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

static size_t utf8_encode(uint32_t c, uint8_t *o)
{
    if (c < 0x80) {
        o[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (uint8_t)(0xc0 | (c >> 6));
        o[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (uint8_t)(0xe0 | (c >> 12));
        o[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (uint8_t)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (uint8_t)(0xf0 | (c >> 18));
    o[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (uint8_t)(0x80 | (c & 0x3f));
    return 4;
}

size_t fen_sanitize_text(const uint8_t *in, size_t in_len, char *out, size_t out_size)
{
    size_t o = 0, i = 0;
    if (out_size == 0)
        return 0;
    while (i < in_len) {
        uint32_t c;
        size_t n = utf8_decode(in + i, in_len - i, &c);
        if (n == 0) {
            c = REPLACEMENT; /* one U+FFFD per byte that starts no valid sequence */
            n = 1;
        }
        i += n;
        if (is_space_like(c))
            c = ' ';
        else if (is_removed(c))
            continue;
        uint8_t enc[4];
        size_t k = utf8_encode(c, enc);
        if (k > out_size - 1 - o)
            break; /* never cut a character */
        memcpy(out + o, enc, k);
        o += k;
    }
    out[o] = '\0';
    return o;
}
