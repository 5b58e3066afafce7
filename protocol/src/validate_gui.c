/* Body parsers for the gui stream's window messages (guest -> dom0 and the
 * two "both" types).  Each reads the wire struct with memcpy (the buffer may
 * be unaligned) and checks every field before it lands in `out`. */
#include <string.h>

#include "validate_internal.h"

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        enum fen_err rc_ = (expr);                                                                 \
        if (rc_ != FEN_OK)                                                                         \
            return rc_;                                                                            \
    } while (0)

/* A window's rectangle: origin in coordinate range, size 1..max. */
static enum fen_err check_window_rect(struct fen_error *err, const char *msg,
                                      const struct fen_rect *r)
{
    TRY(fen_check_u32(err, msg, "width", r->w, 1, FEN_MAX_WINDOW_WIDTH));
    TRY(fen_check_u32(err, msg, "height", r->h, 1, FEN_MAX_WINDOW_HEIGHT));
    TRY(fen_check_i32(err, msg, "x", r->x, FEN_MIN_COORD, FEN_MAX_COORD));
    TRY(fen_check_i32(err, msg, "y", r->y, FEN_MIN_COORD, FEN_MAX_COORD));
    return FEN_OK;
}

static enum fen_err parse_create(const struct fen_hdr *hdr, const uint8_t *body,
                                 struct fen_msg *out, struct fen_error *err)
{
    struct fen_msg_create m;
    memcpy(&m, body, sizeof m);
    TRY(check_window_rect(err, "CREATE", &m.rect));
    if (m.parent == hdr->window)
        return fen_fail(err, FEN_E_RANGE, "CREATE: parent %u is the window itself", m.parent);
    TRY(fen_check_bool(err, "CREATE", "override_redirect", m.override_redirect));
    out->u.create = m;
    return FEN_OK;
}

static enum fen_err parse_map(const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                              struct fen_error *err)
{
    struct fen_msg_map m;
    memcpy(&m, body, sizeof m);
    if (m.transient_for == hdr->window)
        return fen_fail(err, FEN_E_RANGE, "MAP: transient_for %u is the window itself",
                        m.transient_for);
    TRY(fen_check_bool(err, "MAP", "override_redirect", m.override_redirect));
    out->u.map = m;
    return FEN_OK;
}

static enum fen_err parse_configure(const uint8_t *body, struct fen_msg *out, struct fen_error *err)
{
    struct fen_msg_configure m;
    memcpy(&m, body, sizeof m);
    TRY(check_window_rect(err, "CONFIGURE", &m.rect));
    TRY(fen_check_bool(err, "CONFIGURE", "override_redirect", m.override_redirect));
    out->u.configure = m;
    return FEN_OK;
}

/* Damage rects are in window coordinates; the daemon clips them to the
 * window (fen_rect_clip).  Here: non-empty, and small enough that x+w and
 * y+h can never overflow. */
static enum fen_err parse_damage(const uint8_t *body, struct fen_msg *out, struct fen_error *err)
{
    uint32_t count;
    memcpy(&count, body, sizeof count);
    for (uint32_t i = 0; i < count; i++) {
        struct fen_rect r;
        memcpy(&r, body + sizeof count + (size_t)i * sizeof r, sizeof r);
        if (r.w < 1 || r.w > FEN_MAX_WINDOW_WIDTH || r.h < 1 || r.h > FEN_MAX_WINDOW_HEIGHT)
            return fen_fail(err, FEN_E_RANGE, "DAMAGE: rect %u size %ux%u outside 1..%ux1..%u", i,
                            r.w, r.h, FEN_MAX_WINDOW_WIDTH, FEN_MAX_WINDOW_HEIGHT);
        if (r.x < FEN_MIN_COORD || r.x > FEN_MAX_COORD || r.y < FEN_MIN_COORD ||
            r.y > FEN_MAX_COORD)
            return fen_fail(err, FEN_E_RANGE, "DAMAGE: rect %u origin %d,%d outside %d..%d", i, r.x,
                            r.y, FEN_MIN_COORD, FEN_MAX_COORD);
        out->u.damage.rects[i] = r;
    }
    out->u.damage.count = count;
    return FEN_OK;
}

static enum fen_err parse_window_dump(const uint8_t *body, struct fen_msg *out,
                                      struct fen_error *err)
{
    struct fen_msg_window_dump m;
    memcpy(&m, body, sizeof m);
    const char *n = "WINDOW_DUMP";
    if (m.kind != FEN_DUMP_LOCAL_POOL && m.kind != FEN_DUMP_XEN_GRANT)
        return fen_fail(err, FEN_E_RANGE, "%s: kind %u is not 1 (local pool) or 2 (xen grant)", n,
                        m.kind);
    TRY(fen_check_u32(err, n, "width", m.width, 1, FEN_MAX_WINDOW_WIDTH));
    TRY(fen_check_u32(err, n, "height", m.height, 1, FEN_MAX_WINDOW_HEIGHT));
    TRY(fen_check_u32(err, n, "offset", m.offset, 0, FEN_PAGE_SIZE - 1));
    if ((uint64_t)m.stride < (uint64_t)m.width * FEN_BYTES_PER_PIXEL || m.stride % 4 != 0 ||
        m.stride > FEN_MAX_STRIDE)
        return fen_fail(err, FEN_E_RANGE,
                        "%s: stride %u for width %u (needs >= %u, a multiple of 4, <= %u)", n,
                        m.stride, m.width, m.width * FEN_BYTES_PER_PIXEL, FEN_MAX_STRIDE);
    if (m.format != FEN_FORMAT_XRGB8888 && m.format != FEN_FORMAT_ARGB8888)
        return fen_fail(err, FEN_E_RANGE, "%s: format %u is not 1 (XRGB8888) or 2 (ARGB8888)", n,
                        m.format);
    if (m.kind == FEN_DUMP_XEN_GRANT && m.pool_id != 0)
        return fen_fail(err, FEN_E_RANGE, "%s: pool_id %u must be 0 for xen grants", n, m.pool_id);
    TRY(fen_check_u32(err, n, "pool_id", m.pool_id, 0, FEN_MAX_POOLS - 1));
    uint64_t bytes;
    if (!fen_image_bytes(m.width, m.height, m.stride, m.offset, &bytes))
        return fen_fail(err, FEN_E_OVERFLOW, "%s: image %ux%u stride %u offset %u too large", n,
                        m.width, m.height, m.stride, m.offset);
    uint64_t need = (bytes + FEN_PAGE_SIZE - 1) / FEN_PAGE_SIZE;
    if (need != m.num_refs)
        return fen_fail(err, FEN_E_RANGE, "%s: num_refs %u, image of %llu bytes needs %llu", n,
                        m.num_refs, (unsigned long long)bytes, (unsigned long long)need);
    /* The refs are handed out as a uint32_t pointer into the caller's buffer. */
    const uint8_t *refs = body + sizeof m;
    if ((uintptr_t)refs % _Alignof(uint32_t) != 0)
        return fen_fail(err, FEN_E_STATE, "%s: message buffer not 4-byte aligned (caller bug)", n);
    out->u.dump.hdr = m;
    out->u.dump.refs = (const uint32_t *)(const void *)refs;
    out->u.dump.bytes = bytes;
    return FEN_OK;
}

static enum fen_err parse_title(const uint8_t *body, struct fen_msg *out)
{
    uint32_t length;
    memcpy(&length, body, sizeof length);
    fen_sanitize_text(body + sizeof length, length, out->u.title.text, sizeof out->u.title.text);
    return FEN_OK;
}

static enum fen_err parse_class_string(struct fen_error *err, const char *field, const char *in,
                                       char *out)
{
    const char *nul = memchr(in, '\0', FEN_MAX_CLASS_BYTES);
    if (!nul)
        return fen_fail(err, FEN_E_STRING, "WM_CLASS: %s has no NUL within %u bytes", field,
                        FEN_MAX_CLASS_BYTES);
    fen_sanitize_text((const uint8_t *)in, (size_t)(nul - in), out, FEN_MAX_CLASS_BYTES);
    return FEN_OK;
}

static enum fen_err parse_wm_class(const uint8_t *body, struct fen_msg *out, struct fen_error *err)
{
    struct fen_msg_wm_class m;
    memcpy(&m, body, sizeof m);
    TRY(parse_class_string(err, "res_class", m.res_class, out->u.wm_class.res_class));
    TRY(parse_class_string(err, "res_name", m.res_name, out->u.wm_class.res_name));
    return FEN_OK;
}

#define HINT_FLAGS_ALL                                                                             \
    (FEN_HINT_MIN_SIZE | FEN_HINT_MAX_SIZE | FEN_HINT_RESIZE_INC | FEN_HINT_BASE_SIZE |            \
     FEN_HINT_USER_POS | FEN_HINT_PROGRAM_POS)

/* Fields whose flag is not set are ignored and come out as 0. */
static enum fen_err parse_size_hints(const uint8_t *body, struct fen_msg *out,
                                     struct fen_error *err)
{
    struct fen_msg_size_hints m, c = {0};
    memcpy(&m, body, sizeof m);
    const char *n = "SIZE_HINTS";
    if (m.flags & ~(uint32_t)HINT_FLAGS_ALL)
        return fen_fail(err, FEN_E_RANGE, "%s: unknown flag bits 0x%x", n,
                        m.flags & ~(uint32_t)HINT_FLAGS_ALL);
    c.flags = m.flags;
    if (m.flags & FEN_HINT_MIN_SIZE) {
        TRY(fen_check_u32(err, n, "min_w", m.min_w, 0, FEN_MAX_WINDOW_WIDTH));
        TRY(fen_check_u32(err, n, "min_h", m.min_h, 0, FEN_MAX_WINDOW_HEIGHT));
        c.min_w = m.min_w;
        c.min_h = m.min_h;
    }
    if (m.flags & FEN_HINT_MAX_SIZE) {
        TRY(fen_check_u32(err, n, "max_w", m.max_w, 1, FEN_MAX_WINDOW_WIDTH));
        TRY(fen_check_u32(err, n, "max_h", m.max_h, 1, FEN_MAX_WINDOW_HEIGHT));
        c.max_w = m.max_w;
        c.max_h = m.max_h;
    }
    if ((m.flags & FEN_HINT_MIN_SIZE) && (m.flags & FEN_HINT_MAX_SIZE) &&
        (c.min_w > c.max_w || c.min_h > c.max_h))
        return fen_fail(err, FEN_E_RANGE, "%s: min %ux%u above max %ux%u", n, c.min_w, c.min_h,
                        c.max_w, c.max_h);
    if (m.flags & FEN_HINT_RESIZE_INC) {
        TRY(fen_check_u32(err, n, "inc_w", m.inc_w, 1, FEN_MAX_WINDOW_WIDTH));
        TRY(fen_check_u32(err, n, "inc_h", m.inc_h, 1, FEN_MAX_WINDOW_HEIGHT));
        c.inc_w = m.inc_w;
        c.inc_h = m.inc_h;
    }
    if (m.flags & FEN_HINT_BASE_SIZE) {
        TRY(fen_check_u32(err, n, "base_w", m.base_w, 0, FEN_MAX_WINDOW_WIDTH));
        TRY(fen_check_u32(err, n, "base_h", m.base_h, 0, FEN_MAX_WINDOW_HEIGHT));
        c.base_w = m.base_w;
        c.base_h = m.base_h;
    }
    out->u.size_hints = c;
    return FEN_OK;
}

static enum fen_err parse_wm_flags(const uint8_t *body, struct fen_msg *out, struct fen_error *err)
{
    struct fen_msg_wm_flags m;
    memcpy(&m, body, sizeof m);
    if ((m.set | m.unset) & ~FEN_WMFLAG_ALL)
        return fen_fail(err, FEN_E_RANGE, "WM_FLAGS: unknown flag bits 0x%x",
                        (m.set | m.unset) & ~FEN_WMFLAG_ALL);
    if (m.set & m.unset)
        return fen_fail(err, FEN_E_RANGE, "WM_FLAGS: bits 0x%x both set and unset",
                        m.set & m.unset);
    out->u.wm_flags = m;
    return FEN_OK;
}

static enum fen_err parse_cursor(const uint8_t *body, struct fen_msg *out, struct fen_error *err)
{
    struct fen_msg_cursor m;
    memcpy(&m, body, sizeof m);
    if (m.glyph != FEN_CURSOR_DEFAULT && (m.glyph > FEN_CURSOR_GLYPH_MAX || m.glyph % 2 != 0))
        return fen_fail(err, FEN_E_RANGE,
                        "CURSOR: glyph %u is not an even value 0..%u nor the default", m.glyph,
                        FEN_CURSOR_GLYPH_MAX);
    out->u.cursor = m;
    return FEN_OK;
}

static enum fen_err parse_pool(const uint8_t *body, struct fen_msg *out, struct fen_error *err)
{
    struct fen_msg_pool m;
    memcpy(&m, body, sizeof m);
    TRY(fen_check_u32(err, "POOL", "npages", m.npages, 1, FEN_MAX_POOL_PAGES));
    TRY(fen_check_u32(err, "POOL", "pool_id", m.pool_id, 0, FEN_MAX_POOLS - 1));
    out->u.pool = m;
    return FEN_OK;
}

enum fen_err fen_parse_gui(const struct fen_type_info *ti, enum fen_stream stream,
                           const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                           struct fen_error *err)
{
    switch (hdr->type) {
    case FEN_MSG_CREATE:
        return parse_create(hdr, body, out, err);
    case FEN_MSG_DESTROY:
    case FEN_MSG_UNMAP:
        return FEN_OK;
    case FEN_MSG_MAP:
        return parse_map(hdr, body, out, err);
    case FEN_MSG_CONFIGURE:
        return parse_configure(body, out, err);
    case FEN_MSG_DAMAGE:
        return parse_damage(body, out, err);
    case FEN_MSG_WINDOW_DUMP:
        return parse_window_dump(body, out, err);
    case FEN_MSG_TITLE:
        return parse_title(body, out);
    case FEN_MSG_WM_CLASS:
        return parse_wm_class(body, out, err);
    case FEN_MSG_SIZE_HINTS:
        return parse_size_hints(body, out, err);
    case FEN_MSG_WM_FLAGS:
        return parse_wm_flags(body, out, err);
    case FEN_MSG_CURSOR:
        return parse_cursor(body, out, err);
    case FEN_MSG_POOL:
        return parse_pool(body, out, err);
    case FEN_MSG_DUMP_ACK:
        memcpy(&out->u.dump_ack, body, sizeof out->u.dump_ack);
        return FEN_OK;
    case FEN_MSG_FRAME_MARK:
    case FEN_MSG_FRAME_SHOWN: /* any serial: the guest counts, dom0 echoes */
        memcpy(&out->u.frame, body, sizeof out->u.frame);
        return FEN_OK;
    }
    return fen_fail(err, FEN_E_TYPE, "%s: no gui parser", ti->name);
}
