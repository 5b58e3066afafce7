/* libFuzzer target over the pure protocol validators.
 *
 * Input: byte 0 picks the stream (and direction) and whether a small
 * max_body applies; the rest is one message for fen_parse_msg, and also raw
 * bytes for fen_utf8_valid and fen_sanitize_text.  Every accepted message is
 * checked against the documented limits; a violation aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/validate.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void check_rect(const struct fen_rect *r)
{
    CHECK(r->w >= 1 && r->w <= FEN_MAX_WINDOW_WIDTH);
    CHECK(r->h >= 1 && r->h <= FEN_MAX_WINDOW_HEIGHT);
    CHECK(r->x >= FEN_MIN_COORD && r->x <= FEN_MAX_COORD);
    CHECK(r->y >= FEN_MIN_COORD && r->y <= FEN_MAX_COORD);
}

/* Cleaned text: valid UTF-8, no control byte, none of the removed marks. */
static void check_clean_text(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    CHECK(n < max);
    CHECK(fen_utf8_valid((const uint8_t *)s, n, true));
    for (size_t i = 0; i < n; i++)
        CHECK((uint8_t)s[i] >= 0x20 && (uint8_t)s[i] != 0x7f);
    static const char *const removed[] = {
        "\xe2\x80\xae", "\xe2\x80\xad", "\xe2\x80\x8b", "\xe2\x80\x8f", "\xe2\x81\xa6",
        "\xef\xbb\xbf", "\xc2\xad",     "\xc2\x85",     "\xd8\x9c",
    };
    for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++)
        CHECK(strstr(s, removed[i]) == NULL);
}

static void check_msg(const struct fen_msg *m, size_t len, uint32_t max_body)
{
    uint32_t body = (uint32_t)(len - sizeof(struct fen_hdr));
    if (max_body && body > max_body) {
        /* only fixed messages may exceed a VAR cap */
        CHECK(m->type != FEN_MSG_DAMAGE && m->type != FEN_MSG_WINDOW_DUMP &&
              m->type != FEN_MSG_TITLE && m->type != FEN_MSG_CLIP_DATA &&
              m->type != FEN_MSG_CLIP_PASTE && m->type != FEN_MSG_AUDIO_PCM &&
              m->type != FEN_MSG_AUDIO_MIC_PCM);
    }
    switch (m->type) {
    case FEN_MSG_HELLO:
        CHECK(m->window == 0 && m->u.hello.magic == FEN_PROTO_MAGIC);
        CHECK(m->u.hello.major == FEN_PROTO_MAJOR && m->u.hello.reserved == 0);
        break;
    case FEN_MSG_CREATE:
        check_rect(&m->u.create.rect);
        CHECK(m->u.create.override_redirect <= 1 && m->u.create.parent != m->window);
        break;
    case FEN_MSG_CONFIGURE:
        check_rect(&m->u.configure.rect);
        break;
    case FEN_MSG_DAMAGE:
        CHECK(m->u.damage.count >= 1 && m->u.damage.count <= FEN_MAX_DAMAGE_RECTS);
        for (uint32_t i = 0; i < m->u.damage.count; i++) {
            struct fen_rect r = m->u.damage.rects[i];
            check_rect(&r);
            if (fen_rect_clip(&r, 100, 100))
                CHECK(r.x >= 0 && r.y >= 0 && r.x + (int64_t)r.w <= 100 &&
                      r.y + (int64_t)r.h <= 100);
        }
        break;
    case FEN_MSG_WINDOW_DUMP: {
        const struct fen_msg_window_dump *d = &m->u.dump.hdr;
        CHECK(d->num_refs >= 1 && d->num_refs <= FEN_MAX_REFS_PER_WINDOW);
        CHECK((uint64_t)d->stride >= (uint64_t)d->width * 4 && d->stride % 4 == 0);
        CHECK(m->u.dump.bytes <= (uint64_t)d->num_refs * FEN_PAGE_SIZE);
        CHECK(m->u.dump.bytes > (uint64_t)(d->num_refs - 1) * FEN_PAGE_SIZE);
        CHECK(body == sizeof *d + 4ull * d->num_refs);
        /* touch the first and last ref: they must be inside the buffer */
        volatile uint32_t sink = m->u.dump.refs[0] ^ m->u.dump.refs[d->num_refs - 1];
        (void)sink;
        break;
    }
    case FEN_MSG_TITLE:
        check_clean_text(m->u.title.text, sizeof m->u.title.text);
        break;
    case FEN_MSG_WM_CLASS:
        check_clean_text(m->u.wm_class.res_class, sizeof m->u.wm_class.res_class);
        check_clean_text(m->u.wm_class.res_name, sizeof m->u.wm_class.res_name);
        break;
    case FEN_MSG_CLIP_DATA:
    case FEN_MSG_CLIP_PASTE:
        CHECK(m->u.clip_data.length == body - 8);
        CHECK(memchr(m->u.clip_data.text, 0, m->u.clip_data.length) == NULL);
        CHECK(fen_utf8_valid((const uint8_t *)m->u.clip_data.text, m->u.clip_data.length, true));
        CHECK(m->type != FEN_MSG_CLIP_PASTE || m->u.clip_data.request_id != 0);
        break;
    case FEN_MSG_CLIP_PASTE_ACK:
        CHECK(m->u.clip_paste_ack.paste_id != 0 && body == 4);
        break;
    case FEN_MSG_AUDIO_PCM:
    case FEN_MSG_AUDIO_MIC_PCM:
        CHECK(m->u.audio_pcm.length >= 1 && m->u.audio_pcm.length <= FEN_MAX_AUDIO_CHUNK_BYTES);
        CHECK(m->u.audio_pcm.length == body - 4);
        break;
    case FEN_MSG_KEY:
        CHECK(m->u.key.keycode >= 8 && m->u.key.keycode <= 255);
        break;
    case FEN_MSG_POOL:
        CHECK(m->u.pool.npages >= 1 && m->u.pool.pool_id < FEN_MAX_POOLS);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum fen_stream stream = (enum fen_stream)((data[0] & 0x7f) % 6);
    uint32_t max_body = (data[0] & 0x80) ? 64 : 0;
    const uint8_t *msg = data + 1;
    size_t len = size - 1;

    /* A copy in its own (aligned) allocation, so ASan sees any over-read. */
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return 0;
    memcpy(buf, msg, len);

    struct fen_msg m;
    struct fen_error err;
    enum fen_err rc = fen_parse_msg(stream, buf, len, max_body, &m, &err);
    CHECK(rc == FEN_OK || err.code == rc);
    if (rc == FEN_OK) {
        check_msg(&m, len, max_body);
        /* the header alone must be accepted too */
        struct fen_hdr h;
        memcpy(&h, buf, sizeof h);
        CHECK(fen_check_header(stream, &h, max_body, &err) == FEN_OK);
    } else {
        CHECK(memchr(err.reason, '\0', sizeof err.reason) != NULL);
        CHECK(err.reason[0] != '\0');
        CHECK(fen_err_name(rc)[0] != '\0');
    }

    /* raw bytes through the string functions */
    char text[FEN_MAX_TITLE_BYTES + 1];
    size_t n = fen_sanitize_text(buf, len, text, sizeof text);
    CHECK(n < sizeof text && text[n] == '\0');
    check_clean_text(text, sizeof text);
    if (fen_utf8_valid(buf, len, true) && len < 64) {
        /* valid input without removable characters comes out unchanged */
        bool plain = true;
        for (size_t i = 0; i < len; i++)
            if (buf[i] < 0x20 || buf[i] == 0x7f || buf[i] >= 0x80)
                plain = false;
        if (plain)
            CHECK(n == len && memcmp(text, buf, len) == 0);
    }
    if (len >= sizeof(struct fen_msg_hello)) {
        struct fen_msg_hello h;
        uint32_t minor = 0;
        memcpy(&h, buf, sizeof h);
        if (fen_negotiate_version(&h, (enum fen_stream_kind)(1 + data[0] % 3), &minor, &err) ==
            FEN_OK)
            CHECK(minor <= h.minor && h.major == FEN_PROTO_MAJOR);
    }
    free(buf);
    return 0;
}
