/* guictl policy QUBE [show | set KEY VALUE]: a qube's policy at run time.
 * guid (guid-QUBE.sock) owns allow_fullscreen, max_windows and
 * max_window_memory; clipd (clipd.sock) the clipboard limit; audiod
 * (audiod-QUBE.sock) the microphone.  Changes last until the daemon
 * restarts; the config file is not rewritten. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fenestra/ctl.h"
#include "fenestra/validate.h"
#include "guictl.h"

static int policy_usage(void)
{
    fprintf(stderr, "usage: guictl policy QUBE [show | set KEY VALUE]\n"
                    "keys: allow_fullscreen (or fullscreen) yes|no, max_windows N,\n"
                    "      max_window_memory SIZE, clipboard_limit SIZE, mic on|off\n");
    return 2;
}

/* Send `req` to RUNTIME/name; print the reply's lines (minus a leading
 * "ok"), prefixed.  Exit status style: 0 ok, 1 refused or unreachable. */
static int ask(const char *sock, const char *req, const char *who, const char *prefix)
{
    char path[512], reply[4096];
    if (fen_ctl_path(path, sizeof path, sock) < 0) {
        perror("guictl: runtime dir");
        return 1;
    }
    int rc = fen_ctl_request(path, req, reply, sizeof reply, 2000);
    if (rc < 0) {
        fprintf(stderr, "guictl: %s not reachable at %s\n", who, path);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "guictl: %s refused: %s%s", who, reply,
                reply[0] && reply[strlen(reply) - 1] == '\n' ? "" : "\n");
        return 1;
    }
    const char *p = reply;
    if (!strncmp(p, "ok\n", 3))
        p += 3;
    else if (!strncmp(p, "ok ", 3))
        p += 3;
    for (const char *line = p; *line;) {
        const char *end = strchr(line, '\n');
        int len = end ? (int)(end - line) : (int)strlen(line);
        if (len > 0)
            printf("%s%.*s\n", prefix, len, line);
        line += len + (end ? 1 : 0);
    }
    return 0;
}

static int run_policy(int argc, char **argv)
{
    if (argc < 2 || !fen_qube_name_valid(argv[1]))
        return policy_usage();
    const char *qube = argv[1];
    char guid_sock[64], audiod_sock[64], req[160];
    snprintf(guid_sock, sizeof guid_sock, "guid-%s.sock", qube);
    snprintf(audiod_sock, sizeof audiod_sock, "audiod-%s.sock", qube);
    if (argc == 2 || (argc == 3 && !strcmp(argv[2], "show"))) {
        int rc = ask(guid_sock, "policy show", "guid", "");
        char path[512];
        if (fen_ctl_path(path, sizeof path, audiod_sock) == 0 && access(path, F_OK) == 0)
            (void)ask(audiod_sock, "mic status", "audiod", "mic ");
        return rc;
    }
    if (argc != 5 || strcmp(argv[2], "set"))
        return policy_usage();
    const char *key = argv[3], *value = argv[4];
    if (strchr(value, ' ') || strchr(value, '\n') || strlen(value) > 40)
        return policy_usage();
    if (!strcmp(key, "clipboard_limit")) {
        snprintf(req, sizeof req, "limit %s %s", qube, value);
        return ask("clipd.sock", req, "clipd", "");
    }
    if (!strcmp(key, "mic")) {
        const char *verb = !strcmp(value, "on") || !strcmp(value, "yes") ? "attach"
                           : !strcmp(value, "off") || !strcmp(value, "no") ? "detach" : NULL;
        if (verb == NULL)
            return policy_usage();
        snprintf(req, sizeof req, "mic %s", verb);
        return ask(audiod_sock, req, "audiod", "mic ");
    }
    if (strcmp(key, "allow_fullscreen") && strcmp(key, "fullscreen") && strcmp(key, "max_windows") &&
        strcmp(key, "max_window_memory"))
        return policy_usage();
    snprintf(req, sizeof req, "policy set %s %s", key, value);
    return ask(guid_sock, req, "guid", "");
}

GUICTL_COMMAND(policy, "policy",
               "  policy QUBE [show | set KEY VALUE]\n"
               "                        show or change a running qube's policy: allow_fullscreen,\n"
               "                        max_windows, max_window_memory (guid), clipboard_limit\n"
               "                        (clipd), mic on|off (audiod)",
               run_policy)
