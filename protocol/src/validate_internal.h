/* Private to the validators (validate*.c): the per-type table and the
 * helpers that format refusal reasons.  Nothing here does I/O or allocates. */
#ifndef FENESTRA_VALIDATE_INTERNAL_H
#define FENESTRA_VALIDATE_INTERNAL_H

#include <stdint.h>

#include "fenestra/validate.h"

/* Bit for each enum fen_stream value a type may arrive on. */
#define FEN_ON(s) (1u << (s))
#define FEN_ON_GUI_G FEN_ON(FEN_GUI_FROM_GUEST)
#define FEN_ON_GUI_D FEN_ON(FEN_GUI_FROM_DOM0)
#define FEN_ON_CLIP_G FEN_ON(FEN_CLIP_FROM_GUEST)
#define FEN_ON_CLIP_D FEN_ON(FEN_CLIP_FROM_DOM0)
#define FEN_ON_AUDIO_G FEN_ON(FEN_AUDIO_FROM_GUEST)
#define FEN_ON_AUDIO_D FEN_ON(FEN_AUDIO_FROM_DOM0)

enum fen_window_rule {
    FEN_WIN_NONE,     /* stream-level: header window must be 0 */
    FEN_WIN_REQUIRED, /* window message: header window must be non-zero */
};

struct fen_type_info;

/* Body parser: `body` holds exactly hdr->length bytes, and for VAR types the
 * count field already matches the length.  Fills out->u. */
typedef enum fen_err (*fen_body_parser)(const struct fen_type_info *ti, enum fen_stream stream,
                                        const struct fen_hdr *hdr, const uint8_t *body,
                                        struct fen_msg *out, struct fen_error *err);

struct fen_type_info {
    uint32_t type;
    const char *name;
    uint32_t streams; /* FEN_ON_* bits */
    enum fen_window_rule window;
    uint32_t fixed;         /* size of the fixed part (whole body for fixed types) */
    uint32_t elem;          /* VAR: bytes per tail element; 0 = fixed message */
    uint32_t count_off;     /* VAR: offset of the uint32 count in the fixed part */
    const char *count_name; /* VAR: that field's name, for reasons */
    uint32_t min_count;     /* VAR: smallest allowed count */
    uint32_t max_count;     /* VAR: largest allowed count */
    fen_body_parser parse;
};

const struct fen_type_info *fen_type_lookup(uint32_t type);

/* Fill err (may be NULL) and return code. */
enum fen_err fen_fail(struct fen_error *err, enum fen_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Range checks that name message, field and value in the reason. */
enum fen_err fen_check_u32(struct fen_error *err, const char *msg, const char *field, uint32_t v,
                           uint32_t lo, uint32_t hi);
enum fen_err fen_check_i32(struct fen_error *err, const char *msg, const char *field, int32_t v,
                           int32_t lo, int32_t hi);
enum fen_err fen_check_bool(struct fen_error *err, const char *msg, const char *field, uint32_t v);

/* Body parsers, by stream. */
enum fen_err fen_parse_hello(const struct fen_type_info *ti, enum fen_stream stream,
                             const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                             struct fen_error *err);
enum fen_err fen_parse_gui(const struct fen_type_info *ti, enum fen_stream stream,
                           const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                           struct fen_error *err);
enum fen_err fen_parse_input(const struct fen_type_info *ti, enum fen_stream stream,
                             const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                             struct fen_error *err);
enum fen_err fen_parse_clip(const struct fen_type_info *ti, enum fen_stream stream,
                            const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                            struct fen_error *err);
enum fen_err fen_parse_audio(const struct fen_type_info *ti, enum fen_stream stream,
                             const struct fen_hdr *hdr, const uint8_t *body, struct fen_msg *out,
                             struct fen_error *err);

/* The stream kind a directional stream belongs to. */
enum fen_stream_kind fen_stream_kind_of(enum fen_stream stream);
bool fen_stream_from_guest(enum fen_stream stream);

#endif
