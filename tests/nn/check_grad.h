/*
 * check_grad.h - what the gradient checks of the image layers and losses
 * (test_norm, test_activation, test_pixel_loss, test_gan_loss, test_ssim)
 * share: seeded fills, the test loss sum(out .* R) and one checked tensor.
 *
 *     fill(x, n, -1.0f, 1.0f, &rng);
 *     check_grad("x", loss, &ctx, x, dx, n, 1e-3, &total);   // every point
 */
#pragma once

#include <math.h>
#include <stdio.h>

#include "base/rng.h"
#include "nn/gradcheck.h"
#include "harness.h"

/* Independent uniform draws in [lo, hi). */
static inline void fill(float *x, size_t n, float lo, float hi, bj_rng *rng)
{
	for (size_t i = 0; i < n; i++)
		x[i] = lo + (hi - lo) * bj_rng_uniform(rng);
}

/* sum(out .* R) in double, and in *scale the sum of its terms' sizes. */
static inline double dot_loss(const float *out, const float *R, size_t n, double *scale)
{
	double s = 0.0, a = 0.0;
	for (size_t i = 0; i < n; i++) {
		double t = (double)out[i] * R[i];
		s += t;
		a += fabs(t);
	}
	*scale = a;
	return s;
}

/* Checks every point of x (n floats) against grad with step h and tolerance
 * 1e-2, prints what it found and fails the case on any failed point; adds the
 * points checked to *total. */
static inline void check_grad(const char *name, nn_gradcheck_loss_fn *fn, void *ctx, float *x,
                              const float *grad, size_t n, double h, size_t *total)
{
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(fn, ctx, x, grad, n, 0, h, 1e-2, NULL, &st);
	printf("    %-22s %4zu points (%zu noise-limited), worst asymmetry %.2e\n", name,
	       st.checked, st.noise_limited, st.worst);
	CHECK(st.checked == n && st.failed == 0, "%s: %zu of %zu failed (worst %zu: %g vs %g)",
	      name, st.failed, st.checked, st.worst_index, st.worst_analytic, st.worst_numeric);
	*total += st.checked;
}
