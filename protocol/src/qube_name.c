/* The qube-name rule (see validate.h). */
#include <string.h>

#include "fenestra/validate.h"

static bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool name_char(char c)
{
    return is_letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool fen_qube_name_valid(const char *name)
{
    if (!name || !is_letter(name[0]) || !strcmp(name, "dom0"))
        return false;
    size_t n = 0;
    for (; name[n]; n++)
        if (n >= FEN_QUBE_NAME_MAX || !name_char(name[n]))
            return false;
    return true;
}
