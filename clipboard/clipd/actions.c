/* Copy, paste, clear, attach: the decisions of the global clipboard. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fenestra/clock.h"
#include "fenestra/channel.h"
#include "fenestra/log.h"
#include "clipd.h"

struct clipd_qube *clipd_find_qube(struct clipd *d, const char *name)
{
    for (size_t i = 0; i < d->nqubes; i++)
        if (!strcmp(clipd_qube_name(d->qubes[i]), name))
            return d->qubes[i];
    return NULL;
}

static bool spec_ok(const char *spec)
{
    const char *rest;
    return strlen(spec) < 256 && fen_spec_backend(spec, &rest) != NULL;
}

static const struct clipd_limit *find_limit(const struct clipd_limit *l, size_t n, const char *qube)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].qube, qube))
            return &l[i];
    return NULL;
}

uint32_t clipd_limit_for(const struct clipd *d, const char *qube)
{
    const struct clipd_config *cfg = d->cfg;
    const struct clipd_limit *l = find_limit(d->runtime_limits, d->nruntime_limits, qube);
    if (!l)
        l = find_limit(cfg->limits, cfg->nlimits, qube);
    if (l)
        return l->bytes;
    if (cfg->have_file && fen_config_is_set(&cfg->file, qube, FEN_KEY_CLIPBOARD_LIMIT)) {
        struct fen_qube_policy p;
        fen_config_qube(&cfg->file, qube, &p);
        return p.clipboard_limit;
    }
    return cfg->default_limit;
}

int clipd_set_limit(struct clipd *d, const char *qube, uint32_t bytes, char *why, size_t why_size)
{
    struct clipd_limit *l =
        (struct clipd_limit *)find_limit(d->runtime_limits, d->nruntime_limits, qube);
    if (!l) {
        if (d->nruntime_limits == CLIPD_MAX_LIMITS) {
            snprintf(why, why_size, "too many run-time limits (%d)", CLIPD_MAX_LIMITS);
            return -1;
        }
        l = &d->runtime_limits[d->nruntime_limits++];
        snprintf(l->qube, sizeof l->qube, "%s", qube);
    }
    l->bytes = bytes;
    struct clipd_qube *q = clipd_find_qube(d, qube);
    if (q)
        clipd_qube_set_limit(q, bytes);
    fen_log(INFO, "qube %s: clipboard limit set to %u bytes at run time", qube, bytes);
    return 0;
}

int clipd_attach(struct clipd *d, const char *qube, const char *spec, char *why, size_t why_size)
{
    struct clipd_qube *q = clipd_find_qube(d, qube);
    if (q) {
        bool changed = strcmp(clipd_qube_spec(q), spec) != 0;
        if (clipd_qube_attach(q, spec) < 0) {
            snprintf(why, why_size, "bad channel spec '%.200s'", spec);
            return -1;
        }
        if (changed)
            clipd_state_save(d);
        return 0;
    }
    if (!spec_ok(spec)) {
        snprintf(why, why_size, "bad channel spec '%.200s'", spec);
        return -1;
    }
    if (d->nqubes == CLIPD_MAX_QUBES) {
        snprintf(why, why_size, "too many qubes (%d)", CLIPD_MAX_QUBES);
        return -1;
    }
    q = clipd_qube_create(qube, spec, clipd_limit_for(d, qube));
    if (!q) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    d->qubes[d->nqubes++] = q;
    clipd_state_save(d);
    fen_log(INFO, "qube %s attached: clipboard channel %s, limit %u bytes", qube, spec,
            clipd_qube_limit(q));
    return 0;
}

static void audit_copy(struct clipd *d, const char *qube, bool failed, const char *result,
                       uint32_t bytes, const char *summary, const char *body)
{
    char audit[256];
    snprintf(audit, sizeof audit, "copy source=%s bytes=%u result=%s", qube, bytes, result);
    clipd_report_event(d->report, failed, summary, body, audit);
}

int clipd_copy(struct clipd *d, const char *qube, uint64_t hotkey_ms, char *why, size_t why_size)
{
    struct clipd_qube *q = clipd_find_qube(d, qube);
    char summary[96];
    snprintf(summary, sizeof summary, "Copy from %s refused", qube);
    if (!q) {
        snprintf(why, why_size, "qube %s is not attached to the clipboard", qube);
        audit_copy(d, qube, true, "not-attached", 0, summary, why);
        return -1;
    }
    /* The newest copy hotkey wins: an older request still in flight is
     * forgotten, and its reply will be dropped as unrequested. */
    if (d->copying && d->copying != q)
        clipd_qube_cancel_request(d->copying);
    d->copying = NULL;
    if (++d->next_request_id == 0)
        d->next_request_id = 1;
    if (clipd_qube_request(q, d->next_request_id, hotkey_ms, fen_monotonic_ms(), d->cfg->timeout_ms,
                           why, why_size) < 0) {
        audit_copy(d, qube, true, "not-connected", 0, summary, why);
        return -1;
    }
    d->copying = q;
    fen_log(INFO, "qube %s: copy request %u sent (limit %u bytes)", qube, d->next_request_id,
            clipd_qube_limit(q));
    return 0;
}

void clipd_on_reply(void *ctx, struct clipd_qube *q, enum clip_verdict verdict,
                    const struct clip_reply *reply, const char *why)
{
    struct clipd *d = ctx;
    const char *name = clipd_qube_name(q);
    char summary[96];
    uint32_t bytes = reply ? reply->length : 0;

    if (clip_verdict_answers(verdict) || (verdict == CLIP_REPLY_LATE && !reply))
        if (d->copying == q)
            d->copying = NULL;
    switch (verdict) {
    case CLIP_REPLY_ACCEPT:
        if (clipd_store_set(&d->store, name, reply->text, reply->length,
                            clipd_qube_copy_hotkey_ms(q), fen_monotonic_ms()) < 0) {
            snprintf(summary, sizeof summary, "Copy from %s failed", name);
            audit_copy(d, name, true, "no-memory", bytes, summary, "out of memory");
            return;
        }
        snprintf(summary, sizeof summary, "Copied from %s", name);
        char body[128];
        snprintf(body, sizeof body, "%u bytes are on the global clipboard", bytes);
        audit_copy(d, name, false, "ok", bytes, summary, body);
        return;
    case CLIP_REPLY_UNREQUESTED:
    case CLIP_REPLY_LATE:
        if (reply) {
            /* Dropped without bothering the user: nothing they asked for. */
            char audit[192];
            snprintf(audit, sizeof audit, "drop source=%s bytes=%u result=%s", name, bytes,
                     clip_verdict_name(verdict));
            snprintf(summary, sizeof summary, "qube %s", name);
            clipd_report_quiet(d->report, summary, why, audit);
            return;
        }
        snprintf(summary, sizeof summary, "Copy from %s refused", name);
        audit_copy(d, name, true, "timeout", 0, summary, why);
        return;
    case CLIP_REPLY_EMPTY:
    case CLIP_REPLY_OVER_LIMIT:
    case CLIP_REPLY_BAD_TEXT:
        snprintf(summary, sizeof summary, "Copy from %s refused", name);
        audit_copy(d, name, true, clip_verdict_name(verdict), bytes, summary, why);
        return;
    case CLIP_REPLY_PROTOCOL:
        return; /* the qube module closed the channel and logged why */
    }
}

static void audit_paste(struct clipd *d, const char *source, const char *target, bool failed,
                        const char *result, size_t bytes, const char *summary, const char *body)
{
    char audit[256];
    snprintf(audit, sizeof audit, "paste source=%s target=%s bytes=%zu result=%s",
             source[0] ? source : "-", target, bytes, result);
    clipd_report_event(d->report, failed, summary, body, audit);
}

int clipd_paste(struct clipd *d, const char *qube, uint64_t hotkey_ms, char *msg, size_t msg_size)
{
    struct clipd_qube *q = clipd_find_qube(d, qube);
    char summary[96];
    const char *source = d->store.source;
    snprintf(summary, sizeof summary, "Paste into %s refused", qube);

    if (d->copying) {
        snprintf(msg, msg_size, "a copy from %s is still in progress",
                 clipd_qube_name(d->copying));
        audit_paste(d, source, qube, true, "copy-in-progress", 0, summary, msg);
        return -1;
    }
    if (clipd_store_empty(&d->store)) {
        snprintf(msg, msg_size, "the global clipboard is empty");
        audit_paste(d, "", qube, true, "empty", 0, summary, msg);
        return -1;
    }
    size_t bytes = d->store.length;
    if (!q) {
        snprintf(msg, msg_size, "qube %s is not attached to the clipboard", qube);
        audit_paste(d, source, qube, true, "not-attached", bytes, summary, msg);
        return -1;
    }
    if (hotkey_ms <= d->store.copy_ms) {
        snprintf(msg, msg_size, "the paste hotkey (%llu ms) is not after the copy (%llu ms)",
                 (unsigned long long)hotkey_ms, (unsigned long long)d->store.copy_ms);
        audit_paste(d, source, qube, true, "stale-hotkey", bytes, summary, msg);
        return -1;
    }
    unsigned line;
    if (clip_policy_decide(d->policy, source, qube, &line) == CLIP_DENY) {
        snprintf(msg, msg_size, "policy denies pasting from %s into %s (policy line %u)", source,
                 qube, line);
        audit_paste(d, source, qube, true, "denied", bytes, summary, msg);
        return -1;
    }
    if (clipd_qube_paste(q, source, d->store.data, (uint32_t)bytes, d->cfg->paste_hold_ms, msg,
                         msg_size) < 0) {
        audit_paste(d, source, qube, true, "not-connected", bytes, summary, msg);
        return -1;
    }
    char src[CLIP_QUBE_NAME_MAX + 1];
    snprintf(src, sizeof src, "%s", source);
    clipd_store_wipe(&d->store); /* one paste per copy */
    snprintf(msg, msg_size, "pasted %zu bytes from %s into %s", bytes, src, qube);
    snprintf(summary, sizeof summary, "Pasted into %s", qube);
    audit_paste(d, src, qube, false, "ok", bytes, summary, msg);
    return 0;
}

void clipd_clear(struct clipd *d)
{
    if (d->copying)
        clipd_qube_cancel_request(d->copying);
    d->copying = NULL;
    clipd_store_wipe(&d->store);
    clipd_report_event(d->report, false, "Clipboard cleared", "the global clipboard is empty",
                       "clear");
}

void clipd_check_pastes(struct clipd *d)
{
    for (size_t i = 0; i < d->nqubes; i++) {
        char source[CLIP_QUBE_NAME_MAX + 1], summary[96], body[160];
        uint32_t bytes;
        const char *target = clipd_qube_name(d->qubes[i]);
        switch (clipd_qube_take_paste_outcome(d->qubes[i], source, sizeof source, &bytes)) {
        case CLIPD_PASTE_NONE:
            break;
        case CLIPD_PASTE_REDELIVERED:
            snprintf(summary, sizeof summary, "Pasted into %s", target);
            snprintf(body, sizeof body, "the paste of %u bytes from %s reached %s after its "
                                        "clipboard agent reconnected", bytes, source, target);
            audit_paste(d, source, target, false, "redelivered", bytes, summary, body);
            break;
        case CLIPD_PASTE_LOST:
            snprintf(summary, sizeof summary, "Paste into %s lost", target);
            snprintf(body, sizeof body, "the clipboard agent of %s went away during the paste "
                                        "of %u bytes from %s and did not come back in %u ms",
                     target, bytes, source, d->cfg->paste_hold_ms);
            audit_paste(d, source, target, true, "lost", bytes, summary, body);
            break;
        }
    }
}

void clipd_check_copy(struct clipd *d)
{
    if (!d->copying || clipd_qube_copy_pending(d->copying))
        return;
    const char *name = clipd_qube_name(d->copying);
    char summary[96], why[128];
    d->copying = NULL;
    snprintf(summary, sizeof summary, "Copy from %s failed", name);
    snprintf(why, sizeof why, "the clipboard channel of qube %s closed before it answered", name);
    audit_copy(d, name, true, "disconnected", 0, summary, why);
}
