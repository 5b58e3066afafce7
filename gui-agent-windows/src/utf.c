/* UTF-16 <-> UTF-8 for titles and the clipboard (Win32 converters; invalid
 * UTF-16, e.g. a lone surrogate, becomes U+FFFD). */
#include <stdlib.h>
#include <string.h>

#include "agent.h"

size_t utf16_to_utf8(const wchar_t *in, size_t in_len, char *out, size_t max)
{
    out[0] = '\0';
    if (in_len == 0 || max == 0)
        return 0;
    /* Each UTF-16 unit gives at least one byte: more than max units can
     * only be cut away. */
    if (in_len > max)
        in_len = max;
    int need = WideCharToMultiByte(CP_UTF8, 0, in, (int)in_len, NULL, 0, NULL, NULL);
    if (need <= 0)
        return 0;
    char *tmp = malloc((size_t)need);
    if (!tmp)
        return 0;
    int got = WideCharToMultiByte(CP_UTF8, 0, in, (int)in_len, tmp, need, NULL, NULL);
    size_t n = got > 0 ? (size_t)got : 0;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
            n--; /* never cut inside a character */
    }
    /* Stop at an embedded NUL (the wire text has none). */
    void *nul = memchr(tmp, '\0', n);
    if (nul)
        n = (size_t)((char *)nul - tmp);
    memcpy(out, tmp, n);
    out[n] = '\0';
    free(tmp);
    return n;
}

wchar_t *utf8_to_utf16(const char *in, size_t len)
{
    int need = len ? MultiByteToWideChar(CP_UTF8, 0, in, (int)len, NULL, 0) : 0;
    if (need < 0)
        return NULL;
    wchar_t *out = malloc(((size_t)need + 1) * sizeof *out);
    if (!out)
        return NULL;
    int got = need ? MultiByteToWideChar(CP_UTF8, 0, in, (int)len, out, need) : 0;
    out[got > 0 ? got : 0] = L'\0';
    return out;
}
