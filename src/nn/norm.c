#include "nn/norm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "nn/internal.h"
#include "nn/parallel.h"

/*
 * Both norms normalise groups of values: an instance norm's group is one
 * (n, c) plane, a batch norm's the N planes of channel c, HW floats each,
 * plane_stride apart.  With M values in a group, xhat = (x - mean) * rstd and
 * y = gamma xhat + beta, the gradient is (Ioffe & Szegedy 2015, section 3)
 *     dx = gamma rstd (dy - sum(dy) / M - xhat sum(dy xhat) / M)
 *     dgamma = sum(dy xhat),  dbeta = sum(dy).
 */
struct group {
	int planes;           /* planes in the group */
	size_t plane_stride;  /* floats from one plane to the next */
	int HW;               /* floats per plane */
};

static size_t group_size(const struct group *g)
{
	return (size_t)g->planes * g->HW;
}

/*
 * Sums in double run in LANES independent partial sums, element i into
 * lane i % LANES, added up in a fixed order at the end: a dependency chain
 * of one add per element would be latency-bound, and the lanes vectorise
 * exactly, so every CPU gets the same bytes.
 */
#define LANES 8

static double lanes_total(const double *acc)
{
	return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* sum of x[i] (with mean 0) or of (x[i] - mean)^2, over HW floats, into acc. */
static inline void plane_sum(const float *x, int HW, double *acc)
{
	int i = 0;
	for (; i + LANES <= HW; i += LANES)
		for (int k = 0; k < LANES; k++)
			acc[k] += x[i + k];
	for (; i < HW; i++)
		acc[i % LANES] += x[i];
}

static inline void plane_sum_sq(const float *x, int HW, double mean, double *acc)
{
	int i = 0;
	for (; i + LANES <= HW; i += LANES)
		for (int k = 0; k < LANES; k++) {
			double d = x[i + k] - mean;
			acc[k] += d * d;
		}
	for (; i < HW; i++) {
		double d = x[i] - mean;
		acc[i % LANES] += d * d;
	}
}

/* The mean and the biased variance, two passes in double. */
NN_CLONES static void group_moments(const struct group *g, const float *x, double *mean,
                                    double *var)
{
	double acc[LANES] = { 0 };
	for (int p = 0; p < g->planes; p++)
		plane_sum(x + p * g->plane_stride, g->HW, acc);
	double m = lanes_total(acc) / (double)group_size(g);
	double sq[LANES] = { 0 };
	for (int p = 0; p < g->planes; p++)
		plane_sum_sq(x + p * g->plane_stride, g->HW, m, sq);
	*mean = m;
	*var = lanes_total(sq) / (double)group_size(g);
}

/* y = (x - mean) rstd gamma + beta. */
NN_CLONES static void group_apply(const struct group *g, const float *x, float *y, float mean,
                                  float rstd, float gamma, float beta)
{
	float scale = rstd * gamma;
	for (int p = 0; p < g->planes; p++) {
		const float *xp = x + p * g->plane_stride;
		float *yp = y + p * g->plane_stride;
		for (int i = 0; i < g->HW; i++)
			yp[i] = (xp[i] - mean) * scale + beta;
	}
}

/* sum(dy) and sum(dy xhat), in double. */
NN_CLONES static void group_sums(const struct group *g, const float *x, const float *dy,
                                 float mean, float rstd, double *sum_dy, double *sum_dy_xhat)
{
	double a[LANES] = { 0 }, b[LANES] = { 0 };
	for (int p = 0; p < g->planes; p++) {
		const float *xp = x + p * g->plane_stride, *dp = dy + p * g->plane_stride;
		int i = 0;
		for (; i + LANES <= g->HW; i += LANES)
			for (int k = 0; k < LANES; k++) {
				a[k] += dp[i + k];
				b[k] += (double)dp[i + k] * ((xp[i + k] - mean) * rstd);
			}
		for (; i < g->HW; i++) {
			a[i % LANES] += dp[i];
			b[i % LANES] += (double)dp[i] * ((xp[i] - mean) * rstd);
		}
	}
	*sum_dy = lanes_total(a);
	*sum_dy_xhat = lanes_total(b);
}

/* dx += gamma rstd (dy - mean_dy - xhat mean_dy_xhat); with both means 0, the
 * gradient through constant statistics. */
NN_CLONES static void group_dx(const struct group *g, const float *x, const float *dy, float *dx,
                               float mean, float rstd, float gamma, float mean_dy,
                               float mean_dy_xhat)
{
	float k = gamma * rstd;
	for (int p = 0; p < g->planes; p++) {
		const float *xp = x + p * g->plane_stride, *dp = dy + p * g->plane_stride;
		float *op = dx + p * g->plane_stride;
		for (int i = 0; i < g->HW; i++) {
			float xhat = (xp[i] - mean) * rstd;
			op[i] += k * (dp[i] - mean_dy - xhat * mean_dy_xhat);
		}
	}
}

static void add_view(nn_params *p, const char *name, const char *suffix, int C, float **data,
                     float **grad, int no_decay)
{
	char view[NN_PARAM_NAME_MAX];
	int n = snprintf(view, sizeof(view), "%s.%s", name, suffix);
	BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
	int i = nn_params_add(p, view, 1, (int64_t[]){ C }, data, grad);
	p->views[i].no_decay = no_decay;
}

static void fill(float *x, int n, float v)
{
	for (int i = 0; i < n; i++)
		x[i] = v;
}

/* Tasks of the parallel loops: enough to balance two threads over uneven
 * groups, few enough to cost nothing to schedule. */
static int n_tasks(int groups)
{
	return groups < 64 ? groups : 64;
}

/* ---- instance norm ---- */

void nn_instnorm_init(nn_instnorm *l, nn_params *p, const char *name, int C, int affine)
{
	BJ_ASSERT(C >= 1);
	memset(l, 0, sizeof(*l));
	l->C = C;
	l->eps = 1e-5f;
	if (affine) {
		add_view(p, name, "weight", C, &l->w, &l->dw, 1);
		add_view(p, name, "bias", C, &l->b, &l->db, 1);
	}
}

void nn_instnorm_init_weights(nn_instnorm *l)
{
	if (l->w) {
		fill(l->w, l->C, 1.0f);
		fill(l->b, l->C, 0.0f);
	}
}

struct in_job {
	const nn_instnorm *l;
	const float *x, *dy;
	float *y, *dx, *stats;
	int groups, tasks, HW;
};

static void in_forward_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct in_job *j = arg;
	struct group g = { 1, 0, j->HW };
	int lo, hi;
	nn_parallel_split(j->groups, j->tasks, task, &lo, &hi);
	for (int k = lo; k < hi; k++) {
		int c = k % j->l->C;
		size_t at = (size_t)k * j->HW;
		double mean, var;
		group_moments(&g, j->x + at, &mean, &var);
		float *st = j->stats + (size_t)k * NN_NORM_STATS;
		st[0] = (float)mean;
		st[1] = (float)(1.0 / sqrt(var + j->l->eps));
		group_apply(&g, j->x + at, j->y + at, st[0], st[1], j->l->w ? j->l->w[c] : 1.0f,
		            j->l->b ? j->l->b[c] : 0.0f);
	}
}

void nn_instnorm_forward(const nn_instnorm *l, const float *x, int N, int HW, float *y,
                         float *stats)
{
	BJ_ASSERT(N >= 0 && HW >= 1);
	int groups = N * l->C;
	struct in_job j = { l, x, NULL, y, NULL, stats, groups, n_tasks(groups), HW };
	nn_parallel_run(j.tasks, in_forward_task, &j);
}

static void in_backward_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct in_job *j = arg;
	struct group g = { 1, 0, j->HW };
	int lo, hi;
	nn_parallel_split(j->groups, j->tasks, task, &lo, &hi);
	for (int k = lo; k < hi; k++) {
		int c = k % j->l->C;
		size_t at = (size_t)k * j->HW;
		float *st = j->stats + (size_t)k * NN_NORM_STATS;
		double sum_dy, sum_dy_xhat;
		group_sums(&g, j->x + at, j->dy + at, st[0], st[1], &sum_dy, &sum_dy_xhat);
		/* The weights' gradients are summed over n after the parallel part,
		 * in order, from these slots. */
		st[2] = (float)sum_dy;
		st[3] = (float)sum_dy_xhat;
		if (j->dx)
			group_dx(&g, j->x + at, j->dy + at, j->dx + at, st[0], st[1],
			         j->l->w ? j->l->w[c] : 1.0f, (float)(sum_dy / j->HW),
			         (float)(sum_dy_xhat / j->HW));
	}
}

void nn_instnorm_backward(nn_instnorm *l, const float *x, const float *dy, int N, int HW,
                          float *stats, float *dx)
{
	BJ_ASSERT(N >= 0 && HW >= 1 && dx != dy);
	BJ_ASSERT(!l->w || (l->dw && l->db));
	int groups = N * l->C;
	struct in_job j = { l, x, dy, NULL, dx, stats, groups, n_tasks(groups), HW };
	nn_parallel_run(j.tasks, in_backward_task, &j);
	if (!l->w)
		return;
	for (int c = 0; c < l->C; c++) {
		double db = 0.0, dw = 0.0;
		for (int n = 0; n < N; n++) {
			const float *st = stats + ((size_t)n * l->C + c) * NN_NORM_STATS;
			db += st[2];
			dw += st[3];
		}
		l->db[c] += (float)db;
		l->dw[c] += (float)dw;
	}
}

/* ---- batch norm ---- */

void nn_batchnorm_init(nn_batchnorm *l, nn_params *p, nn_params *buffers, const char *name, int C)
{
	BJ_ASSERT(C >= 1);
	memset(l, 0, sizeof(*l));
	l->C = C;
	l->eps = 1e-5f;
	l->momentum = 0.1f;
	add_view(p, name, "weight", C, &l->w, &l->dw, 1);
	add_view(p, name, "bias", C, &l->b, &l->db, 1);
	add_view(buffers, name, "running_mean", C, &l->running_mean, NULL, 1);
	add_view(buffers, name, "running_var", C, &l->running_var, NULL, 1);
}

void nn_batchnorm_init_weights(nn_batchnorm *l)
{
	fill(l->w, l->C, 1.0f);
	fill(l->b, l->C, 0.0f);
	fill(l->running_mean, l->C, 0.0f);
	fill(l->running_var, l->C, 1.0f);
}

struct bn_job {
	nn_batchnorm *l;
	const float *x, *dy;
	float *y, *dx, *stats;
	int N, HW, training, tasks;
};

static void bn_forward_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct bn_job *j = arg;
	nn_batchnorm *l = j->l;
	struct group g = { j->N, (size_t)l->C * j->HW, j->HW };
	int lo, hi;
	nn_parallel_split(l->C, j->tasks, task, &lo, &hi);
	for (int c = lo; c < hi; c++) {
		const float *xc = j->x + (size_t)c * j->HW;
		float *st = j->stats + (size_t)c * NN_NORM_STATS;
		if (j->training) {
			double mean, var;
			group_moments(&g, xc, &mean, &var);
			st[0] = (float)mean;
			st[1] = (float)(1.0 / sqrt(var + l->eps));
			/* PyTorch moves the running variance towards the unbiased one. */
			double M = (double)group_size(&g);
			double m = l->momentum;
			l->running_mean[c] = (float)((1.0 - m) * l->running_mean[c] + m * mean);
			l->running_var[c] = (float)((1.0 - m) * l->running_var[c] + m * var * M / (M - 1.0));
		} else {
			st[0] = l->running_mean[c];
			st[1] = (float)(1.0 / sqrt((double)l->running_var[c] + l->eps));
		}
		group_apply(&g, xc, j->y + (size_t)c * j->HW, st[0], st[1], l->w[c], l->b[c]);
	}
}

void nn_batchnorm_forward(nn_batchnorm *l, const float *x, int N, int HW, int training, float *y,
                          float *stats)
{
	BJ_ASSERT(N >= 1 && HW >= 1 && (!training || (size_t)N * HW >= 2));
	struct bn_job j = { l, x, NULL, y, NULL, stats, N, HW, training, n_tasks(l->C) };
	nn_parallel_run(j.tasks, bn_forward_task, &j);
}

static void bn_backward_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct bn_job *j = arg;
	nn_batchnorm *l = j->l;
	struct group g = { j->N, (size_t)l->C * j->HW, j->HW };
	double M = (double)group_size(&g);
	int lo, hi;
	nn_parallel_split(l->C, j->tasks, task, &lo, &hi);
	for (int c = lo; c < hi; c++) {
		size_t at = (size_t)c * j->HW;
		const float *st = j->stats + (size_t)c * NN_NORM_STATS;
		double sum_dy, sum_dy_xhat;
		group_sums(&g, j->x + at, j->dy + at, st[0], st[1], &sum_dy, &sum_dy_xhat);
		l->db[c] += (float)sum_dy;
		l->dw[c] += (float)sum_dy_xhat;
		if (!j->dx)
			continue;
		/* In eval mode the mean and std are constants, so the two terms
		 * through them vanish. */
		float mean_dy = j->training ? (float)(sum_dy / M) : 0.0f;
		float mean_dy_xhat = j->training ? (float)(sum_dy_xhat / M) : 0.0f;
		group_dx(&g, j->x + at, j->dy + at, j->dx + at, st[0], st[1], l->w[c], mean_dy,
		         mean_dy_xhat);
	}
}

void nn_batchnorm_backward(nn_batchnorm *l, const float *x, const float *dy, int N, int HW,
                           int training, float *stats, float *dx)
{
	BJ_ASSERT(N >= 1 && HW >= 1 && dx != dy && l->dw && l->db);
	struct bn_job j = { l, x, dy, NULL, dx, stats, N, HW, training, n_tasks(l->C) };
	nn_parallel_run(j.tasks, bn_backward_task, &j);
}
