/* guid: command line, setup and teardown. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "conn.h"
#include "fenestra/channel.h"
#include "fenestra/ctl.h"
#include "fenestra/log.h"
#include "fenestra/validate.h"
#include "guid.h"
#include "config_load.h"
#include "fullscreen.h"
#include "xinput.h"
#include "xside.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: guid --qube NAME --connect SPEC [--label COLOR] [options]\n"
            "\n"
            "Shows one qube's windows on the dom0 X server, each framed in the qube's\n"
            "label color and titled \"[NAME] title\".\n"
            "\n"
            "  --qube NAME            qube name (letters, digits, '-', '_', '.'; max 31)\n"
            "  --label COLOR          red, orange, yellow, green, gray, blue, purple, black\n"
            "                         or #RRGGBB (default: from the config file)\n"
            "  --config PATH          dom0 config file (default $FENESTRA_CONFIG or\n"
            "                         /etc/fenestra/fenestra.conf; a missing default file\n"
            "                         means built-in defaults).  Options given here win\n"
            "                         over the file.\n"
            "  --connect SPEC         the guest's gui channel: local:DIR or xen:DOMID\n"
            "  --frame-width N        frame width in pixels, 1..32 (default: config, 3)\n"
            "  --display DISPLAY      dom0 X display (default $DISPLAY)\n"
            "  --clipd-socket PATH    clipd control socket (default RUNTIME/clipd.sock)\n"
            "  --copy-hotkey KEYS     default: config, ctrl+shift+c\n"
            "  --paste-hotkey KEYS    default: config, ctrl+shift+v\n"
            "  --help                 this text\n"
            "\n"
            "RUNTIME is $XDG_RUNTIME_DIR/fenestra (or /tmp/fenestra-UID); guid listens on\n"
            "RUNTIME/guid-NAME.sock (requests \"list\", \"policy show\", \"policy set KEY VALUE\").\n"
            "FENESTRA_LOG_LEVEL=debug for more.  FENESTRA_BANNER_MS (fullscreen banner time)\n"
            "FENESTRA_PAINT_FPS (paint budget in full screens/s, 0 = none) and\n"
            "FENESTRA_PAINT_BAND (pixels per band of puts, 0 = no backpressure) are for tests\n"
            "and benchmarks.\n");
}

static int parse_args(int argc, char **argv, struct guid_config *cfg, char *clipd_buf,
                      size_t clipd_size)
{
    static const struct option opts[] = {
        {"qube", required_argument, NULL, 'q'},
        {"label", required_argument, NULL, 'l'},
        {"connect", required_argument, NULL, 'c'},
        {"frame-width", required_argument, NULL, 'f'},
        {"display", required_argument, NULL, 'd'},
        {"clipd-socket", required_argument, NULL, 's'},
        {"copy-hotkey", required_argument, NULL, 'C'},
        {"paste-hotkey", required_argument, NULL, 'V'},
        {"config", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *copy = NULL, *paste = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'q': cfg->qube = optarg; break;
        case 'l': cfg->label_text = optarg; break;
        case 'c': cfg->spec = optarg; break;
        case 'd': cfg->display = optarg; break;
        case 's': cfg->clipd_socket = optarg; break;
        case 'C': copy = optarg; break;
        case 'V': paste = optarg; break;
        case 'F': cfg->config_path = optarg; break;
        case 'f': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 1 || v > 32) {
                fprintf(stderr, "guid: --frame-width must be 1..32\n");
                return 2;
            }
            cfg->frame_width = (uint32_t)v;
            break;
        }
        case 'h': usage(stdout); return 1;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || !cfg->qube || !cfg->spec) {
        usage(stderr);
        return 2;
    }
    if (!fen_qube_name_valid(cfg->qube)) {
        fprintf(stderr, "guid: bad qube name '%s'\n", cfg->qube);
        return 2;
    }
    /* The config file: command-line options win over it. */
    struct fen_qube_policy pol;
    if (guid_config_load(cfg->config_path, cfg->qube, &pol) != 0)
        return 2;
    if (cfg->label_text == NULL) {
        snprintf(cfg->label_buf, sizeof(cfg->label_buf), "%s", pol.label);
        cfg->label_text = cfg->label_buf;
    }
    if (cfg->frame_width == 0)
        cfg->frame_width = pol.frame_width;
    if (copy == NULL)
        copy = pol.copy_hotkey;
    if (paste == NULL)
        paste = pol.paste_hotkey;
    cfg->allow_fullscreen = pol.allow_fullscreen;
    cfg->or_manage = pol.override_redirect == FEN_OR_MANAGE;
    cfg->max_windows = pol.max_windows;
    cfg->max_window_memory = pol.max_window_memory;
    snprintf(cfg->fs_exit_text, sizeof(cfg->fs_exit_text), "%s", pol.fullscreen_exit_hotkey);
    if (guid_hotkey_parse(cfg->fs_exit_text, &cfg->fs_exit_key) != 0) {
        fprintf(stderr, "guid: bad fullscreen_exit_hotkey '%s'\n", cfg->fs_exit_text);
        return 2;
    }
    if (!fen_parse_label(cfg->label_text, &cfg->label_rgb)) {
        fprintf(stderr, "guid: bad label '%s'\n", cfg->label_text);
        return 2;
    }
    const char *rest;
    if (fen_spec_backend(cfg->spec, &rest) == NULL) {
        fprintf(stderr, "guid: bad channel spec '%s' (local:DIR or xen:DOMID)\n", cfg->spec);
        return 2;
    }
    if (guid_hotkey_parse(copy, &cfg->copy_key) != 0 ||
        guid_hotkey_parse(paste, &cfg->paste_key) != 0) {
        fprintf(stderr, "guid: bad hotkey (e.g. ctrl+shift+c)\n");
        return 2;
    }
    if (cfg->clipd_socket == NULL) {
        if (fen_ctl_path(clipd_buf, clipd_size, "clipd.sock") != 0) {
            fprintf(stderr, "guid: no runtime directory for control sockets\n");
            return 2;
        }
        cfg->clipd_socket = clipd_buf;
    }
    return 0;
}

static void on_hotkey(void *ctx, const char *verb, uint64_t ms)
{
    const struct guid_config *cfg = ctx;
    char arg[32];
    snprintf(arg, sizeof(arg), "%llu", (unsigned long long)ms);
    fen_log(INFO, "clipboard %s hotkey", verb);
    (void)guid_clipd_notify(cfg->clipd_socket, verb, cfg->qube, arg, false);
}

#define GUID_PAINT_FPS 60

/* GUID_PAINT_FPS, or FENESTRA_PAINT_FPS (0 = no budget; for benchmarks). */
static uint64_t paint_fps(void)
{
    const char *e = getenv("FENESTRA_PAINT_FPS");
    char *end;
    unsigned long v = e ? strtoul(e, &end, 10) : 0;
    return (e && *end == '\0' && v <= 1000) ? v : GUID_PAINT_FPS;
}

/* Pixels per band of puts (see guid_xside_config.paint_band): 4 MiB of
 * pixels, about a millisecond of copying for the X server; a 1080p frame is
 * two bands, both in flight at once (GUID_PAINT_DEPTH), so a qube's own
 * frames never wait for a round trip.  FENESTRA_PAINT_BAND overrides it
 * (0 = no backpressure; for benchmarks). */
#define GUID_PAINT_BAND (1024u * 1024u)

static uint32_t paint_band(void)
{
    const char *e = getenv("FENESTRA_PAINT_BAND");
    char *end;
    unsigned long v = e ? strtoul(e, &end, 10) : 0;
    return (e && *end == '\0' && (v == 0 || (v >= 65536 && v <= (1ul << 26)))) ? (uint32_t)v
                                                                              : GUID_PAINT_BAND;
}

static void on_fullscreen_exit(void *ctx)
{
    struct guid *g = ctx;
    int n = guid_wstate_leave_fullscreen(g->ws);
    if (n > 0)
        fen_log(INFO, "%d window(s) left fullscreen (hotkey)", n);
}

static int make_sigfd(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int main(int argc, char **argv)
{
    struct guid_config cfg = {0};
    char clipd_path[512], ctl_path[512];
    int rc = parse_args(argc, argv, &cfg, clipd_path, sizeof(clipd_path));
    if (rc != 0)
        return rc == 1 ? 0 : 2;
    fen_log_init("guid", cfg.qube);
    signal(SIGPIPE, SIG_IGN);

    struct guid g = {.cfg = &cfg, .ctl_fd = -1, .sig_fd = -1};
    struct guid_xside_config xcfg = {
        .qube = cfg.qube,
        .label_text = cfg.label_text,
        .label_rgb = cfg.label_rgb,
        .frame = cfg.frame_width,
        .display = cfg.display,
        .or_manage = cfg.or_manage,
        .paint_band = paint_band(),
    };
    rc = 1;
    g.sig_fd = make_sigfd();
    if (g.sig_fd < 0) {
        fen_log_errno(ERROR, "signalfd");
        return 1;
    }
    g.xs = guid_xside_create(&xcfg);
    if (g.xs == NULL)
        goto out;
    g.conn = guid_conn_create(cfg.qube, cfg.spec, g.xs->screen->width_in_pixels,
                              g.xs->screen->height_in_pixels);
    if (g.conn == NULL)
        goto out;
    struct guid_xops xops;
    struct guid_sendops sops;
    guid_xside_ops(g.xs, &xops);
    guid_conn_sendops(g.conn, &sops);
    g.ws = guid_wstate_create(cfg.qube, cfg.frame_width, &xops, &sops);
    if (g.ws == NULL)
        goto out;
    struct guid_wpolicy wpol = {.allow_fullscreen = cfg.allow_fullscreen,
                                .max_windows = cfg.max_windows,
                                .max_memory = cfg.max_window_memory};
    (void)guid_wstate_set_policy(g.ws, &wpol);
    /* A qube may repaint the whole screen GUID_PAINT_FPS times a second;
     * beyond that its damage is merged and painted as budget returns, so a
     * guest flooding damage cannot flood the dom0 X server. */
    guid_wstate_set_paint_budget(g.ws, (uint64_t)g.xs->screen->width_in_pixels *
                                           g.xs->screen->height_in_pixels * paint_fps());
    g.fs = guid_fullscreen_create(g.xs, &cfg.fs_exit_key, cfg.fs_exit_text);
    if (g.fs == NULL)
        goto out;
    g.xs->fs = g.fs;
    guid_fullscreen_set_exit(g.fs, on_fullscreen_exit, &g);
    guid_conn_set_wstate(g.conn, g.ws);
    g.xin = guid_xinput_create(g.xs, g.ws, &sops, &cfg.copy_key, &cfg.paste_key, on_hotkey, &cfg);
    if (g.xin == NULL)
        goto out;
    char name[64];
    snprintf(name, sizeof(name), "guid-%s.sock", cfg.qube);
    if (fen_ctl_path(ctl_path, sizeof(ctl_path), name) == 0) {
        cfg.ctl_socket = ctl_path;
        g.ctl_fd = fen_ctl_listen(ctl_path);
    }
    if (g.ctl_fd < 0)
        fen_log_errno(WARN, "no control socket (%s)", name);
    fen_log(INFO,
            "qube %s (label %s, frame %u, fullscreen %s, override-redirect %s, max %u windows, "
            "%llu bytes), waiting for its agent at %s",
            cfg.qube, cfg.label_text, cfg.frame_width, cfg.allow_fullscreen ? "allowed" : "framed",
            cfg.or_manage ? "managed" : "allowed", cfg.max_windows,
            (unsigned long long)cfg.max_window_memory, cfg.spec);
    rc = guid_loop_run(&g) == 0 ? 0 : 1;
out:
    guid_conn_destroy(g.conn); /* resets the windows while wstate and X are alive */
    guid_xinput_destroy(g.xin);
    guid_wstate_destroy(g.ws);
    if (g.xs != NULL)
        g.xs->fs = NULL;
    guid_fullscreen_destroy(g.fs);
    guid_xside_destroy(g.xs);
    if (g.ctl_fd >= 0) {
        close(g.ctl_fd);
        if (cfg.ctl_socket != NULL)
            unlink(cfg.ctl_socket);
    }
    close(g.sig_fd);
    return rc;
}
