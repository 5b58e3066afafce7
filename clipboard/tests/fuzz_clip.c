/* libFuzzer target over the clipboard's pure parts.
 *
 * Byte 0 picks the target: even = the policy parser (then a decision for a
 * few names), odd = the reply judge (bytes 1..12 fill the pending request:
 * active flag, id, limit; the rest is one message).  An accepted reply must
 * carry valid UTF-8 without NUL within the limit; anything else aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/validate.h"
#include "../policy.h"
#include "../reply.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_policy(const uint8_t *data, size_t size)
{
    char err[160];
    struct clip_policy *p = clip_policy_parse((const char *)data, size, err, sizeof err);
    if (!p) {
        CHECK(err[0] != '\0');
        return;
    }
    static const char *const names[] = {"work", "vault", "a", "sys-net"};
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++) {
            unsigned line;
            enum clip_decision d = clip_policy_decide(p, names[i], names[j], &line);
            CHECK(d == CLIP_ALLOW || d == CLIP_DENY);
            CHECK(d == CLIP_ALLOW || line > 0);
        }
    clip_policy_destroy(p);
}

static void fuzz_reply(const uint8_t *data, size_t size)
{
    if (size < 12)
        return;
    struct clip_pending pending = {0};
    uint32_t id, limit;
    memcpy(&id, data + 4, 4);
    memcpy(&limit, data + 8, 4);
    pending.active = data[0] & 1;
    pending.request_id = id;
    pending.limit = limit % (FEN_MAX_CLIPBOARD_BYTES + 1);
    pending.deadline_ms = 1000;
    pending.expired_id = data[1];
    struct clip_reply r;
    char why[200];
    enum clip_verdict v =
        clip_reply_judge(&pending, data[2] * 8u, data + 12, size - 12, &r, why, sizeof why);
    CHECK(why[0] != '\0');
    if (v == CLIP_REPLY_ACCEPT) {
        CHECK(pending.active && r.request_id == pending.request_id);
        CHECK(r.length > 0 && r.length <= pending.limit);
        CHECK(r.text >= (const char *)data + 12 + 20);
        CHECK(r.text + r.length <= (const char *)data + size);
        CHECK(fen_utf8_valid((const uint8_t *)r.text, r.length, true));
    } else {
        CHECK(r.text == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        fuzz_reply(data + 1, size - 1);
    else
        fuzz_policy(data + 1, size - 1);
    return 0;
}
