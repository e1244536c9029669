/*
 * bench_writer.c - the writer's character LSTM: training characters per second
 * for four shapes (the last the composer's), the GFLOP/s they reach as a share
 * of OpenBLAS's sgemm peak (measured in the same run), and sampling characters per second at batch 1,
 * each against PyTorch 1.13 on the same model (bench/ref/writer_torch.py).
 * Ratio > 1 means we are faster.  Two threads throughout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/progress.h"
#include "base/rng.h"
#include "bench.h"
#include "nn/charlm.h"
#include "nn/gemm.h"
#include "nn/parallel.h"

#define THREADS 2
#define V 65      /* tinyshakespeare's alphabet */
#define E 64      /* the writer's default embedding */

struct shape {
	const char *name;
	int L, H, T, B, steps;    /* steps timed (ours); torch times fewer */
	int torch_steps;
};

static const struct shape shapes[] = {
	{ "(a) 2x128 seq 64 batch 32", 2, 128, 64, 32, 30, 10 },
	{ "(b) 2x512 seq 100 batch 32", 2, 512, 100, 32, 10, 5 },
	{ "(c) 3x512 seq 100 batch 50", 3, 512, 100, 50, 6, 3 },
	{ "(d) 2x256 seq 100 batch 32 (composer)", 2, 256, 100, 32, 20, 8 },
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *x, int n)
{
	qsort(x, (size_t)n, sizeof(double), cmp_double);
	return x[n / 2];
}

static void make_model(nn_charlm *m, int L, int H, unsigned flags, bj_rng *rng)
{
	uint32_t cps[V];
	cps[0] = 0xFFFD;
	for (int i = 1; i < V; i++)
		cps[i] = 31 + (uint32_t)i;
	nn_charlm_config cfg = { .vocab = V, .embed = E, .hidden = H, .layers = L };
	if (nn_charlm_init(m, &cfg, cps, flags) < 0) {
		fprintf(stderr, "bench_writer: cannot build the model\n");
		exit(1);
	}
	nn_charlm_init_weights(m, rng);
}

/* Multiply-adds of one training step, times 2: forward, and backward's two
 * products per forward one, of every layer and the head. */
static double step_flops(const struct shape *s)
{
	double bt = (double)s->B * s->T, flops = 0.0;
	for (int k = 0; k < s->L; k++)
		flops += 6.0 * bt * 4.0 * s->H * ((k ? s->H : E) + s->H);
	return flops + 6.0 * bt * V * s->H;
}

/* Median milliseconds of one training step (one warm-up). */
static double time_training(const struct shape *s)
{
	bj_rng rng;
	bj_rng_init(&rng, 1);
	nn_charlm m;
	make_model(&m, s->L, s->H, NN_CHARLM_TRAIN, &rng);
	nn_charlm_state st;
	nn_charlm_state_init(&st, &m, s->B);
	size_t n = (size_t)s->B * s->T;
	int32_t *in = bj_xmalloc(n * sizeof(*in)), *tg = bj_xmalloc(n * sizeof(*tg));
	double ms[64];
	for (int k = 0; k <= s->steps; k++) {
		for (size_t i = 0; i < n; i++) {
			in[i] = (int32_t)bj_rng_below(&rng, V);
			tg[i] = (int32_t)bj_rng_below(&rng, V);
		}
		nn_charlm_step step = { .lr = 2e-3, .clip = 5.0 };
		double t = now_ms();
		nn_charlm_train_step(&m, &st, in, tg, s->B, s->T, &step, &rng);
		if (k)
			ms[k - 1] = now_ms() - t;
		if (!isfinite(step.loss) || (k == 0 && fabs(step.loss - log(V)) > 0.5)) {
			fprintf(stderr, "bench_writer: first loss %.3f, expected about ln %d = %.3f\n",
			        step.loss, V, log(V));
			exit(1);
		}
	}
	free(in);
	free(tg);
	nn_charlm_state_release(&st);
	nn_charlm_release(&m);
	return median(ms, s->steps);
}

struct sgemm_job {
	int n;
	float *a, *b, *c;
};

static void sgemm_once(void *ctx)
{
	struct sgemm_job *j = ctx;
	nn_gemm(0, 0, j->n, j->n, j->n, 1.0f, j->a, j->n, j->b, j->n, 0.0f, j->c, j->n);
}

/* OpenBLAS sgemm on large squares, the best of two sizes, in GFLOP/s. */
static double sgemm_peak(void)
{
	double best = 0.0;
	for (int n = 2048; n <= 3072; n += 1024) {
		struct sgemm_job j = { n, bj_xmalloc(sizeof(float) * n * n),
		                       bj_xmalloc(sizeof(float) * n * n), bj_xmalloc(sizeof(float) * n * n) };
		for (size_t i = 0; i < (size_t)n * n; i++)
			j.a[i] = (float)(i % 13) * 0.01f, j.b[i] = (float)(i % 7) * 0.01f;
		double ms = bench_median_ms(sgemm_once, &j, 5);
		double g = 2.0 * n * n * (double)n / (ms * 1e6);
		if (g > best)
			best = g;
		free(j.a), free(j.b), free(j.c);
	}
	return best;
}

/* Checked before timed: the packed recurrent product against the naive twin,
 * and sampling's packed plan against the plain forward pass. */
static int check(void)
{
	enum { M = 16, K = 512, N = 2048 };
	bj_rng rng;
	bj_rng_init(&rng, 2);
	float *a = bj_xmalloc(sizeof(float) * M * K), *b = bj_xmalloc(sizeof(float) * N * K);
	float *c1 = bj_xcalloc((size_t)M * N, sizeof(float)), *c2 = bj_xcalloc((size_t)M * N, sizeof(float));
	float *panels = aligned_alloc(64, sizeof(float) * nn_gemm_pack_floats(K, N));
	float *scratch = aligned_alloc(64, sizeof(float) * 8 * K);
	for (size_t i = 0; i < (size_t)M * K; i++)
		a[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
	for (size_t i = 0; i < (size_t)N * K; i++)
		b[i] = 2.0f * bj_rng_uniform(&rng) - 1.0f;
	nn_gemm_pb pb;
	nn_gemm_pack(&pb, 1, K, N, b, K, panels);
	nn_gemm_packed(M, a, K, &pb, 0.0f, c1, N, scratch);
	nn_gemm_naive(0, 1, M, N, K, 1.0f, a, K, b, K, 0.0f, c2, N);
	double worst = 0.0;
	for (size_t i = 0; i < (size_t)M * N; i++)
		worst = fmax(worst, fabs(c1[i] - c2[i]));
	free(a), free(b), free(c1), free(c2), free(panels), free(scratch);
	if (worst > 1e-4) {
		fprintf(stderr, "bench_writer: packed product off by %g\n", worst);
		return -1;
	}
	/* Sampling: the logits after 20 characters, plan against batched forward
	 * (the model feeds through its plan; the reference forces one pass of T = 20). */
	nn_charlm m;
	make_model(&m, 2, 512, 0, &rng);
	nn_charlm_state s1, s2;
	nn_charlm_state_init(&s1, &m, 1);
	nn_charlm_state_init(&s2, &m, 1);
	int32_t ids[20], tg[20];
	for (int i = 0; i < 20; i++)
		ids[i] = (int32_t)bj_rng_below(&rng, V), tg[i] = -1;
	nn_charlm_feed(&m, &s1, ids, 20);
	double loss;
	nn_charlm_loss(&m, &s2, ids, tg, 1, 20, &loss);
	worst = 0.0;
	for (int i = 0; i < 512 * 2; i++)
		worst = fmax(worst, fabs(s1.h[i] - s2.h[i]));
	nn_charlm_state_release(&s1);
	nn_charlm_state_release(&s2);
	nn_charlm_release(&m);
	if (worst > 1e-4) {
		fprintf(stderr, "bench_writer: sampling state off by %g\n", worst);
		return -1;
	}
	return 0;
}

static int emit_nothing(void *ctx, uint32_t cp)
{
	(void)ctx;
	(void)cp;
	return 0;
}

/* Sampling at batch 1: median microseconds per character over three runs. */
static double time_sampling(int L, int H, long n)
{
	bj_rng rng;
	bj_rng_init(&rng, 3);
	nn_charlm m;
	make_model(&m, L, H, 0, &rng);
	nn_charlm_state s;
	nn_charlm_state_init(&s, &m, 1);
	int32_t prime = 1;
	nn_charlm_feed(&m, &s, &prime, 1);
	nn_sample_opts o = { .temperature = 0.8f };
	double us[3];
	nn_charlm_generate(&m, &s, n / 4, &o, 0, &rng, emit_nothing, NULL);   /* warm-up */
	for (int r = 0; r < 3; r++) {
		double t = now_ms();
		nn_charlm_generate(&m, &s, n, &o, 0, &rng, emit_nothing, NULL);
		us[r] = (now_ms() - t) * 1e3 / (double)n;
	}
	nn_charlm_state_release(&s);
	nn_charlm_release(&m);
	return median(us, 3);
}

static void report_rate(const char *what, double ours, double torch)
{
	if (torch > 0)
		printf("%-44s ours %8.0f chars/s  torch %8.0f chars/s  ratio %5.2f  threads=%d\n", what,
		       ours, torch, ours / torch, THREADS);
	else
		printf("%-44s ours %8.0f chars/s  torch: not installed  threads=%d\n", what, ours,
		       THREADS);
}

int main(void)
{
	bj_progress_set_output(stderr, BJ_PROGRESS_OFF, 0);
	if (nn_set_threads(THREADS) < 0)
		return 1;
	if (check() < 0)
		return 1;
	printf("bench_writer: checks passed; timing (OpenBLAS %s)\n",
	       nn_gemm_packed_available() ? "+ AVX-512 packed recurrent kernel" : "only");
	double peak = sgemm_peak();
	printf("%-44s %.1f GFLOP/s  threads=%d\n", "sgemm peak (OpenBLAS, 2048..3072 squares)", peak,
	       THREADS);
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];
		double ms = time_training(s);
		char args[128];
		snprintf(args, sizeof(args), "train %d %d %d %d %d %d %d", s->L, s->H, s->T, s->B, V, E,
		         s->torch_steps);
		double ref = bench_reference("writer_torch.py", args);
		double chars = (double)s->B * s->T;
		char what[96];
		snprintf(what, sizeof(what), "train %s", s->name);
		report_rate(what, chars / ms * 1e3, ref > 0 ? chars / ref * 1e3 : -1);
		double g = step_flops(s) / (ms * 1e6);
		printf("%-44s ours %.1f GFLOP/s = %.0f%% of sgemm peak", "", g, 100.0 * g / peak);
		if (ref > 0)
			printf("  (torch %.1f GFLOP/s = %.0f%%)", step_flops(s) / (ref * 1e6),
			       100.0 * step_flops(s) / (ref * 1e6) / peak);
		printf("\n");
	}
	double us = time_sampling(2, 512, 4000);
	double ref = bench_reference("writer_torch.py", "sample 2 512 65 64 1000");
	report_rate("sample (b) 2x512 batch 1, temperature 0.8", 1e6 / us,
	            ref > 0 ? 1e3 / ref : -1);
	return 0;
}
