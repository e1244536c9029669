/*
 * torch_fixture.h - reading a PyTorch reference fixture (a safetensors file
 * written by a committed gen_*.py script) and comparing our tensors with it,
 * as the layer and training-step tests share it.
 *
 *     bj_safetensors *st = fixture_open(FIXTURE, "tests/nn/fixtures/gen_x.py");
 *     float *x = fixture_tensor(st, "in.x", n);                  // free()
 *     fixture_compare(st, "out.y", got, n, 1e-5, 0.0);
 *     int B = fixture_meta_int(st, "batch");
 */
#pragma once

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "harness.h"

/* The fixture's tensor as float32 in a new buffer (free()); NULL and a
 * failed check when it is missing, not float32 or not of count elements. */
static inline float *fixture_tensor(const bj_safetensors *st, const char *name, size_t count)
{
	const bj_st_tensor *t = st ? bj_safetensors_find(st, name) : NULL;
	int ok = t && t->count == count && t->dtype == BJ_DTYPE_F32;
	CHECK(ok, "'%s': missing or %zu elements, want %zu", name, t ? t->count : 0, count);
	if (!ok)
		return NULL;
	float *out = bj_xmalloc(count * sizeof(float));
	bj_st_tensor_to_f32(t, out);
	return out;
}

/* The fixture at path (free with bj_safetensors_free()); NULL and a failed
 * check naming the script that writes it when it cannot be loaded. */
static inline bj_safetensors *fixture_open(const char *path, const char *script)
{
	bj_safetensors *st = NULL;
	if (bj_safetensors_load(path, &st) < 0)
		test_fail(__FILE__, __LINE__, "%s (run /usr/bin/python3 %s)", bj_error_message(), script);
	return st;
}

/* The fixture's metadata key as a number; 0 and a failed check when absent. */
static inline double fixture_meta_double(const bj_safetensors *st, const char *key)
{
	const char *v = st ? bj_safetensors_meta(st, key) : NULL;
	CHECK(v, "no metadata '%s'", key);
	return v ? strtod(v, NULL) : 0.0;
}

static inline int fixture_meta_int(const bj_safetensors *st, const char *key)
{
	return (int)fixture_meta_double(st, key);
}

/* The fixture's tensor as float32 in a new buffer (free()), checked to have
 * ndim dimensions of the given shape; NULL and a failed check otherwise. */
static inline float *fixture_tensor_shaped(const bj_safetensors *st, const char *name, int ndim,
                                           const int64_t *shape)
{
	size_t count = 1;
	for (int i = 0; i < ndim; i++)
		count *= (size_t)shape[i];
	float *out = bj_xmalloc(count * sizeof(float));
	int rc = bj_safetensors_read_f32(st, name, ndim, shape, out);
	CHECK(rc == 0, "%s", bj_error_message());
	if (rc == 0)
		return out;
	free(out);
	return NULL;
}

/* got against want, the fixture's tensor name: the largest error must be
 * within rtol of want's largest magnitude, or floor for a tensor that is
 * nearly all zero.  Prints the error; frees want. */
static inline void fixture_compare_with(const char *name, float *want, const float *got, size_t n,
                                        double rtol, double floor)
{
	if (!want)
		return;
	double top = 0.0, worst = 0.0;
	for (size_t i = 0; i < n; i++) {
		double e = fabs((double)got[i] - want[i]);
		top = fmax(top, fabs(want[i]));
		worst = isnan(e) ? INFINITY : fmax(worst, e);
	}
	printf("    %-26s max error %.2e of %.2e\n", name, worst, top);
	CHECK(worst <= fmax(rtol * top, floor), "%s: max error %.3g of %.3g", name, worst, top);
	free(want);
}

/* got (n floats) against the fixture's tensor name, as fixture_compare_with. */
static inline void fixture_compare(const bj_safetensors *st, const char *name, const float *got, size_t n,
                                   double rtol, double floor)
{
	fixture_compare_with(name, fixture_tensor(st, name, n), got, n, rtol, floor);
}

/* The same, the fixture's tensor checked to be of the given shape. */
static inline void fixture_compare_shaped(const bj_safetensors *st, const char *name, const float *got,
                                          int ndim, const int64_t *shape, double rtol, double floor)
{
	size_t n = 1;
	for (int i = 0; i < ndim; i++)
		n *= (size_t)shape[i];
	fixture_compare_with(name, fixture_tensor_shaped(st, name, ndim, shape), got, n, rtol, floor);
}
