#include "nn/charlm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "nn/gemm.h"
#include "harness.h"

#define FIXTURE "tests/fixtures/nn/lstm_torch.safetensors"

/* A vocabulary: the unknown symbol, then 'a', 'b', ... */
static void letters(uint32_t *cps, int V)
{
	cps[0] = 0xFFFD;
	for (int i = 1; i < V; i++)
		cps[i] = 'a' + (uint32_t)i - 1;
}

static float *ref(const bj_safetensors *st, const char *name, size_t n)
{
	const bj_st_tensor *t = bj_safetensors_find(st, name);
	CHECK(t && t->count == n, "'%s'", name);
	if (!t || t->count != n)
		return NULL;
	float *out = bj_xmalloc(n * sizeof(float));
	bj_st_tensor_to_f32(t, out);
	return out;
}

/* nn_charlm_train_step against the PyTorch trajectory of scripts/ref/lstm_torch.py:
 * the state is set to the fixture's h0, c0 before each step, as the script
 * feeds them every time. */
static void test_train_step_matches_torch(void)
{
	bj_safetensors *st = NULL;
	nn_charlm m = { 0 };
	nn_charlm_state s = { 0 };
	float *h0 = NULL, *c0 = NULL, *loss = NULL, *norm = NULL;
	CHECK(bj_safetensors_load(FIXTURE, &st) == 0, "%s", bj_error_message());
	if (!st)
		return;
	nn_charlm_config cfg = { .vocab = 11, .embed = 8, .hidden = 12, .layers = 2 };
	uint32_t cps[11];
	letters(cps, 11);
	CHECK(nn_charlm_init(&m, &cfg, cps, NN_CHARLM_TRAIN) == 0, "%s", bj_error_message());
	CHECK(nn_params_read(&m.params, NN_DATA, "", st) == 0, "%s", bj_error_message());
	m.opt.weight_decay = strtod(bj_safetensors_meta(st, "weight_decay"), NULL);
	const bj_st_tensor *ti = bj_safetensors_find(st, "inputs");
	const bj_st_tensor *tt = bj_safetensors_find(st, "targets");
	enum { B = 2, T = 5, LBH = 2 * 2 * 12 };
	int32_t inputs[B * T], targets[B * T];
	CHECK(ti && tt && ti->count == B * T && tt->count == B * T);
	if (!ti || !tt || ti->count != B * T || tt->count != B * T)
		goto out;
	memcpy(inputs, ti->data, sizeof(inputs));
	memcpy(targets, tt->data, sizeof(targets));
	h0 = ref(st, "h0", LBH), c0 = ref(st, "c0", LBH);
	loss = ref(st, "traj.loss", 10), norm = ref(st, "traj.norm", 10);
	if (!h0 || !c0 || !loss || !norm)
		goto out;
	nn_lr_schedule sched = { .lr = 0.02, .warmup = 3, .decay = NN_LR_COSINE, .total = 10,
	                         .min_lr = 0.002 };
	nn_charlm_state_init(&s, &m, B);
	float got_loss[10], got_norm[10];
	bj_rng rng;
	bj_rng_init(&rng, 1);
	for (int k = 0; k < 10; k++) {
		memcpy(s.h, h0, sizeof(float) * LBH);
		memcpy(s.c, c0, sizeof(float) * LBH);
		nn_charlm_step step = { .lr = nn_lr_schedule_at(&sched, k), .clip = 0.32 };
		CHECK(nn_charlm_train_step(&m, &s, inputs, targets, B, T, &step, &rng) == 0);
		got_loss[k] = (float)step.loss;
		got_norm[k] = (float)step.norm;
	}
	CHECK_CLOSE("traj.loss", got_loss, loss, 10, 1e-4, 0);
	CHECK_CLOSE("traj.norm", got_norm, norm, 10, 1e-5, 0);
	for (int i = 0; i < m.params.n_views; i++) {
		char name[NN_PARAM_NAME_MAX + 8];
		snprintf(name, sizeof(name), "final.%s", m.params.views[i].name);
		nn_tensor w = nn_params_view(&m.params, NN_DATA, i);
		float *want = ref(st, name, (size_t)nn_tensor_count(&w));
		if (want)
			CHECK_CLOSE(name, w.data, want, (size_t)nn_tensor_count(&w), 1e-5, 0);
		free(want);
	}
out:
	free(h0), free(c0), free(loss), free(norm);
	nn_charlm_state_release(&s);
	nn_charlm_release(&m);
	bj_safetensors_free(st);
}

/* Some text, its vocabulary and its ids. */
static const char text[] = "the cat sat on the mat. the rat ate the hat. ";

static int vocab_of(const char *t, uint32_t *cps)
{
	int seen[128] = { 0 }, V = 1;
	cps[0] = 0xFFFD;
	for (const char *p = t; *p; p++)
		seen[(unsigned char)*p] = 1;
	for (int c = 0; c < 128; c++)
		if (seen[c])
			cps[V++] = (uint32_t)c;
	return V;
}

struct tiny {
	nn_charlm m;
	nn_charlm_state s;
	int32_t ids[sizeof(text)];
	size_t n;
	bj_rng rng;
};

static void tiny_init(struct tiny *t, float dropout)
{
	uint32_t cps[128];
	memset(t, 0, sizeof(*t));
	nn_charlm_config cfg = { .embed = 8, .hidden = 24, .layers = 2, .dropout = dropout };
	cfg.vocab = vocab_of(text, cps);
	CHECK(nn_charlm_init(&t->m, &cfg, cps, NN_CHARLM_TRAIN) == 0, "%s", bj_error_message());
	bj_rng_init(&t->rng, 42);
	nn_charlm_init_weights(&t->m, &t->rng);
	t->n = nn_charlm_encode(&t->m, text, strlen(text), t->ids);
	nn_charlm_state_init(&t->s, &t->m, 2);
}

static void tiny_release(struct tiny *t)
{
	nn_charlm_state_release(&t->s);
	nn_charlm_release(&t->m);
}

/* Batch k of the text cut into two streams of T tokens each. */
static void batch(const struct tiny *t, int k, int T, int32_t *in, int32_t *tg)
{
	size_t half = (t->n - 1) / 2;
	for (int b = 0; b < 2; b++)
		for (int j = 0; j < T; j++) {
			size_t pos = (b * half + ((size_t)k * T + j) % (half - 1));
			in[b * T + j] = t->ids[pos];
			tg[b * T + j] = t->ids[pos + 1];
		}
}

static double train(struct tiny *t, int steps, int T, int first)
{
	int32_t in[2 * 16], tg[2 * 16];
	nn_charlm_step step = { .lr = 1e-2, .clip = 1.0 };
	for (int k = first; k < first + steps; k++) {
		batch(t, k, T, in, tg);
		CHECK(nn_charlm_train_step(&t->m, &t->s, in, tg, 2, T, &step, &t->rng) == 0);
	}
	return step.loss;
}

static void test_learns_and_samples(void)
{
	struct tiny t;
	tiny_init(&t, 0.1f);
	CHECK(t.n == strlen(text));
	int32_t in[32], tg[32];
	batch(&t, 0, 16, in, tg);
	nn_charlm_state_reset(&t.s);
	double before;
	CHECK(nn_charlm_loss(&t.m, &t.s, in, tg, 2, 16, &before) == 0);
	double after = train(&t, 150, 16, 0);
	printf("    loss %.3f -> %.3f nats in 150 steps\n", before, after);
	CHECK(before > 2.0 && after < 0.6, "loss %.3f -> %.3f", before, after);

	/* Greedy continuation of a prime the model has seen many times. */
	nn_charlm_state one;
	nn_charlm_state_init(&one, &t.m, 1);
	int32_t prime[16];
	size_t np = nn_charlm_encode(&t.m, "the ca", 6, prime);
	CHECK(nn_charlm_feed(&t.m, &one, prime, (int)np) == 0);
	char out[8] = { 0 };
	for (int k = 0; k < 5; k++) {
		int32_t id = nn_charlm_sample_next(&t.m, &(nn_sample_opts){ 0 }, &t.rng);
		out[k] = (char)t.m.codepoints[id];
		nn_charlm_feed(&t.m, &one, &id, 1);
	}
	printf("    'the ca' -> '%s'\n", out);
	CHECK(strncmp(out, "t sat", 5) == 0, "'%s'", out);
	nn_charlm_state_release(&one);
	tiny_release(&t);
}

/* A new (B, T) rebuilds the activations; going back gives the same numbers. */
static void test_shape_changes(void)
{
	struct tiny t;
	tiny_init(&t, 0.0f);
	int32_t in[2 * 9], tg[2 * 9];
	double l1, l2, l3;
	batch(&t, 0, 9, in, tg);
	nn_charlm_state_reset(&t.s);
	CHECK(nn_charlm_loss(&t.m, &t.s, in, tg, 2, 9, &l1) == 0);
	CHECK(t.m.B == 2 && t.m.T == 9);
	nn_charlm_state one;
	nn_charlm_state_init(&one, &t.m, 1);
	CHECK(nn_charlm_loss(&t.m, &one, in, tg, 1, 4, &l2) == 0);
	CHECK(t.m.B == 1 && t.m.T == 4);
	nn_charlm_state_reset(&t.s);
	CHECK(nn_charlm_loss(&t.m, &t.s, in, tg, 2, 9, &l3) == 0);
	CHECK(l1 == l3, "%.17g then %.17g", l1, l3);
	nn_charlm_state_release(&one);
	tiny_release(&t);
}

/* Carrying the state across two halves is the same as one long pass. */
static void test_carried_state(void)
{
	struct tiny t;
	tiny_init(&t, 0.0f);
	enum { T = 12 };
	int32_t in[2 * T], tg[2 * T], hin[2 * T / 2], htg[2 * T / 2];
	batch(&t, 0, T, in, tg);
	double whole, a, b;
	nn_charlm_state_reset(&t.s);
	CHECK(nn_charlm_loss(&t.m, &t.s, in, tg, 2, T, &whole) == 0);
	nn_charlm_state_reset(&t.s);
	for (int part = 0; part < 2; part++) {
		for (int r = 0; r < 2; r++) {
			memcpy(hin + r * T / 2, in + r * T + part * T / 2, sizeof(int32_t) * T / 2);
			memcpy(htg + r * T / 2, tg + r * T + part * T / 2, sizeof(int32_t) * T / 2);
		}
		CHECK(nn_charlm_loss(&t.m, &t.s, hin, htg, 2, T / 2, part ? &b : &a) == 0);
	}
	CHECK_NEAR((a + b) / 2, whole, 1e-6);
	tiny_release(&t);
}

/* Six steps, or three, a save with the optimizer, a load and three more: the
 * same bytes. */
static void test_resume_is_exact(void)
{
	struct tiny a, b;
	tiny_init(&a, 0.2f);
	tiny_init(&b, 0.2f);
	a.m.opt.weight_decay = b.m.opt.weight_decay = 0.05;
	train(&a, 6, 8, 0);
	train(&b, 3, 8, 0);
	const char *path = test_path("lm.safetensors");
	CHECK(nn_charlm_save(&b.m, path, 1) == 0, "%s", bj_error_message());
	nn_charlm c;
	CHECK(nn_charlm_load(&c, path, NN_CHARLM_TRAIN) == 0, "%s", bj_error_message());
	CHECK(c.opt.step == 3 && c.opt.weight_decay == 0.05 && c.cfg.dropout == 0.2f);
	CHECK(c.cfg.vocab == b.m.cfg.vocab && memcmp(c.codepoints, b.m.codepoints,
	                                             sizeof(uint32_t) * c.cfg.vocab) == 0);
	/* The caller carries its own stream state and rng, as the writer would. */
	nn_charlm_release(&b.m);
	b.m = c;
	train(&b, 3, 8, 3);
	CHECK(memcmp(a.m.params.block[NN_DATA], b.m.params.block[NN_DATA],
	             a.m.params.count * sizeof(float)) == 0, "resumed weights differ");
	CHECK(memcmp(a.m.params.block[NN_ADAM_V], b.m.params.block[NN_ADAM_V],
	             a.m.params.count * sizeof(float)) == 0, "resumed moments differ");
	tiny_release(&a);
	tiny_release(&b);
}

/* A model saved without the optimizer loads for sampling and predicts the same. */
static void test_save_and_load_for_sampling(void)
{
	struct tiny t;
	tiny_init(&t, 0.0f);
	train(&t, 5, 8, 0);
	const char *path = test_path("lm.safetensors");
	CHECK(nn_charlm_save(&t.m, path, 0) == 0, "%s", bj_error_message());
	nn_charlm m;
	CHECK(nn_charlm_load(&m, path, 0) == 0, "%s", bj_error_message());
	CHECK(!m.params.block[NN_GRAD] && !m.params.block[NN_ADAM_M]);
	nn_charlm_state s1, s2;
	nn_charlm_state_init(&s1, &t.m, 1);
	nn_charlm_state_init(&s2, &m, 1);
	CHECK(nn_charlm_feed(&t.m, &s1, t.ids, 10) == 0 && nn_charlm_feed(&m, &s2, t.ids, 10) == 0);
	CHECK(memcmp(t.m.next, m.next, sizeof(float) * m.cfg.vocab) == 0);
	/* A training load of a file without optimizer state starts Adam afresh. */
	nn_charlm r;
	CHECK(nn_charlm_load(&r, path, NN_CHARLM_TRAIN) == 0 && r.opt.step == 0);
	nn_charlm_release(&r);
	nn_charlm_state_release(&s1);
	nn_charlm_state_release(&s2);
	nn_charlm_release(&m);
	tiny_release(&t);
}

/* Collects what nn_charlm_generate draws. */
struct drawn {
	uint32_t cps[64];
	int n;
};

static int collect(void *ctx, uint32_t cp)
{
	struct drawn *d = ctx;
	d->cps[d->n++] = cp;
	return 0;
}

/* 60 characters drawn from the model in path after a prime, with seed 7. */
static void draw_from(const char *path, struct drawn *d)
{
	nn_charlm m;
	memset(d, 0, sizeof(*d));
	CHECK(nn_charlm_load(&m, path, 0) == 0, "%s", bj_error_message());
	nn_charlm_state s;
	nn_charlm_state_init(&s, &m, 1);
	int32_t prime[8];
	size_t np = nn_charlm_encode(&m, "the ca", 6, prime);
	bj_rng rng;
	bj_rng_init(&rng, 7);
	CHECK(nn_charlm_feed(&m, &s, prime, (int)np) == 0);
	CHECK(nn_charlm_generate(&m, &s, 60, &(nn_sample_opts){ .temperature = 1.0f }, 0, &rng,
	                         collect, d) == 0);
	nn_charlm_state_release(&s);
	nn_charlm_release(&m);
}

static long file_size(const char *path)
{
	size_t size;
	char *data = test_read_file(path, &size);
	free(data);
	return data ? (long)size : -1;
}

/* A stripped checkpoint: smaller, the same draws, no optimizer state, the
 * other metadata kept; halved weights within float16's rounding. */
static void test_strip(void)
{
	struct tiny t;
	tiny_init(&t, 0.0f);
	train(&t, 5, 8, 0);
	/* test_path's answer lasts until its next call. */
	char full[4096], lean[4096], half[4096];
	snprintf(full, sizeof(full), "%s", test_path("full.safetensors"));
	snprintf(lean, sizeof(lean), "%s", test_path("lean.safetensors"));
	snprintf(half, sizeof(half), "%s", test_path("half.safetensors"));
	bj_st_writer *w = bj_st_writer_new();
	CHECK(nn_charlm_write(&t.m, w, 1) == 0);
	CHECK(bj_st_writer_set_meta(w, "writer.note", "kept") == 0);
	CHECK(bj_st_writer_save(w, full) == 0);
	bj_st_writer_free(w);
	CHECK(nn_charlm_strip(full, lean, 0) == 0, "%s", bj_error_message());
	CHECK(nn_charlm_strip(full, half, 1) == 0, "%s", bj_error_message());
	long sf = file_size(full), sl = file_size(lean), sh = file_size(half);
	printf("    %ld bytes -> %ld, %ld halved\n", sf, sl, sh);
	CHECK(sl > 0 && sl < sf / 2 && sh < sl * 2 / 3, "%ld %ld %ld", sf, sl, sh);

	struct drawn a, b;
	draw_from(full, &a);
	draw_from(lean, &b);
	CHECK(a.n == 60 && b.n == 60 && memcmp(a.cps, b.cps, sizeof(a.cps)) == 0);

	bj_safetensors *st;
	CHECK(bj_safetensors_load(lean, &st) == 0);
	CHECK(!bj_safetensors_meta(st, "adam.step") && !bj_safetensors_find(st, "adam.m.head.bias"));
	CHECK(bj_safetensors_meta(st, "writer.note") &&
	      strcmp(bj_safetensors_meta(st, "writer.note"), "kept") == 0);
	bj_safetensors_free(st);
	/* Resuming training needs the optimizer: a training load starts Adam afresh. */
	nn_charlm r;
	CHECK(nn_charlm_load(&r, lean, NN_CHARLM_TRAIN) == 0 && r.opt.step == 0);
	nn_charlm_release(&r);

	nn_charlm m;
	CHECK(nn_charlm_load(&m, half, 0) == 0, "%s", bj_error_message());
	CHECK(bj_safetensors_load(half, &st) == 0);
	CHECK(bj_safetensors_find(st, "head.weight")->dtype == BJ_DTYPE_F16);
	bj_safetensors_free(st);
	double worst = 0.0;
	for (size_t i = 0; i < m.params.count; i++) {
		double x = t.m.params.block[NN_DATA][i], y = m.params.block[NN_DATA][i];
		double err = fabs(x - y) / fmax(fabs(x), 0x1p-14);
		worst = fmax(worst, err);
	}
	CHECK(worst <= 0x1p-11, "relative error %g", worst);
	nn_charlm_release(&m);

	/* Truncated stripped files are refused. */
	for (int k = 0; k < 2; k++) {
		const char *path = k ? half : lean;
		size_t size;
		char *whole = test_read_file(path, &size);
		const size_t cuts[] = { 0, 8, 200, size / 2, size - 2 };
		for (size_t i = 0; whole && i < BJ_ARRAY_SIZE(cuts); i++) {
			test_write_file(path, whole, cuts[i]);
			CHECK(nn_charlm_strip(path, test_path("again.safetensors"), 0) < 0);
			CHECK(nn_charlm_load(&m, path, 0) < 0, "cut at %zu loaded", cuts[i]);
			nn_charlm_release(&m);
		}
		free(whole);
	}
	tiny_release(&t);
}

/* Saves m with one metadata value replaced. */
static void save_with_meta(const nn_charlm *m, const char *path, const char *key, const char *value)
{
	bj_st_writer *w = bj_st_writer_new();
	CHECK(nn_charlm_write(m, w, 0) == 0);
	CHECK(bj_st_writer_set_meta(w, key, value) == 0);
	CHECK(bj_st_writer_save(w, path) == 0);
	bj_st_writer_free(w);
}

static void expect_load_error(const char *path, int code, const char *message)
{
	nn_charlm m;
	int ret = nn_charlm_load(&m, path, NN_CHARLM_TRAIN);
	CHECK(ret == code, "got %d want %d: %s", ret, code, bj_error_message());
	CHECK(strstr(bj_error_message(), message), "message '%s' lacks '%s'", bj_error_message(),
	      message);
	nn_charlm_release(&m);
}

static void test_bad_files(void)
{
	struct tiny t;
	tiny_init(&t, 0.0f);
	const char *path = test_path("bad.safetensors");
	save_with_meta(&t.m, path, "charlm.hidden", "24x");
	expect_load_error(path, BJ_EFORMAT,
	                  "metadata 'charlm.hidden' is '24x', expected a whole number in 1..65536");
	save_with_meta(&t.m, path, "charlm.layers", "9");
	expect_load_error(path, BJ_EFORMAT, "metadata 'charlm.layers' is '9'");
	save_with_meta(&t.m, path, "charlm.dropout", "1");
	expect_load_error(path, BJ_EFORMAT, "metadata 'charlm.dropout' is '1'");
	/* A model far larger than the file: refused before allocating it. */
	save_with_meta(&t.m, path, "charlm.hidden", "65536");
	expect_load_error(path, BJ_EFORMAT, "tensor 'lstm.weight_ih_l0' does not have the shape");
	save_with_meta(&t.m, path, "charlm.vocab", "5");
	expect_load_error(path, BJ_EFORMAT, "tensor 'charlm.codepoints' is not 5 int32 code points");

	/* No metadata at all. */
	bj_st_writer *w = bj_st_writer_new();
	CHECK(nn_params_write(&t.m.params, NN_DATA, "", w) == 0);
	CHECK(bj_st_writer_save(w, path) == 0);
	bj_st_writer_free(w);
	expect_load_error(path, BJ_EFORMAT, "no metadata 'charlm.vocab'");

	/* A vocabulary out of order. */
	uint32_t saved = t.m.codepoints[2];
	t.m.codepoints[2] = t.m.codepoints[1];
	CHECK(nn_charlm_save(&t.m, path, 0) == 0);
	t.m.codepoints[2] = saved;
	expect_load_error(path, BJ_EFORMAT, "vocabulary is not in increasing order at id 2");

	/* Truncated: the reader refuses, and nothing leaks. */
	CHECK(nn_charlm_save(&t.m, path, 0) == 0);
	size_t size;
	char *whole = test_read_file(path, &size);
	CHECK(whole != NULL);
	if (whole) {
		const size_t cuts[] = { 0, 7, 8, 100, size / 2, size - 1 };
		for (size_t i = 0; i < BJ_ARRAY_SIZE(cuts); i++) {
			test_write_file(path, whole, cuts[i]);
			nn_charlm m;
			CHECK(nn_charlm_load(&m, path, 0) < 0, "cut at %zu loaded", cuts[i]);
			nn_charlm_release(&m);
		}
	}
	free(whole);
	tiny_release(&t);
}

/* Everything but head.bias, written by hand. */
static void test_missing_tensor(void)
{
	struct tiny t;
	tiny_init(&t, 0.0f);
	const char *path = test_path("bad.safetensors");
	bj_st_writer *w = bj_st_writer_new();
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", t.m.cfg.vocab);
	bj_st_writer_set_meta(w, "charlm.vocab", buf);
	bj_st_writer_set_meta(w, "charlm.embed", "8");
	bj_st_writer_set_meta(w, "charlm.hidden", "24");
	bj_st_writer_set_meta(w, "charlm.layers", "2");
	bj_st_writer_set_meta(w, "charlm.dropout", "0");
	bj_st_writer_add(w, "charlm.codepoints", BJ_DTYPE_I32, 1, (int64_t[]){ t.m.cfg.vocab },
	                 t.m.codepoints);
	for (int i = 0; i + 1 < t.m.params.n_views; i++) {
		nn_tensor v = nn_params_view(&t.m.params, NN_DATA, i);
		bj_st_writer_add(w, t.m.params.views[i].name, BJ_DTYPE_F32, v.ndim, v.shape, v.data);
	}
	CHECK(bj_st_writer_save(w, path) == 0);
	bj_st_writer_free(w);
	expect_load_error(path, BJ_ENOENT, "no tensor 'head.bias'");
	tiny_release(&t);
}

static void test_encode(void)
{
	nn_charlm m;
	const uint32_t cps[] = { 0xFFFD, ' ', 'a', 0xE9, 0x4E16, 0x1F3AC };
	nn_charlm_config cfg = { .vocab = 6, .embed = 2, .hidden = 2, .layers = 1 };
	CHECK(nn_charlm_init(&m, &cfg, cps, 0) == 0);
	/* "a é世🎬 z" then a stray continuation byte */
	const char s[] = "a \xc3\xa9\xe4\xb8\x96\xf0\x9f\x8e\xac z\x80";
	int32_t ids[sizeof(s)];
	size_t n = nn_charlm_encode(&m, s, strlen(s), ids);
	const int32_t want[] = { 2, 1, 3, 4, 5, 1, 0, 0 };
	CHECK(n == BJ_ARRAY_SIZE(want), "%zu ids", n);
	CHECK(n == BJ_ARRAY_SIZE(want) && memcmp(ids, want, sizeof(want)) == 0);
	CHECK(nn_charlm_id(&m, 0x1F3AC) == 5 && nn_charlm_id(&m, 'b') == 0 &&
	      nn_charlm_id(&m, 0xFFFD) == 0);
	nn_charlm_release(&m);
}

static void test_bad_settings(void)
{
	nn_charlm m;
	uint32_t cps[3] = { 0xFFFD, 'a', 'b' };
	nn_charlm_config cfg = { .vocab = 3, .embed = 4, .hidden = 0, .layers = 1 };
	CHECK(nn_charlm_init(&m, &cfg, cps, 0) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "hidden size 0 is outside 1..65536");
	nn_charlm_release(&m);
	cfg.hidden = 4;
	cfg.layers = 9;
	CHECK(nn_charlm_init(&m, &cfg, cps, 0) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "9 layers is outside 1..8");
	nn_charlm_release(&m);
	cfg.layers = 1;
	cps[2] = 'a';
	CHECK(nn_charlm_init(&m, &cfg, cps, 0) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "vocabulary is not in increasing order at id 2");
	nn_charlm_release(&m);
}

/* STYLE.md 2.4: the same bytes with 1 and 2 threads. */
static void test_threads_same_bytes(void)
{
	struct tiny a, b;
	tiny_init(&a, 0.1f);
	tiny_init(&b, 0.1f);
	int before = nn_get_threads();
	nn_set_threads(1);
	train(&a, 4, 16, 0);
	nn_set_threads(2);
	train(&b, 4, 16, 0);
	nn_set_threads(before);
	CHECK(memcmp(a.m.params.block[NN_DATA], b.m.params.block[NN_DATA],
	             a.m.params.count * sizeof(float)) == 0);
	tiny_release(&a);
	tiny_release(&b);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_train_step_matches_torch),
		TEST_CASE(test_learns_and_samples),
		TEST_CASE(test_shape_changes),
		TEST_CASE(test_carried_state),
		TEST_CASE(test_resume_is_exact),
		TEST_CASE(test_save_and_load_for_sampling),
		TEST_CASE(test_strip),
		TEST_CASE(test_bad_files),
		TEST_CASE(test_missing_tensor),
		TEST_CASE(test_encode),
		TEST_CASE(test_bad_settings),
		TEST_CASE(test_threads_same_bytes),
		{ 0 },
	};
	return test_main(cases);
}
