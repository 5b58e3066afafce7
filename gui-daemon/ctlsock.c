/* guid's control socket (guid-QUBE.sock): "list" -> one line per window. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/ctl.h"
#include "fenestra/log.h"
#include "guid.h"
#include "wstate.h"

static void reply(int fd, const char *s)
{
    if (fen_ctl_write_full(fd, s, strlen(s)) != 0)
        fen_log(DEBUG, "control client went away before the reply");
}

void guid_ctl_serve(struct guid *g)
{
    int fd = fen_ctl_accept(g->ctl_fd, 300);
    if (fd < 0)
        return;
    char line[FEN_CTL_MAX_LINE];
    if (fen_ctl_read_line(fd, line, sizeof(line)) < 0) {
        close(fd);
        return;
    }
    if (strcmp(line, "list") == 0) {
        char buf[FEN_MAX_TITLE_BYTES + 128];
        size_t n = guid_wstate_count(g->ws);
        snprintf(buf, sizeof(buf), "ok %zu windows\n", n);
        reply(fd, buf);
        for (size_t i = 0; i < n; i++) {
            struct guid_win *w = guid_wstate_at(g->ws, i);
            snprintf(buf, sizeof(buf), "%u %d %d %u %u %s %s\n", w->id, w->rect.x, w->rect.y,
                     w->rect.w, w->rect.h, w->mapped ? "mapped" : "unmapped", w->title);
            reply(fd, buf);
        }
    } else if (strncmp(line, "policy", 6) == 0 && (line[6] == ' ' || line[6] == '\0')) {
        guid_ctl_policy(g, fd, line);
    } else {
        reply(fd, "error: unknown command (try: list, policy show, policy set KEY VALUE)\n");
    }
    close(fd);
}
