#include "nn/lstm.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "nn/dropout.h"
#include "nn/gemm.h"
#include "nn/internal.h"
#include "nn/parallel.h"

/*
 * The equations, per layer, step t, as in PyTorch's nn.LSTM documentation
 * (W_i* the rows of w_ih and w_hh for gate *, b = b_ih + b_hh):
 *
 *     i = sigmoid(W_ii x + W_hi h' + b_i)      f = sigmoid(W_if x + W_hf h' + b_f)
 *     g = tanh(W_ig x + W_hg h' + b_g)         o = sigmoid(W_io x + W_ho h' + b_o)
 *     c = f * c' + i * g                       h = o * tanh(c)
 *
 * where h', c' are the previous step's states (h0, c0 at t = 0).  Backward,
 * with dh the total gradient reaching h (from above and from step t+1) and dc'
 * the gradient reaching c from step t+1:
 *
 *     dc = dc' + dh * o * (1 - tanh(c)^2)
 *     da_i = dc * g * i (1 - i)                da_f = dc * c' * f (1 - f)
 *     da_g = dc * i * (1 - g^2)                da_o = dh * tanh(c) * o (1 - o)
 *     to step t-1: dc * f to c', da . W_hh to h'
 *
 * and, summed over all steps at once, dW_ih += da^T x, dW_hh += da^T h',
 * db_ih = db_hh += sum of da, dx = da . W_ih.
 */

static size_t mul3(size_t a, size_t b, size_t c)
{
	size_t n;
	BJ_ASSERT(bj_size_mul3(&n, a, b, c));
	return n;
}

void nn_lstm_init(nn_lstm *l, nn_params *p, const char *name, int in, int hidden, int layers,
                  float dropout)
{
	BJ_ASSERT(in >= 1 && hidden >= 1 && layers >= 1 && layers <= NN_LSTM_MAX_LAYERS);
	BJ_ASSERT(dropout >= 0.0f && dropout < 1.0f);
	BJ_ASSERT(hidden <= (1 << 28));
	memset(l, 0, sizeof(*l));
	l->in = in;
	l->hidden = hidden;
	l->n_layers = layers;
	l->dropout = dropout;
	int64_t G = 4 * (int64_t)hidden;
	for (int k = 0; k < layers; k++) {
		nn_lstm_layer *y = &l->layer[k];
		char view[NN_PARAM_NAME_MAX];
		int n;
		y->in = k == 0 ? in : hidden;
		n = snprintf(view, sizeof(view), "%s.weight_ih_l%d", name, k);
		BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
		y->index = nn_params_add(p, view, 2, (int64_t[]){ G, y->in }, &y->w_ih, &y->dw_ih);
		n = snprintf(view, sizeof(view), "%s.weight_hh_l%d", name, k);
		BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
		nn_params_add(p, view, 2, (int64_t[]){ G, hidden }, &y->w_hh, &y->dw_hh);
		n = snprintf(view, sizeof(view), "%s.bias_ih_l%d", name, k);
		BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
		nn_params_add(p, view, 1, (int64_t[]){ G }, &y->b_ih, &y->db_ih);
		n = snprintf(view, sizeof(view), "%s.bias_hh_l%d", name, k);
		BJ_ASSERT(n > 0 && (size_t)n < sizeof(view));
		nn_params_add(p, view, 1, (int64_t[]){ G }, &y->b_hh, &y->db_hh);
	}
}

void nn_lstm_init_weights(nn_lstm *l, nn_params *p, bj_rng *rng)
{
	float bound = 1.0f / sqrtf((float)l->hidden);
	for (int k = 0; k < l->n_layers; k++)
		for (int v = 0; v < 4; v++)
			nn_params_fill_uniform(p, l->layer[k].index + v, -bound, bound, rng);
}

void nn_lstm_cache_take(nn_lstm_cache *c, const nn_lstm *l, int B, int T, nn_arena *a)
{
	BJ_ASSERT(B >= 1 && T >= 1);
	/* nn_gemm takes int sizes and strides: B*T rows, strides up to T*4H. */
	BJ_ASSERT((size_t)B * T <= INT_MAX && (size_t)T * 4 * l->hidden <= INT_MAX);
	size_t H = (size_t)l->hidden;
	size_t bth = mul3((size_t)B, (size_t)T, H), bh = mul3((size_t)B, H, 1);
	memset(c, 0, sizeof(*c));
	c->B = B;
	c->T = T;
	c->hidden = l->hidden;
	c->n_layers = l->n_layers;
	c->tasks = B < nn_get_threads() ? B : nn_get_threads();
	for (int k = 0; k < l->n_layers; k++) {
		nn_lstm_layer_cache *y = &c->layer[k];
		y->gates = nn_arena_take(a, mul3(bth, 4, 1));
		y->c = nn_arena_take(a, bth);
		y->tc = nn_arena_take(a, bth);
		y->hprev = nn_arena_take(a, bth);
		y->c0 = nn_arena_take(a, bh);
		if (k + 1 < l->n_layers) {
			y->h = nn_arena_take(a, bth);
			if (l->dropout > 0.0f) {
				y->mask = nn_arena_take(a, bth);
				y->hdrop = nn_arena_take(a, bth);
			}
		}
	}
	c->dgates = nn_arena_take(a, mul3(bth, 4, 1));
	if (l->n_layers > 1)
		c->dh = nn_arena_take(a, bth);
	c->dh_next = nn_arena_take(a, bh);
	c->dc_next = nn_arena_take(a, bh);
	c->bias = nn_arena_take(a, 4 * H);
	c->dbias = nn_arena_take(a, mul3((size_t)B, 4, H));
	size_t fwd = nn_gemm_pack_floats((int)H, 4 * (int)H);
	size_t bwd = nn_gemm_pack_floats(4 * (int)H, (int)H);
	c->panels = nn_arena_take(a, fwd > bwd ? fwd : bwd);
	size_t in_max = (size_t)(l->in > l->hidden ? l->in : l->hidden), ih = 0;
	for (int k = 0; k < l->n_layers; k++) {
		size_t f = nn_gemm_pack_floats(l->layer[k].in, 4 * (int)H);
		size_t g = nn_gemm_pack_floats(4 * (int)H, l->layer[k].in);
		ih = f > ih ? f : ih;
		ih = g > ih ? g : ih;
	}
	c->panels_ih = nn_arena_take(a, ih);
	size_t K = 4 * H > in_max ? 4 * H : in_max;
	c->scratch_stride = mul3(8, (K + 15) / 16 * 16, 1);
	c->scratch = nn_arena_take(a, mul3((size_t)c->tasks, c->scratch_stride, 1));
}

/*
 * The element-wise work, on vectors of 16 floats (GCC vector extensions), in
 * clones for AVX-512, AVX2 and plain x86-64 picked at load time.  Every lane
 * does the same IEEE operations in the same order (C11 mode: no contraction
 * into fused multiply-adds), so all clones give the same bytes.  exp, sigmoid
 * and tanh are polynomial approximations after Cephes (expf.c, tanhf.c, S. L.
 * Moshier), within a few units in the last place of libm's: libm's scalar
 * calls cost more than the recurrent GEMM they sit between.
 */
/* The helpers pass vectors by value but are always inlined, so the ABI GCC
 * warns about never applies. */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float vf __attribute__((vector_size(64)));
typedef int32_t vi __attribute__((vector_size(64)));
#define VLEN 16
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define VINLINE static inline __attribute__((always_inline))

VINLINE vf vsplat(float x)
{
	return (vf){ x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x };
}

VINLINE vf vload(const float *p)
{
	vf v;
	memcpy(&v, p, sizeof(v));
	return v;
}

VINLINE void vstore(float *p, vf v)
{
	memcpy(p, &v, sizeof(v));
}

/* m ? a : b, m from a comparison (all bits set or clear per lane). */
VINLINE vf vselect(vi m, vf a, vf b)
{
	return (vf)(((vi)a & m) | ((vi)b & ~m));
}

VINLINE vf vmin(vf a, vf b)
{
	return vselect(a < b, a, b);
}

VINLINE vf vmax(vf a, vf b)
{
	return vselect(a > b, a, b);
}

/* e^x for x in [-87, 87] (clamped): x = n ln 2 + r, |r| <= ln 2 / 2, by
 * Cody and Waite's two-part ln 2, and e^r by Cephes' degree-7 polynomial. */
VINLINE vf vexp(vf x)
{
	x = vmin(vmax(x, vsplat(-87.0f)), vsplat(87.0f));
	/* n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer in the low bits. */
	vf t = x * vsplat(1.44269504088896341f) + vsplat(12582912.0f);
	vf n = t - vsplat(12582912.0f);
	vi ni = (vi)t - 0x4B400000;
	vf r = x - n * vsplat(0.693359375f) - n * vsplat(-2.12194440e-4f);
	vf p = vsplat(1.9875691500e-4f);
	p = p * r + vsplat(1.3981999507e-3f);
	p = p * r + vsplat(8.3334519073e-3f);
	p = p * r + vsplat(4.1665795894e-2f);
	p = p * r + vsplat(1.6666665459e-1f);
	p = p * r + vsplat(5.0000001201e-1f);
	p = p * (r * r) + r + vsplat(1.0f);
	return p * (vf)((ni + 127) << 23);
}

VINLINE vf vsigmoid(vf x)
{
	return vsplat(1.0f) / (vsplat(1.0f) + vexp(-x));
}

/* tanh: Cephes' odd polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) above. */
VINLINE vf vtanh(vf x)
{
	vi sign = (vi)x & (vi)vsplat(-0.0f);
	vf ax = (vf)((vi)x ^ sign);
	vf z = x * x;
	vf p = vsplat(-5.70498872745e-3f);
	p = p * z + vsplat(2.06390887954e-2f);
	p = p * z + vsplat(-5.37397155531e-2f);
	p = p * z + vsplat(1.33314422036e-1f);
	p = p * z + vsplat(-3.33332819422e-1f);
	vf small = p * z * x + x;
	vf big = vsplat(1.0f) - vsplat(2.0f) / (vexp(vmin(ax + ax, vsplat(87.0f))) + vsplat(1.0f));
	big = (vf)((vi)big ^ sign);
	return vselect(ax < vsplat(0.625f), small, big);
}

/* n <= VLEN floats at p, the rest of the vector zero; and back. */
VINLINE vf vload_n(const float *p, int n);
VINLINE void vstore_n(float *p, vf v, int n);

CLONES void nn_lstm_activations(const float *x, size_t n, float *sig, float *th)
{
	for (size_t i = 0; i < n; i += VLEN) {
		int k = n - i < VLEN ? (int)(n - i) : VLEN;
		vf v = vload_n(x + i, k);
		vstore_n(sig + i, vsigmoid(v), k);
		vstore_n(th + i, vtanh(v), k);
	}
}

VINLINE vf vload_n(const float *p, int n)
{
	if (n == VLEN)
		return vload(p);
	float t[VLEN] = { 0 };
	memcpy(t, p, (size_t)n * sizeof(float));
	return vload(t);
}

VINLINE void vstore_n(float *p, vf v, int n)
{
	if (n == VLEN) {
		vstore(p, v);
		return;
	}
	float t[VLEN];
	vstore(t, v);
	memcpy(p, t, (size_t)n * sizeof(float));
}

/* Step t of one stream: a (4H) holds the gate inputs but the bias (4H) and
 * receives the activated gates; cp (H) is c', and c, tc, h (H) receive the cell,
 * its tanh and the output (hn too, the next step's h', when not NULL).  A tail
 * shorter than a vector goes through padded copies, so every element takes the
 * same path. */
CLONES static void cell_forward(int H, float *a, const float *bias, const float *cp, float *c,
                                float *tc, float *h, float *hn)
{
	for (int j = 0; j < H; j += VLEN) {
		int n = H - j < VLEN ? H - j : VLEN;
		vf i = vsigmoid(vload_n(a + j, n) + vload_n(bias + j, n));
		vf f = vsigmoid(vload_n(a + H + j, n) + vload_n(bias + H + j, n));
		vf g = vtanh(vload_n(a + 2 * H + j, n) + vload_n(bias + 2 * H + j, n));
		vf o = vsigmoid(vload_n(a + 3 * H + j, n) + vload_n(bias + 3 * H + j, n));
		vf cn = f * vload_n(cp + j, n) + i * g;
		vf tcn = vtanh(cn);
		vf hv = o * tcn;
		vstore_n(a + j, i, n);
		vstore_n(a + H + j, f, n);
		vstore_n(a + 2 * H + j, g, n);
		vstore_n(a + 3 * H + j, o, n);
		vstore_n(c + j, cn, n);
		vstore_n(tc + j, tcn, n);
		vstore_n(h + j, hv, n);
		if (hn)
			vstore_n(hn + j, hv, n);
	}
}

/* The gradients of step t of one stream (see the equations at the top): a, cp,
 * tc as forward left them; dh (H) the gradient from above, times mask (H)
 * when not NULL, or NULL for none; dhn (H) the gradient from step t+1 through
 * h; dc (H) that through c, replaced by the one for step t-1.  Writes da (4H)
 * and adds it to dbias (4H), the stream's sum for the bias gradients. */
CLONES static void cell_backward(int H, const float *a, const float *cp, const float *tc,
                                 const float *dh, const float *mask, const float *dhn, float *dc,
                                 float *da, float *dbias)
{
	for (int j = 0; j < H; j += VLEN) {
		int n = H - j < VLEN ? H - j : VLEN;
		vf i = vload_n(a + j, n), f = vload_n(a + H + j, n);
		vf g = vload_n(a + 2 * H + j, n), o = vload_n(a + 3 * H + j, n);
		vf tcn = vload_n(tc + j, n), one = vsplat(1.0f);
		vf dht = vload_n(dhn + j, n);
		if (dh)
			dht = dht + (mask ? vload_n(dh + j, n) * vload_n(mask + j, n) : vload_n(dh + j, n));
		vf dcv = vload_n(dc + j, n) + dht * o * (one - tcn * tcn);
		vf d[4] = { dcv * g * i * (one - i), dcv * vload_n(cp + j, n) * f * (one - f),
		            dcv * i * (one - g * g), dht * tcn * o * (one - o) };
		for (int q = 0; q < 4; q++) {
			vstore_n(da + q * H + j, d[q], n);
			vstore_n(dbias + q * H + j, vload_n(dbias + q * H + j, n) + d[q], n);
		}
		vstore_n(dc + j, dcv * f, n);
	}
}

/* The input of layer k as forward saw it: x, or the layer below's output,
 * with dropout applied when it was. */
static const float *layer_input(const nn_lstm_cache *c, int k, const float *x)
{
	if (k == 0)
		return x;
	return c->dropped ? c->layer[k - 1].hdrop : c->layer[k - 1].h;
}

/* One layer's run through time, for the streams of one task. */
struct layer_job {
	const nn_lstm_layer *w;
	nn_lstm_layer_cache *y;
	nn_lstm_cache *c;
	int B, T, H;
	const float *x;         /* (B, T, in) forward: the layer's input */
	float *h;               /* (B, T, H) forward: the layer's output */
	const float *dh;        /* (B, T, H) backward: the gradient from above, or NULL */
	const float *mask;      /* (B, T, H) backward: dropout on dh, or NULL */
	float *dx;              /* (B, T, in) backward: the input's gradient, or NULL */
	float dx_beta;          /* 1: add to dx; 0: write it */
	int in;
	int fused;              /* the input products run step by step, in the tasks */
	nn_gemm_pb pb;          /* W_hh, packed */
	nn_gemm_pb pb_ih;       /* W_ih, packed, when fused */
	float p;                /* forward: dropout probability, 0 for none */
	bj_rng rng;             /* forward: the base of the dropout streams */
	int layer;
};

static void forward_streams(void *arg, int task, int thread)
{
	(void)thread;
	struct layer_job *j = arg;
	nn_lstm_layer_cache *y = j->y;
	int lo, hi, T = j->T, H = j->H;
	size_t G = 4 * (size_t)H;
	nn_parallel_split(j->B, j->c->tasks, task, &lo, &hi);
	float *scratch = j->c->scratch + (size_t)task * j->c->scratch_stride;
	for (int t = 0; t < T; t++) {
		size_t r0 = (size_t)lo * T + t;
		/* Step t's rows are T rows apart: gates (n, 4H) = x (n, in) . W_ih^T
		 * (unless done for all steps at once) + h' (n, H) . W_hh^T. */
		if (j->fused)
			nn_gemm_packed(hi - lo, j->x + r0 * j->in, T * j->in, &j->pb_ih, 0.0f,
			               y->gates + r0 * G, (int)(T * G), scratch);
		nn_gemm_packed(hi - lo, y->hprev + r0 * H, T * H, &j->pb, 1.0f, y->gates + r0 * G,
		               (int)(T * G), scratch);
		for (int b = lo; b < hi; b++) {
			size_t r = (size_t)b * T + t;
			const float *cp = t ? y->c + (r - 1) * H : y->c0 + (size_t)b * H;
			cell_forward(H, y->gates + r * G, j->c->bias, cp, y->c + r * H, y->tc + r * H,
			             j->h + r * H, t + 1 < T ? y->hprev + (r + 1) * H : NULL);
		}
	}
	if (j->p > 0.0f) {
		size_t th = (size_t)T * H;
		for (int b = lo; b < hi; b++) {
			bj_rng rng = bj_rng_fork(&j->rng, (uint64_t)j->layer * j->B + b);
			nn_dropout_mask(y->mask + b * th, th, j->p, &rng);
			nn_dropout_forward(j->h + b * th, y->mask + b * th, y->hdrop + b * th, th);
		}
	}
}

static void layer_forward(const nn_lstm *l, int k, nn_lstm_cache *c, const float *x,
                          const float *h0, const float *c0, float *h, const bj_rng *drop)
{
	const nn_lstm_layer *w = &l->layer[k];
	nn_lstm_layer_cache *y = &c->layer[k];
	int B = c->B, T = c->T, H = l->hidden;
	size_t G = 4 * (size_t)H, bt = (size_t)B * T;

	/* With the packed kernel the input projections run step by step in the
	 * tasks, from W_ih packed once; without it, for all steps at once here.
	 * The biases are added in the cell pass. */
	int fused = nn_gemm_packed_available();
	if (!fused)
		nn_gemm(0, 1, (int)bt, (int)G, w->in, 1.0f, x, w->in, w->w_ih, w->in, 0.0f, y->gates,
		        (int)G);
	for (size_t j = 0; j < G; j++)
		c->bias[j] = w->b_ih[j] + w->b_hh[j];

	/* hprev holds each step's h' at its own (b, t) row, so one GEMM over all
	 * rows gives dW_hh in backward. */
	for (int b = 0; b < B; b++) {
		float *hp = y->hprev + (size_t)b * T * H;
		if (h0)
			memcpy(hp, h0 + (size_t)b * H, (size_t)H * sizeof(float));
		else
			memset(hp, 0, (size_t)H * sizeof(float));
	}
	if (c0)
		memcpy(y->c0, c0, (size_t)B * H * sizeof(float));
	else
		memset(y->c0, 0, (size_t)B * H * sizeof(float));

	struct layer_job j = { .w = w, .y = y, .c = c, .B = B, .T = T, .H = H, .x = x, .h = h,
	                       .in = w->in, .fused = fused, .layer = k };
	nn_gemm_pack(&j.pb, 1, H, (int)G, w->w_hh, H, c->panels);
	if (fused)
		nn_gemm_pack(&j.pb_ih, 1, w->in, (int)G, w->w_ih, w->in, c->panels_ih);
	if (drop && k + 1 < l->n_layers) {
		j.p = l->dropout;
		j.rng = *drop;
	}
	nn_parallel_run(c->tasks, forward_streams, &j);
}

void nn_lstm_forward(const nn_lstm *l, nn_lstm_cache *c, const float *x, const float *h0,
                     const float *c0, float *h, float *hT, float *cT, bj_rng *rng)
{
	BJ_ASSERT(c->hidden == l->hidden && c->n_layers == l->n_layers);
	int B = c->B, T = c->T, H = l->hidden, L = l->n_layers;
	size_t bh = (size_t)B * H;
	c->dropped = rng && l->dropout > 0.0f && L > 1;
	bj_rng drop;
	if (c->dropped) {
		drop = *rng;
		bj_rng_u64(rng);
	}
	for (int k = 0; k < L; k++) {
		nn_lstm_layer_cache *y = &c->layer[k];
		float *out = k + 1 < L ? y->h : h;
		layer_forward(l, k, c, layer_input(c, k, x), h0 ? h0 + k * bh : NULL,
		              c0 ? c0 + k * bh : NULL, out, c->dropped ? &drop : NULL);
		/* Only now, when layer k no longer needs h0[k] and c0[k], may hT and
		 * cT (which may be h0 and c0) be written. */
		for (int b = 0; b < B; b++) {
			size_t last = ((size_t)b * T + T - 1) * H;
			if (hT)
				memcpy(hT + k * bh + (size_t)b * H, out + last, (size_t)H * sizeof(float));
			if (cT)
				memcpy(cT + k * bh + (size_t)b * H, y->c + last, (size_t)H * sizeof(float));
		}
	}
}

static void backward_streams(void *arg, int task, int thread)
{
	(void)thread;
	struct layer_job *j = arg;
	nn_lstm_layer_cache *y = j->y;
	nn_lstm_cache *c = j->c;
	int lo, hi, T = j->T, H = j->H;
	size_t G = 4 * (size_t)H;
	nn_parallel_split(j->B, c->tasks, task, &lo, &hi);
	float *scratch = c->scratch + (size_t)task * c->scratch_stride;
	memset(c->dbias + (size_t)lo * G, 0, (size_t)(hi - lo) * G * sizeof(float));
	for (int t = T - 1; t >= 0; t--) {
		for (int b = lo; b < hi; b++) {
			size_t r = (size_t)b * T + t;
			const float *cp = t ? y->c + (r - 1) * H : y->c0 + (size_t)b * H;
			cell_backward(H, y->gates + r * G, cp, y->tc + r * H, j->dh ? j->dh + r * H : NULL,
			              j->mask ? j->mask + r * H : NULL, c->dh_next + (size_t)b * H,
			              c->dc_next + (size_t)b * H, c->dgates + r * G,
			              c->dbias + (size_t)b * G);
		}
		/* dh' (n, H) = da_t (n, 4H; rows T apart) . W_hh (4H, H), and when
		 * fused dx_t (n, in) (+)= da_t . W_ih (4H, in).  dx may be the dh read
		 * above: row (b, t) of it was read before it is written. */
		size_t r0 = (size_t)lo * T + t;
		nn_gemm_packed(hi - lo, c->dgates + r0 * G, (int)(T * G), &j->pb, 0.0f,
		               c->dh_next + (size_t)lo * H, H, scratch);
		if (j->fused && j->dx)
			nn_gemm_packed(hi - lo, c->dgates + r0 * G, (int)(T * G), &j->pb_ih, j->dx_beta,
			               j->dx + r0 * j->in, T * j->in, scratch);
	}
}

/* db_ih = db_hh += the streams' sums, added in stream order, by blocks of
 * columns: the same sums whatever the thread count. */
struct bias_job {
	nn_lstm_layer *w;
	const float *dbias;     /* (B, G) */
	int B, G, parts;
};

static void bias_columns(void *arg, int task, int thread)
{
	(void)thread;
	const struct bias_job *j = arg;
	int lo, hi;
	nn_parallel_split(j->G, j->parts, task, &lo, &hi);
	for (int b = 0; b < j->B; b++) {
		const float *d = j->dbias + (size_t)b * j->G;
		for (int k = lo; k < hi; k++) {
			j->w->db_ih[k] += d[k];
			j->w->db_hh[k] += d[k];
		}
	}
}

static void layer_backward(nn_lstm_layer *w, nn_lstm_layer_cache *y, nn_lstm_cache *c, int B,
                           int T, int H,
                           const float *x,    // (B, T, in)
                           const float *dh,   // (B, T, H) or NULL
                           const float *mask, // (B, T, H) dropout on dh, or NULL
                           const float *dhT,  // (B, H) or NULL
                           const float *dcT,  // (B, H) or NULL
                           float *dx,         // (B, T, in) or NULL
                           float dx_beta)     // 1: add to dx, 0: write it
{
	size_t G = 4 * (size_t)H, bt = (size_t)B * T, bh = (size_t)B * H;
	if (dhT)
		memcpy(c->dh_next, dhT, bh * sizeof(float));
	else
		memset(c->dh_next, 0, bh * sizeof(float));
	if (dcT)
		memcpy(c->dc_next, dcT, bh * sizeof(float));
	else
		memset(c->dc_next, 0, bh * sizeof(float));

	struct layer_job j = { .y = y, .c = c, .B = B, .T = T, .H = H, .dh = dh, .mask = mask,
	                       .dx = dx, .dx_beta = dx_beta, .in = w->in,
	                       .fused = nn_gemm_packed_available() };
	nn_gemm_pack(&j.pb, 0, (int)G, H, w->w_hh, H, c->panels);
	if (j.fused && dx)
		nn_gemm_pack(&j.pb_ih, 0, (int)G, w->in, w->w_ih, w->in, c->panels_ih);
	nn_parallel_run(c->tasks, backward_streams, &j);
	if (!j.fused && dx)
		nn_gemm(0, 0, (int)bt, w->in, (int)G, 1.0f, c->dgates, (int)G, w->w_ih, w->in, dx_beta,
		        dx, w->in);

	/* dW_ih (4H, in) += da^T (4H, BT) . x (BT, in); dW_hh likewise with h'. */
	nn_gemm(1, 0, (int)G, w->in, (int)bt, 1.0f, c->dgates, (int)G, x, w->in, 1.0f, w->dw_ih, w->in);
	nn_gemm(1, 0, (int)G, H, (int)bt, 1.0f, c->dgates, (int)G, y->hprev, H, 1.0f, w->dw_hh, H);
	struct bias_job bj = { w, c->dbias, B, (int)G, nn_get_threads() };
	nn_parallel_run(bj.parts, bias_columns, &bj);
}

void nn_lstm_backward(nn_lstm *l, nn_lstm_cache *c, const float *x, const float *dh,
                      const float *dhT, const float *dcT, float *dx, float *dh0, float *dc0)
{
	BJ_ASSERT(c->hidden == l->hidden && c->n_layers == l->n_layers);
	BJ_ASSERT(l->layer[0].dw_ih);
	int B = c->B, T = c->T, H = l->hidden, L = l->n_layers;
	size_t bh = (size_t)B * H;
	const float *dh_k = dh;   /* gradient reaching layer k's output */
	const float *mask_k = NULL;   /* and the dropout mask it passes through */
	for (int k = L - 1; k >= 0; k--) {
		nn_lstm_layer *w = &l->layer[k];
		nn_lstm_layer_cache *y = &c->layer[k];
		/* The gradient of layer k-1's output (before its dropout, which the
		 * cell pass of layer k-1 applies), or of x. */
		float *dx_k = k > 0 ? c->dh : dx;
		layer_backward(w, y, c, B, T, H, layer_input(c, k, x), dh_k, mask_k,
		               dhT ? dhT + k * bh : NULL, dcT ? dcT + k * bh : NULL, dx_k,
		               k > 0 ? 0.0f : 1.0f);
		if (dh0)
			for (size_t i = 0; i < bh; i++)
				dh0[k * bh + i] += c->dh_next[i];
		if (dc0)
			for (size_t i = 0; i < bh; i++)
				dc0[k * bh + i] += c->dc_next[i];
		if (k > 0) {
			dh_k = c->dh;
			mask_k = c->dropped ? c->layer[k - 1].mask : NULL;
		}
	}
}

/*
 * The plan.  Packed column n of layer k belongs to unit block u = n / 64 (16
 * units), gate g = n % 64 / 16 and unit 16 u + n % 16, so a block's four gates
 * are 64 contiguous columns (two panels) laid out as the cell pass expects for
 * H = 16: i, f, g, o.  Units past H (when H is not a multiple of 16) are
 * zero columns whose results are dropped.
 */
static size_t plan_max_in(const nn_lstm *l)
{
	return (size_t)(l->in > l->hidden ? l->in : l->hidden);
}

static int plan_tasks(const nn_lstm *l)
{
	int blocks = (l->hidden + 15) / 16, t = nn_get_threads();
	return blocks < t ? blocks : t;
}

size_t nn_lstm_plan_floats(const nn_lstm *l)
{
	int H = l->hidden, hp = (H + 15) / 16 * 16, L = l->n_layers;
	size_t n = 0;
	for (int k = 0; k < L; k++)
		n += nn_gemm_pack_floats(l->layer[k].in, 4 * hp) + nn_gemm_pack_floats(H, 4 * hp);
	/* Each piece rounded up to 16 floats keeps every one 64-byte aligned. */
	n += (size_t)L * 4 * hp + 4 * (size_t)hp + 2 * (size_t)hp;
	n += (size_t)plan_tasks(l) * 8 * ((plan_max_in(l) + 15) / 16 * 16);
	return n;
}

int nn_lstm_plan_build(nn_lstm_plan *p, const nn_lstm *l, float *buf)
{
	if (!nn_gemm_packed_available())
		return -1;
	BJ_ASSERT(((uintptr_t)buf & 63) == 0);
	int H = l->hidden, hp = (H + 15) / 16 * 16, L = l->n_layers, N = 4 * hp;
	memset(p, 0, sizeof(*p));
	p->hp = hp;
	p->tasks = plan_tasks(l);
	int *cols = bj_xmalloc((size_t)N * sizeof(int));
	for (int n = 0; n < N; n++) {
		int u = n / 64, g = n % 64 / 16, unit = 16 * u + n % 16;
		cols[n] = unit < H ? g * H + unit : -1;
	}
	float *at = buf;
	for (int k = 0; k < L; k++) {
		const nn_lstm_layer *w = &l->layer[k];
		nn_gemm_pack_cols(&p->ih[k], 1, w->in, N, w->w_ih, w->in, 4 * H, cols, at);
		at += nn_gemm_pack_floats(w->in, N);
		nn_gemm_pack_cols(&p->hh[k], 1, H, N, w->w_hh, H, 4 * H, cols, at);
		at += nn_gemm_pack_floats(H, N);
	}
	p->bias = at;
	for (int k = 0; k < L; k++)
		for (int n = 0; n < N; n++)
			p->bias[(size_t)k * N + n] = cols[n] < 0 ? 0.0f
			                             : l->layer[k].b_ih[cols[n]] + l->layer[k].b_hh[cols[n]];
	at += (size_t)L * N;
	p->gates = at;
	at += N;
	p->hnew = at;
	at += hp;
	p->tc = at;
	at += hp;
	p->scratch = at;
	free(cols);
	return 0;
}

struct plan_job {
	const nn_lstm *l;
	nn_lstm_plan *p;
	const float *x;      /* (in) the layer's input */
	float *h, *c;        /* (H) the layer's state */
	int k;
};

static void plan_units(void *arg, int task, int thread)
{
	(void)thread;
	const struct plan_job *j = arg;
	nn_lstm_plan *p = j->p;
	int H = j->l->hidden, lo, hi, N = 4 * p->hp;
	nn_parallel_split(p->hp / 16, p->tasks, task, &lo, &hi);
	float *scratch = p->scratch + (size_t)task * 8 * ((plan_max_in(j->l) + 15) / 16 * 16);
	int in = j->l->layer[j->k].in;
	nn_gemm_packed_cols(1, j->x, in, &p->ih[j->k], 0.0f, p->gates, N, scratch, 64 * lo, 64 * hi);
	nn_gemm_packed_cols(1, j->h, H, &p->hh[j->k], 1.0f, p->gates, N, scratch, 64 * lo, 64 * hi);
	const float *bias = p->bias + (size_t)j->k * N;
	for (int u = lo; u < hi; u++) {
		int n = H - 16 * u < 16 ? H - 16 * u : 16;
		float *c = j->c + 16 * u, cbuf[16] = { 0 };
		if (n < 16) {
			memcpy(cbuf, c, (size_t)n * sizeof(float));
			c = cbuf;
		}
		/* c is c' and c at once: each element is read before it is written. */
		cell_forward(16, p->gates + 64 * u, bias + 64 * u, c, c, p->tc + 16 * u,
		             p->hnew + 16 * u, NULL);
		if (n < 16)
			memcpy(j->c + 16 * u, cbuf, (size_t)n * sizeof(float));
	}
}

void nn_lstm_plan_step(const nn_lstm *l, nn_lstm_plan *p, const float *x, float *h, float *c)
{
	int H = l->hidden;
	for (int k = 0; k < l->n_layers; k++) {
		float *hk = h + (size_t)k * H;
		struct plan_job j = { l, p, k ? h + (size_t)(k - 1) * H : x, hk, c + (size_t)k * H, k };
		nn_parallel_run(p->tasks, plan_units, &j);
		/* Every task has read h' by now. */
		memcpy(hk, p->hnew, (size_t)H * sizeof(float));
	}
}
