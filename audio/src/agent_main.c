/* audio-agent: the guest side of a qube's audio.
 *
 *   audio-agent --qube NAME --listen SPEC [--rate R] [--format F] [--channels C]
 *
 * Provides the guest's default sink and default source (two null sinks in
 * the guest's PulseAudio), sends what applications play to dom0 and feeds
 * dom0's microphone data, when the user attached it, to the default source. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pulse/mainloop-signal.h>

#include "agent.h"
#include "audio_priority.h"
#include "audio_pulse_util.h"
#include "fenestra/log.h"

#define TICK_US 1000000u
#define QUEUE_CAP (512u * 1024u)
#define SHUTDOWN_GRACE_US 500000u

void agent_send_cork(struct agent *a)
{
    if (!audio_link_is_open(a->link))
        return;
    struct fen_msg_audio_cork c = {.corked = a->sink_running ? 0 : 1};
    (void)audio_link_send(a->link, FEN_MSG_AUDIO_CORK, &c, sizeof c);
}

void agent_send_mic_request(struct agent *a)
{
    if (!audio_link_is_open(a->link))
        return;
    struct fen_msg_audio_mic_request r = {.active = a->recording ? 1 : 0};
    (void)audio_link_send(a->link, FEN_MSG_AUDIO_MIC_REQUEST, &r, sizeof r);
}

/* ---- messages from dom0 ---------------------------------------------- */

static void handle_open(void *data)
{
    struct agent *a = data;
    /* offer our format; dom0 answers with the playback format it accepted
     * and the microphone format it will send */
    struct fen_msg_audio_format f = audio_format_to_wire(&a->cfg->offer, FEN_AUDIO_PLAYBACK);
    if (audio_link_send(a->link, FEN_MSG_AUDIO_FORMAT, &f, sizeof f) < 0)
        return;
    agent_send_cork(a);
    agent_send_mic_request(a);
}

static void handle_close(void *data)
{
    struct agent *a = data;
    a->have_mic_fmt = false;
    agent_mic_restart(a); /* removes the feed: the default source is silent */
}

static bool handle_format(struct agent *a, const struct fen_msg_audio_format *m, char *why,
                          size_t why_size)
{
    struct audio_format f;
    char desc[64];
    if (m->direction == FEN_AUDIO_PLAYBACK) {
        if (!audio_format_from_wire(m, FEN_AUDIO_PLAYBACK, &f, why, why_size))
            return false;
        if (!audio_format_equal(&f, &a->play_fmt)) {
            fen_log(INFO, "dom0 chose playback format %s",
                    audio_format_describe(&f, desc, sizeof desc));
            a->play_fmt = f;
            agent_rec_restart(a);
        }
        return true;
    }
    if (!audio_format_from_wire(m, FEN_AUDIO_CAPTURE, &f, why, why_size))
        return false;
    if (!a->have_mic_fmt || !audio_format_equal(&f, &a->mic_fmt)) {
        a->mic_fmt = f;
        a->have_mic_fmt = true;
        fen_log(INFO, "microphone format %s", audio_format_describe(&f, desc, sizeof desc));
        agent_mic_restart(a);
    }
    return true;
}

static bool handle_msg(void *data, const struct fen_msg *m, char *why, size_t why_size)
{
    struct agent *a = data;
    switch (m->type) {
    case FEN_MSG_AUDIO_FORMAT:
        return handle_format(a, &m->u.audio_format, why, why_size);
    case FEN_MSG_AUDIO_MIC_PCM:
        if (!a->have_mic_fmt || !audio_format_whole_frames(&a->mic_fmt, m->u.audio_pcm.length)) {
            snprintf(why, why_size, "microphone data of %u bytes without a matching format",
                     m->u.audio_pcm.length);
            return false;
        }
        agent_mic_pcm(a, m->u.audio_pcm.data, m->u.audio_pcm.length);
        return true;
    case FEN_MSG_AUDIO_LATENCY:
        return true;
    default:
        snprintf(why, why_size, "unexpected message");
        return false;
    }
}

static const struct audio_link_ops link_ops = {
    .on_open = handle_open,
    .on_msg = handle_msg,
    .on_close = handle_close,
};

static void handle_tick(pa_mainloop_api *api, pa_time_event *e, const struct timeval *tv,
                        void *data)
{
    struct agent *a = data;
    if (a->devices_ready && !a->rec)
        agent_rec_restart(a);
    if (a->devices_ready && a->have_mic_fmt && !a->micplay)
        agent_mic_restart(a);
    agent_mic_tick(a);
    if (audio_link_is_open(a->link)) {
        struct fen_msg_audio_latency lat = {.usec = agent_rec_latency(a)};
        (void)audio_link_send(a->link, FEN_MSG_AUDIO_LATENCY, &lat, sizeof lat);
    }
    audio_pulse_arm(api, e, TICK_US);
}

static void handle_grace(pa_mainloop_api *api, pa_time_event *e, const struct timeval *tv,
                         void *data)
{
    api->quit(api, 0);
}

static void handle_signal(pa_mainloop_api *api, pa_signal_event *e, int sig, void *data)
{
    struct agent *a = data;
    if (a->quitting)
        return;
    fen_log(INFO, "signal %d: unloading our devices and exiting", sig);
    pa_time_event *grace = api->time_new(api, NULL, handle_grace, a);
    audio_pulse_arm(api, grace, SHUTDOWN_GRACE_US);
    agent_pulse_shutdown(a);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: audio-agent --qube NAME --listen SPEC [--rate 48000|44100]\n"
            "                   [--format s16le|f32le] [--channels 1|2] [--fragment-ms N]\n"
            "                   [--latency-ms N] [--pulse-server S] [--no-realtime]\n"
            "\n"
            "Guest audio agent: makes a \"fenestra\" null sink the default sink of the\n"
            "guest's PulseAudio and sends what is played there to dom0 (audiod); makes the\n"
            "monitor of a \"fenestra_mic\" null sink the default source and feeds it with\n"
            "dom0's microphone data when the user attached it (silence otherwise).\n"
            "\n"
            "  --qube NAME        this qube's name (for logs)\n"
            "  --listen SPEC      audio channel: local:DIR or xen:0\n"
            "  --rate/--format/--channels   playback format offered to dom0\n"
            "                     (default 48000 s16le 2)\n"
            "  --fragment-ms N    monitor read granularity, 1..50 (default 5)\n"
            "  --latency-ms N     microphone feed buffer, 5..200 (default 25)\n"
            "  --pulse-server S   the guest's PulseAudio (default: libpulse's choice)\n"
            "  --no-realtime      do not ask for real-time scheduling\n");
}

static bool parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi)
        return false;
    *out = (uint32_t)v;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"qube", required_argument, NULL, 'q'},
        {"listen", required_argument, NULL, 'l'},
        {"rate", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        {"channels", required_argument, NULL, 'c'},
        {"fragment-ms", required_argument, NULL, 'g'},
        {"latency-ms", required_argument, NULL, 'L'},
        {"pulse-server", required_argument, NULL, 's'},
        {"no-realtime", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct agent_config cfg = {.offer = audio_format_default(), .fragment_us = 5000,
                              .mic_latency_us = AUDIO_BUFFER_DEFAULT_US};
    uint32_t v;
    bool no_rt = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'q':
            cfg.qube = optarg;
            break;
        case 'l':
            cfg.spec = optarg;
            break;
        case 'r':
            if (!parse_u32(optarg, 1, 1000000, &cfg.offer.rate))
                goto bad;
            break;
        case 'f':
            if (!(cfg.offer.sample = audio_sample_parse(optarg)))
                goto bad;
            break;
        case 'c':
            if (!parse_u32(optarg, 1, 8, &cfg.offer.channels))
                goto bad;
            break;
        case 'g':
            if (!parse_u32(optarg, 1, 50, &v))
                goto bad;
            cfg.fragment_us = v * 1000u;
            break;
        case 'L':
            if (!parse_u32(optarg, 5, 200, &v))
                goto bad;
            cfg.mic_latency_us = v * 1000u;
            break;
        case 's':
            cfg.pulse_server = optarg;
            break;
        case 'R':
            no_rt = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            goto bad;
        }
    }
    if (!cfg.qube || !cfg.spec || optind != argc)
        goto bad;
    char why[96];
    if (!audio_format_valid(&cfg.offer, why, sizeof why)) {
        fprintf(stderr, "audio-agent: %s\n", why);
        return 2;
    }
    if (!fen_qube_name_valid(cfg.qube)) {
        fprintf(stderr, "audio-agent: invalid qube name '%s'\n", cfg.qube);
        return 2;
    }
    fen_log_init("audio-agent", cfg.qube);
    if (!no_rt)
        audio_priority_raise();
    signal(SIGPIPE, SIG_IGN);

    struct agent a = {.cfg = &cfg, .play_fmt = cfg.offer};
    int rc = 1;
    a.ml = pa_mainloop_new();
    if (!a.ml)
        return 1;
    a.api = pa_mainloop_get_api(a.ml);
    if (pa_signal_init(a.api) < 0)
        goto out;
    pa_signal_new(SIGTERM, handle_signal, &a);
    pa_signal_new(SIGINT, handle_signal, &a);
    a.link = audio_link_create(a.api, AUDIO_LINK_SERVER, cfg.spec, QUEUE_CAP, &link_ops, &a);
    if (!a.link) {
        fen_log_errno(ERROR, "audio channel %s", cfg.spec);
        goto out;
    }
    agent_pulse_start(&a);
    a.tick = a.api->time_new(a.api, NULL, handle_tick, &a);
    audio_pulse_arm(a.api, a.tick, TICK_US);
    fen_log(INFO, "listening on %s", cfg.spec);
    int ret = 0;
    rc = pa_mainloop_run(a.ml, &ret) < 0 ? 1 : 0;
out:
    if (a.tick)
        a.api->time_free(a.tick);
    agent_pulse_free(&a);
    audio_link_destroy(a.link);
    pa_signal_done();
    pa_mainloop_free(a.ml);
    return rc;
bad:
    usage(stderr);
    return 2;
}
