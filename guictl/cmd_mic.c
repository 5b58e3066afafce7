/* guictl mic attach|detach|status NAME [--socket PATH]: give dom0's
 * microphone to one qube, take it back, or show the state (attached or
 * detached, microphone bytes sent to the qube so far) via audiod-NAME.sock. */
#include <stdio.h>
#include <string.h>

#include "fenestra/ctl.h"
#include "fenestra/validate.h"
#include "guictl.h"

static int mic_usage(void)
{
    fprintf(stderr, "usage: guictl mic attach|detach|status NAME [--socket PATH]\n");
    return 2;
}

static int run_mic(int argc, char **argv)
{
    const char *verb = NULL, *qube = NULL, *socket = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--socket") && i + 1 < argc)
            socket = argv[++i];
        else if (!verb)
            verb = argv[i];
        else if (!qube)
            qube = argv[i];
        else
            return mic_usage();
    }
    if (!verb || !qube ||
        (strcmp(verb, "attach") && strcmp(verb, "detach") && strcmp(verb, "status")))
        return mic_usage();
    if (!fen_qube_name_valid(qube)) {
        fprintf(stderr, "guictl: invalid qube name '%s'\n", qube);
        return 2;
    }
    char path[512], name[64], request[32], reply[1024];
    if (!socket) {
        snprintf(name, sizeof name, "audiod-%s.sock", qube);
        if (fen_ctl_path(path, sizeof path, name) < 0) {
            perror("guictl: runtime dir");
            return 1;
        }
        socket = path;
    }
    snprintf(request, sizeof request, "mic %s", verb);
    int rc = fen_ctl_request(socket, request, reply, sizeof reply, 2000);
    if (rc < 0) {
        fprintf(stderr, "guictl: audiod for qube '%s' not reachable at %s\n", qube, socket);
        return 1;
    }
    if (rc != 0) {
        fputs(reply, stderr);
        return 1;
    }
    /* "ok attached mic_bytes=N ..." -> "work: attached mic_bytes=N ..." */
    const char *state = strncmp(reply, "ok ", 3) ? reply : reply + 3;
    printf("%s: %s", qube, state);
    if (state[0] && state[strlen(state) - 1] != '\n')
        putchar('\n');
    return 0;
}

GUICTL_COMMAND(mic, "mic",
               "  mic attach|detach|status NAME [--socket PATH]\n"
               "                        give dom0's microphone to qube NAME, take it back,\n"
               "                        or show the state and the bytes sent so far",
               run_mic)
