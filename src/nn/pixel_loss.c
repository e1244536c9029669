#include "nn/pixel_loss.h"

#include <math.h>

#include "base/error.h"

/* sign(u), 0 at 0 (and for NaN). */
static float sign(float u)
{
	return (float)((u > 0.0f) - (u < 0.0f));
}

double nn_l1_forward(const float *pred, const float *target, size_t n)
{
	BJ_ASSERT(n > 0);
	double s = 0.0;
	for (size_t i = 0; i < n; i++)
		s += fabsf(pred[i] - target[i]);
	return s / (double)n;
}

void nn_l1_backward(const float *pred, const float *target, size_t n, float scale, float *dpred)
{
	BJ_ASSERT(n > 0);
	float k = (float)(scale / (double)n);
	for (size_t i = 0; i < n; i++)
		dpred[i] += k * sign(pred[i] - target[i]);
}

double nn_weighted_l1_forward(const float *pred, const float *target, const float *weight, int N,
                              int C, int HW)
{
	BJ_ASSERT(N >= 1 && C >= 1 && HW >= 1);
	double s = 0.0;
	for (int n = 0; n < N; n++) {
		const float *w = weight + (size_t)n * HW;
		for (int c = 0; c < C; c++) {
			size_t at = ((size_t)n * C + c) * HW;
			const float *p = pred + at, *t = target + at;
			for (int i = 0; i < HW; i++)
				s += w[i] * fabsf(p[i] - t[i]);
		}
	}
	return s / ((double)N * C * HW);
}

void nn_weighted_l1_backward(const float *pred, const float *target, const float *weight, int N,
                             int C, int HW, float scale, float *dpred)
{
	BJ_ASSERT(N >= 1 && C >= 1 && HW >= 1);
	float k = (float)(scale / ((double)N * C * HW));
	for (int n = 0; n < N; n++) {
		const float *w = weight + (size_t)n * HW;
		for (int c = 0; c < C; c++) {
			size_t at = ((size_t)n * C + c) * HW;
			const float *p = pred + at, *t = target + at;
			float *d = dpred + at;
			for (int i = 0; i < HW; i++)
				d[i] += k * w[i] * sign(p[i] - t[i]);
		}
	}
}

double nn_mse_forward(const float *pred, const float *target, size_t n)
{
	BJ_ASSERT(n > 0);
	double s = 0.0;
	for (size_t i = 0; i < n; i++) {
		double d = (double)pred[i] - target[i];
		s += d * d;
	}
	return s / (double)n;
}

void nn_mse_backward(const float *pred, const float *target, size_t n, float scale, float *dpred)
{
	BJ_ASSERT(n > 0);
	float k = (float)(2.0 * scale / (double)n);
	for (size_t i = 0; i < n; i++)
		dpred[i] += k * (pred[i] - target[i]);
}

double nn_mean_forward(const float *x, size_t n)
{
	BJ_ASSERT(n > 0);
	double s = 0.0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

void nn_mean_backward(size_t n, float scale, float *dx)
{
	BJ_ASSERT(n > 0);
	float k = (float)(scale / (double)n);
	for (size_t i = 0; i < n; i++)
		dx[i] += k;
}

double nn_tv_forward(const float *x, int P, int H, int W)
{
	BJ_ASSERT(P >= 1 && H >= 1 && W >= 1);
	double v = 0.0, h = 0.0;
	for (int p = 0; p < P; p++) {
		const float *xp = x + (size_t)p * H * W;
		for (int r = 0; r < H; r++)
			for (int c = 0; c < W; c++) {
				float u = xp[r * W + c];
				if (r + 1 < H)
					v += fabsf(xp[(r + 1) * W + c] - u);
				if (c + 1 < W)
					h += fabsf(xp[r * W + c + 1] - u);
			}
	}
	double nv = (double)P * (H - 1) * W, nh = (double)P * H * (W - 1);
	return (nv > 0 ? v / nv : 0.0) + (nh > 0 ? h / nh : 0.0);
}

void nn_tv_backward(const float *x, int P, int H, int W, float scale, float *dx)
{
	BJ_ASSERT(P >= 1 && H >= 1 && W >= 1);
	double nv = (double)P * (H - 1) * W, nh = (double)P * H * (W - 1);
	float kv = nv > 0 ? (float)(scale / nv) : 0.0f;
	float kh = nh > 0 ? (float)(scale / nh) : 0.0f;
	for (int p = 0; p < P; p++) {
		const float *xp = x + (size_t)p * H * W;
		float *dp = dx + (size_t)p * H * W;
		for (int r = 0; r < H; r++)
			for (int c = 0; c < W; c++) {
				int i = r * W + c;
				/* d|x[j] - x[i]| = sign(x[j] - x[i]) (dx[j] - dx[i]). */
				if (r + 1 < H) {
					float s = kv * sign(xp[i + W] - xp[i]);
					dp[i + W] += s;
					dp[i] -= s;
				}
				if (c + 1 < W) {
					float s = kh * sign(xp[i + 1] - xp[i]);
					dp[i + 1] += s;
					dp[i] -= s;
				}
			}
	}
}
