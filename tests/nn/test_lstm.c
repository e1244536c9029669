#include "nn/lstm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/rng.h"
#include "nn/arena.h"
#include "nn/gemm.h"
#include "nn/gradcheck.h"
#include "nn/params.h"
#include "nn/internal.h"
#include "nn/parallel.h"
#include "harness.h"

static void fill(float *x, size_t n, float scale, bj_rng *rng)
{
	for (size_t i = 0; i < n; i++)
		x[i] = scale * (2.0f * bj_rng_uniform(rng) - 1.0f);
}

/* An LSTM with its arena, cache, inputs and the fixed random weights R of the
 * test loss L = sum(h .* R) + sum(hT .* RhT) + sum(cT .* RcT). */
struct fixture {
	int B, T, I, H, L;
	nn_params p;
	nn_lstm lstm;
	nn_arena arena;
	nn_lstm_cache cache;
	bj_rng dropout_rng;   /* copied for every forward, so the masks stay fixed */
	int train;
	float *x, *h0, *c0;           /* (B,T,I), (L,B,H), (L,B,H) */
	float *h, *hT, *cT;           /* outputs */
	float *R, *RhT, *RcT;         /* loss weights */
	float *dx, *dh0, *dc0;        /* analytic gradients */
};

static void fixture_init(struct fixture *f, int B, int T, int I, int H, int L, float dropout,
                         uint64_t seed)
{
	memset(f, 0, sizeof(*f));
	f->B = B, f->T = T, f->I = I, f->H = H, f->L = L;
	bj_rng rng;
	bj_rng_init(&rng, seed);
	nn_params_init(&f->p);
	nn_lstm_init(&f->lstm, &f->p, "lstm", I, H, L, dropout);
	CHECK(nn_params_alloc(&f->p, NN_WITH_GRAD) == 0);
	/* Larger than PyTorch's default bounds, so the gates are not all near
	 * 0.5 and the gradient through time is not tiny. */
	for (int i = 0; i < f->p.n_views; i++)
		nn_params_fill_uniform(&f->p, i, -0.8f, 0.8f, &rng);
	nn_arena_init(&f->arena);
	nn_lstm_cache_take(&f->cache, &f->lstm, B, T, &f->arena);
	CHECK(nn_arena_alloc(&f->arena) == 0);
	nn_lstm_cache_take(&f->cache, &f->lstm, B, T, &f->arena);
	size_t bti = (size_t)B * T * I, bth = (size_t)B * T * H, lbh = (size_t)L * B * H;
	f->x = bj_xmalloc(bti * sizeof(float));
	f->h0 = bj_xmalloc(lbh * sizeof(float));
	f->c0 = bj_xmalloc(lbh * sizeof(float));
	f->h = bj_xmalloc(bth * sizeof(float));
	f->hT = bj_xmalloc(lbh * sizeof(float));
	f->cT = bj_xmalloc(lbh * sizeof(float));
	f->R = bj_xmalloc(bth * sizeof(float));
	f->RhT = bj_xmalloc(lbh * sizeof(float));
	f->RcT = bj_xmalloc(lbh * sizeof(float));
	f->dx = bj_xcalloc(bti, sizeof(float));
	f->dh0 = bj_xcalloc(lbh, sizeof(float));
	f->dc0 = bj_xcalloc(lbh, sizeof(float));
	fill(f->x, bti, 1.0f, &rng);
	fill(f->h0, lbh, 0.8f, &rng);
	fill(f->c0, lbh, 1.0f, &rng);
	fill(f->R, bth, 1.0f, &rng);
	fill(f->RhT, lbh, 1.0f, &rng);
	fill(f->RcT, lbh, 1.0f, &rng);
	bj_rng_init(&f->dropout_rng, seed + 1);
	f->train = dropout > 0.0f;
}

static void fixture_release(struct fixture *f)
{
	nn_params_release(&f->p);
	nn_arena_release(&f->arena);
	free(f->x), free(f->h0), free(f->c0), free(f->h), free(f->hT), free(f->cT);
	free(f->R), free(f->RhT), free(f->RcT), free(f->dx), free(f->dh0), free(f->dc0);
}

/* sum(a .* b) in double; adds sum |a .* b| to *scale. */
static double dot(const float *a, const float *b, size_t n, double *scale)
{
	double s = 0.0, abs = 0.0;
	for (size_t i = 0; i < n; i++) {
		s += (double)a[i] * b[i];
		abs += fabs((double)a[i] * b[i]);
	}
	*scale += abs;
	return s;
}

static void forward(struct fixture *f)
{
	bj_rng rng = f->dropout_rng;
	nn_lstm_forward(&f->lstm, &f->cache, f->x, f->h0, f->c0, f->h, f->hT, f->cT,
	                f->train ? &rng : NULL);
}

static double loss(void *ctx, double *scale)
{
	struct fixture *f = ctx;
	forward(f);
	size_t bth = (size_t)f->B * f->T * f->H, lbh = (size_t)f->L * f->B * f->H;
	*scale = 0.0;
	return dot(f->h, f->R, bth, scale) + dot(f->hT, f->RhT, lbh, scale) +
	       dot(f->cT, f->RcT, lbh, scale);
}

static void backward(struct fixture *f)
{
	forward(f);
	nn_lstm_backward(&f->lstm, &f->cache, f->x, f->R, f->RhT, f->RcT, f->dx, f->dh0, f->dc0);
}

static void report(const char *what, const nn_gradcheck_stats *st)
{
	printf("    %-20s %4zu points (%3zu noise-limited), worst asymmetry %.2e "
	       "(analytic %.6g, numeric %.6g)\n", what, st->checked, st->noise_limited, st->worst,
	       st->worst_analytic, st->worst_numeric);
	CHECK(st->checked > 0, "%s: nothing checked", what);
	CHECK(st->failed == 0, "%s: %zu of %zu points over tolerance", what, st->failed, st->checked);
}

/* Checks every parameter tensor, x, h0 and c0 at every point. */
static void gradcheck_all(struct fixture *f)
{
	nn_params_zero_grad(&f->p);
	backward(f);
	size_t total = 0, noisy = 0;
	for (int i = 0; i < f->p.n_views; i++) {
		nn_tensor w = nn_params_view(&f->p, NN_DATA, i);
		nn_tensor g = nn_params_view(&f->p, NN_GRAD, i);
		nn_gradcheck_stats st = { 0 };
		nn_gradcheck(loss, f, w.data, g.data, (size_t)nn_tensor_count(&w), 0, 1e-2, 1e-2, NULL,
		             &st);
		report(f->p.views[i].name, &st);
		total += st.checked;
		noisy += st.noise_limited;
	}
	size_t lbh = (size_t)f->L * f->B * f->H;
	struct { const char *name; float *x, *g; size_t n; } in[] = {
		{ "x", f->x, f->dx, (size_t)f->B * f->T * f->I },
		{ "h0", f->h0, f->dh0, lbh },
		{ "c0", f->c0, f->dc0, lbh },
	};
	for (size_t i = 0; i < BJ_ARRAY_SIZE(in); i++) {
		nn_gradcheck_stats st = { 0 };
		nn_gradcheck(loss, f, in[i].x, in[i].g, in[i].n, 0, 1e-2, 1e-2, NULL, &st);
		report(in[i].name, &st);
		total += st.checked;
		noisy += st.noise_limited;
	}
	printf("    %zu points checked in all, %zu of them noise-limited\n", total, noisy);
}

static void test_gradcheck_two_layers(void)
{
	struct fixture f;
	fixture_init(&f, 2, 4, 3, 5, 2, 0.0f, 11);
	gradcheck_all(&f);
	fixture_release(&f);
}

static void test_gradcheck_three_layers_dropout(void)
{
	struct fixture f;
	fixture_init(&f, 2, 3, 4, 3, 3, 0.3f, 12);
	gradcheck_all(&f);
	/* The masks really dropped something, and not everything. */
	size_t zeros = 0, n = (size_t)f.B * f.T * f.H;
	for (size_t i = 0; i < n; i++)
		zeros += f.cache.layer[0].mask[i] == 0.0f;
	CHECK(f.cache.dropped && zeros > 0 && zeros < n, "%zu of %zu dropped", zeros, n);
	fixture_release(&f);
}

static void test_gradcheck_one_layer(void)
{
	struct fixture f;
	fixture_init(&f, 3, 3, 2, 4, 1, 0.0f, 13);
	gradcheck_all(&f);
	fixture_release(&f);
}

/* The check has teeth: gradients 5 % off fail at most points. */
static void test_gradcheck_catches_wrong_gradient(void)
{
	struct fixture f;
	fixture_init(&f, 2, 3, 4, 5, 2, 0.0f, 14);
	nn_params_zero_grad(&f.p);
	backward(&f);
	int i = nn_params_find(&f.p, "lstm.weight_hh_l1");
	nn_tensor w = nn_params_view(&f.p, NN_DATA, i), g = nn_params_view(&f.p, NN_GRAD, i);
	size_t n = (size_t)nn_tensor_count(&g);
	for (size_t k = 0; k < n; k++)
		g.data[k] *= 1.05f;
	nn_gradcheck_stats st = { 0 };
	nn_gradcheck(loss, &f, w.data, g.data, n, 0, 1e-2, 1e-2, NULL, &st);
	printf("    5%% off: %zu of %zu points fail\n", st.failed, st.checked);
	CHECK(st.checked == n && st.failed >= n * 2 / 3, "%zu of %zu failed", st.failed, st.checked);
	fixture_release(&f);
}

/* Gate order i, f, g, o and PyTorch's equations, one step by hand: H = 1, I = 1. */
static void test_one_step_by_hand(void)
{
	nn_params p;
	nn_params_init(&p);
	nn_lstm l;
	nn_lstm_init(&l, &p, "rnn", 1, 1, 1, 0.0f);
	CHECK(nn_params_find(&p, "rnn.weight_ih_l0") == 0);
	CHECK(nn_params_find(&p, "rnn.weight_hh_l0") == 1);
	CHECK(nn_params_find(&p, "rnn.bias_ih_l0") == 2);
	CHECK(nn_params_find(&p, "rnn.bias_hh_l0") == 3);
	CHECK(nn_params_alloc(&p, 0) == 0);
	const float wi[4] = { 0.5f, -0.25f, 0.75f, 1.5f }, wh[4] = { -0.5f, 0.3f, 0.2f, -0.1f };
	const float bi[4] = { 0.1f, 0.2f, -0.3f, 0.4f }, bh[4] = { 0.05f, -0.1f, 0.15f, 0.0f };
	memcpy(l.layer[0].w_ih, wi, sizeof(wi));
	memcpy(l.layer[0].w_hh, wh, sizeof(wh));
	memcpy(l.layer[0].b_ih, bi, sizeof(bi));
	memcpy(l.layer[0].b_hh, bh, sizeof(bh));
	nn_arena a;
	nn_arena_init(&a);
	nn_lstm_cache c;
	nn_lstm_cache_take(&c, &l, 1, 1, &a);
	CHECK(nn_arena_alloc(&a) == 0);
	nn_lstm_cache_take(&c, &l, 1, 1, &a);
	float x = 0.8f, h0 = -0.6f, c0 = 0.9f, h, hT, cT;
	nn_lstm_forward(&l, &c, &x, &h0, &c0, &h, &hT, &cT, NULL);
	double pre[4];
	for (int k = 0; k < 4; k++)
		pre[k] = (double)wi[k] * x + (double)wh[k] * h0 + bi[k] + bh[k];
	double i = 1 / (1 + exp(-pre[0])), f = 1 / (1 + exp(-pre[1]));
	double g = tanh(pre[2]), o = 1 / (1 + exp(-pre[3]));
	double cn = f * c0 + i * g, hn = o * tanh(cn);
	CHECK_NEAR(cT, cn, 1e-6);
	CHECK_NEAR(h, hn, 1e-6);
	CHECK(h == hT, "h %.9g hT %.9g", h, hT);
	nn_arena_release(&a);
	nn_params_release(&p);
}

/* Truncated BPTT: two halves with the state carried in place give the same
 * outputs as the whole sequence. */
static void test_carried_state(void)
{
	enum { B = 2, T = 6, I = 3, H = 4, L = 2 };
	struct fixture whole, half;
	fixture_init(&whole, B, T, I, H, L, 0.0f, 21);
	fixture_init(&half, B, T / 2, I, H, L, 0.0f, 21);
	memcpy(half.p.block[NN_DATA], whole.p.block[NN_DATA], whole.p.count * sizeof(float));
	forward(&whole);
	float state_h[L * B * H], state_c[L * B * H], out[B * T * H];
	memcpy(state_h, whole.h0, sizeof(state_h));
	memcpy(state_c, whole.c0, sizeof(state_c));
	float xs[B * (T / 2) * I];
	for (int part = 0; part < 2; part++) {
		for (int b = 0; b < B; b++)
			memcpy(xs + b * (T / 2) * I, whole.x + (b * T + part * (T / 2)) * I,
			       sizeof(float) * (T / 2) * I);
		nn_lstm_forward(&half.lstm, &half.cache, xs, state_h, state_c, half.h, state_h,
		                state_c, NULL);
		for (int b = 0; b < B; b++)
			memcpy(out + (b * T + part * (T / 2)) * H, half.h + b * (T / 2) * H,
			       sizeof(float) * (T / 2) * H);
	}
	CHECK_CLOSE("h", out, whole.h, (size_t)B * T * H, 1e-6, 1e-6);
	CHECK_CLOSE("hT", state_h, whole.hT, (size_t)L * B * H, 1e-6, 1e-6);
	CHECK_CLOSE("cT", state_c, whole.cT, (size_t)L * B * H, 1e-6, 1e-6);
	fixture_release(&whole);
	fixture_release(&half);
}

/* Backward adds: twice gives twice the gradients. */
static void test_backward_accumulates(void)
{
	struct fixture f;
	fixture_init(&f, 2, 3, 3, 4, 2, 0.0f, 31);
	nn_params_zero_grad(&f.p);
	backward(&f);
	size_t n = f.p.count, nx = (size_t)f.B * f.T * f.I;
	float *once = bj_xmalloc(n * sizeof(float)), *dx = bj_xmalloc(nx * sizeof(float));
	memcpy(once, f.p.block[NN_GRAD], n * sizeof(float));
	memcpy(dx, f.dx, nx * sizeof(float));
	backward(&f);
	for (size_t i = 0; i < n; i++)
		once[i] *= 2;
	for (size_t i = 0; i < nx; i++)
		dx[i] *= 2;
	CHECK_CLOSE("grads twice", f.p.block[NN_GRAD], once, n, 1e-6, 1e-6);
	CHECK_CLOSE("dx twice", f.dx, dx, nx, 1e-6, 1e-6);
	free(once);
	free(dx);
	fixture_release(&f);
}

/* Without an rng there is no dropout: the same as a model without it. */
static void test_eval_has_no_dropout(void)
{
	struct fixture a, b;
	fixture_init(&a, 2, 3, 3, 4, 2, 0.5f, 41);
	fixture_init(&b, 2, 3, 3, 4, 2, 0.0f, 41);
	a.train = 0;
	forward(&a);
	forward(&b);
	CHECK(!a.cache.dropped);
	CHECK_CLOSE("eval h", a.h, b.h, (size_t)2 * 3 * 4, 0, 0);
	fixture_release(&a);
	fixture_release(&b);
}

/* STYLE.md 2.4: the same bytes with 1 and 2 OpenBLAS threads. */
static void test_threads_same_bytes(void)
{
	struct fixture f;
	fixture_init(&f, 8, 5, 24, 64, 2, 0.25f, 51);
	int before = nn_get_threads();
	float *grads[2], *h[2];
	for (int run = 0; run < 2; run++) {
		nn_set_threads(run + 1);
		nn_params_zero_grad(&f.p);
		backward(&f);
		grads[run] = bj_xmalloc(f.p.count * sizeof(float));
		memcpy(grads[run], f.p.block[NN_GRAD], f.p.count * sizeof(float));
		h[run] = bj_xmalloc((size_t)8 * 5 * 64 * sizeof(float));
		memcpy(h[run], f.h, (size_t)8 * 5 * 64 * sizeof(float));
	}
	nn_set_threads(before);
	CHECK(memcmp(h[0], h[1], (size_t)8 * 5 * 64 * sizeof(float)) == 0, "outputs differ");
	CHECK(memcmp(grads[0], grads[1], f.p.count * sizeof(float)) == 0, "gradients differ");
	for (int run = 0; run < 2; run++)
		free(grads[run]), free(h[run]);
	fixture_release(&f);
}

/* The cell pass's sigmoid and tanh against libm's, in double, over a dense
 * range and the extremes. */
static void test_activations_accuracy(void)
{
	enum { N = 40001 };
	float *x = bj_xmalloc(sizeof(float) * (N + 6)), *sig = bj_xmalloc(sizeof(float) * (N + 6));
	float *th = bj_xmalloc(sizeof(float) * (N + 6));
	for (int i = 0; i < N; i++)
		x[i] = -20.0f + 40.0f * (float)i / (N - 1);
	const float extremes[6] = { -1e30f, -100.0f, -1e-30f, 1e-30f, 100.0f, 1e30f };
	memcpy(x + N, extremes, sizeof(extremes));
	nn_lstm_activations(x, N + 6, sig, th);
	double worst_sig = 0, worst_tanh_abs = 0, worst_tanh_rel = 0;
	for (int i = 0; i < N + 6; i++) {
		double s = 1.0 / (1.0 + exp(-(double)x[i])), t = tanh((double)x[i]);
		double es = fabs(sig[i] - s), et = fabs(th[i] - t);
		if (es > worst_sig)
			worst_sig = es;
		if (et > worst_tanh_abs)
			worst_tanh_abs = et;
		if (fabs(t) > 1e-30 && et / fabs(t) > worst_tanh_rel)
			worst_tanh_rel = et / fabs(t);
	}
	printf("    sigmoid: worst error %.2e; tanh: worst error %.2e, relative %.2e\n", worst_sig,
	       worst_tanh_abs, worst_tanh_rel);
	CHECK(worst_sig < 2e-7 && worst_tanh_abs < 2e-7 && worst_tanh_rel < 4e-7,
	      "sigmoid %.3g tanh %.3g (relative %.3g)", worst_sig, worst_tanh_abs, worst_tanh_rel);
	CHECK(sig[N] == 0.0f || sig[N] < 1e-37f);
	CHECK(sig[N + 5] == 1.0f && th[N + 5] == 1.0f && th[N] == -1.0f);
	free(x), free(sig), free(th);
}

/* A plan's steps give what nn_lstm_forward gives one step at a time, with
 * hidden sizes on and off the 16-unit blocks, on 1 and 2 threads. */
static void test_plan_matches_forward(void)
{
	if (!nn_gemm_packed_available()) {
		test_skip("this CPU has no AVX-512");
		return;
	}
	static const int shapes[][3] = { { 3, 16, 2 }, { 5, 21, 3 }, { 2, 40, 1 } };   /* I, H, L */
	int before = nn_get_threads();
	for (size_t s = 0; s < BJ_ARRAY_SIZE(shapes); s++)
		for (int threads = 1; threads <= 2; threads++) {
			int I = shapes[s][0], H = shapes[s][1], L = shapes[s][2], T = 6;
			nn_set_threads(threads);
			struct fixture f;
			fixture_init(&f, 1, 1, I, H, L, 0.0f, 60 + s);
			float *buf = aligned_alloc(64, sizeof(float) * nn_lstm_plan_floats(&f.lstm));
			nn_lstm_plan plan;
			CHECK(nn_lstm_plan_build(&plan, &f.lstm, buf) == 0);
			float *hs = bj_xmalloc(sizeof(float) * L * H), *cs = bj_xmalloc(sizeof(float) * L * H);
			memcpy(hs, f.h0, sizeof(float) * L * H);
			memcpy(cs, f.c0, sizeof(float) * L * H);
			bj_rng rng;
			bj_rng_init(&rng, 70);
			for (int t = 0; t < T; t++) {
				fill(f.x, (size_t)I, 1.0f, &rng);
				nn_lstm_forward(&f.lstm, &f.cache, f.x, f.h0, f.c0, f.h, f.h0, f.c0, NULL);
				nn_lstm_plan_step(&f.lstm, &plan, f.x, hs, cs);
			}
			char name[64];
			snprintf(name, sizeof(name), "plan h I=%d H=%d L=%d threads=%d", I, H, L, threads);
			CHECK_CLOSE(name, hs, f.h0, (size_t)L * H, 1e-5, 1e-5);
			snprintf(name, sizeof(name), "plan c I=%d H=%d L=%d threads=%d", I, H, L, threads);
			CHECK_CLOSE(name, cs, f.c0, (size_t)L * H, 1e-5, 1e-5);
			free(hs), free(cs), free(buf);
			fixture_release(&f);
		}
	nn_set_threads(before);
}

/* With the packed kernel the input products run step by step; through
 * OpenBLAS, for the whole sequence at once: the same results either way. */
static void test_fused_matches_blas(void)
{
	if (!nn_gemm_packed_available()) {
		test_skip("this CPU has no AVX-512");
		return;
	}
	struct fixture a, b;
	fixture_init(&a, 3, 5, 7, 20, 3, 0.3f, 81);
	fixture_init(&b, 3, 5, 7, 20, 3, 0.3f, 81);
	nn_params_zero_grad(&a.p);
	nn_params_zero_grad(&b.p);
	backward(&a);
	nn_gemm_force_blas(1);
	backward(&b);
	nn_gemm_force_blas(0);
	size_t bth = (size_t)3 * 5 * 20, bti = (size_t)3 * 5 * 7, lbh = (size_t)3 * 3 * 20;
	CHECK_CLOSE("h", a.h, b.h, bth, 1e-6, 1e-5);
	CHECK_CLOSE("cT", a.cT, b.cT, lbh, 1e-6, 1e-5);
	CHECK_CLOSE("gradients", a.p.block[NN_GRAD], b.p.block[NN_GRAD], a.p.count, 1e-5, 1e-4);
	CHECK_CLOSE("dx", a.dx, b.dx, bti, 1e-5, 1e-4);
	CHECK_CLOSE("dh0", a.dh0, b.dh0, lbh, 1e-5, 1e-4);
	fixture_release(&a);
	fixture_release(&b);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_gradcheck_two_layers),
		TEST_CASE(test_gradcheck_three_layers_dropout),
		TEST_CASE(test_gradcheck_one_layer),
		TEST_CASE(test_gradcheck_catches_wrong_gradient),
		TEST_CASE(test_one_step_by_hand),
		TEST_CASE(test_carried_state),
		TEST_CASE(test_backward_accumulates),
		TEST_CASE(test_eval_has_no_dropout),
		TEST_CASE(test_threads_same_bytes),
		TEST_CASE(test_activations_accuracy),
		TEST_CASE(test_plan_matches_forward),
		TEST_CASE(test_fused_matches_blas),
		{ 0 },
	};
	return test_main(cases);
}
