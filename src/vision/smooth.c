#include "vision/smooth.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"

const vision_smooth_params vision_smooth_defaults = { 1.0, 4.0, 1.0 };

struct vision_smooth {
	int n;
	vision_smooth_params p;
	int started;
	double t;        /* time of the last frame */
	double *x;       /* (n, 2) last output */
	double *v;       /* (n, 2) filtered velocity, scale units per second */
};

vision_smooth *vision_smooth_new(int n_points, const vision_smooth_params *params)
{
	const vision_smooth_params *p = params ? params : &vision_smooth_defaults;
	if (n_points < 1 || !(p->min_cutoff > 0) || !(p->beta >= 0) || !(p->d_cutoff > 0)) {
		bj_error_set(BJ_EINVAL, "smoothing needs points and positive cutoffs");
		return NULL;
	}
	vision_smooth *s = bj_xcalloc(1, sizeof(*s));
	s->n = n_points;
	s->p = *p;
	s->x = bj_xcalloc(2 * (size_t)n_points, sizeof(double));
	s->v = bj_xcalloc(2 * (size_t)n_points, sizeof(double));
	return s;
}

/* The smoothing factor of an exponential filter with this cutoff at step dt:
 * alpha = 1 / (1 + tau / dt), tau = 1 / (2 pi cutoff) (the paper, eq. 1-2). */
static double alpha(double cutoff, double dt)
{
	return 1 / (1 + 1 / (2 * M_PI * cutoff * dt));
}

void vision_smooth_push(vision_smooth *s, double t, double scale, const float *in, float *out)
{
	double dt = t - s->t;
	if (!s->started || !(dt > 0) || !(scale > 0)) {
		for (int i = 0; i < 2 * s->n; i++) {
			s->x[i] = in[i];
			s->v[i] = 0;
			out[i] = in[i];
		}
		s->started = 1;
		s->t = t;
		return;
	}
	s->t = t;
	double ad = alpha(s->p.d_cutoff, dt);
	for (int i = 0; i < s->n; i++) {
		double *x = s->x + 2 * i, *v = s->v + 2 * i;
		/* The speed of the point as a whole sets one cutoff for x and y. */
		for (int c = 0; c < 2; c++)
			v[c] += ad * ((in[2 * i + c] - x[c]) / (dt * scale) - v[c]);
		double a = alpha(s->p.min_cutoff + s->p.beta * hypot(v[0], v[1]), dt);
		for (int c = 0; c < 2; c++) {
			x[c] += a * (in[2 * i + c] - x[c]);
			out[2 * i + c] = (float)x[c];
		}
	}
}

void vision_smooth_reset(vision_smooth *s)
{
	s->started = 0;
}

void vision_smooth_free(vision_smooth *s)
{
	if (!s)
		return;
	free(s->x);
	free(s->v);
	free(s);
}
