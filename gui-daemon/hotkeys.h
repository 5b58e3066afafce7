/* Clipboard hotkeys (Ctrl+Shift+C / Ctrl+Shift+V by default) and the lines
 * guid sends to clipd about them.  Parsing and matching are pure. */
#ifndef GUID_HOTKEYS_H
#define GUID_HOTKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X11 modifier masks (the `state` of key events). */
#define GUID_MOD_SHIFT 0x0001u
#define GUID_MOD_LOCK 0x0002u
#define GUID_MOD_CONTROL 0x0004u
#define GUID_MOD_MOD1 0x0008u /* alt */
#define GUID_MOD_MOD2 0x0010u /* num lock */
#define GUID_MOD_MOD4 0x0040u /* super */

struct guid_hotkey {
    uint16_t mods;   /* required modifiers, exactly (lock/num lock ignored) */
    uint32_t keysym; /* unshifted keysym: 'a'..'z', '0'..'9', F1..F12 */
};

/* Parse "ctrl+shift+c" style specs: modifiers ctrl/control, shift,
 * alt/mod1, super/mod4 (any order, case-insensitive), then exactly one key:
 * a letter, a digit, or f1..f12.  0, or -1 for anything else. */
int guid_hotkey_parse(const char *spec, struct guid_hotkey *out) __attribute__((warn_unused_result));

/* Does a key press with modifier `state` and unshifted `keysym` match? */
bool guid_hotkey_match(const struct guid_hotkey *hk, uint32_t state, uint32_t keysym);

/* Format one clipd control line: "VERB QUBE ARG".  0, or -1 if it does not
 * fit or a field contains a space or newline. */
int guid_clipd_line(char *buf, size_t size, const char *verb, const char *qube, const char *arg)
    __attribute__((warn_unused_result));

/* Send one line to clipd at `sock_path` (short timeout; clipd is trusted).
 * 0 when clipd took it; -1 when clipd is not there (logged at WARN unless
 * `quiet`); 1 when clipd refused it (always logged). */
int guid_clipd_notify(const char *sock_path, const char *verb, const char *qube, const char *arg,
                      bool quiet);

#endif
