/*
 * threads.h - a fixed pool of threads that runs batches of numbered tasks.
 *
 *     bj_pool *pool = bj_pool_new(n_threads);          // from --threads; 1 = no threads
 *     if (!pool)
 *         return bj_error_code();
 *     float *scratch = bj_xcalloc((size_t)bj_pool_threads(pool) * W, sizeof(float));
 *     bj_pool_run(pool, height, blur_row, &job);       // blur_row(&job, row, thread)
 *     bj_pool_free(pool);
 *
 * The caller counts as thread 0 and works too: bj_pool_new(n) starts n - 1
 * threads, which sleep between runs.  Tasks are handed out in increasing order
 * through an atomic counter, so any thread may run any task.  For output that does
 * not depend on the thread count, write results per task and draw randomness per
 * task (bj_rng_fork(&rng, task)); use the thread index only for scratch space.
 * The caller owns the pool.  bj_pool_run allocates nothing.  A pool runs one batch
 * at a time for one owner: a task must not call bj_pool_run on its own pool.
 */
#pragma once

/* The most threads a pool may have (a sanity bound on --threads). */
#define BJ_POOL_MAX_THREADS 256

/* A pool of threads (opaque). */
typedef struct bj_pool bj_pool;

/* A task: runs task number task (0 <= task < n_tasks) of a bj_pool_run batch on
 * thread number thread (0 <= thread < bj_pool_threads(pool); 0 is the caller).
 * ctx is the pointer given to bj_pool_run, shared by every task. */
typedef void bj_pool_fn(void *ctx, int task, int thread);

/* Starts a pool of n_threads threads in all, the calling thread included, so
 * n_threads - 1 new threads; 1 starts none and runs every task on the caller.
 * The new threads block asynchronous signals (SIGINT, SIGTERM, ...), so that
 * handlers run on the main thread and tasks see no EINTR from them.  Returns a
 * new pool to free with bj_pool_free(), or NULL with bj_error set: BJ_EINVAL
 * when n_threads is outside 1..BJ_POOL_MAX_THREADS, BJ_ENOMEM when the system
 * will not start a thread. */
bj_pool *bj_pool_new(int n_threads);

/* The pool's thread count, the caller included, as given to bj_pool_new. */
int bj_pool_threads(const bj_pool *pool);

/* Runs fn(ctx, task, thread) once for every task in 0..n_tasks-1, spread over
 * the pool's threads and the caller, and returns when all have finished; what
 * the tasks wrote is then visible to the caller.  n_tasks 0 does nothing; with
 * one thread or one task everything runs on the caller, in order.  Tasks must not
 * call bj_pool_run on the same pool, and two threads must not run one pool at
 * once (both BJ_ASSERT).  Nothing is allocated. */
void bj_pool_run(bj_pool *pool, int n_tasks, bj_pool_fn *fn, void *ctx);

/* Stops and joins the pool's threads and frees it.  NULL-safe, and safe on a
 * pool that bj_pool_new gave up on halfway. */
void bj_pool_free(bj_pool *pool);
