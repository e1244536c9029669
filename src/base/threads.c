#include "base/threads.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"

/* How long a thread spins before it sleeps (see struct bj_pool): twice a
 * wake-up.  50 us kept the face swap's worker spinning through most of the
 * swap thread's serial stretches (2.8 % of all its CPU in worker_main and the
 * caller's wait, taken from the encoder on two cores); 20 us halves that and
 * wakes it no more often to speak of. */
#define SPIN_NS 20000

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Spins until cond(arg) holds or SPIN_NS pass; returns whether it held. */
static bool spin_until(bool (*cond)(void *), void *arg)
{
	long long start = now_ns();
	for (unsigned i = 1;; i++) {
		if (cond(arg))
			return true;
		cpu_relax();
		if (i % 64 == 0 && now_ns() - start > SPIN_NS)
			return false;
	}
}

/* One started thread and its index, passed to worker_main. */
struct worker {
	bj_pool *pool;
	int index;      /* 1..n_threads-1; the caller is 0 */
	pthread_t tid;
};

/*
 * A run is published under lock: the caller stores the batch, resets the
 * task counter next and the count of finished tasks done, bumps generation
 * (and its lock-free mirror published) and broadcasts start.  Each worker
 * remembers the last generation it ran, so a spurious wakeup or a late start
 * never runs a batch twice or skips one.
 *
 * next holds the run's generation in its high 32 bits and the next task in
 * its low ones, and a task is claimed by a compare-and-swap that checks the
 * generation: a worker that wakes after its run has ended cannot take a task
 * of the next run for the batch it read.  So the caller waits only for the
 * tasks under way (done reaching n_tasks), never for a worker to wake up and
 * find nothing left: a worker slow to wake only does less of the work.  done
 * counts with release and the caller reads it with acquire, which orders the
 * tasks' writes before its return.
 *
 * Waking a sleeping thread costs about 10 us, as much as a small task, so both
 * sides first spin for up to SPIN_NS on the atomics (a worker after each run,
 * the caller for the last tasks under way) and only then sleep on the
 * condition variables.  Runs that follow each other closely, such as the time
 * steps of sampling, never sleep; a pool left idle costs SPIN_NS of CPU once.
 * A caller that sleeps says so in caller_asleep before it looks at done
 * (sequentially consistent, as is the finishing worker's count then look), so
 * either it sees the last task finished or that worker sees it asleep and
 * signals finished under lock.
 */

struct bj_pool {
	int n_threads;
	int n_started;            /* workers that exist, n_threads - 1 once built */
	struct worker *workers;   /* (n_threads - 1) */
	pthread_mutex_t lock;
	pthread_cond_t start;     /* generation changed, or stop set */
	pthread_cond_t finished;  /* the run's last task finished */
	unsigned long generation; /* guarded by lock */
	atomic_ulong published;   /* generation, readable without the lock */
	bool stop;                /* guarded by lock */
	bj_pool_fn *fn;           /* the current batch; written under lock */
	void *ctx;
	int n_tasks;
	atomic_uint_least64_t next;   /* (uint32_t)generation << 32 | the next task */
	atomic_int done;              /* tasks of the current run finished */
	atomic_bool caller_asleep;    /* the caller waits on finished */
	atomic_bool running;          /* a bj_pool_run is in progress */
};

/* Claims and runs the tasks of run gen until none are left or another run
 * has begun. */
static void work(bj_pool *pool, uint32_t gen, bj_pool_fn *fn, void *ctx, int n_tasks, int thread)
{
	uint_least64_t v = atomic_load_explicit(&pool->next, memory_order_relaxed);
	for (;;) {
		if ((uint32_t)(v >> 32) != gen || (uint32_t)v >= (uint32_t)n_tasks)
			return;
		if (!atomic_compare_exchange_weak_explicit(&pool->next, &v, v + 1, memory_order_relaxed,
		                                           memory_order_relaxed))
			continue;
		fn(ctx, (int)(uint32_t)v, thread);
		if (atomic_fetch_add(&pool->done, 1) + 1 == n_tasks && thread != 0 &&
		    atomic_load(&pool->caller_asleep)) {
			pthread_mutex_lock(&pool->lock);
			pthread_cond_signal(&pool->finished);
			pthread_mutex_unlock(&pool->lock);
		}
		v = atomic_load_explicit(&pool->next, memory_order_relaxed);
	}
}

struct spin_gen {
	bj_pool *pool;
	unsigned long seen;
};

static bool new_run(void *arg)
{
	struct spin_gen *g = arg;
	return atomic_load_explicit(&g->pool->published, memory_order_relaxed) != g->seen;
}

struct spin_done {
	bj_pool *pool;
	int n_tasks;
};

static bool all_done(void *arg)
{
	struct spin_done *d = arg;
	return atomic_load_explicit(&d->pool->done, memory_order_acquire) == d->n_tasks;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	bj_pool *pool = w->pool;
	unsigned long seen = 0;  /* no run can start before bj_pool_new returns */

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		if (!pool->stop && pool->generation == seen) {
			pthread_mutex_unlock(&pool->lock);
			spin_until(new_run, &(struct spin_gen){ pool, seen });
			pthread_mutex_lock(&pool->lock);
		}
		while (!pool->stop && pool->generation == seen)
			pthread_cond_wait(&pool->start, &pool->lock);
		if (pool->stop)
			break;
		seen = pool->generation;
		bj_pool_fn *fn = pool->fn;
		void *ctx = pool->ctx;
		int n_tasks = pool->n_tasks;
		pthread_mutex_unlock(&pool->lock);

		work(pool, (uint32_t)seen, fn, ctx, n_tasks, w->index);

		pthread_mutex_lock(&pool->lock);
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
	atomic_init(&pool->done, 0);
	atomic_init(&pool->caller_asleep, false);
	atomic_init(&pool->running, false);
	atomic_init(&pool->published, 0);
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
	pool->generation++;
	uint32_t gen = (uint32_t)pool->generation;
	atomic_store_explicit(&pool->done, 0, memory_order_relaxed);
	atomic_store_explicit(&pool->next, (uint_least64_t)gen << 32, memory_order_relaxed);
	atomic_store_explicit(&pool->published, pool->generation, memory_order_relaxed);
	pthread_cond_broadcast(&pool->start);
	pthread_mutex_unlock(&pool->lock);

	work(pool, gen, fn, ctx, n_tasks, 0);

	if (!spin_until(all_done, &(struct spin_done){ pool, n_tasks })) {
		atomic_store(&pool->caller_asleep, true);
		pthread_mutex_lock(&pool->lock);
		while (atomic_load(&pool->done) < n_tasks)
			pthread_cond_wait(&pool->finished, &pool->lock);
		pthread_mutex_unlock(&pool->lock);
		atomic_store(&pool->caller_asleep, false);
	}
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
