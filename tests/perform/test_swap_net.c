/* The swap network at tiny widths: shapes, the gradient of every parameter
 * through all the losses against central differences, only the decoder
 * trained touched, the same bytes on one and two threads, and a few Adam steps
 * lowering the loss of a fixed batch. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"
#include "nn/gradcheck.h"
#include "nn/optim.h"
#include "nn/parallel.h"
#include "perform/swap_net.h"

#define S 16
#define N 2

static const perform_swap_cfg tiny = { S, 2, 4 };

/* A batch of smooth random faces: input and target in [0.1, 0.9], a mask
 * ramp, weights 1..3. */
static void fake_batch(perform_batch *b, uint64_t seed)
{
	bj_rng rng;
	bj_rng_init(&rng, seed);
	perform_batch_init(b, N, S);
	size_t px = (size_t)N * 3 * S * S;
	for (size_t i = 0; i < px; i++) {
		b->target[i] = 0.1f + 0.8f * bj_rng_uniform(&rng);
		b->input[i] = 0.1f + 0.8f * bj_rng_uniform(&rng);
	}
	for (int k = 0; k < N; k++)
		for (int y = 0; y < S; y++)
			for (int x = 0; x < S; x++) {
				size_t i = ((size_t)k * S + y) * S + x;
				b->mask[i] = (float)(x + y + k) / (2 * S);
				b->weight[i] = 1.0f + 2.0f * bj_rng_uniform(&rng);
			}
}

static perform_swap_net *tiny_net(uint64_t seed)
{
	perform_swap_net *net = perform_swap_net_new(&tiny, NN_WITH_GRAD | NN_WITH_ADAM);
	CHECK(net != NULL);
	bj_rng rng;
	bj_rng_init(&rng, seed);
	perform_swap_net_init_weights(net, &rng);
	/* larger weights than PyTorch's, so the outputs vary and the losses' kinks are rare */
	for (size_t i = 0; i < net->params.count; i++)
		net->params.block[NN_DATA][i] *= 3.0f;
	CHECK(perform_swap_net_batch(net, N) == 0);
	return net;
}

static void test_shapes(void)
{
	perform_swap_cfg c = PERFORM_SWAP_NET_DEFAULTS;
	perform_swap_net *net = perform_swap_net_new(&c, 0);
	CHECK(net != NULL);
	CHECK(net->enc[3].OH == 4 && net->enc[3].OC == 256, "conv3 %d x %d", net->enc[3].OC, net->enc[3].OH);
	CHECK(net->enc[6].OC == 128 && net->enc[6].OH == 8);
	CHECK(net->dec[1][3].OC == 4 && net->dec[1][3].OH == 64);
	CHECK(nn_params_find(&net->params, "dec_b.out.weight") >= 0);
	perform_swap_net_free(net);
	perform_swap_cfg bad = { 40, 8, 8 };
	CHECK(perform_swap_net_new(&bad, 0) == NULL);
}

struct ctx {
	perform_swap_net *net;
	perform_batch *b;
	int decoder;
};

static double loss(void *p, double *scale)
{
	struct ctx *c = p;
	perform_swap_losses l;
	perform_swap_net_loss(c->net, c->decoder, c->b, &l);
	*scale = l.total;
	return l.total;
}

static void test_gradient(void)
{
	perform_swap_net *net = tiny_net(3);
	perform_batch b;
	fake_batch(&b, 4);
	struct ctx c = { net, &b, PERFORM_SWAP_B };
	perform_swap_losses l;
	nn_params_zero_grad(&net->params);
	perform_swap_net_train(net, PERFORM_SWAP_B, &b, &l);
	CHECK(l.l1 > 0 && l.ssim > 0 && l.mask > 0 && l.tv > 0);
	size_t n = net->params.count;
	float *grad = malloc(n * sizeof(float));
	memcpy(grad, net->params.block[NN_GRAD], n * sizeof(float));
	nn_gradcheck_stats st = { 0 };
	bj_rng rng;
	bj_rng_init(&rng, 5);
	nn_gradcheck(loss, &c, net->params.block[NN_DATA], grad, n, 400, 1e-3, 2e-2, &rng, &st);
	printf("    %zu of %zu parameters, %zu failed (noise-limited %zu), worst asymmetry %.2e (%g vs %g)\n", st.checked,
	       n, st.failed, st.noise_limited, st.worst, st.worst_analytic, st.worst_numeric);
	/* an L1 kink crossed by the step may fail a point or two */
	CHECK(st.checked == 400 && st.failed <= 2, "%zu failed", st.failed);
	/* decoder A saw nothing */
	int first = nn_params_find(&net->params, "dec_a.up0.weight"), last = nn_params_find(&net->params, "dec_a.out.bias");
	size_t lo = net->params.views[first].offset, hi = net->params.views[last].offset + net->params.views[last].count;
	int zero = 1;
	for (size_t i = lo; i < hi; i++)
		zero &= grad[i] == 0.0f;
	CHECK(zero, "decoder A has gradients");
	CHECK(grad[0] != 0.0f, "the encoder has none");
	free(grad);
	perform_batch_release(&b);
	perform_swap_net_free(net);
}

/* Three steps alternating A and B; the weights after them. */
static float *train_steps(int threads, int steps, double *first, double *final)
{
	nn_set_threads(threads);
	perform_swap_net *net = tiny_net(7);
	perform_batch a, b;
	fake_batch(&a, 8);
	fake_batch(&b, 9);
	nn_adamw opt;
	nn_adamw_init(&opt, 0.0);
	opt.beta1 = 0.5;
	for (int s = 0; s < steps; s++) {
		perform_swap_losses la, lb;
		nn_params_zero_grad(&net->params);
		perform_swap_net_train(net, PERFORM_SWAP_A, &a, &la);
		perform_swap_net_train(net, PERFORM_SWAP_B, &b, &lb);
		nn_adamw_step(&opt, &net->params, 1e-2);
		if (s == 0)
			*first = la.total + lb.total;
		*final = la.total + lb.total;
	}
	float *w = malloc(net->params.count * sizeof(float));
	memcpy(w, net->params.block[NN_DATA], net->params.count * sizeof(float));
	perform_batch_release(&a);
	perform_batch_release(&b);
	perform_swap_net_free(net);
	nn_set_threads(1);
	return w;
}

static void test_threads_and_learning(void)
{
	double f1, l1, f2, l2;
	float *one = train_steps(1, 40, &f1, &l1), *two = train_steps(2, 40, &f2, &l2);
	perform_swap_net *net = tiny_net(7);
	CHECK(memcmp(one, two, net->params.count * sizeof(float)) == 0, "1 and 2 threads differ");
	printf("    loss %.4f -> %.4f in 40 steps\n", f1, l1);
	CHECK(l1 < 0.8 * f1, "loss %g -> %g", f1, l1);
	perform_swap_net_free(net);
	free(one);
	free(two);
}

/* A crop redrawn: the decoder's output in its pixels, its mask, the same for
 * the same crop; a crop of another size refused. */
static void test_redraw(void)
{
	perform_swap_net *net = tiny_net(12);
	media_image *face = media_image_new(S, S, 3), *again = media_image_new(S, S, 3);
	for (int y = 0; y < S; y++)
		for (int x = 0; x < 3 * S; x++)
			face->data[y * face->stride + x] = (uint8_t)(7 * x + 13 * y);
	memcpy(again->data, face->data, (size_t)S * face->stride);
	float mask[S * S];
	CHECK(perform_swap_net_redraw(net, PERFORM_SWAP_B, face, mask) == 0);
	CHECK(net->batch == 1);
	int lo = 0;
	for (int i = 0; i < S * S; i++)
		lo += mask[i] >= 0.0f && mask[i] <= 1.0f;
	CHECK(lo == S * S);
	CHECK(face->data[5] == (uint8_t)(net->rgb[(5 % 3) * S * S + 5 / 3] * 255.0f + 0.5f));
	CHECK(perform_swap_net_redraw(net, PERFORM_SWAP_B, again, NULL) == 0);
	CHECK(memcmp(face->data, again->data, (size_t)S * face->stride) == 0);
	media_image *big = media_image_new(2 * S, 2 * S, 3);
	CHECK(perform_swap_net_redraw(net, PERFORM_SWAP_B, big, NULL) == BJ_EINVAL);
	media_image_free(big);
	media_image_free(face);
	media_image_free(again);
	perform_swap_net_free(net);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_shapes),
		TEST_CASE(test_gradient),
		TEST_CASE(test_threads_and_learning),
		TEST_CASE(test_redraw),
		{ 0 },
	};
	return test_main(cases);
}
