#include "score/loudness.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"

int score_loudness(const media_audio *a, double *lufs)
{
	*lufs = -HUGE_VAL;
	if (a->frames == 0)
		return 0;
	ebur128_state *st = ebur128_init((unsigned)a->channels, (unsigned long)a->rate,
	                                 EBUR128_MODE_I);
	if (!st)
		return bj_error_set(BJ_ENOMEM, "cannot start a loudness measurement");
	int ret = 0;
	if (ebur128_add_frames_float(st, a->samples, a->frames) != EBUR128_SUCCESS ||
	    ebur128_loudness_global(st, lufs) != EBUR128_SUCCESS)
		ret = bj_error_set(BJ_ENOMEM, "cannot measure loudness");
	ebur128_destroy(&st);
	return ret;
}

int score_loudness_normalize(media_audio *a, double target, double *measured)
{
	int ret = score_loudness(a, measured);
	if (ret < 0 || !isfinite(*measured))
		return ret;
	float g = (float)pow(10.0, (target - *measured) / 20.0);
	for (size_t i = 0; i < a->frames * (size_t)a->channels; i++)
		a->samples[i] *= g;
	return 0;
}

/* 0 -> 0, 1 -> 1, smoothly. */
static double ramp(double x)
{
	return x <= 0 ? 0 : x >= 1 ? 1 : 0.5 - 0.5 * cos(M_PI * x);
}

void score_duck(media_audio *a, const score_interval *iv, size_t n, double depth_db,
                double attack, double release)
{
	if (n == 0)
		return;
	/* How deep each frame is ducked, 0..1: the deepest interval wins. */
	float *w = bj_xcalloc(a->frames ? a->frames : 1, sizeof(*w));
	for (size_t k = 0; k < n; k++) {
		double s = iv[k].start, e = iv[k].end;
		long f0 = lround((s - attack) * a->rate), f1 = lround((e + release) * a->rate);
		if (f0 < 0)
			f0 = 0;
		if (f1 > (long)a->frames)
			f1 = (long)a->frames;
		for (long f = f0; f < f1; f++) {
			double t = (double)f / a->rate, d;
			if (t < s)
				d = attack > 0 ? ramp((t - (s - attack)) / attack) : 1;
			else if (t <= e)
				d = 1;
			else
				d = release > 0 ? ramp(1 - (t - e) / release) : 0;
			if (d > w[f])
				w[f] = (float)d;
		}
	}
	for (size_t f = 0; f < a->frames; f++) {
		if (w[f] == 0.0f)
			continue;
		float g = (float)pow(10.0, depth_db * w[f] / 20.0);
		for (int ch = 0; ch < a->channels; ch++)
			a->samples[f * (size_t)a->channels + (size_t)ch] *= g;
	}
	free(w);
}
