/* Pure validation of untrusted protocol bytes (no I/O, no allocation, no
 * global state): unit-tested and fuzzed.  Every function either fills a
 * checked struct and returns FEN_OK, or returns an error code and leaves a
 * human-readable reason in `err`.  Nothing here trusts a length, count, size
 * or string from the peer; every product is computed without overflow.
 *
 * Checked structs contain only values the receiver may use directly.  What
 * these functions cannot know (whether a window id exists, whether a damage
 * rect lies within the current window size) the daemon checks against its
 * own state, using the helpers at the end.
 */
#ifndef FENESTRA_VALIDATE_H
#define FENESTRA_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fenestra/proto.h"

enum fen_err {
    FEN_OK = 0,
    FEN_E_TRUNCATED,   /* fewer bytes than a header / than the header's length */
    FEN_E_LENGTH,      /* length wrong for the type, or above the limit */
    FEN_E_TYPE,        /* unknown type, or not allowed in this stream/direction */
    FEN_E_RANGE,       /* a field outside its allowed range */
    FEN_E_OVERFLOW,    /* a size product would overflow or exceed a limit */
    FEN_E_STRING,      /* NUL inside / missing terminator / bad characters */
    FEN_E_UTF8,        /* invalid UTF-8 */
    FEN_E_VERSION,     /* bad magic, major mismatch, wrong stream kind */
    FEN_E_STATE,       /* valid message at the wrong time (daemon-level) */
};

struct fen_error {
    enum fen_err code;
    char reason[160]; /* e.g. "CREATE: width 0 outside 1..8192" */
};

/* Name of a code / of a message type ("CREATE"; "unknown" for a type not in
 * proto.h: the validators' reasons carry the number, "unknown message type 0x1234"). */
const char *fen_err_name(enum fen_err code);
const char *fen_msg_type_name(uint32_t type);

/* Which stream and direction a message is received on. */
enum fen_stream {
    FEN_GUI_FROM_GUEST,
    FEN_GUI_FROM_DOM0,
    FEN_CLIP_FROM_GUEST,
    FEN_CLIP_FROM_DOM0,
    FEN_AUDIO_FROM_GUEST,
    FEN_AUDIO_FROM_DOM0,
};

/* Check a header alone (first 12 bytes): type allowed on this stream in this
 * direction and length acceptable for the type (exact for fixed messages,
 * within the type's maximum for VAR ones).  The message reader calls this
 * before it buffers a body, so a lying length never makes it allocate.
 * `max_body` further caps VAR bodies (e.g. a qube's clipboard limit); pass 0
 * for the protocol maximum. */
enum fen_err fen_check_header(enum fen_stream stream, const struct fen_hdr *hdr,
                              uint32_t max_body, struct fen_error *err)
    __attribute__((warn_unused_result));

/* A parsed, checked message.  Pointers point into the caller's buffer, which
 * must outlive the use of `msg`; strings are copied and sanitized into it. */
struct fen_msg {
    uint32_t type;
    uint32_t window;
    union {
        struct fen_msg_hello hello;
        struct fen_msg_create create;
        struct fen_msg_map map;
        struct fen_msg_configure configure;
        struct {
            uint32_t count;
            struct fen_rect rects[FEN_MAX_DAMAGE_RECTS];
        } damage;
        struct {
            struct fen_msg_window_dump hdr;
            const uint32_t *refs; /* num_refs entries, into the buffer */
            uint64_t bytes;       /* offset + stride*height, <= num_refs*4096 */
        } dump;
        struct {
            /* sanitized UTF-8, NUL-terminated; at most the wire bytes */
            char text[FEN_MAX_TITLE_BYTES + 1];
        } title;
        struct {
            char res_class[FEN_MAX_CLASS_BYTES]; /* sanitized, NUL-terminated */
            char res_name[FEN_MAX_CLASS_BYTES];
        } wm_class;
        struct fen_msg_size_hints size_hints;
        struct fen_msg_wm_flags wm_flags;
        struct fen_msg_cursor cursor;
        struct fen_msg_pool pool;
        struct fen_msg_dump_ack dump_ack;
        struct fen_msg_frame frame; /* FRAME_MARK, FRAME_SHOWN */
        struct fen_msg_key key;
        struct fen_msg_button button;
        struct fen_msg_motion motion;
        struct fen_msg_crossing crossing;
        struct fen_msg_focus focus;
        struct fen_msg_keymap keymap;
        struct fen_msg_clip_request clip_request;
        struct fen_msg_clip_paste_ack clip_paste_ack;
        struct {
            uint32_t request_id;
            uint32_t length;
            const char *text; /* valid UTF-8, no NUL, `length` bytes, into the buffer */
        } clip_data;
        struct fen_msg_audio_format audio_format;
        struct {
            uint32_t length;
            const uint8_t *data; /* into the buffer */
        } audio_pcm;
        struct fen_msg_audio_cork audio_cork;
        struct fen_msg_audio_mic_request audio_mic_request;
        struct fen_msg_audio_latency audio_latency;
    } u;
};

/* Parse one whole message (header + body, `len` bytes exactly) received on
 * `stream`.  `max_body` as for fen_check_header.  On success every field of
 * `out` is within the documented ranges. */
enum fen_err fen_parse_msg(enum fen_stream stream, const uint8_t *buf, size_t len,
                           uint32_t max_body, struct fen_msg *out, struct fen_error *err)
    __attribute__((warn_unused_result));

/* Handshake: check a peer's HELLO for `stream` and compute the version both
 * will speak (major equal, minor = min).  */
enum fen_err fen_negotiate_version(const struct fen_msg_hello *peer, enum fen_stream_kind stream,
                                   uint32_t *minor_out, struct fen_error *err)
    __attribute__((warn_unused_result));

/* ---- strings ------------------------------------------------------------ */

/* true when buf[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF) and, if forbid_nul, contains no NUL byte. */
bool fen_utf8_valid(const uint8_t *buf, size_t len, bool forbid_nul);

/* Sanitize an untrusted title/class string for display: invalid UTF-8
 * sequences become U+FFFD; C0/C1 control characters, DEL, bidi controls
 * (U+061C, U+200E/F, U+202A..E, U+2066..9), zero-width and invisible
 * formatting characters (U+200B..D, U+2060..4, U+FEFF, U+180E, U+00AD) are
 * removed; tabs/newlines become a space.  Output is NUL-terminated, at most
 * out_size-1 bytes, never cut inside a character.  Returns bytes written. */
size_t fen_sanitize_text(const uint8_t *in, size_t in_len, char *out, size_t out_size);

/* ---- qube names ---------------------------------------------------------- */

/* Longest qube name in bytes (Qubes OS's limit), without the NUL. */
#define FEN_QUBE_NAME_MAX 31

/* The one rule for qube names, used by every program that takes one (guid,
 * clipd, audiod, the agents, guictl, the dom0 config file): 1..31 bytes, a
 * letter first, then letters, digits, '-', '_' or '.' (as Qubes OS names
 * VMs).  "dom0" is reserved: a qube called that would title its windows
 * "[dom0] ..." like dom0's own.  Names end up in window titles, log lines,
 * socket paths and PulseAudio stream names, so nothing else is allowed. */
bool fen_qube_name_valid(const char *name);

/* ---- checks against daemon state (pure) -------------------------------- */

/* Clip `r` to a w x h window; false when nothing remains. */
bool fen_rect_clip(struct fen_rect *r, uint32_t w, uint32_t h);

/* Size of a w x h image with the given stride plus offset, or false on
 * overflow / above the protocol limit. */
bool fen_image_bytes(uint32_t w, uint32_t h, uint32_t stride, uint32_t offset, uint64_t *out);

#endif
