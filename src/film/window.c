/*
 * window.c - cut points on still moments, off blinks, on the face.
 */
#include "film/window.h"

#include <math.h>
#include <string.h>

#include "film/onscreen.h"
#include "library/query.h"

/* Cost weights, in units of motion at one cut equal to LIBRARY_MOTION_MIN: a
 * blink at a cut is as bad as a clearly moving frame, a window without the
 * face as bad as both cuts in the middle of a movement, and the pull towards
 * the middle only breaks near ties. */
#define BLINK_COST 3.0
#define FACE_COST 6.0
#define REPEAT_COST 8.0
#define CENTRE_COST 0.3

/* Mean motion of the frames within FILM_CUT_FRAMES of the cut at time t: the
 * last frames before it and the first after. */
static double motion_at(const film_window_ask *a, double t)
{
	if (!a->motion || !a->n_motion)
		return 0;
	long k = lround((t - a->start) * a->fps);  /* the first frame after the cut */
	double sum = 0;
	int n = 0;
	for (long i = k - FILM_CUT_FRAMES; i < k + FILM_CUT_FRAMES; i++)
		if (i >= 0 && (size_t)i < a->n_motion) {
			sum += a->motion[i];
			n++;
		}
	return n ? sum / n : 0;
}

static int near_blink(const film_window_ask *a, double t)
{
	for (size_t i = 0; i < a->n_blinks; i++)
		if (fabs(a->blinks[i] - t) < FILM_BLINK_SECONDS)
			return 1;
	return 0;
}

/* Fraction of [in, out] within half a sample's time of a face sample. */
static double face_cover(const film_window_ask *a, double in, double out)
{
	if (!a->faces)
		return 1;
	double covered = 0, end = in, h = FILM_SAMPLE_SECONDS / 2;
	for (size_t i = 0; i < a->n_faces; i++) {  /* sorted: overlapping spans merge */
		double lo = fmax(a->faces[i] - h, end), hi = fmin(a->faces[i] + h, out);
		if (hi > lo) {
			covered += hi - lo;
			end = hi;
		}
	}
	return out > in ? covered / (out - in) : 1;
}

/* Fraction of [in, out] inside the spans already shown (they may overlap). */
static double repeated(const film_window_ask *a, double in, double out)
{
	double shown = 0;
	for (size_t i = 0; i < a->n_shown; i++) {
		double lo = fmax(a->shown[2 * i], in), hi = fmin(a->shown[2 * i + 1], out);
		if (hi > lo)
			shown += hi - lo;
	}
	return out > in ? fmin(1, shown / (out - in)) : 0;
}

static void measure(const film_window_ask *a, double in, double centre, film_window *w)
{
	double out = in + a->len;
	w->in = in;
	w->out = out;
	w->in_motion = motion_at(a, in);
	w->out_motion = motion_at(a, out);
	w->blinks = near_blink(a, in) + near_blink(a, out);
	w->face = face_cover(a, in, out);
	w->repeat = repeated(a, in, out);
	double spare = a->to - a->from - a->len;
	w->cost = (w->in_motion + w->out_motion) / LIBRARY_MOTION_MIN + BLINK_COST * w->blinks +
	          FACE_COST * (a->avoid_faces ? w->face : 1 - w->face) + REPEAT_COST * w->repeat +
	          (spare > 0 ? CENTRE_COST * fabs(in - centre) / (spare / 2) : 0);
}

void film_window_choose(const film_window_ask *a, film_window *w)
{
	double centre = a->from + (a->to - a->from - a->len) / 2;
	film_window best, c;
	measure(a, centre, centre, &c);
	best = c;
	double step = a->fps > 0 ? 1 / a->fps : 0.04;
	long steps = (long)floor((a->to - a->from - a->len) / step + 1e-9);
	for (long k = 0; k <= steps; k++) {
		film_window t;
		measure(a, a->from + k * step, centre, &t);
		if (t.cost < best.cost - 1e-12)
			best = t;
	}
	*w = best;
	w->has_motion = a->motion && a->n_motion;
	w->centred_in = c.in;
	w->centred_cost = c.cost;
	w->centred_in_motion = c.in_motion;
	w->centred_out_motion = c.out_motion;
	w->centred_blinks = c.blinks;
	w->centred_face = c.face;
	w->centred_repeat = c.repeat;
}
