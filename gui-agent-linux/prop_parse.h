/* Pure parsers for the X properties the agent forwards (no X connection):
 * they turn raw property values of a (guest-local, but still arbitrary)
 * client into messages that always pass dom0's validators. */
#ifndef GUI_AGENT_PROP_PARSE_H
#define GUI_AGENT_PROP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fenestra/proto.h"

/* WM_NORMAL_HINTS (WM_SIZE_HINTS, up to 18 CARD32s) -> SIZE_HINTS.  Values
 * are clamped into the protocol's ranges; a max below min is dropped. */
void prop_size_hints(const uint32_t *v, size_t n, struct fen_msg_size_hints *out);

/* WM_HINTS: is the urgency bit set? */
bool prop_wm_hints_urgent(const uint32_t *v, size_t n);

/* The atoms of _NET_WM_STATE values the agent understands. */
struct prop_state_atoms {
    uint32_t fullscreen, demands_attention, max_vert, max_horz, hidden;
};

/* FEN_WMFLAG_* bit for one _NET_WM_STATE atom (0 when not ours).  Either
 * maximized atom counts as maximized. */
uint32_t prop_state_atom_flag(const struct prop_state_atoms *a, uint32_t atom);

/* _NET_WM_STATE property (a list of atoms) -> FEN_WMFLAG_* bits. */
uint32_t prop_net_wm_state_flags(const struct prop_state_atoms *a, const uint32_t *atoms,
                                 size_t n);

/* A _NET_WM_STATE client message (action 0 remove, 1 add, 2 toggle; two
 * atoms) applied to `flags`.  Unknown actions leave flags unchanged. */
uint32_t prop_apply_state_request(const struct prop_state_atoms *a, uint32_t flags,
                                  uint32_t action, uint32_t atom1, uint32_t atom2);

/* FEN_WMFLAG_* bits -> atoms for a _NET_WM_STATE property; returns count
 * (out has room for 5). */
size_t prop_flags_to_atoms(const struct prop_state_atoms *a, uint32_t flags, uint32_t out[5]);

/* Title text: copy UTF-8 (or convert Latin-1 when !is_utf8) into out, at
 * most cap bytes, cut on a character boundary; invalid UTF-8 bytes are
 * replaced with '?'.  Returns the byte count (no NUL added). */
size_t prop_title_text(const uint8_t *in, size_t n, bool is_utf8, char *out, size_t cap);

/* WM_CLASS ("res_name\0res_class\0") -> wire struct: each string cut to
 * FEN_MAX_CLASS_BYTES-1 bytes, control characters replaced with '_'. */
void prop_wm_class(const uint8_t *in, size_t n, struct fen_msg_wm_class *out);

#endif
