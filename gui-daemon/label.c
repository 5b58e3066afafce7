/* Label color parsing: a fixed allow-list of names or #RRGGBB. */
#include "label.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    uint32_t rgb;
} label_names[] = {
    {"red", 0xcc0000},   {"orange", 0xf57900}, {"yellow", 0xedd400},
    {"green", 0x73d216}, {"gray", 0x555753},   {"grey", 0x555753},
    {"blue", 0x3465a4},  {"purple", 0x75507b}, {"black", 0x000000},
};

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int guid_label_parse(const char *text, uint32_t *rgb)
{
    if (text == NULL || rgb == NULL)
        return -1;
    if (text[0] == '#') {
        if (strlen(text) != 7)
            return -1;
        uint32_t v = 0;
        for (int i = 1; i < 7; i++) {
            int d = hex_digit(text[i]);
            if (d < 0)
                return -1;
            v = (v << 4) | (uint32_t)d;
        }
        *rgb = v;
        return 0;
    }
    for (size_t i = 0; i < sizeof(label_names) / sizeof(label_names[0]); i++) {
        if (strcasecmp(text, label_names[i].name) == 0) {
            *rgb = label_names[i].rgb;
            return 0;
        }
    }
    return -1;
}
