/* audio-latency: measure the delay a path adds, by cross-correlating chirps.
 *
 *   audio-latency PLAY_SERVER PLAY_SINK REF_SERVER REF_SOURCE OUT_SERVER OUT_SOURCE SECONDS
 *
 * Plays a 40 ms chirp every 250 ms into PLAY_SINK and records, at the same
 * time, REF_SOURCE (where the chirp enters the path) and OUT_SOURCE (where it
 * leaves).  Each recorded chunk is stamped with CLOCK_MONOTONIC when read
 * (both recorders alike, so their own delays cancel), which dates every
 * sample on both sides; the latency of one chirp is out_time - ref_time.  Prints
 * "chirps=N median_ms=X p95_ms=Y min_ms=Z max_ms=W".
 * Playback path: REF = guest sink monitor, OUT = dom0 sink monitor.
 * Microphone path: REF = dom0's source, OUT = the guest's default source. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pulse/error.h>
#include <pulse/simple.h>

#include "audio_tone.h"

#define RATE 48000
#define CHUNK 240 /* 5 ms */
#define CHIRP_MS 40
#define PERIOD_MS 250

struct recorder {
    const char *server, *source;
    float *x;
    size_t cap, n;
    double *stamp_end; /* per chunk: capture time (s) of its last frame + 1 */
    size_t *idx_end;
    size_t nchunks, cap_chunks;
    atomic_bool *stop;
    int error;
};

static bool raw_stamps;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *record_thread(void *arg)
{
    struct recorder *r = arg;
    pa_sample_spec ss = {PA_SAMPLE_S16LE, RATE, 1};
    pa_buffer_attr attr = {(uint32_t)-1, (uint32_t)-1, (uint32_t)-1, (uint32_t)-1, CHUNK * 2};
    int err;
    pa_simple *s = pa_simple_new(r->server, "audio-latency", PA_STREAM_RECORD, r->source,
                                 "latency probe", &ss, NULL, &attr, &err);
    if (!s) {
        fprintf(stderr, "record %s: %s\n", r->source, pa_strerror(err));
        r->error = 1;
        return NULL;
    }
    int16_t buf[CHUNK];
    while (!atomic_load(r->stop) && r->n + CHUNK <= r->cap && r->nchunks < r->cap_chunks) {
        if (pa_simple_read(s, buf, sizeof buf, &err) < 0) {
            r->error = 1;
            break;
        }
        double t = now_s();
        pa_usec_t lat = raw_stamps ? 0 : pa_simple_get_latency(s, &err);
        tone_s16_to_mono(buf, CHUNK, 1, r->x + r->n);
        r->n += CHUNK;
        r->idx_end[r->nchunks] = r->n;
        r->stamp_end[r->nchunks] = t - (double)lat / 1e6;
        r->nchunks++;
    }
    pa_simple_free(s);
    return NULL;
}

/* Capture time of sample i (interpolated from the chunk stamps). */
static double sample_time(const struct recorder *r, size_t i)
{
    for (size_t c = 0; c < r->nchunks; c++)
        if (r->idx_end[c] > i)
            return r->stamp_end[c] - (double)(r->idx_end[c] - i) / RATE;
    return -1;
}

/* Times of the chirps found in r (one per window of PERIOD_MS). */
static size_t find_chirps(const struct recorder *r, const float *chirp, size_t m, double *times,
                          size_t max)
{
    size_t period = RATE * PERIOD_MS / 1000, found = 0;
    for (size_t at = 0; at + period + m <= r->n && found < max; at += period) {
        double score;
        long lag = tone_xcorr_lag(r->x + at, period + m, chirp, m, &score);
        if (lag < 0 || score < 0.6)
            continue;
        double t = sample_time(r, at + (size_t)lag);
        /* a chirp straddling two windows is found twice: keep one */
        if (found > 0 && t - times[found - 1] < PERIOD_MS / 2000.0)
            continue;
        times[found++] = t;
    }
    return found;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int init_recorder(struct recorder *r, const char *server, const char *source, double secs,
                         atomic_bool *stop)
{
    memset(r, 0, sizeof *r);
    r->server = server;
    r->source = source;
    r->cap = (size_t)((secs + 2) * RATE);
    r->cap_chunks = r->cap / CHUNK + 1;
    r->x = calloc(r->cap, sizeof *r->x);
    r->stamp_end = calloc(r->cap_chunks, sizeof *r->stamp_end);
    r->idx_end = calloc(r->cap_chunks, sizeof *r->idx_end);
    r->stop = stop;
    return r->x && r->stamp_end && r->idx_end ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: audio-latency PLAY_SERVER PLAY_SINK REF_SERVER REF_SOURCE "
                        "OUT_SERVER OUT_SOURCE SECONDS\n");
        return 2;
    }
    double secs = atof(argv[7]);
    /* Default: stamp chunks when read.  Both recorders are set up alike
     * (5 ms fragments from a null sink's monitor), so their delivery delays
     * cancel; AUDIO_LATENCY_COMPENSATE=1 subtracts PulseAudio's reported
     * stream latency instead (noisier here: its timing info goes stale). */
    const char *comp = getenv("AUDIO_LATENCY_COMPENSATE");
    raw_stamps = !(comp && *comp == '1');
    if (secs < 1 || secs > 600)
        return 2;
    atomic_bool stop = false;
    struct recorder ref, out;
    if (init_recorder(&ref, argv[3], argv[4], secs, &stop) < 0 ||
        init_recorder(&out, argv[5], argv[6], secs, &stop) < 0)
        return 1;
    size_t m = RATE * CHIRP_MS / 1000, period = RATE * PERIOD_MS / 1000;
    float *chirp = malloc(m * sizeof *chirp);
    tone_chirp(chirp, m, 500, 6000, RATE, 0.7);

    pthread_t tr, to;
    pthread_create(&tr, NULL, record_thread, &ref);
    pthread_create(&to, NULL, record_thread, &out);

    pa_sample_spec ss = {PA_SAMPLE_S16LE, RATE, 1};
    pa_buffer_attr attr = {(uint32_t)-1, RATE * 2 * 20 / 1000, (uint32_t)-1, (uint32_t)-1,
                           (uint32_t)-1};
    int err;
    pa_simple *play = pa_simple_new(argv[1], "audio-latency", PA_STREAM_PLAYBACK, argv[2],
                                    "latency chirps", &ss, NULL, &attr, &err);
    if (!play) {
        fprintf(stderr, "play %s: %s\n", argv[2], pa_strerror(err));
        atomic_store(&stop, true);
        pthread_join(tr, NULL);
        pthread_join(to, NULL);
        return 1;
    }
    int16_t *period_buf = calloc(period, sizeof *period_buf);
    for (size_t i = 0; i < m; i++)
        period_buf[i] = (int16_t)lrint(chirp[i] * 32767.0);
    size_t periods = (size_t)(secs * 1000 / PERIOD_MS);
    for (size_t p = 0; p < periods; p++)
        if (pa_simple_write(play, period_buf, period * sizeof *period_buf, &err) < 0)
            break;
    pa_simple_drain(play, &err);
    pa_simple_free(play);
    struct timespec tail = {0, 400 * 1000 * 1000};
    nanosleep(&tail, NULL);
    atomic_store(&stop, true);
    pthread_join(tr, NULL);
    pthread_join(to, NULL);
    if (ref.error || out.error)
        return 1;

    size_t maxc = periods + 8;
    double *tref = calloc(maxc, sizeof *tref), *tout = calloc(maxc, sizeof *tout);
    double *lat = calloc(maxc, sizeof *lat);
    size_t nr = find_chirps(&ref, chirp, m, tref, maxc);
    size_t no = find_chirps(&out, chirp, m, tout, maxc);
    size_t nl = 0;
    for (size_t i = 0; i < nr; i++) {
        /* the first OUT chirp after (or just before) this REF chirp */
        for (size_t j = 0; j < no; j++) {
            double d = tout[j] - tref[i];
            if (d > -0.005 && d < PERIOD_MS / 1000.0 * 0.8) {
                lat[nl++] = d * 1000.0;
                break;
            }
        }
    }
    if (nl == 0) {
        printf("chirps=0 ref_found=%zu out_found=%zu\n", nr, no);
        return 1;
    }
    qsort(lat, nl, sizeof *lat, cmp_double);
    printf("chirps=%zu median_ms=%.1f p95_ms=%.1f min_ms=%.1f max_ms=%.1f\n", nl, lat[nl / 2],
           lat[(size_t)((double)(nl - 1) * 0.95)], lat[0], lat[nl - 1]);
    return 0;
}
