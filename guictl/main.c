/* guictl: dispatch to the registered subcommands (see guictl.h). */
#include <stdio.h>
#include <string.h>

#include "fenestra/log.h"
#include "guictl.h"

static struct guictl_command *commands;

void guictl_register(struct guictl_command *cmd)
{
    /* keep the list sorted by name so --help is stable */
    struct guictl_command **p = &commands;
    while (*p && strcmp((*p)->name, cmd->name) < 0)
        p = &(*p)->next;
    cmd->next = *p;
    *p = cmd;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: guictl COMMAND [ARGS...]\n\n"
                 "Control a running Fenestra dom0 (guid, clipd, audiod).\n\ncommands:\n");
    for (struct guictl_command *c = commands; c; c = c->next)
        fprintf(out, "%s\n", c->usage);
}

int main(int argc, char **argv)
{
    fen_log_init("guictl", NULL);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (struct guictl_command *c = commands; c; c = c->next)
        if (!strcmp(c->name, argv[1]))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "guictl: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
