#include "nn/conv2d_direct.h"

#include <stddef.h>
#include <stdint.h>
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

/* Scratch of one task, in floats, 16-aligned: the accumulators of dw
 * (out*kh*kw doubles), one padded input plane (Hp, Wp), and every output
 * channel's rows widened to Wp (out, OH, Wp). */
static size_t slot_floats(const nn_conv2d *l, const nn_conv_geom *g)
{
	size_t Hp = (size_t)g->H + 2 * g->pad, Wp = (size_t)g->W + 2 * g->pad;
	size_t n = 2 * (size_t)l->out * l->kh * l->kw + Hp * Wp + (size_t)l->out * g->OH * Wp;
	return (n + 15) / 16 * 16;
}

size_t nn_conv2d_direct_work_floats(const nn_conv2d *l, int H, int W)
{
	nn_conv_geom g = nn_conv2d_geom(l, H, W);
	return NN_CONV2D_DIRECT_TASKS * slot_floats(l, &g);
}

struct job {
	const nn_conv2d *l;
	nn_conv_geom g;
	int Hp, Wp;
	const float *x, *dy;
	float *y, *dx, *work;
	size_t slot;
	int B, units, parts;
	void (*fn)(const struct job *j, int unit, float *scratch);
};

static void job_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct job *j = arg;
	int lo, hi;
	nn_parallel_split(j->units, j->parts, task, &lo, &hi);
	for (int u = lo; u < hi; u++)
		j->fn(j, u, j->work + (size_t)task * j->slot);
}

/* Runs fn over units in at most NN_CONV2D_DIRECT_TASKS tasks, one scratch
 * slot each; a unit's result does not depend on its task. */
static void run(struct job *j, int units)
{
	int threads = nn_parallel_in_task() ? 1 : nn_get_threads();
	if (threads > NN_CONV2D_DIRECT_TASKS)
		threads = NN_CONV2D_DIRECT_TASKS;
	j->units = units;
	j->parts = threads < units ? threads : units;
	nn_parallel_run(j->parts, job_task, j);
}

static struct job job_make(const nn_conv2d *l, int B, int H, int W, float *work)
{
	BJ_ASSERT(l->stride == 1 && B >= 1 && work && ((uintptr_t)work & 7) == 0);
	struct job j = { .l = l, .g = nn_conv2d_geom(l, H, W), .B = B, .work = work };
	j.Hp = H + 2 * l->pad, j.Wp = W + 2 * l->pad;
	j.slot = slot_floats(l, &j.g);
	return j;
}

/* Weight (o, c, kh, kw). */
static float weight(const nn_conv2d *l, int o, int c, int kh, int kw)
{
	return l->w[(((size_t)o * l->in + c) * l->kh + kh) * l->kw + kw];
}

/* xp (Hp, Wp) = plane x (H, W) with pad zeros around it. */
static void pad_plane(const struct job *j, const float *x, float *xp)
{
	int p = j->g.pad, W = j->g.W;
	memset(xp, 0, (size_t)j->Hp * j->Wp * sizeof(float));
	for (int h = 0; h < j->g.H; h++)
		memcpy(xp + (size_t)(h + p) * j->Wp + p, x + (size_t)h * W, (size_t)W * sizeof(float));
}

/* wide (out, OH, Wp) = dy of image b, each row followed by zeros. */
static void widen_dy(const struct job *j, int b, float *wide)
{
	const nn_conv_geom *g = &j->g;
	size_t ohw = (size_t)g->OH * g->OW;
	memset(wide, 0, (size_t)j->l->out * g->OH * j->Wp * sizeof(float));
	for (int o = 0; o < j->l->out; o++)
		for (int oh = 0; oh < g->OH; oh++)
			memcpy(wide + ((size_t)o * g->OH + oh) * j->Wp,
			       j->dy + ((size_t)b * j->l->out + o) * ohw + (size_t)oh * g->OW,
			       (size_t)g->OW * sizeof(float));
}

/*
 * With stride 1, output (oh, ow) reads padded input (oh + kh, ow + kw).  Rows
 * of the output widened to the padded width Wp line up with the padded input,
 * so each tap is one axpy over the whole plane, (OH - 1) * Wp + OW floats
 * long: the Wp - OW columns past each row collect junk that is never read
 * (forward), or hold zeros (backward).
 */
static size_t plane_run(const struct job *j)
{
	return (size_t)(j->g.OH - 1) * j->Wp + j->g.OW;
}

/* Output channel o of image b. */
static void forward_plane(const struct job *j, int unit, float *scratch)
{
	const nn_conv2d *l = j->l;
	const nn_conv_geom *g = &j->g;
	int b = unit / l->out, o = unit % l->out, Wp = j->Wp;
	int n = (int)plane_run(j);
	float *xp = scratch + 2 * (size_t)l->out * l->kh * l->kw, *wide = xp + (size_t)j->Hp * Wp;
	float bias = l->b ? l->b[o] : 0.0f;
	for (size_t i = 0; i < (size_t)g->OH * Wp; i++)
		wide[i] = bias;
	for (int c = 0; c < l->in; c++) {
		pad_plane(j, j->x + ((size_t)b * l->in + c) * g->H * g->W, xp);
		for (int kh = 0; kh < l->kh; kh++)
			for (int kw = 0; kw < l->kw; kw++)
				axpy(wide, 1, xp + (size_t)kh * Wp + kw, 1, weight(l, o, c, kh, kw), n);
	}
	float *y = j->y + ((size_t)b * l->out + o) * g->OH * g->OW;
	for (int oh = 0; oh < g->OH; oh++)
		memcpy(y + (size_t)oh * g->OW, wide + (size_t)oh * Wp, (size_t)g->OW * sizeof(float));
}

/* dx for input channel c of image b: each tap's weight times dy, shifted
 * back, in a padded plane whose inside is added to dx. */
static void backward_dx_plane(const struct job *j, int unit, float *scratch)
{
	const nn_conv2d *l = j->l;
	const nn_conv_geom *g = &j->g;
	int b = unit / l->in, c = unit % l->in, Wp = j->Wp, p = g->pad;
	int n = (int)plane_run(j);
	float *dxp = scratch + 2 * (size_t)l->out * l->kh * l->kw, *wide = dxp + (size_t)j->Hp * Wp;
	widen_dy(j, b, wide);
	memset(dxp, 0, (size_t)j->Hp * Wp * sizeof(float));
	for (int o = 0; o < l->out; o++)
		for (int kh = 0; kh < l->kh; kh++)
			for (int kw = 0; kw < l->kw; kw++)
				axpy(dxp + (size_t)kh * Wp + kw, 1, wide + (size_t)o * g->OH * Wp, 1,
				     weight(l, o, c, kh, kw), n);
	float *dx = j->dx + ((size_t)b * l->in + c) * g->H * g->W;
	for (int h = 0; h < g->H; h++)
		axpy(dx + (size_t)h * g->W, 1, dxp + (size_t)(h + p) * Wp + p, 1, 1.0f, g->W);
}

/* dw for input channel c: per image, each tap's dot product of dy with the
 * shifted padded input, summed over the batch in double. */
static void backward_dw_channel(const struct job *j, int c, float *scratch)
{
	const nn_conv2d *l = j->l;
	const nn_conv_geom *g = &j->g;
	int Wp = j->Wp, taps = l->kh * l->kw;
	int n = (int)plane_run(j);
	double *acc = (double *)scratch;   /* (out, kh, kw); slots keep work's 8-byte alignment */
	float *xp = scratch + 2 * (size_t)l->out * taps, *wide = xp + (size_t)j->Hp * Wp;
	memset(acc, 0, (size_t)l->out * taps * sizeof(double));
	for (int b = 0; b < j->B; b++) {
		pad_plane(j, j->x + ((size_t)b * l->in + c) * g->H * g->W, xp);
		widen_dy(j, b, wide);
		for (int o = 0; o < l->out; o++)
			for (int kh = 0; kh < l->kh; kh++)
				for (int kw = 0; kw < l->kw; kw++)
					acc[(o * l->kh + kh) * l->kw + kw] +=
						dot(wide + (size_t)o * g->OH * Wp, xp + (size_t)kh * Wp + kw, 1, n);
	}
	for (int o = 0; o < l->out; o++)
		for (int t = 0; t < taps; t++)
			l->dw[((size_t)o * l->in + c) * taps + t] += (float)acc[o * taps + t];
}

void nn_conv2d_direct_forward(const nn_conv2d *l, const float *x, int B, int H, int W, float *y,
                              float *work)
{
	BJ_ASSERT(x && y);
	struct job j = job_make(l, B, H, W, work);
	j.x = x, j.y = y, j.fn = forward_plane;
	run(&j, B * l->out);
}

void nn_conv2d_direct_backward(nn_conv2d *l, const float *x, const float *dy, int B, int H,
                               int W, float *dx, float *work)
{
	BJ_ASSERT(x && dy && l->dw);
	struct job j = job_make(l, B, H, W, work);
	j.x = x, j.dy = dy, j.dx = dx, j.fn = backward_dw_channel;
	run(&j, l->in);
	if (l->db)
		nn_bias_grad_nchw(dy, B, l->out, j.g.OH * j.g.OW, l->db);
	if (dx) {
		j.fn = backward_dx_plane;
		run(&j, B * l->in);
	}
}
