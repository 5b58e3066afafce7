/* dom0 configuration file (see config.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fenestra/proto.h"


/* The label palette (Tango colors, as Qubes uses): the one list of names
 * every dom0 component accepts. */
static const struct {
    const char *name;
    uint32_t rgb;
} label_colors[] = {
    {"red", 0xcc0000},   {"orange", 0xf57900}, {"yellow", 0xedd400},
    {"green", 0x73d216}, {"gray", 0x555753},   {"grey", 0x555753},
    {"blue", 0x3465a4},  {"purple", 0x75507b}, {"black", 0x000000},
};

bool fen_parse_label(const char *s, uint32_t *rgb)
{
    if (s == NULL)
        return false;
    for (size_t i = 0; i < sizeof label_colors / sizeof label_colors[0]; i++)
        if (!strcasecmp(s, label_colors[i].name)) {
            *rgb = label_colors[i].rgb;
            return true;
        }
    if (s[0] != '#' || strlen(s) != 7)
        return false;
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return false;
        char c = (char)tolower((unsigned char)s[i]);
        v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    *rgb = v;
    return true;
}

bool fen_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return true;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool fen_parse_size(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return false;
    uint64_t mult = 1;
    if (*end) {
        switch (toupper((unsigned char)*end)) {
        case 'K': mult = 1ull << 10; break;
        case 'M': mult = 1ull << 20; break;
        case 'G': mult = 1ull << 30; break;
        default: return false;
        }
        end++;
        if (*end == 'i' || *end == 'I')
            end++;
        if (*end == 'b' || *end == 'B')
            end++;
        if (*end)
            return false;
    }
    if (v > UINT64_MAX / mult)
        return false;
    *out = v * mult;
    return true;
}

/* Hotkeys are checked for shape here (mod+...+key, known modifiers); guid
 * resolves the key name to a keysym. */
static bool hotkey_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FEN_HOTKEY_MAX)
        return false;
    char buf[FEN_HOTKEY_MAX];
    memcpy(buf, s, n + 1);
    char *save = NULL;
    int parts = 0;
    const char *last = NULL;
    for (char *tok = strtok_r(buf, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
        if (last) {
            static const char *const mods[] = {"ctrl", "control", "shift", "alt", "mod1",
                                               "super", "mod4"};
            bool known = false;
            for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
                known |= !strcasecmp(last, mods[i]);
            if (!known)
                return false;
        }
        for (const char *p = tok; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '_')
                return false;
        last = tok;
        parts++;
    }
    return parts >= 2; /* at least one modifier: a bare key would eat typing */
}

void fen_config_defaults(struct fen_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    struct fen_qube_policy *g = &cfg->global;
    snprintf(g->label, sizeof g->label, "red");
    g->label_rgb = 0xcc0000;
    g->frame_width = 3;
    g->allow_fullscreen = false;
    g->override_redirect = FEN_OR_ALLOW;
    g->clipboard_limit = FEN_DEFAULT_CLIPBOARD_BYTES;
    snprintf(g->copy_hotkey, sizeof g->copy_hotkey, "ctrl+shift+c");
    snprintf(g->paste_hotkey, sizeof g->paste_hotkey, "ctrl+shift+v");
    snprintf(g->fullscreen_exit_hotkey, sizeof g->fullscreen_exit_hotkey, "ctrl+alt+shift+f");
    g->max_windows = 256;
    g->max_window_memory = 512ull << 20;
}

struct parse_state {
    struct fen_config *cfg;
    struct fen_config_error *err;
    struct fen_qube_policy *cur; /* NULL before the first section */
    uint32_t *cur_mask;
    char section[64];
};

__attribute__((format(printf, 2, 3))) static int fail(struct parse_state *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->err->reason, sizeof st->err->reason, fmt, ap);
    va_end(ap);
    return 0; /* inih: stop, ini_parse returns this line number */
}

static struct fen_qube_policy *find_or_add_qube(struct parse_state *st, const char *name,
                                                uint32_t **mask)
{
    struct fen_config *c = st->cfg;
    for (size_t i = 0; i < c->nqubes; i++)
        if (!strcmp(c->qubes[i].name, name)) {
            *mask = &c->qubes[i].set_mask;
            return &c->qubes[i].policy;
        }
    if (c->nqubes == FEN_CONFIG_MAX_QUBES)
        return NULL;
    size_t i = c->nqubes++;
    snprintf(c->qubes[i].name, sizeof c->qubes[i].name, "%s", name);
    c->qubes[i].set_mask = 0;
    *mask = &c->qubes[i].set_mask;
    return &c->qubes[i].policy;
}

static int enter_section(struct parse_state *st, const char *section)
{
    snprintf(st->section, sizeof st->section, "%s", section);
    if (!strcmp(section, "global")) {
        st->cur = &st->cfg->global;
        st->cur_mask = &st->cfg->global_set_mask;
        return 1;
    }
    if (strncmp(section, "qube ", 5) != 0)
        return fail(st, "unknown section [%s] (expected [global] or [qube NAME])", section);
    const char *name = section + 5;
    if (!fen_qube_name_valid(name))
        return fail(st, "invalid qube name '%s' in section header", name);
    st->cur = find_or_add_qube(st, name, &st->cur_mask);
    if (!st->cur)
        return fail(st, "too many [qube] sections (at most %d)", FEN_CONFIG_MAX_QUBES);
    return 1;
}

static int set_u32(struct parse_state *st, const char *key, const char *value, uint64_t lo,
                   uint64_t hi, uint64_t *out)
{
    uint64_t v;
    if (!fen_parse_size(value, &v) || v < lo || v > hi) {
        char range[64];
        snprintf(range, sizeof range, "%llu..%llu", (unsigned long long)lo,
                 (unsigned long long)hi);
        snprintf(st->err->reason, sizeof st->err->reason, "%s = '%s': expected a number in %s",
                 key, value, range);
        return 0;
    }
    *out = v;
    return 1;
}

static int handle_key(void *user, const char *section, const char *key, const char *value)
{
    struct parse_state *st = user;
    if (!key) /* inih reports a new section with key == NULL only in some builds */
        return enter_section(st, section);
    if (strcmp(section, st->section) != 0 || !st->cur) {
        if (!section[0])
            return fail(st, "key '%s' outside any section", key);
        if (!enter_section(st, section))
            return 0;
    }
    struct fen_qube_policy *p = st->cur;
    uint32_t bit;
    uint64_t v;
    if (!strcmp(key, "label")) {
        if (!fen_parse_label(value, &p->label_rgb))
            return fail(st, "label = '%s': expected red, orange, yellow, green, gray, blue, "
                            "purple, black or #RRGGBB", value);
        snprintf(p->label, sizeof p->label, "%s", value);
        bit = FEN_KEY_LABEL;
    } else if (!strcmp(key, "frame_width")) {
        if (!set_u32(st, key, value, 1, 32, &v))
            return 0;
        p->frame_width = (uint32_t)v;
        bit = FEN_KEY_FRAME_WIDTH;
    } else if (!strcmp(key, "allow_fullscreen")) {
        if (!fen_parse_bool(value, &p->allow_fullscreen))
            return fail(st, "allow_fullscreen = '%s': expected yes or no", value);
        bit = FEN_KEY_ALLOW_FULLSCREEN;
    } else if (!strcmp(key, "override_redirect")) {
        if (!strcasecmp(value, "allow"))
            p->override_redirect = FEN_OR_ALLOW;
        else if (!strcasecmp(value, "manage"))
            p->override_redirect = FEN_OR_MANAGE;
        else
            return fail(st, "override_redirect = '%s': expected allow or manage", value);
        bit = FEN_KEY_OVERRIDE_REDIRECT;
    } else if (!strcmp(key, "clipboard_limit")) {
        if (!set_u32(st, key, value, 1, FEN_MAX_CLIPBOARD_BYTES, &v))
            return 0;
        p->clipboard_limit = (uint32_t)v;
        bit = FEN_KEY_CLIPBOARD_LIMIT;
    } else if (!strcmp(key, "copy_hotkey") || !strcmp(key, "paste_hotkey") ||
               !strcmp(key, "fullscreen_exit_hotkey")) {
        if (!hotkey_valid(value))
            return fail(st, "%s = '%s': expected modifiers and a key, e.g. ctrl+shift+c", key,
                        value);
        char *dst = key[0] == 'c' ? p->copy_hotkey
                    : key[0] == 'p' ? p->paste_hotkey
                                    : p->fullscreen_exit_hotkey;
        snprintf(dst, FEN_HOTKEY_MAX, "%s", value);
        bit = key[0] == 'c' ? FEN_KEY_COPY_HOTKEY : key[0] == 'p' ? FEN_KEY_PASTE_HOTKEY : FEN_KEY_FULLSCREEN_EXIT_HOTKEY;
    } else if (!strcmp(key, "max_windows")) {
        if (!set_u32(st, key, value, 1, FEN_MAX_WINDOWS_PER_QUBE, &v))
            return 0;
        p->max_windows = (uint32_t)v;
        bit = FEN_KEY_MAX_WINDOWS;
    } else if (!strcmp(key, "max_window_memory")) {
        if (!set_u32(st, key, value, 1u << 20, 64ull << 30, &v))
            return 0;
        p->max_window_memory = v;
        bit = FEN_KEY_MAX_WINDOW_MEMORY;
    } else {
        return fail(st, "unknown key '%s' in [%s]", key, section);
    }
    if (st->cur_mask)
        *st->cur_mask |= bit;
    return 1;
}

static int finish_parse(int rc, struct parse_state *st)
{
    if (rc == 0)
        return 0;
    st->err->line = rc > 0 ? rc : 0;
    if (rc == -1)
        snprintf(st->err->reason, sizeof st->err->reason, "cannot open: %s", strerror(errno));
    else if (rc == -2)
        snprintf(st->err->reason, sizeof st->err->reason, "out of memory");
    else if (!st->err->reason[0])
        snprintf(st->err->reason, sizeof st->err->reason, "syntax error");
    return -1;
}

int fen_config_parse_string(const char *text, struct fen_config *cfg, struct fen_config_error *err)
{
    fen_config_defaults(cfg);
    memset(err, 0, sizeof *err);
    struct parse_state st = {.cfg = cfg, .err = err};
    return finish_parse(ini_parse_string(text, handle_key, &st), &st);
}

int fen_config_load(const char *path, struct fen_config *cfg, struct fen_config_error *err)
{
    fen_config_defaults(cfg);
    memset(err, 0, sizeof *err);
    struct parse_state st = {.cfg = cfg, .err = err};
    return finish_parse(ini_parse(path, handle_key, &st), &st);
}

void fen_config_qube(const struct fen_config *cfg, const char *qube, struct fen_qube_policy *out)
{
    *out = cfg->global;
    for (size_t i = 0; i < cfg->nqubes; i++) {
        if (strcmp(cfg->qubes[i].name, qube) != 0)
            continue;
        const struct fen_qube_policy *q = &cfg->qubes[i].policy;
        uint32_t m = cfg->qubes[i].set_mask;
        if (m & FEN_KEY_LABEL) {
            memcpy(out->label, q->label, sizeof out->label);
            out->label_rgb = q->label_rgb;
        }
        if (m & FEN_KEY_FRAME_WIDTH)
            out->frame_width = q->frame_width;
        if (m & FEN_KEY_ALLOW_FULLSCREEN)
            out->allow_fullscreen = q->allow_fullscreen;
        if (m & FEN_KEY_OVERRIDE_REDIRECT)
            out->override_redirect = q->override_redirect;
        if (m & FEN_KEY_CLIPBOARD_LIMIT)
            out->clipboard_limit = q->clipboard_limit;
        if (m & FEN_KEY_COPY_HOTKEY)
            memcpy(out->copy_hotkey, q->copy_hotkey, FEN_HOTKEY_MAX);
        if (m & FEN_KEY_PASTE_HOTKEY)
            memcpy(out->paste_hotkey, q->paste_hotkey, FEN_HOTKEY_MAX);
        if (m & FEN_KEY_FULLSCREEN_EXIT_HOTKEY)
            memcpy(out->fullscreen_exit_hotkey, q->fullscreen_exit_hotkey, FEN_HOTKEY_MAX);
        if (m & FEN_KEY_MAX_WINDOWS)
            out->max_windows = q->max_windows;
        if (m & FEN_KEY_MAX_WINDOW_MEMORY)
            out->max_window_memory = q->max_window_memory;
    }
}

bool fen_config_is_set(const struct fen_config *cfg, const char *qube, enum fen_config_key key)
{
    if (cfg->global_set_mask & key)
        return true;
    for (size_t i = 0; i < cfg->nqubes; i++)
        if (!strcmp(cfg->qubes[i].name, qube))
            return (cfg->qubes[i].set_mask & key) != 0;
    return false;
}

const char *fen_config_default_path(void)
{
    const char *env = getenv("FENESTRA_CONFIG");
    return env && *env ? env : "/etc/fenestra/fenestra.conf";
}
