/* clipd: dom0's global clipboard daemon.  State shared by the loop
 * (main.c), the control commands (control.c) and the copy/paste actions
 * (actions.c). */
#ifndef CLIPD_H
#define CLIPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../policy.h"
#include "config.h" /* policy/: the dom0 configuration file */
#include "qube.h"
#include "report.h"
#include "store.h"

#define CLIPD_MAX_QUBES 256
#define CLIPD_MAX_LIMITS 64

struct clipd_limit {
    char qube[CLIP_QUBE_NAME_MAX + 1];
    uint32_t bytes;
};

struct clipd_config {
    char socket_path[512];
    char audit_path[512];
    char state_path[512]; /* the attached qubes (names and channel specs only) */
    const char *policy_path; /* NULL: allow every paste */
    uint32_t default_limit;
    struct clipd_limit limits[CLIPD_MAX_LIMITS];
    size_t nlimits;
    uint32_t timeout_ms; /* how long a qube has to answer a copy request */
    uint32_t paste_hold_ms; /* how long an interrupted paste waits for its agent */
    const char *config_path; /* --config; NULL: the default path, if it exists */
    bool have_file;
    struct fen_config file;
};

struct clipd {
    const struct clipd_config *cfg;
    struct clip_policy *policy;
    struct clipd_report *report;
    struct clipd_qube *qubes[CLIPD_MAX_QUBES];
    size_t nqubes;
    struct clipd_store store;
    uint32_t next_request_id;
    /* the copy in flight (at most one: the newest hotkey wins) */
    struct clipd_qube *copying;
    /* limits changed at run time (`limit QUBE BYTES`, guictl policy) */
    struct clipd_limit runtime_limits[CLIPD_MAX_LIMITS];
    size_t nruntime_limits;
};

struct clipd_qube *clipd_find_qube(struct clipd *d, const char *name);

/* Control commands: handle one request line, write the reply (starting with
 * "ok" or "error: ") into reply. */
void clipd_control_line(struct clipd *d, char *line, char *reply, size_t reply_size);

/* The attached qubes survive a clipd restart in cfg->state_path
 * (state.c): "QUBE SPEC" lines, written atomically, mode 0600. */
void clipd_state_load(struct clipd *d);
void clipd_state_save(const struct clipd *d);

/* A qube's copy limit: set at run time > --limit QUBE=BYTES > the config
 * file ([qube NAME] or [global] clipboard_limit) > --default-limit. */
uint32_t clipd_limit_for(const struct clipd *d, const char *qube);
/* Change it at run time (also for an attached qube's next copy). */
int clipd_set_limit(struct clipd *d, const char *qube, uint32_t bytes, char *why, size_t why_size);

/* Actions (actions.c). */
int clipd_attach(struct clipd *d, const char *qube, const char *spec, char *why, size_t why_size);
int clipd_copy(struct clipd *d, const char *qube, uint64_t hotkey_ms, char *why, size_t why_size);
int clipd_paste(struct clipd *d, const char *qube, uint64_t hotkey_ms, char *msg, size_t msg_size);
void clipd_clear(struct clipd *d);
/* After the qubes were serviced: report a copy whose qube's channel closed
 * before it answered. */
void clipd_check_copy(struct clipd *d);
/* After the qubes were serviced: audit and tell about interrupted pastes
 * that were sent again on reconnection or dropped. */
void clipd_check_pastes(struct clipd *d);
void clipd_on_reply(void *ctx, struct clipd_qube *q, enum clip_verdict verdict,
                    const struct clip_reply *reply, const char *why);

#endif
