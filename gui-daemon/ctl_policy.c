/* guid control socket: "policy show" and "policy set KEY VALUE" (run-time
 * policy changes from guictl; they last until guid restarts). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "fenestra/ctl.h"
#include "fenestra/log.h"
#include "guid.h"
#include "wstate.h"

static void say(int fd, const char *s)
{
    if (fen_ctl_write_full(fd, s, strlen(s)) != 0)
        fen_log(DEBUG, "control client went away before the reply");
}

static void show(struct guid *g, int fd)
{
    const struct guid_wpolicy *p = guid_wstate_policy(g->ws);
    char buf[512];
    snprintf(buf, sizeof(buf),
             "ok\nqube %s\nlabel %s\nframe_width %u\nallow_fullscreen %s\n"
             "override_redirect %s\nmax_windows %u\nmax_window_memory %" PRIu64 "\n"
             "windows %zu\nwindow_memory %" PRIu64 "\n",
             g->cfg->qube, g->cfg->label_text, g->cfg->frame_width,
             p->allow_fullscreen ? "yes" : "no", g->cfg->or_manage ? "manage" : "allow",
             p->max_windows, p->max_memory, guid_wstate_count(g->ws),
             guid_wstate_memory(g->ws));
    say(fd, buf);
}

static int set(struct guid *g, const char *key, const char *value, char *why, size_t whylen)
{
    struct guid_wpolicy p = *guid_wstate_policy(g->ws);
    uint64_t n;
    if (strcmp(key, "allow_fullscreen") == 0 || strcmp(key, "fullscreen") == 0) {
        if (!fen_parse_bool(value, &p.allow_fullscreen))
            return snprintf(why, whylen, "expected yes or no"), -1;
    } else if (strcmp(key, "max_windows") == 0) {
        if (!fen_parse_size(value, &n) || n < 1 || n > FEN_MAX_WINDOWS_PER_QUBE)
            return snprintf(why, whylen, "expected 1..%u", FEN_MAX_WINDOWS_PER_QUBE), -1;
        p.max_windows = (uint32_t)n;
    } else if (strcmp(key, "max_window_memory") == 0) {
        if (!fen_parse_size(value, &n) || n < (1u << 20))
            return snprintf(why, whylen, "expected a size of at least 1M"), -1;
        p.max_memory = n;
    } else {
        return snprintf(why, whylen,
                        "unknown key (allow_fullscreen, max_windows, max_window_memory)"),
               -1;
    }
    if (guid_wstate_set_policy(g->ws, &p) != 0)
        fen_log(WARN, "could not tell the guest about the policy change");
    fen_log(INFO, "policy changed at run time: %s = %s", key, value);
    return 0;
}

void guid_ctl_policy(struct guid *g, int fd, const char *line)
{
    char verb[16] = "", key[40] = "", value[40] = "", extra[2] = "";
    int n = sscanf(line, "policy %15s %39s %39s %1s", verb, key, value, extra);
    if (n == 1 && strcmp(verb, "show") == 0) {
        show(g, fd);
        return;
    }
    if (n == 3 && strcmp(verb, "set") == 0) {
        char why[128], buf[256];
        if (set(g, key, value, why, sizeof(why)) != 0) {
            snprintf(buf, sizeof(buf), "error: %s: %s\n", key, why);
            say(fd, buf);
        } else {
            snprintf(buf, sizeof(buf), "ok %s %s\n", key, value);
            say(fd, buf);
        }
        return;
    }
    say(fd, "error: usage: policy show | policy set KEY VALUE\n");
}
