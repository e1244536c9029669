#include "nn/sample.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

enum { V = 4, DRAWS = 20000 };

static const float probs[V] = { 0.1f, 0.2f, 0.3f, 0.4f };

static void draw(const nn_sample_opts *o, uint64_t seed, int counts[V])
{
	float logits[V];
	for (int i = 0; i < V; i++)
		logits[i] = logf(probs[i]) + 3.0f;   /* a shift changes nothing */
	nn_sample_item scratch[V];
	bj_rng rng;
	bj_rng_init(&rng, seed);
	memset(counts, 0, V * sizeof(int));
	for (int k = 0; k < DRAWS; k++) {
		int32_t id = nn_sample(logits, V, o, scratch, &rng);
		CHECK(id >= 0 && id < V);
		if (id >= 0 && id < V)
			counts[id]++;
	}
}

/* counts[i] / DRAWS within 5 standard deviations of want[i]. */
static void check_freq(const int counts[V], const double want[V])
{
	for (int i = 0; i < V; i++) {
		double sd = sqrt(DRAWS * want[i] * (1 - want[i]));
		CHECK(fabs(counts[i] - DRAWS * want[i]) <= 5 * sd + 1e-9, "id %d: %d draws, want %.0f",
		      i, counts[i], DRAWS * want[i]);
	}
}

static void test_plain(void)
{
	int c[V];
	draw(&(nn_sample_opts){ .temperature = 1.0f }, 1, c);
	check_freq(c, (double[]){ 0.1, 0.2, 0.3, 0.4 });
}

static void test_temperature(void)
{
	int c[V];
	/* T = 0.5 squares the probabilities: 1, 4, 9, 16 over 30. */
	draw(&(nn_sample_opts){ .temperature = 0.5f }, 2, c);
	check_freq(c, (double[]){ 1 / 30.0, 4 / 30.0, 9 / 30.0, 16 / 30.0 });
}

static void test_top_k(void)
{
	int c[V];
	draw(&(nn_sample_opts){ .temperature = 1.0f, .top_k = 2 }, 3, c);
	check_freq(c, (double[]){ 0, 0, 3 / 7.0, 4 / 7.0 });
	draw(&(nn_sample_opts){ .temperature = 1.0f, .top_k = 1 }, 3, c);
	CHECK(c[3] == DRAWS);
}

static void test_top_p(void)
{
	int c[V];
	/* 0.4 + 0.3 reach 0.65. */
	draw(&(nn_sample_opts){ .temperature = 1.0f, .top_p = 0.65f }, 4, c);
	check_freq(c, (double[]){ 0, 0, 3 / 7.0, 4 / 7.0 });
	draw(&(nn_sample_opts){ .temperature = 1.0f, .top_p = 0.35f }, 4, c);
	CHECK(c[3] == DRAWS);
	/* Both: top-k 3 keeps 0.9 of the mass, top-p 0.8 then keeps 0.4 + 0.3 + 0.2. */
	draw(&(nn_sample_opts){ .temperature = 1.0f, .top_k = 3, .top_p = 0.8f }, 5, c);
	check_freq(c, (double[]){ 0, 2 / 9.0, 3 / 9.0, 4 / 9.0 });
}

static void test_greedy_and_ties(void)
{
	float logits[5] = { 1, 7, 7, -3, 7 };
	nn_sample_item scratch[5];
	bj_rng rng, before;
	bj_rng_init(&rng, 6);
	before = rng;
	CHECK(nn_sample(logits, 5, &(nn_sample_opts){ 0 }, scratch, &rng) == 1);
	CHECK(memcmp(&rng, &before, sizeof(rng)) == 0, "greedy drew from the rng");
	for (int k = 0; k < 50; k++)
		CHECK(nn_sample(logits, 5, &(nn_sample_opts){ .temperature = 2.0f, .top_k = 1 },
		                scratch, &rng) == 1);
	/* Exactly one draw per sample. */
	bj_rng a, b;
	bj_rng_init(&a, 9);
	bj_rng_init(&b, 9);
	nn_sample(logits, 5, &(nn_sample_opts){ .temperature = 1.0f, .top_p = 0.5f }, scratch, &a);
	bj_rng_u64(&b);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
}

static void test_same_seed_same_tokens(void)
{
	float logits[V] = { 0.5f, -1.0f, 2.0f, 1.5f };
	nn_sample_item scratch[V];
	int32_t ids[2][500];
	nn_sample_opts o = { .temperature = 0.9f, .top_p = 0.9f };
	for (int run = 0; run < 2; run++) {
		bj_rng rng;
		bj_rng_init(&rng, 10);
		for (int k = 0; k < 500; k++)
			ids[run][k] = nn_sample(logits, V, &o, scratch, &rng);
	}
	CHECK(memcmp(ids[0], ids[1], sizeof(ids[0])) == 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_plain),
		TEST_CASE(test_temperature),
		TEST_CASE(test_top_k),
		TEST_CASE(test_top_p),
		TEST_CASE(test_greedy_and_ties),
		TEST_CASE(test_same_seed_same_tokens),
		{ 0 },
	};
	return test_main(cases);
}
