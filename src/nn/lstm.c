#include "nn/lstm.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "nn/dropout.h"
#include "nn/gemm.h"

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
}

static inline float sigmoid(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

/* The input of layer k as forward saw it: x, or the layer below's output,
 * with dropout applied when it was. */
static const float *layer_input(const nn_lstm_cache *c, int k, const float *x)
{
	if (k == 0)
		return x;
	return c->dropped ? c->layer[k - 1].hdrop : c->layer[k - 1].h;
}

static void layer_forward(const nn_lstm_layer *w, nn_lstm_layer_cache *y, int B, int T, int H,
                          const float *x,   // (B, T, in)
                          const float *h0,  // (B, H) or NULL
                          const float *c0,  // (B, H) or NULL
                          float *h)         // (B, T, H)
{
	size_t G = 4 * (size_t)H, bt = (size_t)B * T;
	float *gates = y->gates;

	/* All steps' input projections at once: gates = x W_ih^T + b_ih + b_hh. */
	for (size_t r = 0; r < bt; r++)
		for (size_t j = 0; j < G; j++)
			gates[r * G + j] = w->b_ih[j] + w->b_hh[j];
	nn_gemm(0, 1, (int)bt, (int)G, w->in, 1.0f, x, w->in, w->w_ih, w->in, 1.0f, gates, (int)G);

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

	for (int t = 0; t < T; t++) {
		/* Step t's rows are T rows apart: gates (B, 4H) += h' (B, H) . W_hh^T. */
		nn_gemm(0, 1, B, (int)G, H, 1.0f, y->hprev + (size_t)t * H, T * H, w->w_hh, H, 1.0f,
		        gates + (size_t)t * G, (int)(T * G));
		for (int b = 0; b < B; b++) {
			size_t r = (size_t)b * T + t;
			float *a = gates + r * G;
			const float *cp = t ? y->c + (r - 1) * H : y->c0 + (size_t)b * H;
			float *cr = y->c + r * H, *tcr = y->tc + r * H, *hr = h + r * H;
			float *hn = t + 1 < T ? y->hprev + (r + 1) * H : NULL;
			for (int j = 0; j < H; j++) {
				float i = sigmoid(a[j]);
				float f = sigmoid(a[H + j]);
				float g = tanhf(a[2 * H + j]);
				float o = sigmoid(a[3 * H + j]);
				float cn = f * cp[j] + i * g;
				float tcn = tanhf(cn);
				a[j] = i;
				a[H + j] = f;
				a[2 * H + j] = g;
				a[3 * H + j] = o;
				cr[j] = cn;
				tcr[j] = tcn;
				hr[j] = o * tcn;
				if (hn)
					hn[j] = o * tcn;
			}
		}
	}
}

void nn_lstm_forward(const nn_lstm *l, nn_lstm_cache *c, const float *x, const float *h0,
                     const float *c0, float *h, float *hT, float *cT, bj_rng *rng)
{
	BJ_ASSERT(c->hidden == l->hidden && c->n_layers == l->n_layers);
	int B = c->B, T = c->T, H = l->hidden, L = l->n_layers;
	size_t bh = (size_t)B * H, bth = bh * T;
	c->dropped = rng && l->dropout > 0.0f && L > 1;
	for (int k = 0; k < L; k++) {
		nn_lstm_layer_cache *y = &c->layer[k];
		float *out = k + 1 < L ? y->h : h;
		layer_forward(&l->layer[k], y, B, T, H, layer_input(c, k, x), h0 ? h0 + k * bh : NULL,
		              c0 ? c0 + k * bh : NULL, out);
		/* Only now, when layer k no longer needs h0[k] and c0[k], may hT and
		 * cT (which may be h0 and c0) be written. */
		for (int b = 0; b < B; b++) {
			size_t last = ((size_t)b * T + T - 1) * H;
			if (hT)
				memcpy(hT + k * bh + (size_t)b * H, out + last, (size_t)H * sizeof(float));
			if (cT)
				memcpy(cT + k * bh + (size_t)b * H, y->c + last, (size_t)H * sizeof(float));
		}
		if (c->dropped && k + 1 < L) {
			nn_dropout_mask(y->mask, bth, l->dropout, rng);
			nn_dropout_forward(out, y->mask, y->hdrop, bth);
		}
	}
}

static void layer_backward(nn_lstm_layer *w, nn_lstm_layer_cache *y, nn_lstm_cache *c, int B,
                           int T, int H,
                           const float *x,    // (B, T, in)
                           const float *dh,   // (B, T, H) or NULL
                           const float *dhT,  // (B, H) or NULL
                           const float *dcT)  // (B, H) or NULL
{
	size_t G = 4 * (size_t)H, bt = (size_t)B * T, bh = (size_t)B * H;
	float *dgates = c->dgates, *dhn = c->dh_next, *dcn = c->dc_next;
	if (dhT)
		memcpy(dhn, dhT, bh * sizeof(float));
	else
		memset(dhn, 0, bh * sizeof(float));
	if (dcT)
		memcpy(dcn, dcT, bh * sizeof(float));
	else
		memset(dcn, 0, bh * sizeof(float));

	for (int t = T - 1; t >= 0; t--) {
		for (int b = 0; b < B; b++) {
			size_t r = (size_t)b * T + t;
			const float *a = y->gates + r * G;
			float *da = dgates + r * G;
			const float *cp = t ? y->c + (r - 1) * H : y->c0 + (size_t)b * H;
			const float *tcr = y->tc + r * H;
			const float *dhr = dh ? dh + r * H : NULL;
			float *dhb = dhn + (size_t)b * H, *dcb = dcn + (size_t)b * H;
			for (int j = 0; j < H; j++) {
				float i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j];
				float tcn = tcr[j];
				float dht = dhb[j] + (dhr ? dhr[j] : 0.0f);
				float dc = dcb[j] + dht * o * (1.0f - tcn * tcn);
				da[j] = dc * g * i * (1.0f - i);
				da[H + j] = dc * cp[j] * f * (1.0f - f);
				da[2 * H + j] = dc * i * (1.0f - g * g);
				da[3 * H + j] = dht * tcn * o * (1.0f - o);
				dcb[j] = dc * f;
			}
		}
		/* dh' (B, H) = da_t (B, 4H; rows T apart) . W_hh (4H, H) */
		nn_gemm(0, 0, B, H, (int)G, 1.0f, dgates + (size_t)t * G, (int)(T * G), w->w_hh, H, 0.0f,
		        dhn, H);
	}

	/* dW_ih (4H, in) += da^T (4H, BT) . x (BT, in); dW_hh likewise with h'. */
	nn_gemm(1, 0, (int)G, w->in, (int)bt, 1.0f, dgates, (int)G, x, w->in, 1.0f, w->dw_ih, w->in);
	nn_gemm(1, 0, (int)G, H, (int)bt, 1.0f, dgates, (int)G, y->hprev, H, 1.0f, w->dw_hh, H);
	for (size_t r = 0; r < bt; r++) {
		const float *da = dgates + r * G;
		for (size_t j = 0; j < G; j++) {
			w->db_ih[j] += da[j];
			w->db_hh[j] += da[j];
		}
	}
}

void nn_lstm_backward(nn_lstm *l, nn_lstm_cache *c, const float *x, const float *dh,
                      const float *dhT, const float *dcT, float *dx, float *dh0, float *dc0)
{
	BJ_ASSERT(c->hidden == l->hidden && c->n_layers == l->n_layers);
	BJ_ASSERT(l->layer[0].dw_ih);
	int B = c->B, T = c->T, H = l->hidden, L = l->n_layers;
	size_t G = 4 * (size_t)H, bh = (size_t)B * H, bt = (size_t)B * T;
	const float *dh_k = dh;   /* gradient reaching layer k's output */
	for (int k = L - 1; k >= 0; k--) {
		nn_lstm_layer *w = &l->layer[k];
		nn_lstm_layer_cache *y = &c->layer[k];
		layer_backward(w, y, c, B, T, H, layer_input(c, k, x), dh_k, dhT ? dhT + k * bh : NULL,
		               dcT ? dcT + k * bh : NULL);
		if (dh0)
			for (size_t i = 0; i < bh; i++)
				dh0[k * bh + i] += c->dh_next[i];
		if (dc0)
			for (size_t i = 0; i < bh; i++)
				dc0[k * bh + i] += c->dc_next[i];
		if (k > 0) {
			/* The gradient of layer k-1's output, through its dropout.  c->dh
			 * may be dh_k: it was read to the end above. */
			nn_gemm(0, 0, (int)bt, w->in, (int)G, 1.0f, c->dgates, (int)G, w->w_ih, w->in,
			        0.0f, c->dh, w->in);
			if (c->dropped)
				nn_dropout_forward(c->dh, c->layer[k - 1].mask, c->dh, bt * H);
			dh_k = c->dh;
		} else if (dx) {
			nn_gemm(0, 0, (int)bt, w->in, (int)G, 1.0f, c->dgates, (int)G, w->w_ih, w->in,
			        1.0f, dx, w->in);
		}
	}
}
