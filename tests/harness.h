/*
 * harness.h - the test harness: checks that count, data lookup, temporary folders.
 *
 *     static void test_roundtrip(void)
 *     {
 *         CHECK(n == 3, "n = %d", n);
 *         CHECK_NEAR(x, 1.0, 1e-6);
 *         const char *clip = test_data("footage/nosferatu_1922_excerpt_silent.mp4");
 *         if (!clip)
 *             return;                 // skipped locally, failed when CI is set
 *     }
 *     int main(void)
 *     {
 *         static const struct test_case cases[] = { TEST_CASE(test_roundtrip), {0} };
 *         return test_main(cases);
 *     }
 *
 * A case passes when no check in it failed and it was not skipped.  test_main runs
 * every case, prints "ok"/"FAIL"/"skip" lines and a last line "# P ok, F failed, S
 * skipped" that tests/run adds up, and exits non-zero if anything failed.
 */
#pragma once

#include <stddef.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST_CASE(fn) { #fn, fn }

int test_main(const struct test_case *cases);

/* Records a failure of the running case (with file and line) and prints it. */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* CHECK(cond) or CHECK(cond, "printf format", args...) for more detail. */
#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			test_fail_check(__FILE__, __LINE__, #cond, " " __VA_ARGS__); \
	} while (0)
void test_fail_check(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define CHECK_NEAR(a, b, tol) \
	do { \
		double a_ = (a), b_ = (b); \
		if (!(a_ - b_ <= (tol) && b_ - a_ <= (tol))) \
			test_fail(__FILE__, __LINE__, "%s = %.9g, %s = %.9g, differ by more than %g", \
			          #a, a_, #b, b_, (double)(tol)); \
	} while (0)

/* Compares n floats; on failure prints the worst index, both values and the max
 * absolute and relative error.  Passes where |got-want| <= atol + rtol*|want|. */
#define CHECK_CLOSE(name, got, want, n, atol, rtol) \
	test_check_close(__FILE__, __LINE__, (name), (got), (want), (n), (atol), (rtol))
void test_check_close(const char *file, int line, const char *name, const float *got,
                      const float *want, size_t n, double atol, double rtol);

/* Compares a string with an expected one and prints both when they differ. */
#define CHECK_STR(got, want) test_check_str(__FILE__, __LINE__, #got, (got), (want))
void test_check_str(const char *file, int line, const char *expr, const char *got,
                    const char *want);

/* Marks the running case skipped (not passed) with a reason. */
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The path of shared test data (relative to ../shared/data, or $BENJAMIN_DATA).
 * When it is missing: NULL, and the case is skipped, or failed when CI is set. */
const char *test_data(const char *relpath);

/* A fresh temporary folder for the running case, removed after it. */
const char *test_tmpdir(void);

/* A temporary folder for the whole test program, removed when test_main()
 * ends: for inputs several cases make alike, made once. */
const char *test_shared_dir(void);

/* A path inside test_tmpdir(); valid until the next call to test_path. */
const char *test_path(const char *name);

/* Reads a whole file into a new NUL-terminated buffer (free()); NULL if missing. */
char *test_read_file(const char *path, size_t *size);

/* Runs argv (no shell; argv[0] looked up in PATH) with stdin and stderr on
 * /dev/null, and returns its standard output in a new NUL-terminated buffer
 * (free()) of *size bytes (size may be NULL); NULL when it cannot be run or
 * exits non-zero. */
char *test_run(const char *const argv[], size_t *size);

/* test_run() in two halves, so that a test does its own work while a
 * reference tool runs: test_spawn() starts argv with its stdout into a file
 * of test_tmpdir() and returns 0 (-1 when it cannot start); test_collect()
 * waits for it and returns what test_run() would.  Collect every job within
 * the case that spawned it. */
typedef struct test_job {
	int pid;
	char out[4200];   /* the file of its standard output */
} test_job;
int test_spawn(const char *const argv[], test_job *job);
char *test_collect(test_job *job, size_t *size);

/* Runs fn(arg) in a child process that has dropped root privileges (it runs as
 * nobody when the tests run as root), so that file permissions apply to it.
 * fn returns a status and sets *msg to a message, which is copied into msg
 * (size bytes, NUL-terminated).  Returns fn's status (0..255), or -1 when the
 * child could not drop privileges or did not exit normally. */
int test_unprivileged(int (*fn)(void *arg, const char **msg), void *arg, char *msg, size_t size);

/* Checks that saving into a read-only folder fails cleanly: save(path, &msg), run
 * unprivileged for a path named filename in a fresh read-only folder, must
 * return 0 (its own check that the save failed as it should), report
 * "'PATH': cannot create file: Permission denied" and leave nothing behind.
 * Skips the case when root privileges cannot be dropped. */
void test_check_unwritable_folder(const char *filename, int (*save)(void *path, const char **msg));

/* Entries in folder dir other than . and .. (hidden ones too), or -1 if it
 * cannot be read: proves that nothing, not even a temporary file, was left. */
int test_count_entries(const char *dir);

/* Writes size bytes to path; fails the case on error. */
void test_write_file(const char *path, const void *data, size_t size);

/* Compares got with the golden file tests/golden/<name> byte for byte, or writes
 * it there when UPDATE_GOLDEN=1 is set (review the change with git diff). */
void test_check_golden(const char *name, const char *got);
