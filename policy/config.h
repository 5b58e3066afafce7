/* dom0 configuration: one INI file (parsed with Debian's libinih) with global
 * defaults and per-qube sections.  Format (docs/configuration.md):
 *
 *   [global]
 *   frame_width = 3
 *   allow_fullscreen = no
 *   override_redirect = allow        ; allow | frame-only? see below
 *   clipboard_limit = 64K
 *   copy_hotkey = ctrl+shift+c
 *   paste_hotkey = ctrl+shift+v
 *   fullscreen_exit_hotkey = ctrl+alt+shift+f
 *   max_windows = 256
 *   max_window_memory = 512M
 *
 *   [qube work]
 *   label = blue
 *   allow_fullscreen = yes
 *
 * Every key may appear in [global] (the default for all qubes) and in a
 * [qube NAME] section (that qube only).  Unknown sections/keys and bad values
 * are errors naming the line.  Pure: parsing from a string needs no files.
 */
#ifndef FENESTRA_POLICY_CONFIG_H
#define FENESTRA_POLICY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fenestra/validate.h" /* fen_qube_name_valid, FEN_QUBE_NAME_MAX */

#define FEN_HOTKEY_MAX 48
#define FEN_CONFIG_MAX_QUBES 64

enum fen_or_policy {
    /* Override-redirect windows (menus, tooltips) are shown unmanaged, framed
     * and clamped on screen. */
    FEN_OR_ALLOW = 0,
    /* Treated as ordinary managed (decorated) windows: no guest window can
     * bypass the window manager. */
    FEN_OR_MANAGE = 1,
};

struct fen_qube_policy {
    char label[16];           /* color name or #RRGGBB, as written */
    uint32_t label_rgb;       /* 0xRRGGBB */
    uint32_t frame_width;     /* 1..32 px */
    bool allow_fullscreen;
    enum fen_or_policy override_redirect;
    uint32_t clipboard_limit; /* bytes, 1..FEN_MAX_CLIPBOARD_BYTES */
    char copy_hotkey[FEN_HOTKEY_MAX];
    char paste_hotkey[FEN_HOTKEY_MAX];
    char fullscreen_exit_hotkey[FEN_HOTKEY_MAX];
    uint32_t max_windows;       /* 1..FEN_MAX_WINDOWS_PER_QUBE */
    uint64_t max_window_memory; /* bytes of mapped guest pixels, total */
};

/* One bit per key, for fen_config_is_set. */
enum fen_config_key {
    FEN_KEY_LABEL = 1u << 0,
    FEN_KEY_FRAME_WIDTH = 1u << 1,
    FEN_KEY_ALLOW_FULLSCREEN = 1u << 2,
    FEN_KEY_OVERRIDE_REDIRECT = 1u << 3,
    FEN_KEY_CLIPBOARD_LIMIT = 1u << 4,
    FEN_KEY_COPY_HOTKEY = 1u << 5,
    FEN_KEY_PASTE_HOTKEY = 1u << 6,
    FEN_KEY_FULLSCREEN_EXIT_HOTKEY = 1u << 7,
    FEN_KEY_MAX_WINDOWS = 1u << 8,
    FEN_KEY_MAX_WINDOW_MEMORY = 1u << 9,
};

struct fen_config {
    struct fen_qube_policy global;
    uint32_t global_set_mask; /* keys [global] set */
    size_t nqubes;
    struct {
        char name[FEN_QUBE_NAME_MAX + 1];
        struct fen_qube_policy policy;
        uint32_t set_mask; /* which keys the section set (the rest inherit) */
    } qubes[FEN_CONFIG_MAX_QUBES];
};

struct fen_config_error {
    int line; /* 0 when not about a line (e.g. file missing) */
    char reason[200];
};

/* Built-in defaults (what an empty file means). */
void fen_config_defaults(struct fen_config *cfg);

/* Parse; on error returns -1 and fills err (line + reason); cfg is then in an
 * unspecified state. */
int fen_config_parse_string(const char *text, struct fen_config *cfg, struct fen_config_error *err)
    __attribute__((warn_unused_result));
int fen_config_load(const char *path, struct fen_config *cfg, struct fen_config_error *err)
    __attribute__((warn_unused_result));

/* The effective policy for `qube`: global values overridden by its section. */
void fen_config_qube(const struct fen_config *cfg, const char *qube, struct fen_qube_policy *out);

/* Did the file set `key` for `qube` (in its section or in [global])?  Lets a
 * daemon put the file above its own command-line defaults but below its
 * explicit per-qube options. */
bool fen_config_is_set(const struct fen_config *cfg, const char *qube, enum fen_config_key key);

/* Pure value parsers, shared with command-line options. */
bool fen_parse_label(const char *s, uint32_t *rgb);       /* names or #RRGGBB */
bool fen_parse_bool(const char *s, bool *out);            /* yes/no/true/false/on/off/1/0 */
bool fen_parse_size(const char *s, uint64_t *out);        /* 123, 64K, 16M, 1G */

/* Default config path: $FENESTRA_CONFIG, else /etc/fenestra/fenestra.conf. */
const char *fen_config_default_path(void);

#endif
