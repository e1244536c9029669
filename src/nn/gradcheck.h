/*
 * gradcheck.h - compare a hand-written backward with central differences of
 * its forward, for the tests of every layer and loss (STYLE.md 2.7).
 *
 *     static double loss(void *ctx, double *scale)   // forward, then in double:
 *     { ...; *scale = sum |out .* R|; return sum(out .* R); }
 *     ...forward and backward once: grad holds the analytic dL/dx...
 *     nn_gradcheck_stats st = { 0 };
 *     nn_gradcheck(loss, ctx, x, grad, n, 0, 1e-2, 1e-2, NULL, &st);
 *     CHECK(st.checked > 0 && st.failed == 0, ...);
 *
 * For each point, x[i] is moved to the float nearest x[i] + h and to the one
 * nearest x[i] - h, the loss evaluated at both (x[i] is restored after), and the
 * numeric derivative n = (L+ - L-) / (x+ - x-), taken over the perturbation
 * actually made, compared with the analytic a = grad[i] by ggml's asymmetry,
 * |a - n| / max(|a| + |n|, 1e-6), widened by the rounding noise of a float32
 * forward pass (see nn_gradcheck_asymmetry).  The loss must not change grad.
 * Nothing is allocated; results add up in the caller's stats.
 */
#pragma once

#include <stddef.h>

#include "base/rng.h"

/* The loss at the current values of the tensor being checked, accumulated in
 * double.  Stores in *scale the sum of the absolute values of the terms it
 * adds up (sum |out .* R|), which bounds its float32 rounding noise; 0 claims
 * no noise. */
typedef double nn_gradcheck_loss_fn(void *ctx, double *scale);

/* What the checks found, summed over calls. */
typedef struct nn_gradcheck_stats {
	size_t checked;          /* points compared */
	size_t failed;           /* points whose asymmetry reached the tolerance */
	size_t noise_limited;    /* passed only because of the noise term */
	double worst;            /* the largest asymmetry */
	size_t worst_index;      /* its index, in the call that saw it */
	double worst_analytic;   /* the two derivatives there */
	double worst_numeric;
} nn_gradcheck_stats;

/* Checks grad, the analytic gradient of loss with respect to x (n floats),
 * at max_points points: every point, in order, when max_points is 0 or >= n;
 * otherwise a uniform random subset of that many, chosen with rng (Knuth's
 * selection sampling, in index order).  h is the step, tol the largest
 * asymmetry that passes.  x is perturbed in place and restored bit for bit. */
void nn_gradcheck(nn_gradcheck_loss_fn *loss, void *ctx,
                  float *x,            // (n)
                  const float *grad,   // (n)
                  size_t n, size_t max_points, double h, double tol, bj_rng *rng,
                  nn_gradcheck_stats *stats);

/* The asymmetry of an analytic and a numeric derivative,
 *     |a - n| / max(|a| + |n| + noise / tol, 1e-6),
 * which is below tol exactly when |a - n| < tol (|a| + |n|) + noise (and
 * |a - n| < tol 1e-6).  noise bounds the error of n from rounding alone: each of
 * L+ and L- is off by at most about FLT_EPSILON * scale, so
 * noise = 2 FLT_EPSILON scale / (x+ - x-).  With noise 0 this is ggml's metric. */
double nn_gradcheck_asymmetry(double analytic, double numeric, double noise, double tol);
