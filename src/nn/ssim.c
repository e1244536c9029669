#include "nn/ssim.h"

#include <math.h>
#include <string.h>

#include "base/error.h"
#include "nn/internal.h"
#include "nn/parallel.h"

#define R (NN_SSIM_WINDOW / 2)
#define C1 (0.01 * 0.01)
#define C2 (0.03 * 0.03)

/* The cache of one plane: its five filtered moments, H*W floats each.
 * Backward overwrites the first three with dloss/d(mu_x, E_xx, E_xy). */
enum { MU_X, MU_Y, E_XX, E_YY, E_XY, MAPS };

/* Tasks of the parallel loops, fixed so the sum's order does not depend on
 * the thread count. */
#define MAX_TASKS 64

size_t nn_ssim_cache_size(int P, int H, int W)
{
	return (size_t)MAPS * P * H * W;
}

/* The 1-D window: exp(-(k - R)^2 / (2 sigma^2)), normalised to sum 1. */
static void gaussian(float g[NN_SSIM_WINDOW])
{
	double w[NN_SSIM_WINDOW], sum = 0.0;
	for (int k = 0; k < NN_SSIM_WINDOW; k++) {
		double d = k - R;
		w[k] = exp(-d * d / (2.0 * 1.5 * 1.5));
		sum += w[k];
	}
	for (int k = 0; k < NN_SSIM_WINDOW; k++)
		g[k] = (float)(w[k] / sum);
}

/* The taps k of a window centred at i that fall inside [0, n): [*k0, *k1). */
static void taps(int i, int n, int *k0, int *k1)
{
	*k0 = i < R ? R - i : 0;
	*k1 = i + R >= n ? n - i + R : NN_SSIM_WINDOW;
}

/* A row of the vertical pass with R zeros either side, so the horizontal
 * pass needs no bounds: the zero padding of the image. */
#define ROW (NN_SSIM_MAX_WIDTH + 2 * R)

/* out[c] = sum_k g[k] row[c + k] for c < W, row padded as ROW says: the
 * horizontal pass, vectorised over c (each output's taps in order). */
static inline void hpass(const float *restrict row, int W, const float *restrict g,
                         float *restrict out)
{
	for (int c = 0; c < W; c++) {
		float s = 0.0f;
		for (int k = 0; k < NN_SSIM_WINDOW; k++)
			s += g[k] * row[c + k];
		out[c] = s;
	}
}

struct job {
	const float *x, *y;
	float *cache, *dx;
	int P, H, W, tasks;
	double grad;                 /* dloss/dSSIM at each pixel */
	float g[NN_SSIM_WINDOW];
	double partial[MAX_TASKS];   /* sums of the SSIM map per task */
};

/* The five moments of one plane into its cache; returns the sum of its SSIM
 * map. */
NN_CLONES static double forward_plane(const struct job *j, const float *x, const float *y,
                                      float *cache)
{
	int H = j->H, W = j->W;
	size_t HW = (size_t)H * W;
	float t[MAPS][ROW];
	double sum = 0.0;
	for (int m = 0; m < MAPS; m++)
		memset(t[m], 0, (size_t)(W + 2 * R) * sizeof(float));
	for (int r = 0; r < H; r++) {
		for (int m = 0; m < MAPS; m++)
			memset(t[m] + R, 0, (size_t)W * sizeof(float));
		int k0, k1;
		taps(r, H, &k0, &k1);
		for (int k = k0; k < k1; k++) {
			const float *xr = x + (size_t)(r + k - R) * W, *yr = y + (size_t)(r + k - R) * W;
			float gk = j->g[k];
			for (int c = 0; c < W; c++) {
				float a = xr[c], b = yr[c];
				t[MU_X][R + c] += gk * a;
				t[MU_Y][R + c] += gk * b;
				t[E_XX][R + c] += gk * a * a;
				t[E_YY][R + c] += gk * b * b;
				t[E_XY][R + c] += gk * a * b;
			}
		}
		for (int m = 0; m < MAPS; m++)
			hpass(t[m], W, j->g, cache + m * HW + (size_t)r * W);
	}
	for (size_t i = 0; i < HW; i++) {
		double mx = cache[MU_X * HW + i], my = cache[MU_Y * HW + i];
		double sxx = cache[E_XX * HW + i] - mx * mx, syy = cache[E_YY * HW + i] - my * my;
		double sxy = cache[E_XY * HW + i] - mx * my;
		sum += (2.0 * mx * my + C1) * (2.0 * sxy + C2) /
		       ((mx * mx + my * my + C1) * (sxx + syy + C2));
	}
	return sum;
}

/*
 * With A1 = 2 mu_x mu_y + C1, A2 = 2 (E_xy - mu_x mu_y) + C2, B1 = mu_x^2 +
 * mu_y^2 + C1, B2 = E_xx - mu_x^2 + E_yy - mu_y^2 + C2 and S = A1 A2 / (B1 B2),
 * the partial derivatives at each pixel are
 *     dS/dmu_x = 2 mu_y (A2 - A1) / (B1 B2) + 2 mu_x S (1/B2 - 1/B1)
 *     dS/dE_xx = -S / B2,   dS/dE_xy = 2 A1 / (B1 B2)
 * (B1, B2 >= C1, C2 > 0, so nothing is divided by 0).  Since mu_x = G*x, E_xx
 * = G*(x x), E_xy = G*(x y) and the symmetric window is its own adjoint,
 *     dx = G*(dmu_x) + 2 x G*(dE_xx) + y G*(dE_xy).
 */
NN_CLONES static void backward_plane(const struct job *j, const float *x, const float *y,
                                     float *cache, float *dx)
{
	int H = j->H, W = j->W;
	size_t HW = (size_t)H * W;
	for (size_t i = 0; i < HW; i++) {
		double mx = cache[MU_X * HW + i], my = cache[MU_Y * HW + i];
		double a1 = 2.0 * mx * my + C1, a2 = 2.0 * (cache[E_XY * HW + i] - mx * my) + C2;
		double b1 = mx * mx + my * my + C1;
		double b2 = cache[E_XX * HW + i] - mx * mx + cache[E_YY * HW + i] - my * my + C2;
		double d = b1 * b2, s = a1 * a2 / d;
		cache[0 * HW + i] = (float)(j->grad * (2.0 * my * (a2 - a1) / d + 2.0 * mx * s * (1.0 / b2 - 1.0 / b1)));
		cache[1 * HW + i] = (float)(j->grad * (-s / b2));
		cache[2 * HW + i] = (float)(j->grad * (2.0 * a1 / d));
	}
	float t[3][ROW], o[3][NN_SSIM_MAX_WIDTH];
	for (int m = 0; m < 3; m++)
		memset(t[m], 0, (size_t)(W + 2 * R) * sizeof(float));
	for (int r = 0; r < H; r++) {
		for (int m = 0; m < 3; m++)
			memset(t[m] + R, 0, (size_t)W * sizeof(float));
		int k0, k1;
		taps(r, H, &k0, &k1);
		for (int k = k0; k < k1; k++) {
			size_t row = (size_t)(r + k - R) * W;
			float gk = j->g[k];
			for (int m = 0; m < 3; m++) {
				const float *src = cache + m * HW + row;
				for (int c = 0; c < W; c++)
					t[m][R + c] += gk * src[c];
			}
		}
		for (int m = 0; m < 3; m++)
			hpass(t[m], W, j->g, o[m]);
		const float *xr = x + (size_t)r * W, *yr = y + (size_t)r * W;
		float *dr = dx + (size_t)r * W;
		for (int c = 0; c < W; c++)
			dr[c] += o[0][c] + 2.0f * xr[c] * o[1][c] + yr[c] * o[2][c];
	}
}

static void forward_task(void *arg, int task, int thread)
{
	(void)thread;
	struct job *j = arg;
	size_t HW = (size_t)j->H * j->W;
	int lo, hi;
	nn_parallel_split(j->P, j->tasks, task, &lo, &hi);
	double sum = 0.0;
	for (int p = lo; p < hi; p++)
		sum += forward_plane(j, j->x + p * HW, j->y + p * HW, j->cache + (size_t)p * MAPS * HW);
	j->partial[task] = sum;
}

static void backward_task(void *arg, int task, int thread)
{
	(void)thread;
	struct job *j = arg;
	size_t HW = (size_t)j->H * j->W;
	int lo, hi;
	nn_parallel_split(j->P, j->tasks, task, &lo, &hi);
	for (int p = lo; p < hi; p++)
		backward_plane(j, j->x + p * HW, j->y + p * HW, j->cache + (size_t)p * MAPS * HW,
		               j->dx + p * HW);
}

static void job_init(struct job *j, const float *x, const float *y, int P, int H, int W,
                     float *cache)
{
	BJ_ASSERT(P >= 1 && H >= 1 && W >= 1 && W <= NN_SSIM_MAX_WIDTH);
	memset(j, 0, sizeof(*j));
	j->x = x, j->y = y, j->cache = cache;
	j->P = P, j->H = H, j->W = W;
	j->tasks = P < MAX_TASKS ? P : MAX_TASKS;
	gaussian(j->g);
}

double nn_ssim_loss_forward(const float *x, const float *y, int P, int H, int W, float *cache)
{
	struct job j;
	job_init(&j, x, y, P, H, W, cache);
	nn_parallel_run(j.tasks, forward_task, &j);
	double sum = 0.0;
	for (int t = 0; t < j.tasks; t++)
		sum += j.partial[t];
	return 1.0 - sum / ((double)P * H * W);
}

void nn_ssim_loss_backward(const float *x, const float *y, int P, int H, int W, float scale,
                           float *cache, float *dx)
{
	struct job j;
	job_init(&j, x, y, P, H, W, cache);
	j.dx = dx;
	j.grad = -scale / ((double)P * H * W);
	nn_parallel_run(j.tasks, backward_task, &j);
}
