/* Clipboard hotkeys: spec parsing, matching, and the clipd notification. */
#include "hotkeys.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fenestra/clock.h"
#include "fenestra/ctl.h"
#include "fenestra/log.h"

#define KEYSYM_F1 0xffbeu

static int parse_modifier(const char *tok, size_t len, uint16_t *mod)
{
    static const struct {
        const char *name;
        uint16_t mask;
    } mods[] = {
        {"ctrl", GUID_MOD_CONTROL}, {"control", GUID_MOD_CONTROL}, {"shift", GUID_MOD_SHIFT},
        {"alt", GUID_MOD_MOD1},     {"mod1", GUID_MOD_MOD1},       {"super", GUID_MOD_MOD4},
        {"mod4", GUID_MOD_MOD4},
    };
    for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
        if (strlen(mods[i].name) == len && strncasecmp(tok, mods[i].name, len) == 0) {
            *mod = mods[i].mask;
            return 0;
        }
    }
    return -1;
}

static int parse_key(const char *tok, size_t len, uint32_t *keysym)
{
    if (len == 1 && isalnum((unsigned char)tok[0])) {
        *keysym = (uint32_t)tolower((unsigned char)tok[0]);
        return 0;
    }
    if ((len == 2 || len == 3) && (tok[0] == 'f' || tok[0] == 'F')) {
        unsigned n = 0;
        for (size_t i = 1; i < len; i++) {
            if (!isdigit((unsigned char)tok[i]))
                return -1;
            n = n * 10 + (unsigned)(tok[i] - '0');
        }
        if (n < 1 || n > 12 || (len == 3 && tok[1] == '0'))
            return -1;
        *keysym = KEYSYM_F1 + n - 1;
        return 0;
    }
    return -1;
}

int guid_hotkey_parse(const char *spec, struct guid_hotkey *out)
{
    if (spec == NULL || out == NULL || spec[0] == '\0')
        return -1;
    struct guid_hotkey hk = {0, 0};
    bool have_key = false;
    const char *p = spec;
    for (;;) {
        const char *plus = strchr(p, '+');
        size_t len = plus ? (size_t)(plus - p) : strlen(p);
        if (len == 0 || have_key)
            return -1;
        uint16_t mod;
        if (plus != NULL) {
            if (parse_modifier(p, len, &mod) != 0 || (hk.mods & mod))
                return -1;
            hk.mods |= mod;
            p = plus + 1;
            continue;
        }
        if (parse_key(p, len, &hk.keysym) != 0)
            return -1;
        have_key = true;
        break;
    }
    *out = hk;
    return 0;
}

bool guid_hotkey_match(const struct guid_hotkey *hk, uint32_t state, uint32_t keysym)
{
    const uint32_t relevant = GUID_MOD_SHIFT | GUID_MOD_CONTROL | GUID_MOD_MOD1 | GUID_MOD_MOD4;
    if (keysym >= 'A' && keysym <= 'Z')
        keysym = keysym - 'A' + 'a';
    return hk->keysym != 0 && keysym == hk->keysym && (state & relevant) == hk->mods;
}

static bool field_ok(const char *s)
{
    return s != NULL && s[0] != '\0' && strpbrk(s, " \t\r\n") == NULL;
}

int guid_clipd_line(char *buf, size_t size, const char *verb, const char *qube, const char *arg)
{
    if (!field_ok(verb) || !field_ok(qube) || !field_ok(arg))
        return -1;
    int n = snprintf(buf, size, "%s %s %s", verb, qube, arg);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int guid_clipd_notify(const char *sock_path, const char *verb, const char *qube, const char *arg,
                      bool quiet)
{
    char line[FEN_CTL_MAX_LINE];
    char reply[256];
    if (guid_clipd_line(line, sizeof(line), verb, qube, arg) != 0) {
        fen_log(WARN, "clipd: cannot format '%s' request", verb);
        return -1;
    }
    int rc = fen_ctl_request(sock_path, line, reply, sizeof(reply), 300);
    if (rc < 0) {
        if (!quiet)
            fen_log_errno(WARN, "clipd not reachable at %s ('%s' not delivered)", sock_path, verb);
        return -1;
    }
    if (rc != 0) {
        reply[strcspn(reply, "\n")] = '\0';
        fen_log(WARN, "clipd refused '%s': %s", verb, reply);
        return 1;
    }
    return 0;
}

