/* guictl clipboard [show|clear] [--socket PATH]: what is on dom0's global
 * clipboard (source qube, size, age; never the text), or wipe it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/ctl.h"
#include "guictl.h"

static void print_show(const char *reply)
{
    char source[64] = "", copying[64] = "-";
    unsigned long long bytes = 0, age = 0;
    const char *p;
    if ((p = strstr(reply, "copying=")))
        sscanf(p, "copying=%63s", copying);
    if (strstr(reply, "ok empty")) {
        printf("the clipboard is empty\n");
    } else if (sscanf(reply, "ok source=%63s bytes=%llu age_ms=%llu", source, &bytes, &age) == 3) {
        printf("source %s, %llu bytes, copied %llu.%01llu s ago\n", source, bytes, age / 1000,
               (age % 1000) / 100);
    } else {
        fputs(reply, stdout);
        return;
    }
    if (strcmp(copying, "-"))
        printf("a copy from %s is in progress\n", copying);
}

static int run_clipboard(int argc, char **argv)
{
    const char *verb = "show", *socket = NULL;
    char path[512], reply[1024];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--socket") && i + 1 < argc)
            socket = argv[++i];
        else if (!strcmp(argv[i], "show") || !strcmp(argv[i], "clear"))
            verb = argv[i];
        else {
            fprintf(stderr, "usage: guictl clipboard [show|clear] [--socket PATH]\n");
            return 2;
        }
    }
    if (!socket) {
        if (fen_ctl_path(path, sizeof path, "clipd.sock") < 0) {
            perror("guictl: runtime dir");
            return 1;
        }
        socket = path;
    }
    int rc = fen_ctl_request(socket, verb, reply, sizeof reply, 2000);
    if (rc < 0) {
        fprintf(stderr, "guictl: clipd not reachable at %s\n", socket);
        return 1;
    }
    if (rc != 0) {
        fputs(reply, stderr);
        return 1;
    }
    if (!strcmp(verb, "show"))
        print_show(reply);
    else
        printf("the clipboard is wiped\n");
    return 0;
}

GUICTL_COMMAND(clipboard, "clipboard",
               "  clipboard [show|clear] [--socket PATH]\n"
               "                        source qube, size and age of the global clipboard\n"
               "                        (never its text), or wipe it",
               run_clipboard)
