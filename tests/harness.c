
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int case_failures;
static int case_skipped;
static char tmpdir[4096];
static char shared_dir[4096];   /* test_shared_dir(), for the whole program */
static char path_buf[8192];   /* test_tmpdir() + "/" + name */
static char data_buf[4096];

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	case_failures++;
}

void test_fail_check(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	fprintf(stdout, "    %s:%d: CHECK(%s) failed", file, line, cond);
	if (strcmp(fmt, " ") != 0) {  /* CHECK passes " " when it has no message */
		fputs(":", stdout);
		va_start(ap, fmt);
		vfprintf(stdout, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stdout);
	case_failures++;
}

void test_skip(const char *fmt, ...)
{
	va_list ap;
	fputs("    skipped: ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	case_skipped = 1;
}

void test_check_close(const char *file, int line, const char *name, const float *got,
                      const float *want, size_t n, double atol, double rtol)
{
	size_t worst = 0, bad = 0;
	double worst_excess = -INFINITY, max_abs = 0, max_rel = 0;
	for (size_t i = 0; i < n; i++) {
		double g = got[i], w = want[i], d = fabs(g - w);
		double excess = d - (atol + rtol * fabs(w));
		if (isnan(g) != isnan(w))
			excess = INFINITY;
		if (excess > 0)
			bad++;
		if (excess > worst_excess) {
			worst_excess = excess;
			worst = i;
		}
		if (d > max_abs)
			max_abs = d;
		if (fabs(w) > 0 && d / fabs(w) > max_rel)
			max_rel = d / fabs(w);
	}
	if (bad)
		test_fail(file, line, "%s: %zu of %zu values differ; worst [%zu] got %.9g want %.9g; "
		          "max abs %.3g max rel %.3g (atol %g rtol %g)", name, bad, n, worst,
		          got[worst], want[worst], max_abs, max_rel, atol, rtol);
}

void test_check_str(const char *file, int line, const char *expr, const char *got,
                    const char *want)
{
	if (got && want && strcmp(got, want) == 0)
		return;
	test_fail(file, line, "%s\n      got:  \"%s\"\n      want: \"%s\"", expr,
	          got ? got : "(null)", want ? want : "(null)");
}

const char *test_data(const char *relpath)
{
	const char *root = getenv("BENJAMIN_DATA");
	if (!root || !*root)
		root = "../shared/data";
	snprintf(data_buf, sizeof(data_buf), "%s/%s", root, relpath);
	if (access(data_buf, R_OK) == 0)
		return data_buf;
	const char *ci = getenv("CI");
	if (ci && *ci)
		test_fail(__FILE__, __LINE__, "test data '%s' is missing (CI is set)", data_buf);
	else
		test_skip("test data '%s' is missing", data_buf);
	return NULL;
}

/* Creates a fresh folder "benjamin-test-XXXXXX" under $TMPDIR or /tmp in dir. */
static void make_dir(char *dir, size_t size)
{
	const char *base = getenv("TMPDIR");
	snprintf(dir, size, "%s/benjamin-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "harness: cannot create '%s': %s\n", dir, strerror(errno));
		exit(2);
	}
}

const char *test_tmpdir(void)
{
	if (!tmpdir[0])
		make_dir(tmpdir, sizeof(tmpdir));
	return tmpdir;
}

const char *test_shared_dir(void)
{
	if (!shared_dir[0])
		make_dir(shared_dir, sizeof(shared_dir));
	return shared_dir;
}

const char *test_path(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", test_tmpdir(), name);
	return path_buf;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	chmod(path, 0700); /* a case may have made a folder read-only */
	return remove(path);
}

static void remove_dir(char *dir)
{
	if (!dir[0])
		return;
	chmod(dir, 0700);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

char *test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			char *bigger = realloc(buf, cap + 1);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (size)
		*size = n;
	return buf;
}

/* In a forked child: argv with stdout on out, stdin and stderr on /dev/null. */
static void exec_child(const char *const argv[], int out)
{
	dup2(out, 1);
	close(out);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 2);
	}
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

char *test_run(const char *const argv[], size_t *size)
{
	int fds[2];
	if (pipe(fds) < 0)
		return NULL;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		exec_child(argv, fds[1]);
	}
	close(fds[1]);
	size_t n = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t got;
	while (buf && (got = read(fds[0], buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap) {
			cap *= 2;
			char *bigger = realloc(buf, cap + 1);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	close(fds[0]);
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !buf) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (size)
		*size = n;
	return buf;
}

int test_spawn(const char *const argv[], test_job *job)
{
	static unsigned serial;
	job->pid = -1;
	snprintf(job->out, sizeof(job->out), "%s/job-%u.out", test_tmpdir(), serial++);
	int fd = open(job->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && (job->pid = fork()) == 0)
		exec_child(argv, fd);
	if (fd >= 0)
		close(fd);
	return job->pid > 0 ? 0 : -1;
}

char *test_collect(test_job *job, size_t *size)
{
	int status;
	int ok = job->pid > 0 && waitpid(job->pid, &status, 0) == job->pid && WIFEXITED(status) &&
	         WEXITSTATUS(status) == 0;
	char *out = ok ? test_read_file(job->out, size) : NULL;
	unlink(job->out);
	job->pid = -1;
	return out;
}

int test_unprivileged(int (*fn)(void *arg, const char **msg), void *arg, char *msg, size_t size)
{
	enum { CANNOT_DROP = 250 };
	int fds[2];
	if (size == 0 || pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(CANNOT_DROP);
		const char *text = "";
		int status = fn(arg, &text);
		if (write(fds[1], text, strlen(text)) < 0)
			_exit(CANNOT_DROP);
		_exit(status & 0xff);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t got;
	while (pid > 0 && n < size - 1 && (got = read(fds[0], msg + n, size - 1 - n)) > 0)
		n += (size_t)got;
	msg[n] = '\0';
	close(fds[0]);
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == CANNOT_DROP)
		return -1;
	return WEXITSTATUS(status);
}

int test_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

void test_check_unwritable_folder(const char *filename, int (*save)(void *path, const char **msg))
{
	char dir[4200], path[4400], msg[1024], want[4500];
	snprintf(dir, sizeof(dir), "%s/read-only", test_tmpdir());
	snprintf(path, sizeof(path), "%s/%s", dir, filename);
	/* The child may run as nobody: it must be able to reach the folder. */
	CHECK(mkdir(dir, 0555) == 0 && chmod(test_tmpdir(), 0755) == 0);
	int status = test_unprivileged(save, path, msg, sizeof(msg));
	if (status < 0) {
		test_skip("cannot drop root privileges to test permissions");
		return;
	}
	CHECK(status == 0, "status %d: %s", status, msg);
	snprintf(want, sizeof(want), "'%s': cannot create file: Permission denied", path);
	CHECK_STR(msg, want);
	CHECK(test_count_entries(dir) == 0, "nothing left in the folder");
}

void test_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		test_fail(__FILE__, __LINE__, "cannot write '%s': %s", path, strerror(errno));
}

void test_check_golden(const char *name, const char *got)
{
	char path[4096];
	snprintf(path, sizeof(path), "tests/golden/%s", name);
	const char *update = getenv("UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		test_write_file(path, got, strlen(got));
		printf("    updated golden '%s'\n", path);
		return;
	}
	char *want = test_read_file(path, NULL);
	if (!want) {
		test_fail(__FILE__, __LINE__, "golden file '%s' is missing (run with UPDATE_GOLDEN=1)", path);
		return;
	}
	if (strcmp(got, want) != 0) {
		/* Show the first differing line; the whole diff is for git. */
		const char *g = got, *w = want;
		int line = 1;
		const char *line_start = got;
		while (*g && *g == *w) {
			if (*g == '\n') {
				line++;
				line_start = g + 1;
			}
			g++, w++;
		}
		/* Show both from the start of the line that differs. */
		w -= g - line_start;
		g = line_start;
		test_fail(__FILE__, __LINE__, "output differs from '%s' at line %d:\n      got:  %.80s\n      want: %.80s",
		          path, line, g, w);
	}
	free(want);
}

int test_main(const struct test_case *cases)
{
	int passed = 0, failed = 0, skipped = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (const struct test_case *c = cases; c->name; c++) {
		case_failures = 0;
		case_skipped = 0;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		c->fn();
		remove_dir(tmpdir);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* Wall seconds of the case, to find what makes the suite slow. */
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		const char *verdict = case_failures ? "FAIL" : case_skipped ? "skip" : "ok  ";
		failed += case_failures != 0;
		skipped += !case_failures && case_skipped;
		passed += !case_failures && !case_skipped;
		printf("%s %s (%.2f s)\n", verdict, c->name, secs);
	}
	remove_dir(shared_dir);
	printf("# %d ok, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
