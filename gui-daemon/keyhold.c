/* Hotkey key hold-back (see keyhold.h). */
#include "keyhold.h"

#include <string.h>

/* X keysyms of the modifier keys (keysymdef.h). */
#define XK_Shift_L 0xffe1u
#define XK_Shift_R 0xffe2u
#define XK_Control_L 0xffe3u
#define XK_Control_R 0xffe4u
#define XK_Meta_L 0xffe7u
#define XK_Meta_R 0xffe8u
#define XK_Alt_L 0xffe9u
#define XK_Alt_R 0xffeau
#define XK_Super_L 0xffebu
#define XK_Super_R 0xffecu

uint16_t guid_keysym_modifier(uint32_t keysym)
{
    switch (keysym) {
    case XK_Shift_L:
    case XK_Shift_R: return 0x0001; /* ShiftMask */
    case XK_Control_L:
    case XK_Control_R: return 0x0004; /* ControlMask */
    case XK_Meta_L:
    case XK_Meta_R:
    case XK_Alt_L:
    case XK_Alt_R: return 0x0008; /* Mod1Mask */
    case XK_Super_L:
    case XK_Super_R: return 0x0040; /* Mod4Mask */
    default: return 0;
    }
}

void guid_keyhold_init(struct guid_keyhold *kh, uint16_t hold_mask)
{
    memset(kh, 0, sizeof(*kh));
    kh->hold_mask = hold_mask;
}

static bool bit_get(const uint8_t map[32], uint8_t code)
{
    return (map[code / 8] >> (code % 8)) & 1;
}

static void bit_set(uint8_t map[32], uint8_t code, bool on)
{
    if (on)
        map[code / 8] |= (uint8_t)(1u << (code % 8));
    else
        map[code / 8] &= (uint8_t)~(1u << (code % 8));
}

static bool swallowed(const struct guid_keyhold *kh, uint8_t code)
{
    return bit_get(kh->swallow, code);
}

void guid_keyhold_flush(struct guid_keyhold *kh, struct guid_key_ev flush[GUID_KEYHOLD_MAX],
                        int *nflush)
{
    memcpy(flush, kh->held, (size_t)kh->nheld * sizeof(kh->held[0]));
    *nflush = kh->nheld;
    kh->nheld = 0;
}

void guid_keyhold_reset(struct guid_keyhold *kh)
{
    kh->nheld = 0;
}

static bool is_held(const struct guid_keyhold *kh, uint8_t code)
{
    for (int i = 0; i < kh->nheld; i++)
        if (kh->held[i].keycode == code)
            return true;
    return false;
}

enum guid_key_action guid_keyhold_key(struct guid_keyhold *kh, const struct guid_key_ev *ev,
                                      uint32_t keysym, bool is_hotkey,
                                      struct guid_key_ev flush[GUID_KEYHOLD_MAX], int *nflush)
{
    *nflush = 0;
    uint16_t mod = guid_keysym_modifier(keysym);
    if (!ev->press) {
        if (swallowed(kh, ev->keycode)) {
            bit_set(kh->swallow, ev->keycode, false);
            bit_set(kh->swallow_mod, ev->keycode, false);
            return GUID_KEY_DROP;
        }
        if (is_held(kh, ev->keycode)) /* a modifier tapped alone, e.g. Shift */
            guid_keyhold_flush(kh, flush, nflush);
        return GUID_KEY_FORWARD;
    }
    if (is_hotkey) {
        /* the held modifiers and this key never reach the guest, presses
         * nor releases */
        for (int i = 0; i < kh->nheld; i++) {
            bit_set(kh->swallow, kh->held[i].keycode, true);
            bit_set(kh->swallow_mod, kh->held[i].keycode, true);
        }
        kh->nheld = 0;
        bit_set(kh->swallow, ev->keycode, true);
        return GUID_KEY_HOTKEY;
    }
    if (mod & kh->hold_mask) {
        if (is_held(kh, ev->keycode) || swallowed(kh, ev->keycode))
            return GUID_KEY_DROP; /* autorepeat of a held or swallowed modifier */
        if (kh->nheld == GUID_KEYHOLD_MAX) /* more modifiers than any hotkey: give up holding */
            guid_keyhold_flush(kh, flush, nflush);
        kh->held[kh->nheld++] = *ev;
        return GUID_KEY_HOLD;
    }
    /* An ordinary key: what was held was for it.  Modifiers swallowed by an
     * earlier hotkey are now in use again (the agent syncs them from the
     * state), so their releases must flow. */
    for (size_t i = 0; i < sizeof(kh->swallow_mod); i++) {
        kh->swallow[i] &= (uint8_t)~kh->swallow_mod[i];
        kh->swallow_mod[i] = 0;
    }
    guid_keyhold_flush(kh, flush, nflush);
    return GUID_KEY_FORWARD;
}
