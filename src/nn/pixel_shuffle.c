#include "nn/pixel_shuffle.h"

#include <stddef.h>

#include "base/error.h"
#include "nn/parallel.h"

struct shuffle {
	const float *src;
	float *dst;
	int B, C, H, W, r, parts;
	int backward;
};

/* Output channel c of image b: r*r input planes interleaved into one.  Both
 * start at the same offset, since each holds r*r*H*W floats per c. */
static void shuffle_plane(const struct shuffle *s, int b, int c)
{
	int r = s->r, H = s->H, W = s->W;
	size_t hw = (size_t)H * W, ow = (size_t)W * r;
	size_t offset = ((size_t)b * s->C + c) * hw * r * r;
	const float *src = s->src + offset;
	float *dst = s->dst + offset;
	for (int i = 0; i < r; i++)
		for (int j = 0; j < r; j++)
			for (int h = 0; h < H; h++) {
				size_t xo = (size_t)(i * r + j) * hw + (size_t)h * W;
				size_t yo = (size_t)(h * r + i) * ow + j;
				if (s->backward)
					for (int w = 0; w < W; w++)
						dst[xo + w] += src[yo + (size_t)w * r];
				else
					for (int w = 0; w < W; w++)
						dst[yo + (size_t)w * r] = src[xo + w];
			}
}

static void shuffle_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct shuffle *s = arg;
	int lo, hi;
	nn_parallel_split(s->B * s->C, s->parts, task, &lo, &hi);
	for (int k = lo; k < hi; k++)
		shuffle_plane(s, k / s->C, k % s->C);
}

static void run(struct shuffle *s)
{
	BJ_ASSERT(s->B >= 1 && s->C >= 1 && s->H >= 1 && s->W >= 1 && s->r >= 1);
	BJ_ASSERT(s->src && s->dst);
	int threads = nn_parallel_in_task() ? 1 : nn_get_threads();
	s->parts = threads < s->B * s->C ? threads : s->B * s->C;
	nn_parallel_run(s->parts, shuffle_task, s);
}

void nn_pixel_shuffle_forward(const float *x, int B, int C, int H, int W, int r, float *y)
{
	struct shuffle s = { .src = x, .dst = y, .B = B, .C = C, .H = H, .W = W, .r = r };
	run(&s);
}

void nn_pixel_shuffle_backward(const float *dy, int B, int C, int H, int W, int r, float *dx)
{
	struct shuffle s = { .src = dy, .dst = dx, .B = B, .C = C, .H = H, .W = W, .r = r,
	                     .backward = 1 };
	run(&s);
}
