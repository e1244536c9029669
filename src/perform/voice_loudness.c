/*
 * voice_loudness.c - EBU R128 loudness by libebur128, a peak limiter.
 */
#include "perform/voice_loudness.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"

/* R128's gating block is 400 ms; shorter lines are looped to this length. */
#define MIN_MEASURE_SECONDS 1.2

static int measure_raw(const float *x, size_t frames, int channels, int rate, double *lufs,
                       double *tp)
{
	ebur128_state *st = ebur128_init((unsigned)channels, (unsigned long)rate,
	                                 EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
	if (!st)
		return bj_error_set(BJ_ENOMEM, "cannot measure loudness: out of memory");
	int ok = ebur128_add_frames_float(st, x, frames) == EBUR128_SUCCESS;
	double l = -HUGE_VAL, peak = 0;
	if (ok && lufs)
		ok = ebur128_loudness_global(st, &l) == EBUR128_SUCCESS;
	for (int c = 0; ok && tp && c < channels; c++) {
		double p;
		ok = ebur128_true_peak(st, (unsigned)c, &p) == EBUR128_SUCCESS;
		if (p > peak)
			peak = p;
	}
	ebur128_destroy(&st);
	if (!ok)
		return bj_error_set(BJ_EINVAL, "cannot measure loudness of %zu frames at %d Hz", frames,
		                    rate);
	if (lufs)
		*lufs = l;
	if (tp)
		*tp = peak > 0 ? 20.0 * log10(peak) : -HUGE_VAL;
	return 0;
}

int perform_loudness_measure(const media_audio *a, double *lufs, double *true_peak_db)
{
	if (a->rate <= 0 || a->channels <= 0)
		return bj_error_set(BJ_EINVAL, "cannot measure loudness at %d Hz", a->rate);
	size_t need = (size_t)(MIN_MEASURE_SECONDS * a->rate);
	if (a->frames == 0 || a->frames >= need || !lufs)
		return measure_raw(a->samples, a->frames, a->channels, a->rate, lufs, true_peak_db);
	/* Looping keeps the loudness of a stationary sound and lets R128's blocks fill. */
	size_t ch = (size_t)a->channels;
	float *loop = bj_xmalloc(need * ch * sizeof *loop);
	for (size_t i = 0; i < need; i++)
		for (size_t c = 0; c < ch; c++)
			loop[i * ch + c] = a->samples[(i % a->frames) * ch + c];
	int ret = measure_raw(loop, need, a->channels, a->rate, lufs, NULL);
	free(loop);
	if (ret == 0 && true_peak_db)
		ret = measure_raw(a->samples, a->frames, a->channels, a->rate, NULL, true_peak_db);
	return ret;
}

static void scale(media_audio *a, double g)
{
	size_t n = a->frames * (size_t)a->channels;
	for (size_t i = 0; i < n; i++)
		a->samples[i] = (float)(a->samples[i] * g);
}

/* A look-ahead limiter: the gain at each frame is the smallest a window of
 * `attack` frames ahead needs to keep the sample peak under ceiling, and
 * recovers exponentially with a `release` time constant, so peaks are tamed
 * before they arrive and the gain never jumps. */
static void limit(media_audio *a, double ceiling)
{
	size_t n = a->frames, ch = (size_t)a->channels;
	size_t attack = (size_t)(0.0015 * a->rate) + 1;
	double rel = exp(-1.0 / (0.015 * a->rate));
	double *need = bj_xmalloc(n * sizeof *need);
	for (size_t i = 0; i < n; i++) {
		double p = 0;
		for (size_t c = 0; c < ch; c++)
			p = fmax(p, fabs(a->samples[i * ch + c]));
		need[i] = p > ceiling ? ceiling / p : 1.0;
	}
	/* Minimum over the next `attack` frames, then ramp down linearly towards it. */
	double g = 1.0;
	for (size_t i = 0; i < n; i++) {
		double target = 1.0;
		size_t end = i + attack < n ? i + attack : n;
		for (size_t j = i; j < end; j++)
			target = fmin(target, need[j]);
		if (target < g)
			g = fmax(target, g - (g - target) / (double)attack * 2.0);
		else
			g = target + (g - target) * rel;
		g = fmin(g, need[i]);
		for (size_t c = 0; c < ch; c++)
			a->samples[i * ch + c] = (float)(a->samples[i * ch + c] * g);
	}
	free(need);
}

int perform_loudness_normalise(media_audio *a, double target_lufs, double ceiling_db,
                               double *gain_db)
{
	double lufs, tp;
	int ret = perform_loudness_measure(a, &lufs, &tp);
	double start = lufs;
	if (gain_db)
		*gain_db = 0;
	if (ret < 0 || !isfinite(lufs))
		return ret;
	for (int round = 0; round < 12; round++) {
		double g = target_lufs - lufs;
		scale(a, pow(10.0, g / 20.0));
		if ((ret = perform_loudness_measure(a, &lufs, &tp)) < 0)
			return ret;
		if (tp <= ceiling_db)
			break;
		/* Inter-sample peaks run up to ~1 dB over sample peaks in speech:
		 * limit sample peaks with that margin. */
		limit(a, pow(10.0, (ceiling_db - 1.0) / 20.0));
		if ((ret = perform_loudness_measure(a, &lufs, &tp)) < 0)
			return ret;
		if (fabs(lufs - target_lufs) < 0.1 && tp <= ceiling_db)
			break;
	}
	if (tp > ceiling_db) {
		double g = ceiling_db - tp - 0.01;
		scale(a, pow(10.0, g / 20.0));
		lufs += g;
	}
	if (gain_db)
		*gain_db = lufs - start;
	return 0;
}
