/*
 * voice_analysis.c - YIN pitch tracking, cepstrally smoothed spectral
 * envelopes, centroid, formant scale and spectral distance.
 */
#include "perform/voice_analysis.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/sort.h"
#include "media/resample.h"

#define RATE 16000
#define WINDOW 400            /* 25 ms */
#define HOP 160               /* 10 ms */
#define F0_MIN 60.0
#define F0_MAX 500.0
#define TAU_MAX ((int)(RATE / F0_MIN) + 2)
#define TAU_MIN ((int)(RATE / F0_MAX))
#define YIN_THRESHOLD 0.15
#define YIN_FALLBACK 0.35
#define SILENCE_DB 35.0
#define FFT_N 512
#define LIFTER 30             /* cepstral coefficients kept: below a 530 Hz pitch period */

/* Mono 16 kHz copy of n samples at rate. */
static int to_16k(const float *x, size_t n, int rate, int channels, media_audio *out)
{
	media_audio in = { 0 };
	media_audio_init(&in, rate, 1);
	media_audio_reserve(&in, n);
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		for (int c = 0; c < channels; c++)
			s += x[i * (size_t)channels + (size_t)c];
		in.samples[i] = (float)(s / channels);
	}
	in.frames = n;
	int ret = media_audio_resample(&in, RATE, out);
	media_audio_release(&in);
	return ret;
}

/* YIN on the frame starting at x (WINDOW + TAU_MAX samples): the period in
 * samples, or 0 when no dip passes the threshold. */
static double yin_frame(const float *x, double *d)
{
	d[0] = 1.0;
	double running = 0;
	for (int tau = 1; tau < TAU_MAX; tau++) {
		double s = 0;
		for (int j = 0; j < WINDOW; j++) {
			double diff = (double)x[j] - x[j + tau];
			s += diff * diff;
		}
		running += s;
		d[tau] = running > 0 ? s * tau / running : 1.0; /* cumulative mean normalised */
	}
	int tau = TAU_MIN;
	for (; tau < TAU_MAX - 1; tau++)
		if (d[tau] < YIN_THRESHOLD) {
			while (tau + 1 < TAU_MAX - 1 && d[tau + 1] < d[tau])
				tau++;
			break;
		}
	if (tau >= TAU_MAX - 1) {
		/* No dip under the threshold: the paper takes the global minimum;
		 * we do so only when it is still clearly periodic, which keeps
		 * breathy and noisy-channel voices (and kal's LPC excitation). */
		tau = TAU_MIN;
		for (int k = TAU_MIN + 1; k < TAU_MAX - 1; k++)
			if (d[k] < d[tau])
				tau = k;
		if (d[tau] >= YIN_FALLBACK || tau == TAU_MIN)
			return 0;
	}
	/* Parabola through the minimum and its neighbours. */
	double a = d[tau - 1], b = d[tau], c = d[tau + 1];
	double den = a - 2 * b + c;
	double shift = den > 0 ? 0.5 * (a - c) / den : 0;
	return tau + shift;
}

static double frame_energy(const float *x, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += (double)x[i] * x[i];
	return s / n;
}

/* The pitch track of 16 kHz mono samples. */
static void track16(const float *x, size_t n, perform_pitch_track *t)
{
	size_t frame = WINDOW + TAU_MAX;
	t->hop = (double)HOP / RATE;
	t->n = n >= frame ? (n - frame) / HOP + 1 : 0;
	t->f0 = bj_xcalloc(t->n ? t->n : 1, sizeof *t->f0);
	double *e = bj_xmalloc((t->n ? t->n : 1) * sizeof *e);
	double emax = 0;
	for (size_t i = 0; i < t->n; i++) {
		e[i] = frame_energy(x + i * HOP, WINDOW);
		emax = fmax(emax, e[i]);
	}
	double gate = emax * pow(10.0, -SILENCE_DB / 10.0);
	double d[TAU_MAX];
	for (size_t i = 0; i < t->n; i++) {
		if (!(e[i] > gate) || emax <= 0)
			continue;
		double period = yin_frame(x + i * HOP, d);
		if (period > 0)
			t->f0[i] = (float)(RATE / period);
	}
	free(e);
}

int perform_pitch_track_run(const float *x, size_t n, int rate, perform_pitch_track *t)
{
	memset(t, 0, sizeof *t);
	if (rate < 8000)
		return bj_error_set(BJ_EINVAL, "cannot track pitch at %d Hz", rate);
	media_audio a;
	int ret = to_16k(x, n, rate, 1, &a);
	if (ret == 0)
		track16(a.samples, a.frames, t);
	media_audio_release(&a);
	return ret;
}

void perform_pitch_track_release(perform_pitch_track *t)
{
	if (!t)
		return;
	free(t->f0);
	memset(t, 0, sizeof *t);
}

/* In-place iterative radix-2 FFT of FFT_N points. */
static void fft(double complex *v)
{
	for (int i = 1, j = 0; i < FFT_N; i++) {
		int bit = FFT_N >> 1;
		for (; j & bit; bit >>= 1)
			j ^= bit;
		j ^= bit;
		if (i < j) {
			double complex t = v[i];
			v[i] = v[j];
			v[j] = t;
		}
	}
	for (int len = 2; len <= FFT_N; len <<= 1) {
		double complex w = cexp(-2.0 * M_PI * I / len);
		for (int i = 0; i < FFT_N; i += len) {
			double complex wk = 1;
			for (int k = 0; k < len / 2; k++) {
				double complex a = v[i + k], b = v[i + k + len / 2] * wk;
				v[i + k] = a + b;
				v[i + k + len / 2] = a - b;
				wk *= w;
			}
		}
	}
}

/* Adds the liftered log envelope (dB per bin, FFT_N/2+1 bins) and the
 * magnitude spectrum of the frame at x to env and mag. */
static void frame_spectrum(const float *x, double *env, double *mag)
{
	double complex v[FFT_N];
	for (int i = 0; i < FFT_N; i++) {
		double w = i < WINDOW ? 0.5 - 0.5 * cos(2 * M_PI * i / (WINDOW - 1)) : 0;
		v[i] = i < WINDOW ? x[i] * w : 0;
	}
	fft(v);
	double logmag[FFT_N];
	for (int i = 0; i < FFT_N; i++) {
		double p = creal(v[i]) * creal(v[i]) + cimag(v[i]) * cimag(v[i]);
		if (i <= FFT_N / 2)
			mag[i] += sqrt(p);
		logmag[i] = 0.5 * log(p + 1e-12);
	}
	/* Real cepstrum; keep the low quefrencies (the vocal tract), drop the
	 * pitch harmonics; back to a smooth log spectrum. */
	for (int i = 0; i < FFT_N; i++)
		v[i] = logmag[i];
	fft(v);
	for (int i = 0; i < FFT_N; i++)
		if (i > LIFTER && i < FFT_N - LIFTER)
			v[i] = 0;
	fft(v); /* the cepstrum is real and even: a forward transform inverts it, times N */
	for (int i = 0; i <= FFT_N / 2; i++)
		env[i] += creal(v[i]) / FFT_N * (20.0 / log(10.0));
}

/* The envelope value at frequency f (Hz) by linear interpolation of bins. */
static double env_at(const double *env, double f)
{
	double pos = f * FFT_N / RATE;
	int i = (int)pos;
	if (i >= FFT_N / 2)
		return env[FFT_N / 2];
	double frac = pos - i;
	return env[i] * (1 - frac) + env[i + 1] * frac;
}

static double band_hz(int k)
{
	return PERFORM_ENVELOPE_LO_HZ *
	       pow(PERFORM_ENVELOPE_HI_HZ / PERFORM_ENVELOPE_LO_HZ, k / (PERFORM_ENVELOPE_BANDS - 1.0));
}

int perform_voice_analyse(const media_audio *a, perform_voice_profile *p)
{
	memset(p, 0, sizeof *p);
	if (a->rate < 8000 || a->channels <= 0)
		return bj_error_set(BJ_EINVAL, "cannot analyse audio at %d Hz", a->rate);
	media_audio m;
	int ret = to_16k(a->samples, a->frames, a->rate, a->channels, &m);
	if (ret < 0) {
		media_audio_release(&m);
		return ret;
	}
	perform_pitch_track t;
	track16(m.samples, m.frames, &t);
	float *voiced = bj_xmalloc((t.n ? t.n : 1) * sizeof *voiced);
	size_t nv = 0;
	double env[FFT_N / 2 + 1] = { 0 }, mag[FFT_N / 2 + 1] = { 0 };
	for (size_t i = 0; i < t.n; i++) {
		if (t.f0[i] <= 0)
			continue;
		voiced[nv++] = t.f0[i];
		frame_spectrum(m.samples + i * HOP, env, mag);
	}
	if (nv * t.hop < 0.3) {
		ret = bj_error_set(BJ_EINVAL, "no voiced speech in the sample (%.2f s voiced)",
		                   nv * t.hop);
		goto out;
	}
	bj_sort_floats(voiced, nv);
	/* Octave errors and noise frames lie far from the speaker's median: keep
	 * the frames within a factor 1.8 (about an octave) of it. */
	float med = voiced[nv / 2];
	size_t lo = 0, hi = nv;
	while (lo < hi && voiced[lo] < med / 1.8f)
		lo++;
	while (hi > lo && voiced[hi - 1] > med * 1.8f)
		hi--;
	float *kept = voiced + lo;
	size_t nk = hi - lo;
	p->f0_median = kept[nk / 2];
	p->f0_p10 = kept[nk / 10];
	p->f0_p90 = kept[nk * 9 / 10];
	p->f0_range = 12.0 * log2(p->f0_p90 / p->f0_p10);
	p->voiced = (double)nv / t.n;
	double num = 0, den = 0;
	for (int i = 1; i <= FFT_N / 2; i++) {
		num += mag[i] * i * RATE / FFT_N;
		den += mag[i];
	}
	p->centroid = den > 0 ? num / den : 0;
	double mean = 0;
	for (int k = 0; k < PERFORM_ENVELOPE_BANDS; k++) {
		p->envelope[k] = (float)(env_at(env, band_hz(k)) / nv);
		mean += p->envelope[k];
	}
	mean /= PERFORM_ENVELOPE_BANDS;
	for (int k = 0; k < PERFORM_ENVELOPE_BANDS; k++)
		p->envelope[k] -= (float)mean;
out:
	free(voiced);
	perform_pitch_track_release(&t);
	media_audio_release(&m);
	return ret;
}

double perform_spectral_distance(const perform_voice_profile *a, const perform_voice_profile *b)
{
	double s = 0;
	for (int k = 0; k < PERFORM_ENVELOPE_BANDS; k++) {
		double d = (double)a->envelope[k] - b->envelope[k];
		s += d * d;
	}
	return sqrt(s / PERFORM_ENVELOPE_BANDS);
}

/* Distance between target and source scaled by alpha in frequency, over the
 * bands both cover, with the mean difference removed (level does not count). */
static double scaled_distance(const float *target, const float *source, double alpha)
{
	double step = log2(PERFORM_ENVELOPE_HI_HZ / PERFORM_ENVELOPE_LO_HZ) /
	              (PERFORM_ENVELOPE_BANDS - 1);
	double shift = log2(alpha) / step; /* source band k moves to k + shift */
	double diff[PERFORM_ENVELOPE_BANDS];
	int n = 0;
	double mean = 0;
	for (int k = 0; k < PERFORM_ENVELOPE_BANDS; k++) {
		double src = k - shift;
		if (src < 0 || src > PERFORM_ENVELOPE_BANDS - 1)
			continue;
		int i = (int)src;
		double f = src - i;
		double v = i + 1 < PERFORM_ENVELOPE_BANDS ? source[i] * (1 - f) + source[i + 1] * f
		                                          : source[i];
		diff[n] = target[k] - v;
		mean += diff[n++];
	}
	if (n < PERFORM_ENVELOPE_BANDS / 2)
		return HUGE_VAL;
	mean /= n;
	double s = 0;
	for (int i = 0; i < n; i++)
		s += (diff[i] - mean) * (diff[i] - mean);
	return sqrt(s / n);
}

double perform_formant_scale(const perform_voice_profile *target,
                             const perform_voice_profile *source)
{
	double best = 1.0, best_d = HUGE_VAL;
	for (int i = -40; i <= 40; i++) {
		double alpha = pow(2.0, i / 100.0); /* 0.76 .. 1.32 in 1/100-octave steps */
		double d = scaled_distance(target->envelope, source->envelope, alpha);
		if (d < best_d) {
			best_d = d;
			best = alpha;
		}
	}
	return best;
}
