/*
 * The embedding, LSTM, linear head, cross-entropy, clipping, schedule and AdamW
 * of src/nn against PyTorch 1.13 on the same tiny character LM.  The reference
 * is tests/fixtures/nn/lstm_torch.safetensors, written by
 *
 *     /usr/bin/python3 scripts/ref/lstm_torch.py
 *
 * (see the script for what the file holds).
 */
#include "nn/lstm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "nn/arena.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/optim.h"
#include "nn/params.h"
#include "harness.h"
#include "torch_fixture.h"

#define FIXTURE "tests/fixtures/nn/lstm_torch.safetensors"

/* The model of the script, built from src/nn. */
struct lm {
	int V, E, H, L, B, T;
	nn_params p;
	nn_embedding embed;
	nn_lstm lstm;
	nn_linear head;
	nn_arena arena;
	nn_lstm_cache cache;
	float *x;        /* (B, T, E) */
	float *h;        /* (B, T, H) */
	float *logits;   /* (B, T, V) */
	float *probs;    /* (B, T, V) */
	float *dlogits;  /* (B, T, V) */
	float *dh;       /* (B, T, H) */
	float *dx;       /* (B, T, E) */
	float *hT, *cT;  /* (L, B, H) */
	float *dh0, *dc0;   /* (L, B, H) */
};

static void take(struct lm *m)
{
	size_t bt = (size_t)m->B * m->T, lbh = (size_t)m->L * m->B * m->H;
	m->x = nn_arena_take(&m->arena, bt * m->E);
	m->h = nn_arena_take(&m->arena, bt * m->H);
	m->logits = nn_arena_take(&m->arena, bt * m->V);
	m->probs = nn_arena_take(&m->arena, bt * m->V);
	m->dlogits = nn_arena_take(&m->arena, bt * m->V);
	m->dh = nn_arena_take(&m->arena, bt * m->H);
	m->dx = nn_arena_take(&m->arena, bt * m->E);
	m->hT = nn_arena_take(&m->arena, lbh);
	m->cT = nn_arena_take(&m->arena, lbh);
	m->dh0 = nn_arena_take(&m->arena, lbh);
	m->dc0 = nn_arena_take(&m->arena, lbh);
	nn_lstm_cache_take(&m->cache, &m->lstm, m->B, m->T, &m->arena);
}

static int lm_init(struct lm *m, int V, int E, int H, int L, int B, int T)
{
	memset(m, 0, sizeof(*m));
	m->V = V, m->E = E, m->H = H, m->L = L, m->B = B, m->T = T;
	nn_params_init(&m->p);
	nn_embedding_init(&m->embed, &m->p, "embed", V, E);
	nn_lstm_init(&m->lstm, &m->p, "lstm", E, H, L, 0.0f);
	nn_linear_init(&m->head, &m->p, "head", H, V, 1);
	if (nn_params_alloc(&m->p, NN_WITH_GRAD | NN_WITH_ADAM) < 0)
		return -1;
	nn_arena_init(&m->arena);
	take(m);
	if (nn_arena_alloc(&m->arena) < 0)
		return -1;
	take(m);
	return 0;
}

static void lm_release(struct lm *m)
{
	nn_params_release(&m->p);
	nn_arena_release(&m->arena);
}

/* Forward to the mean cross-entropy. */
static double lm_forward(struct lm *m, const int32_t *inputs, const int32_t *targets,
                         const float *h0, const float *c0)
{
	int n = m->B * m->T;
	nn_embedding_forward(&m->embed, inputs, n, m->x);
	nn_lstm_forward(&m->lstm, &m->cache, m->x, h0, c0, m->h, m->hT, m->cT, NULL);
	nn_linear_forward(&m->head, m->h, n, m->logits);
	return nn_xent_forward(m->logits, targets, n, m->V, m->probs);
}

/* Backward of loss + sum(hT .* dhT) + sum(cT .* dcT), into zeroed gradients. */
static void lm_backward(struct lm *m, const int32_t *inputs, const int32_t *targets,
                        const float *dhT, const float *dcT)
{
	int n = m->B * m->T;
	size_t lbh = (size_t)m->L * m->B * m->H;
	nn_params_zero_grad(&m->p);
	memset(m->dlogits, 0, (size_t)n * m->V * sizeof(float));
	memset(m->dh, 0, (size_t)n * m->H * sizeof(float));
	memset(m->dx, 0, (size_t)n * m->E * sizeof(float));
	memset(m->dh0, 0, lbh * sizeof(float));
	memset(m->dc0, 0, lbh * sizeof(float));
	nn_xent_backward(m->probs, targets, n, m->V, m->dlogits);
	nn_linear_backward(&m->head, m->h, m->dlogits, n, m->dh);
	nn_lstm_backward(&m->lstm, &m->cache, m->x, m->dh, dhT, dcT, m->dx, m->dh0, m->dc0);
	nn_embedding_backward(&m->embed, inputs, n, m->dx);
}

/* got against the fixture's tensor, to atol (torch_fixture.h). */
static void compare(const bj_safetensors *st, const char *name, const float *got, size_t n,
                    double atol)
{
	fixture_compare(st, name, got, n, 0.0, atol);
}

struct batch {
	int32_t *inputs, *targets;   /* (B, T) */
	float *h0, *c0, *dhT, *dcT;  /* (L, B, H) */
};

static int load(bj_safetensors **st, struct lm *m, struct batch *b)
{
	memset(b, 0, sizeof(*b));
	if (!(*st = fixture_open(FIXTURE, "scripts/ref/lstm_torch.py")))
		return -1;
	int V = fixture_meta_int(*st, "vocab"), E = fixture_meta_int(*st, "embed");
	int H = fixture_meta_int(*st, "hidden"), L = fixture_meta_int(*st, "layers");
	int B = fixture_meta_int(*st, "batch"), T = fixture_meta_int(*st, "steps_t");
	CHECK(V > 0 && E > 0 && H > 0 && L > 0 && B > 0 && T > 0);
	if (V <= 0 || E <= 0 || H <= 0 || L <= 0 || B <= 0 || T <= 0 || lm_init(m, V, E, H, L, B, T) < 0)
		return -1;
	CHECK(nn_params_read(&m->p, NN_DATA, "", *st) == 0, "%s", bj_error_message());
	size_t bt = (size_t)B * T, lbh = (size_t)L * B * H;
	b->inputs = bj_xmalloc(bt * sizeof(int32_t));
	b->targets = bj_xmalloc(bt * sizeof(int32_t));
	const bj_st_tensor *ti = bj_safetensors_find(*st, "inputs");
	const bj_st_tensor *tt = bj_safetensors_find(*st, "targets");
	CHECK(ti && tt && ti->dtype == BJ_DTYPE_I32 && tt->dtype == BJ_DTYPE_I32 &&
	      ti->count == bt && tt->count == bt);
	if (!ti || !tt || ti->count != bt || tt->count != bt)
		return -1;
	memcpy(b->inputs, ti->data, bt * sizeof(int32_t));
	memcpy(b->targets, tt->data, bt * sizeof(int32_t));
	b->h0 = fixture_tensor(*st, "h0", lbh);
	b->c0 = fixture_tensor(*st, "c0", lbh);
	b->dhT = fixture_tensor(*st, "dhT", lbh);
	b->dcT = fixture_tensor(*st, "dcT", lbh);
	return b->h0 && b->c0 && b->dhT && b->dcT ? 0 : -1;
}

static void batch_release(struct batch *b)
{
	free(b->inputs), free(b->targets), free(b->h0), free(b->c0), free(b->dhT), free(b->dcT);
}

static void test_forward_and_gradients(void)
{
	bj_safetensors *st = NULL;
	struct lm m;
	struct batch b;
	memset(&m, 0, sizeof(m));
	if (load(&st, &m, &b) < 0)
		goto out;
	size_t bt = (size_t)m.B * m.T, lbh = (size_t)m.L * m.B * m.H;
	int ignored = 0;
	for (size_t i = 0; i < bt; i++)
		ignored += b.targets[i] < 0;
	CHECK(ignored == 1, "%d ignored targets", ignored);

	float loss = (float)lm_forward(&m, b.inputs, b.targets, b.h0, b.c0);
	compare(st, "logits", m.logits, bt * m.V, 1e-5);
	compare(st, "loss", &loss, 1, 1e-5);
	compare(st, "hT", m.hT, lbh, 1e-5);
	compare(st, "cT", m.cT, lbh, 1e-5);

	lm_backward(&m, b.inputs, b.targets, b.dhT, b.dcT);
	for (int i = 0; i < m.p.n_views; i++) {
		char name[NN_PARAM_NAME_MAX + 8];
		snprintf(name, sizeof(name), "grad.%s", m.p.views[i].name);
		nn_tensor g = nn_params_view(&m.p, NN_GRAD, i);
		compare(st, name, g.data, (size_t)nn_tensor_count(&g), 1e-5);
	}
	compare(st, "grad.h0", m.dh0, lbh, 1e-5);
	compare(st, "grad.c0", m.dc0, lbh, 1e-5);
	printf("    %d parameter tensors (%zu floats) and h0, c0 compared\n", m.p.n_views, m.p.count);
out:
	batch_release(&b);
	lm_release(&m);
	bj_safetensors_free(st);
}

/* llm.c's trajectory test: 10 steps of clipping and AdamW on one batch. */
static void test_ten_adamw_steps(void)
{
	bj_safetensors *st = NULL;
	struct lm m;
	struct batch b;
	memset(&m, 0, sizeof(m));
	if (load(&st, &m, &b) < 0)
		goto out;
	int steps = fixture_meta_int(st, "steps");
	CHECK(steps == 10);
	if (steps != 10)
		goto out;
	nn_lr_schedule sched = {
		.lr = fixture_meta_double(st, "lr"), .warmup = fixture_meta_int(st, "warmup"),
		.decay = NN_LR_COSINE, .total = steps, .min_lr = fixture_meta_double(st, "min_lr"),
	};
	nn_adamw opt;
	nn_adamw_init(&opt, fixture_meta_double(st, "weight_decay"));
	double clip = fixture_meta_double(st, "clip");
	float losses[10], norms[10], lrs[10];
	int clipped = 0;
	for (int s = 0; s < steps; s++) {
		losses[s] = (float)lm_forward(&m, b.inputs, b.targets, b.h0, b.c0);
		lm_backward(&m, b.inputs, b.targets, NULL, NULL);
		double norm = nn_clip_grad_norm(&m.p, clip);
		clipped += norm > clip;
		double lr = nn_lr_schedule_at(&sched, s);
		nn_adamw_step(&opt, &m.p, lr);
		norms[s] = (float)norm;
		lrs[s] = (float)lr;
	}
	printf("    losses");
	for (int s = 0; s < steps; s++)
		printf(" %.5f", losses[s]);
	printf("\n    %d of %d steps clipped\n", clipped, steps);
	CHECK(clipped > 0 && clipped < steps);
	compare(st, "traj.lr", lrs, 10, 1e-9);
	compare(st, "traj.norm", norms, 10, 1e-5);
	compare(st, "traj.loss", losses, 10, 1e-4);
	for (int i = 0; i < m.p.n_views; i++) {
		char name[NN_PARAM_NAME_MAX + 8];
		snprintf(name, sizeof(name), "final.%s", m.p.views[i].name);
		nn_tensor w = nn_params_view(&m.p, NN_DATA, i);
		compare(st, name, w.data, (size_t)nn_tensor_count(&w), 1e-5);
	}
out:
	batch_release(&b);
	lm_release(&m);
	bj_safetensors_free(st);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_forward_and_gradients),
		TEST_CASE(test_ten_adamw_steps),
		{ 0 },
	};
	return test_main(cases);
}
