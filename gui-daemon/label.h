/* Label colors: the qube's trusted frame color (pure, no X). */
#ifndef GUID_LABEL_H
#define GUID_LABEL_H

#include <stdint.h>

/* Parse a label: one of red, orange, yellow, green, gray (grey), blue,
 * purple, black, or #RRGGBB.  Fills *rgb (0xRRGGBB) and returns 0, or -1 for
 * anything else (NULL, empty, unknown name, bad hex). */
int guid_label_parse(const char *text, uint32_t *rgb) __attribute__((warn_unused_result));

#endif
