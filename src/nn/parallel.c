#include "nn/parallel.h"

#include <stddef.h>

#include "base/error.h"

static bj_pool *pool;
static int n_threads = 1;
static _Thread_local int in_task;
static _Thread_local int my_thread;   /* the pool thread running the task */

int nn_set_threads(int n)
{
	BJ_ASSERT(n >= 1 && n <= BJ_POOL_MAX_THREADS);
	BJ_ASSERT(!in_task);
	bj_pool_free(pool);
	pool = NULL;
	n_threads = 1;
	if (n == 1)
		return 0;
	pool = bj_pool_new(n);
	if (!pool)
		return bj_error_code();
	n_threads = n;
	return 0;
}

int nn_get_threads(void)
{
	return n_threads;
}

struct wrapped {
	bj_pool_fn *fn;
	void *ctx;
};

static void run_marked(void *arg, int task, int thread)
{
	struct wrapped *w = arg;
	in_task = 1;
	my_thread = thread;
	w->fn(w->ctx, task, thread);
	in_task = 0;
	my_thread = 0;
}

void nn_parallel_run(int n_tasks, bj_pool_fn *fn, void *ctx)
{
	BJ_ASSERT(n_tasks >= 0 && fn);
	if (in_task || !pool || n_tasks <= 1) {
		int outer = in_task;
		in_task = 1;
		for (int t = 0; t < n_tasks; t++)
			fn(ctx, t, my_thread);
		in_task = outer;
		return;
	}
	struct wrapped w = { fn, ctx };
	bj_pool_run(pool, n_tasks, run_marked, &w);
}

int nn_parallel_in_task(void)
{
	return in_task;
}

void nn_parallel_split(int n, int parts, int task, int *lo, int *hi)
{
	BJ_ASSERT(n >= 0 && parts >= 1 && task >= 0 && task < parts);
	int q = n / parts, r = n % parts;
	*lo = task * q + (task < r ? task : r);
	*hi = *lo + q + (task < r);
}
