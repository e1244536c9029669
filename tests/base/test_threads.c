#include "base/threads.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/rng.h"
#include "harness.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const int pool_sizes[] = { 1, 2, 3, 4, 8 };

/* What every task of a run records: how often each task ran and on which
 * threads, and anything out of range. */
struct tally {
	int n_tasks, n_threads;
	atomic_int *runs;        /* (n_tasks) */
	atomic_int *per_thread;  /* (n_threads) tasks run by each thread */
	atomic_int bad_task, bad_thread;
};

static void count_task(void *ctx, int task, int thread)
{
	struct tally *t = ctx;
	if (task < 0 || task >= t->n_tasks) {
		atomic_fetch_add(&t->bad_task, 1);
		return;
	}
	if (thread < 0 || thread >= t->n_threads) {
		atomic_fetch_add(&t->bad_thread, 1);
		return;
	}
	atomic_fetch_add(&t->runs[task], 1);
	atomic_fetch_add(&t->per_thread[thread], 1);
}

/* Runs n_tasks counting tasks on pool and checks that each ran exactly once. */
static void check_runs_once(bj_pool *pool, int n_tasks, atomic_int *runs, atomic_int *per_thread)
{
	int n_threads = bj_pool_threads(pool);
	struct tally t = { n_tasks, n_threads, runs, per_thread, 0, 0 };
	for (int i = 0; i < n_tasks; i++)
		atomic_init(&runs[i], 0);
	for (int i = 0; i < n_threads; i++)
		atomic_init(&per_thread[i], 0);
	bj_pool_run(pool, n_tasks, count_task, &t);
	int wrong = 0, first_wrong = -1, total = 0;
	for (int i = 0; i < n_tasks; i++)
		if (atomic_load(&runs[i]) != 1 && wrong++ == 0)
			first_wrong = i;
	for (int i = 0; i < n_threads; i++)
		total += atomic_load(&per_thread[i]);
	CHECK(wrong == 0, "%d threads, %d tasks: %d tasks did not run exactly once "
	      "(first: %d, ran %d times)", n_threads, n_tasks, wrong, first_wrong,
	      first_wrong >= 0 ? atomic_load(&runs[first_wrong]) : 0);
	CHECK(t.bad_task == 0 && t.bad_thread == 0,
	      "%d threads, %d tasks: %d bad task and %d bad thread numbers", n_threads,
	      n_tasks, atomic_load(&t.bad_task), atomic_load(&t.bad_thread));
	CHECK(total == n_tasks, "%d threads: per-thread counts add up to %d, want %d", n_threads,
	      total, n_tasks);
}

static void test_new_rejects_bad_thread_counts(void)
{
	static const int bad[] = { 0, -1, BJ_POOL_MAX_THREADS + 1, -2147483647 - 1 };
	for (size_t i = 0; i < COUNT(bad); i++) {
		bj_error_clear();
		CHECK(bj_pool_new(bad[i]) == NULL, "%d threads", bad[i]);
		CHECK(bj_error_code() == BJ_EINVAL);
	}
	bj_pool_new(0);
	CHECK_STR(bj_error_message(), "thread count 0 is out of range (1 to 256)");
	bj_pool_free(NULL);
	for (size_t i = 0; i < COUNT(pool_sizes); i++) {
		bj_pool *pool = bj_pool_new(pool_sizes[i]);
		CHECK(pool && bj_pool_threads(pool) == pool_sizes[i]);
		bj_pool_free(pool);
	}
}

static void test_every_task_runs_exactly_once(void)
{
	static const int sizes[] = { 0, 1, 2, 3, 7, 8, 9, 64, 1000, 100003 };
	atomic_int *runs = malloc(100003 * sizeof(*runs));
	atomic_int per_thread[8];
	for (size_t p = 0; p < COUNT(pool_sizes); p++) {
		bj_pool *pool = bj_pool_new(pool_sizes[p]);
		CHECK(pool != NULL);
		if (!pool)
			continue;
		for (size_t s = 0; s < COUNT(sizes); s++)
			check_runs_once(pool, sizes[s], runs, per_thread);
		bj_pool_free(pool);
	}
	free(runs);
}

struct order {
	pthread_t caller;
	int next;         /* the task expected next */
	int out_of_order, off_caller;
};

static void check_order(void *ctx, int task, int thread)
{
	struct order *o = ctx;
	o->out_of_order += task != o->next++;
	o->off_caller += thread != 0 || !pthread_equal(pthread_self(), o->caller);
}

static void test_one_thread_runs_in_order_on_caller(void)
{
	/* One thread, or one task on any pool: the caller runs everything, in order. */
	for (size_t p = 0; p < COUNT(pool_sizes); p++) {
		bj_pool *pool = bj_pool_new(pool_sizes[p]);
		int n = pool_sizes[p] == 1 ? 500 : 1;
		struct order o = { pthread_self(), 0, 0, 0 };
		bj_pool_run(pool, n, check_order, &o);
		CHECK(o.next == n && o.out_of_order == 0 && o.off_caller == 0,
		      "%d threads: ran %d of %d, %d out of order, %d off the caller", pool_sizes[p],
		      o.next, n, o.out_of_order, o.off_caller);
		bj_pool_free(pool);
	}
}

/* Tasks that wait for each other: each arrives, then spins until all
 * n_threads have arrived.  This finishes only if every thread runs a task at
 * the same time, so it shows that workers take tasks while the caller is busy. */
struct meeting {
	int expected;
	atomic_int arrived;
	atomic_int timed_out;
	pthread_t caller;
	atomic_int thread_seen[8];
	atomic_int caller_mismatch;    /* thread 0 not on the caller, or other on it */
	atomic_int sigint_unblocked;   /* a worker with SIGINT unblocked */
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void meet(void *ctx, int task, int thread)
{
	(void)task;
	struct meeting *m = ctx;
	atomic_fetch_add(&m->thread_seen[thread], 1);
	if ((thread == 0) != (pthread_equal(pthread_self(), m->caller) != 0))
		atomic_fetch_add(&m->caller_mismatch, 1);
	if (thread != 0) {
		sigset_t mask;
		pthread_sigmask(SIG_BLOCK, NULL, &mask);
		if (!sigismember(&mask, SIGINT) || !sigismember(&mask, SIGTERM))
			atomic_fetch_add(&m->sigint_unblocked, 1);
		if (sigismember(&mask, SIGSEGV) || sigismember(&mask, SIGABRT))
			atomic_fetch_add(&m->sigint_unblocked, 1);
	}
	atomic_fetch_add(&m->arrived, 1);
	double deadline = now_seconds() + 10;
	while (atomic_load(&m->arrived) < m->expected) {
		if (now_seconds() > deadline) {
			atomic_fetch_add(&m->timed_out, 1);
			return;
		}
		sched_yield();
	}
}

static void test_threads_run_tasks_at_the_same_time(void)
{
	static const int counts[] = { 2, 4 };
	for (size_t c = 0; c < COUNT(counts); c++) {
		int n = counts[c];
		bj_pool *pool = bj_pool_new(n);
		for (int round = 0; round < 3; round++) {
			struct meeting m = { .expected = n, .caller = pthread_self() };
			bj_pool_run(pool, n, meet, &m);
			CHECK(m.timed_out == 0, "%d threads: %d tasks gave up waiting", n,
			      atomic_load(&m.timed_out));
			for (int t = 0; t < n; t++)
				CHECK(m.thread_seen[t] == 1, "%d threads: thread %d ran %d tasks", n, t,
				      atomic_load(&m.thread_seen[t]));
			CHECK(m.caller_mismatch == 0, "thread 0 must be the caller, and only it");
			CHECK(m.sigint_unblocked == 0, "workers must block SIGINT/SIGTERM and only "
			      "asynchronous signals");
		}
		bj_pool_free(pool);
	}
	/* The caller's own mask is left as it was. */
	sigset_t mask;
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	CHECK(!sigismember(&mask, SIGINT));
}

/* A task with randomness and per-thread scratch, written as callers should:
 * the stream comes from the task number, the result goes to the task's slot. */
struct noisy_job {
	bj_rng base;
	double *scratch;  /* (n_threads, 64) */
	double *out;      /* (n_tasks) */
};

static void noisy_task(void *ctx, int task, int thread)
{
	struct noisy_job *j = ctx;
	bj_rng r = bj_rng_fork(&j->base, (uint64_t)task);
	double *s = j->scratch + 64 * thread;
	for (int i = 0; i < 64; i++)
		s[i] = bj_rng_normal(&r);
	double acc = 0;
	for (int i = 0; i < 64; i++)
		acc += s[i] * s[(i * 7) % 64];
	j->out[task] = acc;
}

static void test_same_results_for_any_thread_count(void)
{
	enum { N = 5000 };
	double *want = malloc(N * sizeof(*want));
	double *got = malloc(N * sizeof(*got));
	for (size_t p = 0; p < COUNT(pool_sizes); p++) {
		bj_pool *pool = bj_pool_new(pool_sizes[p]);
		struct noisy_job j;
		bj_rng_init(&j.base, 1895);
		j.scratch = malloc((size_t)bj_pool_threads(pool) * 64 * sizeof(double));
		j.out = p == 0 ? want : got;
		memset(j.out, 0, N * sizeof(double));
		bj_pool_run(pool, N, noisy_task, &j);
		if (p > 0)
			CHECK(memcmp(want, got, N * sizeof(double)) == 0,
			      "%d threads give different bytes from 1 thread", pool_sizes[p]);
		free(j.scratch);
		bj_pool_free(pool);
	}
	free(want);
	free(got);
}

/* Two different task functions, to check that each run uses its own. */
static void add_task(void *ctx, int task, int thread)
{
	(void)thread;
	atomic_fetch_add((atomic_long *)ctx, task + 1);
}

static void sub_task(void *ctx, int task, int thread)
{
	(void)thread;
	atomic_fetch_sub((atomic_long *)ctx, 2L * task);
}

static void test_pool_is_reused_across_runs(void)
{
	bj_pool *pool = bj_pool_new(3);
	atomic_int *runs = malloc(64 * sizeof(*runs));
	atomic_int per_thread[3];
	int wrong = 0;
	for (int i = 0; i < 1000; i++) {
		int n = (i * 7) % 41;
		atomic_long sum;
		atomic_init(&sum, 0);
		bool add = i % 3 != 0;
		bj_pool_run(pool, n, add ? add_task : sub_task, &sum);
		long want = add ? (long)n * (n + 1) / 2 : -(long)n * (n - 1);
		if (atomic_load(&sum) != want && wrong++ == 0)
			CHECK(0, "run %d (%d tasks): sum %ld, want %ld", i, n, atomic_load(&sum), want);
		if (i % 100 == 0)
			check_runs_once(pool, n, runs, per_thread);
	}
	CHECK(wrong == 0, "%d of 1000 runs went wrong", wrong);
	free(runs);
	bj_pool_free(pool);
}

/* The number of threads in this process, from /proc; -1 without /proc. */
static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* count_threads() once it equals want, or after two seconds: a joined thread
 * leaves /proc a moment after pthread_join returns. */
static int settle_threads(int want)
{
	int n = count_threads();
	for (int i = 0; i < 200 && n != want; i++) {
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
		n = count_threads();
	}
	return n;
}

static void test_free_joins_every_thread(void)
{
	int before = count_threads();
	if (before < 0) {
		test_skip("no /proc/self/task");
		return;
	}
	bj_pool *pool = bj_pool_new(5);
	int during = count_threads();
	CHECK(during == before + 4, "%d threads, want %d", during, before + 4);
	bj_pool_free(pool);
	int after = settle_threads(before);
	CHECK(after == before, "%d threads after free, want %d", after, before);
	/* Pools that never run, and pools freed straight after one run. */
	atomic_long sum;
	atomic_init(&sum, 0);
	for (int i = 0; i < 50; i++) {
		pool = bj_pool_new(1 + i % 4);
		if (i % 2)
			bj_pool_run(pool, 10, add_task, &sum);
		bj_pool_free(pool);
	}
	CHECK(atomic_load(&sum) == 25 * 55);
	after = settle_threads(before);
	CHECK(after == before, "%d threads left, want %d", after, before);
}

static bj_pool *nested_pool;

static void run_nested(void *ctx, int task, int thread)
{
	(void)task, (void)thread;
	atomic_long *sum = ctx;
	bj_pool_run(nested_pool, 2, add_task, sum);
}

static void test_nested_run_is_a_bug(void)
{
	/* A task that runs its own pool would deadlock or corrupt the batch; it
	 * must abort with a BUG message, with one thread as with several. */
	for (int n = 1; n <= 2; n++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0)
				dup2(fd, 2);
			nested_pool = bj_pool_new(n);
			atomic_long sum;
			atomic_init(&sum, 0);
			bj_pool_run(nested_pool, 4, run_nested, &sum);
			_exit(0);
		}
		CHECK(pid > 0);
		if (pid <= 0)
			return;
		int status = 0;
		waitpid(pid, &status, 0);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
		      "%d threads: child status 0x%x, want SIGABRT", n, (unsigned)status);
	}
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_new_rejects_bad_thread_counts),
		TEST_CASE(test_every_task_runs_exactly_once),
		TEST_CASE(test_one_thread_runs_in_order_on_caller),
		TEST_CASE(test_threads_run_tasks_at_the_same_time),
		TEST_CASE(test_same_results_for_any_thread_count),
		TEST_CASE(test_pool_is_reused_across_runs),
		TEST_CASE(test_free_joins_every_thread),
		TEST_CASE(test_nested_run_is_a_bug),
		{ 0 },
	};
	return test_main(cases);
}
