/* guid: the dom0 side of one qube's windows.  The pieces and who owns what:
 *   main.c    command line -> struct guid_config, creates/destroys the rest
 *   loop.c    poll + dispatch only (X fd, guest channel, control socket, signals)
 *   conn.c    guest channel: connect/retry, handshake, validate, drop
 *   wstate.c  window table and guest message handlers (X only via guid_xops)
 *   xside.c   dom0 X: windows, frame, title, MIT-SHM painting (implements guid_xops)
 *   xinput.c  dom0 events -> guest messages, clipboard hotkeys
 *   ctlsock.c control socket guid-QUBE.sock ("list")
 *   hotkeys.c pure hotkey parsing (label colors: policy/config.c)
 * Policy (docs/configuration.md, docs/threat-model.md):
 *   config_load.c  the dom0 config file for this qube (policy/config.h)
 *   monitor.c      pure monitor geometry (pick, clamp); monitor_x.c asks RandR
 *   fullscreen.c   allow_fullscreen: raise/focus, banner.c, root-grabbed exit hotkey
 *   ctl_policy.c   "policy show" / "policy set KEY VALUE" on the control socket
 * Limits (max_windows, max_window_memory, the paint budget) live in wstate.c;
 * paint backpressure (puts in flight in the dom0 X server) in xside.c, with
 * wstate collecting damage meanwhile and conn.c reading a held qube only a
 * bounded amount per paint (GUID_READ_BATCH). */
#ifndef GUID_GUID_H
#define GUID_GUID_H

#include <stdbool.h>
#include <stdint.h>

#include "hotkeys.h"

struct guid_config {
    const char *qube;
    const char *label_text;
    uint32_t label_rgb;
    uint32_t frame_width;
    const char *spec;
    const char *display;      /* NULL: $DISPLAY */
    const char *clipd_socket; /* resolved path */
    const char *ctl_socket;   /* resolved path */
    struct guid_hotkey copy_key, paste_key;
    /* From the config file (policy/config.h) unless the command line says. */
    const char *config_path;  /* NULL: the default path */
    bool allow_fullscreen;
    bool or_manage;
    uint32_t max_windows;
    uint64_t max_window_memory;
    struct guid_hotkey fs_exit_key;
    char fs_exit_text[48];
    char label_buf[16];
};

struct guid {
    const struct guid_config *cfg;
    struct guid_xside *xs;
    struct guid_wstate *ws;
    struct guid_conn *conn;
    struct guid_xinput *xin;
    struct guid_fullscreen *fs;
    int ctl_fd;
    int sig_fd;
};

/* Run until SIGINT/SIGTERM (0) or the dom0 X server goes away (-1). */
int guid_loop_run(struct guid *g);

/* Answer one pending control-socket client. */
void guid_ctl_serve(struct guid *g);

/* "policy show" / "policy set KEY VALUE" on the control socket (ctl_policy.c):
 * writes the reply to fd. */
void guid_ctl_policy(struct guid *g, int fd, const char *line);

#endif
