/*
 * bench_swap_train.c - training speed of the trained swap's network
 * (perform/swap_net.h, default widths, 64 px): one step is a batch of 16 faces
 * of A and 16 of B through forward, losses and backward, and one Adam step;
 * images per second against the same architecture and losses in PyTorch 1.13
 * (bench/ref/swap_train.py) in the same run.  The check compares the losses of
 * the two at their own random initial weights, so only their size is alike.
 * Ratio > 1 means we are faster.  Two threads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "nn/optim.h"
#include "nn/parallel.h"
#include "perform/swap_net.h"

#define BATCH 16

struct run {
	perform_swap_net *net;
	perform_batch b[2];
	nn_adamw opt;
	double loss;
};

/* The closed forms of bench/ref/swap_train.py. */
static void fill(perform_batch *b, int k)
{
	int S = b->size;
	size_t n = (size_t)b->n * S * S;
	for (size_t i = 0; i < 3 * n; i++) {
		b->input[i] = (float)(0.5 + 0.4 * sin(0.013 * (double)i + k));
		b->target[i] = (float)(0.5 + 0.4 * sin(0.011 * (double)i + k + 0.5));
	}
	for (size_t j = 0; j < n; j++) {
		b->mask[j] = (float)(0.5 + 0.5 * sin(0.002 * (double)j + k));
		b->weight[j] = (float)(2.0 + cos(0.07 * (double)j));
	}
}

static void step(void *arg)
{
	struct run *r = arg;
	perform_swap_losses l[2];
	nn_params_zero_grad(&r->net->params);
	perform_swap_net_train(r->net, PERFORM_SWAP_A, &r->b[0], &l[0]);
	perform_swap_net_train(r->net, PERFORM_SWAP_B, &r->b[1], &l[1]);
	nn_adamw_step(&r->opt, &r->net->params, 5e-5);
	r->loss = l[0].total + l[1].total;
}

int main(void)
{
	nn_set_threads(2);
	perform_swap_cfg cfg = PERFORM_SWAP_NET_DEFAULTS;
	struct run r = { 0 };
	r.net = perform_swap_net_new(&cfg, NN_WITH_GRAD | NN_WITH_ADAM);
	if (!r.net || perform_swap_net_batch(r.net, BATCH) < 0) {
		fprintf(stderr, "bench_swap_train: out of memory\n");
		return 1;
	}
	bj_rng rng;
	bj_rng_init(&rng, 1);
	perform_swap_net_init_weights(r.net, &rng);
	nn_adamw_init(&r.opt, 0.0);
	r.opt.beta1 = 0.5;
	for (int k = 0; k < 2; k++) {
		perform_batch_init(&r.b[k], BATCH, cfg.size);
		fill(&r.b[k], k);
	}
	char args[64];
	snprintf(args, sizeof(args), "%d %d %d %d", cfg.size, cfg.enc, cfg.dense, BATCH);
	double check = NAN;
	double ref = bench_reference_check("swap_train.py", args, &check);
	step(&r);
	printf("first-step loss: ours %.4f torch %.4f (different random weights)\n", r.loss, check);
	double ms = bench_median_ms(step, &r, 5);
	char what[128];
	snprintf(what, sizeof(what), "swap train step %dpx e%d d%d, 2x%d faces", cfg.size, cfg.enc, cfg.dense, BATCH);
	bench_report(what, "torch", ms, ref);
	printf("images/s: ours %.1f torch %.1f\n", 2 * BATCH * 1000.0 / ms, ref > 0 ? 2 * BATCH * 1000.0 / ref : NAN);
	for (int k = 0; k < 2; k++)
		perform_batch_release(&r.b[k]);
	perform_swap_net_free(r.net);
	return 0;
}
