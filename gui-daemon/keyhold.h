/* Hotkey key hold-back (pure, no X).
 *
 * "None of the hotkey's keys reach the guest": by the time C of Ctrl+Shift+C
 * is pressed, Ctrl and Shift would already have been forwarded.  So presses
 * of the modifiers that hotkeys use are held back until the next event shows
 * what they were for:
 *   - a hotkey press: the held presses are dropped, and the releases of the
 *     held modifiers and of the hotkey key are swallowed later;
 *   - any other key press, a release of a held key, or a pointer button:
 *     the held presses are flushed (sent in order) first, then the event;
 *   - focus leaving the window: held presses are dropped (never sent, so the
 *     guest never saw them pressed).
 * Typing is unaffected: the guest still gets Shift before 'a'.  Releases of
 * swallowed keys are dropped; if an ordinary key is typed while swallowed
 * modifiers are still down (Ctrl+Shift+C then Ctrl+Shift+A), the agent
 * syncs modifiers from the event's state, and their releases flow again. */
#ifndef GUID_KEYHOLD_H
#define GUID_KEYHOLD_H

#include <stdbool.h>
#include <stdint.h>

#define GUID_KEYHOLD_MAX 8

struct guid_key_ev {
    uint32_t window; /* guest window id the event is for */
    uint8_t keycode;
    bool press;
    uint32_t state;
    int32_t x, y;
};

struct guid_keyhold {
    uint16_t hold_mask; /* X modifier bits that some hotkey uses */
    struct guid_key_ev held[GUID_KEYHOLD_MAX];
    int nheld;
    uint8_t swallow[32];     /* keycodes whose release must not reach the guest */
    uint8_t swallow_mod[32]; /* ... of those, the modifier keys */
};

enum guid_key_action {
    GUID_KEY_FORWARD, /* send the event (after the flushed ones) */
    GUID_KEY_HOLD,    /* held back: send nothing now */
    GUID_KEY_DROP,    /* never send */
    GUID_KEY_HOTKEY,  /* a hotkey: send nothing, run the hotkey */
};

/* X modifier bit a keysym sets (Shift_L/R, Control_L/R, Alt/Meta, Super),
 * or 0 when the keysym is not such a modifier key. */
uint16_t guid_keysym_modifier(uint32_t keysym);

void guid_keyhold_init(struct guid_keyhold *kh, uint16_t hold_mask);

/* Decide one key event.  `keysym` is the key's unshifted keysym, `is_hotkey`
 * whether this press matches a hotkey.  Events to send BEFORE acting on the
 * returned action are written to flush[] (*nflush of them). */
enum guid_key_action guid_keyhold_key(struct guid_keyhold *kh, const struct guid_key_ev *ev,
                                      uint32_t keysym, bool is_hotkey,
                                      struct guid_key_ev flush[GUID_KEYHOLD_MAX], int *nflush);

/* A pointer button is about to be sent: flush held presses first. */
void guid_keyhold_flush(struct guid_keyhold *kh, struct guid_key_ev flush[GUID_KEYHOLD_MAX],
                        int *nflush);

/* Focus left: forget held presses (they were never sent). */
void guid_keyhold_reset(struct guid_keyhold *kh);

#endif
