#include "nn/activation.h"

#include <math.h>

#include "base/error.h"
#include "nn/internal.h"
#include "nn/parallel.h"

enum op { RELU, RELU_BACK, LEAKY, LEAKY_BACK, SIGMOID, SIGMOID_BACK, TANH, TANH_BACK };

/* One element-wise pass: out = f(a) for forward ops (a = x), out = g(a, b)
 * for backward ones (a = y, b = dy).  out may be a or b. */
struct job {
	enum op op;
	const float *a, *b;
	float *out;
	size_t n;
	float slope;
	int tasks;
};

NN_CLONES static void run_range(const struct job *j, size_t lo, size_t hi)
{
	const float *a = j->a, *b = j->b;
	float *o = j->out, s = j->slope;
	switch (j->op) {
	case RELU:
		for (size_t i = lo; i < hi; i++)
			o[i] = a[i] > 0.0f ? a[i] : 0.0f;
		break;
	case RELU_BACK:
		for (size_t i = lo; i < hi; i++)
			o[i] = a[i] > 0.0f ? b[i] : 0.0f;
		break;
	case LEAKY:
		for (size_t i = lo; i < hi; i++)
			o[i] = a[i] > 0.0f ? a[i] : a[i] * s;
		break;
	case LEAKY_BACK:
		for (size_t i = lo; i < hi; i++)
			o[i] = a[i] > 0.0f ? b[i] : b[i] * s;
		break;
	case SIGMOID:
		/* exp of a non-positive number only, so nothing overflows. */
		for (size_t i = lo; i < hi; i++) {
			if (a[i] >= 0.0f) {
				o[i] = 1.0f / (1.0f + expf(-a[i]));
			} else {
				float e = expf(a[i]);
				o[i] = e / (1.0f + e);
			}
		}
		break;
	case SIGMOID_BACK:
		for (size_t i = lo; i < hi; i++)
			o[i] = b[i] * a[i] * (1.0f - a[i]);
		break;
	case TANH:
		for (size_t i = lo; i < hi; i++)
			o[i] = tanhf(a[i]);
		break;
	case TANH_BACK:
		for (size_t i = lo; i < hi; i++)
			o[i] = b[i] * (1.0f - a[i] * a[i]);
		break;
	}
}

/* Elements per task: large enough that scheduling costs nothing. */
#define CHUNK 32768

static void task_fn(void *arg, int task, int thread)
{
	(void)thread;
	const struct job *j = arg;
	size_t lo = (size_t)task * CHUNK, hi = lo + CHUNK < j->n ? lo + CHUNK : j->n;
	run_range(j, lo, hi);
}

static void run(enum op op, const float *a, const float *b, float *out, size_t n, float slope)
{
	struct job j = { op, a, b, out, n, slope, (int)((n + CHUNK - 1) / CHUNK) };
	if (j.tasks <= 1)
		run_range(&j, 0, n);
	else
		nn_parallel_run(j.tasks, task_fn, &j);
}

void nn_relu_forward(const float *x, size_t n, float *y)
{
	run(RELU, x, NULL, y, n, 0.0f);
}

void nn_relu_backward(const float *y, const float *dy, size_t n, float *dx)
{
	run(RELU_BACK, y, dy, dx, n, 0.0f);
}

void nn_leaky_relu_forward(const float *x, size_t n, float slope, float *y)
{
	/* With slope >= 0, y > 0 exactly where x > 0, so backward can use y. */
	BJ_ASSERT(slope >= 0.0f);
	run(LEAKY, x, NULL, y, n, slope);
}

void nn_leaky_relu_backward(const float *y, const float *dy, size_t n, float slope, float *dx)
{
	BJ_ASSERT(slope >= 0.0f);
	run(LEAKY_BACK, y, dy, dx, n, slope);
}

void nn_sigmoid_forward(const float *x, size_t n, float *y)
{
	run(SIGMOID, x, NULL, y, n, 0.0f);
}

void nn_sigmoid_backward(const float *y, const float *dy, size_t n, float *dx)
{
	run(SIGMOID_BACK, y, dy, dx, n, 0.0f);
}

void nn_tanh_forward(const float *x, size_t n, float *y)
{
	run(TANH, x, NULL, y, n, 0.0f);
}

void nn_tanh_backward(const float *y, const float *dy, size_t n, float *dx)
{
	run(TANH_BACK, y, dy, dx, n, 0.0f);
}
