#include "nn/params.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/safetensors.h"
#include "harness.h"

/* A model-like struct whose pointers the arena fills in. */
struct toy {
	float *w, *dw;   /* (3, 4) */
	float *b, *db;   /* (3) */
	float *e;        /* (5, 2), no gradient slot */
};

static void toy_add(struct toy *t, nn_params *p)
{
	CHECK(nn_params_add(p, "layer.weight", 2, (int64_t[]){ 3, 4 }, &t->w, &t->dw) == 0);
	CHECK(nn_params_add(p, "layer.bias", 1, (int64_t[]){ 3 }, &t->b, &t->db) == 1);
	CHECK(nn_params_add(p, "embed.weight", 2, (int64_t[]){ 5, 2 }, &t->e, NULL) == 2);
}

static void test_views_are_packed_in_order(void)
{
	nn_params p;
	nn_params_init(&p);
	struct toy t = { 0 };
	toy_add(&t, &p);
	CHECK(p.n_views == 3 && p.count == 12 + 3 + 10, "%d views, %zu floats", p.n_views, p.count);
	CHECK(p.views[0].offset == 0 && p.views[1].offset == 12 && p.views[2].offset == 15);
	CHECK(nn_params_find(&p, "layer.bias") == 1);
	CHECK(nn_params_find(&p, "nothing") == -1);
	CHECK(nn_params_alloc(&p, NN_WITH_GRAD | NN_WITH_ADAM) == 0);
	CHECK(t.w == p.block[NN_DATA] && t.b == p.block[NN_DATA] + 12 && t.e == p.block[NN_DATA] + 15);
	CHECK(t.dw == p.block[NN_GRAD] && t.db == p.block[NN_GRAD] + 12);
	for (int b = 0; b < NN_BLOCKS; b++) {
		CHECK(p.block[b] && (uintptr_t)p.block[b] % 64 == 0, "block %d", b);
		for (size_t i = 0; i < p.count; i++)
			CHECK(p.block[b][i] == 0.0f);
	}
	nn_tensor v = nn_params_view(&p, NN_GRAD, 2);
	CHECK(v.data == p.block[NN_GRAD] + 15 && v.ndim == 2 && v.shape[0] == 5 && v.shape[1] == 2);
	CHECK(nn_tensor_count(&v) == 10);
	for (size_t i = 0; i < p.count; i++)
		p.block[NN_GRAD][i] = 1.0f;
	nn_params_zero_grad(&p);
	for (size_t i = 0; i < p.count; i++)
		CHECK(p.block[NN_GRAD][i] == 0.0f);
	nn_params_release(&p);
	CHECK(p.n_views == 0 && !p.block[NN_DATA]);
	nn_params_release(&p);   /* twice is fine */
}

static void test_inference_has_no_gradients(void)
{
	nn_params p;
	nn_params_init(&p);
	struct toy t = { 0 };
	t.dw = (float *)&t;   /* must be overwritten with NULL */
	toy_add(&t, &p);
	CHECK(nn_params_alloc(&p, 0) == 0);
	CHECK(t.w && !t.dw && !t.db && !p.block[NN_GRAD] && !p.block[NN_ADAM_M]);
	nn_params_release(&p);
}

static void test_fill_is_seeded(void)
{
	nn_params p, q;
	struct toy t = { 0 }, u = { 0 };
	nn_params_init(&p);
	nn_params_init(&q);
	toy_add(&t, &p);
	toy_add(&u, &q);
	CHECK(nn_params_alloc(&p, 0) == 0 && nn_params_alloc(&q, 0) == 0);
	bj_rng r1, r2;
	bj_rng_init(&r1, 5);
	bj_rng_init(&r2, 5);
	nn_params_fill_uniform(&p, 0, -0.5f, 0.5f, &r1);
	nn_params_fill_normal(&p, 2, 1.0f, 2.0f, &r1);
	nn_params_fill_uniform(&q, 0, -0.5f, 0.5f, &r2);
	nn_params_fill_normal(&q, 2, 1.0f, 2.0f, &r2);
	CHECK(memcmp(p.block[NN_DATA], q.block[NN_DATA], p.count * sizeof(float)) == 0);
	for (int i = 0; i < 12; i++)
		CHECK(t.w[i] >= -0.5f && t.w[i] < 0.5f, "w[%d] = %g", i, t.w[i]);
	CHECK(t.b[0] == 0.0f);   /* not filled */
	nn_params_release(&p);
	nn_params_release(&q);
}

static void test_save_and_load(void)
{
	nn_params p, q;
	struct toy t = { 0 }, u = { 0 };
	nn_params_init(&p);
	nn_params_init(&q);
	toy_add(&t, &p);
	toy_add(&u, &q);
	CHECK(nn_params_alloc(&p, NN_WITH_GRAD | NN_WITH_ADAM) == 0);
	CHECK(nn_params_alloc(&q, NN_WITH_GRAD | NN_WITH_ADAM) == 0);
	for (size_t i = 0; i < p.count; i++) {
		p.block[NN_DATA][i] = (float)i * 0.25f - 3.0f;
		p.block[NN_ADAM_V][i] = (float)i * 1e-3f;
	}
	bj_st_writer *w = bj_st_writer_new();
	CHECK(nn_params_write(&p, NN_DATA, NULL, w) == 0);
	CHECK(nn_params_write(&p, NN_ADAM_V, "adam.v.", w) == 0);
	CHECK(nn_params_write(&p, NN_DATA, "", w) == BJ_EINVAL);   /* names taken */
	const char *path = test_path("toy.safetensors");
	CHECK(bj_st_writer_save(w, path) == 0, "%s", bj_error_message());
	bj_st_writer_free(w);

	bj_safetensors *st;
	CHECK(bj_safetensors_load(path, &st) == 0, "%s", bj_error_message());
	if (!st)
		goto out;
	CHECK(bj_safetensors_count(st) == 6);
	CHECK(nn_params_read(&q, NN_DATA, "", st) == 0, "%s", bj_error_message());
	CHECK(nn_params_read(&q, NN_ADAM_V, "adam.v.", st) == 0, "%s", bj_error_message());
	CHECK(memcmp(p.block[NN_DATA], q.block[NN_DATA], p.count * sizeof(float)) == 0);
	CHECK(memcmp(p.block[NN_ADAM_V], q.block[NN_ADAM_V], p.count * sizeof(float)) == 0);
	CHECK(nn_params_read(&q, NN_ADAM_M, "adam.m.", st) == BJ_ENOENT);
	CHECK(strstr(bj_error_message(), "no tensor 'adam.m.layer.weight'"), "%s", bj_error_message());
	bj_safetensors_free(st);

	/* A file whose tensor has another shape. */
	float bad[12] = { 0 };
	w = bj_st_writer_new();
	bj_st_writer_add(w, "layer.weight", BJ_DTYPE_F32, 2, (int64_t[]){ 4, 3 }, bad);
	CHECK(bj_st_writer_save(w, path) == 0);
	bj_st_writer_free(w);
	CHECK(bj_safetensors_load(path, &st) == 0);
	if (st) {
		CHECK(nn_params_read(&q, NN_DATA, NULL, st) == BJ_EFORMAT);
		CHECK(strstr(bj_error_message(), "has shape [4, 3], expected [3, 4]"), "%s",
		      bj_error_message());
	}
	bj_safetensors_free(st);
out:
	nn_params_release(&p);
	nn_params_release(&q);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_views_are_packed_in_order),
		TEST_CASE(test_inference_has_no_gradients),
		TEST_CASE(test_fill_is_seeded),
		TEST_CASE(test_save_and_load),
		{ 0 },
	};
	return test_main(cases);
}
