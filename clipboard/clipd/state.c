/* The attached qubes, kept across clipd restarts (see clipd.h): guid only
 * sends `attach` when its own connection starts, so a restarted clipd would
 * otherwise know no qube until every guid reconnects.  Only names and
 * channel specs are stored, never clipboard data. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/log.h"
#include "clipd.h"

#define STATE_MAX_BYTES (64u * 1024u)

void clipd_state_load(struct clipd *d)
{
    char buf[STATE_MAX_BYTES + 1];
    int fd = open(d->cfg->state_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT)
            fen_log_errno(WARN, "cannot read %s", d->cfg->state_path);
        return;
    }
    size_t len = 0;
    ssize_t n;
    while (len < STATE_MAX_BYTES && (n = read(fd, buf + len, STATE_MAX_BYTES - len)) > 0)
        len += (size_t)n;
    close(fd);
    buf[len] = '\0';
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(line, ' ');
        char why[256];
        if (!sp)
            continue;
        *sp = '\0';
        if (!fen_qube_name_valid(line) || clipd_attach(d, line, sp + 1, why, sizeof why) < 0)
            fen_log(WARN, "%s: ignoring a bad line for '%.40s'", d->cfg->state_path, line);
    }
}

void clipd_state_save(const struct clipd *d)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.new", d->cfg->state_path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        fen_log_errno(WARN, "cannot write %s", tmp);
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < d->nqubes && ok; i++)
        ok = dprintf(fd, "%s %s\n", clipd_qube_name(d->qubes[i]),
                     clipd_qube_spec(d->qubes[i])) > 0;
    if (close(fd) < 0 || !ok || rename(tmp, d->cfg->state_path) < 0) {
        fen_log_errno(WARN, "cannot save %s", d->cfg->state_path);
        unlink(tmp);
    }
}
