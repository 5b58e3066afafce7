/* X keycode -> PC scancode (set 1) for SendInput.
 *
 * Both sides use evdev-based XKB keycodes, so keycode - 8 is the Linux evdev
 * code.  For the main block (evdev 1..88, minus 84) that code IS the set-1
 * scancode; the navigation block, right-hand modifiers, keypad enter/divide
 * and the Windows keys are E0-prefixed ("extended") and listed below with
 * their layout-independent virtual key.  Pure: no Windows calls.
 */
#include "agent.h"

struct ext_key {
    uint8_t evdev;
    uint8_t scan;
    uint8_t vk;
};

static const struct ext_key ext_keys[] = {
    {96, 0x1c, VK_RETURN},   /* KEY_KPENTER */
    {97, 0x1d, VK_RCONTROL}, /* KEY_RIGHTCTRL */
    {98, 0x35, VK_DIVIDE},   /* KEY_KPSLASH */
    {99, 0x37, VK_SNAPSHOT}, /* KEY_SYSRQ */
    {100, 0x38, VK_RMENU},   /* KEY_RIGHTALT */
    {102, 0x47, VK_HOME},    /* KEY_HOME */
    {103, 0x48, VK_UP},      /* KEY_UP */
    {104, 0x49, VK_PRIOR},   /* KEY_PAGEUP */
    {105, 0x4b, VK_LEFT},    /* KEY_LEFT */
    {106, 0x4d, VK_RIGHT},   /* KEY_RIGHT */
    {107, 0x4f, VK_END},     /* KEY_END */
    {108, 0x50, VK_DOWN},    /* KEY_DOWN */
    {109, 0x51, VK_NEXT},    /* KEY_PAGEDOWN */
    {110, 0x52, VK_INSERT},  /* KEY_INSERT */
    {111, 0x53, VK_DELETE},  /* KEY_DELETE */
    {125, 0x5b, VK_LWIN},    /* KEY_LEFTMETA */
    {126, 0x5c, VK_RWIN},    /* KEY_RIGHTMETA */
    {127, 0x5d, VK_APPS},    /* KEY_COMPOSE (menu key) */
};

bool keymap_x_to_scancode(uint32_t keycode, uint16_t *scan, bool *extended, uint16_t *vk)
{
    if (keycode < 8 || keycode > 255)
        return false;
    uint32_t evdev = keycode - 8;
    *vk = 0;
    *extended = false;
    if (evdev >= 1 && evdev <= 88 && evdev != 84) {
        *scan = (uint16_t)evdev; /* main block: evdev code == set-1 scancode */
        return true;
    }
    for (size_t i = 0; i < sizeof ext_keys / sizeof ext_keys[0]; i++) {
        if (ext_keys[i].evdev == evdev) {
            *scan = ext_keys[i].scan;
            *extended = true;
            *vk = ext_keys[i].vk;
            return true;
        }
    }
    return false;
}
