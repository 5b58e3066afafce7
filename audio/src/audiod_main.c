/* audiod: dom0 audio daemon for one qube.
 *
 *   audiod --qube NAME --connect SPEC [--latency-ms N] [--pulse-server S]
 *
 * Plays the qube's audio into dom0's PulseAudio as a stream named "[NAME]",
 * and records dom0's default source for the qube only while the user has
 * attached the microphone (`guictl mic attach NAME`; detached at start).
 * The control socket audiod-NAME.sock answers "mic attach", "mic detach",
 * "mic status" and "status". */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pulse/mainloop-signal.h>

#include "audio_priority.h"
#include "audio_pulse_util.h"
#include "audiod.h"
#include "fenestra/ctl.h"
#include "fenestra/log.h"

#define TICK_US 1000000u
#define QUEUE_CAP (512u * 1024u) /* output queue to the guest */
/* control clients are trusted and local; a short timeout bounds how long
 * a stuck one can hold the loop (and the audio) */
#define CTL_TIMEOUT_MS 200

/* ---- guest messages -------------------------------------------------- */

static void handle_open(void *data)
{
    (void)data;
}

static void handle_close(void *data)
{
    struct audiod *d = data;
    d->have_format = false;
    d->guest_corked = false;
    d->guest_wants_mic = false;
    audiod_streams_update(d);
}

static bool handle_format(struct audiod *d, const struct fen_msg_audio_format *untrusted,
                          char *why, size_t why_size)
{
    struct audio_format offer, fallback = audio_format_default();
    if (!audio_format_from_wire(untrusted, FEN_AUDIO_PLAYBACK, &offer, why, why_size))
        return false;
    struct audio_format chosen = audio_format_negotiate(&offer, NULL, 0, &fallback);
    char desc[64];
    if (d->have_format && !audio_format_equal(&chosen, &d->play_fmt))
        audiod_play_teardown(d); /* recreated below with the new format */
    d->play_fmt = chosen;
    /* the microphone goes to the guest in the format it plays in */
    d->mic_fmt = chosen;
    d->have_format = true;
    fen_log(INFO, "guest format %s", audio_format_describe(&chosen, desc, sizeof desc));
    struct fen_msg_audio_format play = audio_format_to_wire(&chosen, FEN_AUDIO_PLAYBACK);
    struct fen_msg_audio_format mic = audio_format_to_wire(&d->mic_fmt, FEN_AUDIO_CAPTURE);
    if (audio_link_send(d->link, FEN_MSG_AUDIO_FORMAT, &play, sizeof play) < 0 ||
        audio_link_send(d->link, FEN_MSG_AUDIO_FORMAT, &mic, sizeof mic) < 0)
        return true; /* the link dropped itself and logged why */
    audiod_mic_teardown(d); /* a new format restarts the microphone too */
    audiod_streams_update(d);
    return true;
}

static bool handle_msg(void *data, const struct fen_msg *m, char *why, size_t why_size)
{
    struct audiod *d = data;
    switch (m->type) {
    case FEN_MSG_AUDIO_FORMAT:
        return handle_format(d, &m->u.audio_format, why, why_size);
    case FEN_MSG_AUDIO_PCM:
        if (!d->have_format) {
            snprintf(why, why_size, "PCM before FORMAT");
            return false;
        }
        if (!audio_format_whole_frames(&d->play_fmt, m->u.audio_pcm.length)) {
            snprintf(why, why_size, "PCM of %u bytes is not a whole number of %zu-byte frames",
                     m->u.audio_pcm.length, audio_format_frame_bytes(&d->play_fmt));
            return false;
        }
        audiod_play_pcm(d, m->u.audio_pcm.data, m->u.audio_pcm.length);
        return true;
    case FEN_MSG_AUDIO_CORK:
        audiod_play_cork(d, m->u.audio_cork.corked != 0);
        return true;
    case FEN_MSG_AUDIO_MIC_REQUEST:
        if (d->guest_wants_mic != (m->u.audio_mic_request.active != 0))
            fen_log(INFO, "guest %s recording%s", m->u.audio_mic_request.active ? "started" : "stopped",
                    d->mic_attached ? "" : " (microphone detached: it gets silence)");
        d->guest_wants_mic = m->u.audio_mic_request.active != 0;
        audiod_streams_update(d);
        return true;
    case FEN_MSG_AUDIO_LATENCY:
        d->guest_latency_us = m->u.audio_latency.usec;
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

/* ---- housekeeping ---------------------------------------------------- */

static void handle_tick(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv,
                        void *data)
{
    struct audiod *d = data;
    audiod_streams_update(d);
    audiod_play_tick(d);
    if (audio_link_is_open(d->link) && d->have_format) {
        struct fen_msg_audio_latency lat = {.usec = audiod_play_latency(d)};
        (void)audio_link_send(d->link, FEN_MSG_AUDIO_LATENCY, &lat, sizeof lat);
    }
    audio_pulse_arm(a, e, TICK_US);
}

/* ---- control socket -------------------------------------------------- */

static void mic_status(const struct audiod *d, char *out, size_t size)
{
    snprintf(out, size,
             "ok %s mic_bytes=%" PRIu64 " mic_dropped=%" PRIu64
             " recording=%s guest_requests=%s guest_connected=%s\n",
             d->mic_attached ? "attached" : "detached", d->mic_bytes, d->mic_dropped,
             d->mic ? "yes" : "no", d->guest_wants_mic ? "yes" : "no",
             audio_link_is_open(d->link) ? "yes" : "no");
}

static void full_status(struct audiod *d, char *out, size_t size)
{
    char desc[64] = "none";
    if (d->have_format)
        audio_format_describe(&d->play_fmt, desc, sizeof desc);
    snprintf(out, size,
             "ok qube=%s guest_connected=%s connections=%" PRIu64 " protocol_errors=%" PRIu64
             " format=\"%s\" playing=%s corked=%s play_bytes=%" PRIu64 " underruns=%" PRIu64
             " play_dropped=%" PRIu64 " play_buffer_us=%u play_latency_us=%u guest_latency_us=%u"
             " mic=%s mic_bytes=%" PRIu64 "\n",
             d->cfg->qube, audio_link_is_open(d->link) ? "yes" : "no",
             audio_link_connections(d->link), audio_link_protocol_errors(d->link), desc,
             d->play ? "yes" : "no", d->guest_corked ? "yes" : "no", d->play_bytes, d->underruns,
             d->play_ring ? audio_ring_dropped(d->play_ring) : 0,
             d->play ? d->play_adapt.current_us : d->cfg->target_latency_us, audiod_play_latency(d),
             d->guest_latency_us, d->mic_attached ? "attached" : "detached", d->mic_bytes);
}

static void handle_request(struct audiod *d, const char *line, char *out, size_t size)
{
    if (!strcmp(line, "mic attach")) {
        if (!d->mic_attached)
            fen_log(INFO, "microphone ATTACHED by the user");
        d->mic_attached = true;
        audiod_streams_update(d);
        mic_status(d, out, size);
    } else if (!strcmp(line, "mic detach")) {
        if (d->mic_attached)
            fen_log(INFO, "microphone detached by the user");
        d->mic_attached = false;
        audiod_streams_update(d); /* removes the record stream now */
        mic_status(d, out, size);
    } else if (!strcmp(line, "mic status")) {
        mic_status(d, out, size);
    } else if (!strcmp(line, "status")) {
        full_status(d, out, size);
    } else {
        snprintf(out, size, "error: unknown request (mic attach|mic detach|mic status|status)\n");
    }
}

static void handle_ctl(pa_mainloop_api *a, pa_io_event *e, int fd, pa_io_event_flags_t f,
                       void *data)
{
    struct audiod *d = data;
    for (;;) {
        int c = fen_ctl_accept(fd, CTL_TIMEOUT_MS);
        if (c < 0)
            return;
        char line[FEN_CTL_MAX_LINE], reply[1024];
        if (fen_ctl_read_line(c, line, sizeof line) >= 0) {
            handle_request(d, line, reply, sizeof reply);
            if (fen_ctl_write_full(c, reply, strlen(reply)) < 0)
                fen_log_errno(DEBUG, "control reply");
        }
        close(c);
    }
}

/* ---- main ------------------------------------------------------------ */

static void handle_signal(pa_mainloop_api *a, pa_signal_event *e, int sig, void *data)
{
    fen_log(INFO, "signal %d: exiting", sig);
    a->quit(a, 0);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: audiod --qube NAME --connect SPEC [--latency-ms N] [--pulse-server S]\n"
            "\n"
            "dom0 audio daemon for one qube: plays the qube's audio into dom0's PulseAudio\n"
            "as a stream named \"[NAME]\", and gives it dom0's microphone only while the\n"
            "user has attached it (guictl mic attach|detach|status NAME; detached at start).\n"
            "\n"
            "  --qube NAME         qube name (letters, digits, _ . -)\n"
            "  --connect SPEC      audio channel: local:DIR or xen:DOMID (retried until up)\n"
            "  --latency-ms N      dom0 playback buffer target, 5..200 (default 25)\n"
            "  --pulse-server S    dom0 PulseAudio server (default: libpulse's choice)\n"
            "  --no-realtime       do not ask for real-time scheduling\n"
            "\ncontrol socket: $XDG_RUNTIME_DIR/fenestra/audiod-NAME.sock\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"qube", required_argument, NULL, 'q'},
        {"connect", required_argument, NULL, 'c'},
        {"latency-ms", required_argument, NULL, 'l'},
        {"pulse-server", required_argument, NULL, 's'},
        {"no-realtime", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct audiod_config cfg = {.target_latency_us = AUDIO_BUFFER_DEFAULT_US};
    bool no_rt = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'q':
            cfg.qube = optarg;
            break;
        case 'c':
            cfg.spec = optarg;
            break;
        case 'l': {
            char *end;
            long ms = strtol(optarg, &end, 10);
            if (*end || ms < 5 || ms > 200) {
                fprintf(stderr, "audiod: --latency-ms must be 5..200\n");
                return 2;
            }
            cfg.target_latency_us = (uint32_t)ms * 1000u;
            break;
        }
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
            usage(stderr);
            return 2;
        }
    }
    if (!cfg.qube || !cfg.spec || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (!fen_qube_name_valid(cfg.qube)) {
        fprintf(stderr, "audiod: invalid qube name '%s'\n", cfg.qube);
        return 2;
    }
    fen_log_init("audiod", cfg.qube);
    if (!no_rt)
        audio_priority_raise();
    signal(SIGPIPE, SIG_IGN);

    struct audiod d = {.cfg = &cfg};
    char name[128], path[512] = "";
    int rc = 1;
    int ctl_fd = -1;
    pa_io_event *ctl_io = NULL;
    d.ml = pa_mainloop_new();
    if (!d.ml)
        return 1;
    d.api = pa_mainloop_get_api(d.ml);
    if (pa_signal_init(d.api) < 0)
        goto out;
    pa_signal_new(SIGTERM, handle_signal, &d);
    pa_signal_new(SIGINT, handle_signal, &d);

    snprintf(name, sizeof name, "audiod-%s.sock", cfg.qube);
    if (fen_ctl_path(path, sizeof path, name) < 0 || (ctl_fd = fen_ctl_listen(path)) < 0) {
        fen_log_errno(ERROR, "control socket %s", name);
        goto out;
    }
    ctl_io = d.api->io_new(d.api, ctl_fd, PA_IO_EVENT_INPUT, handle_ctl, &d);

    d.link = audio_link_create(d.api, AUDIO_LINK_CLIENT, cfg.spec, QUEUE_CAP, &link_ops, &d);
    if (!d.link) {
        fen_log_errno(ERROR, "audio channel %s", cfg.spec);
        goto out;
    }
    audiod_pulse_start(&d);
    d.tick = d.api->time_new(d.api, NULL, handle_tick, &d);
    audio_pulse_arm(d.api, d.tick, TICK_US);
    fen_log(INFO, "started: channel %s, microphone detached, control %s", cfg.spec, path);

    int ret = 0;
    rc = pa_mainloop_run(d.ml, &ret) < 0 ? 1 : 0;

out:
    if (d.tick)
        d.api->time_free(d.tick);
    audiod_pulse_stop(&d);
    audio_link_destroy(d.link);
    if (ctl_io)
        d.api->io_free(ctl_io);
    if (ctl_fd >= 0) {
        close(ctl_fd);
        unlink(path);
    }
    pa_signal_done();
    pa_mainloop_free(d.ml);
    return rc;
}
