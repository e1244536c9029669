/*
 * bench_swap_train.c - training speed of the trained swap, the whole recipe
 * (perform/swap_train.h: the network of perform/swap_net.h at its default
 * widths, a PatchGAN discriminator per side, the adversarial loss on): one
 * step is a batch of 16 faces of A and 16 of B through forward, losses and
 * backward of the generator and of the discriminators, and their Adam steps.
 * Images per second against the same architecture, losses and step in
 * PyTorch 1.13 (bench/ref/swap_train.py) in the same run, and our CPU time
 * (user + sys) per step.  The check compares the first step's losses of the
 * two at their own random initial weights, so only their size is alike.
 * Ratio > 1 means we are faster.  Two threads.
 *
 *     build/bench/bench_swap_train [--size 64|128]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "nn/optim.h"
#include "nn/parallel.h"
#include "perform/swap_train.h"

#define BATCH 16
#define GAN_WEIGHT 0.1

struct run {
	perform_swap_net *net;
	perform_swap_state st;
	perform_batch b[2];
	nn_adamw opt, opt_d[2];
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
	perform_swap_train_step(r->net, &r->st, r->b, &r->opt, r->opt_d, l);
	r->loss = l[0].total + l[1].total;
}

static double cpu_seconds(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec + (double)u.ru_stime.tv_sec +
	       1e-6 * (double)u.ru_stime.tv_usec;
}

int main(int argc, char **argv)
{
	perform_swap_cfg cfg = PERFORM_SWAP_NET_DEFAULTS;
	if (argc == 3 && !strcmp(argv[1], "--size") && (!strcmp(argv[2], "64") || !strcmp(argv[2], "128")))
		cfg.size = strcmp(argv[2], "64") ? 128 : 64;
	else if (argc != 1) {
		fprintf(stderr, "usage: bench_swap_train [--size 64|128]\n");
		return 2;
	}
	nn_set_threads(2);
	struct run r = { .st = { .lr = 5e-5, .batch = BATCH, .gan_weight = GAN_WEIGHT } };
	r.net = perform_swap_net_new(&cfg, NN_WITH_GRAD | NN_WITH_ADAM);
	if (!r.net || perform_swap_net_batch(r.net, BATCH) < 0) {
		fprintf(stderr, "bench_swap_train: out of memory\n");
		return 1;
	}
	bj_rng rng;
	bj_rng_init(&rng, 1);
	perform_swap_net_init_weights(r.net, &rng);
	for (int d = 0; d < 2; d++) {
		r.net->disc[d] = perform_swap_disc_new(d, cfg.size, PERFORM_SWAP_DISC_WIDTH, NN_WITH_GRAD | NN_WITH_ADAM);
		if (!r.net->disc[d] || perform_swap_disc_batch(r.net->disc[d], BATCH) < 0) {
			fprintf(stderr, "bench_swap_train: out of memory\n");
			return 1;
		}
		perform_swap_disc_init_weights(r.net->disc[d], &rng);
	}
	nn_adamw_init(&r.opt, 0.0);
	r.opt.beta1 = 0.5;
	for (int d = 0; d < 2; d++) {
		nn_adamw_init(&r.opt_d[d], 0.0);
		r.opt_d[d].beta1 = 0.5;
	}
	for (int k = 0; k < 2; k++) {
		perform_batch_init(&r.b[k], BATCH, cfg.size);
		fill(&r.b[k], k);
	}
	char args[96];
	snprintf(args, sizeof(args), "%d %d %d %d %d %g", cfg.size, cfg.enc, cfg.dense, BATCH,
	         PERFORM_SWAP_DISC_WIDTH, GAN_WEIGHT);
	double check = NAN;
	double ref = bench_reference_check("swap_train.py", args, &check);
	step(&r);
	printf("first-step loss: ours %.4f torch %.4f (different random weights)\n", r.loss, check);
	double cpu0 = cpu_seconds();
	double ms = bench_median_ms(step, &r, 5);
	double cpu_ms = (cpu_seconds() - cpu0) * 1000.0 / 6;   /* the warm-up and 5 timed steps */
	char what[160];
	snprintf(what, sizeof(what), "swap train step (GAN) %dpx e%d d%d disc%d, 2x%d faces", cfg.size, cfg.enc,
	         cfg.dense, PERFORM_SWAP_DISC_WIDTH, BATCH);
	bench_report(what, "torch", ms, ref);
	printf("images/s: ours %.1f torch %.1f; our CPU time %.0f ms per step (user+sys, wall %.0f)\n",
	       2 * BATCH * 1000.0 / ms, ref > 0 ? 2 * BATCH * 1000.0 / ref : NAN, cpu_ms, ms);
	for (int k = 0; k < 2; k++)
		perform_batch_release(&r.b[k]);
	perform_swap_net_free(r.net);
	return 0;
}
