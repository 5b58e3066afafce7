/* guictl list [--runtime DIR]: every running guid (RUNTIME/guid-QUBE.sock)
 * and its windows, from each guid's control socket ("list"). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fenestra/ctl.h"
#include "guictl.h"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_list(int argc, char **argv)
{
    char dir[512];
    if (argc == 3 && !strcmp(argv[1], "--runtime")) {
        snprintf(dir, sizeof dir, "%s", argv[2]);
    } else if (argc != 1) {
        fprintf(stderr, "usage: guictl list [--runtime DIR]\n");
        return 2;
    } else if (fen_runtime_dir(dir, sizeof dir) < 0) {
        perror("guictl: runtime dir");
        return 1;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("no qubes running (no %s)\n", dir);
        return 0;
    }
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 256;) {
        size_t len = strlen(e->d_name);
        if (len > 9 && !strncmp(e->d_name, "guid-", 5) && !strcmp(e->d_name + len - 5, ".sock"))
            names[n++] = strndup(e->d_name + 5, len - 10);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    if (n == 0)
        printf("no qubes running\n");
    for (size_t i = 0; i < n; i++) {
        char path[800], reply[65536];
        snprintf(path, sizeof path, "%s/guid-%s.sock", dir, names[i]);
        int rc = fen_ctl_request(path, "list", reply, sizeof reply, 2000);
        if (rc < 0) {
            printf("%s: not answering (stale socket?)\n", names[i]);
        } else {
            /* "ok N windows\nID X Y W H mapped|unmapped TITLE\n..." */
            char *body = strchr(reply, '\n');
            unsigned long count = strtoul(reply + (rc == 0 ? 3 : 0), NULL, 10);
            printf("%s: %lu window%s\n", names[i], count, count == 1 ? "" : "s");
            if (body != NULL)
                for (char *line = strtok(body + 1, "\n"); line; line = strtok(NULL, "\n"))
                    printf("  %s\n", line);
        }
        free(names[i]);
    }
    return 0;
}

GUICTL_COMMAND(list, "list",
               "  list [--runtime DIR]  running qubes (guid control sockets) and their windows:\n"
               "                        ID X Y W H mapped|unmapped TITLE",
               run_list)
