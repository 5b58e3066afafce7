/* clipd: dom0's global clipboard.  Parses options, then runs one poll loop
 * over the control socket and every qube's clipboard channel. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fenestra/clock.h"
#include "fenestra/ctl.h"
#include "fenestra/log.h"
#include "fenestra/proto.h"
#include "clipd.h"

#define CTL_TIMEOUT_MS 500
#define MAX_POLICY_BYTES (1u << 20)

static volatile sig_atomic_t stop_requested;

static void handle_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: clipd [--socket PATH] [--config FILE] [--policy FILE] [--audit FILE]\n"
            "             [--limit QUBE=BYTES]... [--default-limit BYTES] [--timeout-ms MS]\n"
            "             [--paste-hold-ms MS]\n\n"
            "dom0's global clipboard: Ctrl-Shift-C in a qube's window (guid) copies that\n"
            "qube's clipboard here, Ctrl-Shift-V in another qube's window pastes it there\n"
            "once, then the clipboard is wiped.\n\n"
            "  --socket PATH         control socket (default $XDG_RUNTIME_DIR/fenestra/clipd.sock)\n"
            "  --config FILE         dom0 config file: per-qube clipboard_limit (default\n"
            "                        $FENESTRA_CONFIG or /etc/fenestra/fenestra.conf, if present)\n"
            "  --policy FILE         paste policy: lines 'SOURCE TARGET allow|deny', '*' for any\n"
            "                        qube, first match wins, default allow\n"
            "  --audit FILE          audit log of copies and pastes (names, sizes, times; never\n"
            "                        text); default $XDG_RUNTIME_DIR/fenestra/clipd-audit.log\n"
            "  --limit QUBE=BYTES    largest copy accepted from QUBE (suffix K or M: KiB, MiB;\n"
            "                        at most 16M); wins over the config file\n"
            "  --default-limit BYTES for qubes neither --limit nor the file sets (default 64K)\n"
            "  --timeout-ms MS       how long a qube has to answer a copy (default 5000)\n"
            "  --paste-hold-ms MS    how long a paste cut off by its agent's disconnection\n"
            "                        waits for the agent to reconnect (default 5000)\n"
            "  --state FILE          attached qubes, kept across restarts (names and channel\n"
            "                        specs only); default $XDG_RUNTIME_DIR/fenestra/clipd-qubes\n");
}

/* A byte count with the config file's syntax (64K, 1M, ...), 1..16 MiB. */
static int parse_bytes(const char *s, uint32_t *out)
{
    uint64_t v;
    if (!fen_parse_size(s, &v) || v < 1 || v > FEN_MAX_CLIPBOARD_BYTES)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* The dom0 config file: an explicit --config must load; the default path
 * only if it exists. */
static int load_config(struct clipd_config *cfg)
{
    const char *path = cfg->config_path ? cfg->config_path : fen_config_default_path();
    if (!cfg->config_path && access(path, F_OK) != 0)
        return 0;
    struct fen_config_error err;
    if (fen_config_load(path, &cfg->file, &err) < 0) {
        if (err.line > 0)
            fprintf(stderr, "clipd: %s:%d: %s\n", path, err.line, err.reason);
        else
            fprintf(stderr, "clipd: %s: %s\n", path, err.reason);
        return -1;
    }
    cfg->have_file = true;
    fen_log(INFO, "config %s loaded", path);
    return 0;
}

static int parse_args(int argc, char **argv, struct clipd_config *cfg)
{
    static const struct option opts[] = {
        {"socket", required_argument, NULL, 's'},     {"policy", required_argument, NULL, 'p'},
        {"audit", required_argument, NULL, 'a'},      {"limit", required_argument, NULL, 'l'},
        {"default-limit", required_argument, NULL, 'd'},
        {"timeout-ms", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
        {"state", required_argument, NULL, 'S'},     {"config", required_argument, NULL, 'c'},
        {"paste-hold-ms", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    int c;
    cfg->default_limit = FEN_DEFAULT_CLIPBOARD_BYTES;
    cfg->timeout_ms = 5000;
    cfg->paste_hold_ms = 5000;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (snprintf(cfg->socket_path, sizeof cfg->socket_path, "%s", optarg) >=
                (int)sizeof cfg->socket_path)
                return fprintf(stderr, "clipd: --socket path too long\n"), -1;
            break;
        case 'a':
            if (snprintf(cfg->audit_path, sizeof cfg->audit_path, "%s", optarg) >=
                (int)sizeof cfg->audit_path)
                return fprintf(stderr, "clipd: --audit path too long\n"), -1;
            break;
        case 'S':
            if (snprintf(cfg->state_path, sizeof cfg->state_path, "%s", optarg) >=
                (int)sizeof cfg->state_path)
                return fprintf(stderr, "clipd: --state path too long\n"), -1;
            break;
        case 'p':
            cfg->policy_path = optarg;
            break;
        case 'c':
            cfg->config_path = optarg;
            break;
        case 'l': {
            char *eq = strchr(optarg, '=');
            if (!eq || cfg->nlimits == CLIPD_MAX_LIMITS)
                return fprintf(stderr, "clipd: --limit wants QUBE=BYTES\n"), -1;
            *eq = '\0';
            struct clipd_limit *l = &cfg->limits[cfg->nlimits];
            if (!fen_qube_name_valid(optarg) || parse_bytes(eq + 1, &l->bytes) < 0)
                return fprintf(stderr, "clipd: bad --limit %s=%s (1..16M)\n", optarg, eq + 1), -1;
            snprintf(l->qube, sizeof l->qube, "%s", optarg);
            cfg->nlimits++;
            break;
        }
        case 'd':
            if (parse_bytes(optarg, &cfg->default_limit) < 0)
                return fprintf(stderr, "clipd: bad --default-limit %s (1..16M)\n", optarg), -1;
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 600000)
                return fprintf(stderr, "clipd: bad --timeout-ms %s\n", optarg), -1;
            cfg->timeout_ms = (uint32_t)v;
            break;
        }
        case 'H': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 600000)
                return fprintf(stderr, "clipd: bad --paste-hold-ms %s\n", optarg), -1;
            cfg->paste_hold_ms = (uint32_t)v;
            break;
        }
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return -1;
    }
    if (load_config(cfg) < 0)
        return -1;
    if (!cfg->socket_path[0] && fen_ctl_path(cfg->socket_path, sizeof cfg->socket_path,
                                             "clipd.sock") < 0)
        return fprintf(stderr, "clipd: no runtime dir for the socket\n"), -1;
    if (!cfg->audit_path[0] && fen_ctl_path(cfg->audit_path, sizeof cfg->audit_path,
                                            "clipd-audit.log") < 0)
        return fprintf(stderr, "clipd: no runtime dir for the audit log\n"), -1;
    if (!cfg->state_path[0] && fen_ctl_path(cfg->state_path, sizeof cfg->state_path,
                                            "clipd-qubes") < 0)
        return fprintf(stderr, "clipd: no runtime dir for the state file\n"), -1;
    return 0;
}

static struct clip_policy *load_policy(const char *path)
{
    char err[200];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fen_log_errno(ERROR, "cannot open policy %s", path);
        return NULL;
    }
    char *text = malloc(MAX_POLICY_BYTES);
    size_t len = 0;
    ssize_t n = 0;
    while (text && len < MAX_POLICY_BYTES &&
           (n = read(fd, text + len, MAX_POLICY_BYTES - len)) > 0)
        len += (size_t)n;
    close(fd);
    if (!text || n < 0 || len == MAX_POLICY_BYTES) {
        fen_log(ERROR, "cannot read policy %s (unreadable or over 1 MiB)", path);
        free(text);
        return NULL;
    }
    struct clip_policy *p = clip_policy_parse(text, len, err, sizeof err);
    free(text);
    if (!p)
        fen_log(ERROR, "policy %s: %s", path, err);
    else
        fen_log(INFO, "policy %s: %zu rules", path, clip_policy_rule_count(p));
    return p;
}

static void serve_control(struct clipd *d, int listen_fd)
{
    int fd;
    while ((fd = fen_ctl_accept(listen_fd, CTL_TIMEOUT_MS)) >= 0) {
        char line[FEN_CTL_MAX_LINE];
        char reply[512];
        if (fen_ctl_read_line(fd, line, sizeof line) < 0) {
            close(fd);
            continue;
        }
        clipd_control_line(d, line, reply, sizeof reply);
        size_t n = strlen(reply);
        reply[n++] = '\n';
        if (fen_ctl_write_full(fd, reply, n) < 0)
            fen_log(DEBUG, "control client went away before the reply");
        close(fd);
    }
}

static void run(struct clipd *d, int listen_fd)
{
    struct pollfd pfds[1 + CLIPD_MAX_QUBES];
    while (!stop_requested) {
        size_t n = d->nqubes;
        uint64_t now = fen_monotonic_ms(), next = now + 1000;
        pfds[0] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        for (size_t i = 0; i < n; i++) {
            clipd_qube_pollfd(d->qubes[i], &pfds[1 + i]);
            uint64_t t = clipd_qube_next_deadline(d->qubes[i]);
            if (t < next)
                next = t;
        }
        int timeout = next > now ? (int)(next - now) : 0;
        if (poll(pfds, 1 + n, timeout) < 0 && errno != EINTR) {
            fen_log_errno(ERROR, "poll");
            return;
        }
        now = fen_monotonic_ms();
        for (size_t i = 0; i < n; i++)
            clipd_qube_service(d->qubes[i], pfds[1 + i].revents, now, clipd_on_reply, d);
        clipd_check_copy(d);
        clipd_check_pastes(d);
        if (pfds[0].revents)
            serve_control(d, listen_fd);
    }
}

int main(int argc, char **argv)
{
    static struct clipd_config cfg;
    static struct clipd d;
    int rc = 1;

    fen_log_init("clipd", NULL);
    if (parse_args(argc, argv, &cfg) < 0)
        return 2;
    umask(077);
    d.cfg = &cfg;
    if (cfg.policy_path && !(d.policy = load_policy(cfg.policy_path)))
        return 1;
    struct sigaction sa = {.sa_handler = handle_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int listen_fd = -1;
    if (!(d.report = clipd_report_create(cfg.audit_path)))
        goto out;
    listen_fd = fen_ctl_listen(cfg.socket_path);
    if (listen_fd < 0) {
        fen_log_errno(ERROR, "cannot listen on %s", cfg.socket_path);
        goto out;
    }
    clipd_state_load(&d);
    fen_log(INFO, "listening on %s (default limit %u bytes, timeout %u ms)", cfg.socket_path,
            cfg.default_limit, cfg.timeout_ms);
    run(&d, listen_fd);
    fen_log(INFO, "stopping");
    rc = 0;
out:
    clipd_store_wipe(&d.store);
    if (listen_fd >= 0) {
        close(listen_fd);
        unlink(cfg.socket_path);
    }
    for (size_t i = 0; i < d.nqubes; i++)
        clipd_qube_destroy(d.qubes[i]);
    clipd_report_destroy(d.report);
    clip_policy_destroy(d.policy);
    return rc;
}
