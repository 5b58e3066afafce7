/* The control socket's commands, one line per connection (see clipd.h):
 *   attach QUBE SPEC    guid: QUBE's clipboard channel is at SPEC
 *   copy QUBE MS        guid: copy hotkey in QUBE's window at MS (CLOCK_MONOTONIC ms)
 *   paste QUBE MS       guid: paste hotkey in QUBE's window at MS
 *   limit QUBE BYTES    guictl: QUBE's copy limit from now on (K/M suffixes, <= 16M)
 *   show                source, size and age of the clipboard (never its text)
 *   clear               wipe the clipboard
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/clock.h"
#include "fenestra/log.h"
#include "fenestra/proto.h"
#include "clipd.h"

static bool parse_ms(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static void show(struct clipd *d, char *reply, size_t reply_size)
{
    const char *pending = d->copying ? clipd_qube_name(d->copying) : "-";
    if (clipd_store_empty(&d->store)) {
        snprintf(reply, reply_size, "ok empty copying=%s", pending);
        return;
    }
    snprintf(reply, reply_size, "ok source=%s bytes=%zu age_ms=%llu copying=%s", d->store.source,
             d->store.length, (unsigned long long)(fen_monotonic_ms() - d->store.stored_ms), pending);
}

void clipd_control_line(struct clipd *d, char *line, char *reply, size_t reply_size)
{
    char *save = NULL;
    char *cmd = strtok_r(line, " ", &save);
    char *a1 = strtok_r(NULL, " ", &save);
    char *a2 = strtok_r(NULL, " ", &save);
    char *extra = strtok_r(NULL, " ", &save);
    char why[256];
    uint64_t ms;

    if (!cmd) {
        snprintf(reply, reply_size, "error: empty request");
        return;
    }
    if (!strcmp(cmd, "show") && !a1) {
        show(d, reply, reply_size);
        return;
    }
    if (!strcmp(cmd, "clear") && !a1) {
        clipd_clear(d);
        snprintf(reply, reply_size, "ok cleared");
        return;
    }
    bool two_args = a1 && a2 && !extra;
    if (two_args && !fen_qube_name_valid(a1)) {
        snprintf(reply, reply_size, "error: invalid qube name");
        return;
    }
    if (!strcmp(cmd, "attach") && two_args) {
        if (clipd_attach(d, a1, a2, why, sizeof why) < 0)
            snprintf(reply, reply_size, "error: %s", why);
        else
            snprintf(reply, reply_size, "ok attached %s", a1);
        return;
    }
    if (!strcmp(cmd, "limit") && two_args) {
        uint64_t bytes;
        if (!fen_parse_size(a2, &bytes) || bytes < 1 || bytes > FEN_MAX_CLIPBOARD_BYTES) {
            snprintf(reply, reply_size, "error: bad limit '%.40s' (1..16M)", a2);
            return;
        }
        if (clipd_set_limit(d, a1, (uint32_t)bytes, why, sizeof why) < 0)
            snprintf(reply, reply_size, "error: %s", why);
        else
            snprintf(reply, reply_size, "ok limit %s %llu", a1, (unsigned long long)bytes);
        return;
    }
    if ((!strcmp(cmd, "copy") || !strcmp(cmd, "paste")) && two_args) {
        if (!parse_ms(a2, &ms)) {
            snprintf(reply, reply_size, "error: bad time '%.40s'", a2);
            return;
        }
        if (cmd[0] == 'c') {
            if (clipd_copy(d, a1, ms, why, sizeof why) < 0)
                snprintf(reply, reply_size, "error: %s", why);
            else
                snprintf(reply, reply_size, "ok copy requested from %s", a1);
        } else {
            int rc = clipd_paste(d, a1, ms, why, sizeof why);
            snprintf(reply, reply_size, "%s%s", rc < 0 ? "error: " : "ok ", why);
        }
        return;
    }
    snprintf(reply, reply_size,
             "error: unknown request (attach QUBE SPEC | copy QUBE MS | paste QUBE MS | "
             "limit QUBE BYTES | show | clear)");
}
