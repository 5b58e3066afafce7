/* Protocol validators: the type table, header checks, dispatch to the body
 * parsers, version negotiation and the pure geometry helpers.  No I/O, no
 * allocation, no global state (the table is const). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "validate_internal.h"

#define ALL_STREAMS                                                                                \
    (FEN_ON_GUI_G | FEN_ON_GUI_D | FEN_ON_CLIP_G | FEN_ON_CLIP_D | FEN_ON_AUDIO_G | FEN_ON_AUDIO_D)

/* Fixed message. */
#define FIXED(t, n, on, win, st, fn)                                                               \
    {                                                                                              \
        .type = (t), .name = (n), .streams = (on), .window = (win), .fixed = sizeof(st),           \
        .parse = (fn)                                                                              \
    }
/* Empty message. */
#define EMPTY(t, n, on, fn)                                                                        \
    {                                                                                              \
        .type = (t), .name = (n), .streams = (on), .window = FEN_WIN_REQUIRED, .fixed = 0,         \
        .parse = (fn)                                                                              \
    }
/* VAR message: fixed part `st`, count at offset `off`, elements of `el` bytes. */
#define VAR(t, n, on, win, st, off, el, lo, hi, fn)                                                \
    {                                                                                              \
        .type = (t), .name = (n), .streams = (on), .window = (win), .fixed = sizeof(st),           \
        .elem = (el), .count_off = offsetof(st, off), .count_name = #off, .min_count = (lo),       \
        .max_count = (hi), .parse = (fn)                                                           \
    }

static const struct fen_type_info type_table[] = {
    FIXED(FEN_MSG_HELLO, "HELLO", ALL_STREAMS, FEN_WIN_NONE, struct fen_msg_hello, fen_parse_hello),

    FIXED(FEN_MSG_CREATE, "CREATE", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_create,
          fen_parse_gui),
    EMPTY(FEN_MSG_DESTROY, "DESTROY", FEN_ON_GUI_G, fen_parse_gui),
    FIXED(FEN_MSG_MAP, "MAP", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_map, fen_parse_gui),
    EMPTY(FEN_MSG_UNMAP, "UNMAP", FEN_ON_GUI_G, fen_parse_gui),
    FIXED(FEN_MSG_CONFIGURE, "CONFIGURE", FEN_ON_GUI_G | FEN_ON_GUI_D, FEN_WIN_REQUIRED,
          struct fen_msg_configure, fen_parse_gui),
    VAR(FEN_MSG_DAMAGE, "DAMAGE", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_damage, count,
        sizeof(struct fen_rect), 1, FEN_MAX_DAMAGE_RECTS, fen_parse_gui),
    VAR(FEN_MSG_WINDOW_DUMP, "WINDOW_DUMP", FEN_ON_GUI_G, FEN_WIN_REQUIRED,
        struct fen_msg_window_dump, num_refs, sizeof(uint32_t), 1, FEN_MAX_REFS_PER_WINDOW,
        fen_parse_gui),
    VAR(FEN_MSG_TITLE, "TITLE", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_title, length, 1, 0,
        FEN_MAX_TITLE_BYTES, fen_parse_gui),
    FIXED(FEN_MSG_WM_CLASS, "WM_CLASS", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_wm_class,
          fen_parse_gui),
    FIXED(FEN_MSG_SIZE_HINTS, "SIZE_HINTS", FEN_ON_GUI_G, FEN_WIN_REQUIRED,
          struct fen_msg_size_hints, fen_parse_gui),
    FIXED(FEN_MSG_WM_FLAGS, "WM_FLAGS", FEN_ON_GUI_G | FEN_ON_GUI_D, FEN_WIN_REQUIRED,
          struct fen_msg_wm_flags, fen_parse_gui),
    FIXED(FEN_MSG_CURSOR, "CURSOR", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_cursor,
          fen_parse_gui),
    FIXED(FEN_MSG_POOL, "POOL", FEN_ON_GUI_G, FEN_WIN_NONE, struct fen_msg_pool, fen_parse_gui),
    FIXED(FEN_MSG_DUMP_ACK, "DUMP_ACK", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_dump_ack,
          fen_parse_gui),
    FIXED(FEN_MSG_FRAME_MARK, "FRAME_MARK", FEN_ON_GUI_G, FEN_WIN_REQUIRED, struct fen_msg_frame,
          fen_parse_gui),
    FIXED(FEN_MSG_FRAME_SHOWN, "FRAME_SHOWN", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_frame,
          fen_parse_gui),

    FIXED(FEN_MSG_KEY, "KEY", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_key, fen_parse_input),
    FIXED(FEN_MSG_BUTTON, "BUTTON", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_button,
          fen_parse_input),
    FIXED(FEN_MSG_MOTION, "MOTION", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_motion,
          fen_parse_input),
    FIXED(FEN_MSG_CROSSING, "CROSSING", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_crossing,
          fen_parse_input),
    FIXED(FEN_MSG_FOCUS, "FOCUS", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_focus,
          fen_parse_input),
    FIXED(FEN_MSG_KEYMAP, "KEYMAP", FEN_ON_GUI_D, FEN_WIN_REQUIRED, struct fen_msg_keymap,
          fen_parse_input),
    EMPTY(FEN_MSG_CLOSE, "CLOSE", FEN_ON_GUI_D, fen_parse_input),

    FIXED(FEN_MSG_CLIP_REQUEST, "CLIP_REQUEST", FEN_ON_CLIP_D, FEN_WIN_NONE,
          struct fen_msg_clip_request, fen_parse_clip),
    VAR(FEN_MSG_CLIP_DATA, "CLIP_DATA", FEN_ON_CLIP_G, FEN_WIN_NONE, struct fen_msg_clip_data,
        length, 1, 0, FEN_MAX_CLIPBOARD_BYTES, fen_parse_clip),
    VAR(FEN_MSG_CLIP_PASTE, "CLIP_PASTE", FEN_ON_CLIP_D, FEN_WIN_NONE, struct fen_msg_clip_data,
        length, 1, 0, FEN_MAX_CLIPBOARD_BYTES, fen_parse_clip),
    FIXED(FEN_MSG_CLIP_PASTE_ACK, "CLIP_PASTE_ACK", FEN_ON_CLIP_G, FEN_WIN_NONE,
          struct fen_msg_clip_paste_ack, fen_parse_clip),

    FIXED(FEN_MSG_AUDIO_FORMAT, "AUDIO_FORMAT", FEN_ON_AUDIO_G | FEN_ON_AUDIO_D, FEN_WIN_NONE,
          struct fen_msg_audio_format, fen_parse_audio),
    VAR(FEN_MSG_AUDIO_PCM, "AUDIO_PCM", FEN_ON_AUDIO_G, FEN_WIN_NONE, struct fen_msg_audio_pcm,
        length, 1, 1, FEN_MAX_AUDIO_CHUNK_BYTES, fen_parse_audio),
    FIXED(FEN_MSG_AUDIO_CORK, "AUDIO_CORK", FEN_ON_AUDIO_G, FEN_WIN_NONE, struct fen_msg_audio_cork,
          fen_parse_audio),
    FIXED(FEN_MSG_AUDIO_MIC_REQUEST, "AUDIO_MIC_REQUEST", FEN_ON_AUDIO_G, FEN_WIN_NONE,
          struct fen_msg_audio_mic_request, fen_parse_audio),
    VAR(FEN_MSG_AUDIO_MIC_PCM, "AUDIO_MIC_PCM", FEN_ON_AUDIO_D, FEN_WIN_NONE,
        struct fen_msg_audio_pcm, length, 1, 1, FEN_MAX_AUDIO_CHUNK_BYTES, fen_parse_audio),
    FIXED(FEN_MSG_AUDIO_LATENCY, "AUDIO_LATENCY", FEN_ON_AUDIO_G | FEN_ON_AUDIO_D, FEN_WIN_NONE,
          struct fen_msg_audio_latency, fen_parse_audio),
};

const struct fen_type_info *fen_type_lookup(uint32_t type)
{
    for (size_t i = 0; i < sizeof type_table / sizeof type_table[0]; i++)
        if (type_table[i].type == type)
            return &type_table[i];
    return NULL;
}

const char *fen_err_name(enum fen_err code)
{
    switch (code) {
    case FEN_OK:
        return "OK";
    case FEN_E_TRUNCATED:
        return "TRUNCATED";
    case FEN_E_LENGTH:
        return "LENGTH";
    case FEN_E_TYPE:
        return "TYPE";
    case FEN_E_RANGE:
        return "RANGE";
    case FEN_E_OVERFLOW:
        return "OVERFLOW";
    case FEN_E_STRING:
        return "STRING";
    case FEN_E_UTF8:
        return "UTF8";
    case FEN_E_VERSION:
        return "VERSION";
    case FEN_E_STATE:
        return "STATE";
    }
    return "UNKNOWN_ERROR";
}

/* No buffer to format the number into (no globals): unknown types are named
 * "unknown"; reasons print the value themselves. */
const char *fen_msg_type_name(uint32_t type)
{
    const struct fen_type_info *ti = fen_type_lookup(type);
    return ti ? ti->name : "unknown";
}

enum fen_err fen_fail(struct fen_error *err, enum fen_err code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->reason, sizeof err->reason, fmt, ap);
        va_end(ap);
    }
    return code;
}

enum fen_err fen_check_u32(struct fen_error *err, const char *msg, const char *field, uint32_t v,
                           uint32_t lo, uint32_t hi)
{
    if (v < lo || v > hi)
        return fen_fail(err, FEN_E_RANGE, "%s: %s %u outside %u..%u", msg, field, v, lo, hi);
    return FEN_OK;
}

enum fen_err fen_check_i32(struct fen_error *err, const char *msg, const char *field, int32_t v,
                           int32_t lo, int32_t hi)
{
    if (v < lo || v > hi)
        return fen_fail(err, FEN_E_RANGE, "%s: %s %d outside %d..%d", msg, field, v, lo, hi);
    return FEN_OK;
}

enum fen_err fen_check_bool(struct fen_error *err, const char *msg, const char *field, uint32_t v)
{
    if (v > 1)
        return fen_fail(err, FEN_E_RANGE, "%s: %s %u is not 0 or 1", msg, field, v);
    return FEN_OK;
}

enum fen_stream_kind fen_stream_kind_of(enum fen_stream stream)
{
    switch (stream) {
    case FEN_GUI_FROM_GUEST:
    case FEN_GUI_FROM_DOM0:
        return FEN_STREAM_GUI;
    case FEN_CLIP_FROM_GUEST:
    case FEN_CLIP_FROM_DOM0:
        return FEN_STREAM_CLIPBOARD;
    case FEN_AUDIO_FROM_GUEST:
    case FEN_AUDIO_FROM_DOM0:
        return FEN_STREAM_AUDIO;
    }
    return 0;
}

bool fen_stream_from_guest(enum fen_stream stream)
{
    return stream == FEN_GUI_FROM_GUEST || stream == FEN_CLIP_FROM_GUEST ||
           stream == FEN_AUDIO_FROM_GUEST;
}

static const char *stream_name(enum fen_stream stream)
{
    switch (stream) {
    case FEN_GUI_FROM_GUEST:
        return "gui stream from guest";
    case FEN_GUI_FROM_DOM0:
        return "gui stream from dom0";
    case FEN_CLIP_FROM_GUEST:
        return "clipboard stream from guest";
    case FEN_CLIP_FROM_DOM0:
        return "clipboard stream from dom0";
    case FEN_AUDIO_FROM_GUEST:
        return "audio stream from guest";
    case FEN_AUDIO_FROM_DOM0:
        return "audio stream from dom0";
    }
    return "unknown stream";
}

/* Largest body a type may have: fixed + max_count * elem (fits in 64 bits). */
static uint64_t type_max_body(const struct fen_type_info *ti)
{
    return (uint64_t)ti->fixed + (uint64_t)ti->max_count * ti->elem;
}

enum fen_err fen_check_header(enum fen_stream stream, const struct fen_hdr *hdr, uint32_t max_body,
                              struct fen_error *err)
{
    if ((unsigned)stream > FEN_AUDIO_FROM_DOM0)
        return fen_fail(err, FEN_E_TYPE, "invalid stream %u", (unsigned)stream);
    const struct fen_type_info *ti = fen_type_lookup(hdr->type);
    if (!ti)
        return fen_fail(err, FEN_E_TYPE, "unknown message type 0x%x on %s", hdr->type,
                        stream_name(stream));
    if (!(ti->streams & FEN_ON(stream)))
        return fen_fail(err, FEN_E_TYPE, "%s: not allowed on %s", ti->name, stream_name(stream));
    if (ti->window == FEN_WIN_NONE && hdr->window != 0)
        return fen_fail(err, FEN_E_RANGE, "%s: window %u must be 0 (stream-level message)",
                        ti->name, hdr->window);
    if (ti->window == FEN_WIN_REQUIRED && hdr->window == 0)
        return fen_fail(err, FEN_E_RANGE, "%s: window 0 (a window message needs a window id)",
                        ti->name);
    if (ti->elem == 0) {
        if (hdr->length != ti->fixed)
            return fen_fail(err, FEN_E_LENGTH, "%s: length %u, must be %u", ti->name, hdr->length,
                            ti->fixed);
        return FEN_OK;
    }
    uint64_t lo = (uint64_t)ti->fixed + (uint64_t)ti->min_count * ti->elem;
    uint64_t hi = type_max_body(ti);
    if (hdr->length < lo || hdr->length > hi)
        return fen_fail(err, FEN_E_LENGTH, "%s: length %u outside %llu..%llu", ti->name,
                        hdr->length, (unsigned long long)lo, (unsigned long long)hi);
    if ((hdr->length - ti->fixed) % ti->elem != 0)
        return fen_fail(err, FEN_E_LENGTH, "%s: length %u is not %u + a multiple of %u", ti->name,
                        hdr->length, ti->fixed, ti->elem);
    if (max_body != 0 && hdr->length > max_body)
        return fen_fail(err, FEN_E_LENGTH, "%s: length %u above this connection's limit %u",
                        ti->name, hdr->length, max_body);
    return FEN_OK;
}

enum fen_err fen_parse_msg(enum fen_stream stream, const uint8_t *buf, size_t len,
                           uint32_t max_body, struct fen_msg *out, struct fen_error *err)
{
    struct fen_hdr hdr;
    enum fen_err rc;

    if (err) {
        err->code = FEN_OK;
        err->reason[0] = '\0';
    }
    memset(out, 0, sizeof *out);
    if (buf == NULL || len < sizeof hdr)
        return fen_fail(err, FEN_E_TRUNCATED, "message of %zu bytes is shorter than a header",
                        buf ? len : 0);
    memcpy(&hdr, buf, sizeof hdr);
    rc = fen_check_header(stream, &hdr, max_body, err);
    if (rc != FEN_OK)
        return rc;
    const struct fen_type_info *ti = fen_type_lookup(hdr.type);
    size_t avail = len - sizeof hdr;
    if (avail < hdr.length)
        return fen_fail(err, FEN_E_TRUNCATED, "%s: length %u but only %zu body bytes", ti->name,
                        hdr.length, avail);
    if (avail > hdr.length)
        return fen_fail(err, FEN_E_LENGTH, "%s: length %u but %zu body bytes follow", ti->name,
                        hdr.length, avail);
    const uint8_t *body = buf + sizeof hdr;
    if (ti->elem != 0) {
        uint32_t count;
        memcpy(&count, body + ti->count_off, sizeof count);
        uint64_t want = (uint64_t)ti->fixed + (uint64_t)count * ti->elem;
        if (count < ti->min_count || count > ti->max_count)
            return fen_fail(err, FEN_E_RANGE, "%s: %s %u outside %u..%u", ti->name, ti->count_name,
                            count, ti->min_count, ti->max_count);
        if (want != hdr.length)
            return fen_fail(err, FEN_E_LENGTH, "%s: %s %u needs length %llu, header says %u",
                            ti->name, ti->count_name, count, (unsigned long long)want, hdr.length);
    }
    out->type = hdr.type;
    out->window = hdr.window;
    rc = ti->parse(ti, stream, &hdr, body, out, err);
    if (rc != FEN_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    return FEN_OK;
}

enum fen_err fen_negotiate_version(const struct fen_msg_hello *peer, enum fen_stream_kind stream,
                                   uint32_t *minor_out, struct fen_error *err)
{
    if (peer->magic != FEN_PROTO_MAGIC)
        return fen_fail(err, FEN_E_VERSION, "HELLO: magic 0x%08x is not 0x%08x", peer->magic,
                        FEN_PROTO_MAGIC);
    if (peer->major != FEN_PROTO_MAJOR)
        return fen_fail(err, FEN_E_VERSION, "HELLO: major %u does not match ours (%u)", peer->major,
                        FEN_PROTO_MAJOR);
    if (peer->stream != (uint32_t)stream)
        return fen_fail(err, FEN_E_VERSION,
                        "HELLO: stream kind %u, expected %u (crossed channels?)", peer->stream,
                        (uint32_t)stream);
    if (peer->reserved != 0)
        return fen_fail(err, FEN_E_RANGE, "HELLO: reserved 0x%x must be 0", peer->reserved);
    if (minor_out) {
        uint32_t ours = FEN_PROTO_MINOR; /* a variable: minor 0 makes `<` always false */
        *minor_out = peer->minor < ours ? peer->minor : ours;
    }
    return FEN_OK;
}

bool fen_rect_clip(struct fen_rect *r, uint32_t w, uint32_t h)
{
    int64_t x0 = r->x, y0 = r->y;
    int64_t x1 = x0 + (int64_t)r->w, y1 = y0 + (int64_t)r->h;
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > (int64_t)w)
        x1 = w;
    if (y1 > (int64_t)h)
        y1 = h;
    if (x1 <= x0 || y1 <= y0)
        return false;
    r->x = (int32_t)x0;
    r->y = (int32_t)y0;
    r->w = (uint32_t)(x1 - x0);
    r->h = (uint32_t)(y1 - y0);
    return true;
}

bool fen_image_bytes(uint32_t w, uint32_t h, uint32_t stride, uint32_t offset, uint64_t *out)
{
    if (w == 0 || h == 0 || w > FEN_MAX_WINDOW_WIDTH || h > FEN_MAX_WINDOW_HEIGHT)
        return false;
    if ((uint64_t)stride < (uint64_t)w * FEN_BYTES_PER_PIXEL || stride > FEN_MAX_STRIDE)
        return false;
    if (offset >= FEN_PAGE_SIZE)
        return false;
    /* stride <= 36864, h <= 8192: the product is below 2^29, far from overflow. */
    uint64_t bytes = (uint64_t)offset + (uint64_t)stride * h;
    if (bytes > (uint64_t)FEN_MAX_REFS_PER_WINDOW * FEN_PAGE_SIZE)
        return false;
    if (out)
        *out = bytes;
    return true;
}
