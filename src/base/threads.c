#include "base/threads.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* One started thread and its index, passed to worker_main. */
struct worker {
	bj_pool *pool;
	int index;      /* 1..n_threads-1; the caller is 0 */
	pthread_t tid;
};

/*
 * A run is published under lock: the caller stores the batch, sets busy to
 * the number of workers, bumps generation and broadcasts start.  Each worker
 * remembers the last generation it ran, so a spurious wakeup or a late start
 * never runs a batch twice or skips one.  The last worker out signals
 * finished.  Taking lock on both sides orders the tasks' writes before the
 * caller's return, so the atomic task counter itself can be relaxed.
 */
struct bj_pool {
	int n_threads;
	int n_started;            /* workers that exist, n_threads - 1 once built */
	struct worker *workers;   /* (n_threads - 1) */
	pthread_mutex_t lock;
	pthread_cond_t start;     /* generation changed, or stop set */
	pthread_cond_t finished;  /* busy reached 0 */
	unsigned long generation; /* guarded by lock */
	int busy;                 /* workers still in this run; guarded by lock */
	bool stop;                /* guarded by lock */
	bj_pool_fn *fn;           /* the current batch; written under lock */
	void *ctx;
	int n_tasks;
	atomic_long next;         /* the next task to hand out */
	atomic_bool running;      /* a bj_pool_run is in progress */
};

/* Takes tasks from the shared counter until none are left.  long, so that
 * counting past n_tasks by up to n_threads cannot overflow. */
static void work(bj_pool *pool, bj_pool_fn *fn, void *ctx, int n_tasks, int thread)
{
	for (;;) {
		long t = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
		if (t >= n_tasks)
			return;
		fn(ctx, (int)t, thread);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	bj_pool *pool = w->pool;
	unsigned long seen = 0;  /* no run can start before bj_pool_new returns */

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (!pool->stop && pool->generation == seen)
			pthread_cond_wait(&pool->start, &pool->lock);
		if (pool->stop)
			break;
		seen = pool->generation;
		bj_pool_fn *fn = pool->fn;
		void *ctx = pool->ctx;
		int n_tasks = pool->n_tasks;
		pthread_mutex_unlock(&pool->lock);

		work(pool, fn, ctx, n_tasks, w->index);

		pthread_mutex_lock(&pool->lock);
		if (--pool->busy == 0)
			pthread_cond_signal(&pool->finished);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* The signals new threads block: the asynchronous ones.  Synchronous signals
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT, SIGPIPE) go to the
 * thread that caused them and must stay deliverable there, or the kernel kills
 * the process without running handlers such as the sanitizers'. */
static void async_signals(sigset_t *set)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1,
	                            SIGUSR2, SIGCHLD, SIGWINCH, SIGTSTP, SIGCONT };
	sigemptyset(set);
	for (size_t i = 0; i < BJ_ARRAY_SIZE(sigs); i++)
		sigaddset(set, sigs[i]);
}

bj_pool *bj_pool_new(int n_threads)
{
	if (n_threads < 1 || n_threads > BJ_POOL_MAX_THREADS) {
		bj_error_set(BJ_EINVAL, "thread count %d is out of range (1 to %d)", n_threads,
		             BJ_POOL_MAX_THREADS);
		return NULL;
	}
	bj_pool *pool = bj_xcalloc(1, sizeof(*pool));
	pool->n_threads = n_threads;
	BJ_ASSERT(pthread_mutex_init(&pool->lock, NULL) == 0);
	BJ_ASSERT(pthread_cond_init(&pool->start, NULL) == 0);
	BJ_ASSERT(pthread_cond_init(&pool->finished, NULL) == 0);
	atomic_init(&pool->next, 0);
	atomic_init(&pool->running, false);
	if (n_threads == 1)
		return pool;

	pool->workers = bj_xcalloc((size_t)n_threads - 1, sizeof(*pool->workers));
	sigset_t block, old;
	async_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);  /* new threads inherit the mask */
	int err = 0;
	for (int i = 0; i < n_threads - 1; i++) {
		struct worker *w = &pool->workers[i];
		w->pool = pool;
		w->index = i + 1;
		err = pthread_create(&w->tid, NULL, worker_main, w);
		if (err)
			break;
		pool->n_started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		bj_error_set(BJ_ENOMEM, "cannot start thread %d of %d: %s", pool->n_started + 2,
		             n_threads, strerror(err));
		bj_pool_free(pool);
		return NULL;
	}
	return pool;
}

int bj_pool_threads(const bj_pool *pool)
{
	return pool->n_threads;
}

void bj_pool_run(bj_pool *pool, int n_tasks, bj_pool_fn *fn, void *ctx)
{
	BJ_ASSERT(pool && fn && n_tasks >= 0);
	bool nested_or_concurrent_run = atomic_exchange(&pool->running, true);
	BJ_ASSERT(!nested_or_concurrent_run);

	if (pool->n_started == 0 || n_tasks <= 1) {
		for (int t = 0; t < n_tasks; t++)
			fn(ctx, t, 0);
		atomic_store(&pool->running, false);
		return;
	}

	pthread_mutex_lock(&pool->lock);
	pool->fn = fn;
	pool->ctx = ctx;
	pool->n_tasks = n_tasks;
	atomic_store_explicit(&pool->next, 0, memory_order_relaxed);
	pool->busy = pool->n_started;
	pool->generation++;
	pthread_cond_broadcast(&pool->start);
	pthread_mutex_unlock(&pool->lock);

	work(pool, fn, ctx, n_tasks, 0);

	pthread_mutex_lock(&pool->lock);
	while (pool->busy > 0)
		pthread_cond_wait(&pool->finished, &pool->lock);
	pthread_mutex_unlock(&pool->lock);
	atomic_store(&pool->running, false);
}

void bj_pool_free(bj_pool *pool)
{
	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stop = true;
	pthread_cond_broadcast(&pool->start);
	pthread_mutex_unlock(&pool->lock);
	for (int i = 0; i < pool->n_started; i++)
		pthread_join(pool->workers[i].tid, NULL);
	pthread_cond_destroy(&pool->finished);
	pthread_cond_destroy(&pool->start);
	pthread_mutex_destroy(&pool->lock);
	free(pool->workers);
	free(pool);
}
