/* Signal analysis for tests and benchmarks (pure, no I/O): tone and chirp
 * generation, frequency estimation, silence detection, delay by
 * cross-correlation.  Samples are mono floats in [-1, 1]. */
#ifndef FENESTRA_AUDIO_TONE_H
#define FENESTRA_AUDIO_TONE_H

#include <stddef.h>
#include <stdint.h>

/* out[i] = amp * sin(2 pi freq (i + phase_frames) / rate) */
void tone_sine(float *out, size_t n, double freq, double rate, double amp, uint64_t phase_frames);

/* Linear chirp from f0 to f1 Hz over n samples, with a Hann window. */
void tone_chirp(float *out, size_t n, double f0, double f1, double rate, double amp);

/* Power of `freq` in x[0..n) (Goertzel), normalized so a full-scale sine at
 * exactly freq gives ~0.25 (amplitude^2 / 4). */
double tone_goertzel(const float *x, size_t n, double freq, double rate);

/* Dominant frequency from the median interval between rising zero
 * crossings (linear interpolation between samples: exact for a clean tone;
 * a small hysteresis keeps noise from adding crossings; the median ignores
 * the odd period broken by a dropout).  0 when fewer than two crossings. */
double tone_estimate_frequency(const float *x, size_t n, double rate);

/* Fraction (0..1) of whole blocks of `block` samples whose RMS exceeds
 * `threshold`.  0 when n < block. */
double tone_nonsilent_ratio(const float *x, size_t n, size_t block, double threshold);

/* Largest absolute sample. */
double tone_peak(const float *x, size_t n);

/* Lag (0..n-m) at which ref[0..m) best matches x (normalized
 * cross-correlation); *score gets the normalized peak (0..1) if non-NULL.
 * Returns -1 when m == 0 or m > n. */
long tone_xcorr_lag(const float *x, size_t n, const float *ref, size_t m, double *score);

/* Interleaved S16LE / F32LE frames -> mono floats (channel average). */
void tone_s16_to_mono(const int16_t *in, size_t frames, unsigned channels, float *out);
void tone_f32_to_mono(const float *in, size_t frames, unsigned channels, float *out);

#endif
