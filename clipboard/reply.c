/* Judging copy replies (see reply.h). */
#include <stdio.h>
#include <string.h>

#include "fenestra/proto.h"
#include "fenestra/validate.h"
#include "reply.h"

enum clip_verdict clip_reply_judge(const struct clip_pending *pending, uint64_t now_ms,
                                   const uint8_t *msg, size_t len, struct clip_reply *out,
                                   char *why, size_t why_size)
{
    struct fen_hdr hdr;
    struct fen_msg_clip_data untrusted_fixed;
    struct fen_msg parsed;
    struct fen_error err;

    memset(out, 0, sizeof *out);
    if (why_size)
        why[0] = '\0';
    if (!msg || len < sizeof hdr) {
        snprintf(why, why_size, "truncated message");
        return CLIP_REPLY_PROTOCOL;
    }
    memcpy(&hdr, msg, sizeof hdr);
    /* The header alone, at the protocol maximum: an over-limit reply is a
     * refused copy, not a broken stream. */
    if (fen_check_header(FEN_CLIP_FROM_GUEST, &hdr, 0, &err) != FEN_OK) {
        snprintf(why, why_size, "%s", err.reason);
        return CLIP_REPLY_PROTOCOL;
    }
    if (hdr.type != FEN_MSG_CLIP_DATA) {
        snprintf(why, why_size, "unexpected %s on the clipboard stream",
                 fen_msg_type_name(hdr.type));
        return CLIP_REPLY_PROTOCOL;
    }
    if (len - sizeof hdr != hdr.length) {
        snprintf(why, why_size, "CLIP_DATA: length %u but %zu body bytes", hdr.length,
                 len - sizeof hdr);
        return CLIP_REPLY_PROTOCOL;
    }
    memcpy(&untrusted_fixed, msg + sizeof hdr, sizeof untrusted_fixed);
    if ((uint64_t)untrusted_fixed.length + sizeof untrusted_fixed != hdr.length) {
        snprintf(why, why_size, "CLIP_DATA: text length %u does not match message length %u",
                 untrusted_fixed.length, hdr.length);
        return CLIP_REPLY_PROTOCOL;
    }
    out->request_id = untrusted_fixed.request_id;
    out->length = untrusted_fixed.length;

    if (!pending->active || untrusted_fixed.request_id != pending->request_id) {
        if (untrusted_fixed.request_id != 0 && untrusted_fixed.request_id == pending->expired_id) {
            snprintf(why, why_size, "late reply to request %u (it had timed out), dropped",
                     untrusted_fixed.request_id);
            return CLIP_REPLY_LATE;
        }
        snprintf(why, why_size, "unrequested reply (request id %u, %s), dropped",
                 untrusted_fixed.request_id,
                 pending->active ? "another request is outstanding" : "no request outstanding");
        return CLIP_REPLY_UNREQUESTED;
    }
    if (now_ms > pending->deadline_ms) {
        snprintf(why, why_size, "late reply to request %u, dropped", untrusted_fixed.request_id);
        return CLIP_REPLY_LATE;
    }
    if (untrusted_fixed.length > pending->limit) {
        snprintf(why, why_size, "the copied text is over this qube's limit of %u bytes",
                 pending->limit);
        return CLIP_REPLY_OVER_LIMIT;
    }
    enum fen_err rc = fen_parse_msg(FEN_CLIP_FROM_GUEST, msg, len,
                                    pending->limit + (uint32_t)sizeof untrusted_fixed, &parsed,
                                    &err);
    if (rc == FEN_E_UTF8 || rc == FEN_E_STRING) {
        snprintf(why, why_size, "copy refused: the text is not valid UTF-8 or contains NUL");
        return CLIP_REPLY_BAD_TEXT;
    }
    if (rc != FEN_OK) {
        snprintf(why, why_size, "%s", err.reason);
        return CLIP_REPLY_PROTOCOL;
    }
    if (parsed.u.clip_data.length == 0) {
        snprintf(why, why_size, "the qube's clipboard is empty");
        return CLIP_REPLY_EMPTY;
    }
    out->text = parsed.u.clip_data.text;
    out->length = parsed.u.clip_data.length;
    snprintf(why, why_size, "copied %u bytes", out->length);
    return CLIP_REPLY_ACCEPT;
}

bool clip_verdict_answers(enum clip_verdict v)
{
    return v == CLIP_REPLY_ACCEPT || v == CLIP_REPLY_EMPTY || v == CLIP_REPLY_OVER_LIMIT ||
           v == CLIP_REPLY_BAD_TEXT;
}

const char *clip_verdict_name(enum clip_verdict v)
{
    switch (v) {
    case CLIP_REPLY_ACCEPT: return "accepted";
    case CLIP_REPLY_EMPTY: return "empty";
    case CLIP_REPLY_UNREQUESTED: return "unrequested";
    case CLIP_REPLY_LATE: return "late";
    case CLIP_REPLY_OVER_LIMIT: return "over-limit";
    case CLIP_REPLY_BAD_TEXT: return "invalid-text";
    case CLIP_REPLY_PROTOCOL: return "protocol-error";
    }
    return "unknown";
}
