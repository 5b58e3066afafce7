/* Clipboard channel, guest side: the same rules as the Linux agent.
 * dom0 asks (CLIP_REQUEST, on an explicit user action there) and we answer
 * once with CF_UNICODETEXT as UTF-8, echoing request_id and keeping within
 * max_bytes; CLIP_PASTE (another qube's text, again on a user action) becomes
 * our clipboard and is confirmed with CLIP_PASTE_ACK.  Nothing else is ever
 * sent unasked. */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "fenestra/log.h"

static bool open_clipboard(HWND owner)
{
    /* Another application may hold it for a moment. */
    for (int i = 0; i < 20; i++) {
        if (OpenClipboard(owner))
            return true;
        Sleep(5);
    }
    return false;
}

static void answer_request(struct agent *a, const struct fen_msg_clip_request *req)
{
    uint32_t max =
        req->max_bytes < FEN_MAX_CLIPBOARD_BYTES ? req->max_bytes : FEN_MAX_CLIPBOARD_BYTES;
    char *text = malloc((size_t)max + 1);
    size_t len = 0;
    if (!text)
        return;
    text[0] = '\0';
    if (open_clipboard(a->own_hwnd)) {
        HANDLE h = GetClipboardData(CF_UNICODETEXT);
        const wchar_t *w = h ? GlobalLock(h) : NULL;
        if (w) {
            size_t units = GlobalSize(h) / sizeof(wchar_t);
            len = utf16_to_utf8(w, wcsnlen(w, units), text, max);
            GlobalUnlock(h);
        }
        CloseClipboard();
    } else {
        fen_log(WARN, "clipboard: cannot open the clipboard (%lu)", GetLastError());
    }
    size_t body_len = sizeof(struct fen_msg_clip_data) + len;
    uint8_t *body = malloc(body_len);
    if (body) {
        struct fen_msg_clip_data d = {.request_id = req->request_id, .length = (uint32_t)len};
        memcpy(body, &d, sizeof d);
        memcpy(body + sizeof d, text, len);
        (void)link_send(a, &a->clip, FEN_MSG_CLIP_DATA, 0, body, (uint32_t)body_len);
        fen_log(INFO, "clipboard: answered request %u with %u bytes", req->request_id,
                (unsigned)len);
    }
    free(body);
    free(text);
}

static void paste(struct agent *a, const char *text, uint32_t len)
{
    wchar_t *w = utf8_to_utf16(text, len);
    if (!w)
        return;
    size_t bytes = (wcslen(w) + 1) * sizeof(wchar_t);
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE, bytes);
    void *p = g ? GlobalLock(g) : NULL;
    if (p) {
        memcpy(p, w, bytes);
        GlobalUnlock(g);
    }
    free(w);
    if (!p || !open_clipboard(a->own_hwnd)) {
        if (g)
            GlobalFree(g);
        fen_log(WARN, "clipboard: cannot take the clipboard for a paste");
        return;
    }
    EmptyClipboard();
    if (!SetClipboardData(CF_UNICODETEXT, g))
        GlobalFree(g); /* on success the clipboard owns it */
    CloseClipboard();
    fen_log(INFO, "clipboard: pasted %u bytes from dom0", len);
}

void clip_on_msg(struct agent *a, const struct fen_msg *msg)
{
    if (msg->type == FEN_MSG_CLIP_REQUEST)
        answer_request(a, &msg->u.clip_request);
    else if (msg->type == FEN_MSG_CLIP_PASTE) {
        paste(a, msg->u.clip_data.text, msg->u.clip_data.length);
        /* Taken: dom0 may forget it (it sends it again if we die first). */
        struct fen_msg_clip_paste_ack ack = {msg->u.clip_data.request_id};
        (void)link_send(a, &a->clip, FEN_MSG_CLIP_PASTE_ACK, 0, &ack, sizeof ack);
    }
}
