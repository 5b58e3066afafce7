/* clip-ctl: send one control line to clipd (tests and benchmarks).
 *   clip-ctl SOCKET WORD...   the words joined by spaces; a word "@now"
 *                             becomes CLOCK_MONOTONIC milliseconds, "@now-N"
 *                             that minus N (a hotkey from the past)
 * Prints the reply; exit 0 for "ok", 1 for "error", 2 when unreachable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fenestra/ctl.h"

int main(int argc, char **argv)
{
    char line[FEN_CTL_MAX_LINE] = "";
    char reply[4096];
    size_t used = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: clip-ctl SOCKET WORD...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char word[64];
        const char *w = argv[i];
        if (!strncmp(w, "@now", 4)) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            unsigned long long ms = (unsigned long long)ts.tv_sec * 1000u +
                                    (unsigned long long)ts.tv_nsec / 1000000u;
            if (w[4] == '-')
                ms -= strtoull(w + 5, NULL, 10);
            snprintf(word, sizeof word, "%llu", ms);
            w = word;
        }
        int n = snprintf(line + used, sizeof line - used, "%s%s", used ? " " : "", w);
        if (n < 0 || (size_t)n >= sizeof line - used)
            return 2;
        used += (size_t)n;
    }
    int rc = fen_ctl_request(argv[1], line, reply, sizeof reply, 2000);
    if (rc < 0) {
        perror("clip-ctl");
        return 2;
    }
    fputs(reply, stdout);
    if (!strchr(reply, '\n'))
        putchar('\n');
    return rc == 0 ? 0 : 1;
}
