/* Clipboard policy: which qube may paste into which.  Pure: the parser takes
 * the file's text, the decision takes two qube names; no I/O, no globals.
 *
 * File format (one rule per line, '#' starts a comment, blank lines ignored):
 *     SOURCE TARGET allow|deny
 * SOURCE and TARGET are qube names or '*' (any qube).  The first rule that
 * matches a (source, target) pair decides; when none matches, the paste is
 * allowed (the user asked for it with a hotkey). */
#ifndef CLIPBOARD_POLICY_H
#define CLIPBOARD_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "fenestra/validate.h" /* fen_qube_name_valid */

#define CLIP_QUBE_NAME_MAX FEN_QUBE_NAME_MAX
#define CLIP_POLICY_MAX_RULES 4096

struct clip_policy;

enum clip_decision { CLIP_ALLOW = 0, CLIP_DENY = 1 };


/* Parse `len` bytes of policy text.  Returns a policy (free with
 * clip_policy_destroy), or NULL with a reason naming the line in err. */
struct clip_policy *clip_policy_parse(const char *text, size_t len, char *err, size_t err_size)
    __attribute__((warn_unused_result));
void clip_policy_destroy(struct clip_policy *policy); /* accepts NULL */

/* Decide a paste from `source` into `target`; a NULL policy allows all.
 * *rule_line receives the line of the deciding rule (0: the default). */
enum clip_decision clip_policy_decide(const struct clip_policy *policy, const char *source,
                                      const char *target, unsigned *rule_line);

size_t clip_policy_rule_count(const struct clip_policy *policy);

#endif
