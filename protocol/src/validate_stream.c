/* Body parsers for the handshake, the input events dom0 sends on the gui
 * stream, and the clipboard and audio streams. */
#include <string.h>

#include "validate_internal.h"

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        enum fen_err rc_ = (expr);                                                                 \
        if (rc_ != FEN_OK)                                                                         \
            return rc_;                                                                            \
    } while (0)

/* X11 modifier and button mask: ShiftMask (1<<0) .. Button5Mask (1<<12). */
#define FEN_STATE_MASK 0x1fffu
/* Features known to this version; unknown bits a newer peer advertises are
 * dropped (features are negotiated, never required). */
#define FEN_FEATURES_KNOWN FEN_FEATURES_ALL
#define FEN_MAX_LATENCY_USEC 10000000u

enum fen_err fen_parse_hello(const struct fen_type_info *ti, enum fen_stream stream,
                             const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                             struct fen_error *err)
{
    struct fen_msg_hello m;
    memcpy(&m, body, sizeof m);
    TRY(fen_negotiate_version(&m, fen_stream_kind_of(stream), NULL, err));
    if (fen_stream_from_guest(stream)) {
        if (m.screen_w != 0 || m.screen_h != 0)
            return fen_fail(err, FEN_E_RANGE, "HELLO: screen %ux%u from a guest, must be 0x0",
                            m.screen_w, m.screen_h);
    } else {
        TRY(fen_check_u32(err, "HELLO", "screen_w", m.screen_w, 0, FEN_MAX_COORD));
        TRY(fen_check_u32(err, "HELLO", "screen_h", m.screen_h, 0, FEN_MAX_COORD));
    }
    m.features &= FEN_FEATURES_KNOWN;
    out->u.hello = m;
    return FEN_OK;
}

/* ---- input events: dom0 -> guest --------------------------------------- */

static enum fen_err check_pointer(struct fen_error *err, const char *n, int32_t x, int32_t y,
                                  uint32_t state)
{
    TRY(fen_check_i32(err, n, "x", x, FEN_MIN_COORD, FEN_MAX_COORD));
    TRY(fen_check_i32(err, n, "y", y, FEN_MIN_COORD, FEN_MAX_COORD));
    if (state & ~FEN_STATE_MASK)
        return fen_fail(err, FEN_E_RANGE, "%s: state 0x%x has bits outside 0x%x", n, state,
                        FEN_STATE_MASK);
    return FEN_OK;
}

enum fen_err fen_parse_input(const struct fen_type_info *ti, enum fen_stream stream,
                             const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                             struct fen_error *err)
{
    const char *n = ti->name;
    switch (hdr->type) {
    case FEN_MSG_KEY: {
        struct fen_msg_key m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "type", m.type, FEN_KEY_PRESS, FEN_KEY_RELEASE));
        TRY(check_pointer(err, n, m.x, m.y, m.state));
        TRY(fen_check_u32(err, n, "keycode", m.keycode, 8, 255));
        out->u.key = m;
        return FEN_OK;
    }
    case FEN_MSG_BUTTON: {
        struct fen_msg_button m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "type", m.type, FEN_BUTTON_PRESS, FEN_BUTTON_RELEASE));
        TRY(check_pointer(err, n, m.x, m.y, m.state));
        TRY(fen_check_u32(err, n, "button", m.button, 1, 15));
        out->u.button = m;
        return FEN_OK;
    }
    case FEN_MSG_MOTION: {
        struct fen_msg_motion m;
        memcpy(&m, body, sizeof m);
        TRY(check_pointer(err, n, m.x, m.y, m.state));
        TRY(fen_check_bool(err, n, "is_hint", m.is_hint));
        out->u.motion = m;
        return FEN_OK;
    }
    case FEN_MSG_CROSSING: {
        struct fen_msg_crossing m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "type", m.type, FEN_CROSS_ENTER, FEN_CROSS_LEAVE));
        TRY(check_pointer(err, n, m.x, m.y, m.state));
        TRY(fen_check_u32(err, n, "mode", m.mode, 0, 2));
        TRY(fen_check_u32(err, n, "detail", m.detail, 0, 4));
        out->u.crossing = m;
        return FEN_OK;
    }
    case FEN_MSG_FOCUS: {
        struct fen_msg_focus m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "type", m.type, FEN_FOCUS_IN, FEN_FOCUS_OUT));
        TRY(fen_check_u32(err, n, "mode", m.mode, 0, 3));
        TRY(fen_check_u32(err, n, "detail", m.detail, 0, 7));
        out->u.focus = m;
        return FEN_OK;
    }
    case FEN_MSG_KEYMAP:
        memcpy(&out->u.keymap, body, sizeof out->u.keymap);
        return FEN_OK;
    case FEN_MSG_CLOSE:
        return FEN_OK;
    }
    return fen_fail(err, FEN_E_TYPE, "%s: no input parser", n);
}

/* ---- clipboard ---------------------------------------------------------- */

enum fen_err fen_parse_clip(const struct fen_type_info *ti, enum fen_stream stream,
                            const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                            struct fen_error *err)
{
    const char *n = ti->name;
    if (hdr->type == FEN_MSG_CLIP_REQUEST) {
        struct fen_msg_clip_request m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "max_bytes", m.max_bytes, 1, FEN_MAX_CLIPBOARD_BYTES));
        out->u.clip_request = m;
        return FEN_OK;
    }
    if (hdr->type == FEN_MSG_CLIP_PASTE_ACK) {
        struct fen_msg_clip_paste_ack m;
        memcpy(&m, body, sizeof m);
        if (m.paste_id == 0)
            return fen_fail(err, FEN_E_RANGE, "%s: paste_id 0", n);
        out->u.clip_paste_ack = m;
        return FEN_OK;
    }
    struct fen_msg_clip_data m;
    memcpy(&m, body, sizeof m);
    if (hdr->type == FEN_MSG_CLIP_PASTE && m.request_id == 0)
        return fen_fail(err, FEN_E_RANGE, "%s: request_id (the paste's id) 0", n);
    const uint8_t *text = body + sizeof m;
    if (memchr(text, '\0', m.length))
        return fen_fail(err, FEN_E_STRING, "%s: text contains a NUL byte", n);
    if (!fen_utf8_valid(text, m.length, true))
        return fen_fail(err, FEN_E_UTF8, "%s: text of %u bytes is not valid UTF-8", n, m.length);
    out->u.clip_data.request_id = m.request_id;
    out->u.clip_data.length = m.length;
    out->u.clip_data.text = (const char *)text;
    return FEN_OK;
}

/* ---- audio -------------------------------------------------------------- */

/* PCM chunks are checked for size only: whether the length is a whole
 * number of frames depends on the negotiated AUDIO_FORMAT, which audiod
 * checks against its stream state. */
enum fen_err fen_parse_audio(const struct fen_type_info *ti, enum fen_stream stream,
                             const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                             struct fen_error *err)
{
    const char *n = ti->name;
    switch (hdr->type) {
    case FEN_MSG_AUDIO_FORMAT: {
        struct fen_msg_audio_format m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "direction", m.direction, FEN_AUDIO_PLAYBACK, FEN_AUDIO_CAPTURE));
        if (m.rate != 44100 && m.rate != 48000)
            return fen_fail(err, FEN_E_RANGE, "%s: rate %u is not 44100 or 48000", n, m.rate);
        TRY(fen_check_u32(err, n, "sample", m.sample, FEN_AUDIO_S16LE, FEN_AUDIO_F32LE));
        TRY(fen_check_u32(err, n, "channels", m.channels, 1, 2));
        out->u.audio_format = m;
        return FEN_OK;
    }
    case FEN_MSG_AUDIO_PCM:
    case FEN_MSG_AUDIO_MIC_PCM: {
        struct fen_msg_audio_pcm m;
        memcpy(&m, body, sizeof m);
        /* length range and body size were checked by the dispatcher */
        out->u.audio_pcm.length = m.length;
        out->u.audio_pcm.data = body + sizeof m;
        return FEN_OK;
    }
    case FEN_MSG_AUDIO_CORK: {
        struct fen_msg_audio_cork m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_bool(err, n, "corked", m.corked));
        out->u.audio_cork = m;
        return FEN_OK;
    }
    case FEN_MSG_AUDIO_MIC_REQUEST: {
        struct fen_msg_audio_mic_request m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_bool(err, n, "active", m.active));
        out->u.audio_mic_request = m;
        return FEN_OK;
    }
    case FEN_MSG_AUDIO_LATENCY: {
        struct fen_msg_audio_latency m;
        memcpy(&m, body, sizeof m);
        TRY(fen_check_u32(err, n, "usec", m.usec, 0, FEN_MAX_LATENCY_USEC));
        out->u.audio_latency = m;
        return FEN_OK;
    }
    }
    return fen_fail(err, FEN_E_TYPE, "%s: no audio parser", n);
}
