/* MULTIPLE's ATOM_PAIR property, checked before use (see atom_pairs.h). */
#include "atom_pairs.h"

#define ATOM_ATOM 4u /* the predefined X atom ATOM */

int clip_atom_pairs_check(const struct clip_prop_reply *r, uint32_t atom_pair, const char **reason)
{
    const char *why = NULL;
    if (r->type == 0)
        why = "the requestor's property does not exist";
    else if (r->type != atom_pair && r->type != ATOM_ATOM)
        why = "the property is not of type ATOM_PAIR";
    else if (r->format != 32)
        why = "the property is not of format 32";
    else if (r->bytes_after != 0 || r->value_len > 2u * CLIP_MULTIPLE_MAX_PAIRS)
        why = "too many pairs";
    else if (r->value_len == 0)
        why = "no pairs";
    else if (r->value_len % 2 != 0)
        why = "an odd number of atoms";
    else if (r->data_bytes != (size_t)r->value_len * 4u)
        why = "the reply's length does not match its item count";
    if (why) {
        *reason = why;
        return -1;
    }
    *reason = NULL;
    return (int)(r->value_len / 2);
}
