/* fen-pool-hold: dom0 creates the page pool of a qube that uses the
 * "tcp:PORTBASE:POOLPATH" backend (a Windows qube under Wine).
 *
 * Creates a memfd of N pages sealed against resizing (F_SEAL_SHRINK |
 * F_SEAL_GROW | F_SEAL_SEAL), prints the path both sides open it by,
 * /proc/PID/fd/FD, and keeps it alive until SIGTERM/SIGINT.  dom0 puts that
 * path into guid's spec itself; the guest gets it from its own config.  The
 * seals are what keep the guest from truncating the file under dom0's and
 * the X server's mappings (which would SIGBUS them).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fenestra/proto.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fen-pool-hold --pages N\n"
            "Create a sealed memfd page pool of N pages (1..%u), print /proc/PID/fd/FD\n"
            "and keep it alive until SIGTERM.\n",
            (unsigned)FEN_MAX_POOL_PAGES);
}

int main(int argc, char **argv)
{
    long pages = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--pages") == 0 && i + 1 < argc) {
            char *end = NULL;
            pages = strtol(argv[++i], &end, 10);
            if (*end != '\0')
                pages = -1;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (pages < 1 || pages > (long)FEN_MAX_POOL_PAGES) {
        usage(stderr);
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);

    int fd = memfd_create("fenestra-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, (off_t)pages * FEN_PAGE_SIZE) < 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
        fprintf(stderr, "fen-pool-hold: cannot create the pool: %s\n", strerror(errno));
        return 1;
    }
    printf("/proc/%d/fd/%d\n", (int)getpid(), fd);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    close(fd);
    return 0;
}
