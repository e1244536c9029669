/*
 * parallel.h - the threads of src/nn: one pool, sized once from --threads, that
 * every layer splits its work over.
 *
 *     nn_set_threads(2);                              // once, at start-up
 *     nn_parallel_run(n_tasks, row_block, &job);      // row_block(&job, task, thread)
 *     int lo, hi;  nn_parallel_split(n_rows, n_tasks, task, &lo, &hi);
 *
 * OpenBLAS is kept to one thread: its own pool would spin on the cores this one
 * needs between GEMMs, so nn_gemm splits large products over this pool instead,
 * and calls made inside a task run on the calling thread.  Work is split into
 * tasks whose results do not depend on which thread runs them, so outputs are
 * the same for any thread count unless a function says otherwise.  The pool is
 * process-wide and owned here; nothing is allocated per call.  Runs do not nest:
 * inside a task, nn_parallel_run runs every task on the calling thread, in order.
 */
#pragma once

#include "base/threads.h"

/* Sets the number of threads src/nn uses, the caller included (1 to
 * BJ_POOL_MAX_THREADS; BJ_ASSERT), replacing the pool.  Call at start-up, not
 * while a run is in progress.  Returns 0, or BJ_ENOMEM with the error set when
 * the threads cannot be started (then one thread is used). */
int nn_set_threads(int n);

/* The number of threads set (1 before any nn_set_threads). */
int nn_get_threads(void);

/* Runs fn(ctx, task, thread) for every task in 0..n_tasks-1 over the pool and
 * returns when all are done (bj_pool_run).  Inside a task, runs them all on the
 * calling thread instead.  thread is below nn_get_threads(). */
void nn_parallel_run(int n_tasks, bj_pool_fn *fn, void *ctx);

/* Whether the calling thread is running an nn_parallel_run task. */
int nn_parallel_in_task(void);

/* Part task of n items split into parts near-equal contiguous ranges:
 * [*lo, *hi), the first n % parts ranges one longer. */
void nn_parallel_split(int n, int parts, int task, int *lo, int *hi);
