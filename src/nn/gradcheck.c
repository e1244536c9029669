#include "nn/gradcheck.h"

#include <float.h>
#include <math.h>

#include "base/error.h"

double nn_gradcheck_asymmetry(double analytic, double numeric, double noise, double tol)
{
	double scale = fabs(analytic) + fabs(numeric) + noise / tol;
	return fabs(analytic - numeric) / (scale > 1e-6 ? scale : 1e-6);
}

static void check_point(nn_gradcheck_loss_fn *loss, void *ctx, float *x, const float *grad,
                        size_t i, double h, double tol, nn_gradcheck_stats *st)
{
	float v = x[i];
	float xp = (float)(v + h), xm = (float)(v - h);
	BJ_ASSERT(xp > xm);
	double sp = 0.0, sm = 0.0;
	x[i] = xp;
	double lp = loss(ctx, &sp);
	x[i] = xm;
	double lm = loss(ctx, &sm);
	x[i] = v;
	double step = (double)xp - xm;
	double numeric = (lp - lm) / step;
	/* A float32 forward pass rounds each term it adds to a loss whose terms
	 * sum to scale in absolute value; measured on the LSTM tests, |L - exact|
	 * stays well inside FLT_EPSILON * scale. */
	double noise = FLT_EPSILON * (fabs(sp) + fabs(sm)) / step;
	double asym = nn_gradcheck_asymmetry(grad[i], numeric, noise, tol);
	st->checked++;
	/* A NaN asymmetry fails too. */
	if (!(asym < tol))
		st->failed++;
	else if (!(nn_gradcheck_asymmetry(grad[i], numeric, 0.0, tol) < tol))
		st->noise_limited++;
	/* The worst point; a NaN is worse than any number and stays. */
	if (isnan(asym) ? !isnan(st->worst) : asym > st->worst) {
		st->worst = asym;
		st->worst_index = i;
		st->worst_analytic = grad[i];
		st->worst_numeric = numeric;
	}
}

void nn_gradcheck(nn_gradcheck_loss_fn *loss, void *ctx, float *x, const float *grad, size_t n,
                  size_t max_points, double h, double tol, bj_rng *rng, nn_gradcheck_stats *stats)
{
	BJ_ASSERT(h > 0.0 && tol > 0.0);
	if (max_points == 0 || max_points >= n) {
		for (size_t i = 0; i < n; i++)
			check_point(loss, ctx, x, grad, i, h, tol, stats);
		return;
	}
	BJ_ASSERT(rng);
	/* Algorithm S (Knuth, TAOCP vol. 2, 3.4.2): take index i with probability
	 * (still needed) / (still left), which picks every subset equally often. */
	size_t needed = max_points;
	for (size_t i = 0; i < n && needed > 0; i++) {
		if (bj_rng_below(rng, n - i) < needed) {
			check_point(loss, ctx, x, grad, i, h, tol, stats);
			needed--;
		}
	}
}
