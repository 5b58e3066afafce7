/* guictl: dom0's command-line control tool.  Each subcommand lives in its
 * own file (cmd_<name>.c) and registers itself with GUICTL_COMMAND; main.c
 * only dispatches.  A command returns the process exit status. */
#ifndef GUICTL_H
#define GUICTL_H

struct guictl_command {
    const char *name;    /* first argument, e.g. "clipboard" */
    const char *usage;   /* one or more lines shown by `guictl --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    struct guictl_command *next;
};

void guictl_register(struct guictl_command *cmd);

#define GUICTL_COMMAND(id, cmd_name, cmd_usage, fn)                              \
    static struct guictl_command guictl_cmd_##id = {cmd_name, cmd_usage, fn, 0}; \
    __attribute__((constructor)) static void guictl_register_##id(void)      \
    {                                                                        \
        guictl_register(&guictl_cmd_##id);                                   \
    }

#endif
