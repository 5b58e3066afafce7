/* Fenestra wire protocol: every message that crosses between a guest and dom0.
 *
 * A message is a 12-byte header followed by `length` bytes of body.  All
 * integers are little-endian; every struct below is the exact wire layout
 * (only 32-bit fields, so there is no padding; sizes are asserted).  Fixed
 * messages must have exactly their size; variable messages (marked VAR) have a
 * fixed part followed by a bounded tail, and their length must match the count
 * field in the fixed part exactly.
 *
 * Three streams use this format, each on its own channel port:
 *   gui        window lifecycle, pixels (page refs + damage), input   port 6000
 *   clipboard  copy/paste, only on explicit user action               port 6001
 *   audio      PCM playback, gated microphone                         port 6002
 * Every stream starts with a HELLO in each direction (version handshake).
 *
 * Nothing here is trusted when it comes from a guest: see validate.h for the
 * pure functions that turn untrusted bytes into checked structs.
 * docs/protocol.md specifies each message.
 */
#ifndef FENESTRA_PROTO_H
#define FENESTRA_PROTO_H

#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "the wire format is little-endian; this host is not");

/* ---- version ------------------------------------------------------------- */
#define FEN_PROTO_MAGIC 0x4e454646u /* "FFEN" little-endian */
#define FEN_PROTO_MAJOR 1u
#define FEN_PROTO_MINOR 0u

/* ---- channel ports ------------------------------------------------------- */
#define FEN_PORT_GUI 6000
#define FEN_PORT_CLIPBOARD 6001
#define FEN_PORT_AUDIO 6002

/* ---- limits (the validators enforce every one) --------------------------- */
#define FEN_PAGE_SIZE 4096u
#define FEN_MAX_WINDOW_WIDTH 8192u
#define FEN_MAX_WINDOW_HEIGHT 8192u
/* Coordinates of a window's origin; generous beyond any real desktop, but far
 * from overflow when added to a size. */
#define FEN_MIN_COORD (-32768)
#define FEN_MAX_COORD 32767
/* Pixels are 32 bpp (BGRX/BGRA); a stride is at least width*4 and a multiple
 * of 4; the whole image must fit in the shared pages. */
#define FEN_BYTES_PER_PIXEL 4u
#define FEN_MAX_STRIDE (FEN_MAX_WINDOW_WIDTH * FEN_BYTES_PER_PIXEL + 4096u)
#define FEN_MAX_REFS_PER_WINDOW \
    ((FEN_MAX_STRIDE * FEN_MAX_WINDOW_HEIGHT + FEN_PAGE_SIZE - 1) / FEN_PAGE_SIZE)
#define FEN_MAX_WINDOWS_PER_QUBE 1024u
#define FEN_MAX_TITLE_BYTES 512u      /* raw bytes on the wire, before sanitizing */
#define FEN_MAX_CLASS_BYTES 64u       /* each of WM_CLASS's two strings */
#define FEN_MAX_CLIPBOARD_BYTES (16u * 1024u * 1024u)
#define FEN_DEFAULT_CLIPBOARD_BYTES (64u * 1024u)
#define FEN_MAX_AUDIO_CHUNK_BYTES (64u * 1024u)
#define FEN_MAX_DAMAGE_RECTS 64u      /* per DAMAGE message */
/* Largest message body of any type (the clipboard data message). */
#define FEN_MAX_BODY_BYTES (FEN_MAX_CLIPBOARD_BYTES + 16u)

/* ---- header -------------------------------------------------------------- */
struct fen_hdr {
    uint32_t type;   /* enum fen_msg_type */
    uint32_t window; /* guest-chosen window id, 0 = none (stream-level message) */
    uint32_t length; /* body bytes that follow */
};
_Static_assert(sizeof(struct fen_hdr) == 12, "header is 12 bytes");

/* Message types.  The range tells the stream; the comment tells the direction:
 * G->D guest to dom0, D->G dom0 to guest, both. */
enum fen_msg_type {
    /* handshake, every stream */
    FEN_MSG_HELLO = 0x0001,            /* both: struct fen_msg_hello */

    /* gui stream */
    FEN_MSG_CREATE = 0x0100,           /* G->D struct fen_msg_create */
    FEN_MSG_DESTROY = 0x0101,          /* G->D (empty) */
    FEN_MSG_MAP = 0x0102,              /* G->D struct fen_msg_map */
    FEN_MSG_UNMAP = 0x0103,            /* G->D (empty) */
    FEN_MSG_CONFIGURE = 0x0104,        /* both: struct fen_msg_configure */
    FEN_MSG_DAMAGE = 0x0105,           /* G->D VAR struct fen_msg_damage + rects */
    FEN_MSG_WINDOW_DUMP = 0x0106,      /* G->D VAR struct fen_msg_window_dump + refs */
    FEN_MSG_TITLE = 0x0107,            /* G->D VAR struct fen_msg_title + bytes */
    FEN_MSG_WM_CLASS = 0x0108,         /* G->D struct fen_msg_wm_class */
    FEN_MSG_SIZE_HINTS = 0x0109,       /* G->D struct fen_msg_size_hints */
    FEN_MSG_WM_FLAGS = 0x010a,         /* both: struct fen_msg_wm_flags */
    FEN_MSG_CURSOR = 0x010b,           /* G->D struct fen_msg_cursor */
    FEN_MSG_POOL = 0x010c,             /* G->D struct fen_msg_pool (local backend:
                                          the pool fd rides along via SCM_RIGHTS) */
    FEN_MSG_DUMP_ACK = 0x010d,         /* D->G struct fen_msg_dump_ack */
    FEN_MSG_FRAME_MARK = 0x010e,       /* G->D struct fen_msg_frame (FEN_FEATURE_FRAME_PACING) */
    FEN_MSG_FRAME_SHOWN = 0x010f,      /* D->G struct fen_msg_frame (FEN_FEATURE_FRAME_PACING) */
    FEN_MSG_KEY = 0x0120,              /* D->G struct fen_msg_key */
    FEN_MSG_BUTTON = 0x0121,           /* D->G struct fen_msg_button (4..7 = scroll) */
    FEN_MSG_MOTION = 0x0122,           /* D->G struct fen_msg_motion */
    FEN_MSG_CROSSING = 0x0123,         /* D->G struct fen_msg_crossing */
    FEN_MSG_FOCUS = 0x0124,            /* D->G struct fen_msg_focus */
    FEN_MSG_KEYMAP = 0x0125,           /* D->G struct fen_msg_keymap */
    FEN_MSG_CLOSE = 0x0126,            /* D->G (empty): user asked to close */

    /* clipboard stream */
    FEN_MSG_CLIP_REQUEST = 0x0200,     /* D->G struct fen_msg_clip_request */
    FEN_MSG_CLIP_DATA = 0x0201,        /* G->D VAR struct fen_msg_clip_data + text */
    FEN_MSG_CLIP_PASTE = 0x0202,       /* D->G VAR struct fen_msg_clip_data + text */
    FEN_MSG_CLIP_PASTE_ACK = 0x0203,   /* G->D struct fen_msg_clip_paste_ack */

    /* audio stream */
    FEN_MSG_AUDIO_FORMAT = 0x0300,     /* both: struct fen_msg_audio_format */
    FEN_MSG_AUDIO_PCM = 0x0301,        /* G->D VAR struct fen_msg_audio_pcm + samples */
    FEN_MSG_AUDIO_CORK = 0x0302,       /* G->D struct fen_msg_audio_cork */
    FEN_MSG_AUDIO_MIC_REQUEST = 0x0303,/* G->D struct fen_msg_audio_mic_request */
    FEN_MSG_AUDIO_MIC_PCM = 0x0304,    /* D->G VAR struct fen_msg_audio_pcm + samples */
    FEN_MSG_AUDIO_LATENCY = 0x0305,    /* both: struct fen_msg_audio_latency */
};

/* ---- handshake ----------------------------------------------------------- */
enum fen_stream_kind { FEN_STREAM_GUI = 1, FEN_STREAM_CLIPBOARD = 2, FEN_STREAM_AUDIO = 3 };

/* Sent first by each side.  The guest (channel server) sends its version; dom0
 * answers with the negotiated version: majors must match, the minor is the
 * smaller of the two.  Mismatch: dom0 logs and closes. */
struct fen_msg_hello {
    uint32_t magic;      /* FEN_PROTO_MAGIC */
    uint32_t major;
    uint32_t minor;
    uint32_t stream;     /* enum fen_stream_kind: catches crossed channels */
    uint32_t screen_w;   /* D->G: dom0 screen size, G->D: 0 */
    uint32_t screen_h;
    uint32_t features;   /* bit set, FEN_FEATURE_*: G->D what the guest can use,
                            D->G the subset dom0 grants; unknown bits ignored */
    uint32_t reserved;   /* must be 0 */
};

/* HELLO features (gui stream). */
enum fen_feature {
    /* FRAME_MARK / FRAME_SHOWN: the guest may hold an application's next
     * frame until dom0 has read the previous one out of the shared pages, so
     * an application that draws faster than it is shown never has a frame
     * torn or merged (docs/protocol.md, "Frame pacing"). */
    FEN_FEATURE_FRAME_PACING = 1u << 0,
};
#define FEN_FEATURES_ALL 0x1u

/* ---- gui: guest -> dom0 -------------------------------------------------- */
struct fen_rect {
    int32_t x, y;
    uint32_t w, h;
};

struct fen_msg_create {
    struct fen_rect rect;     /* 1..FEN_MAX_WINDOW_* , origin in coord range */
    uint32_t parent;          /* 0 = top-level; else an existing window id */
    uint32_t override_redirect; /* 0 or 1 */
};

struct fen_msg_map {
    uint32_t transient_for;   /* 0 or an existing window id (not itself) */
    uint32_t override_redirect; /* 0 or 1 */
};

struct fen_msg_configure {
    struct fen_rect rect;
    uint32_t override_redirect; /* 0 or 1 */
};

/* VAR: followed by count * struct fen_rect, count 1..FEN_MAX_DAMAGE_RECTS.
 * Rects are in window coordinates; each must lie within the window's size
 * (checked against window state by the daemon, which clips). */
struct fen_msg_damage {
    uint32_t count;
};

enum fen_dump_kind {
    FEN_DUMP_LOCAL_POOL = 1, /* refs are page indices into the announced pool */
    FEN_DUMP_XEN_GRANT = 2,  /* refs are Xen grant references */
};

/* VAR: followed by num_refs * uint32_t refs.  The pixels: height rows of
 * stride bytes, starting `offset` bytes into the first page; format is
 * FEN_FORMAT_*.  num_refs must equal ceil((offset + stride*height) / 4096). */
struct fen_msg_window_dump {
    uint32_t kind;      /* enum fen_dump_kind */
    uint32_t width;
    uint32_t height;
    uint32_t stride;
    uint32_t offset;    /* < FEN_PAGE_SIZE */
    uint32_t format;    /* enum fen_pixel_format */
    uint32_t serial;    /* echoed in DUMP_ACK; lets the guest free old pages */
    uint32_t pool_id;   /* local: which announced pool (FEN_MSG_POOL); xen: 0 */
    uint32_t num_refs;
};

enum fen_pixel_format {
    FEN_FORMAT_XRGB8888 = 1, /* depth 24 in 32 bpp, little-endian BGRX */
    FEN_FORMAT_ARGB8888 = 2, /* depth 32 */
};

/* VAR: followed by `length` raw bytes (not NUL-terminated on the wire),
 * 0..FEN_MAX_TITLE_BYTES.  Sanitized by dom0 (validate.h). */
struct fen_msg_title {
    uint32_t length;
};

struct fen_msg_wm_class {
    char res_class[FEN_MAX_CLASS_BYTES]; /* NUL-padded; must contain a NUL */
    char res_name[FEN_MAX_CLASS_BYTES];
};

enum fen_size_hint_flags {
    FEN_HINT_MIN_SIZE = 1u << 0,
    FEN_HINT_MAX_SIZE = 1u << 1,
    FEN_HINT_RESIZE_INC = 1u << 2,
    FEN_HINT_BASE_SIZE = 1u << 3,
    FEN_HINT_USER_POS = 1u << 4,
    FEN_HINT_PROGRAM_POS = 1u << 5,
};
struct fen_msg_size_hints {
    uint32_t flags; /* enum fen_size_hint_flags; unknown bits rejected */
    uint32_t min_w, min_h;
    uint32_t max_w, max_h;
    uint32_t inc_w, inc_h;
    uint32_t base_w, base_h;
};

enum fen_wm_flag {
    FEN_WMFLAG_FULLSCREEN = 1u << 0,
    FEN_WMFLAG_DEMANDS_ATTENTION = 1u << 1, /* urgency */
    FEN_WMFLAG_MAXIMIZED = 1u << 2,
    FEN_WMFLAG_MINIMIZED = 1u << 3,
};
#define FEN_WMFLAG_ALL 0xfu
/* G->D: the guest asks for flags; D->G: dom0 tells the guest the state it
 * granted (a fullscreen request is answered "fullscreen" even when policy
 * made it a framed maximized window, so applications behave). */
struct fen_msg_wm_flags {
    uint32_t set;
    uint32_t unset; /* set & unset must be 0 */
};

/* Cursors are named from a fixed list (the X cursor font glyph numbers,
 * even values 0..152); FEN_CURSOR_DEFAULT restores dom0's default. */
#define FEN_CURSOR_DEFAULT 0xffffffffu
#define FEN_CURSOR_GLYPH_MAX 152u
struct fen_msg_cursor {
    uint32_t glyph;
};

/* Local backend: the guest's page pool, a sealed memfd of npages pages sent
 * as SCM_RIGHTS ancillary data with this message.  Sent before the first
 * WINDOW_DUMP and again after each reconnect. */
struct fen_msg_pool {
    uint32_t npages;  /* 1..FEN_MAX_POOL_PAGES */
    uint32_t pool_id; /* 0..FEN_MAX_POOLS-1; re-announcing an id replaces it */
};
#define FEN_MAX_POOL_PAGES (1u << 20) /* 4 GiB of address space */
#define FEN_MAX_POOLS 4u /* e.g. the agent's copy pool + the Xorg driver's pool */

/* FRAME_MARK (G->D): the DAMAGE this window's messages carried before the
 * mark completes the application's frame `serial` (any value; the guest
 * counts).  FRAME_SHOWN (D->G) answers it, with the same serial, once dom0
 * has read every pixel damaged before the mark out of the guest's pages
 * (painted, and the dom0 X server done with the reads), or at once when
 * there is nothing to paint (window unmapped, no dump).  A mark that arrives
 * before the previous one was answered replaces it: only the newest is
 * answered.  Only after both HELLOs carried FEN_FEATURE_FRAME_PACING. */
struct fen_msg_frame {
    uint32_t serial;
};

/* ---- gui: dom0 -> guest -------------------------------------------------- */
struct fen_msg_dump_ack {
    uint32_t serial;
};

enum fen_key_type { FEN_KEY_PRESS = 1, FEN_KEY_RELEASE = 2 };
/* state: X11 modifier/button mask (ShiftMask=1 ... Button5Mask=1<<12).
 * keycode: X11 keycode 8..255 (both sides use evdev-based XKB keycodes). */
struct fen_msg_key {
    uint32_t type;
    int32_t x, y;      /* pointer position in window coordinates */
    uint32_t state;
    uint32_t keycode;
};

enum fen_button_type { FEN_BUTTON_PRESS = 1, FEN_BUTTON_RELEASE = 2 };
struct fen_msg_button {
    uint32_t type;
    int32_t x, y;
    uint32_t state;
    uint32_t button;   /* 1..15; 4/5 vertical and 6/7 horizontal scroll */
};

struct fen_msg_motion {
    int32_t x, y;
    uint32_t state;
    uint32_t is_hint;
};

enum fen_crossing_type { FEN_CROSS_ENTER = 1, FEN_CROSS_LEAVE = 2 };
struct fen_msg_crossing {
    uint32_t type;
    int32_t x, y;
    uint32_t state;
    uint32_t mode;     /* X11 NotifyNormal/Grab/Ungrab: 0..2 */
    uint32_t detail;   /* X11 NotifyAncestor..NotifyNonlinearVirtual: 0..4 */
};

enum fen_focus_type { FEN_FOCUS_IN = 1, FEN_FOCUS_OUT = 2 };
struct fen_msg_focus {
    uint32_t type;
    uint32_t mode;     /* 0..3 */
    uint32_t detail;   /* 0..7 */
};

/* Pressed keys (X11 keycode bitmap, like KeymapNotify), sent on focus-in so
 * the guest's modifier state matches dom0's. */
struct fen_msg_keymap {
    uint8_t keys[32];
};

/* ---- clipboard stream ------------------------------------------------------ */
/* D->G: "send me your CLIPBOARD selection now"; the reply must carry the
 * same request_id, or it is dropped. */
struct fen_msg_clip_request {
    uint32_t request_id;
    uint32_t max_bytes; /* the limit dom0 will accept for this qube */
};
/* VAR: CLIP_DATA (reply) and CLIP_PASTE (dom0 -> target) carry `length`
 * bytes of UTF-8 text without NUL, 0..FEN_MAX_CLIPBOARD_BYTES. */
struct fen_msg_clip_data {
    uint32_t request_id; /* CLIP_PASTE: the paste's id, for CLIP_PASTE_ACK */
    uint32_t length;
};
/* G->D: the paste with this id arrived whole and the guest's clipboard now
 * holds it; until then dom0 keeps the text to send again if the channel
 * closes (an agent restarting mid-paste).  paste_id != 0. */
struct fen_msg_clip_paste_ack {
    uint32_t paste_id;
};

/* ---- audio stream -------------------------------------------------------- */
enum fen_audio_sample { FEN_AUDIO_S16LE = 1, FEN_AUDIO_F32LE = 2 };
enum fen_audio_dir { FEN_AUDIO_PLAYBACK = 1, FEN_AUDIO_CAPTURE = 2 };
/* rate 44100 or 48000; channels 1..2. */
struct fen_msg_audio_format {
    uint32_t direction; /* enum fen_audio_dir */
    uint32_t rate;
    uint32_t sample;    /* enum fen_audio_sample */
    uint32_t channels;
};
/* VAR: followed by `length` bytes, a whole number of frames,
 * 0 < length <= FEN_MAX_AUDIO_CHUNK_BYTES. */
struct fen_msg_audio_pcm {
    uint32_t length;
};
struct fen_msg_audio_cork {
    uint32_t corked; /* 0 or 1 */
};
struct fen_msg_audio_mic_request {
    uint32_t active; /* 1: an application in the guest is recording */
};
struct fen_msg_audio_latency {
    uint32_t usec;   /* the sender's buffered latency; <= 10 s */
};

_Static_assert(sizeof(struct fen_msg_hello) == 32, "wire size");
_Static_assert(sizeof(struct fen_rect) == 16, "wire size");
_Static_assert(sizeof(struct fen_msg_create) == 24, "wire size");
_Static_assert(sizeof(struct fen_msg_map) == 8, "wire size");
_Static_assert(sizeof(struct fen_msg_configure) == 20, "wire size");
_Static_assert(sizeof(struct fen_msg_damage) == 4, "wire size");
_Static_assert(sizeof(struct fen_msg_window_dump) == 36, "wire size");
_Static_assert(sizeof(struct fen_msg_title) == 4, "wire size");
_Static_assert(sizeof(struct fen_msg_wm_class) == 128, "wire size");
_Static_assert(sizeof(struct fen_msg_size_hints) == 36, "wire size");
_Static_assert(sizeof(struct fen_msg_wm_flags) == 8, "wire size");
_Static_assert(sizeof(struct fen_msg_cursor) == 4, "wire size");
_Static_assert(sizeof(struct fen_msg_pool) == 8, "wire size");
_Static_assert(sizeof(struct fen_msg_dump_ack) == 4, "wire size");
_Static_assert(sizeof(struct fen_msg_frame) == 4, "wire size");
_Static_assert(sizeof(struct fen_msg_key) == 20, "wire size");
_Static_assert(sizeof(struct fen_msg_button) == 20, "wire size");
_Static_assert(sizeof(struct fen_msg_motion) == 16, "wire size");
_Static_assert(sizeof(struct fen_msg_crossing) == 24, "wire size");
_Static_assert(sizeof(struct fen_msg_focus) == 12, "wire size");
_Static_assert(sizeof(struct fen_msg_keymap) == 32, "wire size");
_Static_assert(sizeof(struct fen_msg_clip_request) == 8, "wire size");
_Static_assert(sizeof(struct fen_msg_clip_data) == 8, "wire size");
_Static_assert(sizeof(struct fen_msg_audio_format) == 16, "wire size");
_Static_assert(sizeof(struct fen_msg_audio_pcm) == 4, "wire size");

#endif
