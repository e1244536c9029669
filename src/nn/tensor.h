/*
 * tensor.h - a view of float32 data with a shape: the common currency of src/nn.
 *
 *     nn_tensor t = nn_params_view(&params, NN_GRAD, i);   // a named gradient
 *     for (int64_t k = 0; k < nn_tensor_count(&t); k++)
 *         t.data[k] *= 0.5f;
 *
 * A view never owns its data: parameters live in an nn_params arena, activations
 * in an nn_arena, and a view is valid as long as the block it points into.
 * Row-major (the last dimension varies fastest), contiguous, at most NN_MAX_DIMS
 * dimensions; a view of 0 dimensions is a scalar.
 */
#pragma once

#include <stdint.h>

/* The most dimensions a tensor may have. */
#define NN_MAX_DIMS 4

/* A view: data points at count(shape) contiguous floats owned by someone else. */
typedef struct nn_tensor {
	float *data;                 /* (shape[0], ..., shape[ndim-1]) */
	int ndim;                    /* 0..NN_MAX_DIMS */
	int64_t shape[NN_MAX_DIMS];  /* entries past ndim are 0 */
} nn_tensor;

/* The number of elements: the product of the shape, 1 for a scalar. */
static inline int64_t nn_tensor_count(const nn_tensor *t)
{
	int64_t n = 1;
	for (int i = 0; i < t->ndim; i++)
		n *= t->shape[i];
	return n;
}
