/*
 * torch_fixture.h - reading a PyTorch reference fixture (a safetensors file
 * written by a committed gen_*.py script) and comparing our tensors with it,
 * as the layer and training-step tests share it.
 *
 *     float *x = fixture_tensor(st, "in.x", n);                  // free()
 *     fixture_compare(st, "out.y", got, n, 1e-5, 0.0);
 */
#pragma once

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
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

/* got against the fixture's tensor name: the largest error must be within
 * rtol of the tensor's largest magnitude, or floor for a tensor that is
 * nearly all zero.  Prints the error. */
static inline void fixture_compare(const bj_safetensors *st, const char *name, const float *got, size_t n,
                                   double rtol, double floor)
{
	float *want = fixture_tensor(st, name, n);
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
