/*
 * The convolution, transposed convolution and pixel shuffle of src/nn against
 * PyTorch 1.13: outputs and every gradient of sum(y * dy) on the small cases of
 * tests/nn/fixtures/conv_torch.safetensors, written by
 *
 *     /usr/bin/python3 tests/nn/fixtures/gen_conv.py
 *
 * (see the script for what the file holds).  Each tensor must match to 1e-5
 * relative to its largest magnitude.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "nn/conv2d.h"
#include "nn/conv_transpose2d.h"
#include "nn/params.h"
#include "nn/pixel_shuffle.h"
#include "harness.h"
#include "torch_fixture.h"

#define FIXTURE "tests/nn/fixtures/conv_torch.safetensors"
#define RTOL 1e-5

/* One case of the fixture, built from src/nn. */
struct layer {
	char kind[16];
	int n[11];               /* the numbers of the metadata line */
	int B, C, H, W;          /* input */
	int oc, oh, ow;          /* output */
	nn_params p;
	nn_conv2d conv;
	nn_conv_transpose2d convt;
	float *work, *mid;       /* scratch; the upscale block's conv output */
};

static size_t count(int ndim, const int64_t *shape)
{
	size_t n = 1;
	for (int i = 0; i < ndim; i++)
		n *= (size_t)shape[i];
	return n;
}

/* got against the fixture's case.what, to RTOL of its largest value. */
static void compare(const bj_safetensors *st, const char *name, const char *what,
                    const float *got, int ndim, const int64_t *shape)
{
	char key[128];
	snprintf(key, sizeof(key), "%s.%s", name, what);
	fixture_compare_shaped(st, key, got, ndim, shape, RTOL, 0.0);
}

/* Parses the metadata line and builds the layer; -1 on a bad line. */
static int layer_init(struct layer *l, const char *line)
{
	memset(l, 0, sizeof(*l));
	int used = 0, k = 0;
	if (sscanf(line, "%15s%n", l->kind, &used) != 1)
		return -1;
	for (const char *s = line + used; k < 11 && sscanf(s, "%d%n", &l->n[k], &used) == 1; s += used)
		k++;
	int *n = l->n;
	l->B = n[0], l->C = n[1], l->H = n[2], l->W = n[3];
	nn_params_init(&l->p);
	if (!strcmp(l->kind, "conv") && k == 10)
		nn_conv2d_init(&l->conv, &l->p, "", n[1], n[4], n[5], n[6], n[7], n[8], n[9]);
	else if (!strcmp(l->kind, "convt") && k == 11)
		nn_conv_transpose2d_init(&l->convt, &l->p, "", n[1], n[4], n[5], n[6], n[7], n[8],
		                         n[9], n[10]);
	else if (!strcmp(l->kind, "upscale") && k == 6)
		nn_conv2d_init(&l->conv, &l->p, "", n[1], n[4] * n[5] * n[5], 3, 3, 1, 1, 1);
	else if (strcmp(l->kind, "shuffle") || k != 5)
		return -1;
	return 0;
}

static void layer_release(struct layer *l)
{
	nn_params_release(&l->p);
	free(l->work);
	free(l->mid);
}

/* y = the layer's forward of x (allocating its scratch on first use). */
static void forward(struct layer *l, const float *x, float *y)
{
	int B = l->B, H = l->H, W = l->W, *n = l->n;
	if (!strcmp(l->kind, "conv")) {
		nn_conv2d_forward(&l->conv, x, B, H, W, y, l->work);
	} else if (!strcmp(l->kind, "convt")) {
		nn_conv_transpose2d_forward(&l->convt, x, B, H, W, y, l->work);
	} else if (!strcmp(l->kind, "shuffle")) {
		nn_pixel_shuffle_forward(x, B, l->C / (n[4] * n[4]), H, W, n[4], y);
	} else {
		nn_conv2d_forward(&l->conv, x, B, H, W, l->mid, l->work);
		nn_pixel_shuffle_forward(l->mid, B, n[4], H, W, n[5], y);
	}
}

static void backward(struct layer *l, const float *x, const float *dy, float *dx)
{
	int B = l->B, H = l->H, W = l->W, *n = l->n;
	if (!strcmp(l->kind, "conv")) {
		nn_conv2d_backward(&l->conv, x, dy, B, H, W, dx, l->work);
	} else if (!strcmp(l->kind, "convt")) {
		nn_conv_transpose2d_backward(&l->convt, x, dy, B, H, W, dx, l->work);
	} else if (!strcmp(l->kind, "shuffle")) {
		nn_pixel_shuffle_backward(dy, B, l->C / (n[4] * n[4]), H, W, n[4], dx);
	} else {
		size_t mid = (size_t)B * l->conv.out * H * W;
		float *dmid = bj_xcalloc(mid, sizeof(float));
		nn_pixel_shuffle_backward(dy, B, n[4], H, W, n[5], dmid);
		nn_conv2d_backward(&l->conv, x, dmid, B, H, W, dx, l->work);
		free(dmid);
	}
}

/* The output's shape and the scratch the layer needs. */
static void shape(struct layer *l)
{
	int *n = l->n;
	if (!strcmp(l->kind, "conv")) {
		nn_conv_geom g = nn_conv2d_geom(&l->conv, l->H, l->W);
		l->oc = l->conv.out, l->oh = g.OH, l->ow = g.OW;
		l->work = bj_xmalloc(nn_conv2d_work_floats(&l->conv, l->B, l->H, l->W) * sizeof(float));
	} else if (!strcmp(l->kind, "convt")) {
		l->oc = l->convt.out;
		l->oh = nn_conv_transpose2d_out_size(&l->convt, l->H, 0);
		l->ow = nn_conv_transpose2d_out_size(&l->convt, l->W, 1);
		l->work = bj_xmalloc(nn_conv_transpose2d_work_floats(&l->convt, l->B, l->H, l->W) *
		                     sizeof(float));
	} else if (!strcmp(l->kind, "shuffle")) {
		l->oc = l->C / (n[4] * n[4]), l->oh = l->H * n[4], l->ow = l->W * n[4];
	} else {
		l->oc = n[4], l->oh = l->H * n[5], l->ow = l->W * n[5];
		l->work = bj_xmalloc(nn_conv2d_work_floats(&l->conv, l->B, l->H, l->W) * sizeof(float));
		l->mid = bj_xmalloc((size_t)l->B * l->conv.out * l->H * l->W * sizeof(float));
	}
}

static void run_case(const bj_safetensors *st, const char *name, const char *line, int *kinds)
{
	struct layer l;
	float *x = NULL, *dy = NULL, *y = NULL, *dx = NULL;
	int ok = layer_init(&l, line) == 0;
	CHECK(ok, "case '%s': bad description '%s'", name, line);
	if (!ok)
		goto out;
	kinds[0] += !strcmp(l.kind, "conv");
	kinds[1] += !strcmp(l.kind, "convt");
	kinds[2] += !strcmp(l.kind, "shuffle") || !strcmp(l.kind, "upscale");
	CHECK(nn_params_alloc(&l.p, NN_WITH_GRAD) == 0);
	/* The views are ".weight", ".bias": the case's name is their prefix. */
	if (l.p.n_views)
		CHECK(nn_params_read(&l.p, NN_DATA, name, st) == 0, "%s", bj_error_message());
	shape(&l);
	int64_t xs[4] = { l.B, l.C, l.H, l.W }, ys[4] = { l.B, l.oc, l.oh, l.ow };
	size_t nx = count(4, xs), ny = count(4, ys);
	char key[128];
	snprintf(key, sizeof(key), "%s.x", name);
	x = fixture_tensor_shaped(st, key, 4, xs);
	snprintf(key, sizeof(key), "%s.dy", name);
	dy = fixture_tensor_shaped(st, key, 4, ys);
	if (!x || !dy)
		goto out;
	y = bj_xmalloc(ny * sizeof(float));
	dx = bj_xcalloc(nx, sizeof(float));
	forward(&l, x, y);
	compare(st, name, "y", y, 4, ys);
	backward(&l, x, dy, dx);
	compare(st, name, "grad.x", dx, 4, xs);
	for (int i = 0; i < l.p.n_views; i++) {
		const nn_param *v = &l.p.views[i];
		char what[NN_PARAM_NAME_MAX + 8];
		snprintf(what, sizeof(what), "grad%s", v->name);
		compare(st, name, what, nn_params_view(&l.p, NN_GRAD, i).data, v->ndim, v->shape);
	}
out:
	free(x), free(dy), free(y), free(dx);
	layer_release(&l);
}

static void test_against_torch(void)
{
	bj_safetensors *st = fixture_open(FIXTURE, "tests/nn/fixtures/gen_conv.py");
	if (!st)
		return;
	int kinds[3] = { 0 }, cases = 0;
	for (size_t i = 0; i < bj_safetensors_meta_count(st); i++) {
		const char *key, *value;
		bj_safetensors_meta_at(st, i, &key, &value);
		if (!strcmp(key, "seed") || !strcmp(key, "torch"))
			continue;
		run_case(st, key, value, kinds);
		cases++;
	}
	printf("    %d cases: %d convolutions, %d transposed, %d pixel shuffles\n", cases, kinds[0],
	       kinds[1], kinds[2]);
	CHECK(kinds[0] >= 3 && kinds[1] >= 3 && kinds[2] >= 2);
	bj_safetensors_free(st);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_against_torch),
		{ 0 },
	};
	return test_main(cases);
}
