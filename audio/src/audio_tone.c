/* Tone generation and analysis helpers for tests and the benchmark. */
#include "audio_tone.h"

#include <math.h>
#include <stdlib.h>

void tone_sine(float *out, size_t n, double freq, double rate, double amp, uint64_t phase_frames)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (float)(amp * sin(2.0 * M_PI * freq * (double)(i + phase_frames) / rate));
}

void tone_chirp(float *out, size_t n, double f0, double f1, double rate, double amp)
{
    double dur = (double)n / rate;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate;
        double phase = 2.0 * M_PI * (f0 * t + (f1 - f0) * t * t / (2.0 * dur));
        double w = n > 1 ? 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)(n - 1)) : 1.0;
        out[i] = (float)(amp * w * sin(phase));
    }
}

double tone_goertzel(const float *x, size_t n, double freq, double rate)
{
    if (n == 0)
        return 0;
    double coeff = 2.0 * cos(2.0 * M_PI * freq / rate);
    double s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double s0 = x[i] + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return power / ((double)n * (double)n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double tone_estimate_frequency(const float *x, size_t n, double rate)
{
    const double hyst = 1e-3;
    size_t cap = 4096, count = 0;
    double *periods = malloc(cap * sizeof *periods);
    if (!periods)
        return 0;
    double prev = -1;
    int armed = 0; /* went below -hyst since the last rising crossing */
    for (size_t i = 1; i < n; i++) {
        if (x[i - 1] < -hyst)
            armed = 1;
        if (armed && x[i - 1] < 0 && x[i] >= 0) {
            double frac = x[i - 1] / (double)(x[i - 1] - x[i]);
            double pos = (double)(i - 1) + frac;
            if (prev >= 0) {
                if (count == cap) {
                    double *bigger = realloc(periods, 2 * cap * sizeof *periods);
                    if (!bigger)
                        break;
                    periods = bigger;
                    cap *= 2;
                }
                periods[count++] = pos - prev;
            }
            prev = pos;
            armed = 0;
        }
    }
    double f = 0;
    if (count > 0) {
        /* the median period: a dropout or a glitch makes a few periods
         * wrong but cannot move the median (dropouts are measured apart,
         * by tone_nonsilent_ratio) */
        qsort(periods, count, sizeof *periods, cmp_double);
        double median = count % 2 ? periods[count / 2]
                                  : (periods[count / 2 - 1] + periods[count / 2]) / 2;
        if (median > 0)
            f = rate / median;
    }
    free(periods);
    return f;
}

double tone_nonsilent_ratio(const float *x, size_t n, size_t block, double threshold)
{
    if (block == 0 || n < block)
        return 0;
    size_t blocks = n / block, loud = 0;
    for (size_t b = 0; b < blocks; b++) {
        double sum = 0;
        for (size_t i = 0; i < block; i++) {
            double v = x[b * block + i];
            sum += v * v;
        }
        if (sqrt(sum / (double)block) > threshold)
            loud++;
    }
    return (double)loud / (double)blocks;
}

double tone_peak(const float *x, size_t n)
{
    double p = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i]) > p)
            p = fabs(x[i]);
    return p;
}

long tone_xcorr_lag(const float *x, size_t n, const float *ref, size_t m, double *score)
{
    if (m == 0 || m > n)
        return -1;
    double ref_energy = 0;
    for (size_t j = 0; j < m; j++)
        ref_energy += (double)ref[j] * ref[j];
    /* running energy of the x window */
    double win = 0;
    for (size_t j = 0; j < m; j++)
        win += (double)x[j] * x[j];
    long best = 0;
    double best_score = -1;
    for (size_t lag = 0; lag + m <= n; lag++) {
        if (lag > 0)
            win += (double)x[lag + m - 1] * x[lag + m - 1] - (double)x[lag - 1] * x[lag - 1];
        double dot = 0;
        for (size_t j = 0; j < m; j++)
            dot += (double)x[lag + j] * ref[j];
        double denom = sqrt(ref_energy * (win > 1e-12 ? win : 1e-12));
        double s = denom > 0 ? dot / denom : 0;
        if (s > best_score) {
            best_score = s;
            best = (long)lag;
        }
    }
    if (score)
        *score = best_score;
    return best;
}

void tone_s16_to_mono(const int16_t *in, size_t frames, unsigned channels, float *out)
{
    for (size_t i = 0; i < frames; i++) {
        double sum = 0;
        for (unsigned c = 0; c < channels; c++)
            sum += in[i * channels + c];
        out[i] = (float)(sum / channels / 32768.0);
    }
}

void tone_f32_to_mono(const float *in, size_t frames, unsigned channels, float *out)
{
    for (size_t i = 0; i < frames; i++) {
        double sum = 0;
        for (unsigned c = 0; c < channels; c++)
            sum += in[i * channels + c];
        out[i] = (float)(sum / channels);
    }
}
