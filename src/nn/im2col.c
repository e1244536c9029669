#include "nn/im2col.h"

#include <string.h>

#include "base/error.h"
#include "nn/parallel.h"

int nn_conv_out_size(int in, int k, int stride, int pad)
{
	BJ_ASSERT(in >= 1 && k >= 1 && stride >= 1 && pad >= 0);
	int span = in + 2 * pad - k;
	return span < 0 ? 0 : span / stride + 1;
}

void nn_conv_geom_init(nn_conv_geom *g, int C, int H, int W, int KH, int KW, int stride, int pad)
{
	BJ_ASSERT(C >= 1);
	*g = (nn_conv_geom){ .C = C, .H = H, .W = W, .KH = KH, .KW = KW, .stride = stride,
	                     .pad = pad };
	g->OH = nn_conv_out_size(H, KH, stride, pad);
	g->OW = nn_conv_out_size(W, KW, stride, pad);
	BJ_ASSERT(g->OH >= 1 && g->OW >= 1);
}

/* One job over channels: fn(job, c0, c1) for each task's range of channels. */
struct channel_job {
	const nn_conv_geom *g;
	const float *src;
	float *dst;
	const float *bias;
	int B, C, HW, accumulate, parts;
	void (*fn)(const struct channel_job *j, int c0, int c1);
};

static void channel_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct channel_job *j = arg;
	int c0, c1;
	nn_parallel_split(j->C, j->parts, task, &c0, &c1);
	if (c0 < c1)
		j->fn(j, c0, c1);
}

static void run_over_channels(struct channel_job *j)
{
	int threads = nn_parallel_in_task() ? 1 : nn_get_threads();
	j->parts = threads < j->C ? threads : j->C;
	nn_parallel_run(j->parts, channel_task, j);
}

void nn_conv_tap_range(int k, int n, int stride, int pad, int out, int *lo, int *hi)
{
	int a = pad - k;                 /* o*stride >= a */
	int l = a <= 0 ? 0 : (a + stride - 1) / stride;
	int b = n - 1 + pad - k;         /* o*stride <= b */
	int h = b < 0 ? 0 : b / stride + 1;
	*lo = l < out ? l : out;
	*hi = h < out ? h : out;
	if (*hi < *lo)
		*hi = *lo;
}

static void im2col_channels(const struct channel_job *j, int c0, int c1)
{
	const nn_conv_geom *g = j->g;
	size_t ohw = (size_t)g->OH * g->OW, P = (size_t)j->B * ohw;
	for (int c = c0; c < c1; c++)
		for (int kh = 0; kh < g->KH; kh++)
			for (int kw = 0; kw < g->KW; kw++) {
				float *row = j->dst + ((size_t)(c * g->KH + kh) * g->KW + kw) * P;
				int lo, hi;
				nn_conv_tap_range(kw, g->W, g->stride, g->pad, g->OW, &lo, &hi);
				for (int b = 0; b < j->B; b++) {
					const float *plane = j->src + ((size_t)b * g->C + c) * g->H * g->W;
					for (int oh = 0; oh < g->OH; oh++) {
						float *d = row + b * ohw + (size_t)oh * g->OW;
						int ih = oh * g->stride - g->pad + kh;
						if (ih < 0 || ih >= g->H) {
							memset(d, 0, (size_t)g->OW * sizeof(float));
							continue;
						}
						/* Input column of output column ow: off + ow * stride. */
						ptrdiff_t off = (ptrdiff_t)ih * g->W - g->pad + kw;
						memset(d, 0, (size_t)lo * sizeof(float));
						if (g->stride == 1)
							memcpy(d + lo, plane + off + lo, (size_t)(hi - lo) * sizeof(float));
						else
							for (int ow = lo; ow < hi; ow++)
								d[ow] = plane[off + (ptrdiff_t)ow * g->stride];
						memset(d + hi, 0, (size_t)(g->OW - hi) * sizeof(float));
					}
				}
			}
}

static void col2im_channels(const struct channel_job *j, int c0, int c1)
{
	const nn_conv_geom *g = j->g;
	size_t ohw = (size_t)g->OH * g->OW, P = (size_t)j->B * ohw;
	for (int c = c0; c < c1; c++)
		for (int kh = 0; kh < g->KH; kh++)
			for (int kw = 0; kw < g->KW; kw++) {
				const float *row = j->src + ((size_t)(c * g->KH + kh) * g->KW + kw) * P;
				int lo, hi;
				nn_conv_tap_range(kw, g->W, g->stride, g->pad, g->OW, &lo, &hi);
				for (int b = 0; b < j->B; b++) {
					float *plane = j->dst + ((size_t)b * g->C + c) * g->H * g->W;
					for (int oh = 0; oh < g->OH; oh++) {
						int ih = oh * g->stride - g->pad + kh;
						if (ih < 0 || ih >= g->H)
							continue;
						const float *s = row + b * ohw + (size_t)oh * g->OW;
						ptrdiff_t off = (ptrdiff_t)ih * g->W - g->pad + kw;
						for (int ow = lo; ow < hi; ow++)
							plane[off + (ptrdiff_t)ow * g->stride] += s[ow];
					}
				}
			}
}

void nn_im2col(const nn_conv_geom *g, const float *x, int B, float *col)
{
	BJ_ASSERT(B >= 1 && x && col);
	struct channel_job j = { .g = g, .src = x, .dst = col, .B = B, .C = g->C,
	                         .fn = im2col_channels };
	run_over_channels(&j);
}

void nn_col2im(const nn_conv_geom *g, const float *col, int B, float *x)
{
	BJ_ASSERT(B >= 1 && x && col);
	struct channel_job j = { .g = g, .src = col, .dst = x, .B = B, .C = g->C,
	                         .fn = col2im_channels };
	run_over_channels(&j);
}

static void to_cnhw(const struct channel_job *j, int c0, int c1)
{
	size_t hw = (size_t)j->HW;
	for (int c = c0; c < c1; c++)
		for (int b = 0; b < j->B; b++)
			memcpy(j->dst + ((size_t)c * j->B + b) * hw, j->src + ((size_t)b * j->C + c) * hw,
			       hw * sizeof(float));
}

static void to_nchw(const struct channel_job *j, int c0, int c1)
{
	size_t hw = (size_t)j->HW;
	for (int c = c0; c < c1; c++) {
		float bias = j->bias ? j->bias[c] : 0.0f;
		for (int b = 0; b < j->B; b++) {
			const float *s = j->src + ((size_t)c * j->B + b) * hw;
			float *d = j->dst + ((size_t)b * j->C + c) * hw;
			if (j->accumulate)
				for (size_t i = 0; i < hw; i++)
					d[i] += s[i] + bias;
			else
				for (size_t i = 0; i < hw; i++)
					d[i] = s[i] + bias;
		}
	}
}

void nn_nchw_to_cnhw(const float *src, int B, int C, int HW, float *dst)
{
	BJ_ASSERT(B >= 1 && C >= 1 && HW >= 1 && src && dst);
	struct channel_job j = { .src = src, .dst = dst, .B = B, .C = C, .HW = HW, .fn = to_cnhw };
	run_over_channels(&j);
}

void nn_cnhw_to_nchw(const float *src, int B, int C, int HW, const float *bias, int accumulate,
                     float *dst)
{
	BJ_ASSERT(B >= 1 && C >= 1 && HW >= 1 && src && dst);
	struct channel_job j = { .src = src, .dst = dst, .bias = bias, .B = B, .C = C, .HW = HW,
	                         .accumulate = accumulate, .fn = to_nchw };
	run_over_channels(&j);
}

static void bias_grad(const struct channel_job *j, int c0, int c1)
{
	size_t hw = (size_t)j->HW;
	for (int c = c0; c < c1; c++) {
		double s = 0.0;
		for (int b = 0; b < j->B; b++) {
			const float *d = j->src + ((size_t)b * j->C + c) * hw;
			for (size_t i = 0; i < hw; i++)
				s += d[i];
		}
		j->dst[c] += (float)s;
	}
}

void nn_bias_grad_nchw(const float *dy, int B, int C, int HW, float *db)
{
	BJ_ASSERT(B >= 1 && C >= 1 && HW >= 1 && dy && db);
	struct channel_job j = { .src = dy, .dst = db, .B = B, .C = C, .HW = HW, .fn = bias_grad };
	run_over_channels(&j);
}
