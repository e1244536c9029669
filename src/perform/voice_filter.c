/*
 * voice_filter.c - biquad band-limiting, saturation and early reflections.
 */
#include "perform/voice_filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

static const char *const names[] = { "none", "phone", "radio", "distance" };

int perform_filter_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *perform_filter_name(perform_filter f)
{
	BJ_ASSERT((int)f >= 0 && (int)f < 4);
	return names[f];
}

struct biquad {
	double b0, b1, b2, a1, a2, z1, z2;
};

/* Cookbook low-pass (high = 0) or high-pass (high = 1), Q = 1/sqrt(2). */
static struct biquad design(double f0, double rate, int high)
{
	double w = 2 * M_PI * f0 / rate, c = cos(w), alpha = sin(w) / (2 * M_SQRT1_2);
	double a0 = 1 + alpha;
	struct biquad q = { 0 };
	if (high) {
		q.b0 = (1 + c) / 2 / a0;
		q.b1 = -(1 + c) / a0;
	} else {
		q.b0 = (1 - c) / 2 / a0;
		q.b1 = (1 - c) / a0;
	}
	q.b2 = q.b0;
	q.a1 = -2 * c / a0;
	q.a2 = (1 - alpha) / a0;
	return q;
}

static void run(struct biquad q, float *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double y = q.b0 * x[i] + q.z1; /* transposed direct form II */
		q.z1 = q.b1 * x[i] - q.a1 * y + q.z2;
		q.z2 = q.b2 * x[i] - q.a2 * y;
		x[i] = (float)y;
	}
}

static void band(media_audio *a, double lo, double hi)
{
	for (int k = 0; k < 2; k++) { /* two sections each: 4th order */
		run(design(lo, a->rate, 1), a->samples, a->frames);
		run(design(hi, a->rate, 0), a->samples, a->frames);
	}
}

/* tanh soft clipping at drive, scaled back to the input's peak level. */
static void saturate(media_audio *a, double drive)
{
	double peak = 0;
	for (size_t i = 0; i < a->frames; i++)
		peak = fmax(peak, fabs(a->samples[i]));
	if (peak <= 0)
		return;
	for (size_t i = 0; i < a->frames; i++)
		a->samples[i] = (float)(tanh(drive * a->samples[i] / peak) / tanh(drive) * peak);
}

static void reflections(media_audio *a)
{
	static const double delay_ms[] = { 12, 19, 29, 47 };
	static const double gain[] = { 0.45, 0.35, 0.25, 0.18 };
	size_t n = a->frames;
	float *dry = bj_xmalloc((n ? n : 1) * sizeof *dry);
	memcpy(dry, a->samples, n * sizeof *dry);
	for (int k = 0; k < 4; k++) {
		size_t d = (size_t)(delay_ms[k] * a->rate / 1000);
		for (size_t i = d; i < n; i++)
			a->samples[i] += (float)(gain[k] * dry[i - d]);
	}
	free(dry);
}

void perform_filter_apply(media_audio *a, perform_filter f)
{
	BJ_ASSERT(a->channels == 1);
	switch (f) {
	case PERFORM_FILTER_NONE:
		break;
	case PERFORM_FILTER_PHONE:
		band(a, 300, 3400);
		saturate(a, 1.5);
		break;
	case PERFORM_FILTER_RADIO:
		band(a, 500, 2800);
		saturate(a, 3.0);
		break;
	case PERFORM_FILTER_DISTANCE:
		run(design(2500, a->rate, 0), a->samples, a->frames);
		run(design(2500, a->rate, 0), a->samples, a->frames);
		reflections(a);
		break;
	}
}
