#include "nn/conv2d_direct.h"

#include <stddef.h>
#include <string.h>

#include "base/error.h"
#include "nn/im2col.h"
#include "nn/parallel.h"

/*
 * The row kernels: 16 floats at a time through GCC's generic vectors, cloned
 * for AVX-512, AVX2 and the baseline.  -std=c11 turns off the contraction of
 * a * b + c into fused multiply-adds, and the horizontal sum has a fixed
 * order, so every clone gives the same bytes.
 */
typedef float vf __attribute__((vector_size(64)));
#define VLEN 16
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

/* y[i * ys] += a * x[i * xs] for i < n. */
CLONES static void axpy(float *restrict y, int ys, const float *restrict x, int xs, float a,
                        int n)
{
	int i = 0;
	if (ys == 1 && xs == 1)
		for (; i + VLEN <= n; i += VLEN) {
			vf vy, vx;
			memcpy(&vy, y + i, sizeof(vf));
			memcpy(&vx, x + i, sizeof(vf));
			vy += a * vx;
			memcpy(y + i, &vy, sizeof(vf));
		}
	for (; i < n; i++)
		y[(ptrdiff_t)i * ys] += a * x[(ptrdiff_t)i * xs];
}

/* The sum of y[i] * x[i * xs] for i < n: 16 running sums, added up in a fixed
 * order, then the tail. */
CLONES static float dot(const float *restrict y, const float *restrict x, int xs, int n)
{
	int i = 0;
	float s = 0.0f;
	if (xs == 1) {
		vf acc = { 0 };
		for (; i + VLEN <= n; i += VLEN) {
			vf vy, vx;
			memcpy(&vy, y + i, sizeof(vf));
			memcpy(&vx, x + i, sizeof(vf));
			acc += vy * vx;
		}
		for (int k = 0; k < VLEN; k++)
			s += acc[k];
	}
	for (; i < n; i++)
		s += y[i] * x[(ptrdiff_t)i * xs];
	return s;
}

struct job {
	const nn_conv2d *l;
	nn_conv_geom g;
	const float *x, *dy;
	float *y, *dx;
	int B, units, parts;
	void (*fn)(const struct job *j, int unit);
};

static void job_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct job *j = arg;
	int lo, hi;
	nn_parallel_split(j->units, j->parts, task, &lo, &hi);
	for (int u = lo; u < hi; u++)
		j->fn(j, u);
}

static void run(struct job *j, int units)
{
	int threads = nn_parallel_in_task() ? 1 : nn_get_threads();
	j->units = units;
	j->parts = threads < units ? threads : units;
	nn_parallel_run(j->parts, job_task, j);
}

/* Weight (o, c, kh, kw). */
static float weight(const nn_conv2d *l, int o, int c, int kh, int kw)
{
	return l->w[(((size_t)o * l->in + c) * l->kh + kh) * l->kw + kw];
}

/* Output row oh of image b, every channel: the bias, then each input row
 * times each tap, added along the row. */
static void forward_row(const struct job *j, int unit)
{
	const nn_conv2d *l = j->l;
	const nn_conv_geom *g = &j->g;
	int b = unit / g->OH, oh = unit % g->OH, s = g->stride;
	size_t ohw = (size_t)g->OH * g->OW, hw = (size_t)g->H * g->W;
	float *y = j->y + (size_t)b * l->out * ohw + (size_t)oh * g->OW;   /* channel 0 */
	for (int o = 0; o < l->out; o++)
		for (int ow = 0; ow < g->OW; ow++)
			y[o * ohw + ow] = l->b ? l->b[o] : 0.0f;
	for (int c = 0; c < l->in; c++)
		for (int kh = 0; kh < l->kh; kh++) {
			int ih = oh * s - g->pad + kh;
			if (ih < 0 || ih >= g->H)
				continue;
			const float *x = j->x + ((size_t)b * l->in + c) * hw + (size_t)ih * g->W;
			for (int kw = 0; kw < l->kw; kw++) {
				int lo, hi;
				nn_conv_tap_range(kw, g->W, s, g->pad, g->OW, &lo, &hi);
				for (int o = 0; o < l->out && lo < hi; o++)
					axpy(y + o * ohw + lo, 1, x + lo * s - g->pad + kw, s,
					     weight(l, o, c, kh, kw), hi - lo);
			}
		}
}

/* dx for input channel c of image b: every output row's gradient spread back
 * through each tap. */
static void backward_dx_plane(const struct job *j, int unit)
{
	const nn_conv2d *l = j->l;
	const nn_conv_geom *g = &j->g;
	int b = unit / l->in, c = unit % l->in, s = g->stride;
	size_t ohw = (size_t)g->OH * g->OW;
	float *dx = j->dx + ((size_t)b * l->in + c) * g->H * g->W;
	for (int o = 0; o < l->out; o++) {
		const float *dy = j->dy + ((size_t)b * l->out + o) * ohw;
		for (int kh = 0; kh < l->kh; kh++)
			for (int kw = 0; kw < l->kw; kw++) {
				float w = weight(l, o, c, kh, kw);
				int lo, hi;
				nn_conv_tap_range(kw, g->W, s, g->pad, g->OW, &lo, &hi);
				for (int oh = 0; oh < g->OH && lo < hi; oh++) {
					int ih = oh * s - g->pad + kh;
					if (ih >= 0 && ih < g->H)
						axpy(dx + (size_t)ih * g->W + lo * s - g->pad + kw, s,
						     dy + (size_t)oh * g->OW + lo, 1, w, hi - lo);
				}
			}
	}
}

/* dw for input channel c: each tap's products of dy with the input rows it
 * read, over the batch, summed in double. */
static void backward_dw_channel(const struct job *j, int c)
{
	const nn_conv2d *l = j->l;
	const nn_conv_geom *g = &j->g;
	int s = g->stride;
	size_t ohw = (size_t)g->OH * g->OW, hw = (size_t)g->H * g->W;
	for (int o = 0; o < l->out; o++)
		for (int kh = 0; kh < l->kh; kh++)
			for (int kw = 0; kw < l->kw; kw++) {
				int lo, hi;
				nn_conv_tap_range(kw, g->W, s, g->pad, g->OW, &lo, &hi);
				double sum = 0.0;
				for (int b = 0; b < j->B && lo < hi; b++) {
					const float *dy = j->dy + ((size_t)b * l->out + o) * ohw;
					const float *x = j->x + ((size_t)b * l->in + c) * hw;
					for (int oh = 0; oh < g->OH; oh++) {
						int ih = oh * s - g->pad + kh;
						if (ih >= 0 && ih < g->H)
							sum += dot(dy + (size_t)oh * g->OW + lo,
							           x + (size_t)ih * g->W + lo * s - g->pad + kw, s, hi - lo);
					}
				}
				l->dw[(((size_t)o * l->in + c) * l->kh + kh) * l->kw + kw] += (float)sum;
			}
}

void nn_conv2d_direct_forward(const nn_conv2d *l, const float *x, int B, int H, int W, float *y)
{
	BJ_ASSERT(B >= 1 && x && y);
	struct job j = { .l = l, .g = nn_conv2d_geom(l, H, W), .x = x, .y = y, .B = B,
	                 .fn = forward_row };
	run(&j, B * j.g.OH);
}

void nn_conv2d_direct_backward(nn_conv2d *l, const float *x, const float *dy, int B, int H,
                               int W, float *dx)
{
	BJ_ASSERT(B >= 1 && x && dy && l->dw);
	struct job j = { .l = l, .g = nn_conv2d_geom(l, H, W), .x = x, .dy = dy, .dx = dx,
	                 .B = B, .fn = backward_dw_channel };
	run(&j, l->in);
	if (l->db)
		nn_bias_grad_nchw(dy, B, l->out, j.g.OH * j.g.OW, l->db);
	if (dx) {
		j.fn = backward_dx_plane;
		run(&j, B * l->in);
	}
}
